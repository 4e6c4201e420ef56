"""Domain errors. Every message is German and meant for the user as it is."""


class DomainError(Exception):
    """An expected refusal: the CLI prints the message and exits with code 1."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """An unknown user, district, department, topic, indicator or number."""


class PermissionDenied(DomainError):
    """The acting person's role does not allow the action."""


class TransitionRefused(DomainError):
    """The workflow does not allow the status change."""


class EvidenceRefused(TransitionRefused):
    """The statistical support rule failed."""


class InvalidInput(DomainError):
    """A malformed value given on the command line."""


class ImportRefused(DomainError):
    """An import file has problems; nothing was written."""

    def __init__(self, filename: str, problems: list[str]):
        self.problems = problems
        count = len(problems)
        noun = "Problem" if count == 1 else "Probleme"
        header = f"Import von {filename} abgelehnt, nichts wurde geschrieben ({count} {noun}):"
        super().__init__("\n".join([header, *(f"  {p}" for p in problems)]))


class StaleEdit(DomainError):
    """Someone else changed the record in the meantime (optimistic locking)."""

    def __init__(self, what: str):
        super().__init__(
            f"{what} wurde in der Zwischenzeit von jemand anderem geändert; "
            "bitte neu laden und erneut versuchen."
        )


class Conflict(DomainError):
    """A unique value already exists."""
