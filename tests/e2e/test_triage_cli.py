"""Events, suggestions, triage, measure profiles, expiring offers and trace, as typed."""

import json

import click
import pytest

from controlling.cli import cli as root


@pytest.fixture
def ready(cli, people, tmp_path):
    """Reference events and an indicator, loaded as a planner would."""
    assert cli("event", "load-reference", user="planer").exit_code == 0
    values = tmp_path / "sozialindex.csv"
    values.write_text("indicator,district,year,value\nquote,stadtweit,2022,17\n"
                      "quote,Osterfeld,2022,20\nquote,Sterkrade-Nord,2022,9\n", encoding="utf-8")
    assert cli("import", "indicators", values, user="planer").exit_code == 0
    return cli


def ok(result):
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def refused(result, text):
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Fehler: ") and text in result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def event_id(cli, district, round_):
    rows = json.loads(ok(cli("event", "list", "--district", district, "--format", "json")))
    return next(e["id"] for e in rows if e["round"] == round_)


def test_a_suggestion_walks_from_the_dialogue_to_a_traced_recommendation(ready):
    cli = ready
    osterfeld = event_id(cli, "Osterfeld", 2)
    out = ok(cli("suggestion", "add", "--event", osterfeld, "--text", "Familienzentrum fehlt",
                 "--topic", "Jugend", "--institution-kind", "Kita", user="planer"))
    assert out.startswith("Hinweis 1 erfasst (Osterfeld).")
    assert "1 " in ok(cli("suggestion", "list", "--open"))
    out = ok(cli("suggestion", "triage", 1, "missing", "--department", "3-1", "--indicator",
                 "quote", "--on", "2024-01-10", user="planer"))
    assert "Hinweis 1: nicht vorhanden." in out
    assert "Empfehlung 1 (neu): Familienzentrum fehlt – statistisch gestützt" in out
    ok(cli("recommendation", "approve", 1, "--on", "2024-02-01", user="bl31"))
    ok(cli("progress", 1, "--quarter", "2024-Q1", "--light", "yellow", "--note", "Räume gesucht",
           "--on", "2024-03-01", user="bl31"))

    tree = ok(cli("trace", 1, user="ausschuss"))
    for part in ("Empfehlung 1: Familienzentrum fehlt – freigegeben", "Herkunft",
                 "Veranstaltung", "Expert*innendialog im Sozialraum Osterfeld (Runde 2), "
                 "28.09.2023", "Hinweis 1: „Familienzentrum fehlt“ → nicht vorhanden",
                 "Statusverlauf", "vorgeschlagen → statistisch gestützt (planer) – Beleg: quote "
                 "2022: 20 ggü. stadtweit 17", "[Triage Hinweis 1]", "Sachstände",
                 "2024-Q1 gelb: Räume gesucht (bl31, 01.03.2024)"):
        assert part in tree, part
    data = json.loads(ok(cli("trace", 1, "--format", "json")))
    assert data["number"] == 1 and data["status"] == "approved"
    assert [e["id"] for e in data["events"]] == [osterfeld]
    assert [s["id"] for s in data["suggestions"]] == [1]
    assert len(data["history"]) == 3 and len(data["progress"]) == 1
    assert ok(cli("suggestion", "list", "--open")).strip() == "Keine Hinweise."


def test_a_time_limited_offer_is_linked_and_listed_as_expiring_until_proposed(ready):
    cli = ready
    ok(cli("measure", "add", "--title", "Lotsenprojekt", "--department", "3-4", "--district",
           "Osterfeld", "--ends-on", "2024-06-30", "--contact-role", "Koordination Lotsen",
           user="planer"))
    listed = json.loads(ok(cli("measure", "expiring", "--within", "6m", "--as-of", "2024-01-01",
                               "--format", "json")))
    assert [m["id"] for m in listed["measures"]] == [1]
    out = ok(cli("measure", "expiring", "--within", "6m", "--as-of", "2024-01-01", "--propose",
                 user="planer"))
    assert "Empfehlung 1 vorgeschlagen: Verlängerung: Lotsenprojekt (Osterfeld)." in out
    out = ok(cli("measure", "expiring", "--within", "6m", "--as-of", "2024-01-01"))
    assert "Keine Maßnahme ohne Folgeempfehlung endet bis 01.07.2024." in out
    assert json.loads(ok(cli("measure", "show", 1, "--format", "json")))[
        "recommendations"] == [1]


def test_department_heads_edit_their_own_profiles_and_committee_members_nothing(ready):
    cli = ready
    ok(cli("measure", "add", "--title", "Familienbüro", "--department", "3-1", "--district",
           "Osterfeld", user="planer"))
    out = ok(cli("measure", "edit", 1, "--status", "läuft", "--reason", "Quartal",
                 "--expect-version", 1, user="bl31"))
    assert out.strip() == "Maßnahme 1 geändert (Umsetzungsstand); Version 2."
    refused(cli("measure", "edit", 1, "--status", "x", "--reason", "x", user="bl32"),
            "Bereichsleitung von 3-1")
    refused(cli("measure", "edit", 1, "--status", "x", "--reason", "x", user="ausschuss"),
            "Keine Berechtigung")
    refused(cli("measure", "edit", 1, "--status", "y", "--reason", "x", "--expect-version", 1,
                user="planer"), "in der Zwischenzeit")
    refused(cli("suggestion", "add", "--event", 1, "--text", "x", user="ausschuss"),
            "Keine Berechtigung")
    refused(cli("event", "load-reference", user="ausschuss"), "Keine Berechtigung")


@pytest.mark.parametrize(("args", "message"), [
    (["suggestion", "add", "--event", 999, "--text", "x"], "Unbekannte Veranstaltung 999"),
    (["suggestion", "add", "--event", 99999999999, "--text", "x"],
     "Unbekannte Veranstaltung 99999999999"),
    (["suggestion", "triage", 42, "missing"], "Unbekannter Hinweis 42"),
    (["suggestion", "carry-over", "--district", "Atlantis"], "Unbekannter Sozialraum"),
    (["measure", "expiring", "--within", "6x"], "Ungültiger Zeitraum '6x'"),
    (["measure", "expiring", "--within", "6m", "--as-of", "gestern"],
     "Ungültiges Datum (--as-of) 'gestern'"),
    (["measure", "add", "--title", "x", "--department", "3-1", "--district", "Osterfeld",
      "--contact-role", "info@example.org"], "E-Mail-Adresse"),
    (["measure", "add", "--title", "x", "--department", "3-1"], "mindestens einen Sozialraum"),
    (["measure", "show", 7], "Unbekannte Maßnahme 7"),
    (["event", "add", "--district", "Osterfeld", "--date", "31.02.2024"], "Ungültiges Datum"),
    (["trace", 5], "Unbekannte Empfehlung Nummer 5"),
])
def test_bad_input_gives_a_german_one_line_reason_and_no_traceback(ready, args, message):
    stderr = refused(ready(*args, user="planer"), message)
    assert len(stderr.strip().splitlines()) == 1


def test_a_malformed_import_lists_every_line_and_writes_nothing(ready, tmp_path):
    path = tmp_path / "hinweise.csv"
    path.write_text("event,text\n8,Treff\n8,\nabc,Treff\n", encoding="utf-8")
    stderr = refused(ready("suggestion", "import", path, user="planer"), "nichts wurde geschrieben")
    assert "Zeile 3: Text fehlt." in stderr and "Zeile 4: Veranstaltung 'abc'" in stderr
    assert ok(ready("suggestion", "list")).strip() == "Keine Hinweise."


def test_an_unknown_outcome_is_a_usage_error(ready):
    result = ready("suggestion", "triage", 1, "vielleicht", user="planer")
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def _commands(group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


@pytest.mark.parametrize(("path", "command"), [
    pair for pair in _commands(root) if pair[0][0] in ("event", "suggestion", "measure", "trace")
], ids=lambda value: " ".join(value) if isinstance(value, tuple) else "")
def test_every_command_of_this_part_has_german_help_with_an_example(path, command):
    assert command.help and "Beispiel:" in command.help, path


def test_json_output_is_a_single_document(ready):
    for args in (["event", "list"], ["suggestion", "list"], ["measure", "list"],
                 ["suggestion", "carry-over", "--district", "Osterfeld"],
                 ["measure", "expiring", "--within", "1y"], ["event", "show", 1]):
        json.loads(ok(ready(*args, "--format", "json")))


def test_trace_shows_every_step_of_a_long_history_as_tree_and_json(ready):
    cli = ready
    first, second = event_id(cli, "Osterfeld", 1), event_id(cli, "Osterfeld", 2)
    ok(cli("suggestion", "add", "--event", first, "--text", "Familienzentrum fehlt",
           "--topic", "Jugend", user="planer"))
    ok(cli("suggestion", "add", "--event", second, "--text", "Familienzentrum fehlt weiterhin",
           "--topic", "Jugend", user="planer"))
    ok(cli("suggestion", "triage", 1, "missing", "--department", "3-1", "--on", "2022-01-10",
           user="planer"))
    ok(cli("suggestion", "check", 1, "--indicator", "quote", "--on", "2022-02-01",
           user="planer"))
    ok(cli("suggestion", "triage", 2, "missing", "--recommendation", 1, "--on", "2023-10-02",
           user="planer"))
    ok(cli("measure", "add", "--title", "Familienzentrum Osterfeld", "--department", "3-1",
           "--district", "Osterfeld", user="planer"))
    ok(cli("measure", "link", 1, "--recommendation", 1, user="planer"))
    ok(cli("recommendation", "approve", 1, "--on", "2023-11-01", user="bl31"))
    quarters = [("2024-Q1", "green", "2024-03-01"), ("2024-Q2", "yellow", "2024-06-01"),
                ("2024-Q3", "red", "2024-09-01"), ("2024-Q4", "green", "2024-12-01")]
    for quarter, light, on in quarters:
        ok(cli("progress", 1, "--quarter", quarter, "--light", light, "--note", f"Stand {quarter}",
               "--on", on, user="planer"))
    ok(cli("recommendation", "implement", 1, "--note", "eröffnet", "--on", "2025-01-15",
           user="planer"))

    tree = ok(cli("trace", 1))
    for part in ("(Runde 1), 11/2021", "(Runde 2), 28.09.2023",
                 "Hinweis 1: „Familienzentrum fehlt“", "Hinweis 2: „Familienzentrum fehlt "
                 "weiterhin“", "Maßnahme 1: Familienzentrum Osterfeld (3-1; Osterfeld; "
                 "unbefristet)", "10.01.2022: – → vorgeschlagen", "01.02.2022: vorgeschlagen → "
                 "statistisch gestützt", "01.11.2023: statistisch gestützt → freigegeben (bl31)",
                 "15.01.2025: freigegeben → umgesetzt (planer) – eröffnet",
                 *(f"{q} " for q, _, _ in quarters)):
        assert part in tree, part
    data = json.loads(ok(cli("trace", 1, "--format", "json")))
    assert [e["id"] for e in data["events"]] == [first, second]
    assert [s["id"] for s in data["suggestions"]] == [1, 2]
    assert [m["id"] for m in data["measures"]] == [1]
    assert [h["to_status"] for h in data["history"]] == [
        "proposed", "statistically_supported", "approved", "implemented"]
    assert data["history"][1]["evidence"]["district_value"] == 20
    assert [(p["quarter"], p["light"]) for p in data["progress"]] == [
        (q, light) for q, light, _ in quarters]


def test_the_umsetzungsstand_is_given_as_implementation_and_the_old_status_still_works(ready):
    cli = ready
    ok(cli("measure", "add", "--title", "Familienbüro", "--department", "3-1", "--district",
           "Osterfeld", "--implementation", "geplant", user="planer"))
    ok(cli("measure", "edit", 1, "--status", "läuft", "--reason", "Quartal", user="planer"))
    shown = json.loads(ok(cli("measure", "show", 1, "--format", "json")))
    assert shown["implementation_status"] == "läuft"
    both = cli("measure", "edit", 1, "--status", "a", "--implementation", "b", "--reason", "x",
               user="planer")
    assert both.exit_code == 2 and "schließen sich aus" in both.stderr
    assert "--status" not in ok(cli("measure", "add", "--help"))
