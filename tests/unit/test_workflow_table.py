"""The one transition table: its definition check, the actions it allows, its refusals."""

import pytest

from controlling.domain.actors import Actor
from controlling.domain.errors import PermissionDenied, TransitionRefused
from controlling.domain.vocabulary import Kind, Role, Status
from controlling.domain.workflow import (
    PLANNING,
    TRANSITIONS,
    Transition,
    _check_definition,
    allowed_actions,
    check_transition,
)

PLANNER = Actor("planer", Role.PLANNER)
ADMIN = Actor("admin", Role.ADMIN)
HEAD = Actor("bl31", Role.DEPARTMENT_HEAD, "3-1")
OTHER_HEAD = Actor("bl32", Role.DEPARTMENT_HEAD, "3-2")
COMMITTEE = Actor("ausschuss", Role.COMMITTEE)


def test_the_real_table_passes_its_definition_check():
    _check_definition(TRANSITIONS)


def test_a_transition_out_of_a_final_status_is_rejected():
    broken = (*TRANSITIONS,
              Transition("reject", Status.IMPLEMENTED, Status.REJECTED, PLANNING))
    with pytest.raises(AssertionError, match="final status"):
        _check_definition(broken)


def test_an_unreachable_status_is_rejected():
    broken = tuple(t for t in TRANSITIONS if t.target != Status.IMPLEMENTED)
    with pytest.raises(AssertionError, match="unreachable"):
        _check_definition(broken)


def test_a_non_final_status_without_a_way_out_is_rejected():
    # approved is reachable but nothing leads out of it any more
    broken = (*(t for t in TRANSITIONS if t.source != Status.APPROVED),
              Transition("implement", Status.STATISTICALLY_SUPPORTED, Status.IMPLEMENTED,
                         PLANNING))
    with pytest.raises(AssertionError, match="no way out"):
        _check_definition(broken)


def test_an_action_without_a_german_label_is_rejected():
    broken = (*TRANSITIONS,
              Transition("archive", Status.PROPOSED, Status.REJECTED, PLANNING))
    with pytest.raises(AssertionError, match="no label"):
        _check_definition(broken)


@pytest.mark.parametrize(("status", "kind", "actor", "expected"), [
    (Status.PROPOSED, Kind.NEW, PLANNER, ["support", "reject", "supersede"]),
    (Status.PROPOSED, Kind.NEW, ADMIN, ["support", "reject", "supersede"]),
    (Status.PROPOSED, Kind.NEW, HEAD, ["reject"]),
    (Status.PROPOSED, Kind.EXTENSION, HEAD, ["approve", "reject"]),
    (Status.PROPOSED, Kind.PERMANENCE, HEAD, ["approve", "reject"]),
    (Status.PROPOSED, Kind.EXTENSION, OTHER_HEAD, []),
    (Status.PROPOSED, Kind.NEW, COMMITTEE, []),
    (Status.STATISTICALLY_SUPPORTED, Kind.NEW, HEAD, ["approve", "reject"]),
    (Status.STATISTICALLY_SUPPORTED, Kind.NEW, PLANNER, ["reject", "supersede"]),
    (Status.STATISTICALLY_SUPPORTED, Kind.NEW, ADMIN, ["reject", "supersede"]),
    (Status.APPROVED, Kind.NEW, PLANNER, ["implement", "supersede"]),
    (Status.APPROVED, Kind.NEW, HEAD, ["implement"]),
    (Status.APPROVED, Kind.NEW, OTHER_HEAD, []),
    (Status.IMPLEMENTED, Kind.NEW, ADMIN, []),
    (Status.SUPERSEDED, Kind.NEW, ADMIN, []),
    (Status.REJECTED, Kind.EXTENSION, HEAD, []),
])
def test_allowed_actions_follow_status_kind_and_role(status, kind, actor, expected):
    # "supersede": planners and admins hand a recommendation on to a newer one
    assert allowed_actions(status, kind, actor, "3-1") == expected


def test_a_refused_transition_names_the_rule_and_what_is_possible_instead():
    with pytest.raises(TransitionRefused) as refused:
        check_transition("approve", 7, Status.PROPOSED, Kind.NEW, "3-1", HEAD)
    message = str(refused.value)
    assert "Empfehlung 7 ist 'vorgeschlagen'" in message
    assert "nur Art" in message and "Verlängerung" in message
    assert "möglich ist: statistisch stützen" in message


def test_a_final_status_says_that_nothing_is_possible_any_more():
    with pytest.raises(TransitionRefused, match="Endstatus"):
        check_transition("reject", 3, Status.IMPLEMENTED, Kind.NEW, "3-1", ADMIN)


def test_a_missing_permission_names_who_is_allowed():
    with pytest.raises(PermissionDenied) as refused:
        check_transition("approve", 7, Status.STATISTICALLY_SUPPORTED, Kind.NEW, "3-1",
                         OTHER_HEAD)
    assert "bl32 (Bereichsleitung 3-2)" in str(refused.value)
    assert "die Bereichsleitung von 3-1" in str(refused.value)


def test_the_admin_may_not_approve_in_place_of_the_department_head():
    with pytest.raises(PermissionDenied):
        check_transition("approve", 7, Status.STATISTICALLY_SUPPORTED, Kind.NEW, "3-1", ADMIN)
