"""Which reports there are: the quarters with data (from the first recorded effective date
to the running quarter, newest first) and the districts with a strategy paper."""

from sqlalchemy import func, select

from controlling.data.models import StatusChange
from controlling.domain.actors import require
from controlling.domain.dates import Quarter
from controlling.services.common import actor_of, today


def report_index(uow, login: str) -> dict:
    with uow:
        require(actor_of(uow, login), "web.reports")
        first = uow.session.scalar(select(func.min(StatusChange.effective_on)))
        districts = [d.name for d in uow.repo.districts() if not d.is_citywide]
    quarters = []
    if first is not None:
        quarter, last = Quarter.of(first), Quarter.of(today())
        while str(quarter) <= str(last) and len(quarters) < 400:
            quarters.append({"quarter": str(quarter), "label": quarter.label,
                             "running": str(quarter) == str(last)})
            quarter = quarter.next()
    return {"quarters": list(reversed(quarters)), "districts": districts}
