"""Effective dates: never in the future, never before the recommendation's previous change."""

import json
from datetime import date, timedelta

import pytest

from tests.conftest import row_counts

TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.fixture
def approved(cli, people):
    """Recommendation 5 (an extension of 3-1), approved on 2024-03-01."""
    for args, user in (
        (("recommendation", "add", "--number", 5, "--title", "Projekt verlängern", "--kind",
          "extension", "--district", "Osterfeld", "--department", "3-1", "--on", "2024-02-01"),
         "planer"),
        (("recommendation", "approve", 5, "--on", "2024-03-01"), "bl31"),
    ):
        result = cli(*args, user=user)
        assert result.exit_code == 0, result.stderr
    return cli


def refused_without_change(cli, engine, *args, user="planer") -> str:
    before = row_counts(engine)
    result = cli(*args, user=user)
    assert result.exit_code == 1, result.output
    assert row_counts(engine) == before
    message = result.stderr.strip()
    assert message.startswith("Fehler: ") and "\n" not in message
    return message


def test_a_status_change_dated_before_the_previous_one_is_refused(approved, engine):
    message = refused_without_change(approved, engine, "recommendation", "implement", 5,
                                     "--note", "fertig", "--on", "2024-02-29")
    assert "29.02.2024 liegt vor der letzten Änderung von Empfehlung 5 am 01.03.2024" in message


def test_a_change_on_the_same_day_as_the_previous_one_is_allowed(approved):
    result = approved("recommendation", "implement", 5, "--note", "fertig",
                      "--on", "2024-03-01", user="planer")
    assert result.exit_code == 0, result.stderr


def test_a_progress_update_dated_before_the_previous_change_is_refused(approved, engine):
    message = refused_without_change(approved, engine, "progress", 5, "--quarter", "2024-Q1",
                                     "--light", "green", "--note", "läuft",
                                     "--on", "2024-02-15")
    assert "liegt vor der letzten Änderung" in message


def test_a_status_change_dated_before_the_last_progress_update_is_refused(approved, engine):
    assert approved("progress", 5, "--quarter", "2024-Q2", "--light", "green", "--note",
                    "läuft", "--on", "2024-06-20", user="bl31").exit_code == 0
    message = refused_without_change(approved, engine, "recommendation", "implement", 5,
                                     "--note", "fertig", "--on", "2024-06-19")
    assert "am 20.06.2024" in message


def test_a_progress_update_before_its_quarter_begins_is_refused(approved, engine):
    message = refused_without_change(approved, engine, "progress", 5, "--quarter", "2024-Q3",
                                     "--light", "green", "--note", "läuft",
                                     "--on", "2024-06-30")
    assert "vor Quartalsbeginn (01.07.2024)" in message


@pytest.mark.parametrize("args", [
    ("recommendation", "add", "--number", 6, "--title", "t", "--district", "Osterfeld",
     "--department", "3-1", "--on", TOMORROW),
    ("recommendation", "implement", 5, "--note", "fertig", "--on", TOMORROW),
    ("progress", 5, "--quarter", "2024-Q1", "--light", "red", "--note", "x", "--on", TOMORROW),
])
def test_a_date_in_the_future_is_refused(approved, engine, args):
    assert "liegt in der Zukunft" in refused_without_change(approved, engine, *args)


@pytest.mark.parametrize("bad", ["2024-02-30", "heute", "2024/03/01", "03-01-2024"])
def test_a_badly_written_date_is_refused_with_the_expected_format(approved, engine, bad):
    message = refused_without_change(approved, engine, "recommendation", "implement", 5,
                                     "--note", "fertig", "--on", bad)
    assert f"Ungültiges Datum '{bad}': erwartet JJJJ-MM-TT" in message


def test_german_dates_are_understood_and_stored_as_given(approved):
    result = approved("recommendation", "implement", 5, "--note", "fertig",
                      "--on", "15.04.2024", user="bl31")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(approved("recommendation", "show", 5, "--format", "json").stdout)
    assert [h["effective_on"] for h in shown["history"]] == [
        "2024-02-01", "2024-03-01", "2024-04-15"]
