"""A downgrade never drops data silently: one that would drop tables or columns holding rows
refuses, naming them, unless forced (`alembic -x force=yes`); it changes nothing when it
refuses. Each revision's guard is tried on a database at that revision with one row of the
kind it would lose."""

import pytest
from alembic import command
from sqlalchemy import text

from controlling.data.database import alembic_config, current_revision, make_engine
from controlling.domain.errors import DomainError

CASES = {  # revision: (the one below, statements that give it data to lose, what is named)
    "0002": ("0001", [
        "INSERT INTO districts (id, name, is_citywide) VALUES (1, 'Osterfeld', false)",
        "INSERT INTO events (id, kind, title, district_id, held_on, date_precision, format, "
        "is_reference, is_example, created_at) VALUES (1, 'expert_dialogue', 'Dialog', 1, "
        "'2024-03-01', 'day', 'conference', false, false, '2024-03-01 00:00:00')"],
        "events (1 Zeilen)"),
    "0004": ("0003", [
        "INSERT INTO users (id, login, name, role, is_example, created_at, password_hash) "
        "VALUES (1, 'planer', 'Planer', 'planner', false, '2024-01-01 00:00:00', 'x')",
        "INSERT INTO sign_ins (id, recorded_at, login, channel, outcome) VALUES "
        "(1, '2024-03-01 00:00:00', 'planer', 'cli', 'success')"],
        "sign_ins (1 Zeilen), users.password_hash (1 Werte)"),
    "0007": ("0006", [
        "INSERT INTO signing_keys (id, purpose, secret, created_at) VALUES "
        "(1, 'update-workbook', 'ab', '2024-03-01 00:00:00')"],
        "Schlüssel der Aktualisierungsbögen"),
    "0009": ("0008", [
        "INSERT INTO users (id, login, name, role, is_example, created_at, email) VALUES "
        "(1, 'bl31', 'BL', 'committee', false, '2024-01-01 00:00:00', 'bl31@example.org')",
        "INSERT INTO mail_messages (id, kind, to_addresses, subject, body_text, body_html, "
        "created_at, attempts) VALUES (1, 'request', 'bl31@example.org', 'Abfrage', 'x', "
        "'<p>x</p>', '2024-03-01 00:00:00', 1)"],
        "mail_messages (1 Zeilen), users.email (1 Werte)"),
    "0010": ("0009", [
        "INSERT INTO districts (id, name, is_citywide) VALUES (1, 'Osterfeld', false)",
        "INSERT INTO quarters (id, name, district_id, shape) VALUES (1, 'Tackenberg', 1, "
        "'{\"type\": \"Polygon\", \"coordinates\": [[[6.87, 51.5], [6.88, 51.5], "
        "[6.88, 51.51], [6.87, 51.5]]]}')"],
        "quarters.shape (1 Werte)"),
    "0011": ("0010", [
        "INSERT INTO users (id, login, name, role, is_example, created_at) VALUES "
        "(1, 'planer', 'Planer', 'planner', false, '2024-01-01 00:00:00')",
        "INSERT INTO institutions (id, name, type, address, longitude, latitude, actor_id, "
        "created_at, notice_email, notices) VALUES (1, 'Stadtteilbüro', 'Büro', 'Weg 1', 6.88, "
        "51.5, 1, '2024-03-01 00:00:00', 'buero@example.org', true)"],
        "institutions.notice_email (1 Werte)"),
}


def migrate(engine, direction: str, target: str, force: bool = False) -> None:
    with engine.begin() as connection:
        config = alembic_config(connection)
        config.attributes["force"] = force
        getattr(command, direction)(config, target)


@pytest.fixture
def engine(empty_db_url):
    engine = make_engine(empty_db_url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("revision", list(CASES))
def test_a_downgrade_that_would_drop_rows_refuses_unless_forced(engine, revision):
    below, statements, named = CASES[revision]
    migrate(engine, "upgrade", revision)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    before = snapshot_of_tables(engine)
    with pytest.raises(DomainError, match=f"Zurück vor Schema-Stand {revision} würde") as error:
        migrate(engine, "downgrade", below)
    assert named in str(error.value)
    assert current_revision(engine) == revision
    assert snapshot_of_tables(engine) == before
    migrate(engine, "downgrade", below, force=True)
    assert current_revision(engine) == below


@pytest.mark.parametrize("revision", list(CASES))
def test_an_empty_database_downgrades_without_being_forced(engine, revision):
    below, _, _ = CASES[revision]
    migrate(engine, "upgrade", revision)
    migrate(engine, "downgrade", below)
    assert current_revision(engine) == below


def snapshot_of_tables(engine) -> dict:
    """Every row of every table as the database has it (the model may be newer)."""
    from sqlalchemy import MetaData

    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {name: sorted(map(tuple, connection.execute(table.select())), key=repr)
                for name, table in metadata.tables.items()}

