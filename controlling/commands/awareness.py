"""Awareness of existing offers from the World Café: green and red dots ("Kennen Sie das
Angebot?"), idea cards, and the report of the least-known offers."""

import click

from controlling.commands.context import pass_app
from controlling.commands.options import FilePath
from controlling.commands.output import (
    emit_json,
    emit_table,
    format_option,
    iso_to_german,
    write_format_option,
)


def percent(share: float | None) -> str:
    from controlling.domain.formatting import format_number

    return "–" if share is None else f"{format_number(share * 100, 1)} %"


@click.group()
def awareness():
    """Bekanntheit der Angebote (World Café): grüne und rote Punkte zu „Kennen Sie das
    Angebot?“ und Ideenkarten („Wie kann das Angebot bekannter gemacht werden?“, „Woher
    kennen Sie uns?“).

    Beispiel: controlling awareness report --district Alstaden/Lirich
    """


@awareness.command("record")
@click.option("--event", "event_id", required=True, type=int, metavar="ID",
              help="Veranstaltung (Nr. aus 'controlling event list').")
@click.option("--measure", "measure_id", required=True, type=int, metavar="ID",
              help="Maßnahme (Nr. aus 'controlling measure list').")
@click.option("--yes", "yes", required=True, type=int, metavar="N",
              help="Grüne Punkte: kennen das Angebot.")
@click.option("--no", "no", required=True, type=int, metavar="N",
              help="Rote Punkte: kennen das Angebot nicht.")
@write_format_option
@pass_app
def record(app, event_id, measure_id, yes, no, output_format):
    """Die Punkte eines Angebots bei einer Veranstaltung erfassen; erneut erfasst ersetzt sie
    die bisherigen (Nachzählung). Sozialplanung, Admins und die Bereichsleitung des Bereichs
    der Maßnahme.

    Beispiel: controlling awareness record --event 8 --measure 3 --yes 12 --no 30
    """
    from controlling.services.awareness import record_counts

    result = app.run(record_counts, event_id=event_id, measure_id=measure_id, yes=yes, no=no)
    if output_format == "json":
        return emit_json(result)
    text = (f"Maßnahme {result['measure_id']} bei Veranstaltung {result['event_id']}: "
            f"{result['known_yes']} grün, {result['known_no']} rot "
            f"(bekannt: {percent(result['share_known'])})")
    if result["previous"]:
        text += (f"; ersetzt {result['previous']['known_yes']} grün, "
                 f"{result['previous']['known_no']} rot")
    click.echo(text + ".")


@awareness.command("card")
@click.option("--event", "event_id", required=True, type=int, metavar="ID",
              help="Veranstaltung (Nr.).")
@click.option("--measure", "measure_id", required=True, type=int, metavar="ID",
              help="Maßnahme (Nr.).")
@click.option("--question", required=True, metavar="publicity|source",
              help="publicity: „Wie kann das Angebot bekannter gemacht werden?“; "
                   "source: „Woher kennen Sie uns?“")
@click.option("--text", required=True, help="Text der Karte.")
@write_format_option
@pass_app
def card(app, event_id, measure_id, question, text, output_format):
    """Eine Ideenkarte zu einem Angebot erfassen; dieselbe Karte zweimal wird abgelehnt.

    Beispiel: controlling awareness card --event 8 --measure 3 --question publicity
    --text "Flyer in Kitas auslegen"
    """
    from controlling.services.awareness import record_card

    result = app.run(record_card, event_id=event_id, measure_id=measure_id, question=question,
                     text=text)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Karte {result['id']} zu Maßnahme {result['measure_id']} bei Veranstaltung "
               f"{result['event_id']} erfasst.")


@awareness.command("import")
@click.argument("file", type=FilePath(), metavar="DATEI")
@write_format_option
@pass_app
def import_(app, file, output_format):
    """Punkte und Karten aus .csv oder .xlsx einlesen: alles oder nichts, jedes Problem mit
    Zeilennummer. Sozialplanung und Admins.

    Kopfzeile: event,measure und yes,no (Punkte) und/oder question,text (Karte). Punkte für
    ein schon erfasstes Paar aus Veranstaltung und Maßnahme werden ersetzt.

    Beispiel: controlling awareness import weltcafe-2023.xlsx
    """
    from controlling.commands.imports import _with_progress
    from controlling.services.awareness import import_awareness

    result = _with_progress(app, import_awareness, file, "Bekanntheit einlesen")
    if output_format == "json":
        return emit_json(result)
    click.echo(f"{result['file']}: {result['counts']} Punktezählungen neu, "
               f"{result['replaced']} ersetzt, {result['cards']} Karten eingelesen.")


@awareness.command("report")
@click.option("--district", help="Nur Veranstaltungen in diesem Sozialraum ('stadtweit': die "
                                 "stadtweiten); Standard: alle Veranstaltungen.")
@format_option("table", "json")
@pass_app
def report(app, district, output_format):
    """Die am wenigsten bekannten Angebote (Anteil grüner Punkte, niedrigster zuerst), der
    Verlauf über die Veranstaltungen und die gesammelten Ideen.

    Beispiel: controlling awareness report --district Osterfeld --format json
    """
    from controlling.domain.awareness import QUESTION_LABELS, Question
    from controlling.services.awareness import awareness_report

    result = app.run(awareness_report, district=district)
    if output_format == "json":
        return emit_json(result)
    measures = result["measures"]
    where = f" – {result['district']}" if result["district"] else ""
    emit_table(f"Am wenigsten bekannte Angebote{where}",
               ["Rang", "Nr.", "Maßnahme", "Bereich", "grün", "rot", "bekannt"],
               [[rank, m["measure_id"], m["measure"], m["department"], m["known_yes"],
                 m["known_no"], percent(m["share_known"])]
                for rank, m in enumerate(measures, start=1)],
               "Keine Punkte oder Karten erfasst.")
    if not measures:
        return
    emit_table("Verlauf über die Veranstaltungen",
               ["Nr.", "Maßnahme", "Datum", "Veranstaltung", "grün", "rot", "bekannt"],
               [[m["measure_id"], m["measure"], iso_to_german(e["held_on"]), e["event"],
                 e["known_yes"], e["known_no"], percent(e["share_known"])]
                for m in measures for e in m["events"]],
               "Keine Punkte erfasst.")
    emit_table("Ideen", ["Nr.", "Maßnahme", "Frage", "Karte", "Veranstaltung"],
               [[m["measure_id"], m["measure"], QUESTION_LABELS[Question(i["question"])],
                 i["text"], i["event"]] for m in measures for i in m["ideas"]],
               "Keine Ideenkarten erfasst.")


def register(cli) -> None:
    cli.add_command(awareness)
