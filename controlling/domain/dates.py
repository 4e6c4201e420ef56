"""Effective dates and quarters."""

import re
from dataclasses import dataclass
from datetime import date

from controlling.domain.errors import InvalidInput, TransitionRefused
from controlling.domain.formatting import format_date


def parse_date(text: str | None, what: str = "Datum") -> date | None:
    """Parse YYYY-MM-DD (or DD.MM.YYYY); None for empty; InvalidInput otherwise."""
    if text is None:
        return None
    if isinstance(text, date):
        return text
    value = str(text).strip()
    if not value:
        return None
    try:
        if "." in value:
            day, month, year = value.split(".")
            return date(int(year), int(month), int(day))
        return date.fromisoformat(value)
    except ValueError:
        pass
    shape = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\.(\d{1,2})\.(\d{4})", value)
    if shape:  # the right shape, but no such day (30.02., 31.04., month 13)
        year, month, day = (shape.group(1, 2, 3) if shape.group(1)
                            else shape.group(6, 5, 4))
        if not 1 <= int(month) <= 12:
            raise InvalidInput(f"Ungültiges {what} '{value}': einen Monat {int(month)} gibt es "
                               "nicht.")
        raise InvalidInput(f"Ungültiges {what} '{value}': den {int(day):02d}.{int(month):02d}."
                           f"{year} gibt es nicht.")
    raise InvalidInput(
        f"Ungültiges {what} '{value}': erwartet JJJJ-MM-TT, z. B. 2024-03-31."
    )


def check_effective_date(effective_on: date, previous: date | None, today: date,
                         number: int) -> None:
    """A change may not be dated in the future or before the record's previous change."""
    if effective_on > today:
        raise InvalidInput(
            f"Das Wirksamkeitsdatum {format_date(effective_on)} liegt in der Zukunft."
        )
    if previous is not None and effective_on < previous:
        raise TransitionRefused(
            f"Das Wirksamkeitsdatum {format_date(effective_on)} liegt vor der letzten Änderung "
            f"von Empfehlung {number} am {format_date(previous)}; "
            f"möglich ist ein Datum ab {format_date(previous)}."
        )


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        value = (text or "").strip().upper()
        try:
            year_text, q_text = value.split("-Q")
            quarter = cls(int(year_text), int(q_text))
        except ValueError:
            raise InvalidInput(
                f"Ungültiges Quartal '{text}': erwartet JJJJ-QN, z. B. 2024-Q1."
            ) from None
        if not 1 <= quarter.number <= 4 or not 1900 <= quarter.year <= 9999:
            raise InvalidInput(f"Ungültiges Quartal '{text}': erwartet JJJJ-QN, z. B. 2024-Q1.")
        return quarter

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        month = 3 * self.number
        day = 31 if month in (3, 12) else 30
        return date(self.year, month, day)

    def previous(self) -> "Quarter":
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def next(self) -> "Quarter":
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    @property
    def label(self) -> str:
        """German: '1. Quartal 2024'."""
        return f"{self.number}. Quartal {self.year}"

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def progress_date(quarter: Quarter, on: date | None, today: date,
                  previous: date | None = None) -> date:
    """The effective date of a Sachstand for `quarter`: `on` when given; otherwise today while
    the quarter runs and, once it has ended (the update round always comes after the quarter),
    the quarter's last day, or the record's previous change when that is later (an effective
    date may not lie before it). The one rule of `progress` and the update workbooks."""
    if on is not None:
        return on
    if today <= quarter.end:
        return today
    return max(quarter.end, previous) if previous is not None else quarter.end


def check_progress_date(quarter: Quarter, effective_on: date) -> None:
    """A Sachstand for a quarter cannot be effective before that quarter begins."""
    if effective_on < quarter.start:
        raise InvalidInput(
            f"Ein Sachstand für {quarter.label} kann nicht vor Quartalsbeginn "
            f"({format_date(quarter.start)}) wirksam sein; Wirksamkeitsdatum war "
            f"{format_date(effective_on)}."
        )
