"""Write commands answer `--format json` with one JSON document on standard output: the new id
or number and the resulting record, so a script need not parse "Hinweis 1 erfasst"."""

import json

import pytest


@pytest.fixture
def run(cli, people, tmp_path):
    def run(*args, user="planer"):
        result = cli(*args, "--format", "json", user=user)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)  # one document, nothing else

    run.cli, run.tmp = cli, tmp_path
    return run


def test_recommendations_and_their_workflow_answer_with_the_record(run):
    added = run("recommendation", "add", "--number", 7, "--title", "Familienzentrum",
                "--district", "Osterfeld", "--department", "3-1", "--kind", "extension",
                "--on", "2024-01-10")
    assert (added["number"], added["status"], added["version"]) == (7, "proposed", 1)
    approved = run("recommendation", "approve", 7, "--on", "2024-02-01", user="bl31")
    assert approved["status"] == "approved"
    assert approved["change"] == {"from_status": "proposed", "to_status": "approved",
                                  "effective_on": "2024-02-01", "evidence": None}
    progress = run("progress", 7, "--quarter", "2024-Q1", "--light", "gelb", "--note", "läuft",
                   "--on", "2024-03-01", user="bl31")
    assert (progress["number"], progress["progress"]["light"]) == (7, "yellow")
    done = run("recommendation", "implement", 7, "--note", "eröffnet", "--on", "2024-03-02")
    assert done["change"]["to_status"] == "implemented"
    run("recommendation", "add", "--number", 8, "--title", "Alt", "--district", "Osterfeld",
        "--department", "3-1", "--on", "2024-01-10")
    rejected = run("recommendation", "reject", 8, "--reason", "doppelt", "--on", "2024-01-11")
    assert rejected["change"]["to_status"] == "rejected"


def test_events_suggestions_and_measures_answer_with_their_new_id(run):
    event = run("event", "add", "--district", "Osterfeld", "--date", "2023-09-28")
    suggestion = run("suggestion", "add", "--event", event["id"], "--text", "Mehr Sport")
    assert suggestion["event_id"] == event["id"] and suggestion["text"] == "Mehr Sport"
    measure = run("measure", "add", "--title", "Familienbüro", "--department", "3-1",
                  "--district", "Osterfeld")
    assert (measure["title"], measure["version"]) == ("Familienbüro", 1)
    edited = run("measure", "edit", measure["id"], "--funding", "Land", "--reason", "neu")
    assert (edited["id"], edited["funding"], edited["version"]) == (measure["id"], "Land", 2)
    run("recommendation", "add", "--number", 9, "--title", "X", "--district", "Osterfeld",
        "--department", "3-1", "--on", "2024-01-10")
    linked = run("measure", "link", measure["id"], "--recommendation", 9)
    assert linked["recommendations"] == [9]


def test_imports_answer_with_their_counts_and_notes(run):
    path = run.tmp / "neu.csv"
    path.write_text("Nr.;Titel;Sozialraum;Bereich;Status\n5;Neu;Osterfeld;3-1;vorgeschlagen\n",
                    encoding="utf-8")
    result = run("import", "recommendations", path)
    assert (result["imported"], result["unchanged"]) == (1, 0)
    assert result["notes"] == ["neu.csv: nicht übernommen (nur zur Information): Status."]
    values = run.tmp / "werte.csv"
    values.write_text("indicator,district,year,value\nq,Osterfeld,2022,\"1,5\"\n",
                      encoding="utf-8")
    assert run("import", "indicators", values)["imported"] == 1


def test_reference_data_and_users_answer_with_the_record(run):
    assert run("district", "add", "Tackenberg", user="admin")["name"] == "Tackenberg"
    assert run("department", "add", "5-1", "Bereich 5-1 Test", user="admin")["code"] == "5-1"
    user = run("user", "add", "neu", "--name", "Neu", "--role", "planner", user="admin")
    assert user["login"] == "neu"
    assert run("user", "deactivate", "neu", user="admin") == {"login": "neu", "active": False}


def test_a_refusal_stays_one_german_line_on_standard_error(run):
    result = run.cli("recommendation", "approve", 99, "--format", "json", user="bl31")
    assert result.exit_code == 1
    assert result.stdout == "" and result.stderr.startswith("Fehler: ")


def test_institutions_awareness_editions_and_supersession_answer_in_json(run):
    event = run("event", "add", "--district", "Osterfeld", "--date", "2023-09-28")
    measure = run("measure", "add", "--title", "Treff", "--department", "3-1",
                  "--district", "Osterfeld")
    dots = run("awareness", "record", "--event", event["id"], "--measure", measure["id"],
               "--yes", 12, "--no", 3)
    assert (dots["known_yes"], dots["known_no"]) == (12, 3)
    card = run("awareness", "card", "--event", event["id"], "--measure", measure["id"],
               "--question", "publicity", "--text", "Flyer")
    assert card["text"] == "Flyer"
    place = run("institution", "add", "Stadtteilbüro", "--type", "Stadtteilbüro", "--address",
                "Gildenstraße 1, 46117 Oberhausen", "--lon", "6.88", "--lat", "51.5")
    assert place["name"] == "Stadtteilbüro"
    for number in (1, 2):
        run("recommendation", "add", "--number", number, "--title", f"E{number}", "--district",
            "Osterfeld", "--department", "3-1", "--on", "2024-01-10")
    replaced = run("recommendation", "supersede", 1, "--by", 2, "--note", "Neufassung",
                   "--on", "2024-01-11")
    assert replaced["change"]["to_status"] == "superseded"
    assert run("edition", "publish", "Ausgabe 2024")["name"] == "Ausgabe 2024"
