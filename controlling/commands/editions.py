"""Published editions of the recommendations (`edition publish|list|diff`) and the
supersession of a recommendation by a new one (`recommendation supersede`)."""

import click

from controlling.commands.context import pass_app
from controlling.commands.german import CliError
from controlling.commands.output import (
    emit_json,
    emit_table,
    format_option,
    iso_to_german,
    kind_label,
    status_label,
    write_format_option,
)


def _date(app, text):
    from controlling.domain.dates import parse_date

    return app.call(parse_date, text, "Datum")


@click.group()
def edition():
    """Veröffentlichte Ausgaben der Empfehlungen und Maßnahmensteckbriefe (z. B. die
    Aktualisierung aller Empfehlungen im Februar 2023) und was sich seitdem geändert hat.

    Beispiel: controlling edition diff "Februar 2023"
    """


@edition.command("publish")
@click.argument("name", metavar="NAME")
@click.option("--on", "on", metavar="DATUM",
              help="Veröffentlichungsdatum JJJJ-MM-TT (Standard: heute; nicht vor der "
                   "letzten Änderung des festgehaltenen Stands).")
@click.option("--note", help="Vermerk zur Ausgabe.")
@write_format_option
@pass_app
def publish(app, name, on, note, output_format):
    """Den jetzigen Stand aller Empfehlungen und Maßnahmensteckbriefe als Ausgabe NAME
    festhalten (unveränderlich); Sozialplanung und Admins.

    Festgehalten wird immer der jetzige Stand; ein Datum mit --on darf daher nicht vor der
    letzten Änderung liegen (Statusänderung nach Wirksamkeitsdatum, Maßnahmensteckbrief nach
    Erfassung), sonst stünde der heutige Stand unter einem Tag, an dem er noch nicht galt.

    Beispiel: controlling edition publish "Fortschreibung 2026" --on 2026-11-30
    """
    from controlling.services.editions import publish_edition

    result = app.run(publish_edition, name, on=_date(app, on), note=note)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Ausgabe '{result['name']}' veröffentlicht am "
               f"{iso_to_german(result['published_on'])}: {result['recommendations']} "
               f"Empfehlungen, {result['measures']} Maßnahmensteckbriefe festgehalten.")


@edition.command("list")
@format_option("table", "json")
@pass_app
def list_(app, output_format):
    """Die veröffentlichten Ausgaben nach Datum.

    Beispiel: controlling edition list --format json
    """
    from controlling.services.editions import list_editions

    rows = app.run(list_editions)
    if output_format == "json":
        return emit_json(rows)
    emit_table("Ausgaben", ["Name", "veröffentlicht", "Empfehlungen", "Maßnahmen", "von",
                            "Vermerk"],
               [[r["name"], iso_to_german(r["published_on"]), r["recommendations"],
                 r["measures"], r["actor"], r["note"] or ""] for r in rows],
               "Noch keine Ausgabe veröffentlicht.")


@edition.command("diff")
@click.argument("name", metavar="NAME")
@click.option("--to", "against", metavar="NAME2",
              help="Mit dieser späteren Ausgabe vergleichen statt mit dem jetzigen Stand.")
@format_option("table", "json", "pdf")
@click.option("--out", "out", metavar="PFAD",
              help="PDF-Zieldatei (Standard: ausgabe-NAME-aenderungen-JJJJ-MM-TT.pdf im "
                   "aktuellen Ordner).")
@click.option("--force", is_flag=True,
              help="Eine vorhandene Datei ersetzen (sonst wird abgelehnt).")
@pass_app
def diff(app, name, against, output_format, out, force):
    """Was seit der Ausgabe NAME hinzukam, sich geändert hat (Feld für Feld, alt → neu) oder
    zurückgezogen wurde (nicht mehr vorhanden, oder seitdem ersetzt oder abgelehnt); als
    Tabelle, JSON oder PDF für die Ausschüsse (im Stil der anderen Berichte).

    \b
    Beispiele:
      controlling edition diff "Februar 2023" --format json
      controlling edition diff "Februar 2023" --format pdf --out aenderungen.pdf
    """
    from controlling.services.editions import diff_edition

    if output_format == "pdf":
        return _diff_pdf(app, name, against, out, force)
    if out is not None:
        raise CliError("--out gilt nur mit --format pdf.")
    result = app.run(diff_edition, name, against=against)
    if output_format == "json":
        return emit_json(result)
    target = (f"Ausgabe '{result['compared_with']['name']}'" if against else "jetziger Stand")
    click.echo(f"Ausgabe '{result['edition']['name']}' "
               f"({iso_to_german(result['edition']['published_on'])}) → {target}")
    for key, noun, id_name in (("recommendations", "Empfehlungen", "number"),
                               ("measures", "Maßnahmen", "id")):
        part = result[key]
        emit_table(f"{noun}: neu", ["Nr.", "Titel", "Hinweis"],
                   [[e[id_name], e["title"], _added_note(e)] for e in part["added"]],
                   f"{noun}: nichts neu.")
        emit_table(f"{noun}: geändert", ["Nr.", "Titel", "Feld", "alt", "neu"],
                   [[e[id_name], e["title"], c["label"], _value(c["field"], c["old"]),
                     _value(c["field"], c["new"])]
                    for e in part["changed"] for c in e["changes"]],
                   f"{noun}: nichts geändert.")
        emit_table(f"{noun}: zurückgezogen", ["Nr.", "Titel", "Grund"],
                   [[e[id_name], e["title"], _withdrawn_note(e)] for e in part["withdrawn"]],
                   f"{noun}: nichts zurückgezogen.")


def _diff_pdf(app, name, against, out, force) -> None:
    """The diff as a PDF: the target checked before the work, written safely
    (controlling/files.py: a temporary file renamed into place)."""
    from pathlib import Path

    from controlling import clock
    from controlling.files import check_target, write_atomically
    from controlling.services.editions import diff_edition

    made = clock.today()
    target = Path(out) if out else Path(
        f"ausgabe-{_file_name(name)}-aenderungen-{made.isoformat()}.pdf")
    app.call(check_target, target, force=force)
    result = app.run(diff_edition, name, against=against)
    from controlling.reports.edition_diff import render_edition_diff_pdf

    pdf, pages = render_edition_diff_pdf(result, made_on=made)
    app.call(write_atomically, target, pdf, force=force)
    click.echo(f"Änderungen seit der Ausgabe '{result['edition']['name']}' geschrieben: "
               f"{target} ({pages} Seiten).")


def _file_name(text: str) -> str:
    """A name for a file: letters and digits, the rest as '-'."""
    cleaned = "".join(c if c.isalnum() else "-" for c in text.strip().lower())
    return "-".join(part for part in cleaned.split("-") if part) or "ausgabe"


def _added_note(entry: dict) -> str:
    parts = []
    if entry.get("status"):
        parts.append(status_label(entry["status"]))
    if entry.get("supersedes"):
        parts.append("ersetzt " + ", ".join(str(n) for n in entry["supersedes"]))
    return "; ".join(parts)


def _withdrawn_note(entry: dict) -> str:
    from controlling.domain.editions import WITHDRAWN_REASONS

    text = WITHDRAWN_REASONS[entry["reason"]]
    if entry.get("superseded_by"):
        text += f" durch Empfehlung {entry['superseded_by']}"
    return text


def _value(field: str, value) -> str:
    if value is None or value == [] or value == "":
        return "–"
    if field == "status":
        return status_label(value)
    if field == "kind":
        return kind_label(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field == "ends_on":
        return iso_to_german(value)
    return str(value)


@click.command("supersede")
@click.argument("number", type=int, metavar="NR")
@click.option("--by", "successor", required=True, type=int, metavar="M",
              help="Nummer der neuen Empfehlung, die diese ersetzt.")
@click.option("--note", required=True, help="Vermerk: warum ersetzt (Pflicht).")
@click.option("--on", "on", metavar="DATUM", help="Wirksamkeitsdatum JJJJ-MM-TT (Standard: heute).")
@click.option("--expect-version", "expected_version", type=int, metavar="V",
              help="Nur ändern, wenn die Empfehlung noch Version V hat (sonst Konflikt).")
@click.option("--correction", "correction", metavar="TEXT",
              help="Begründung, wenn die Änderung einen schon veröffentlichten Quartalsbericht "
                   "rückwirkend betrifft (Nachtrag; ohne wird abgelehnt).")
@write_format_option
@pass_app
def supersede(app, number, successor, note, on, expected_version, correction, output_format):
    """Durch eine neue Empfehlung ersetzen: vorgeschlagen, statistisch gestützt oder
    freigegeben → ersetzt (Endstatus). Die Verknüpfung bleibt erhalten; die Verfolgung geht
    bei der neuen Empfehlung weiter. Sozialplanung und Admins.

    Beispiel: controlling recommendation supersede 7 --by 43 --note "Neufassung Februar 2023"
    """
    from controlling.services.recommendations import change_status

    result = app.run(change_status, number, "supersede", note=note, on=_date(app, on),
                     successor=successor, expected_version=expected_version,
                     correction=correction)
    if output_format == "json":
        return emit_json(result)
    change = result["change"]
    click.echo(f"Empfehlung {result['number']}: {status_label(change['from_status'])} → "
               f"{status_label(change['to_status'])} durch Empfehlung {successor} "
               f"(wirksam {iso_to_german(change['effective_on'])}).")


def register(cli) -> None:
    """Add `edition` and `recommendation supersede`."""
    cli.add_command(edition)
    cli.commands["recommendation"].add_command(supersede)
