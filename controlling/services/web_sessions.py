"""Web sessions: signing in with a password, the signed-in person of a request, signing out.
The browser's cookie holds a random key; the database keeps its SHA-256 digest and the
session's CSRF token. Sessions end when idle, at an absolute limit, at sign-out, and when the
user is deactivated or their password is reset."""

from dataclasses import dataclass

from sqlalchemy import select

from controlling.data.models import WebSession
from controlling.domain.identity import SESSION_TOUCH, session_expired
from controlling.services.common import now
from controlling.services.credentials import digest, new_key
from controlling.services.identity import check_password, record


@dataclass(frozen=True)
class SignedIn:
    session_id: int
    login: str
    name: str
    role: str
    department: str | None
    csrf: str
    must_change_password: bool


def sign_in(uow_factory, login: str, password: str, address: str | None = None) -> str:
    """Check the password (an initial one too: it leads to the change form) and open a
    session; returns the key for the cookie."""
    user = check_password(uow_factory(), login, password, channel="web", address=address,
                          allow_initial=True)
    uow = uow_factory()
    with uow:
        key = new_key()
        stamp = now()
        uow.session.add(WebSession(user_id=user.id, key_hash=digest(key), csrf_token=new_key(),
                                   created_at=stamp, last_seen_at=stamp,
                                   address=(address or None) and address[:64]))
        uow.commit()
    return key


def current(uow, key: str | None) -> SignedIn | None:
    """The signed-in person of a session key, or None (unknown, ended, expired, inactive)."""
    if not key:
        return None
    with uow:
        found = uow.session.scalar(select(WebSession).where(
            WebSession.key_hash == digest(key), WebSession.ended_at.is_(None)))
        if found is None:
            return None
        stamp = now()
        user = found.user
        if not user.active or session_expired(found.created_at, found.last_seen_at, stamp):
            found.ended_at, found.ended_reason = stamp, "abgelaufen"
            uow.commit()
            return None
        if stamp - found.last_seen_at >= SESSION_TOUCH:
            found.last_seen_at = stamp
            uow.commit()
        return SignedIn(found.id, user.login, user.name, user.role.value,
                        user.department.code if user.department else None, found.csrf_token,
                        bool(user.password_is_initial))


def sign_out(uow, key: str | None, address: str | None = None) -> None:
    if not key:
        return
    with uow:
        found = uow.session.scalar(select(WebSession).where(
            WebSession.key_hash == digest(key), WebSession.ended_at.is_(None)))
        if found is not None:
            found.ended_at, found.ended_reason = now(), "abgemeldet"
            record(uow.session, login=found.user.login, channel="web", outcome="signed_out",
                   user=found.user, address=address)
        uow.commit()
