"""The update sheet as a workbook and the rules for one filled row (no database)."""

from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from controlling.domain.dates import Quarter
from controlling.domain.errors import ImportRefused
from controlling.domain.vocabulary import Light
from controlling.services.update_workbook import (
    COLUMNS,
    SHEET_DATA,
    SHEET_HELP,
    SHEET_META,
    ReturnedRow,
    SheetPlan,
    SheetRow,
    build_workbook,
    parse_row,
    read_workbook,
)

KEY = bytes(range(32))  # this test's database key
Q2 = Quarter(2024, 2)
TODAY = date(2024, 7, 5)
FILL = [c.key for c in COLUMNS if c.fill]


def plan(*rows: SheetRow) -> SheetPlan:
    return SheetPlan(department_code="3-1", department_name="Bereich 3-1 Kinder, Jugend und "
                     "Familie", quarter=Q2, exported_at=datetime(2024, 6, 20, 8, 30),
                     exported_by="planer", rows=rows)


ROWS = (
    SheetRow(7, "=Familienzentrum ausbauen", "Osterfeld", "freigegeben", "2024-Q1", "gelb",
             "Räume gesucht", 4),
    SheetRow(9, "Sprachcafé", "Osterfeld", "freigegeben", None, None, None, 2),
)


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "bogen.xlsx"
    build_workbook(plan(*ROWS), KEY).save(path)
    return path


def test_the_workbook_has_the_data_sheet_first_the_instructions_and_hidden_metadata(saved):
    workbook = load_workbook(saved)
    assert workbook.sheetnames == [SHEET_DATA, SHEET_HELP, SHEET_META]
    assert workbook[SHEET_META].sheet_state == "veryHidden"
    assert workbook.security.lockStructure
    help_text = " ".join(str(c.value) for c in workbook[SHEET_HELP]["A"] if c.value)
    assert "2. Quartal 2024" in help_text and "01.04.2024" in help_text


def test_the_facts_are_locked_and_only_the_columns_to_fill_are_open(saved):
    sheet = load_workbook(saved)[SHEET_DATA]
    assert sheet.protection.sheet
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    for index, column in enumerate(COLUMNS, start=1):
        assert sheet.cell(row=2, column=index).protection.locked is not column.fill
    assert [c.value for c in sheet[2]][:7] == [7, "=Familienzentrum ausbauen", "Osterfeld",
                                                "freigegeben", "2024-Q1", "gelb",
                                                "Räume gesucht"]
    assert sheet["B2"].data_type == "s"


def test_the_columns_to_fill_offer_drop_downs_and_a_date_check(saved):
    sheet = load_workbook(saved)[SHEET_DATA]
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert validations["H2:H3"].formula1 == '"grün,gelb,rot"'
    assert validations["J2:J3"].formula1 == '"ja,nein"'
    assert validations["K2:K3"].type == "date"


def test_the_metadata_records_department_quarter_and_every_rows_version(saved):
    returned = read_workbook(saved, KEY)
    assert (returned.department, returned.quarter) == ("3-1", "2024-Q2")
    assert returned.exported_at == "2024-06-20T08:30:00"
    assert returned.versions == {7: 4, 9: 2}
    assert [r.row for r in returned.rows] == [2, 3]


def test_a_workbook_without_metadata_is_not_taken_for_an_update_sheet(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "fremd.xlsx"
    Workbook().save(path)
    with pytest.raises(ImportRefused, match="Kein Abfragebogen dieses Programms"):
        read_workbook(path, KEY)


def test_a_text_file_is_not_an_excel_workbook(tmp_path):
    path = tmp_path / "kaputt.xlsx"
    path.write_text("Nr.;Ampel\n7;grün\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="Keine gültige Excel-Datei"):
        read_workbook(path, KEY)


def entry_of(saved, **cells):
    returned = read_workbook(saved, KEY)
    row = ReturnedRow(row=2, cells={"number": 7, **{k: None for k in FILL}, **cells})
    return parse_row(returned, row, Q2, TODAY)


def test_a_row_with_nothing_filled_in_is_skipped(saved):
    assert entry_of(saved) == (None, [])
    assert entry_of(saved, implemented="nein") == (None, [])


def test_a_light_with_a_note_becomes_a_progress_update_dated_by_the_one_sachstand_rule(saved):
    """Without a date the row leaves it to domain.dates.progress_date: entered
    after the quarter (TODAY is in Q3), the Sachstand for Q2 is effective on Q2's last day."""
    from controlling.domain.dates import progress_date

    entry, problems = entry_of(saved, light="Gelb", note=" Umbau verzögert ")
    assert problems == []
    assert (entry.number, entry.light, entry.note, entry.implemented, entry.effective_on) == (
        7, Light.YELLOW, "Umbau verzögert", False, None)
    assert progress_date(Q2, entry.effective_on, TODAY) == Q2.end == date(2024, 6, 30)
    assert progress_date(Q2, None, date(2024, 6, 10)) == date(2024, 6, 10)  # while it runs


def test_implemented_needs_a_note_but_no_light(saved):
    entry, problems = entry_of(saved, implemented="ja", note="eröffnet",
                               effective_on=datetime(2024, 6, 3))
    assert problems == [] and entry.implemented and entry.light is None
    assert entry.effective_on == date(2024, 6, 3)
    _, problems = entry_of(saved, implemented="JA")
    assert problems == ["Blatt 'Sachstände', Zeile 2, Spalte I (Sachstand): Sachstand fehlt "
                        "(als Vermerk zur Umsetzung nötig)."]


@pytest.mark.parametrize(("cells", "expected"), [
    ({"light": "blau", "note": "x"}, "Spalte H (Ampel): ungültige Ampel 'blau'"),
    ({"light": "grün"}, "Spalte I (Sachstand): Sachstand fehlt."),
    ({"note": "nur Text"}, "Spalte H (Ampel): Ampel fehlt"),
    ({"light": "rot", "note": "x", "implemented": "vielleicht"},
     "Spalte J (umgesetzt): ungültige Angabe 'vielleicht' (erlaubt: ja, nein)"),
    ({"light": "rot", "note": "x", "effective_on": "31.02.2024"},
     "Spalte K (wirksam am): ungültiges Datum '31.02.2024'"),
    ({"light": "rot", "note": "x", "effective_on": 45000},
     "Spalte K (wirksam am): ungültiges Datum '45000'"),
    ({"light": "rot", "note": "x", "effective_on": datetime(2024, 7, 6)},
     "Spalte K (wirksam am): das Datum 06.07.2024 liegt in der Zukunft"),
    ({"light": "rot", "note": "x", "effective_on": "2024-03-31"},
     "Spalte K (wirksam am): ein Sachstand für 2. Quartal 2024 kann nicht vor Quartalsbeginn"),
    ({"number": "sieben", "light": "rot", "note": "x"},
     "Spalte A (Nr.): Nr. 'sieben' ist keine gültige Nummer"),
    ({"number": None, "light": "rot", "note": "x"}, "Spalte A (Nr.): Nr. fehlt"),
])
def test_a_mistake_in_a_row_is_named_with_sheet_row_and_column(saved, cells, expected):
    entry, problems = entry_of(saved, **cells)
    assert entry is None
    assert len(problems) == 1
    assert problems[0].startswith("Blatt 'Sachstände', Zeile 2, ")
    assert expected in problems[0]


def test_a_formula_without_a_computed_value_is_reported_not_skipped(saved):
    workbook = load_workbook(saved)
    workbook[SHEET_DATA]["I2"] = "=H2"
    workbook[SHEET_DATA]["H2"] = "grün"
    workbook.save(saved)
    returned = read_workbook(saved, KEY)
    entry, problems = parse_row(returned, returned.rows[0], Q2, TODAY)
    assert entry is None
    assert problems == ["Blatt 'Sachstände', Zeile 2, Spalte I (Sachstand): Formel ohne "
                        "berechneten Wert; bitte den Wert selbst eintragen."]


# The signature (format version 2): what the program handed out comes back unchanged ---------

def refusal(path, key=KEY) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        read_workbook(path, key)
    return refused.value.problems


def edited(saved, change) -> object:
    workbook = load_workbook(saved)
    change(workbook)
    workbook.save(saved)
    return saved


def test_a_workbook_opened_and_saved_unchanged_is_accepted(saved):
    assert read_workbook(edited(saved, lambda book: None), KEY).versions == {7: 4, 9: 2}


def test_changed_metadata_is_refused_naming_the_value(saved):
    def change(book):
        book[SHEET_META]["B3"] = "3-2"  # the department

    assert refusal(edited(saved, change)) == [
        "Blatt 'Metadaten', Zeile 3: 'Bereich' wurde verändert."]


def test_a_changed_data_version_is_refused_so_the_conflict_check_cannot_be_defeated(saved):
    def change(book):
        sheet = book[SHEET_META]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == 7)
        sheet.cell(row, 2).value = 99

    assert refusal(edited(saved, change)) == [
        "Blatt 'Metadaten', Zeile 11: der Datenstand von Nr. 7 wurde verändert."]


@pytest.mark.parametrize(("cell", "value", "expected"), [
    ("B2", "Familienzentrum schließen", "Zeile 2, Spalte B (Empfehlung): gesperrte Zelle "
                                        "verändert (ausgegeben für Nr. 7)."),
    ("A3", 7, "Zeile 3, Spalte A (Nr.): gesperrte Zelle verändert (ausgegeben für Nr. 9)."),
    ("F3", "grün", "Zeile 3, Spalte F (Ampel (zuletzt)): gesperrte Zelle verändert "
                   "(ausgegeben für Nr. 9)."),
])
def test_a_changed_locked_cell_is_refused_naming_row_and_column(saved, cell, value, expected):
    def change(book):
        book[SHEET_DATA].protection.sheet = False
        book[SHEET_DATA][cell] = value

    assert refusal(edited(saved, change)) == [f"Blatt 'Sachstände', {expected}"]


def test_filling_the_open_columns_changes_nothing_signed(saved):
    def change(book):
        book[SHEET_DATA]["H2"], book[SHEET_DATA]["I2"] = "rot", "gestoppt"

    assert [r.cells["light"] for r in read_workbook(edited(saved, change), KEY).rows] == [
        "rot", None]


def test_a_changed_header_or_instruction_is_refused(saved):
    def change(book):
        book[SHEET_DATA]["E1"] = "Quartal"
        book[SHEET_HELP]["A5"] = "Alles darf geändert werden."

    assert refusal(edited(saved, change)) == [
        "Blatt 'Sachstände', Zeile 1 (Kopfzeile) wurde verändert.",
        "Das Blatt 'Anleitung' wurde verändert."]


@pytest.mark.parametrize("state", ["visible", "hidden", "veryHidden"])
def test_a_sheet_that_is_not_the_workbooks_own_is_refused_even_when_hidden(saved, state):
    def change(book):
        book.security.lockStructure = False
        book.create_sheet("Zusatz").sheet_state = state

    assert refusal(edited(saved, change)) == [
        "Das Blatt 'Zusatz' gehört nicht zum Bogen (auch ausgeblendete Blätter werden geprüft); "
        "bitte den Bogen unverändert zurücksenden."]


def test_a_row_added_to_the_data_sheet_is_refused(saved):
    def change(book):
        book[SHEET_DATA]["A4"], book[SHEET_DATA]["B4"] = 11, "Neue Empfehlung"

    assert refusal(edited(saved, change)) == [
        "Blatt 'Sachstände', Zeile 4: hinzugefügt; der Bogen nimmt nur die ausgegebenen "
        "Empfehlungen an."]


def test_a_metadata_row_removed_is_refused(saved):
    def change(book):
        book[SHEET_META].delete_rows(6)  # "exported_by"

    assert refusal(edited(saved, change)) == [
        "Blatt 'Metadaten' wurde verändert (Zeilen eingefügt, entfernt oder umgestellt)."]


def test_a_removed_version_row_leaves_its_data_row_unsigned_and_refused(saved):
    def change(book):
        book[SHEET_META].delete_rows(12)  # the version row of Nr. 9

    assert refusal(edited(saved, change)) == [
        "Blatt 'Sachstände', Zeile 3: hinzugefügt; der Bogen nimmt nur die ausgegebenen "
        "Empfehlungen an."]


@pytest.mark.parametrize("key", [bytes(32), None], ids=["another key", "no key yet"])
def test_a_workbook_signed_with_another_key_is_refused_as_not_this_databases(saved, key):
    problems = refusal(saved, key)
    assert len(problems) == 1
    assert problems[0].startswith("Die Signatur des Bogens passt nicht zu dieser Datenbank")


def test_a_workbook_of_format_version_1_must_be_made_again(saved):
    def change(book):
        book[SHEET_META]["B2"] = 1

    assert refusal(edited(saved, change)) == [
        "Der Bogen hat die Formatversion 1, dieses Programm liest Version 2; bitte einen neuen "
        "Bogen erstellen."]
