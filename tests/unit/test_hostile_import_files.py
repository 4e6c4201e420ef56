"""Import files that try to hurt (items 6 and 7), refused at once with a German line,
no database needed: the same limits for CSV and XLSX (cell length, rows, size), a zip bomb
refused before it is unpacked, hidden sheets never read, macros refused, XML entities (XXE,
billion laughs) refused through defusedxml."""

import time
import zipfile

import openpyxl
import pytest
from openpyxl import Workbook

from controlling.domain import limits
from controlling.domain.errors import ImportRefused
from controlling.services.spreadsheet import ReturnedWorkbook
from controlling.services.tabular import read_table

REQUIRED = ("number", "title")
OPTIONAL = ("kind",)


def problems_of(path) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        read_table(path, REQUIRED, OPTIONAL)
    return refused.value.problems


SHEET = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<sheetData>{rows}</sheetData></worksheet>')


def row(number: int, *values: str) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                    for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def workbook(path, sheets: list[tuple[str, str, str]], *, doctype: str = "",
             extra: dict[str, bytes] | None = None, content_type: str = (
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
             compression=zipfile.ZIP_DEFLATED):
    """A minimal .xlsx written by hand: sheets as (name, state, rows-xml)."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applicati'
            'on/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Conten'
            f'tType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
            f'{content_type}"/>{overrides}</Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxm'
            'lformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://sch'
            'emas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
            '"xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlform'
            'ats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/offic'
            'eDocument/2006/relationships"><sheets>' + "".join(
                f'<sheet name="{name}" sheetId="{i}" state="{state}" r:id="rId{i}"/>'
                for i, (name, state, _rows) in enumerate(sheets, start=1))
            + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxm'
            'lformats.org/package/2006/relationships">' + "".join(
                f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocu'
                f'ment/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(sheets) + 1)) + "</Relationships>"),
    }
    for i, (_name, _state, rows) in enumerate(sheets, start=1):
        files[f"xl/worksheets/sheet{i}.xml"] = SHEET.format(doctype=doctype, rows=rows)
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


GOOD = row(1, "number", "title") + row(2, "1", "Sichtbar")


def test_a_hand_made_workbook_is_read_like_one_from_excel(tmp_path):
    path = workbook(tmp_path / "a.xlsx", [("Tabelle1", "visible", GOOD)])
    assert read_table(path, REQUIRED, OPTIONAL).rows == [(2, {"number": "1",
                                                              "title": "Sichtbar"})]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_never_read_the_first_visible_one_is(tmp_path, state):
    hidden = row(1, "number", "title") + row(2, "666", "Versteckt")
    path = workbook(tmp_path / "a.xlsx", [("Geheim", state, hidden),
                                          ("Tabelle1", "visible", GOOD)])
    assert read_table(path, REQUIRED, OPTIONAL).rows == [(2, {"number": "1",
                                                              "title": "Sichtbar"})]


def test_a_workbook_with_only_hidden_sheets_is_refused(tmp_path):
    path = workbook(tmp_path / "a.xlsx", [("Geheim", "hidden", GOOD)])
    assert problems_of(path) == ["Die Arbeitsmappe hat kein sichtbares Tabellenblatt "
                                 "(ausgeblendete Blätter werden nicht eingelesen)."]


def test_openpyxl_hides_a_sheet_that_our_reader_then_skips(tmp_path):
    book = Workbook()
    book.active.title = "Geheim"
    book.active.append(["number", "title"])
    book.active.append([666, "Versteckt"])
    visible = book.create_sheet("Tabelle1")
    visible.append(["number", "title"])
    visible.append([1, "Sichtbar"])
    book["Geheim"].sheet_state = "hidden"
    book.active = 1
    book.save(tmp_path / "a.xlsx")
    assert read_table(tmp_path / "a.xlsx", REQUIRED, OPTIONAL).rows == [
        (2, {"number": "1", "title": "Sichtbar"})]


MACROS = ("Die Arbeitsmappe enthält Makros (.xlsm); eingelesen werden nur Arbeitsmappen ohne "
          "Makros: bitte als 'Excel-Arbeitsmappe (.xlsx)' speichern.")


@pytest.mark.parametrize("how", ["suffix", "vba project", "content type"])
def test_a_workbook_with_macros_is_refused(tmp_path, how):
    name = "a.xlsm" if how == "suffix" else "a.xlsx"
    extra = {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"} if how == "vba project" else None
    content_type = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml"
                    if how == "content type" else
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    path = workbook(tmp_path / name, [("Tabelle1", "visible", GOOD)], extra=extra,
                    content_type=content_type)
    assert problems_of(path) == [MACROS]
    with pytest.raises(ImportRefused) as refused:
        ReturnedWorkbook(path)
    assert refused.value.problems == [MACROS]


def test_the_xml_of_workbooks_is_parsed_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True  # defusedxml is a dependency (pyproject.toml)


XXE = ('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;")
LAUGHS = ('<!DOCTYPE worksheet [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'
          '"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;'
          '&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;'
          '&g;&g;">]>', "&h;")
UNSAFE_XML = ("Die Datei enthält XML mit Entitäten, einer DTD oder externen Verweisen; das wird "
              "aus Sicherheitsgründen nicht gelesen. Bitte die Arbeitsmappe in Excel neu "
              "speichern.")


@pytest.mark.parametrize(("doctype", "entity"), [XXE, LAUGHS], ids=["xxe", "billion laughs"])
def test_xml_entities_in_a_sheet_are_refused_in_german(tmp_path, doctype, entity):
    rows = row(1, "number", "title") + row(2, "1", entity)
    path = workbook(tmp_path / "a.xlsx", [("Tabelle1", "visible", rows)], doctype=doctype)
    started = time.process_time()  # CPU time: a loaded machine does not make it fail
    assert problems_of(path) == [UNSAFE_XML]
    assert time.process_time() - started < 5


def test_xml_entities_in_a_returned_update_sheet_are_refused_too(tmp_path):
    rows = row(1, "number", "title") + row(2, "1", "&xxe;")
    path = workbook(tmp_path / "a.xlsx", [("Sachstand", "visible", rows)], doctype=XXE[0])
    with pytest.raises(ImportRefused) as refused:
        ReturnedWorkbook(path)
    assert refused.value.problems == [UNSAFE_XML]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(limits.IMPORT_BYTES // len(chunk) + 1):
                member.write(chunk)
    assert bomb.stat().st_size < 1024 * 1024  # 129 MB of zeros in a few hundred kilobytes
    started = time.process_time()  # CPU time: a loaded machine does not make it fail
    assert problems_of(bomb) == ["Die Arbeitsmappe ist entpackt 129 MB groß (höchstens 128 MB); "
                                 "bitte aufteilen."]
    assert time.process_time() - started < 1


def test_an_update_sheet_has_a_smaller_unpacked_limit(tmp_path, monkeypatch):
    path = workbook(tmp_path / "a.xlsx", [("Tabelle1", "visible", GOOD * 200)])
    monkeypatch.setattr("controlling.services.spreadsheet.UPDATE_SHEET_BYTES", 1000)
    with pytest.raises(ImportRefused) as refused:
        ReturnedWorkbook(path)
    assert refused.value.problems[0].startswith("Die Arbeitsmappe ist entpackt ")


def test_a_file_that_is_no_zip_is_refused_as_no_xlsx(tmp_path):
    (tmp_path / "a.xlsx").write_text("number,title\n1,x\n")
    assert problems_of(tmp_path / "a.xlsx") == [
        "Keine gültige XLSX-Datei (beschädigt oder kein Excel-Format)."]


# The same limits for CSV and XLSX ------------------------------------------------------------

LONG = "x" * (limits.IMPORT_CELL + 1)
TOO_LONG = "der Wert ist zu lang (32.768 Zeichen, höchstens 32.767)."


def test_a_cell_longer_than_the_limit_is_refused_in_csv_and_xlsx_alike(tmp_path):
    csv_path = tmp_path / "a.csv"
    csv_path.write_text(f"number,title\n1,{LONG}\n", encoding="utf-8")
    xlsx_path = workbook(tmp_path / "a.xlsx", [("Tabelle1", "visible",
                                                row(1, "number", "title") + row(2, "1", LONG))])
    expected = [f"Zeile 2, Spalte 'title': {TOO_LONG}"]
    assert problems_of(csv_path) == expected
    assert problems_of(xlsx_path) == expected


def test_a_cell_of_exactly_the_limit_is_read(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(f"number,title\n1,{LONG[:-1]}\n", encoding="utf-8")
    assert len(read_table(path, REQUIRED, OPTIONAL).rows[0][1]["title"]) == limits.IMPORT_CELL


def test_a_csv_field_beyond_the_csv_modules_own_limit_is_refused_in_german(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("number,title\n1,\"" + "x" * 200_000 + "\"\n", encoding="utf-8")
    assert problems_of(path) == ["Zeile 2: der Wert ist zu lang (mehr als 131.072 Zeichen, "
                                 "höchstens 32.767)."]


def test_more_rows_than_the_limit_are_refused_at_once_in_csv_and_xlsx(tmp_path, monkeypatch):
    monkeypatch.setattr("controlling.services.tabular.IMPORT_ROWS", 50)
    monkeypatch.setattr(limits, "IMPORT_ROWS", 50)
    rows = [f"{n},Titel {n}" for n in range(1, 52)]
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("number,title\n" + "\n".join(rows) + "\n", encoding="utf-8")
    xlsx_path = workbook(tmp_path / "a.xlsx", [("Tabelle1", "visible", row(1, "number", "title")
                                                + "".join(row(n + 1, str(n), f"T {n}")
                                                          for n in range(1, 52)))])
    expected = ["die Datei hat mehr als 50 Datenzeilen (höchstens 50 je Datei); bitte "
                "aufteilen."]
    assert problems_of(csv_path) == expected
    assert problems_of(xlsx_path) == expected
    csv_path.write_text("number,title\n" + "\n".join(rows[:50]) + "\n", encoding="utf-8")
    assert len(read_table(csv_path, REQUIRED, OPTIONAL).rows) == 50


def test_a_million_row_csv_is_refused_in_a_moment(tmp_path):
    path = tmp_path / "gross.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("number,title\n")
        handle.writelines(f"{n},T\n" for n in range(1, 1_000_001))
    started = time.process_time()  # CPU time: a loaded machine does not make it fail
    assert problems_of(path) == ["die Datei hat mehr als 100.000 Datenzeilen (höchstens "
                                 "100.000 je Datei); bitte aufteilen."]
    assert time.process_time() - started < 5


def test_a_csv_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr("controlling.services.tabular.IMPORT_BYTES", 1024 * 1024)
    path = tmp_path / "a.csv"
    path.write_bytes(b"number,title\n" + b"1,x\n" * 300_000)
    assert problems_of(path) == ["Die Datei ist 1 MB groß (höchstens 1 MB); bitte aufteilen."]


def test_a_long_cell_in_a_returned_update_sheet_is_refused_where_it_is(tmp_path):
    path = workbook(tmp_path / "a.xlsx", [("Sachstand", "visible", row(1, LONG))])
    with pytest.raises(ValueError, match=r"der Wert ist zu lang \(32.768 Zeichen"):
        ReturnedWorkbook(path).value("Sachstand", 1, 1)
