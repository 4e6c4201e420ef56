"""A recommendation superseded by a new one: it ends in the final status `superseded`, the link
is kept both ways (show, trace, JSON), only planners and admins may do it, and the quarterly
report counts it; on SQLite and PostgreSQL."""

import json
from datetime import date

import pytest

from controlling.services.quarterly import quarterly_report
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
    (("--by", 43, "--note", "n", "--on", "2099-01-01"), "liegt in der Zukunft"),
    (("--by", 43, "--note", "n", "--on", "gestern"), "Ungültiges Datum 'gestern'"),
])
def test_a_bad_supersession_is_refused_in_one_line_and_changes_nothing(two, args, phrase):
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
