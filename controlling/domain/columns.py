"""The German names of the columns of import and export files, one table for both ways.

The machine names (English, docs/commands.md) stay the files' contract; a file saved by German
Excel may carry the German names instead (`Titel` for `title`), and `--excel` exports write
them. Each German name belongs to exactly one column, so a header is never ambiguous.
"""

from controlling.domain.measures import FIELDS

COLUMN_LABELS: dict[str, str] = {
    "number": "Nr.",
    "id": "ID",
    **FIELDS,  # the measure profile's fields: Titel, Beschreibung, Bereich, Sozialräume, ...
    "district": "Sozialraum",
    "kind": "Art",
    "status": "Status",
    "proposed_on": "vorgeschlagen am",
    "status_since": "Status seit",
    "last_quarter": "letztes Quartal",
    "last_light": "letzte Ampel",
    "last_note": "letzter Sachstand",
    "last_progress_on": "letzter Sachstand wirksam am",
    "example": "Beispieldaten",
    "version": "Version",
    "time_limited": "befristet",
    "recommendations": "Empfehlungen",
    "event_id": "Veranstaltung (ID)",
    "event": "Veranstaltung",
    "held_on": "Datum der Veranstaltung",
    "text": "Text",
    "institution_kind": "Art der Einrichtung",
    "measure_id": "Maßnahme (ID)",
    "recommendation": "Empfehlung (Nr.)",
    "recommendation_status": "Status der Empfehlung",
    "reason": "Begründung",
    "decided_on": "entschieden am",
    "recorded_by": "erfasst von",
    "indicator": "Indikator",
    "year": "Jahr",
    "value": "Wert",
    "label": "Bezeichnung",
    "higher_is_worse": "höher ist schlechter",
    "quarter": "Sozialquartier",  # a small area of the Sozialindex (not a calendar quarter)
    "numerator": "Zähler",
    "denominator": "Nenner",
    "measure": "Maßnahme",
    "yes": "ja",
    "no": "nein",
    "question": "Frage",
    "name": "Name",
    "type": "Typ",
    "address": "Adresse",
    "longitude": "Längengrad",
    "latitude": "Breitengrad",
    "measures": "Maßnahmen",
}

# Other German names people write for the same column.
ALIASES: dict[str, str] = {"nummer": "number"}


def normalise(header: str) -> str:
    """A header cell compared without case, byte order mark, surrounding or doubled spaces
    and a trailing full stop (`Nr` = `Nr.`)."""
    return " ".join(header.replace("\ufeff", "").split()).lower().rstrip(".").strip()


def _ascii(text: str) -> str:
    """Umlauts as typed without them: `Massnahme` = `Maßnahme`, `Laengengrad`."""
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    return text


_BY_GERMAN = {_ascii(normalise(label)): column for column, label in COLUMN_LABELS.items()}
_BY_GERMAN.update(ALIASES)
if len(_BY_GERMAN) != len(COLUMN_LABELS) + len(ALIASES):  # checked when the table is built
    raise AssertionError("Zwei Spalten tragen denselben deutschen Namen.")


def column_name(header: str) -> str:
    """The machine name of a header cell: the English name as written (any case) or the
    column with that German name; anything else is returned normalised (an unknown column)."""
    text = normalise(header)
    if text in COLUMN_LABELS:
        return text
    return _BY_GERMAN.get(_ascii(text), text)


def german_label(column: str) -> str:
    return COLUMN_LABELS.get(column, column)
