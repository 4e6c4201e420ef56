"""Repositories: every lookup a service needs, with a German error when nothing is found."""

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session, joinedload

from controlling.data.models import (
    Department,
    District,
    Indicator,
    IndicatorValue,
    ProgressUpdate,
    Recommendation,
    StatusChange,
    Topic,
    User,
)
from controlling.domain.errors import NotFound
from controlling.domain.limits import MAX_INTEGER
from controlling.domain.reference import CITYWIDE

IN_CHUNK = 1000
"""Values per `IN (...)` list: a big import or export asks in pieces, far below SQLite's
limit of bound variables (32,766) and PostgreSQL's (65,535)."""


def chunked(values) -> list[list]:
    """The values, sorted and cut into lists of at most IN_CHUNK."""
    ordered = sorted(set(values))
    return [ordered[start:start + IN_CHUNK] for start in range(0, len(ordered), IN_CHUNK)]


class Repository:
    def __init__(self, session: Session):
        self.session = session

    # reference data -------------------------------------------------------------------------
    def districts(self) -> list[District]:
        return list(self.session.scalars(select(District).order_by(District.id)))

    def district_by_name(self) -> dict[str, District]:
        return {d.name.lower(): d for d in self.districts()}

    def district(self, name: str) -> District:
        found = self.district_by_name().get((name or "").strip().lower())
        if found is None:
            known = ", ".join(d.name for d in self.districts())
            raise NotFound(f"Unbekannter Sozialraum '{name}' (bekannt: {known}).")
        return found

    def citywide(self) -> District:
        return self.district(CITYWIDE)

    def departments(self) -> list[Department]:
        return list(self.session.scalars(select(Department).order_by(Department.code)))

    def department_by_code(self) -> dict[str, Department]:
        return {d.code.lower(): d for d in self.departments()}

    def department(self, code: str) -> Department:
        found = self.department_by_code().get((code or "").strip().lower())
        if found is None:
            raise NotFound(
                f"Unbekannter Bereich '{code}' (Liste: controlling department list)."
            )
        return found

    def topics(self) -> list[Topic]:
        return list(self.session.scalars(select(Topic).order_by(Topic.id)))

    def topic_by_name(self) -> dict[str, Topic]:
        return {t.name.lower(): t for t in self.topics()}

    def topic(self, name: str | None) -> Topic | None:
        if name is None or not name.strip():
            return None
        found = self.topic_by_name().get(name.strip().lower())
        if found is None:
            known = ", ".join(t.name for t in self.topics())
            raise NotFound(f"Unbekanntes Thema '{name}' (bekannt: {known}).")
        return found

    # users ------------------------------------------------------------------------------------
    def users(self) -> list[User]:
        return list(
            self.session.scalars(
                select(User).options(joinedload(User.department)).order_by(User.login)
            )
        )

    def signing_key(self, purpose: str):
        from controlling.data.models import SigningKey

        return self.session.scalar(select(SigningKey).where(SigningKey.purpose == purpose))

    def user_count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(User))

    def find_user(self, login: str) -> User | None:
        return self.session.scalar(
            select(User).options(joinedload(User.department))
            .where(func.lower(User.login) == (login or "").strip().lower())
        )  # logins are unique regardless of case

    def user(self, login: str) -> User:
        found = self.find_user(login)
        if found is None:
            raise NotFound(
                f"Unbekannter Benutzer '{login}'; ein Admin legt ihn mit "
                "'controlling user add' an."
            )
        return found

    # recommendations ------------------------------------------------------------------------
    def lock_recommendations(self, *recommendations: Recommendation) -> None:
        """Lock the rows of these recommendations until the transaction ends, in the order of
        their ids (two commands locking the same pair cannot deadlock), and read them again
        as they are now: a decision taken after this sees what others committed meanwhile.

        PostgreSQL: SELECT ... FOR UPDATE. SQLite locks the whole database for a writer: a
        write that changes nothing takes that lock now (and waits for another writer to
        finish), so the rows read after it are current and stay so."""
        ids = sorted({rec.id for rec in recommendations})
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(text("UPDATE recommendations SET id = id WHERE 0 = 1"))
            query = select(Recommendation).where(Recommendation.id.in_(ids))
        else:
            query = (select(Recommendation).where(Recommendation.id.in_(ids))
                     .order_by(Recommendation.id).with_for_update(of=Recommendation))
        list(self.session.scalars(query.execution_options(populate_existing=True)))

    def recommendation(self, number: int) -> Recommendation:
        if not 1 <= number <= MAX_INTEGER:  # PostgreSQL refuses to compare larger integers
            raise NotFound(f"Unbekannte Empfehlung Nummer {number}.")
        found = self.session.scalar(
            select(Recommendation)
            .options(
                joinedload(Recommendation.district),
                joinedload(Recommendation.department),
                joinedload(Recommendation.topic),
            )
            .where(Recommendation.number == number)
        )
        if found is None:
            raise NotFound(f"Unbekannte Empfehlung Nummer {number}.")
        return found

    def existing_numbers(self, numbers: set[int]) -> set[int]:
        found: set[int] = set()
        for part in chunked(n for n in numbers if 1 <= n <= MAX_INTEGER):
            found.update(self.session.scalars(
                select(Recommendation.number).where(Recommendation.number.in_(part))))
        return found

    def recommendations(self, *, status=None, district=None, department=None, topic=None,
                        text: str | None = None, limit: int | None = None, offset: int = 0):
        query = self.recommendation_query(status=status, district=district,
                                          department=department, topic=topic, text=text)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        return list(self.session.scalars(query))

    def count_recommendations(self, **filters) -> int:
        query = self.recommendation_query(**filters).order_by(None).options()
        return self.session.scalar(select(func.count()).select_from(
            query.with_only_columns(Recommendation.id).subquery()))

    def recommendation_query(self, *, status=None, district=None, department=None, topic=None,
                             text: str | None = None):
        query = (
            select(Recommendation)
            .options(
                joinedload(Recommendation.district),
                joinedload(Recommendation.department),
                joinedload(Recommendation.topic),
            )
            .order_by(Recommendation.number)
        )
        if status is not None:
            query = query.where(Recommendation.status == status)
        if district is not None:
            query = query.where(Recommendation.district_id == district.id)
        if department is not None:
            query = query.where(Recommendation.department_id == department.id)
        if topic is not None:
            query = query.where(Recommendation.topic_id == topic.id)
        if text:
            pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace(
                "_", "\\_") + "%"
            query = query.where(or_(
                func.lower(Recommendation.title).like(pattern, escape="\\"),
                func.lower(Recommendation.description).like(pattern, escape="\\")))
        return query

    def history(self, recommendation_id: int) -> list[StatusChange]:
        return list(
            self.session.scalars(
                select(StatusChange)
                .options(joinedload(StatusChange.actor))
                .where(StatusChange.recommendation_id == recommendation_id)
                .order_by(StatusChange.effective_on, StatusChange.id)
            )
        )

    def progress(self, recommendation_id: int) -> list[ProgressUpdate]:
        return list(
            self.session.scalars(
                select(ProgressUpdate)
                .options(joinedload(ProgressUpdate.actor))
                .where(ProgressUpdate.recommendation_id == recommendation_id)
                .order_by(ProgressUpdate.effective_on, ProgressUpdate.id)
            )
        )

    def last_change_on(self, recommendation_id: int):
        """The latest effective date of any status change or progress update."""
        status_date = self.session.scalar(
            select(func.max(StatusChange.effective_on)).where(
                StatusChange.recommendation_id == recommendation_id
            )
        )
        progress_date = self.session.scalar(
            select(func.max(ProgressUpdate.effective_on)).where(
                ProgressUpdate.recommendation_id == recommendation_id
            )
        )
        dates = [d for d in (status_date, progress_date) if d is not None]
        return max(dates) if dates else None

    # indicators -------------------------------------------------------------------------------
    def find_indicator(self, code: str) -> Indicator | None:
        return self.session.scalar(select(Indicator).where(Indicator.code == code))

    def indicator(self, code: str) -> Indicator:
        found = self.find_indicator(code)
        if found is None:
            raise NotFound(
                f"Unbekannter Indikator '{code}' (Indikatoren werden mit "
                "'controlling import indicators' eingelesen)."
            )
        return found

    def indicators(self) -> list[Indicator]:
        return list(self.session.scalars(select(Indicator).order_by(Indicator.code)))

    def indicator_values(self, indicator: Indicator, district: District) -> dict[int, float]:
        rows = self.session.execute(
            select(IndicatorValue.year, IndicatorValue.value).where(
                IndicatorValue.indicator_id == indicator.id,
                IndicatorValue.district_id == district.id,
            )
        )
        return {year: value for year, value in rows}

    def indicator_value_rows(self) -> dict[tuple[int, int, int], IndicatorValue]:
        return {
            (v.indicator_id, v.district_id, v.year): v
            for v in self.session.scalars(select(IndicatorValue))
        }
