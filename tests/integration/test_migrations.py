"""The migrations are the only source of the schema: the four checks of pytest-alembic, by hand
(pytest-alembic 0.13.1 breaks on pytest 9.2), on SQLite and PostgreSQL."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from controlling.data.database import alembic_config, current_revision, make_engine
from controlling.data.models import Base
from tests.conftest import table_names

CORE_TABLES = {"districts", "departments", "topics", "topic_departments", "users",
               "recommendations", "status_changes", "progress_updates", "indicators",
               "indicator_values"}


@pytest.fixture
def empty_engine(empty_db_url):
    engine = make_engine(empty_db_url)
    yield engine
    engine.dispose()


def script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def migrate(engine, direction: str, target: str) -> None:
    with engine.begin() as connection:
        getattr(command, direction)(alembic_config(connection), target)


def test_there_is_exactly_one_head_revision():
    assert len(script().get_heads()) == 1


def test_every_revision_has_a_downgrade():
    for revision in script().walk_revisions():
        source = open(revision.path, encoding="utf-8").read()
        body = source.split("def downgrade()", 1)[1]
        assert "op." in body, f"{revision.revision} has no working downgrade"


def test_an_empty_database_upgrades_to_head(empty_engine):
    assert table_names(empty_engine) == set()
    migrate(empty_engine, "upgrade", "head")
    assert CORE_TABLES <= table_names(empty_engine)
    assert current_revision(empty_engine) == script().get_current_head()


def test_downgrade_to_base_removes_every_table_and_upgrade_brings_them_back(empty_engine):
    migrate(empty_engine, "upgrade", "head")
    tables = table_names(empty_engine)
    migrate(empty_engine, "downgrade", "base")
    assert table_names(empty_engine) <= {"alembic_version"}
    assert current_revision(empty_engine) is None
    migrate(empty_engine, "upgrade", "head")
    assert table_names(empty_engine) == tables


def test_each_revision_goes_up_down_and_up_again(empty_engine):
    revisions = list(reversed(list(script().walk_revisions())))
    for revision in revisions:
        migrate(empty_engine, "upgrade", revision.revision)
        tables = table_names(empty_engine)
        migrate(empty_engine, "downgrade", revision.down_revision or "base")
        migrate(empty_engine, "upgrade", revision.revision)
        assert table_names(empty_engine) == tables, revision.revision
        assert current_revision(empty_engine) == revision.revision


def test_the_models_match_the_migrations(empty_engine):
    migrate(empty_engine, "upgrade", "head")
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True})
        assert compare_metadata(context, Base.metadata) == []


def test_alembic_check_finds_nothing_to_generate(empty_engine):
    migrate(empty_engine, "upgrade", "head")
    with empty_engine.begin() as connection:
        command.check(alembic_config(connection))
