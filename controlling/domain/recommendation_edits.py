"""What may be corrected in a recommendation, and when (`recommendation edit`).

Title, description and topic can always be corrected (a typo stays a typo after the
implementation). District, department and kind decide who answers for the recommendation and
how it is approved: they change only while the recommendation is open (not implemented,
rejected or superseded), and the kind only before its approval (an extension is approved
without the statistical check). Every correction needs a reason."""

from controlling.domain.errors import InvalidInput, TransitionRefused
from controlling.domain.vocabulary import Status
from controlling.domain.workflow import FINAL

FIELDS = {"title": "Titel", "description": "Beschreibung", "topic": "Thema", "kind": "Art",
          "district": "Sozialraum", "department": "Bereich"}
WHILE_OPEN = ("district", "department", "kind")
BEFORE_APPROVAL = ("kind",)


def check_edit(number: int, status: Status, changed: set[str], reason: str | None) -> None:
    """Refuse a correction the rules above do not allow (German, naming the field)."""
    if not (reason or "").strip():
        raise InvalidInput("Jede Korrektur braucht eine Begründung (--reason).")
    if status in FINAL:
        late = [FIELDS[f] for f in WHILE_OPEN if f in changed]
        if late:
            verb = "ändert" if len(late) == 1 else "ändern"
            raise TransitionRefused(
                f"Empfehlung {number} ist {status.label}: {', '.join(late)} {verb} sich nicht "
                "mehr (Titel, Beschreibung und Thema lassen sich korrigieren).")
    if status == Status.APPROVED and "kind" in changed:
        raise TransitionRefused(f"Empfehlung {number} ist freigegeben: die Art ändert sich "
                                "nach der Freigabe nicht mehr.")


def changes_between(before: dict, after: dict) -> dict:
    """field -> {"from": old, "to": new} for every field whose value differs."""
    return {k: {"from": before[k], "to": after[k]} for k in FIELDS if before[k] != after[k]}


def describe_changes(changes: dict) -> str:
    """German, e.g. "Bereich: 3-1 → 3-2; Thema: – → Jugend"."""
    return "; ".join(f"{FIELDS.get(k, k)}: {v['from'] or '–'} → {v['to'] or '–'}"
                     for k, v in changes.items())
