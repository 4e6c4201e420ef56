"""Today's overview for `controlling status`: the quarterly figures of the running quarter,
as of today (the same computation as the quarterly report, so the two never disagree)."""

from datetime import date

from controlling.domain.dates import Quarter
from controlling.services.common import actor_of, today
from controlling.services.quarterly import compute_report, load_history


def overview(uow, login: str, on: date | None = None) -> dict:
    """Recommendations per status and district today, this quarter's lights and attention list."""
    day = on or today()
    quarter = Quarter.of(day)
    with uow:
        actor_of(uow, login)
        report = compute_report(load_history(uow.session, day, quarter=quarter), quarter,
                                as_of=day)
    return {
        "date": day.isoformat(),
        "quarter": str(quarter),
        "total": report.total,
        "totals": dict(report.totals),
        "by_district": {k: dict(v) for k, v in report.by_district.items()},
        "lights": dict(report.lights),
        "stale": list(report.stale),
        "attention": report.attention_dict(),
        "transitions": len(report.transitions),
        "example": report.example,
    }
