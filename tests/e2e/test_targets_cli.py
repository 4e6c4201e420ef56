"""Target dates (Zieltermin) and milestones of a recommendation as typed: every
change kept with who and why, overdue ones listed, milestones of the next quarter."""

import json
from datetime import date

import pytest
from sqlalchemy import text

from tests.conftest import snapshot


@pytest.fixture
def approved(cli, people, today_is):
    today_is(date(2024, 4, 2))
    assert cli("recommendation", "add", "--number", 7, "--title", "Familienzentrum",
               "--district", "Osterfeld", "--department", "3-1", "--kind", "extension",
               "--on", "2024-01-10", user="planer").exit_code == 0
    assert cli("recommendation", "approve", 7, "--on", "2024-02-01", user="bl31").exit_code == 0
    return cli


def test_a_target_date_is_set_moved_with_a_reason_and_kept_in_its_history(approved):
    first = approved("recommendation", "target", 7, "--on", "2024-06-30", user="bl31")
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "Empfehlung 7: Zieltermin 30.06.2024."
    unexplained = approved("recommendation", "target", 7, "--on", "2024-09-30", user="planer")
    assert unexplained.exit_code == 1
    assert "hat den Zieltermin 30.06.2024: eine Änderung braucht --reason" in (
        unexplained.output)
    moved = approved("recommendation", "target", 7, "--on", "2024-09-30", "--reason",
                     "Träger später", user="planer")
    assert moved.exit_code == 0, moved.output
    data = json.loads(approved("recommendation", "dates", 7, "--format", "json").output)
    assert data["target_on"] == "2024-09-30"
    assert [(c["target_on"], c["reason"], c["actor"]) for c in data["target_history"]] == [
        ("2024-06-30", None, "bl31"), ("2024-09-30", "Träger später", "planer")]


def test_another_departments_head_may_not_set_the_target_date(approved, engine):
    before = snapshot(engine)
    result = approved("recommendation", "target", 7, "--on", "2024-06-30", user="bl32")
    assert result.exit_code == 1 and "Keine Berechtigung" in result.output
    assert snapshot(engine) == before


def test_target_changes_cannot_be_rewritten_in_the_database(approved, engine):
    approved("recommendation", "target", 7, "--on", "2024-06-30", user="planer")
    with pytest.raises(Exception, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text("UPDATE target_changes SET target_on = NULL"))
    with pytest.raises(Exception, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM target_changes"))


def test_overdue_targets_and_milestones_and_those_of_the_next_quarter_are_listed(
        approved, today_is):
    approved("recommendation", "target", 7, "--on", "2024-05-31", user="planer")
    late = json.loads(approved("recommendation", "milestone", 7, "--title", "Räume gefunden",
                               "--due", "2024-05-15", "--format", "json", user="bl31").output)
    approved("recommendation", "milestone", 7, "--title", "Eröffnung", "--due", "2024-08-01",
             user="bl31")
    approved("recommendation", "milestone", 7, "--title", "Später", "--due", "2024-12-01",
             user="bl31")
    today_is(date(2024, 6, 3))
    data = json.loads(approved("recommendation", "due", "--format", "json").output)
    assert [r["number"] for r in data["overdue_targets"]] == [7]
    assert [m["title"] for m in data["overdue_milestones"]] == ["Räume gefunden"]
    assert data["next_quarter"] == "2024-Q3"
    assert [m["title"] for m in data["milestones_next_quarter"]] == ["Eröffnung"]
    done = approved("recommendation", "milestone-done", late["id"], "--on", "2024-06-01",
                    user="bl31")
    assert done.exit_code == 0, done.output
    again = approved("recommendation", "milestone-done", late["id"], user="bl31")
    assert again.exit_code == 1 and "schon am 01.06.2024 erreicht" in again.output
    table = approved("recommendation", "due")
    assert "Kein Meilenstein überfällig." in table.output and "Familienzentrum" in table.output
