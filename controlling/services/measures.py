"""Measure profiles (Maßnahmensteckbriefe): add, edit with history, list, show, import,
link to recommendations, and the offers that are about to expire."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.orm.exc import StaleDataError

from controlling.data.models import Measure, MeasureChange
from controlling.data.triage_repository import TriageRepository
from controlling.domain import actors
from controlling.domain.actors import require
from controlling.domain.dates import parse_date
from controlling.domain.errors import DomainError, ImportRefused, InvalidInput, StaleEdit
from controlling.domain.formatting import format_date
from controlling.domain.limits import check_length
from controlling.domain.measures import (
    CONTACT_ROLE,
    FIELDS,
    MEASURE_TITLE,
    PLACE,
    check_districts,
    check_no_personal_data,
    ends_within,
    parse_period,
    split_districts,
)
from controlling.domain.reference import CITYWIDE
from controlling.domain.triage import check_measure_edit
from controlling.domain.vocabulary import Kind, parse_choice
from controlling.services.common import actor_of, iso_utc, now, recommendation_view, today
from controlling.services.recommendations import new_recommendation
from controlling.services.roundtrip import MEASURE_INFORMATIONAL
from controlling.services.tabular import by_code_or_name, read_table

COLUMNS = ("title", "department", "districts")
OPTIONAL = tuple(f for f in FIELDS if f not in COLUMNS)

Progress = Callable[[int, int], None] | None


# views ----------------------------------------------------------------------------------------
def snapshot(measure: Measure) -> dict:
    """The profile's fields as plain JSON values (also the unit of its history)."""
    return {
        "title": measure.title,
        "description": measure.description,
        "department": measure.department.code,
        "districts": [d.name for d in sorted(measure.districts, key=lambda d: d.id)],
        "topic": measure.topic.name if measure.topic else None,
        "target_group": measure.target_group,
        "place": measure.place,
        "ends_on": measure.ends_on.isoformat() if measure.ends_on else None,
        "funding": measure.funding,
        "implementation_status": measure.implementation_status,
        "contact_department": (measure.contact_department.code
                               if measure.contact_department else None),
        "contact_role": measure.contact_role,
    }


def measure_view(measure: Measure) -> dict:
    return {
        "id": measure.id,
        **snapshot(measure),
        "citywide": any(d.is_citywide for d in measure.districts),
        "time_limited": measure.ends_on is not None,
        "recommendations": [r.number for r in measure.recommendations],
        "version": measure.version,
        "example": bool(measure.is_example),
    }


def change_view(change: MeasureChange) -> dict:
    return {
        "version": change.version,
        "changes": change.changes,
        "actor": change.actor.login,
        "recorded_at": iso_utc(change.recorded_at),
        "reason": change.reason,
        "source": change.source,
    }


# field values -----------------------------------------------------------------------------------
class Lookups:
    """Reference data loaded once per use case, so an import asks no query per row."""

    def __init__(self, uow):
        self.repo = uow.repo
        self.departments = by_code_or_name(uow.repo.department_by_code())
        self.districts = uow.repo.district_by_name()
        self.topics = uow.repo.topic_by_name()

    def department(self, code):
        if not (code or "").strip():
            raise InvalidInput("Bereich fehlt.")
        return self.departments.get((code or "").strip().lower()) or self.repo.department(code)

    def district(self, name):
        return self.districts.get((name or "").strip().lower()) or self.repo.district(name)

    def topic(self, name):
        if not (name or "").strip():
            return None
        return self.topics.get(name.strip().lower()) or self.repo.topic(name)


def _text(value) -> str | None:
    return (value or "").strip() or None


def _title(lookups, value):
    text = _text(value)
    if text is None:
        raise InvalidInput("Der Titel darf nicht leer sein.")
    check_length(text, MEASURE_TITLE, "Der Titel")
    return text


def _place(lookups, value):
    text = _text(value)
    check_length(text, PLACE, "Ort/Einrichtung")
    return text


def _contact_role(lookups, value):
    text = check_no_personal_data(value, "Der Kontakt")
    check_length(text, CONTACT_ROLE, "Der Kontakt (Funktion)")
    return text


def _districts(lookups, value):
    names = split_districts(value) if isinstance(value, str) else [n for n in value or [] if n]
    return [lookups.district(name) for name in check_districts(names, CITYWIDE)]


RESOLVERS = {
    "title": _title,
    "description": lambda lookups, v: _text(v),
    "department": lambda lookups, v: lookups.department(v),
    "districts": _districts,
    "topic": lambda lookups, v: lookups.topic(v),
    "target_group": lambda lookups, v: _text(v),
    "place": _place,
    "ends_on": lambda lookups, v: parse_date(v, "Enddatum"),
    "funding": lambda lookups, v: _text(v),
    "implementation_status": lambda lookups, v: _text(v),
    "contact_department": lambda lookups, v: lookups.department(v) if _text(v) else None,
    "contact_role": _contact_role,
}


def resolve(lookups: Lookups, raw: dict, errors: list[str]) -> dict:
    """Raw texts (''/None clears an optional field) -> values; each problem into `errors`."""
    values = {}
    for name, value in raw.items():
        try:
            values[name] = RESOLVERS[name](lookups, value)
        except DomainError as error:
            errors.append(str(error).rstrip("."))
    return values


def resolve_or_refuse(uow, raw: dict) -> dict:
    errors: list[str] = []
    values = resolve(Lookups(uow), raw, errors)
    if errors:
        raise InvalidInput("; ".join(errors) + ".")
    return values


def _apply(measure: Measure, values: dict) -> None:
    for name, value in values.items():
        setattr(measure, name, value)


def create_measure(uow, user, values: dict, *, reason: str, source: str | None = None,
                   is_example: bool = False) -> Measure:
    """Create a profile from resolved values and its first history entry (no commit)."""
    stamp = now()
    measure = Measure(created_at=stamp, updated_at=stamp, is_example=is_example)
    _apply(measure, values)
    uow.session.add(measure)
    uow.flush()
    after = snapshot(measure)
    uow.session.add(MeasureChange(
        measure_id=measure.id, version=measure.version, actor_id=user.id, recorded_at=stamp,
        changes={k: {"from": None, "to": v} for k, v in after.items() if v not in (None, [])},
        reason=reason, source=source,
    ))
    uow.flush()
    return measure


# use cases ------------------------------------------------------------------------------------
def add_measure(uow, login: str, *, fields: dict, reason: str | None = None) -> dict:
    """A new profile; planners, admins, and department heads for their own department."""
    with uow:
        actor = actor_of(uow, login)
        if not (fields.get("department") or "").strip():
            raise InvalidInput("Ein Steckbrief braucht einen Bereich (--department).")
        require(actor, "measure.write", uow.repo.department(fields["department"]).code)
        values = resolve_or_refuse(uow, {"districts": [], **fields})
        measure = create_measure(uow, uow.repo.user(login), values,
                                 reason=_text(reason) or "angelegt")
        view = measure_view(measure)
        uow.commit()
        return view


def edit_measure(uow, login: str, measure_id: int, *, fields: dict, reason: str,
                 expected_version: int | None = None) -> dict:
    """Change fields of a profile; the change is kept with who, when and why."""
    with uow:
        actor = actor_of(uow, login)
        measure = TriageRepository(uow.session).measure(measure_id)
        require(actor, "measure.write", measure.department.code)
        if expected_version is not None and measure.version != expected_version:
            raise StaleEdit(f"Maßnahme {measure_id}")
        if not _text(reason):
            raise InvalidInput("Jede Änderung braucht eine Begründung (--reason).")
        if not fields:
            raise InvalidInput("Keine Änderung angegeben (z. B. --ends-on oder --status).")
        values = resolve_or_refuse(uow, fields)
        new_department = values.get("department", measure.department).code
        check_measure_edit(actor, measure.department.code, new_department)
        changes = apply_edit(uow, uow.repo.user(login), measure, values, reason=reason.strip())
        if not changes:
            raise InvalidInput(f"Keine Änderung: Maßnahme {measure_id} hat diese Werte bereits.")
        view = measure_view(measure)
        view["change"] = changes
        uow.commit()
        return view


def apply_edit(uow, user, measure: Measure, values: dict, *, reason: str,
               source: str | None = None) -> dict:
    """Set resolved values and keep the change (no commit); {} when nothing differs."""
    before = snapshot(measure)
    _apply(measure, values)
    after = snapshot(measure)
    changes = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    if not changes:
        return changes
    stamp = now()
    measure.updated_at = stamp  # raises the version, also when only the districts change
    try:
        uow.session.flush()
    except StaleDataError:
        uow.session.rollback()
        raise StaleEdit(f"Maßnahme {measure.id}") from None
    uow.session.add(MeasureChange(
        measure_id=measure.id, version=measure.version, changes=changes, actor_id=user.id,
        recorded_at=stamp, reason=reason, source=source,
    ))
    uow.flush()
    return changes


def as_snapshot(values: dict) -> dict:
    """Resolved values as `snapshot` shows them, to compare without changing the profile."""
    plain = {}
    for name, value in values.items():
        if name in ("department", "contact_department"):
            value = value.code if value is not None else None
        elif name == "districts":
            value = [d.name for d in sorted(value, key=lambda d: d.id)]
        elif name == "topic":
            value = value.name if value is not None else None
        elif name == "ends_on":
            value = value.isoformat() if value is not None else None
        plain[name] = value
    return plain


def list_measures(uow, login: str, *, department: str | None = None,
                  district: str | None = None, topic: str | None = None,
                  time_limited: bool = False) -> list[dict]:
    """Profiles, filtered; `district` matches profiles of that district (exactly)."""
    with uow:
        actor_of(uow, login)
        found_district = uow.repo.district(district) if district else None
        found_topic = uow.repo.topic(topic)
        measures = TriageRepository(uow.session).measures(
            department_id=uow.repo.department(department).id if department else None,
            topic_id=found_topic.id if found_topic else None,
        )
        return [
            measure_view(m) for m in measures
            if (found_district is None or found_district in m.districts)
            and (not time_limited or m.ends_on is not None)
        ]


def show_measure(uow, login: str, measure_id: int) -> dict:
    from controlling.services.suggestions import suggestion_view

    with uow:
        actor_of(uow, login)
        repo = TriageRepository(uow.session)
        measure = repo.measure(measure_id)
        view = measure_view(measure)
        view["history"] = [change_view(c) for c in repo.measure_changes(measure.id)]
        view["recommendation_list"] = [recommendation_view(r) for r in measure.recommendations]
        view["suggestions"] = [suggestion_view(s) for s in repo.suggestions_of_measure(measure.id)]
        return view


def link_measure(uow, login: str, measure_id: int, *, number: int) -> dict:
    """Link a measure profile and a recommendation (both ways; kept, never removed)."""
    with uow:
        actor = actor_of(uow, login)
        repo = TriageRepository(uow.session)
        measure = repo.measure(measure_id)
        require(actor, "measure.write", measure.department.code)
        rec = uow.repo.recommendation(number)
        if not repo.link(rec.id, measure.id):
            raise InvalidInput(f"Maßnahme {measure_id} und Empfehlung {number} sind bereits "
                               "verknüpft.")
        uow.flush()
        uow.session.expire(measure, ["recommendations"])
        view = measure_view(measure)
        uow.commit()
        return view


def import_measures(uow, login: str, path: str | Path, progress: Progress = None) -> dict:
    """Profiles from .csv/.xlsx: every row checked first, then all written or none.

    A row with the `id` of a profile (a file of `export measures`) edits that profile, with
    history; unchanged it is skipped; its `version` must still be the profile's."""
    with uow:
        actor = actor_of(uow, login)
        require(actor, "measure.import")
        table = read_table(path, COLUMNS, OPTIONAL, informational=MEASURE_INFORMATIONAL)
        every = TriageRepository(uow.session).measures()
        by_id = {m.id: m for m in every}
        known = {(m.title.lower(), m.department.code.lower()): m.id for m in every}
        lookups = Lookups(uow)
        seen: dict[tuple[str, str], int] = {}
        problems: list[str] = []
        valid, edits, unchanged = [], [], 0
        for line, row in table.rows:
            errors: list[str] = []
            measure = _measure_of_row(row, by_id, errors)
            fields = [k for k in (*COLUMNS, *OPTIONAL) if measure is None or k in table.header]
            values = resolve(lookups, {k: row.get(k, "") for k in fields}, errors)
            department = values.get("department")
            key = (row.get("title", "").lower(),
                   department.code.lower() if department else row.get("department", "").lower())
            if all(key):
                if key in seen:
                    errors.append(f"derselbe Steckbrief (Titel und Bereich) steht schon in "
                                  f"Zeile {seen[key]}")
                elif key in known and known[key] != (measure.id if measure else None):
                    errors.append("diesen Steckbrief (Titel und Bereich) gibt es bereits")
                seen.setdefault(key, line)
            if measure is not None and not errors:
                before = snapshot(measure)
                if all(before[k] == v for k, v in as_snapshot(values).items()):
                    unchanged += 1
                else:
                    _check_edit(actor, measure, row, values, errors)
                    edits.append((measure, values))
            elif not errors:
                valid.append(values)
            problems.extend(f"Zeile {line}: {e}." for e in errors)
        if problems:
            raise ImportRefused(table.filename, problems)
        user = uow.repo.user(login)
        source = f"Import {table.filename}"
        for measure, values in edits:
            apply_edit(uow, user, measure, values, reason="geändert per Import", source=source)
        for index, values in enumerate(valid, start=1):
            create_measure(uow, user, values, reason="importiert", source=source)
            if progress:
                progress(index, len(valid))
        uow.commit()
        return {"file": table.filename, "imported": len(valid), "edited": len(edits),
                "unchanged": unchanged, "notes": table.notes(used=("id", "version"))}


def _measure_of_row(row: dict, by_id: dict, errors: list[str]) -> Measure | None:
    text = row.get("id", "")
    if not text:
        return None
    if not text.isdigit() or int(text) not in by_id:
        errors.append(f"unbekannte Maßnahme '{text}' (Spalte id; für einen neuen Steckbrief "
                      "leer lassen)")
        return None
    return by_id[int(text)]


def _check_edit(actor, measure: Measure, row: dict, values: dict, errors: list[str]) -> None:
    """An edit by import: allowed for this person, and of the version that was exported."""
    version = row.get("version", "")
    if version and version != str(measure.version):
        errors.append(f"Maßnahme {measure.id} wurde seit dem Export geändert (Version "
                      f"{measure.version}, in der Datei {version}); bitte neu exportieren")
    try:
        new_department = values.get("department", measure.department).code
        check_measure_edit(actor, measure.department.code, new_department)
    except DomainError as error:
        errors.append(str(error).rstrip("."))


def expiring_measures(uow, login: str, *, within: str, as_of: date | None = None,
                      propose: bool = False, kind: str = "extension",
                      on: date | None = None) -> dict:
    """Time-limited profiles ending within the period (boundaries included) that have no
    extension or permanence recommendation yet; with `propose`, create those (proposed)."""
    with uow:
        actor = actor_of(uow, login)
        period = parse_period(within)
        start = as_of or today()
        end = period.end_from(start)
        repo = TriageRepository(uow.session)
        covered = repo.measures_with_continuation()
        due = [m for m in repo.measures(ends_between=(start, end))
               if m.id not in covered and ends_within(m.ends_on, start, end)]
        result = {"as_of": start.isoformat(), "until": end.isoformat(), "within": str(period),
                  "measures": [{**measure_view(m), "days_left": (m.ends_on - start).days}
                               for m in due],
                  "proposed": []}
        if not propose:
            return result
        actors.require(actor, "recommendation.add")
        parsed = parse_choice(Kind, kind, "Art")
        if parsed == Kind.NEW:
            raise InvalidInput("Für auslaufende Angebote: --kind extension oder permanence.")
        result["proposed"] = propose_continuations(uow, login, due, parsed, on or today())
        uow.commit()
        return result


def propose_continuations(uow, login: str, measures: list[Measure], kind: Kind,
                          effective_on: date) -> list[dict]:
    """One proposed recommendation per measure, numbered from the next free number on."""
    repo = TriageRepository(uow.session)
    user = uow.repo.user(login)
    number = repo.next_free_number()
    proposed = []
    for measure in measures:
        districts = [d for d in measure.districts if not d.is_citywide]
        district = districts[0] if len(districts) == 1 else uow.repo.citywide()
        prefix = "Verlängerung" if kind == Kind.EXTENSION else "Verstetigung"
        rec = new_recommendation(
            uow, number=number, title=f"{prefix}: {measure.title}", district=district,
            department=measure.department, kind=kind, topic=measure.topic,
            description=(f"Maßnahme {measure.id} ist befristet bis "
                         f"{format_date(measure.ends_on)}."),
            effective_on=effective_on, user=user,
            source=f"Auslaufende Maßnahme {measure.id}",
        )
        uow.flush()
        repo.link(rec.id, measure.id)
        proposed.append({"number": number, "measure_id": measure.id, "kind": kind.value,
                         "title": rec.title, "district": district.name})
        number += 1
    uow.flush()
    return proposed
