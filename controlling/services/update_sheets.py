"""The departments' quarterly update round (Sachstandsabfrage): the use cases.

Export: one workbook per department with its approved recommendations (the layout is in
controlling/services/update_workbook.py). Import: every workbook is checked completely before
anything is written, and written all or nothing. The updates are recorded as made by the
department's head, through the same workflow functions as the command line (apply_progress,
apply_action), with the file's name as source.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from controlling.data.models import Recommendation, User
from controlling.domain import workflow
from controlling.domain.actors import Actor, require
from controlling.domain.dates import Quarter, check_effective_date, progress_date
from controlling.domain.errors import (
    Conflict,
    DomainError,
    ImportRefused,
    InvalidInput,
    NotFound,
)
from controlling.domain.formatting import format_datetime
from controlling.domain.vocabulary import Role, Status
from controlling.files import check_target, reason, write_atomically
from controlling.services.common import actor_of, now, today
from controlling.services.exports import latest_progress, require_role
from controlling.services.recommendations import apply_action, apply_progress
from controlling.services.signing import UPDATE_WORKBOOK, signing_key
from controlling.services.update_workbook import (
    SHEET_META,
    Entry,
    ReturnedSheet,
    SheetPlan,
    SheetRow,
    build_workbook,
    parse_row,
    read_workbook,
)

Progress = Callable[[int, int], None] | None

PLANNING = frozenset({"planner", "admin"})


# Use cases ------------------------------------------------------------------------------------

def export_update_sheets(uow, login: str, *, quarter: str, out_dir: str | Path,
                         departments: Iterable[str] = (), force: bool = False,
                         progress: Progress = None) -> dict:
    """Write one workbook per department with approved recommendations into `out_dir`."""
    parsed = Quarter.parse(quarter)
    with uow:
        actor = actor_of(uow, login)
        require_role(actor, PLANNING, "Abfragebögen erstellen")
        wanted = [uow.repo.department(code) for code in departments]
        wanted_ids = {d.id for d in wanted}
        recs = [r for r in uow.repo.recommendations(status=Status.APPROVED)
                if not wanted_ids or r.department_id in wanted_ids]
        stamp = now().replace(microsecond=0)
        plans = _plans(uow, actor, parsed, recs, stamp)
        asked = {plan.department_code for plan in plans}
        without = [d.code for d in wanted if d.code not in asked]
        key = signing_key(uow, UPDATE_WORKBOOK, create=bool(plans))
        uow.commit()  # the key, when this is the first workbook ever
    target = Path(out_dir)
    paths = [target / plan.file_name for plan in plans]
    existing = [p.name for p in paths if p.exists() or p.is_symlink()]
    if existing and not force:
        raise Conflict(
            f"In {target} gibt es schon: {', '.join(existing)}; nichts geschrieben. Einen "
            "anderen Ordner wählen oder mit --force ersetzen (Achtung: zurückgesandte "
            "Bögen nicht ersetzen)."
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DomainError(f"Der Ordner {target} kann nicht angelegt werden: "
                          f"{reason(error)}.") from None
    for path in paths:
        check_target(path, force=force)  # no links, no folders, before the first file
    for index, (plan, path) in enumerate(zip(plans, paths, strict=True), start=1):
        write_atomically(path, workbook_bytes(build_workbook(plan, key)), force=force)
        if progress:
            progress(index, len(plans))
    return {
        "quarter": str(parsed),
        "exported_at": stamp.isoformat(),
        "files": [{"department": plan.department_code, "file": str(path),
                   "recommendations": len(plan.rows)} for plan, path in zip(plans, paths,
                                                                            strict=True)],
        "without_recommendations": without,
    }


def _plans(uow, actor: Actor, parsed: Quarter, recs, stamp: datetime) -> list[SheetPlan]:
    """One plan per department among `recs`, in the departments' order."""
    progress_by_rec = latest_progress(uow.session, [r.id for r in recs])
    by_department: dict[int, list] = {}
    for rec in recs:
        by_department.setdefault(rec.department_id, []).append(rec)
    return [SheetPlan(
        department_code=department.code, department_name=department.name,
        quarter=parsed, exported_at=stamp, exported_by=actor.login,
        rows=tuple(_sheet_row(rec, progress_by_rec.get(rec.id))
                   for rec in by_department[department.id]),
    ) for department in uow.repo.departments() if department.id in by_department]


def department_workbooks(uow, actor: Actor, parsed: Quarter, recs, *,
                         dry_run: bool = False) -> dict[str, tuple[str, bytes]]:
    """The signed workbook of each department among `recs` (approved recommendations), built
    in memory: department code -> (file name, bytes). The update round attaches them to its
    requests; same layout and signature as `export update-sheets`. The signing key is made
    when it is the first (committed at once, as by the export), except in a dry run, which
    signs with a throwaway key (its workbooks are never sent)."""
    import secrets

    plans = _plans(uow, actor, parsed, recs, now().replace(microsecond=0))
    key = signing_key(uow, UPDATE_WORKBOOK, create=bool(plans) and not dry_run)
    if key is None:
        key = secrets.token_bytes(32)
    return {plan.department_code: (plan.file_name, workbook_bytes(build_workbook(plan, key)))
            for plan in plans}


def _sheet_row(rec: Recommendation, last) -> SheetRow:
    return SheetRow(
        number=rec.number, title=rec.title, district=rec.district.name,
        status=rec.status.label,
        last_quarter=last.quarter if last else None,
        last_light=last.light.label if last else None,
        last_note=last.note if last else None,
        version=rec.version,
    )


def workbook_bytes(workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file, built in memory: the file itself is then
    written in one safe step (a failing disk never meets a half-written zip archive)."""
    from io import BytesIO

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_update_sheet(uow, login: str, path: str | Path, *, quarter: str,
                        heads: Iterable[str] = (), correction: str | None = None) -> dict:
    """Check one returned workbook completely, then record all of its updates or none.
    `correction`: the reason, when the quarter's report is already published (Nachtrag)."""
    expected = Quarter.parse(quarter)
    with uow:
        key = signing_key(uow, UPDATE_WORKBOOK, create=False)
    sheet = read_workbook(path, key)
    name = sheet.filename
    with uow:
        actor = actor_of(uow, login)
        try:
            department = uow.repo.department(sheet.department)
        except NotFound as error:
            raise ImportRefused(name, [f"Blatt '{SHEET_META}': {error}"]) from None
        try:
            require(actor, "progress", department.code)
            head = _recording_head(uow, actor, department, heads)
        except DomainError as error:
            raise ImportRefused(name, [str(error)]) from None
        if sheet.quarter != str(expected):
            raise ImportRefused(name, [
                f"Blatt '{SHEET_META}': der Bogen gilt für {sheet.quarter}, eingelesen wird "
                f"{expected}; bitte den Bogen der Abfrage {expected} verwenden."
            ])
        day = today()
        problems: list[str] = []
        entries: list[Entry] = []
        for row in sheet.rows:
            entry, row_problems = parse_row(sheet, row, expected, day)
            problems.extend(row_problems)
            if entry is not None:
                entries.append(entry)
        recs = _recommendations(uow, {e.number for e in entries})
        seen: dict[int, int] = {}
        for entry in entries:
            problems.extend(_check_entry(uow, sheet, entry, recs.get(entry.number), department,
                                         head, seen))
        if problems:
            raise ImportRefused(name, problems)
        source = f"Abfragebogen {name}, eingelesen von {actor.login}"[:300]
        progress_count = implemented = 0
        for entry in entries:
            rec = recs[entry.number]
            step = "light"
            try:
                if entry.light is not None:
                    apply_progress(uow, head, rec, quarter=str(expected),
                                   light=entry.light.value, note=entry.note,
                                   on=entry.effective_on, source=source,
                                   correction=correction)
                    progress_count += 1
                if entry.implemented:
                    step = "implemented"
                    apply_action(uow, head, rec, "implement", note=entry.note,
                                 on=entry.effective_on, source=source,
                                 correction=correction)
                    implemented += 1
            except DomainError as error:  # the checks above should have caught it
                problems.append(f"{sheet.where(entry.row, step)}: {error}")
        if problems:
            raise ImportRefused(name, problems)
        try:
            uow.commit()
        except DomainError as error:  # someone changed a recommendation just now
            raise ImportRefused(name, [str(error)]) from None
        return {
            "file": name, "department": department.code, "quarter": str(expected),
            "head": head.login, "progress": progress_count, "implemented": implemented,
            "skipped": sum(1 for row in sheet.rows if not row.filled()),
        }


def _recommendations(uow, numbers: set[int]) -> dict[int, Recommendation]:
    from controlling.data.repositories import chunked

    found = {}
    for part in chunked(numbers):
        query = select(Recommendation).where(Recommendation.number.in_(part))
        found.update((rec.number, rec) for rec in uow.session.scalars(query))
    return found


def _check_entry(uow, sheet: ReturnedSheet, entry: Entry, rec: Recommendation | None,
                 department, head: Actor, seen: dict[int, int]) -> list[str]:
    """The database's objections to one row (the rules of the command line, checked early)."""
    at = sheet.where(entry.row, "number")
    if entry.number in seen:
        return [f"{at}: Empfehlung {entry.number} steht doppelt im Bogen (schon in Zeile "
                f"{seen[entry.number]})."]
    seen[entry.number] = entry.row
    if rec is None:
        return [f"{at}: unbekannte Empfehlung Nr. {entry.number}."]
    if rec.department_id != department.id:
        return [f"{at}: Empfehlung {entry.number} gehört zu Bereich {rec.department.code}, "
                f"dieser Bogen ist für Bereich {department.code}."]
    if entry.number not in sheet.versions:
        return [f"{at}: Empfehlung {entry.number} gehört nicht zu diesem Bogen (sie war bei "
                "seiner Erstellung nicht freigegeben)."]
    if rec.version != sheet.versions[entry.number]:
        return [f"{at}: Konflikt: Empfehlung {entry.number} wurde nach der Erstellung des "
                f"Bogens ({_german_stamp(sheet.exported_at)}) im System geändert (jetzt "
                f"'{rec.status.label}'); diese Zeile bitte neu abfragen oder direkt mit "
                f"'controlling progress' erfassen."]
    problems = []
    try:
        previous = uow.repo.last_change_on(rec.id)
        check_effective_date(progress_date(Quarter.parse(sheet.quarter), entry.effective_on,
                                           today(), previous)
                             if entry.light is not None else entry.effective_on or today(),
                             previous, today(), rec.number)
    except DomainError as error:
        problems.append(f"{sheet.where(entry.row, 'effective_on')}: {error}")
    if entry.light is not None and rec.status != Status.APPROVED:
        problems.append(f"{sheet.where(entry.row, 'light')}: Sachstände gibt es nur für "
                        f"freigegebene Empfehlungen; Empfehlung {rec.number} ist "
                        f"'{rec.status.label}'.")
    if entry.implemented:
        try:
            workflow.check_transition("implement", rec.number, rec.status, rec.kind,
                                      rec.department.code, head)
        except DomainError as error:
            problems.append(f"{sheet.where(entry.row, 'implemented')}: {error}")
    return problems


def _german_stamp(iso: str) -> str:
    try:
        return format_datetime(datetime.fromisoformat(iso)) + " UTC"
    except ValueError:
        return iso


def _recording_head(uow, actor: Actor, department, heads: Iterable[str]) -> Actor:
    """The department head in whose name the updates are recorded."""
    if actor.role == Role.DEPARTMENT_HEAD and actor.department == department.code:
        return actor
    candidates = sorted(uow.session.scalars(
        select(User.login).where(User.role == Role.DEPARTMENT_HEAD,
                                 User.department_id == department.id)
    ))
    if not candidates:
        raise NotFound(
            f"Für Bereich {department.code} ist keine Bereichsleitung angelegt; die Sachstände "
            "werden in ihrem Namen erfasst. Bitte zuerst anlegen: controlling user add LOGIN "
            f"--name NAME --role department_head --department {department.code}"
        )
    chosen = [login for login in candidates if login in set(heads)]
    if len(candidates) == 1:
        chosen = candidates
    if len(chosen) != 1:
        raise InvalidInput(
            f"Bereich {department.code} hat mehrere Bereichsleitungen ({', '.join(candidates)}); "
            "bitte mit --head LOGIN angeben, in wessen Namen die Sachstände erfasst werden."
        )
    return Actor(login=chosen[0], role=Role.DEPARTMENT_HEAD, department=department.code)
