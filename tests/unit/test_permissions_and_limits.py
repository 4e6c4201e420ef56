"""Permissions outside the workflow, and the limits that keep values within the columns."""

import pytest

from controlling.data import models
from controlling.domain import limits
from controlling.domain.actors import Actor, require
from controlling.domain.errors import InvalidInput, PermissionDenied
from controlling.domain.vocabulary import Light, Role, parse_choice


@pytest.mark.parametrize(("actor", "allowed"), [
    (Actor("planer", Role.PLANNER), True),
    (Actor("admin", Role.ADMIN), True),
    (Actor("bl31", Role.DEPARTMENT_HEAD, "3-1"), True),
    (Actor("bl32", Role.DEPARTMENT_HEAD, "3-2"), False),
    (Actor("ausschuss", Role.COMMITTEE), False),
])
def test_progress_may_be_recorded_by_planners_admins_and_the_own_department_head(actor, allowed):
    if allowed:
        require(actor, "progress", "3-1")
    else:
        with pytest.raises(PermissionDenied, match="Keine Berechtigung.*Sachstände erfassen"):
            require(actor, "progress", "3-1")


def test_only_admins_manage_users():
    require(Actor("admin", Role.ADMIN), "user.manage")
    with pytest.raises(PermissionDenied, match="erlaubt für Administration"):
        require(Actor("planer", Role.PLANNER), "user.manage")


def test_choices_accept_the_machine_value_and_the_german_label():
    assert parse_choice(Light, "yellow", "Ampel") == Light.YELLOW
    assert parse_choice(Light, "Gelb", "Ampel") == Light.YELLOW
    with pytest.raises(InvalidInput, match="Ungültige Angabe für Ampel: 'blau'"):
        parse_choice(Light, "blau", "Ampel")


@pytest.mark.parametrize(("limit", "column"), [
    (limits.LOGIN, models.User.login),
    (limits.PERSON_NAME, models.User.name),
    (limits.DISTRICT_NAME, models.District.name),
    (limits.DEPARTMENT_CODE, models.Department.code),
    (limits.DEPARTMENT_NAME, models.Department.name),
    (limits.INDICATOR_CODE, models.Indicator.code),
    (limits.INDICATOR_LABEL, models.Indicator.label),
])
def test_the_checked_lengths_are_the_column_sizes(limit, column):
    assert column.property.columns[0].type.length == limit


def test_too_long_texts_and_too_large_numbers_are_refused_in_german():
    with pytest.raises(InvalidInput, match="zu lang \\(121 Zeichen, höchstens 120\\)"):
        limits.check_length("x" * 121, 120, "Der Login")
    with pytest.raises(InvalidInput, match="zu groß"):
        limits.check_number(2**31)
    with pytest.raises(InvalidInput, match="muss positiv sein"):
        limits.check_number(0)
