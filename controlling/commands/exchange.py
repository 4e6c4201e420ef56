"""Exchange with the outside: the departments' update sheets, exports, backup and restore.

`register(cli)` adds the `export` group, `import updates` and `import all` to the existing
`import` group, and the top-level `backup` command.
"""

import sys
from contextlib import contextmanager

import click

from controlling.commands.context import pass_app
from controlling.commands.german import CliError
from controlling.commands.options import FilePath

EXPORT_FORMATS = ("csv", "xlsx", "json")


def counted(count: int, singular: str, plural: str) -> str:
    """The one plural helper of the program (controlling/domain/formatting.py)."""
    from controlling.domain.formatting import counted as german

    return german(count, singular, plural)


@contextmanager
def progress_bar(label: str, show: bool = True):
    """A rich progress bar on a terminal; None (nothing drawn) when stdout is not a terminal."""
    if not show or not sys.stdout.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


@click.group("export")
def export():
    """Daten ausgeben: Abfragebögen für die Bereiche, Tabellen (CSV, XLSX, JSON) und die
    vollständige Sicherung.

    Beispiel: controlling export recommendations --format csv --out empfehlungen.csv
    """


@export.command("update-sheets")
@click.option("--quarter", required=True, metavar="JJJJ-QN", help="Quartal der Abfrage.")
@click.option("--out", "out_dir", required=True, metavar="ORDNER",
              type=click.Path(file_okay=False), help="Ordner für die Bögen (wird angelegt).")
@click.option("--department", "departments", multiple=True, metavar="CODE",
              help="Nur diese Bereiche (mehrfach möglich; Standard: alle mit freigegebenen "
                   "Empfehlungen).")
@click.option("--force", is_flag=True, help="Vorhandene Dateien gleichen Namens ersetzen.")
@pass_app
def export_update_sheets(app, quarter, out_dir, departments, force):
    """Abfragebögen (.xlsx) für die Sachstandsabfrage eines Quartals erstellen.

    Je Bereich ein Bogen mit seinen freigegebenen, noch nicht umgesetzten Empfehlungen:
    gesperrte Angaben (Nr., Titel, Sozialraum, Status, letzte Ampel und letzter Sachstand)
    und Spalten zum Ausfüllen (Ampel, Sachstand, umgesetzt, wirksam am), mit Anleitung.
    Dateiname: sachstand-JJJJ-QN-BEREICH.xlsx. Sozialplanung und Admins.

    Beispiel: controlling export update-sheets --quarter 2024-Q2 --out abfrage-2024-Q2
    """
    from controlling.services.update_sheets import export_update_sheets as service

    with progress_bar("Abfragebögen erstellen") as advance:
        result = app.run(service, quarter=quarter, out_dir=out_dir, departments=departments,
                         force=force, progress=advance)
    for entry in result["files"]:
        click.echo(f"{entry['file']}: Bereich {entry['department']}, "
                   f"{counted(entry['recommendations'], 'Empfehlung', 'Empfehlungen')}")
    for code in result["without_recommendations"]:
        click.echo(f"Bereich {code}: keine freigegebenen Empfehlungen, kein Bogen.")
    count = len(result["files"])
    if count:
        click.echo(f"{count} Abfragebögen für {result['quarter']} erstellt.")
    else:
        click.echo("Keine freigegebenen Empfehlungen: kein Abfragebogen erstellt.")


def _export_table(app, service, columns, output_format, out, force, default_name, title, nouns,
                  excel=None, **filters):
    from controlling.files import check_target, write_atomically
    from controlling.services.exports import render

    if output_format == "xlsx" and not out:
        out = default_name
    if out:
        app.call(check_target, out, force=force)  # before the work
    rows = app.run(service, **filters)
    with progress_bar(f"{title} exportieren", show=bool(out)) as advance:
        data = app.call(render, rows, columns, output_format, title, progress=advance,
                        excel=excel)
    if not out:
        from controlling.commands.output import emit_data

        emit_data(data.decode("utf-8"))  # exact on a pipe, terminal-safe on a terminal
        return
    app.call(write_atomically, out, data, force=force)
    kind = "CSV für Excel" if excel else output_format
    click.echo(f"{counted(len(rows), *nouns)} nach {out} geschrieben ({kind}).")


def export_options(func):
    func = click.option("--out", metavar="DATEI", type=FilePath(),
                        help="Zieldatei (Standard: Standardausgabe bei csv/json, "
                             "eine Datei im aktuellen Ordner bei xlsx).")(func)
    func = click.option("--force", is_flag=True,
                        help="Eine vorhandene Datei ersetzen (sonst wird abgelehnt).")(func)
    func = click.option("--excel", is_flag=True,
                        help="CSV für deutsches Excel (Doppelklick): Semikolons, UTF-8 mit BOM, "
                             "deutsche Spaltennamen und Werte, Datum TT.MM.JJJJ; lässt sich "
                             "bearbeitet wieder einlesen.")(func)
    return click.option("--format", "output_format", type=click.Choice(EXPORT_FORMATS),
                        default="csv", show_default=True, help="Dateiformat.")(func)


@export.command("recommendations")
@export_options
@click.option("--status", metavar="STATUS",
              help="Nur dieser Status: proposed, statistically_supported, approved, "
                   "implemented, rejected oder superseded (auch deutsch, z. B. freigegeben).")
@click.option("--district", help="Nur dieser Sozialraum.")
@click.option("--department", help="Nur dieser Bereich (Code).")
@pass_app
def export_recommendations(app, output_format, out, force, excel, status, district, department):
    """Empfehlungen mit Status und letztem Sachstand als CSV, XLSX oder JSON ausgeben.

    Feste Spalten (docs/commands.md): number, title, district, department, kind, status,
    topic, description, proposed_on, status_since, last_quarter, last_light, last_note,
    last_progress_on, example, version. Text, der mit = + - @ beginnt, bleibt Text.
    Standard-Dateiname bei xlsx: empfehlungen.xlsx.

    Beispiel: controlling export recommendations --format xlsx --out empfehlungen.xlsx
    """
    from controlling.services.exports import RECOMMENDATION_COLUMNS, recommendation_records

    _export_table(app, recommendation_records, RECOMMENDATION_COLUMNS, output_format, out,
                  force, "empfehlungen.xlsx", "Empfehlungen", ("Empfehlung", "Empfehlungen"),
                  excel="recommendations" if excel else None, status=status, district=district,
                  department=department)


@export.command("measures")
@export_options
@click.option("--department", help="Nur dieser Bereich (Code).")
@click.option("--district", help="Nur Steckbriefe dieses Sozialraums.")
@click.option("--topic", help="Nur dieses Thema.")
@pass_app
def export_measures(app, output_format, out, force, excel, department, district, topic):
    """Maßnahmensteckbriefe als CSV, XLSX oder JSON ausgeben.

    Feste Spalten (docs/commands.md): id, title, description, department, districts, topic,
    target_group, place, ends_on, time_limited, funding, implementation_status,
    contact_department, contact_role, recommendations, example, version. Listen (districts,
    recommendations) stehen in CSV und XLSX durch '; ' getrennt in einer Zelle.
    Standard-Dateiname bei xlsx: massnahmen.xlsx.

    Beispiel: controlling export measures --format xlsx --out massnahmen.xlsx
    """
    from controlling.services.exports import MEASURE_COLUMNS, measure_records

    _export_table(app, measure_records, MEASURE_COLUMNS, output_format, out, force,
                  "massnahmen.xlsx", "Maßnahmen", ("Maßnahme", "Maßnahmen"),
                  excel="measures" if excel else None, department=department,
                  district=district, topic=topic)


@export.command("suggestions")
@export_options
@click.option("--district", help="Nur dieser Sozialraum.")
@click.option("--topic", help="Nur dieses Thema.")
@click.option("--open", "open_only", is_flag=True, help="Nur noch nicht bearbeitete Hinweise.")
@pass_app
def export_suggestions(app, output_format, out, force, excel, district, topic, open_only):
    """Hinweise aus den Expert*innendialogen mit dem Ergebnis ihrer Prüfung ausgeben.

    Feste Spalten (docs/commands.md): id, event_id, event, held_on, district, topic, text,
    institution_kind, status, measure_id, recommendation, recommendation_status, reason,
    decided_on, recorded_by, example. Standard-Dateiname bei xlsx: hinweise.xlsx.

    Beispiel: controlling export suggestions --open --format csv --out offene-hinweise.csv
    """
    from controlling.services.exports import SUGGESTION_COLUMNS, suggestion_records

    _export_table(app, suggestion_records, SUGGESTION_COLUMNS, output_format, out, force,
                  "hinweise.xlsx", "Hinweise", ("Hinweis", "Hinweise"),
                  excel="suggestions" if excel else None, district=district,
                  topic=topic, open_only=open_only)


@export.command("all")
@click.option("--out", required=True, metavar="DATEI", type=FilePath(),
              help="Zieldatei (.json).")
@click.option("--force", is_flag=True, help="Eine vorhandene Datei ersetzen.")
@pass_app
def export_all(app, out, force):
    """Vollständige Sicherung: jede Tabelle Zeile für Zeile als JSON, mit Verlauf (nur Admins).

    Zurückspielen mit 'controlling import all DATEI' in eine leere Datenbank.

    Beispiel: controlling export all --out sicherung-2024-06-30.json
    """
    from controlling.services.backup import export_all as service

    uow = app.uow()
    with progress_bar("Sicherung schreiben") as advance:
        result = app.call(service, app.engine(), uow, app.login, out, force=force,
                          progress=advance)
    click.echo(f"Sicherung nach {result['file']} geschrieben: {result['rows']} Zeilen aus "
               f"{len(result['tables'])} Tabellen (Schema-Stand {result['revision']}).")


@click.command("updates")
@click.argument("files", nargs=-1, required=True, metavar="DATEI...",
                type=FilePath())
@click.option("--quarter", required=True, metavar="JJJJ-QN",
              help="Quartal der Abfrage; Bögen eines anderen Quartals werden abgelehnt.")
@click.option("--head", "heads", multiple=True, metavar="LOGIN",
              help="Bereichsleitung, in deren Namen erfasst wird, wenn ein Bereich mehrere "
                   "hat (mehrfach möglich).")
@click.option("--correction", "correction", metavar="TEXT",
              help="Begründung, wenn der Bericht des Quartals schon veröffentlicht ist "
                   "(Nachtrag; ohne wird abgelehnt).")
@pass_app
def import_updates(app, files, quarter, heads, correction):
    """Zurückgesandte Abfragebögen einlesen: Sachstände, Ampeln und Umsetzungen.

    Jeder Bogen wird vollständig geprüft und ganz oder gar nicht übernommen; jedes Problem
    wird mit Blatt, Zeile und Spalte genannt. Erfasst wird im Namen der Bereichsleitung des
    Bereichs, mit dem Dateinamen im Verlauf. Leere Zeilen werden übersprungen. Sozialplanung,
    Admins oder die Bereichsleitung des Bereichs.

    Beispiel: controlling import updates --quarter 2024-Q2 ruecklauf/*.xlsx
    """
    from controlling.services.update_sheets import import_update_sheet

    done, failures = [], []
    with progress_bar("Abfragebögen einlesen", show=len(files) > 1) as advance:
        for index, file in enumerate(files, start=1):
            try:
                done.append(app.run(import_update_sheet, file, quarter=quarter, heads=heads,
                                    correction=correction))
            except CliError as error:
                failures.append(error.format_message())
            if advance:
                advance(index, len(files))
    for result in done:
        skipped = (f"; {counted(result['skipped'], 'Zeile', 'Zeilen')} ohne Eintrag"
                   if result["skipped"] else "")
        click.echo(f"{result['file']}: Bereich {result['department']}, "
                   f"{counted(result['progress'], 'Sachstand', 'Sachstände')} und "
                   f"{counted(result['implemented'], 'Umsetzung', 'Umsetzungen')} übernommen "
                   f"(im Namen von {result['head']}){skipped}.")
    if failures:
        if len(files) > 1:
            failures.append(f"{len(done)} von {len(files)} Bögen übernommen, "
                            f"{len(failures)} abgelehnt.")
        raise CliError("\n".join(failures))


@click.command("all")
@click.argument("file", metavar="DATEI", type=FilePath())
@pass_app
def import_all(app, file):
    """Eine Sicherung ('export all') in eine leere Datenbank einspielen, Zeile für Zeile.

    Die Datenbank muss leer sein (neu oder nur migriert, ohne 'init'); sie wird eingerichtet
    und danach auf den neuesten Schema-Stand gebracht. In eine nicht leere Datenbank wird
    nichts eingespielt. Vorher wird die Datei geprüft: Prüfsumme, Kette über den Verlauf,
    Status und Version jeder Empfehlung, Rollen, veröffentlichte Berichte; bei einem Problem
    wird nichts geschrieben.

    Beispiel: controlling --db sqlite:///wiederhergestellt.db import all sicherung.json
    """
    from controlling.services.backup import import_all as service

    with progress_bar("Sicherung einspielen") as advance:
        result = app.call(service, app.engine(create=True), file, progress=advance)
    click.echo(f"Sicherung {result['file']} eingespielt: {result['rows']} Zeilen in "
               f"{len(result['tables'])} Tabellen (Schema-Stand {result['migrated_to']}).")
    for note in result.get("notes", ()):
        click.echo(f"Hinweis: {note}", err=True)


@click.command("backup")
@click.argument("file", metavar="DATEI", type=FilePath())
@click.option("--force", is_flag=True, help="Eine vorhandene Datei ersetzen.")
@pass_app
def backup(app, file, force):
    """Eine SQLite-Datenbank im laufenden Betrieb konsistent kopieren (nur Admins).

    Nutzt die Online-Sicherung von SQLite: andere dürfen währenddessen lesen und schreiben.
    Für PostgreSQL: pg_dump (siehe README) oder 'controlling export all'.

    Beispiel: controlling backup sicherung/controlling-2024-06-30.db
    """
    from controlling.services.backup import backup_sqlite

    result = app.call(backup_sqlite, app.engine(), app.uow(check_schema=False), app.login,
                      file, force=force)
    click.echo(f"Datenbank {result['source']} nach {result['file']} gesichert "
               f"({result['bytes']} Bytes).")


def register(cli) -> None:
    cli.add_command(export)
    cli.commands["import"].add_command(import_updates)
    cli.commands["import"].add_command(import_all)
    cli.add_command(backup)
