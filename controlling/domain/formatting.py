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


def decimals_needed(values, max_digits: int = 4) -> int:
    """How many decimals a column of numbers needs so that every value is written with the
    same number of them (21 and 20.4 -> 1: '21,0' and '20,4'); None values are left out."""
    digits = 0
    for value in values:
        if value is None:
            continue
        text = f"{round(abs(float(value)), max_digits):.{max_digits}f}".rstrip("0")
        digits = max(digits, len(text.split(".")[1]) if "." in text else 0)
    return digits


def format_fixed(value: float | int | None, digits: int) -> str:
    """German with exactly `digits` decimals: format_fixed(21, 1) -> '21,0'; '' for None."""
    if value is None:
        return ""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale="de_DE")
