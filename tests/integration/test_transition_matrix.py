"""Every workflow action from every status, for every kind where it matters, by every role.

The expectations below are written out from CLI.md's status rules, independently of the
transition table in controlling/domain/workflow.py. The states are built once per backend
through the services; every case then runs through the command line on its own
recommendation. A refused case must leave the whole database unchanged.
"""

from datetime import date
from itertools import product

import pytest

from controlling.data.models import Indicator, IndicatorValue
from controlling.data.unit_of_work import UnitOfWork
from controlling.domain.actors import Actor
from controlling.domain.vocabulary import Kind, Role
from controlling.services.recommendations import (
    apply_action,
    new_recommendation,
    show_recommendation,
)
from tests.conftest import ADMIN, snapshot

STATUSES = ("proposed", "statistically_supported", "approved", "implemented", "rejected",
            "superseded")
ACTIONS = ("support", "approve", "implement", "reject", "supersede")
SUCCESSOR = 999  # the new recommendation that supersedes the old ones
KINDS = ("new", "extension", "permanence")
ACTORS = {"planner": "planer", "own head": "bl31", "other head": "bl32",
          "committee": "ausschuss", "admin": ADMIN, "unknown user": "niemand"}
TARGET = {"support": "statistically_supported", "approve": "approved",
          "implement": "implemented", "reject": "rejected", "supersede": "superseded"}
ARGS = {"support": ["--indicator", "quote"], "approve": [], "implement": ["--note", "fertig"],
        "reject": ["--reason", "kein Bedarf"],
        "supersede": ["--by", SUCCESSOR, "--note", "Neufassung"]}
RESPONSIBLE = {"planner", "admin", "own head"}


def possible(action: str, status: str, kind: str) -> bool:
    """Whether the workflow has this step at all (for somebody)."""
    return {
        "support": status == "proposed",
        "approve": status == "statistically_supported"
        or (status == "proposed" and kind != "new"),
        "implement": status == "approved",
        "reject": status in ("proposed", "statistically_supported"),
        "supersede": status in ("proposed", "statistically_supported", "approved"),
    }[action]


def permitted(action: str, who: str) -> bool:
    return who in {"support": {"planner", "admin"}, "approve": {"own head"},
                   "implement": RESPONSIBLE, "reject": RESPONSIBLE,
                   "supersede": {"planner", "admin"}}[action]


def relevant(status: str, kind: str) -> bool:
    """Extension and permanence follow the same rules; the kind matters only from proposed
    (an existing offer may be approved without statistical support), so permanence is
    tried there only."""
    return kind != "permanence" or status == "proposed"


CASES = [
    (action, status, kind, who)
    for action, status, kind, who in product(ACTIONS, STATUSES, KINDS, ACTORS)
    if relevant(status, kind)
]
PROGRESS_CASES = [(status, who) for status, who in product(STATUSES, ACTORS)]


def case_id(case) -> str:
    action, status, kind, who = case
    return f"{action} {status} {kind} by {who}".replace(" ", "-")


# How to bring a new recommendation of each kind into each status, with the actors who do it.
PLANNER = Actor("planer", Role.PLANNER)
HEAD = Actor("bl31", Role.DEPARTMENT_HEAD, "3-1")
PATHS = {
    "proposed": [],
    "statistically_supported": [("support", PLANNER)],
    "approved": [("support", PLANNER), ("approve", HEAD)],
    "implemented": [("support", PLANNER), ("approve", HEAD), ("implement", PLANNER)],
    "rejected": [("reject", PLANNER)],
    "superseded": [("supersede", PLANNER)],
}


def steps_to(status: str, kind: str):
    """A new offer reaches approved only through support; an existing one skips it here."""
    steps = PATHS[status]
    if kind != "new" and status in ("approved", "implemented"):
        steps = [s for s in steps if s[0] != "support"]
    return steps


def progress_allowed(status: str, who: str) -> bool:
    return status == "approved" and who in RESPONSIBLE


ALLOWED = [c for c in CASES if possible(*c[:3]) and permitted(c[0], c[3])]
REFUSED = [c for c in CASES if c not in ALLOWED]


@pytest.fixture(scope="module")
def numbers(module_engine):
    """Build the recommendations; return {case: number}. An allowed case gets one of its own;
    the refused cases share one per status and kind (a refusal changes nothing, and a smaller
    database keeps the before/after snapshots fast)."""
    uow = UnitOfWork(module_engine)
    keys = {}
    for case in CASES:
        action, status, kind, _who = case
        keys[case] = case if case in ALLOWED else ("refused", status, kind)
    for status, who in PROGRESS_CASES:
        case = ("progress", status, "new", who)
        keys[case] = case if progress_allowed(status, who) else ("refused", status, "new")
    wanted = {key: (key[1], key[2]) for key in keys.values()}
    built = {}
    with uow:
        indicator = Indicator(code="quote", label="Quote", higher_is_worse=True)
        uow.session.add(indicator)
        uow.flush()
        for name, value in (("Osterfeld", 12.5), ("stadtweit", 10.0)):
            uow.session.add(IndicatorValue(indicator_id=indicator.id, year=2022, value=value,
                                           district_id=uow.repo.district(name).id))
        planner = uow.repo.user("planer")
        district, department = uow.repo.district("Osterfeld"), uow.repo.department("3-1")
        successor = new_recommendation(
            uow, number=SUCCESSOR, title="Neufassung", district=district, department=department,
            kind=Kind.NEW, topic=None, description=None, effective_on=date(2024, 1, 10),
            user=planner)
        for number, (key, (status, kind)) in enumerate(wanted.items(), start=1000):
            rec = new_recommendation(
                uow, number=number, title=f"Fall {number}", district=district,
                department=department, kind=Kind(kind), topic=None, description=None,
                effective_on=date(2024, 1, 10), user=planner)
            for day, (action, actor) in enumerate(steps_to(status, kind), start=11):
                apply_action(uow, actor, rec, action, note="Schritt", indicator="quote",
                             on=date(2024, 1, day),
                             successor=successor if action == "supersede" else None)
            assert rec.status.value == status
            built[key] = number
        uow.commit()
    return {case: built[key] for case, key in keys.items()}


def state(engine, number: int) -> dict:
    return show_recommendation(UnitOfWork(engine), ADMIN, number)


@pytest.mark.parametrize("case", ALLOWED, ids=case_id)
def test_an_allowed_transition_succeeds_and_is_written_to_the_history(
        case, numbers, module_cli, module_engine):
    action, status, kind, who = case
    number = numbers[case]
    before = state(module_engine, number)
    result = module_cli("recommendation", action, number, *ARGS[action], user=ACTORS[who])
    assert result.exit_code == 0, result.stderr
    after = state(module_engine, number)
    assert after["status"] == TARGET[action]
    assert after["version"] == before["version"] + 1
    assert after["history"][:-1] == before["history"]
    entry = after["history"][-1]
    assert (entry["from_status"], entry["to_status"], entry["actor"]) == (
        status, TARGET[action], ACTORS[who])
    assert (entry["evidence"] is not None) == (action == "support")


@pytest.mark.parametrize("case", REFUSED, ids=case_id)
def test_every_other_transition_is_refused_in_one_german_line_and_changes_nothing(
        case, numbers, module_cli, module_engine):
    action, status, kind, who = case
    number = numbers[case]
    before = snapshot(module_engine)
    result = module_cli("recommendation", action, number, *ARGS[action], user=ACTORS[who])
    assert result.exit_code == 1
    assert result.stdout == ""
    message = result.stderr.strip()
    assert message.startswith("Fehler: ") and "\n" not in message, message
    if who == "unknown user":
        assert "Unbekannter Benutzer 'niemand'" in message
    elif not possible(action, status, kind):
        assert f"Statuswechsel abgelehnt: Empfehlung {number} ist" in message
    else:
        assert message.startswith("Fehler: Keine Berechtigung:"), message
    assert snapshot(module_engine) == before


@pytest.mark.parametrize("case", [c for c in PROGRESS_CASES if progress_allowed(*c)],
                         ids=lambda c: f"{c[0]}-by-{c[1]}".replace(" ", "-"))
def test_progress_is_recorded_by_planner_admin_and_own_head_for_approved(
        case, numbers, module_cli, module_engine):
    status, who = case
    number = numbers[("progress", status, "new", who)]
    before = state(module_engine, number)
    result = module_cli("progress", number, "--quarter", "2024-Q2", "--light", "yellow",
                        "--note", "verzögert", "--on", "2024-04-02", user=ACTORS[who])
    assert result.exit_code == 0, result.stderr
    after = state(module_engine, number)
    assert after["version"] == before["version"] + 1
    assert after["history"] == before["history"] and after["status"] == "approved"
    assert after["progress"][-1] == {**after["progress"][-1], "quarter": "2024-Q2",
                                     "light": "yellow", "actor": ACTORS[who]}


@pytest.mark.parametrize("case", [c for c in PROGRESS_CASES if not progress_allowed(*c)],
                         ids=lambda c: f"{c[0]}-by-{c[1]}".replace(" ", "-"))
def test_progress_by_anyone_else_or_for_another_status_is_refused_and_changes_nothing(
        case, numbers, module_cli, module_engine):
    status, who = case
    number = numbers[("progress", status, "new", who)]
    before = snapshot(module_engine)
    result = module_cli("progress", number, "--quarter", "2024-Q2", "--light", "red",
                        "--note", "x", "--on", "2024-04-02", user=ACTORS[who])
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert message.startswith("Fehler: ") and "\n" not in message, message
    assert snapshot(module_engine) == before


def test_the_next_actions_shown_match_what_the_matrix_allows(numbers, module_engine):
    seen = set()
    for (action, status, kind, who), number in numbers.items():
        if action == "progress" or who == "unknown user" or (number, who) in seen:
            continue
        seen.add((number, who))
        view = show_recommendation(UnitOfWork(module_engine), ACTORS[who], number)
        if view["status"] != status:
            continue  # an allowed case has already moved it on
        expected = [a for a in ACTIONS if possible(a, status, kind) and permitted(a, who)]
        core = [a for a in view["next_actions"] if a in ACTIONS]  # later issues add more
        assert sorted(core) == sorted(expected), (status, kind, who)
