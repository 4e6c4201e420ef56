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
from controlling.domain.limits import (
    IMPORT_BYTES,
    IMPORT_CELL,
    IMPORT_MEMBERS,
    IMPORT_ROWS,
    UPDATE_SHEET_BYTES,
    megabytes,
    thousands,
    too_many_rows,
)

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


# Opening a workbook someone sent: refused before parsing when it is hostile ---------------------

MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlsb", ".xlam")
NOT_XLSX = "Keine gültige XLSX-Datei (beschädigt oder kein Excel-Format)."
MACROS = ("Die Arbeitsmappe enthält Makros (.xlsm); eingelesen werden nur Arbeitsmappen ohne "
          "Makros: bitte als 'Excel-Arbeitsmappe (.xlsx)' speichern.")
UNSAFE_XML = ("Die Datei enthält XML mit Entitäten, einer DTD oder externen Verweisen; das "
              "wird aus Sicherheitsgründen nicht gelesen. Bitte die Arbeitsmappe in Excel neu "
              "speichern.")
BROKEN = (ValueError, TypeError, KeyError, IndexError, AttributeError, OSError, ParseError,
          BadZipFile, EOFError)  # what openpyxl raises on a damaged workbook


def check_workbook_file(path: Path, limit: int = IMPORT_BYTES, invalid: str = NOT_XLSX) -> None:
    """Refuse an .xlsx before openpyxl parses it: macros (.xlsm, a VBA project inside), not a
    zip archive, more than `limit` bytes unpacked (a zip bomb: the sizes of the archive's
    directory are checked, and zipfile never unpacks more than they say); XML is parsed
    with defusedxml only."""
    import zipfile

    import openpyxl

    name = path.name
    if path.suffix.lower() in MACRO_SUFFIXES:
        raise ImportRefused(name, [MACROS])
    if not openpyxl.DEFUSEDXML:  # OPENPYXL_DEFUSEDXML=False or defusedxml missing
        raise ImportRefused(name, ["XLSX-Dateien werden nur mit 'defusedxml' gelesen, das hier "
                                   "fehlt oder abgeschaltet ist (OPENPYXL_DEFUSEDXML)."])
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > IMPORT_MEMBERS:
                raise ImportRefused(name, [f"{invalid} ({thousands(len(members))} Teile, "
                                           f"höchstens {thousands(IMPORT_MEMBERS)})"])
            unpacked = sum(member.file_size for member in members)
            if unpacked > limit:
                raise ImportRefused(name, [
                    f"Die Arbeitsmappe ist entpackt {megabytes(unpacked)} groß (höchstens "
                    f"{megabytes(limit)}); bitte aufteilen."])
            names = {member.filename.lower() for member in members}
            if any(n.endswith("vbaproject.bin") for n in names) or _macro_content(archive):
                raise ImportRefused(name, [MACROS])
    except (BadZipFile, OSError, EOFError):
        raise ImportRefused(name, [invalid]) from None


def _macro_content(archive) -> bool:
    """True when [Content_Types].xml declares a macro-enabled workbook."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return False
    if info.file_size > 1024 * 1024:
        return True  # no honest content-types part is that large
    return b"macroenabled" in archive.read(info).lower()


def xml_problem(error: BaseException) -> str:
    """The German problem for what openpyxl raised while parsing."""
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - check_workbook_file refuses then
        DefusedXmlException = ()  # noqa: N806
    while error is not None:  # openpyxl wraps what the parser raised in a ValueError
        if isinstance(error, DefusedXmlException):
            return UNSAFE_XML
        error = error.__cause__ or error.__context__
    return NOT_XLSX


def first_visible_sheet(workbook, name: str):
    """The first worksheet that is not hidden: a hidden sheet is never read."""
    for sheet in workbook.worksheets:
        if getattr(sheet, "sheet_state", "visible") == "visible":
            return sheet
    raise ImportRefused(name, ["Die Arbeitsmappe hat kein sichtbares Tabellenblatt "
                               "(ausgeblendete Blätter werden nicht eingelesen)."])


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
        invalid = ("Keine gültige Excel-Datei (.xlsx); bitte den Abfragebogen als "
                   "Excel-Arbeitsmappe speichern.")
        # loaded whole, and twice: a smaller limit than for the tables of `import`
        check_workbook_file(path, UPDATE_SHEET_BYTES, invalid)
        try:
            self.formulas = load_workbook(path)
            self.values = load_workbook(path, data_only=True)
        except (InvalidFileException, *BROKEN) as error:
            problem = xml_problem(error)
            raise ImportRefused(path.name, [invalid if problem == NOT_XLSX else problem]
                                ) from None

    def has_sheet(self, title: str) -> bool:
        return title in self.formulas.sheetnames

    def value(self, sheet: str, row: int, column: int):
        cell = self.formulas[sheet].cell(row=row, column=column)
        if cell.data_type == "f":
            computed = self.values[sheet].cell(row=row, column=column).value
            if computed is None:
                raise ValueError("Formel ohne berechneten Wert; bitte den Wert selbst eintragen")
            value = computed
        else:
            value = cell.value
        if isinstance(value, str) and len(value) > IMPORT_CELL:
            raise ValueError(f"der Wert ist zu lang ({thousands(len(value))} Zeichen, "
                             f"höchstens {thousands(IMPORT_CELL)})")
        return value

    def max_row(self, sheet: str) -> int:
        """The last row of a sheet; refused beyond IMPORT_ROWS data rows."""
        rows = self.formulas[sheet].max_row
        if rows > IMPORT_ROWS + 1:
            raise ImportRefused(self.name, [f"Blatt '{sheet}': {too_many_rows()}."])
        return rows

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
