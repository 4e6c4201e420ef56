"""Output helpers shared by the commands: JSON, CSV and rich tables, all German for people."""

import csv
import io
import json
import sys

import click

from controlling.domain.formatting import format_date
from controlling.domain.vocabulary import (
    KIND_LABELS,
    LIGHT_LABELS,
    STATUS_LABELS,
    Kind,
    Light,
    Status,
)


def format_option(*choices: str, default: str = "table"):
    """The shared `--format` option."""
    return click.option(
        "--format", "output_format", type=click.Choice(choices), default=default,
        show_default=True, help="Ausgabeformat.",
    )


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def emit_csv(rows: list[dict], columns: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    click.echo(buffer.getvalue(), nl=False)


def console():
    from rich.console import Console

    width = None if sys.stdout.isatty() else 160
    return Console(file=sys.stdout, soft_wrap=False, width=width)


def emit_table(title: str | None, headers: list[str], rows: list[list], empty: str) -> None:
    from rich.table import Table

    if not rows:
        click.echo(empty)
        return
    table = Table(title=title, show_lines=False, header_style="bold")
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    console().print(table)


def status_label(value: str | None) -> str:
    return STATUS_LABELS[Status(value)] if value else "–"


def kind_label(value: str) -> str:
    return KIND_LABELS[Kind(value)]


def light_label(value: str | None) -> str:
    return LIGHT_LABELS[Light(value)] if value else "–"


def iso_to_german(value: str | None) -> str:
    from datetime import date

    return format_date(date.fromisoformat(value[:10])) if value else ""


def echo_done(message: str) -> None:
    click.echo(message)
