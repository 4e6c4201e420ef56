"""Finding things, as a user types it: the indicator values of the social report, and what
waits for a department head or a planner (`inbox`)."""

import json

import pytest

from tests.conftest import snapshot

Q = "2024-Q2"
INDICATORS = ("indicator,district,year,value,label,higher_is_worse\n"
              "sgb2,Osterfeld,2022,\"20,4\",SGB-II-Quote,true\n"
              "sgb2,Sterkrade-Nord,2022,9.5,SGB-II-Quote,true\n"
              "sgb2,stadtweit,2022,\"17,1\",SGB-II-Quote,true\n"
              "sgb2,Osterfeld,2020,21,SGB-II-Quote,true\n")


@pytest.fixture
def indicators(cli, people, tmp_path):
    path = tmp_path / "sozialindex.csv"
    path.write_text(INDICATORS, encoding="utf-8")
    assert cli("import", "indicators", path, user="planer").exit_code == 0
    return cli


def test_indicator_values_are_listed_with_the_city_and_the_support_rules_comparison(
        indicators):
    result = indicators("indicator", "list", "--year", "2022", "--format", "json",
                        user="ausschuss")
    assert result.exit_code == 0, result.output
    assert [(r["district"], r["value"], r["city_value"], r["worse_than_city"])
            for r in json.loads(result.stdout)] == [
        ("Osterfeld", 20.4, 17.1, True), ("Sterkrade-Nord", 9.5, 17.1, False),
        ("stadtweit", 17.1, None, None)]
    first = json.loads(result.stdout)[0]
    assert first == {"indicator": "sgb2", "label": "SGB-II-Quote", "higher_is_worse": True,
                     "district": "Osterfeld", "year": 2022, "value": 20.4, "city_value": 17.1,
                     "worse_than_city": True}


def test_indicator_values_of_one_district_as_a_german_table(indicators):
    result = indicators("indicator", "list", "--district", "osterfeld", user="planer")
    assert result.exit_code == 0, result.output
    assert "20,4" in result.stdout and "17,1" in result.stdout
    assert "schlechter" in result.stdout and "Sterkrade-Nord" not in result.stdout
    rows = json.loads(indicators("indicator", "list", "--district", "Osterfeld", "--format",
                                 "json", user="planer").stdout)
    assert [(r["year"], r["city_value"]) for r in rows] == [(2020, None), (2022, 17.1)]


def test_an_unknown_district_is_one_german_line(indicators):
    result = indicators("indicator", "list", "--district", "Nirgendwo", user="planer")
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: Unbekannter Sozialraum 'Nirgendwo'")
    assert len(result.stderr.splitlines()) == 1


def test_without_values_the_table_says_how_to_import_them(cli, people):
    result = cli("indicator", "list", user="planer")
    assert result.exit_code == 0
    assert "Keine Indikatorwerte gefunden (einlesen: controlling import indicators DATEI)." in (
        result.stdout)


def add(cli, number, kind="new", department="3-1", district="Osterfeld"):
    result = cli("recommendation", "add", "--number", number, "--title", f"Empfehlung {number}",
                 "--district", district, "--department", department, "--kind", kind,
                 "--on", "2024-01-10", user="planer")
    assert result.exit_code == 0, result.output


@pytest.fixture
def waiting(indicators):
    cli = indicators
    add(cli, 1, kind="extension")  # the head may approve or reject it
    add(cli, 2)  # new: the planner checks it first; the head may only reject it
    add(cli, 3)
    assert cli("recommendation", "support", 3, "--indicator", "sgb2", "--on", "2024-01-11",
               user="planer").exit_code == 0
    add(cli, 4, kind="permanence")
    assert cli("recommendation", "approve", 4, "--on", "2024-02-01", user="bl31").exit_code == 0
    add(cli, 5, kind="extension", department="3-2")
    assert cli("recommendation", "approve", 5, "--on", "2024-02-01", user="bl32").exit_code == 0
    add(cli, 6, kind="extension")
    assert cli("recommendation", "approve", 6, "--on", "2024-02-01", user="bl31").exit_code == 0
    assert cli("progress", 6, "--quarter", Q, "--light", "grün", "--note", "läuft",
               "--on", "2024-05-02", user="bl31").exit_code == 0
    result = cli("event", "add", "--district", "Osterfeld", "--date", "2023-09-28",
                 user="planer")
    assert result.exit_code == 0, result.output
    event = json.loads(cli("event", "list", "--format", "json", user="planer").stdout)[0]["id"]
    assert cli("suggestion", "add", "--event", event, "--text", "Mehr Sport für Mädchen",
               user="planer").exit_code == 0
    return cli


def inbox_of(cli, user) -> dict:
    result = cli("inbox", "--quarter", Q, "--format", "json", user=user)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_department_head_sees_what_they_may_decide_and_the_sachstaende_due(waiting):
    box = inbox_of(waiting, "bl31")
    assert (box["role"], box["department"], box["quarter"]) == ("department_head", "3-1", Q)
    assert [(r["number"], r["actions"]) for r in box["decide"]] == [
        (1, ["approve", "reject"]), (2, ["reject"]), (3, ["approve", "reject"])]
    assert [r["number"] for r in box["progress_due"]] == [4]
    assert box["untriaged"] == box["unchecked"] == []


def test_the_heads_decisions_are_the_workflows_as_on_the_web_page(waiting):
    from controlling.data.database import make_engine
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.services.approvals import awaiting_decision

    uow = UnitOfWork(make_engine(waiting.url))
    on_the_web = [r["number"] for r in awaiting_decision(uow, "bl31")]
    decide = inbox_of(waiting, "bl31")["decide"]
    assert on_the_web == [r["number"] for r in decide if "approve" in r["actions"]] == [1, 3]


def test_a_planner_sees_open_suggestions_unchecked_proposals_and_missing_sachstaende(waiting):
    box = inbox_of(waiting, "planer")
    assert [s["text"] for s in box["untriaged"]] == ["Mehr Sport für Mädchen"]
    assert [r["number"] for r in box["unchecked"]] == [1, 2]
    assert [r["number"] for r in box["progress_due"]] == [4, 5]
    assert box["decide"] == []


def test_the_inbox_as_a_german_table(waiting):
    result = waiting("inbox", "--quarter", Q, user="bl31")
    assert result.exit_code == 0, result.output
    assert "Zur Entscheidung (Bereich 3-1)" in result.stdout
    assert "Sachstand fällig für 2. Quartal 2024" in result.stdout
    assert "ablehnen" in result.stdout.lower()


def test_a_committee_member_is_told_nothing_waits_and_nothing_changes(waiting, engine):
    before = snapshot(engine)
    result = waiting("inbox", user="ausschuss")
    assert result.exit_code == 0
    assert result.stdout == ("Für Ihre Rolle wartet nichts auf eine Bearbeitung; Berichte: "
                             "controlling report list.\n")
    assert snapshot(engine) == before


def test_a_malformed_quarter_is_one_german_line(waiting):
    result = waiting("inbox", "--quarter", "2024-5", user="planer")
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: ") and len(result.stderr.splitlines()) == 1
