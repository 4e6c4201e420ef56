"""The rules of identity without a database: what a login and a password may be, when failed
attempts lock a login, when a web session ends, where a sign-in may lead, and how passwords
and tokens are kept (controlling/domain/identity.py, controlling/services/credentials.py)."""

import hashlib
from datetime import datetime, timedelta

import pytest

from controlling.domain.errors import InvalidInput
from controlling.domain.identity import (
    LOCKOUT_FAILURES,
    LOCKOUT_WINDOW,
    LOGIN_MAX,
    PASSWORD_MAX,
    PASSWORD_MIN,
    SESSION_ABSOLUTE,
    SESSION_IDLE,
    TOKEN_PREFIX,
    Attempt,
    AuthenticationFailed,
    check_claimed_login,
    check_new_login,
    check_new_password,
    locked_until,
    login_key,
    safe_next,
    session_expired,
)
from controlling.services.credentials import (
    digest,
    hash_password,
    new_token,
    same,
    verify_password,
)

T = datetime(2026, 3, 2, 9, 0)


# Logins ------------------------------------------------------------------------------------

@pytest.mark.parametrize("login", ["admin", "bl31", "p.schmidt", "m_muster", "bl-3-1", "A9"])
def test_a_login_of_ascii_letters_digits_dot_underscore_and_hyphen_is_accepted(login):
    assert check_new_login(login) == login


def test_a_login_is_taken_without_surrounding_spaces():
    assert check_new_login("  planer ") == "planer"


@pytest.mark.parametrize("login", [
    "adm\u0456n",  # Cyrillic і (U+0456) looks like the Latin i of "admin"
    "\u0430dmin",  # Cyrillic а
    "müller", "straße", "p schmidt", "a@b", "x/y", "tab\there", "emoji\U0001F600",
    "ｆｕｌｌｗｉｄｔｈ",
])
def test_a_login_with_anything_but_those_characters_is_refused_look_alikes_too(login):
    with pytest.raises(InvalidInput, match="Ungültiger Login"):
        check_new_login(login)


def test_the_look_alike_admin_is_not_the_same_login_as_admin():
    assert login_key("adm\u0456n") != login_key("admin")


@pytest.mark.parametrize("login", ["", "   ", None])
def test_an_empty_new_login_is_refused(login):
    with pytest.raises(InvalidInput, match="darf nicht leer sein"):
        check_new_login(login)


def test_a_login_longer_than_the_limit_is_refused():
    assert check_new_login("a" * LOGIN_MAX) == "a" * LOGIN_MAX
    with pytest.raises(InvalidInput, match="zu lang"):
        check_new_login("a" * (LOGIN_MAX + 1))


def test_logins_are_compared_regardless_of_case():
    assert login_key("Admin") == login_key("ADMIN") == login_key(" admin ") == "admin"


@pytest.mark.parametrize("claimed", ["", "  ", None])
def test_an_empty_claimed_login_is_refused_and_never_replaced_by_a_default(claimed):
    with pytest.raises(AuthenticationFailed, match="Der Login darf nicht leer sein"):
        check_claimed_login(claimed)


def test_a_claimed_login_is_taken_as_given_without_surrounding_spaces():
    assert check_claimed_login(" bl31 ") == "bl31"


# Passwords ---------------------------------------------------------------------------------

def test_a_password_of_at_least_the_minimum_length_is_accepted():
    password = "x" * (PASSWORD_MIN - 1) + "y"
    assert check_new_password(password, login="planer") == password


@pytest.mark.parametrize("password, message", [
    ("kurz", "zu kurz"),
    ("", "zu kurz"),
    (None, "zu kurz"),
    ("x" * (PASSWORD_MIN - 1), "zu kurz"),
    ("x" * (PASSWORD_MAX + 1), "zu lang"),
    (" mit-leerzeichen-vorn", "Leerzeichen"),
    ("mit-leerzeichen-hinten ", "Leerzeichen"),
])
def test_a_password_too_short_too_long_or_with_surrounding_spaces_is_refused(password,
                                                                              message):
    with pytest.raises(InvalidInput, match=message):
        check_new_password(password, login="planer")


def test_the_login_itself_is_no_password_in_any_case():
    with pytest.raises(InvalidInput, match="nicht der Login"):
        check_new_password("Planer.Schmidt", login="planer.schmidt")


def test_a_new_password_must_differ_from_the_current_one():
    with pytest.raises(InvalidInput, match="unterscheiden"):
        check_new_password("altes-passwort-1", login="planer", current="altes-passwort-1")
    assert check_new_password("neues-passwort-1", login="planer",
                              current="altes-passwort-1") == "neues-passwort-1"


# Lockout -----------------------------------------------------------------------------------

def failures(count: int, start: datetime = T, step: timedelta = timedelta(seconds=10)):
    return [Attempt(start + i * step, False) for i in range(count)]


def test_fewer_failures_than_the_limit_do_not_lock():
    attempts = failures(LOCKOUT_FAILURES - 1)
    assert locked_until(attempts, attempts[-1].at + timedelta(seconds=1)) is None


def test_five_failures_within_the_window_lock_until_the_window_after_the_last():
    assert LOCKOUT_FAILURES == 5 and LOCKOUT_WINDOW == timedelta(minutes=15)
    attempts = failures(5)
    last = attempts[-1].at
    assert locked_until(attempts, last + timedelta(seconds=1)) == last + LOCKOUT_WINDOW
    assert locked_until(attempts, last + LOCKOUT_WINDOW - timedelta(seconds=1)) == (
        last + LOCKOUT_WINDOW)


def test_failures_spread_over_the_window_lock_for_a_whole_window_after_the_last_one():
    attempts = failures(5, step=timedelta(minutes=3))  # 0, 3, 6, 9 and 12 minutes
    last = attempts[-1].at
    # the first failure is more than a window ago by then: the lock still lasts
    assert locked_until(attempts, T + timedelta(minutes=16)) == last + LOCKOUT_WINDOW
    assert locked_until(attempts, last + LOCKOUT_WINDOW) is None


def test_five_failures_spanning_more_than_the_window_do_not_lock():
    attempts = failures(5, step=timedelta(minutes=4))  # 0 to 16 minutes
    assert locked_until(attempts, attempts[-1].at + timedelta(seconds=1)) is None


def test_the_lock_ends_when_the_window_has_passed():
    attempts = failures(5)
    assert locked_until(attempts, attempts[-1].at + LOCKOUT_WINDOW) is None


def test_the_order_of_the_attempts_does_not_matter():
    attempts = failures(5)
    later = attempts[-1].at + timedelta(seconds=1)
    assert locked_until(list(reversed(attempts)), later) == locked_until(attempts, later)


def test_a_success_after_failures_starts_the_count_again():
    attempts = [*failures(4), Attempt(T + timedelta(minutes=1), True),
                *failures(4, start=T + timedelta(minutes=2))]
    assert locked_until(attempts, T + timedelta(minutes=3)) is None
    attempts.append(Attempt(T + timedelta(minutes=2, seconds=50), False))
    assert locked_until(attempts, T + timedelta(minutes=3)) is not None


def test_failures_older_than_the_window_do_not_count():
    old = failures(3, start=T - timedelta(minutes=20))
    recent = failures(2, start=T)
    assert locked_until([*old, *recent], T + timedelta(minutes=1)) is None


def test_no_attempts_no_lock():
    assert locked_until([], T) is None


# Web sessions ------------------------------------------------------------------------------

def test_a_session_seen_recently_and_younger_than_the_limit_lives():
    assert not session_expired(T, T + timedelta(minutes=29), T + timedelta(minutes=30))


def test_a_session_idle_for_thirty_minutes_has_expired():
    assert SESSION_IDLE == timedelta(minutes=30)
    assert session_expired(T, T, T + SESSION_IDLE)
    assert not session_expired(T, T, T + SESSION_IDLE - timedelta(seconds=1))


def test_a_session_expires_after_twelve_hours_however_busy():
    assert SESSION_ABSOLUTE == timedelta(hours=12)
    at = T + SESSION_ABSOLUTE
    assert session_expired(T, at - timedelta(seconds=1), at)
    assert not session_expired(T, at - timedelta(seconds=2), at - timedelta(seconds=1))


# Where a sign-in leads ---------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/", "/empfehlungen", "/empfehlungen/7?format=json",
                                    "/berichte/2024-Q1#lichter"])
def test_a_path_of_this_application_is_kept(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", [
    None, "", "//evil.example", "//evil.example/path", "https://evil.example",
    "http://evil.example/", "javascript:alert(1)", "evil.example", "/\\evil.example",
    "\\\\evil.example", "/\\/evil.example", "/ok\\..\\evil", "/\t/evil.example",
    "/ok\r\nLocation: https://evil.example", "/ok\nx",
])
def test_anything_that_could_leave_the_application_leads_to_the_start_page(target):
    assert safe_next(target) == "/"


# Keeping secrets ---------------------------------------------------------------------------

PASSWORD = "Korrekt-Pferd-Batterie-9"


def test_a_password_is_hashed_with_argon2id():
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert hashed != PASSWORD and PASSWORD not in hashed


def test_the_same_password_hashes_differently_each_time():
    assert hash_password(PASSWORD) != hash_password(PASSWORD)  # a salt of its own


def test_the_right_password_verifies_and_a_wrong_one_does_not():
    hashed = hash_password(PASSWORD)
    assert verify_password(hashed, PASSWORD) is True
    assert verify_password(hashed, PASSWORD.lower()) is False
    assert verify_password(hashed, PASSWORD + " ") is False
    assert verify_password(hashed, "") is False


def test_without_a_hash_no_password_verifies():
    assert verify_password(None, PASSWORD) is False
    assert verify_password(None, "") is False


def test_a_damaged_hash_verifies_nothing_instead_of_failing():
    assert verify_password("kein-hash", PASSWORD) is False
    assert verify_password("$argon2id$v=19$kaputt", PASSWORD) is False


def test_a_token_is_long_random_and_kept_only_as_its_sha256_digest():
    first, second = new_token(), new_token()
    assert first.startswith(TOKEN_PREFIX) and len(first) >= len(TOKEN_PREFIX) + 40
    assert first != second
    assert digest(first) == hashlib.sha256(first.encode()).hexdigest()
    assert len(digest(first)) == 64 and first not in digest(first)


def test_secrets_are_compared_whole_and_never_when_empty():
    assert same("abc", "abc")
    assert not same("abc", "abd") and not same("", "") and not same(None, "abc")
