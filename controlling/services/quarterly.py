"""The quarterly controlling report as plain data: the one source of the JSON and the PDF.

Two dates per fact. The report shows the state as of the quarter's last day
(effective dates) as it was known at a moment (`known_at`: recorded times up to then; None =
everything recorded so far):

- a recommendation counts once its creation (the status change with `from_status` NULL) is
  effective by then; its status is the `to_status` of its latest status change effective by
  then (by effective date, then id);
- lights: over the recommendations approved at the quarter's end, the light of their latest
  progress update for this quarter (its `quarter` field; by effective date, then id); "none"
  when there is none, and those numbers are `stale`. A Sachstand for a quarter counts for it
  once the quarter has ended, whatever its effective date (the update round comes after the
  quarter); during the quarter, those effective by the as-of date;
- transitions: every status change effective within the quarter, creations included
  (`from_status` null), ordered by effective date, number and id;
- attention: approved without Sachstand for the quarter, red lights (newly red, red two or
  more quarters in a row), recommendations still proposed or statistically supported that were
  created more than two quarters before this one, and measures ending from the quarter's
  first day to two quarters after it;
- due dates: recommendations whose target date (Zieltermin) has passed by the
  as-of date (today for the running quarter) and that are not implemented, rejected or
  superseded then, and the milestones not done by then that fall due in the next quarter. A
  target date has no effective date of its own: it counts from the day it was recorded
  (`recorded_at`, up to the as-of date and `known_at`), so a later move does not change an
  earlier report; milestones count from their creation, and are done as of the day of their youngest
  completion known then;
- corrections (Nachträge): changes recorded after a published report of this or an earlier
  quarter that alter it, recorded since the last published report before this quarter.

`load_history` reads everything up to the as-of date with a fixed number of set-based queries
(`QUERIES`, whatever the amount of data); `compute_report` is pure Python.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import String, and_, case, false, func, or_, select, true, type_coerce
from sqlalchemy.orm import aliased

from controlling.data.models import (
    Department,
    District,
    Measure,
    MeasureChange,
    Milestone,
    MilestoneCompletion,
    ProgressUpdate,
    PublishedReport,
    Recommendation,
    StatusChange,
    Supersession,
    TargetChange,
    Topic,
    User,
    recommendation_measures,
)
from controlling.domain.dates import Quarter
from controlling.domain.errors import InvalidInput
from controlling.domain.formatting import format_date
from controlling.domain.vocabulary import Kind, Light, Status
from controlling.gc_pause import without_cycle_collection
from controlling.services.common import actor_of, iso_utc, now, today

STATUSES: tuple[str, ...] = tuple(status.value for status in Status)
LIGHTS: tuple[str, ...] = ("green", "yellow", "red", "none")
UNDECIDED = frozenset({Status.PROPOSED.value, Status.STATISTICALLY_SUPPORTED.value})
QUERIES = 10  # statements of load_history; the actor lookup adds one
KIND = "quarterly"  # published_reports.kind of this report
HISTORY_QUARTERS = 4  # the lights shown per recommendation: this quarter and the three before
PART = 10_000  # rows fetched at a time by the large reads
CORRECTION_PREFIX = "Nachtrag: "  # how a correction's reason is kept in `source`


# ---- what is loaded ---------------------------------------------------------------------------
class RecommendationRow(NamedTuple):  # a tuple: cheap to make by the hundred thousand
    id: int
    number: int
    title: str
    district: str
    department: str
    kind: str
    topic: str | None
    example: bool
    superseded_by: int | None = None  # the successor's number, when it was ever superseded


class ChangeRow(NamedTuple):  # a tuple: cheap to make by the hundred thousand
    id: int
    recommendation_id: int
    from_status: str | None
    to_status: str
    effective_on: date
    note: str | None
    evidence: dict | None
    actor_role: str
    actor_department: str | None
    recorded_at: datetime | None = None
    actor: str | None = None  # login
    source: str | None = None


class ProgressRow(NamedTuple):  # a tuple: cheap to make by the hundred thousand
    id: int
    recommendation_id: int
    quarter: str
    light: str
    note: str
    effective_on: date
    recorded_at: datetime | None = None
    actor: str | None = None
    actor_role: str | None = None
    actor_department: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class PublicationRow:
    """A published quarterly report (its metadata; the figures and the PDF stay stored)."""

    quarter: str
    known_at: datetime
    published_at: datetime
    actor: str

    def to_dict(self) -> dict:
        return {"quarter": self.quarter, "known_at": iso_utc(self.known_at),
                "published_at": iso_utc(self.published_at), "actor": self.actor}


@dataclass(frozen=True)
class MeasureRow:
    id: int
    title: str
    department: str
    ends_on: date | None
    continued_by: tuple[int, ...]  # extension/permanence recommendations linked to it


@dataclass(frozen=True)
class TargetRow:
    """A change of a recommendation's target date (None: removed), as recorded."""

    id: int
    recommendation_id: int
    target_on: date | None
    recorded_at: datetime


@dataclass(frozen=True)
class MilestoneRow:
    id: int
    recommendation_id: int
    title: str
    due_on: date
    done_on: date | None


@dataclass(frozen=True)
class History:
    """Everything effective up to `as_of` and recorded up to `known_at` (None: so far),
    ordered by effective date, then id."""

    as_of: date
    districts: tuple[str, ...]
    departments: dict[str, str]  # code -> name
    recommendations: tuple[RecommendationRow, ...]
    changes: tuple[ChangeRow, ...]
    progress: tuple[ProgressRow, ...]
    known_at: datetime | None = None
    publications: tuple[PublicationRow, ...] = ()  # the quarterly reports published by then
    measures: tuple[MeasureRow, ...] = ()
    targets: tuple[TargetRow, ...] = ()  # ordered by id: the latest per recommendation counts
    milestones: tuple[MilestoneRow, ...] = ()  # not done by `as_of`, by due date
    # None: `changes` and `progress` hold everything. A quarter: only what the report of that
    # quarter reads (load_history's `quarter`), and `late_progress` the Sachstände recorded
    # after a published report (the candidates for its Nachträge).
    quarter: Quarter | None = None
    late_progress: tuple[ProgressRow, ...] | None = None


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
    latest_progress: ProgressNote | None  # the latest Sachstand of any quarter up to this one
    example: bool
    # approved ones: (quarter, light or None) for this quarter and the three before, oldest first
    lights_history: tuple[tuple[str, str | None], ...] = ()
    red_streak: int = 0  # quarters in a row with a red light, ending with this one
    superseded_by: int | None = None  # a superseded one: its successor's number

    def to_dict(self) -> dict:
        return {
            "number": self.number, "title": self.title, "district": self.district,
            "department": self.department, "kind": self.kind, "topic": self.topic,
            "status": self.status, "status_on": self.status_on.isoformat(),
            "status_note": self.status_note, "created_on": self.created_on.isoformat(),
            "light": self.light,
            "latest_progress": self.latest_progress.to_dict() if self.latest_progress else None,
            "example": self.example,
            "lights_history": [{"quarter": q, "light": light}
                               for q, light in self.lights_history],
            "red_streak": self.red_streak,
            "superseded_by": self.superseded_by,
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
class MeasureLine:
    """A measure profile whose time limit ends soon (first page)."""

    id: int
    title: str
    department: str
    ends_on: date
    continued_by: tuple[int, ...]

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "department": self.department,
                "ends_on": self.ends_on.isoformat(), "continued_by": list(self.continued_by)}


@dataclass(frozen=True)
class OverdueTarget:
    """A recommendation past its target date and not implemented (first page)."""

    number: int
    title: str
    department: str
    target_on: date
    status: str

    def to_dict(self) -> dict:
        return {"number": self.number, "title": self.title, "department": self.department,
                "target_on": self.target_on.isoformat(), "status": self.status}


@dataclass(frozen=True)
class MilestoneDue:
    """A milestone not done that falls due in the next quarter (first page)."""

    id: int
    number: int  # of its recommendation
    title: str
    department: str
    due_on: date

    def to_dict(self) -> dict:
        return {"id": self.id, "number": self.number, "title": self.title,
                "department": self.department, "due_on": self.due_on.isoformat()}


@dataclass(frozen=True)
class Correction:
    """A Nachtrag: a change recorded after a published report that alters it."""

    report: str  # the published quarter it corrects (the earliest one it alters)
    report_published_at: datetime
    number: int
    title: str
    kind: str  # "status" or "progress"
    effective_on: date
    recorded_at: datetime
    actor: str | None
    actor_role: str | None
    actor_department: str | None
    reason: str | None
    from_status: str | None = None
    to_status: str | None = None
    quarter: str | None = None  # progress: the Sachstand's quarter, light and text
    light: str | None = None
    note: str | None = None

    def to_dict(self) -> dict:
        return {
            "report": self.report, "report_published_at": iso_utc(self.report_published_at),
            "number": self.number, "title": self.title, "kind": self.kind,
            "effective_on": self.effective_on.isoformat(),
            "recorded_at": iso_utc(self.recorded_at), "actor": self.actor,
            "actor_role": self.actor_role, "actor_department": self.actor_department,
            "reason": self.reason, "from_status": self.from_status,
            "to_status": self.to_status, "quarter": self.quarter, "light": self.light,
            "note": self.note,
        }


@dataclass(frozen=True)
class Difference:
    """A figure of a rebuilt report that differs from the published one."""

    key: str  # "totals/approved", "lights/red", "by_district/Osterfeld/approved",
    #           "recommendation/901/light", "stale/902", "transitions" ...
    label: str  # German, for the reader
    published: object
    now: object

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "published": self.published,
                "now": self.now}


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
    known_at: datetime | None = None  # None: everything recorded up to the request
    newly_red: tuple[int, ...] = ()
    red_in_a_row: tuple[int, ...] = ()
    expiring: tuple[MeasureLine, ...] = ()
    overdue_targets: tuple[OverdueTarget, ...] = ()
    milestones_due: tuple[MilestoneDue, ...] = ()
    corrections: tuple[Correction, ...] = ()
    # this quarter's publication, when it was known at `known_at`; `state` says what this is:
    # "draft" (not published), "published" (the stored one) or "rebuilt" (built again although
    # published; `differences` lists what differs from the published figures)
    publication: PublicationRow | None = None
    state: str = "draft"
    differences: tuple[Difference, ...] = ()

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

    def attention_dict(self) -> dict:
        """The attention lists (the report's first page) as in its JSON."""
        return {
            "without_progress": list(self.stale),
            "red": list(self.red),
            "newly_red": list(self.newly_red),
            "red_in_a_row": list(self.red_in_a_row),
            "undecided": list(self.undecided),
            "expiring_measures": [m.to_dict() for m in self.expiring],
            "overdue_targets": [t.to_dict() for t in self.overdue_targets],
            "milestones_due": [m.to_dict() for m in self.milestones_due],
        }

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
            "attention": self.attention_dict(),
            "departments": dict(self.department_names),
            "recommendations": [r.to_dict() for r in self.recommendations],
            "example": self.example,
            "known_at": iso_utc(self.known_at),
            "state": self.state,
            "publication": self.publication.to_dict() if self.publication else None,
            "corrections": [c.to_dict() for c in self.corrections],
            "differences": [d.to_dict() for d in self.differences],
        }


# ---- loading: a fixed number of statements ----------------------------------------------------
def last_complete_quarter(day: date) -> Quarter:
    """The latest quarter that has ended by `day` (its last day included)."""
    quarter = Quarter.of(day)
    return quarter if day == quarter.end else quarter.previous()


def reference_quarter(day: date) -> Quarter:
    """The quarter whose Sachstand is the current one on `day` for a report made that day (the
    strategy paper, the city view): the latest quarter that has ended by then, whose update
    round is the latest due (the quarterly report of that quarter shows the same lights)."""
    return last_complete_quarter(day)


def is_current(progress, quarter: Quarter) -> bool:
    """The one rule for a light's age: a Sachstand is current for a report of `quarter` when
    it is for that quarter (or a later one, entered early); an earlier quarter's is older and
    its light does not count as the quarter's. `progress` has a `quarter` ('2025-Q1') or is
    None."""
    return progress is not None and Quarter.parse(progress.quarter) >= quarter


def current_light(progress, quarter: Quarter) -> str:
    """The light an approved recommendation has in a report of `quarter`: that of its latest
    Sachstand when current (is_current), else 'none'."""
    return progress.light if is_current(progress, quarter) else "none"


def counts_at(update, as_of: date, ended: str | None = None) -> bool:
    """A Sachstand counts at `as_of` when it is effective by then, or when its quarter has
    ended by then (a late Sachstand counts for its quarter). `ended`: the last quarter
    ended by `as_of`, when the caller has it at hand."""
    return update.effective_on <= as_of or update.quarter <= (
        ended or str(last_complete_quarter(as_of)))


def _known(column, known_at: datetime | None):
    return true() if known_at is None else column <= known_at


def _rows(session, statement):
    """The rows of a Core statement run on the session's connection: plain rows, without the
    ORM's per-row work, fetched in parts (the large reads of the reports)."""
    for part in session.connection().execute(statement).partitions(PART):
        yield from part


@without_cycle_collection()
def load_history(session, as_of: date, known_at: datetime | None = None,
                 district_ids: set[int] | None = None, quarter: Quarter | None = None
                 ) -> History:
    """Read what is effective up to `as_of` and recorded up to `known_at` (None: all so
    far) in exactly QUERIES statements. `district_ids`: only the recommendations of these
    Sozialräume with their status changes and Sachstände (a strategy paper costs what its
    district holds, not what the city holds); None: all.

    `quarter`: the history for compute_report(history, quarter, as_of) only. The database
    then picks by window functions the status changes and Sachstände that report reads (per
    recommendation: its creation, its latest change by the as-of date and by the end of the
    quarter before, the changes from the quarter's first day; its latest Sachstand, the
    latest per quarter for the quarters shown and the red ones before them; what was recorded
    after a published report), so time and memory follow what is shown rather than all that
    was ever recorded. None: every status change and Sachstand."""
    def in_districts(column):
        if district_ids is None:
            return true()
        return column.in_(select(Recommendation.id)
                          .where(Recommendation.district_id.in_(sorted(district_ids))))

    publications = tuple(
        PublicationRow(quarter=row[0], known_at=row[1], published_at=row[2], actor=row[3])
        for row in session.execute(
            select(PublishedReport.period, PublishedReport.known_at,
                   PublishedReport.published_at, User.login)
            .join(User, PublishedReport.actor_id == User.id)
            .where(PublishedReport.kind == KIND, _known(PublishedReport.known_at, known_at))
            .order_by(PublishedReport.period)
        )
    )
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
    successor = aliased(Recommendation)
    created_by_then = select(StatusChange.recommendation_id).where(
        StatusChange.from_status.is_(None), StatusChange.effective_on <= as_of,
        _known(StatusChange.recorded_at, known_at),
    )
    # the values many rows repeat (names, codes, states, quarters, days, logins) kept once
    # each: the driver makes a new object per row (about a quarter of a report's memory at 50k)
    same = {}.setdefault
    recommendations = tuple(
        RecommendationRow(r[0], r[1], r[2], same(r[3], r[3]), same(r[4], r[4]),
                          same(r[5], r[5]), same(r[6], r[6]), r[7], r[8])
        for r in _rows(session,
            select(Recommendation.id, Recommendation.number, Recommendation.title,
                   District.name, Department.code, _text(Recommendation.kind), Topic.name,
                   Recommendation.is_example, successor.number)
            .join(District, Recommendation.district_id == District.id)
            .join(Department, Recommendation.department_id == Department.id)
            .outerjoin(Topic, Recommendation.topic_id == Topic.id)
            .outerjoin(Supersession, Supersession.recommendation_id == Recommendation.id)
            .outerjoin(successor, successor.id == Supersession.successor_id)
            .where(Recommendation.id.in_(created_by_then), in_districts(Recommendation.id))
            .order_by(Recommendation.number)
    ))
    # the earliest moment after which a recording can be a Nachtrag to a report of `quarter`
    late_since = None if quarter is None else min(
        (p.known_at for p in publications if p.quarter <= str(quarter)), default=None)
    change_filter = and_(StatusChange.effective_on <= as_of,
                         _known(StatusChange.recorded_at, known_at),
                         in_districts(StatusChange.recommendation_id))
    if quarter is not None:
        change_filter = StatusChange.id.in_(_read_changes(change_filter, quarter, late_since))
    changes = tuple(
        ChangeRow(r[0], r[1], same(r[2], r[2]), same(r[3], r[3]), same(r[4], r[4]), r[5],
                  r[6], same(r[7], r[7]), same(r[8], r[8]), r[9], same(r[10], r[10]),
                  same(r[11], r[11]))
        for r in _rows(session,  # the columns in ChangeRow's order
            select(StatusChange.id, StatusChange.recommendation_id,
                   _text(StatusChange.from_status), _text(StatusChange.to_status),
                   StatusChange.effective_on, StatusChange.note, StatusChange.evidence,
                   _text(User.role), Department.code, StatusChange.recorded_at, User.login,
                   StatusChange.source)
            .join(User, StatusChange.actor_id == User.id)
            .outerjoin(Department, User.department_id == Department.id)
            .where(change_filter)
            .order_by(StatusChange.effective_on, StatusChange.id)
    ))
    progress_filter = and_(or_(ProgressUpdate.effective_on <= as_of,
                               ProgressUpdate.quarter <= str(last_complete_quarter(as_of))),
                           _known(ProgressUpdate.recorded_at, known_at),
                           in_districts(ProgressUpdate.recommendation_id))
    source = ProgressUpdate.__table__
    marks = (true(), false())  # (read by compute_report, a Nachtrag candidate)
    if quarter is not None:
        picked = _read_progress(progress_filter, quarter, late_since)
        source = source.join(picked, picked.c.id == ProgressUpdate.id)
        progress_filter, marks = true(), (picked.c.read, picked.c.late)
    progress, late_progress = [], []
    for row in _rows(session,
        select(ProgressUpdate.id, ProgressUpdate.recommendation_id, ProgressUpdate.quarter,
               _text(ProgressUpdate.light), ProgressUpdate.note, ProgressUpdate.effective_on,
               ProgressUpdate.recorded_at, User.login, _text(User.role), Department.code,
               ProgressUpdate.source, *marks)  # ProgressRow's order, then the two marks
        .select_from(source)
        .join(User, ProgressUpdate.actor_id == User.id)
        .outerjoin(Department, User.department_id == Department.id)
        .where(progress_filter)
        .order_by(ProgressUpdate.effective_on, ProgressUpdate.id)
    ):
        update = ProgressRow(row[0], row[1], same(row[2], row[2]), same(row[3], row[3]),
                             row[4], same(row[5], row[5]), row[6], same(row[7], row[7]),
                             same(row[8], row[8]), same(row[9], row[9]),
                             same(row[10], row[10]))
        if row[11]:
            progress.append(update)
        if row[12]:
            late_progress.append(update)
    day_after = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    targets = tuple(
        TargetRow(id=row[0], recommendation_id=row[1], target_on=row[2], recorded_at=row[3])
        for row in session.execute(
            select(TargetChange.id, TargetChange.recommendation_id, TargetChange.target_on,
                   TargetChange.recorded_at)
            .where(TargetChange.recorded_at < day_after,
                   _known(TargetChange.recorded_at, known_at))
            .order_by(TargetChange.id)
        )
    )
    reached = (select(func.max(MilestoneCompletion.id).label("id"))
               .where(_known(MilestoneCompletion.recorded_at, known_at))
               .group_by(MilestoneCompletion.milestone_id).subquery())
    youngest = (select(MilestoneCompletion.milestone_id, MilestoneCompletion.done_on)
                .join(reached, MilestoneCompletion.id == reached.c.id).subquery())
    milestones = tuple(
        MilestoneRow(id=row[0], recommendation_id=row[1], title=row[2], due_on=row[3],
                     done_on=row[4])
        for row in session.execute(
            select(Milestone.id, Milestone.recommendation_id, Milestone.title,
                   Milestone.due_on, youngest.c.done_on)
            .outerjoin(youngest, youngest.c.milestone_id == Milestone.id)
            .where(Milestone.created_at < day_after, _known(Milestone.created_at, known_at),
                   or_(youngest.c.done_on.is_(None), youngest.c.done_on > as_of))
            .order_by(Milestone.due_on, Milestone.id)
        )
    )
    return History(as_of=as_of, districts=districts, departments=departments,
                   recommendations=recommendations, changes=changes,
                   progress=tuple(progress), known_at=known_at, publications=publications,
                   measures=_load_measures(session, known_at), targets=targets,
                   milestones=milestones, quarter=quarter,
                   late_progress=None if quarter is None else tuple(late_progress))


def _read_changes(within, quarter: Quarter, late_since: datetime | None):
    """The ids of the status changes (among `within`) that compute_report reads for
    `quarter`: per recommendation its creation and its latest change effective by the end
    of the quarter before; every change from the quarter's first day (so the latest by the
    as-of date too); every change recorded after `late_since` (a Nachtrag candidate)."""
    before = StatusChange.effective_on < quarter.start
    ranked = select(
        StatusChange.id, StatusChange.from_status, StatusChange.effective_on,
        StatusChange.recorded_at,
        func.row_number().over(
            partition_by=(StatusChange.recommendation_id, case((before, 1), else_=0)),
            order_by=(StatusChange.effective_on.desc(), StatusChange.id.desc()),
        ).label("latest"),
    ).where(within).subquery()
    late = false() if late_since is None else ranked.c.recorded_at > late_since
    return select(ranked.c.id).where(or_(
        ranked.c.from_status.is_(None), ranked.c.effective_on >= quarter.start,
        ranked.c.latest == 1, late,
    ))


def _read_progress(within, quarter: Quarter, late_since: datetime | None):
    """The Sachstände (among `within`) that compute_report reads for `quarter`, with two
    marks: `read` for the latest Sachstand of any quarter and the latest of each quarter
    that is shown (HISTORY_QUARTERS up to `quarter`, and later ones) or red (a run of red
    quarters); `late` for those of `quarter` or before recorded after `late_since` (the
    Nachtrag candidates)."""
    first_shown = quarter
    for _ in range(HISTORY_QUARTERS - 1):
        first_shown = first_shown.previous()
    # one window, so one sort: newest first per recommendation; the latest of a quarter is
    # the first row of that quarter in this order (the row before it has another quarter)
    newest_first = {"partition_by": ProgressUpdate.recommendation_id,
                    "order_by": (ProgressUpdate.quarter.desc(),
                                 ProgressUpdate.effective_on.desc(), ProgressUpdate.id.desc())}
    ranked = select(
        ProgressUpdate.id, ProgressUpdate.quarter, ProgressUpdate.light,
        ProgressUpdate.recorded_at,
        func.row_number().over(**newest_first).label("latest"),
        func.lag(ProgressUpdate.quarter).over(**newest_first).label("quarter_before"),
    ).where(within).subquery()
    latest_of_quarter = ranked.c.quarter_before.is_distinct_from(ranked.c.quarter)
    read = or_(ranked.c.latest == 1, and_(
        latest_of_quarter,
        or_(ranked.c.quarter >= str(first_shown), ranked.c.light == Light.RED)))
    late = (false() if late_since is None else
            and_(ranked.c.recorded_at > late_since, ranked.c.quarter <= str(quarter)))
    return (select(ranked.c.id, read.label("read"), late.label("late"))
            .where(or_(read, late)).subquery())

def _load_measures(session, known_at: datetime | None) -> tuple[MeasureRow, ...]:
    """Every measure profile known at `known_at` with its end date as it was then (edits
    recorded later are undone from the change log) and the extension or permanence
    recommendations linked to it: two statements."""
    continuation = and_(
        Recommendation.id == recommendation_measures.c.recommendation_id,
        Recommendation.kind.in_((Kind.EXTENSION, Kind.PERMANENCE)),
        _known(Recommendation.created_at, known_at),
    )
    rows = session.execute(
        select(Measure.id, Measure.title, Department.code, Measure.ends_on,
               Recommendation.number)
        .join(Department, Measure.department_id == Department.id)
        .outerjoin(recommendation_measures, recommendation_measures.c.measure_id == Measure.id)
        .outerjoin(Recommendation, continuation)
        .where(_known(Measure.created_at, known_at))
        .order_by(Measure.id, Recommendation.number)
    ).all()
    later = session.execute(
        select(MeasureChange.measure_id, MeasureChange.changes)
        .where(MeasureChange.recorded_at > (known_at or now()))
        .order_by(MeasureChange.id.desc())
    ).all()
    ends: dict[int, date | None] = {}
    titles: dict[int, tuple[str, str]] = {}
    continued: dict[int, list[int]] = {}
    for measure_id, title, department, ends_on, number in rows:
        ends[measure_id] = ends_on
        titles[measure_id] = (title, department)
        continued.setdefault(measure_id, [])
        if number is not None:
            continued[measure_id].append(number)
    for measure_id, changes in later:  # newest first: undo each edit of the end date
        if measure_id in ends and isinstance(changes, dict) and "ends_on" in changes:
            before = (changes["ends_on"] or {}).get("from")
            ends[measure_id] = date.fromisoformat(before) if isinstance(before, str) else None
    return tuple(MeasureRow(id=i, title=titles[i][0], department=titles[i][1], ends_on=ends[i],
                            continued_by=tuple(continued[i])) for i in ends)


def _text(column):
    """An enum column read as the text it stores: no conversion to the enum and back per row
    (the large reads; the CHECK constraint keeps the stored values valid)."""
    return type_coerce(column, String)


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


@without_cycle_collection()
def compute_report(history: History, quarter: Quarter, as_of: date | None = None
                   ) -> QuarterlyReport:
    """The report of `quarter` as of `as_of` (default: the quarter's last day)."""
    as_of = as_of or quarter.end
    if as_of > history.as_of:
        raise ValueError("the history was loaded up to an earlier date")
    if history.quarter is not None and (history.quarter != quarter or as_of != history.as_of):
        raise ValueError("the history was loaded for another report")
    previous = quarter.previous()
    latest_change = latest_changes(history, as_of)
    current = {rec_id: change.to_status for rec_id, change in latest_change.items()}
    before = {rec_id: change.to_status
              for rec_id, change in latest_changes(history, previous.end).items()}
    recs = [r for r in history.recommendations if r.id in current]
    by_id = {r.id: r for r in recs}

    created_on = {c.recommendation_id: c.effective_on for c in history.changes
                  if c.from_status is None}
    # rec id -> quarter -> its latest Sachstand for that quarter; and the latest of any quarter
    # (the rows as loaded; a ProgressNote is made only for the latest one, which is shown)
    by_quarter: dict[int, dict[str, ProgressRow]] = {}
    latest: dict[int, tuple] = {}
    ended = str(last_complete_quarter(as_of))
    for update in history.progress:  # ordered by effective date, then id: the last one wins
        if not counts_at(update, as_of, ended):
            continue
        by_quarter.setdefault(update.recommendation_id, {})[update.quarter] = update
        key = (update.quarter, update.effective_on, update.id)
        if update.recommendation_id not in latest or key > latest[update.recommendation_id][0]:
            latest[update.recommendation_id] = (key, update)
    shown_quarters = [quarter]
    while len(shown_quarters) < HISTORY_QUARTERS:
        shown_quarters.insert(0, shown_quarters[0].previous())
    shown_names = tuple(str(q) for q in shown_quarters)

    totals, previous_totals = _zero(), _zero()
    by_district = {name: _zero() for name in history.districts}
    by_department: dict[str, dict[str, int]] = {}
    for rec in recs:
        status = current[rec.id]
        totals[status] += 1
        if rec.district not in by_district:
            by_district[rec.district] = _zero()
        if rec.department not in by_department:
            by_department[rec.department] = _zero()
        by_district[rec.district][status] += 1
        by_department[rec.department][status] += 1
    for status in before.values():
        previous_totals[status] += 1
    by_department = {code: by_department[code] for code in sorted(by_department)}

    lights = dict.fromkeys(LIGHTS, 0)
    stale, red, newly_red, red_in_a_row, undecided, lines = [], [], [], [], [], []
    # created before this quarter began: more than two quarters ago
    undecided_before = previous.previous().start
    approved, superseded = Status.APPROVED.value, Status.SUPERSEDED.value
    for rec in recs:
        status = current[rec.id]
        light, history_row, streak = None, (), 0
        quarters = by_quarter.get(rec.id, {})
        newest = None
        if rec.id in latest:
            row = latest[rec.id][1]
            newest = ProgressNote(row.quarter, row.light, row.note, row.effective_on)
        if status == approved:
            light = current_light(newest, quarter)
            update = newest if light != "none" else None
            lights[light] += 1
            history_row = tuple((q, quarters[q].light if q in quarters else None)
                                for q in shown_names)
            step = quarter
            while str(step) in quarters and quarters[str(step)].light == "red":
                streak += 1
                step = step.previous()
            if update is None:
                stale.append(rec.number)
            elif light == "red":
                red.append(rec.number)
                (red_in_a_row if streak >= 2 else newly_red).append(rec.number)
        elif status in UNDECIDED and created_on[rec.id] < undecided_before:
            undecided.append(rec.number)
        lines.append(RecommendationLine(
            number=rec.number, title=rec.title, district=rec.district,
            department=rec.department, kind=rec.kind, topic=rec.topic, status=status,
            status_on=latest_change[rec.id].effective_on,
            status_note=latest_change[rec.id].note, created_on=created_on[rec.id],
            light=light, latest_progress=newest, example=rec.example,
            lights_history=history_row, red_streak=streak,
            superseded_by=rec.superseded_by if status == superseded else None,
        ))

    transitions = sorted(
        (c for c in history.changes
         if quarter.start <= c.effective_on <= as_of and c.recommendation_id in by_id),
        key=lambda c: (c.effective_on, by_id[c.recommendation_id].number, c.id),
    )
    publication = next((p for p in history.publications if p.quarter == str(quarter)), None)
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
        known_at=history.known_at, newly_red=tuple(newly_red),
        red_in_a_row=tuple(red_in_a_row), expiring=expiring_measures(history, quarter),
        overdue_targets=overdue_targets(history, by_id, current, as_of),
        milestones_due=milestones_due(history, by_id, current, quarter, as_of),
        corrections=corrections(history, quarter),
        publication=publication, state="rebuilt" if publication else "draft",
    )


def expiring_measures(history: History, quarter: Quarter) -> tuple[MeasureLine, ...]:
    """Time-limited measures ending from the quarter's first day to the end of the second
    quarter after it, by end date."""
    last = quarter.next().next().end
    return tuple(
        MeasureLine(m.id, m.title, m.department, m.ends_on, m.continued_by)
        for m in sorted(history.measures, key=lambda m: (m.ends_on or date.max, m.id))
        if m.ends_on is not None and quarter.start <= m.ends_on <= last
    )


FINAL = frozenset({Status.IMPLEMENTED.value, Status.REJECTED.value,
                   Status.SUPERSEDED.value})  # no target date counts any more


def _cutoff(history: History, as_of: date) -> date:
    """The day on which "passed" and "done" are judged: the as-of date, but not after the
    moment the history is known at (today for the running quarter)."""
    known = history.known_at.date() if history.known_at is not None else today()
    return min(as_of, known)


def overdue_targets(history: History, by_id: dict, current: dict, as_of: date
                    ) -> tuple[OverdueTarget, ...]:
    """Recommendations whose latest target date known by `as_of` lies before it and that are
    not implemented, rejected or superseded by then; by target date, then number."""
    day = _cutoff(history, as_of)
    latest: dict[int, date | None] = {}
    for change in history.targets:  # ordered by id: the last one counts
        if change.recorded_at.date() <= day:
            latest[change.recommendation_id] = change.target_on
    found = [OverdueTarget(by_id[i].number, by_id[i].title, by_id[i].department, target,
                           current[i])
             for i, target in latest.items()
             if target is not None and target < day and i in by_id and current[i] not in FINAL]
    return tuple(sorted(found, key=lambda t: (t.target_on, t.number)))


def milestones_due(history: History, by_id: dict, current: dict, quarter: Quarter,
                   as_of: date) -> tuple[MilestoneDue, ...]:
    """Milestones not done by `as_of` that fall due in the quarter after `quarter`, of
    recommendations still open; by due date, then number and id."""
    following = quarter.next()
    day = _cutoff(history, as_of)
    found = [MilestoneDue(m.id, by_id[m.recommendation_id].number, m.title,
                          by_id[m.recommendation_id].department, m.due_on)
             for m in history.milestones
             if following.start <= m.due_on <= following.end
             and (m.done_on is None or m.done_on > day)
             and m.recommendation_id in by_id and current[m.recommendation_id] not in FINAL]
    return tuple(sorted(found, key=lambda m: (m.due_on, m.number, m.id)))


def correction_reason(source: str | None, note: str | None = None) -> str | None:
    """The reason given with --correction (kept in `source`), else the note."""
    if source and source.startswith(CORRECTION_PREFIX):
        return source[len(CORRECTION_PREFIX):].split(" · ", 1)[0].strip() or None
    return note


def corrections(history: History, quarter: Quarter) -> tuple[Correction, ...]:
    """The Nachträge of the report of `quarter`: every change known by then and recorded after
    the publication of a report it alters (this quarter's or an earlier one). Those to earlier
    reports only when recorded after the last report published before this quarter: the
    reports in between listed the older ones."""
    published = {p.quarter: p for p in history.publications if p.quarter <= str(quarter)}
    if not published:
        return ()
    earlier = [p.known_at for q, p in published.items() if q < str(quarter)]
    since = max(earlier) if earlier else None
    recs = {r.id: r for r in history.recommendations}
    found: list[Correction] = []

    def affected(first: str, recorded_at: datetime, only: bool) -> PublicationRow | None:
        for period in sorted(published):
            if period < first or (only and period != first):
                continue
            if published[period].known_at < recorded_at:
                return published[period]
        return None

    def keep(report: PublicationRow, recorded_at: datetime) -> bool:
        return report.quarter == str(quarter) or since is None or recorded_at > since

    for c in history.changes:
        rec = recs.get(c.recommendation_id)
        if rec is None or c.recorded_at is None:
            continue
        report = affected(str(Quarter.of(c.effective_on)), c.recorded_at, only=False)
        if report is None or not keep(report, c.recorded_at):
            continue
        found.append(Correction(
            report=report.quarter, report_published_at=report.published_at,
            number=rec.number, title=rec.title, kind="status", effective_on=c.effective_on,
            recorded_at=c.recorded_at, actor=c.actor, actor_role=c.actor_role,
            actor_department=c.actor_department,
            reason=correction_reason(c.source, None if c.from_status is None else c.note),
            from_status=c.from_status, to_status=c.to_status))
    for u in history.progress if history.late_progress is None else history.late_progress:
        rec = recs.get(u.recommendation_id)
        if rec is None or u.recorded_at is None or u.quarter > str(quarter):
            continue
        report = affected(u.quarter, u.recorded_at, only=True)
        if report is None or not keep(report, u.recorded_at):
            continue
        found.append(Correction(
            report=report.quarter, report_published_at=report.published_at,
            number=rec.number, title=rec.title, kind="progress", effective_on=u.effective_on,
            recorded_at=u.recorded_at, actor=u.actor, actor_role=u.actor_role,
            actor_department=u.actor_department, reason=correction_reason(u.source),
            quarter=u.quarter, light=u.light, note=u.note))
    return tuple(sorted(found, key=lambda c: (c.recorded_at, c.number, c.kind)))


# ---- comparing a rebuilt report with the published one ----------------------------------------
def differences(published: dict, now_: dict) -> tuple[Difference, ...]:
    """What differs between the published figures and the rebuilt ones, figure by figure."""
    from controlling.domain.vocabulary import LIGHT_LABELS, STATUS_LABELS

    status_word = {str(k): v for k, v in STATUS_LABELS.items()}
    light_word = {**{str(k): v for k, v in LIGHT_LABELS.items()}, "none": "ohne Sachstand"}
    found: list[Difference] = []

    def compare(key: str, label: str, old, new) -> None:
        if old != new:
            found.append(Difference(key, label, old, new))

    for status in STATUSES:
        compare(f"totals/{status}", f"Empfehlungen {status_word[status]}",
                published.get("totals", {}).get(status, 0), now_["totals"][status])
    for light in LIGHTS:
        compare(f"lights/{light}", f"Ampel {light_word[light]}",
                published.get("lights", {}).get(light, 0), now_["lights"][light])
    for part, what in (("by_district", "Sozialraum"), ("by_department", "Bereich")):
        old_part, new_part = published.get(part, {}), now_[part]
        for name in sorted(set(old_part) | set(new_part)):
            for status in STATUSES:
                compare(f"{part}/{name}/{status}",
                        f"{what} {name}: {status_word[status]}",
                        old_part.get(name, {}).get(status, 0),
                        new_part.get(name, {}).get(status, 0))
    old_recs = {r["number"]: r for r in published.get("recommendations", [])}
    new_recs = {r["number"]: r for r in now_["recommendations"]}
    for number in sorted(set(old_recs) | set(new_recs)):
        old, new = old_recs.get(number), new_recs.get(number)
        if old is None or new is None:
            compare(f"recommendation/{number}", f"Empfehlung {number}",
                    "nicht enthalten" if old is None else status_word[old["status"]],
                    "nicht enthalten" if new is None else status_word[new["status"]])
            continue
        compare(f"recommendation/{number}/status", f"Empfehlung {number}: Status",
                status_word[old["status"]], status_word[new["status"]])
        compare(f"recommendation/{number}/light", f"Empfehlung {number}: Ampel",
                light_word.get(old.get("light")) if old.get("light") else None,
                light_word.get(new.get("light")) if new.get("light") else None)
    old_changes = {(t["number"], t["from_status"], t["to_status"], t["effective_on"])
                   for t in published.get("transitions", [])}
    new_changes = {(t["number"], t["from_status"], t["to_status"], t["effective_on"])
                   for t in now_["transitions"]}
    compare("transitions", "Statusänderungen im Quartal", len(old_changes), len(new_changes))
    return tuple(found)


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


def check_made_on(quarter: Quarter, made_on: date | None) -> date:
    """The creation date of a report of `quarter`: today by default; not in the future and
    not before the quarter's last day (for the running quarter: today)."""
    day = today()
    if made_on is None:
        return day
    if made_on > day:
        raise InvalidInput(f"Das Erstellungsdatum {format_date(made_on)} liegt in der Zukunft.")
    earliest = min(quarter.end, day)
    if made_on < earliest:
        reason = (f"vor dem Ende des Quartals {quarter} ({format_date(quarter.end)}); ein "
                  "Bericht über das Quartal entsteht erst danach" if quarter.end < day else
                  "vor heute; der Bericht über das laufende Quartal zeigt den Stand von heute")
        raise InvalidInput(f"Das Erstellungsdatum {format_date(made_on)} liegt {reason}.")
    return made_on


def parse_known_at(text) -> datetime | None:
    """`--as-known`: 'now' (or 'jetzt'), an ISO timestamp (with offset: converted to UTC;
    without: UTC, as recorded times are) or a date (the end of that day, UTC). None for
    nothing given. InvalidInput for anything else and for a moment in the future."""
    from datetime import UTC, time

    if text is None or isinstance(text, datetime):
        moment = text
    else:
        value = str(text).strip()
        if not value:
            return None
        if value.lower() in ("now", "jetzt"):
            return now()
        try:
            if len(value) == 10:
                moment = datetime.combine(date.fromisoformat(value), time.max)
            else:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(
                f"Ungültiger Zeitpunkt '{value}' für --as-known: erwartet now, ein Datum "
                "(JJJJ-MM-TT) oder einen Zeitpunkt (JJJJ-MM-TTTHH:MM, UTC)."
            ) from None
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    current = now()
    if moment > current:
        if moment.date() <= current.date() and moment.time() == time.max:
            return current  # today as a date: everything known so far
        raise InvalidInput(f"Der Zeitpunkt {moment.isoformat(sep=' ', timespec='minutes')} "
                           "(UTC) für --as-known liegt in der Zukunft.")
    return moment


def build_report(session, quarter: Quarter, known_at: datetime | None = None
                 ) -> QuarterlyReport:
    """The report of a quarter as of its last day, as known at `known_at`; a rebuilt report of
    a published quarter lists what differs from the published figures."""
    report = compute_report(load_history(session, quarter.end, known_at, quarter=quarter),
                            quarter)
    if report.state == "rebuilt":
        stored = session.scalar(select(PublishedReport.data).where(
            PublishedReport.kind == KIND, PublishedReport.period == str(quarter)))
        report = replace(report, differences=differences(stored or {}, report.to_dict()))
    return report


def quarterly_report(uow, login: str, quarter, *, known_at: datetime | None = None
                     ) -> QuarterlyReport:
    """The controlling report of `quarter` (text 'YYYY-QN' or Quarter), as of its last day,
    built from the history as known at `known_at` (None: everything recorded so far). For the
    published report as the committee received it, see services/publication.py."""
    parsed = parse_quarter(quarter)
    with uow:
        actor_of(uow, login)
        return build_report(uow.session, parsed, known_at)
