"""Two people changing the same recommendation at once: the second is refused with
"in der Zwischenzeit", and nothing of the first is lost. Two real connections per test."""

import json
import threading
from datetime import date

import pytest

from controlling.domain.errors import StaleEdit
from controlling.services.common import actor_of
from controlling.services.recommendations import apply_action, apply_progress
from tests.conftest import row_counts, snapshot


@pytest.fixture
def proposed(cli, people, engine):
    """Recommendation 7 (an extension of 3-1) in status proposed, version 1."""
    result = cli("recommendation", "add", "--number", 7, "--title", "Projekt verlängern",
                 "--kind", "extension", "--district", "Osterfeld", "--department", "3-1",
                 "--on", "2024-01-10", user="planer")
    assert result.exit_code == 0, result.stderr
    return 7


def shown(cli, number) -> dict:
    return json.loads(cli("recommendation", "show", number, "--format", "json").stdout)


def test_the_second_of_two_concurrent_status_changes_is_refused_and_nothing_is_lost(
        uow, engine, cli, proposed):
    first, second = uow(), uow()
    with first, second:
        rec_first = first.repo.recommendation(proposed)
        rec_second = second.repo.recommendation(proposed)
        assert rec_first.version == rec_second.version == 1
        assert first.session.connection() is not second.session.connection()

        apply_action(first, actor_of(first, "bl31"), rec_first, "approve", note="erste",
                     on=date(2024, 2, 1))
        first.commit()
        after_first = snapshot(engine)

        with pytest.raises(StaleEdit, match="in der Zwischenzeit"):
            apply_action(second, actor_of(second, "planer"), rec_second, "reject",
                         note="zweite", on=date(2024, 2, 2))
            second.commit()
    assert snapshot(engine) == after_first
    state = shown(cli, proposed)
    assert state["status"] == "approved" and state["version"] == 2
    assert [(h["to_status"], h["note"]) for h in state["history"]] == [
        ("proposed", "angelegt"), ("approved", "erste")]


def test_a_progress_update_and_a_concurrent_status_change_do_not_overwrite_each_other(
        uow, engine, cli, proposed):
    assert cli("recommendation", "approve", proposed, "--on", "2024-02-01",
               user="bl31").exit_code == 0
    first, second = uow(), uow()
    with first, second:
        rec_first = first.repo.recommendation(proposed)
        rec_second = second.repo.recommendation(proposed)
        apply_progress(first, actor_of(first, "bl31"), rec_first, quarter="2024-Q2",
                       light="green", note="läuft", on=date(2024, 4, 5))
        first.commit()
        counts = row_counts(engine)
        with pytest.raises(StaleEdit):
            apply_action(second, actor_of(second, "planer"), rec_second, "implement",
                         note="fertig", on=date(2024, 4, 6))
            second.commit()
    assert row_counts(engine) == counts
    state = shown(cli, proposed)
    assert state["status"] == "approved" and len(state["progress"]) == 1


def test_a_second_writer_waiting_on_the_first_ones_lock_gets_the_stale_edit(
        uow, engine, cli, proposed, db_url):
    """PostgreSQL: the second UPDATE blocks on the row lock until the first commits, then
    finds the version changed. (SQLite locks the whole file instead: nothing to race.)"""
    if not db_url.startswith("postgresql"):
        pytest.skip("Zeilensperren gibt es nur auf PostgreSQL")
    first, second = uow(), uow()
    outcome = {}
    with first, second:
        rec_first = first.repo.recommendation(proposed)
        rec_second = second.repo.recommendation(proposed)
        apply_action(first, actor_of(first, "bl31"), rec_first, "approve", note="erste",
                     on=date(2024, 2, 1))  # flushed: the row is locked, not yet committed
        planner = actor_of(second, "planer")

        def write_second():
            try:
                apply_action(second, planner, rec_second, "reject", note="zweite",
                             on=date(2024, 2, 2))
                second.commit()
                outcome["result"] = "committed"
            except StaleEdit as error:
                outcome["result"] = str(error)

        thread = threading.Thread(target=write_second)
        thread.start()
        thread.join(timeout=1.0)
        assert thread.is_alive(), "the second writer should wait for the first one's lock"
        first.commit()
        thread.join(timeout=10)
    assert "in der Zwischenzeit" in outcome["result"]
    state = shown(cli, proposed)
    assert [h["note"] for h in state["history"]] == ["angelegt", "erste"]


def test_the_command_line_refuses_a_change_when_the_expected_version_is_outdated(
        cli, engine, proposed):
    version = shown(cli, proposed)["version"]
    assert cli("recommendation", "approve", proposed, "--expect-version", version,
               user="bl31").exit_code == 0
    before = snapshot(engine)
    for args, user in (
        (("recommendation", "implement", proposed, "--note", "fertig"), "planer"),
        (("progress", proposed, "--quarter", "2024-Q1", "--light", "green", "--note", "x"),
         "planer"),
    ):
        result = cli(*args, "--expect-version", version, user=user)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Fehler: Empfehlung {proposed} wurde in der "
                                        "Zwischenzeit von jemand anderem geändert")
    assert snapshot(engine) == before
