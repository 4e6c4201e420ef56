"""Suggestions (Hinweise) from the events: add, list, show, import, the triage's decision
tree, the statistical check and the carry-over to the next round."""

import click

from controlling.commands.context import pass_app
from controlling.commands.options import FilePath, date_of, on_option
from controlling.commands.output import (
    echo_wrapped,
    emit_csv,
    emit_json,
    emit_table,
    format_option,
    iso_to_german,
    kind_label,
    status_label,
    write_format_option,
)

OUTCOMES = ["exists", "time_limited", "missing", "not_pursued"]


def outcome_label(value: str | None) -> str:
    from controlling.domain.triage import Outcome

    return Outcome(value).label if value and value != "open" else "offen"


@click.group()
def suggestion():
    """Hinweise aus den Veranstaltungen erfassen, entscheiden (Triage) und weitertragen.

    Beispiel: controlling suggestion list --open
    """


@suggestion.command("add")
@click.option("--event", "event_id", required=True, type=int, help="Nummer der Veranstaltung.")
@click.option("--text", required=True, help="Was fehlt im Sozialraum?")
@click.option("--district", help="Sozialraum (Standard: der der Veranstaltung).")
@click.option("--topic", help="Thema (z. B. Gesundheit).")
@click.option("--institution-kind", help="Art der Einrichtung, die den Hinweis gab (z. B. Kita); "
              "keine Personen.")
@write_format_option
@pass_app
def suggestion_add(app, event_id, text, district, topic, institution_kind, output_format):
    """Einen Hinweis erfassen; nennt ähnliche, schon erfasste Hinweise.

    Beispiel: controlling suggestion add --event 9 --text "Mehr Sportangebote für Mädchen"
    --topic Sport/Bewegung --institution-kind Jugendzentrum
    """
    from controlling.services.suggestions import add_suggestion

    result = app.run(add_suggestion, event_id=event_id, text=text, district=district,
                     topic=topic, institution_kind=institution_kind)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Hinweis {result['id']} erfasst ({result['district']}).")
    if result["similar_to"]:
        click.echo("Ähnliche Hinweise: " + ", ".join(map(str, result["similar_to"])))


def suggestion_table(rows, title, extra=None):
    headers = ["Nr.", "Veranstaltung", "Sozialraum", "Thema", "Hinweis", "Ergebnis", "Empf.",
               "ähnlich"]
    body = []
    for s in rows:
        outcome = s["outcome"] or {}
        line = [s["id"], f"{s['event_id']} ({s['event_date']})", s["district"], s["topic"] or "",
                s["text"], outcome_label(s["status"]), outcome.get("recommendation") or "",
                ", ".join(map(str, s.get("similar_to") or []))]
        if extra:
            line.append(extra(s))
        body.append(line)
    emit_table(title, headers + (["Grund"] if extra else []), body, "Keine Hinweise.")


@suggestion.command("list")
@click.option("--open", "open_only", is_flag=True, help="Nur offene (der Rückstand).")
@click.option("--event", "event_id", type=int, help="Nur diese Veranstaltung.")
@click.option("--district", help="Nur dieser Sozialraum.")
@click.option("--topic", help="Nur dieses Thema.")
@format_option("table", "csv", "json")
@pass_app
def suggestion_list(app, open_only, event_id, district, topic, output_format):
    """Hinweise nach Veranstaltung und Sozialraum; ähnliche Hinweise werden genannt.

    Beispiel: controlling suggestion list --open --district Osterfeld
    """
    from controlling.services.suggestions import list_suggestions

    rows = app.run(list_suggestions, open_only=open_only, event_id=event_id, district=district,
                   topic=topic)
    if output_format == "json":
        return emit_json(rows)
    if output_format == "csv":
        flat = [{**r, "recommendation": (r["outcome"] or {}).get("recommendation"),
                 "similar_to": " ".join(map(str, r["similar_to"]))} for r in rows]
        return emit_csv(flat, ["id", "event_id", "event_date", "district", "topic", "text",
                               "institution_kind", "status", "recommendation", "similar_to"])
    suggestion_table(rows, "Offene Hinweise" if open_only else "Hinweise")
    if open_only and rows:
        groups: dict[tuple, int] = {}
        for r in rows:
            key = (r["event_id"], r["event_date"], r["district"])
            groups[key] = groups.get(key, 0) + 1
        for (event_id_, event_date, district_), count in groups.items():
            click.echo(f"Veranstaltung {event_id_} ({event_date}), {district_}: {count} offen")


@suggestion.command("show")
@click.argument("suggestion_id", type=int, metavar="NR")
@format_option("table", "json")
@pass_app
def suggestion_show(app, suggestion_id, output_format):
    """Einen Hinweis mit Ergebnis und Verknüpfungen zeigen.

    Beispiel: controlling suggestion show 12 --format json
    """
    from controlling.services.suggestions import show_suggestion

    s = app.run(show_suggestion, suggestion_id)
    if output_format == "json":
        return emit_json(s)
    echo_wrapped(f"Hinweis {s['id']}: {s['text']}")
    echo_wrapped(f"  Veranstaltung {s['event_id']}: {s['event']}, {s['event_date']}")
    echo_wrapped(f"  Sozialraum: {s['district']}   Thema: {s['topic'] or '–'}   Einrichtung: "
                 f"{s['institution_kind'] or '–'}")
    echo_wrapped(f"  Ergebnis: {outcome_label(s['status'])}")
    outcome = s["outcome"]
    if outcome:
        if outcome["measure_id"]:
            echo_wrapped(f"  Maßnahme: {outcome['measure_id']}")
        if outcome["recommendation"]:
            echo_wrapped(f"  Empfehlung: {outcome['recommendation']} "
                         f"({status_label(outcome['recommendation_status'])})")
        if outcome["reason"]:
            echo_wrapped(f"  Begründung: {outcome['reason']}")
        echo_wrapped(f"  entschieden am {iso_to_german(outcome['decided_on'])} von "
                     f"{outcome['actor']}")
    if s["similar_to"]:
        echo_wrapped("  Ähnliche Hinweise: " + ", ".join(map(str, s["similar_to"])))


@suggestion.command("import")
@click.argument("file", type=FilePath(), metavar="DATEI")
@click.option("--event", "event_id", type=int,
              help="Veranstaltung für Zeilen ohne Spalte 'event'.")
@write_format_option
@pass_app
def suggestion_import(app, file, event_id, output_format):
    """Hinweise aus .csv oder .xlsx einlesen, alles oder nichts.

    Kopfzeile: text, optional event,district,topic,institution_kind (oder die deutschen
    Namen). Jedes Problem wird mit seiner Zeile genannt; dann wird nichts geschrieben. Eine
    Datei von 'export suggestions' lässt sich wieder einlesen: die Veranstaltung steht dort in
    event_id, vorhandene, unveränderte Hinweise (id) werden übersprungen.

    Beispiel: controlling suggestion import hinweise.csv --event 9
    """
    from controlling.commands.output import echo_notes
    from controlling.services.suggestions import import_suggestions

    result = app.run(import_suggestions, file, event_id=event_id)
    if output_format == "json":
        return emit_json(result)
    unchanged = (f"; {result['unchanged']} schon vorhanden und unverändert, übersprungen"
                 if result.get("unchanged") else "")
    click.echo(f"{result['imported']} Hinweise aus {result['file']} eingelesen{unchanged}.")
    echo_notes(result)


@suggestion.command("triage")
@click.argument("suggestion_id", type=int, metavar="NR")
@click.argument("outcome", type=click.Choice(OUTCOMES), metavar="ERGEBNIS")
@click.option("--measure", "measure_id", type=int, help="Vorhandener Steckbrief (Nummer).")
@click.option("--new-measure", metavar="TITEL", help="Neuen Steckbrief mit diesem Titel anlegen "
              "(Sozialraum und Thema des Hinweises, Bereich aus --department).")
@click.option("--ends-on", metavar="DATUM", help="Befristet bis (für --new-measure).")
@click.option("--kind", type=click.Choice(["new", "extension", "permanence"]),
              help="Art der Empfehlung (befristet: extension oder permanence; Standard "
                   "extension).")
@click.option("--recommendation", type=int, metavar="N",
              help="Vorhandene Empfehlung verknüpfen statt eine neue anzulegen.")
@click.option("--number", type=int, help="Nummer der neuen Empfehlung (Standard: die nächste "
              "freie, höchste + 1).")
@click.option("--title", help="Titel der neuen Empfehlung (Standard: Text des Hinweises).")
@click.option("--department", help="Zuständiger Bereich (Code) der Empfehlung bzw. des neuen "
              "Steckbriefs.")
@click.option("--indicator", help="Bei 'missing': sofort statistisch prüfen mit diesem "
              "Indikator.")
@click.option("--year", type=int, help="Jahr für die statistische Prüfung.")
@click.option("--reason", help="Begründung (Pflicht bei not_pursued).")
@on_option
@format_option("text", "json", default="text")
@pass_app
def suggestion_triage(app, suggestion_id, outcome, measure_id, new_measure, ends_on, kind,
                      recommendation, number, title, department, indicator, year, reason, on,
                      output_format):
    """Einen Hinweis entscheiden (Recherche und Rückkopplung), genau einmal.

    \b
    exists        Angebot vorhanden: mit Steckbrief verknüpfen (--measure oder --new-measure)
    time_limited  vorhanden, aber befristet: Steckbrief + Empfehlung Verlängerung/Verstetigung
    missing       fehlt: neue Empfehlung (vorgeschlagen); mit --indicator sofort statistisch
                  geprüft, nicht gestützt → abgelehnt "statistisch nicht gestützt"
    not_pursued   nicht weiterverfolgt, mit --reason

    Beispiel: controlling suggestion triage 12 missing --department 3-1 --indicator sgb2_quote
    """
    from controlling.services.triage import triage_suggestion

    new = None
    if new_measure is not None:
        new = {"title": new_measure}
        if ends_on:
            new["ends_on"] = ends_on
    elif ends_on:
        raise click.UsageError("--ends-on gehört zu --new-measure.")
    result = app.run(triage_suggestion, suggestion_id, outcome, measure_id=measure_id,
                     new_measure=new, kind=kind, recommendation=recommendation, number=number,
                     title=title, department=department, indicator=indicator, year=year,
                     reason=reason, on=date_of(app, on))
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Hinweis {result['id']}: {outcome_label(result['status'])}.")
    if result["measure"]:
        click.echo(f"  verknüpft mit Maßnahme {result['measure']['id']}: "
                   f"{result['measure']['title']}")
    rec = result["recommendation"]
    if rec:
        click.echo(f"  Empfehlung {rec['number']} ({kind_label(rec['kind'])}): {rec['title']} – "
                   f"{status_label(rec['status'])}")
    if result["check"] and not result["check"]["supported"]:
        click.echo(f"  {result['check']['reason']}")


@suggestion.command("check")
@click.argument("suggestion_id", type=int, metavar="NR")
@click.option("--indicator", required=True, help="Indikator-Code aus dem Sozialbericht.")
@click.option("--year", type=int, help="Jahr (Standard: das letzte mit Werten für beide).")
@on_option
@write_format_option
@pass_app
def suggestion_check(app, suggestion_id, indicator, year, on, output_format):
    """Den Bedarf statistisch prüfen: die neue Empfehlung eines Hinweises wird statistisch
    gestützt oder mit "statistisch nicht gestützt" abgelehnt.

    Beispiel: controlling suggestion check 12 --indicator sgb2_quote --year 2022
    """
    from controlling.services.triage import check_suggestion

    result = app.run(check_suggestion, suggestion_id, indicator=indicator, year=year,
                     on=date_of(app, on))
    if output_format == "json":
        return emit_json(result)
    if result["supported"]:
        click.echo(f"Empfehlung {result['recommendation']}: statistisch gestützt.")
    else:
        click.echo(f"Empfehlung {result['recommendation']} abgelehnt: {result['reason']}")


@suggestion.command("carry-over")
@click.option("--district", required=True, help="Sozialraum.")
@format_option("table", "json")
@pass_app
def suggestion_carry_over(app, district, output_format):
    """Was der nächste Expert*innendialog im Sozialraum wieder aufgreifen soll: offene Hinweise
    und solche, deren Empfehlung statistisch nicht gestützt war; ähnliche werden genannt.

    Beispiel: controlling suggestion carry-over --district Osterfeld
    """
    from controlling.services.suggestions import carry_over

    result = app.run(carry_over, district=district)
    if output_format == "json":
        return emit_json(result)
    upcoming = result["next_event"]
    click.echo(f"Für {result['district']}: " + (
        f"nächste Veranstaltung {upcoming['id']} am {upcoming['date']}." if upcoming
        else "noch keine kommende Veranstaltung erfasst."))
    reasons = {"open": "offen", "not_supported": "statistisch nicht gestützt"}
    suggestion_table(result["suggestions"], "Wiedervorlage",
                      extra=lambda s: reasons[s["carry_reason"]])


def register(cli) -> None:
    cli.add_command(suggestion)
