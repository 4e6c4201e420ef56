"""Awareness of existing offers (World Café): record and import the green and red dots and
the idea cards per event and measure, and report the least-known offers.

`load_awareness` is the one data function behind `awareness report`, the strategy paper and
the city report: plain data in a fixed number of statements (`QUERIES`), whatever the amount.
"""

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from controlling.data.models import (
    AwarenessCard,
    AwarenessCount,
    Department,
    District,
    Event,
    Measure,
)
from controlling.data.triage_repository import TriageRepository
from controlling.domain import awareness as rules
from controlling.domain.actors import require
from controlling.domain.awareness import Question, card_key, least_known_first, share_known
from controlling.domain.errors import Conflict, DomainError, ImportRefused, InvalidInput
from controlling.domain.formatting import format_date
from controlling.domain.limits import MAX_INTEGER
from controlling.services.common import actor_of, now, today
from controlling.services.tabular import read_table

QUERIES = 2  # statements of load_awareness
COLUMNS = ("event", "measure")
OPTIONAL = ("yes", "no", "question", "text")

Progress = Callable[[int, int], None] | None


# the data function ------------------------------------------------------------------------------
def load_awareness(session, district_ids: set[int] | None) -> list[dict]:
    """Per measure with dots or cards at the chosen events, least known first.

    Events: those held in one of `district_ids` (exactly those districts: a `stadtweit` event
    counts only when the city-wide district's id is in the set); None: every event.

    [{"measure_id", "measure" (title), "department" (code), "known_yes", "known_no",
      "share_known" (0..1, None without dots),
      "events": [{"event_id", "event" (title), "district", "held_on" (ISO date), "known_yes",
                  "known_no", "share_known"}] in date order (events with dots for the measure),
      "ideas": [{"question" ("publicity" or "source", see QUESTION_LABELS), "text",
                 "event" (title)}] in date order}]
    """
    def where_events(query):
        if district_ids is None:
            return query
        return query.where(Event.district_id.in_(sorted(district_ids)))

    counts = session.execute(where_events(
        select(AwarenessCount.measure_id, Measure.title, Department.code, Event.id,
               Event.title, District.name, Event.held_on, AwarenessCount.known_yes,
               AwarenessCount.known_no)
        .join(Event, AwarenessCount.event_id == Event.id)
        .join(District, Event.district_id == District.id)
        .join(Measure, AwarenessCount.measure_id == Measure.id)
        .join(Department, Measure.department_id == Department.id)
        .order_by(Event.held_on, Event.id, AwarenessCount.measure_id)
    )).all()
    cards = session.execute(where_events(
        select(AwarenessCard.measure_id, Measure.title, Department.code, AwarenessCard.question,
               AwarenessCard.text, Event.title)
        .join(Event, AwarenessCard.event_id == Event.id)
        .join(Measure, AwarenessCard.measure_id == Measure.id)
        .join(Department, Measure.department_id == Department.id)
        .order_by(Event.held_on, Event.id, AwarenessCard.question, AwarenessCard.id)
    )).all()

    measures: dict[int, dict] = {}

    def entry(measure_id: int, title: str, department: str) -> dict:
        return measures.setdefault(measure_id, {
            "measure_id": measure_id, "measure": title, "department": department,
            "known_yes": 0, "known_no": 0, "share_known": None, "events": [], "ideas": [],
        })

    for (measure_id, title, department, event_id, event_title, district, held_on, yes,
         no) in counts:
        item = entry(measure_id, title, department)
        item["known_yes"] += yes
        item["known_no"] += no
        item["events"].append({
            "event_id": event_id, "event": event_title, "district": district,
            "held_on": held_on.isoformat(), "known_yes": yes, "known_no": no,
            "share_known": share_known(yes, no),
        })
    for measure_id, title, department, question, text, event_title in cards:
        entry(measure_id, title, department)["ideas"].append(
            {"question": getattr(question, "value", question), "text": text,
             "event": event_title})
    for item in measures.values():
        item["share_known"] = share_known(item["known_yes"], item["known_no"])
    return sorted(measures.values(), key=least_known_first)


def event_totals(measures: list[dict]) -> list[dict]:
    """Dots per event over all measures, in date order: the trend of the whole survey."""
    events: dict[int, dict] = {}
    for item in measures:
        for e in item["events"]:
            total = events.setdefault(e["event_id"], {
                "event_id": e["event_id"], "event": e["event"], "district": e["district"],
                "held_on": e["held_on"], "known_yes": 0, "known_no": 0, "measures": 0})
            total["known_yes"] += e["known_yes"]
            total["known_no"] += e["known_no"]
            total["measures"] += 1
    result = sorted(events.values(), key=lambda e: (e["held_on"], e["event_id"]))
    for e in result:
        e["share_known"] = share_known(e["known_yes"], e["known_no"])
    return result


def awareness_report(uow, login: str, *, district: str | None = None) -> dict:
    """The least-known offers, the trend across events and the ideas, for one district's
    events (exactly that district; `stadtweit` for city-wide events) or for all events."""
    with uow:
        actor_of(uow, login)
        chosen = uow.repo.district(district) if district else None
        measures = load_awareness(uow.session, {chosen.id} if chosen else None)
        return {"district": chosen.name if chosen else None, "measures": measures,
                "events": event_totals(measures)}


# recording ----------------------------------------------------------------------------------------
def _event_and_measure(uow, event_id: int, measure_id: int):
    repo = TriageRepository(uow.session)
    event, measure = repo.event(event_id), repo.measure(measure_id)
    _check_event_held(event)
    return event, measure


def _check_event_held(event: Event) -> None:
    if event.held_on > today():
        raise InvalidInput(f"Veranstaltung {event.id} findet erst am {format_date(event.held_on)} "
                           "statt; Punkte und Karten gibt es erst danach.")


def _count_view(count: AwarenessCount, event: Event, measure: Measure) -> dict:
    return {"event_id": event.id, "event": event.title, "measure_id": measure.id,
            "measure": measure.title, "known_yes": count.known_yes, "known_no": count.known_no,
            "share_known": share_known(count.known_yes, count.known_no)}


def record_counts(uow, login: str, *, event_id: int, measure_id: int, yes: int,
                  no: int) -> dict:
    """The dots of one offer at one event; recording them again replaces them (a recount)."""
    with uow:
        actor = actor_of(uow, login)
        require(actor, "awareness.record", actor.department)  # committee: before lookups
        event, measure = _event_and_measure(uow, event_id, measure_id)
        require(actor, "awareness.record", measure.department.code)
        rules.check_count(yes, "Grüne Punkte (--yes)")
        rules.check_count(no, "Rote Punkte (--no)")
        user = uow.repo.user(login)
        count = uow.session.scalar(select(AwarenessCount).where(
            AwarenessCount.event_id == event.id, AwarenessCount.measure_id == measure.id))
        previous = None
        if count is None:
            count = AwarenessCount(event_id=event.id, measure_id=measure.id)
            uow.session.add(count)
        else:
            previous = {"known_yes": count.known_yes, "known_no": count.known_no}
        count.known_yes, count.known_no = yes, no
        count.actor_id, count.recorded_at, count.source = user.id, now(), None
        uow.flush()
        view = {**_count_view(count, event, measure), "previous": previous}
        uow.commit()
        return view


def record_card(uow, login: str, *, event_id: int, measure_id: int, question: str,
                text: str) -> dict:
    """One idea card; the same text (case and spaces aside) for the same offer, event and
    question is refused as already recorded."""
    with uow:
        actor = actor_of(uow, login)
        require(actor, "awareness.record", actor.department)  # committee: before lookups
        event, measure = _event_and_measure(uow, event_id, measure_id)
        require(actor, "awareness.record", measure.department.code)
        parsed = rules.parse_question(question)
        value = rules.check_card_text(text)
        if card_key(value) in _card_keys(uow.session, {event.id})[(event.id, measure.id,
                                                                    parsed.value)]:
            raise Conflict(f"Diese Karte ist für Maßnahme {measure.id} bei Veranstaltung "
                           f"{event.id} schon erfasst.")
        card = AwarenessCard(event_id=event.id, measure_id=measure.id, question=parsed,
                             text=value, actor_id=uow.repo.user(login).id, recorded_at=now())
        uow.session.add(card)
        uow.flush()
        view = {"id": card.id, "event_id": event.id, "event": event.title,
                "measure_id": measure.id, "measure": measure.title, "question": parsed.value,
                "text": value}
        uow.commit()
        return view


def _card_keys(session, event_ids: set[int]) -> defaultdict[tuple, set[str]]:
    """(event id, measure id, question) -> the normalised texts of the cards recorded."""
    keys: defaultdict[tuple, set[str]] = defaultdict(set)
    if not event_ids:
        return keys
    for event_id, measure_id, question, text in session.execute(
            select(AwarenessCard.event_id, AwarenessCard.measure_id, AwarenessCard.question,
                   AwarenessCard.text).where(AwarenessCard.event_id.in_(sorted(event_ids)))):
        keys[(event_id, measure_id, getattr(question, "value", question))].add(card_key(text))
    return keys


# import -------------------------------------------------------------------------------------------
def import_awareness(uow, login: str, path: str | Path, progress: Progress = None) -> dict:
    """Dots and cards from .csv/.xlsx: header event,measure plus yes,no and/or question,text.

    Every row is checked before anything is written; any problem: nothing is written and every
    problem is listed with its line. Dots for a pair already recorded are replaced."""
    with uow:
        require(actor_of(uow, login), "awareness.import")
        table = read_table(path, COLUMNS, OPTIONAL)
        ids = [(_id(row.get("event")), _id(row.get("measure"))) for _line, row in table.rows]
        events = _by_id(uow.session, Event, {e for e, _m in ids if e})
        measures = _by_id(uow.session, Measure, {m for _e, m in ids if m})
        known_cards = _card_keys(uow.session, set(events))
        problems: list[str] = []
        counts, cards = {}, []
        count_lines: dict[tuple[int, int], int] = {}
        card_lines: dict[tuple, int] = {}
        for line, row in table.rows:
            errors: list[str] = []
            event = _lookup(row.get("event", ""), events, "Veranstaltung", errors)
            measure = _lookup(row.get("measure", ""), measures, "Maßnahme", errors)
            if event is not None:
                try:
                    _check_event_held(event)
                except DomainError as error:
                    errors.append(str(error).rstrip("."))
            dots = _dots(row, errors)
            card = _card(row, errors)
            if dots is None and card is None and not errors:
                errors.append("weder Punkte (yes, no) noch eine Karte (question, text)")
            if event is not None and measure is not None:
                pair = (event.id, measure.id)
                if dots is not None:
                    if pair in count_lines:
                        errors.append(f"Punkte für Veranstaltung {event.id} und Maßnahme "
                                      f"{measure.id} kommen doppelt vor (schon in Zeile "
                                      f"{count_lines[pair]})")
                    else:
                        count_lines[pair] = line
                if card is not None:
                    key = (event.id, measure.id, card[0].value, card_key(card[1]))
                    if key in card_lines:
                        errors.append(f"dieselbe Karte steht schon in Zeile {card_lines[key]}")
                    elif key[3] in known_cards[key[:3]]:
                        errors.append("diese Karte ist schon erfasst")
                    card_lines.setdefault(key, line)
            problems.extend(f"Zeile {line}: {e}." for e in errors)
            if not errors:
                if dots is not None:
                    counts[(event.id, measure.id)] = dots
                if card is not None:
                    cards.append((event.id, measure.id, *card))
        if problems:
            raise ImportRefused(table.filename, problems)
        user, stamp = uow.repo.user(login), now()
        source = f"Import {table.filename}"
        existing = {(c.event_id, c.measure_id): c for c in uow.session.scalars(
            select(AwarenessCount).where(AwarenessCount.event_id.in_(sorted(events))))}
        replaced = 0
        total, done = len(counts) + len(cards), 0
        for (event_id, measure_id), (yes, no) in counts.items():
            count = existing.get((event_id, measure_id))
            if count is None:
                count = AwarenessCount(event_id=event_id, measure_id=measure_id)
                uow.session.add(count)
            else:
                replaced += 1
            count.known_yes, count.known_no = yes, no
            count.actor_id, count.recorded_at, count.source = user.id, stamp, source
            done += 1
            if progress:
                progress(done, total)
        for event_id, measure_id, question, text in cards:
            uow.session.add(AwarenessCard(event_id=event_id, measure_id=measure_id,
                                          question=question, text=text, actor_id=user.id,
                                          recorded_at=stamp, source=source))
            done += 1
            if progress:
                progress(done, total)
        uow.flush()
        uow.commit()
        return {"file": table.filename, "counts": len(counts) - replaced, "replaced": replaced,
                "cards": len(cards)}


def _id(text: str | None) -> int | None:
    try:
        value = int((text or "").strip())
    except ValueError:
        return None
    return value if 1 <= value <= MAX_INTEGER else None


def _by_id(session, model, ids: set[int]) -> dict[int, object]:
    if not ids:
        return {}
    return {item.id: item
            for item in session.scalars(select(model).where(model.id.in_(sorted(ids))))}


def _lookup(text: str, items: dict, what: str, errors: list[str]):
    if not text:
        errors.append(f"{what} fehlt")
        return None
    value = _id(text)
    if value is None or value not in items:
        errors.append(f"unbekannte {what} '{text}'")
        return None
    return items[value]


def _dots(row: dict, errors: list[str]) -> tuple[int, int] | None:
    yes_text, no_text = row.get("yes", ""), row.get("no", "")
    if not yes_text and not no_text:
        return None
    values = []
    for text, what in ((yes_text, "yes (grüne Punkte)"), (no_text, "no (rote Punkte)")):
        if not text:
            errors.append(f"{what} fehlt")
            continue
        try:
            value = int(text)
        except ValueError:
            errors.append(f"{what} '{text}' ist keine ganze Zahl")
            continue
        problem = rules.count_problem(value, what)
        if problem:
            errors.append(problem)
            continue
        values.append(value)
    return (values[0], values[1]) if len(values) == 2 else None


def _card(row: dict, errors: list[str]) -> tuple[Question, str] | None:
    question_text, text = row.get("question", ""), row.get("text", "")
    if not question_text and not text:
        return None
    question = None
    try:
        question = rules.parse_question(question_text) if question_text else None
    except DomainError as error:
        errors.append(str(error).rstrip("."))
    if not question_text:
        errors.append("question fehlt (publicity oder source)")
    try:
        value = rules.check_card_text(text)
    except DomainError as error:
        errors.append(str(error).rstrip("."))
        return None
    return (question, value) if question is not None else None

