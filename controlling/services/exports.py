"""Exports for everyone else: recommendations (and measures, suggestions) as CSV, XLSX or JSON.

The columns are stable and documented in docs/commands.md; add new ones only at the end.
Machine values (status, kind, light) are the English ones of the command-line contract.
Text is neutralised against formula injection (controlling/services/spreadsheet.py).
"""

import csv
import io
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import func, select

from controlling.data.models import ProgressUpdate, StatusChange
from controlling.domain.actors import Actor, describe_who, qualifies
from controlling.domain.errors import InvalidInput, PermissionDenied
from controlling.domain.vocabulary import Kind, Light, Status, parse_choice
from controlling.json_layout import readable_json
from controlling.services.common import actor_of
from controlling.services.spreadsheet import csv_safe, set_cell

Progress = Callable[[int, int], None] | None

FORMATS = ("csv", "xlsx", "json")

RECOMMENDATION_COLUMNS = (
    "number", "title", "district", "department", "kind", "status", "topic", "description",
    "proposed_on", "status_since", "last_quarter", "last_light", "last_note",
    "last_progress_on", "example", "version",
)

MEASURE_COLUMNS = (
    "id", "title", "description", "department", "districts", "topic", "target_group", "place",
    "ends_on", "time_limited", "funding", "implementation_status", "contact_department",
    "contact_role", "recommendations", "example", "version",
)

SUGGESTION_COLUMNS = (
    "id", "event_id", "event", "held_on", "district", "topic", "text", "institution_kind",
    "status", "measure_id", "recommendation", "recommendation_status", "reason", "decided_on",
    "recorded_by", "example",
)


def require_role(actor: Actor, who: frozenset[str], action: str) -> None:
    """PermissionDenied unless the actor has one of the roles in `who`."""
    if not qualifies(actor, who, None):
        raise PermissionDenied(
            f"Keine Berechtigung: {actor.describe()} darf nicht {action}; "
            f"erlaubt für {describe_who(who, None)}."
        )


def latest_progress(session, recommendation_ids) -> dict[int, ProgressUpdate]:
    """The latest progress update (by effective date, then entry) of each recommendation."""
    from controlling.data.repositories import chunked

    latest: dict[int, ProgressUpdate] = {}
    for ids in chunked(recommendation_ids):  # a big export asks in pieces
        query = (
            select(ProgressUpdate)
            .where(ProgressUpdate.recommendation_id.in_(ids))
            .order_by(ProgressUpdate.recommendation_id, ProgressUpdate.effective_on,
                      ProgressUpdate.id)
        )
        for update in session.scalars(query):
            latest[update.recommendation_id] = update
    return latest


def status_dates(session) -> tuple[dict[int, date], dict[int, date]]:
    """Per recommendation id: the effective date of its creation and of its latest change."""
    created = dict(session.execute(
        select(StatusChange.recommendation_id, func.min(StatusChange.effective_on))
        .where(StatusChange.from_status.is_(None))
        .group_by(StatusChange.recommendation_id)
    ).all())
    latest = dict(session.execute(
        select(StatusChange.recommendation_id, func.max(StatusChange.effective_on))
        .group_by(StatusChange.recommendation_id)
    ).all())
    return created, latest


def recommendation_records(uow, login: str, *, status: str | None = None,
                           district: str | None = None,
                           department: str | None = None) -> list[dict]:
    """The rows of `export recommendations`: every column of RECOMMENDATION_COLUMNS."""
    with uow:
        actor_of(uow, login)
        recs = uow.repo.recommendations(
            status=parse_choice(Status, status, "Status") if status else None,
            district=uow.repo.district(district) if district else None,
            department=uow.repo.department(department) if department else None,
        )
        created, changed = status_dates(uow.session)
        progress = latest_progress(uow.session, [r.id for r in recs])
        rows = []
        for rec in recs:
            last = progress.get(rec.id)
            rows.append({
                "number": rec.number,
                "title": rec.title,
                "district": rec.district.name,
                "department": rec.department.code,
                "department_name": rec.department.name,  # what --excel writes
                "kind": rec.kind.value,
                "status": rec.status.value,
                "topic": rec.topic.name if rec.topic else None,
                "description": rec.description,
                "proposed_on": created.get(rec.id),
                "status_since": changed.get(rec.id),
                "last_quarter": last.quarter if last else None,
                "last_light": last.light.value if last else None,
                "last_note": last.note if last else None,
                "last_progress_on": last.effective_on if last else None,
                "example": bool(rec.is_example),
                "version": rec.version,
            })
        return rows


# Formats ------------------------------------------------------------------------------------

def to_csv(rows: list[dict], columns: tuple[str, ...]) -> str:
    """UTF-8 text, comma, header = the column names; text neutralised with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_safe(row.get(column)) for column in columns])
    return buffer.getvalue()


def _suggestion_status(value: str) -> str:
    from controlling.domain.triage import Outcome

    return "offen" if value == "open" else Outcome(value).label


# Machine values an Excel export writes as their German labels, per export.
EXCEL_LABELS: dict[str, dict[str, Callable[[str], str]]] = {
    "recommendations": {"kind": lambda v: Kind(v).label, "status": lambda v: Status(v).label,
                        "last_light": lambda v: Light(v).label},
    "measures": {},
    "suggestions": {"status": _suggestion_status,
                    "recommendation_status": lambda v: Status(v).label},
}


def to_excel_csv(rows: list[dict], columns: tuple[str, ...], labels: dict) -> bytes:
    """CSV that German Excel opens by a double-click: UTF-8 with byte order mark, semicolons,
    CRLF, German column names, German labels for machine values, departments by name, dates
    TT.MM.JJJJ, ja/nein;
    text neutralised like every CSV. The imports read it back (controlling/services/tabular.py).
    """
    from controlling.domain.columns import german_label
    from controlling.domain.formatting import format_date

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([german_label(column) for column in columns])
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if row.get(f"{column}_name"):  # a department by its name: Excel would take the
                value = row[f"{column}_name"]  # code 3-1 for a date (1 March)
            elif value is not None and column in labels:
                value = labels[column](value)
            if isinstance(value, bool):
                value = "ja" if value else "nein"
            elif isinstance(value, date | datetime):
                value = format_date(value)
            cells.append(csv_safe(value))
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8-sig")


def _json_value(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def to_json(rows: list[dict], columns: tuple[str, ...]) -> str:
    """A JSON list of objects with exactly the columns as keys; dates as YYYY-MM-DD."""
    data = [{column: _json_value(row.get(column)) for column in columns} for row in rows]
    return readable_json(data)


def to_xlsx(rows: list[dict], columns: tuple[str, ...], title: str,
            progress: Progress = None) -> bytes:
    """One sheet: header = the column names, then one row per record; text stays text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        set_cell(cell, column)
        cell.font = Font(bold=True)
    total = len(rows)
    for line, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            set_cell(sheet.cell(row=line, column=index), row.get(column))
        if progress and (line - 1) % 100 == 0:
            progress(line - 1, total)
    if progress:
        progress(total, total)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(rows: list[dict], columns: tuple[str, ...], output_format: str, title: str,
           progress: Progress = None, excel: str | None = None) -> bytes:
    """The export as bytes in the chosen format (UTF-8 for csv and json). `excel`: the
    export's name in EXCEL_LABELS, for CSV as German Excel reads it (`to_excel_csv`)."""
    if excel is not None:
        if output_format != "csv":
            raise InvalidInput("--excel gilt nur für --format csv (eine Arbeitsmappe: "
                               "--format xlsx).")
        return to_excel_csv(rows, columns, EXCEL_LABELS[excel])
    if output_format == "csv":
        return to_csv(rows, columns).encode("utf-8")
    if output_format == "json":
        return to_json(rows, columns).encode("utf-8")
    if output_format == "xlsx":
        return to_xlsx(rows, columns, title, progress)
    raise InvalidInput(f"Unbekanntes Format '{output_format}' (erlaubt: {', '.join(FORMATS)}).")


def measure_records(uow, login: str, *, department: str | None = None,
                    district: str | None = None, topic: str | None = None) -> list[dict]:
    """The rows of `export measures` (measure profiles): every column of MEASURE_COLUMNS."""
    from controlling.services.measures import list_measures

    rows = []
    views = list_measures(uow, login, department=department, district=district, topic=topic)
    with uow:
        names = {d.code: d.name for d in uow.repo.departments()}
    for view in views:
        row = {column: view.get(column) for column in MEASURE_COLUMNS}
        row["ends_on"] = _date(view.get("ends_on"))
        for column in ("department", "contact_department"):
            row[f"{column}_name"] = names.get(row[column])  # what --excel writes
        rows.append(row)
    return rows


def suggestion_records(uow, login: str, *, district: str | None = None,
                       topic: str | None = None, open_only: bool = False) -> list[dict]:
    """The rows of `export suggestions`: every column of SUGGESTION_COLUMNS."""
    from controlling.services.suggestions import list_suggestions

    rows = []
    for view in list_suggestions(uow, login, district=district, topic=topic,
                                 open_only=open_only):
        outcome = view.get("outcome") or {}
        rows.append({
            "id": view["id"], "event_id": view["event_id"], "event": view["event"],
            "held_on": _date(view["held_on"]), "district": view["district"],
            "topic": view["topic"], "text": view["text"],
            "institution_kind": view["institution_kind"], "status": view["status"],
            "measure_id": outcome.get("measure_id"),
            "recommendation": outcome.get("recommendation"),
            "recommendation_status": outcome.get("recommendation_status"),
            "reason": outcome.get("reason"), "decided_on": _date(outcome.get("decided_on")),
            "recorded_by": view["recorded_by"], "example": view["example"],
        })
    return rows


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
