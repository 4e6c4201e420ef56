"""Helpers for the tests of the exchange (update sheets, exports, backup): set up approved
recommendations through the command line and fill a workbook as a department would."""

from pathlib import Path

from openpyxl import load_workbook

from controlling.services.update_workbook import COLUMNS, SHEET_DATA, SHEET_META

HEADERS = {c.key: c.header for c in COLUMNS}


def approved(cli, number: int, department: str = "3-1", head: str = "bl31", *,
             title: str | None = None, proposed_on: str = "2024-01-10",
             approved_on: str = "2024-02-01") -> None:
    """A recommendation of kind 'extension', proposed by the planner, approved by the head."""
    result = cli("recommendation", "add", "--number", number,
                 "--title", title or f"Empfehlung {number}", "--district", "Osterfeld",
                 "--department", department, "--kind", "extension", "--on", proposed_on,
                 user="planer")
    assert result.exit_code == 0, result.output
    result = cli("recommendation", "approve", number, "--on", approved_on, user=head)
    assert result.exit_code == 0, result.output


def row_of(sheet, number: int) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == number:
            return row
    raise AssertionError(f"Nr. {number} steht nicht im Bogen")


def column_of(sheet, key: str) -> int:
    for column in range(1, sheet.max_column + 1):
        if sheet.cell(row=1, column=column).value == HEADERS[key]:
            return column
    raise AssertionError(f"Spalte {HEADERS[key]} fehlt")


def fill(path: Path, entries: dict[int, dict], save_to: Path | None = None) -> Path:
    """Fill rows by recommendation number: {1: {"light": "gelb", "note": "..."}}.

    Keys: light, note, implemented, effective_on, and number (to overwrite the Nr. cell)."""
    workbook = load_workbook(path)
    sheet = workbook[SHEET_DATA]
    for number, values in entries.items():
        row = row_of(sheet, number)
        for key, value in values.items():
            sheet.cell(row=row, column=column_of(sheet, key)).value = value
    target = save_to or path
    workbook.save(target)
    return target


def key(uow) -> bytes | None:
    """The database's key for the update workbooks (`uow`: a unit-of-work factory)."""
    from controlling.services.signing import UPDATE_WORKBOOK, signing_key

    with uow() as work:
        return signing_key(work, UPDATE_WORKBOOK, create=False)


def set_meta(path: Path, label: str, value, signing_key: bytes | None = None) -> None:
    """Overwrite a value of the hidden metadata sheet (or a row's version: label = number);
    with `signing_key`, sign it again as the program would have (the test plays a program
    that made the workbook just now)."""
    workbook = load_workbook(path)
    sheet = workbook[SHEET_META]
    for row in range(1, sheet.max_row + 1):
        if str(sheet.cell(row=row, column=1).value) == str(label):
            sheet.cell(row=row, column=2).value = value
            if signing_key is not None:
                _sign_again(sheet, row, signing_key)
            workbook.save(path)
            return
    raise AssertionError(f"{label} fehlt in den Metadaten")


def _sign_again(sheet, row: int, signing_key: bytes) -> None:
    from controlling.services import update_workbook as book

    width = len(book.SEALED) + 3
    lines = [[sheet.cell(row=r, column=c).value for c in range(1, width + 1)]
             for r in range(1, sheet.max_row + 1)]
    start = next(i for i, line in enumerate(lines) if line[0] == "number")
    if row - 1 > start:
        number, version = lines[row - 1][:2]
        sheet.cell(row=row, column=3).value = book._version_code(signing_key, number, version)
    else:
        label, value = lines[row - 1][:2]
        sheet.cell(row=row, column=3).value = book._pair_code(signing_key, label, value)
    lines = [[sheet.cell(row=r, column=c).value for c in range(1, width + 1)]
             for r in range(1, sheet.max_row + 1)]
    pairs = [line for line in lines[:start] if line[0] != "seal"]
    seal_row = next(i for i, line in enumerate(lines) if line[0] == "seal") + 1
    sheet.cell(row=seal_row, column=3).value = book._all_code(
        signing_key, [line[2] for line in pairs], [tuple(line) for line in lines[start + 1:]])


def sheet_path(folder: Path, quarter: str, department: str) -> Path:
    return folder / f"sachstand-{quarter}-{department}.xlsx"
