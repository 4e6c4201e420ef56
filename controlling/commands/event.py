"""Events (Expert*innendialoge, Sozialkonferenz): add, load the reference list, list, show."""

import click

from controlling.commands.context import pass_app
from controlling.commands.options import date_of, hidden_alias
from controlling.commands.output import (
    echo_wrapped,
    emit_json,
    emit_table,
    format_option,
    write_format_option,
)
from controlling.commands.suggestion import suggestion_table


@click.group()
def event():
    """Veranstaltungen: Expert*innendialoge im Sozialraum und die Sozialkonferenz.

    Beispiel: controlling event list --district Osterfeld
    """


@event.command("add")
@click.option("--district", help="Sozialraum; für die Sozialkonferenz weglassen (stadtweit).")
@click.option("--on", "held_on", metavar="DATUM", help="Tag der Veranstaltung JJJJ-MM-TT "
              "(Pflicht; mit --month-only zählt nur Monat und Jahr).")
@click.option("--month-only", is_flag=True, help="Nur Monat und Jahr sind bekannt (z. B. 10/2019).")
@click.option("--kind", type=click.Choice(["expert_dialogue", "social_conference"]),
              default="expert_dialogue", show_default=True,
              help="Expert*innendialog oder Sozialkonferenz.")
@click.option("--event-format", type=click.Choice(["conference", "world_cafe"]),
              default="conference", show_default=True, help="Konferenz oder World Café.")
@click.option("--round", "round_", type=int, help="Runde (1: 2019-2022, 2: 2023, ...).")
@click.option("--participants", type=int, help="Anzahl Teilnehmende.")
@click.option("--institutions", type=int, help="Anzahl Institutionen.")
@click.option("--title", help="Titel (Standard: aus Art, Sozialraum und Runde).")
@click.option("--note", help="Vermerk.")
@hidden_alias("--date", "--on", "held_on")
@write_format_option
@pass_app
def event_add(app, district, held_on, month_only, kind, event_format, round_, participants,
              institutions, title, note, output_format):
    """Eine Veranstaltung erfassen; Sozialplanung und Admins.

    Beispiel: controlling event add --district Osterfeld --on 2024-09-26 --round 3
    --event-format world_cafe --participants 70
    """
    from controlling.services.events import add_event

    result = app.run(add_event, district=district, held_on=date_of(app, held_on), kind=kind,
                     event_format=event_format, round_=round_, participants=participants,
                     institutions=institutions, title=title, note=note, month_only=month_only)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Veranstaltung {result['id']} erfasst: {result['title']}, {result['date']}.")


@event.command("load-reference")
@format_option("text", "json", default="text")
@pass_app
def event_load_reference(app, output_format):
    """Die zwölf Expert*innendialoge der Runden 1 und 2 (Daten und Sozialräume der Stadt)
    anlegen; schon vorhandene bleiben unverändert, zweimal ausführen schadet nicht.

    Beispiel: controlling event load-reference
    """
    from controlling.services.events import load_reference_events

    result = app.run(load_reference_events)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"{result['added']} Veranstaltungen angelegt, {result['present']} waren schon "
               "vorhanden.")


@event.command("list")
@click.option("--district", help="Nur dieser Sozialraum.")
@format_option("table", "json")
@pass_app
def event_list(app, district, output_format):
    """Veranstaltungen nach Datum, mit der Zahl ihrer (offenen) Hinweise.

    Beispiel: controlling event list --format json
    """
    from controlling.services.events import list_events

    rows = app.run(list_events, district=district)
    if output_format == "json":
        return emit_json(rows)
    emit_table("Veranstaltungen", ["Nr.", "Datum", "Sozialraum", "Titel", "Runde", "Format",
                                   "Teiln.", "Hinweise", "offen"],
               [[e["id"], e["date"], e["district"], e["title"], e["round"] or "",
                 _format_label(e["format"]), e["participants"] or "", e["suggestions"],
                 e["open"]] for e in rows], "Keine Veranstaltungen erfasst.")


def _format_label(value: str) -> str:
    from controlling.domain.events import EventFormat

    return EventFormat(value).label


@event.command("show")
@click.argument("event_id", type=int, metavar="NR")
@format_option("table", "json")
@pass_app
def event_show(app, event_id, output_format):
    """Eine Veranstaltung mit ihren Hinweisen zeigen.

    Beispiel: controlling event show 3
    """
    from controlling.services.events import show_event

    e = app.run(show_event, event_id)
    if output_format == "json":
        return emit_json(e)
    echo_wrapped(f"Veranstaltung {e['id']}: {e['title']}, {e['date']}")
    echo_wrapped(f"  Sozialraum: {e['district']}   Format: {_format_label(e['format'])}   "
                 f"Teilnehmende: {e['participants'] or '–'}   Institutionen: "
                 f"{e['institutions'] or '–'}")
    suggestion_table(e["suggestion_list"], "Hinweise")


def register(cli) -> None:
    cli.add_command(event)
