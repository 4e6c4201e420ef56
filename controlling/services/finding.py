"""Finding things: the indicator values of the social report, and what waits for the acting
person (`inbox`). Who may decide what comes from the workflow table (allowed_actions, through
controlling/services/approvals.py, as the web's "Zur Freigabe"), never from a list of its own.
"""

from sqlalchemy import select

from controlling.data.models import District, Indicator, IndicatorValue
from controlling.domain import workflow
from controlling.domain.actors import PLANNING, qualifies
from controlling.domain.dates import Quarter
from controlling.domain.evidence import is_worse
from controlling.domain.vocabulary import Role, Status
from controlling.services.common import actor_of, recommendation_view


def indicator_values(uow, login: str, *, district: str | None = None,
                     year: int | None = None) -> list[dict]:
    """Every stored value (by indicator, year, district), with the city-wide value of the same
    indicator and year and whether the district is worse off (the support rule's comparison).
    """
    with uow:
        actor_of(uow, login)
        wanted = uow.repo.district(district) if district else None
        query = (select(IndicatorValue, Indicator, District)
                 .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
                 .join(District, District.id == IndicatorValue.district_id)
                 .order_by(Indicator.code, IndicatorValue.year, District.id))
        if year is not None:
            query = query.where(IndicatorValue.year == year)
        rows = uow.session.execute(query).all()
        city = {(i.id, v.year): v.value for v, i, d in rows if d.is_citywide}
        result = []
        for value, indicator, place in rows:
            if wanted is not None and place.id != wanted.id:
                continue
            reference = None if place.is_citywide else city.get((indicator.id, value.year))
            result.append({
                "indicator": indicator.code, "label": indicator.label,
                "higher_is_worse": indicator.higher_is_worse, "district": place.name,
                "year": value.year, "value": value.value, "city_value": reference,
                "worse_than_city": (None if reference is None else
                                    is_worse(value.value, reference,
                                             indicator.higher_is_worse)),
            })
        return result


def inbox(uow, login: str, quarter: str | None = None) -> dict:
    """What waits for the acting person. A department head: their department's
    recommendations they may approve or reject now, and approved ones without a Sachstand
    for the quarter (default: the last completed one). Planners and admins: suggestions
    without triage, proposed recommendations they may check statistically now, and approved
    recommendations of every department without a Sachstand for the quarter."""
    from controlling.services.approvals import (
        answered,
        awaiting_decision,
        awaiting_progress,
        last_completed_quarter,
    )
    from controlling.services.suggestions import list_suggestions

    wanted = Quarter.parse(quarter) if quarter else last_completed_quarter()
    with uow:
        actor = actor_of(uow, login)
    result = {"login": actor.login, "role": actor.role.value, "department": actor.department,
              "quarter": str(wanted), "decide": [], "progress_due": [], "untriaged": [],
              "unchecked": []}
    if actor.role == Role.DEPARTMENT_HEAD:
        result["decide"] = [
            {**_entry(view), "actions": view["next_actions"]}
            for view in awaiting_decision(uow, login, actions=("approve", "reject"))]
        result["progress_due"] = [
            _entry(view) for view in awaiting_progress(uow, login, str(wanted))["items"]]
    if qualifies(actor, PLANNING, None):
        result["untriaged"] = [
            {key: view[key] for key in ("id", "event_id", "event", "held_on", "district",
                                        "topic", "text")}
            for view in list_suggestions(uow, login, open_only=True)]
        with uow:
            proposed = uow.repo.recommendations(status=Status.PROPOSED)
            result["unchecked"] = [
                _entry(recommendation_view(rec)) for rec in proposed
                if "support" in workflow.allowed_actions(rec.status, rec.kind, actor,
                                                         rec.department.code)]
            approved = uow.repo.recommendations(status=Status.APPROVED)
            done = answered(uow.session, [rec.id for rec in approved], wanted)
            result["progress_due"] = [_entry(recommendation_view(rec)) for rec in approved
                                      if rec.id not in done]
    return result


def _entry(view: dict) -> dict:
    return {key: view[key] for key in ("number", "title", "district", "department", "kind",
                                       "status", "topic")}
