"""Rules of identity: what a login may look like, what a password must be, when repeated
failures lock a login, how long a web session lives, and the one message of a failed sign-in.
Pure Python: the hashing itself is in controlling/services/credentials.py."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from controlling.domain.errors import DomainError, InvalidInput

LOGIN_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
LOGIN_MAX = 120
PASSWORD_MIN = 10
PASSWORD_MAX = 200  # argon2 hashes anything; this keeps a pasted novel out

# Lockout: this many failed attempts for one login within the window lock it for the window.
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
LOCKOUT_LOOKBACK = 2 * LOCKOUT_WINDOW  # the series may begin a window before its last failure

# Web sessions end after this much idle time, and in any case after the absolute limit.
SESSION_IDLE = timedelta(minutes=30)
SESSION_ABSOLUTE = timedelta(hours=12)
SESSION_TOUCH = timedelta(minutes=1)  # last_seen_at is written at most this often

TOKEN_PREFIX = "ctl_"
TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 366

SIGN_IN_FAILED = "Anmeldung fehlgeschlagen: Login oder Passwort ist falsch."
LOCKED = ("Zu viele fehlgeschlagene Anmeldungen für diesen Login: bitte in 15 Minuten erneut "
          "versuchen.")
TOKEN_INVALID = "Anmeldung fehlgeschlagen: das Token ist ungültig, abgelaufen oder widerrufen."


class AuthenticationFailed(DomainError):
    """No valid proof of identity (web: 401 or the sign-in form; command line: exit 1)."""


class PasswordChangeRequired(DomainError):
    """The password is an initial one: it only serves to choose an own password."""


def login_key(login: str) -> str:
    """Logins are unique regardless of case: the key they are compared by."""
    return login.strip().lower()


def check_new_login(login: str | None) -> str:
    """A new login: not empty, ASCII letters, digits, '.', '_' and '-' only (no look-alikes)."""
    value = (login or "").strip()
    if not value:
        raise InvalidInput("Der Login darf nicht leer sein.")
    if len(value) > LOGIN_MAX:
        raise InvalidInput(f"Der Login ist zu lang ({len(value)} Zeichen, höchstens "
                           f"{LOGIN_MAX}).")
    if not LOGIN_PATTERN.fullmatch(value):
        raise InvalidInput(
            f"Ungültiger Login '{value}': erlaubt sind nur die Buchstaben A-Z und a-z (ohne "
            "Umlaute), Ziffern, '.', '_' und '-'."
        )
    return value


def check_claimed_login(login: str | None) -> str:
    """The login someone claims to be: never empty (an empty one is not replaced by a
    default)."""
    value = (login or "").strip()
    if not value:
        raise AuthenticationFailed("Der Login darf nicht leer sein (--user oder "
                                   "CONTROLLING_USER).")
    return value


def check_new_password(password: str | None, *, login: str, current: str | None = None) -> str:
    """A password a person chooses (or an admin gives as initial password)."""
    value = password or ""
    if value != value.strip():
        raise InvalidInput("Das Passwort darf nicht mit Leerzeichen beginnen oder enden.")
    if len(value) < PASSWORD_MIN:
        raise InvalidInput(f"Das Passwort ist zu kurz: mindestens {PASSWORD_MIN} Zeichen.")
    if len(value) > PASSWORD_MAX:
        raise InvalidInput(f"Das Passwort ist zu lang: höchstens {PASSWORD_MAX} Zeichen.")
    if value.lower() == login.lower():
        raise InvalidInput("Das Passwort darf nicht der Login sein.")
    if current is not None and value == current:
        raise InvalidInput("Das neue Passwort muss sich vom bisherigen unterscheiden.")
    return value


@dataclass(frozen=True)
class Attempt:
    at: datetime
    success: bool


def locked_until(attempts: list[Attempt], at: datetime) -> datetime | None:
    """When the login is locked: LOCKOUT_FAILURES failures within LOCKOUT_WINDOW with no
    success after them lock it until LOCKOUT_WINDOW after the last failure. `attempts` are the
    login's password attempts of the last two windows (LOCKOUT_LOOKBACK), any order."""
    failures = []
    for attempt in sorted((a for a in attempts if a.at <= at), key=lambda a: a.at):
        failures = [] if attempt.success else [*failures, attempt]
    if len(failures) < LOCKOUT_FAILURES:
        return None
    series = failures[-LOCKOUT_FAILURES:]
    if series[-1].at - series[0].at >= LOCKOUT_WINDOW:
        return None
    until = series[-1].at + LOCKOUT_WINDOW
    return until if until > at else None


def session_expired(created_at: datetime, last_seen_at: datetime, at: datetime) -> bool:
    return at - last_seen_at >= SESSION_IDLE or at - created_at >= SESSION_ABSOLUTE


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path of this application (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ch in target for ch in "\r\n\t") or target.startswith("/\t"):
        return "/"
    return target
