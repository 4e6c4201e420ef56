"""Numbers in import files: German first (babel, strict), then a plain decimal point.

`1.234` is one thousand two hundred thirty-four and `1.234,5` is 1234.5 (German, as Excel
writes them); a number German notation refuses but that is a plain decimal with a point
(`12.5`, `0.123`, as scripts write them) keeps being read as before. Malformed groupings
(`1.2.3`, `1,234.5`), words and infinities are refused.
"""

import math
import re

from controlling.domain.errors import InvalidInput

_PLAIN = re.compile(r"[+-]?\d+\.\d+")


def parse_number(text: str | None, what: str = "Wert") -> float:
    """The number in `text`; InvalidInput with a German reason otherwise."""
    from babel.numbers import NumberFormatError, parse_decimal

    raw = (text or "").strip()
    if not raw:
        raise InvalidInput(f"{what} fehlt.")
    cleaned = raw.replace("\u2212", "-")  # the typographic minus
    if cleaned.lower().lstrip("+-") in ("inf", "infinity", "nan", "unendlich", "∞"):
        raise InvalidInput(f"{what} '{raw}' ist keine endliche Zahl.")
    if not re.fullmatch(r"[+-]?[\d.,]+", cleaned):
        raise InvalidInput(f"{what} '{raw}' ist keine Zahl.")
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
