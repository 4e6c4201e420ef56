"""Events: expert dialogues (Expert*innendialoge) and the Sozialkonferenz."""

from datetime import date

from controlling.data.models import Event
from controlling.data.triage_repository import TriageRepository
from controlling.domain.actors import require
from controlling.domain.errors import Conflict, InvalidInput
from controlling.domain.events import (
    EVENT_TITLE,
    REFERENCE_EVENTS,
    DatePrecision,
    EventFormat,
    EventKind,
    event_title,
    format_event_date,
)
from controlling.domain.limits import MAX_INTEGER, check_length
from controlling.domain.vocabulary import parse_choice
from controlling.services.common import actor_of, now


def event_view(event: Event) -> dict:
    return {
        "id": event.id,
        "kind": event.kind.value,
        "title": event.title,
        "district": event.district.name,
        "held_on": event.held_on.isoformat(),
        "date_precision": event.date_precision.value,
        "date": format_event_date(event.held_on, event.date_precision),
        "round": event.round,
        "format": event.format.value,
        "participants": event.participants,
        "institutions": event.institutions,
        "note": event.note,
        "reference": bool(event.is_reference),
        "example": bool(event.is_example),
    }


def _count(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if not 0 <= value <= MAX_INTEGER:
        raise InvalidInput(f"{what} {value} ist keine gültige Anzahl.")
    return value


def add_event(
    uow, login: str, *, district: str | None, held_on: date, kind: str = "expert_dialogue",
    event_format: str = "conference", round_: int | None = None,
    participants: int | None = None, institutions: int | None = None,
    title: str | None = None, note: str | None = None, month_only: bool = False,
) -> dict:
    """Record an event; the Sozialkonferenz is city-wide unless a district is given."""
    with uow:
        require(actor_of(uow, login), "event.record")
        parsed_kind = parse_choice(EventKind, kind, "Art der Veranstaltung")
        parsed_format = parse_choice(EventFormat, event_format, "Format")
        if held_on is None:
            raise InvalidInput("Der Tag der Veranstaltung fehlt (--on JJJJ-MM-TT).")
        if not district:
            if parsed_kind != EventKind.SOCIAL_CONFERENCE:
                raise InvalidInput("Ein Expert*innendialog braucht einen Sozialraum (--district).")
            found = uow.repo.citywide()
        else:
            found = uow.repo.district(district)
        if round_ is not None and not 1 <= round_ <= 1000:
            raise InvalidInput(f"Runde {round_} ist ungültig (erwartet 1, 2, ...).")
        precision = DatePrecision.MONTH if month_only else DatePrecision.DAY
        if month_only:
            held_on = held_on.replace(day=1)
        text = (title or "").strip() or event_title(parsed_kind, found.name, round_)
        check_length(text, EVENT_TITLE, "Der Titel")
        if TriageRepository(uow.session).event_by_key(parsed_kind, found.id, held_on):
            raise Conflict(
                f"{parsed_kind.label} in {found.name} am "
                f"{format_event_date(held_on, precision)} gibt es bereits."
            )
        event = Event(
            kind=parsed_kind, title=text, district=found, held_on=held_on,
            date_precision=precision, round=round_, format=parsed_format,
            participants=_count(participants, "Teilnehmende"),
            institutions=_count(institutions, "Institutionen"),
            note=(note or "").strip() or None, created_at=now(),
        )
        uow.session.add(event)
        uow.flush()
        view = event_view(event)
        uow.commit()
        return view


def load_reference_events(uow, login: str) -> dict:
    """Add the twelve expert dialogues of DOMAIN.md that are missing; harmless to repeat."""
    with uow:
        require(actor_of(uow, login), "event.record")
        repo = TriageRepository(uow.session)
        added = []
        for district_name, held_on, precision, round_, event_format, participants in (
                REFERENCE_EVENTS):
            district = uow.repo.district(district_name)
            if repo.event_by_key(EventKind.EXPERT_DIALOGUE, district.id, held_on):
                continue
            event = Event(
                kind=EventKind.EXPERT_DIALOGUE,
                title=event_title(EventKind.EXPERT_DIALOGUE, district.name, round_),
                district=district, held_on=held_on, date_precision=precision, round=round_,
                format=event_format, participants=participants, is_reference=True,
                created_at=now(),
            )
            uow.session.add(event)
            added.append(event)
        uow.flush()
        result = {"added": len(added), "present": len(REFERENCE_EVENTS) - len(added),
                  "events": [event_view(e) for e in added]}
        uow.commit()
        return result


def list_events(uow, login: str, *, district: str | None = None) -> list[dict]:
    """Events by date, each with its number of suggestions and of open ones."""
    with uow:
        actor_of(uow, login)
        repo = TriageRepository(uow.session)
        district_id = uow.repo.district(district).id if district else None
        counts = repo.suggestion_counts()
        rows = []
        for event in repo.events(district_id):
            view = event_view(event)
            view["suggestions"], view["open"] = counts.get(event.id, (0, 0))
            rows.append(view)
        return rows


def show_event(uow, login: str, event_id: int) -> dict:
    from controlling.services.suggestions import suggestion_view

    with uow:
        actor_of(uow, login)
        repo = TriageRepository(uow.session)
        view = event_view(repo.event(event_id))
        view["suggestion_list"] = [suggestion_view(s) for s in repo.suggestions(event_id=event_id)]
        return view
