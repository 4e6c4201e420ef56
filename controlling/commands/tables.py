"""Tables that fit the terminal: every column gets a width of its own before rich draws it.

Rich shrinks the widest column first and then folds words in the middle ("Sterkr…",
"Empfeh|lung"). Here the widths are chosen so that this never happens:

- a cell's text wraps only between words (at spaces); a word of the data is never split, also
  not at a hyphen ("Sterkrade-Mitte" and "Sterkrade-Nord" stay whole);
- dates, numbers, codes and other short values without spaces never wrap (such a column is as
  wide as its longest value);
- column heads may also break where German hyphenates, marked with soft hyphens (U+00AD) in
  the head's text ("vor\u00adge\u00adschla\u00adgen"), shown as "-" at the break only;
- the room left over goes to the text columns in proportion to what they would need unwrapped;
- a table whose columns cannot fit even so (too many columns for the width) is shown as one
  block per row: "Kopf: Wert" lines, wrapped the same way.

The width itself comes from `output_width()` (see docs/commands.md, "Breite der Tabellen").
"""

import os
import re
import stat
import sys

from rich.cells import cell_len

SOFT_HYPHEN = "\u00ad"
# a file or a pipe without a terminal: no limit that matters, each row as wide as its content
# (one line per row for grep, diff and scripts; an editor wraps or scrolls as its user likes)
FILE_WIDTH = 100_000
MAIN_WIDTH = 30  # the widest text column gets at least this much, or other columns move into it
MIN_WIDTH = 20  # a COLUMNS narrower than this is ignored
LONGEST_WORD = 30  # a longer word (a link, a hash) is the only thing ever folded
FIXED = re.compile(r"^[\d\s.,:;%+\-–/()QKW€]*$")  # dates, times, numbers, quarters, amounts


def output_width(stream=None) -> int | None:
    """The width tables are drawn for.

    A terminal: its real width (None: rich asks the terminal; rich honours COLUMNS itself).
    Otherwise COLUMNS when it is set; a pipe into a pager (`| less`) whose standard error or
    input is a terminal: that terminal's width; a file or a pipe without any terminal (cron,
    scripts, tests): FILE_WIDTH, in effect no limit."""
    stream = stream or sys.stdout
    if _isatty(stream):
        return None
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) >= MIN_WIDTH:
        return int(columns)
    if _is_pipe(stream):
        for other in (sys.stderr, sys.stdin):
            if _isatty(other):
                try:
                    return os.get_terminal_size(other.fileno()).columns
                except (OSError, ValueError, AttributeError):
                    pass
    return FILE_WIDTH


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _is_pipe(stream) -> bool:
    try:
        return stat.S_ISFIFO(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is a ValueError
        return False


def _visible(text: str) -> str:
    return text.replace(SOFT_HYPHEN, "")


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken between words only (its own line
    breaks kept); a word longer than `width` is folded, the one exception. Soft hyphens are
    break points shown as "-" (column heads)."""
    lines: list[str] = []
    for paragraph in text.replace("\t", " ").split("\n"):
        line = ""
        for word in paragraph.split():
            for index, piece in enumerate(_pieces(word, width)):
                candidate = f"{line} {piece}" if line else piece
                if index == 0 and cell_len(candidate) <= width:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                line = piece
        lines.append(line)
    return lines


def _pieces(word: str, width: int) -> list[str]:
    """A word as one piece; when it is wider than `width`: its syllable groups (soft hyphens,
    each group but the last ending in "-"), and as the last resort folded."""
    visible = _visible(word)
    if cell_len(visible) <= width:
        return [visible]
    pieces: list[str] = []
    if SOFT_HYPHEN in word:
        syllables = word.split(SOFT_HYPHEN)
        current = ""
        for index, syllable in enumerate(syllables):
            last = index == len(syllables) - 1
            candidate = current + syllable
            if not current or cell_len(candidate) + (0 if last else 1) <= width:
                current = candidate
            else:
                pieces.append(current + "-")
                current = syllable
        pieces.append(current)
    else:
        pieces = [visible]
    folded: list[str] = []
    for piece in pieces:
        while cell_len(piece) > width:
            cut = _cut(piece, width)
            folded.append(piece[:cut])
            piece = piece[cut:]
        folded.append(piece)
    return folded


def _cut(text: str, width: int) -> int:
    cut = 1
    while cut < len(text) and cell_len(text[:cut + 1]) <= width:
        cut += 1
    return cut


def _min_header(header: str) -> int:
    """The narrowest a head can be: its longest syllable group (with its "-") or word."""
    widest = 1
    for word in str.split(header):
        parts = word.split(SOFT_HYPHEN)
        widths = [cell_len(p) + 1 for p in parts[:-1]] + [cell_len(parts[-1])]
        widest = max(widest, *widths)
    return widest


def _longest_word(text: str) -> int:
    return max((cell_len(w) for w in str.split(text.replace(SOFT_HYPHEN, ""))), default=0)


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in _visible(text).replace("\t", " ").split("\n")),
               default=0)


def is_fixed(values: list[str]) -> bool:
    """A column that never wraps: dates, numbers and short values without spaces."""
    present = [v for v in values if v]
    return all(FIXED.match(v) or (len(v) <= 14 and not any(c.isspace() for c in v))
               for v in present)


def column_widths(headers: list[str], rows: list[list[str]], room: int,
                  footers: list[str] | None = None) -> list[int] | None:
    """The width of each column's text, their sum at most `room`; None when they cannot fit
    without splitting a word."""
    count = len(headers)
    columns = [[row[i] for row in rows] + ([footers[i]] if footers else []) for i in
               range(count)]
    natural, minimum, fixed = [], [], []
    for header, values in zip(headers, columns, strict=True):
        longest = max((_longest_line(v) for v in values), default=0)
        head = _min_header(header)
        natural.append(max(longest, _longest_line(header)))
        if is_fixed(values):
            minimum.append(max(longest, head))
            fixed.append(True)
        else:
            words = max((_longest_word(v) for v in values), default=0)
            minimum.append(max(min(words, LONGEST_WORD), head))
            fixed.append(False)
    if sum(natural) <= room:
        return natural
    if sum(minimum) > room:
        return None
    widths = list(minimum)
    spare = room - sum(widths)
    while spare > 0:  # to each text column in proportion to what it still lacks
        wanting = [i for i in range(count) if not fixed[i] and widths[i] < natural[i]]
        if not wanting:
            break
        lacking = sum(natural[i] - widths[i] for i in wanting)
        given = 0
        for i in wanting:
            share = max(1, (spare * (natural[i] - widths[i])) // lacking)
            share = min(share, natural[i] - widths[i], spare - given)
            widths[i] += share
            given += share
            if given >= spare:
                break
        spare -= given
        if not given:
            break
    return widths


def fitted(title: str | None, headers: list[str], rows: list[list[str]], width: int, *,
           footers: list[str] | None = None, right: frozenset[int] = frozenset(),
           bold: frozenset[int] = frozenset()):
    """A rich renderable of the table at `width` cells: a table, or one block per row when
    its columns cannot fit. All text is taken as it is (never read as markup)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    widths = column_widths(headers, rows, width - _overhead(headers), footers)
    while not _roomy(widths, rows) and not (footers or right or bold):  # indices as given
        merged = _merge_a_text_column(headers, rows)
        if merged is None:
            break
        headers, rows = merged
        widths = column_widths(headers, rows, width - _overhead(headers), footers)
    if widths is None:
        return _blocks(title, headers, rows, width, footers)
    overhead = _overhead(headers)
    table = Table(title=Text(title) if title else None, header_style="bold",
                  show_footer=bool(footers), title_justify="center")
    for i, header in enumerate(headers):
        table.add_column(Text("\n".join(wrap(header, widths[i]))),
                         footer=Text("\n".join(wrap(footers[i], widths[i]))) if footers
                         else "",
                         width=widths[i], no_wrap=True, overflow="fold",
                         justify="right" if i in right else "left",
                         style="bold" if i in bold else None)
    for row in rows:
        table.add_row(*[Text("\n".join(wrap(value, widths[i]))) for i, value in
                        enumerate(row)])
    if title and cell_len(title) > sum(widths) + overhead:
        table.title = Text("\n".join(wrap(title, sum(widths) + overhead)))
    return Group(table)


def _roomy(widths: list[int] | None, rows: list[list[str]]) -> bool:
    """Whether the widest text (the title, usually) has room to be read: MAIN_WIDTH cells or
    all it needs."""
    if widths is None:
        return False
    longest = [max((_longest_line(row[i]) for row in rows), default=0)
               for i in range(len(widths))]
    main = max(range(len(widths)), key=lambda i: longest[i])
    return widths[main] >= min(longest[main], MAIN_WIDTH)


def _overhead(headers: list[str]) -> int:
    return 3 * len(headers) + 1  # "│ " before each column, " │" after the last


def _merge_a_text_column(headers, rows):
    """Too many columns: the text column that needs the most room (of those but the widest,
    the main one, e.g. the title) goes into the main column as a line "Kopf: Wert" under its
    value; None when there is nothing to merge."""
    text = [i for i in range(len(headers)) if not is_fixed([row[i] for row in rows])]
    if len(text) < 2:
        return None
    main = max(text, key=lambda i: max((_longest_line(row[i]) for row in rows), default=0))
    last = max((i for i in text if i != main),
               key=lambda i: (max((_longest_word(row[i]) for row in rows), default=0), i))
    label = _visible(headers[last])
    merged_rows = []
    for row in rows:
        row = list(row)
        if row[last]:
            row[main] = f"{row[main]}\n{label}: {row[last]}" if row[main] else \
                f"{label}: {row[last]}"
        del row[last]
        merged_rows.append(row)
    merged_headers = list(headers)
    del merged_headers[last]
    return merged_headers, merged_rows


def _blocks(title, headers, rows, width, footers):
    """One block per row: each head (bold) and its value, the value wrapped beside it."""
    from rich.console import Group
    from rich.text import Text

    label = min(max(cell_len(_visible(h)) for h in headers) + 2, width // 3)
    parts = []
    if title:
        parts.append(Text("\n".join(wrap(title, width)), style="bold"))
    records = list(rows) + ([footers] if footers else [])
    for row in records:
        parts.append(Text(""))
        for header, value in zip(headers, row, strict=False):
            head = f"{_visible(header)}:"
            value_lines = wrap(value, width - label) or [""]
            head_lines = wrap(head, label - 1)
            for index in range(max(len(value_lines), len(head_lines))):
                text = Text()
                h = head_lines[index] if index < len(head_lines) else ""
                text.append(h.ljust(label), style="bold")
                text.append(value_lines[index] if index < len(value_lines) else "")
                parts.append(text)
    return Group(*parts)
