"""Use cases of a recommendation: add, list, show, change status, record progress."""

from dataclasses import dataclass
from datetime import date

from controlling.data.models import ProgressUpdate, Recommendation, StatusChange, Supersession
from controlling.domain import workflow
from controlling.domain.actors import require
from controlling.domain.dates import (
    Quarter,
    check_effective_date,
    check_progress_date,
    progress_date,
)
from controlling.domain.errors import (
    Conflict,
    EvidenceRefused,
    InvalidInput,
    StaleEdit,
    TransitionRefused,
)
from controlling.domain.evidence import assess
from controlling.domain.formatting import format_date
from controlling.domain.limits import check_number
from controlling.domain.vocabulary import Kind, Light, Status, parse_choice
from controlling.services.common import (
    actor_of,
    change_view,
    now,
    progress_view,
    progress_views,
    recommendation_view,
    supersession_view,
    today,
)


def new_recommendation(
    uow, *, number: int, title: str, district, department, kind: Kind, topic, description,
    effective_on: date, user, is_example: bool = False, source: str | None = None,
    correction: str | None = None,
) -> Recommendation:
    """Create a recommendation in status `proposed` and its first history entry (no commit).
    Back-dated into a published quarter it is a Nachtrag and needs `correction`."""
    (rec_id,) = new_recommendations(uow, [NewRecommendation(
        number=number, title=title, district=district, department=department, kind=kind,
        topic=topic, description=description, effective_on=effective_on,
        is_example=is_example)], user=user, source=source, correction=correction)
    return uow.session.get(Recommendation, rec_id)


@dataclass(frozen=True)
class NewRecommendation:
    """What a new recommendation is made of (district, department, topic: mapped objects)."""
    number: int
    title: str
    district: object
    department: object
    kind: Kind
    topic: object
    description: str | None
    effective_on: date
    is_example: bool = False


def new_recommendations(uow, items: list[NewRecommendation], *, user,
                        source: str | None = None, correction: str | None = None,
                        progress=None, batch: int = 1000) -> list[int]:
    """`new_recommendation` for many at once (an import); their keys, in order. The rows are
    written in batches of `batch` as multi-row Core inserts, no mapped object per row (no
    commit); the creations join the history chain as any flushed row does. `progress(done,
    total)` after each batch."""
    from controlling.data.bulk import insert_rows
    from controlling.services.publication import require_correction

    made: list[int] = []
    uow.session.flush()  # what is pending goes first, and joins the chain first
    for start in range(0, len(items), batch):
        part = items[start:start + batch]
        stamp = now()
        sources = [require_correction(uow.session, item.number, effective_on=item.effective_on,
                                      correction=correction, source=source) for item in part]
        ids = insert_rows(uow.session, Recommendation, [{
            "number": item.number, "title": item.title, "description": item.description,
            "district_id": item.district.id, "department_id": item.department.id,
            "topic_id": item.topic.id if item.topic is not None else None,
            "kind": item.kind, "status": Status.PROPOSED, "is_example": item.is_example,
            "created_at": stamp, "updated_at": stamp, "version": 1} for item in part])
        insert_rows(uow.session, StatusChange, [{
            "recommendation_id": rec_id, "from_status": None, "to_status": Status.PROPOSED,
            "actor_id": user.id, "effective_on": item.effective_on, "recorded_at": stamp,
            "note": "angelegt", "source": source_}
            for rec_id, item, source_ in zip(ids, part, sources, strict=True)])
        made += ids
        if progress:
            progress(len(made), len(items))
    return made


def add_recommendation(
    uow, login: str, *, number: int, title: str, district: str, department: str,
    kind: str = "new", topic: str | None = None, description: str | None = None,
    on: date | None = None, correction: str | None = None,
) -> dict:
    with uow:
        actor = actor_of(uow, login)
        require(actor, "recommendation.add")
        check_number(number, "Die Nummer")
        if not (title or "").strip():
            raise InvalidInput("Der Titel darf nicht leer sein.")
        if uow.repo.existing_numbers({number}):
            raise Conflict(f"Empfehlung Nummer {number} gibt es bereits.")
        effective_on = on or today()
        check_effective_date(effective_on, None, today(), number)
        rec = new_recommendation(
            uow, number=number, title=title.strip(), district=uow.repo.district(district),
            department=uow.repo.department(department), kind=parse_choice(Kind, kind, "Art"),
            topic=uow.repo.topic(topic), description=description, effective_on=effective_on,
            user=uow.repo.user(login), correction=correction,
        )
        uow.flush()
        view = recommendation_view(rec)
        uow.commit()
        return view


LIST_FIELDS = ("number", "title", "district", "department", "kind", "status", "topic",
               "example", "version")


def list_entry(view: dict) -> dict:
    """One recommendation as `recommendation list --format json` (and the API) shows it."""
    return {key: view[key] for key in LIST_FIELDS}


def _filters(uow, status, district, department, topic, text) -> dict:
    return {
        "status": parse_choice(Status, status, "Status") if status else None,
        "district": uow.repo.district(district) if district else None,
        "department": uow.repo.department(department) if department else None,
        "topic": uow.repo.topic(topic) if topic else None,
        "text": (text or "").strip() or None,
    }


def list_recommendations(
    uow, login: str, *, status: str | None = None, district: str | None = None,
    department: str | None = None, topic: str | None = None, text: str | None = None,
) -> list[dict]:
    with uow:
        actor_of(uow, login)
        recs = uow.repo.recommendations(**_filters(uow, status, district, department, topic,
                                                   text))
        return [recommendation_view(rec) for rec in recs]


def search_recommendations(
    uow, login: str, *, status: str | None = None, district: str | None = None,
    department: str | None = None, topic: str | None = None, text: str | None = None,
    page: int = 1, per_page: int = 25,
) -> dict:
    """One page of the filtered list and the total (two statements)."""
    with uow:
        actor_of(uow, login)
        filters = _filters(uow, status, district, department, topic, text)
        total = uow.repo.count_recommendations(**filters)
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        recs = uow.repo.recommendations(**filters, limit=per_page, offset=(page - 1) * per_page)
        return {"items": [recommendation_view(rec) for rec in recs], "total": total,
                "page": page, "pages": pages, "per_page": per_page}


def show_recommendation(uow, login: str, number: int) -> dict:
    from controlling.services.recommendation_edits import edits_of

    with uow:
        actor = actor_of(uow, login)
        rec = uow.repo.recommendation(number)
        view = recommendation_view(rec)
        view["history"] = [change_view(c) for c in uow.repo.history(rec.id)]
        view["progress"] = progress_views(uow.repo.progress(rec.id))
        view["edits"] = edits_of(uow.session, rec.id)
        view.update(supersession_view(uow.session, rec.id))
        view["next_actions"] = workflow.allowed_actions(
            rec.status, rec.kind, actor, rec.department.code
        )
        return view


def change_status(
    uow, login: str, number: int, action: str, *, note: str | None = None,
    on: date | None = None, indicator: str | None = None, year: int | None = None,
    expected_version: int | None = None, source: str | None = None,
    successor: int | None = None, correction: str | None = None,
    index: str | None = None, quarter: str | None = None,
) -> dict:
    """Apply one workflow action (support, approve, implement, reject, supersede). Support
    needs an `indicator`, or the Sozialindex (`index` status|dynamics, optionally of one of
    the district's Sozialquartiere: `quarter`)."""
    with uow:
        actor = actor_of(uow, login)
        rec = uow.repo.recommendation(number)
        if expected_version is not None and rec.version != expected_version:
            raise StaleEdit(f"Empfehlung {number}")
        try:
            change = apply_action(
                uow, actor, rec, action, note=note, on=on, indicator=indicator, year=year,
                source=source, correction=correction, index=index, quarter=quarter,
                successor=uow.repo.recommendation(successor) if successor is not None else None)
            uow.flush()
            view = recommendation_view(rec)
            view["change"] = {
                "from_status": change.from_status.value,
                "to_status": change.to_status.value,
                "effective_on": change.effective_on.isoformat(),
                "evidence": change.evidence,
            }
            uow.commit()
        except StaleEdit:
            raise StaleEdit(f"Empfehlung {number}") from None
        return view


def apply_action(
    uow, actor, rec: Recommendation, action: str, *, note: str | None = None,
    on: date | None = None, indicator: str | None = None, year: int | None = None,
    source: str | None = None, successor: Recommendation | None = None,
    correction: str | None = None, index: str | None = None, quarter: str | None = None,
) -> StatusChange:
    """Check the workflow rules and append the status change (no commit). `successor`: the
    new recommendation that takes over (action `supersede`; the link is written here too).
    A change effective in a published quarter is a Nachtrag and needs `correction`."""
    from controlling.services.publication import require_correction

    if action == "supersede" and successor is not None:
        _lock_pair(uow, rec, successor)
    transition = workflow.check_transition(
        action, rec.number, rec.status, rec.kind, rec.department.code, actor
    )
    if transition.needs in ("note", "reason", "successor") and not (note or "").strip():
        what = "eine Begründung (--reason)" if transition.needs == "reason" else (
            "ein Vermerk (--note)")
        raise InvalidInput(f"Für '{workflow.ACTION_LABELS[action]}' ist {what} nötig.")
    effective_on = on or today()
    check_effective_date(effective_on, uow.repo.last_change_on(rec.id), today(), rec.number)
    if transition.needs == "successor":
        _check_successor(uow, rec, successor, effective_on)
        source = source or f"ersetzt durch Empfehlung {successor.number}"
    source = require_correction(uow.session, rec.number, effective_on=effective_on,
                                correction=correction, source=source)
    evidence = None
    if transition.needs == "evidence":
        evidence = _evidence(uow, rec, indicator, year, index, quarter).as_dict()
    stamp = now()
    change = StatusChange(
        recommendation_id=rec.id, from_status=rec.status, to_status=transition.target,
        actor_id=uow.repo.user(actor.login).id, effective_on=effective_on, recorded_at=stamp,
        note=(note or "").strip() or None, evidence=evidence, source=source,
    )
    rec.status = transition.target
    rec.updated_at = stamp
    uow.session.add(change)
    uow.flush()
    if transition.needs == "successor":
        uow.session.add(Supersession(recommendation_id=rec.id, successor_id=successor.id,
                                     status_change_id=change.id))
        uow.flush()
    from controlling.services.notices import queue_status_notices

    queue_status_notices(uow.session, rec, change)  # feedback to institutions
    return change


def _lock_pair(uow, rec: Recommendation, successor: Recommendation) -> None:
    """Supersession decides on two rows: both are locked (in a fixed order) and read again,
    so the successor's status checked below is the committed one (`supersede 1
    --by 2` waiting while `supersede 2 --by 3` commits must not replace 1 by a replaced one).
    The recommendation itself changed meanwhile: a stale edit, as without the lock."""
    version = rec.version
    uow.repo.lock_recommendations(rec, successor)
    if rec.version != version:
        raise StaleEdit(f"Empfehlung {rec.number}")


def _check_successor(uow, rec: Recommendation, successor: Recommendation | None,
                     effective_on: date) -> None:
    """The new recommendation must exist, be another one, still count, and exist by then."""
    if successor is None:
        raise InvalidInput("Für 'ersetzen' ist die Nummer der neuen Empfehlung nötig (--by M).")
    if successor.id == rec.id:
        raise InvalidInput(f"Empfehlung {rec.number} kann sich nicht selbst ersetzen.")
    if successor.status in (Status.REJECTED, Status.SUPERSEDED):
        raise TransitionRefused(
            f"Empfehlung {successor.number} ist '{successor.status.label}' und kann "
            f"Empfehlung {rec.number} nicht ersetzen; möglich ist eine Empfehlung, die noch gilt."
        )
    created = uow.repo.history(successor.id)[0].effective_on
    if created > effective_on:
        raise TransitionRefused(
            f"Empfehlung {successor.number} gibt es erst ab {format_date(created)}; sie kann "
            f"Empfehlung {rec.number} nicht vorher ersetzen (Wirksamkeitsdatum "
            f"{format_date(effective_on)})."
        )


def _evidence(uow, rec: Recommendation, indicator_code: str | None, year: int | None,
              index: str | None = None, quarter: str | None = None):
    if index and (indicator_code or "").strip():
        raise InvalidInput("Bitte entweder einen Indikator (--indicator) oder den Sozialindex "
                           "(--index) als Beleg angeben, nicht beides.")
    if quarter and not index:
        raise InvalidInput("--quarter gilt nur mit dem Sozialindex (--index status|dynamics).")
    if not index and not (indicator_code or "").strip():
        raise InvalidInput("Für die statistische Stützung ist ein Indikator nötig (--indicator) "
                           "oder der Sozialindex (--index status|dynamics).")
    indicator = None if index else uow.repo.indicator(indicator_code.strip())
    if rec.district.is_citywide:
        raise EvidenceRefused(
            f"Empfehlung {rec.number} ist stadtweit: es gibt keinen Sozialraum, der mit dem "
            "stadtweiten Wert verglichen werden könnte. Möglich: freigeben nach Prüfung als "
            "Verlängerung/Verstetigung oder ablehnen."
        )
    if index:
        from controlling.services.sozialindex import index_evidence

        return index_evidence(uow, rec, index=index, year=year, quarter=quarter)
    return assess(
        number=rec.number, indicator=indicator.code, label=indicator.label,
        higher_is_worse=indicator.higher_is_worse, district=rec.district.name,
        district_values=uow.repo.indicator_values(indicator, rec.district),
        city_values=uow.repo.indicator_values(indicator, uow.repo.citywide()),
        year=year,
    )


def record_progress(
    uow, login: str, number: int, *, quarter: str, light: str, note: str,
    on: date | None = None, expected_version: int | None = None, source: str | None = None,
    correction: str | None = None, corrects: int | None = None,
) -> dict:
    """A quarterly Sachstand with traffic light for an approved recommendation; `corrects`:
    the id of an earlier Sachstand of the same quarter this one corrects."""
    with uow:
        actor = actor_of(uow, login)
        rec = uow.repo.recommendation(number)
        if expected_version is not None and rec.version != expected_version:
            raise StaleEdit(f"Empfehlung {number}")
        try:
            update = apply_progress(uow, actor, rec, quarter=quarter, light=light, note=note,
                                    on=on, source=source, correction=correction,
                                    corrects=corrects)
            view = recommendation_view(rec)
            view["progress"] = progress_view(update)
            uow.commit()
        except StaleEdit:
            raise StaleEdit(f"Empfehlung {number}") from None
        return view


def apply_progress(
    uow, actor, rec: Recommendation, *, quarter: str, light: str, note: str,
    on: date | None = None, source: str | None = None, correction: str | None = None,
    corrects: int | None = None,
) -> ProgressUpdate:
    """Check the rules and append the progress update (no commit). Without `on` the effective
    date is today while the quarter runs and its last day after it (domain.dates.progress_date);
    a Sachstand for a published quarter is a Nachtrag and needs `correction`."""
    from controlling.services.publication import require_correction

    require(actor, "progress", rec.department.code)
    parsed_quarter = Quarter.parse(quarter)
    parsed_light = parse_choice(Light, light, "Ampel")
    if rec.status != Status.APPROVED:
        raise TransitionRefused(
            f"Sachstände gibt es nur für freigegebene Empfehlungen; Empfehlung {rec.number} "
            f"ist '{rec.status.label}'."
        )
    if not (note or "").strip():
        raise InvalidInput("Der Sachstand braucht einen Text (--note).")
    if parsed_quarter.start > today():
        raise InvalidInput(f"Das {parsed_quarter.label} hat noch nicht begonnen; Sachstände "
                           "gibt es erst ab Quartalsbeginn.")
    previous = uow.repo.last_change_on(rec.id)
    effective_on = progress_date(parsed_quarter, on, today(), previous)
    check_effective_date(effective_on, previous, today(), rec.number)
    check_progress_date(parsed_quarter, effective_on)
    if corrects is not None:
        _check_corrects(uow.session, rec, corrects, str(parsed_quarter))
    source = require_correction(uow.session, rec.number, quarter=str(parsed_quarter),
                                correction=correction, source=source)
    stamp = now()
    update = ProgressUpdate(
        recommendation_id=rec.id, quarter=str(parsed_quarter), light=parsed_light,
        note=note.strip(), actor_id=uow.repo.user(actor.login).id, effective_on=effective_on,
        recorded_at=stamp, source=source, corrects_id=corrects,
    )
    rec.updated_at = stamp  # bumps the version: concurrent edits see the change
    uow.session.add(update)
    uow.flush()
    return update


def _check_corrects(session, rec: Recommendation, corrects: int, quarter: str) -> None:
    from sqlalchemy import select

    from controlling.domain.limits import MAX_INTEGER
    from controlling.domain.progress_corrections import check_progress_correction

    found = session.execute(select(ProgressUpdate.recommendation_id, ProgressUpdate.quarter)
                            .where(ProgressUpdate.id == corrects)).first() \
        if 0 < corrects <= MAX_INTEGER else None
    corrected_by = session.scalar(select(ProgressUpdate.id).where(
        ProgressUpdate.corrects_id == corrects).limit(1)) if found else None
    check_progress_correction(
        rec.number, corrects, (rec.number, found[1]) if found and found[0] == rec.id else None,
        quarter, corrected_by)
