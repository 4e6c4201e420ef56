"""Lookups for the Sozialindex: Sozialquartiere, their indicator values and the
computed indices, with German errors when not found."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from controlling.data.models import (
    District,
    IndexComputation,
    IndexValue,
    Indicator,
    IndicatorValue,
    Quarter,
    QuarterValue,
)
from controlling.domain.errors import NotFound


class SozialindexRepository:
    def __init__(self, session: Session):
        self.session = session

    # quarters ---------------------------------------------------------------------------------
    def quarters(self, district: District | None = None) -> list[Quarter]:
        query = (select(Quarter).join(District, District.id == Quarter.district_id)
                 .options(joinedload(Quarter.district)).order_by(District.id, Quarter.name))
        if district is not None:
            query = query.where(Quarter.district_id == district.id)
        return list(self.session.scalars(query))

    def quarter_by_name(self) -> dict[str, Quarter]:
        return {q.name.lower(): q for q in self.quarters()}

    def quarter(self, name: str) -> Quarter:
        found = self.quarter_by_name().get((name or "").strip().lower())
        if found is None:
            raise NotFound(f"Unbekanntes Sozialquartier '{name}' (anlegen mit "
                           "'controlling quarter add').")
        return found

    # values -----------------------------------------------------------------------------------
    def quarter_value_rows(self) -> dict[tuple[int, int, int], QuarterValue]:
        return {(v.indicator_id, v.quarter_id, v.year): v
                for v in self.session.scalars(select(QuarterValue))}

    def quarter_counts(self, indicator_id: int, year: int) -> dict[int, tuple[float, float]]:
        """quarter id -> (numerator, denominator) of the quarters that have both."""
        rows = self.session.execute(
            select(QuarterValue.quarter_id, QuarterValue.numerator, QuarterValue.denominator)
            .where(QuarterValue.indicator_id == indicator_id, QuarterValue.year == year,
                   QuarterValue.numerator.is_not(None), QuarterValue.denominator.is_not(None)))
        return {quarter_id: (n, d) for quarter_id, n, d in rows}

    def area_values(self, level: str, indicator_ids: list[int],
                    years: list[int]) -> dict[tuple[int, int], dict[str, float]]:
        """(indicator id, year) -> area name -> value; areas: the quarters, or the districts
        without the city-wide one."""
        if level == "quarter":
            query = (select(QuarterValue.indicator_id, QuarterValue.year, Quarter.name,
                            QuarterValue.value)
                     .join(Quarter, Quarter.id == QuarterValue.quarter_id)
                     .where(QuarterValue.indicator_id.in_(indicator_ids),
                            QuarterValue.year.in_(years)))
        else:
            query = (select(IndicatorValue.indicator_id, IndicatorValue.year, District.name,
                            IndicatorValue.value)
                     .join(District, District.id == IndicatorValue.district_id)
                     .where(IndicatorValue.indicator_id.in_(indicator_ids),
                            IndicatorValue.year.in_(years), District.is_citywide.is_(False)))
        values: dict[tuple[int, int], dict[str, float]] = {}
        for indicator_id, year, name, value in self.session.execute(query):
            values.setdefault((indicator_id, year), {})[name] = value
        return values

    def indicators_with_values(self, level: str, year: int) -> list[Indicator]:
        if level == "quarter":
            ids = select(QuarterValue.indicator_id).where(QuarterValue.year == year)
        else:
            ids = (select(IndicatorValue.indicator_id)
                   .join(District, District.id == IndicatorValue.district_id)
                   .where(IndicatorValue.year == year, District.is_citywide.is_(False)))
        return list(self.session.scalars(
            select(Indicator).where(Indicator.id.in_(ids)).order_by(Indicator.code)))

    def latest_year(self, level: str) -> int | None:
        if level == "quarter":
            return self.session.scalar(select(func.max(QuarterValue.year)))
        return self.session.scalar(
            select(func.max(IndicatorValue.year))
            .join(District, District.id == IndicatorValue.district_id)
            .where(District.is_citywide.is_(False)))

    # computations -----------------------------------------------------------------------------
    def computation(self, computation_id: int) -> IndexComputation:
        found = self.session.get(IndexComputation, computation_id) if (
            1 <= computation_id <= 2**31 - 1) else None
        if found is None:
            raise NotFound(f"Keine Sozialindex-Berechnung mit der Nummer {computation_id}.")
        return found

    def latest_computation(self, *, year: int | None = None,
                           level: str | None = None) -> IndexComputation | None:
        query = select(IndexComputation).order_by(IndexComputation.id.desc()).limit(1)
        if year is not None:
            query = query.where(IndexComputation.year == year)
        if level is not None:
            query = query.where(IndexComputation.level == level)
        return self.session.scalar(query.options(joinedload(IndexComputation.actor)))

    def latest_rows(self, level: str = "quarter") -> list[tuple]:
        """The areas of the newest computation of `level`, by rank, each with its
        computation and the name of its Sozialraum, in one statement whatever the amount:
        [(IndexComputation, IndexValue, district name)]; [] when none was computed."""
        latest = (select(func.max(IndexComputation.id))
                  .where(IndexComputation.level == level).scalar_subquery())
        return list(self.session.execute(
            select(IndexComputation, IndexValue, District.name).select_from(IndexValue)
            .join(IndexComputation, IndexComputation.id == IndexValue.computation_id)
            .join(District, District.id == IndexValue.district_id)
            .where(IndexValue.computation_id == latest)
            .order_by(IndexValue.rank, IndexValue.area)))

    def index_values(self, computation_id: int) -> list[IndexValue]:
        return list(self.session.scalars(
            select(IndexValue).where(IndexValue.computation_id == computation_id)
            .options(joinedload(IndexValue.district)).order_by(IndexValue.rank)))
