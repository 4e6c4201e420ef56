"""The signing keys kept in the database: one secret per purpose, made on first use."""

import secrets

from controlling.clock import now

UPDATE_WORKBOOK = "update-workbook"


def signing_key(uow, purpose: str, *, create: bool) -> bytes | None:
    """The key for `purpose`; made (32 random bytes) when `create` and there is none yet.
    Two processes making it at once agree on the one that was stored first."""
    from sqlalchemy.exc import IntegrityError

    from controlling.data.models import SigningKey

    found = uow.repo.signing_key(purpose)
    if found is None and create:
        try:
            with uow.session.begin_nested():
                uow.session.add(SigningKey(purpose=purpose, secret=secrets.token_hex(32),
                                           created_at=now()))
        except IntegrityError:
            pass  # made by another process just now: use theirs
        found = uow.repo.signing_key(purpose)
    return bytes.fromhex(found.secret) if found is not None else None
