"""Institutions for the Sozialnavigator map (`institution add|link|list|import`) and their
export as GeoJSON (`export geojson`)."""

import click

from controlling.commands.context import pass_app
from controlling.commands.options import FilePath
from controlling.commands.output import (
    emit_json,
    emit_table,
    format_option,
    write_format_option,
)


@click.group()
def institution():
    """Institutionen für den Sozialnavigator (Beratungsstellen, Stadtteilbüros,
    Jugendzentren, Kitas, Schulen, Pflegeeinrichtungen, Sportvereine,
    Religionsgemeinschaften ...) mit Adresse und Koordinaten, verknüpft mit Maßnahmen.

    Beispiel: controlling institution list --district Osterfeld
    """


@institution.command("add")
@click.argument("name", metavar="NAME")
@click.option("--type", "type_", required=True, metavar="TYP",
              help="Art der Einrichtung, z. B. Beratungsstelle, Kita, Sportverein.")
@click.option("--address", required=True, help="Adresse (Straße Hausnummer, PLZ Ort).")
@click.option("--lon", required=True, metavar="X",
              help="Längengrad WGS84 (-180 bis 180), z. B. 6.85.")
@click.option("--lat", required=True, metavar="Y",
              help="Breitengrad WGS84 (-90 bis 90), z. B. 51.47.")
@click.option("--district", help="Sozialraum (Name) oder 'stadtweit'.")
@write_format_option
@pass_app
def add(app, name, type_, address, lon, lat, district, output_format):
    """Eine Institution erfassen; Sozialplanung und Admins.

    Beispiel: controlling institution add "Stadtteilbüro Osterfeld" --type Stadtteilbüro
    --address "Gildenstraße 1, 46117 Oberhausen" --lon 6.88 --lat 51.50 --district Osterfeld
    """
    from controlling.services.institutions import add_institution

    result = app.run(add_institution, name=name, type_=type_, address=address, lon=lon,
                     lat=lat, district=district)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Institution {result['id']} erfasst: {result['name']} ({result['type']}).")


@institution.command("notices")
@click.argument("institution_id", type=int, metavar="ID")
@click.option("--email", metavar="ADRESSE",
              help="Adresse der Institution (kein privates Postfach) für die Rückmeldungen.")
@click.option("--off", is_flag=True, help="Rückmeldungen abbestellen (die Adresse entfällt).")
@write_format_option
@pass_app
def notices(app, institution_id, email, off, output_format):
    """Rückmeldungen bestellen oder abbestellen: ändert sich der Status einer Empfehlung,
    die aus Hinweisen eines Expert*innendialogs im Sozialraum der Institution hervorging,
    erhält die Institution eine kurze Nachricht (gesendet mit mail send-queued oder round
    remind); Sozialplanung und Admins.

    Beispiel: controlling institution notices 3 --email stadtteilbuero@example.org
    """
    from controlling.services.notices import set_notices

    result = app.run(set_notices, institution_id, email=email, off=off)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Institution {result['id']} ({result['name']}): " + (
        f"Rückmeldungen an {result['notice_email']}." if result["notices"] else
        "keine Rückmeldungen mehr."))


@institution.command("link")
@click.argument("institution_id", type=int, metavar="ID")
@click.option("--measure", "measure_id", required=True, type=int, metavar="ID",
              help="Maßnahme (Nr. aus 'controlling measure list').")
@write_format_option
@pass_app
def link(app, institution_id, measure_id, output_format):
    """Eine Institution mit einer Maßnahme verknüpfen (die Maßnahme findet dort statt).

    Beispiel: controlling institution link 4 --measure 12
    """
    from controlling.services.institutions import link_institution

    result = app.run(link_institution, institution_id, measure_id=measure_id)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Institution {result['id']} ({result['name']}) mit Maßnahme {measure_id} "
               "verknüpft.")


@institution.command("list")
@click.option("--district", help="Nur dieser Sozialraum.")
@click.option("--type", "type_", metavar="TYP", help="Nur diese Art.")
@format_option("table", "json")
@pass_app
def list_(app, district, type_, output_format):
    """Die Institutionen mit Koordinaten und Maßnahmen.

    Beispiel: controlling institution list --type Kita --format json
    """
    from controlling.domain.formatting import format_number
    from controlling.services.institutions import list_institutions

    rows = app.run(list_institutions, district=district, type_=type_)
    if output_format == "json":
        return emit_json(rows)
    emit_table("Institutionen", ["Nr.", "Name", "Art", "Adresse", "Sozialraum", "Länge",
                                 "Breite", "Maßnahmen"],
               [[r["id"], r["name"], r["type"], r["address"], r["district"] or "",
                 format_number(r["longitude"], 6), format_number(r["latitude"], 6),
                 ", ".join(f"{m['id']} {m['title']}" for m in r["measures"])] for r in rows],
               "Keine Institutionen erfasst.")


@institution.command("import")
@click.argument("file", type=FilePath(), metavar="DATEI")
@write_format_option
@pass_app
def import_(app, file, output_format):
    """Institutionen aus .csv oder .xlsx einlesen: alles oder nichts, jedes Problem mit
    Zeilennummer. Sozialplanung und Admins.

    Kopfzeile: name,type,address,longitude,latitude, optional district und measures
    (Maßnahmen-Nummern, getrennt durch ';'). Name und Adresse zweimal ist ein Problem.

    Beispiel: controlling institution import sozialnavigator.csv
    """
    from controlling.commands.imports import _with_progress
    from controlling.services.institutions import import_institutions

    result = _with_progress(app, import_institutions, file, "Institutionen einlesen")
    if output_format == "json":
        return emit_json(result)
    click.echo(f"{result['imported']} Institutionen aus {result['file']} eingelesen, "
               f"{result['links']} Verknüpfungen mit Maßnahmen.")


@click.command("geojson")
@click.option("--out", metavar="DATEI", type=FilePath(),
              help="Zieldatei, z. B. sozialnavigator.geojson (Standard: Standardausgabe).")
@click.option("--force", is_flag=True,
              help="Eine vorhandene Datei ersetzen (sonst wird abgelehnt).")
@click.option("--quarters", is_flag=True,
              help="Statt der Institutionen die Sozialquartiere mit Umriss und den Klassen "
                   "des neuesten Sozialindex.")
@pass_app
def geojson(app, out, force, quarters):
    """Die Institutionen mit ihren Maßnahmen als GeoJSON-FeatureCollection (RFC 7946, WGS84,
    Koordinaten [Längengrad, Breitengrad]) für die Karte des Sozialnavigators; mit
    --quarters die Sozialquartiere mit ihrem Umriss (import quarter-shapes), Sozialraum,
    Rang, Status- und Dynamikindex und -klasse der neuesten Berechnung.

    \b
    Beispiele:
      controlling export geojson --out sozialnavigator.geojson
      controlling export geojson --quarters --out sozialquartiere.geojson
    """
    from controlling.files import check_target, write_atomically

    if quarters:
        from controlling.services.sozialindex import quarters_geojson as service
    else:
        from controlling.services.institutions import geojson as service

    if out:
        app.call(check_target, out, force=force)  # before the work
    collection = app.run(service)
    if not out:
        return emit_json(collection)
    from controlling.json_layout import readable_json

    data = readable_json(collection).encode("utf-8")
    app.call(write_atomically, out, data, force=force)
    what = "Sozialquartiere" if quarters else "Institutionen"
    click.echo(f"{len(collection['features'])} {what} nach {out} geschrieben (GeoJSON).")


@click.group("export")
def _own_export():
    """Daten ausgeben.

    Beispiel: controlling export geojson --out sozialnavigator.geojson
    """


def _export_group(cli) -> click.Group:
    """The `export` group, wherever it comes from: the root's, else the exchange module's
    (which adds it to the root when it registers, before or after us), else our own."""
    existing = cli.commands.get("export")
    if isinstance(existing, click.Group):
        return existing
    try:
        from controlling.commands.exchange import export
    except ModuleNotFoundError as error:  # no exchange module in this checkout
        if error.name != "controlling.commands.exchange":
            raise
        cli.add_command(_own_export)
        return _own_export
    return export


def register(cli) -> None:
    """Add `institution` and `export geojson` (order-independent of the exchange module)."""
    cli.add_command(institution)
    _export_group(cli).add_command(geojson)
