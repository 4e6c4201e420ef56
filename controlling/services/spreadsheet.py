"""Spreadsheet cells that stay text, shared by the exports and the update sheets.

Formula injection: a spreadsheet program evaluates a cell that begins with = + - @ (and, in
some programs, a tab or carriage return). Exports neutralise such text:
- CSV: the field gets a leading apostrophe. Text that itself begins with an apostrophe gets one
  more, so a reader restores the original by removing exactly one leading apostrophe
  (`csv_restore`).
- XLSX: the cell is written as a string cell (`data_type` 's', with Excel's quote prefix), never
  as a formula; openpyxl would otherwise turn a string beginning with '=' into a formula.
"""

from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from controlling.domain.errors import ImportRefused

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD.MM.YYYY"


def is_risky(text: str) -> bool:
    return text.startswith(RISKY_STARTS)


def csv_safe(value) -> str:
    """One CSV field: '' for None, true/false, ISO dates, lists joined, neutralised text."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = join_list(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith((*RISKY_STARTS, "'")) else value
    return str(value)


def join_list(values) -> str:
    """A list in one cell: the items joined with '; ' (districts, recommendation numbers)."""
    return "; ".join(str(v) for v in values)


def csv_restore(field: str) -> str:
    """The original text of a field written by `csv_safe`."""
    return field[1:] if field.startswith("'") else field


def set_cell(cell, value) -> None:
    """Write a value into an openpyxl cell; text always stays text, dates get a date format."""
    if isinstance(value, list | tuple):
        value = join_list(value)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
        cell.value = value
        cell.data_type = "s"
        if is_risky(value):
            cell.quotePrefix = True
        return
    cell.value = value
    if isinstance(value, date | datetime):
        cell.number_format = DATE_FORMAT if not isinstance(value, datetime) else (
            DATE_FORMAT + " hh:mm")


class ReturnedWorkbook:
    """A workbook a user sent back, opened twice: formulas and the values Excel computed.

    `value(sheet, row, column)` gives what the user sees; a formula without a computed value
    (a file never opened in a spreadsheet program) raises ValueError.
    """

    def __init__(self, path: Path):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        self.name = path.name
        if not path.is_file():
            raise ImportRefused(path.name, [f"Datei nicht gefunden: {path}"])
        try:
            self.formulas = load_workbook(path)
            self.values = load_workbook(path, data_only=True)
        except (BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError,
                ParseError):
            raise ImportRefused(path.name, [
                "Keine gültige Excel-Datei (.xlsx); bitte den Abfragebogen als "
                "Excel-Arbeitsmappe speichern."
            ]) from None

    def has_sheet(self, title: str) -> bool:
        return title in self.formulas.sheetnames

    def value(self, sheet: str, row: int, column: int):
        cell = self.formulas[sheet].cell(row=row, column=column)
        if cell.data_type == "f":
            computed = self.values[sheet].cell(row=row, column=column).value
            if computed is None:
                raise ValueError("Formel ohne berechneten Wert; bitte den Wert selbst eintragen")
            return computed
        return cell.value

    def max_row(self, sheet: str) -> int:
        return self.formulas[sheet].max_row

    def max_column(self, sheet: str) -> int:
        return self.formulas[sheet].max_column


def cell_text(value) -> str:
    """A cell's value as the text a user typed (empty for None)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else (
            value.isoformat(sep=" "))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
