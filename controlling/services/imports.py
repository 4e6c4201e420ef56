"""Imports of recommendations and indicator values: validate every row, then write all or none."""

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert

from controlling.data.models import Indicator, IndicatorValue, QuarterValue
from controlling.domain.actors import require
from controlling.domain.dates import parse_date
from controlling.domain.errors import DomainError, ImportRefused
from controlling.domain.formatting import format_date, format_number
from controlling.domain.limits import (
    INDICATOR_CODE,
    INDICATOR_LABEL,
    length_problem,
    number_problem,
)
from controlling.domain.numbers import parse_number
from controlling.domain.vocabulary import Kind, parse_choice
from controlling.services.common import actor_of, today
from controlling.services.recommendations import NewRecommendation, new_recommendations
from controlling.services.roundtrip import (
    RECOMMENDATION_CHECKS,
    RECOMMENDATION_INFORMATIONAL,
    check_vocabulary,
    recommendation_differences,
    stored_recommendations,
)
from controlling.services.tabular import by_code_or_name, read_table

Progress = Callable[[int, int], None] | None

RECOMMENDATION_COLUMNS = ("number", "title", "district", "department")
RECOMMENDATION_OPTIONAL = ("kind", "topic", "description", "proposed_on")
INDICATOR_COLUMNS = ("indicator", "district", "year", "value")
INDICATOR_OPTIONAL = ("label", "higher_is_worse", "quarter", "numerator", "denominator")


def import_recommendations(uow, login: str, path: str | Path, progress: Progress = None,
                           correction: str | None = None) -> dict:
    """`correction`: the reason for rows back-dated into a published quarter (Nachtrag)."""
    from controlling.services.publication import require_correction

    with uow:
        user_actor = actor_of(uow, login)
        require(user_actor, "import")
        table = read_table(path, RECOMMENDATION_COLUMNS, RECOMMENDATION_OPTIONAL,
                           informational=RECOMMENDATION_INFORMATIONAL)
        districts = uow.repo.district_by_name()
        departments = by_code_or_name(uow.repo.department_by_code())
        topics = uow.repo.topic_by_name()
        stored = stored_recommendations(uow, {int(r["number"]) for _n, r in table.rows
                                              if r.get("number", "").isdigit()})
        problems: list[str] = []
        valid = []
        unchanged = []
        first_line: dict[int, int] = {}
        for line, row in table.rows:
            errors: list[str] = []
            number = _positive_int(row.get("number", ""), "Nummer", errors)
            if number is not None:
                if number in first_line:
                    errors.append(
                        f"Nummer {number} kommt in der Datei doppelt vor "
                        f"(schon in Zeile {first_line[number]})"
                    )
                else:
                    first_line[number] = line
            title = row.get("title", "")
            if not title:
                errors.append("Titel fehlt")
            district = districts.get(row.get("district", "").lower())
            if district is None:
                errors.append(f"unbekannter Sozialraum '{row.get('district', '')}'")
            department = departments.get(row.get("department", "").lower())
            if department is None:
                errors.append(f"unbekannter Bereich '{row.get('department', '')}'")
            kind = _choice(Kind, row.get("kind") or "new", "Art", errors)
            topic = None
            if row.get("topic"):
                topic = topics.get(row["topic"].lower())
                if topic is None:
                    errors.append(f"unbekanntes Thema '{row['topic']}'")
            proposed_on = _date(row.get("proposed_on", ""), "proposed_on", errors) or today()
            check_vocabulary(row, RECOMMENDATION_CHECKS, errors)
            if number in stored:  # a row of an export: unchanged, or not ours to change
                if errors:
                    errors.append(f"Nummer {number} gibt es bereits in der Datenbank")
                else:
                    differences = recommendation_differences(
                        stored[number], title=title, district=district, department=department,
                        kind=kind, topic=topic, description=row.get("description"),
                        proposed_on=proposed_on, proposed_given=bool(row.get("proposed_on")))
                    if differences:
                        errors.append(f"Nummer {number} gibt es bereits in der Datenbank "
                                      f"(abweichend: {', '.join(differences)}; der Import legt "
                                      "nur neue Empfehlungen an)")
                    else:
                        unchanged.append(number)
                problems.extend(f"Zeile {line}: {e}." for e in errors)
                continue
            if proposed_on > today():
                errors.append(f"proposed_on {format_date(proposed_on)} liegt in der Zukunft")
            elif number is not None:
                try:
                    require_correction(uow.session, number, effective_on=proposed_on,
                                       correction=correction)
                except DomainError as error:
                    errors.append(str(error).rstrip("."))
            problems.extend(f"Zeile {line}: {e}." for e in errors)
            if not errors:
                valid.append((line, number, title, district, department, kind, topic,
                              row.get("description") or None, proposed_on))
        if problems:
            raise ImportRefused(table.filename, sorted(problems, key=_line_of))
        user = uow.repo.user(login)
        new_recommendations(uow, [NewRecommendation(
            number=number, title=title, district=district, department=department, kind=kind,
            topic=topic, description=description, effective_on=proposed_on)
            for (_line, number, title, district, department, kind, topic, description,
                 proposed_on) in valid],
            user=user, source=f"Import {table.filename}", correction=correction,
            progress=progress)
        uow.flush()
        uow.commit()
        return {"file": table.filename, "imported": len(valid), "unchanged": len(unchanged),
                "notes": table.notes()}


def import_indicators(uow, login: str, path: str | Path, progress: Progress = None) -> dict:
    """Indicator values per Sozialraum and city, and per Sozialquartier: a row with
    `quarter` carries the quarter's value; `numerator` and `denominator` the counts behind a
    share (the value may then be left empty: 100 * numerator / denominator). From the
    quarters' counts the Sozialraum and city values are derived (ratio of the sums)."""
    from controlling.data.sozialindex_repository import SozialindexRepository

    with uow:
        require(actor_of(uow, login), "import")
        table = read_table(path, INDICATOR_COLUMNS, INDICATOR_OPTIONAL)
        districts = uow.repo.district_by_name()
        areas = SozialindexRepository(uow.session)
        quarters = areas.quarter_by_name()
        problems: list[str] = []
        seen: dict[tuple, int] = {}
        meta: dict[str, tuple[int, str | None, bool | None]] = {}
        valid = []
        for line, row in table.rows:
            errors: list[str] = []
            code = row.get("indicator", "")
            if not code:
                errors.append("Indikator fehlt")
            for value_text, limit, what in ((code, INDICATOR_CODE, "Indikator"),
                                            (row.get("label"), INDICATOR_LABEL, "label")):
                problem = length_problem(value_text, limit, what)
                if problem:
                    errors.append(problem)
            quarter = None
            if row.get("quarter"):
                quarter = quarters.get(row["quarter"].lower())
                if quarter is None:
                    errors.append(f"unbekanntes Sozialquartier '{row['quarter']}'")
            if quarter is not None and not row.get("district"):
                district = quarter.district
            else:
                district = districts.get(row.get("district", "").lower())
                if district is None:
                    errors.append(f"unbekannter Sozialraum '{row.get('district', '')}'")
                elif quarter is not None and quarter.district_id != district.id:
                    errors.append(f"Sozialquartier {quarter.name} liegt in "
                                  f"{quarter.district.name}, nicht in {district.name}")
            year = _parse_year(row.get("year", ""), errors)
            point = table.decimal_point
            counts = _counts(row.get("numerator", ""), row.get("denominator", ""), errors,
                             point)
            value = _value(row.get("value", ""), counts, errors, point,
                           counted=bool(row.get("numerator") or row.get("denominator")))
            label = row.get("label") or None
            direction = _bool(row.get("higher_is_worse", ""), errors)
            if code and district is not None and year is not None:
                area = ("quarter", quarter.id, quarter.name) if quarter is not None else (
                    "district", district.id, district.name)
                key = (code, area[0], area[1], year)
                if key in seen:
                    errors.append(
                        f"{code}/{area[2]}/{year} kommt doppelt vor (schon in Zeile "
                        f"{seen[key]})"
                    )
                seen.setdefault(key, line)
            if code and code in meta:
                first, first_label, first_direction = meta[code]
                if label and first_label and label != first_label:
                    errors.append(f"anderer Name für {code} als in Zeile {first}")
                if direction is not None and first_direction is not None and (
                        direction != first_direction):
                    errors.append(f"andere Richtung (higher_is_worse) für {code} als in Zeile "
                                  f"{first}")
            elif code:
                meta[code] = (line, label, direction)
            problems.extend(f"Zeile {line}: {e}." for e in errors)
            if not errors:
                valid.append((code, district, year, value, label, direction, quarter, counts))
        if problems:
            raise ImportRefused(table.filename, problems)
        indicators = {i.code: i for i in uow.repo.indicators()}
        for code, _d, _y, _v, label, direction, _q, _c in valid:
            indicator = indicators.get(code)
            if indicator is None:
                indicator = Indicator(code=code, label=label or code,
                                      higher_is_worse=True if direction is None else direction)
                uow.session.add(indicator)
                indicators[code] = indicator
            else:
                if label:
                    indicator.label = label
                if direction is not None:
                    indicator.higher_is_worse = direction
        uow.flush()
        existing = uow.repo.indicator_value_rows()
        existing_quarters = areas.quarter_value_rows()
        replaced = 0
        with_counts: set[tuple[int, int]] = set()
        new_values: dict[tuple, dict] = {}  # written below in one executemany per table
        new_quarter_values: list[dict] = []
        for index, (code, district, year, value, _label, _direction, quarter,
                    counts) in enumerate(valid, 1):
            numerator, denominator = counts or (None, None)
            indicator_id = indicators[code].id
            if quarter is not None:
                key = (indicator_id, quarter.id, year)
                row = existing_quarters.get(key)
                if row is None:
                    new_quarter_values.append({
                        "indicator_id": indicator_id, "quarter_id": quarter.id, "year": year,
                        "value": value, "numerator": numerator, "denominator": denominator})
                else:
                    row.value, row.numerator, row.denominator = value, numerator, denominator
                    replaced += 1
                with_counts.add((indicator_id, year))
            else:
                key = (indicator_id, district.id, year)
                row = existing.get(key)
                if row is None:
                    new_values[key] = {
                        "indicator_id": indicator_id, "district_id": district.id,
                        "year": year, "value": value, "numerator": numerator,
                        "denominator": denominator, "derived": False}
                else:
                    row.value = value
                    row.numerator, row.denominator, row.derived = numerator, denominator, False
                    replaced += 1
            if progress:
                progress(index, len(valid))
        uow.flush()
        for model, rows in ((IndicatorValue, list(new_values.values())),
                            (QuarterValue, new_quarter_values)):
            if rows:
                uow.session.execute(insert(model), rows)
        derived = _derive(uow, areas, existing, with_counts, imported=set(new_values))
        uow.flush()
        uow.commit()
        return {"file": table.filename, "imported": len(valid) - replaced, "replaced": replaced,
                "derived": derived, "indicators": sorted({v[0] for v in valid})}


def _derive(uow, areas, existing: dict, keys: set[tuple[int, int]], imported: set[tuple]
            ) -> int:
    """Sozialraum and city values from the quarters' counts, as the ratio of the sums (never
    the mean of the quarters' percentages): a Sozialraum when all its quarters have counts,
    the city when every quarter has. An imported (not derived) value is kept: one stored
    before (`existing`, by key) or one this import has just written (`imported`, its keys)."""
    from controlling.domain.sozialindex import share

    quarters = areas.quarters()
    city = uow.repo.citywide()
    by_district: dict[int, list[int]] = {}
    for quarter in quarters:
        by_district.setdefault(quarter.district_id, []).append(quarter.id)
    written = 0
    for indicator_id, year in sorted(keys):
        counts = areas.quarter_counts(indicator_id, year)
        targets = [(district_id, ids) for district_id, ids in by_district.items()]
        targets.append((city.id, [q.id for q in quarters]))
        for district_id, ids in targets:
            if not ids or any(i not in counts for i in ids):
                continue
            numerator = sum(counts[i][0] for i in ids)
            denominator = sum(counts[i][1] for i in ids)
            key = (indicator_id, district_id, year)
            row = existing.get(key)
            if key in imported or (row is not None and not row.derived):
                continue
            if row is None:
                row = IndicatorValue(indicator_id=indicator_id, district_id=district_id,
                                     year=year, value=0.0, derived=True)
                uow.session.add(row)
                existing[key] = row
            row.value = share(numerator, denominator)
            row.numerator, row.denominator = numerator, denominator
            written += 1
    return written


def _counts(numerator_text: str, denominator_text: str, errors: list[str],
            point: bool = False) -> tuple[float, float] | None:
    if not numerator_text and not denominator_text:
        return None
    if not numerator_text or not denominator_text:
        errors.append("Zähler (numerator) und Nenner (denominator) nur zusammen")
        return None
    numerator = _number(numerator_text, errors, "Zähler", point)
    denominator = _number(denominator_text, errors, "Nenner", point)
    if numerator is None or denominator is None:
        return None
    if numerator < 0:
        errors.append(f"Zähler {format_number(numerator)} ist negativ")
        return None
    if denominator <= 0:
        errors.append(f"Nenner {format_number(denominator)} ist nicht größer als 0")
        return None
    return numerator, denominator


def _value(text: str, counts: tuple[float, float] | None, errors: list[str],
           point: bool = False, counted: bool = False) -> float | None:
    """The value as given; with counts it may be left empty (then the share in percent) and
    must otherwise agree with them (rounded to one decimal at most). `counted`: counts were
    given (a problem with them is reported already, not also a missing value)."""
    from controlling.domain.sozialindex import share

    if counted and counts is None and not text:
        return None
    if counts is None or text:
        value = _number(text, errors, point=point)
    else:
        return share(*counts)
    if value is not None and counts is not None:
        expected = share(*counts)
        if abs(value - expected) > max(0.05, 1e-6 * abs(expected)):
            errors.append(f"Wert {format_number(value)} passt nicht zu Zähler und Nenner "
                          f"(100 · {format_number(counts[0])} / {format_number(counts[1])} = "
                          f"{format_number(expected, 2)} %; Anteile aus Zählern sind Prozent)")
            return None
    return value


def _line_of(problem: str) -> int:
    try:
        return int(problem.split(":", 1)[0].removeprefix("Zeile "))
    except ValueError:
        return 0


def _positive_int(text: str, what: str, errors: list[str]) -> int | None:
    try:
        value = int(text)
    except ValueError:
        errors.append(f"{what} '{text}' ist keine ganze Zahl" if text else f"{what} fehlt")
        return None
    problem = number_problem(value, what)
    if problem:
        errors.append(problem)
        return None
    return value


def _parse_year(text: str, errors: list[str]) -> int | None:
    try:
        value = int(text)
    except ValueError:
        errors.append(f"Jahr '{text}' ist keine Jahreszahl" if text else "Jahr fehlt")
        return None
    if not 1900 <= value <= 2200:
        errors.append(f"Jahr {value} ist unplausibel")
        return None
    return value


def _number(text: str, errors: list[str], what: str = "Wert",
            point: bool = False) -> float | None:
    """German (`1.234` = 1234, `1.234,5`) or a plain decimal point (controlling.domain.numbers);
    `point`: the file writes a lone point as the decimal point."""
    try:
        return parse_number(text, what, decimal_point=point)
    except DomainError as error:
        errors.append(str(error).rstrip("."))
        return None


def _bool(text: str, errors: list[str]) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in ("true", "ja", "1", "wahr"):
        return True
    if value in ("false", "nein", "0", "falsch"):
        return False
    errors.append(f"higher_is_worse '{text}' ist weder true noch false")
    return None


def _choice(enum_type, text: str, what: str, errors: list[str]):
    try:
        return parse_choice(enum_type, text, what)
    except DomainError as error:
        errors.append(str(error).rstrip("."))
        return None


def _date(text: str, what: str, errors: list[str]):
    try:
        return parse_date(text, what)
    except DomainError as error:
        errors.append(str(error).rstrip("."))
        return None
