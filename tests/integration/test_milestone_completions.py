"""Milestones are reached by append-only completions (migration 0012): a correction of the day
needs a reason and keeps the earlier entry; the rows cannot be rewritten, they join the history
chain, and migration 0012 turns the old `milestones.done_on` into completions."""

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from controlling.data.database import current_revision, head_revision
from controlling.domain.errors import DomainError, InvalidInput, TransitionRefused
from controlling.services.quarterly import quarterly_report
from controlling.services.targets import add_milestone, dates, finish_milestone
from controlling.services.verify import verify_database
from tests.conftest import snapshot
from tests.integration.test_history_chain import chain, migrate
from tests.report_builders import Steps


@pytest.fixture
def milestone(uow, people, today_is):
    today_is(date(2024, 2, 1))
    steps = Steps(uow)
    steps.add(1, date(2024, 1, 10), kind="extension", title="Angebot 1")
    steps.approve(1, date(2024, 1, 20))
    found = add_milestone(uow(), "planer", 1, title="Räume gefunden", due="2024-04-20")
    today_is(date(2024, 3, 20))
    return found["id"]


def rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


def test_a_corrected_day_needs_a_reason_and_both_entries_stay(milestone, uow, engine):
    finish_milestone(uow(), "planer", milestone, on="2024-03-18")
    before = snapshot(engine)
    with pytest.raises(TransitionRefused, match="braucht --reason"):
        finish_milestone(uow(), "planer", milestone, on="2024-03-19")
    with pytest.raises(InvalidInput, match="schon am 18.03.2024 erreicht"):
        finish_milestone(uow(), "planer", milestone, on="2024-03-18", reason="gleich")
    assert snapshot(engine) == before
    result = finish_milestone(uow(), "planer", milestone, on="2024-03-19",
                              reason="Mietvertrag erst am 19.03.")
    assert result["done_on"] == "2024-03-19"
    assert dates(uow(), "planer", 1)["milestones"][0]["done_on"] == "2024-03-19"
    assert rows(engine, "SELECT done_on, reason FROM milestone_completions ORDER BY id") == [
        (date(2024, 3, 18), None), (date(2024, 3, 19), "Mietvertrag erst am 19.03.")] \
        if engine.dialect.name == "postgresql" else [
        ("2024-03-18", None), ("2024-03-19", "Mietvertrag erst am 19.03.")]


@pytest.mark.parametrize("statement", [
    "UPDATE milestone_completions SET done_on = done_on", "DELETE FROM milestone_completions",
    "UPDATE milestones SET due_on = due_on", "DELETE FROM milestones"])
def test_plain_sql_cannot_rewrite_a_milestone_or_its_completion(milestone, uow, engine,
                                                                statement):
    finish_milestone(uow(), "planer", milestone, on="2024-03-18")
    before = snapshot(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    assert snapshot(engine) == before


def test_target_dates_milestones_and_completions_join_the_chain(milestone, uow, engine):
    finish_milestone(uow(), "planer", milestone, on="2024-03-18")
    tables = [t for _s, t, _i, _h in chain(engine)]
    assert {"milestones", "milestone_completions"} <= set(tables)
    assert verify_database(engine, uow(), "planer")["problems"] == []


def test_the_quarterly_report_counts_a_milestone_done_by_its_youngest_completion(
        milestone, uow, today_is):
    finish_milestone(uow(), "planer", milestone, on="2024-03-18")
    today_is(date(2024, 4, 3))
    finish_milestone(uow(), "planer", milestone, on="2024-04-02", reason="Erst im April")
    due = quarterly_report(uow(), "ausschuss", "2024-Q1").to_dict()["attention"]["milestones_due"]
    assert [m["title"] for m in due] == ["Räume gefunden"]  # done in Q2 after the correction


def test_migration_0012_turns_old_done_days_into_completions_and_chains_them(
        milestone, uow, engine):
    migrate(engine, "downgrade", "0011", force=True)  # the milestone's chain entry stays
    with engine.begin() as connection:
        connection.execute(text("UPDATE milestones SET done_on = '2024-03-18'"))
    migrate(engine, "upgrade", "head")
    assert dates(uow(), "planer", 1)["milestones"][0]["done_on"] == "2024-03-18"
    tables = [t for _s, t, _i, _h in chain(engine)]
    assert tables[-2:] == ["milestones", "milestone_completions"]
    assert verify_database(engine, uow(), "planer")["problems"] == []


def test_an_upgrade_after_a_forced_downgrade_chains_only_new_rows_and_verify_names_the_loss(
        milestone, uow, engine):
    finish_milestone(uow(), "planer", milestone, on="2024-03-18")
    migrate(engine, "downgrade", "0011", force=True)
    migrate(engine, "upgrade", "head")
    assert dates(uow(), "planer", 1)["milestones"][0]["done_on"] == "2024-03-18"
    problems = verify_database(engine, uow(), "planer")["problems"]
    assert [(p["table"], p["row"]) for p in problems] == [("milestone_completions", 1)]


def test_the_downgrade_of_0012_refuses_to_lose_completions_unless_forced(milestone, uow, engine):
    finish_milestone(uow(), "planer", milestone, on="2024-03-18")
    before = snapshot(engine)
    with pytest.raises(DomainError, match="Schema-Stand 0012 würde Daten löschen"):
        migrate(engine, "downgrade", "0011")
    assert current_revision(engine) == head_revision()  # one transaction: nothing undone
    assert snapshot(engine) == before
