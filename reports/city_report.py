"""The city-wide view for the Sozialkonferenz, laid out from the plain data of
controlling.services.city_report in the house style of the quarterly report (PaperRenderer).
No queries here, no counting beyond what the page shows."""

from datetime import date

from controlling.reports import charts, styles
from controlling.reports.quarterly import LIGHT_WORDS, MATRIX_HEADS, quarter_label, text
from controlling.reports.strategy_paper import (
    ASSESSMENT_WORDS,
    INDEX_CLASSES,
    NO_INDEX,
    PaperRenderer,
    axis_number,
    direction,
    number,
    signed_number,
)
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from controlling.domain.formatting import decimals_needed, format_date
from controlling.domain.reference import CITYWIDE
from controlling.domain.vocabulary import STATUS_LABELS
from controlling.services.strategy_paper import STATUSES

TITLE = "Stadtweiter Überblick für die Sozialkonferenz"
LIGHT_ORDER = ("green", "yellow", "red", "none")
HEADS = {**MATRIX_HEADS, "implemented": "umge-<br/>setzt", "rejected": "abge-<br/>lehnt",
         "superseded": "ersetzt"}  # column heads of the status table, broken to fit 20.6 mm
LEAST_KNOWN_SHOWN = 15  # offers in the chart


class CityReportRenderer(PaperRenderer):
    """Title page, contents, status per district, lights per district, the districts ranked
    by each indicator, the Sozialquartiere ranked by the Sozialindex, the least-known offers,
    explanations."""

    title = TITLE
    header_title = "Sozialkonferenz · Stadtweiter Überblick"

    def _get_story(self, doc):
        self._numbers = [0, 0]
        return [
            *self.title_block("Strategische Sozialplanung · Sozialkonferenz",
                              "Stadtweiter Überblick", "Alle Sozialräume im Vergleich"),
            PageBreak(),
            *self.contents(), PageBreak(),
            *self.statuses(), PageBreak(),
            *self.lights(), PageBreak(),
            *self.rankings(), PageBreak(),
            *self.quarters_index(), PageBreak(),
            *self.least_known(),
            *self.explanations(),
        ]

    # 1 recommendations per status ---------------------------------------------------------------
    def statuses(self) -> list:
        d = self.data
        story = [self.heading("Empfehlungen nach Sozialraum und Status"),
                 self.p(f"Alle Handlungsempfehlungen mit ihrem Status am "
                        f"{format_date(self.as_of)} (nach Wirksamkeitsdatum), je Sozialraum; "
                        "stadtweite Empfehlungen in der letzten Zeile.", "Small")]
        if not d["total"]:
            story.append(self.p("Es sind noch keine Handlungsempfehlungen erfasst.", "Notice"))
        rows = [[self.p("Sozialraum", "CellHead"),
                 *(self.p(HEADS.get(s, STATUS_LABELS[s]), "CellHeadRight") for s in STATUSES),
                 self.p("gesamt", "CellHeadRight")]]
        for name in d["districts"]:
            counts = d["by_district"][name]
            rows.append([self.cell(name), *(self.cell(counts[s], "CellRight") for s in STATUSES),
                         self.cell(sum(counts.values()), "CellRightBold")])
        rows.append([self.cell("insgesamt", "CellBold"),
                     *(self.cell(d["totals"][s], "CellRightBold") for s in STATUSES),
                     self.cell(d["total"], "CellRightBold")])
        story.append(self.table(rows, [None, *([20.6] * len(STATUSES)), 16], "figures"))
        if d["total"]:
            drawings = charts.stacked_bar_charts(
                d["districts"],
                [(STATUS_LABELS[s], styles.STATUS_COLOURS[s],
                  [d["by_district"][name][s] for name in d["districts"]]) for s in STATUSES],
                self.frame_width)
            for chart in charts.part_captions(
                    drawings, "Abbildung 1: Empfehlungen je Sozialraum nach Status"):
                story += [Spacer(0, 4 * mm), chart]
        return story

    # 2 lights per district ----------------------------------------------------------------------
    def lights(self) -> list:
        d = self.data
        quarter = quarter_label(d["light_quarter"])
        story = [self.heading("Ampeln je Sozialraum"),
                 self.p("Je freigegebener Empfehlung die Ampel ihres Sachstands für das "
                        f"{quarter}, das letzte am Stichtag abgeschlossene Quartal (dieselbe "
                        "Regel wie im Quartalsbericht). „ohne Sachstand“: keiner für dieses "
                        "Quartal; „davon älter“: von diesen die mit einem Sachstand aus einem "
                        "früheren Quartal, dessen Ampel hier nicht mitzählt.", "Small")]
        rows = [self.head_cells("Sozialraum", *(LIGHT_WORDS[k] for k in LIGHT_ORDER[:3]),
                                LIGHT_WORDS["none"], "davon älter", "freigegeben",
                                right_from=1)]
        older = d["older_progress"]
        for name in d["districts"]:
            counts = d["lights"][name]
            rows.append([self.cell(name),
                         *(self.cell(counts[k], "CellRight") for k in LIGHT_ORDER),
                         self.cell(older.get(name, 0), "CellRight"),
                         self.cell(sum(counts.values()), "CellRightBold")])
        rows.append([self.cell("insgesamt", "CellBold"),
                     *(self.cell(d["light_totals"][k], "CellRightBold") for k in LIGHT_ORDER),
                     self.cell(d["older_progress_total"], "CellRightBold"),
                     self.cell(sum(d["light_totals"].values()), "CellRightBold")])
        table = self.table(rows, [None, 17, 17, 17, 24, 22, 24], "figures")
        story.append(table)
        self._light_heads(table)
        if sum(d["light_totals"].values()):
            drawings = charts.stacked_bar_charts(
                d["districts"],
                [(LIGHT_WORDS[k], styles.LIGHT_COLOURS[k],
                  [d["lights"][name][k] for name in d["districts"]]) for k in LIGHT_ORDER],
                self.frame_width)
            for chart in charts.part_captions(
                    drawings, f"Abbildung 2: Ampeln der freigegebenen Empfehlungen je "
                              f"Sozialraum, {quarter}"):
                story += [Spacer(0, 4 * mm), chart]
        else:
            story.append(self.p("Keine Empfehlung ist freigegeben."))
        return story

    def _light_heads(self, table) -> None:
        """A coloured bar under each light's column head."""
        table.setStyle([("LINEBELOW", (column, 0), (column, 0), 2.5, styles.LIGHT_COLOURS[key])
                        for column, key in enumerate(LIGHT_ORDER, start=1)])

    # 3 rankings ---------------------------------------------------------------------------------
    def rankings(self) -> list:
        story = [self.heading("Sozialräume im Vergleich der Indikatoren"),
                 self.p("Je Indikator die Sozialräume im letzten Jahr mit Werten, die "
                        "schlechteste Lage zuerst (bei „höher ist schlechter“ der höchste Wert, "
                        "sonst der niedrigste); gleiche Werte teilen sich einen Rang. Abstand: "
                        "Wert minus Wert der Stadt (stadtweit) im selben Jahr.", "Small")]
        if not self.data["rankings"]:
            story.append(self.p("Es sind noch keine Indikatoren eingelesen (controlling import "
                                "indicators)."))
        for entry in self.data["rankings"]:
            story.append(KeepTogether(self.ranking(entry)))  # heading, table and chart
        return story

    def ranking(self, entry: dict) -> list:
        story = [self.heading(entry["label"], 2)]
        if entry["year"] is None:
            story.append(self.p(f"Indikator {text(entry['code'])} · "
                                f"{direction(entry['higher_is_worse'])}. Für keinen Sozialraum "
                                "liegen Werte vor."))
            return story
        story.append(self.p(
            f"Indikator {text(entry['code'])} · {direction(entry['higher_is_worse'])} · Jahr "
            f"{entry['year']} · stadtweit {number(entry['citywide'])}", "Lead"))
        rows = [self.head_cells("Rang", "Sozialraum", "Wert", "Abstand", "Einordnung",
                                right_from=2)]
        value_digits = decimals_needed([*(p["value"] for p in entry["ranking"]),
                                        entry["citywide"]])
        apart = decimals_needed(p["difference"] for p in entry["ranking"])
        for place in entry["ranking"]:
            rows.append([self.cell(f"{place['rank']}.", "CellBold"),
                         self.cell(place["district"]),
                         self.cell(number(place["value"], value_digits), "CellRight"),
                         self.cell(signed_number(place["difference"], apart), "CellRight"),
                         self.cell(ASSESSMENT_WORDS[place["assessment"]], "CellRight")])
        rows.append([self.cell(""), self.cell(f"{CITYWIDE} (Vergleich)", "CellMuted"),
                     self.cell(number(entry["citywide"], value_digits), "CellRight"),
                     self.cell(""), self.cell("")])
        table = self.table(rows, [14, None, 24, 22, 40], "grid")
        labels = [place["district"] for place in entry["ranking"]]
        values = [place["value"] for place in entry["ranking"]]
        reference = None
        if entry["citywide"] is not None:  # the city's bar where its value belongs
            worse_first = entry["higher_is_worse"]
            reference = next((i for i, v in enumerate(values)
                              if (v < entry["citywide"] if worse_first
                                  else v > entry["citywide"])), len(values))
            labels.insert(reference, CITYWIDE)
            values.insert(reference, entry["citywide"])
        drawings = charts.ranking_charts(labels, values, reference, self.frame_width,
                                         lambda value: number(value, value_digits),
                                         axis_number)
        block = [table]
        if entry["without_value"]:
            block.append(self.p(f"Ohne Wert {entry['year']}: "
                                + text(", ".join(entry["without_value"])) + ".", "Small"))
        for chart in charts.part_captions(
                drawings, f"{text(entry['label'])} {entry['year']}, schlechteste Lage oben"):
            block += [Spacer(0, 2 * mm), chart]
        return story + block

    # 4 the Sozialquartiere ranked by the Sozialindex -----------------------------------------
    def quarters_index(self) -> list:
        index = self.data.get("sozialindex")
        story = [self.heading("Sozialquartiere im Sozialindex")]
        if index is None:
            return story + [self.p(NO_INDEX)]
        story += [
            self.p("Alle Sozialquartiere nach ihrem Statusindex (wo sich Armutsrisiken heute "
                   "ballen), Rang 1 mit den meisten Armutsrisiken, mit Klasse und der Klasse "
                   "ihres Dynamikindex (wo die Anteile stärker als im Mittel gewachsen sind); "
                   "der Durchschnitt der Stadt liegt bei 0.", "Small"),
            self.p(self.index_lead(index), "Small")]
        return story + self.index_table(index["areas"], "Sozialquartiere im Sozialindex",
                                        True) + self.index_charts(
            index["areas"], f"Statusindex {index['year']} der Sozialquartiere, Rang 1 oben; "
                            "0 = Durchschnitt der Stadt")

    # 5 least-known offers -----------------------------------------------------------------------
    def least_known(self) -> list:
        offers = self.data["least_known"]
        story = [self.heading("Wenig bekannte Angebote"),
                 self.p("Aus den World Cafés aller Sozialräume: je Angebot die grünen Punkte "
                        "(„Kennen Sie das Angebot?“ – ja) und die roten (nein) über alle "
                        "Abfragen, das am wenigsten bekannte zuerst. Bekannt: Anteil der grünen "
                        "an allen Punkten. Die Ideen der Teilnehmenden, wie die Angebote "
                        "bekannter werden können, stehen in den Strategiepapieren der "
                        "Sozialräume.", "Small")]
        if not offers:
            story.append(self.p("Es sind keine Abfragen zur Bekanntheit von Angeboten erfasst."))
            return story
        return story + self.awareness_table(offers, True)

    # 6 explanations -----------------------------------------------------------------------------
    def explanations(self) -> list:
        return [
            CondPageBreak(60 * mm),
            self.heading("Erläuterungen"),
            self.p(f"<b>Stand.</b> Status und Sachstände zeigen den Stand am "
                   f"{format_date(self.as_of)}, rekonstruiert aus dem Verlauf nach "
                   "Wirksamkeitsdatum."),
            self.p("<b>Status.</b> vorgeschlagen → statistisch gestützt → freigegeben (durch "
                   "die zuständige Bereichsleitung) → umgesetzt; oder abgelehnt, oder ersetzt "
                   "durch eine neuere Empfehlung."),
            self.p("<b>Ampel.</b> Grün: im Plan; gelb: verzögert oder teilweise umgesetzt; rot: "
                   "wesentliche Teile nicht umgesetzt. Gezählt wird je freigegebener Empfehlung "
                   f"die Ampel des Sachstands für das {quarter_label(self.data['light_quarter'])}"
                   ", das letzte am Stichtag abgeschlossene Quartal, wie im Quartalsbericht; "
                   "ein Sachstand aus einem früheren Quartal gilt als älter und zählt nicht."),
            self.p("<b>Indikatoren.</b> Werte des Sozialberichts mit Sozialindex; je Indikator "
                   "das letzte Jahr, für das ein Sozialraum einen Wert hat. Die Einordnung "
                   "vergleicht mit dem Wert der Stadt insgesamt im selben Jahr."),
            self.p(INDEX_CLASSES),
            *self.departments_legend(),
        ]


def render_city_report_pdf(data: dict, *, made_on: date, publisher: str | None = None
                           ) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages."""
    renderer = CityReportRenderer(data, made_on=made_on, publisher=publisher)
    pdf = renderer.render()
    return pdf, renderer.page_count
