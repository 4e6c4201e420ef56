"""Sizes of the stored values, checked with a German message before anything reaches the
database (PostgreSQL refuses longer strings and larger integers; SQLite would store them).
tests/unit/test_limits.py checks that these match the column sizes of the model."""

from controlling.domain.errors import InvalidInput

MAX_INTEGER = 2_147_483_647  # INTEGER on PostgreSQL

LOGIN = 120
PERSON_NAME = 200
DISTRICT_NAME = 120
DEPARTMENT_CODE = 32
DEPARTMENT_NAME = 200
INDICATOR_CODE = 120
INDICATOR_LABEL = 300


def length_problem(value: str | None, limit: int, what: str) -> str | None:
    """A German problem text when `value` is longer than `limit` characters, else None."""
    if value is not None and len(value) > limit:
        return f"{what} ist zu lang ({len(value)} Zeichen, höchstens {limit})"
    return None


def check_length(value: str | None, limit: int, what: str) -> None:
    problem = length_problem(value, limit, what)
    if problem:
        raise InvalidInput(problem + ".")


def person_name(value: str | None) -> str | None:
    """A person's name as stored: stripped, not empty, at most PERSON_NAME characters."""
    if value is None:
        return None
    name = value.strip()
    if not name:
        raise InvalidInput("Der Name darf nicht leer sein.")
    check_length(name, PERSON_NAME, "Der Name")
    return name


def number_problem(value: int, what: str) -> str | None:
    """A German problem text unless 1 <= value <= MAX_INTEGER."""
    if value < 1:
        return f"{what} {value} muss positiv sein"
    if value > MAX_INTEGER:
        return f"{what} {value} ist zu groß (höchstens {MAX_INTEGER})"
    return None


def check_number(value: int | None, what: str = "Die Nummer") -> None:
    if value is None:
        raise InvalidInput(f"{what} fehlt.")
    problem = number_problem(value, what)
    if problem:
        raise InvalidInput(problem + ".")


# Import files: the same limits for CSV and XLSX, checked before anything is parsed or stored --
IMPORT_CELL = 32_767  # characters in one cell or field (Excel's own limit for a cell)
IMPORT_ROWS = 100_000  # data rows in one file
IMPORT_BYTES = 128 * 1024 * 1024  # a CSV file; an XLSX workbook unpacked (zip bomb)
IMPORT_MEMBERS = 10_000  # files inside an XLSX workbook
UPDATE_SHEET_BYTES = 16 * 1024 * 1024  # a returned update sheet unpacked (read whole)


def thousands(value: int) -> str:
    """12345 -> '12.345' (German grouping, for the limits in messages)."""
    return f"{value:,}".replace(",", ".")


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB".replace(",", ".")


def cell_problem(value: str, where: str) -> str | None:
    """A German problem when one cell or field of an import file is too long."""
    if len(value) > IMPORT_CELL:
        return (f"{where}: der Wert ist zu lang ({thousands(len(value))} Zeichen, höchstens "
                f"{thousands(IMPORT_CELL)})")
    return None


def too_many_rows() -> str:
    return (f"die Datei hat mehr als {thousands(IMPORT_ROWS)} Datenzeilen (höchstens "
            f"{thousands(IMPORT_ROWS)} je Datei); bitte aufteilen")
