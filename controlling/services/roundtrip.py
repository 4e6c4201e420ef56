"""Export → edit → import: what an import does with the rows and columns an export wrote.

The exports write more than the imports take (status, the latest Sachstand, version, ...).
Those columns are informational: accepted, checked where they can be wrong (a status or light
that is no value of ours), otherwise ignored with a note. A row that names a record already in
the database is compared with it: unchanged, it is skipped; changed, the import says which
fields differ (recommendations and suggestions are created by imports, never changed by them;
measure profiles are edited, with history, see controlling/services/measures.py).
"""

from controlling.domain.errors import DomainError
from controlling.domain.vocabulary import Light, Status, parse_choice

RECOMMENDATION_INFORMATIONAL = (
    "status", "status_since", "last_quarter", "last_light", "last_note", "last_progress_on",
    "example", "version",
)
MEASURE_INFORMATIONAL = ("id", "time_limited", "recommendations", "example", "version")
SUGGESTION_INFORMATIONAL = (
    "id", "event_id", "held_on", "status", "measure_id", "recommendation",
    "recommendation_status", "reason", "decided_on", "recorded_by", "example",
)


def check_vocabulary(row: dict, checks: dict, errors: list[str]) -> None:
    """Informational cells that must still be one of our values (machine or German)."""
    for column, (enum_type, what) in checks.items():
        if row.get(column):
            try:
                parse_choice(enum_type, row[column], what)
            except DomainError as error:
                errors.append(f"Spalte {column}: {str(error).rstrip('.')}")


RECOMMENDATION_CHECKS = {"status": (Status, "Status"), "last_light": (Light, "Ampel")}


def stored_recommendations(uow, numbers: set[int]) -> dict[int, tuple]:
    """The recommendations of these numbers already in the database, with the effective date
    of their creation: {number: (recommendation, proposed_on)}."""
    found = uow.repo.existing_numbers(numbers)
    if not found:
        return {}
    from controlling.services.exports import status_dates

    created, _latest = status_dates(uow.session)
    return {r.number: (r, created.get(r.id)) for r in uow.repo.recommendations()
            if r.number in found}


def recommendation_differences(stored: tuple, *, title, district, department, kind, topic,
                               description, proposed_on, proposed_given: bool) -> list[str]:
    """The columns in which a row differs from the stored recommendation."""
    rec, created = stored
    differences = []
    pairs = (("title", title, rec.title), ("district", district.id, rec.district_id),
             ("department", department.id, rec.department_id), ("kind", kind, rec.kind),
             ("topic", topic.id if topic else None, rec.topic_id),
             ("description", description or None, rec.description or None))
    for column, new, old in pairs:
        if new != old:
            differences.append(column)
    if proposed_given and proposed_on != created:
        differences.append("proposed_on")
    return differences
