"""The strategy paper of one district (Strategiepapier) as plain data: the one source of the
JSON and the PDF.

What it shows, as of a day (the day it is made):

- the district analysis: every indicator of the social report, the district's values against
  the city's (`stadtweit`) over the years, the difference and whether the district is worse
  off (worse = higher when `higher_is_worse`, else lower);
- the inventory of measure profiles that serve the district: its own (linked to the district,
  alone or with others) and the city-wide ones (linked to `stadtweit` or to no district), in
  their current state;
- the recommendations of the district and the city-wide ones, with their status on that day
  (rebuilt from the history by effective date, the same computation as the quarterly report)
  and their latest Sachstand with its quarter; the light counts as current by the quarterly
  report's rule (quarterly.is_current) for the latest quarter ended by that day
  (`light_quarter`), an earlier quarter's Sachstand is shown as older;
- the awareness of offers from the World Cafés held in the district (green and red dots, idea
  cards), from controlling.services.awareness;
- the district's Sozialquartiere in the newest Sozialindex computed over the quarters (status
  and dynamics index and class, rank in the city; controlling.services.sozialindex
  .papers_index), None when none was computed; like the indicator values it is the newest
  one, not the one known on the day made.

Everything is read with a fixed number of statements whatever the amount of data (`QUERIES`
plus those of the awareness data); the figures are computed in Python. The loaders and helpers
here are shared with the city-wide report (controlling.services.city_report).
"""

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from controlling.data.models import (
    Department,
    District,
    Indicator,
    IndicatorValue,
    Measure,
    Recommendation,
    Supersession,
    Topic,
    measure_districts,
    recommendation_measures,
)
from controlling.domain.dates import Quarter
from controlling.domain.errors import InvalidInput, NotFound
from controlling.domain.formatting import format_date
from controlling.domain.reference import CITYWIDE
from controlling.domain.vocabulary import Status
from controlling.services.common import actor_of, today
from controlling.services.quarterly import QUERIES as HISTORY_QUERIES
from controlling.services.quarterly import (
    compute_report,
    is_current,
    load_history,
    reference_quarter,
)
from controlling.services.sozialindex import PAPER_QUERIES as INDEX_QUERIES
from controlling.services.sozialindex import district_index, papers_index

STATUSES: tuple[str, ...] = tuple(status.value for status in Status)  # superseded included
# statements of strategy_paper(): the acting user, the districts, the history
# (quarterly.QUERIES), the indicators, the descriptions with the successors, the measures,
# their districts and their recommendations, the Sozialindex (sozialindex.PAPER_QUERIES)
QUERIES = 7 + INDEX_QUERIES + HISTORY_QUERIES


# ---- small pure helpers (shared with the city report) ----------------------------------------
def assessment(value: float | None, city: float | None, higher_is_worse: bool) -> str | None:
    """'worse', 'better' or 'equal' compared with the city; None without both values."""
    if value is None or city is None:
        return None
    if value == city:
        return "equal"
    return "worse" if (value > city) == higher_is_worse else "better"


def difference(value: float | None, city: float | None) -> float | None:
    """value − city, without the noise of binary fractions (23.9 − 17.1 = 6.8)."""
    if value is None or city is None:
        return None
    return round(value - city, 6)


def check_day(day: date | None) -> date:
    """The day a report is made and shows: today by default, never in the future."""
    day = day or today()
    if day > today():
        raise InvalidInput(f"Das Erstellungsdatum {format_date(day)} liegt in der Zukunft; ein "
                           "Bericht zeigt den Stand bis heute.")
    return day


# ---- loading ---------------------------------------------------------------------------------
def load_indicator_values(session, district_ids: set[int] | None = None) -> list[dict]:
    """Every indicator (by code) with its values, in one statement: [{code, label,
    higher_is_worse, values: {district name: {year: value}}}]; only the districts in
    `district_ids` (all when None). Indicators without values are listed too."""
    join_on = IndicatorValue.indicator_id == Indicator.id
    if district_ids is not None:
        join_on = and_(join_on, IndicatorValue.district_id.in_(district_ids))
    rows = session.execute(
        select(Indicator.code, Indicator.label, Indicator.higher_is_worse, District.name,
               IndicatorValue.year, IndicatorValue.value)
        .outerjoin(IndicatorValue, join_on)
        .outerjoin(District, District.id == IndicatorValue.district_id)
        .order_by(Indicator.code, IndicatorValue.year, District.id)
    )
    indicators: dict[str, dict] = {}
    for code, label, higher_is_worse, district, year, value in rows:
        entry = indicators.setdefault(code, {"code": code, "label": label,
                                             "higher_is_worse": bool(higher_is_worse),
                                             "values": {}})
        if district is not None:
            entry["values"].setdefault(district, {})[year] = value
    return list(indicators.values())


def status_on(session, day: date, district_ids: set[int] | None = None):
    """The quarterly computation as of `day`: every recommendation with its status on that day
    (by effective date), its latest Sachstand and its light under the quarterly report's rule
    for the reference quarter of the day (quarterly.reference_quarter: the latest ended one;
    older Sachstände give 'none'); also the history (departments, districts).
    `district_ids`: only the recommendations of these Sozialräume (None: all)."""
    quarter = reference_quarter(day)
    history = load_history(session, day, district_ids=district_ids, quarter=quarter)
    return history, compute_report(history, quarter, as_of=day)


def progress_age(line, quarter: Quarter) -> str | None:
    """'current' or 'older' (quarterly.is_current) for a line with a Sachstand, else None."""
    if line.latest_progress is None:
        return None
    return "current" if is_current(line.latest_progress, quarter) else "older"


def progress_entry(note) -> dict | None:
    if note is None:
        return None
    return {"quarter": note.quarter, "light": note.light, "note": note.note,
            "effective_on": note.effective_on.isoformat()}


def recommendation_entry(line, description: str | None, measures: list[int],
                         superseded_by: int | None = None, quarter: Quarter | None = None
                         ) -> dict:
    """A recommendation of a RecommendationLine (quarterly computation) as plain data;
    `superseded_by`: the number of its successor, when it is superseded; `quarter`: the
    reference quarter of the lights (`light`: current light of an approved one or 'none';
    `progress_age`: whether the latest Sachstand is current or older)."""
    return {
        "number": line.number, "title": line.title, "description": description,
        "district": line.district, "department": line.department, "kind": line.kind,
        "topic": line.topic, "status": line.status, "status_on": line.status_on.isoformat(),
        # a proposed one has only its creation, whose note says just that ("angelegt")
        "status_note": None if line.status == "proposed" else line.status_note,
        "created_on": line.created_on.isoformat(),
        "latest_progress": progress_entry(line.latest_progress), "measures": measures,
        "superseded_by": superseded_by if line.status == "superseded" else None,
        "example": line.example,
        "light": line.light,
        "progress_age": progress_age(line, quarter) if quarter else None,
    }


def status_counts(entries: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for entry in entries:
        counts[entry["status"]] += 1
    return counts


def district_id_of(session, name: str) -> tuple[int, str, int]:
    """(id, name, id of stadtweit) of a district other than stadtweit, in one statement."""
    rows = session.execute(select(District.id, District.name, District.is_citywide)
                           .order_by(District.id)).all()
    wanted = (name or "").strip().lower()
    found = next((row for row in rows if row[1].lower() == wanted), None)
    if found is None:
        known = ", ".join(row[1] for row in rows if not row[2])
        raise NotFound(f"Unbekannter Sozialraum '{name}' (bekannt: {known}).")
    if found[2]:
        raise InvalidInput(
            "Ein Strategiepapier gibt es je Sozialraum; 'stadtweit' ist keiner. Stadtweite "
            "Maßnahmen und Empfehlungen stehen in jedem Strategiepapier, der Vergleich aller "
            "Sozialräume im Bericht zur Sozialkonferenz (controlling report city).")
    city = next((row[0] for row in rows if row[2]), None)
    return found[0], found[1], city


def load_measures(session, district_id: int, city_id: int | None, day: date) -> list[dict]:
    """The measure profiles serving the district, in three statements: its own and the
    city-wide ones (linked to stadtweit or to no district), by title."""
    linked = select(measure_districts.c.measure_id)
    serving = or_(
        Measure.id.in_(linked.where(measure_districts.c.district_id.in_(
            {district_id} | ({city_id} if city_id else set())))),
        Measure.id.not_in(linked),
    )
    rows = session.execute(
        select(Measure.id, Measure.title, Measure.description, Department.code, Topic.name,
               Measure.target_group, Measure.place, Measure.ends_on,
               Measure.implementation_status, Measure.is_example)
        .join(Department, Measure.department_id == Department.id)
        .outerjoin(Topic, Measure.topic_id == Topic.id)
        .where(serving)
        .order_by(Measure.title, Measure.id)
    ).all()
    districts: dict[int, list[str]] = {}
    for measure_id, name in session.execute(
            select(measure_districts.c.measure_id, District.name)
            .join(District, District.id == measure_districts.c.district_id)
            .where(measure_districts.c.measure_id.in_(select(Measure.id).where(serving)))
            .order_by(measure_districts.c.measure_id, District.id)):
        districts.setdefault(measure_id, []).append(name)
    numbers: dict[int, list[int]] = {}
    for measure_id, number in session.execute(
            select(recommendation_measures.c.measure_id, Recommendation.number)
            .join(Recommendation,
                  Recommendation.id == recommendation_measures.c.recommendation_id)
            .where(recommendation_measures.c.measure_id.in_(select(Measure.id).where(serving)))
            .order_by(recommendation_measures.c.measure_id, Recommendation.number)):
        numbers.setdefault(measure_id, []).append(number)
    measures = []
    for (measure_id, title, description, department, topic, target_group, place, ends_on,
         implementation_status, example) in rows:
        names = districts.get(measure_id, [])
        measures.append({
            "id": measure_id, "title": title, "description": description,
            "department": department, "districts": names, "topic": topic,
            "target_group": target_group, "place": place,
            "ends_on": ends_on.isoformat() if ends_on else None,
            "expired": bool(ends_on and ends_on < day),
            "implementation_status": implementation_status,
            "recommendations": numbers.get(measure_id, []), "example": bool(example),
            "scope": "citywide" if not names or CITYWIDE in names else "district",
        })
    return measures


def load_descriptions(session, district_ids: set[int]) -> dict[int, tuple[str | None,
                                                                          int | None]]:
    """number -> (description, number of the successor or None) of the recommendations of
    the districts, in one statement."""
    successor = aliased(Recommendation)
    return {number: (description, follower) for number, description, follower in
            session.execute(
                select(Recommendation.number, Recommendation.description, successor.number)
                .outerjoin(Supersession, Supersession.recommendation_id == Recommendation.id)
                .outerjoin(successor, successor.id == Supersession.successor_id)
                .where(Recommendation.district_id.in_(district_ids)))}


def load_awareness_for(session, district_ids: set[int] | None) -> list[dict]:
    """The awareness data of the World Cafés (controlling.services.awareness)."""
    from controlling.services.awareness import load_awareness

    return load_awareness(session, district_ids)


# ---- computing -------------------------------------------------------------------------------
def indicator_series(indicator: dict, district: str) -> dict:
    """An indicator of the district against the city over the years."""
    own = indicator["values"].get(district, {})
    city = indicator["values"].get(CITYWIDE, {})
    higher_is_worse = indicator["higher_is_worse"]
    years = []
    for year in sorted(set(own) | set(city)):
        value, reference = own.get(year), city.get(year)
        years.append({"year": year, "district": value, "citywide": reference,
                      "difference": difference(value, reference),
                      "assessment": assessment(value, reference, higher_is_worse)})
    compared = [entry for entry in years if entry["assessment"] is not None]
    return {"code": indicator["code"], "label": indicator["label"],
            "higher_is_worse": higher_is_worse, "years": years,
            "latest": compared[-1] if compared else None}


def strategy_paper(uow, login: str, district: str, on: date | None = None) -> dict:
    """The strategy paper of `district` as of `on` (default today), as plain data."""
    day = check_day(on)
    with uow:
        actor_of(uow, login)
        session = uow.session
        district_id, name, city_id = district_id_of(session, district)
        ids = {district_id} | ({city_id} if city_id else set())
        history, report = status_on(session, day, ids)
        indicators = [indicator_series(i, name)
                      for i in load_indicator_values(session, ids)]
        descriptions = load_descriptions(session, ids)
        measures = load_measures(session, district_id, city_id, day)
        awareness = load_awareness_for(session, {district_id})
        index = district_index(papers_index(session), name)

    measures_of: dict[int, list[int]] = {}
    for measure in measures:
        for number in measure["recommendations"]:
            measures_of.setdefault(number, []).append(measure["id"])
    own, citywide = [], []
    for line in report.recommendations:
        if line.district not in (name, CITYWIDE):
            continue
        description, successor = descriptions.get(line.number, (None, None))
        entry = recommendation_entry(line, description,
                                     sorted(measures_of.get(line.number, [])), successor,
                                     report.quarter)
        (own if line.district == name else citywide).append(entry)
    district_measures = [m for m in measures if m["scope"] == "district"]
    citywide_measures = [m for m in measures if m["scope"] == "citywide"]
    codes = {m["department"] for m in measures} | {r["department"] for r in own + citywide}
    codes |= {a["department"] for a in awareness}
    return {
        "district": name,
        "as_of": day.isoformat(),
        "light_quarter": str(report.quarter),
        "indicators": indicators,
        "measures": {"district": district_measures, "citywide": citywide_measures},
        "totals": status_counts(own),
        "recommendations": own,
        "citywide_totals": status_counts(citywide),
        "citywide_recommendations": citywide,
        "awareness": awareness,
        "sozialindex": index,
        "departments": {code: history.departments.get(code, code) for code in sorted(codes)},
        "example": any(r["example"] for r in own + citywide)
        or any(m["example"] for m in measures),
    }
