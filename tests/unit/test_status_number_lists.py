"""`status` on a terminal names at most 30 numbers per list; the JSON keeps them all."""

from controlling.commands.report import SHOWN_NUMBERS, _some_numbers


def test_a_short_list_is_printed_whole():
    assert _some_numbers([2, 5, 7]) == "2, 5, 7"
    assert _some_numbers(list(range(1, SHOWN_NUMBERS + 1))).endswith(f", {SHOWN_NUMBERS}")


def test_a_long_list_names_the_first_numbers_and_counts_the_rest_in_german():
    text = _some_numbers(list(range(1, 25_001)))
    assert text.startswith("1, 2, 3, ")
    assert f", {SHOWN_NUMBERS} … und 24.970 weitere" in text
    assert str(SHOWN_NUMBERS + 1) + "," not in text
    assert "controlling status --format json" in text
