"""Institutions for the Sozialnavigator map: add, link to measure profiles, list, import, and
the GeoJSON export (RFC 7946: WGS84, longitude first)."""

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload, selectinload

from controlling.data.models import Institution, Measure, measure_institutions
from controlling.data.triage_repository import TriageRepository
from controlling.domain import institutions as rules
from controlling.domain.actors import require
from controlling.domain.errors import (
    Conflict,
    DomainError,
    ImportRefused,
    InvalidInput,
    NotFound,
)
from controlling.domain.limits import MAX_INTEGER
from controlling.domain.measures import split_districts
from controlling.services.common import actor_of, now
from controlling.services.tabular import read_table

COLUMNS = ("name", "type", "address", "longitude", "latitude")
OPTIONAL = ("district", "measures")

Progress = Callable[[int, int], None] | None


def institution_view(item: Institution) -> dict:
    return {
        "id": item.id,
        "name": item.name,
        "type": item.type,
        "address": item.address,
        "district": item.district.name if item.district else None,
        "longitude": item.longitude,
        "latitude": item.latitude,
        "measures": [{"id": m.id, "title": m.title, "department": m.department.code}
                     for m in item.measures],
    }


def _query():
    return select(Institution).options(
        joinedload(Institution.district),
        selectinload(Institution.measures).joinedload(Measure.department),
    )


def _institution(session, institution_id: int) -> Institution:
    found = None
    if 1 <= institution_id <= MAX_INTEGER:
        found = session.scalar(_query().where(Institution.id == institution_id))
    if found is None:
        raise NotFound(f"Unbekannte Institution {institution_id} (Liste: controlling "
                       "institution list).")
    return found


def _key(name: str, address: str) -> tuple[str, str]:
    return (name.lower(), address.lower())


def _existing_keys(session) -> set[tuple[str, str]]:
    return {_key(n, a) for n, a in session.execute(select(Institution.name,
                                                          Institution.address))}


def _values(lookups_district, *, name, type_, address, lon, lat, district,
            errors: list[str] | None = None) -> dict | None:
    """The checked column values; with `errors`, every problem is collected there (None is
    returned when there was one), else the first one is raised."""
    checks = (
        ("name", lambda: rules.check_text(name, rules.NAME, "Der Name")),
        ("type", lambda: rules.canonical_type(type_)),
        ("address", lambda: rules.check_text(address, rules.ADDRESS, "Die Adresse")),
        ("coordinates", lambda: rules.check_coordinates(lon, lat)),
        ("district", lambda: lookups_district(district) if (district or "").strip() else None),
    )
    values, problems = {}, []
    for key, check in checks:
        try:
            values[key] = check()
        except DomainError as error:
            if errors is None:
                raise
            problems.append(str(error).rstrip("."))
    if problems:
        errors.extend(problems)
        return None
    values["longitude"], values["latitude"] = values.pop("coordinates")
    return values


def add_institution(uow, login: str, *, name: str, type_: str, address: str, lon, lat,
                    district: str | None = None) -> dict:
    """One institution; the same name and address twice is refused."""
    with uow:
        require(actor_of(uow, login), "institution.write")
        values = _values(uow.repo.district, name=name, type_=type_, address=address, lon=lon,
                         lat=lat, district=district)
        if _key(values["name"], values["address"]) in _existing_keys(uow.session):
            raise Conflict(f"Die Institution '{values['name']}', {values['address']} gibt es "
                           "bereits.")
        item = Institution(**values, actor_id=uow.repo.user(login).id, created_at=now())
        uow.session.add(item)
        uow.flush()
        view = institution_view(_institution(uow.session, item.id))
        uow.commit()
        return view


def link_institution(uow, login: str, institution_id: int, *, measure_id: int) -> dict:
    """The measure takes place at (or is offered by) the institution."""
    with uow:
        require(actor_of(uow, login), "institution.write")
        item = _institution(uow.session, institution_id)
        measure = TriageRepository(uow.session).measure(measure_id)
        if any(m.id == measure.id for m in item.measures):
            raise InvalidInput(f"Institution {item.id} und Maßnahme {measure.id} sind bereits "
                               "verknüpft.")
        uow.session.execute(insert(measure_institutions).values(
            measure_id=measure.id, institution_id=item.id))
        uow.flush()
        uow.session.expire(item, ["measures"])
        view = institution_view(_institution(uow.session, item.id))
        uow.commit()
        return view


def list_institutions(uow, login: str, *, district: str | None = None,
                      type_: str | None = None) -> list[dict]:
    with uow:
        actor_of(uow, login)
        query = _query().order_by(Institution.name, Institution.id)
        if district:
            query = query.where(Institution.district_id == uow.repo.district(district).id)
        if type_:
            query = query.where(Institution.type == rules.canonical_type(type_))
        return [institution_view(i) for i in uow.session.scalars(query)]


def geojson(uow, login: str) -> dict:
    """Every institution as a Point feature with its measures (RFC 7946 FeatureCollection)."""
    with uow:
        actor_of(uow, login)
        items = uow.session.scalars(_query().order_by(Institution.id))
        return rules.feature_collection([institution_view(i) for i in items])


def import_institutions(uow, login: str, path: str | Path, progress: Progress = None) -> dict:
    """Institutions from .csv/.xlsx, all or nothing, every problem with its line. Header
    name,type,address,longitude,latitude plus optional district and measures (ids separated by
    ';' or '|')."""
    with uow:
        require(actor_of(uow, login), "institution.write")
        table = read_table(path, COLUMNS, OPTIONAL)
        districts = uow.repo.district_by_name()
        measure_ids = set(uow.session.scalars(select(Measure.id)))
        existing = _existing_keys(uow.session)

        def district_of(name):
            found = districts.get(name.strip().lower())
            if found is None:
                raise NotFound(f"unbekannter Sozialraum '{name}'")
            return found

        problems: list[str] = []
        valid = []
        seen: dict[tuple[str, str], int] = {}
        for line, row in table.rows:
            errors: list[str] = []
            values = _values(district_of, name=row.get("name"), type_=row.get("type"),
                             address=row.get("address"), lon=row.get("longitude"),
                             lat=row.get("latitude"), district=row.get("district"),
                             errors=errors)
            linked = _measure_ids(row.get("measures", ""), measure_ids, errors)
            if values is not None:
                key = _key(values["name"], values["address"])
                if key in seen:
                    errors.append(f"'{values['name']}', {values['address']} kommt doppelt vor "
                                  f"(schon in Zeile {seen[key]})")
                elif key in existing:
                    errors.append(f"'{values['name']}', {values['address']} gibt es bereits")
                seen.setdefault(key, line)
            problems.extend(f"Zeile {line}: {e}." for e in errors)
            if not errors:
                valid.append((values, linked))
        if problems:
            raise ImportRefused(table.filename, problems)
        actor_id, stamp = uow.repo.user(login).id, now()
        links = 0
        for index, (values, linked) in enumerate(valid, start=1):
            item = Institution(**values, actor_id=actor_id, created_at=stamp)
            uow.session.add(item)
            uow.flush()
            if linked:
                uow.session.execute(insert(measure_institutions), [
                    {"measure_id": m, "institution_id": item.id} for m in linked])
                links += len(linked)
            if progress:
                progress(index, len(valid))
        uow.flush()
        uow.commit()
        return {"file": table.filename, "imported": len(valid), "links": links}


def _measure_ids(text: str, known: set[int], errors: list[str]) -> list[int]:
    result = []
    for part in split_districts(text or ""):
        try:
            value = int(part)
        except ValueError:
            errors.append(f"Maßnahme '{part}' ist keine Nummer")
            continue
        if value not in known:
            errors.append(f"unbekannte Maßnahme {value}")
        elif value not in result:
            result.append(value)
    return result
