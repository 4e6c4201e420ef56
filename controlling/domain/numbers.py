"""Numbers in import files: German first (babel, strict), then a plain decimal point.

`1.234` is one thousand two hundred thirty-four and `1.234,5` is 1234.5 (German, as Excel
writes them); a number German notation refuses but that is a plain decimal with a point
(`12.5`, `0.123`, as scripts write them) keeps being read as before. Malformed groupings
(`1.2.3`, `1,234.5`), words and infinities are refused.

A lone point followed by three digits (`10.775`) means both; the file decides: with
`decimal_point=True` (a comma- or tab-separated CSV, as scripts and English programs write
it) a number without a comma is read with a decimal point (10.775); otherwise (German Excel's
semicolon CSV, XLSX cells) it is German (10775). A comma is always the decimal comma.
"""

import math
import re

from controlling.domain.errors import InvalidInput

_PLAIN = re.compile(r"[+-]?\d+\.\d+")
_POINT = re.compile(r"[+-]?\d+(\.\d+)?")


def parse_number(text: str | None, what: str = "Wert", *, decimal_point: bool = False) -> float:
    """The number in `text`; InvalidInput with a German reason otherwise. `decimal_point`:
    the file writes a lone point as the decimal point (see the module's docstring)."""
    from babel.numbers import NumberFormatError, parse_decimal

    raw = (text or "").strip()
    if not raw:
        raise InvalidInput(f"{what} fehlt.")
    cleaned = raw.replace("\u2212", "-")  # the typographic minus
    if cleaned.lower().lstrip("+-") in ("inf", "infinity", "nan", "unendlich", "∞"):
        raise InvalidInput(f"{what} '{raw}' ist keine endliche Zahl.")
    if not re.fullmatch(r"[+-]?[\d.,]+", cleaned):
        raise InvalidInput(f"{what} '{raw}' ist keine Zahl.")
    if decimal_point and _POINT.fullmatch(cleaned):
        return float(cleaned)
    try:
        value = float(parse_decimal(cleaned, locale="de_DE", strict=True))
    except NumberFormatError:
        if not _PLAIN.fullmatch(cleaned):
            raise InvalidInput(
                f"{what} '{raw}' ist keine Zahl (deutsch z. B. 1.234,5 oder 12,5)."
            ) from None
        value = float(cleaned)
    if not math.isfinite(value):
        raise InvalidInput(f"{what} '{raw}' ist keine endliche Zahl.")
    return value


def german_decimal(value: float) -> str:
    """A float as German Excel shows it in a cell (`1234,5`), without exponent."""
    from decimal import Decimal

    text = format(Decimal(repr(value)), "f")
    return text.replace(".", ",")
