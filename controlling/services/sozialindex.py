"""The Sozialindex: Sozialquartiere, computing the status and dynamics index and
showing a computation. The computation itself is pure (controlling/domain/sozialindex.py);
this layer reads the values, stores the result with its method, years and inputs, and turns a
stored computation into plain data."""

from pathlib import Path

from controlling.data.models import IndexComputation, IndexValue, Quarter
from controlling.data.sozialindex_repository import SozialindexRepository
from controlling.domain import limits
from controlling.domain.actors import require
from controlling.domain.errors import Conflict, ImportRefused, InvalidInput, NotFound
from controlling.domain.sozialindex import (
    DynamicsClass,
    IndicatorSpec,
    StatusClass,
    compute_index,
    parameters,
)
from controlling.services.common import actor_of, iso_utc, now

LEVELS = {"quarter": "Sozialquartiere", "district": "Sozialräume"}
DEFAULT_SPAN = 2  # the Sozialbericht appears every two years


# Sozialquartiere ------------------------------------------------------------------------------

def add_quarter(uow, login: str, *, name: str, district: str) -> dict:
    with uow:
        require(actor_of(uow, login), "quarter.manage")
        quarter = _new_quarter(uow, name, uow.repo.district(district))
        uow.commit()
        return quarter_view(quarter)


def _new_quarter(uow, name: str, district) -> Quarter:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Der Name des Sozialquartiers darf nicht leer sein.")
    limits.check_length(name, limits.DISTRICT_NAME, "Der Name des Sozialquartiers")
    if district.is_citywide:
        raise InvalidInput("Ein Sozialquartier liegt in einem Sozialraum, nicht 'stadtweit'.")
    if name.lower() in SozialindexRepository(uow.session).quarter_by_name():
        raise Conflict(f"Sozialquartier '{name}' gibt es bereits.")
    quarter = Quarter(name=name, district=district)
    uow.session.add(quarter)
    uow.flush()
    return quarter


def import_quarters(uow, login: str, path: str | Path, progress=None) -> dict:
    """`.csv`/`.xlsx` with header `quarter,district`; all or nothing."""
    from controlling.services.tabular import read_table

    with uow:
        require(actor_of(uow, login), "quarter.manage")
        table = read_table(path, ("quarter", "district"), ())
        districts = uow.repo.district_by_name()
        known = SozialindexRepository(uow.session).quarter_by_name()
        problems, valid, first = [], [], {}
        for line, row in table.rows:
            errors = []
            name = row.get("quarter", "").strip()
            if not name:
                errors.append("Sozialquartier fehlt")
            else:
                problem = limits.length_problem(name, limits.DISTRICT_NAME, "Sozialquartier")
                if problem:
                    errors.append(problem)
                if name.lower() in first:
                    errors.append(f"{name} kommt doppelt vor (schon in Zeile "
                                  f"{first[name.lower()]})")
                elif name.lower() in known:
                    errors.append(f"Sozialquartier '{name}' gibt es bereits")
                first.setdefault(name.lower(), line)
            district = districts.get(row.get("district", "").lower())
            if district is None:
                errors.append(f"unbekannter Sozialraum '{row.get('district', '')}'")
            elif district.is_citywide:
                errors.append("ein Sozialquartier liegt in einem Sozialraum, nicht 'stadtweit'")
            problems.extend(f"Zeile {line}: {e}." for e in errors)
            if not errors:
                valid.append((name, district))
        if problems:
            raise ImportRefused(table.filename, problems)
        for index, (name, district) in enumerate(valid, start=1):
            uow.session.add(Quarter(name=name, district=district))
            if progress:
                progress(index, len(valid))
        uow.flush()
        uow.commit()
        return {"file": table.filename, "imported": len(valid)}


def import_quarter_shapes(uow, login: str, path: str | Path) -> dict:
    """The outlines of Sozialquartiere from a GeoJSON file (a FeatureCollection or one
    Feature; RFC 7946, WGS84, [longitude, latitude]): each feature's property `quarter` (or
    `Sozialquartier`, `name`) names a known quarter, its Polygon or MultiPolygon becomes that
    quarter's outline, replacing an earlier one. All or nothing, every problem named."""
    import json

    from controlling.domain import shapes
    from controlling.domain.limits import IMPORT_BYTES, IMPORT_ROWS, megabytes, thousands

    path = Path(path)
    with uow:
        require(actor_of(uow, login), "quarter.manage")
        if not path.is_file():
            raise ImportRefused(path.name, [f"Datei nicht gefunden: {path}"])
        if path.stat().st_size > IMPORT_BYTES:
            raise ImportRefused(path.name, [f"die Datei ist größer als "
                                            f"{megabytes(IMPORT_BYTES)}; bitte aufteilen."])
        try:
            document = json.loads(path.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ImportRefused(path.name, ["die Datei ist kein Text in UTF-8 (GeoJSON ist "
                                            "UTF-8, RFC 7946)."]) from None
        except json.JSONDecodeError as error:
            raise ImportRefused(path.name, [f"kein gültiges JSON (Zeile {error.lineno}, "
                                            f"Spalte {error.colno})."]) from None
        kind = document.get("type") if isinstance(document, dict) else None
        if kind == "FeatureCollection" and isinstance(document.get("features"), list):
            features = document["features"]
        elif kind == "Feature":
            features = [document]
        else:
            raise ImportRefused(path.name, ["kein GeoJSON mit Features (erwartet: type "
                                            "FeatureCollection oder Feature)."])
        if not features:
            raise ImportRefused(path.name, ["die Datei enthält keine Features."])
        if len(features) > IMPORT_ROWS:
            raise ImportRefused(path.name, [f"mehr als {thousands(IMPORT_ROWS)} Features."])
        known = SozialindexRepository(uow.session).quarter_by_name()
        problems, valid, first = [], [], {}
        for number, feature in enumerate(features, start=1):
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                problems.append(f"Feature {number}: kein Feature.")
                continue
            name = shapes.quarter_name(feature.get("properties"))
            errors = []
            if not name:
                errors.append("die Eigenschaft 'quarter' (der Name des Sozialquartiers) fehlt")
            elif name.lower() in first:
                errors.append(f"{name} kommt doppelt vor (schon in Feature "
                              f"{first[name.lower()]})")
            elif name.lower() not in known:
                errors.append(f"unbekanntes Sozialquartier '{name}' (anlegen mit "
                              "'controlling quarter add')")
            if name:
                first.setdefault(name.lower(), number)
            geometry = feature.get("geometry")
            errors += shapes.geometry_problems(geometry)
            label = f"Feature {number}" + (f" ({name})" if name else "")
            problems.extend(f"{label}: {e}." for e in errors)
            if not errors:
                valid.append((known[name.lower()], shapes.outline(geometry)))
        if problems:
            raise ImportRefused(path.name, problems)
        for quarter, outline in valid:
            quarter.shape = outline
        uow.flush()
        uow.commit()
        return {"file": path.name, "imported": len(valid)}


def quarters_geojson(uow, login: str) -> dict:
    """Every Sozialquartier as a GeoJSON feature (RFC 7946) for the Sozialnavigator map: its
    outline (null without one) and, as properties, its Sozialraum and its rank, indices and
    classes in the newest computation over the quarters (null when it is not in one)."""
    from controlling.domain.shapes import quarters_collection

    with uow:
        actor_of(uow, login)
        index = papers_index(uow.session)
        by_name = {a["area"]: a for a in index["areas"]} if index else {}
        items = []
        for quarter in SozialindexRepository(uow.session).quarters():
            area = by_name.get(quarter.name, {})
            items.append({
                "id": quarter.id, "shape": quarter.shape, "quarter": quarter.name,
                "district": quarter.district.name,
                "computation": index["computation"] if area else None,
                "method": index["method"] if area else None,
                "year": index["year"] if area else None,
                **{key: area.get(key) for key in (
                    "rank", "status_index", "status_class", "status_label", "dynamics_index",
                    "dynamics_class", "dynamics_label")}})
        return quarters_collection(items)


def list_quarters(uow, login: str, *, district: str | None = None) -> list[dict]:
    with uow:
        actor_of(uow, login)
        only = uow.repo.district(district) if district else None
        return [quarter_view(q) for q in SozialindexRepository(uow.session).quarters(only)]


def quarter_view(quarter: Quarter) -> dict:
    return {"name": quarter.name, "district": quarter.district.name}


# computing ------------------------------------------------------------------------------------

def compute(uow, login: str, *, year: int | None = None, indicators: list[str] | None = None,
            span: int | None = None, base_year: int | None = None, dynamics: bool = True,
            level: str = "quarter") -> dict:
    """Compute the index of `year` over the areas of `level` and append it as a new
    computation (an earlier one stays as it was). Dynamics over `span` years (default 2) or
    from `base_year`; `dynamics=False` computes the status index alone."""
    if level not in LEVELS:
        raise InvalidInput(f"Unbekannte Ebene '{level}' (möglich: quarter, district).")
    with uow:
        actor = actor_of(uow, login)
        require(actor, "index.compute")
        repo = SozialindexRepository(uow.session)
        if year is None:
            year = repo.latest_year(level)
            if year is None:
                raise NotFound(f"Es gibt noch keine Indikatorwerte für {LEVELS[level]} "
                               "(einlesen mit 'controlling import indicators').")
        chosen = _indicators(uow, repo, level, year, indicators)
        first = _base_year(year, span, base_year, dynamics)
        years = [year] if first is None else [first, year]
        values = repo.area_values(level, [i.id for i in chosen], years)
        specs = [IndicatorSpec(i.code, i.label, i.higher_is_worse) for i in chosen]
        result = compute_index(
            specs, year, {i.code: values.get((i.id, year), {}) for i in chosen},
            base_year=first,
            base_values=None if first is None else {
                i.code: values.get((i.id, first), {}) for i in chosen})
        computation = IndexComputation(
            method=result.method, level=level, year=year, base_year=first,
            indicators=result.indicators, parameters=parameters(), status_sd=result.status_sd,
            dynamics_sd=result.dynamics_sd, actor_id=uow.repo.user(actor.login).id,
            computed_at=now())
        uow.session.add(computation)
        uow.flush()
        areas = _areas(uow, repo, level)
        for area in result.areas:
            quarter_id, district_id = areas[area.area]
            uow.session.add(IndexValue(
                computation_id=computation.id, quarter_id=quarter_id, district_id=district_id,
                area=area.area, rank=area.rank, status=area.status,
                status_class=area.status_class, dynamics=area.dynamics,
                dynamics_class=area.dynamics_class, inputs=area.inputs))
        uow.flush()
        view = computation_view(computation, repo.index_values(computation.id))
        uow.commit()
        return view


def _indicators(uow, repo, level: str, year: int, codes: list[str] | None):
    if codes:
        chosen = [uow.repo.indicator(code.strip()) for code in codes]
        if len({i.code for i in chosen}) != len(chosen):
            raise InvalidInput("Jeder Indikator darf nur einmal in den Index eingehen.")
        return chosen
    chosen = repo.indicators_with_values(level, year)
    if not chosen:
        raise NotFound(f"Für {year} gibt es keine Indikatorwerte für {LEVELS[level]}.")
    return chosen


def _base_year(year: int, span: int | None, base_year: int | None,
               dynamics: bool) -> int | None:
    if not dynamics:
        if span is not None or base_year is not None:
            raise InvalidInput("--span/--since und --no-dynamics schließen sich aus.")
        return None
    if span is not None and base_year is not None:
        raise InvalidInput("Bitte entweder --span oder --since angeben, nicht beides.")
    if base_year is not None:
        if base_year >= year:
            raise InvalidInput(f"Das Basisjahr der Dynamik ({base_year}) muss vor {year} liegen.")
        return base_year
    span = DEFAULT_SPAN if span is None else span
    if span < 1:
        raise InvalidInput("Die Spanne der Dynamik (--span) muss mindestens 1 Jahr sein.")
    return year - span


def _areas(uow, repo, level: str) -> dict[str, tuple[int | None, int]]:
    if level == "quarter":
        return {q.name: (q.id, q.district_id) for q in repo.quarters()}
    return {d.name: (None, d.id) for d in uow.repo.districts() if not d.is_citywide}


# showing --------------------------------------------------------------------------------------

def show(uow, login: str, *, year: int | None = None, computation: int | None = None,
         level: str | None = None, district: str | None = None) -> dict:
    """A stored computation (the latest, of `year` or `level`, or by its number), its areas
    ranked; `district`: only the areas of that Sozialraum."""
    with uow:
        actor_of(uow, login)
        repo = SozialindexRepository(uow.session)
        if computation is not None:
            found = repo.computation(computation)
        else:
            found = repo.latest_computation(year=year, level=level)
            if found is None:
                which = f" für {year}" if year is not None else ""
                raise NotFound(f"Es gibt noch keinen berechneten Sozialindex{which} (berechnen "
                               "mit 'controlling index compute').")
        rows = repo.index_values(found.id)
        if district:
            only = uow.repo.district(district)
            rows = [r for r in rows if r.district_id == only.id]
        return computation_view(found, rows)


def latest_classes(session, *, level: str = "quarter") -> dict | None:
    """For the papers: the latest computation of `level` as plain data, or None."""
    repo = SozialindexRepository(session)
    found = repo.latest_computation(level=level)
    if found is None:
        return None
    return computation_view(found, repo.index_values(found.id))


# for the papers ---------------------------------------------------------------------------------
PAPER_QUERIES = 1  # statements of papers_index


def papers_index(session) -> dict | None:
    """The newest computation over the Sozialquartiere as the strategy paper and the city
    view show it, in one statement (`PAPER_QUERIES`), or None when none was computed:
    {computation, method, year, base_year, indicators: [{code, label, higher_is_worse}],
    areas_total, areas: [{rank, area, district, status_index, status_class, status_label,
    dynamics_index, dynamics_class, dynamics_label}]} by rank (1 = most poverty risk)."""
    rows = SozialindexRepository(session).latest_rows("quarter")
    if not rows:
        return None
    computation = rows[0][0]
    return {
        "computation": computation.id,
        "method": computation.method,
        "year": computation.year,
        "base_year": computation.base_year,
        "indicators": [{"code": i["code"], "label": i["label"],
                        "higher_is_worse": i["higher_is_worse"]}
                       for i in computation.indicators],
        "areas_total": len(rows),
        "areas": [paper_area(row, district) for _, row, district in rows],
    }


def paper_area(row: IndexValue, district: str) -> dict:
    status_class = StatusClass(row.status_class)
    dynamics_class = DynamicsClass(row.dynamics_class) if row.dynamics_class else None
    return {
        "rank": row.rank,
        "area": row.area,
        "district": district,
        "status_index": row.status,
        "status_class": status_class.value,
        "status_label": status_class.label,
        "dynamics_index": row.dynamics,
        "dynamics_class": dynamics_class.value if dynamics_class else None,
        "dynamics_label": dynamics_class.label if dynamics_class else None,
    }


def district_index(index: dict | None, district: str) -> dict | None:
    """`papers_index` with only the areas of `district` (`areas_total` stays the city's)."""
    if index is None:
        return None
    return {**index, "areas": [a for a in index["areas"] if a["district"] == district]}


def computation_view(computation: IndexComputation, rows: list[IndexValue]) -> dict:
    return {
        "id": computation.id,
        "method": computation.method,
        "level": computation.level,
        "year": computation.year,
        "base_year": computation.base_year,
        "indicators": computation.indicators,
        "parameters": computation.parameters,
        "status_sd": computation.status_sd,
        "dynamics_sd": computation.dynamics_sd,
        "computed_at": iso_utc(computation.computed_at),
        "computed_by": computation.actor.login if computation.actor else None,
        "areas": [area_view(row) for row in rows],
    }


def area_view(row: IndexValue) -> dict:
    status_class = StatusClass(row.status_class)
    dynamics_class = DynamicsClass(row.dynamics_class) if row.dynamics_class else None
    return {
        "area": row.area,
        "district": row.district.name,
        "rank": row.rank,
        "status": row.status,
        "status_class": status_class.value,
        "status_label": status_class.label,
        "dynamics": row.dynamics,
        "dynamics_class": dynamics_class.value if dynamics_class else None,
        "dynamics_label": dynamics_class.label if dynamics_class else None,
        "inputs": row.inputs,
    }


# evidence for the statistical support rule ----------------------------------------------------

def index_evidence(uow, rec, *, index: str, year: int | None = None,
                   quarter: str | None = None):
    """The Sozialindex as the evidence of `recommendation support --index status|dynamics`:
    the recommendation's Sozialraum in the latest district-level computation (of `year`), or
    with `quarter` one of its Sozialquartiere in the latest quarter-level one."""
    from controlling.domain.evidence import INDEX_KINDS, IndexEvidence, assess_index

    if index not in INDEX_KINDS:
        raise InvalidInput(f"Unbekannter Index '{index}' (möglich: status, dynamics).")
    repo = SozialindexRepository(uow.session)
    if quarter:
        found = repo.quarter(quarter)
        if found.district_id != rec.district_id:
            raise InvalidInput(
                f"Sozialquartier {found.name} liegt in {found.district.name}, nicht im "
                f"Sozialraum der Empfehlung {rec.number} ({rec.district.name}).")
        level, area = "quarter", found.name
    else:
        level, area = "district", rec.district.name
    computation = repo.latest_computation(year=year, level=level)
    if computation is None:
        which = f" für {year}" if year is not None else ""
        hint = ("'controlling index compute --level quarter'" if quarter else
                "'controlling index compute --level district' oder --quarter QUARTIER")
        raise NotFound(f"Kein Sozialindex auf Ebene der {LEVELS[level]}{which} berechnet "
                       f"(möglich: {hint}).")
    row = next((r for r in repo.index_values(computation.id) if r.area == area), None)
    if row is None:
        raise NotFound(f"{area} kommt in der Sozialindex-Berechnung Nr. {computation.id} "
                       "nicht vor.")
    if index == "dynamics" and row.dynamics is None:
        raise NotFound(f"Die Sozialindex-Berechnung Nr. {computation.id} hat keinen "
                       "Dynamikindex (berechnet mit --no-dynamics).")
    if index == "status":
        value, klass = row.status, StatusClass(row.status_class)
    else:
        value, klass = row.dynamics, DynamicsClass(row.dynamics_class)
    return assess_index(number=rec.number, evidence=IndexEvidence(
        index=index, computation=computation.id, method=computation.method, level=level,
        year=computation.year, base_year=computation.base_year, area=area,
        district=rec.district.name, value=value, klass=klass.value, class_label=klass.label))
