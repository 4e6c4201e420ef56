"""What the report fonts can draw: `drawable(text)` is the one place text from the database
passes before it enters a Paragraph (reports/quarterly.py `text`, used by every renderer).

A character DejaVu Sans (regular and bold) has no glyph for would come out as an empty box or
as a NUL in the PDF's text; control characters would be boxes; bidirectional overrides would
silently reorder what follows. They are replaced visibly by U+FFFD (�), which the font has;
so is everything beyond U+FFFF (emoji): DejaVu maps a few, but reportlab's font subsets write
them unreadably (an empty text or a NUL when the PDF is read back).
Variation selectors (invisible, e.g. the emoji form of ❤) are dropped; tabs become spaces;
newlines stay (the caller turns them into line breaks).
"""

import re
import unicodedata
from functools import cache

from controlling.reports import styles

REPLACEMENT = "\ufffd"
BIDI_CONTROLS = frozenset(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                   "\u2066\u2067\u2068\u2069"))
VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


@cache
def _covered() -> frozenset[int]:
    """The code points both report fonts have a glyph for."""
    from reportlab.pdfbase import pdfmetrics

    styles.register_fonts()
    regular = set(pdfmetrics.getFont(styles.FONT).face.charToGlyph)
    bold = set(pdfmetrics.getFont(styles.FONT_BOLD).face.charToGlyph)
    return frozenset(regular & bold)


def _drawable_char(char: str) -> str:
    if char == "\n":
        return char
    if char == "\t":
        return " "
    code = ord(char)
    if code in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
        return REPLACEMENT
    return char if code in _covered() and code <= 0xFFFF else REPLACEMENT


def drawable(text: str) -> str:
    """`text` with every character the report fonts cannot draw replaced by �."""
    text = VARIATION_SELECTORS.sub("", text.replace("\r\n", "\n"))
    return "".join(_drawable_char(c) for c in text)
