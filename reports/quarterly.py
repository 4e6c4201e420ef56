"""The quarterly controlling report for the committees, laid out from a QuarterlyReport.

The figures come from controlling.services.quarterly (plain data); this module only lays them
out: no queries, no counting beyond what the page shows.

Page 1 is what a committee member reads first: the state of the report (published, draft,
rebuilt), then at a glance every red light (newly red, red for quarters in a row), every
approved recommendation without Sachstand, the long undecided ones, measures ending soon and
the Nachträge. A report that is not the published one says "Entwurf" in every header and
footer; a rebuilt one highlights each figure that differs from the published report.
"""

from datetime import date, datetime, time
from xml.sax.saxutils import escape

from controlling.reports import charts, styles
from controlling.reports.base import ContinuedMark, Renderer
from controlling.reports.glyphs import drawable
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, Spacer, Table
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from controlling.domain.formatting import (
    counted,
    format_date,
    format_datetime,
    format_number,
    plural,
)
from controlling.domain.reference import PUBLISHER
from controlling.domain.vocabulary import LIGHT_LABELS, ROLE_LABELS, STATUS_LABELS, Light, Role

TITLE = "Controllingbericht Handlungsempfehlungen"
STATUS_ORDER = ("proposed", "statistically_supported", "approved", "implemented", "rejected")
# "superseded" (ersetzt) gets its row and column only when a report has such a case,
# so reports without supersessions keep their five columns.
ALL_STATUSES = (*STATUS_ORDER, "superseded")
LIGHT_ORDER = ("green", "yellow", "red", "none")
LIGHT_WORDS = {**{light.value: LIGHT_LABELS[light] for light in Light}, "none": "ohne Sachstand"}
HEAD_VARIANTS = {  # column heads of the status matrices: the first whose lines all fit is used,
    # so a word is only ever broken where German hyphenates it
    "proposed": ("vorge-<br/>schlagen", "vor-<br/>ge-<br/>schla-<br/>gen"),
    "statistically_supported": ("statistisch<br/>gestützt", "statis-<br/>tisch<br/>gestützt",
                                "sta-<br/>tis-<br/>tisch<br/>ge-<br/>stützt"),
    "approved": ("frei-<br/>gegeben", "frei-<br/>ge-<br/>geben"),
    "implemented": ("umgesetzt", "umge-<br/>setzt", "um-<br/>ge-<br/>setzt"),
    "rejected": ("abgelehnt", "abge-<br/>lehnt", "ab-<br/>ge-<br/>lehnt"),
    "superseded": ("ersetzt", "er-<br/>setzt"),
}
MATRIX_HEADS = {status: variants[0] for status, variants in HEAD_VARIANTS.items()}
GLANCE_TITLE = 80  # characters of a title on the first page (the full one is in chapter 2)
FINAL_WORDS = {"implemented": "Umgesetzt", "rejected": "Abgelehnt"}
SPLIT_IN_ROW = 36  # points: a row is only split with three lines on either side
RECORD_WIDTHS = [12, None, 17, 26, 20]  # mm: Nr., Titel, Bereich/Sozialraum, Status, Ampel
RECORD_ROOM = 32 * mm  # a recommendation starts on a new page unless this much is left


def status_word(status: str | None) -> str:
    return STATUS_LABELS[status] if status else "neu angelegt"


def status_with_successor(status: str | None, successor: int | None) -> str:
    """The status word; a superseded one names its successor: 'ersetzt durch Nr. 12'."""
    word = status_word(status)
    return f"{word} durch Nr. {successor}" if status == "superseded" and successor else word


def light_word(light: str | None) -> str:
    return LIGHT_WORDS[light] if light else "–"


def signed(value: int) -> str:
    """+2, −1 (minus sign), 0."""
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"−{-value}"
    return "0"


def actor_word(role: str, department: str | None) -> str:
    if role == Role.DEPARTMENT_HEAD.value and department:
        return f"Bereichsleitung {department}"
    return ROLE_LABELS.get(Role(role), role) if role in {r.value for r in Role} else role


def evidence_text(evidence: dict | None) -> str:
    if not evidence:
        return ""
    direction = "höher ist schlechter" if evidence.get("higher_is_worse", True) else (
        "niedriger ist schlechter")
    return (
        f"Beleg: {evidence.get('label') or evidence.get('indicator')} {evidence.get('year')}: "
        f"{evidence.get('district')} {format_number(evidence.get('district_value'))} gegenüber "
        f"stadtweit {format_number(evidence.get('city_value'))} ({direction})"
    )


def text(value) -> str:
    """Plain text for a Paragraph: what the fonts cannot draw replaced (reports/glyphs.py),
    XML escaped, line breaks kept."""
    return escape(drawable("" if value is None else str(value))).replace("\n", "<br/>")


def quarter_label(quarter: str) -> str:
    year, number = quarter.split("-Q")
    return f"{number}. Quartal {year}"


def short_quarter(quarter: str) -> str:
    """'2025-Q1' -> 'Q1/2025' (the row of lights)."""
    year, number = quarter.split("-Q")
    return f"Q{number}/{year}"


def shortened(value: str, limit: int = GLANCE_TITLE) -> str:
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[:limit - 1].rstrip() + "…"


def moment(value: datetime | None) -> str:
    return f"{format_datetime(value)} UTC" if value else ""


def fitting_head(variants: tuple[str, ...], width: float) -> str:
    """The first variant of a column head whose every line fits `width` points (cell padding
    taken off); the last one otherwise."""
    room = width - 8
    for variant in variants:
        if all(stringWidth(line, styles.FONT_BOLD, 8.5) <= room
               for line in variant.split("<br/>")):
            return variant
    return variants[-1]


class QuarterlyRenderer(Renderer):
    """Title page, contents, summary, districts, departments, changes, attention, notes."""

    toc_levels = {**Renderer.toc_levels, "GlanceTitle": 0}
    # defaults for the strategy paper and the city report, which reuse this house style
    draft = False
    running = False
    changed: dict = {}

    def __init__(self, report, *, made_on: date, publisher: str | None = None,
                 created_at: datetime | None = None):
        super().__init__()
        self.report = report
        self.made_on = made_on
        self.publisher = (publisher or "").strip() or PUBLISHER
        self.created_at = created_at or datetime.combine(made_on, time())
        self.draft = report.state != "published"
        self.running = made_on <= report.as_of  # made before the quarter ended
        self.changed = {d.key: d for d in report.differences}
        self.title = f"{TITLE} – {report.quarter.label}" + (" (Entwurf)" if self.draft else "")
        self.author = self.publisher
        self.subject = f"Stand {format_date(report.as_of)}"
        self._numbers = [0, 0]
        rebuilt = report.state == "rebuilt"
        # the chapters after "Handlungsbedarf" (5): the page 1 refers to them by number
        self.chapter_differences = 6 if rebuilt else None
        self.chapter_corrections = 7 if rebuilt else 6

    # helpers ----------------------------------------------------------------------------------
    def p(self, value: str, style: str = "Body") -> Paragraph:
        return Paragraph(value, self.stylesheet[style])

    def heading(self, title: str, level: int = 1) -> Paragraph:
        """Numbered headings: '2 Sozialräume', '2.3 Osterfeld'."""
        if level == 1:
            self._numbers = [self._numbers[0] + 1, 0]
            number = f"{self._numbers[0]}"
        else:
            self._numbers[1] += 1
            number = f"{self._numbers[0]}.{self._numbers[1]}"
        return self.p(f"{number} {text(title)}", f"Heading{level}")

    def table(self, rows: list, widths_mm: list, style: str = "grid", *,
              extra: list | None = None, head: int = 1, split_rows: bool = False) -> Table:
        """A table filling the frame width; the one width given as None takes what is left.

        With `split_rows`, a row taller than what is left of a page may be split (at least
        three lines on either side), so long texts are never cut.
        """
        fixed = sum(w for w in widths_mm if w is not None) * mm
        widths = [w * mm if w is not None else self.frame_width - fixed for w in widths_mm]
        table = Table(rows, colWidths=widths, repeatRows=head, hAlign="LEFT",
                      splitInRow=SPLIT_IN_ROW if split_rows else 0)
        table.setStyle(styles.table_style(style, head=head))
        if extra:
            table.setStyle(extra)
        return table

    def continued(self, caption: str, flowables: list, heads=None) -> list:
        """`flowables` (a table, or records) between two ContinuedMarks: a page that begins
        inside starts with "caption (Fortsetzung)" and, for records, `heads()` (fresh column
        heads; a Table repeats its own)."""
        def make():
            made = [self.p(f"{text(caption)} (Fortsetzung)", "Continued")]
            return made + ([heads()] if heads else [])

        return [ContinuedMark(make), *flowables, ContinuedMark()]

    def cell(self, value, style: str = "Cell") -> Paragraph:
        return self.p(text(value), style)

    def head_cells(self, *labels: str, right_from: int | None = None) -> list:
        return [self.p(text(label), "CellHeadRight" if right_from is not None
                       and index >= right_from else "CellHead")
                for index, label in enumerate(labels)]

    def light_cell(self, light: str | None, row: int, column: int, extra: list,
                   short: bool = True, changed: str | None = None):
        """A cell in the light's colour with its word ('ohne' when there is no Sachstand);
        `changed`: the key of a difference to the published report, shown with the old one."""
        if light is None:
            return self.cell("–", "LightCell")
        extra.append(("BACKGROUND", (column, row), (column, row), styles.LIGHT_FILLS[light]))
        if light == "none":
            extra.append(("BOX", (column, row), (column, row), 0.6, styles.MUTED))
        word = "ohne" if light == "none" and short else LIGHT_WORDS[light]
        difference = self.changed.get(changed) if changed else None
        if difference is not None:
            word += f" (veröff.: {difference.published or '–'})"
        return self.cell(word, styles.LIGHT_CELL_STYLES[light])

    def figure(self, value, key: str, row: int, column: int, extra: list,
               style: str = "CellRight"):
        """A figure; one that differs from the published report is highlighted and shows
        the published value in brackets."""
        difference = self.changed.get(key)
        if difference is None:
            return self.cell(value, style)
        extra.append(("BACKGROUND", (column, row), (column, row), styles.CHANGED_BG))
        return self.p(f"<b>{text(value)}</b> ({text(difference.published)})", style)

    def changed_note(self) -> list:
        """The line under a table with highlighted figures."""
        if not self.changed:
            return []
        return [self.p("Hervorgehoben: weicht vom veröffentlichten Bericht ab; in Klammern der "
                       "veröffentlichte Wert.", "Small")]

    def department_title(self, code: str) -> str:
        name = self.report.department_names.get(code, code)
        return name if code in name else f"{code} {name}"

    # page decorations -------------------------------------------------------------------------
    def draft_word(self) -> str:
        if self.report.state == "rebuilt":
            return "Entwurf – Neuberechnung, nicht der veröffentlichte Bericht"
        if self.running:
            return "Entwurf – Quartal läuft noch"
        return "Entwurf – nicht veröffentlicht"

    def _on_first_page(self, canvas, doc):
        if not self.draft:
            return
        canvas.saveState()
        width, height = self.pagesize
        canvas.setFont(styles.FONT_BOLD, 8)
        canvas.setFillColor(styles.DRAFT)
        canvas.drawRightString(width - self.right_margin, height - 14 * mm,
                               self.draft_word().upper())
        canvas.restoreState()

    def _on_other_page(self, canvas, doc):
        canvas.saveState()
        width, height = self.pagesize
        top = height - 14 * mm
        canvas.setFont(styles.FONT, 7.5)
        canvas.setFillColor(styles.MUTED)
        left = f"{TITLE} · {self.report.quarter.label}"
        canvas.drawString(self.left_margin, top, left)
        stand = (f"vorläufiger Stand {format_date(self.made_on)}" if self.running
                 else f"Stand {format_date(self.report.as_of)}")
        if self.draft:
            canvas.setFont(styles.FONT_BOLD, 7.5)
            canvas.setFillColor(styles.DRAFT)
            stand = f"ENTWURF · {stand}"
        canvas.drawRightString(width - self.right_margin, top, stand)
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.left_margin, top - 2.5 * mm, width - self.right_margin, top - 2.5 * mm)
        canvas.restoreState()

    def _on_page_numbers(self, canvas, page, total):
        canvas.saveState()
        width, _ = self.pagesize
        bottom = 11 * mm
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.left_margin, bottom + 4.5 * mm, width - self.right_margin,
                    bottom + 4.5 * mm)
        label = f"Seite {page} von {total}"
        canvas.setFont(styles.FONT, 7.5)
        canvas.setFillColor(styles.MUTED)
        canvas.drawRightString(width - self.right_margin, bottom, label)
        if self.draft:
            canvas.setFont(styles.FONT_BOLD, 7.5)
            canvas.setFillColor(styles.DRAFT)
            canvas.drawRightString(width - self.right_margin, bottom - 3.5 * mm, "Entwurf")
        footer = Paragraph(text(self.publisher), self.stylesheet["Footer"])
        _, used = footer.wrap(self.frame_width - 30 * mm, 12 * mm)
        footer.drawOn(canvas, self.left_margin, bottom + 7.5 - used)
        canvas.restoreState()

    # the story --------------------------------------------------------------------------------
    def _get_story(self, doc):
        self._numbers = [0, 0]
        return [
            *self.title_page(), PageBreak(),
            *self.contents(), PageBreak(),
            *self.summary(), PageBreak(),
            *self.districts(), PageBreak(),
            *self.departments(), PageBreak(),
            *self.changes(), PageBreak(),
            *self.attention(),
            *self.differences_chapter(),
            *self.corrections_chapter(),
            *self.explanations(),
        ]

    def title_page(self) -> list:
        """Page 1: title, the state of the report, then what needs attention at a glance."""
        r = self.report
        stand = (f"Stand: {format_date(self.made_on)} (vorläufig; Stichtag "
                 f"{format_date(r.as_of)})" if self.running else f"Stand: {format_date(r.as_of)}")
        story = [
            self.p("Strategische Sozialplanung · Bericht an die Ausschüsse", "Kicker"),
            self.p(TITLE, "CoverTitle"),
            self.p(f"{r.quarter.label} · {stand}", "CoverQuarter"),
            self.p(f"Herausgeberin: {text(self.publisher)}", "CoverMeta"),
            self.p(f"Erstellt am {format_date(self.made_on)}" + (
                f" · Datenstand: erfasst bis {moment(r.known_at)}" if r.known_at else ""),
                "CoverMeta"),
            self.p(self.state_text(), "StateDraft" if self.draft else "State"),
        ]
        if self.running:
            story.append(self.p(
                f"Vorläufig: Das {r.quarter.label} ist noch nicht abgeschlossen; der Bericht "
                f"zeigt den Stand vom {format_date(self.made_on)}.", "Notice"))
        if r.example:
            story.append(self.p(
                "Enthält Beispieldaten: Die mit [Beispiel] gekennzeichneten Empfehlungen, Texte "
                "und Werte sind zur Demonstration erfunden.", "Notice"))
        return story + self.glance()

    def state_text(self) -> str:
        r = self.report
        publication = r.publication
        if r.state == "published":
            return (f"Veröffentlicht am {moment(publication.published_at)} durch "
                    f"{text(publication.actor)}. Dieser Bericht bleibt unverändert; spätere "
                    "Korrekturen erscheinen als Nachträge im folgenden Bericht.")
        if r.state == "rebuilt":
            count = len(r.differences)
            deviation = (f"{counted(count, 'Angabe weicht', 'Angaben weichen')} davon ab "
                         f"(hervorgehoben; Kapitel {self.chapter_differences})." if count
                         else "Die Zahlen stimmen mit ihm überein.")
            return (f"Entwurf – Neuberechnung, nicht der veröffentlichte Bericht. Veröffentlicht "
                    f"wurde der Bericht am {moment(publication.published_at)} durch "
                    f"{text(publication.actor)}; {deviation}")
        if self.running:
            return (f"Entwurf – das {r.quarter.label} läuft noch; der Bericht kann erst nach dem "
                    "Quartalsende veröffentlicht werden.")
        return ("Entwurf – nicht veröffentlicht. Endgültig wird der Bericht mit seiner "
                "Veröffentlichung (controlling report publish); danach ändert er sich nicht mehr.")

    def glance(self) -> list:
        """What needs attention, each with number, title and department."""
        r = self.report
        by_number = {line.number: line for line in r.recommendations}
        approved = r.totals["approved"]
        story = [self.p("Auf einen Blick", "GlanceTitle"), self.p(
            f"Zum Stichtag {counted(r.total, 'Empfehlung', 'Empfehlungen')}, davon "
            f"{approved} freigegeben; deren Ampeln für das {r.quarter.label}: "
            f"grün {r.lights['green']}, gelb {r.lights['yellow']}, rot {r.lights['red']}, "
            f"ohne Sachstand {r.lights['none']}. Im Quartal "
            f"{counted(len(r.transitions), 'Statusänderung', 'Statusänderungen')}.", "Body")]

        def block(title: str, lines: list, column: str, value, empty: str, extra_line=""):
            story.append(self.p(f"{title} ({len(lines)})" if lines else title, "GlanceHead"))
            if not lines:
                story.append(self.p(empty, "GlanceNone"))
                return
            if extra_line:
                story.append(self.p(extra_line, "GlanceNone"))
            rows = [self.head_cells("Nr.", "Titel", "Bereich", column)]
            for item in lines:  # small and mostly one line each: many fit on the page
                number, title_, department, last = value(item)
                rows.append([self.cell(number, "CellSmallBold"),
                             self.cell(shortened(title_), "CellSmall"),
                             self.cell(department, "CellSmall"), self.p(last, "CellSmall")])
            story.append(self.table(rows, [14, None, 17, 42], "compact", split_rows=True))

        def red_since(line):
            since = ("neu rot in diesem Quartal" if line.red_streak < 2 else
                     f"rot seit {counted(line.red_streak, 'Quartal', 'Quartalen')}")
            return line.number, line.title, line.department, since

        block("Rote Ampel", [by_number[n] for n in r.red], "seit", red_since,
              f"Keine freigegebene Empfehlung steht im {r.quarter.label} auf Rot.",
              f"davon neu rot: {len(r.newly_red)} · zwei oder mehr Quartale in Folge rot: "
              f"{len(r.red_in_a_row)}")
        block(f"Ohne Sachstand für das {r.quarter.label}", [by_number[n] for n in r.stale],
              "letzter Sachstand",
              lambda line: (line.number, line.title, line.department,
                            quarter_label(line.latest_progress.quarter)
                            + f", {light_word(line.latest_progress.light)}"
                            if line.latest_progress else "keiner"),
              "Alle freigegebenen Empfehlungen haben einen Sachstand für das Quartal.")
        block("Seit mehr als zwei Quartalen ohne Entscheidung",
              [by_number[n] for n in r.undecided], "Status, vorgeschlagen am",
              lambda line: (line.number, line.title, line.department,
                            f"{status_word(line.status)}, {format_date(line.created_on)}"),
              "Keine Empfehlung wartet länger als zwei Quartale auf eine Entscheidung.")
        until = r.quarter.next().next()
        block(f"Befristete Maßnahmen, die bis zum {format_date(until.end)} enden",
              list(r.expiring), "endet am; Anschluss",
              lambda m: (m.id, m.title, m.department, f"{format_date(m.ends_on)}; " + (
                  "Empfehlung " + ", ".join(str(n) for n in m.continued_by)
                  if m.continued_by else "<b>keine Anschluss-Empfehlung</b>")),
              f"Keine befristete Maßnahme endet zwischen dem {format_date(r.quarter.start)} "
              f"und dem {format_date(until.end)}.")
        block("Zieltermin überschritten, nicht umgesetzt", list(r.overdue_targets),
              "Zieltermin; Status",
              lambda t: (t.number, t.title, t.department,
                         f"{format_date(t.target_on)}; {status_word(t.status)}"),
              "Keine offene Empfehlung hat ihren Zieltermin überschritten.")
        following = r.quarter.next()
        block(f"Meilensteine, fällig im {following.label}", list(r.milestones_due),
              "fällig am",
              lambda m: (m.number, m.title, m.department, format_date(m.due_on)),
              f"Im {following.label} ist kein offener Meilenstein fällig.")
        story.append(self.p("Nachträge zu früheren Berichten" + (
            f" ({len(r.corrections)})" if r.corrections else ""), "GlanceHead"))
        story.append(self.p(
            f"{counted(len(r.corrections), 'Nachtrag', 'Nachträge')}: rückwirkende Änderungen, "
            f"erfasst nach der Veröffentlichung eines Berichts; Einzelheiten in Kapitel "
            f"{self.chapter_corrections}." if r.corrections else
            "Keine: seit dem letzten veröffentlichten Bericht wurde nichts rückwirkend geändert.",
            "GlanceNone" if not r.corrections else "Body"))
        return story

    def contents(self) -> list:
        toc = TableOfContents(dotsMinLevel=0)
        toc.levelStyles = [self.stylesheet["TOC1"], self.stylesheet["TOC2"]]
        toc.tableStyle = styles.table_style("plain")
        return [self.p("Inhalt", "ContentsTitle"), toc]

    def summary(self) -> list:
        r = self.report
        story = [self.heading("Zusammenfassung")]
        approved = r.totals["approved"]
        with_update = approved - r.lights["none"]
        if not r.has_data:
            story.append(self.p(
                f"Zum Stichtag {format_date(r.as_of)} gab es keine Handlungsempfehlungen. "
                "Der Bericht ist vollständig, enthält aber nur leere Übersichten.", "Notice"))
        else:
            changes = len(r.transitions)
            story.append(self.p(
                f"Zum Stichtag {format_date(r.as_of)} umfasst das Controlling "
                f"<b>{counted(r.total, 'Handlungsempfehlung', 'Handlungsempfehlungen')}</b> "
                f"(Stichtag des Vorquartals {format_date(r.previous.end)}: "
                f"{sum(r.previous_totals.values())}). Im {r.quarter.label} "
                f"{plural(changes, 'wurde', 'wurden')} "
                f"{counted(changes, 'Statusänderung', 'Statusänderungen')} wirksam. "
                f"Freigegeben: {approved}; davon mit Sachstand für das Quartal: {with_update}, "
                f"mit roter Ampel: {len(r.red)}."))
        story.append(self.heading("Empfehlungen nach Status", 2))
        rows = [self.head_cells("Status", f"Vorquartal ({format_date(r.previous.end)})",
                                f"Stand {format_date(r.as_of)}", "Veränderung", right_from=1)]
        shown = statuses_shown(r.totals, r.previous_totals)
        extra: list = []
        for status in shown:
            rows.append([self.cell(STATUS_LABELS[status]),
                         self.cell(r.previous_totals[status], "CellRight"),
                         self.figure(r.totals[status], f"totals/{status}", len(rows), 2, extra),
                         self.cell(signed(r.change[status]), "CellRight")])
        previous_total = sum(r.previous_totals.values())
        rows.append([self.cell("insgesamt", "CellBold"),
                     self.cell(previous_total, "CellRightBold"),
                     self.cell(r.total, "CellRightBold"),
                     self.cell(signed(r.total - previous_total), "CellRightBold")])
        story.append(self.table(rows, [None, 40, 40, 30], "figures", extra=extra))
        story += self.changed_note() if extra else []
        if r.has_data:
            story += [Spacer(0, 4 * mm), charts.caption(charts.status_chart(
                [STATUS_LABELS[s] for s in shown],
                [r.totals[s] for s in shown],
                [r.previous_totals[s] for s in shown],
                r.quarter.label, r.previous.label, self.frame_width,
            ), "Abbildung 1: Empfehlungen nach Status, Vorquartal und Berichtsquartal")]

        story += [CondPageBreak(70 * mm),
                  self.heading("Ampeln der freigegebenen Empfehlungen", 2),
                  self.p(f"Je zum Stichtag freigegebener Empfehlung die Ampel des letzten "
                         f"Sachstands für das {r.quarter.label}.", "Small")]
        rows = [self.head_cells("Ampel", "Anzahl", right_from=1)]
        extra: list = []
        for index, light in enumerate(LIGHT_ORDER, start=1):
            rows.append([self.light_cell(light, index, 0, extra, short=False),
                         self.figure(r.lights[light], f"lights/{light}", index, 1, extra)])
        rows.append([self.cell("freigegeben insgesamt", "CellBold"),
                     self.cell(approved, "CellRightBold")])
        figures = self.table(rows, [45, 22], "figures", extra=extra)
        if not approved:
            story.append(figures)
        else:  # the table on the left, the chart on the right
            chart_width = self.frame_width - 75 * mm
            chart = charts.caption(charts.lights_chart(
                [LIGHT_WORDS[light] for light in LIGHT_ORDER], list(LIGHT_ORDER),
                [r.lights[light] for light in LIGHT_ORDER], chart_width,
            ), "Abbildung 2: Ampeln der freigegebenen Empfehlungen")
            story.append(self.table([[figures, chart]], [75, None], "plain", head=0))

        story += [CondPageBreak(60 * mm), self.heading("Übersicht nach Sozialraum", 2),
                  self.matrix("Sozialraum", [(name, name) for name in r.by_district],
                              r.by_district, "by_district")]
        story += [CondPageBreak(50 * mm), self.heading("Übersicht nach Bereich", 2)]
        if r.by_department:
            story.append(self.matrix(
                "Bereich", [(code, self.department_title(code)) for code in r.by_department],
                r.by_department, "by_department"))
        else:
            story.append(self.p("Zum Stichtag ist keinem Bereich eine Empfehlung zugeordnet."))
        return story

    def matrix(self, what: str, names: list[tuple[str, str]], counts: dict,
               part: str = "") -> Table:
        """Rows of status counts with a total column and a total row; column heads broken
        only where German hyphenates (fitting_head)."""
        shown = statuses_shown(*counts.values())
        width = 22 if len(shown) == len(STATUS_ORDER) else 19
        rows = [[self.p(what, "CellHead"),
                 *(self.p(fitting_head(HEAD_VARIANTS[s], width * mm), "CellHeadRight")
                   for s in shown),
                 self.p("gesamt", "CellHeadRight")]]
        sums = dict.fromkeys(shown, 0)
        extra: list = []
        for key, label in names:
            figures = counts[key]
            row = len(rows)
            rows.append([self.cell(label), *(
                self.figure(figures.get(s, 0), f"{part}/{key}/{s}", row, column, extra)
                for column, s in enumerate(shown, start=1)),
                self.cell(sum(figures.values()), "CellRightBold")])
            for status in shown:
                sums[status] += figures.get(status, 0)
        rows.append([self.cell("insgesamt", "CellBold"),
                     *(self.cell(sums[s], "CellRightBold") for s in shown),
                     self.cell(sum(sums.values()), "CellRightBold")])
        return self.table(rows, [None, *([width] * len(shown)), 20], "figures", extra=extra)

    def records(self, lines, columns: tuple[str, str], note, caption: str = "") -> list:
        """One recommendation after another: a row of facts, then its text as a paragraph
        that may run on over pages (never cut), then a rule. `columns` are the heads of the
        third and fifth column ('Bereich'/'Sozialraum', 'Ampel'/...); `note(line)` gives the
        paragraph's text or None."""
        widths = RECORD_WIDTHS if columns[0] == "Bereich" else [12, None, 28, 24, 18]

        def heads():
            return self.table([self.head_cells("Nr.", "Titel", columns[0], "Status",
                                               columns[1])], widths, "records-head", head=0)

        head = heads()
        head.keepWithNext = 1
        story = [head]
        for position, line in enumerate(lines):
            extra: list = []
            third = line.department if columns[0] == "Bereich" else line.district
            facts = self.table([[self.cell(line.number, "CellBold"), self.cell(line.title),
                                 self.cell(third), self.status_cell(line, 0, 3, extra),
                                 self.light_cell(line.light, 0, 4, extra,
                                                 changed=f"recommendation/{line.number}/light")]],
                               widths, "records-row", head=0, extra=extra, split_rows=True)
            if position:  # the first one stays with the heading and the column heads
                story.append(CondPageBreak(RECORD_ROOM))
            text_ = note(line)
            story.append(facts)
            if text_:  # CondPageBreak above keeps its first lines with the facts
                story.append(self.p(text_, "RecordNote"))
            story.append(HRFlowable(width="100%", thickness=0.25, color=styles.RULE,
                                    spaceBefore=1, spaceAfter=0))
        return self.continued(caption, story, heads) if caption else story

    def status_cell(self, line, row: int, column: int, extra: list):
        """The status word; highlighted with the published one when that differs."""
        difference = self.changed.get(f"recommendation/{line.number}/status")
        word = status_with_successor(line.status, line.superseded_by)
        if difference is None:
            return self.cell(word)
        extra.append(("BACKGROUND", (column, row), (column, row), styles.CHANGED_BG))
        return self.p(f"<b>{text(word)}</b> (veröff.: "
                      f"{text(difference.published)})", "Cell")

    def lights_row(self, line) -> str:
        """'Ampeln: Q2/2024 gelb · Q3/2024 rot · …': the last four quarters, words only, so
        the row reads the same in black and white."""
        if not line.lights_history:
            return ""
        return "<b>Ampeln:</b> " + " · ".join(
            f"{short_quarter(q)} {light_word(light) if light else 'ohne'}"
            for q, light in line.lights_history)

    def sachstand(self, line, quarter: str) -> str | None:
        """The text under a recommendation: how it ended, its latest Sachstand and, for an
        approved one, its lights of the last four quarters."""
        parts = []
        if line.status in FINAL_WORDS:
            parts.append(f"<b>{FINAL_WORDS[line.status]}</b> am {format_date(line.status_on)}"
                         + (f": {text(line.status_note)}" if line.status_note else "."))
        update = line.latest_progress
        if update is not None:
            when = f"{quarter_label(update.quarter)}, wirksam {format_date(update.effective_on)}"
            if update.quarter == str(self.report.quarter):
                prefix = f"<b>Sachstand</b> ({when})"
            else:
                prefix = f"<b>Letzter Sachstand</b> ({when}, Ampel {light_word(update.light)})"
            parts.append(f"{prefix}: {text(update.note)}")
        elif line.status == "approved":
            parts.append("<i>Noch kein Sachstand erfasst.</i>")
        if self.lights_row(line):
            parts.append(self.lights_row(line))
        return "<br/>".join(parts) or None

    def districts(self) -> list:
        r = self.report
        story = [self.heading("Empfehlungen nach Sozialraum"),
                 self.p(f"Je Sozialraum alle zum Stichtag {format_date(r.as_of)} bestehenden "
                        "Empfehlungen mit Bereich, Status, der Ampel für das "
                        f"{r.quarter.label} und dem letzten Sachstand.", "Small")]
        by_name = grouped(r.recommendations, "district")
        for name, counts in r.by_district.items():
            lines = by_name.get(name, [])
            story += [CondPageBreak(RECORD_ROOM + 20 * mm), self.heading(name, 2)]
            if not lines:
                story.append(self.p("Zum Stichtag keine Empfehlungen in diesem Sozialraum."))
                continue
            story.append(self.p(self.count_sentence(counts), "Lead"))
            story += self.records(lines, ("Bereich", "Ampel"),
                                  lambda line: self.sachstand(line, r.quarter.label), name)
        return story

    def count_sentence(self, counts: dict) -> str:
        total = sum(counts.values())
        parts = [f"{counts[s]} {STATUS_LABELS[s]}" for s in ALL_STATUSES if counts.get(s)]
        return f"{counted(total, 'Empfehlung', 'Empfehlungen')}: " + ", ".join(parts) + "."

    def departments(self) -> list:
        r = self.report
        story = [self.heading("Empfehlungen nach Bereich"),
                 self.p("Je zuständigem Bereich die Empfehlungen mit Sozialraum, Status und der "
                        f"Ampel für das {r.quarter.label}; die Sachstände stehen in Kapitel 2.",
                        "Small")]
        if not r.by_department:
            story.append(self.p("Zum Stichtag ist keinem Bereich eine Empfehlung zugeordnet."))
            return story
        by_code = grouped(r.recommendations, "department")
        for code, counts in r.by_department.items():
            lines = by_code.get(code, [])
            story += [self.heading(self.department_title(code), 2),
                      self.p(self.count_sentence(counts), "Lead")]
            rows = [self.head_cells("Nr.", "Titel", "Sozialraum", "Status", "Ampel")]
            extra: list = []
            for line in lines:
                row = len(rows)
                rows.append([self.cell(line.number, "CellBold"), self.cell(line.title),
                             self.cell(line.district), self.status_cell(line, row, 3, extra),
                             self.light_cell(line.light, row, 4, extra,
                                             changed=f"recommendation/{line.number}/light")])
            story += self.continued(self.department_title(code), [
                self.table(rows, [12, None, 30, 26, 20], "grid", extra=extra,
                           split_rows=True)])
        return story

    def changes(self) -> list:
        r = self.report
        story = [self.heading(f"Statusänderungen im {r.quarter.label}"),
                 self.p("Alle Statusänderungen, die im Quartal wirksam wurden, nach "
                        "Wirksamkeitsdatum; Neuanlagen erscheinen als „neu angelegt → "
                        "vorgeschlagen“. Angegeben ist die Rolle oder der Bereich der "
                        "handelnden Person.", "Small")]
        if not r.transitions:
            story.append(self.p("Im Quartal wurden keine Statusänderungen wirksam."))
            return story
        rows = [self.head_cells("Datum", "Empfehlung", "Änderung", "durch", "Vermerk, Beleg")]
        successors = {line.number: line.superseded_by for line in r.recommendations}
        for t in r.transitions:
            remark = "<br/>".join(part for part in (text(t.note), text(evidence_text(
                t.evidence))) if part)
            rows.append([
                self.cell(format_date(t.effective_on)),
                self.p(f"<b>{t.number}</b> {text(t.title)}", "Cell"),
                self.p(f"{text(status_word(t.from_status))} → "
                       f"{text(status_with_successor(t.to_status, successors.get(t.number)))}",
                       "Cell"),
                self.cell(actor_word(t.actor_role, t.actor_department)),
                self.p(remark or "–", "Cell"),
            ])
        story += self.continued(f"Statusänderungen im {r.quarter.label}", [
            self.table(rows, [21, None, 30, 28, 46], "grid", split_rows=True)])
        return story

    def attention(self) -> list:
        r = self.report
        by_number = {line.number: line for line in r.recommendations}
        story = [self.heading("Handlungsbedarf"),
                 self.p("Empfehlungen, die die Ausschüsse besonders beachten sollten.",
                        "Small")]

        story.append(self.heading("Freigegeben ohne Sachstand für das Quartal", 2))
        story.append(self.attention_table(
            [by_number[n] for n in r.stale], "letzter Sachstand",
            lambda line: (quarter_label(line.latest_progress.quarter)
                          if line.latest_progress else "keiner"),
            f"Alle freigegebenen Empfehlungen haben einen Sachstand für das {r.quarter.label}."))

        story.append(self.heading("Rote Ampel", 2))
        if r.red:
            story[-1:-1] = [CondPageBreak(RECORD_ROOM + 20 * mm)]
            story += self.records([by_number[n] for n in r.red], ("Sozialraum", "Ampel"),
                                  lambda line: self.sachstand(line, r.quarter.label),
                                  "Rote Ampel")
        else:
            story.append(self.p("Keine freigegebene Empfehlung steht auf Rot."))

        story.append(self.heading("Seit mehr als zwei Quartalen ohne Entscheidung", 2))
        threshold = r.quarter.previous().previous()
        story.append(self.p(
            f"Vorgeschlagen vor dem {threshold.label} und zum Stichtag weder freigegeben noch "
            "abgelehnt.", "Small"))
        story.append(self.attention_table(
            [by_number[n] for n in r.undecided], "Status, vorgeschlagen am",
            lambda line: f"{status_word(line.status)}, {format_date(line.created_on)}",
            "Keine Empfehlung wartet länger als zwei Quartale auf eine Entscheidung."))
        return story

    def attention_table(self, lines, last: str, value, empty: str):
        if not lines:
            return self.p(empty)
        rows = [self.head_cells("Nr.", "Titel", "Sozialraum", "Bereich", last)]
        for line in lines:
            rows.append([self.cell(line.number, "CellBold"), self.cell(line.title),
                         self.cell(line.district), self.cell(line.department),
                         self.cell(value(line))])
        return self.table(rows, [12, None, 30, 17, 40], "grid", split_rows=True)

    def differences_chapter(self) -> list:
        """A rebuilt report: every figure that differs from the published one."""
        r = self.report
        if r.state != "rebuilt":
            return []
        publication = r.publication
        story = [CondPageBreak(60 * mm), self.heading("Abweichungen vom veröffentlichten Bericht"),
                 self.p(f"Veröffentlicht wurde der Bericht am {moment(publication.published_at)} "
                        f"(Datenstand: erfasst bis {moment(publication.known_at)}). Diese "
                        "Neuberechnung enthält auch, was danach rückwirkend erfasst wurde; die "
                        f"Änderungen selbst stehen in Kapitel {self.chapter_corrections}.",
                        "Small")]
        if not r.differences:
            story.append(self.p("Keine Abweichung: die Neuberechnung ergibt dieselben Zahlen "
                                "wie der veröffentlichte Bericht."))
            return story
        rows = [self.head_cells("Angabe", "veröffentlicht", "jetzt", right_from=1)]
        for d in r.differences:
            rows.append([self.cell(d.label), self.cell(_plain(d.published), "CellRight"),
                         self.cell(_plain(d.now), "CellRightBold")])
        story.append(self.table(rows, [None, 35, 35], "grid", split_rows=True))
        return story

    def corrections_chapter(self) -> list:
        """Nachträge: changes recorded after a publication that alter the published report."""
        r = self.report
        story = [CondPageBreak(60 * mm), self.heading("Nachträge zu früheren Berichten"),
                 self.p("Änderungen, die erst nach der Veröffentlichung eines Berichts erfasst "
                        "wurden und ihn rückwirkend betreffen. Der veröffentlichte Bericht bleibt, "
                        "wie er ist; hier steht, welcher Bericht betroffen ist, was sich geändert "
                        "hat, wer es wann erfasst hat und mit welcher Begründung.", "Small")]
        if not r.corrections:
            story.append(self.p("Seit dem letzten veröffentlichten Bericht wurde nichts "
                                "rückwirkend geändert."))
            return story
        rows = [self.head_cells("Bericht", "Empfehlung", "Änderung", "erfasst", "Begründung")]
        for c in r.corrections:
            if c.kind == "status":
                what = (f"Status: {text(status_word(c.from_status))} → "
                        f"{text(status_word(c.to_status))}, wirksam {format_date(c.effective_on)}")
            else:
                what = (f"Sachstand {text(quarter_label(c.quarter))}: Ampel "
                        f"{text(light_word(c.light))}, wirksam {format_date(c.effective_on)}: "
                        f"{text(c.note)}")
            who = text(c.actor or "")
            if c.actor_role:
                who += f" ({text(actor_word(c.actor_role, c.actor_department))})"
            rows.append([
                self.p(f"{text(quarter_label(c.report))}<br/>veröffentlicht "
                       f"{format_date(c.report_published_at)}", "Cell"),
                self.p(f"<b>{c.number}</b> {text(c.title)}", "Cell"),
                self.p(what, "Cell"),
                self.p(f"{moment(c.recorded_at)}<br/>{who}", "Cell"),
                self.cell(c.reason or "–"),
            ])
        story += self.continued("Nachträge zu früheren Berichten", [
            self.table(rows, [25, None, 45, 30, 32], "grid", split_rows=True)])
        return story

    def explanations(self) -> list:
        r = self.report
        return [
            CondPageBreak(60 * mm),
            self.heading("Erläuterungen"),
            self.p(f"<b>Stichtag und Datenstand.</b> Der Bericht zeigt den Stand am letzten Tag "
                   f"des Quartals ({format_date(r.as_of)}), rekonstruiert aus dem Verlauf nach "
                   "Wirksamkeitsdatum, so wie er zum Datenstand erfasst war. Änderungen mit "
                   "Wirkung nach dem Stichtag verändern ihn nicht."),
            self.p("<b>Veröffentlichung und Nachträge.</b> Ein veröffentlichter Bericht wird "
                   "gespeichert und danach genau so wieder ausgegeben. Wird später etwas "
                   "rückwirkend geändert, ist das ein Nachtrag mit Begründung: Der nächste "
                   "Bericht nennt ihn unter „Nachträge zu früheren Berichten“. Ein nicht "
                   "veröffentlichter Bericht trägt auf jeder Seite den Vermerk „Entwurf“."),
            self.p("<b>Status.</b> vorgeschlagen → statistisch gestützt (der Sozialraum steht "
                   "beim gewählten Indikator des Sozialberichts schlechter da als die Stadt) → "
                   "freigegeben (durch die zuständige Bereichsleitung) → umgesetzt; oder "
                   "abgelehnt. Verlängerungen und Verstetigungen können ohne statistische "
                   "Stützung freigegeben werden."),
            self.p("<b>Ampel.</b> Grün: Umsetzung im Plan; gelb: verzögert oder teilweise "
                   "umgesetzt; rot: wesentliche Teile nicht umgesetzt. Gezählt wird je "
                   "freigegebener Empfehlung der letzte Sachstand für das Berichtsquartal, auch "
                   "wenn er erst nach dem Quartalsende erfasst wurde; „ohne Sachstand“ heißt, "
                   "dass für das Quartal keiner erfasst ist. Unter jeder freigegebenen "
                   "Empfehlung stehen ihre Ampeln der letzten vier Quartale."),
            self.p("<b>Veränderung.</b> Unterschied zum Stand am letzten Tag des Vorquartals "
                   f"({format_date(r.previous.end)})."),
        ]


def _plain(value) -> str:
    return "–" if value is None else str(value)


def render_quarterly_pdf(report, *, made_on: date, publisher: str | None = None,
                         created_at: datetime | None = None) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages. `created_at` is the creation date in the PDF's
    metadata (default: `made_on`, midnight UTC, so the same data and date give the same
    bytes)."""
    renderer = QuarterlyRenderer(report, made_on=made_on, publisher=publisher,
                                 created_at=created_at)
    pdf = renderer.render()
    return pdf, renderer.page_count


def grouped(lines, attribute: str) -> dict[str, list]:
    """The lines by the value of `attribute`, each group in the order given (one pass, not
    one per Sozialraum or Bereich)."""
    groups: dict[str, list] = {}
    for line in lines:
        groups.setdefault(getattr(line, attribute), []).append(line)
    return groups


def statuses_shown(*counts: dict) -> tuple[str, ...]:
    """The five statuses, plus "superseded" when any of the counts has such a case."""
    if any(c.get("superseded") for c in counts):
        return ALL_STATUSES
    return STATUS_ORDER
