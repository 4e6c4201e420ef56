"""The quarterly controlling report as plain data: the one source of the JSON and the PDF.

The report shows the state as of the quarter's last day, rebuilt from the history by
effective date, whatever was recorded since:

- a recommendation counts once its creation (the status change with `from_status` NULL) is
  effective by then; its status is the `to_status` of its latest status change effective by
  then (by effective date, then id);
- lights: over the recommendations approved at the quarter's end, the light of their latest
  progress update for this quarter (its `quarter` field; by effective date, then id) effective
  by then; "none" when there is none, and those numbers are `stale`;
- transitions: every status change effective within the quarter, creations included
  (`from_status` null), ordered by effective date, number and id;
- attention: approved without Sachstand for the quarter, red lights, and recommendations still
  proposed or statistically supported that were created more than two quarters before this one.

`load_history` reads everything up to the as-of date with a fixed number of set-based queries
(`QUERIES`, whatever the amount of data); `compute_report` is pure Python.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from controlling.data.models import (
    Department,
    District,
    ProgressUpdate,
    Recommendation,
    StatusChange,
    Topic,
    User,
)
from controlling.domain.dates import Quarter
from controlling.domain.errors import InvalidInput
from controlling.domain.formatting import format_date
from controlling.domain.vocabulary import Status
from controlling.services.common import actor_of, today

STATUSES: tuple[str, ...] = tuple(status.value for status in Status)
LIGHTS: tuple[str, ...] = ("green", "yellow", "red", "none")
UNDECIDED = frozenset({Status.PROPOSED.value, Status.STATISTICALLY_SUPPORTED.value})
QUERIES = 5  # statements of load_history; the actor lookup adds one


# ---- what is loaded ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RecommendationRow:
    id: int
    number: int
    title: str
    district: str
    department: str
    kind: str
    topic: str | None
    example: bool


@dataclass(frozen=True)
class ChangeRow:
    id: int
    recommendation_id: int
    from_status: str | None
    to_status: str
    effective_on: date
    note: str | None
    evidence: dict | None
    actor_role: str
    actor_department: str | None


@dataclass(frozen=True)
class ProgressRow:
    id: int
    recommendation_id: int
    quarter: str
    light: str
    note: str
    effective_on: date


@dataclass(frozen=True)
class History:
    """Everything effective up to `as_of`, ordered by effective date, then id."""

    as_of: date
    districts: tuple[str, ...]
    departments: dict[str, str]  # code -> name
    recommendations: tuple[RecommendationRow, ...]
    changes: tuple[ChangeRow, ...]
    progress: tuple[ProgressRow, ...]


# ---- what is reported -------------------------------------------------------------------------
@dataclass(frozen=True)
class ProgressNote:
    quarter: str
    light: str
    note: str
    effective_on: date

    def to_dict(self) -> dict:
        return {"quarter": self.quarter, "light": self.light, "note": self.note,
                "effective_on": self.effective_on.isoformat()}


@dataclass(frozen=True)
class RecommendationLine:
    number: int
    title: str
    district: str
    department: str
    kind: str
    topic: str | None
    status: str
    status_on: date  # effective date of the latest status change (the creation included)
    status_note: str | None  # its note (the reason of a rejection, the note of implementing)
    created_on: date
    light: str | None  # this quarter's light for approved recommendations ("none" if missing)
    latest_progress: ProgressNote | None  # the latest Sachstand of any quarter up to as_of
    example: bool

    def to_dict(self) -> dict:
        return {
            "number": self.number, "title": self.title, "district": self.district,
            "department": self.department, "kind": self.kind, "topic": self.topic,
            "status": self.status, "status_on": self.status_on.isoformat(),
            "status_note": self.status_note, "created_on": self.created_on.isoformat(),
            "light": self.light,
            "latest_progress": self.latest_progress.to_dict() if self.latest_progress else None,
            "example": self.example,
        }


@dataclass(frozen=True)
class TransitionLine:
    number: int
    title: str
    from_status: str | None
    to_status: str
    effective_on: date
    actor_role: str
    actor_department: str | None
    note: str | None
    evidence: dict | None

    def to_dict(self) -> dict:
        return {
            "number": self.number, "from_status": self.from_status,
            "to_status": self.to_status, "effective_on": self.effective_on.isoformat(),
            "actor_role": self.actor_role, "actor_department": self.actor_department,
            "note": self.note, "evidence": self.evidence,
        }


@dataclass(frozen=True)
class QuarterlyReport:
    quarter: Quarter
    as_of: date
    totals: dict[str, int]
    previous_totals: dict[str, int]
    by_district: dict[str, dict[str, int]]
    by_department: dict[str, dict[str, int]]
    department_names: dict[str, str]
    transitions: tuple[TransitionLine, ...]
    lights: dict[str, int]
    stale: tuple[int, ...]
    red: tuple[int, ...]
    undecided: tuple[int, ...]
    recommendations: tuple[RecommendationLine, ...]
    example: bool = field(default=False)

    @property
    def previous(self) -> Quarter:
        return self.quarter.previous()

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def change(self) -> dict[str, int]:
        return {s: self.totals[s] - self.previous_totals[s] for s in STATUSES}

    @property
    def has_data(self) -> bool:
        return self.total > 0

    def to_dict(self) -> dict:
        """The JSON document of ../shared/CLI.md, plus keys of our own (none renamed)."""
        return {
            "quarter": str(self.quarter),
            "as_of": self.as_of.isoformat(),
            "totals": dict(self.totals),
            "by_district": {k: dict(v) for k, v in self.by_district.items()},
            "by_department": {k: dict(v) for k, v in self.by_department.items()},
            "transitions": [t.to_dict() for t in self.transitions],
            "lights": dict(self.lights),
            "stale": list(self.stale),
            "total": self.total,
            "previous": {
                "quarter": str(self.previous),
                "as_of": self.previous.end.isoformat(),
                "totals": dict(self.previous_totals),
            },
            "change": self.change,
            "attention": {
                "without_progress": list(self.stale),
                "red": list(self.red),
                "undecided": list(self.undecided),
            },
            "departments": dict(self.department_names),
            "recommendations": [r.to_dict() for r in self.recommendations],
            "example": self.example,
        }


# ---- loading: a fixed number of statements ----------------------------------------------------
def load_history(session, as_of: date) -> History:
    """Read everything effective up to `as_of` in exactly QUERIES statements."""
    district_rows = session.execute(
        select(District.name, District.is_citywide).order_by(District.id)
    ).all()
    districts = tuple(
        [name for name, citywide in district_rows if not citywide]
        + [name for name, citywide in district_rows if citywide]
    )
    departments = dict(
        session.execute(select(Department.code, Department.name).order_by(Department.code)).all()
    )
    created_by_then = select(StatusChange.recommendation_id).where(
        StatusChange.from_status.is_(None), StatusChange.effective_on <= as_of
    )
    recommendations = tuple(
        RecommendationRow(id=row[0], number=row[1], title=row[2], district=row[3],
                          department=row[4], kind=_value(row[5]), topic=row[6],
                          example=bool(row[7]))
        for row in session.execute(
            select(Recommendation.id, Recommendation.number, Recommendation.title,
                   District.name, Department.code, Recommendation.kind, Topic.name,
                   Recommendation.is_example)
            .join(District, Recommendation.district_id == District.id)
            .join(Department, Recommendation.department_id == Department.id)
            .outerjoin(Topic, Recommendation.topic_id == Topic.id)
            .where(Recommendation.id.in_(created_by_then))
            .order_by(Recommendation.number)
        )
    )
    changes = tuple(
        ChangeRow(id=row[0], recommendation_id=row[1], from_status=_value(row[2]),
                  to_status=_value(row[3]), effective_on=row[4], note=row[5],
                  evidence=row[6], actor_role=_value(row[7]), actor_department=row[8])
        for row in session.execute(
            select(StatusChange.id, StatusChange.recommendation_id, StatusChange.from_status,
                   StatusChange.to_status, StatusChange.effective_on, StatusChange.note,
                   StatusChange.evidence, User.role, Department.code)
            .join(User, StatusChange.actor_id == User.id)
            .outerjoin(Department, User.department_id == Department.id)
            .where(StatusChange.effective_on <= as_of)
            .order_by(StatusChange.effective_on, StatusChange.id)
        )
    )
    progress = tuple(
        ProgressRow(id=row[0], recommendation_id=row[1], quarter=row[2], light=_value(row[3]),
                    note=row[4], effective_on=row[5])
        for row in session.execute(
            select(ProgressUpdate.id, ProgressUpdate.recommendation_id, ProgressUpdate.quarter,
                   ProgressUpdate.light, ProgressUpdate.note, ProgressUpdate.effective_on)
            .where(ProgressUpdate.effective_on <= as_of)
            .order_by(ProgressUpdate.effective_on, ProgressUpdate.id)
        )
    )
    return History(as_of=as_of, districts=districts, departments=departments,
                   recommendations=recommendations, changes=changes, progress=progress)


def _value(member) -> str | None:
    return None if member is None else getattr(member, "value", member)


# ---- computing: pure Python -------------------------------------------------------------------
def _zero() -> dict[str, int]:
    return dict.fromkeys(STATUSES, 0)


def latest_changes(history: History, day: date) -> dict[int, ChangeRow]:
    """recommendation id -> its latest status change effective by `day` (created by then)."""
    latest: dict[int, ChangeRow] = {}
    for change in history.changes:  # ordered by effective date, then id
        if change.effective_on > day:
            break
        if change.from_status is None or change.recommendation_id in latest:
            latest[change.recommendation_id] = change
    return latest


def compute_report(history: History, quarter: Quarter, as_of: date | None = None
                   ) -> QuarterlyReport:
    """The report of `quarter` as of `as_of` (default: the quarter's last day)."""
    as_of = as_of or quarter.end
    if as_of > history.as_of:
        raise ValueError("the history was loaded up to an earlier date")
    previous = quarter.previous()
    latest_change = latest_changes(history, as_of)
    current = {rec_id: change.to_status for rec_id, change in latest_change.items()}
    before = {rec_id: change.to_status
              for rec_id, change in latest_changes(history, previous.end).items()}
    recs = [r for r in history.recommendations if r.id in current]
    by_id = {r.id: r for r in recs}

    created_on = {c.recommendation_id: c.effective_on for c in history.changes
                  if c.from_status is None}
    this_quarter, latest = {}, {}
    for update in history.progress:  # ordered: the last one wins
        if update.effective_on > as_of:
            break
        note = ProgressNote(update.quarter, update.light, update.note, update.effective_on)
        latest[update.recommendation_id] = note
        if update.quarter == str(quarter):
            this_quarter[update.recommendation_id] = note

    totals, previous_totals = _zero(), _zero()
    by_district = {name: _zero() for name in history.districts}
    by_department: dict[str, dict[str, int]] = {}
    for rec in recs:
        status = current[rec.id]
        totals[status] += 1
        by_district.setdefault(rec.district, _zero())[status] += 1
        by_department.setdefault(rec.department, _zero())[status] += 1
    for status in before.values():
        previous_totals[status] += 1
    by_department = {code: by_department[code] for code in sorted(by_department)}

    lights = dict.fromkeys(LIGHTS, 0)
    stale, red, undecided, lines = [], [], [], []
    oldest_undecided = previous.previous()  # created before this quarter: > two quarters ago
    for rec in recs:
        status = current[rec.id]
        light = None
        if status == Status.APPROVED.value:
            update = this_quarter.get(rec.id)
            light = update.light if update else "none"
            lights[light] += 1
            if update is None:
                stale.append(rec.number)
            elif light == "red":
                red.append(rec.number)
        elif status in UNDECIDED and Quarter.of(created_on[rec.id]) < oldest_undecided:
            undecided.append(rec.number)
        lines.append(RecommendationLine(
            number=rec.number, title=rec.title, district=rec.district,
            department=rec.department, kind=rec.kind, topic=rec.topic, status=status,
            status_on=latest_change[rec.id].effective_on,
            status_note=latest_change[rec.id].note, created_on=created_on[rec.id],
            light=light, latest_progress=latest.get(rec.id), example=rec.example,
        ))

    transitions = sorted(
        (c for c in history.changes
         if quarter.start <= c.effective_on <= as_of and c.recommendation_id in by_id),
        key=lambda c: (c.effective_on, by_id[c.recommendation_id].number, c.id),
    )
    return QuarterlyReport(
        quarter=quarter, as_of=as_of, totals=totals, previous_totals=previous_totals,
        by_district=by_district, by_department=by_department,
        department_names={code: history.departments.get(code, code) for code in by_department},
        transitions=tuple(
            TransitionLine(
                number=by_id[c.recommendation_id].number,
                title=by_id[c.recommendation_id].title, from_status=c.from_status,
                to_status=c.to_status, effective_on=c.effective_on, actor_role=c.actor_role,
                actor_department=c.actor_department, note=c.note, evidence=c.evidence,
            ) for c in transitions
        ),
        lights=lights, stale=tuple(stale), red=tuple(red), undecided=tuple(undecided),
        recommendations=tuple(lines), example=any(r.example for r in recs),
    )


# ---- the service ------------------------------------------------------------------------------
def parse_quarter(text) -> Quarter:
    """A quarter that has begun; InvalidInput for malformed or future quarters."""
    quarter = text if isinstance(text, Quarter) else Quarter.parse(text)
    day = today()
    if quarter.start > day:
        raise InvalidInput(
            f"Das {quarter.label} hat noch nicht begonnen (heute ist der {format_date(day)}); "
            "ein Bericht ist nur für begonnene Quartale möglich."
        )
    return quarter


def quarterly_report(uow, login: str, quarter) -> QuarterlyReport:
    """The controlling report of `quarter` (text 'YYYY-QN' or Quarter), as of its last day."""
    parsed = parse_quarter(quarter)
    with uow:
        actor_of(uow, login)
        return compute_report(load_history(uow.session, parsed.end), parsed)
