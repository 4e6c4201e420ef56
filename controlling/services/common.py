"""Helpers shared by the services: the acting person, the clock, plain-data views."""

from datetime import UTC, date, datetime

from sqlalchemy import or_, select

from controlling import clock
from controlling.data.models import ProgressUpdate, Recommendation, StatusChange, Supersession
from controlling.domain.actors import Actor
from controlling.domain.vocabulary import Role


def now() -> datetime:
    """Recorded times are stored as naive UTC (the one clock: controlling/clock.py)."""
    return clock.now()


def today() -> date:
    return clock.today()


def actor_of(uow, login: str) -> Actor:
    user = uow.repo.user(login)
    if not user.active:
        from controlling.domain.errors import PermissionDenied

        raise PermissionDenied(f"Benutzer '{user.login}' ist deaktiviert und kann nicht mehr "
                               "handeln.")
    return Actor(
        login=user.login,
        role=Role(user.role),
        department=user.department.code if user.department else None,
    )


def iso_utc(value: datetime | None) -> str | None:
    return None if value is None else value.replace(tzinfo=UTC).isoformat()


def recommendation_view(rec: Recommendation) -> dict:
    return {
        "number": rec.number,
        "title": rec.title,
        "description": rec.description,
        "district": rec.district.name,
        "department": rec.department.code,
        "kind": rec.kind.value,
        "status": rec.status.value,
        "topic": rec.topic.name if rec.topic else None,
        "example": bool(rec.is_example),
        "version": rec.version,
    }


def change_view(change: StatusChange) -> dict:
    return {
        "from_status": change.from_status.value if change.from_status else None,
        "to_status": change.to_status.value,
        "actor": change.actor.login,
        "effective_on": change.effective_on.isoformat(),
        "recorded_at": iso_utc(change.recorded_at),
        "note": change.note,
        "evidence": change.evidence,
        "source": change.source,
    }


def progress_view(update: ProgressUpdate) -> dict:
    return {
        "id": update.id,
        "corrects": update.corrects_id,
        "quarter": update.quarter,
        "light": update.light.value,
        "note": update.note,
        "actor": update.actor.login,
        "effective_on": update.effective_on.isoformat(),
        "recorded_at": iso_utc(update.recorded_at),
        "source": update.source,
    }


def progress_views(updates) -> list[dict]:
    """The Sachstände of one recommendation, each with `corrected_by` (the id of the entry
    that corrects it, or None)."""
    views = [progress_view(u) for u in updates]
    by = {v["corrects"]: v["id"] for v in views if v["corrects"]}
    for view in views:
        view["corrected_by"] = by.get(view["id"])
    return views


def supersession_view(session, recommendation_id: int) -> dict:
    """`superseded_by` (the successor's number or None) and `supersedes` (the numbers of the
    recommendations this one replaced), in one statement."""
    rows = session.execute(
        select(Supersession.recommendation_id, Supersession.successor_id, Recommendation.id,
               Recommendation.number)
        .join(Recommendation, or_(
            (Supersession.recommendation_id == recommendation_id)
            & (Recommendation.id == Supersession.successor_id),
            (Supersession.successor_id == recommendation_id)
            & (Recommendation.id == Supersession.recommendation_id)))
        .order_by(Recommendation.number)
    ).all()
    superseded_by = next((row.number for row in rows
                          if row.recommendation_id == recommendation_id), None)
    supersedes = [row.number for row in rows if row.successor_id == recommendation_id]
    return {"superseded_by": superseded_by, "supersedes": supersedes}
