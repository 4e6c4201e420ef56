"""Events (Expert*innendialoge, Sozialkonferenz): vocabulary and the seed's reference events."""

from datetime import date
from enum import StrEnum

from controlling.domain.formatting import format_date

EVENT_TITLE = 300  # column size


class EventKind(StrEnum):
    EXPERT_DIALOGUE = "expert_dialogue"
    SOCIAL_CONFERENCE = "social_conference"

    @property
    def label(self) -> str:
        return {"expert_dialogue": "Expert*innendialog",
                "social_conference": "Sozialkonferenz"}[self.value]


class EventFormat(StrEnum):
    CONFERENCE = "conference"
    WORLD_CAFE = "world_cafe"

    @property
    def label(self) -> str:
        return {"conference": "Konferenz", "world_cafe": "World Café"}[self.value]


class DatePrecision(StrEnum):
    """Round 1 is only known by month ("10/2019"); such dates are stored as the 1st."""

    DAY = "day"
    MONTH = "month"

    @property
    def label(self) -> str:
        return {"day": "Tag", "month": "Monat"}[self.value]


def format_event_date(held_on: date, precision: DatePrecision | str) -> str:
    if DatePrecision(precision) == DatePrecision.MONTH:
        return held_on.strftime("%m/%Y")
    return format_date(held_on)


def event_title(kind: EventKind, district: str, round_: int | None) -> str:
    if kind == EventKind.SOCIAL_CONFERENCE:
        return "Sozialkonferenz"
    suffix = f" (Runde {round_})" if round_ else ""
    return f"Expert*innendialog im Sozialraum {district}{suffix}"


# The twelve expert dialogues of ../shared/DOMAIN.md (dates and districts are the city's own).
# (district, date, precision, round, format, participants)
# Participants are known for one event only (Alstaden/Lirich 2023: 88); round 1 had 60-95 per
# event, which is not a count of any single one, so it stays empty.
REFERENCE_EVENTS: tuple[tuple[str, date, DatePrecision, int, EventFormat, int | None], ...] = (
    ("Mitte/Styrum", date(2019, 10, 1), DatePrecision.MONTH, 1, EventFormat.CONFERENCE, None),
    ("Alstaden/Lirich", date(2019, 11, 1), DatePrecision.MONTH, 1, EventFormat.CONFERENCE, None),
    ("Oberhausen-Ost", date(2020, 2, 1), DatePrecision.MONTH, 1, EventFormat.CONFERENCE, None),
    ("Osterfeld", date(2021, 11, 1), DatePrecision.MONTH, 1, EventFormat.CONFERENCE, None),
    ("Sterkrade-Mitte", date(2022, 5, 1), DatePrecision.MONTH, 1, EventFormat.CONFERENCE, None),
    ("Sterkrade-Nord", date(2022, 5, 1), DatePrecision.MONTH, 1, EventFormat.CONFERENCE, None),
    ("Mitte/Styrum", date(2023, 8, 16), DatePrecision.DAY, 2, EventFormat.WORLD_CAFE, None),
    ("Alstaden/Lirich", date(2023, 9, 6), DatePrecision.DAY, 2, EventFormat.WORLD_CAFE, 88),
    ("Osterfeld", date(2023, 9, 28), DatePrecision.DAY, 2, EventFormat.WORLD_CAFE, None),
    ("Oberhausen-Ost", date(2023, 10, 26), DatePrecision.DAY, 2, EventFormat.WORLD_CAFE, None),
    ("Sterkrade-Mitte", date(2023, 11, 7), DatePrecision.DAY, 2, EventFormat.WORLD_CAFE, None),
    ("Sterkrade-Nord", date(2023, 11, 23), DatePrecision.DAY, 2, EventFormat.WORLD_CAFE, None),
)
