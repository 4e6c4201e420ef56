"""Quarters and effective dates."""

from datetime import date

import pytest

from controlling.domain.dates import (
    Quarter,
    check_effective_date,
    check_progress_date,
    parse_date,
)
from controlling.domain.errors import InvalidInput, TransitionRefused


@pytest.mark.parametrize(("text", "year", "number"), [
    ("2024-Q1", 2024, 1), ("2024-q4", 2024, 4), (" 2023-Q2 ", 2023, 2),
])
def test_a_quarter_is_parsed_from_its_written_form(text, year, number):
    assert Quarter.parse(text) == Quarter(year, number)


@pytest.mark.parametrize("text", ["2024-Q5", "2024-Q0", "2024Q1", "Q1-2024", "2024-1",
                                  "", "abcd-Q1", "2024-Q1-Q2", "0800-Q1"])
def test_a_malformed_quarter_is_refused_in_german(text):
    with pytest.raises(InvalidInput, match="Ungültiges Quartal.*JJJJ-QN"):
        Quarter.parse(text)


@pytest.mark.parametrize(("quarter", "start", "end"), [
    (Quarter(2024, 1), date(2024, 1, 1), date(2024, 3, 31)),
    (Quarter(2024, 2), date(2024, 4, 1), date(2024, 6, 30)),
    (Quarter(2024, 3), date(2024, 7, 1), date(2024, 9, 30)),
    (Quarter(2024, 4), date(2024, 10, 1), date(2024, 12, 31)),
])
def test_a_quarter_starts_and_ends_on_its_first_and_last_day(quarter, start, end):
    assert (quarter.start, quarter.end) == (start, end)


def test_quarters_know_their_neighbours_their_day_and_their_names():
    assert Quarter(2024, 1).previous() == Quarter(2023, 4)
    assert Quarter(2024, 4).next() == Quarter(2025, 1)
    assert Quarter.of(date(2024, 8, 15)) == Quarter(2024, 3)
    assert str(Quarter(2024, 2)) == "2024-Q2"
    assert Quarter(2024, 2).label == "2. Quartal 2024"
    assert Quarter(2023, 4) < Quarter(2024, 1)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-31", date(2024, 3, 31)), ("31.03.2024", date(2024, 3, 31)),
    ("1.2.2024", date(2024, 2, 1)), ("", None), (None, None),
])
def test_dates_are_read_in_iso_and_german_form(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["morgen", "2024/03/31", "1.2"])
def test_a_bad_date_is_refused_with_the_expected_format(text):
    with pytest.raises(InvalidInput, match="erwartet JJJJ-MM-TT"):
        parse_date(text)


@pytest.mark.parametrize("text, shown", [("31.02.2024", "den 31.02.2024"),
                                         ("2023-02-29", "den 29.02.2023"),
                                         ("2024-13-01", "einen Monat 13"),
                                         ("1.0.2024", "einen Monat 0")])
def test_a_well_written_day_that_does_not_exist_is_named_as_such(text, shown):
    with pytest.raises(InvalidInput, match=f"{shown} gibt es nicht"):
        parse_date(text)


def test_an_effective_date_in_the_future_is_refused():
    with pytest.raises(InvalidInput, match="Zukunft"):
        check_effective_date(date(2024, 5, 2), None, date(2024, 5, 1), 7)


def test_an_effective_date_before_the_previous_change_is_refused_naming_both():
    with pytest.raises(TransitionRefused, match="09.01.2024 liegt vor.*10.01.2024"):
        check_effective_date(date(2024, 1, 9), date(2024, 1, 10), date(2024, 5, 1), 7)


def test_the_same_day_as_the_previous_change_is_allowed():
    check_effective_date(date(2024, 1, 10), date(2024, 1, 10), date(2024, 5, 1), 7)


def test_a_progress_update_cannot_be_effective_before_its_quarter_begins():
    with pytest.raises(InvalidInput, match="vor Quartalsbeginn"):
        check_progress_date(Quarter(2024, 2), date(2024, 3, 31))
    check_progress_date(Quarter(2024, 2), date(2024, 4, 1))
