"""Reading import files (CSV or XLSX) into rows with their line numbers."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from controlling.domain.errors import ImportRefused


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
    elif suffix in (".xlsx", ".xlsm"):
        lines = _xlsx_lines(path)
    else:
        raise ImportRefused(name, [f"Unbekanntes Dateiformat '{suffix}': erwartet .csv oder .xlsx"])
    lines = [(n, cells) for n, cells in lines if any(c.strip() for c in cells)]
    if not lines:
        raise ImportRefused(name, ["Zeile 1: die Datei ist leer (keine Kopfzeile)."])
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


def _csv_lines(path: Path) -> list[tuple[int, list[str]]]:
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
    try:
        for cells in reader:
            lines.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        reason = CSV_ERRORS.get(str(error), str(error))
        problem = f"Zeile {start}: fehlerhaftes CSV ({reason})."
        raise ImportRefused(path.name, [problem]) from None
    return lines


def _xlsx_lines(path: Path) -> list[tuple[int, list[str]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError):
        problem = "Keine gültige XLSX-Datei (beschädigt oder kein Excel-Format)."
        raise ImportRefused(path.name, [problem]) from None
    try:
        sheet = workbook.worksheets[0]
        return [
            (index, [_cell_text(value) for value in row])
            for index, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
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
