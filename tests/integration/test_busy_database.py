"""A database another command is working on: a write waits at most
LOCK_TIMEOUT_SECONDS (SQLite's busy timeout, PostgreSQL's lock_timeout, which is infinite by
default) and then says in German that someone else is at it: on the command line (exit 1,
one line) and in the web API (503), never "Datenbank nicht erreichbar". Big imports and
exports ask with IN lists in pieces, so they never hit the databases' limit of variables."""

import sqlite3
import time
from datetime import date

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from controlling.data import database
from controlling.data.database import make_engine
from controlling.data.unit_of_work import UnitOfWork
from controlling.services.recommendations import add_recommendation

BUSY = ("Fehler: Die Datenbank wird gerade von einem anderen Vorgang bearbeitet, bitte erneut "
        "versuchen.\n")
WAIT = 0.3


@pytest.fixture
def short_wait(monkeypatch):
    monkeypatch.setattr(database, "LOCK_TIMEOUT_SECONDS", WAIT)


@pytest.fixture
def one(cli, people, uow):
    add_recommendation(uow(), "planer", number=1, title="Familienbüro", district="Osterfeld",
                       department="3-1", on=date(2024, 1, 10))
    return cli


class held_lock:
    """Another process at work: on SQLite an exclusive transaction (no reader, no writer
    gets in), on PostgreSQL the row of recommendation 1 locked FOR UPDATE."""

    def __init__(self, url: str):
        self.url = url

    def __enter__(self):
        if self.url.startswith("sqlite"):
            self.connection = sqlite3.connect(self.url.removeprefix("sqlite:///"),
                                              isolation_level=None)
            self.connection.execute("BEGIN EXCLUSIVE")
        else:
            self.engine = make_engine(self.url)
            self.connection = self.engine.connect()
            self.connection.execute(text(
                "SELECT id FROM recommendations WHERE number = 1 FOR UPDATE"))
        return self

    def __exit__(self, *exc_info):
        self.connection.rollback()
        self.connection.close()
        if not self.url.startswith("sqlite"):
            self.engine.dispose()


def test_the_lock_timeout_is_set_on_every_connection(engine, short_wait):
    fresh = make_engine(engine.url.render_as_string(hide_password=False))
    with fresh.connect() as connection:
        if fresh.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 300
        else:
            assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "300ms"
    fresh.dispose()


def test_the_default_wait_is_fifteen_seconds():
    assert database.LOCK_TIMEOUT_SECONDS == 15


def test_a_write_waiting_for_a_lock_gives_up_in_german_after_the_timeout(one, short_wait):
    with held_lock(one.url):
        started = time.monotonic()
        result = one("recommendation", "reject", 1, "--reason", "kein Bedarf", user="planer")
        waited = time.monotonic() - started
    assert result.exit_code == 1 and result.stderr == BUSY
    assert WAIT <= waited < 10
    assert "Traceback" not in result.output
    after = one("recommendation", "reject", 1, "--reason", "kein Bedarf", user="planer")
    assert after.exit_code == 0, after.output


def test_a_read_during_an_exclusive_sqlite_transaction_is_busy_not_unreachable(one, short_wait):
    if not one.url.startswith("sqlite"):
        pytest.skip("PostgreSQL readers never wait for writers")
    with held_lock(one.url):
        for args in (("status",), ("recommendation", "list")):
            result = one(*args, user="ausschuss")
            assert result.exit_code == 1 and result.stderr == BUSY, result.output
            assert "nicht erreichbar" not in result.stderr


def test_a_read_on_postgresql_does_not_wait_for_a_locked_row(one, short_wait):
    if one.url.startswith("sqlite"):
        pytest.skip("PostgreSQL only")
    with held_lock(one.url):
        result = one("recommendation", "show", 1, user="ausschuss")
    assert result.exit_code == 0, result.output


def test_the_api_answers_503_with_the_german_reason_while_the_row_is_locked(one, short_wait):
    from controlling.services.accounts import create_token
    from controlling.web.app import create_app

    engine = make_engine(one.url)
    token = create_token(UnitOfWork(engine), "planer", name="Test")["token"]
    engine.dispose()
    app = create_app(one.url, secret="tests-only-secret-key-" + "x" * 32)
    client = TestClient(app)
    with held_lock(one.url):
        response = client.post("/api/v1/recommendations/1/reject", json={"reason": "kein Bedarf"},
                               headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    assert response.json() == {"error": BUSY.removeprefix("Fehler: ").strip()}
    app.state.web.engine.dispose()


# IN lists in pieces -------------------------------------------------------------------------

def test_a_lookup_of_seventy_thousand_numbers_stays_below_the_variable_limits(uow):
    """SQLite allows 32,766 bound variables, PostgreSQL 65,535."""
    with uow() as work:
        assert work.repo.existing_numbers(set(range(1, 70_001))) == set()


def test_the_latest_progress_of_seventy_thousand_ids_is_asked_in_pieces(uow):
    from controlling.services.exports import latest_progress

    with uow() as work:
        assert latest_progress(work.session, range(1, 70_001)) == {}


def test_an_import_with_forty_thousand_bad_rows_gives_the_problem_list(cli, people, tmp_path):
    path = tmp_path / "gross.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("number,title,district,department\n")
        handle.writelines(f"{n},Titel {n},Atlantis,3-1\n" for n in range(1, 40_001))
    result = cli("import", "recommendations", path, user="planer")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == ("Fehler: Import von gross.csv abgelehnt, nichts wurde geschrieben "
                        "(40000 Probleme):")
    assert lines[1] == "  Zeile 2: unbekannter Sozialraum 'Atlantis'."
    assert "too many SQL variables" not in result.output
