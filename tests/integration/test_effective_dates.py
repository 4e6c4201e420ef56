"""Effective dates: never in the future, never before the recommendation's previous change."""

import itertools
import json
from datetime import date

import pytest

from tests.conftest import row_counts

NUMBERS = itertools.count(1)


@pytest.fixture
def cli(module_cli):
    return module_cli


@pytest.fixture
def number(cli) -> int:
    """A new extension of 3-1, proposed on 2024-02-01 and approved on 2024-03-01."""
    number = next(NUMBERS)
    for args, user in (
        (("recommendation", "add", "--number", number, "--title", "Projekt verlängern",
          "--kind", "extension", "--district", "Osterfeld", "--department", "3-1",
          "--on", "2024-02-01"), "planer"),
        (("recommendation", "approve", number, "--on", "2024-03-01"), "bl31"),
    ):
        result = cli(*args, user=user)
        assert result.exit_code == 0, result.stderr
    return number


def refused_without_change(cli, engine, *args, user="planer") -> str:
    before = row_counts(engine)
    result = cli(*args, user=user)
    assert result.exit_code == 1, result.output
    assert row_counts(engine) == before
    message = result.stderr.strip()
    assert message.startswith("Fehler: ") and "\n" not in message
    return message


def implement(number, on):
    return ("recommendation", "implement", number, "--note", "fertig", "--on", on)


def progress(number, quarter, on):
    return ("progress", number, "--quarter", quarter, "--light", "green", "--note", "läuft",
            "--on", on)


def test_a_status_change_dated_before_the_previous_one_is_refused(cli, module_engine, number):
    message = refused_without_change(cli, module_engine, *implement(number, "2024-02-29"))
    assert (f"29.02.2024 liegt vor der letzten Änderung von Empfehlung {number} am 01.03.2024"
            in message)


def test_a_change_on_the_same_day_as_the_previous_one_is_allowed(cli, number):
    result = cli(*implement(number, "2024-03-01"), user="planer")
    assert result.exit_code == 0, result.stderr


def test_a_progress_update_dated_before_the_previous_change_is_refused(
        cli, module_engine, number):
    message = refused_without_change(cli, module_engine, *progress(number, "2024-Q1",
                                                                   "2024-02-15"))
    assert "liegt vor der letzten Änderung" in message


def test_a_status_change_dated_before_the_last_progress_update_is_refused(
        cli, module_engine, number):
    assert cli(*progress(number, "2024-Q2", "2024-06-20"), user="bl31").exit_code == 0
    message = refused_without_change(cli, module_engine, *implement(number, "2024-06-19"))
    assert "am 20.06.2024" in message


def test_a_progress_update_before_its_quarter_begins_is_refused(cli, module_engine, number):
    message = refused_without_change(cli, module_engine, *progress(number, "2024-Q3",
                                                                   "2024-06-30"))
    assert "vor Quartalsbeginn (01.07.2024)" in message


@pytest.mark.parametrize("change", ["add", "implement", "progress"])
def test_a_date_in_the_future_is_refused(cli, module_engine, number, change, today_is):
    tomorrow = today_is(date(2024, 7, 5)).isoformat()
    args = {
        "add": ("recommendation", "add", "--number", 9999, "--title", "t", "--district",
                "Osterfeld", "--department", "3-1", "--on", tomorrow),
        "implement": implement(number, tomorrow),
        "progress": progress(number, "2024-Q1", tomorrow),
    }[change]
    assert "liegt in der Zukunft" in refused_without_change(cli, module_engine, *args)


@pytest.mark.parametrize("bad", ["heute", "2024/03/01", "03-01-2024"])
def test_a_badly_written_date_is_refused_with_the_expected_format(
        cli, module_engine, number, bad):
    message = refused_without_change(cli, module_engine, *implement(number, bad))
    assert f"Ungültiges Datum '{bad}': erwartet JJJJ-MM-TT" in message


def test_a_day_that_does_not_exist_is_named_as_such(cli, module_engine, number):
    message = refused_without_change(cli, module_engine, *implement(number, "2024-02-30"))
    assert "Ungültiges Datum '2024-02-30': den 30.02.2024 gibt es nicht." in message


def test_german_dates_are_understood_and_stored_as_given(cli, number):
    result = cli(*implement(number, "15.04.2024"), user="bl31")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(cli("recommendation", "show", number, "--format", "json").stdout)
    assert [h["effective_on"] for h in shown["history"]] == [
        "2024-02-01", "2024-03-01", "2024-04-15"]
