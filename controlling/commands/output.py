"""Output helpers shared by the commands: JSON, CSV and rich tables, all German for people.

Text from the database or from files is never trusted on a terminal: `terminal_safe` replaces
control characters (escape sequences), C1 controls and bidirectional overrides visibly; rich
never interprets it as markup (tables take `Text` cells). `install()` makes `click.echo` apply
`terminal_safe` to every message; data for machines (JSON, CSV) goes out through `emit_json`,
`emit_csv` and `emit_data`, which keep it exact.
"""

import csv
import io
import re
import sys

import click
import click.utils

from controlling.domain.formatting import format_date
from controlling.domain.vocabulary import (
    KIND_LABELS,
    LIGHT_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    Kind,
    Light,
    Role,
    Status,
)


def format_option(*choices: str, default: str = "table"):
    """The shared `--format` option."""
    return click.option(
        "--format", "output_format", type=click.Choice(choices), default=default,
        show_default=True, help="Ausgabeformat.",
    )


# C0 controls but newline and tab, DEL; C1 controls; bidirectional embeddings, overrides,
# isolates and marks (U+061C, U+200E/F, U+202A-E, U+2066-9): they can hide or reorder text.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u061c\u200e\u200f\u202a-\u202e"
                    "\u2066-\u2069]")
REPLACEMENT = "\ufffd"
_raw_echo = click.utils.echo  # click's own echo: for exact data


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the control picture: ESC -> ␛, CR -> ␍
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


def terminal_safe(text) -> str:
    """Text as it may reach a terminal: control characters as visible symbols (␛, ␍, ␀),
    C1 controls and bidirectional overrides as �; newlines and tabs stay."""
    return UNSAFE.sub(_visible, "" if text is None else str(text))


def echo(message=None, file=None, nl: bool = True, err: bool = False, color=None) -> None:
    """`click.echo` for people: text made terminal-safe (bytes are passed on as they are)."""
    if isinstance(message, str):
        message = terminal_safe(message)
    _raw_echo(message, file=file, nl=nl, err=err, color=color)


def install() -> None:
    """Make every `click.echo(...)` of the commands terminal-safe (see the module's text)."""
    click.echo = echo


def _json_escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                         "\u2028\u2029]")


def emit_json(data) -> None:
    """JSON on standard output in the one layout (controlling/json_layout.py), with the
    characters a terminal would act on written as \\u escapes (JSON escapes the other control
    characters itself); written as it is produced, in pieces of about 64 KiB, so a report of
    tens of thousands of recommendations is never held as one text."""
    from controlling.gc_pause import without_cycle_collection
    from controlling.json_layout import chunks

    with without_cycle_collection():
        _emit_json(chunks(data, default=str))


def _emit_json(pieces_of_text) -> None:
    pieces: list[str] = []
    size = 0
    for chunk in pieces_of_text:
        pieces.append(chunk)
        size += len(chunk)
        if size >= 65536:
            _raw_echo(JSON_UNSAFE.sub(_json_escape, "".join(pieces)), nl=False)
            pieces, size = [], 0
    _raw_echo(JSON_UNSAFE.sub(_json_escape, "".join(pieces)), nl=False)


def emit_data(text: str, nl: bool = False) -> None:
    """An export (CSV or JSON) on standard output: exact on a pipe, terminal-safe on a
    terminal."""
    if sys.stdout.isatty():
        _raw_echo(terminal_safe(text), nl=nl)
    else:  # color=True: click would otherwise strip what looks like colour codes
        _raw_echo(text, nl=nl, color=True)


def emit_csv(rows: list[dict], columns: list[str]) -> None:
    """A list as CSV, neutralised like the exports (controlling/services/spreadsheet.py
    `csv_safe`: text starting with = + - @ gets an apostrophe)."""
    from controlling.services.spreadsheet import csv_safe

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_safe(row.get(column)) for column in columns])
    emit_data(buffer.getvalue())


def console():
    """A rich console on standard output whose strings are made terminal-safe (markup in
    strings is still read: user text goes in as `plain(...)` or `rich.markup.escape`d)."""
    from rich.console import Console

    class SafeConsole(Console):
        def render_str(self, text: str, **kwargs):
            return super().render_str(terminal_safe(text), **kwargs)

    from controlling.commands.tables import output_width

    return SafeConsole(file=sys.stdout, soft_wrap=False, width=output_width())


def emit_table(title: str | None, headers: list[str], rows: list[list], empty: str, *,
               footers: list[str] | None = None, right=(), bold=()) -> None:
    """A table that fits the output's width (controlling/commands/tables.py): text wraps
    between words inside its cell, dates and numbers never wrap; `right` and `bold` name
    columns by index. All values are shown terminal-safe and never read as markup."""
    from controlling.commands.tables import fitted

    if not rows:
        click.echo(empty)
        return
    out = console()
    safe = [[_cell(v) for v in row] for row in rows]
    out.print(fitted(_cell(title) if title else None, [_cell(h) for h in headers], safe,
                     out.width, footers=[_cell(f) for f in footers] if footers else None,
                     right=frozenset(right), bold=frozenset(bold)))


def echo_wrapped(text: str, hanging: str = "    ") -> None:
    """A line for people, wrapped between words at the output's width (tables.py), its
    continuation lines indented by `hanging`."""
    from rich.cells import cell_len

    from controlling.commands.tables import wrap

    width = console().width
    text = terminal_safe(text)
    if all(cell_len(line) <= width for line in text.split("\n")):
        _raw_echo(text)
        return
    lead = text[:len(text) - len(text.lstrip(" "))]
    lines = wrap(text.strip(" "), max(width - len(lead), 20))
    first, rest = lines[0], lines[1:]
    out = [lead + first]
    for line in rest:
        out.extend(hanging + piece for piece in wrap(line, max(width - len(hanging), 20)))
    _raw_echo("\n".join(out))


def _cell(value) -> str:
    return terminal_safe("" if value is None else value)


def plain(value):
    """A rich `Text` of a value: never read as markup, terminal-safe."""
    from rich.text import Text

    return Text(terminal_safe("" if value is None else value))


def status_label(value: str | None) -> str:
    return STATUS_LABELS[Status(value)] if value else "–"


def kind_label(value: str) -> str:
    return KIND_LABELS[Kind(value)]


def role_label(value: str) -> str:
    """The German name of a role, e.g. "Bereichsleitung" for department_head."""
    return ROLE_LABELS[Role(value)]


def light_label(value: str | None) -> str:
    return LIGHT_LABELS[Light(value)] if value else "–"


def iso_to_german(value: str | None) -> str:
    from datetime import date

    return format_date(date.fromisoformat(value[:10])) if value else ""


def echo_done(message: str) -> None:
    click.echo(message)


def echo_notes(result: dict) -> None:
    """An import's notes (columns not taken over, the file's encoding) on standard error."""
    for note in result.get("notes", ()):
        click.echo(f"Hinweis: {note}", err=True)


def write_format_option(func):
    """`--format text|json` of a command that changes data: `json` prints the resulting
    record (with its new id or number) as one JSON document instead of the German line."""
    return format_option("text", "json", default="text")(func)


def answer(output_format: str, result, *lines: str) -> None:
    """A write command's answer: the German lines, or `result` as one JSON document."""
    if output_format == "json":
        emit_json(result)
        return
    for line in lines:
        click.echo(line)
