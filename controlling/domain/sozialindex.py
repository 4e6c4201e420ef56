"""The Sozialindex: a status and a dynamics index of small areas, computed from
indicators standardised as z-values across the areas of a year. Pure Python; the method with
its formulas is written out in docs/sozialindex.md.

Every z-value is turned so that a positive value means "more poverty risk than the average of
the areas" (the indicator's direction), so the city average lies at zero and higher is worse.
"""

import math
from dataclasses import dataclass, field
from enum import StrEnum

from controlling.domain.errors import InvalidInput

METHOD = "z-mean-1"  # the method of docs/sozialindex.md; a change of formula gets a new name
MIN_AREAS = 3


class StatusClass(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    VERY_LOW = "very_low"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    StatusClass.HIGH: "hoch",
    StatusClass.MEDIUM: "mittel",
    StatusClass.LOW: "niedrig",
    StatusClass.VERY_LOW: "sehr niedrig",
}


class DynamicsClass(StrEnum):
    POSITIVE = "positive"
    STABLE = "stable"
    NEGATIVE = "negative"

    @property
    def label(self) -> str:
        return DYNAMICS_LABELS[self]


DYNAMICS_LABELS = {
    DynamicsClass.POSITIVE: "positiv",
    DynamicsClass.STABLE: "stabil",
    DynamicsClass.NEGATIVE: "negativ",
}

# The classes by standard deviations of the index across the areas (k = index / its standard
# deviation; the mean is zero): (upper bound of k, class), see `classify`.
# Status: the social status of an area, low where poverty risks concentrate.
STATUS_BOUNDS: tuple[tuple[float, StatusClass], ...] = (
    (-1.0, StatusClass.HIGH),
    (1.0, StatusClass.MEDIUM),
    (1.5, StatusClass.LOW),
    (math.inf, StatusClass.VERY_LOW),
)
# Dynamics: positive where the shares of people at risk fell more than elsewhere.
DYNAMICS_BOUNDS: tuple[tuple[float, DynamicsClass], ...] = (
    (-1.0, DynamicsClass.POSITIVE),
    (1.0, DynamicsClass.STABLE),
    (math.inf, DynamicsClass.NEGATIVE),
)


def classify(k: float, bounds):
    """The class of k: below the first bound the first class; then the first class whose
    upper bound k does not exceed (so the middle class "mittel"/"stabil" includes -1 and +1)."""
    first_upper, first = bounds[0]
    if k < first_upper:
        return first
    for upper, klass in bounds[1:]:
        if k <= upper:
            return klass
    return bounds[-1][1]


def status_class(k: float) -> StatusClass:
    return classify(k, STATUS_BOUNDS)


def dynamics_class(k: float) -> DynamicsClass:
    return classify(k, DYNAMICS_BOUNDS)


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    label: str
    higher_is_worse: bool = True


def mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def standard_deviation(values: list[float]) -> float:
    """The population standard deviation (all areas of the city, not a sample of them)."""
    mu = mean(values)
    return math.sqrt(math.fsum((v - mu) ** 2 for v in values) / len(values))


@dataclass(frozen=True)
class Standardised:
    """z-values of one quantity across the areas, turned by the direction."""
    mean: float
    sd: float
    z: dict[str, float]


def standardise(values: dict[str, float], higher_is_worse: bool, what: str) -> Standardised:
    """z = s * (x - mean) / sd, s = +1 when higher is worse, else -1."""
    numbers = list(values.values())
    mu, sd = mean(numbers), standard_deviation(numbers)
    if sd == 0 or not math.isfinite(sd):
        raise InvalidInput(
            f"{what} ist in allen Gebieten gleich (Standardabweichung 0): daraus lässt sich kein "
            "Index bilden; bitte diesen Indikator weglassen.")
    sign = 1.0 if higher_is_worse else -1.0
    return Standardised(mu, sd, {area: sign * (x - mu) / sd for area, x in values.items()})


@dataclass(frozen=True)
class AreaIndex:
    area: str
    rank: int  # 1 = the highest status index (the most poverty risk)
    status: float
    status_class: StatusClass
    dynamics: float | None
    dynamics_class: DynamicsClass | None
    inputs: dict[str, dict]  # code -> value, z[, base_value, change, change_z]


@dataclass(frozen=True)
class IndexResult:
    method: str
    year: int
    base_year: int | None
    indicators: list[dict]  # code, label, higher_is_worse, mean, sd[, change_mean, change_sd]
    status_sd: float
    dynamics_sd: float | None
    areas: list[AreaIndex] = field(default_factory=list)

    def by_area(self) -> dict[str, AreaIndex]:
        return {a.area: a for a in self.areas}


def _complete(indicators: list[IndicatorSpec], values: dict[str, dict[str, float]], year: int,
              areas: set[str]) -> None:
    missing = []
    for spec in indicators:
        for area in sorted(areas - set(values.get(spec.code, {}))):
            missing.append(f"{spec.code}/{area}/{year}")
    if missing:
        shown = ", ".join(missing[:5]) + (f" und {len(missing) - 5} weitere"
                                          if len(missing) > 5 else "")
        raise InvalidInput(f"Es fehlen Werte für den Index: {shown}. Jedes Gebiet braucht einen "
                           "Wert für jeden Indikator (in beiden Jahren der Dynamik).")


def compute_index(
    indicators: list[IndicatorSpec], year: int, values: dict[str, dict[str, float]],
    base_year: int | None = None, base_values: dict[str, dict[str, float]] | None = None,
) -> IndexResult:
    """Status index (and, with a base year, dynamics index) of the areas.

    values: indicator code -> area -> value in `year`; base_values the same for `base_year`.
    Every area that has a value for any indicator must have one for every indicator.
    """
    if not indicators:
        raise InvalidInput("Für den Index ist mindestens ein Indikator nötig.")
    codes = [spec.code for spec in indicators]
    if len(set(codes)) != len(codes):
        raise InvalidInput("Jeder Indikator darf nur einmal in den Index eingehen.")
    areas = set().union(*(values.get(code, {}) for code in codes))
    if len(areas) < MIN_AREAS:
        raise InvalidInput(
            f"Für den Index {year} gibt es Werte für {len(areas)} Gebiete; nötig sind "
            f"mindestens {MIN_AREAS}.")
    _complete(indicators, values, year, areas)
    if base_year is not None:
        if base_year >= year:
            raise InvalidInput(f"Das Basisjahr der Dynamik ({base_year}) muss vor {year} liegen.")
        _complete(indicators, base_values or {}, base_year, areas)
    inputs: dict[str, dict[str, dict]] = {area: {} for area in areas}
    stats: list[dict] = []
    status_parts: dict[str, list[float]] = {area: [] for area in areas}
    change_parts: dict[str, list[float]] = {area: [] for area in areas}
    for spec in indicators:
        current = {area: values[spec.code][area] for area in areas}
        level = standardise(current, spec.higher_is_worse, f"Indikator {spec.code} ({year})")
        stat = {"code": spec.code, "label": spec.label, "higher_is_worse": spec.higher_is_worse,
                "mean": level.mean, "sd": level.sd}
        for area in areas:
            inputs[area][spec.code] = {"value": current[area], "z": level.z[area]}
            status_parts[area].append(level.z[area])
        if base_year is not None:
            changes = {area: current[area] - base_values[spec.code][area] for area in areas}
            change = standardise(changes, spec.higher_is_worse,
                                 f"Die Veränderung von {spec.code} ({base_year}-{year})")
            stat.update(change_mean=change.mean, change_sd=change.sd)
            for area in areas:
                inputs[area][spec.code].update(base_value=base_values[spec.code][area],
                                               change=changes[area], change_z=change.z[area])
                change_parts[area].append(change.z[area])
        stats.append(stat)
    status = {area: mean(parts) for area, parts in status_parts.items()}
    status_sd = standard_deviation(list(status.values()))
    dynamics = dynamics_sd = None
    if base_year is not None:
        dynamics = {area: mean(parts) for area, parts in change_parts.items()}
        dynamics_sd = standard_deviation(list(dynamics.values()))
    order = sorted(areas, key=lambda area: (-status[area], area))
    result = []
    for rank, area in enumerate(order, start=1):
        dyn = dynamics[area] if dynamics is not None else None
        dyn_class = None
        if dyn is not None:
            dyn_class = dynamics_class(dyn / dynamics_sd if dynamics_sd else 0.0)
        result.append(AreaIndex(
            area=area, rank=rank, status=status[area],
            status_class=status_class(status[area] / status_sd if status_sd else 0.0),
            dynamics=dyn, dynamics_class=dyn_class, inputs=inputs[area]))
    return IndexResult(method=METHOD, year=year, base_year=base_year, indicators=stats,
                       status_sd=status_sd, dynamics_sd=dynamics_sd, areas=result)


def parameters() -> dict:
    """The method's fixed choices, stored with every computation."""
    return {
        "standardisation": "z = s * (x - mean) / sd, population sd over the areas; "
                           "s = +1 when higher is worse",
        "status": "mean of the indicators' z-values",
        "dynamics": "mean of the z-values of the changes value(year) - value(base_year)",
        "classes": "k = index / sd(index)",
        "status_bounds": [[b if math.isfinite(b) else None, c.value] for b, c in STATUS_BOUNDS],
        "dynamics_bounds": [[b if math.isfinite(b) else None, c.value]
                            for b, c in DYNAMICS_BOUNDS],
    }


def share(numerator: float, denominator: float) -> float:
    """A share in percent from its counts: 100 * numerator / denominator."""
    return 100.0 * numerator / denominator
