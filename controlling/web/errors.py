"""Domain errors as HTTP status codes (the same refusals as the command line's exit code 1)."""

from controlling.domain.errors import (
    Conflict,
    DomainError,
    ImportRefused,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StaleEdit,
    TransitionRefused,
)
from controlling.domain.identity import AuthenticationFailed, PasswordChangeRequired

STATUS_OF = (
    (AuthenticationFailed, 401),
    (PasswordChangeRequired, 403),
    (PermissionDenied, 403),
    (TransitionRefused, 403),  # a step the workflow refuses (EvidenceRefused included)
    (NotFound, 404),
    (StaleEdit, 409),
    (Conflict, 409),
    (InvalidInput, 422),
    (ImportRefused, 422),
)


def status_of(error: DomainError) -> int:
    for kind, status in STATUS_OF:
        if isinstance(error, kind):
            return status
    return 422
