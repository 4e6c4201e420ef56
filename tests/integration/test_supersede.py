"""A recommendation superseded by a new one: it ends in the final status `superseded`, the link
is kept both ways (show, trace, JSON), only planners and admins may do it, and the quarterly
report counts it; on SQLite and PostgreSQL."""

import json
from datetime import date

import pytest

from controlling.services.quarterly import quarterly_report
from tests.conftest import TOMORROW, on_tomorrow
from tests.instruments_support import ok, snapshot_of


def show(cli, number, what="show"):
    args = ("recommendation", "show", number) if what == "show" else ("trace", number)
    return json.loads(ok(cli(*args, "--format", "json", user="ausschuss")).stdout)


@pytest.fixture
def two(cli, people):
    """7: an approved extension of 3-1; 43: its new version, proposed."""
    ok(cli("recommendation", "add", "--number", 7, "--title", "Familienbüro verlängern",
           "--district", "Osterfeld", "--department", "3-1", "--kind", "extension",
           "--on", "2024-01-10", user="planer"))
    ok(cli("recommendation", "approve", 7, "--on", "2024-01-20", user="bl31"))
    ok(cli("progress", 7, "--quarter", "2024-Q1", "--light", "green", "--note", "läuft",
           "--on", "2024-02-01", user="bl31"))
    ok(cli("recommendation", "add", "--number", 43, "--title", "Familienbüro verstetigen",
           "--district", "Osterfeld", "--department", "3-1", "--kind", "permanence",
           "--on", "2024-03-01", user="planer"))
    return cli


def test_the_old_one_ends_superseded_and_both_show_the_link(two):
    result = ok(two("recommendation", "supersede", 7, "--by", 43, "--note",
                    "Neufassung Februar 2023", "--on", "2024-03-05", user="planer"))
    assert result.stdout.strip() == ("Empfehlung 7: freigegeben → ersetzt durch Empfehlung 43 "
                                     "(wirksam 05.03.2024).")
    old, new = show(two, 7), show(two, 43)
    assert (old["status"], old["superseded_by"], old["supersedes"]) == ("superseded", 43, [])
    assert (new["status"], new["superseded_by"], new["supersedes"]) == ("proposed", None, [7])
    last = old["history"][-1]
    assert (last["from_status"], last["to_status"], last["note"], last["effective_on"]) == (
        "approved", "superseded", "Neufassung Februar 2023", "2024-03-05")
    assert last["source"] == "ersetzt durch Empfehlung 43"
    assert old["progress"][0]["note"] == "läuft"  # the tracking so far is kept
    assert old["next_actions"] == []
    assert show(two, 7, "trace")["superseded_by"] == 43
    assert show(two, 43, "trace")["supersedes"] == [7]
    text = ok(two("recommendation", "show", 7, user="ausschuss")).stdout
    assert "Status: ersetzt" in text and "ersetzt durch Empfehlung 43" in text
    assert "ersetzt Empfehlung 7" in ok(two("recommendation", "show", 43)).stdout
    assert "ersetzt durch Empfehlung 43" in ok(two("trace", 7)).stdout


def test_tracking_goes_on_at_the_successor_which_may_replace_several(two):
    ok(two("recommendation", "add", "--number", 8, "--title", "Zweites Angebot", "--district",
           "Osterfeld", "--department", "3-1", "--on", "2024-01-10", user="planer"))
    ok(two("recommendation", "supersede", 7, "--by", 43, "--note", "n", "--on", "2024-03-02",
           user="planer"))
    ok(two("recommendation", "supersede", 8, "--by", 43, "--note", "n", "--on", "2024-03-02",
           user="admin"))
    assert show(two, 43)["supersedes"] == [7, 8]
    ok(two("recommendation", "approve", 43, "--on", "2024-03-10", user="bl31"))
    ok(two("progress", 43, "--quarter", "2024-Q2", "--light", "yellow", "--note", "weiter",
           "--on", "2024-04-02", user="bl31"))
    assert show(two, 43)["progress"][0]["note"] == "weiter"


def test_superseded_is_final(two):
    ok(two("recommendation", "supersede", 7, "--by", 43, "--note", "n", user="planer"))
    before = snapshot_of(two)
    for args, user in ((("recommendation", "implement", 7, "--note", "x"), "planer"),
                       (("recommendation", "supersede", 7, "--by", 43, "--note", "x"), "planer"),
                       (("progress", 7, "--quarter", "2024-Q2", "--light", "red", "--note",
                         "x"), "bl31")):
        result = two(*args, user=user)
        assert result.exit_code == 1 and result.stderr.startswith("Fehler: ")
    assert "'ersetzt' ist ein Endstatus" in two(
        "recommendation", "implement", 7, "--note", "x", user="planer").stderr
    assert snapshot_of(two) == before


@pytest.mark.parametrize(("user", "phrase"), [
    ("bl31", "Keine Berechtigung: bl31 (Bereichsleitung 3-1) darf Empfehlung 7 nicht durch "
             "eine neue Empfehlung ersetzen"),
    ("ausschuss", "Keine Berechtigung: ausschuss (committee)"),
    ("bl32", "Keine Berechtigung: bl32"),
])
def test_only_planners_and_admins_supersede(two, user, phrase):
    before = snapshot_of(two)
    result = two("recommendation", "supersede", 7, "--by", 43, "--note", "n", user=user)
    assert result.exit_code == 1 and result.stdout == ""
    assert phrase in result.stderr and "Sozialplanung (planner) oder Administration" in (
        result.stderr)
    assert snapshot_of(two) == before


@pytest.mark.parametrize(("args", "phrase"), [
    (("--by", 7, "--note", "n"), "kann sich nicht selbst ersetzen"),
    (("--by", 999, "--note", "n"), "Unbekannte Empfehlung Nummer 999"),
    (("--by", 43, "--note", "  "), "ist ein Vermerk (--note) nötig"),
    (("--by", 43, "--note", "n", "--on", "2024-02-20"), "gibt es erst ab 01.03.2024"),
    (("--by", 43, "--note", "n", "--on", "2024-01-15"), "liegt vor der letzten Änderung"),
    (("--by", 43, "--note", "n", "--on", TOMORROW), "liegt in der Zukunft"),
    (("--by", 43, "--note", "n", "--on", "gestern"), "Ungültiges Datum 'gestern'"),
])
def test_a_bad_supersession_is_refused_in_one_line_and_changes_nothing(two, args, phrase,
                                                                      today_is):
    args = on_tomorrow(args, today_is(date(2024, 7, 5)))
    before = snapshot_of(two)
    result = two("recommendation", "supersede", 7, *args, user="planer")
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert message.startswith("Fehler: ") and "\n" not in message and phrase in message, message
    assert snapshot_of(two) == before


def test_a_rejected_or_superseded_recommendation_cannot_be_the_successor(two):
    ok(two("recommendation", "add", "--number", 9, "--title", "Neu", "--district", "Osterfeld",
           "--department", "3-1", "--on", "2024-01-10", user="planer"))
    ok(two("recommendation", "reject", 9, "--reason", "kein Bedarf", user="planer"))
    refused = two("recommendation", "supersede", 7, "--by", 9, "--note", "n", user="planer")
    assert "Empfehlung 9 ist 'abgelehnt' und kann Empfehlung 7 nicht ersetzen" in refused.stderr
    ok(two("recommendation", "supersede", 43, "--by", 7, "--note", "n", user="planer"))
    refused = two("recommendation", "add", "--number", 10, "--title", "t", "--district",
                  "Osterfeld", "--department", "3-1", user="planer")
    ok(refused)
    refused = two("recommendation", "supersede", 10, "--by", 43, "--note", "n", user="planer")
    assert "Empfehlung 43 ist 'ersetzt'" in refused.stderr


def test_the_quarterly_report_counts_superseded_as_a_status_of_its_own(two, uow):
    ok(two("recommendation", "supersede", 7, "--by", 43, "--note", "n", "--on", "2024-03-05",
           user="planer"))
    report = quarterly_report(uow(), "ausschuss", "2024-Q1").to_dict()
    assert report["totals"] == {"proposed": 1, "statistically_supported": 0, "approved": 0,
                                "implemented": 0, "rejected": 0, "superseded": 1}
    assert report["by_district"]["Osterfeld"]["superseded"] == 1
    assert report["change"]["superseded"] == 1 and report["lights"]["none"] == 0
    assert {"number": 7, "from_status": "approved", "to_status": "superseded",
            "effective_on": "2024-03-05"}.items() <= report["transitions"][-1].items()
    previous = quarterly_report(uow(), "ausschuss", "2023-Q4").to_dict()
    assert previous["totals"]["superseded"] == 0
    assert date(2024, 3, 5).isoformat() in json.dumps(report)


# The race of two supersessions: both rows locked in a fixed order, the successor re-read --------

@pytest.fixture
def chain(cli, people, uow):
    """1: approved; 2 and 3: proposed, all of 3-1, so 1 may be replaced by 2 and 2 by 3."""
    from controlling.services.recommendations import add_recommendation, change_status

    for number in (1, 2, 3):
        add_recommendation(uow(), "planer", number=number, title=f"Empfehlung {number}",
                           district="Osterfeld", department="3-1", kind="extension",
                           on=date(2024, 1, 10))
    change_status(uow(), "bl31", 1, "approve", on=date(2024, 2, 1))
    return cli


def supersede(engine, number: int, successor: int):
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.services.recommendations import change_status

    return change_status(UnitOfWork(engine), "planer", number, "supersede",
                         successor=successor, note="Neufassung", on=date(2024, 3, 1))


def statuses(engine) -> dict[int, str]:
    from sqlalchemy import text

    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT number, status FROM recommendations")).all())


def replaced_by_a_replaced_one(engine) -> list[tuple[int, int]]:
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.execute(text(
            "SELECT old.number, new.number FROM supersessions s "
            "JOIN recommendations old ON old.id = s.recommendation_id "
            "JOIN recommendations new ON new.id = s.successor_id "
            "WHERE new.status = 'superseded'")).all()


@pytest.fixture
def other_engine(db_url):
    from controlling.data.database import make_engine

    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def meanwhile(engine, action):
    """Run `action` once, right before the first statement that writes or locks on `engine`:
    what a command that commits while the other one waits for its lock does."""
    from sqlalchemy import event

    done = []

    def before(_connection, _cursor, statement, *_args):
        words = statement.lstrip().upper()
        if not done and (words.startswith(("UPDATE", "INSERT", "DELETE"))
                         or "FOR UPDATE" in words):
            done.append(statement)
            action()

    event.listen(engine, "before_cursor_execute", before)
    return done


def test_a_supersession_that_waited_sees_its_successor_replaced_meanwhile(chain, engine,
                                                                          other_engine):
    from controlling.domain.errors import TransitionRefused

    ran = meanwhile(engine, lambda: supersede(other_engine, 2, 3))
    with pytest.raises(TransitionRefused) as refused:
        supersede(engine, 1, 2)
    assert ran
    assert str(refused.value) == ("Empfehlung 2 ist 'ersetzt' und kann Empfehlung 1 nicht "
                                  "ersetzen; möglich ist eine Empfehlung, die noch gilt.")
    assert statuses(engine) == {1: "approved", 2: "superseded", 3: "proposed"}
    assert replaced_by_a_replaced_one(engine) == []


def test_two_supersessions_of_each_other_cannot_both_succeed(chain, engine, other_engine):
    from controlling.domain.errors import TransitionRefused

    meanwhile(engine, lambda: supersede(other_engine, 3, 2))
    with pytest.raises(TransitionRefused, match="Empfehlung 3 ist 'ersetzt'"):
        supersede(engine, 2, 3)
    assert statuses(engine) == {1: "approved", 2: "proposed", 3: "superseded"}


def test_the_recommendation_itself_changed_meanwhile_is_a_stale_edit(chain, engine,
                                                                     other_engine):
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.domain.errors import StaleEdit
    from controlling.services.recommendations import record_progress

    meanwhile(engine, lambda: record_progress(
        UnitOfWork(other_engine), "bl31", 1, quarter="2024-Q1", light="green", note="läuft",
        on=date(2024, 2, 15)))
    with pytest.raises(StaleEdit):
        supersede(engine, 1, 2)
    assert statuses(engine)[1] == "approved"


def test_on_postgresql_the_waiting_supersession_is_refused_after_the_other_commits(
        chain, engine, other_engine):
    """Two real transactions: `supersede 1 --by 2` waits for row 1 (held by a third
    connection) while `supersede 2 --by 3` commits; then the first one gets its locks."""
    import threading
    import time

    from sqlalchemy import text

    from controlling.domain.errors import TransitionRefused

    if engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serialises writers: see the test above)")
    blocker = other_engine.connect()
    blocker.execute(text("SELECT id FROM recommendations WHERE number = 1 FOR UPDATE"))
    outcome = {}

    def first():
        try:
            outcome["result"] = supersede(engine, 1, 2)
        except Exception as error:  # noqa: BLE001 - handed to the main thread
            outcome["error"] = error

    thread = threading.Thread(target=first)
    thread.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with other_engine.connect() as look:
            waiting = look.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()")).scalar()
        if waiting:
            break
        time.sleep(0.05)
    assert waiting, "the first supersession never waited for its lock"
    supersede(other_engine, 2, 3)  # commits while the first one waits
    blocker.rollback()
    blocker.close()
    thread.join(timeout=20)
    assert not thread.is_alive()
    assert isinstance(outcome.get("error"), TransitionRefused), outcome
    assert "Empfehlung 2 ist 'ersetzt'" in str(outcome["error"])
    assert replaced_by_a_replaced_one(engine) == []
    assert statuses(engine) == {1: "approved", 2: "superseded", 3: "proposed"}
