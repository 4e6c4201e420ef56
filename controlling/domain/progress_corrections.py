"""A Sachstand corrected by a new entry (`progress N --corrects ID`): the earlier entry stays,
the new one names it. It must be a Sachstand of the same recommendation and quarter that no
other entry has corrected yet (a correction of a correction names the latest)."""

from controlling.domain.errors import InvalidInput, NotFound


def check_progress_correction(number: int, corrected_id: int, found: tuple | None,
                              quarter: str, corrected_by: int | None) -> None:
    """`found`: (recommendation number, quarter) of the entry corrected_id, None if unknown."""
    if found is None or found[0] != number:
        raise NotFound(f"Empfehlung {number} hat keinen Sachstand {corrected_id} "
                       f"(die Nummern zeigt 'controlling recommendation show {number}').")
    if found[1] != quarter:
        raise InvalidInput(f"Sachstand {corrected_id} gilt für {found[1]}, nicht für "
                           f"{quarter}: eine Korrektur gilt für dasselbe Quartal.")
    if corrected_by is not None:
        raise InvalidInput(f"Sachstand {corrected_id} ist schon durch Sachstand {corrected_by} "
                           "korrigiert; bitte jenen korrigieren.")
