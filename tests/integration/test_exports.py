"""Exports read back by the csv module, openpyxl and json equal the database."""

import csv
import io
import json
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from controlling.services.exports import (
    RECOMMENDATION_COLUMNS,
    recommendation_records,
    render,
)
from controlling.services.recommendations import list_recommendations, show_recommendation
from controlling.services.spreadsheet import csv_restore
from tests.exchange_support import approved

TITLE = '=HYPERLINK("http://example.org","klick")'


@pytest.fixture
def data(cli, people, uow):
    approved(cli, 1, title=TITLE)
    approved(cli, 2, "3-2", "bl32", title="+49 Bürgertelefon")
    assert cli("progress", 1, "--quarter", "2024-Q1", "--light", "yellow", "--note",
               "-verzögert-", "--on", "2024-03-20", user="bl31").exit_code == 0
    assert cli("progress", 1, "--quarter", "2024-Q2", "--light", "green", "--note",
               "@alle: läuft", "--on", "2024-05-20", user="bl31").exit_code == 0
    assert cli("recommendation", "add", "--number", 3, "--title", "Ohne Thema", "--district",
               "stadtweit", "--department", "3-1", "--topic", "Jugend", "--description",
               "Mit\nZeilenumbruch", "--on", "2024-01-12", user="planer").exit_code == 0
    return uow


def expected(uow) -> list[dict]:
    """The database's view, built from list/show (not from the export code)."""
    rows = []
    for listed in list_recommendations(uow(), "admin"):
        shown = show_recommendation(uow(), "admin", listed["number"])
        last = shown["progress"][-1] if shown["progress"] else None
        rows.append({
            "number": shown["number"], "title": shown["title"], "district": shown["district"],
            "department": shown["department"], "kind": shown["kind"],
            "status": shown["status"], "topic": shown["topic"],
            "description": shown["description"],
            "proposed_on": shown["history"][0]["effective_on"],
            "status_since": shown["history"][-1]["effective_on"],
            "last_quarter": last and last["quarter"], "last_light": last and last["light"],
            "last_note": last and last["note"],
            "last_progress_on": last and last["effective_on"],
            "example": shown["example"], "version": shown["version"],
        })
    return rows


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def records(uow):
    return recommendation_records(uow(), "ausschuss")


def test_the_csv_export_read_by_the_csv_module_equals_the_database(data):
    text = render(records(data), RECOMMENDATION_COLUMNS, "csv", "x").decode("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == RECOMMENDATION_COLUMNS
    read = [{k: csv_restore(v) for k, v in row.items()} for row in reader]
    assert read == [{k: as_text(v) for k, v in row.items()} for row in expected(data)]
    assert f"'{TITLE}" in text.replace('""', '"')


def test_the_xlsx_export_read_by_openpyxl_equals_the_database(data):
    sheet = load_workbook(io.BytesIO(render(records(data), RECOMMENDATION_COLUMNS, "xlsx",
                                            "Empfehlungen"))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == RECOMMENDATION_COLUMNS

    def plain(value):
        return value.date().isoformat() if isinstance(value, datetime) else value

    assert [dict(zip(header, map(plain, row), strict=True)) for row in rows] == expected(data)
    title_cell = sheet.cell(row=2, column=2)
    assert (title_cell.value, title_cell.data_type) == (TITLE, "s")


def test_the_json_export_equals_the_database(data):
    assert json.loads(render(records(data), RECOMMENDATION_COLUMNS, "json", "x")) == (
        expected(data))


def test_an_export_can_be_filtered_like_the_list(data):
    rows = recommendation_records(data(), "admin", status="approved", department="3-1")
    assert [r["number"] for r in rows] == [1]
    assert rows[0]["last_progress_on"] == date(2024, 5, 20)


# measures and suggestions (the dialogues' records)-------------------------------------------------

@pytest.fixture
def triage_data(cli, people, uow):
    """Two measure profiles, two suggestions: one linked to a profile, one still open."""
    for args in (
        ["event", "load-reference"],
        ["measure", "add", "--title", "@Familienbüro", "--department", "3-1", "--district",
         "Osterfeld", "--district", "Sterkrade-Mitte", "--contact-role", "Leitung"],
        ["measure", "add", "--title", "Sprachcafé", "--department", "3-2", "--district",
         "stadtweit", "--ends-on", "2025-12-31", "--topic", "Integration"],
        ["suggestion", "add", "--event", 4, "--text", "=Mehr Sport für Mädchen", "--topic",
         "Sport/Bewegung", "--institution-kind", "Jugendzentrum"],
        ["suggestion", "add", "--event", 4, "--text", "Beratung für Ältere"],
        ["suggestion", "triage", 1, "exists", "--measure", 1, "--on", "2024-01-05"],
    ):
        result = cli(*args, user="planer")
        assert result.exit_code == 0, result.output
    return uow


def test_the_measure_export_read_back_equals_the_profiles(triage_data):
    from controlling.services.exports import MEASURE_COLUMNS, measure_records
    from controlling.services.measures import show_measure

    shown = [show_measure(triage_data(), "admin", i) for i in (1, 2)]
    text = render(measure_records(triage_data(), "ausschuss"), MEASURE_COLUMNS, "csv",
                  "x").decode("utf-8")
    read = [{k: csv_restore(v) for k, v in row.items()}
            for row in csv.DictReader(io.StringIO(text))]
    assert read == [{column: as_text("; ".join(map(str, m[column]))
                                     if isinstance(m[column], list) else m[column])
                     for column in MEASURE_COLUMNS} for m in shown]
    assert read[0]["title"] == "@Familienbüro" and read[0]["districts"] == (
        "Osterfeld; Sterkrade-Mitte")
    data = json.loads(render(measure_records(triage_data(), "admin"), MEASURE_COLUMNS,
                             "json", "x"))
    assert data == [{column: m[column] for column in MEASURE_COLUMNS} for m in shown]


def test_the_suggestion_export_carries_the_outcome_of_the_triage(triage_data):
    from controlling.services.exports import SUGGESTION_COLUMNS, suggestion_records

    sheet = load_workbook(io.BytesIO(render(suggestion_records(triage_data(), "admin"),
                                            SUGGESTION_COLUMNS, "xlsx", "Hinweise"))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == SUGGESTION_COLUMNS
    first, second = (dict(zip(header, row, strict=True)) for row in rows)
    assert (first["text"], first["status"], first["measure_id"], first["reason"]) == (
        "=Mehr Sport für Mädchen", "exists", 1, None)
    assert sheet.cell(row=2, column=header.index("text") + 1).data_type == "s"
    assert first["decided_on"].date() == date(2024, 1, 5)
    assert first["held_on"].date() == date(2021, 11, 1)
    assert (second["status"], second["measure_id"], second["decided_on"]) == ("open", None, None)
    open_only = suggestion_records(triage_data(), "admin", open_only=True)
    assert [r["id"] for r in open_only] == [2]
