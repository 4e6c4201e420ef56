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
