"""Suggestions (Hinweise) from events: record, import, list, show, carry over."""

from collections.abc import Callable
from pathlib import Path

from controlling.data.models import Suggestion, SuggestionOutcome
from controlling.data.triage_repository import TriageRepository
from controlling.domain.actors import require
from controlling.domain.errors import DomainError, ImportRefused, InvalidInput
from controlling.domain.events import format_event_date
from controlling.domain.formatting import format_date
from controlling.domain.limits import check_length
from controlling.domain.measures import INSTITUTION_KIND, check_no_personal_data
from controlling.domain.similarity import near_duplicates, normalise
from controlling.domain.triage import NOT_SUPPORTED
from controlling.domain.vocabulary import Status
from controlling.services.common import actor_of, iso_utc, now, today
from controlling.services.roundtrip import SUGGESTION_INFORMATIONAL
from controlling.services.tabular import read_table

COLUMNS = ("text",)
OPTIONAL = ("event", "district", "topic", "institution_kind")

Progress = Callable[[int, int], None] | None


def outcome_view(outcome: SuggestionOutcome | None) -> dict | None:
    if outcome is None:
        return None
    rec = outcome.recommendation
    return {
        "outcome": outcome.outcome.value,
        "measure_id": outcome.measure_id,
        "recommendation": rec.number if rec else None,
        "recommendation_status": rec.status.value if rec else None,
        "reason": outcome.reason,
        "note": outcome.note,
        "actor": outcome.actor.login,
        "decided_on": outcome.decided_on.isoformat(),
        "recorded_at": iso_utc(outcome.recorded_at),
    }


def suggestion_view(suggestion: Suggestion, similar: dict[int, list[int]] | None = None) -> dict:
    event = suggestion.event
    view = {
        "id": suggestion.id,
        "event_id": event.id,
        "event": event.title,
        "event_date": format_event_date(event.held_on, event.date_precision),
        "held_on": event.held_on.isoformat(),
        "district": suggestion.district.name,
        "topic": suggestion.topic.name if suggestion.topic else None,
        "text": suggestion.text,
        "institution_kind": suggestion.institution_kind,
        "status": suggestion.outcome.outcome.value if suggestion.outcome else "open",
        "outcome": outcome_view(suggestion.outcome),
        "recorded_by": suggestion.actor.login,
        "created_at": iso_utc(suggestion.created_at),
        "source": suggestion.source,
        "example": bool(suggestion.is_example),
    }
    if similar is not None:
        view["similar_to"] = similar.get(suggestion.id, [])
    return view


def _similar(suggestions: list[Suggestion]) -> dict[int, list[int]]:
    return near_duplicates([(s.id, s.district_id, s.topic_id, s.text) for s in suggestions])


def _check_event_date(event) -> None:
    if event.held_on > today():
        raise InvalidInput(
            f"Veranstaltung {event.id} findet erst am "
            f"{format_event_date(event.held_on, event.date_precision)} statt; Hinweise werden "
            "danach erfasst."
        )


def add_suggestion(
    uow, login: str, *, event_id: int, text: str, district: str | None = None,
    topic: str | None = None, institution_kind: str | None = None,
) -> dict:
    """Record one suggestion; the answer names near-duplicates already recorded."""
    with uow:
        require(actor_of(uow, login), "suggestion.record")
        repo = TriageRepository(uow.session)
        event = repo.event(event_id)
        _check_event_date(event)
        if not (text or "").strip():
            raise InvalidInput("Der Text des Hinweises darf nicht leer sein (--text).")
        kind = check_no_personal_data(institution_kind, "Die Art der Einrichtung")
        check_length(kind, INSTITUTION_KIND, "Die Art der Einrichtung")
        suggestion = Suggestion(
            event=event, district=uow.repo.district(district) if district else event.district,
            topic=uow.repo.topic(topic), text=text.strip(), institution_kind=kind,
            actor=uow.repo.user(login), created_at=now(),
        )
        uow.session.add(suggestion)
        uow.flush()
        similar = _similar(repo.suggestions(district_id=suggestion.district_id))
        view = suggestion_view(repo.suggestion(suggestion.id), similar)
        uow.commit()
        return view


def list_suggestions(
    uow, login: str, *, open_only: bool = False, event_id: int | None = None,
    district: str | None = None, topic: str | None = None,
) -> list[dict]:
    """Suggestions by event date, event and district (the backlog with `open_only`)."""
    with uow:
        actor_of(uow, login)
        repo = TriageRepository(uow.session)
        if event_id is not None:
            repo.event(event_id)
        district_id = uow.repo.district(district).id if district else None
        found_topic = uow.repo.topic(topic)
        every = repo.suggestions(district_id=district_id)
        similar = _similar(every)
        return [
            suggestion_view(s, similar) for s in every
            if (event_id is None or s.event_id == event_id)
            and (found_topic is None or s.topic_id == found_topic.id)
            and (not open_only or s.outcome is None)
        ]


def show_suggestion(uow, login: str, suggestion_id: int) -> dict:
    with uow:
        actor_of(uow, login)
        repo = TriageRepository(uow.session)
        suggestion = repo.suggestion(suggestion_id)
        similar = _similar(repo.suggestions(district_id=suggestion.district_id))
        return suggestion_view(suggestion, similar)


def carry_over(uow, login: str, *, district: str) -> dict:
    """What the district's next event should take up again: open suggestions and those whose
    recommendation was rejected as not statistically supported; near-duplicates flagged."""
    with uow:
        actor_of(uow, login)
        repo = TriageRepository(uow.session)
        found = uow.repo.district(district)
        every = repo.suggestions(district_id=found.id)
        rejected = {s.outcome.recommendation_id for s in every
                    if s.outcome and s.outcome.recommendation
                    and s.outcome.recommendation.status == Status.REJECTED}
        notes = repo.last_notes(rejected)
        similar = _similar(every)
        carried = []
        for s in every:
            if s.outcome is None:
                reason = "open"
            elif (s.outcome.recommendation_id in rejected
                  and (notes.get(s.outcome.recommendation_id) or "").startswith(NOT_SUPPORTED)):
                reason = "not_supported"
            else:
                continue
            view = suggestion_view(s, similar)
            view["carry_reason"] = reason
            carried.append(view)
        upcoming = [e for e in repo.events(found.id) if e.held_on >= today()]
        from controlling.services.events import event_view

        return {
            "district": found.name,
            "as_of": today().isoformat(),
            "next_event": event_view(upcoming[0]) if upcoming else None,
            "suggestions": carried,
        }


def import_suggestions(uow, login: str, path: str | Path, *, event_id: int | None = None,
                       progress: Progress = None) -> dict:
    """Suggestions from .csv/.xlsx: every row checked first, then all written or none."""
    with uow:
        require(actor_of(uow, login), "suggestion.record")
        repo = TriageRepository(uow.session)
        table = read_table(path, COLUMNS, OPTIONAL, informational=SUGGESTION_INFORMATIONAL)
        by_id_column = "event_id" in table.header  # a file of `export suggestions`
        if by_id_column and "event" in table.header:
            table.informational.append("event")  # there the event's title, beside its id
        default_event = repo.event(event_id) if event_id is not None else None
        districts = uow.repo.district_by_name()
        topics = uow.repo.topic_by_name()
        events: dict[int, object] = {}
        every = repo.suggestions()
        stored = {s.id: s for s in every}
        existing = {(s.event_id, normalise(s.text)) for s in every}
        seen: dict[tuple[int, str], int] = {}
        problems: list[str] = []
        valid = []
        unchanged = 0
        for line, row in table.rows:
            errors: list[str] = []
            event = default_event
            event_cell = row.get("event_id") if by_id_column else row.get("event")
            if event_cell:
                event = _event_of(repo, events, event_cell, errors)
            elif event is None:
                errors.append("Veranstaltung fehlt (Spalte event oder Option --event)")
            if event is not None and event.held_on > today():
                errors.append(f"Veranstaltung {event.id} liegt in der Zukunft "
                              f"({format_date(event.held_on)})")
            text = row.get("text", "")
            if not text:
                errors.append("Text fehlt")
            district = event.district if event is not None else None
            if row.get("district"):
                district = districts.get(row["district"].lower())
                if district is None:
                    errors.append(f"unbekannter Sozialraum '{row['district']}'")
            topic = None
            if row.get("topic"):
                topic = topics.get(row["topic"].lower())
                if topic is None:
                    errors.append(f"unbekanntes Thema '{row['topic']}'")
            kind = row.get("institution_kind") or None
            try:
                check_no_personal_data(kind, "institution_kind")
                check_length(kind, INSTITUTION_KIND, "institution_kind")
            except DomainError as error:
                errors.append(str(error).rstrip("."))
            known = stored.get(int(row["id"])) if row.get("id", "").isdigit() else None
            if known is not None:  # a row of an export: unchanged, or not ours to change
                if not errors:
                    differences = [column for column, new, old in (
                        ("event", event.id if event else None, known.event_id),
                        ("text", text, known.text),
                        ("district", district.id if district else None, known.district_id),
                        ("topic", topic.id if topic else None, known.topic_id),
                        ("institution_kind", kind, known.institution_kind or None),
                    ) if new != old]
                    if differences:
                        errors.append(f"Hinweis {known.id} gibt es bereits (abweichend: "
                                      f"{', '.join(differences)}; der Import legt nur neue "
                                      "Hinweise an)")
                    else:
                        unchanged += 1
                problems.extend(f"Zeile {line}: {e}." for e in errors)
                continue
            if event is not None and text:
                key = (event.id, normalise(text))
                if key in seen:
                    errors.append(f"derselbe Hinweis steht schon in Zeile {seen[key]}")
                elif key in existing:
                    errors.append(f"denselben Hinweis gibt es für Veranstaltung {event.id} "
                                  "bereits in der Datenbank")
                seen.setdefault(key, line)
            problems.extend(f"Zeile {line}: {e}." for e in errors)
            if not errors:
                valid.append((event, district, topic, text, kind))
        if problems:
            raise ImportRefused(table.filename, problems)
        user = uow.repo.user(login)
        stamp = now()
        for index, (event, district, topic, text, kind) in enumerate(valid, start=1):
            uow.session.add(Suggestion(
                event=event, district=district, topic=topic, text=text, institution_kind=kind,
                actor=user, created_at=stamp, source=f"Import {table.filename}",
            ))
            if progress:
                progress(index, len(valid))
        uow.flush()
        uow.commit()
        return {"file": table.filename, "imported": len(valid), "unchanged": unchanged,
                "notes": table.notes(used=("id", "event_id"))}


def _event_of(repo, cache: dict, text: str, errors: list[str]):
    try:
        event_id = int(text)
    except ValueError:
        errors.append(f"Veranstaltung '{text}' ist keine Nummer")
        return None
    if event_id not in cache:
        cache[event_id] = repo.find_event(event_id)
    if cache[event_id] is None:
        errors.append(f"unbekannte Veranstaltung {event_id}")
    return cache[event_id]
