"""Published editions: freeze the recommendations and measure profiles, list the editions,
and show what was added, changed or withdrawn since one of them."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from controlling.data.models import (
    Edition,
    EditionItem,
    MeasureChange,
    Recommendation,
    StatusChange,
    Supersession,
    recommendation_measures,
)
from controlling.data.repositories import Repository
from controlling.data.triage_repository import TriageRepository
from controlling.domain import editions as rules
from controlling.domain.actors import require
from controlling.domain.editions import ItemKind
from controlling.domain.errors import Conflict, InvalidInput, NotFound
from controlling.domain.formatting import format_date
from controlling.services.common import actor_of, iso_utc, now, today
from controlling.services.measures import snapshot as measure_snapshot


# the current state as plain data ----------------------------------------------------------------
def current_state(session) -> dict[ItemKind, dict[int, dict]]:
    """Every recommendation (by number) and measure profile (by id) as it is now, in a fixed
    number of statements."""
    successor = Recommendation.__table__.alias("successor")
    superseded_by = dict(session.execute(
        select(Supersession.recommendation_id, successor.c.number)
        .join(successor, successor.c.id == Supersession.successor_id)).all())
    measures_of: dict[int, list[int]] = {}
    for rec_id, measure_id in session.execute(
            select(recommendation_measures.c.recommendation_id,
                   recommendation_measures.c.measure_id)
            .order_by(recommendation_measures.c.measure_id)):
        measures_of.setdefault(rec_id, []).append(measure_id)
    recommendations = {
        rec.number: {
            "number": rec.number,
            "title": rec.title,
            "description": rec.description,
            "district": rec.district.name,
            "department": rec.department.code,
            "kind": rec.kind.value,
            "topic": rec.topic.name if rec.topic else None,
            "status": rec.status.value,
            "superseded_by": superseded_by.get(rec.id),
            "measures": measures_of.get(rec.id, []),
        }
        for rec in Repository(session).recommendations()
    }
    measures = {
        measure.id: {"id": measure.id, **measure_snapshot(measure),
                     "recommendations": [r.number for r in measure.recommendations]}
        for measure in TriageRepository(session).measures()
    }
    return {ItemKind.RECOMMENDATION: recommendations, ItemKind.MEASURE: measures}


def _edition(session, name: str) -> Edition:
    found = session.scalar(select(Edition).where(Edition.name == (name or "").strip()))
    if found is None:
        known = session.scalars(select(Edition.name).order_by(Edition.published_on, Edition.id))
        listing = ", ".join(known) or "noch keine"
        raise NotFound(f"Unbekannte Ausgabe '{name}' (veröffentlicht: {listing}).")
    return found


def _frozen(session, edition: Edition) -> dict[ItemKind, dict[int, dict]]:
    state: dict[ItemKind, dict[int, dict]] = {kind: {} for kind in ItemKind}
    for kind, reference, data in session.execute(
            select(EditionItem.kind, EditionItem.reference, EditionItem.data)
            .where(EditionItem.edition_id == edition.id)):
        state[ItemKind(kind)][reference] = data
    return state


def edition_view(edition: Edition, counts: dict[str, int]) -> dict:
    return {
        "name": edition.name,
        "published_on": edition.published_on.isoformat(),
        "actor": edition.actor.login,
        "recorded_at": iso_utc(edition.recorded_at),
        "note": edition.note,
        "recommendations": counts.get(ItemKind.RECOMMENDATION.value, 0),
        "measures": counts.get(ItemKind.MEASURE.value, 0),
    }


def latest_change(session) -> tuple[date, str] | None:
    """The day of the youngest change of what an edition freezes, and what it was: the latest
    effective date of a recommendation's status change (creation included) and the latest
    recorded day of a measure profile (creation or edit; profiles have no other date). Two
    statements."""
    found = []
    status = session.execute(
        select(StatusChange.effective_on, Recommendation.number)
        .join(Recommendation, Recommendation.id == StatusChange.recommendation_id)
        .order_by(StatusChange.effective_on.desc(), StatusChange.id.desc()).limit(1)).first()
    if status is not None:
        found.append((status[0], f"Empfehlung {status[1]}, wirksam {format_date(status[0])}"))
    profile = session.execute(
        select(MeasureChange.recorded_at, MeasureChange.measure_id)
        .order_by(MeasureChange.recorded_at.desc(), MeasureChange.id.desc()).limit(1)).first()
    if profile is not None:
        day = profile[0].date()
        found.append((day, f"Maßnahmensteckbrief {profile[1]}, erfasst am {format_date(day)}"))
    return max(found, key=lambda item: item[0]) if found else None


def check_publication_date(session, published_on: date) -> None:
    """An edition freezes the state as it is now, so its date may not lie before the
    youngest change of that state (latest_change): the content would otherwise stand under
    a day on which it did not yet hold (a decision on the published reports)."""
    latest = latest_change(session)
    if latest is not None and published_on < latest[0]:
        raise InvalidInput(
            f"Das Veröffentlichungsdatum {format_date(published_on)} liegt vor der letzten "
            f"Änderung dessen, was die Ausgabe festhält ({latest[1]}); eine Ausgabe hält den "
            "jetzigen Stand fest, unter einem früheren Datum stünde er für einen Tag, an dem er "
            f"noch nicht galt. Bitte ohne --on oder mit einem Datum ab dem "
            f"{format_date(latest[0])} veröffentlichen.")


# use cases ----------------------------------------------------------------------------------------
def publish_edition(uow, login: str, name: str, *, on: date | None = None,
                    note: str | None = None) -> dict:
    """Freeze every recommendation and measure profile as they are now, as edition `name`
    published on `on` (default today; not in the future, and not before the youngest change
    of what is frozen: check_publication_date)."""
    with uow:
        actor = actor_of(uow, login)
        require(actor, "edition.publish")
        name = rules.check_name(name)
        published_on = on or today()
        if published_on > today():
            raise InvalidInput(
                f"Das Veröffentlichungsdatum {format_date(published_on)} liegt in der Zukunft.")
        if uow.session.scalar(select(Edition.id).where(Edition.name == name)) is not None:
            raise Conflict(f"Eine Ausgabe '{name}' gibt es bereits; Ausgaben werden nicht "
                           "überschrieben, bitte einen anderen Namen wählen.")
        state = current_state(uow.session)
        if not any(state.values()):
            raise InvalidInput("Es gibt weder Empfehlungen noch Maßnahmensteckbriefe: nichts "
                               "zu veröffentlichen.")
        check_publication_date(uow.session, published_on)
        edition = Edition(name=name, published_on=published_on, actor_id=uow.repo.user(login).id,
                          recorded_at=now(), note=(note or "").strip() or None)
        uow.session.add(edition)
        uow.flush()
        uow.session.add_all(
            EditionItem(edition_id=edition.id, kind=kind, reference=reference, data=data)
            for kind, items in state.items() for reference, data in items.items()
        )
        uow.flush()
        view = edition_view(edition, {kind.value: len(items) for kind, items in state.items()})
        uow.commit()
        return view


def list_editions(uow, login: str) -> list[dict]:
    with uow:
        actor_of(uow, login)
        counts: dict[int, dict[str, int]] = {}
        for edition_id, kind, count in uow.session.execute(
                select(EditionItem.edition_id, EditionItem.kind, func.count())
                .group_by(EditionItem.edition_id, EditionItem.kind)):
            counts.setdefault(edition_id, {})[getattr(kind, "value", kind)] = count
        editions = uow.session.scalars(
            select(Edition).options(joinedload(Edition.actor))
            .order_by(Edition.published_on, Edition.id))
        return [edition_view(e, counts.get(e.id, {})) for e in editions]


def diff_edition(uow, login: str, name: str, *, against: str | None = None) -> dict:
    """What was added, changed (field by field) or withdrawn since edition `name`: compared
    with the current state, or with the later edition `against`."""
    with uow:
        actor_of(uow, login)
        edition = _edition(uow.session, name)
        old = _frozen(uow.session, edition)
        if against:
            other = _edition(uow.session, against)
            new = _frozen(uow.session, other)
            compared = {"name": other.name, "published_on": other.published_on.isoformat(),
                        "current": False}
        else:
            new = current_state(uow.session)
            compared = {"name": None, "published_on": None, "current": True}
        diff = {kind.value + "s": rules.diff_items(kind, old[kind], new[kind])
                for kind in ItemKind}
        return {
            "edition": {"name": edition.name, "published_on": edition.published_on.isoformat()},
            "compared_with": compared,
            **diff,
            "summary": rules.summary(diff),
        }
