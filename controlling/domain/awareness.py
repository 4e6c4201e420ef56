"""Awareness of existing offers (World Café, round 2): "Kennen Sie das Angebot?" answered with
green (yes) and red (no) dots, and idea cards to two questions.

Pure rules: the questions, the share of green dots, the order "least known first", and who may
record what.
"""

from enum import StrEnum

from controlling.domain.errors import InvalidInput
from controlling.domain.limits import MAX_INTEGER

CARD_TEXT = 2000  # characters: one card, not an essay
KNOWN_QUESTION = "Kennen Sie das Angebot?"


class Question(StrEnum):
    PUBLICITY = "publicity"
    SOURCE = "source"

    @property
    def label(self) -> str:
        return QUESTION_LABELS[self]


QUESTION_LABELS = {
    Question.PUBLICITY: "Wie kann das Angebot bekannter gemacht werden?",
    Question.SOURCE: "Woher kennen Sie uns?",
}

def parse_question(value: str | None) -> Question:
    """'publicity' or 'source' (also the German question or 'bekannter'/'woher')."""
    text = (value or "").strip().lower()
    for question in Question:
        if text in (question.value, question.label.lower()):
            return question
    if text.startswith("bekannt") or text.startswith("wie kann"):
        return Question.PUBLICITY
    if text.startswith("woher"):
        return Question.SOURCE
    raise InvalidInput(f"Ungültige Frage '{value}' (erlaubt: publicity, source).")


def count_problem(value, what: str) -> str | None:
    """A German problem text unless value is a whole number 0 <= value <= MAX_INTEGER."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{what} '{value}' ist keine ganze Zahl"
    if value < 0:
        return f"{what} {value} darf nicht negativ sein"
    if value > MAX_INTEGER:
        return f"{what} {value} ist zu groß (höchstens {MAX_INTEGER})"
    return None


def check_count(value: int, what: str) -> int:
    problem = count_problem(value, what)
    if problem:
        raise InvalidInput(problem + ".")
    return value


def check_card_text(text: str | None) -> str:
    value = (text or "").strip()
    if not value:
        raise InvalidInput("Der Text der Karte darf nicht leer sein.")
    if len(value) > CARD_TEXT:
        raise InvalidInput(f"Der Text der Karte ist zu lang ({len(value)} Zeichen, höchstens "
                           f"{CARD_TEXT}).")
    return value


def share_known(yes: int, no: int) -> float | None:
    """The share of green dots, 0..1; None without any dot."""
    total = yes + no
    return yes / total if total else None


def least_known_first(entry: dict) -> tuple:
    """Sort key: lowest share first (no dots last), then more dots, then title and id."""
    share = entry["share_known"]
    return (share is None, share if share is not None else 0.0,
            -(entry["known_yes"] + entry["known_no"]), entry["measure"], entry["measure_id"])


def card_key(text: str) -> str:
    """Two cards are the same when their texts differ only in case and spacing."""
    return " ".join(text.lower().split())
