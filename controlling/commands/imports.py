"""Imports from CSV and XLSX files, all or nothing."""

import sys

import click

from controlling.commands.context import pass_app
from controlling.commands.options import FilePath
from controlling.commands.output import echo_notes, emit_json, write_format_option


@click.group("import")
def import_():
    """Daten aus Dateien einlesen (alles oder nichts; jedes Problem mit Zeilennummer).

    \b
    Beispiel:
      controlling import indicators sozialindex.csv
      controlling import recommendations empfehlungen.xlsx
    """


def _with_progress(app, service, path, label):
    """Run an import; on a terminal with a rich progress bar."""
    if not sys.stdout.isatty():
        return app.run(service, path)
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done, total):
            bar.update(task, completed=done, total=total)

        return app.run(service, path, progress=advance)


@import_.command("recommendations")
@click.argument("file", type=FilePath(), metavar="DATEI")
@click.option("--correction", "correction", metavar="TEXT",
              help="Begründung, wenn proposed_on in einem schon veröffentlichten Quartal liegt "
                   "(Nachtrag; ohne wird abgelehnt).")
@write_format_option
@pass_app
def import_recommendations(app, file, correction, output_format):
    """Empfehlungen aus .csv oder .xlsx einlesen; Sozialplanung und Admins.

    Kopfzeile: number,title,district,department, optional kind,topic,description,proposed_on
    (oder die deutschen Namen: Nr., Titel, Sozialraum, Bereich, ...). CSV in UTF-8 oder
    Windows-1252, mit Komma oder Semikolon, wie Excel sie speichert. Neue Empfehlungen beginnen
    als 'vorgeschlagen'. Eine Datei von 'export recommendations' lässt sich wieder einlesen:
    vorhandene, unveränderte Empfehlungen werden übersprungen, Spalten wie status nur geprüft.

    Beispiel: controlling import recommendations empfehlungen.xlsx
    """
    from functools import partial

    from controlling.services.imports import import_recommendations as service

    result = _with_progress(app, partial(service, correction=correction), file,
                            "Empfehlungen einlesen")
    if output_format == "json":
        return emit_json(result)
    unchanged = (f"; {result['unchanged']} schon vorhanden und unverändert, übersprungen"
                 if result.get("unchanged") else "")
    click.echo(f"{result['imported']} Empfehlungen aus {result['file']} eingelesen{unchanged}.")
    echo_notes(result)


@import_.command("indicators")
@click.argument("file", type=FilePath(), metavar="DATEI")
@write_format_option
@pass_app
def import_indicators(app, file, output_format):
    """Indikatorwerte des Sozialberichts aus .csv oder .xlsx einlesen.

    Kopfzeile: indicator,district,year,value, optional label,higher_is_worse (true/false,
    Standard true). Der Sozialraum 'stadtweit' trägt den Vergleichswert der Stadt. Ein
    vorhandener Wert (gleicher Indikator, Sozialraum und Jahr) wird ersetzt.

    Beispiel: controlling import indicators sozialindex.csv
    """
    from controlling.services.imports import import_indicators as service

    result = _with_progress(app, service, file, "Indikatoren einlesen")
    if output_format == "json":
        return emit_json(result)
    click.echo(f"{result['imported']} Indikatorwerte aus {result['file']} eingelesen, "
               f"{result['replaced']} ersetzt.")
    echo_notes(result)
