"""The seed's decision tree for a suggestion, the one-outcome rule and who may do what."""

from datetime import date

import pytest

from controlling.domain.actors import Actor
from controlling.domain.errors import InvalidInput, PermissionDenied, TransitionRefused
from controlling.domain.triage import (
    BRANCHES,
    DECISION_TREE,
    MeasureFacts,
    Outcome,
    check_linked_kind,
    check_measure_edit,
    plan_triage,
    require,
)
from controlling.domain.vocabulary import Kind, Role

PERMANENT = MeasureFacts(4, "Familienbüro", None, True)
TIME_LIMITED = MeasureFacts(5, "Lotsenprojekt", date(2025, 6, 30), True)
ELSEWHERE = MeasureFacts(6, "Treff in Osterfeld", None, False)


def test_the_tree_has_exactly_one_branch_per_outcome():
    assert [b.outcome for b in DECISION_TREE] == list(Outcome)
    assert set(BRANCHES) == set(Outcome)


def test_an_existing_permanent_offer_links_the_measure_and_creates_no_recommendation():
    plan = plan_triage(1, Outcome.EXISTS, current=None, measure=PERMANENT)
    assert (plan.measure_id, plan.recommendation_kind, plan.reason) == (4, None, None)


def test_an_existing_offer_needs_a_measure_profile():
    with pytest.raises(InvalidInput, match="braucht einen Maßnahmensteckbrief"):
        plan_triage(1, Outcome.EXISTS, current=None, measure=None)


def test_a_time_limited_offer_is_not_accepted_as_plainly_existing():
    with pytest.raises(TransitionRefused, match="befristet bis 30.06.2025.*'befristet vorhanden'"):
        plan_triage(1, Outcome.EXISTS, current=None, measure=TIME_LIMITED)


def test_a_time_limited_offer_links_the_measure_and_an_extension_by_default():
    plan = plan_triage(1, Outcome.TIME_LIMITED, current=None, measure=TIME_LIMITED)
    assert (plan.measure_id, plan.recommendation_kind) == (5, Kind.EXTENSION)


def test_a_time_limited_offer_may_lead_to_permanence_but_never_to_a_new_offer():
    plan = plan_triage(1, Outcome.TIME_LIMITED, current=None, measure=TIME_LIMITED,
                       kind=Kind.PERMANENCE)
    assert plan.recommendation_kind == Kind.PERMANENCE
    with pytest.raises(InvalidInput, match="nicht neu"):
        plan_triage(1, Outcome.TIME_LIMITED, current=None, measure=TIME_LIMITED, kind=Kind.NEW)


def test_time_limited_needs_a_measure_with_an_end_date():
    with pytest.raises(TransitionRefused, match="unbefristet"):
        plan_triage(1, Outcome.TIME_LIMITED, current=None, measure=PERMANENT)


def test_a_measure_of_another_district_does_not_answer_the_suggestion():
    with pytest.raises(TransitionRefused, match="weder im Sozialraum des Hinweises noch stadtweit"):
        plan_triage(1, Outcome.EXISTS, current=None, measure=ELSEWHERE)


def test_a_missing_offer_creates_a_new_recommendation_without_a_measure():
    plan = plan_triage(1, Outcome.MISSING, current=None, measure=None)
    assert (plan.measure_id, plan.recommendation_kind) == (None, Kind.NEW)
    with pytest.raises(InvalidInput, match="verknüpft keine Maßnahme"):
        plan_triage(1, Outcome.MISSING, current=None, measure=PERMANENT)
    with pytest.raises(InvalidInput, match="Art neu, nicht Verlängerung"):
        plan_triage(1, Outcome.MISSING, current=None, measure=None, kind=Kind.EXTENSION)


def test_not_pursued_needs_a_reason_and_leaves_nothing_behind():
    with pytest.raises(InvalidInput, match="Begründung"):
        plan_triage(1, Outcome.NOT_PURSUED, current=None, measure=None, reason="  ")
    plan = plan_triage(1, Outcome.NOT_PURSUED, current=None, measure=None,
                       reason=" Zuständigkeit des Landes ")
    assert (plan.measure_id, plan.recommendation_kind, plan.reason) == (
        None, None, "Zuständigkeit des Landes")


@pytest.mark.parametrize("current", list(Outcome))
def test_a_decided_suggestion_is_never_decided_again(current):
    with pytest.raises(TransitionRefused, match="genau ein Ergebnis"):
        plan_triage(7, Outcome.NOT_PURSUED, current=current, measure=None, reason="x")


def test_a_linked_recommendation_must_fit_the_branch():
    check_linked_kind(Outcome.TIME_LIMITED, 3, Kind.PERMANENCE)
    check_linked_kind(Outcome.MISSING, 3, Kind.NEW)
    with pytest.raises(TransitionRefused, match="Empfehlung 3 hat die Art neu"):
        check_linked_kind(Outcome.TIME_LIMITED, 3, Kind.NEW)
    with pytest.raises(InvalidInput, match="verknüpft keine Empfehlung"):
        check_linked_kind(Outcome.EXISTS, 3, Kind.NEW)


PLANNER = Actor("planer", Role.PLANNER)
ADMIN = Actor("admin", Role.ADMIN)
HEAD_31 = Actor("bl31", Role.DEPARTMENT_HEAD, "3-1")
COMMITTEE = Actor("ausschuss", Role.COMMITTEE)


@pytest.mark.parametrize("permission", ["event.record", "suggestion.record", "triage",
                                        "measure.import"])
def test_planners_and_admins_record_events_suggestions_and_triage_nobody_else(permission):
    require(PLANNER, permission)
    require(ADMIN, permission)
    for actor in (HEAD_31, COMMITTEE):
        with pytest.raises(PermissionDenied, match="Keine Berechtigung"):
            require(actor, permission)


def test_department_heads_edit_only_their_own_departments_profiles():
    check_measure_edit(HEAD_31, "3-1", "3-1")
    check_measure_edit(PLANNER, "3-1", "3-2")
    with pytest.raises(PermissionDenied, match="Bereichsleitung von 3-2"):
        check_measure_edit(HEAD_31, "3-2", "3-2")
    with pytest.raises(PermissionDenied, match="Bereichsleitung von 3-2"):
        check_measure_edit(HEAD_31, "3-1", "3-2")  # nor hand one over to another department


def test_committee_members_edit_no_profile():
    with pytest.raises(PermissionDenied, match="ausschuss \\(committee\\)"):
        check_measure_edit(COMMITTEE, "3-1", "3-1")
