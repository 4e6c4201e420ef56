"""Which reports there are: the quarters with data (from the first recorded effective date
to the running quarter, newest first), each with its publication when it is published, and
the districts with a strategy paper. The one list of `report list` and the web's /berichte."""

from sqlalchemy import func, select

from controlling.data.models import PublishedReport, StatusChange, User
from controlling.domain.actors import require
from controlling.domain.dates import Quarter
from controlling.services.common import actor_of, iso_utc, today
from controlling.services.quarterly import KIND


def report_index(uow, login: str) -> dict:
    with uow:
        require(actor_of(uow, login), "web.reports")
        first = uow.session.scalar(select(func.min(StatusChange.effective_on)))
        districts = [d.name for d in uow.repo.districts() if not d.is_citywide]
        published = {
            period: {"published_at": iso_utc(published_at), "known_at": iso_utc(known_at),
                     "actor": actor, "pdf_sha256": pdf_sha256, "data_sha256": data_sha256}
            for period, published_at, known_at, actor, pdf_sha256, data_sha256
            in uow.session.execute(
                select(PublishedReport.period, PublishedReport.published_at,
                       PublishedReport.known_at, User.login, PublishedReport.pdf_sha256,
                       PublishedReport.data_sha256)
                .join(User, PublishedReport.actor_id == User.id)
                .where(PublishedReport.kind == KIND))
        }
    periods: list[Quarter] = []
    last = Quarter.of(today())
    if first is not None:
        quarter = Quarter.of(first)
        while quarter <= last and len(periods) < 400:
            periods.append(quarter)
            quarter = quarter.next()
    periods = sorted(set(periods) | {Quarter.parse(p) for p in published})
    quarters = [{"quarter": str(q), "label": q.label, "running": q == last,
                 "published": str(q) in published, "publication": published.get(str(q))}
                for q in periods]
    return {"quarters": list(reversed(quarters)), "districts": districts}
