"""Measure profiles (Maßnahmensteckbriefe): districts, contacts, time limits and periods."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from controlling.domain.errors import InvalidInput

# Column sizes (checked with a German message before PostgreSQL would refuse them).
MEASURE_TITLE = 300
PLACE = 300
CONTACT_ROLE = 200
INSTITUTION_KIND = 200

# Fields of a profile that are edited and kept in its history, with German labels.
FIELDS: dict[str, str] = {
    "title": "Titel",
    "description": "Beschreibung",
    "department": "Bereich",
    "districts": "Sozialräume",
    "topic": "Thema",
    "target_group": "Zielgruppe",
    "place": "Ort/Einrichtung",
    "ends_on": "befristet bis",
    "funding": "Finanzierung",
    "implementation_status": "Umsetzungsstand",
    "contact_department": "Kontakt (Bereich)",
    "contact_role": "Kontakt (Funktion)",
}

_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
_PHONE = re.compile(r"\+?\d[\d\s/().-]{4,}\d")
_SALUTATION = re.compile(r"\b(herr|frau|hr\.|fr\.|dr\.)\s", re.IGNORECASE)


def personal_data_problem(text: str | None) -> str | None:
    """What kind of private person's data the text contains, or None.

    Refused: e-mail addresses, phone numbers (six digits or more in a row, separators
    allowed) and salutations before a name (Herr, Frau, Dr.).
    """
    value = (text or "").strip()
    if _EMAIL.search(value):
        return "eine E-Mail-Adresse"
    if any(sum(c.isdigit() for c in m.group()) >= 6 for m in _PHONE.finditer(value)):
        return "eine Telefonnummer"
    if _SALUTATION.search(value + " "):
        return "einen Personennamen"
    return None


def check_no_personal_data(text: str | None, what: str) -> str | None:
    """Contacts and institutions are named by department, role or kind, never by person."""
    value = (text or "").strip()
    if not value:
        return None
    problem = personal_data_problem(value)
    if problem:
        raise InvalidInput(
            f"{what} '{value}' enthält {problem}: nur Bereich, Funktion oder Art der "
            "Einrichtung angeben (z. B. 'Koordination Frühe Hilfen'), keine Daten von "
            "Privatpersonen."
        )
    return value


def check_districts(names: list[str], citywide: str) -> list[str]:
    """At least one district; 'stadtweit' stands alone. Returns the names without duplicates."""
    unique: list[str] = []
    for name in names:
        if name.lower() not in (u.lower() for u in unique):
            unique.append(name)
    if not unique:
        raise InvalidInput("Ein Steckbrief braucht mindestens einen Sozialraum oder 'stadtweit'.")
    if len(unique) > 1 and any(n.lower() == citywide.lower() for n in unique):
        raise InvalidInput(
            f"'{citywide}' gilt für die ganze Stadt und wird nicht mit einzelnen Sozialräumen "
            "kombiniert."
        )
    return unique


def split_districts(text: str) -> list[str]:
    """'Osterfeld; Mitte/Styrum' or 'Osterfeld|Mitte/Styrum' -> names."""
    return [part.strip() for part in re.split(r"[;|]", text or "") if part.strip()]


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str  # "d", "w", "m", "y"

    def end_from(self, start: date) -> date:
        """The last day of the period starting at `start` (inclusive boundary)."""
        if self.unit == "d":
            return start + timedelta(days=self.amount)
        if self.unit == "w":
            return start + timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit == "y" else 1)
        return add_months(start, months)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


_UNITS = {"d": "d", "t": "d", "w": "w", "m": "m", "y": "y", "j": "y"}
_PERIOD = re.compile(r"^\s*(\d+)\s*([a-z])\s*$", re.IGNORECASE)


def parse_period(text: str) -> Period:
    """'30d', '6m', '1y' (German too: '30t', '1j'); refuse anything else."""
    match = _PERIOD.match(text or "")
    unit = _UNITS.get(match.group(2).lower()) if match else None
    if match is None or unit is None or int(match.group(1)) < 1:
        raise InvalidInput(
            f"Ungültiger Zeitraum '{text}': erwartet Zahl und Einheit, z. B. 30d (Tage), "
            "8w (Wochen), 6m (Monate) oder 1y (Jahre)."
        )
    return Period(int(match.group(1)), unit)


def add_months(start: date, months: int) -> date:
    """Calendar months; the day is clamped to the month's end (31.08. + 6m = 28.02.)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def ends_within(ends_on: date | None, start: date, end: date) -> bool:
    """A time-limited measure that ends in [start, end], both days included."""
    return ends_on is not None and start <= ends_on <= end
