"""The city-wide view for the Sozialkonferenz as plain data: the one source of the JSON and
the PDF. All districts side by side, as of a day (the day it is made):

- recommendations per district and status (the status on that day by effective date, the
  same computation as the quarterly report);
- traffic lights per district: over the recommendations approved on that day, the light of
  their Sachstand for the latest quarter ended by then (`light_quarter`), by the quarterly
  report's rule (quarterly.is_current); `none` when there is no current one, and
  `older_progress` counts those of them whose latest Sachstand is from an earlier quarter;
- the districts ranked by each indicator in its latest year with values for any district,
  worst first (highest first when `higher_is_worse`, else lowest first); equal values share
  a rank; the city's value is the reference;
- the least-known offers city-wide (awareness data of all World Cafés, least known first);
- the Sozialquartiere ranked by the newest Sozialindex computed over the quarters
  (controlling.services.sozialindex.papers_index), None when none was computed.

A fixed number of statements whatever the amount of data (`QUERIES` plus those of the
awareness data); the figures are computed in Python.
"""

from datetime import date

from controlling.domain.reference import CITYWIDE
from controlling.services.common import actor_of
from controlling.services.quarterly import QUERIES as HISTORY_QUERIES
from controlling.services.sozialindex import PAPER_QUERIES as INDEX_QUERIES
from controlling.services.sozialindex import papers_index
from controlling.services.strategy_paper import (
    assessment,
    check_day,
    difference,
    load_awareness_for,
    load_indicator_values,
    progress_age,
    status_counts,
    status_on,
)

LIGHTS: tuple[str, ...] = ("green", "yellow", "red", "none")
# the acting user, the history (quarterly.QUERIES), the indicators, the Sozialindex
QUERIES = 2 + INDEX_QUERIES + HISTORY_QUERIES


def ranking(indicator: dict, districts: list[str]) -> dict:
    """The districts (not stadtweit) ranked by the indicator in its latest year with values,
    worst first; equal values share a rank (1, 2, 2, 4)."""
    own = {name: indicator["values"].get(name, {}) for name in districts}
    years = {year for values in own.values() for year in values}
    higher_is_worse = indicator["higher_is_worse"]
    entry = {"code": indicator["code"], "label": indicator["label"],
             "higher_is_worse": higher_is_worse, "year": None, "citywide": None,
             "ranking": [], "without_value": []}
    if not years:
        entry["without_value"] = list(districts)
        return entry
    year = max(years)
    city = indicator["values"].get(CITYWIDE, {}).get(year)
    valued = [(name, own[name][year]) for name in districts if year in own[name]]
    position = {name: index for index, name in enumerate(districts)}
    valued.sort(key=lambda item: (-item[1] if higher_is_worse else item[1], position[item[0]]))
    ranked, previous, rank = [], None, 0
    for index, (name, value) in enumerate(valued, start=1):
        if value != previous:
            rank, previous = index, value
        ranked.append({"rank": rank, "district": name, "value": value,
                       "difference": difference(value, city),
                       "assessment": assessment(value, city, higher_is_worse)})
    entry.update(year=year, citywide=city, ranking=ranked,
                 without_value=[name for name in districts if year not in own[name]])
    return entry


def least_known(awareness: list[dict]) -> list[dict]:
    """The offers of the awareness data, least known first (as loaded), without the details
    of each event and the idea cards: those are in the strategy papers."""
    return [{"measure_id": a["measure_id"], "measure": a["measure"],
             "department": a["department"], "known_yes": a["known_yes"],
             "known_no": a["known_no"], "share_known": a["share_known"],
             "events": len(a["events"])} for a in awareness]


def city_report(uow, login: str, on: date | None = None) -> dict:
    """All districts side by side as of `on` (default today), as plain data."""
    day = check_day(on)
    with uow:
        actor_of(uow, login)
        history, report = status_on(uow.session, day)
        indicators = load_indicator_values(uow.session)
        awareness = load_awareness_for(uow.session, None)
        index = papers_index(uow.session)

    districts = [name for name in history.districts if name != CITYWIDE]
    lines: dict[str, list[dict]] = {name: [] for name in history.districts}
    lights = {name: dict.fromkeys(LIGHTS, 0) for name in history.districts}
    older = dict.fromkeys(history.districts, 0)
    for line in report.recommendations:
        lines.setdefault(line.district, []).append({"status": line.status})
        if line.status == "approved":  # line.light: the quarterly report's rule
            lights.setdefault(line.district, dict.fromkeys(LIGHTS, 0))[line.light] += 1
            if progress_age(line, report.quarter) == "older":
                older[line.district] = older.get(line.district, 0) + 1
    light_totals = {light: sum(counts[light] for counts in lights.values())
                    for light in LIGHTS}
    offers = least_known(awareness)
    codes = {line.department for line in report.recommendations}
    codes |= {offer["department"] for offer in offers}
    return {
        "as_of": day.isoformat(),
        "districts": list(history.districts),
        "totals": status_counts([{"status": line.status} for line in report.recommendations]),
        "total": len(report.recommendations),
        "by_district": {name: status_counts(entries) for name, entries in lines.items()},
        "lights": lights,
        "light_totals": light_totals,
        "light_quarter": str(report.quarter),
        "older_progress": older,
        "older_progress_total": sum(older.values()),
        "rankings": [ranking(indicator, districts) for indicator in indicators],
        "least_known": offers,
        "sozialindex": index,
        "departments": {code: history.departments.get(code, code) for code in sorted(codes)},
        "example": report.example,
    }

