"""Measure profiles (Maßnahmensteckbriefe): add, edit, list, show, import, link, and the
offers that expire."""

import click

from controlling.commands.context import pass_app
from controlling.commands.options import FilePath, date_of, hidden_alias, on_option
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
from controlling.commands.suggestion import suggestion_table


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
        click.option("--implementation", "implementation_status",
                     help="Umsetzungsstand (freier Text, z. B. 'läuft seit 2023')."),
        click.option("--contact-department", help="Kontakt: Bereich (Code)."),
        click.option("--contact-role", help="Kontakt: Funktion, keine Personen (z. B. "
                     "'Koordination Frühe Hilfen')."),
    ]
    for option in reversed(options):
        func = option(func)
    # the older name: every other --status is a choice, this one is free text
    return hidden_alias("--status", "--implementation", "implementation_status")(func)


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
    suggestion_table(m["suggestions"], "Hinweise")


def _short(value) -> str:
    if value is None or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


@measure.command("import")
@click.argument("file", type=FilePath(), metavar="DATEI")
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

    result = app.run(expiring_measures, within=within, as_of=date_of(app, as_of, "Datum (--as-of)"),
                     propose=propose, kind=kind, on=date_of(app, on))
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


def register(cli) -> None:
    cli.add_command(measure)
