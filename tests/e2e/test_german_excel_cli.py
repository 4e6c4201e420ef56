"""German Excel both ways and export → edit → import, as a user types it: exports Excel opens
by a double-click, files saved by German Excel (Windows-1252, semicolons, German headers) and
workbooks made with openpyxl read back, numbers read the German way."""

import csv
import io
import json

import pytest
from openpyxl import Workbook

from tests.conftest import snapshot


@pytest.fixture
def demo(cli, people):
    result = cli("init", "--demo")
    assert result.exit_code == 0, result.output
    return cli


def excel_rows(path) -> list[list[str]]:
    """The cells of a CSV as German Excel reads it: UTF-8 with BOM, semicolons."""
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def save_as_excel(path, rows: list[list[str]]) -> None:
    """What German Excel's "CSV (Trennzeichen-getrennt)" writes: Windows-1252, semicolons."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def export(cli, tmp_path, what: str, *options) -> list[list[str]]:
    path = tmp_path / f"{what}.csv"
    result = cli("export", what, "--excel", "--out", path, *options, user="planer")
    assert result.exit_code == 0, result.output
    return excel_rows(path)


def test_an_excel_export_has_german_headers_labels_dates_and_department_names(demo, tmp_path):
    path = tmp_path / "empfehlungen.csv"
    result = demo("export", "recommendations", "--excel", "--out", path, user="planer")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("nach " + str(path) + " geschrieben (CSV für Excel).\n")
    assert b"\r\n" in path.read_bytes()
    header, *rows = excel_rows(path)
    assert header[:8] == ["Nr.", "Titel", "Sozialraum", "Bereich", "Art", "Status", "Thema",
                          "Beschreibung"]
    first = dict(zip(header, rows[0], strict=True))
    assert first["Status"] in ("vorgeschlagen", "statistisch gestützt", "freigegeben",
                               "umgesetzt", "abgelehnt", "ersetzt")
    assert first["Art"] in ("neu", "Verlängerung", "Verstetigung")
    assert first["Bereich"].startswith("Bereich ")  # never a bare 3-1 Excel takes for a date
    assert first["vorgeschlagen am"][2] == "." and first["vorgeschlagen am"][5] == "."
    assert first["Beispieldaten"] == "ja"


def test_excel_applies_only_to_csv(demo, tmp_path):
    result = demo("export", "measures", "--excel", "--format", "xlsx", "--out",
                  tmp_path / "m.xlsx", user="planer")
    assert result.exit_code == 1
    assert result.stderr == ("Fehler: --excel gilt nur für --format csv (eine Arbeitsmappe: "
                             "--format xlsx).\n")
    assert not (tmp_path / "m.xlsx").exists()


def test_a_file_saved_by_german_excel_in_windows_1252_with_semicolons_is_imported(
        cli, people, tmp_path, engine):
    path = tmp_path / "neu.csv"
    save_as_excel(path, [["Nr.", "Titel", "Sozialraum", "Bereich", "Art", "Thema",
                          "vorgeschlagen am"],
                         ["31", "Straßenfest für Ältere", "Osterfeld",
                          "Bereich 3-1 Kinder, Jugend und Familie", "Verlängerung", "Jugend",
                          "10.01.2024"],
                         ["32", "Sprachcafé", "Alstaden/Lirich", "3-2", "neu", "", ""]])
    result = cli("import", "recommendations", path, user="planer")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2 Empfehlungen aus neu.csv eingelesen.\n"
    assert result.stderr == "Hinweis: neu.csv: als Windows-1252 gelesen (nicht UTF-8).\n"
    shown = json.loads(cli("recommendation", "show", 31, "--format", "json").stdout)
    assert (shown["title"], shown["department"], shown["kind"]) == (
        "Straßenfest für Ältere", "3-1", "extension")
    assert shown["history"][0]["effective_on"] == "2024-01-10"


def stored_values(engine) -> dict[str, float]:
    from sqlalchemy import text

    with engine.connect() as connection:
        return dict(connection.execute(text(
            "SELECT d.name, v.value FROM indicator_values v JOIN districts d "
            "ON d.id = v.district_id ORDER BY d.name")).all())


def test_german_numbers_in_a_semicolon_file_are_read_strictly(cli, people, tmp_path, engine):
    path = tmp_path / "sozialindex.csv"
    save_as_excel(path, [["Indikator", "Sozialraum", "Jahr", "Wert"],
                         ["einwohner", "Osterfeld", "2022", "1.234"],
                         ["einwohner", "Sterkrade-Nord", "2022", "1.234,5"],
                         ["einwohner", "stadtweit", "2022", "12,5"]])
    result = cli("import", "indicators", path, user="planer")
    assert result.exit_code == 0, result.output
    assert stored_values(engine) == {"Osterfeld": 1234, "Sterkrade-Nord": 1234.5,
                                     "stadtweit": 12.5}


def test_a_malformed_german_number_is_refused_and_nothing_is_written(cli, people, tmp_path,
                                                                     engine):
    path = tmp_path / "sozialindex.csv"
    save_as_excel(path, [["Indikator", "Sozialraum", "Jahr", "Wert"],
                         ["einwohner", "Osterfeld", "2022", "1.2.3"]])
    before = snapshot(engine)
    result = cli("import", "indicators", path, user="planer")
    assert result.exit_code == 1
    assert ("Zeile 2: Wert '1.2.3' ist keine Zahl (deutsch z. B. 1.234,5 oder 12,5)."
            in result.stderr)
    assert snapshot(engine) == before


def test_a_workbook_made_with_openpyxl_with_german_headers_and_decimal_cells_is_imported(
        cli, people, tmp_path, engine):
    workbook = Workbook()
    workbook.active.append(["Indikator", "Sozialraum", "Jahr", "Wert", "höher ist schlechter"])
    workbook.active.append(["quote", "Osterfeld", 2022, 1.234, "ja"])
    workbook.active.append(["quote", "stadtweit", 2022, 1234.5, "ja"])
    workbook.save(tmp_path / "sozialindex.xlsx")
    result = cli("import", "indicators", tmp_path / "sozialindex.xlsx", user="planer")
    assert result.exit_code == 0, result.output
    assert stored_values(engine) == {"Osterfeld": 1.234, "stadtweit": 1234.5}


# --- round trips ----------------------------------------------------------------------------

def test_an_exported_recommendations_file_imports_again_unchanged(demo, tmp_path, engine):
    for options in ((), ("--excel",)):
        path = tmp_path / f"empfehlungen{len(options)}.csv"
        assert demo("export", "recommendations", *options, "--out", path,
                    user="planer").exit_code == 0
        before = snapshot(engine)
        result = demo("import", "recommendations", path, user="planer")
        assert result.exit_code == 0, result.output
        assert result.stdout == (f"0 Empfehlungen aus {path.name} eingelesen; 13 schon "
                                 "vorhanden und unverändert, übersprungen.\n")
        assert "nicht übernommen (nur zur Information): " in result.stderr
        assert snapshot(engine) == before


def test_a_row_added_to_an_excel_export_is_imported_and_a_changed_one_is_named(
        demo, tmp_path, engine):
    header, *rows = export(demo, tmp_path, "recommendations")
    title = header.index("Titel")
    added = list(rows[0])
    added[0], added[title] = "77", "Neue Empfehlung aus Excel"
    path = tmp_path / "bearbeitet.csv"
    save_as_excel(path, [header, *rows, added])
    result = demo("import", "recommendations", path, user="planer")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 Empfehlungen aus bearbeitet.csv eingelesen; 13 schon")
    shown = json.loads(demo("recommendation", "show", 77, "--format", "json").stdout)
    assert (shown["title"], shown["status"]) == ("Neue Empfehlung aus Excel", "proposed")

    rows[1][title] = "Anders betitelt"
    save_as_excel(path, [header, *rows])
    before = snapshot(engine)
    result = demo("import", "recommendations", path, user="planer")
    assert result.exit_code == 1
    assert (f"Zeile 3: Nummer {rows[1][0]} gibt es bereits in der Datenbank (abweichend: "
            "title; der Import legt nur neue Empfehlungen an).") in result.stderr
    assert snapshot(engine) == before


def test_an_informational_column_must_still_hold_one_of_our_values(demo, tmp_path, engine):
    header, *rows = export(demo, tmp_path, "recommendations")
    rows[0][header.index("Status")] = "irgendwie"
    path = tmp_path / "bearbeitet.csv"
    save_as_excel(path, [header, *rows])
    result = demo("import", "recommendations", path, user="planer")
    assert result.exit_code == 1
    assert "Zeile 2: Spalte status: Ungültige Angabe für Status: 'irgendwie'" in result.stderr


def test_a_measure_edited_in_an_excel_export_is_changed_with_history(demo, tmp_path):
    header, *rows = export(demo, tmp_path, "measures")
    status = header.index("Umsetzungsstand")
    rows[0][status] = "Acht Stadtteilmütter im Einsatz."
    path = tmp_path / "massnahmen.csv"
    save_as_excel(path, [header, *rows])
    result = demo("measure", "import", path, user="planer")
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"0 Steckbriefe aus massnahmen.csv eingelesen; 1 geändert; "
                             f"{len(rows) - 1} unverändert.\n")
    shown = json.loads(demo("measure", "show", rows[0][0], "--format", "json").stdout)
    assert shown["implementation_status"] == "Acht Stadtteilmütter im Einsatz."
    last = shown["history"][-1]
    assert last["source"] == "Import massnahmen.csv"
    assert last["changes"]["implementation_status"]["to"] == "Acht Stadtteilmütter im Einsatz."


def test_a_measure_changed_since_the_export_is_refused_as_a_conflict(demo, tmp_path, engine):
    header, *rows = export(demo, tmp_path, "measures")
    measure_id = rows[0][0]
    assert demo("measure", "edit", measure_id, "--funding", "Land NRW", "--reason", "neu",
                user="planer").exit_code == 0
    rows[0][header.index("Umsetzungsstand")] = "überschreibt"
    path = tmp_path / "massnahmen.csv"
    save_as_excel(path, [header, *rows])
    before = snapshot(engine)
    result = demo("measure", "import", path, user="planer")
    assert result.exit_code == 1
    assert (f"Zeile 2: Maßnahme {measure_id} wurde seit dem Export geändert (Version 2, in der "
            "Datei 1); bitte neu exportieren.") in result.stderr
    assert snapshot(engine) == before


def test_a_new_measure_row_without_id_in_an_export_is_created(demo, tmp_path):
    header, *rows = export(demo, tmp_path, "measures")
    added = list(rows[0])
    added[0], added[header.index("Titel")] = "", "Neuer Steckbrief"
    path = tmp_path / "massnahmen.csv"
    save_as_excel(path, [header, *rows, added])
    result = demo("measure", "import", path, user="planer")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 Steckbriefe aus massnahmen.csv eingelesen")


def test_exported_suggestions_import_again_and_a_new_row_is_added(demo, tmp_path, engine):
    header, *rows = export(demo, tmp_path, "suggestions")
    result = demo("suggestion", "import", tmp_path / "suggestions.csv", user="planer")
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"0 Hinweise aus suggestions.csv eingelesen; {len(rows)} schon "
                             "vorhanden und unverändert, übersprungen.\n")
    added = list(rows[0])
    added[0], added[header.index("Text")] = "", "Ein neuer Hinweis aus Excel"
    path = tmp_path / "hinweise.csv"
    save_as_excel(path, [header, *rows, added])
    result = demo("suggestion", "import", path, user="planer")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 Hinweise aus hinweise.csv eingelesen")
    rows[0][header.index("Text")] = "geändert"
    save_as_excel(path, [header, *rows])
    before = snapshot(engine)
    result = demo("suggestion", "import", path, user="planer")
    assert result.exit_code == 1
    assert f"Zeile 2: Hinweis {rows[0][0]} gibt es bereits (abweichend: text;" in result.stderr
    assert snapshot(engine) == before
