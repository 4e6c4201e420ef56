"""Reading import files (CSV or XLSX) into rows with their line numbers.

The one place that reads a CSV file: UTF-8 (with or without byte order mark), Windows-1252
(German Excel's "CSV (Trennzeichen-getrennt)") or UTF-16 with its byte order mark (Excel's
"Unicode-Text"); the delimiter (comma, semicolon or tab) is the one the header line uses most.
Header cells are the machine names or their German names (controlling/domain/columns.py). A
text an export neutralised with an apostrophe (`'=...`) is read back without it.

The same limits hold for both formats (controlling/domain/limits.py): the file's size (a CSV
file; an XLSX workbook unpacked), data rows per file, characters per cell. A workbook is read
from its first visible sheet (a hidden sheet never), never with macros, its XML with
defusedxml (controlling/services/spreadsheet.py).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from controlling.domain.columns import column_name
from controlling.domain.errors import ImportRefused
from controlling.domain.limits import (
    IMPORT_BYTES,
    IMPORT_CELL,
    IMPORT_ROWS,
    cell_problem,
    megabytes,
    thousands,
    too_many_rows,
)
from controlling.domain.numbers import german_decimal
from controlling.services.spreadsheet import RISKY_STARTS


@dataclass
class Table:
    filename: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, cells by column)
    informational: list[str] = field(default_factory=list)  # such columns in this header
    encoding: str | None = None  # of a CSV file: "utf-8", "cp1252" or "utf-16"
    written: dict[str, str] = field(default_factory=dict)  # column -> its header as written
    # a lone point is the decimal point (a comma- or tab-separated CSV); German otherwise
    # (a semicolon CSV as German Excel writes it, XLSX): controlling/domain/numbers.py
    decimal_point: bool = False

    def notes(self, used: tuple[str, ...] = ()) -> list[str]:
        """German notes for the person importing: informational columns not taken over
        (except `used`, the ones the import checked), a file read as Windows-1252."""
        notes = []
        ignored = [c for c in self.informational if c not in used]
        if ignored:
            names = ", ".join(self.written.get(c, c) for c in ignored)
            notes.append(f"{self.filename}: nicht übernommen (nur zur Information): {names}.")
        if self.encoding == "cp1252":
            notes.append(f"{self.filename}: als Windows-1252 gelesen (nicht UTF-8).")
        return notes


def read_table(path: str | Path, required: tuple[str, ...], optional: tuple[str, ...],
               informational: tuple[str, ...] = ()) -> Table:
    """Read a .csv or .xlsx file; refuse with every header problem.

    `informational`: columns an export writes that the import does not take over; they are
    accepted (their cells kept in the rows, for checks) and named by `Table.notes`."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise ImportRefused(name, [f"Datei nicht gefunden: {path}"])
    suffix = path.suffix.lower()
    encoding, delimiter = None, None
    if suffix == ".csv":
        lines, encoding, delimiter = _csv_lines(path)
    elif suffix == ".xlsx":
        lines = _xlsx_lines(path)
    elif suffix in (".xlsm", ".xltm", ".xlsb"):
        from controlling.services.spreadsheet import MACROS

        raise ImportRefused(name, [MACROS])
    else:
        raise ImportRefused(name, [f"Unbekanntes Dateiformat '{suffix}': erwartet .csv oder .xlsx"])
    lines = [(n, cells) for n, cells in lines if any(c.strip() for c in cells)]
    if not lines:
        raise ImportRefused(name, ["Zeile 1: die Datei ist leer (keine Kopfzeile)."])
    if len(lines) > IMPORT_ROWS + 1:
        raise ImportRefused(name, [too_many_rows() + "."])
    long_cells = _long_cells(lines)
    if long_cells:
        raise ImportRefused(name, long_cells)
    nul = [n for n, cells in lines if any("\x00" in c for c in cells)]
    if nul:
        raise ImportRefused(name, [f"Zeile {n}: enthält ein Nullzeichen (keine Textdatei?)."
                                   for n in nul])
    header_line, raw_header = lines[0]
    header = [column_name(h) for h in raw_header]
    problems = []
    for column in required:
        if column not in header:
            problems.append(f"Zeile {header_line}: Pflichtspalte '{column}' fehlt.")
    for column in header:
        if column and column not in required + optional + informational:
            allowed = ", ".join(required + optional)
            problems.append(
                f"Zeile {header_line}: unbekannte Spalte '{column}' (erlaubt: {allowed})."
            )
    for column in sorted({h for h in header if h and header.count(h) > 1}):
        problems.append(f"Zeile {header_line}: Spalte '{column}' kommt doppelt vor.")
    if problems:
        raise ImportRefused(name, problems)
    rows = []
    for number, cells in lines[1:]:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(
                f"Zeile {number}: {len(cells)} Werte, aber nur {len(header)} Spalten im Kopf."
            )
            continue
        padded = list(cells) + [""] * (len(header) - len(cells))
        if suffix == ".csv":
            padded = [_restore(cell) for cell in padded]
        rows.append((number, {h: padded[i].strip() for i, h in enumerate(header) if h}))
    if problems:
        raise ImportRefused(name, problems)
    if not rows:
        raise ImportRefused(
            name, [f"Zeile {header_line + 1}: keine Datenzeilen nach der Kopfzeile."])
    return Table(filename=name, header=header, rows=rows, encoding=encoding,
                 decimal_point=delimiter in (",", "\t"),
                 informational=[c for c in informational if c in header],
                 written={c: " ".join(h.replace("\ufeff", "").split())
                          for c, h in zip(header, raw_header, strict=False)})


def by_code_or_name(departments: dict) -> dict:
    """Departments by code and by name, lower case (`3-1` or `Bereich 3-1 Kinder, Jugend und
    Familie`): an Excel export names them, since Excel takes a bare `3-1` for a date."""
    return {**{d.name.lower(): d for d in departments.values()}, **departments}


def _restore(cell: str) -> str:
    """A cell written by the exports' `csv_safe` back to its text: `'=1` is `=1`, `''x` is
    `'x`; an apostrophe before anything else is the text's own."""
    if cell.startswith("'") and cell[1:].startswith((*RISKY_STARTS, "'")):
        return cell[1:]
    return cell


CSV_ERRORS = {
    "unexpected end of data": "Anführungszeichen nicht geschlossen",
    "',' expected after '\"'": "nach einem schließenden Anführungszeichen fehlt das Komma",
    "';' expected after '\"'": "nach einem schließenden Anführungszeichen fehlt das Semikolon",
}


def _long_cells(lines) -> list[str]:
    """Every cell longer than the limit, named by line and column (header name or number)."""
    header = [column_name(h) for h in lines[0][1]]
    problems = []
    for number, cells in lines:
        for index, cell in enumerate(cells):
            column = header[index] if index < len(header) and header[index] else index + 1
            problem = cell_problem(cell, f"Zeile {number}, Spalte '{column}'")
            if problem:
                problems.append(problem + ".")
    return problems


def decode_csv(data: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and its encoding: UTF-16 by its byte order mark, else UTF-8
    (a byte order mark is dropped), else Windows-1252; refused when it is none of them."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ImportRefused(name, ["Zeile 1: die Datei ist kein gültiges UTF-16 "
                                       "(bitte als 'CSV UTF-8' speichern)."]) from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:  # a byte Windows-1252 leaves undefined
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(name, [
            f"Zeile {line}: die Datei ist weder UTF-8- noch Windows-1252-kodiert (bitte als "
            "'CSV UTF-8' speichern)."]) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter the first non-blank line (the header) uses most: semicolon (German
    Excel), tab, or comma (also when it uses none)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _csv_lines(path: Path) -> tuple[list[tuple[int, list[str]]], str, str]:
    size = path.stat().st_size
    if size > IMPORT_BYTES:
        raise ImportRefused(path.name, [f"Die Datei ist {megabytes(size)} groß (höchstens "
                                        f"{megabytes(IMPORT_BYTES)}); bitte aufteilen."])
    text, encoding = decode_csv(path.read_bytes(), path.name)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    lines = []
    start = 1
    filled = 0
    try:
        for cells in reader:
            lines.append((start, cells))
            start = reader.line_num + 1
            filled += any(cells)
            if filled > IMPORT_ROWS + 1:
                raise ImportRefused(path.name, [too_many_rows() + "."])
    except csv.Error as error:
        if str(error).startswith("field larger than field limit"):  # csv's own limit
            problem = (f"Zeile {start}: der Wert ist zu lang (mehr als "
                       f"{thousands(csv.field_size_limit())} Zeichen, höchstens "
                       f"{thousands(IMPORT_CELL)})")
        else:
            reason = CSV_ERRORS.get(str(error), str(error))
            problem = f"Zeile {start}: fehlerhaftes CSV ({reason})"
        raise ImportRefused(path.name, [problem + "."]) from None
    return lines, encoding, delimiter


def _xlsx_lines(path: Path) -> list[tuple[int, list[str]]]:
    """The rows of the first visible sheet; a data row beyond the limit ends the reading."""
    from openpyxl import load_workbook

    from controlling.services.spreadsheet import (
        BROKEN,
        check_workbook_file,
        first_visible_sheet,
        xml_problem,
    )

    check_workbook_file(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except BROKEN as error:
        raise ImportRefused(path.name, [xml_problem(error)]) from None
    try:
        sheet = first_visible_sheet(workbook, path.name)
        lines = []
        filled = 0
        for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in row]
            filled += any(cells)
            if filled > IMPORT_ROWS + 1:
                raise ImportRefused(path.name, [too_many_rows() + "."])
            lines.append((index, cells))
        return lines
    except BROKEN as error:  # the sheet's XML is parsed while its rows are read
        raise ImportRefused(path.name, [xml_problem(error)]) from None
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):  # as German Excel shows it: 1234,5 (never 1.234 = 1234)
        return str(int(value)) if value.is_integer() else german_decimal(value)
    return str(value)
