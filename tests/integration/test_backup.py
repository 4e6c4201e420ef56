"""Backup and restore: `export all` -> `import all` reproduces every table row for row;
`backup` copies a SQLite database while it is in use."""

import json
import re
import sqlite3
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import MetaData, create_engine, func, inspect, select, text
from sqlalchemy import types as sqltypes

from controlling.data.database import head_revision, make_engine
from controlling.data.models import Base
from controlling.data.unit_of_work import UnitOfWork
from controlling.domain.errors import DomainError
from controlling.domain.integrity import document_checksum
from controlling.services.backup import backup_sqlite, export_all, import_all
from tests.conftest import PG_URL, _pg, cli_for, row_counts, snapshot
from tests.exchange_support import approved


@contextmanager
def scratch_postgres():
    """A database of its own on the test server, dropped afterwards."""
    server = create_engine(_pg(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"controlling_restore_{uuid.uuid4().hex[:12]}"
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture
def fresh(db_url, tmp_path):
    """An engine on a second, empty database of the same backend as db_url."""
    if db_url.startswith("sqlite"):
        engine = make_engine(f"sqlite:///{tmp_path / 'wiederhergestellt.db'}")
        yield engine
        engine.dispose()
        return
    with scratch_postgres() as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture
def filled(cli, people, uow):
    """The demo data set plus the team, a title beginning with '=' and a stored JSON null."""
    assert cli("init", "--demo").exit_code == 0
    approved(cli, 1, title="=1+2")
    assert cli("progress", 1, "--quarter", "2024-Q1", "--light", "red", "--note",
               "Zeile 1\nZeile 2 \"zitiert\"", "--on", "2024-03-01", user="bl31").exit_code == 0
    # the tables of the dialogues: events, suggestions, measures, their history and links (ids
    # are read from the output: the demo data set may already hold some)
    def run(*args) -> str:
        result = cli(*args, user="planer")
        assert result.exit_code == 0, result.output
        return result.output

    run("event", "load-reference")
    measure = number_in(run("measure", "add", "--title", "Familienbüro", "--department", "3-1",
                            "--district", "Osterfeld", "--district", "Sterkrade-Mitte"))
    run("measure", "edit", measure, "--place", "Stadtteilhaus", "--reason", "Ort ergänzt")
    first = number_in(run("suggestion", "add", "--event", 4, "--text", "Mehr Sport für Mädchen"))
    second = number_in(run("suggestion", "add", "--event", 4, "--text", "Beratung für Ältere"))
    run("suggestion", "triage", first, "exists", "--measure", measure, "--on", "2024-01-05")
    run("suggestion", "triage", second, "not_pursued", "--reason", "anderes Gremium", "--on",
        "2024-01-06")
    run("measure", "link", measure, "--recommendation", 1)
    return uow


@pytest.fixture
def filled_everything(filled, cli):
    """`filled` plus the tables of the instruments: a supersession and an edition (awareness and
    institutions come with the demo data set). Kept apart from `filled`, whose rows must also
    fit the oldest schema."""
    for args in (
        ("recommendation", "add", "--number", 2, "--title", "Übersicht neu gefasst",
         "--district", "stadtweit", "--department", "3-2", "--on", "2024-10-08"),
        ("recommendation", "supersede", 908, "--by", 2, "--note", "neu gefasst", "--on",
         "2024-10-09"),
        ("edition", "publish", "Fortschreibung 2024"),  # not before the demo data's changes
    ):
        result = cli(*args, user="planer")
        assert result.exit_code == 0, result.output
    return filled


def number_in(output: str) -> int:
    """The record number in 'Hinweis 7 erfasst' or 'Maßnahme 4 angelegt'."""
    return int(re.search(r"(?:Hinweis|Maßnahme) (\d+)", output).group(1))


def json_nulls(engine) -> dict[str, int]:
    """Per JSON column: how many rows hold SQL NULL (snapshot() cannot see the difference)."""
    counts = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, sqltypes.JSON):
                    counts[f"{table.name}.{column.name}"] = connection.execute(
                        select(func.count()).select_from(table).where(column.is_(None))
                    ).scalar_one()
    return counts


def backup_file(engine, uow, tmp_path):
    path = tmp_path / "sicherung.json"
    export_all(engine, uow(), "admin", path)
    return path


def test_export_all_then_import_all_reproduces_every_table_row_for_row(
        filled_everything, engine, fresh, tmp_path):
    path = backup_file(engine, filled_everything, tmp_path)
    result = import_all(fresh, path)
    assert result["rows"] == sum(row_counts(engine).values())
    assert snapshot(fresh) == snapshot(engine)
    assert json_nulls(fresh) == json_nulls(engine)
    assert 0 < json_nulls(engine)["status_changes.evidence"] < row_counts(engine)[
        "status_changes"]
    empty = {name for name, count in row_counts(engine).items() if not count}
    assert not empty & FILLED, "the fixture should fill these tables"


# The tables `filled` puts rows into; the backup itself covers every table.
FILLED = {"departments", "districts", "topics", "topic_departments", "users", "indicators",
          "indicator_values", "recommendations", "status_changes", "progress_updates", "events",
          "suggestions", "suggestion_outcomes", "measures", "measure_changes",
          "measure_districts", "recommendation_measures", "supersessions", "editions",
          "edition_items", "awareness_counts", "awareness_cards", "institutions",
          "measure_institutions"}


def test_the_backup_holds_every_table_of_the_schema(filled, engine, tmp_path):
    document = json.loads(backup_file(engine, filled, tmp_path).read_text(encoding="utf-8"))
    assert document["revision"] == head_revision()
    assert list(document["tables"]) == [t.name for t in Base.metadata.sorted_tables]


def test_after_a_restore_new_records_get_fresh_ids(filled, engine, fresh, tmp_path):
    import_all(fresh, backup_file(engine, filled, tmp_path))
    restored = cli_for(fresh.url.render_as_string(hide_password=False))
    # the proof is a token issued on the restored database: api_tokens gets a fresh id too
    result = restored("recommendation", "add", "--number", "77", "--title",
                      "nach der Wiederherstellung", "--district", "Osterfeld", "--department",
                      "3-1", user="planer")
    assert result.exit_code == 0, result.output
    result = restored("user", "add", "neu", "--name", "Neu", "--role", "committee")
    assert result.exit_code == 0, result.output


def test_a_restore_into_a_database_that_is_not_empty_is_refused(filled, engine, tmp_path):
    path = backup_file(engine, filled, tmp_path)
    before = snapshot(engine)
    with pytest.raises(DomainError, match=r"Die Zieldatenbank ist nicht leer \("):
        import_all(engine, path)
    assert snapshot(engine) == before


def only_columns(data: dict, table) -> dict:
    """A backup table reduced to the columns an older schema has (e.g. `users` before 0004's
    password and activity columns, which the migration then fills with their defaults)."""
    keep = [i for i, name in enumerate(data["columns"]) if name in table.columns]
    return {"columns": [data["columns"][i] for i in keep],
            "rows": [[row[i] for i in keep] for row in data["rows"]]}


def test_a_backup_of_an_older_schema_is_loaded_and_then_migrated(filled, engine, fresh,
                                                                 tmp_path):
    from alembic.script import ScriptDirectory

    from controlling.data.database import alembic_config

    revisions = [s.revision for s in ScriptDirectory.from_config(
        alembic_config()).walk_revisions()]
    if len(revisions) < 2:
        pytest.skip("es gibt nur einen Schema-Stand")
    oldest = revisions[-1]
    scratch = make_engine(f"sqlite:///{tmp_path / 'alt.db'}")
    from alembic import command

    with scratch.begin() as connection:
        command.upgrade(alembic_config(connection), oldest)
    old_tables = MetaData()
    old_tables.reflect(scratch)
    scratch.dispose()
    document = json.loads(backup_file(engine, filled, tmp_path).read_text(encoding="utf-8"))
    document["revision"] = oldest
    del document["checksum"]  # an older program wrote none
    document["tables"] = {name: only_columns(data, old_tables.tables[name])
                          for name, data in document["tables"].items()
                          if name in old_tables.tables}
    old = tmp_path / "alt.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    assert import_all(fresh, old)["migrated_to"] == head_revision()
    restored, original = snapshot(fresh), snapshot(engine)
    assert {n: restored[n] for n in old_tables.tables if n != "alembic_version"} == {
        n: original[n] for n in old_tables.tables if n != "alembic_version"}


def test_a_backup_from_a_newer_program_is_refused(filled, engine, fresh, tmp_path):
    path = backup_file(engine, filled, tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["revision"] = "9999"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DomainError, match="stammt von einer neueren Programmversion"):
        import_all(fresh, path)
    assert inspect(fresh).get_table_names() == []


def test_a_damaged_row_is_refused_before_anything_is_loaded(filled, engine, fresh, tmp_path):
    path = backup_file(engine, filled, tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["tables"]["recommendations"]["rows"][0][1] = "keine Zahl"
    damaged = tmp_path / "beschaedigt.json"
    damaged.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DomainError, match="Tabelle recommendations, Zeile 1: ungültiger Wert"):
        import_all(fresh, damaged)
    assert inspect(fresh).get_table_names() == []
    import_all(fresh, path)
    assert snapshot(fresh) == snapshot(engine)


@pytest.mark.parametrize("change", ["missing", "renamed"])
def test_a_backup_with_a_missing_or_renamed_column_is_refused(filled, engine, fresh, tmp_path,
                                                             change):
    path = backup_file(engine, filled, tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    table = document["tables"]["recommendations"]
    at = table["columns"].index("title")
    if change == "missing":
        del table["columns"][at]
        for row in table["rows"]:
            del row[at]
    else:
        table["columns"][at] = "titel"
    document["checksum"] = document_checksum(document)  # edited with care: only the column
    edited = tmp_path / "spalte.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DomainError, match="spalte.json passt nicht zum Schema-Stand: Tabelle "
                                          "recommendations: Spalten"):
        import_all(fresh, edited)
    assert inspect(fresh).get_table_names() == []


def test_a_contradictory_backup_is_refused_and_leaves_the_database_empty(
        filled, engine, fresh, tmp_path):
    path = backup_file(engine, filled, tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    rows = document["tables"]["progress_updates"]["rows"]
    rows.append(list(rows[0]))  # the same id twice
    document["checksum"] = document_checksum(document)  # the file is consistent in itself
    twice = tmp_path / "doppelt.json"
    twice.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DomainError, match="doppelt.json ist widersprüchlich \\(Tabelle "
                                          "progress_updates\\)"):
        import_all(fresh, twice)
    assert inspect(fresh).get_table_names() == []  # one transaction: not even the schema
    import_all(fresh, path)
    assert snapshot(fresh) == snapshot(engine)


def test_only_admins_export_everything(filled, engine, tmp_path):
    with pytest.raises(DomainError, match="Keine Berechtigung: planer .* eine Sicherung"):
        export_all(engine, filled(), "planer", tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


def test_an_existing_backup_file_is_not_overwritten_unless_forced(filled, engine, tmp_path):
    path = backup_file(engine, filled, tmp_path)
    with pytest.raises(DomainError, match="gibt es schon; mit --force ersetzen"):
        export_all(engine, filled(), "admin", path)
    assert export_all(engine, filled(), "admin", path, force=True)["rows"] > 0


def test_a_sqlite_backup_restores_into_postgresql(filled, engine, tmp_path):
    if engine.dialect.name != "sqlite" or not PG_URL:
        pytest.skip("braucht SQLite als Quelle und CONTROLLING_TEST_DATABASE_URL")
    path = backup_file(engine, filled, tmp_path)
    with scratch_postgres() as url:
        target = make_engine(url)
        import_all(target, path)
        assert snapshot(target) == snapshot(engine)
        assert json_nulls(target) == json_nulls(engine)
        target.dispose()


# backup FILE (SQLite online backup) -----------------------------------------------------------

def test_a_sqlite_backup_is_consistent_while_another_connection_holds_a_transaction(
        filled, engine, tmp_path):
    if engine.dialect.name != "sqlite":
        pytest.skip("die Online-Sicherung gibt es nur für SQLite")
    committed = snapshot(engine)
    other = sqlite3.connect(engine.url.database)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO districts (name, is_citywide) VALUES ('Unfertig', 0)")
    try:
        result = backup_sqlite(engine, UnitOfWork(engine), "admin", tmp_path / "kopie.db")
    finally:
        other.commit()
        other.close()
    copy = make_engine(f"sqlite:///{result['file']}")
    assert snapshot(copy) == committed
    with copy.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    copy.dispose()
    assert "Unfertig" in {row[1] for row in snapshot(engine)["districts"]}


def test_a_sqlite_backup_does_not_overwrite_unless_forced(filled, engine, tmp_path):
    if engine.dialect.name != "sqlite":
        pytest.skip("die Online-Sicherung gibt es nur für SQLite")
    target = tmp_path / "kopie.db"
    target.write_text("alt")
    with pytest.raises(DomainError, match="gibt es schon; mit --force ersetzen"):
        backup_sqlite(engine, UnitOfWork(engine), "admin", target)
    assert target.read_text() == "alt"
    backup_sqlite(engine, UnitOfWork(engine), "admin", target, force=True)
    assert target.read_bytes().startswith(b"SQLite format 3")


def test_the_sqlite_backup_is_for_admins(filled, engine, tmp_path):
    if engine.dialect.name != "sqlite":
        pytest.skip("die Online-Sicherung gibt es nur für SQLite")
    with pytest.raises(DomainError, match="Keine Berechtigung"):
        backup_sqlite(engine, UnitOfWork(engine), "bl31", tmp_path / "kopie.db")


def test_backup_refuses_postgresql_with_a_hint_to_pg_dump(filled, engine, tmp_path):
    if engine.dialect.name != "postgresql":
        pytest.skip("nur für PostgreSQL")
    with pytest.raises(DomainError, match="pg_dump"):
        backup_sqlite(engine, UnitOfWork(engine), "admin", tmp_path / "kopie.db")
