"""The quarterly update round by e-mail: start, state, reminders and escalation.

`start_round` records the round, one request per department with approved recommendations to
its head(s) (a link to their Sachstand page and the signed workbook attached), queues the
messages and delivers them. `round_state` tells what was asked and answered. `remind`, meant for
a daily timer, queues what is due today (a reminder before the due date, one when overdue and
every seven days after, a summary to the planners and the escalation address after the
configured delay) and delivers everything still queued: each message has a `dedupe_key`, so a
second run on the same day sends nothing new. The texts are in controlling/services/round_mail.py.
"""

from datetime import date

from sqlalchemy import select

from controlling.data.models import (
    MailMessage,
    Recommendation,
    RoundRequest,
    UpdateRound,
    User,
)
from controlling.domain.actors import require
from controlling.domain.dates import Quarter, parse_date
from controlling.domain.errors import Conflict, InvalidInput, NotFound
from controlling.domain.formatting import format_date
from controlling.domain.vocabulary import Role, Status
from controlling.services import round_mail
from controlling.services.approvals import answered
from controlling.services.common import actor_of, now, today
from controlling.services.mail import MailSettings, deliver, message_view, settings

OVERDUE_EVERY_DAYS = 7


def start_round(uow, login: str, *, quarter: str, due: str, dry_run: bool = False,
                config: MailSettings | None = None) -> dict:
    config = config or settings()
    parsed = Quarter.parse(quarter)
    due_on = parse_date(due, "Fälligkeitsdatum")
    if due_on is None:
        raise InvalidInput("Das Fälligkeitsdatum fehlt (--due JJJJ-MM-TT).")
    with uow:
        actor = actor_of(uow, login)
        require(actor, "round.manage")
        if due_on < today():
            raise InvalidInput(f"Das Fälligkeitsdatum {format_date(due_on)} liegt in der "
                               "Vergangenheit.")
        if parsed.start > today():
            raise InvalidInput(f"Das {parsed.label} hat noch nicht begonnen: ein Sachstand "
                               "dafür ist noch nicht möglich.")
        existing = uow.session.scalar(
            select(UpdateRound).where(UpdateRound.quarter == str(parsed)))
        if existing is not None:
            raise Conflict(f"Für das {parsed.label} läuft schon eine Sachstandsrunde (fällig "
                           f"{format_date(existing.due_on)}); Stand: controlling round status "
                           f"--quarter {parsed}.")
        recs = uow.repo.recommendations(status=Status.APPROVED)
        if not recs:
            raise InvalidInput("Keine freigegebenen Empfehlungen: nichts abzufragen.")
        from controlling.services.update_sheets import department_workbooks

        workbooks = department_workbooks(uow, actor, parsed, recs, dry_run=dry_run)
        started = UpdateRound(quarter=str(parsed), due_on=due_on,
                              started_by=uow.repo.user(login), started_at=now())
        uow.session.add(started)
        uow.flush()
        by_department: dict[int, list[Recommendation]] = {}
        for rec in recs:
            by_department.setdefault(rec.department_id, []).append(rec)
        requests, new_ids, planned = [], [], []
        heads_of = _heads(uow.session)
        for department in uow.repo.departments():
            if department.id not in by_department:
                continue
            items = sorted(by_department[department.id], key=lambda r: r.number)
            heads = heads_of.get(department.id, [])
            request = RoundRequest(round=started, department=department,
                                   heads=[h.login for h in heads],
                                   numbers=[r.number for r in items])
            uow.session.add(request)
            entry = {"department": department.code, "heads": request.heads,
                     "to": [h.email for h in heads if h.email],
                     "numbers": request.numbers, "message_id": None}
            if entry["to"]:
                name, content = workbooks[department.code]
                text = round_mail.request(config, started, department, heads, items)
                message = _queue(uow, started, department, "request", entry["to"], text,
                                 key=f"round:{started.id}:{department.code}:request",
                                 attachment=(name, content))
                request.message = message
                uow.flush()
                entry["message_id"] = message.id
                entry["subject"] = message.subject
                planned.append(_planned(message))
                new_ids.append(message.id)
            requests.append(entry)
        result = {"quarter": str(parsed), "due_on": due_on.isoformat(), "dry_run": dry_run,
                  "requests": requests, "messages": planned,
                  "without_recipient": [r["department"] for r in requests if not r["to"]]}
        if dry_run:
            for entry in requests:
                entry["message_id"] = None
            return result  # rolled back: nothing written, nothing sent
        uow.commit()
    result["sent"] = deliver(uow, config, ids=new_ids)["sent"] if new_ids else 0
    return result


def _heads(session) -> dict[int, list[User]]:
    """The active department heads by department id, read in one query (not per department)."""
    heads: dict[int, list[User]] = {}
    for user in session.scalars(
            select(User).where(User.role == Role.DEPARTMENT_HEAD, User.active.is_(True))
            .order_by(User.login)):
        heads.setdefault(user.department_id, []).append(user)
    return heads


def _planners(session) -> list[User]:
    return list(session.scalars(
        select(User).where(User.role == Role.PLANNER, User.active.is_(True),
                           User.email.is_not(None)).order_by(User.login)))


def _queue(uow, started, department, kind: str, to: list[str], text: dict, *, key: str,
           attachment: tuple[str, bytes] | None = None) -> MailMessage:
    message = MailMessage(
        kind=kind, round_id=started.id, department=department, dedupe_key=key,
        to_addresses=", ".join(to), subject=text["subject"], body_text=text["text"],
        body_html=text["html"], attachment_name=attachment[0] if attachment else None,
        attachment=attachment[1] if attachment else None, created_at=now(), attempts=0)
    uow.session.add(message)
    uow.flush()
    return message


def _planned(message: MailMessage) -> dict:
    return {"kind": message.kind, "to": message.to_addresses.split(", "),
            "subject": message.subject, "text": message.body_text,
            "attachment": message.attachment_name}


def _round(session, quarter: str | None) -> UpdateRound:
    query = select(UpdateRound)
    if quarter:
        parsed = Quarter.parse(quarter)
        found = session.scalar(query.where(UpdateRound.quarter == str(parsed)))
        if found is None:
            raise NotFound(f"Für das {parsed.label} gibt es keine Sachstandsrunde "
                           f"(starten: controlling round start --quarter {parsed} --due ...).")
        return found
    found = session.scalar(query.order_by(UpdateRound.quarter.desc()).limit(1))
    if found is None:
        raise NotFound("Es gibt noch keine Sachstandsrunde (starten: controlling round start "
                       "--quarter JJJJ-QN --due JJJJ-MM-TT).")
    return found


def _state(session, started: UpdateRound, day: date) -> dict:
    """What was asked and answered in a round, as of `day`."""
    requests = list(session.scalars(
        select(RoundRequest).where(RoundRequest.round_id == started.id)
        .order_by(RoundRequest.id)))
    numbers = [n for r in requests for n in r.numbers]
    recs = {r.number: r for r in session.scalars(
        select(Recommendation).where(Recommendation.number.in_(numbers or [-1])))}
    done = answered(session, [r.id for r in recs.values()], Quarter.parse(started.quarter))
    messages = list(session.scalars(
        select(MailMessage).where(MailMessage.round_id == started.id).order_by(MailMessage.id)))
    overdue = day > started.due_on
    departments = []
    for request in requests:
        items = []
        for number in request.numbers:
            rec = recs[number]
            # answered: a Sachstand for the quarter, or no longer approved (implemented,
            # superseded since the round started: nothing left to report)
            is_answered = rec.id in done or rec.status != Status.APPROVED
            items.append({"number": number, "title": rec.title, "answered": is_answered,
                          "overdue": overdue and not is_answered})
        mails = [m for m in messages if m.department_id == request.department_id]
        sent = request.message.sent_at if request.message else None
        departments.append({
            "department": request.department.code, "heads": list(request.heads),
            "request": ("no_recipient" if request.message is None
                        else "sent" if sent else "queued"),
            "sent_at": sent.isoformat() if sent else None,
            "asked": len(items), "answered": sum(i["answered"] for i in items),
            "open": [i["number"] for i in items if not i["answered"]],
            "overdue": overdue and any(not i["answered"] for i in items),
            "recommendations": items,
            "messages": [message_view(m) for m in mails],
        })
    asked = sum(d["asked"] for d in departments)
    done_count = sum(d["answered"] for d in departments)
    return {
        "quarter": started.quarter, "due_on": started.due_on.isoformat(),
        "started_by": started.started_by.login, "started_at": started.started_at.isoformat(),
        "as_of": day.isoformat(), "overdue": overdue and done_count < asked,
        "totals": {"asked": asked, "answered": done_count, "open": asked - done_count},
        "departments": departments,
        "escalations": [message_view(m) for m in messages if m.kind == "escalation"],
    }


def round_state(uow, login: str, quarter: str | None = None,
                missing_ok: bool = False) -> dict | None:
    """`round status` and the page /sachstandsrunde: asked, answered per recommendation,
    overdue (planners, admins). `missing_ok`: None instead of NotFound without any round."""
    with uow:
        require(actor_of(uow, login), "round.manage")
        if missing_ok and quarter is None and uow.session.scalar(
                select(UpdateRound.id).limit(1)) is None:
            return None
        return _state(uow.session, _round(uow.session, quarter), today())


def remind(uow, login: str, *, dry_run: bool = False,
           config: MailSettings | None = None) -> dict:
    """`round remind`: queue today's reminders and escalations (each at most once), then
    deliver everything still queued. Safe to run any number of times a day."""
    config = config or settings()
    day = today()
    with uow:
        require(actor_of(uow, login), "round.manage")
        planned = []
        for started in uow.session.scalars(select(UpdateRound).order_by(UpdateRound.id)):
            planned.extend(_reminders(uow, config, started, day))
        planned.extend(_measure_reminders(uow, config, day))
        queued_before = uow.session.scalar(
            select(MailMessage.id).where(MailMessage.sent_at.is_(None)).limit(1))
        result = {"as_of": day.isoformat(), "dry_run": dry_run, "messages": planned}
        if dry_run:
            return result  # rolled back
        uow.commit()
    result["sent"] = (deliver(uow, config)["sent"]
                      if planned or queued_before is not None else 0)
    return result


def _reminders(uow, config: MailSettings, started: UpdateRound, day: date) -> list[dict]:
    state = _state(uow.session, started, day)
    if not state["totals"]["open"]:
        return []
    keys = set(uow.session.scalars(
        select(MailMessage.dedupe_key).where(MailMessage.round_id == started.id)))
    planned = []
    days_left = (started.due_on - day).days
    departments = {d.code: d for d in uow.repo.departments()}
    heads_of = _heads(uow.session)
    recs = {r.number: r for r in uow.session.scalars(select(Recommendation).where(
        Recommendation.number.in_([n for d in state["departments"] for n in d["open"]]
                                  or [-1])))}
    for entry in state["departments"]:
        if not entry["open"]:
            continue
        department = departments[entry["department"]]
        kind = key = None
        if 0 <= days_left <= config.remind_days and (
                started.due_on - started.started_at.date()).days > config.remind_days:
            kind, key = "due_soon", f"round:{started.id}:{department.code}:due_soon"
        elif days_left < 0:
            period = (-days_left - 1) // OVERDUE_EVERY_DAYS
            kind, key = "overdue", f"round:{started.id}:{department.code}:overdue:{period}"
        if kind is None or key in keys:
            continue
        heads = heads_of.get(department.id, [])
        to = [h.email for h in heads if h.email]
        if not to:
            continue
        items = [recs[n] for n in entry["open"]]
        text = round_mail.reminder(config, started, department, heads, items, kind, day)
        planned.append(_planned(_queue(uow, started, department, kind, to, text, key=key)))
    if day >= started.due_on + _days(config.escalation_days):
        key = f"round:{started.id}:escalation"
        to = [p.email for p in _planners(uow.session)] + list(config.escalation_to)
        if key not in keys and to:
            text = round_mail.escalation(config, started, state, recs, day)
            planned.append(_planned(_queue(uow, started, None, "escalation", to, text,
                                           key=key)))
    return planned


def _measure_reminders(uow, config: MailSettings, day: date) -> list[dict]:
    """Time-limited measures ending within `config.measure_days` without an extension or
    permanence recommendation: one notice per measure and end date to its department's
    heads (a new end date gives a new notice)."""
    from controlling.data.triage_repository import TriageRepository
    from controlling.domain.measures import ends_within

    repo = TriageRepository(uow.session)
    end = day + _days(config.measure_days)
    covered = repo.measures_with_continuation()
    due = [m for m in repo.measures(ends_between=(day, end))
           if m.id not in covered and ends_within(m.ends_on, day, end)]
    keys = set(uow.session.scalars(select(MailMessage.dedupe_key).where(
        MailMessage.kind == "measure_ending")))
    planned = []
    heads_of = _heads(uow.session)
    for measure in due:
        key = f"measure:{measure.id}:ends:{measure.ends_on.isoformat()}"
        heads = heads_of.get(measure.department_id, [])
        to = [h.email for h in heads if h.email]
        if key in keys or not to:
            continue
        text = round_mail.measure_ending(config, measure, heads, day)
        message = MailMessage(
            kind="measure_ending", round_id=None, department_id=measure.department_id,
            dedupe_key=key, to_addresses=", ".join(to), subject=text["subject"],
            body_text=text["text"], body_html=text["html"], created_at=now(), attempts=0)
        uow.session.add(message)
        uow.flush()
        planned.append(_planned(message))
    return planned


def _days(count: int):
    from datetime import timedelta

    return timedelta(days=count)
