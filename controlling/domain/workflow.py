"""The recommendation workflow: one declarative transition table, checked when it is built.

Every status change goes through `check_transition`, which either returns the matching
transition or raises an error that names the failed rule and what is possible instead.
"""

from dataclasses import dataclass

from controlling.domain.actors import OWN_HEAD, Actor, describe_who, qualifies
from controlling.domain.errors import PermissionDenied, TransitionRefused
from controlling.domain.vocabulary import Kind, Status

INITIAL = Status.PROPOSED
FINAL = frozenset({Status.IMPLEMENTED, Status.REJECTED, Status.SUPERSEDED})

ACTION_LABELS = {
    "support": "statistisch stützen",
    "approve": "freigeben",
    "implement": "als umgesetzt melden",
    "reject": "ablehnen",
    "supersede": "durch eine neue Empfehlung ersetzen",
}

PLANNING = frozenset({"planner", "admin"})
EVERY_RESPONSIBLE = frozenset({"planner", "admin", OWN_HEAD})
HEAD_ONLY = frozenset({OWN_HEAD})


@dataclass(frozen=True)
class Transition:
    action: str
    source: Status
    target: Status
    who: frozenset[str]
    kinds: frozenset[Kind] | None = None  # None: every kind
    needs: str | None = None  # "evidence", "note", "reason" or "successor" (note + number)

    def describe(self) -> str:
        text = f"{self.source.label} → {self.target.label}"
        if self.kinds is not None:
            kinds = " oder ".join(kind.label for kind in sorted(self.kinds))
            text += f" (nur Art {kinds})"
        return text


TRANSITIONS: tuple[Transition, ...] = (
    Transition("support", Status.PROPOSED, Status.STATISTICALLY_SUPPORTED, PLANNING,
               needs="evidence"),
    Transition("approve", Status.STATISTICALLY_SUPPORTED, Status.APPROVED, HEAD_ONLY),
    Transition("approve", Status.PROPOSED, Status.APPROVED, HEAD_ONLY,
               kinds=frozenset({Kind.EXTENSION, Kind.PERMANENCE})),
    Transition("implement", Status.APPROVED, Status.IMPLEMENTED, EVERY_RESPONSIBLE,
               needs="note"),
    Transition("reject", Status.PROPOSED, Status.REJECTED, EVERY_RESPONSIBLE, needs="reason"),
    Transition("reject", Status.STATISTICALLY_SUPPORTED, Status.REJECTED, EVERY_RESPONSIBLE,
               needs="reason"),
    # A newer recommendation takes over (e.g. a new edition of the strategy papers): the old
    # one ends here, linked to its successor, so tracking continues there.
    *(Transition("supersede", source, Status.SUPERSEDED, PLANNING, needs="successor")
      for source in (Status.PROPOSED, Status.STATISTICALLY_SUPPORTED, Status.APPROVED)),
)


def _check_definition(transitions: tuple[Transition, ...]) -> None:
    """Fail at import when the table is inconsistent: the workflow is data, so test it as such."""
    for t in transitions:
        if t.source in FINAL:
            raise AssertionError(f"final status {t.source} has an outgoing transition")
        if t.action not in ACTION_LABELS:
            raise AssertionError(f"action {t.action} has no label")
    reachable = {INITIAL}
    changed = True
    while changed:
        changed = False
        for t in transitions:
            if t.source in reachable and t.target not in reachable:
                reachable.add(t.target)
                changed = True
    if reachable != set(Status):
        raise AssertionError(f"unreachable statuses: {set(Status) - reachable}")
    for status in set(Status) - FINAL:
        if not any(t.source == status for t in transitions):
            raise AssertionError(f"non-final status {status} has no way out")


_check_definition(TRANSITIONS)


def transitions_from(status: Status, kind: Kind) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status and (t.kinds is None or kind in t.kinds)]


def allowed_actions(status: Status, kind: Kind, actor: Actor, department: str) -> list[str]:
    """The actions this actor may take now, in table order, without duplicates."""
    actions: list[str] = []
    for t in transitions_from(status, kind):
        if qualifies(actor, t.who, department) and t.action not in actions:
            actions.append(t.action)
    return actions


def _possible_now(status: Status, kind: Kind, department: str) -> str:
    options = transitions_from(status, kind)
    if not options:
        return f"'{status.label}' ist ein Endstatus, es ist keine Änderung mehr möglich"
    parts = [
        f"{ACTION_LABELS[t.action]} ({t.describe()}; {describe_who(t.who, department)})"
        for t in options
    ]
    return "möglich ist: " + "; ".join(parts)


def check_transition(
    action: str, number: int, status: Status, kind: Kind, department: str, actor: Actor
) -> Transition:
    """Return the transition for `action`, or raise naming the failed rule and the options."""
    label = ACTION_LABELS[action]
    candidates = [t for t in TRANSITIONS if t.action == action and t.source == status]
    fitting = [t for t in candidates if t.kinds is None or kind in t.kinds]
    if not fitting:
        if candidates:
            rule = "; ".join(t.describe() for t in candidates)
            reason = f"die Regel erlaubt nur {rule}, Empfehlung {number} hat die Art {kind.label}"
        else:
            sources = sorted({t.source.label for t in TRANSITIONS if t.action == action})
            reason = f"'{label}' geht nur aus: {', '.join(sources)}"
        raise TransitionRefused(
            f"Statuswechsel abgelehnt: Empfehlung {number} ist '{status.label}', {reason}; "
            f"{_possible_now(status, kind, department)}."
        )
    transition = fitting[0]
    if not qualifies(actor, transition.who, department):
        raise PermissionDenied(
            f"Keine Berechtigung: {actor.describe()} darf Empfehlung {number} nicht {label} "
            f"({transition.describe()}); erlaubt für {describe_who(transition.who, department)}."
        )
    return transition
