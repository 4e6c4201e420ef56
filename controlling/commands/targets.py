"""Due dates of recommendations: `recommendation target|milestone|milestone-done|
dates|due`, added to the `recommendation` group."""

import click

from controlling.commands.context import pass_app
from controlling.commands.output import emit_json, emit_table, format_option, iso_to_german


@click.command("target")
@click.argument("number", type=int, metavar="NR")
@click.option("--on", "on", metavar="JJJJ-MM-TT", help="Der Zieltermin.")
@click.option("--clear", is_flag=True, help="Den Zieltermin entfernen (mit --reason).")
@click.option("--reason", help="Begründung; nötig, wenn ein Zieltermin schon besteht.")
@format_option("text", "json", default="text")
@pass_app
def target(app, number, on, clear, reason, output_format):
    """Den Zieltermin einer Empfehlung setzen oder ändern (Sozialplanung, Admins, die
    Bereichsleitung des Bereichs). Jede Änderung bleibt im Verlauf (wer, wann, warum);
    einen bestehenden Zieltermin ändern oder entfernen braucht --reason.

    JSON: wie 'recommendation dates N --format json'.

    Beispiel: controlling recommendation target 7 --on 2025-06-30
    """
    from controlling.services.targets import set_target

    if on and clear:
        raise click.UsageError("Entweder --on oder --clear.")
    result = app.run(set_target, number, on=on, reason=reason, clear=clear)
    if output_format == "json":
        return emit_json(result)
    if result["target_on"]:
        click.echo(f"Empfehlung {number}: Zieltermin {iso_to_german(result['target_on'])}.")
    else:
        click.echo(f"Empfehlung {number}: Zieltermin entfernt.")


@click.command("milestone")
@click.argument("number", type=int, metavar="NR")
@click.option("--title", required=True, help="Was erreicht sein soll.")
@click.option("--due", required=True, metavar="JJJJ-MM-TT", help="Bis wann.")
@format_option("text", "json", default="text")
@pass_app
def milestone(app, number, title, due, output_format):
    """Einen Meilenstein einer Empfehlung anlegen (Sozialplanung, Admins, die
    Bereichsleitung des Bereichs).

    JSON: {id, number, title, due_on, done_on, overdue}.

    Beispiel: controlling recommendation milestone 7 --title "Träger gefunden" --due 2025-03-31
    """
    from controlling.services.targets import add_milestone

    result = app.run(add_milestone, number, title=title, due=due)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Meilenstein {result['id']} von Empfehlung {number} angelegt, fällig am "
               f"{iso_to_german(result['due_on'])}.")


@click.command("milestone-done")
@click.argument("milestone_id", type=int, metavar="ID")
@click.option("--on", "on", metavar="JJJJ-MM-TT", help="Erreicht am (Standard: heute).")
@click.option("--reason", help="Warum ein schon eingetragener Tag korrigiert wird.")
@format_option("text", "json", default="text")
@pass_app
def milestone_done(app, milestone_id, on, reason, output_format):
    """Einen Meilenstein als erreicht eintragen (nicht in der Zukunft). Ein anderer Tag für
    einen schon erreichten Meilenstein ist eine Korrektur: sie braucht --reason, der frühere
    Eintrag bleibt im Verlauf.

    Beispiel: controlling recommendation milestone-done 3 --on 2025-03-20
    """
    from controlling.services.targets import finish_milestone

    result = app.run(finish_milestone, milestone_id, on=on, reason=reason)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Meilenstein {milestone_id} erreicht am {iso_to_german(result['done_on'])}.")


@click.command("dates")
@click.argument("number", type=int, metavar="NR")
@format_option("table", "json")
@pass_app
def dates(app, number, output_format):
    """Zieltermin (mit seinem Verlauf) und Meilensteine einer Empfehlung. Alle Rollen.

    JSON: {number, title, status, target_on, overdue, target_history: [{target_on, reason,
    actor, recorded_at}], milestones: [{id, number, title, due_on, done_on, overdue}]}.

    Beispiel: controlling recommendation dates 7 --format json
    """
    from controlling.services.targets import dates as service

    result = app.run(service, number)
    if output_format == "json":
        return emit_json(result)
    target_on = iso_to_german(result["target_on"]) or "keiner"
    click.echo(f"Empfehlung {number}: Zieltermin {target_on}"
               + (" (überschritten)" if result["overdue"] else "") + ".")
    emit_table("Verlauf des Zieltermins", ["Zieltermin", "Begründung", "wer", "erfasst (UTC)"],
               [[iso_to_german(c["target_on"]) or "entfernt", c["reason"] or "", c["actor"],
                 c["recorded_at"][:16].replace("T", " ")] for c in result["target_history"]],
               "Kein Zieltermin gesetzt.")
    _milestones(result["milestones"], "Meilensteine", "Keine Meilensteine.")


def _milestones(rows, title, empty) -> None:
    emit_table(title, ["ID", "Nr.", "Meilenstein", "fällig", "erreicht", "überfällig"],
               [[m["id"], m["number"], m["title"], iso_to_german(m["due_on"]),
                 iso_to_german(m["done_on"]), "ja" if m["overdue"] else "nein"] for m in rows],
               empty)


@click.command("due")
@click.option("--quarter", metavar="JJJJ-QN",
              help="Meilensteine des Quartals danach zeigen (Standard: das laufende).")
@format_option("table", "json")
@pass_app
def due(app, quarter, output_format):
    """Was fällig ist: Empfehlungen nach ihrem Zieltermin (nicht umgesetzt, abgelehnt oder
    ersetzt), überfällige Meilensteine und die Meilensteine des nächsten Quartals. Alle Rollen.

    JSON: {as_of, next_quarter, overdue_targets: [{number, title, department, target_on}],
    overdue_milestones, milestones_next_quarter}.

    Beispiel: controlling recommendation due --format json
    """
    from controlling.services.targets import due_dates

    result = app.run(due_dates, quarter=quarter)
    if output_format == "json":
        return emit_json(result)
    emit_table("Zieltermin überschritten", ["Nr.", "Titel", "Bereich", "Zieltermin"],
               [[r["number"], r["title"], r["department"], iso_to_german(r["target_on"])]
                for r in result["overdue_targets"]], "Kein Zieltermin überschritten.")
    _milestones(result["overdue_milestones"], "Überfällige Meilensteine",
                "Kein Meilenstein überfällig.")
    _milestones(result["milestones_next_quarter"],
                f"Meilensteine im Quartal {result['next_quarter']}", "Keine.")


def register(cli) -> None:
    group = cli.commands["recommendation"]
    for command in (target, milestone, milestone_done, dates, due):
        group.add_command(command)
