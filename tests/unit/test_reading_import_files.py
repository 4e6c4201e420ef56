"""Reading CSV and XLSX import files into rows with their line numbers (no database)."""

import pytest
from openpyxl import Workbook

from controlling.domain.errors import ImportRefused
from controlling.services.tabular import read_table

REQUIRED = ("number", "title")
OPTIONAL = ("kind",)


def problems_of(path) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        read_table(path, REQUIRED, OPTIONAL)
    return refused.value.problems


def test_a_csv_file_gives_rows_with_their_line_numbers(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('number,title\n1,"Zwei\nZeilen"\n\n2,Straße\n', encoding="utf-8")
    table = read_table(path, REQUIRED, OPTIONAL)
    assert table.rows == [(2, {"number": "1", "title": "Zwei\nZeilen"}),
                          (5, {"number": "2", "title": "Straße"})]


def test_semicolons_and_a_byte_order_mark_from_excel_are_understood(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("\ufeffNumber;Title\n1;Ä\n".encode())
    assert read_table(path, REQUIRED, OPTIONAL).rows == [(2, {"number": "1", "title": "Ä"})]


def test_an_xlsx_file_gives_text_cells_with_their_row_numbers(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["number", "title", "kind"])
    sheet.append([1, "Eins", None])
    sheet.append([])
    sheet.append([2.0, "Zwei", "extension"])
    workbook.save(tmp_path / "a.xlsx")
    assert read_table(tmp_path / "a.xlsx", REQUIRED, OPTIONAL).rows == [
        (2, {"number": "1", "title": "Eins", "kind": ""}),
        (4, {"number": "2", "title": "Zwei", "kind": "extension"}),
    ]


def test_an_empty_file_is_refused_at_line_1(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"")
    assert problems_of(tmp_path / "a.csv") == ["Zeile 1: die Datei ist leer (keine Kopfzeile)."]


def test_a_header_without_rows_is_refused(tmp_path):
    (tmp_path / "a.csv").write_text("number,title\n")
    assert problems_of(tmp_path / "a.csv") == ["Zeile 2: keine Datenzeilen nach der Kopfzeile."]


def test_a_file_neither_utf8_nor_windows_1252_is_refused_at_the_line_of_the_first_bad_byte(
        tmp_path):
    (tmp_path / "a.csv").write_bytes(b"number,title\n1,ok\n2,Stra\xdfe\x81\n")
    assert problems_of(tmp_path / "a.csv") == [
        "Zeile 3: die Datei ist weder UTF-8- noch Windows-1252-kodiert (bitte als 'CSV UTF-8' "
        "speichern)."]


def test_every_header_problem_is_listed(tmp_path):
    (tmp_path / "a.csv").write_text("überschrift,kind,kind\n1,2,3\n")
    assert problems_of(tmp_path / "a.csv") == [
        "Zeile 1: Pflichtspalte 'number' fehlt.",
        "Zeile 1: Pflichtspalte 'title' fehlt.",
        "Zeile 1: unbekannte Spalte 'überschrift' (erlaubt: number, title, kind).",
        "Zeile 1: Spalte 'kind' kommt doppelt vor.",
    ]


def test_an_unclosed_quote_is_reported_where_its_record_begins(tmp_path):
    (tmp_path / "a.csv").write_text('number,title\n1,ok\n2,"offen\n3,x\n')
    assert problems_of(tmp_path / "a.csv") == [
        "Zeile 3: fehlerhaftes CSV (Anführungszeichen nicht geschlossen)."]


def test_rows_with_more_values_than_the_header_are_refused(tmp_path):
    (tmp_path / "a.csv").write_text("number,title\n1,a,b\n2,c\n3,d,e\n")
    assert problems_of(tmp_path / "a.csv") == [
        "Zeile 2: 3 Werte, aber nur 2 Spalten im Kopf.",
        "Zeile 4: 3 Werte, aber nur 2 Spalten im Kopf.",
    ]


def test_nul_characters_are_refused(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"number,title\n1,a\x00b\n")
    assert problems_of(tmp_path / "a.csv") == [
        "Zeile 2: enthält ein Nullzeichen (keine Textdatei?)."]


def test_a_broken_xlsx_file_and_an_unknown_format_are_refused_in_german(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"kein zip")
    assert problems_of(tmp_path / "a.xlsx") == [
        "Keine gültige XLSX-Datei (beschädigt oder kein Excel-Format)."]
    (tmp_path / "a.ods").write_bytes(b"")
    assert "Unbekanntes Dateiformat '.ods'" in problems_of(tmp_path / "a.ods")[0]
    assert "Datei nicht gefunden" in problems_of(tmp_path / "fehlt.csv")[0]
