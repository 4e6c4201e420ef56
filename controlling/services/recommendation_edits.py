"""Corrections of a recommendation (`recommendation edit`): the fields change in place, and
each correction is appended to `recommendation_edits` with old and new values, the reason,
who and when (controlling/domain/recommendation_edits.py has the rules)."""

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from controlling.data.models import RecommendationEdit
from controlling.domain import limits
from controlling.domain.actors import require
from controlling.domain.errors import InvalidInput, StaleEdit
from controlling.domain.recommendation_edits import FIELDS, changes_between, check_edit
from controlling.domain.vocabulary import Kind, parse_choice
from controlling.services.common import actor_of, iso_utc, now, recommendation_view

TITLE = 10_000


def _fields_of(rec) -> dict:
    return {"title": rec.title, "description": rec.description,
            "topic": rec.topic.name if rec.topic else None, "kind": rec.kind.value,
            "district": rec.district.name, "department": rec.department.code}


def edit_recommendation(uow, login: str, number: int, *, fields: dict, reason: str | None,
                        expected_version: int | None = None) -> dict:
    """Correct the given fields (title, description, topic, kind, district, department; an
    empty description or topic removes it); the view with `change` and the new version."""
    given = {k: v for k, v in fields.items() if v is not None}
    unknown = set(given) - set(FIELDS)
    if unknown:
        raise InvalidInput(f"Unbekanntes Feld: {', '.join(sorted(unknown))}.")
    if not given:
        raise InvalidInput("Keine Korrektur angegeben (z. B. --title oder --department).")
    if "title" in given and not given["title"].strip():
        raise InvalidInput("Der Titel darf nicht leer sein.")
    for name, what in (("title", "Der Titel"), ("description", "Die Beschreibung")):
        limits.check_length(given.get(name), TITLE, what)
    limits.check_length(reason, 10_000, "Die Begründung")
    with uow:
        actor = actor_of(uow, login)
        require(actor, "recommendation.add")
        rec = uow.repo.recommendation(number)
        if expected_version is not None and rec.version != expected_version:
            raise StaleEdit(f"Empfehlung {number}")
        before = _fields_of(rec)
        # every lookup before the first change: a query would flush (and count) a half edit
        resolved = {"topic": uow.repo.topic(given["topic"]) if "topic" in given else None,
                    "kind": parse_choice(Kind, given["kind"], "Art") if "kind" in given
                    else None,
                    "district": uow.repo.district(given["district"]) if "district" in given
                    else None,
                    "department": uow.repo.department(given["department"])
                    if "department" in given else None}
        if "title" in given:
            rec.title = given["title"].strip()
        if "description" in given:
            rec.description = given["description"].strip() or None
        for name, value in resolved.items():
            if name in given:
                setattr(rec, name, value)
        changes = changes_between(before, _fields_of(rec))
        if not changes:
            raise InvalidInput(f"Keine Korrektur: Empfehlung {number} hat diese Werte bereits.")
        check_edit(number, rec.status, set(changes), reason)
        stamp = now()
        rec.updated_at = stamp
        try:
            uow.flush()  # raises the version; a concurrent edit fails here
        except StaleDataError:
            raise StaleEdit(f"Empfehlung {number}") from None
        uow.session.add(RecommendationEdit(
            recommendation_id=rec.id, version=rec.version, changes=changes,
            reason=reason.strip(), actor_id=uow.repo.user(login).id, recorded_at=stamp))
        uow.flush()
        view = recommendation_view(rec)
        view["change"] = changes
        uow.commit()
        return view


def edits_of(session, recommendation_id: int) -> list[dict]:
    """The corrections of one recommendation, oldest first."""
    rows = session.scalars(select(RecommendationEdit).where(
        RecommendationEdit.recommendation_id == recommendation_id).order_by(
        RecommendationEdit.id))
    return [{"version": e.version, "changes": e.changes, "reason": e.reason,
             "actor": e.actor.login, "recorded_at": iso_utc(e.recorded_at)} for e in rows]
