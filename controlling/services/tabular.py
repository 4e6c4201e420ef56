"""Reading import files (CSV or XLSX) into rows with their line numbers.

The same limits hold for both formats (controlling/domain/limits.py): the file's size (a CSV
file; an XLSX workbook unpacked), data rows per file, characters per cell. A workbook is read
from its first visible sheet (a hidden sheet never), never with macros, its XML with
defusedxml (controlling/services/spreadsheet.py).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

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


@dataclass
class Table:
    filename: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, cells by column)


def read_table(path: str | Path, required: tuple[str, ...], optional: tuple[str, ...]) -> Table:
    """Read a .csv (UTF-8, comma or semicolon) or .xlsx file; refuse with every header problem."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise ImportRefused(name, [f"Datei nicht gefunden: {path}"])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        lines = _csv_lines(path)
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
    header = [h.strip().lower().lstrip("\ufeff") for h in raw_header]
    problems = []
    for column in required:
        if column not in header:
            problems.append(f"Zeile {header_line}: Pflichtspalte '{column}' fehlt.")
    for column in header:
        if column and column not in required + optional:
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
        rows.append((number, {h: padded[i].strip() for i, h in enumerate(header) if h}))
    if problems:
        raise ImportRefused(name, problems)
    if not rows:
        raise ImportRefused(
            name, [f"Zeile {header_line + 1}: keine Datenzeilen nach der Kopfzeile."])
    return Table(filename=name, header=header, rows=rows)


CSV_ERRORS = {
    "unexpected end of data": "Anführungszeichen nicht geschlossen",
    "',' expected after '\"'": "nach einem schließenden Anführungszeichen fehlt das Komma",
    "';' expected after '\"'": "nach einem schließenden Anführungszeichen fehlt das Semikolon",
}


def _long_cells(lines) -> list[str]:
    """Every cell longer than the limit, named by line and column (header name or number)."""
    header = [h.strip().lower().lstrip("\ufeff") for h in lines[0][1]]
    problems = []
    for number, cells in lines:
        for index, cell in enumerate(cells):
            column = header[index] if index < len(header) and header[index] else index + 1
            problem = cell_problem(cell, f"Zeile {number}, Spalte '{column}'")
            if problem:
                problems.append(problem + ".")
    return problems


def _csv_lines(path: Path) -> list[tuple[int, list[str]]]:
    size = path.stat().st_size
    if size > IMPORT_BYTES:
        raise ImportRefused(path.name, [f"Die Datei ist {megabytes(size)} groß (höchstens "
                                        f"{megabytes(IMPORT_BYTES)}); bitte aufteilen."])
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            path.name,
            [f"Zeile {line}: die Datei ist nicht UTF-8-kodiert (bitte als 'CSV UTF-8' speichern)."],
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
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
    return lines


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
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
