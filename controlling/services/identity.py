"""Proof of identity: who is acting, on the command line (operating-system login, token or
password), in the API (bearer token) and in the browser (sign-in with password). Every
failure is written to the sign-in log in a transaction of its own, so the refusal that
follows rolls back nothing of it."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select

from controlling import oplog
from controlling.data.models import ApiToken, SignIn, User
from controlling.domain.errors import PermissionDenied
from controlling.domain.identity import (
    LOCKED,
    LOCKOUT_LOOKBACK,
    SIGN_IN_FAILED,
    TOKEN_INVALID,
    Attempt,
    AuthenticationFailed,
    PasswordChangeRequired,
    check_claimed_login,
    locked_until,
)
from controlling.services.common import now, today
from controlling.services.credentials import digest, verify_password

PASSWORD_OUTCOMES = ("success", "failure")


def find_user(session, login: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.login) == login.strip().lower()))


def check_active(user: User) -> None:
    if not user.active:
        raise PermissionDenied(f"Benutzer '{user.login}' ist deaktiviert und kann nicht mehr "
                               "handeln.")


def record(session, *, login: str, channel: str, outcome: str, user: User | None = None,
           address: str | None = None, detail: str | None = None) -> None:
    session.add(SignIn(recorded_at=now(), login=(login or "")[:120], user_id=user.id if user
                       else None, channel=channel, outcome=outcome,
                       address=(address or None) and address[:64],
                       detail=detail and detail[:300]))
    oplog.record("sign-in", outcome, login=(login or "")[:120], channel=channel)


def log_refusal(uow, *, login: str, channel: str, outcome: str, address: str | None = None,
                detail: str | None = None) -> None:
    """Record a failure or refusal in a transaction of its own."""
    with uow:
        record(uow.session, login=login, channel=channel, outcome=outcome,
               user=find_user(uow.session, login) if login else None, address=address,
               detail=detail)
        uow.commit()


def lock_end(session, login: str, at: datetime) -> datetime | None:
    """Until when repeated failed passwords lock this login (unknown logins alike)."""
    rows = session.execute(
        select(SignIn.recorded_at, SignIn.outcome)
        .where(func.lower(SignIn.login) == login.strip().lower(),
               SignIn.outcome.in_(PASSWORD_OUTCOMES),
               SignIn.recorded_at > at - LOCKOUT_LOOKBACK)
    ).all()
    return locked_until([Attempt(r.recorded_at, r.outcome == "success") for r in rows], at)


def token_owner(session, token: str) -> User | None:
    """The active user a valid (known, unexpired, unrevoked) token belongs to."""
    found = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token.strip())))
    if found is None or found.revoked_at is not None or found.expires_on < today():
        return None
    return found.user if found.user.active else None


def check_password(uow, login: str, password: str, *, channel: str,
                   address: str | None = None, allow_initial: bool = False) -> User:
    """The user when `password` is theirs; the one message for an unknown login and a wrong
    password; locked after repeated failures. An initial password serves only to choose an
    own one (allow_initial)."""
    with uow:
        at = now()
        if lock_end(uow.session, login, at) is not None:
            record(uow.session, login=login, channel=channel, outcome="locked", address=address)
            uow.commit()
            raise AuthenticationFailed(LOCKED)
        user = find_user(uow.session, login)
        if not verify_password(user.password_hash if user else None, password) or (
                user is not None and not user.active):
            record(uow.session, login=login, channel=channel, outcome="failure", user=user,
                   address=address)
            uow.commit()
            raise AuthenticationFailed(SIGN_IN_FAILED)
        if user.password_is_initial and not allow_initial:
            raise PasswordChangeRequired(
                f"Das Passwort von '{user.login}' ist ein Initialpasswort: es dient nur dazu, "
                f"ein eigenes zu wählen ('controlling --user {user.login} user password "
                f"{user.login}' oder im Browser).")
        record(uow.session, login=login, channel=channel, outcome="success", user=user,
               address=address)
        uow.commit()
        return user


def prove_identity(uow_factory, *, claimed: str | None, os_login: str | None,
                   token: str | None = None, password: str | None = None,
                   ask_password: Callable[[str], str] | None = None) -> str:
    """The login of the acting person on the command line, proven (CLI.md, "Identity").

    - no login claimed: the token's owner when a token is given, else the OS login;
    - the OS login needs no proof; any other login needs its token or its own password
      (given, or asked for when `ask_password` is there, i.e. on a terminal).
    """
    uow = uow_factory()
    if claimed is None and token:
        with uow:
            owner = token_owner(uow.session, token)
            login = owner.login if owner else None
        if login is None:
            log_refusal(uow_factory(), login="", channel="cli", outcome="failure",
                        detail="Token ungültig")
            raise AuthenticationFailed(TOKEN_INVALID)
        return login
    if claimed is None:
        if not os_login:
            raise AuthenticationFailed("Der Login des Betriebssystems ist nicht bekannt: bitte "
                                       "--user LOGIN mit Token oder Passwort angeben.")
        claimed = os_login
    login = check_claimed_login(claimed)
    with uow:
        user = find_user(uow.session, login)
        if user is None:
            raise AuthenticationFailed(
                f"Unbekannter Benutzer '{login}'; ein Admin legt ihn mit 'controlling user add' "
                "an.")
        check_active(user)
        canonical = user.login
        is_os_login = bool(os_login) and os_login.strip().lower() == canonical.lower()
        if token:
            owner = token_owner(uow.session, token)
            if owner is not None and owner.id == user.id:
                return canonical
    if token:
        log_refusal(uow_factory(), login=login, channel="cli", outcome="failure",
                    detail="Token ungültig")
        raise AuthenticationFailed(TOKEN_INVALID)
    if password is None and is_os_login:
        return canonical
    if password is None and ask_password is not None:
        password = ask_password(canonical)
    if password is None:
        raise AuthenticationFailed(
            f"Als '{canonical}' zu handeln braucht einen Nachweis: ein Token (CONTROLLING_TOKEN "
            "oder --token) oder das eigene Passwort (CONTROLLING_PASSWORD oder die Abfrage im "
            f"Terminal); der Login des Betriebssystems ist '{os_login or 'unbekannt'}'.")
    return check_password(uow_factory(), canonical, password, channel="cli").login


def api_user(uow_factory, token: str | None, address: str | None = None) -> str:
    """The login of a valid bearer token. A failure is logged once, by the web application's
    refusal handler (channel api, with the request and the reason), not here as well."""
    if token:
        uow = uow_factory()
        with uow:
            owner = token_owner(uow.session, token)
            if owner is not None:
                return owner.login
    raise AuthenticationFailed(TOKEN_INVALID if token else
                               "Anmeldung erforderlich: Authorization: Bearer TOKEN fehlt.")
