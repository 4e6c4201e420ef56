"""Awareness rules: the share of green dots, the order 'least known first', the questions."""

import pytest

from controlling.domain.awareness import (
    QUESTION_LABELS,
    Question,
    check_card_text,
    check_count,
    count_problem,
    least_known_first,
    parse_question,
    share_known,
)
from controlling.domain.errors import InvalidInput


def test_the_share_is_green_dots_over_all_dots():
    assert share_known(3, 9) == 0.25
    assert share_known(0, 4) == 0.0
    assert share_known(5, 0) == 1.0


def test_without_any_dot_there_is_no_share():
    assert share_known(0, 0) is None


def entry(measure_id, yes, no, title="Angebot"):
    return {"measure_id": measure_id, "measure": title, "known_yes": yes, "known_no": no,
            "share_known": share_known(yes, no)}


def test_the_least_known_come_first_and_those_without_dots_last():
    items = [entry(1, 9, 1), entry(2, 0, 0), entry(3, 1, 9), entry(4, 5, 5)]
    assert [e["measure_id"] for e in sorted(items, key=least_known_first)] == [3, 4, 1, 2]


def test_at_the_same_share_more_dots_come_first_then_the_title():
    items = [entry(1, 1, 1, "B"), entry(2, 10, 10, "C"), entry(3, 1, 1, "A")]
    assert [e["measure_id"] for e in sorted(items, key=least_known_first)] == [2, 3, 1]


@pytest.mark.parametrize(("text", "expected"), [
    ("publicity", Question.PUBLICITY), ("SOURCE", Question.SOURCE),
    ("Wie kann das Angebot bekannter gemacht werden?", Question.PUBLICITY),
    ("Woher kennen Sie uns?", Question.SOURCE), ("bekannter", Question.PUBLICITY),
    ("woher", Question.SOURCE),
])
def test_a_question_is_given_by_its_machine_value_or_in_german(text, expected):
    assert parse_question(text) == expected


def test_the_two_questions_have_the_wording_of_the_world_cafe():
    assert QUESTION_LABELS[Question.PUBLICITY] == "Wie kann das Angebot bekannter gemacht werden?"
    assert QUESTION_LABELS[Question.SOURCE] == "Woher kennen Sie uns?"


def test_an_unknown_question_is_refused_naming_the_choices():
    with pytest.raises(InvalidInput, match="erlaubt: publicity, source"):
        parse_question("warum")


@pytest.mark.parametrize(("value", "phrase"), [
    (-1, "darf nicht negativ sein"), (2**31, "zu groß"), ("3", "keine ganze Zahl"),
    (True, "keine ganze Zahl"),
])
def test_a_count_must_be_a_whole_number_from_zero(value, phrase):
    assert phrase in count_problem(value, "Grüne Punkte")
    with pytest.raises(InvalidInput):
        check_count(value, "Grüne Punkte")


def test_zero_dots_are_a_valid_count():
    assert check_count(0, "Rote Punkte") == 0


def test_a_card_needs_a_text_of_sensible_length():
    assert check_card_text("  Flyer  ") == "Flyer"
    with pytest.raises(InvalidInput, match="leer"):
        check_card_text("   ")
    with pytest.raises(InvalidInput, match="zu lang"):
        check_card_text("x" * 2001)
