"""German dates and numbers for everything a user reads."""

from datetime import date, datetime


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y %H:%M")


def format_number(value: float | int | None, max_digits: int = 4) -> str:
    """1234.5 -> '1.234,5' (German grouping and decimal comma)."""
    if value is None:
        return ""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * max_digits if max_digits else "")
    return format_decimal(value, format=pattern, locale="de_DE")
