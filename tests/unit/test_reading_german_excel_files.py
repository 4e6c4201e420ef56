"""Files as German Excel saves them: Windows-1252 or UTF-8 with byte order mark, semicolons,
German headers; one reader for every import (no database)."""

import pytest
from openpyxl import Workbook

from controlling.domain.errors import InvalidInput
from controlling.domain.numbers import parse_number
from controlling.services.tabular import read_table, sniff_delimiter

REQUIRED = ("number", "title", "district")
OPTIONAL = ("kind", "description")


def test_a_windows_1252_file_with_semicolons_and_german_headers_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("Nr.;Titel;Sozialraum;Art\r\n7;Straßenfest für Ältere;Osterfeld;"
                     "Verlängerung\r\n".encode("cp1252"))
    table = read_table(path, REQUIRED, OPTIONAL)
    assert table.rows == [(2, {"number": "7", "title": "Straßenfest für Ältere",
                               "district": "Osterfeld", "kind": "Verlängerung"})]
    assert table.encoding == "cp1252"
    assert table.notes() == ["excel.csv: als Windows-1252 gelesen (nicht UTF-8)."]


def test_utf8_with_and_without_byte_order_mark_reads_the_same(tmp_path):
    text = "nr;titel;sozialraum\n1;Ä;Mitte/Styrum\n"
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "plain.csv").write_bytes(text.encode())
    with_bom = read_table(tmp_path / "bom.csv", REQUIRED, OPTIONAL)
    without = read_table(tmp_path / "plain.csv", REQUIRED, OPTIONAL)
    assert with_bom.rows == without.rows == [
        (2, {"number": "1", "title": "Ä", "district": "Mitte/Styrum"})]
    assert with_bom.notes() == without.notes() == []


def test_excels_unicode_text_utf16_with_tabs_is_read(tmp_path):
    path = tmp_path / "unicode.csv"
    path.write_bytes("Nr.\tTitel\tSozialraum\r\n3\tÜbergang\tOsterfeld\r\n".encode("utf-16"))
    assert read_table(path, REQUIRED, OPTIONAL).rows == [
        (2, {"number": "3", "title": "Übergang", "district": "Osterfeld"})]


def test_german_headers_in_a_workbook_made_with_openpyxl_are_understood(tmp_path):
    workbook = Workbook()
    workbook.active.append(["NR.", "  Titel ", "Sozialraum", "Beschreibung"])
    workbook.active.append([4, "Sprachcafé", "Osterfeld", "für alle"])
    workbook.save(tmp_path / "a.xlsx")
    assert read_table(tmp_path / "a.xlsx", REQUIRED, OPTIONAL).rows == [
        (2, {"number": "4", "title": "Sprachcafé", "district": "Osterfeld",
             "description": "für alle"})]


def test_a_decimal_number_cell_of_a_workbook_keeps_its_value(tmp_path):
    workbook = Workbook()
    workbook.active.append(["number", "title", "district", "description"])
    workbook.active.append([1, 1.234, 1234.5, 0.00001])
    workbook.save(tmp_path / "a.xlsx")
    row = read_table(tmp_path / "a.xlsx", REQUIRED, OPTIONAL).rows[0][1]
    assert [parse_number(row[c]) for c in ("title", "district", "description")] == [
        1.234, 1234.5, 0.00001]


def test_the_delimiter_is_the_one_the_header_uses_most():
    assert sniff_delimiter("\n\na;b,c;d\n1,2,3,4,5\n") == ";"
    assert sniff_delimiter("a,b\n") == ","
    assert sniff_delimiter("a\tb\tc\n") == "\t"
    assert sniff_delimiter("a\n") == ","


def test_text_an_export_neutralised_with_an_apostrophe_is_read_back_as_it_was(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("number;title;district;description\n"
                    "1;'=SUMME(A1);'-Kurs;''zitiert\n"
                    "2;'s Eck;Osterfeld;x\n", encoding="utf-8")
    rows = [r for _n, r in read_table(path, REQUIRED, OPTIONAL).rows]
    assert [(r["title"], r["district"], r["description"]) for r in rows] == [
        ("=SUMME(A1)", "-Kurs", "'zitiert"), ("'s Eck", "Osterfeld", "x")]


def test_informational_columns_are_accepted_kept_and_named_in_a_note(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("number,title,district,status,Version\n1,A,Osterfeld,approved,3\n")
    table = read_table(path, REQUIRED, OPTIONAL, informational=("status", "version", "example"))
    assert table.rows == [(2, {"number": "1", "title": "A", "district": "Osterfeld",
                               "status": "approved", "version": "3"})]
    assert table.notes(used=("version",)) == [
        "export.csv: nicht übernommen (nur zur Information): status."]


@pytest.mark.parametrize("text, value", [
    ("1.234", 1234), ("1.234,5", 1234.5), ("12,5", 12.5), ("-3,2", -3.2), ("\u22123,2", -3.2),
    ("1.000.000", 1_000_000), ("12.5", 12.5), ("0.123", 0.123), (" 7 ", 7),
])
def test_numbers_are_read_german_first_and_strictly(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, value", [
    ("10.775", 10.775), ("1.234", 1.234), ("12.5", 12.5), ("-0.5", -0.5), ("7", 7),
    ("12,5", 12.5), ("1.234,5", 1234.5), ("1.000.000", 1_000_000),
])
def test_in_a_file_that_writes_a_decimal_point_a_lone_point_is_the_decimal_point(text, value):
    assert parse_number(text, decimal_point=True) == value


@pytest.mark.parametrize("content, delimiter_means_point, value", [
    ("indicator,district,year,value\nq,Osterfeld,2023,10.775\n", True, 10.775),
    ("indicator\tdistrict\tyear\tvalue\nq\tOsterfeld\t2023\t10.775\n", True, 10.775),
    ("Indikator;Sozialraum;Jahr;Wert\nq;Osterfeld;2023;10.775\n", False, 10775),
])
def test_the_file_decides_what_a_lone_point_means(tmp_path, content, delimiter_means_point,
                                                  value):
    path = tmp_path / "werte.csv"
    path.write_text(content, encoding="utf-8")
    table = read_table(path, ("indicator", "district", "year", "value"), ())
    assert table.decimal_point is delimiter_means_point
    text = table.rows[0][1]["value"]
    assert parse_number(text, decimal_point=table.decimal_point) == value


@pytest.mark.parametrize("text, reason", [
    ("1.2.3", "ist keine Zahl (deutsch z. B. 1.234,5 oder 12,5)"),
    ("1,234.5", "ist keine Zahl (deutsch z. B. 1.234,5 oder 12,5)"),
    ("12,3,4", "ist keine Zahl (deutsch z. B. 1.234,5 oder 12,5)"),
    ("1 234", "ist keine Zahl"), ("1e5", "ist keine Zahl"), ("viel", "ist keine Zahl"),
    ("inf", "ist keine endliche Zahl"), ("NaN", "ist keine endliche Zahl"),
])
def test_malformed_numbers_are_refused_in_german(text, reason):
    with pytest.raises(InvalidInput) as refused:
        parse_number(text)
    assert str(refused.value) == f"Wert '{text}' {reason}."


def test_the_sozialindex_columns_have_german_names_too(tmp_path):
    path = tmp_path / "quartiere.csv"
    path.write_bytes("Indikator;Sozialquartier;Jahr;Zähler;Nenner\r\n"
                     "sgb2;Tackenberg;2024;905;9.200\r\n".encode("cp1252"))
    table = read_table(path, ("indicator", "quarter", "year"), ("numerator", "denominator"))
    assert table.rows[0][1] == {"indicator": "sgb2", "quarter": "Tackenberg", "year": "2024",
                                "numerator": "905", "denominator": "9.200"}
    assert parse_number(table.rows[0][1]["denominator"]) == 9200
