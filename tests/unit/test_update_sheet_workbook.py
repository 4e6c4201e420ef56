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
    build_workbook(plan(*ROWS)).save(path)
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
    returned = read_workbook(saved)
    assert (returned.department, returned.quarter) == ("3-1", "2024-Q2")
    assert returned.exported_at == "2024-06-20T08:30:00"
    assert returned.versions == {7: 4, 9: 2}
    assert [r.row for r in returned.rows] == [2, 3]


def test_a_workbook_without_metadata_is_not_taken_for_an_update_sheet(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "fremd.xlsx"
    Workbook().save(path)
    with pytest.raises(ImportRefused, match="Kein Abfragebogen dieses Programms"):
        read_workbook(path)


def test_a_text_file_is_not_an_excel_workbook(tmp_path):
    path = tmp_path / "kaputt.xlsx"
    path.write_text("Nr.;Ampel\n7;grün\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="Keine gültige Excel-Datei"):
        read_workbook(path)


def entry_of(saved, **cells):
    returned = read_workbook(saved)
    row = ReturnedRow(row=2, cells={"number": 7, **{k: None for k in FILL}, **cells})
    return parse_row(returned, row, Q2, TODAY)


def test_a_row_with_nothing_filled_in_is_skipped(saved):
    assert entry_of(saved) == (None, [])
    assert entry_of(saved, implemented="nein") == (None, [])


def test_a_light_with_a_note_becomes_a_progress_update_dated_by_the_one_sachstand_rule(saved):
    """Without a date the row leaves it to domain.dates.progress_date (issue 11): entered
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
    returned = read_workbook(saved)
    entry, problems = parse_row(returned, returned.rows[0], Q2, TODAY)
    assert entry is None
    assert problems == ["Blatt 'Sachstände', Zeile 2, Spalte I (Sachstand): Formel ohne "
                        "berechneten Wert; bitte den Wert selbst eintragen."]
