"""From the expert dialogues to recommendations: events, suggestions and their triage,
measure profiles (Maßnahmensteckbriefe), expiring offers and the trace of a recommendation."""

import click

from controlling.commands.context import pass_app
from controlling.commands.output import (
    echo_wrapped,
    emit_csv,
    emit_json,
    emit_table,
    format_option,
    iso_to_german,
    kind_label,
    light_label,
    status_label,
    write_format_option,
)

OUTCOMES = ["exists", "time_limited", "missing", "not_pursued"]


def _date(app, text, what="Datum"):
    from controlling.domain.dates import parse_date

    return app.call(parse_date, text, what)


def on_option(func):
    return click.option("--on", "on", metavar="DATUM",
                        help="Wirksamkeitsdatum JJJJ-MM-TT (Standard: heute).")(func)


def _outcome_label(value: str | None) -> str:
    from controlling.domain.triage import Outcome

    return Outcome(value).label if value and value != "open" else "offen"


# events ------------------------------------------------------------------------------------------
@click.group()
def event():
    """Veranstaltungen: Expert*innendialoge im Sozialraum und die Sozialkonferenz.

    Beispiel: controlling event list --district Osterfeld
    """


@event.command("add")
@click.option("--district", help="Sozialraum; für die Sozialkonferenz weglassen (stadtweit).")
@click.option("--date", "held_on", required=True, metavar="DATUM", help="Datum JJJJ-MM-TT.")
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
@write_format_option
@pass_app
def event_add(app, district, held_on, month_only, kind, event_format, round_, participants,
              institutions, title, note, output_format):
    """Eine Veranstaltung erfassen; Sozialplanung und Admins.

    Beispiel: controlling event add --district Osterfeld --date 2024-09-26 --round 3
    --event-format world_cafe --participants 70
    """
    from controlling.services.events import add_event

    result = app.run(add_event, district=district, held_on=_date(app, held_on), kind=kind,
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
    click.echo(f"Veranstaltung {e['id']}: {e['title']}, {e['date']}")
    click.echo(f"  Sozialraum: {e['district']}   Format: {_format_label(e['format'])}   "
               f"Teilnehmende: {e['participants'] or '–'}   Institutionen: "
               f"{e['institutions'] or '–'}")
    _suggestion_table(e["suggestion_list"], "Hinweise")


# suggestions -------------------------------------------------------------------------------------
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


def _suggestion_table(rows, title, extra=None):
    headers = ["Nr.", "Veranstaltung", "Sozialraum", "Thema", "Hinweis", "Ergebnis", "Empf.",
               "ähnlich"]
    body = []
    for s in rows:
        outcome = s["outcome"] or {}
        line = [s["id"], f"{s['event_id']} ({s['event_date']})", s["district"], s["topic"] or "",
                s["text"], _outcome_label(s["status"]), outcome.get("recommendation") or "",
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
    _suggestion_table(rows, "Offene Hinweise" if open_only else "Hinweise")
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
    click.echo(f"Hinweis {s['id']}: {s['text']}")
    click.echo(f"  Veranstaltung {s['event_id']}: {s['event']}, {s['event_date']}")
    click.echo(f"  Sozialraum: {s['district']}   Thema: {s['topic'] or '–'}   Einrichtung: "
               f"{s['institution_kind'] or '–'}")
    click.echo(f"  Ergebnis: {_outcome_label(s['status'])}")
    outcome = s["outcome"]
    if outcome:
        if outcome["measure_id"]:
            click.echo(f"  Maßnahme: {outcome['measure_id']}")
        if outcome["recommendation"]:
            click.echo(f"  Empfehlung: {outcome['recommendation']} "
                       f"({status_label(outcome['recommendation_status'])})")
        if outcome["reason"]:
            click.echo(f"  Begründung: {outcome['reason']}")
        click.echo(f"  entschieden am {iso_to_german(outcome['decided_on'])} von "
                   f"{outcome['actor']}")
    if s["similar_to"]:
        click.echo("  Ähnliche Hinweise: " + ", ".join(map(str, s["similar_to"])))


@suggestion.command("import")
@click.argument("file", type=click.Path(dir_okay=False), metavar="DATEI")
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
                     reason=reason, on=_date(app, on))
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Hinweis {result['id']}: {_outcome_label(result['status'])}.")
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
                     on=_date(app, on))
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
    _suggestion_table(result["suggestions"], "Wiedervorlage",
                      extra=lambda s: reasons[s["carry_reason"]])


# measures ----------------------------------------------------------------------------------------
def measure_fields(func):
    """The fields of a measure profile, shared by `measure add` and `measure edit`."""
    options = [
        click.option("--title", help="Titel."),
        click.option("--description", help="Beschreibung."),
        click.option("--department", help="Zuständiger Bereich (Code)."),
        click.option("--district", "districts", multiple=True,
                     help="Sozialraum (mehrfach möglich) oder 'stadtweit'."),
        click.option("--topic", help="Thema."),
        click.option("--target-group", help="Zielgruppe."),
        click.option("--place", help="Ort oder Einrichtung."),
        click.option("--ends-on", metavar="DATUM", help="Befristet bis (leer: unbefristet)."),
        click.option("--funding", help="Finanzierung."),
        click.option("--status", "implementation_status", help="Umsetzungsstand (Text)."),
        click.option("--contact-department", help="Kontakt: Bereich (Code)."),
        click.option("--contact-role", help="Kontakt: Funktion, keine Personen (z. B. "
                     "'Koordination Frühe Hilfen')."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _given(values: dict) -> dict:
    fields = {k: v for k, v in values.items() if v is not None and k != "districts"}
    if values.get("districts"):
        fields["districts"] = list(values["districts"])
    return fields


@click.group()
def measure():
    """Maßnahmensteckbriefe: vorhandene Angebote mit Umsetzungsstand, Befristung und Kontakt.

    Beispiel: controlling measure list --district Osterfeld
    """


@measure.command("add")
@measure_fields
@write_format_option
@pass_app
def measure_add(app, output_format, **values):
    """Einen Steckbrief anlegen; Sozialplanung, Admins und die Bereichsleitung des Bereichs.

    Beispiel: controlling measure add --title "Familienbüro" --department 3-1
    --district Osterfeld --ends-on 2025-12-31 --contact-role "Leitung Familienbüro"
    """
    from controlling.services.measures import add_measure

    if not values.get("title"):
        raise click.UsageError("Option '--title' fehlt.")
    result = app.run(add_measure, fields=_given(values))
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Maßnahme {result['id']} angelegt: {result['title']}.")


@measure.command("edit")
@click.argument("measure_id", type=int, metavar="NR")
@measure_fields
@click.option("--permanent", is_flag=True, help="Befristung aufheben (unbefristet).")
@click.option("--reason", required=True, help="Warum geändert wird (Pflicht, im Verlauf).")
@click.option("--expect-version", "expected_version", type=int, metavar="V",
              help="Nur ändern, wenn der Steckbrief noch Version V hat.")
@write_format_option
@pass_app
def measure_edit(app, measure_id, permanent, reason, expected_version, output_format,
                 **values):
    """Einen Steckbrief ändern; jede Änderung bleibt mit wer, wann und warum im Verlauf.
    Bereichsleitungen ändern nur Steckbriefe ihres eigenen Bereichs.

    Beispiel: controlling measure edit 4 --ends-on 2026-12-31 --reason "Förderung verlängert"
    """
    from controlling.services.measures import edit_measure

    fields = _given(values)
    if permanent:
        if "ends_on" in fields:
            raise click.UsageError("--permanent und --ends-on schließen sich aus.")
        fields["ends_on"] = ""
    result = app.run(edit_measure, measure_id, fields=fields, reason=reason,
                     expected_version=expected_version)
    if output_format == "json":
        return emit_json(result)
    from controlling.domain.measures import FIELDS

    changed = ", ".join(FIELDS[k] for k in result["change"])
    click.echo(f"Maßnahme {result['id']} geändert ({changed}); Version {result['version']}.")


MEASURE_COLUMNS = ["id", "title", "department", "districts", "topic", "ends_on",
                   "implementation_status", "recommendations"]


@measure.command("list")
@click.option("--department", help="Nur dieser Bereich (Code).")
@click.option("--district", help="Nur Steckbriefe dieses Sozialraums (oder 'stadtweit').")
@click.option("--topic", help="Nur dieses Thema.")
@click.option("--time-limited", is_flag=True, help="Nur befristete.")
@format_option("table", "csv", "json")
@pass_app
def measure_list(app, department, district, topic, time_limited, output_format):
    """Steckbriefe auflisten, wahlweise gefiltert.

    Beispiel: controlling measure list --department 3-1 --time-limited --format csv
    """
    from controlling.services.measures import list_measures

    rows = app.run(list_measures, department=department, district=district, topic=topic,
                   time_limited=time_limited)
    if output_format == "json":
        return emit_json(rows)
    flat = [{**r, "districts": "; ".join(r["districts"]),
             "recommendations": " ".join(map(str, r["recommendations"]))} for r in rows]
    if output_format == "csv":
        return emit_csv(flat, MEASURE_COLUMNS)
    emit_table("Maßnahmensteckbriefe", ["Nr.", "Titel", "Bereich", "Sozialräume", "Thema",
                                        "befristet bis", "Umsetzungsstand", "Empfehlungen"],
               [[r["id"], r["title"], r["department"], r["districts"], r["topic"] or "",
                 iso_to_german(r["ends_on"]) or "unbefristet", r["implementation_status"] or "",
                 r["recommendations"]] for r in flat], "Keine Steckbriefe gefunden.")


@measure.command("show")
@click.argument("measure_id", type=int, metavar="NR")
@format_option("table", "json")
@pass_app
def measure_show(app, measure_id, output_format):
    """Einen Steckbrief mit Verlauf, Empfehlungen und Hinweisen zeigen.

    Beispiel: controlling measure show 4 --format json
    """
    from controlling.domain.measures import FIELDS
    from controlling.services.measures import show_measure

    m = app.run(show_measure, measure_id)
    if output_format == "json":
        return emit_json(m)
    echo_wrapped(f"Maßnahme {m['id']}: {m['title']}   Version: {m['version']}")
    for key, label in FIELDS.items():
        if key == "title":
            continue
        value = m[key]
        if key == "districts":
            value = ", ".join(value)
        elif key == "ends_on":
            value = iso_to_german(value) or "unbefristet"
        echo_wrapped(f"  {label}: {value or '–'}")
    emit_table("Verlauf", ["Version", "erfasst", "wer", "Änderung", "Begründung"], [
        [c["version"], iso_to_german(c["recorded_at"]), c["actor"],
         "; ".join(f"{FIELDS[k]}: {_short(v['from'])} → {_short(v['to'])}"
                   for k, v in c["changes"].items()), c["reason"] or ""]
        for c in m["history"]], "Kein Verlauf.")
    emit_table("Empfehlungen", ["Nr.", "Titel", "Art", "Status"], [
        [r["number"], r["title"], kind_label(r["kind"]), status_label(r["status"])]
        for r in m["recommendation_list"]], "Keine verknüpften Empfehlungen.")
    _suggestion_table(m["suggestions"], "Hinweise")


def _short(value) -> str:
    if value is None or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


@measure.command("import")
@click.argument("file", type=click.Path(dir_okay=False), metavar="DATEI")
@write_format_option
@pass_app
def measure_import(app, file, output_format):
    """Steckbriefe aus .csv oder .xlsx einlesen, alles oder nichts.

    Kopfzeile: title,department,districts (mehrere mit ';' oder '|' getrennt, oder
    'stadtweit'), optional description,topic,target_group,place,ends_on,funding,
    implementation_status,contact_department,contact_role (oder die deutschen Namen).
    Eine Datei von 'export measures' lässt sich bearbeitet wieder einlesen: eine Zeile mit
    der id eines Steckbriefs ändert ihn (mit Verlauf, wenn die version noch stimmt).

    Beispiel: controlling measure import steckbriefe.xlsx
    """
    from controlling.commands.output import echo_notes
    from controlling.services.measures import import_measures

    result = app.run(import_measures, file)
    if output_format == "json":
        return emit_json(result)
    more = "".join(f"; {result[key]} {what}" for key, what in (
        ("edited", "geändert"), ("unchanged", "unverändert")) if result.get(key))
    click.echo(f"{result['imported']} Steckbriefe aus {result['file']} eingelesen{more}.")
    echo_notes(result)


@measure.command("link")
@click.argument("measure_id", type=int, metavar="NR")
@click.option("--recommendation", "number", required=True, type=int, metavar="N",
              help="Nummer der Empfehlung.")
@write_format_option
@pass_app
def measure_link(app, measure_id, number, output_format):
    """Einen Steckbrief mit einer Empfehlung verknüpfen.

    Beispiel: controlling measure link 4 --recommendation 17
    """
    from controlling.services.measures import link_measure

    result = app.run(link_measure, measure_id, number=number)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Maßnahme {measure_id} mit Empfehlung {number} verknüpft.")


@measure.command("expiring")
@click.option("--within", required=True, metavar="ZEITRAUM",
              help="Zeitraum ab heute (bzw. --as-of): 30d, 8w, 6m, 1y.")
@click.option("--as-of", metavar="DATUM", help="Stichtag statt heute.")
@click.option("--propose", is_flag=True, help="Für jede gefundene Maßnahme eine Empfehlung "
              "(vorgeschlagen) anlegen, Nummern ab der nächsten freien.")
@click.option("--kind", type=click.Choice(["extension", "permanence"]), default="extension",
              show_default=True, help="Art der vorgeschlagenen Empfehlungen.")
@on_option
@format_option("table", "json")
@pass_app
def measure_expiring(app, within, as_of, propose, kind, on, output_format):
    """Befristete Maßnahmen, die im Zeitraum enden (Grenzen eingeschlossen) und noch keine
    Empfehlung zur Verlängerung oder Verstetigung haben; mit --propose gleich vorschlagen.

    Beispiel: controlling measure expiring --within 6m --propose
    """
    from controlling.services.measures import expiring_measures

    result = app.run(expiring_measures, within=within, as_of=_date(app, as_of, "Datum (--as-of)"),
                     propose=propose, kind=kind, on=_date(app, on))
    if output_format == "json":
        return emit_json(result)
    emit_table(f"Auslaufende Maßnahmen bis {iso_to_german(result['until'])}",
               ["Nr.", "Titel", "Bereich", "Sozialräume", "befristet bis", "Tage"],
               [[m["id"], m["title"], m["department"], ", ".join(m["districts"]),
                 iso_to_german(m["ends_on"]), m["days_left"]] for m in result["measures"]],
               f"Keine Maßnahme ohne Folgeempfehlung endet bis "
               f"{iso_to_german(result['until'])}.")
    for p in result["proposed"]:
        click.echo(f"Empfehlung {p['number']} vorgeschlagen: {p['title']} ({p['district']}).")


# trace -------------------------------------------------------------------------------------------
@click.command()
@click.argument("number", type=int, metavar="N")
@format_option("tree", "json", default="tree")
@pass_app
def trace(app, number, output_format):
    """Eine Empfehlung zurückverfolgen: Veranstaltungen und Hinweise, aus denen sie kam, ihre
    Maßnahmen, der ganze Statusverlauf mit Belegen und alle Sachstände.

    Beispiel: controlling trace 7 --format json
    """
    from controlling.services.trace import trace_recommendation

    result = app.run(trace_recommendation, number)
    if output_format == "json":
        return emit_json(result)
    _print_tree(result)


def _print_tree(t: dict) -> None:
    from rich.markup import escape
    from rich.tree import Tree

    from controlling.commands.output import console
    from controlling.commands.recommendation import _evidence_text

    def add(node, text):
        return node.add(escape(text))

    root = Tree(escape(f"Empfehlung {t['number']}: {t['title']} – {status_label(t['status'])}, "
                       f"{kind_label(t['kind'])}, {t['district']}, Bereich {t['department']}"))
    if t.get("superseded_by"):
        add(root, f"ersetzt durch Empfehlung {t['superseded_by']}")
    if t.get("supersedes"):
        add(root, "ersetzt Empfehlung " + ", ".join(str(n) for n in t["supersedes"]))
    origin = add(root, "Herkunft")
    if not t["suggestions"]:
        add(origin, "kein Hinweis verknüpft")
    for e in t["events"]:
        node = add(origin, f"Veranstaltung {e['id']}: {e['title']}, {e['date']}")
        for s in (s for s in t["suggestions"] if s["event_id"] == e["id"]):
            o = s["outcome"]
            add(node, f"Hinweis {s['id']}: „{s['text']}“ → {_outcome_label(s['status'])}, "
                      f"entschieden {iso_to_german(o['decided_on'])} von {o['actor']}")
    measures = add(root, "Maßnahmen")
    if not t["measures"]:
        add(measures, "keine")
    for m in t["measures"]:
        limit = f"befristet bis {iso_to_german(m['ends_on'])}" if m["ends_on"] else "unbefristet"
        add(measures, f"Maßnahme {m['id']}: {m['title']} ({m['department']}; "
                      f"{', '.join(m['districts'])}; {limit})")
    history = add(root, "Statusverlauf")
    for h in t["history"]:
        line = (f"{iso_to_german(h['effective_on'])}: {status_label(h['from_status'])} → "
                f"{status_label(h['to_status'])} ({h['actor']})")
        if h["note"]:
            line += f" – {h['note']}"
        if h["source"]:
            line += f" [{h['source']}]"
        if h["evidence"]:
            line += f" – Beleg: {_evidence_text(h['evidence'])}"
        add(history, line)
    progress = add(root, "Sachstände")
    if not t["progress"]:
        add(progress, "noch keine")
    for p in t["progress"]:
        add(progress, f"{p['quarter']} {light_label(p['light'])}: {p['note']} ({p['actor']}, "
                      f"{iso_to_german(p['effective_on'])})")
    console().print(root)


def register(cli) -> None:
    for command in (event, suggestion, measure, trace):
        cli.add_command(command)
