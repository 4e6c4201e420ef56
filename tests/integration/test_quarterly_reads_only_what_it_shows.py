"""The quarterly report reads, by window functions in the database, only the status changes and
Sachstände it shows; on random histories it is the same report as one computed from all of
them, for every quarter, as-of date, moment of knowledge and choice of Sozialräume."""

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from controlling.data.models import (
    Department,
    District,
    ProgressUpdate,
    PublishedReport,
    Recommendation,
    StatusChange,
    User,
)
from controlling.domain.dates import Quarter
from controlling.services.quarterly import KIND, compute_report, load_history
from tests.report_builders import StatementCounter

STATUSES = ("proposed", "statistically_supported", "approved", "implemented", "rejected",
            "superseded")
LIGHTS = ("green", "yellow", "red")
FIRST = date(2023, 1, 1)
QUARTERS = [Quarter(year, q) for year in (2023, 2024, 2025) for q in (1, 2, 3, 4)]


def moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=rng.randrange(1440))


def fill(engine, seed: int, count: int = 40) -> None:
    """`count` recommendations with random histories written directly: status changes on
    random days (some on the same day), Sachstände for random quarters (several per quarter,
    early, late, red runs), recorded on the day or months later, and published reports."""
    rng = random.Random(seed)
    with engine.begin() as connection:
        actor = connection.scalar(select(User.id).order_by(User.id).limit(1))
        districts = connection.scalars(select(District.id).order_by(District.id)).all()
        departments = connection.scalars(select(Department.id).order_by(Department.id)).all()
        changes, updates = [], []
        for number in range(1, count + 1):
            rec_id = connection.execute(insert(Recommendation).values(
                number=number, title=f"Empfehlung {number}", kind="new", status="proposed",
                district_id=rng.choice(districts), department_id=rng.choice(departments),
                created_at=datetime(2023, 1, 1), updated_at=datetime(2023, 1, 1),
            ).returning(Recommendation.id)).scalar_one()
            day = FIRST + timedelta(days=rng.randrange(900))
            before = None
            for _ in range(rng.randrange(1, 6)):
                after = rng.choice(STATUSES[1:] + ("approved",) * 4) if before else "proposed"
                recorded = moment(day + timedelta(days=rng.choice((0, 0, 0, 0, 3, 80, 200))),
                                  rng)
                changes.append({"recommendation_id": rec_id, "from_status": before,
                                "to_status": after, "effective_on": day, "actor_id": actor,
                                "recorded_at": recorded, "note": f"{before}->{after}"})
                before, day = after, day + timedelta(days=rng.choice((0, 1, 20, 95, 180)))
            run = rng.randrange(len(QUARTERS)) if number % 3 == 0 else None
            for index, quarter in enumerate(QUARTERS):
                red_run = run is not None and run <= index < run + 7
                for _ in range(rng.choice((1, 2) if red_run else (0, 0, 1, 1, 2))):
                    effective = quarter.end + timedelta(days=rng.randrange(-60, 50))
                    recorded = moment(effective + timedelta(
                        days=rng.choice((0, 0, 0, 0, 10, 120))), rng)
                    updates.append({"recommendation_id": rec_id, "quarter": str(quarter),
                                    "light": "red" if red_run else rng.choice(LIGHTS),
                                    "note": "Stand", "actor_id": actor,
                                    "effective_on": effective, "recorded_at": recorded})
        connection.execute(insert(StatusChange), changes)
        connection.execute(insert(ProgressUpdate), updates)
        for quarter in rng.sample(QUARTERS[5:10], 3):
            published = moment(quarter.end + timedelta(days=rng.randrange(5, 40)), rng)
            connection.execute(insert(PublishedReport).values(
                kind=KIND, period=str(quarter), known_at=published, published_at=published,
                actor_id=actor, data={}, data_sha256="0" * 64, pdf=b"", pdf_sha256="0" * 64))


def reports(session, quarter: Quarter, as_of: date, known_at, districts):
    full = compute_report(load_history(session, as_of, known_at, districts), quarter, as_of)
    slim = compute_report(load_history(session, as_of, known_at, districts, quarter=quarter),
                          quarter, as_of)
    return full, slim


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_report_from_what_it_reads_is_the_report_from_everything(engine, uow, seed,
                                                                      today_is):
    today_is(date(2026, 6, 1))
    fill(engine, seed)
    with uow() as work:
        some = set(work.session.scalars(select(District.id).limit(3)))
        for quarter in QUARTERS[1:-1]:
            for as_of in (quarter.end, quarter.end + timedelta(days=40)):
                for known_at in (None, datetime.combine(quarter.end, datetime.min.time())
                                 + timedelta(days=30)):
                    for districts in (None, some):
                        full, slim = reports(work.session, quarter, as_of, known_at, districts)
                        assert slim == full, (str(quarter), as_of, known_at, districts)


def test_the_random_histories_hold_what_the_comparison_needs(engine, uow, today_is):
    """Guards the comparison above: the random data has red runs, Nachträge and
    recommendations in every status, so an equal report is not an empty one."""
    today_is(date(2026, 6, 1))
    fill(engine, 1)
    with uow() as work:
        seen = {"statuses": set(), "red_in_a_row": 0, "corrections": 0, "transitions": 0,
                "five_red": 0}
        for quarter in QUARTERS[1:-1]:
            _, slim = reports(work.session, quarter, quarter.end, None, None)
            seen["statuses"] |= {line.status for line in slim.recommendations}
            seen["red_in_a_row"] += len(slim.red_in_a_row)
            seen["five_red"] += sum(line.red_streak > 4 for line in slim.recommendations)
            seen["corrections"] += len(slim.corrections)
            seen["transitions"] += len(slim.transitions)
    assert seen["statuses"] == set(STATUSES)
    assert min(seen["red_in_a_row"], seen["corrections"], seen["transitions"],
               seen["five_red"]) > 0, seen


def test_the_report_reads_fewer_rows_than_were_recorded(engine, uow, today_is):
    today_is(date(2026, 6, 1))
    fill(engine, 2, count=60)
    quarter = QUARTERS[6]
    with uow() as work:
        recorded = work.session.scalar(select(func.count(ProgressUpdate.id)))
        history = load_history(work.session, quarter.end, quarter=quarter)
        everything = load_history(work.session, quarter.end)
    assert len(history.progress) < len(everything.progress) <= recorded
    assert len(history.changes) < len(everything.changes)


def test_the_report_of_what_it_reads_takes_a_fixed_number_of_statements(engine, uow,
                                                                         today_is):
    today_is(date(2026, 6, 1))
    counted = []
    for seed, count in ((4, 10), (5, 80)):
        fill(engine, seed, count) if not counted else _more(engine, seed, count)
        with uow() as work, StatementCounter(engine) as counter:
            load_history(work.session, QUARTERS[5].end, quarter=QUARTERS[5])
        counted.append(counter.count)
    assert counted[0] == counted[1]


def _more(engine, seed: int, count: int) -> None:
    """More random recommendations after those already there (numbers from 1001 on)."""
    rng = random.Random(seed)
    with engine.begin() as connection:
        actor = connection.scalar(select(User.id).order_by(User.id).limit(1))
        district = connection.scalar(select(District.id).limit(1))
        department = connection.scalar(select(Department.id).limit(1))
        for number in range(1001, 1001 + count):
            rec_id = connection.execute(insert(Recommendation).values(
                number=number, title=f"Empfehlung {number}", kind="new", status="proposed",
                district_id=district, department_id=department,
                created_at=datetime(2023, 1, 1), updated_at=datetime(2023, 1, 1),
            ).returning(Recommendation.id)).scalar_one()
            day = FIRST + timedelta(days=rng.randrange(400))
            connection.execute(insert(StatusChange).values(
                recommendation_id=rec_id, to_status="proposed", effective_on=day,
                actor_id=actor, recorded_at=moment(day, rng)))
            connection.execute(insert(ProgressUpdate).values(
                recommendation_id=rec_id, quarter="2024-Q1", light="red", note="Stand",
                actor_id=actor, effective_on=date(2024, 3, 31),
                recorded_at=datetime(2024, 4, 1)))


def test_the_values_many_rows_repeat_are_loaded_once(engine, uow, today_is):
    """Memory: a district name, a status, a day, a login the driver returns anew for every
    row is kept as one object (a report of 50,000 holds about a quarter less)."""
    today_is(date(2026, 6, 1))
    fill(engine, 3, count=30)
    with uow() as work:
        history = load_history(work.session, date(2026, 3, 31))

    def one_object_per_value(values) -> bool:
        values = [v for v in values if v is not None]
        return len(values) > len(set(values)) and len({id(v) for v in values}) == len(
            set(values))

    recs, changes, updates = history.recommendations, history.changes, history.progress
    assert one_object_per_value([r.district for r in recs])
    assert one_object_per_value([r.department for r in recs])
    assert one_object_per_value([c.to_status for c in changes])
    assert one_object_per_value([c.effective_on for c in changes])
    assert one_object_per_value([c.actor for c in changes])
    assert one_object_per_value([u.quarter for u in updates])
    assert one_object_per_value([u.light for u in updates])
    assert one_object_per_value([u.effective_on for u in updates])
