"""Published editions of the recommendations and measure profiles, and what changed since.

An edition freezes every recommendation and every measure profile as plain JSON. A diff
compares two such snapshots (an edition and the current state, or two editions), pure Python:

- added: in the newer state, not in the edition;
- withdrawn: in the edition, but no longer there, or `superseded` or `rejected` since (it was
  not yet in that status in the edition); a superseded one names its successor;
- changed: every other item whose fields differ, field by field (old → new).
"""

from enum import StrEnum

from controlling.domain.errors import InvalidInput
from controlling.domain.measures import FIELDS as PROFILE_FIELDS
from controlling.domain.vocabulary import Status

EDITION_NAME = 120  # column size


class ItemKind(StrEnum):
    RECOMMENDATION = "recommendation"
    MEASURE = "measure"

    @property
    def label(self) -> str:
        return {"recommendation": "Empfehlung", "measure": "Maßnahme"}[self.value]


# The frozen fields, in the order a diff lists them, with German labels.
RECOMMENDATION_FIELDS: dict[str, str] = {
    "title": "Titel",
    "description": "Beschreibung",
    "district": "Sozialraum",
    "department": "Bereich",
    "kind": "Art",
    "topic": "Thema",
    "status": "Status",
    "superseded_by": "ersetzt durch",
    "measures": "Maßnahmen",
}
MEASURE_FIELDS: dict[str, str] = {**PROFILE_FIELDS, "recommendations": "Empfehlungen"}
FIELDS = {ItemKind.RECOMMENDATION: RECOMMENDATION_FIELDS, ItemKind.MEASURE: MEASURE_FIELDS}
WITHDRAWING = (Status.SUPERSEDED.value, Status.REJECTED.value)
WITHDRAWN_REASONS = {"removed": "nicht mehr vorhanden", "superseded": "ersetzt",
                     "rejected": "abgelehnt"}

def check_name(name: str | None) -> str:
    text = (name or "").strip()
    if not text:
        raise InvalidInput("Der Name der Ausgabe darf nicht leer sein.")
    if len(text) > EDITION_NAME:
        raise InvalidInput(f"Der Name der Ausgabe ist zu lang ({len(text)} Zeichen, höchstens "
                           f"{EDITION_NAME}).")
    return text


def diff_items(kind: ItemKind, old: dict[int, dict], new: dict[int, dict]) -> dict:
    """Compare two snapshots of one kind, keyed by number (recommendations) or id (measures).

    Returns {"added": [...], "changed": [...], "withdrawn": [...]}, each sorted by key.
    """
    key_name = "number" if kind == ItemKind.RECOMMENDATION else "id"
    fields = FIELDS[kind]
    added, changed, withdrawn = [], [], []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before is None:
            entry = {key_name: key, "title": after.get("title"), "data": after}
            if kind == ItemKind.RECOMMENDATION:
                entry["status"] = after.get("status")
            added.append(entry)
            continue
        reason = _withdrawn_reason(kind, before, after)
        if reason is not None:
            entry = {key_name: key, "title": before.get("title"), "reason": reason}
            if kind == ItemKind.RECOMMENDATION:
                entry["status"] = after.get("status") if after else None
                entry["superseded_by"] = after.get("superseded_by") if after else None
            withdrawn.append(entry)
            continue
        changes = [
            {"field": field, "label": label, "old": before.get(field), "new": after.get(field)}
            for field, label in fields.items()
            if before.get(field) != after.get(field)
        ]
        if changes:
            changed.append({key_name: key, "title": after.get("title"), "changes": changes})
    if kind == ItemKind.RECOMMENDATION:  # a successor names what it replaced: tracking goes on
        for entry in added:
            entry["supersedes"] = [w["number"] for w in withdrawn
                                   if w["superseded_by"] == entry["number"]]
    return {"added": added, "changed": changed, "withdrawn": withdrawn}


def _withdrawn_reason(kind: ItemKind, before: dict, after: dict | None) -> str | None:
    if after is None:
        return "removed"
    if kind != ItemKind.RECOMMENDATION:
        return None
    status = after.get("status")
    if status in WITHDRAWING and before.get("status") != status:
        return status
    return None


def summary(diff: dict) -> dict:
    return {kind: {part: len(items) for part, items in parts.items()}
            for kind, parts in diff.items()}
