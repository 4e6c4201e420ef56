"""The quarterly update round: export the departments' workbooks, fill them as a department
would (mistakes included), import them; all or nothing per workbook."""

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from controlling.domain.errors import DomainError, ImportRefused
from controlling.services.recommendations import show_recommendation
from controlling.services.update_sheets import export_update_sheets, import_update_sheet
from controlling.services.update_workbook import SHEET_DATA
from tests.conftest import snapshot
from tests.exchange_support import approved, fill, key, set_meta, sheet_path

Q = "2024-Q2"


@pytest.fixture
def round_(cli, people, uow, tmp_path):
    """Approved recommendations 1-3 of 3-1 and 4 of 3-2, one of them with a Q1 update, a
    proposed one (5) that is not asked for; the sheets of 2024-Q2 exported into tmp_path."""
    for number in (1, 2, 3):
        approved(cli, number)
    approved(cli, 4, "3-2", "bl32")
    assert cli("progress", 1, "--quarter", "2024-Q1", "--light", "green", "--note",
               "Träger gefunden", "--on", "2024-03-20", user="bl31").exit_code == 0
    assert cli("recommendation", "add", "--number", 5, "--title", "Vorschlag", "--district",
               "Osterfeld", "--department", "3-1", "--on", "2024-01-10",
               user="planer").exit_code == 0
    result = export_update_sheets(uow(), "planer", quarter=Q, out_dir=tmp_path)
    assert [f["department"] for f in result["files"]] == ["3-1", "3-2"]
    return tmp_path


def importing(uow, path, login="planer", quarter=Q, heads=()):
    return import_update_sheet(uow(), login, path, quarter=quarter, heads=heads)


def show(uow, number):
    return show_recommendation(uow(), "admin", number)


def test_the_sheet_lists_the_departments_approved_recommendations_with_the_last_light(
        round_):
    sheet = load_workbook(sheet_path(round_, Q, "3-1"))[SHEET_DATA]
    rows = [[c.value for c in row][:7] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        [1, "Empfehlung 1", "Osterfeld", "freigegeben", "2024-Q1", "grün", "Träger gefunden"],
        [2, "Empfehlung 2", "Osterfeld", "freigegeben", None, None, None],
        [3, "Empfehlung 3", "Osterfeld", "freigegeben", None, None, None],
    ]


def test_a_filled_sheet_is_recorded_in_the_heads_name_with_the_file_in_the_history(
        round_, uow):
    path = fill(sheet_path(round_, Q, "3-1"), {
        1: {"light": "gelb", "note": "Umbau verzögert", "effective_on": date(2024, 5, 15)},
        2: {"light": "grün", "note": "Eröffnet", "implemented": "ja",
            "effective_on": date(2024, 6, 1)},
        3: {"implemented": "nein"},
    })
    result = importing(uow, path)
    assert result == {"file": path.name, "department": "3-1", "quarter": Q, "head": "bl31",
                      "progress": 2, "implemented": 1, "skipped": 1}
    source = f"Abfragebogen {path.name}, eingelesen von planer"
    first = show(uow, 1)
    assert first["status"] == "approved"
    assert {k: first["progress"][-1][k] for k in ("quarter", "light", "note", "actor",
                                                  "effective_on", "source")} == {
        "quarter": Q, "light": "yellow", "note": "Umbau verzögert", "actor": "bl31",
        "effective_on": "2024-05-15", "source": source}
    second = show(uow, 2)
    assert second["status"] == "implemented"
    assert second["progress"][-1]["light"] == "green"
    last = second["history"][-1]
    assert (last["to_status"], last["actor"], last["note"], last["effective_on"],
            last["source"]) == ("implemented", "bl31", "Eröffnet", "2024-06-01", source)
    assert show(uow, 3)["progress"] == []


def test_a_department_head_may_import_the_own_sheet(round_, uow):
    path = fill(sheet_path(round_, Q, "3-1"), {3: {"light": "rot", "note": "gestoppt"}})
    assert importing(uow, path, login="bl31")["head"] == "bl31"


@pytest.mark.parametrize("login", ["ausschuss", "bl32"])
def test_others_may_not_import_a_departments_sheet(round_, engine, uow, login):
    path = fill(sheet_path(round_, Q, "3-1"), {3: {"light": "rot", "note": "gestoppt"}})
    before = snapshot(engine)
    with pytest.raises(ImportRefused, match="Keine Berechtigung"):
        importing(uow, path, login=login)
    assert snapshot(engine) == before


MISTAKES = {
    # the Nr. cell is locked and signed: changed, it is refused as a change of the workbook
    "unknown number": (
        {1: {"number": 999, "light": "grün", "note": "x"}},
        "Zeile 2, Spalte A (Nr.): gesperrte Zelle verändert (ausgegeben für Nr. 1)."),
    "another department's recommendation": (
        {1: {"number": 4, "light": "grün", "note": "x"}},
        "Zeile 2, Spalte A (Nr.): gesperrte Zelle verändert (ausgegeben für Nr. 1)."),
    "the same number twice": (
        {1: {"light": "grün", "note": "x"}, 2: {"number": 1, "light": "rot", "note": "y"}},
        "Zeile 3, Spalte A (Nr.): gesperrte Zelle verändert (ausgegeben für Nr. 2)."),
    "a bad light": (
        {2: {"light": "blau", "note": "x"}},
        "Zeile 3, Spalte H (Ampel): ungültige Ampel 'blau' (erlaubt: grün, gelb, rot)."),
    "a bad date": (
        {2: {"light": "grün", "note": "x", "effective_on": "2024-13-01"}},
        "Zeile 3, Spalte K (wirksam am): ungültiges Datum '2024-13-01'"),
    "a date before the quarter": (
        {2: {"light": "grün", "note": "x", "effective_on": date(2024, 3, 1)}},
        "Zeile 3, Spalte K (wirksam am): ein Sachstand für 2. Quartal 2024 kann nicht vor "
        "Quartalsbeginn (01.04.2024) wirksam sein."),
    "a date before the previous change": (
        {1: {"implemented": "ja", "note": "fertig", "effective_on": date(2024, 3, 1)}},
        "Zeile 2, Spalte K (wirksam am): Das Wirksamkeitsdatum 01.03.2024 liegt vor der "
        "letzten Änderung von Empfehlung 1 am 20.03.2024"),
    "a missing note": (
        {3: {"light": "gelb"}},
        "Zeile 4, Spalte I (Sachstand): Sachstand fehlt."),
    "implemented without a note": (
        {3: {"implemented": "ja"}},
        "Zeile 4, Spalte I (Sachstand): Sachstand fehlt (als Vermerk zur Umsetzung nötig)."),
    "a note without a light": (
        {3: {"note": "läuft"}},
        "Zeile 4, Spalte H (Ampel): Ampel fehlt (grün, gelb oder rot)."),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_a_mistake_refuses_the_whole_workbook_and_names_sheet_row_and_column(
        round_, engine, uow, mistake):
    entries, expected = MISTAKES[mistake]
    good = {3: {"light": "grün", "note": "läuft"}} if 3 not in entries else {
        2: {"light": "grün", "note": "läuft"}}
    path = fill(sheet_path(round_, Q, "3-1"), {**good, **entries})
    before = snapshot(engine)
    with pytest.raises(ImportRefused) as refused:
        importing(uow, path)
    message = str(refused.value)
    assert message.startswith(f"Import von {path.name} abgelehnt, nichts wurde geschrieben")
    assert f"Blatt 'Sachstände', {expected}" in message
    assert snapshot(engine) == before


def test_every_problem_of_a_workbook_is_listed_at_once(round_, engine, uow):
    path = fill(sheet_path(round_, Q, "3-1"), {
        1: {"light": "lila", "note": "x"},
        2: {"light": "grün"},
        3: {"light": "rot", "note": "ok"},
    })
    before = snapshot(engine)
    with pytest.raises(ImportRefused) as refused:
        importing(uow, path)
    assert refused.value.problems == [
        "Blatt 'Sachstände', Zeile 2, Spalte H (Ampel): ungültige Ampel 'lila' (erlaubt: grün, "
        "gelb, rot).",
        "Blatt 'Sachstände', Zeile 3, Spalte I (Sachstand): Sachstand fehlt.",
    ]
    assert snapshot(engine) == before


def test_a_workbook_of_another_quarter_is_refused(round_, engine, uow):
    path = fill(sheet_path(round_, Q, "3-1"), {3: {"light": "rot", "note": "gestoppt"}})
    before = snapshot(engine)
    with pytest.raises(ImportRefused, match="der Bogen gilt für 2024-Q2, eingelesen wird "
                                            "2024-Q3"):
        importing(uow, path, quarter="2024-Q3")
    assert snapshot(engine) == before


def test_a_change_between_export_and_import_is_a_conflict(round_, cli, engine, uow):
    assert cli("progress", 2, "--quarter", Q, "--light", "red", "--note", "direkt erfasst",
               "--on", "2024-05-02", user="planer").exit_code == 0
    path = fill(sheet_path(round_, Q, "3-1"), {
        2: {"light": "grün", "note": "aus dem Bogen"},
        3: {"light": "gelb", "note": "läuft"},
    })
    before = snapshot(engine)
    with pytest.raises(ImportRefused) as refused:
        importing(uow, path)
    assert refused.value.problems == [
        "Blatt 'Sachstände', Zeile 3, Spalte A (Nr.): Konflikt: Empfehlung 2 wurde nach der "
        "Erstellung des Bogens (" + _stamp(path, uow) + " UTC) im System geändert (jetzt "
        "'freigegeben'); diese Zeile bitte neu abfragen oder direkt mit 'controlling progress' "
        "erfassen."
    ]
    assert snapshot(engine) == before


def _stamp(path, uow):
    from datetime import datetime

    from controlling.domain.formatting import format_datetime
    from controlling.services.update_workbook import read_workbook

    return format_datetime(datetime.fromisoformat(read_workbook(path, key(uow)).exported_at))


def test_importing_the_same_workbook_twice_is_a_conflict_the_second_time(round_, engine, uow):
    path = fill(sheet_path(round_, Q, "3-1"), {3: {"light": "rot", "note": "gestoppt"}})
    importing(uow, path)
    before = snapshot(engine)
    with pytest.raises(ImportRefused, match="Konflikt: Empfehlung 3 wurde nach der Erstellung"):
        importing(uow, path)
    assert snapshot(engine) == before


def test_a_forbidden_transition_is_refused_even_when_the_data_version_matches(
        round_, cli, engine, uow):
    assert cli("recommendation", "implement", 3, "--note", "fertig", "--on", "2024-05-01",
               user="planer").exit_code == 0
    path = fill(sheet_path(round_, Q, "3-1"), {3: {"implemented": "ja", "note": "fertig"}})
    set_meta(path, 3, show(uow, 3)["version"], key(uow))  # as if it had been made just now
    before = snapshot(engine)
    with pytest.raises(ImportRefused) as refused:
        importing(uow, path)
    assert ("Zeile 4, Spalte J (umgesetzt): Statuswechsel abgelehnt: Empfehlung 3 ist "
            "'umgesetzt'") in str(refused.value)
    assert snapshot(engine) == before


def test_without_a_department_head_nothing_is_recorded(round_, engine, uow):
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET role = 'planner', department_id = NULL "
                                "WHERE login = 'bl31'"))
    path = fill(sheet_path(round_, Q, "3-1"), {3: {"light": "rot", "note": "gestoppt"}})
    before = snapshot(engine)
    with pytest.raises(ImportRefused, match="Für Bereich 3-1 ist keine Bereichsleitung "
                                            "angelegt"):
        importing(uow, path)
    assert snapshot(engine) == before


def test_with_several_heads_the_importer_names_the_one_who_answered(round_, cli, engine, uow):
    assert cli("user", "add", "bl31b", "--name", "Vertretung", "--role", "department_head",
               "--department", "3-1").exit_code == 0
    path = fill(sheet_path(round_, Q, "3-1"), {3: {"light": "rot", "note": "gestoppt"}})
    before = snapshot(engine)
    with pytest.raises(ImportRefused, match=r"mehrere Bereichsleitungen \(bl31, bl31b\)"):
        importing(uow, path)
    assert snapshot(engine) == before
    assert importing(uow, path, heads=("bl32", "bl31b"))["head"] == "bl31b"
    assert show(uow, 3)["progress"][-1]["actor"] == "bl31b"


def test_a_sheet_can_only_be_made_by_planning(round_, uow, tmp_path):
    with pytest.raises(DomainError, match="Keine Berechtigung: bl31 .* Abfragebögen erstellen"):
        export_update_sheets(uow(), "bl31", quarter=Q, out_dir=tmp_path / "neu")


def test_a_second_export_does_not_overwrite_returned_sheets(round_, uow):
    fill(sheet_path(round_, Q, "3-1"), {3: {"light": "rot", "note": "gestoppt"}})
    with pytest.raises(DomainError, match="gibt es schon: sachstand-2024-Q2-3-1.xlsx"):
        export_update_sheets(uow(), "planer", quarter=Q, out_dir=round_)
    assert export_update_sheets(uow(), "planer", quarter=Q, out_dir=round_, force=True)


def test_a_department_without_approved_recommendations_gets_no_sheet(round_, uow, tmp_path):
    result = export_update_sheets(uow(), "planer", quarter=Q, out_dir=tmp_path / "x",
                                  departments=["3-2", "2-5"])
    assert [f["department"] for f in result["files"]] == ["3-2"]
    assert result["without_recommendations"] == ["2-5"]


def test_a_workbook_signed_by_another_database_is_refused(round_, engine, uow):
    with engine.begin() as connection:  # as if the sheets came from another installation
        connection.execute(text("UPDATE signing_keys SET secret = :other"),
                           {"other": "ab" * 32})
    path = fill(sheet_path(round_, Q, "3-1"), {3: {"light": "rot", "note": "gestoppt"}})
    before = snapshot(engine)
    with pytest.raises(ImportRefused, match="Die Signatur des Bogens passt nicht zu dieser "
                                            "Datenbank"):
        importing(uow, path)
    assert snapshot(engine) == before


def test_the_key_is_made_once_and_kept_for_every_later_round(round_, engine, uow, tmp_path):
    first = key(uow)
    export_update_sheets(uow(), "planer", quarter="2024-Q3", out_dir=tmp_path / "q3")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM signing_keys")).scalar() == 1
    assert key(uow) == first and len(first) == 32
