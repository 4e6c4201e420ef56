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


def plural(count: int | float, one: str, other: str) -> str:
    """The German noun (or verb) form for `count`, by the CLDR plural rules of babel:
    plural(1, "Statusänderung", "Statusänderungen") -> "Statusänderung"; 0 and 2 -> the plural.
    """
    from babel import Locale

    return one if Locale("de").plural_form(abs(count)) == "one" else other


def counted(count: int, one: str, other: str) -> str:
    """The number with its noun: '1 Statusänderung', '0 Statusänderungen', '2 Maßnahmen'
    (the one way the reports write a count with a noun)."""
    return f"{format_number(count)} {plural(count, one, other)}"
