"""History append-only in the database: plain SQL UPDATE, DELETE (and on
PostgreSQL TRUNCATE) and SQLAlchemy bulk update()/delete() are refused on every history table
and on the chain, by the triggers of migrations 0005 and 0006; on PostgreSQL an application
role set up by `controlling db roles` cannot even try, nor change the schema."""

import uuid

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from controlling.data.database import make_engine
from controlling.data.models import HISTORY_TABLES, Base
from controlling.data.unit_of_work import UnitOfWork
from controlling.domain.integrity import CHAIN_TABLE, HEAD_TABLE, key_column
from tests.conftest import cli_for
from tests.integrity_support import (
    correct_a_recommendation,
    count_rows,
    fill_every_history_table,
)

PROTECTED = (*HISTORY_TABLES, CHAIN_TABLE)


def rows(engine, table: str) -> list[tuple]:
    with engine.connect() as connection:
        return sorted(map(tuple, connection.execute(text(f"SELECT * FROM {table}")).all()),
                      key=repr)


@pytest.fixture(scope="module")
def filled(module_engine):
    fill_every_history_table(lambda: UnitOfWork(module_engine))
    correct_a_recommendation(lambda: UnitOfWork(module_engine))
    return module_engine


def test_every_protected_table_has_rows_to_refuse_changes_of(filled):
    assert {table: count_rows(filled, table) > 0 for table in PROTECTED} == dict.fromkeys(
        PROTECTED, True)


@pytest.mark.parametrize("table", PROTECTED)
@pytest.mark.parametrize("statement", ["UPDATE {table} SET {key} = {key}",
                                       "DELETE FROM {table}"])
def test_plain_sql_cannot_rewrite_or_delete_history(filled, table, statement):
    before = rows(filled, table)
    sql = statement.format(table=table, key="seq" if table == CHAIN_TABLE else key_column(table))
    with pytest.raises(DBAPIError, match=f"{table} is append-only"), \
            filled.begin() as connection:
        connection.execute(text(sql))
    assert rows(filled, table) == before


@pytest.mark.parametrize("table", PROTECTED)
@pytest.mark.parametrize("kind", ["update", "delete"])
def test_sqlalchemy_bulk_statements_cannot_rewrite_or_delete_history(filled, table, kind):
    """Bulk update()/delete() bypass the ORM's before_update/before_delete guard; the
    database refuses them."""
    model = next(m.class_ for m in Base.registry.mappers if m.local_table.name == table)
    column = getattr(model, "seq" if table == CHAIN_TABLE else key_column(table))
    statement = (update(model).values({column: column}) if kind == "update"
                 else delete(model)).execution_options(synchronize_session=False)
    before = rows(filled, table)
    with pytest.raises(DBAPIError, match="append-only"), UnitOfWork(filled) as uow:
        uow.session.execute(statement)
        uow.commit()
    assert rows(filled, table) == before


def test_the_chain_head_may_move_but_not_disappear(filled):
    before = rows(filled, HEAD_TABLE)
    with pytest.raises(DBAPIError, match=f"{HEAD_TABLE} is append-only"), \
            filled.begin() as connection:
        connection.execute(text(f"DELETE FROM {HEAD_TABLE}"))
    assert rows(filled, HEAD_TABLE) == before


@pytest.mark.parametrize("table", [*PROTECTED, HEAD_TABLE])
def test_truncate_is_refused_on_postgresql(filled, table):
    if filled.dialect.name != "postgresql":
        pytest.skip("TRUNCATE gibt es nur auf PostgreSQL")
    before = rows(filled, table)
    with pytest.raises(DBAPIError, match="append-only"), filled.begin() as connection:
        connection.execute(text(f"TRUNCATE {table} CASCADE"))
    assert rows(filled, table) == before


# PostgreSQL: an application role without UPDATE/DELETE on history and without DDL ----------

@pytest.fixture
def app_role(db_url, people):
    """An application role with exactly the grants `controlling db roles` prints, applied by
    the owner (here the test's superuser, as after `init`)."""
    if not db_url.startswith("postgresql"):
        pytest.skip("Rollen gibt es nur auf PostgreSQL")
    from controlling.data.roles import grant_statements

    name = f"controlling_app_{uuid.uuid4().hex[:8]}"
    owner = make_engine(db_url)
    with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE ROLE "{name}" LOGIN'))
        for statement in grant_statements(name):
            connection.execute(text(statement))
    url = make_url(db_url).set(username=name).render_as_string(hide_password=False)
    yield url
    with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP OWNED BY "{name}"'))
        connection.execute(text(f'DROP ROLE "{name}"'))
    owner.dispose()


def test_the_program_works_as_the_application_role(app_role):
    run = cli_for(app_role)
    result = run("recommendation", "add", "--number", "41", "--title", "Als Anwendungsrolle",
                 "--district", "Osterfeld", "--department", "3-1", user="planer")
    assert result.exit_code == 0, result.output
    result = run("recommendation", "reject", "41", "--reason", "kein Bedarf", user="bl31")
    assert result.exit_code == 0, result.output  # a status change: history, chain and head
    result = run("recommendation", "approve", "41", user="bl31")
    assert result.exit_code == 1  # a rule, not a database error
    assert "Statuswechsel abgelehnt" in result.stderr
    result = run("verify", user="planer")
    assert result.exit_code == 0, result.stderr


FORBIDDEN = (
    "UPDATE status_changes SET note = 'gefälscht'",
    "DELETE FROM progress_updates",
    "DELETE FROM history_chain",
    "TRUNCATE sign_ins",
    "ALTER TABLE status_changes DISABLE TRIGGER USER",
    "DROP TRIGGER tr_status_changes_append_only ON status_changes",
    "CREATE TABLE nebenbei (id integer)",
    "ALTER TABLE recommendations ADD COLUMN nebenbei integer",
    "DELETE FROM history_chain_head",
)


def test_the_application_role_can_neither_rewrite_history_nor_change_the_schema(app_role):
    engine = make_engine(app_role)
    refused = []
    try:
        for statement in FORBIDDEN:  # one database for all: its set-up is the slow part
            try:
                with engine.begin() as connection:
                    connection.execute(text(statement))
            except DBAPIError as error:
                if "permission denied" in str(error) or "must be owner" in str(error):
                    refused.append(statement)
    finally:
        engine.dispose()
    assert refused == list(FORBIDDEN)


def test_the_application_role_reads_the_schema_version_but_init_cannot_migrate_as_it(
        app_role):
    from controlling.data.database import check_schema_current, upgrade_to_head

    engine = make_engine(app_role)
    try:
        check_schema_current(engine)  # the program's check before every command
        with pytest.raises(DBAPIError, match="permission denied|must be owner"):
            with engine.begin() as connection:
                connection.execute(text("CREATE TABLE alembic_probe (id integer)"))
        upgrade_to_head(engine)  # nothing to migrate: harmless as the application role
    finally:
        engine.dispose()
