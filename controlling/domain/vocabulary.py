"""The system's vocabulary: machine values (English) and their German labels."""

from enum import StrEnum


class Status(StrEnum):
    PROPOSED = "proposed"
    STATISTICALLY_SUPPORTED = "statistically_supported"
    APPROVED = "approved"
    IMPLEMENTED = "implemented"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # replaced by a newer recommendation (migration 0003)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.PROPOSED: "vorgeschlagen",
    Status.STATISTICALLY_SUPPORTED: "statistisch gestützt",
    Status.APPROVED: "freigegeben",
    Status.IMPLEMENTED: "umgesetzt",
    Status.REJECTED: "abgelehnt",
    Status.SUPERSEDED: "ersetzt",
}


class Kind(StrEnum):
    NEW = "new"
    EXTENSION = "extension"
    PERMANENCE = "permanence"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.NEW: "neu",
    Kind.EXTENSION: "Verlängerung",
    Kind.PERMANENCE: "Verstetigung",
}


class Role(StrEnum):
    PLANNER = "planner"
    DEPARTMENT_HEAD = "department_head"
    COMMITTEE = "committee"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PLANNER: "Sozialplanung",
    Role.DEPARTMENT_HEAD: "Bereichsleitung",
    Role.COMMITTEE: "Ausschuss",
    Role.ADMIN: "Administration",
}


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return LIGHT_LABELS[self]


LIGHT_LABELS = {Light.GREEN: "grün", Light.YELLOW: "gelb", Light.RED: "rot"}


def parse_choice(enum_type, value: str, what: str):
    """Return the enum member for a machine value or its German label, or raise InvalidInput."""
    from controlling.domain.errors import InvalidInput

    text = (value or "").strip().lower()
    for member in enum_type:
        if text == member.value or text == member.label.lower():
            return member
    allowed = ", ".join(f"{member.label} ({member.value})" for member in enum_type)
    raise InvalidInput(f"Ungültige Angabe für {what}: '{value}' (erlaubt: {allowed}).")
