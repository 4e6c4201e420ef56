"""Numbers and dates as a German reader expects them."""

from datetime import date, datetime

import pytest

from controlling.domain.evidence import format_pair
from controlling.domain.formatting import format_date, format_datetime, format_number


@pytest.mark.parametrize(("value", "text"), [
    (12.5, "12,5"), (1234.5, "1.234,5"), (1234567, "1.234.567"), (10.0, "10"),
    (0.0125, "0,0125"), (0.123456, "0,1235"), (-3.25, "-3,25"), (0, "0"), (None, ""),
])
def test_numbers_have_a_decimal_comma_and_dots_between_thousands(value, text):
    assert format_number(value) == text


def test_the_number_of_decimals_can_be_limited():
    assert format_number(3.14159, 2) == "3,14"
    assert format_number(3.7, 0) == "4"


def test_dates_are_day_month_year():
    assert format_date(date(2024, 3, 5)) == "05.03.2024"
    assert format_date(None) == ""
    assert format_datetime(datetime(2024, 3, 5, 14, 7)) == "05.03.2024 14:07"


def test_two_close_values_get_enough_decimals_to_differ():
    assert format_pair(0.012341, 0.012346) == ("0,01234", "0,01235")
    assert format_pair(12.5, 10) == ("12,5", "10")
    assert format_pair(7.0, 7.0) == ("7", "7")


@pytest.mark.parametrize("count, expected", [
    (0, "0 Statusänderungen"), (1, "1 Statusänderung"), (2, "2 Statusänderungen"),
    (1000, "1.000 Statusänderungen"),
])
def test_a_count_takes_the_german_singular_only_for_one(count, expected):
    from controlling.domain.formatting import counted

    assert counted(count, "Statusänderung", "Statusänderungen") == expected


def test_the_plural_helper_gives_verbs_too():
    from controlling.domain.formatting import plural

    assert [plural(n, "wurde", "wurden") for n in (0, 1, 2)] == ["wurden", "wurde", "wurden"]
    assert [f"{n} {plural(n, 'Maßnahme', 'Maßnahmen')}" for n in (0, 1, 2)] == [
        "0 Maßnahmen", "1 Maßnahme", "2 Maßnahmen"]


def test_a_column_of_numbers_gets_one_number_of_decimals():
    from controlling.domain.formatting import decimals_needed, format_fixed

    assert decimals_needed([21.0, 20.4, None]) == 1
    assert decimals_needed([10.775, 23.15]) == 3
    assert decimals_needed([21, 17]) == 0
    assert decimals_needed([0.1 + 0.2]) == 1  # binary noise is not a decimal
    column = [format_fixed(v, decimals_needed([21.0, 20.4, 1234.5])) for v in (21.0, 20.4,
                                                                                1234.5)]
    assert column == ["21,0", "20,4", "1.234,5"]
