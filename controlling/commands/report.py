"""Reports: `report quarterly` (PDF or JSON), `report strategy-paper` and `report city`
(editions and supersessions), and the terminal overview `status`.

reportlab is imported only when a PDF is written, so `status`, `--help` and JSON stay light.
"""

import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from controlling import clock
from controlling.commands.context import pass_app
from controlling.commands.german import CliError
from controlling.commands.options import hidden_alias
from controlling.commands.output import emit_json, format_option

force_option = click.option("--force", is_flag=True,
                            help="Eine vorhandene Datei ersetzen (sonst wird abgelehnt).")


@click.group()
def report():
    """Berichte für die Ausschüsse erstellen.

    Beispiel: controlling report quarterly --quarter 2024-Q1
    """


@report.command("quarterly")
@click.option("--quarter", required=True, metavar="JJJJ-QN", help="Quartal, z. B. 2024-Q1.")
@format_option("pdf", "json", default="pdf")
@click.option("--out", "out", metavar="PFAD",
              help="Zieldatei (PDF-Standard: controlling-JJJJ-QN.pdf im aktuellen Ordner; "
                   "JSON-Standard: Standardausgabe).")
@force_option
@click.option("--publisher", envvar="CONTROLLING_PUBLISHER", metavar="TEXT",
              help="Herausgeber auf dem Titelblatt (Umgebung: CONTROLLING_PUBLISHER; "
                   "Standard: Team Sozialplanung der Stadt Oberhausen).")
@click.option("--as-of", "made_on", metavar="DATUM",
              help="Stand und Erstellungsdatum auf dem Titelblatt (Standard: heute; nicht vor "
                   "dem Quartalsende, nicht in der Zukunft); mit festem Datum ergeben dieselben "
                   "Daten dieselbe Datei.")
@hidden_alias("--made-on", "--as-of", "made_on")
@click.option("--as-known", "as_known", metavar="ZEITPUNKT",
              help="Neu berechnen mit dem Datenstand eines Zeitpunkts: now (alles bis jetzt "
                   "Erfasste), JJJJ-MM-TT (bis Ende des Tages, UTC) oder JJJJ-MM-TTTHH:MM "
                   "(UTC). Ohne: der veröffentlichte Bericht, sonst ein Entwurf.")
@pass_app
def quarterly(app, quarter, output_format, out, force, publisher, made_on, as_known):
    """Den Controllingbericht eines Quartals schreiben (PDF oder JSON).

    Der Bericht zeigt den Stand am letzten Tag des Quartals, rekonstruiert aus dem Verlauf
    nach Wirksamkeitsdatum: Status je Sozialraum und Bereich, Veränderung zum Vorquartal,
    Ampeln, Statusänderungen im Quartal und Handlungsbedarf; auf Seite 1 alles, was
    Aufmerksamkeit braucht. Ist das Quartal veröffentlicht (report publish), kommt genau der
    veröffentlichte Bericht (PDF byte-gleich, JSON die gespeicherten Zahlen); --as-known
    berechnet ihn neu und hebt hervor, was vom veröffentlichten abweicht. Sonst ist der
    Bericht ein Entwurf.

    \b
    Beispiele:
      controlling report quarterly --quarter 2025-Q1
      controlling report quarterly --quarter 2025-Q1 --format json > bericht.json
      controlling report quarterly --quarter 2025-Q1 --as-known now
      controlling report quarterly --quarter 2025-Q1 --as-known 2025-04-10T08:00
    """
    from controlling.domain.dates import parse_date
    from controlling.services.publication import quarterly_document
    from controlling.services.quarterly import check_made_on, parse_known_at, parse_quarter

    parsed = app.call(parse_quarter, quarter)
    made = app.call(check_made_on, parsed, app.call(parse_date, made_on, "Erstellungsdatum"))
    known_at = app.call(parse_known_at, as_known)

    def document():
        found = app.run(quarterly_document, parsed, known_at=known_at)
        if found.published and (made_on or publisher):
            click.echo(f"Hinweis: Das {parsed.label} ist veröffentlicht; ausgegeben wird der "
                       "veröffentlichte Bericht, --made-on und --publisher gelten nur für eine "
                       "Neuberechnung (--as-known).", err=True)
        return found

    if output_format == "json":
        if out is not None:
            _check_writable(Path(out), force)
        data = document().data
        if out is None:
            return emit_json(data)
        from controlling.json_layout import readable_json

        _write(Path(out), readable_json(data).encode(), force)
        click.echo(f"Bericht für das {parsed.label} geschrieben: {out}")
        return
    target = Path(out) if out else Path(f"controlling-{parsed}.pdf")
    _check_writable(target, force)
    with _busy(f"Bericht für das {parsed.label} wird erstellt …"):
        found = document()
        if found.published:
            pdf = found.pdf
            _write(target, pdf, force)
            click.echo(f"Veröffentlichter Bericht für das {parsed.label} geschrieben: {target} "
                       f"(veröffentlicht am {_stamp(found.publication['published_at'])}; "
                       f"SHA-256 {found.publication['pdf_sha256']}).")
            return
        data = found.report
        from controlling.reports.quarterly import render_quarterly_pdf

        pdf, pages = app.call(render_quarterly_pdf, data, made_on=made,
                              publisher=publisher,
                              created_at=None if made_on else clock.now())
    _write(target, pdf, force)
    note = "" if data.has_data else "; zum Stichtag gab es keine Empfehlungen"
    state = "Neuberechnung" if data.state == "rebuilt" else "Entwurf"
    click.echo(f"Bericht für das {parsed.label} geschrieben: {target} ({pages} Seiten{note}; "
               f"{state}).")


def _stamp(iso: str) -> str:
    from datetime import datetime

    from controlling.domain.formatting import format_datetime

    return format_datetime(datetime.fromisoformat(iso)) + " UTC"


@report.command("publish")
@click.option("--quarter", required=True, metavar="JJJJ-QN", help="Quartal, z. B. 2025-Q1.")
@click.option("--publisher", envvar="CONTROLLING_PUBLISHER", metavar="TEXT",
              help="Herausgeberin auf Seite 1 (Umgebung: CONTROLLING_PUBLISHER).")
@click.option("--out", "out", metavar="PFAD",
              help="Den veröffentlichten Bericht zusätzlich als PDF hierhin schreiben.")
@force_option
@format_option("table", "json")
@pass_app
def publish(app, quarter, publisher, out, force, output_format):
    """Den Quartalsbericht veröffentlichen: einmal, endgültig (Sozialplanung, Admins).

    Baut den Bericht eines abgeschlossenen Quartals mit allem bis jetzt Erfassten und speichert
    Zahlen (JSON), PDF, deren SHA-256, wer und wann. Danach gibt 'report quarterly' genau
    diesen Bericht; er kann weder ersetzt noch gelöscht werden. Spätere rückwirkende
    Änderungen brauchen eine Begründung (--correction) und erscheinen als Nachträge im
    nächsten Bericht. Ein laufendes Quartal und eine zweite Veröffentlichung werden abgelehnt.

    Beispiel: controlling report publish --quarter 2025-Q1
    """
    from controlling.services.publication import publish_quarterly
    from controlling.services.quarterly import parse_quarter

    parsed = app.call(parse_quarter, quarter)
    if out is not None:
        _check_writable(Path(out), force)
    result = app.run(publish_quarterly, parsed, publisher=publisher)
    pdf = result.pop("pdf")
    if out is not None:
        _write(Path(out), pdf, force)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Bericht für das {parsed.label} veröffentlicht am "
               f"{_stamp(result['published_at'])} durch {result['actor']} "
               f"({result['pages']} Seiten; SHA-256 des PDF {result['pdf_sha256']}).")
    if out is not None:
        click.echo(f"PDF geschrieben: {out}")
    click.echo(f"Ab jetzt gibt 'controlling report quarterly --quarter {parsed}' genau diesen "
               "Bericht.")


@report.command("list")
@format_option("table", "json")
@pass_app
def list_(app, output_format):
    """Die Quartalsberichte: welche veröffentlicht sind (wann, durch wen) und welche nicht.

    Beispiel: controlling report list
    """
    from controlling.services.report_index import report_index

    quarters = app.run(report_index)["quarters"]
    if output_format == "json":
        return emit_json(quarters)
    from controlling.commands.output import emit_table

    rows = []
    for q in quarters:
        publication = q["publication"]
        state = ("veröffentlicht" if publication else
                 "laufend (Entwurf)" if q["running"] else "Entwurf")
        rows.append([q["label"], state,
                     _stamp(publication["published_at"]) if publication else "–",
                     publication["actor"] if publication else "–",
                     publication["pdf_sha256"][:16] + "…" if publication else "–"])
    emit_table("Quartalsberichte",
               ["Quartal", "Zustand", "veröffentlicht am", "durch", "SHA-256 des PDF"], rows,
               "Noch keine Quartale mit Daten.")


def _paper_options(function):
    """--format, --out, --publisher and --as-of of the strategy paper and the city report."""
    for option in reversed((
        format_option("pdf", "json", default="pdf"),
        click.option("--out", "out", metavar="PFAD",
                     help="Zieldatei (PDF-Standard: siehe oben, im aktuellen Ordner; "
                          "JSON-Standard: Standardausgabe)."),
        force_option,
        click.option("--publisher", envvar="CONTROLLING_PUBLISHER", metavar="TEXT",
                     help="Herausgeber auf dem Titelblatt (Umgebung: CONTROLLING_PUBLISHER)."),
        click.option("--as-of", "made_on", metavar="DATUM",
                     help="Stand und Erstellungsdatum (Standard: heute, nicht in der "
                          "Zukunft); mit festem Datum ergeben dieselben Daten dieselbe Datei."),
        hidden_alias("--made-on", "--as-of", "made_on"),
    )):
        function = option(function)
    return function


def _file_name(text: str) -> str:
    """'Alstaden/Lirich' -> 'alstaden-lirich' (for default file names)."""
    import re

    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.lower().replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "bericht"


def _paper(output_format, out, force, default_name, build, render, what) -> None:
    """Write a strategy paper or the city report: JSON to standard output or --out, or the
    PDF to --out or the default file; the target is checked before the work. `what(data)`
    names the document in the message."""
    if output_format == "json":
        if out is not None:
            _check_writable(Path(out), force)
        data = build()
        if out is None:
            return emit_json(data)
        from controlling.json_layout import readable_json

        _write(Path(out), readable_json(data).encode(), force)
        click.echo(f"{what(data)} geschrieben: {out}")
        return
    target = Path(out) if out else Path(default_name)
    _check_writable(target, force)
    with _busy("Der Bericht wird erstellt …"):
        data = build()
        pdf, pages = render(data)
    _write(target, pdf, force)
    click.echo(f"{what(data)} geschrieben: {target} ({pages} Seiten).")


@report.command("strategy-paper")
@click.option("--district", required=True, metavar="SOZIALRAUM",
              help="Der Sozialraum, z. B. Osterfeld oder Alstaden/Lirich.")
@_paper_options
@pass_app
def strategy_paper(app, district, output_format, out, force, publisher, made_on):
    """Das Strategiepapier eines Sozialraums schreiben (PDF oder JSON).

    Sozialraumanalyse (jeder Indikator im Vergleich zur Stadt über die Jahre, Grafik und
    Tabelle), Bestand an Maßnahmen (eigene und stadtweite), Handlungsempfehlungen mit Status
    und letztem Sachstand, Bekanntheit der Angebote aus den World Cafés. PDF-Standard:
    strategiepapier-SOZIALRAUM-JJJJ-MM-TT.pdf.

    \b
    Beispiele:
      controlling report strategy-paper --district Osterfeld
      controlling report strategy-paper --district Alstaden/Lirich --format json > sp.json
    """
    from controlling.domain.dates import parse_date
    from controlling.services.strategy_paper import check_day
    from controlling.services.strategy_paper import strategy_paper as build

    made = app.call(check_day, app.call(parse_date, made_on, "Erstellungsdatum"))

    def render(data):
        from controlling.reports.strategy_paper import render_strategy_paper_pdf

        return app.call(render_strategy_paper_pdf, data, made_on=made, publisher=publisher)

    _paper(output_format, out, force,
           f"strategiepapier-{_file_name(district)}-{made.isoformat()}.pdf",
           lambda: app.run(build, district, on=made), render,
           lambda data: f"Strategiepapier {data['district']}")


@report.command("city")
@_paper_options
@pass_app
def city(app, output_format, out, force, publisher, made_on):
    """Den stadtweiten Überblick für die Sozialkonferenz schreiben (PDF oder JSON).

    Alle Sozialräume nebeneinander: Empfehlungen je Status, Ampeln, die Sozialräume nach
    jedem Indikator geordnet (schlechteste Lage zuerst) und die am wenigsten bekannten
    Angebote. PDF-Standard: sozialkonferenz-JJJJ-MM-TT.pdf.

    \b
    Beispiele:
      controlling report city
      controlling report city --format json > sozialkonferenz.json
    """
    from controlling.domain.dates import parse_date
    from controlling.services.city_report import city_report
    from controlling.services.strategy_paper import check_day

    made = app.call(check_day, app.call(parse_date, made_on, "Erstellungsdatum"))

    def render(data):
        from controlling.reports.city_report import render_city_report_pdf

        return app.call(render_city_report_pdf, data, made_on=made, publisher=publisher)

    _paper(output_format, out, force, f"sozialkonferenz-{made.isoformat()}.pdf",
           lambda: app.run(city_report, on=made), render,
           lambda data: "Überblick für die Sozialkonferenz")


@click.command()
@format_option("table", "json")
@pass_app
def status(app, output_format):
    """Überblick von heute: Empfehlungen je Status und Sozialraum, Ampeln, Handlungsbedarf.

    Beispiel: controlling status
    """
    from controlling.services.overview import overview

    data = app.run(overview)
    if output_format == "json":
        return emit_json(data)
    _print_overview(data)


# the status heads with the points where German hyphenates them (soft hyphens): at 80 columns
# "vorge-|schlagen" rather than a cut district name
STATUS_HEADS = {
    "proposed": "vor\u00adge\u00adschla\u00adgen",
    "statistically_supported": "sta\u00adtis\u00adtisch ge\u00adstützt",
    "approved": "frei\u00adge\u00adge\u00adben",
    "implemented": "um\u00adge\u00adsetzt",
    "rejected": "ab\u00adge\u00adlehnt",
    "superseded": "er\u00adsetzt",
}


def _print_overview(data: dict) -> None:
    from controlling.commands.output import console, emit_table
    from controlling.domain.dates import Quarter
    from controlling.domain.formatting import format_date
    from controlling.domain.vocabulary import Status

    out = console()
    day = date.fromisoformat(data["date"])
    statuses = [s.value for s in Status]
    rows = [[name, *(str(counts[s]) for s in statuses), str(sum(counts.values()))]
            for name, counts in data["by_district"].items()]
    numbers = range(1, len(statuses) + 2)
    emit_table(f"Handlungsempfehlungen, Stand {format_date(day)}",
               ["Sozialraum", *(STATUS_HEADS[s] for s in statuses), "gesamt"],
               rows or [["–", *("0" for _ in statuses), "0"]], "",
               footers=["insgesamt", *(str(data["totals"][s]) for s in statuses),
                        str(data["total"])],
               right=frozenset(numbers), bold=frozenset({len(statuses) + 1}))
    if data["total"] == 0:
        out.print("Noch keine Empfehlungen erfasst.")
        return
    quarter = Quarter.parse(data["quarter"])
    lights = data["lights"]
    out.print(f"Ampeln im {quarter.label} (freigegebene Empfehlungen): "
              f"[green]grün {lights['green']}[/]  [yellow]gelb {lights['yellow']}[/]  "
              f"[red]rot {lights['red']}[/]  ohne Sachstand {lights['none']}")
    attention = data["attention"]
    for label, numbers in (("Ohne Sachstand für das Quartal", attention["without_progress"]),
                           ("Rote Ampel", attention["red"]),
                           ("Seit mehr als zwei Quartalen ohne Entscheidung",
                            attention["undecided"])):
        if numbers:
            out.print(f"{label}: Nr. " + _some_numbers(numbers))
    if data["example"]:
        out.print("Enthält Beispieldaten ([Beispiel]).")


# how many numbers of a list `status` prints on a terminal; the JSON has them all
SHOWN_NUMBERS = 30


def _some_numbers(numbers: list[int]) -> str:
    """The first SHOWN_NUMBERS numbers and how many more: a programme of thousands would
    otherwise print pages of numbers."""
    from controlling.domain.formatting import format_number

    shown = ", ".join(str(n) for n in numbers[:SHOWN_NUMBERS])
    rest = len(numbers) - SHOWN_NUMBERS
    if rest <= 0:
        return shown
    return f"{shown} … und {format_number(rest)} weitere (alle: controlling status --format json)"


@contextmanager
def _busy(message: str):
    """A rich spinner on standard error, only on a terminal; while a PDF is laid out it
    names the page (reports/base.py, page_progress)."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message) as spinner:
        def on_page(layout_pass: int, page: int) -> None:
            if page % 10 == 0:
                spinner.update(f"{message} Satz {layout_pass}, Seite {page}")

        with _page_progress(on_page):
            yield


@contextmanager
def _page_progress(report):
    """`report(pass, page)` while PDFs are laid out within the block (only PDF commands
    come here: this loads reportlab)."""
    from controlling.reports.base import page_progress

    token = page_progress.set(report)
    try:
        yield
    finally:
        page_progress.reset(token)


def _check_writable(path: Path, force: bool = False) -> None:
    """Fail before the work when the target will not be written (controlling/files.py)."""
    from controlling.domain.errors import DomainError
    from controlling.files import check_target

    try:
        check_target(path, force=force)
    except DomainError as error:
        raise CliError(str(error)) from None


def _write(path: Path, content: bytes, force: bool = False) -> None:
    """Write the file safely: a temporary file renamed into place (controlling/files.py)."""
    from controlling.domain.errors import DomainError
    from controlling.files import write_atomically

    try:
        write_atomically(path, content, force=force)
    except DomainError as error:
        raise CliError(str(error)) from None


def register(cli) -> None:
    """Add `report` and `status` to the root command."""
    cli.add_command(report)
    cli.add_command(status)
