"""The research and feedback step (triage) of a suggestion: the seed's decision tree.

    suggestion ─ offer exists in the district? ── yes, permanent ──► link measure profile
                                                 └─ yes, time-limited ─► link measure profile
                                                      + recommendation extension/permanence
               └─ no ──► recommendation "new"; its statistical check (support) decides:
                        supported → goes on; not supported → rejected "statistisch nicht gestützt"
               └─ not pursued ──► closed with a reason

A suggestion is open or has exactly one outcome; an outcome is never replaced.
Also here: who may record events, suggestions, triage and measure profiles.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from controlling.domain.actors import Actor, require
from controlling.domain.errors import InvalidInput, TransitionRefused
from controlling.domain.formatting import format_date
from controlling.domain.vocabulary import Kind

NOT_SUPPORTED = "statistisch nicht gestützt"


class Outcome(StrEnum):
    EXISTS = "exists"
    TIME_LIMITED = "time_limited"
    MISSING = "missing"
    NOT_PURSUED = "not_pursued"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.EXISTS: "vorhanden",
    Outcome.TIME_LIMITED: "befristet vorhanden",
    Outcome.MISSING: "nicht vorhanden",
    Outcome.NOT_PURSUED: "nicht weiterverfolgt",
}


@dataclass(frozen=True)
class Branch:
    """One leaf of the decision tree and what it leaves behind."""

    outcome: Outcome
    question: str
    measure: str | None  # "permanent", "time_limited" or None (no measure linked)
    kinds: frozenset[Kind]  # kinds of the recommendation it creates; empty: none
    needs_reason: bool = False

    @property
    def creates_recommendation(self) -> bool:
        return bool(self.kinds)


DECISION_TREE: tuple[Branch, ...] = (
    Branch(Outcome.EXISTS, "Das Angebot gibt es im Sozialraum (unbefristet).", "permanent",
           frozenset()),
    Branch(Outcome.TIME_LIMITED, "Das Angebot gibt es, aber befristet: Empfehlung zur "
           "Verlängerung oder Verstetigung.", "time_limited",
           frozenset({Kind.EXTENSION, Kind.PERMANENCE})),
    Branch(Outcome.MISSING, "Das Angebot fehlt: neue Empfehlung, deren Bedarf statistisch "
           "geprüft wird.", None, frozenset({Kind.NEW})),
    Branch(Outcome.NOT_PURSUED, "Nicht weiterverfolgt (mit Begründung).", None, frozenset(),
           needs_reason=True),
)
BRANCHES = {branch.outcome: branch for branch in DECISION_TREE}
if set(BRANCHES) != set(Outcome) or len(BRANCHES) != len(DECISION_TREE):
    raise AssertionError("every outcome needs exactly one branch of the decision tree")


@dataclass(frozen=True)
class MeasureFacts:
    """What the decision tree needs to know about the measure profile to be linked."""

    id: int
    title: str
    ends_on: date | None
    covers_district: bool  # the measure takes place in the suggestion's district or city-wide


@dataclass(frozen=True)
class TriagePlan:
    outcome: Outcome
    measure_id: int | None
    recommendation_kind: Kind | None
    reason: str | None


def check_open(suggestion_id: int, current: Outcome | None) -> None:
    """The one-outcome rule: a decided suggestion is never decided again."""
    if current is not None:
        raise TransitionRefused(
            f"Hinweis {suggestion_id} ist bereits entschieden ('{current.label}'); "
            "ein Hinweis hat genau ein Ergebnis, es wird nicht ersetzt."
        )


def plan_triage(
    suggestion_id: int, outcome: Outcome, *, current: Outcome | None,
    measure: MeasureFacts | None, kind: Kind | None = None, reason: str | None = None,
) -> TriagePlan:
    """Check one triage decision against the tree; return what is to be written."""
    check_open(suggestion_id, current)
    branch = BRANCHES[outcome]
    if branch.measure is None and measure is not None:
        raise InvalidInput(
            f"Ergebnis '{outcome.label}' verknüpft keine Maßnahme; --measure weglassen."
        )
    if branch.measure is not None:
        if measure is None:
            raise InvalidInput(
                f"Ergebnis '{outcome.label}' braucht einen Maßnahmensteckbrief: --measure ID "
                "(vorhanden) oder --new-measure TITEL."
            )
        _check_measure(branch, measure)
    chosen_kind = None
    if branch.creates_recommendation:
        chosen_kind = kind or (Kind.NEW if Kind.NEW in branch.kinds else Kind.EXTENSION)
        if chosen_kind not in branch.kinds:
            allowed = " oder ".join(sorted(k.label for k in branch.kinds))
            raise InvalidInput(
                f"Ergebnis '{outcome.label}' führt zu einer Empfehlung der Art {allowed}, "
                f"nicht {chosen_kind.label}."
            )
    elif kind is not None:
        raise InvalidInput(f"Ergebnis '{outcome.label}' erzeugt keine Empfehlung (--kind).")
    text = (reason or "").strip() or None
    if branch.needs_reason and text is None:
        raise InvalidInput(f"Für '{outcome.label}' ist eine Begründung nötig (--reason).")
    return TriagePlan(outcome, measure.id if measure else None, chosen_kind, text)


def _check_measure(branch: Branch, measure: MeasureFacts) -> None:
    if not measure.covers_district:
        raise TransitionRefused(
            f"Maßnahme {measure.id} ('{measure.title}') findet weder im Sozialraum des Hinweises "
            "noch stadtweit statt."
        )
    if branch.measure == "permanent" and measure.ends_on is not None:
        raise TransitionRefused(
            f"Maßnahme {measure.id} ist befristet bis {format_date(measure.ends_on)}: Ergebnis "
            f"'{Outcome.TIME_LIMITED.label}' wählen (mit Empfehlung zur Verlängerung oder "
            "Verstetigung)."
        )
    if branch.measure == "time_limited" and measure.ends_on is None:
        raise TransitionRefused(
            f"Maßnahme {measure.id} ist unbefristet: Ergebnis '{Outcome.EXISTS.label}' wählen "
            "oder zuerst das Enddatum im Steckbrief eintragen."
        )


def check_linked_kind(outcome: Outcome, number: int, kind: Kind) -> None:
    """An existing recommendation linked instead of a new one must be of a fitting kind."""
    branch = BRANCHES[outcome]
    if not branch.creates_recommendation:
        raise InvalidInput(f"Ergebnis '{outcome.label}' verknüpft keine Empfehlung.")
    if kind not in branch.kinds:
        allowed = " oder ".join(sorted(k.label for k in branch.kinds))
        raise TransitionRefused(
            f"Empfehlung {number} hat die Art {kind.label}; Ergebnis '{outcome.label}' "
            f"braucht {allowed}."
        )


def check_measure_edit(actor: Actor, old_department: str, new_department: str) -> None:
    """Department heads edit only their own department's profiles, and cannot hand them on."""
    require(actor, "measure.write", old_department)
    if new_department != old_department:
        require(actor, "measure.write", new_department)
