"""The strategy paper of a district (Strategiepapier), laid out from the plain data of
controlling.services.strategy_paper, in the house style of the quarterly report.

`PaperRenderer` carries that house style (numbered headings, tables, records, the header and
"Seite x von y") for these documents; it reuses the helpers of the quarterly renderer
rather than copying them. No queries here, no counting beyond what the page shows.
"""

from datetime import date

from controlling.reports import charts, styles
from controlling.reports.base import Renderer
from controlling.reports.glyphs import drawable
from controlling.reports.quarterly import (
    LIGHT_WORDS,
    QuarterlyRenderer,
    quarter_label,
    short_quarter,
    status_with_successor,
    text,
)
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer
from reportlab.platypus.flowables import HRFlowable

from controlling.domain.awareness import QUESTION_LABELS
from controlling.domain.formatting import (
    decimals_needed,
    format_date,
    format_fixed,
    format_number,
)
from controlling.domain.reference import CITYWIDE, PUBLISHER
from controlling.domain.vocabulary import KIND_LABELS, STATUS_LABELS, Kind
from controlling.services.strategy_paper import STATUSES

TITLE = "Strategiepapier Sozialraum"
EXAMPLE = "[Beispiel]"
ASSESSMENT_WORDS = {"worse": "schlechter als stadtweit", "better": "besser als stadtweit",
                    "equal": "wie stadtweit", None: "–"}
NO_INDEX = ("Für die Sozialquartiere ist noch kein Sozialindex berechnet (berechnen mit "
            "„controlling index compute“).")
INDEX_CLASSES = ("<b>Sozialindex.</b> Status- und Dynamikindex sind Mittelwerte der z-Werte "
                 "der gewählten Indikatoren über alle Sozialquartiere der Stadt (Durchschnitt "
                 "0), die Klassen stehen für Abstände in Standardabweichungen: Status hoch, "
                 "mittel, niedrig, sehr niedrig (niedrig heißt: hier ballen sich "
                 "Armutsrisiken); Dynamik positiv, stabil, negativ (negativ: die Anteile sind "
                 "stärker gewachsen als im Mittel).")
RECORD_ROOM = 30 * mm  # a record starts on a new page unless this much is left


# ---- German numbers ---------------------------------------------------------------------------
def number(value, digits: int | None = None) -> str:
    """23.9 -> '23,9'; None -> '–'; with `digits` exactly that many decimals (one number of
    decimals per column: decimals_needed)."""
    if value is None:
        return "–"
    return format_number(value) if digits is None else format_fixed(value, digits)


def signed_number(value, digits: int | None = None) -> str:
    """+6,8 / −0,4 (minus sign) / 0; None -> '–'; `digits` as for number()."""
    if value is None:
        return "–"
    if value > 0:
        return f"+{number(value, digits)}"
    if value < 0:
        return f"−{number(-value, digits)}"
    return number(0, digits) if digits else "0"


def percent(share: float | None) -> str:
    """0.4286 -> '42,9 %', 0.25 -> '25,0 %' (always one decimal); None -> '–'."""
    return "–" if share is None else f"{format_fixed(share * 100, 1)} %"


def axis_number(value: float) -> str:
    return format_number(value, 2)


def direction(higher_is_worse: bool) -> str:
    return "höher ist schlechter" if higher_is_worse else "niedriger ist schlechter"


def kind_word(kind: str) -> str:
    return KIND_LABELS[Kind(kind)]


def example_title(title: str, example: bool) -> str:
    """A title of example data, marked as such (once)."""
    return f"{EXAMPLE} {title}" if example and EXAMPLE not in title else title


def ends_word(entry: dict) -> str:
    if not entry["ends_on"]:
        return "unbefristet"
    day = format_date(date.fromisoformat(entry["ends_on"]))
    return f"{day} (abgelaufen)" if entry["expired"] else day


class PaperRenderer(QuarterlyRenderer):
    """The house style of the quarterly report for the strategy paper and the city report."""

    header_title = ""

    def __init__(self, data: dict, *, made_on: date, publisher: str | None = None):
        Renderer.__init__(self)
        self.data = data
        self.as_of = date.fromisoformat(data["as_of"])
        self.made_on = made_on
        self.publisher = (publisher or "").strip() or PUBLISHER
        self.author = self.publisher
        self.subject = f"Stand {format_date(self.as_of)}"
        self._numbers = [0, 0]

    def _get_stylesheet(self):
        return styles.paper_stylesheet()

    def department_title(self, code: str) -> str:
        name = self.data["departments"].get(code, code)
        return name if code in name else f"{code} {name}"

    def _on_other_page(self, canvas, doc):
        canvas.saveState()
        width, height = self.pagesize
        top = height - 14 * mm
        canvas.setFont(styles.FONT, 7.5)
        canvas.setFillColor(styles.MUTED)
        canvas.drawString(self.left_margin, top, self.header_title)
        canvas.drawRightString(width - self.right_margin, top,
                               f"Stand {format_date(self.as_of)}")
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.left_margin, top - 2.5 * mm, width - self.right_margin, top - 2.5 * mm)
        canvas.restoreState()

    # shared pieces ------------------------------------------------------------------------------
    def title_block(self, kicker: str, title: str, subtitle: str) -> list:
        story = [
            Spacer(0, 38 * mm),
            self.p(text(kicker), "Kicker"),
            self.p(text(title), "TitleMain"),
            self.p(text(subtitle), "TitleQuarter"),
            self.p(f"Stand: {format_date(self.as_of)}", "TitleAsOf"),
            self.p("Herausgeberin", "TitleLabel"),
            self.p(text(self.publisher), "TitleMeta"),
            self.p("Erstellt am", "TitleLabel"),
            self.p(format_date(self.made_on), "TitleMeta"),
        ]
        if self.data["example"]:
            story.append(self.p(
                "Enthält Beispieldaten: Die mit [Beispiel] gekennzeichneten Empfehlungen, "
                "Maßnahmen, Texte und Werte sind zur Demonstration erfunden.", "Notice"))
        return story

    def rule(self) -> HRFlowable:
        return HRFlowable(width="100%", thickness=0.25, color=styles.RULE, spaceBefore=1,
                          spaceAfter=0)

    def record_list(self, heads: list[str], widths: list, rows: list, caption: str = ""
                    ) -> list:
        """Records one after another: a row of facts, then its text as a paragraph that may
        run on over pages (never cut), then a rule. `rows` are (cells, extra, note). A page
        that begins inside starts with "caption (Fortsetzung)" and the column heads."""
        def make_heads():
            return self.table([self.head_cells(*heads)], widths, "records-head", head=0)

        head = make_heads()
        head.keepWithNext = 1
        story = [head]
        for position, (cells, extra, note) in enumerate(rows):
            if position:  # the first one stays with the heading and the column heads
                story.append(CondPageBreak(RECORD_ROOM))
            story.append(self.table([cells], widths, "records-row", head=0, extra=extra,
                                    split_rows=True))
            if note:
                story.append(self.p(note, "RecordNote"))
            story.append(self.rule())
        return self.continued(caption, story, make_heads) if caption else story

    def status_sentence(self, counts: dict) -> str:
        total = sum(counts.values())
        parts = [f"{counts[s]} {STATUS_LABELS[s]}" for s in STATUSES if counts.get(s)]
        noun = "Empfehlung" if total == 1 else "Empfehlungen"
        return f"{total} {noun}" + (": " + ", ".join(parts) if parts else "") + "."

    def light_of(self, rec: dict) -> str | None:
        """The light of an approved recommendation for the reference quarter (the service
        applies the quarterly report's rule: 'none' without a current Sachstand)."""
        if rec["status"] != "approved":
            return None
        return rec["light"]

    def light_quarter(self) -> str:
        """'3. Quartal 2026': the quarter whose Sachstand is current (light_quarter)."""
        return quarter_label(self.data["light_quarter"])

    def aged_light_cell(self, rec: dict, row: int, column: int, extra: list):
        """The light cell; an older Sachstand's light with its quarter and "älter" in a
        white cell, so it is never read as the quarter's light."""
        progress = rec["latest_progress"]
        if rec["status"] == "approved" and rec.get("progress_age") == "older":
            extra.append(("BOX", (column, row), (column, row), 0.6, styles.MUTED))
            return self.p(f"{LIGHT_WORDS[progress['light']]}<br/>"
                          f"({short_quarter(progress['quarter'])}, älter)", "LightCellOlder")
        return self.light_cell(self.light_of(rec), row, column, extra)

    def awareness_table(self, offers: list[dict], with_events: bool) -> list:
        """Offers with their dots (least known first), and a chart of green and red dots."""
        heads = ["Nr.", "Angebot", "Bereich"] + (["Abfragen"] if with_events else []) + [
            "ja", "nein", "bekannt"]
        rows = [self.head_cells(*heads, right_from=3)]
        for offer in offers:
            rows.append([
                self.cell(offer["measure_id"], "CellBold"), self.cell(offer["measure"]),
                self.cell(offer["department"]),
                *([self.cell(offer["events"], "CellRight")] if with_events else []),
                self.cell(offer["known_yes"], "CellRight"),
                self.cell(offer["known_no"], "CellRight"),
                self.cell(percent(offer["share_known"]), "CellRightBold"),
            ])
        widths = [12, None, 17] + ([20] if with_events else []) + [14, 14, 20]
        story = self.continued("Bekanntheit der Angebote", [
            self.table(rows, widths, "grid", split_rows=True)])
        shown = offers[:15]
        if shown:
            chart = charts.stacked_bars(
                [f"Nr. {offer['measure_id']}" for offer in shown],
                [("kenne ich (grün)", styles.KNOWN_COLOURS["yes"],
                  [offer["known_yes"] for offer in shown]),
                 ("kenne ich nicht (rot)", styles.KNOWN_COLOURS["no"],
                  [offer["known_no"] for offer in shown])],
                self.frame_width, label_width=60)
            more = f" (die {len(shown)} am wenigsten bekannten)" if len(offers) > len(shown) else ""
            story += [Spacer(0, 3 * mm), charts.caption(
                chart, f"Grüne und rote Punkte je Angebot{more}, Nummern wie in der Tabelle")]
        return story

    # the Sozialindex of the Sozialquartiere, shared with the city report -----------
    def index_lead(self, index: dict) -> str:
        """Which computation the classes come from: number, method, years, indicators."""
        dynamics = (f"Dynamik {index['base_year']}–{index['year']}"
                    if index["base_year"] is not None else "ohne Dynamikindex")
        indicators = "; ".join(
            f"{text(i['label'])} ({text(i['code'])}, {direction(i['higher_is_worse'])})"
            for i in index["indicators"])
        return (f"Sozialindex-Berechnung Nr. {index['computation']} · Methode "
                f"{text(index['method'])} · Jahr {index['year']} · {dynamics} · "
                f"{index['areas_total']} Sozialquartiere in der Stadt · Indikatoren: "
                f"{indicators}")

    def index_table(self, areas: list[dict], caption: str, with_district: bool) -> list:
        """The areas by rank with status and dynamics index and class; runs on over pages
        with "caption (Fortsetzung)" and the repeated column heads."""
        heads = [("Rang", "CellHead"), ("Sozialquartier", "CellHead")]
        heads += [("Sozialraum", "CellHead")] if with_district else []
        heads += [("Statusindex", "CellHeadRight"), ("Status", "CellHead"),
                  ("Dynamikindex", "CellHeadRight"), ("Dynamik", "CellHead")]
        rows = [[self.p(label, style) for label, style in heads]]
        for area in areas:
            rows.append([
                self.cell(f"{area['rank']}.", "CellBold"), self.cell(area["area"]),
                *([self.cell(area["district"])] if with_district else []),
                self.cell(signed_number(area["status_index"], 2), "CellRight"),
                self.cell(area["status_label"]),
                self.cell(signed_number(area["dynamics_index"], 2), "CellRight"),
                self.cell(area["dynamics_label"] or "–")])
        widths = [12, None] + ([34] if with_district else []) + [25, 21, 27, 19]
        story = self.continued(caption, [self.table(rows, widths, "grid", split_rows=True)])
        # a start mark kept with the table would make reportlab move a table taller than the
        # rest of the page to the next one as a whole, leaving the heading alone on this one
        story[0].keepWithNext = 0
        return story

    def index_charts(self, areas: list[dict], caption: str) -> list:
        """Ranked bars of the status index, at most charts.INDEX_BARS_PER_CHART a chart, all
        on one scale."""
        scale = charts.index_scale([a["status_index"] for a in areas])
        size = charts.INDEX_BARS_PER_CHART
        parts = [areas[i:i + size] for i in range(0, len(areas), size)]
        story = []
        for number_, part in enumerate(parts, start=1):
            chart = charts.index_bars(
                [drawable(f"{a['rank']}. {a['area']}") for a in part],
                [a["status_index"] for a in part],
                [f"{signed_number(a['status_index'], 2)} {a['status_label']}" for a in part],
                self.frame_width, scale, lambda v: signed_number(v, 1))
            more = f" (Teil {number_} von {len(parts)})" if len(parts) > 1 else ""
            story += [Spacer(0, 2 * mm), charts.caption(chart, caption + more)]
        return story

    def departments_legend(self) -> list:
        rows = [self.head_cells("Kürzel", "Bereich")]
        for code, name in self.data["departments"].items():
            rows.append([self.cell(code, "CellBold"), self.cell(name)])
        if len(rows) == 1:
            return []
        return [KeepTogether([self.p("<b>Bereiche.</b> Die Kürzel der Bereiche in diesem "
                                     "Bericht:"), self.table(rows, [18, None], "grid")])]


class StrategyPaperRenderer(PaperRenderer):
    """Title page, contents, overview, district analysis, measures, recommendations,
    awareness of offers, explanations."""

    def __init__(self, data: dict, *, made_on: date, publisher: str | None = None):
        super().__init__(data, made_on=made_on, publisher=publisher)
        self.district = data["district"]
        self.title = f"{TITLE} {self.district}"
        self.header_title = f"{TITLE} {self.district}"

    def _get_story(self, doc):
        self._numbers = [0, 0]
        return [
            *self.title_block("Strategische Sozialplanung · Strategiepapier",
                              f"{TITLE} {self.district}",
                              "Sozialraumanalyse, Maßnahmen und Handlungsempfehlungen"),
            PageBreak(),
            *self.contents(), PageBreak(),
            *self.overview(), CondPageBreak(120 * mm),
            *self.analysis(), PageBreak(),
            *self.measures(), PageBreak(),
            *self.recommendations(), PageBreak(),
            *self.awareness(),
            *self.explanations(),
        ]

    # 1 overview ---------------------------------------------------------------------------------
    def overview(self) -> list:
        d = self.data
        story = [self.heading("Überblick"),
                 self.p(f"Dieses Strategiepapier fasst für den Sozialraum <b>{text(self.district)}"
                        "</b> zusammen, was die strategische Sozialplanung über ihn weiß: die "
                        "Daten des Sozialberichts im Vergleich zur Stadt, die bestehenden "
                        "Angebote (Maßnahmensteckbriefe), die Handlungsempfehlungen mit ihrem "
                        "Umsetzungsstand und die Bekanntheit der Angebote aus den "
                        "Expert*innendialogen.")]
        compared = [i for i in d["indicators"] if i["latest"]]
        worse = [i for i in compared if i["latest"]["assessment"] == "worse"]
        if compared:
            names = ", ".join(f"{text(i['label'])} ({i['latest']['year']})" for i in worse)
            story.append(self.p(
                f"<b>Sozialraumanalyse.</b> Bei {len(worse)} von {len(compared)} Indikatoren "
                f"steht {text(self.district)} im letzten Vergleichsjahr schlechter da als die "
                "Stadt insgesamt" + (f": {names}." if worse else ".")))
        else:
            story.append(self.p("<b>Sozialraumanalyse.</b> Es liegen keine Indikatorwerte für "
                                "einen Vergleich mit der Stadt vor."))
        own, city = d["measures"]["district"], d["measures"]["citywide"]
        limited = sum(1 for m in own + city if m["ends_on"])
        story.append(self.p(
            f"<b>Maßnahmen.</b> {len(own)} Maßnahmen im Sozialraum und {len(city)} stadtweite "
            f"Maßnahmen; davon befristet: {limited}."))
        story.append(self.p(
            f"<b>Handlungsempfehlungen.</b> {self.status_sentence(d['totals'])} Dazu kommen "
            f"{len(d['citywide_recommendations'])} stadtweite Empfehlungen."))
        if d["awareness"]:
            first = d["awareness"][0]
            story.append(self.p(
                f"<b>Bekanntheit.</b> In den World Cafés im Sozialraum wurde nach "
                f"{len(d['awareness'])} Angeboten gefragt; am wenigsten bekannt war "
                f"„{text(first['measure'])}“ ({percent(first['share_known'])} kannten es)."))
        return story

    # 2 district analysis ------------------------------------------------------------------------
    def analysis(self) -> list:
        story = [self.heading("Sozialraumanalyse"),
                 self.p(f"Je Indikator des Sozialberichts die Werte von {text(self.district)} und "
                        "der Stadt insgesamt (stadtweit) über die Jahre. Abstand: Wert des "
                        "Sozialraums minus Wert der Stadt. Bei jedem Indikator steht, ob ein "
                        "höherer oder ein niedrigerer Wert die schlechtere Lage bedeutet.",
                        "Small")]
        if not self.data["indicators"]:
            story.append(self.p("Es sind noch keine Indikatoren eingelesen (controlling import "
                                "indicators)."))
        for indicator in self.data["indicators"]:
            story.append(KeepTogether(self.indicator(indicator)))  # heading, chart and table
        return story + self.quarters_index()

    def quarters_index(self) -> list:
        """The district's Sozialquartiere in the newest Sozialindex: table and bars."""
        index = self.data.get("sozialindex")
        story = [CondPageBreak(60 * mm), self.heading("Sozialindex der Sozialquartiere", 2)]
        if index is None:
            return story + [self.p(NO_INDEX)]
        story.append(self.p(self.index_lead(index), "Lead"))
        areas = index["areas"]
        if not areas:
            return story + [self.p(f"In dieser Berechnung liegt kein Sozialquartier im "
                                   f"Sozialraum {text(self.district)}.")]
        story.append(self.p(
            f"Die Sozialquartiere von {text(self.district)} mit Statusindex (wo sich "
            "Armutsrisiken heute ballen) und Dynamikindex (wo ihre Anteile stärker als im "
            "Mittel gewachsen sind), je mit ihrer Klasse; Rang in der Stadt (1 = die meisten "
            "Armutsrisiken), der Durchschnitt der Stadt liegt bei 0.", "Small"))
        caption = f"Sozialquartiere in {self.district}"
        return story + self.index_table(areas, caption, False) + self.index_charts(
            areas, f"Statusindex {index['year']} der Sozialquartiere in {drawable(self.district)}"
                   ", Rang 1 oben; 0 = Durchschnitt der Stadt")

    def indicator(self, indicator: dict) -> list:
        hiw = indicator["higher_is_worse"]
        meaning = ("ein höherer Wert bedeutet eine schlechtere Lage" if hiw
                   else "ein niedrigerer Wert bedeutet eine schlechtere Lage")
        story = [self.heading(indicator["label"], 2),
                 self.p(f"Indikator {text(indicator['code'])} · {direction(hiw)}: {meaning}.",
                        "Lead")]
        latest = indicator["latest"]
        if latest:
            story.append(self.p(
                f"{latest['year']}: {text(self.district)} {number(latest['district'])} "
                f"gegenüber stadtweit {number(latest['citywide'])}, Abstand "
                f"{signed_number(latest['difference'])}: "
                f"{ASSESSMENT_WORDS[latest['assessment']]}.", "Assessment"))
        years = indicator["years"]
        if not years:
            story.append(self.p("Für diesen Indikator liegen weder Werte des Sozialraums noch "
                                "der Stadt vor."))
            return story
        if all(entry["district"] is None for entry in years):
            story.append(self.p(f"Für {text(self.district)} liegen keine Werte vor."))
        chart = charts.indicator_chart(
            [entry["year"] for entry in years],
            [(self.district, [entry["district"] for entry in years]),
             (CITYWIDE, [entry["citywide"] for entry in years])],
            self.frame_width, axis_number)
        rows = [self.head_cells("Jahr", self.district, CITYWIDE, "Abstand", "Einordnung",
                                right_from=1)]
        own, city, apart = (decimals_needed(entry[key] for entry in years)
                            for key in ("district", "citywide", "difference"))
        for entry in years:
            rows.append([self.cell(entry["year"]),
                         self.cell(number(entry["district"], own), "CellRight"),
                         self.cell(number(entry["citywide"], city), "CellRight"),
                         self.cell(signed_number(entry["difference"], apart), "CellRight"),
                         self.cell(ASSESSMENT_WORDS[entry["assessment"]], "CellRight")])
        table = self.table(rows, [16, 34, 28, 24, None], "grid")
        caption = f"{text(indicator['label'])}: {self.district} und stadtweit"
        return story + [charts.caption(chart, caption), Spacer(0, 2 * mm), table]

    # 3 measures ---------------------------------------------------------------------------------
    def measures(self) -> list:
        own, city = (self.data["measures"]["district"], self.data["measures"]["citywide"])
        story = [self.heading("Bestand an Maßnahmen"),
                 self.p("Die Maßnahmensteckbriefe der Angebote, die dem Sozialraum dienen: die "
                        "eigenen (auch wenn sie weitere Sozialräume einschließen) und die "
                        "stadtweiten (für „stadtweit“ oder für keinen bestimmten Sozialraum "
                        "erfasst), im aktuellen Stand, nach Titel.", "Small")]
        for title, entries, empty in (
                (f"Maßnahmen im Sozialraum {self.district}", own,
                 "Für den Sozialraum sind keine eigenen Maßnahmen erfasst."),
                ("Stadtweite Maßnahmen", city, "Es sind keine stadtweiten Maßnahmen erfasst.")):
            story += [CondPageBreak(RECORD_ROOM + 20 * mm), self.heading(title, 2)]
            if not entries:
                story.append(self.p(empty))
                continue
            limited = sum(1 for m in entries if m["ends_on"])
            story.append(self.p(f"{len(entries)} Maßnahmen, davon befristet: {limited}.", "Lead"))
            story += self.record_list(
                ["Nr.", "Maßnahme", "Bereich", "befristet bis"], [12, None, 17, 34],
                [([self.cell(m["id"], "CellBold"),
                   self.cell(example_title(m["title"], m["example"])),
                   self.cell(m["department"]), self.cell(ends_word(m))], None,
                  self.measure_note(m)) for m in entries], title)
        return story

    def measure_note(self, m: dict) -> str:
        facts = []
        if len(m["districts"]) > 1:  # shared with other districts
            facts.append(f"Sozialräume: {text(', '.join(m['districts']))}")
        for label, key in (("Thema", "topic"), ("Zielgruppe", "target_group"),
                           ("Ort/Einrichtung", "place")):
            if m[key]:
                facts.append(f"{label}: {text(m[key])}")
        if m["recommendations"]:
            facts.append("Empfehlungen: Nr. " + ", ".join(map(str, m["recommendations"])))
        parts = [" · ".join(facts)] if facts else []
        parts.append("<b>Umsetzungsstand:</b> " + (text(m["implementation_status"])
                                                    if m["implementation_status"]
                                                    else "<i>nicht angegeben</i>"))
        if m["description"]:
            parts.append(text(m["description"]))
        return "<br/>".join(parts)

    # 4 recommendations --------------------------------------------------------------------------
    def recommendations(self) -> list:
        d = self.data
        story = [self.heading("Handlungsempfehlungen"),
                 self.p(f"Die Empfehlungen für {text(self.district)} und die stadtweiten "
                        f"Empfehlungen mit Art, Bereich und Status am {format_date(self.as_of)} "
                        "(nach Wirksamkeitsdatum) und dem letzten Sachstand mit seiner Ampel. "
                        f"Aktuell ist der Sachstand für das {self.light_quarter()}, das letzte "
                        "abgeschlossene Quartal (wie im Quartalsbericht); ein älterer steht mit "
                        "seinem Quartal und „älter“ in einem weißen Feld.", "Small")]
        measures = {m["id"]: m for m in d["measures"]["district"] + d["measures"]["citywide"]}
        for title, entries, counts, empty in (
                (f"Empfehlungen für {self.district}", d["recommendations"], d["totals"],
                 "Für den Sozialraum sind keine Empfehlungen erfasst."),
                ("Stadtweite Empfehlungen", d["citywide_recommendations"],
                 d["citywide_totals"], "Es sind keine stadtweiten Empfehlungen erfasst.")):
            story += [CondPageBreak(RECORD_ROOM + 20 * mm), self.heading(title, 2)]
            if not entries:
                story.append(self.p(empty))
                continue
            story.append(self.p(self.status_sentence(counts), "Lead"))
            rows = []
            for rec in entries:
                extra: list = []
                rows.append(([self.cell(rec["number"], "CellBold"), self.cell(rec["title"]),
                              self.cell(rec["department"]), self.cell(kind_word(rec["kind"])),
                              self.cell(status_with_successor(rec["status"],
                                                              rec["superseded_by"])),
                              self.aged_light_cell(rec, 0, 5, extra)],
                             extra, self.recommendation_note(rec, measures)))
            story += self.record_list(["Nr.", "Titel", "Bereich", "Art", "Status", "Ampel"],
                                      [12, None, 17, 24, 26, 22], rows, title)
        return story

    def recommendation_note(self, rec: dict, measures: dict) -> str:
        parts = []
        if rec["topic"]:
            parts.append(f"Thema: {text(rec['topic'])}")
        if rec["description"]:
            parts.append(text(rec["description"]))
        created = format_date(date.fromisoformat(rec["created_on"]))
        status = f"<b>Status:</b> vorgeschlagen am {created}"
        if rec["status"] != "proposed" or rec["status_on"] != rec["created_on"]:
            status += (f"; {STATUS_LABELS[rec['status']]} seit "
                       f"{format_date(date.fromisoformat(rec['status_on']))}")
        if rec["status_note"]:
            status += f": {text(rec['status_note'])}"
        if rec["superseded_by"]:
            status += f" – weiter verfolgt als Empfehlung Nr. {rec['superseded_by']}"
        parts.append(status)
        progress = rec["latest_progress"]
        if progress:
            older = rec.get("progress_age") == "older"
            age = (f"; älter: für das {self.light_quarter()} liegt keiner vor" if older
                   else "")
            parts.append(
                f"<b>{'Letzter Sachstand' if older else 'Sachstand'}</b> "
                f"({quarter_label(progress['quarter'])}, wirksam "
                f"{format_date(date.fromisoformat(progress['effective_on']))}, Ampel "
                f"{LIGHT_WORDS[progress['light']]}{age}): {text(progress['note'])}")
        elif rec["status"] == "approved":
            parts.append("<i>Noch kein Sachstand erfasst.</i>")
        if rec["measures"]:
            parts.append("Maßnahmen: " + "; ".join(
                f"Nr. {mid} {text(measures[mid]['title'])}" if mid in measures else f"Nr. {mid}"
                for mid in rec["measures"]))
        return "<br/>".join(parts)

    # 5 awareness --------------------------------------------------------------------------------
    def awareness(self) -> list:
        offers = self.data["awareness"]
        story = [self.heading("Bekanntheit der Angebote"),
                 self.p("Aus den World Cafés der Expert*innendialoge im Sozialraum: zu jedem "
                        "vorgestellten Angebot klebten die Teilnehmenden einen grünen Punkt "
                        "(„Kennen Sie das Angebot?“ – ja) oder einen roten (nein) und schrieben "
                        "Karten zu „Wie kann das Angebot bekannter gemacht werden?“ und „Woher "
                        "kennen Sie uns?“. Bekannt: Anteil der grünen an allen Punkten. Die "
                        "am wenigsten bekannten Angebote stehen oben.", "Small")]
        if not offers:
            story.append(self.p("Für diesen Sozialraum sind keine Abfragen zur Bekanntheit von "
                                "Angeboten erfasst."))
            return story
        story += [self.heading("Übersicht", 2), *self.awareness_table(offers, False)]

        story += [CondPageBreak(50 * mm), self.heading("Verlauf über die Veranstaltungen", 2)]
        rows = [self.head_cells("Angebot", "Veranstaltung", "Datum", "ja", "nein", "bekannt",
                                right_from=3)]
        for offer in offers:
            for index, event in enumerate(offer["events"]):
                rows.append([
                    self.p(f"<b>{offer['measure_id']}</b> {text(offer['measure'])}", "Cell")
                    if index == 0 else self.cell(""),
                    self.cell(event["event"]),
                    self.cell(format_date(date.fromisoformat(event["held_on"]))),
                    self.cell(event["known_yes"], "CellRight"),
                    self.cell(event["known_no"], "CellRight"),
                    self.cell(percent(event["share_known"]), "CellRight")])
        story += self.continued("Verlauf über die Veranstaltungen", [
            self.table(rows, [None, 52, 20, 12, 12, 18], "grid", split_rows=True)])

        with_ideas = [offer for offer in offers if offer["ideas"]]
        story += [CondPageBreak(40 * mm), self.heading("Ideen aus den Kartenabfragen", 2)]
        if not with_ideas:
            story.append(self.p("Zu den Angeboten sind keine Karten erfasst."))
        for offer in with_ideas:
            story.append(self.p(f"{offer['measure_id']} {text(offer['measure'])}", "Heading3"))
            for question, label in QUESTION_LABELS.items():
                ideas = [idea for idea in offer["ideas"] if idea["question"] == question.value]
                if not ideas:
                    continue
                story.append(self.p(label, "Question"))
                story += [self.p(f"<bullet>•</bullet>{text(idea['text'])} "
                                 f"<font color='#5F6368'>({text(idea['event'])})</font>",
                                 "ListItem")
                          for idea in ideas]
        return story

    # 6 explanations -----------------------------------------------------------------------------
    def explanations(self) -> list:
        return [
            CondPageBreak(60 * mm),
            self.heading("Erläuterungen"),
            self.p(f"<b>Stand.</b> Status und Sachstände der Empfehlungen zeigen den Stand am "
                   f"{format_date(self.as_of)}, rekonstruiert aus dem Verlauf nach "
                   "Wirksamkeitsdatum; die Maßnahmensteckbriefe zeigen ihren aktuellen Inhalt."),
            self.p("<b>Indikatoren.</b> Werte des Sozialberichts mit Sozialindex. Bei „höher ist "
                   "schlechter“ steht ein Sozialraum mit einem höheren Wert als die Stadt "
                   "schlechter da, bei „niedriger ist schlechter“ mit einem niedrigeren. Eine "
                   "neue Empfehlung gilt als statistisch gestützt, wenn der Sozialraum beim "
                   "gewählten Indikator schlechter dasteht als die Stadt."),
            self.p(INDEX_CLASSES),
            self.p("<b>Status.</b> vorgeschlagen → statistisch gestützt → freigegeben (durch "
                   "die zuständige Bereichsleitung) → umgesetzt; oder abgelehnt, oder ersetzt "
                   "durch eine neuere Empfehlung. Verlängerungen und Verstetigungen befristeter "
                   "Angebote können ohne statistische Stützung freigegeben werden."),
            self.p("<b>Ampel.</b> Bei freigegebenen Empfehlungen die Ampel des Sachstands für "
                   f"das {self.light_quarter()}, das letzte am Stichtag abgeschlossene Quartal, "
                   "nach derselben Regel wie im Quartalsbericht: grün im Plan, gelb verzögert "
                   "oder teilweise umgesetzt, rot wesentliche Teile nicht umgesetzt; „ohne“: für "
                   "das Quartal kein Sachstand. Ist der letzte Sachstand aus einem früheren "
                   "Quartal, steht seine Ampel mit diesem Quartal und „älter“ daneben, z. B. "
                   "„grün (Q1/2025, älter)“."),
            *self.departments_legend(),
        ]


def render_strategy_paper_pdf(data: dict, *, made_on: date, publisher: str | None = None
                              ) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages."""
    renderer = StrategyPaperRenderer(data, made_on=made_on, publisher=publisher)
    pdf = renderer.render()
    return pdf, renderer.page_count
