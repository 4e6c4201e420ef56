"""Accounts: passwords (initial and own), API tokens, role changes and deactivation. Every
change is an AccountEvent; a reset password or a deactivation ends the user's sessions and
tokens."""

from datetime import date, timedelta

from sqlalchemy import select, update

from controlling.data.models import AccountEvent, ApiToken, User, WebSession
from controlling.domain import limits
from controlling.domain.actors import require
from controlling.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from controlling.domain.identity import (
    SIGN_IN_FAILED,
    TOKEN_DEFAULT_DAYS,
    TOKEN_MAX_DAYS,
    AuthenticationFailed,
    check_new_password,
)
from controlling.domain.vocabulary import Role, parse_choice
from controlling.services.common import actor_of, iso_utc, now, today
from controlling.services.credentials import digest, hash_password, new_token, verify_password
from controlling.services.identity import check_active, lock_end, record


def account_event(uow, user: User, action: str, actor: User | None = None,
                  detail: str | None = None) -> None:
    uow.session.add(AccountEvent(user_id=user.id, actor_id=actor.id if actor else None,
                                 action=action, detail=detail and detail[:300],
                                 recorded_at=now()))


def end_access(uow, user: User, reason: str) -> None:
    """End every open web session and revoke every token of the user."""
    stamp = now()
    uow.session.execute(update(WebSession).where(
        WebSession.user_id == user.id, WebSession.ended_at.is_(None)
    ).values(ended_at=stamp, ended_reason=reason))
    uow.session.execute(update(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
    ).values(revoked_at=stamp, revoked_reason=reason))


def set_password(uow, login: str, target: str, *, new: str, current: str | None = None,
                 address: str | None = None, channel: str = "cli",
                 keep_session: int | None = None) -> dict:
    """An admin setting another user's password gives an initial one (which ends the user's
    sessions and tokens); a user setting their own gives the current one (initial or own;
    none when they have none yet) and the new one."""
    with uow:
        acting = uow.repo.user(login)
        check_active(acting)
        user = uow.repo.user(target)
        own = user.id == acting.id
        if not own:
            require(actor_of(uow, login), "user.manage")
            check_new_password(new, login=user.login)
            user.password_hash = hash_password(new)
            user.password_is_initial = True
            user.password_changed_at = now()
            end_access(uow, user, "Passwort zurückgesetzt")
            account_event(uow, user, "password_reset", acting, "Initialpasswort gesetzt")
            uow.commit()
            return {"login": user.login, "initial": True}
        if user.password_hash is not None:
            if lock_end(uow.session, user.login, now()) is not None:
                from controlling.domain.identity import LOCKED

                raise AuthenticationFailed(LOCKED)
            if not verify_password(user.password_hash, current or ""):
                record(uow.session, login=user.login, channel=channel, outcome="failure",
                       user=user, address=address, detail="Passwortänderung")
                uow.commit()
                raise AuthenticationFailed(SIGN_IN_FAILED.replace("Login oder Passwort ist",
                                                                  "das bisherige Passwort ist"))
        check_new_password(new, login=user.login, current=current)
        user.password_hash = hash_password(new)
        user.password_is_initial = False
        user.password_changed_at = now()
        if keep_session is not None:  # the browser that changed it stays signed in
            uow.session.execute(update(WebSession).where(
                WebSession.user_id == user.id, WebSession.ended_at.is_(None),
                WebSession.id != keep_session,
            ).values(ended_at=now(), ended_reason="Passwort geändert"))
        account_event(uow, user, "password_changed", acting, "eigenes Passwort gewählt")
        uow.commit()
        return {"login": user.login, "initial": False}


def create_token(uow, login: str, *, name: str | None = None,
                 expires_on: date | None = None) -> dict:
    """A token for the acting user, returned once; only its digest is kept."""
    with uow:
        user = uow.repo.user(login)
        check_active(user)
        label = (name or "").strip() or "Token"
        limits.check_length(label, 120, "Der Name des Tokens")
        day = today()
        expires = expires_on or day + timedelta(days=TOKEN_DEFAULT_DAYS)
        if expires < day:
            raise InvalidInput("Das Ablaufdatum liegt in der Vergangenheit.")
        if expires > day + timedelta(days=TOKEN_MAX_DAYS):
            raise InvalidInput(f"Ein Token gilt höchstens {TOKEN_MAX_DAYS} Tage.")
        secret = new_token()
        token = ApiToken(user_id=user.id, name=label, token_hash=digest(secret),
                         created_at=now(), expires_on=expires)
        uow.session.add(token)
        uow.flush()
        account_event(uow, user, "token_created", user, f"Token {token.id} '{label}'")
        uow.commit()
        return {"id": token.id, "token": secret, "name": label,
                "expires_on": expires.isoformat()}


def token_view(token: ApiToken) -> dict:
    if token.revoked_at is not None:
        state = "revoked"
    elif token.expires_on < today():
        state = "expired"
    else:
        state = "active"
    return {"id": token.id, "name": token.name, "created_at": iso_utc(token.created_at),
            "expires_on": token.expires_on.isoformat(), "revoked_at": iso_utc(token.revoked_at),
            "state": state}


def list_tokens(uow, login: str) -> list[dict]:
    with uow:
        user = uow.repo.user(login)
        check_active(user)
        return [token_view(t) for t in uow.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))]


def revoke_token(uow, login: str, token_id: int) -> dict:
    with uow:
        user = uow.repo.user(login)
        check_active(user)
        token = uow.session.get(ApiToken, token_id) if 0 < token_id < 2**31 else None
        if token is None or token.user_id != user.id:
            raise NotFound(f"Unbekanntes Token {token_id} (eigene Tokens: 'controlling user "
                           "token list').")
        if token.revoked_at is None:
            token.revoked_at = now()
            token.revoked_reason = "widerrufen"
            account_event(uow, user, "token_revoked", user, f"Token {token.id}")
        view = token_view(token)
        uow.commit()
        return view


def deactivate_user(uow, login: str, target: str) -> dict:
    with uow:
        require(actor_of(uow, login), "user.manage")
        acting = uow.repo.user(login)
        user = uow.repo.user(target)
        if user.id == acting.id:
            raise PermissionDenied("Niemand kann sich selbst deaktivieren; das macht ein "
                                   "anderer Admin.")
        if user.active:
            user.active = False
            user.deactivated_at = now()
            end_access(uow, user, "deaktiviert")
            account_event(uow, user, "deactivated", acting)
        uow.commit()
        return {"login": user.login, "active": False}


PSEUDONYM_LOGIN = "ehemalig-{id}"
PSEUDONYM_NAME = "Ehemalige Person {id}"


def pseudonymise_user(uow, login: str, target: str, *, confirmed: bool = True) -> dict:
    """A departed person (the DSGVO case; admins): login and name become a pseudonym
    ("ehemalig-7", "Ehemalige Person 7"), the e-mail address and password go, the account is
    deactivated, its sessions and tokens end. The history keeps every entry, now under the
    pseudonym (it refers to the account, not to the name). Not undone. The sign-in log keeps
    the login that was typed (a security log of attempts, also of logins that never existed).
    `confirmed=False` (the command without --yes) refuses, saying what would happen."""
    with uow:
        require(actor_of(uow, login), "user.manage")
        acting = uow.repo.user(login)
        user = uow.repo.user(target)
        if not confirmed:
            raise InvalidInput(f"'{target}' würde unwiderruflich pseudonymisiert; zum "
                               "Bestätigen --yes angeben.")
        if user.id == acting.id:
            raise PermissionDenied("Niemand kann sich selbst pseudonymisieren; das macht ein "
                                   "anderer Admin.")
        pseudonym = PSEUDONYM_LOGIN.format(id=user.id)
        if user.login == pseudonym:
            raise InvalidInput(f"Benutzer '{target}' ist schon pseudonymisiert.")
        if uow.repo.find_user(pseudonym) is not None:
            raise Conflict(f"Den Login '{pseudonym}' gibt es schon; bitte zuerst umbenennen.")
        was_active = user.active
        user.login, user.name = pseudonym, PSEUDONYM_NAME.format(id=user.id)
        user.email, user.password_hash = None, None
        if was_active:
            user.active, user.deactivated_at = False, now()
        end_access(uow, user, "pseudonymisiert")
        account_event(uow, user, "pseudonymised", acting)
        view = {"login": user.login, "name": user.name, "active": False}
        uow.commit()
        return view


def change_user(uow, login: str, target: str, *, role: str | None = None,
                department: str | None = None, name: str | None = None,
                email: str | None = None) -> dict:
    """Change a user's role, department or name (admins); recorded as an account event."""
    from controlling.services.setup import user_view

    with uow:
        require(actor_of(uow, login), "user.manage")
        acting = uow.repo.user(login)
        user = uow.repo.user(target)
        new_role = parse_choice(Role, role, "Rolle") if role else user.role
        if user.id == acting.id and new_role != Role.ADMIN:
            raise PermissionDenied("Die eigene Admin-Rolle kann man nicht abgeben; das macht ein "
                                   "anderer Admin.")
        dept = user.department
        if new_role == Role.DEPARTMENT_HEAD:
            if department:
                dept = uow.repo.department(department)
            if dept is None:
                raise InvalidInput("Eine Bereichsleitung braucht einen Bereich (--department).")
        elif department:
            raise InvalidInput("Nur eine Bereichsleitung (department_head) hat einen Bereich.")
        else:
            dept = None
        before = f"{user.role.value} {user.department.code if user.department else ''}".strip()
        user.role, user.department = new_role, dept
        if name is not None:
            user.name = limits.person_name(name)
        if email is not None:  # "" removes the address
            from controlling.services.mail import check_address

            user.email = check_address(email) if email.strip() else None
        after = f"{new_role.value} {dept.code if dept else ''}".strip()
        account_event(uow, user, "changed", acting, f"{before} → {after}")
        uow.flush()
        view = user_view(user)
        uow.commit()
        return view


def sign_in_log(uow, login: str, *, limit: int = 200, offset: int = 0) -> list[dict]:
    """The newest entries of the sign-in log (admins)."""
    from controlling.data.models import SignIn

    with uow:
        require(actor_of(uow, login), "user.manage")
        rows = uow.session.scalars(select(SignIn).order_by(SignIn.id.desc())
                                   .limit(max(1, min(limit, 1000))).offset(max(0, offset)))
        return [{"recorded_at": iso_utc(r.recorded_at), "login": r.login, "channel": r.channel,
                 "outcome": r.outcome, "address": r.address, "detail": r.detail}
                for r in rows]


def has_password(uow, target: str) -> bool:
    with uow:
        return uow.repo.user(target).password_hash is not None
