"""The schema revisions read from the migration files' lines are Alembic's own."""

import pytest
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from controlling.data import database


def test_the_head_and_the_revisions_read_from_the_files_are_those_alembic_finds():
    script = ScriptDirectory.from_config(database.alembic_config())
    database._script_revisions.cache_clear()
    head, revisions = database._script_revisions()
    assert head == script.get_current_head()
    assert revisions == {s.revision for s in script.walk_revisions()}


def test_a_chain_that_branches_is_left_to_alembic(tmp_path, monkeypatch):
    versions = tmp_path / "versions"
    versions.mkdir()
    for name, parent in (("a", None), ("b", "a"), ("c", "a")):
        parent_text = "None" if parent is None else repr(parent)
        (versions / f"{name}.py").write_text(
            f"revision: str = {name!r}\ndown_revision: str | None = {parent_text}\n"
            "def upgrade():\n    pass\n\ndef downgrade():\n    pass\n", encoding="utf-8")
    (tmp_path / "env.py").write_text("", encoding="utf-8")
    (tmp_path / "script.py.mako").write_text("", encoding="utf-8")
    monkeypatch.setattr(database, "migrations_dir", lambda: tmp_path)
    database._script_revisions.cache_clear()
    try:
        with pytest.raises(CommandError):  # Alembic's own refusal of two heads
            database._script_revisions()
    finally:
        database._script_revisions.cache_clear()
