"""Formula injection: text that a spreadsheet would evaluate is written as text."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from controlling.services.exports import to_csv, to_json, to_xlsx
from controlling.services.spreadsheet import RISKY_STARTS, csv_restore, csv_safe, set_cell

DANGEROUS = ["=HYPERLINK(\"http://example.org\",\"klick\")", "+49 208 825", "-1+2", "@SUM(A1)",
             "\t=1", "'=schon maskiert"]


def test_a_csv_field_beginning_with_a_formula_character_gets_an_apostrophe():
    assert csv_safe("=1+2") == "'=1+2"
    assert csv_safe("+49") == "'+49"
    assert csv_safe("-x") == "'-x"
    assert csv_safe("@x") == "'@x"
    assert csv_safe("Familienzentrum") == "Familienzentrum"


@pytest.mark.parametrize(("text", "field"), [
    ("'=schon maskiert", "''=schon maskiert"),  # a leading apostrophe is kept by doubling
    ("'Zitat", "''Zitat"),
    ("\t=1+1", "'\t=1+1"),  # a tab: Excel strips it and runs the formula
    ("\r=1+1", "'\r=1+1"),  # a carriage return likewise
    ("Text mit\tTab", "Text mit\tTab"),  # inside the text: harmless
])
def test_a_leading_apostrophe_tab_or_carriage_return_is_neutralised_too(text, field):
    assert csv_safe(text) == field
    assert csv_restore(field) == text


def test_csv_fields_of_other_types_are_plain():
    assert csv_safe(None) == ""
    assert csv_safe(True) == "true"
    assert csv_safe(-5) == "-5"
    assert csv_safe(date(2024, 3, 31)) == "2024-03-31"


@given(st.text())
def test_removing_one_leading_apostrophe_restores_any_text(text):
    field = csv_safe(text)
    assert csv_restore(field) == text
    assert not field.startswith(RISKY_STARTS)


def test_an_xlsx_cell_beginning_with_equals_stays_text_after_saving():
    workbook = Workbook()
    sheet = workbook.active
    for row, text in enumerate(DANGEROUS, start=1):
        set_cell(sheet.cell(row=row, column=1), text)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    for row, text in enumerate(DANGEROUS, start=1):
        cell = sheet.cell(row=row, column=1)
        assert cell.value == text
        assert cell.data_type == "s"


def test_the_three_export_formats_carry_the_same_row():
    columns = ("number", "title", "proposed_on", "example", "topic")
    rows = [{"number": 7, "title": "=1+2", "proposed_on": date(2024, 1, 10), "example": False,
             "topic": None}]
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows, columns))))
    assert parsed == [{"number": "7", "title": "'=1+2", "proposed_on": "2024-01-10",
                       "example": "false", "topic": ""}]
    assert to_json(rows, columns).startswith('[\n  {\n    "number": 7,\n    "title": "=1+2"')
    sheet = load_workbook(io.BytesIO(to_xlsx(rows, columns, "Test"))).active
    assert [c.value for c in sheet[1]] == list(columns)
    values = [c.value for c in sheet[2]]
    assert values[:2] == [7, "=1+2"] and values[2].date() == date(2024, 1, 10)
    assert values[3:] == [False, None]
    assert sheet["B2"].data_type == "s"
