"""What changed since a published edition (`edition diff --format pdf`), for the committees,
laid out from the plain data of controlling.services.editions.diff_edition in the house style
of the other reports (PaperRenderer: styles, header, "Seite x von y", continued tables).

No queries here: the same dict as `edition diff --format json`.
"""

from datetime import date

from controlling.reports.strategy_paper import PaperRenderer
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from controlling.domain.editions import WITHDRAWN_REASONS
from controlling.domain.formatting import counted, format_date
from controlling.domain.vocabulary import KIND_LABELS, STATUS_LABELS, Kind

TITLE = "Änderungen seit der Ausgabe"
PARTS = (("recommendations", "Empfehlungen", "number", "Empfehlung", "Empfehlungen"),
         ("measures", "Maßnahmensteckbriefe", "id", "Maßnahmensteckbrief",
          "Maßnahmensteckbriefe"))


def field_value(field: str, value) -> str:
    """A frozen field's value in German: status and kind as words, dates German, lists
    joined, nothing as '–'."""
    if value is None or value == [] or value == "":
        return "–"
    if field == "status":
        return STATUS_LABELS[value]
    if field == "kind":
        return KIND_LABELS[Kind(value)]
    if field == "ends_on":
        return format_date(date.fromisoformat(str(value)[:10]))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def compared_text(data: dict) -> str:
    other = data["compared_with"]
    if other["current"]:
        return "mit dem jetzigen Stand"
    return (f"mit der Ausgabe „{other['name']}“ vom "
            f"{format_date(date.fromisoformat(other['published_on']))}")


class EditionDiffRenderer(PaperRenderer):
    """Title page with the summary, then per kind what was added, changed and withdrawn."""

    header_title = "Änderungen seit einer Ausgabe"

    def __init__(self, data: dict, *, made_on: date, publisher: str | None = None):
        other = data["compared_with"]
        as_of = made_on if other["current"] else date.fromisoformat(other["published_on"])
        super().__init__({**data, "as_of": as_of.isoformat(), "departments": {},
                          "example": False}, made_on=made_on, publisher=publisher)
        self.edition = data["edition"]
        self.title = f"{TITLE} „{self.edition['name']}“"
        self.header_title = f"{TITLE} „{self.edition['name']}“"

    def _get_story(self, doc):
        self._numbers = [0, 0]
        published = format_date(date.fromisoformat(self.edition["published_on"]))
        story = [*self.title_block("Strategische Sozialplanung · Ausgaben",
                                   f"{TITLE} „{self.edition['name']}“",
                                   f"Ausgabe vom {published}, verglichen "
                                   f"{compared_text(self.data)}"),
                 Spacer(0, 6 * mm), *self.summary()]
        for key, noun, id_name, one, many in PARTS:
            story += [CondPageBreak(60 * mm), *self.part(key, noun, id_name, one, many)]
        story += self.explanations()
        return story

    def summary(self) -> list:
        rows = [self.head_cells("", "neu", "geändert", "zurückgezogen", right_from=1)]
        for key, noun, *_ in PARTS:
            counts = self.data["summary"][key]
            rows.append([self.cell(noun, "CellBold"),
                         *(self.cell(counts[part], "CellRight")
                           for part in ("added", "changed", "withdrawn"))])
        return [self.p("<b>Auf einen Blick.</b> Was seit der Ausgabe hinzukam, sich geändert hat "
                       "oder zurückgezogen wurde:"),
                self.table(rows, [None, 28, 28, 32], "figures")]

    def part(self, key: str, noun: str, id_name: str, one: str, many: str) -> list:
        part = self.data[key]
        story = [self.heading(noun)]
        added, changed, withdrawn = part["added"], part["changed"], part["withdrawn"]

        story.append(self.heading(f"{noun}: neu", 2))
        if added:
            rows = [self.head_cells("Nr.", "Titel", "Hinweis")]
            for entry in added:
                rows.append([self.cell(entry[id_name], "CellBold"), self.cell(entry["title"]),
                             self.cell(self.added_note(entry))])
            story += [self.p(counted(len(added), one, many) + " neu.", "Lead"),
                      *self.continued(f"{noun}: neu", [
                          self.table(rows, [14, None, 55], "grid", split_rows=True)])]
        else:
            story.append(self.p(f"Keine neuen {many}."))

        story.append(self.heading(f"{noun}: geändert", 2))
        if changed:
            rows = [self.head_cells("Nr.", "Titel", "Feld", "vorher", "jetzt")]
            for entry in changed:
                for position, change in enumerate(entry["changes"]):
                    first = position == 0
                    rows.append([self.cell(entry[id_name] if first else "", "CellBold"),
                                 self.cell(entry["title"] if first else ""),
                                 self.cell(change["label"]),
                                 self.cell(field_value(change["field"], change["old"])),
                                 self.cell(field_value(change["field"], change["new"]))])
            story += [self.p(counted(len(changed), one, many) + " geändert, Feld für Feld.",
                             "Lead"),
                      *self.continued(f"{noun}: geändert", [
                          self.table(rows, [14, None, 30, 38, 38], "grid", split_rows=True)])]
        else:
            story.append(self.p(f"Keine {many} geändert."))

        story.append(self.heading(f"{noun}: zurückgezogen", 2))
        if withdrawn:
            rows = [self.head_cells("Nr.", "Titel", "Grund")]
            for entry in withdrawn:
                rows.append([self.cell(entry[id_name], "CellBold"), self.cell(entry["title"]),
                             self.cell(self.withdrawn_note(entry))])
            story += [self.p(counted(len(withdrawn), one, many) + " zurückgezogen.", "Lead"),
                      *self.continued(f"{noun}: zurückgezogen", [
                          self.table(rows, [14, None, 55], "grid", split_rows=True)])]
        else:
            story.append(self.p(f"Keine {many} zurückgezogen."))
        return story

    @staticmethod
    def added_note(entry: dict) -> str:
        parts = []
        if entry.get("status"):
            parts.append(STATUS_LABELS[entry["status"]])
        if entry.get("supersedes"):
            parts.append("ersetzt Nr. " + ", ".join(str(n) for n in entry["supersedes"]))
        return "; ".join(parts) or "–"

    @staticmethod
    def withdrawn_note(entry: dict) -> str:
        note = WITHDRAWN_REASONS[entry["reason"]]
        if entry.get("superseded_by"):
            note += f" durch Nr. {entry['superseded_by']}"
        return note

    def explanations(self) -> list:
        return [
            CondPageBreak(40 * mm), self.heading("Erläuterungen"),
            self.p("<b>Ausgabe.</b> Eine Ausgabe hält den Stand aller Empfehlungen und "
                   "Maßnahmensteckbriefe an ihrem Tag unveränderlich fest."),
            self.p("<b>Neu, geändert, zurückgezogen.</b> Neu: seit der Ausgabe hinzugekommen. "
                   "Geändert: jedes Feld, das sich unterscheidet, mit dem Wert vorher und "
                   "jetzt. Zurückgezogen: nicht mehr vorhanden oder seitdem ersetzt oder "
                   "abgelehnt; eine ersetzte Empfehlung nennt ihre Nachfolgerin, die die "
                   "Verfolgung fortsetzt."),
        ]


def render_edition_diff_pdf(data: dict, *, made_on: date, publisher: str | None = None
                            ) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages."""
    renderer = EditionDiffRenderer(data, made_on=made_on, publisher=publisher)
    pdf = renderer.render()
    return pdf, renderer.page_count
