"""The update sheet (Sachstandsabfrage) as an Excel workbook: building it, reading a returned one
and checking one filled row. Plain data in and out, no database (the use cases are in
controlling/services/update_sheets.py).

Sheet "Sachstände" holds the locked facts (number, title, district, status, last light and
Sachstand) and four columns to fill (Ampel, Sachstand, umgesetzt, wirksam am); sheet "Anleitung"
explains them; the very hidden, protected sheet "Metadaten" records department, quarter, export
time and the data version (the recommendation's `version`) of every row.

Sheet protection without a password keeps honest users from slips only, so the metadata, the
locked cells, the header and the instructions are signed (format version 2): every signed value
carries its HMAC-SHA256 code (controlling/domain/signing.py) in the metadata sheet, with the key
kept in the database, plus one code over all codes. A returned workbook whose metadata, locked
cells or sheets were changed is refused, naming each changed cell; one signed with another key
(another database) is refused as such.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from hmac import compare_digest
from pathlib import Path

from controlling.domain.dates import Quarter, parse_date
from controlling.domain.errors import ImportRefused, InvalidInput
from controlling.domain.formatting import format_date, format_datetime
from controlling.domain.limits import MAX_INTEGER
from controlling.domain.signing import seal, unchanged
from controlling.domain.vocabulary import Light
from controlling.services.spreadsheet import ReturnedWorkbook, cell_text, set_cell

SHEET_DATA = "Sachstände"
SHEET_HELP = "Anleitung"
SHEET_META = "Metadaten"
FORMAT = "controlling-sachstandsabfrage"
FORMAT_VERSION = 2  # 2: signed (version 1 workbooks are refused: make new ones)

LIGHTS = {
    "grün": Light.GREEN, "gruen": Light.GREEN, "green": Light.GREEN,
    "gelb": Light.YELLOW, "yellow": Light.YELLOW,
    "rot": Light.RED, "red": Light.RED,
}
YES, NO = "ja", "nein"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    fill: bool = False


COLUMNS = (
    Column("number", "Nr.", 7),
    Column("title", "Empfehlung", 45),
    Column("district", "Sozialraum", 17),
    Column("status", "Status", 12),
    Column("last_quarter", "Quartal (zuletzt)", 11),
    Column("last_light", "Ampel (zuletzt)", 10),
    Column("last_note", "Sachstand (zuletzt)", 40),
    Column("light", "Ampel", 10, fill=True),
    Column("note", "Sachstand", 50, fill=True),
    Column("implemented", "umgesetzt", 11, fill=True),
    Column("effective_on", "wirksam am", 12, fill=True),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
FILL_KEYS = tuple(c.key for c in COLUMNS if c.fill)
READ_KEYS = ("number", *FILL_KEYS)
SEALED = tuple((index, c) for index, c in enumerate(COLUMNS, start=1) if not c.fill)
OURS = (SHEET_DATA, SHEET_HELP, SHEET_META)


# The workbook ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SheetRow:
    number: int
    title: str
    district: str
    status: str  # German label
    last_quarter: str | None
    last_light: str | None  # German label
    last_note: str | None
    version: int


@dataclass(frozen=True)
class SheetPlan:
    department_code: str
    department_name: str
    quarter: Quarter
    exported_at: datetime
    exported_by: str
    rows: tuple[SheetRow, ...]

    @property
    def file_name(self) -> str:
        code = re.sub(r"[^A-Za-z0-9-]+", "_", self.department_code)
        return f"sachstand-{self.quarter}-{code}.xlsx"


def build_workbook(plan: SheetPlan, key: bytes):
    """The department's workbook (openpyxl), built from plain data and signed with `key`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_DATA
    locked_fill = PatternFill("solid", fgColor="E7E6E6")
    open_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        set_cell(cell, column.header)
        cell.font = Font(bold=True)
        cell.fill = open_fill if column.fill else locked_fill
        cell.alignment = wrap
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for line, row in enumerate(plan.rows, start=2):
        values = {
            "number": row.number, "title": row.title, "district": row.district,
            "status": row.status, "last_quarter": row.last_quarter,
            "last_light": row.last_light, "last_note": row.last_note,
        }
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=line, column=index)
            cell.alignment = wrap
            if column.fill:
                cell.protection = Protection(locked=False)
                cell.fill = open_fill
                if column.key == "effective_on":
                    cell.number_format = "DD.MM.YYYY"
            else:
                set_cell(cell, values[column.key])
    last = len(plan.rows) + 1
    if plan.rows:
        _validations(sheet, last, plan.quarter, DataValidation, get_column_letter)
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths and heights may still be adjusted
    sheet.protection.formatRows = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"

    _help_sheet(workbook.create_sheet(SHEET_HELP), plan)
    _meta_sheet(workbook, plan, key)
    workbook.active = 0
    workbook.security = WorkbookProtection(lockStructure=True)
    return workbook


def _validations(sheet, last: int, quarter: Quarter, DataValidation, get_column_letter):
    def letter(key: str) -> str:
        return get_column_letter([c.key for c in COLUMNS].index(key) + 1)

    lights = DataValidation(type="list", formula1='"grün,gelb,rot"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Ampel",
                            error="Bitte grün, gelb oder rot auswählen.")
    done = DataValidation(type="list", formula1='"ja,nein"', allow_blank=True,
                          showErrorMessage=True, errorTitle="umgesetzt",
                          error="Bitte ja oder nein auswählen.")
    start = quarter.start
    dates = DataValidation(type="date", operator="greaterThanOrEqual",
                           formula1=f"DATE({start.year},{start.month},{start.day})",
                           allow_blank=True, showErrorMessage=True, errorTitle="wirksam am",
                           error=f"Bitte ein Datum ab {format_date(start)} (TT.MM.JJJJ).")
    for validation, key in ((lights, "light"), (done, "implemented"), (dates, "effective_on")):
        validation.add(f"{letter(key)}2:{letter(key)}{last}")
        sheet.add_data_validation(validation)


HELP_TEXT = (
    "Bitte tragen Sie für jede Empfehlung Ihres Bereichs den Sachstand zum {quarter} ein.",
    "",
    "Gelb hinterlegte Spalten füllen Sie aus, grau hinterlegte sind gesperrt:",
    "• Ampel: grün, gelb oder rot (Auswahlliste).",
    "• Sachstand: ein kurzer Text. Pflicht, sobald eine Ampel gesetzt oder 'umgesetzt' = ja "
    "gewählt ist.",
    "• umgesetzt: 'ja', wenn die Empfehlung vollständig umgesetzt ist; der Sachstand wird dann "
    "als Vermerk zur Umsetzung übernommen (die Ampel ist dann freiwillig).",
    "• wirksam am: Datum des Sachstands (TT.MM.JJJJ), nicht vor dem {start} und nicht in der "
    "Zukunft; leer = Tag der Übernahme.",
    "",
    "Zeilen ohne Eintrag werden übersprungen. Bitte keine Spalten einfügen oder löschen und die "
    "Nummern nicht ändern.",
    "Datenstand: {exported_at} (UTC). Ändert sich eine Empfehlung danach im System, wird ihre "
    "Zeile beim Einlesen als Konflikt abgelehnt; dann bitte einen neuen Bogen anfordern.",
    "Beim Einlesen wird jeder Bogen vollständig geprüft: enthält er einen Fehler, wird nichts "
    "aus ihm übernommen, und die Sozialplanung erhält eine Liste mit Zeile und Spalte.",
    "",
    "Bitte senden Sie die Datei als Excel-Arbeitsmappe (.xlsx) an die Sozialplanung zurück; "
    "der Dateiname darf sich ändern.",
)


def _help_sheet(sheet, plan: SheetPlan) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.column_dimensions["A"].width = 110
    title = sheet.cell(row=1, column=1)
    set_cell(title, f"Sachstandsabfrage {plan.quarter.label}: {plan.department_name} "
                    f"({plan.department_code})")
    title.font = Font(bold=True, size=14)
    values = {"quarter": plan.quarter.label, "start": format_date(plan.quarter.start),
              "exported_at": format_datetime(plan.exported_at)}
    for line, text in enumerate(HELP_TEXT, start=3):
        cell = sheet.cell(row=line, column=1)
        set_cell(cell, text.format(**values) if text else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.protection.sheet = True


def _meta_sheet(workbook, plan: SheetPlan, key: bytes) -> None:
    """Metadata and the signature: key | value | code; then number | version | code of the
    version | codes of the row's locked cells (in the order of SEALED)."""
    pairs = [
        ("format", FORMAT),
        ("format_version", FORMAT_VERSION),
        ("department", plan.department_code),
        ("quarter", str(plan.quarter)),
        ("exported_at", plan.exported_at.isoformat(timespec="seconds")),
        ("exported_by", plan.exported_by),
    ]
    lines = [(name, value, _pair_code(key, name, value)) for name, value in pairs]
    lines.append(("header", None, _header_code(key, workbook[SHEET_DATA])))
    lines.append(("help", None, _help_code(key, workbook[SHEET_HELP])))
    rows = []
    for line, row in enumerate(plan.rows, start=2):
        rows.append((row.number, row.version, _version_code(key, row.number, row.version),
                     *_cell_codes(key, workbook[SHEET_DATA], line)))
    lines.append(("seal", None, _all_code(key, [c for *_, c in lines], rows)))
    sheet = workbook.create_sheet(SHEET_META)
    for line, values in enumerate((*lines, ("number", "version")), start=1):
        for column, value in enumerate(values, start=1):
            set_cell(sheet.cell(row=line, column=column), value)
    for line, values in enumerate(rows, start=len(lines) + 2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=line, column=column, value=value)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def _pair_code(key: bytes, name: str, value) -> str:
    return seal(key, "meta", name, cell_text(value))


def _header_code(key: bytes, sheet) -> str:
    return seal(key, "header", [cell_text(sheet.cell(row=1, column=i).value)
                                for i in range(1, len(COLUMNS) + 1)])


def _help_code(key: bytes, sheet) -> str:
    texts = [cell_text(sheet.cell(row=line, column=1).value)
             for line in range(1, sheet.max_row + 1)]
    while texts and not texts[-1]:
        texts.pop()
    return seal(key, "help", texts)


def _version_code(key: bytes, number, version) -> str:
    return seal(key, "version", cell_text(number), cell_text(version))


def _cell_codes(key: bytes, sheet, line: int) -> list[str]:
    return [seal(key, "cell", line, column.key, cell_text(sheet.cell(row=line,
                                                                     column=index).value))
            for index, column in SEALED]


def _same(code: object, wanted: str) -> bool:
    return isinstance(code, str) and compare_digest(code, wanted)


def _all_code(key: bytes, pair_codes: list, rows: list) -> str:
    return seal(key, "all", [cell_text(c) for c in pair_codes],
                [[cell_text(v) for v in row] for row in rows])


# Reading a returned workbook ------------------------------------------------------------------

@dataclass
class ReturnedRow:
    row: int
    cells: dict[str, object]
    unreadable: dict[str, str] = field(default_factory=dict)  # key -> problem

    def filled(self) -> bool:
        """Anything entered in the columns to fill ('nein' alone counts as nothing)."""
        for key in FILL_KEYS:
            if key in self.unreadable:
                return True
            text = cell_text(self.cells.get(key))
            if key == "implemented" and text.lower() == NO:
                continue
            if text:
                return True
        return False


@dataclass
class ReturnedSheet:
    filename: str
    department: str
    quarter: str
    exported_at: str
    versions: dict[int, int]
    columns: dict[str, int]  # key -> column index in the sheet
    rows: list[ReturnedRow]

    def where(self, row: int, key: str) -> str:
        from openpyxl.utils import get_column_letter

        column = self.columns[key]
        return (f"Blatt '{SHEET_DATA}', Zeile {row}, Spalte {get_column_letter(column)} "
                f"({COLUMN_BY_KEY[key].header})")


NOT_OURS = (
    "Kein Abfragebogen dieses Programms ({detail}); bitte den mit 'controlling export "
    "update-sheets' erstellten Bogen ausfüllen und zurücksenden."
)


def read_workbook(path: str | Path, key: bytes | None) -> ReturnedSheet:
    """Read a returned workbook; ImportRefused when it is not one of ours, is damaged, or was
    changed where it is signed (`key`: this database's key, None when it never made one)."""
    path = Path(path)
    book = ReturnedWorkbook(path)
    name = path.name
    if not book.has_sheet(SHEET_META):
        raise ImportRefused(name, [NOT_OURS.format(detail=f"Blatt '{SHEET_META}' fehlt")])
    meta: dict[str, str] = {}
    pairs: list[tuple[int, str, object, object]] = []  # line, key, value, code
    rows: list[tuple[int, tuple]] = []  # line, (number, version, codes ...)
    sheet = book.formulas[SHEET_META]
    in_versions = False
    for line in range(1, book.max_row(SHEET_META) + 1):
        values = tuple(sheet.cell(row=line, column=c).value for c in range(1, len(SEALED) + 4))
        label = cell_text(values[0])
        if in_versions:
            if label:
                rows.append((line, values))
        elif label == "number":
            in_versions = True
        elif label:
            meta[label] = cell_text(values[1])
            pairs.append((line, label, values[1], values[2]))
    if meta.get("format") != FORMAT:
        raise ImportRefused(name, [NOT_OURS.format(detail="unbekanntes Format")])
    if meta.get("format_version") != str(FORMAT_VERSION):
        raise ImportRefused(name, [
            f"Der Bogen hat die Formatversion {meta.get('format_version')}, dieses Programm "
            f"liest Version {FORMAT_VERSION}; bitte einen neuen Bogen erstellen."
        ])
    if not book.has_sheet(SHEET_DATA) or not book.has_sheet(SHEET_HELP):
        missing = SHEET_DATA if not book.has_sheet(SHEET_DATA) else SHEET_HELP
        raise ImportRefused(name, [f"Blatt '{missing}' fehlt."])
    problems = seal_problems(book.formulas, key, pairs, rows)
    if problems:
        raise ImportRefused(name, problems)
    missing = [k for k in ("department", "quarter", "exported_at") if not meta.get(k)]
    if missing:
        raise ImportRefused(name, [NOT_OURS.format(
            detail=f"in '{SHEET_META}' fehlt: {', '.join(missing)}")])
    versions: dict[int, int] = {}
    for line, values in rows:
        try:
            versions[int(values[0])] = int(values[1])
        except (TypeError, ValueError):
            raise ImportRefused(name, [NOT_OURS.format(
                detail=f"Blatt '{SHEET_META}', Zeile {line} ist beschädigt")]) from None
    columns = _header(book, name)
    returned_rows = []
    for line in range(2, book.max_row(SHEET_DATA) + 1):
        returned = ReturnedRow(row=line, cells={})
        for key_ in READ_KEYS:
            try:
                returned.cells[key_] = book.value(SHEET_DATA, line, columns[key_])
            except ValueError as error:
                returned.unreadable[key_] = str(error)
        if returned.filled() or cell_text(returned.cells.get("number")):
            returned_rows.append(returned)
    return ReturnedSheet(filename=name, department=meta["department"], quarter=meta["quarter"],
                         exported_at=meta["exported_at"], versions=versions, columns=columns,
                         rows=returned_rows)


ANOTHER_KEY = (
    "Die Signatur des Bogens passt nicht zu dieser Datenbank (er wurde von einer anderen "
    "Installation erstellt oder seine Metadaten wurden ersetzt); bitte einen neuen Bogen mit "
    "'controlling export update-sheets' erstellen."
)
PAIR_NAMES = {"format": "Format", "format_version": "Formatversion", "department": "Bereich",
              "quarter": "Quartal", "exported_at": "Datenstand", "exported_by": "erstellt von"}


def seal_problems(workbook, key: bytes | None, pairs: list, rows: list) -> list[str]:
    """What was changed where the workbook is signed, each named; [] when nothing was."""
    from openpyxl.utils import get_column_letter

    codes = {label: (line, value, code) for line, label, value, code in pairs}
    fmt = codes.get("format")
    if key is None or fmt is None or not unchanged(key, fmt[2], "meta", "format",
                                                   cell_text(fmt[1])):
        return [ANOTHER_KEY]
    problems = [f"Das Blatt '{title}' gehört nicht zum Bogen (auch ausgeblendete Blätter "
                "werden geprüft); bitte den Bogen unverändert zurücksenden."
                for title in workbook.sheetnames if title not in OURS]
    for line, label, value, code in pairs:
        if label in ("header", "help", "seal"):
            continue
        if label not in PAIR_NAMES or not unchanged(key, code, "meta", label, cell_text(value)):
            problems.append(f"Blatt '{SHEET_META}', Zeile {line}: "
                            f"'{PAIR_NAMES.get(label, label)}' wurde verändert.")
    for label, check, where in (
            ("header", _header_code, (SHEET_DATA, f"Blatt '{SHEET_DATA}', Zeile 1 (Kopfzeile)")),
            ("help", _help_code, (SHEET_HELP, f"Das Blatt '{SHEET_HELP}'"))):
        if label not in codes or not _same(codes[label][2], check(key, workbook[where[0]])):
            problems.append(f"{where[1]} wurde verändert.")
    data = workbook[SHEET_DATA]
    for position, (line, values) in enumerate(rows, start=2):
        number, version, version_code, *cell_codes = values
        if not unchanged(key, version_code, "version", cell_text(number), cell_text(version)):
            problems.append(f"Blatt '{SHEET_META}', Zeile {line}: der Datenstand von Nr. "
                            f"{cell_text(number)} wurde verändert.")
        expected = _cell_codes(key, data, position)
        for (index, column), code, wanted in zip(SEALED, cell_codes, expected, strict=True):
            if not _same(code, wanted):
                problems.append(
                    f"Blatt '{SHEET_DATA}', Zeile {position}, Spalte {get_column_letter(index)} "
                    f"({column.header}): gesperrte Zelle verändert (ausgegeben für Nr. "
                    f"{cell_text(number)}).")
    for line in range(len(rows) + 2, data.max_row + 1):
        if any(cell_text(data.cell(row=line, column=index).value) for index, _ in SEALED):
            problems.append(f"Blatt '{SHEET_DATA}', Zeile {line}: hinzugefügt; der Bogen nimmt "
                            "nur die ausgegebenen Empfehlungen an.")
    pair_codes = [code for _, label, _, code in pairs if label != "seal"]
    if not problems and ("seal" not in codes or not _same(
            codes["seal"][2], _all_code(key, pair_codes, [values for _, values in rows]))):
        problems.append(f"Blatt '{SHEET_META}' wurde verändert (Zeilen eingefügt, entfernt "
                        "oder umgestellt).")
    return problems


def _header(book: ReturnedWorkbook, name: str) -> dict[str, int]:
    by_header = {c.header.casefold(): c.key for c in COLUMNS}
    columns: dict[str, int] = {}
    for index in range(1, book.max_column(SHEET_DATA) + 1):
        text = cell_text(book.formulas[SHEET_DATA].cell(row=1, column=index).value)
        key = by_header.get(text.casefold())
        if key and key not in columns:
            columns[key] = index
    missing = [COLUMN_BY_KEY[k].header for k in READ_KEYS if k not in columns]
    if missing:
        raise ImportRefused(name, [
            f"Blatt '{SHEET_DATA}', Zeile 1: Spalte(n) {', '.join(repr(m) for m in missing)} "
            "fehlen in der Kopfzeile."
        ])
    return columns


# Checking one row (no database) ---------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    row: int
    number: int
    light: Light | None
    note: str
    implemented: bool
    effective_on: date | None  # None: not given (the Sachstand's default rule applies)


def parse_row(sheet: ReturnedSheet, row: ReturnedRow, quarter: Quarter,
              day: date) -> tuple[Entry | None, list[str]]:
    """The update a filled row asks for, or the row's problems; (None, []) for an empty row.

    `day` is today: the latest effective date allowed. An empty date stays None: the service
    gives the Sachstand its default (domain.dates.progress_date: the quarter's last day once
    it has ended) and the implementation today."""
    if not row.filled():
        return None, []
    problems = [f"{sheet.where(row.row, key)}: {text}." for key, text in row.unreadable.items()]

    def problem(key: str, text: str) -> None:
        problems.append(f"{sheet.where(row.row, key)}: {text}.")

    number = None
    if "number" not in row.unreadable:
        number = _number(row.cells.get("number"), problem)
    light = None
    light_text = cell_text(row.cells.get("light"))
    if light_text and "light" not in row.unreadable:
        light = LIGHTS.get(light_text.casefold())
        if light is None:
            problem("light", f"ungültige Ampel '{light_text}' (erlaubt: grün, gelb, rot)")
    implemented = _implemented(row.cells.get("implemented"), "implemented" in row.unreadable,
                               problem)
    note = cell_text(row.cells.get("note"))
    effective_on = None
    if "effective_on" not in row.unreadable:
        effective_on = _effective_on(row.cells.get("effective_on"), day, problem)
    if not note and "note" not in row.unreadable:
        problem("note", "Sachstand fehlt (als Vermerk zur Umsetzung nötig)" if implemented
                else "Sachstand fehlt")
    if not implemented and not light_text and "light" not in row.unreadable:
        problem("light", "Ampel fehlt (grün, gelb oder rot)")
    if light is not None and effective_on is not None and effective_on < quarter.start:
        problem("effective_on", f"ein Sachstand für {quarter.label} kann nicht vor "
                                f"Quartalsbeginn ({format_date(quarter.start)}) wirksam sein")
    if problems:
        return None, problems
    return Entry(row=row.row, number=number, light=light, note=note, implemented=implemented,
                 effective_on=effective_on), []


def _number(value, problem) -> int | None:
    if isinstance(value, bool):
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = cell_text(value)
    if not text:
        problem("number", "Nr. fehlt")
        return None
    if isinstance(value, int) or text.isdigit():
        number = int(text)
        if 1 <= number <= MAX_INTEGER:
            return number
    problem("number", f"Nr. '{text}' ist keine gültige Nummer")
    return None


def _implemented(value, unreadable: bool, problem) -> bool:
    if unreadable:
        return False
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text in ("", NO):
        return False
    if text == YES:
        return True
    problem("implemented", f"ungültige Angabe '{cell_text(value)}' (erlaubt: ja, nein)")
    return False


def _effective_on(value, day: date, problem) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = parse_date(value, "Datum")
        except InvalidInput:
            problem("effective_on", f"ungültiges Datum '{value.strip()}' (erwartet TT.MM.JJJJ)")
            return None
    else:
        problem("effective_on", f"ungültiges Datum '{cell_text(value)}' (erwartet TT.MM.JJJJ)")
        return None
    if parsed > day:
        problem("effective_on", f"das Datum {format_date(parsed)} liegt in der Zukunft")
        return None
    return parsed
