"""Imports from CSV and XLSX: a valid file is read completely; a file with any problem is
refused with every problem and its line, and nothing is written (row counts of every table)."""

import csv
import json

import pytest
from openpyxl import Workbook

from tests.conftest import row_counts

FORMATS = ["csv", "xlsx"]
HEADER = ["number", "title", "district", "department", "kind", "topic", "proposed_on"]


def write(tmp_path, fmt: str, rows: list[list], name: str = "datei") -> str:
    """The rows as a .csv (UTF-8) or .xlsx file, as a user would save them."""
    path = tmp_path / f"{name}.{fmt}"
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    else:
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        workbook.save(path)
    return str(path)


def refused(cli, engine, path, expected: list[str], user="planer"):
    """Run the import; it must fail listing exactly the expected problems, writing nothing."""
    kind = "indicators" if "indicator" in path.rsplit("/", 1)[-1] else "recommendations"
    before = row_counts(engine)
    result = cli("import", kind, path, user=user)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.rstrip("\n").split("\n")
    assert lines[0].startswith("Fehler: Import von ")
    assert "abgelehnt, nichts wurde geschrieben" in lines[0]
    assert [line.strip() for line in lines[1:]] == expected
    assert row_counts(engine) == before


@pytest.fixture(scope="module")
def existing(module_cli):
    """Recommendation 1 exists in the database."""
    result = module_cli("recommendation", "add", "--number", 1, "--title", "Schon da",
                        "--district", "Osterfeld", "--department", "3-1", user="planer")
    assert result.exit_code == 0, result.stderr
    return module_cli


@pytest.fixture
def cli(existing):
    return existing


@pytest.fixture
def engine(module_engine):
    return module_engine


# --- valid files --------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_a_valid_recommendations_file_is_imported_completely(cli, engine, tmp_path, fmt):
    base = 100 if fmt == "csv" else 200
    path = write(tmp_path, fmt, [
        HEADER,
        [base + 1, "Familienzentrum ausbauen", "Osterfeld", "3-1", "", "Jugend", "2024-01-10"],
        [base + 2, "Sprachcafé verstetigen", "alstaden/lirich", "3-2", "permanence", "", ""],
        [base + 3, "Übersicht im Sozialnavigator", "stadtweit", "SC", "new", "", "15.02.2024"],
    ])
    before = row_counts(engine)
    result = cli("import", "recommendations", path, user="planer")
    assert result.exit_code == 0, result.stderr
    assert "3 Empfehlungen" in result.stdout
    after = row_counts(engine)
    assert after["recommendations"] == before["recommendations"] + 3
    assert after["status_changes"] == before["status_changes"] + 3
    listed = {r["number"]: r for r in json.loads(
        cli("recommendation", "list", "--format", "json").stdout)}
    assert {k: listed[base + 1][k] for k in ("title", "district", "department", "kind",
                                             "status", "topic")} == {
        "title": "Familienzentrum ausbauen", "district": "Osterfeld", "department": "3-1",
        "kind": "new", "status": "proposed", "topic": "Jugend"}
    assert listed[base + 2]["district"] == "Alstaden/Lirich"
    assert listed[base + 2]["kind"] == "permanence"
    shown = json.loads(cli("recommendation", "show", base + 3, "--format", "json").stdout)
    assert shown["history"][0]["effective_on"] == "2024-02-15"
    assert shown["history"][0]["source"] == f"Import datei.{fmt}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_valid_indicators_file_is_imported_and_a_second_import_replaces_values(
        cli, engine, tmp_path, fmt):
    code = f"quote_{fmt}"
    rows = [["indicator", "district", "year", "value", "label", "higher_is_worse"],
            [code, "Osterfeld", 2022, "12,5", "Quote", "true"],
            [code, "stadtweit", 2022, 10, "", ""]]
    result = cli("import", "indicators", write(tmp_path, fmt, rows, "indicators"),
                 user="planer")
    assert result.exit_code == 0, result.stderr
    assert "2 Indikatorwerte" in result.stdout and "0 ersetzt" in result.stdout
    rows[1][3] = 8
    before = row_counts(engine)
    result = cli("import", "indicators", write(tmp_path, fmt, rows, "indicators2"),
                 user="planer")
    assert result.exit_code == 0, result.stderr
    assert "2 ersetzt" in result.stdout
    assert row_counts(engine) == before
    add = cli("recommendation", "add", "--number", 300 + len(fmt), "--title", "t", "--district",
              "Osterfeld", "--department", "3-1", user="planer")
    assert add.exit_code == 0
    refused_support = cli("recommendation", "support", 300 + len(fmt), "--indicator", code,
                          user="planer")
    assert "Osterfeld 8 gegenüber stadtweit 10" in refused_support.stderr


# --- recommendations: each kind of error ------------------------------------------------------

RECOMMENDATION_ERRORS = {
    "unknown district": (
        [[10, "Titel", "Nirgendwo", "3-1"]],
        ["Zeile 2: unbekannter Sozialraum 'Nirgendwo'."]),
    "unknown department": (
        [[10, "Titel", "Osterfeld", "9-9"]],
        ["Zeile 2: unbekannter Bereich '9-9'."]),
    "duplicate number in the file": (
        [[10, "A", "Osterfeld", "3-1"], [11, "B", "Osterfeld", "3-1"],
         [10, "C", "Osterfeld", "3-1"]],
        ["Zeile 4: Nummer 10 kommt in der Datei doppelt vor (schon in Zeile 2)."]),
    "number already in the database": (
        [[10, "A", "Osterfeld", "3-1"], [1, "B", "Osterfeld", "3-1"]],
        ["Zeile 3: Nummer 1 gibt es bereits in der Datenbank (abweichend: title; der Import "
         "legt nur neue Empfehlungen an)."]),
    "empty title": (
        [[10, "", "Osterfeld", "3-1"]],
        ["Zeile 2: Titel fehlt."]),
    "bad kind": (
        [[10, "Titel", "Osterfeld", "3-1", "sonstiges"]],
        ["Zeile 2: Ungültige Angabe für Art: 'sonstiges' (erlaubt: neu (new), Verlängerung "
         "(extension), Verstetigung (permanence))."]),
    "bad number": (
        [["zehn", "Titel", "Osterfeld", "3-1"], [0, "Titel", "Osterfeld", "3-1"],
         [99999999999, "Titel", "Osterfeld", "3-1"]],
        ["Zeile 2: Nummer 'zehn' ist keine ganze Zahl.", "Zeile 3: Nummer 0 muss positiv sein.",
         "Zeile 4: Nummer 99999999999 ist zu groß (höchstens 2147483647)."]),
    "bad date": (
        [[10, "Titel", "Osterfeld", "3-1", "", "", "31.02.2024"]],
        ["Zeile 2: Ungültiges proposed_on '31.02.2024': den 31.02.2024 gibt es nicht."]),
    "unknown topic": (
        [[10, "Titel", "Osterfeld", "3-1", "", "Kochen"]],
        ["Zeile 2: unbekanntes Thema 'Kochen'."]),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("error", RECOMMENDATION_ERRORS)
def test_a_recommendations_file_with_an_error_is_refused_and_nothing_is_written(
        cli, engine, tmp_path, fmt, error):
    rows, expected = RECOMMENDATION_ERRORS[error]
    path = write(tmp_path, fmt, [HEADER, *[r + [""] * (len(HEADER) - len(r)) for r in rows]])
    refused(cli, engine, path, expected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_several_errors_in_one_file_are_all_listed_in_line_order(cli, engine, tmp_path, fmt):
    path = write(tmp_path, fmt, [
        ["number", "title", "district", "department", "kind"],
        [20, "Gut", "Osterfeld", "3-1", "new"],
        [1, "", "Nirgendwo", "9-9", "neu"],
        [20, "Doppelt", "Osterfeld", "3-1", "quatsch"],
    ])
    refused(cli, engine, path, [
        "Zeile 3: Titel fehlt.",
        "Zeile 3: unbekannter Sozialraum 'Nirgendwo'.",
        "Zeile 3: unbekannter Bereich '9-9'.",
        "Zeile 3: Nummer 1 gibt es bereits in der Datenbank.",
        "Zeile 4: Nummer 20 kommt in der Datei doppelt vor (schon in Zeile 2).",
        "Zeile 4: Ungültige Angabe für Art: 'quatsch' (erlaubt: neu (new), Verlängerung "
        "(extension), Verstetigung (permanence)).",
    ])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_column_is_refused(cli, engine, tmp_path, fmt):
    path = write(tmp_path, fmt, [["number", "title", "district"], [10, "Titel", "Osterfeld"]])
    refused(cli, engine, path, ["Zeile 1: Pflichtspalte 'department' fehlt."])


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_file_is_refused(cli, engine, tmp_path, fmt):
    path = write(tmp_path, fmt, [])
    refused(cli, engine, path, ["Zeile 1: die Datei ist leer (keine Kopfzeile)."])


def test_a_file_neither_utf8_nor_windows_1252_is_refused(cli, engine, tmp_path):
    path = tmp_path / "kaputt.csv"
    path.write_bytes("number,title,district,department\n10,Straße,Osterfeld,3-1\n"
                     .encode("cp1252").replace(b"\xdf", b"\x81"))
    refused(cli, engine, str(path), [
        "Zeile 2: die Datei ist weder UTF-8- noch Windows-1252-kodiert (bitte als 'CSV UTF-8' "
        "speichern)."])


@pytest.mark.parametrize("user", ["bl31", "ausschuss"])
def test_only_planners_and_admins_may_import(cli, engine, tmp_path, user):
    path = write(tmp_path, "csv", [HEADER[:4], [10, "Titel", "Osterfeld", "3-1"]])
    before = row_counts(engine)
    result = cli("import", "recommendations", path, user=user)
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: Keine Berechtigung:")
    assert row_counts(engine) == before


# --- indicators: each kind of error -----------------------------------------------------------

INDICATOR_HEADER = ["indicator", "district", "year", "value", "label", "higher_is_worse"]
INDICATOR_ERRORS = {
    "bad year": ([["q", "Osterfeld", "zweitausend", 1]],
                 ["Zeile 2: Jahr 'zweitausend' ist keine Jahreszahl."]),
    "implausible year": ([["q", "Osterfeld", 1850, 1]],
                         ["Zeile 2: Jahr 1850 ist unplausibel."]),
    "bad value": ([["q", "Osterfeld", 2022, "viel"]],
                  ["Zeile 2: Wert 'viel' ist keine Zahl."]),
    "missing value": ([["q", "Osterfeld", 2022, ""]], ["Zeile 2: Wert fehlt."]),
    "not a finite value": ([["q", "Osterfeld", 2022, "inf"]],
                           ["Zeile 2: Wert 'inf' ist keine endliche Zahl."]),
    "bad higher_is_worse": ([["q", "Osterfeld", 2022, 1, "", "vielleicht"]],
                            ["Zeile 2: higher_is_worse 'vielleicht' ist weder true noch false."]),
    "unknown district": ([["q", "Nirgendwo", 2022, 1]],
                         ["Zeile 2: unbekannter Sozialraum 'Nirgendwo'."]),
    "missing indicator": ([["", "Osterfeld", 2022, 1]], ["Zeile 2: Indikator fehlt."]),
    "duplicate value": ([["q", "Osterfeld", 2022, 1], ["q", "osterfeld", 2022, 2]],
                        ["Zeile 3: q/Osterfeld/2022 kommt doppelt vor (schon in Zeile 2)."]),
    "contradicting direction": (
        [["q", "Osterfeld", 2022, 1, "", "true"], ["q", "stadtweit", 2022, 1, "", "false"]],
        ["Zeile 3: andere Richtung (higher_is_worse) für q als in Zeile 2."]),
    "too long code": ([["q" * 121, "Osterfeld", 2022, 1]],
                      ["Zeile 2: Indikator ist zu lang (121 Zeichen, höchstens 120)."]),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("error", INDICATOR_ERRORS)
def test_an_indicators_file_with_an_error_is_refused_and_nothing_is_written(
        cli, engine, tmp_path, fmt, error):
    rows, expected = INDICATOR_ERRORS[error]
    padded = [r + [""] * (len(INDICATOR_HEADER) - len(r)) for r in rows]
    refused(cli, engine, write(tmp_path, fmt, [INDICATOR_HEADER, *padded], "indicators"),
            expected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_several_indicator_errors_are_all_listed(cli, engine, tmp_path, fmt):
    path = write(tmp_path, fmt, [
        INDICATOR_HEADER,
        ["q", "Osterfeld", "20x2", "abc", "", "vielleicht"],
        ["", "Nirgendwo", 2022, "1,5", "", ""],
    ], "indicators")
    refused(cli, engine, path, [
        "Zeile 2: Jahr '20x2' ist keine Jahreszahl.",
        "Zeile 2: Wert 'abc' ist keine Zahl.",
        "Zeile 2: higher_is_worse 'vielleicht' ist weder true noch false.",
        "Zeile 3: Indikator fehlt.",
        "Zeile 3: unbekannter Sozialraum 'Nirgendwo'.",
    ])


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_indicators_file_without_the_value_column_or_empty_is_refused(
        cli, engine, tmp_path, fmt):
    path = write(tmp_path, fmt, [["indicator", "district", "year"], ["q", "Osterfeld", 2022]],
                 "indicators")
    refused(cli, engine, path, ["Zeile 1: Pflichtspalte 'value' fehlt."])
    refused(cli, engine, write(tmp_path, fmt, [], "indicators_empty"),
            ["Zeile 1: die Datei ist leer (keine Kopfzeile)."])


def test_an_indicators_file_neither_utf8_nor_windows_1252_is_refused(cli, engine, tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_bytes(b"indicator,district,year,value,label\n"
                     b"q,Osterfeld,2022,1,Quote f\xfcr \xc4ltere\x81\n")
    refused(cli, engine, str(path), [
        "Zeile 2: die Datei ist weder UTF-8- noch Windows-1252-kodiert (bitte als 'CSV UTF-8' "
        "speichern)."])


def test_an_import_of_ten_times_the_rows_takes_the_same_statements(engine, tmp_path, cli):
    """The rows are written in multi-row statements (batches), not one or two per row."""
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.services.imports import import_recommendations
    from tests.report_builders import StatementCounter

    def statements(first: int, count: int) -> int:
        path = write(tmp_path, "csv", [HEADER] + [
            [first + n, f"Empfehlung {first + n}", "Osterfeld", "3-1", "", "", "2024-01-10"]
            for n in range(count)], name=f"viele-{first}")
        with StatementCounter(engine) as counter:
            result = import_recommendations(UnitOfWork(engine), "planer", path)
        assert result["imported"] == count
        return len(counter.statements)

    assert statements(5000, 30) == statements(6000, 300)
