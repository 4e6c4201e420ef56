"""The Sozialindex: Sozialquartiere (`quarter add|list`, `import quarters`, their
outlines with `import quarter-shapes`) and the status and dynamics index (`index
compute|show`)."""

import click

from controlling.commands.context import pass_app
from controlling.commands.options import FilePath
from controlling.commands.output import emit_json, emit_table, format_option

LEVEL_CHOICE = click.Choice(["quarter", "district"])


@click.group()
def quarter():
    """Sozialquartiere: die kleinen Gebiete innerhalb der Sozialräume, für die der
    Sozialbericht Indikatoren und den Sozialindex ausweist.

    Beispiel: controlling quarter list --district Osterfeld
    """


@quarter.command("add")
@click.argument("name", metavar="NAME")
@click.option("--district", required=True, help="Der Sozialraum, in dem das Quartier liegt.")
@pass_app
def quarter_add(app, name, district):
    """Ein Sozialquartier anlegen; Sozialplanung und Admins.

    Beispiel: controlling quarter add "Osterfeld-Mitte" --district Osterfeld
    """
    from controlling.services.sozialindex import add_quarter

    result = app.run(add_quarter, name=name, district=district)
    click.echo(f"Sozialquartier '{result['name']}' im Sozialraum {result['district']} angelegt.")


@quarter.command("list")
@click.option("--district", help="Nur die Quartiere dieses Sozialraums.")
@format_option("table", "json")
@pass_app
def quarter_list(app, district, output_format):
    """Die Sozialquartiere mit ihrem Sozialraum.

    Beispiel: controlling quarter list --format json
    """
    from controlling.services.sozialindex import list_quarters

    rows = app.run(list_quarters, district=district)
    if output_format == "json":
        return emit_json(rows)
    emit_table("Sozialquartiere", ["Sozialquartier", "Sozialraum"],
               [[r["name"], r["district"]] for r in rows], "Keine Sozialquartiere.")


@click.command("quarters")
@click.argument("file", type=FilePath(), metavar="DATEI")
@pass_app
def import_quarters(app, file):
    """Sozialquartiere aus .csv oder .xlsx einlesen; Sozialplanung und Admins.

    Kopfzeile: quarter,district (Sozialquartier und sein Sozialraum).

    Beispiel: controlling import quarters quartiere.csv
    """
    from controlling.services.sozialindex import import_quarters as service

    result = app.run(service, file)
    click.echo(f"{result['imported']} Sozialquartiere aus {result['file']} eingelesen.")


@click.command("quarter-shapes")
@click.argument("file", type=FilePath(), metavar="DATEI")
@pass_app
def import_quarter_shapes(app, file):
    """Umrisse der Sozialquartiere aus einer GeoJSON-Datei einlesen; Sozialplanung und Admins.

    Eine FeatureCollection (RFC 7946, WGS84, [Längengrad, Breitengrad]); je Feature nennt die
    Eigenschaft quarter (oder Sozialquartier, name) ein angelegtes Sozialquartier, seine
    Geometrie (Polygon oder MultiPolygon) wird dessen Umriss; ein früherer wird ersetzt.
    Alles oder nichts.

    Beispiel: controlling import quarter-shapes sozialquartiere.geojson
    """
    from controlling.services.sozialindex import import_quarter_shapes as service

    result = app.run(service, file)
    click.echo(f"{result['imported']} Umrisse von Sozialquartieren aus {result['file']} "
               "eingelesen.")


@click.group("index")
def index():
    """Der Sozialindex: Status- und Dynamikindex der Sozialquartiere (Methode:
    docs/sozialindex.md).

    \b
    Beispiel:
      controlling index compute --year 2024 --span 2
      controlling index show --format json
    """


@index.command("compute")
@click.option("--year", type=int, help="Das Jahr des Index (Standard: das neueste mit Werten).")
@click.option("--indicator", "indicators", multiple=True, metavar="CODE",
              help="Ein Indikator des Index (mehrfach; Standard: alle mit Werten im Jahr). "
                   "Die Richtung ist die des Indikators (higher_is_worse beim Import).")
@click.option("--span", type=int, metavar="JAHRE",
              help="Die Dynamik über so viele Jahre bis --year (Standard 2).")
@click.option("--since", "base_year", type=int, metavar="JAHR",
              help="Die Dynamik ab diesem Jahr (statt --span).")
@click.option("--no-dynamics", is_flag=True, help="Nur den Statusindex berechnen.")
@click.option("--level", type=LEVEL_CHOICE, default="quarter", show_default=True,
              help="Die Gebiete: Sozialquartiere (quarter) oder Sozialräume (district).")
@format_option("table", "json")
@pass_app
def compute(app, year, indicators, span, base_year, no_dynamics, level, output_format):
    """Den Sozialindex berechnen und mit Methode, Jahren und Eingangswerten speichern; eine
    frühere Berechnung bleibt unverändert. Sozialplanung und Admins.

    Beispiel: controlling index compute --year 2024 --indicator sgb2 --indicator alleinerz
    """
    from controlling.services.sozialindex import compute as service

    result = app.run(service, year=year, indicators=list(indicators) or None, span=span,
                     base_year=base_year, dynamics=not no_dynamics, level=level)
    if output_format == "json":
        return emit_json(result)
    _table(result)


@index.command("show")
@click.option("--year", type=int, help="Die neueste Berechnung dieses Jahres.")
@click.option("--computation", type=int, metavar="NR", help="Eine Berechnung nach Nummer.")
@click.option("--level", type=LEVEL_CHOICE, help="Die neueste Berechnung dieser Ebene.")
@click.option("--district", help="Nur die Gebiete dieses Sozialraums.")
@format_option("table", "json")
@pass_app
def show(app, year, computation, level, district, output_format):
    """Einen berechneten Sozialindex zeigen (Standard: die neueste Berechnung), die Gebiete
    nach Statusindex geordnet (Rang 1 = höchster Index, die meisten Armutsrisiken).

    Beispiel: controlling index show --year 2024 --format json
    """
    from controlling.services.sozialindex import show as service

    result = app.run(service, year=year, computation=computation, level=level,
                     district=district)
    if output_format == "json":
        return emit_json(result)
    _table(result)


def _table(result: dict) -> None:
    from controlling.domain.formatting import format_number
    from controlling.services.sozialindex import LEVELS

    codes = ", ".join(i["code"] for i in result["indicators"])
    dynamics = (f"Dynamik {result['base_year']}–{result['year']}" if result["base_year"]
                else "ohne Dynamik")
    title = (f"Sozialindex {result['year']} ({LEVELS[result['level']]}; {dynamics}; "
             f"Indikatoren: {codes}; Berechnung Nr. {result['id']}, Methode "
             f"{result['method']})")
    area = "Sozialquartier" if result["level"] == "quarter" else "Sozialraum"
    rows = [[str(a["rank"]), a["area"], a["district"], format_number(a["status"], 2),
             a["status_label"],
             "" if a["dynamics"] is None else format_number(a["dynamics"], 2),
             a["dynamics_label"] or ""] for a in result["areas"]]
    emit_table(title, ["Rang", area, "Sozialraum", "Statusindex", "Status", "Dynamikindex",
                       "Dynamik"], rows, "Keine Gebiete.")


def register(cli) -> None:
    """Add `quarter`, `index`, `import quarters` and `import quarter-shapes`."""
    cli.add_command(quarter)
    cli.add_command(index)
    cli.commands["import"].add_command(import_quarters)
    cli.commands["import"].add_command(import_quarter_shapes)
