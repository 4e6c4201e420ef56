"""What waits for a department head: recommendations to decide ("Zur Freigabe") and approved
ones without a Sachstand for a quarter. Which recommendations a head may decide comes from the
workflow table itself (allowed_actions), never from a second list of statuses. Each function
loads what it shows in a fixed number of statements."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from controlling.data.models import (
    Event,
    Measure,
    ProgressUpdate,
    Recommendation,
    StatusChange,
    Suggestion,
    SuggestionOutcome,
    recommendation_measures,
)
from controlling.domain import workflow
from controlling.domain.actors import require
from controlling.domain.dates import Quarter
from controlling.domain.vocabulary import Status
from controlling.services.common import actor_of, change_view, recommendation_view, today

OPEN = (Status.PROPOSED, Status.STATISTICALLY_SUPPORTED)


def last_completed_quarter() -> Quarter:
    """The quarter an update round is about: the last one that has ended."""
    return Quarter.of(today()).previous()


def _recommendations(session, department_id: int, statuses) -> list[Recommendation]:
    return list(session.scalars(
        select(Recommendation)
        .options(joinedload(Recommendation.district), joinedload(Recommendation.department),
                 joinedload(Recommendation.topic))
        .where(Recommendation.department_id == department_id,
               Recommendation.status.in_(statuses))
        .order_by(Recommendation.number)))


def _histories(session, ids: list[int]) -> dict[int, list[StatusChange]]:
    result: dict[int, list[StatusChange]] = defaultdict(list)
    if ids:
        for change in session.scalars(
                select(StatusChange).options(joinedload(StatusChange.actor))
                .where(StatusChange.recommendation_id.in_(ids))
                .order_by(StatusChange.effective_on, StatusChange.id)):
            result[change.recommendation_id].append(change)
    return result


def _origins(session, ids: list[int]) -> dict[int, dict]:
    """Events and suggestions the recommendations came from, and their measure profiles."""
    result = {i: {"suggestions": [], "measures": []} for i in ids}
    if not ids:
        return result
    rows = session.execute(
        select(SuggestionOutcome.recommendation_id, Suggestion.id, Suggestion.text, Event.id,
               Event.title, Event.held_on)
        .join(Suggestion, Suggestion.id == SuggestionOutcome.suggestion_id)
        .join(Event, Event.id == Suggestion.event_id)
        .where(SuggestionOutcome.recommendation_id.in_(ids))
        .order_by(Event.held_on, Suggestion.id)).all()
    for rec_id, sid, text, eid, title, held_on in rows:
        result[rec_id]["suggestions"].append({"id": sid, "text": text, "event_id": eid,
                                              "event": title, "held_on": held_on.isoformat()})
    for rec_id, mid, title in session.execute(
            select(recommendation_measures.c.recommendation_id, Measure.id, Measure.title)
            .join(Measure, Measure.id == recommendation_measures.c.measure_id)
            .where(recommendation_measures.c.recommendation_id.in_(ids))
            .order_by(Measure.id)).all():
        result[rec_id]["measures"].append({"id": mid, "title": title})
    return result


def awaiting_decision(uow, login: str, actions: tuple[str, ...] = ("approve",)) -> list[dict]:
    """The head's department's recommendations they may approve now (or take another of
    `actions`), each with its evidence (from the history), origin and history, and the
    actions open to them."""
    with uow:
        actor = actor_of(uow, login)
        require(actor, "web.head")
        department = uow.repo.department(actor.department)
        candidates = [
            rec for rec in _recommendations(uow.session, department.id, OPEN)
            if set(actions) & set(workflow.allowed_actions(rec.status, rec.kind, actor,
                                                           department.code))]
        ids = [rec.id for rec in candidates]
        histories, origins = _histories(uow.session, ids), _origins(uow.session, ids)
        items = []
        for rec in candidates:
            view = recommendation_view(rec)
            history = histories[rec.id]
            supported = [c for c in history if c.to_status == Status.STATISTICALLY_SUPPORTED]
            view["evidence"] = supported[-1].evidence if supported else None
            view["history"] = [change_view(c) for c in history]
            view.update(origins[rec.id])
            view["next_actions"] = workflow.allowed_actions(rec.status, rec.kind, actor,
                                                            department.code)
            items.append(view)
        return items


def awaiting_progress(uow, login: str, quarter: str | None = None) -> dict:
    """The head's approved recommendations without a Sachstand for the quarter (default: the
    last completed one)."""
    wanted = Quarter.parse(quarter) if quarter else last_completed_quarter()
    with uow:
        actor = actor_of(uow, login)
        require(actor, "web.head")
        department = uow.repo.department(actor.department)
        recs = _recommendations(uow.session, department.id, (Status.APPROVED,))
        done = answered(uow.session, [rec.id for rec in recs], wanted)
        items = [recommendation_view(rec) for rec in recs if rec.id not in done]
        return {"quarter": str(wanted), "quarter_label": wanted.label, "items": items,
                "answered": len(done), "approved": len(recs),
                "department": department.code}


def answered(session, ids: list[int], quarter: Quarter) -> set[int]:
    """The ids among `ids` of recommendations with a Sachstand for the quarter."""
    from controlling.data.repositories import chunked

    done: set[int] = set()
    for part in chunked(ids):
        done.update(session.scalars(
            select(ProgressUpdate.recommendation_id).where(
                ProgressUpdate.recommendation_id.in_(part),
                ProgressUpdate.quarter == str(quarter))))
    return done
