"""The relational model (SQLAlchemy 2.x declarative mapping).

Alembic migrations are the only source of the schema in the product; these classes must match
them (`alembic check` and tests/integration/test_migrations.py make sure they do).
"""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from controlling.domain.awareness import Question
from controlling.domain.editions import ItemKind
from controlling.domain.events import DatePrecision, EventFormat, EventKind
from controlling.domain.sozialindex import DynamicsClass, StatusClass
from controlling.domain.triage import Outcome
from controlling.domain.vocabulary import Kind, Light, Role, Status

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_column(enum_type, name: str) -> Enum:
    """VARCHAR + CHECK on every database; new values need a hand-written migration."""
    return Enum(
        enum_type,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class District(Base):
    __tablename__ = "districts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_citywide: Mapped[bool] = mapped_column(Boolean, default=False)


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    external: Mapped[bool] = mapped_column(Boolean, default=False)


topic_departments = Table(
    "topic_departments",
    Base.metadata,
    Column("topic_id", ForeignKey("topics.id"), primary_key=True),
    Column("department_id", ForeignKey("departments.id"), primary_key=True),
)


class Topic(Base):
    __tablename__ = "topics"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    departments: Mapped[list[Department]] = relationship(secondary=topic_departments)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Identity (migration 0004): an Argon2id hash, never the password itself.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    password_is_initial: Mapped[bool] = mapped_column(Boolean, default=False,
                                                      server_default=sa_false())
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Migration 0009: where update requests and reminders go.
    email: Mapped[str | None] = mapped_column(String(254))
    department: Mapped[Department | None] = relationship()

    # Logins are unique regardless of case (and consist of ASCII only, see domain/identity).
    __table_args__ = (Index("ix_users_login_lower", func.lower(login), unique=True),)


class Recommendation(Base):
    __tablename__ = "recommendations"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"))
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, "kind"))
    status: Mapped[Status] = mapped_column(enum_column(Status, "status"), index=True)
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    district: Mapped[District] = relationship()
    department: Mapped[Department] = relationship()
    topic: Mapped[Topic | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class StatusChange(Base):
    """Append-only: one row per status change, the creation (from_status NULL) included."""

    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    from_status: Mapped[Status | None] = mapped_column(enum_column(Status, "from_status"))
    to_status: Mapped[Status] = mapped_column(enum_column(Status, "to_status"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    effective_on: Mapped[date] = mapped_column(Date, index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[dict | None] = mapped_column(JSON)
    source: Mapped[str | None] = mapped_column(String(300))

    actor: Mapped[User] = relationship()


class ProgressUpdate(Base):
    """Append-only: a quarterly Sachstand with its traffic light."""

    __tablename__ = "progress_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7), index=True)
    light: Mapped[Light] = mapped_column(enum_column(Light, "light"))
    note: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    effective_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(300))
    # the earlier Sachstand this one corrects (migration 0013; checked by the service, no
    # foreign key in the database)
    corrects_id: Mapped[int | None] = mapped_column(Integer)

    actor: Mapped[User] = relationship()


class Indicator(Base):
    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    label: Mapped[str] = mapped_column(String(300))
    higher_is_worse: Mapped[bool] = mapped_column(Boolean, default=True)


class IndicatorValue(Base):
    __tablename__ = "indicator_values"
    __table_args__ = (
        UniqueConstraint("indicator_id", "district_id", "year",
                         name="uq_indicator_values_indicator_district_year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    # the counts behind a share (recipients, residents); `derived`: computed from
    # the Sozialquartiere's counts (ratio of the sums), recomputed on every import
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    derived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


APPEND_ONLY = (StatusChange, ProgressUpdate)


def _refuse_rewrite(mapper, connection, target):
    raise RuntimeError(f"{type(target).__name__} is append-only: history is never rewritten")


for _model in APPEND_ONLY:
    event.listen(_model, "before_update", _refuse_rewrite)
    event.listen(_model, "before_delete", _refuse_rewrite)


# events, suggestions, measure profiles, triage outcomes and their links. -----------


class Event(Base):
    """An expert dialogue (Expert*innendialog) or the Sozialkonferenz."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("kind", "district_id", "held_on",
                         name="uq_events_kind_district_held_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    title: Mapped[str] = mapped_column(String(300))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    date_precision: Mapped[DatePrecision] = mapped_column(
        enum_column(DatePrecision, "date_precision"))
    round: Mapped[int | None] = mapped_column(Integer)
    format: Mapped[EventFormat] = mapped_column(enum_column(EventFormat, "event_format"))
    participants: Mapped[int | None] = mapped_column(Integer)
    institutions: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    is_reference: Mapped[bool] = mapped_column(Boolean, default=False)
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    district: Mapped[District] = relationship()


class Suggestion(Base):
    """A suggestion (Hinweis/Anregung) made at an event: what is missing in the district."""

    __tablename__ = "suggestions"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"))
    text: Mapped[str] = mapped_column(Text)
    institution_kind: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(300))
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    event: Mapped[Event] = relationship()
    district: Mapped[District] = relationship()
    topic: Mapped[Topic | None] = relationship()
    actor: Mapped[User] = relationship()
    outcome: Mapped["SuggestionOutcome | None"] = relationship(viewonly=True)


measure_districts = Table(
    "measure_districts",
    Base.metadata,
    Column("measure_id", ForeignKey("measures.id"), primary_key=True),
    Column("district_id", ForeignKey("districts.id"), primary_key=True),
)

recommendation_measures = Table(
    "recommendation_measures",
    Base.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id"), primary_key=True),
    Column("measure_id", ForeignKey("measures.id"), primary_key=True),
)


class Measure(Base):
    """A measure profile (Maßnahmensteckbrief): an offer that exists, in districts or city-wide.

    The contact is a department and a role, never a private person. Every edit raises
    `version` and appends a MeasureChange.
    """

    __tablename__ = "measures"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"))
    target_group: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(300))
    ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    funding: Mapped[str | None] = mapped_column(Text)
    implementation_status: Mapped[str | None] = mapped_column(Text)
    contact_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    contact_role: Mapped[str | None] = mapped_column(String(200))
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    department: Mapped[Department] = relationship(foreign_keys=[department_id])
    contact_department: Mapped[Department | None] = relationship(
        foreign_keys=[contact_department_id])
    topic: Mapped[Topic | None] = relationship()
    districts: Mapped[list[District]] = relationship(secondary=measure_districts,
                                                     order_by=District.id)
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=recommendation_measures, order_by=Recommendation.number)

    __mapper_args__ = {"version_id_col": version}


class MeasureChange(Base):
    """Append-only: the creation and every edit of a measure profile, field by field."""

    __tablename__ = "measure_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict] = mapped_column(JSON)  # field -> {"from": old, "to": new}
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(300))

    actor: Mapped[User] = relationship()


class SuggestionOutcome(Base):
    """Append-only: the one outcome of a suggestion's triage (unique per suggestion), with the
    measure profile and the recommendation it links."""

    __tablename__ = "suggestion_outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), unique=True)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "outcome"))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"),
                                                          index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    measure: Mapped[Measure | None] = relationship()
    recommendation: Mapped[Recommendation | None] = relationship()
    actor: Mapped[User] = relationship()


APPEND_ONLY = (*APPEND_ONLY, MeasureChange, SuggestionOutcome)

for _model in (MeasureChange, SuggestionOutcome):
    event.listen(_model, "before_update", _refuse_rewrite)
    event.listen(_model, "before_delete", _refuse_rewrite)


# supersession, published editions, awareness of offers, institutions. -------------


class Supersession(Base):
    """Append-only: a recommendation ended as `superseded`, replaced by its successor. A link
    table (not a column of recommendations) so the superseded one's row stays as it was."""

    __tablename__ = "supersessions"
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"),
                                                   primary_key=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    status_change_id: Mapped[int] = mapped_column(ForeignKey("status_changes.id"), unique=True)


class Edition(Base):
    """A published edition (e.g. the update of all recommendations in February 2023)."""

    __tablename__ = "editions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    published_on: Mapped[date] = mapped_column(Date)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User] = relationship()


class EditionItem(Base):
    """Append-only: the frozen JSON of one recommendation (reference = its number) or measure
    profile (reference = its id) in an edition."""

    __tablename__ = "edition_items"
    __table_args__ = (
        UniqueConstraint("edition_id", "kind", "reference",
                         name="uq_edition_items_edition_kind_reference"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"), index=True)
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind, "item_kind"))
    reference: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)


class AwarenessCount(Base):
    """The dots of one offer at one event: "Kennen Sie das Angebot?" green (yes), red (no)."""

    __tablename__ = "awareness_counts"
    __table_args__ = (
        UniqueConstraint("event_id", "measure_id", name="uq_awareness_counts_event_measure"),
        CheckConstraint("known_yes >= 0", name="known_yes_not_negative"),
        CheckConstraint("known_no >= 0", name="known_no_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), index=True)
    known_yes: Mapped[int] = mapped_column(Integer)
    known_no: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(300))


class AwarenessCard(Base):
    """An idea card about one offer at one event, to one of the two questions."""

    __tablename__ = "awareness_cards"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), index=True)
    question: Mapped[Question] = mapped_column(enum_column(Question, "question"))
    text: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(300))


measure_institutions = Table(
    "measure_institutions",
    Base.metadata,
    Column("measure_id", ForeignKey("measures.id"), primary_key=True),
    Column("institution_id", ForeignKey("institutions.id"), primary_key=True),
)


class Institution(Base):
    """A social institution for the Sozialnavigator map (WGS84 degrees, longitude first)."""

    __tablename__ = "institutions"
    __table_args__ = (
        UniqueConstraint("name", "address", name="uq_institutions_name_address"),
        CheckConstraint("longitude >= -180 AND longitude <= 180", name="longitude_range"),
        CheckConstraint("latitude >= -90 AND latitude <= 90", name="latitude_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(300))
    longitude: Mapped[float] = mapped_column(Float)
    latitude: Mapped[float] = mapped_column(Float)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # notices of status changes ("Rückkopplung"), opt-in, the institution's address
    notice_email: Mapped[str | None] = mapped_column(String(254))
    notices: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    district: Mapped[District | None] = relationship()
    measures: Mapped[list[Measure]] = relationship(secondary=measure_institutions,
                                                   order_by=Measure.id)


APPEND_ONLY = (*APPEND_ONLY, Supersession, Edition, EditionItem)

for _model in (Supersession, Edition, EditionItem):
    event.listen(_model, "before_update", _refuse_rewrite)
    event.listen(_model, "before_delete", _refuse_rewrite)


# proven identity. Tokens and sessions are stored as SHA-256 hashes of their secret;
# the sign-in log and the account events are append-only. --------------------------------------


class ApiToken(Base):
    """A named token of a user for scripts and the API (shown once, stored as a hash)."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_on: Mapped[date] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(120))

    user: Mapped[User] = relationship()


class WebSession(Base):
    """A signed-in browser: the cookie holds the secret, this row its hash and the CSRF token."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class SignIn(Base):
    """Append-only sign-in log: successful and failed sign-ins, failed proofs on the command
    line and the API, and refused requests, with time, login (as typed) and address."""

    __tablename__ = "sign_ins"
    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    login: Mapped[str] = mapped_column(String(120), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(16))  # web, api, cli
    outcome: Mapped[str] = mapped_column(String(32))  # success, failure, locked, refused, ...
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(String(300))


class AccountEvent(Base):
    """Append-only: what happened to an account (created, password set or reset, role changed,
    token created or revoked, deactivated), by whom and when."""

    __tablename__ = "account_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


APPEND_ONLY = (*APPEND_ONLY, SignIn, AccountEvent)

for _model in (SignIn, AccountEvent):
    event.listen(_model, "before_update", _refuse_rewrite)
    event.listen(_model, "before_delete", _refuse_rewrite)


# a published report, as the committee received it. Protected like the history by
# the triggers of migration 0005 (and the ORM guard below). ------------------------------------


class PublishedReport(Base):
    __tablename__ = "published_reports"
    __table_args__ = (
        UniqueConstraint("kind", "period", name="uq_published_reports_kind_period"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # "quarterly"
    period: Mapped[str] = mapped_column(String(16))  # "2025-Q1"
    known_at: Mapped[datetime] = mapped_column(DateTime)  # the report as known at this moment
    published_at: Mapped[datetime] = mapped_column(DateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    data: Mapped[dict] = mapped_column(JSON)
    data_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User] = relationship()


# The tables the database itself keeps append-only and chains (migrations 0005 and 0006; the
# last three since 0012), in the order the migrations chain the rows that existed before.
HISTORY_TABLES = ("status_changes", "progress_updates", "measure_changes",
                  "suggestion_outcomes", "supersessions", "editions", "edition_items",
                  "sign_ins", "account_events", "published_reports",
                  "target_changes", "milestones", "milestone_completions",
                  "recommendation_edits")

APPEND_ONLY = (*APPEND_ONLY, PublishedReport)
event.listen(PublishedReport, "before_update", _refuse_rewrite)
event.listen(PublishedReport, "before_delete", _refuse_rewrite)


# the tamper-evident chain over every history table (docs/integrity.md). One entry
# per history row, in the order of writing, appended in the row's own transaction by the unit
# of work (controlling/data/chain.py); append-only by migration 0006's triggers. The head row
# is the one row writers lock to append (so no two transactions link to the same entry).


class HistoryChainEntry(Base):
    __tablename__ = "history_chain"
    __table_args__ = (
        UniqueConstraint("table_name", "row_id", name="uq_history_chain_table_name_row_id"),
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[int] = mapped_column(Integer)
    row_sha256: Mapped[str] = mapped_column(String(64))
    previous_sha256: Mapped[str] = mapped_column(String(64))
    chain_sha256: Mapped[str] = mapped_column(String(64))


class HistoryChainHead(Base):
    __tablename__ = "history_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    chain_sha256: Mapped[str] = mapped_column(String(64))


event.listen(HistoryChainEntry, "before_update", _refuse_rewrite)
event.listen(HistoryChainEntry, "before_delete", _refuse_rewrite)


# The keys that sign what the program hands out and takes back (the update workbooks' metadata,
# HMAC-SHA256). One row per purpose, created on first use; never shown.


class SigningKey(Base):
    __tablename__ = "signing_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32), unique=True)
    secret: Mapped[str] = mapped_column(String(128))  # hex
    created_at: Mapped[datetime] = mapped_column(DateTime)


# the Sozialindex. Sozialquartiere (small areas) inside the Sozialräume, indicator
# values per quarter (with the counts behind a share), and the computed index: a computation
# with its method, years and indicators, one row per area with the inputs. Computations are
# never changed: computing again appends a new one (the ORM refuses updates and deletes).


class Quarter(Base):
    __tablename__ = "quarters"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    # its outline for a map (migration 0010): a GeoJSON Polygon or MultiPolygon geometry in
    # WGS84, [longitude, latitude] (RFC 7946), checked by controlling/domain/shapes.py
    shape: Mapped[dict | None] = mapped_column(JSON)

    district: Mapped[District] = relationship()


class QuarterValue(Base):
    __tablename__ = "quarter_values"
    __table_args__ = (
        UniqueConstraint("indicator_id", "quarter_id", "year",
                         name="uq_quarter_values_indicator_quarter_year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    quarter_id: Mapped[int] = mapped_column(ForeignKey("quarters.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)


class IndexComputation(Base):
    __tablename__ = "index_computations"
    id: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(32))  # domain/sozialindex.py METHOD
    level: Mapped[str] = mapped_column(String(16))  # "quarter" or "district"
    year: Mapped[int] = mapped_column(Integer, index=True)
    base_year: Mapped[int | None] = mapped_column(Integer)  # the dynamics' first year
    indicators: Mapped[list] = mapped_column(JSON)  # code, label, direction, mean, sd, ...
    parameters: Mapped[dict] = mapped_column(JSON)  # standardisation and class bounds
    status_sd: Mapped[float] = mapped_column(Float)
    dynamics_sd: Mapped[float | None] = mapped_column(Float)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    computed_at: Mapped[datetime] = mapped_column(DateTime)

    actor: Mapped[User] = relationship()


class IndexValue(Base):
    __tablename__ = "index_values"
    id: Mapped[int] = mapped_column(primary_key=True)
    computation_id: Mapped[int] = mapped_column(ForeignKey("index_computations.id"),
                                                index=True)
    quarter_id: Mapped[int | None] = mapped_column(ForeignKey("quarters.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    area: Mapped[str] = mapped_column(String(120))  # the area's name when computed
    rank: Mapped[int] = mapped_column(Integer)  # 1 = highest status index (most risk)
    status: Mapped[float] = mapped_column(Float)
    status_class: Mapped[StatusClass] = mapped_column(enum_column(StatusClass, "status_class"))
    dynamics: Mapped[float | None] = mapped_column(Float)
    dynamics_class: Mapped[DynamicsClass | None] = mapped_column(
        enum_column(DynamicsClass, "dynamics_class"))
    inputs: Mapped[dict] = mapped_column(JSON)  # code -> value, z, base_value, change, change_z

    computation: Mapped[IndexComputation] = relationship()
    quarter: Mapped[Quarter | None] = relationship()
    district: Mapped[District] = relationship()


APPEND_ONLY = (*APPEND_ONLY, IndexComputation, IndexValue)
for _model in (IndexComputation, IndexValue):
    event.listen(_model, "before_update", _refuse_rewrite)
    event.listen(_model, "before_delete", _refuse_rewrite)


# the quarterly update round by e-mail (migration 0009). A recommendation's target
# date (Zieltermin) is the latest of its target changes, which are append-only (the ORM here,
# triggers in the database); milestones; one round per quarter with a request per department;
# the outbox and mail log: every message is recorded before it is sent and stays queued
# (attempts, last error) until delivered; `dedupe_key` keeps a reminder from going out twice.


class TargetChange(Base):
    __tablename__ = "target_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    target_on: Mapped[date | None] = mapped_column(Date)  # None: the target date was removed
    reason: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    actor: Mapped[User] = relationship()


APPEND_ONLY = (*APPEND_ONLY, TargetChange)
event.listen(TargetChange, "before_update", _refuse_rewrite)
event.listen(TargetChange, "before_delete", _refuse_rewrite)


class Milestone(Base):
    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(Date)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class MilestoneCompletion(Base):
    """A milestone reached on `done_on` (migration 0012); the youngest completion counts, a
    later one corrects the day and says why."""

    __tablename__ = "milestone_completions"
    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"), index=True)
    done_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    actor: Mapped[User] = relationship()


APPEND_ONLY = (*APPEND_ONLY, Milestone, MilestoneCompletion)
for _model in (Milestone, MilestoneCompletion):
    event.listen(_model, "before_update", _refuse_rewrite)
    event.listen(_model, "before_delete", _refuse_rewrite)


class RecommendationEdit(Base):
    """A correction of a recommendation's fields (migration 0013): field -> {"from", "to"},
    the version it made, the reason, who and when. Append-only and chained."""

    __tablename__ = "recommendation_edits"
    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    actor: Mapped[User] = relationship()


APPEND_ONLY = (*APPEND_ONLY, RecommendationEdit)
event.listen(RecommendationEdit, "before_update", _refuse_rewrite)
event.listen(RecommendationEdit, "before_delete", _refuse_rewrite)


class UpdateRound(Base):
    __tablename__ = "update_rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7), unique=True)
    due_on: Mapped[date] = mapped_column(Date)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime)

    started_by: Mapped[User] = relationship()


class MailMessage(Base):
    __tablename__ = "mail_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # request, due_soon, overdue, escalation
    round_id: Mapped[int | None] = mapped_column(ForeignKey("update_rounds.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    to_addresses: Mapped[str] = mapped_column(Text)  # comma-separated
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    department: Mapped[Department | None] = relationship()


class RoundRequest(Base):
    __tablename__ = "round_requests"
    __table_args__ = (
        UniqueConstraint("round_id", "department_id",
                         name="uq_round_requests_round_id_department_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("update_rounds.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    heads: Mapped[list] = mapped_column(JSON)  # logins asked
    numbers: Mapped[list] = mapped_column(JSON)  # the recommendations asked about
    message_id: Mapped[int | None] = mapped_column(ForeignKey("mail_messages.id"))

    round: Mapped[UpdateRound] = relationship()
    department: Mapped[Department] = relationship()
    message: Mapped[MailMessage | None] = relationship()
