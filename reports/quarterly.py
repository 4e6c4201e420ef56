"""The quarterly controlling report for the committees, laid out from a QuarterlyReport.

The figures come from controlling.services.quarterly (plain data); this module only lays them
out: no queries, no counting beyond what the page shows.
"""

from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, Spacer, Table
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from controlling.domain.formatting import format_date, format_number
from controlling.domain.reference import PUBLISHER
from controlling.domain.vocabulary import LIGHT_LABELS, ROLE_LABELS, STATUS_LABELS, Light, Role
from reports import charts, styles
from reports.base import Renderer
from reports.glyphs import drawable

TITLE = "Controllingbericht Handlungsempfehlungen"
STATUS_ORDER = ("proposed", "statistically_supported", "approved", "implemented", "rejected")
# "superseded" (ersetzt, issue 6) gets its row and column only when a report has such a case,
# so reports without supersessions keep their five columns.
ALL_STATUSES = (*STATUS_ORDER, "superseded")
LIGHT_ORDER = ("green", "yellow", "red", "none")
LIGHT_WORDS = {**{light.value: LIGHT_LABELS[light] for light in Light}, "none": "ohne Sachstand"}
MATRIX_HEADS = {  # column heads of the status matrices, broken to fit 22 mm
    "proposed": "vorge-<br/>schlagen",
    "statistically_supported": "statistisch<br/>gestützt",
    "approved": "frei-<br/>gegeben",
    "implemented": "umgesetzt",
    "rejected": "abgelehnt",
    "superseded": "ersetzt",
}
FINAL_WORDS = {"implemented": "Umgesetzt", "rejected": "Abgelehnt"}
SPLIT_IN_ROW = 36  # points: a row is only split with three lines on either side
RECORD_WIDTHS = [12, None, 17, 26, 20]  # mm: Nr., Titel, Bereich/Sozialraum, Status, Ampel
RECORD_ROOM = 32 * mm  # a recommendation starts on a new page unless this much is left


def status_word(status: str | None) -> str:
    return STATUS_LABELS[status] if status else "neu angelegt"


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


class QuarterlyRenderer(Renderer):
    """Title page, contents, summary, districts, departments, changes, attention, notes."""

    def __init__(self, report, *, made_on: date, publisher: str | None = None):
        super().__init__()
        self.report = report
        self.made_on = made_on
        self.publisher = (publisher or "").strip() or PUBLISHER
        self.title = f"{TITLE} – {report.quarter.label}"
        self.author = self.publisher
        self.subject = f"Stand {format_date(report.as_of)}"
        self._numbers = [0, 0]

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

    def cell(self, value, style: str = "Cell") -> Paragraph:
        return self.p(text(value), style)

    def head_cells(self, *labels: str, right_from: int | None = None) -> list:
        return [self.p(text(label), "CellHeadRight" if right_from is not None
                       and index >= right_from else "CellHead")
                for index, label in enumerate(labels)]

    def light_cell(self, light: str | None, row: int, column: int, extra: list,
                   short: bool = True):
        """A cell in the light's colour with its word ('ohne' when there is no Sachstand)."""
        if light is None:
            return self.cell("–", "LightCell")
        extra.append(("BACKGROUND", (column, row), (column, row), styles.LIGHT_COLOURS[light]))
        word = "ohne" if light == "none" and short else LIGHT_WORDS[light]
        return self.cell(word, styles.LIGHT_CELL_STYLES[light])

    def department_title(self, code: str) -> str:
        name = self.report.department_names.get(code, code)
        return name if code in name else f"{code} {name}"

    # page decorations -------------------------------------------------------------------------
    def _on_other_page(self, canvas, doc):
        canvas.saveState()
        width, height = self.pagesize
        top = height - 14 * mm
        canvas.setFont(styles.FONT, 7.5)
        canvas.setFillColor(styles.MUTED)
        canvas.drawString(self.left_margin, top, f"{TITLE} · {self.report.quarter.label}")
        canvas.drawRightString(width - self.right_margin, top,
                               f"Stand {format_date(self.report.as_of)}")
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
            *self.explanations(),
        ]

    def title_page(self) -> list:
        r = self.report
        story = [
            Spacer(0, 38 * mm),
            self.p("Strategische Sozialplanung · Bericht an die Ausschüsse", "Kicker"),
            self.p(TITLE, "TitleMain"),
            self.p(r.quarter.label, "TitleQuarter"),
            self.p(f"Stand: {format_date(r.as_of)}", "TitleAsOf"),
            self.p("Herausgeber", "TitleLabel"),
            self.p(text(self.publisher), "TitleMeta"),
            self.p("Erstellt am", "TitleLabel"),
            self.p(format_date(self.made_on), "TitleMeta"),
        ]
        if self.made_on <= r.as_of:
            story.append(self.p(
                f"Vorläufig: Das {r.quarter.label} ist noch nicht abgeschlossen; der Bericht "
                f"zeigt den Stand vom {format_date(self.made_on)}.", "Notice"))
        if r.example:
            story.append(self.p(
                "Enthält Beispieldaten: Die mit [Beispiel] gekennzeichneten Empfehlungen, Texte "
                "und Werte sind zur Demonstration erfunden.", "Notice"))
        return story

    def contents(self) -> list:
        toc = TableOfContents(dotsMinLevel=0)
        toc.levelStyles = [self.stylesheet["TOC1"], self.stylesheet["TOC2"]]
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
            story.append(self.p(
                f"Zum Stichtag {format_date(r.as_of)} umfasst das Controlling "
                f"<b>{r.total}</b> Handlungsempfehlungen (Stichtag des Vorquartals "
                f"{format_date(r.previous.end)}: {sum(r.previous_totals.values())}). "
                f"Im {r.quarter.label} wurden {len(r.transitions)} Statusänderungen wirksam. "
                f"Von {approved} freigegebenen Empfehlungen haben {with_update} einen Sachstand "
                f"für das Quartal, davon mit roter Ampel: {len(r.red)}."))
        story.append(self.heading("Empfehlungen nach Status", 2))
        rows = [self.head_cells("Status", f"Vorquartal ({format_date(r.previous.end)})",
                                f"Stand {format_date(r.as_of)}", "Veränderung", right_from=1)]
        shown = statuses_shown(r.totals, r.previous_totals)
        for status in shown:
            rows.append([self.cell(STATUS_LABELS[status]),
                         self.cell(r.previous_totals[status], "CellRight"),
                         self.cell(r.totals[status], "CellRight"),
                         self.cell(signed(r.change[status]), "CellRight")])
        previous_total = sum(r.previous_totals.values())
        rows.append([self.cell("insgesamt", "CellBold"),
                     self.cell(previous_total, "CellRightBold"),
                     self.cell(r.total, "CellRightBold"),
                     self.cell(signed(r.total - previous_total), "CellRightBold")])
        story.append(self.table(rows, [None, 40, 40, 30], "figures"))
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
                         self.cell(r.lights[light], "CellRight")])
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
                              r.by_district)]
        story += [CondPageBreak(50 * mm), self.heading("Übersicht nach Bereich", 2)]
        if r.by_department:
            story.append(self.matrix(
                "Bereich", [(code, self.department_title(code)) for code in r.by_department],
                r.by_department))
        else:
            story.append(self.p("Zum Stichtag ist keinem Bereich eine Empfehlung zugeordnet."))
        return story

    def matrix(self, what: str, names: list[tuple[str, str]], counts: dict) -> Table:
        """Rows of status counts with a total column and a total row."""
        shown = statuses_shown(*counts.values())
        rows = [[self.p(what, "CellHead"),
                 *(self.p(MATRIX_HEADS[s], "CellHeadRight") for s in shown),
                 self.p("gesamt", "CellHeadRight")]]
        sums = dict.fromkeys(shown, 0)
        for key, label in names:
            figures = counts[key]
            rows.append([self.cell(label), *(self.cell(figures.get(s, 0), "CellRight")
                                             for s in shown),
                         self.cell(sum(figures.values()), "CellRightBold")])
            for status in shown:
                sums[status] += figures.get(status, 0)
        rows.append([self.cell("insgesamt", "CellBold"),
                     *(self.cell(sums[s], "CellRightBold") for s in shown),
                     self.cell(sum(sums.values()), "CellRightBold")])
        width = 22 if len(shown) == len(STATUS_ORDER) else 19
        return self.table(rows, [None, *([width] * len(shown)), 20], "figures")

    def records(self, lines, columns: tuple[str, str], note) -> list:
        """One recommendation after another: a row of facts, then its text as a paragraph
        that may run on over pages (never cut), then a rule. `columns` are the heads of the
        third and fifth column ('Bereich'/'Sozialraum', 'Ampel'/...); `note(line)` gives the
        paragraph's text or None."""
        widths = RECORD_WIDTHS if columns[0] == "Bereich" else [12, None, 28, 24, 18]
        head = self.table([self.head_cells("Nr.", "Titel", columns[0], "Status", columns[1])],
                          widths, "records-head", head=0)
        head.keepWithNext = 1
        story = [head]
        for position, line in enumerate(lines):
            extra: list = []
            third = line.department if columns[0] == "Bereich" else line.district
            facts = self.table([[self.cell(line.number, "CellBold"), self.cell(line.title),
                                 self.cell(third), self.cell(status_word(line.status)),
                                 self.light_cell(line.light, 0, 4, extra)]],
                               widths, "records-row", head=0, extra=extra)
            if position:  # the first one stays with the heading and the column heads
                story.append(CondPageBreak(RECORD_ROOM))
            text_ = note(line)
            story.append(facts)
            if text_:  # CondPageBreak above keeps its first lines with the facts
                story.append(self.p(text_, "RecordNote"))
            story.append(HRFlowable(width="100%", thickness=0.25, color=styles.RULE,
                                    spaceBefore=1, spaceAfter=0))
        return story

    def sachstand(self, line, quarter: str) -> str | None:
        """The text under a recommendation: how it ended, and its latest Sachstand."""
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
        return "<br/>".join(parts) or None

    def districts(self) -> list:
        r = self.report
        story = [self.heading("Empfehlungen nach Sozialraum"),
                 self.p(f"Je Sozialraum alle zum Stichtag {format_date(r.as_of)} bestehenden "
                        "Empfehlungen mit Bereich, Status, der Ampel für das "
                        f"{r.quarter.label} und dem letzten Sachstand.", "Small")]
        for name, counts in r.by_district.items():
            lines = [line for line in r.recommendations if line.district == name]
            story += [CondPageBreak(RECORD_ROOM + 20 * mm), self.heading(name, 2)]
            if not lines:
                story.append(self.p("Zum Stichtag keine Empfehlungen in diesem Sozialraum."))
                continue
            story.append(self.p(self.count_sentence(counts), "Lead"))
            story += self.records(lines, ("Bereich", "Ampel"),
                                  lambda line: self.sachstand(line, r.quarter.label))
        return story

    def count_sentence(self, counts: dict) -> str:
        total = sum(counts.values())
        parts = [f"{counts[s]} {STATUS_LABELS[s]}" for s in ALL_STATUSES if counts.get(s)]
        noun = "Empfehlung" if total == 1 else "Empfehlungen"
        return f"{total} {noun}: " + ", ".join(parts) + "."

    def departments(self) -> list:
        r = self.report
        story = [self.heading("Empfehlungen nach Bereich"),
                 self.p("Je zuständigem Bereich die Empfehlungen mit Sozialraum, Status und der "
                        f"Ampel für das {r.quarter.label}; die Sachstände stehen in Kapitel 2.",
                        "Small")]
        if not r.by_department:
            story.append(self.p("Zum Stichtag ist keinem Bereich eine Empfehlung zugeordnet."))
            return story
        for code, counts in r.by_department.items():
            lines = [line for line in r.recommendations if line.department == code]
            story += [self.heading(self.department_title(code), 2),
                      self.p(self.count_sentence(counts), "Lead")]
            rows = [self.head_cells("Nr.", "Titel", "Sozialraum", "Status", "Ampel")]
            extra: list = []
            for line in lines:
                rows.append([self.cell(line.number, "CellBold"), self.cell(line.title),
                             self.cell(line.district), self.cell(status_word(line.status)),
                             self.light_cell(line.light, len(rows), 4, extra)])
            story.append(self.table(rows, [12, None, 30, 26, 20], "grid", extra=extra))
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
        for t in r.transitions:
            remark = "<br/>".join(part for part in (text(t.note), text(evidence_text(
                t.evidence))) if part)
            rows.append([
                self.cell(format_date(t.effective_on)),
                self.p(f"<b>{t.number}</b> {text(t.title)}", "Cell"),
                self.p(f"{text(status_word(t.from_status))} → {text(status_word(t.to_status))}",
                       "Cell"),
                self.cell(actor_word(t.actor_role, t.actor_department)),
                self.p(remark or "–", "Cell"),
            ])
        story.append(self.table(rows, [21, None, 30, 28, 46], "grid", split_rows=True))
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
                                  lambda line: self.sachstand(line, r.quarter.label))
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

    def explanations(self) -> list:
        r = self.report
        return [
            CondPageBreak(60 * mm),
            self.heading("Erläuterungen"),
            self.p(f"<b>Stichtag.</b> Der Bericht zeigt den Stand am letzten Tag des Quartals "
                   f"({format_date(r.as_of)}), rekonstruiert aus dem Verlauf nach "
                   "Wirksamkeitsdatum. Spätere Änderungen verändern ihn nicht; ein Bericht über "
                   "ein vergangenes Quartal zeigt auch später genau diesen Stand."),
            self.p("<b>Status.</b> vorgeschlagen → statistisch gestützt (der Sozialraum steht "
                   "beim gewählten Indikator des Sozialberichts schlechter da als die Stadt) → "
                   "freigegeben (durch die zuständige Bereichsleitung) → umgesetzt; oder "
                   "abgelehnt. Verlängerungen und Verstetigungen können ohne statistische "
                   "Stützung freigegeben werden."),
            self.p("<b>Ampel.</b> Grün: Umsetzung im Plan; gelb: verzögert oder teilweise "
                   "umgesetzt; rot: wesentliche Teile nicht umgesetzt. Gezählt wird je "
                   "freigegebener Empfehlung der letzte Sachstand für das Berichtsquartal; "
                   "„ohne Sachstand“ heißt, dass für das Quartal keiner erfasst ist."),
            self.p("<b>Veränderung.</b> Unterschied zum Stand am letzten Tag des Vorquartals "
                   f"({format_date(r.previous.end)})."),
        ]


def render_quarterly_pdf(report, *, made_on: date, publisher: str | None = None
                         ) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages."""
    renderer = QuarterlyRenderer(report, made_on=made_on, publisher=publisher)
    pdf = renderer.render()
    return pdf, renderer.page_count


def statuses_shown(*counts: dict) -> tuple[str, ...]:
    """The five statuses, plus "superseded" when any of the counts has such a case."""
    if any(c.get("superseded") for c in counts):
        return ALL_STATUSES
    return STATUS_ORDER
