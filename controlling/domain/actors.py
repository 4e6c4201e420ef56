"""The acting person and the permission table for everything that is not a status change."""

from dataclasses import dataclass

from controlling.domain.errors import PermissionDenied
from controlling.domain.vocabulary import Role

# Who may do what. "own_head" = the department head of the record's own department.
OWN_HEAD = "own_head"

PLANNING = frozenset({"planner", "admin"})
PLANNING_OR_OWN_HEAD = frozenset({"planner", "admin", OWN_HEAD})

# The one permission table of everything that is not a status change (status changes:
# controlling/domain/workflow.py). Key -> (who, what it allows, in German).
PERMISSIONS: dict[str, tuple[frozenset[str], str]] = {
    # set-up and recommendations
    "recommendation.add": (PLANNING, "Empfehlungen anlegen"),
    "import": (PLANNING, "Dateien importieren"),
    "progress": (PLANNING_OR_OWN_HEAD, "Sachstände erfassen"),
    "user.manage": (frozenset({"admin"}), "Benutzer verwalten"),
    "reference.manage": (frozenset({"admin"}), "Stammdaten verwalten"),
    "init": (frozenset({"admin"}), "die Datenbank einrichten"),
    "verify": (PLANNING, "den Verlauf auf Veränderungen prüfen (verify)"),
    # events, suggestions, triage, measure profiles (own head: the measure's department)
    "event.record": (PLANNING, "Veranstaltungen erfassen"),
    "suggestion.record": (PLANNING, "Hinweise erfassen"),
    "triage": (PLANNING, "Hinweise entscheiden (Recherche und Rückkopplung)"),
    "measure.write": (PLANNING_OR_OWN_HEAD, "Maßnahmensteckbriefe anlegen und bearbeiten"),
    "measure.import": (PLANNING, "Maßnahmensteckbriefe importieren"),
    # editions, awareness (own head: the offer's department), institutions
    "edition.publish": (PLANNING, "Ausgaben veröffentlichen"),
    # the committees' quarterly report: published once, never changed
    "report.publish": (PLANNING, "Quartalsberichte veröffentlichen"),
    "awareness.record": (PLANNING_OR_OWN_HEAD, "Bekanntheit (Punkte und Karten) erfassen"),
    "awareness.import": (PLANNING, "Bekanntheit importieren"),
    "institution.write": (PLANNING, "Institutionen erfassen"),
    # the Sozialindex: Sozialquartiere are the statistics of the social planning
    "quarter.manage": (PLANNING, "Sozialquartiere anlegen"),
    "index.compute": (PLANNING, "den Sozialindex berechnen"),
    # the quarterly update round by e-mail: requests, reminders, the mail log
    "round.manage": (PLANNING, "Sachstandsrunden starten, verfolgen und erinnern"),
    "target.set": (PLANNING_OR_OWN_HEAD, "Zieltermine und Meilensteine festlegen"),
    # the web application's pages; "department_head" = any head, for their own work
    "web.overview": (PLANNING, "die Übersicht der Sozialplanung sehen"),
    "web.recommendations": (frozenset({"planner", "admin", "department_head", "committee"}),
                            "Empfehlungen ansehen"),
    "web.head": (frozenset({"department_head"}),
                 "die Seiten der Bereichsleitung (Zur Freigabe, Sachstand) sehen"),
    "web.reports": (frozenset({"planner", "admin", "department_head", "committee"}),
                    "Berichte ansehen"),
}

WHO_LABELS = {
    "planner": "Sozialplanung (planner)",
    "admin": "Administration (admin)",
    OWN_HEAD: "die Bereichsleitung des zuständigen Bereichs",
    "department_head": "Bereichsleitungen (department_head)",
    "committee": "Ausschuss (committee)",
}


@dataclass(frozen=True)
class Actor:
    login: str
    role: Role
    department: str | None = None  # department code, for department heads

    def describe(self) -> str:
        if self.role == Role.DEPARTMENT_HEAD:
            return f"{self.login} (Bereichsleitung {self.department})"
        return f"{self.login} ({self.role.value})"


def qualifies(actor: Actor, who: frozenset[str], department: str | None) -> bool:
    """True when the actor is one of `who` for a record of `department` ("department_head"
    in `who`: any head; OWN_HEAD: the head of that department)."""
    if actor.role.value in who:
        return True
    return (
        OWN_HEAD in who
        and actor.role == Role.DEPARTMENT_HEAD
        and department is not None
        and actor.department == department
    )


def describe_who(who: frozenset[str], department: str | None) -> str:
    parts = []
    for key in ("planner", "admin", OWN_HEAD, "department_head", "committee"):
        if key in who:
            label = WHO_LABELS[key]
            if key == OWN_HEAD and department:
                label = f"die Bereichsleitung von {department}"
            parts.append(label)
    if not parts:
        return "niemand"
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " oder " + parts[-1]


def require(actor: Actor, permission: str, department: str | None = None) -> None:
    """Raise PermissionDenied unless the actor holds the permission."""
    who, action = PERMISSIONS[permission]
    if not qualifies(actor, who, department):
        raise PermissionDenied(
            f"Keine Berechtigung: {actor.describe()} darf nicht {action}; "
            f"erlaubt für {describe_who(who, department)}."
        )
