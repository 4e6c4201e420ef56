"""Due dates of a recommendation: its target date (Zieltermin), kept as an
append-only list of changes (the latest counts; moving or removing one needs a reason), and its
milestones (title, due date), reached by append-only completions (the youngest counts; a
correction of the day needs a reason). `due_dates` lists what is overdue and which milestones
fall due in the next quarter."""

from datetime import date

from sqlalchemy import func, select

from controlling.data.models import Milestone, MilestoneCompletion, Recommendation, TargetChange
from controlling.domain import limits
from controlling.domain.actors import require
from controlling.domain.dates import Quarter, parse_date
from controlling.domain.errors import InvalidInput, NotFound, TransitionRefused
from controlling.domain.formatting import format_date
from controlling.domain.vocabulary import Status
from controlling.services.common import actor_of, now, today

FINAL = (Status.IMPLEMENTED, Status.REJECTED, Status.SUPERSEDED)
TITLE = 300


def _changes(session, rec_id: int) -> list[TargetChange]:
    return list(session.scalars(select(TargetChange).where(
        TargetChange.recommendation_id == rec_id).order_by(TargetChange.id)))


def _milestones(session, rec_id: int) -> list[Milestone]:
    return list(session.scalars(select(Milestone).where(
        Milestone.recommendation_id == rec_id).order_by(Milestone.due_on, Milestone.id)))


def done_days(session, milestone_ids) -> dict[int, date]:
    """The day each milestone was reached, by its youngest completion (one query)."""
    ids = list(milestone_ids)
    if not ids:
        return {}
    latest = (select(func.max(MilestoneCompletion.id))
              .where(MilestoneCompletion.milestone_id.in_(ids))
              .group_by(MilestoneCompletion.milestone_id))
    return dict(session.execute(select(MilestoneCompletion.milestone_id,
                                       MilestoneCompletion.done_on)
                                .where(MilestoneCompletion.id.in_(latest))).all())


def set_target(uow, login: str, number: int, *, on: str | None, reason: str | None = None,
               clear: bool = False) -> dict:
    """`recommendation target N --on DATE [--reason]` (or `--clear --reason`)."""
    target_on = None if clear else parse_date(on, "Datum des Zieltermins")
    if target_on is None and not clear:
        raise InvalidInput("Der Zieltermin fehlt (--on JJJJ-MM-TT, oder --clear).")
    reason = (reason or "").strip() or None
    limits.check_length(reason, 10_000, "Die Begründung")
    with uow:
        actor = actor_of(uow, login)
        rec = uow.repo.recommendation(number)
        require(actor, "target.set", rec.department.code)
        if rec.status in FINAL:
            raise TransitionRefused(f"Empfehlung {number} ist {rec.status.label}: kein "
                                    "Zieltermin mehr.")
        changes = _changes(uow.session, rec.id)
        current = changes[-1].target_on if changes else None
        if changes and current == target_on:
            raise InvalidInput(f"Empfehlung {number} hat diesen Zieltermin schon.")
        if current is not None and reason is None:
            raise InvalidInput(f"Empfehlung {number} hat den Zieltermin "
                               f"{format_date(current)}: eine Änderung braucht --reason.")
        if target_on is not None and target_on < today() and current is None:
            raise InvalidInput(f"Der Zieltermin {format_date(target_on)} liegt in der "
                               "Vergangenheit.")
        uow.session.add(TargetChange(recommendation_id=rec.id, target_on=target_on,
                                     reason=reason, actor_id=uow.repo.user(login).id,
                                     recorded_at=now()))
        uow.commit()
    return dates(uow, login, number)


def add_milestone(uow, login: str, number: int, *, title: str, due: str) -> dict:
    due_on = parse_date(due, "Fälligkeitsdatum")
    title = (title or "").strip()
    if not title:
        raise InvalidInput("Der Titel des Meilensteins fehlt (--title).")
    limits.check_length(title, TITLE, "Der Titel")
    if due_on is None:
        raise InvalidInput("Das Fälligkeitsdatum fehlt (--due JJJJ-MM-TT).")
    with uow:
        actor = actor_of(uow, login)
        rec = uow.repo.recommendation(number)
        require(actor, "target.set", rec.department.code)
        if rec.status in FINAL:
            raise TransitionRefused(f"Empfehlung {number} ist {rec.status.label}: keine "
                                    "Meilensteine mehr.")
        milestone = Milestone(recommendation_id=rec.id, title=title, due_on=due_on,
                              actor_id=uow.repo.user(login).id, created_at=now())
        uow.session.add(milestone)
        uow.flush()
        view = _milestone_view(milestone, number, None)
        uow.commit()
        return view


def finish_milestone(uow, login: str, milestone_id: int, *, on: str | None = None,
                     reason: str | None = None) -> dict:
    """`recommendation milestone-done ID [--on DATE]`: reached on that day (default today,
    never in the future). Once reached, another day is a correction and needs `--reason`;
    both stay in the history."""
    done_on = parse_date(on, "Datum") or today()
    if done_on > today():
        raise InvalidInput(f"Das Datum {format_date(done_on)} liegt in der Zukunft.")
    reason = (reason or "").strip() or None
    limits.check_length(reason, 10_000, "Die Begründung")
    with uow:
        actor = actor_of(uow, login)
        milestone = uow.session.get(Milestone, milestone_id) if 0 < milestone_id <= \
            limits.MAX_INTEGER else None
        if milestone is None:
            raise NotFound(f"Unbekannter Meilenstein {milestone_id}.")
        rec = uow.session.get(Recommendation, milestone.recommendation_id)
        require(actor, "target.set", rec.department.code)
        earlier = done_days(uow.session, [milestone.id]).get(milestone.id)
        if earlier is not None and reason is None:
            raise TransitionRefused(f"Meilenstein {milestone_id} ist schon am "
                                    f"{format_date(earlier)} erreicht; ein anderer Tag ist "
                                    "eine Korrektur und braucht --reason.")
        if earlier == done_on:
            raise InvalidInput(f"Meilenstein {milestone_id} ist schon am "
                               f"{format_date(earlier)} erreicht.")
        uow.session.add(MilestoneCompletion(milestone_id=milestone.id, done_on=done_on,
                                            reason=reason, actor_id=uow.repo.user(login).id,
                                            recorded_at=now()))
        view = _milestone_view(milestone, rec.number, done_on)
        uow.commit()
        return view


def _milestone_view(milestone: Milestone, number: int, done_on: date | None) -> dict:
    day = today()
    return {"id": milestone.id, "number": number, "title": milestone.title,
            "due_on": milestone.due_on.isoformat(),
            "done_on": done_on.isoformat() if done_on else None,
            "overdue": done_on is None and milestone.due_on < day}


def dates(uow, login: str, number: int) -> dict:
    """`recommendation dates N`: target date with its history, milestones."""
    with uow:
        actor_of(uow, login)
        rec = uow.repo.recommendation(number)
        changes = _changes(uow.session, rec.id)
        current = changes[-1].target_on if changes else None
        milestones = _milestones(uow.session, rec.id)
        done = done_days(uow.session, [m.id for m in milestones])
        return {
            "number": rec.number, "title": rec.title, "status": rec.status.value,
            "target_on": current.isoformat() if current else None,
            "overdue": current is not None and current < today() and rec.status not in FINAL,
            "target_history": [{"target_on": c.target_on.isoformat() if c.target_on else None,
                                "reason": c.reason, "actor": c.actor.login,
                                "recorded_at": c.recorded_at.isoformat()} for c in changes],
            "milestones": [_milestone_view(m, rec.number, done.get(m.id))
                           for m in milestones],
        }


def due_dates(uow, login: str, quarter: str | None = None) -> dict:
    """`recommendation due`: recommendations past their target date (not final), milestones
    overdue, and milestones due in the quarter after `quarter` (default: the current one)."""
    day = today()
    base = Quarter.parse(quarter) if quarter else Quarter.of(day)
    following = base.next()
    with uow:
        actor_of(uow, login)
        latest: dict[int, date | None] = {}
        for change in uow.session.scalars(select(TargetChange).order_by(TargetChange.id)):
            latest[change.recommendation_id] = change.target_on
        recs = {r.id: r for r in uow.session.scalars(select(Recommendation).where(
            Recommendation.id.in_(list(latest) or [-1])))}
        overdue = sorted(
            ({"number": recs[i].number, "title": recs[i].title,
              "department": recs[i].department.code, "target_on": t.isoformat()}
             for i, t in latest.items()
             if t is not None and t < day and recs[i].status not in FINAL),
            key=lambda r: (r["target_on"], r["number"]))
        reached = select(MilestoneCompletion.milestone_id)
        milestones = list(uow.session.scalars(select(Milestone).where(
            Milestone.id.not_in(reached)).order_by(Milestone.due_on, Milestone.id)))
        owners = {r.id: r for r in uow.session.scalars(select(Recommendation).where(
            Recommendation.id.in_([m.recommendation_id for m in milestones] or [-1])))}
        return {
            "as_of": day.isoformat(), "next_quarter": str(following),
            "overdue_targets": overdue,
            "overdue_milestones": [
                _milestone_view(m, owners[m.recommendation_id].number, None)
                for m in milestones if m.due_on < day],
            "milestones_next_quarter": [
                _milestone_view(m, owners[m.recommendation_id].number, None) for m in milestones
                if following.start <= m.due_on <= following.end],
        }
