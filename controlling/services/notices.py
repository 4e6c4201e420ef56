"""Feedback to participants (the seed's "Rückkopplung"): institutions may ask to be
told when a recommendation that came from suggestions of an expert dialogue changes status.

Opt-in by institution, never by private person: an institution's own address
(`institution notices ID --email ADDRESS`, `--off` to stop). A status change of a
recommendation linked to suggestions (suggestion_outcomes) of events queues, in the change's
own transaction, one short German message (`mail_messages`, kind `notice`, dedupe key
`notice:CHANGE:INSTITUTION`) for each opted-in institution in the Sozialraum of such an event;
`mail send-queued` and `round remind` send them like every queued message."""

from html import escape

from sqlalchemy import select

from controlling.data.models import (
    District,
    Event,
    Institution,
    MailMessage,
    Suggestion,
    SuggestionOutcome,
)
from controlling.domain.actors import require
from controlling.domain.errors import InvalidInput
from controlling.domain.formatting import format_date
from controlling.services.common import actor_of, now
from controlling.services.round_mail import AUTOMATIC, SIGNATURE

KIND = "notice"


def set_notices(uow, login: str, institution_id: int, *, email: str | None = None,
                off: bool = False) -> dict:
    """`institution notices ID --email ADDRESS` (opt in) or `--off` (opt out; the address is
    removed too). The address stays out of `institution list` and the map export (GeoJSON)."""
    from controlling.services.institutions import _institution
    from controlling.services.mail import check_address

    if off == bool(email):
        raise InvalidInput("Entweder --email ADRESSE (Rückmeldungen bestellen) oder --off "
                           "(abbestellen).")
    address = None if off else check_address(email)
    with uow:
        require(actor_of(uow, login), "institution.write")
        item = _institution(uow.session, institution_id)
        item.notices, item.notice_email = not off, address
        view = {"id": item.id, "name": item.name,
                "district": item.district.name if item.district else None,
                "notices": item.notices, "notice_email": item.notice_email}
        uow.commit()
    return view


def notice_subscriptions(uow, login: str, *, district: str | None = None) -> dict:
    """The institutions with their opt-in (the web page "Rückmeldungen", planners and admins):
    {institutions: [{id, name, type, district, notices, notice_email, sent}], subscribed}.
    `sent`: notices delivered to the institution so far (one query for all; the dedupe key
    `notice:CHANGE:INSTITUTION` names the institution)."""
    with uow:
        require(actor_of(uow, login), "institution.write")
        query = (select(Institution.id, Institution.name, Institution.type, District.name,
                        Institution.notices, Institution.notice_email)
                 .outerjoin(District, Institution.district_id == District.id)
                 .order_by(Institution.name, Institution.id))
        if district:
            query = query.where(Institution.district_id == uow.repo.district(district).id)
        rows = uow.session.execute(query).all()
        counts: dict[int, int] = {}
        for key in uow.session.scalars(select(MailMessage.dedupe_key).where(
                MailMessage.kind == KIND, MailMessage.sent_at.isnot(None))):
            parts = (key or "").split(":")
            if len(parts) == 3 and parts[2].isdigit():
                counts[int(parts[2])] = counts.get(int(parts[2]), 0) + 1
        items = [{"id": r[0], "name": r[1], "type": r[2], "district": r[3],
                  "notices": bool(r[4]), "notice_email": r[5], "sent": counts.get(r[0], 0)}
                 for r in rows]
        return {"institutions": items, "subscribed": sum(1 for i in items if i["notices"])}


def queue_status_notices(session, rec, change) -> int:
    """Queue the notices of `change` (a status change of `rec`, not yet committed); returns
    how many. Nothing for a recommendation that came from no expert dialogue."""
    events = list(session.execute(
        select(Event.title, Event.held_on, Event.district_id, District.name)
        .join(District, Event.district_id == District.id)
        .join(Suggestion, Suggestion.event_id == Event.id)
        .join(SuggestionOutcome, SuggestionOutcome.suggestion_id == Suggestion.id)
        .where(SuggestionOutcome.recommendation_id == rec.id)
        .distinct().order_by(Event.held_on, Event.title)))
    if not events:
        return 0
    institutions = list(session.scalars(
        select(Institution).where(Institution.notices.is_(True),
                                  Institution.notice_email.is_not(None),
                                  Institution.district_id.in_({e[2] for e in events}))
        .order_by(Institution.id)))
    for item in institutions:
        own = [e for e in events if e[2] == item.district_id]
        message = compose(rec, change, item, own)
        session.add(MailMessage(
            kind=KIND, dedupe_key=f"notice:{change.id}:{item.id}",
            to_addresses=item.notice_email, subject=message["subject"],
            body_text=message["text"], body_html=message["html"], created_at=now(),
            attempts=0))
    return len(institutions)


def compose(rec, change, institution, events) -> dict:
    """Subject, plain text and HTML of one notice (German, every value escaped in the HTML)."""
    status = change.to_status.label
    dialogues = ", ".join(f"{title} am {format_date(held_on)} ({district})"
                          for title, held_on, _, district in events)
    subject = f"Rückmeldung: Handlungsempfehlung {rec.number} ist jetzt {status}"
    paragraphs = [
        "Guten Tag,",
        f"aus den Hinweisen des Expert*innendialogs ({dialogues}) ist die "
        f"Handlungsempfehlung Nr. {rec.number} „{rec.title}“ hervorgegangen.",
        f"Ihr Stand seit dem {format_date(change.effective_on)}: {status} (zuvor "
        f"{change.from_status.label}).",
        f"Sie erhalten diese Nachricht, weil {institution.name} Rückmeldungen zu den "
        "Ergebnissen der Expert*innendialoge bestellt hat. Abbestellen: eine kurze Nachricht "
        "an das Team Sozialplanung.",
    ]
    text = "\n\n".join(paragraphs) + f"\n\n{SIGNATURE}\n\n-- \n{AUTOMATIC}\n"
    html = ('<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>'
            f"{escape(subject)}</title></head><body>"
            + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            + "<p>" + escape(SIGNATURE).replace("\n", "<br>") + "</p>"
            + f"<p><small>{escape(AUTOMATIC)}</small></p></body></html>")
    return {"subject": subject, "text": text, "html": html}
