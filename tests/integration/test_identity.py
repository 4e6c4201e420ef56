"""Proven identity on both backends: initial and own passwords, the lockout after repeated
failures (an unknown login alike), tokens that expire and are revoked, deactivation and
password resets ending tokens and sessions, logins unique regardless of case, the account
events and the sign-in log, and no password or token ever stored in clear."""

import json
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import MetaData, select, text
from sqlalchemy.exc import IntegrityError

from controlling import clock
from controlling.data.models import AccountEvent, ApiToken, SignIn, User, WebSession
from controlling.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from controlling.domain.identity import (
    LOCKED,
    LOCKOUT_WINDOW,
    SIGN_IN_FAILED,
    TOKEN_INVALID,
    AuthenticationFailed,
    PasswordChangeRequired,
)
from controlling.services import accounts, identity, web_sessions
from controlling.services.credentials import digest
from controlling.services.setup import add_user
from tests.conftest import snapshot, snapshot_but_sign_ins

INITIAL = "Initial-Passwort-1"
OWN = "Eigenes-Passwort-2"
WRONG = "Vertippt-Passwort-3"
OS_LOGIN = "betriebssystem"  # the operating system's login here: nobody of the database


def prove(uow, claimed, **proof) -> str:
    return identity.prove_identity(uow, claimed=claimed, os_login=OS_LOGIN, **proof)


def own_password(uow, login: str, password: str = OWN) -> None:
    """An admin gives an initial password, the user chooses their own with it."""
    accounts.set_password(uow(), "admin", login, new=INITIAL)
    accounts.set_password(uow(), login, login, current=INITIAL, new=password)


def fail(result, message: str) -> None:
    """Refused: exit 1 and exactly one German line on standard error."""
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Fehler: "), (
        result.stderr)
    assert message in result.stderr, result.stderr


def sign_ins(engine, login: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(
            select(SignIn.channel, SignIn.outcome, SignIn.detail)
            .where(SignIn.login == login).order_by(SignIn.id))]


# Initial and own passwords -----------------------------------------------------------------

def test_an_initial_password_cannot_prove_identity_but_serves_to_choose_an_own_one(uow,
                                                                                   people):
    assert accounts.set_password(uow(), "admin", "planer", new=INITIAL) == {
        "login": "planer", "initial": True}
    with pytest.raises(PasswordChangeRequired, match="ist ein Initialpasswort"):
        prove(uow, "planer", password=INITIAL)
    assert accounts.set_password(uow(), "planer", "planer", current=INITIAL, new=OWN) == {
        "login": "planer", "initial": False}
    assert prove(uow, "planer", password=OWN) == "planer"
    with pytest.raises(AuthenticationFailed, match=SIGN_IN_FAILED):
        prove(uow, "planer", password=INITIAL)


def test_on_the_command_line_an_initial_password_only_leads_to_choosing_an_own_one(cli,
                                                                                    people):
    given = cli("user", "password", "planer", "--password-stdin", input=f"{INITIAL}\n")
    assert given.exit_code == 0 and "Initialpasswort für 'planer' gesetzt" in given.stdout
    fail(cli("recommendation", "list", user="planer", env={"CONTROLLING_PASSWORD": INITIAL}),
         "ist ein Initialpasswort")
    chosen = cli("user", "password", "planer", "--password-stdin", user="planer",
                 input=f"{INITIAL}\n{OWN}\n", proof=False)
    assert chosen.exit_code == 0, chosen.output
    assert chosen.stdout == "Eigenes Passwort für 'planer' gesetzt.\n"
    listed = cli("recommendation", "list", "--format", "json", user="planer",
                 env={"CONTROLLING_PASSWORD": OWN})
    assert listed.exit_code == 0 and json.loads(listed.stdout) == []


def test_choosing_an_own_password_needs_the_current_one(uow, people):
    accounts.set_password(uow(), "admin", "planer", new=INITIAL)
    with pytest.raises(AuthenticationFailed, match="das bisherige Passwort ist falsch"):
        accounts.set_password(uow(), "planer", "planer", current=WRONG, new=OWN)
    with pytest.raises(InvalidInput, match="unterscheiden"):
        accounts.set_password(uow(), "planer", "planer", current=INITIAL, new=INITIAL)
    with pytest.raises(PasswordChangeRequired):
        prove(uow, "planer", password=INITIAL)  # nothing changed: still the initial one


def test_only_admins_set_the_password_of_someone_else(uow, people):
    with pytest.raises(PermissionDenied, match="Keine Berechtigung"):
        accounts.set_password(uow(), "planer", "bl31", new=INITIAL)
    assert not accounts.has_password(uow(), "bl31")


# Lockout -----------------------------------------------------------------------------------

def test_five_wrong_passwords_lock_the_login_even_against_the_right_one(uow, people):
    own_password(uow, "planer")
    start = clock.now()
    with clock.freeze(start):
        for _ in range(5):
            with pytest.raises(AuthenticationFailed) as refused:
                identity.check_password(uow(), "planer", WRONG, channel="web")
            assert str(refused.value) == SIGN_IN_FAILED
        with pytest.raises(AuthenticationFailed) as locked:
            identity.check_password(uow(), "planer", OWN, channel="web")
        assert str(locked.value) == LOCKED
    with clock.freeze(start + LOCKOUT_WINDOW - timedelta(seconds=1)):
        with pytest.raises(AuthenticationFailed, match="Zu viele fehlgeschlagene"):
            identity.check_password(uow(), "planer", OWN, channel="web")
    with clock.freeze(start + LOCKOUT_WINDOW):
        assert identity.check_password(uow(), "planer", OWN, channel="web").login == "planer"


def test_four_wrong_passwords_and_then_the_right_one_start_the_count_again(uow, people):
    own_password(uow, "planer")
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            identity.check_password(uow(), "planer", WRONG, channel="web")
    assert identity.check_password(uow(), "planer", OWN, channel="web").login == "planer"
    for _ in range(4):
        with pytest.raises(AuthenticationFailed, match=SIGN_IN_FAILED):
            identity.check_password(uow(), "planer", WRONG, channel="web")
    assert identity.check_password(uow(), "planer", OWN, channel="web").login == "planer"


def test_an_unknown_login_gets_the_message_of_a_wrong_password_and_is_locked_alike(uow,
                                                                                   engine,
                                                                                   people):
    own_password(uow, "planer")
    with pytest.raises(AuthenticationFailed) as wrong:
        identity.check_password(uow(), "planer", WRONG, channel="web")
    messages = set()
    for _ in range(5):
        with pytest.raises(AuthenticationFailed) as unknown:
            identity.check_password(uow(), "niemand", WRONG, channel="web")
        messages.add(str(unknown.value))
    assert messages == {str(wrong.value)} == {SIGN_IN_FAILED}
    with pytest.raises(AuthenticationFailed) as locked:
        identity.check_password(uow(), "NIEMAND", WRONG, channel="web")  # any case
    assert str(locked.value) == LOCKED
    assert sign_ins(engine, "niemand") == [("web", "failure", None)] * 5
    assert sign_ins(engine, "NIEMAND") == [("web", "locked", None)]


def test_on_the_command_line_five_wrong_passwords_lock_the_login(cli, people, uow, engine):
    own_password(uow, "planer")
    before = snapshot_but_sign_ins(engine)
    for _ in range(5):
        refused = cli("status", user="planer", env={"CONTROLLING_PASSWORD": WRONG})
        fail(refused, SIGN_IN_FAILED)
    fail(cli("status", user="planer", env={"CONTROLLING_PASSWORD": OWN}), LOCKED)
    assert snapshot_but_sign_ins(engine) == before
    assert sign_ins(engine, "planer")[-6:] == [("cli", "failure", None)] * 5 + [
        ("cli", "locked", None)]


# Tokens ------------------------------------------------------------------------------------

def test_a_token_proves_its_owner_until_its_last_day_and_not_after(uow, people, cli):
    last_day = clock.today() + timedelta(days=2)
    created = accounts.create_token(uow(), "planer", name="Skript", expires_on=last_day)
    assert created["expires_on"] == last_day.isoformat()
    with clock.freeze(datetime.combine(last_day, time(23, 59))):
        assert prove(uow, "planer", token=created["token"]) == "planer"
        assert prove(uow, None, token=created["token"]) == "planer"  # the token names them
    with clock.freeze(datetime.combine(last_day + timedelta(days=1), time(0, 1))):
        with pytest.raises(AuthenticationFailed, match="ungültig, abgelaufen oder widerrufen"):
            prove(uow, "planer", token=created["token"])
        with pytest.raises(AuthenticationFailed, match=TOKEN_INVALID):
            prove(uow, None, token=created["token"])
        fail(cli("status", user="planer", env={"CONTROLLING_TOKEN": created["token"]}),
             TOKEN_INVALID)
        states = {t["id"]: t["state"] for t in accounts.list_tokens(uow(), "planer")}
        assert states[created["id"]] == "expired"


def test_a_token_lasts_ninety_days_unless_told_and_never_more_than_a_year(uow, people):
    today = clock.today()
    assert accounts.create_token(uow(), "planer")["expires_on"] == (
        today + timedelta(days=90)).isoformat()
    with pytest.raises(InvalidInput, match="höchstens 366 Tage"):
        accounts.create_token(uow(), "planer", expires_on=today + timedelta(days=367))
    with pytest.raises(InvalidInput, match="Vergangenheit"):
        accounts.create_token(uow(), "planer", expires_on=today - timedelta(days=1))


def test_a_token_proves_nobody_but_its_owner(uow, engine, people):
    token = accounts.create_token(uow(), "bl31")["token"]
    with pytest.raises(AuthenticationFailed, match=TOKEN_INVALID):
        prove(uow, "planer", token=token)
    with pytest.raises(AuthenticationFailed, match=TOKEN_INVALID):
        prove(uow, "planer", token="ctl_erfunden")
    assert sign_ins(engine, "planer") == [("cli", "failure", "Token ungültig")] * 2


def test_a_revoked_token_proves_nothing(cli, people):
    created = json.loads(cli("user", "token", "create", "--name", "Skript", "--format",
                             "json", user="planer").stdout)
    works = cli("status", user="planer", env={"CONTROLLING_TOKEN": created["token"]})
    assert works.exit_code == 0, works.output
    fail(cli("user", "token", "revoke", created["id"], user="bl31"), "Unbekanntes Token")
    revoked = cli("user", "token", "revoke", created["id"], user="planer")
    assert revoked.exit_code == 0
    assert revoked.stdout == f"Token {created['id']} 'Skript' widerrufen.\n"
    fail(cli("status", user="planer", env={"CONTROLLING_TOKEN": created["token"]}),
         TOKEN_INVALID)
    listed = json.loads(cli("user", "token", "list", "--format", "json", user="planer").stdout)
    assert {t["id"]: t["state"] for t in listed}[created["id"]] == "revoked"
    assert all("token" not in t and "token_hash" not in t for t in listed)


def test_revoking_an_unknown_token_is_refused(uow, people):
    with pytest.raises(NotFound, match="Unbekanntes Token 999"):
        accounts.revoke_token(uow(), "planer", 999)


# Deactivation and password resets ----------------------------------------------------------

def test_deactivation_ends_tokens_and_sessions_and_keeps_the_name_in_history(cli, people,
                                                                            uow, engine):
    assert cli("recommendation", "add", "--number", 1, "--title", "Stadtteilbüro",
               "--district", "Osterfeld", "--department", "3-1", user="planer").exit_code == 0
    own_password(uow, "planer")  # (ends the fixture's token of planer)
    token = accounts.create_token(uow(), "planer")["token"]
    key = web_sessions.sign_in(uow, "planer", OWN)
    assert web_sessions.current(uow(), key) is not None
    assert prove(uow, "planer", token=token) == "planer"
    done = cli("user", "deactivate", "planer")
    assert done.exit_code == 0
    assert done.stdout == "Benutzer 'planer' deaktiviert; Sitzungen und Tokens beendet.\n"
    with engine.connect() as connection:
        planer = connection.execute(select(User.id, User.active, User.deactivated_at)
                                    .where(User.login == "planer")).one()
        tokens = connection.execute(select(ApiToken.revoked_at, ApiToken.revoked_reason)
                                    .where(ApiToken.user_id == planer.id,
                                           ApiToken.token_hash == digest(token))).all()
        sessions = connection.execute(select(WebSession.ended_at, WebSession.ended_reason)
                                      .where(WebSession.user_id == planer.id)).all()
    assert not planer.active and planer.deactivated_at is not None
    assert tokens and all(t.revoked_at and t.revoked_reason == "deaktiviert" for t in tokens)
    assert sessions and all(s.ended_at and s.ended_reason == "deaktiviert" for s in sessions)
    assert web_sessions.current(uow(), key) is None
    fail(cli("status", user="planer", env={"CONTROLLING_TOKEN": token}),
         "Benutzer 'planer' ist deaktiviert")
    fail(cli("status", user="planer", env={"CONTROLLING_PASSWORD": OWN}), "deaktiviert")
    with pytest.raises(PermissionDenied, match="deaktiviert"):
        accounts.create_token(uow(), "planer")
    with pytest.raises(AuthenticationFailed, match=SIGN_IN_FAILED):
        web_sessions.sign_in(uow, "planer", OWN)
    shown = json.loads(cli("recommendation", "show", 1, "--format", "json").stdout)
    assert shown["history"][0]["actor"] == "planer"
    users = {u["login"]: u for u in json.loads(cli("user", "list", "--format", "json").stdout)}
    assert users["planer"]["active"] is False and users["planer"]["name"] == "planer"


def test_nobody_deactivates_themselves_and_only_admins_deactivate(cli, people):
    fail(cli("user", "deactivate", "admin"), "Niemand kann sich selbst deaktivieren")
    fail(cli("user", "deactivate", "bl31", user="planer"), "Keine Berechtigung")
    fail(cli("user", "deactivate", "niemand"), "Unbekannter Benutzer 'niemand'")


def test_a_password_reset_by_an_admin_ends_the_users_tokens_and_sessions(cli, people, uow,
                                                                         engine):
    assert cli("status", user="bl31").exit_code == 0
    own_password(uow, "bl31")
    key = web_sessions.sign_in(uow, "bl31", OWN)
    reset = cli("user", "password", "bl31", "--password-stdin", input=f"{INITIAL}-neu\n")
    assert reset.exit_code == 0 and "Sitzungen und Tokens sind beendet" in reset.stdout
    fail(cli("status", user="bl31"), TOKEN_INVALID)  # the fixture's token has ended
    assert web_sessions.current(uow(), key) is None
    with engine.connect() as connection:
        reasons = set(connection.execute(
            select(ApiToken.revoked_reason).join(User, ApiToken.user_id == User.id)
            .where(User.login == "bl31")).scalars())
        initial = connection.execute(select(User.password_is_initial)
                                     .where(User.login == "bl31")).scalar_one()
    assert reasons == {"Passwort zurückgesetzt"} and initial
    with pytest.raises(AuthenticationFailed, match=SIGN_IN_FAILED):
        prove(uow, "bl31", password=OWN)
    assert cli("status", user="bl32").exit_code == 0  # nobody else's tokens end


def test_a_planner_cannot_reset_a_password_and_nothing_changes(cli, people, engine):
    before = snapshot(engine)
    fail(cli("user", "password", "bl32", "--password-stdin", user="planer",
             input=f"{INITIAL}\n"), "Keine Berechtigung")
    assert snapshot(engine) == before


# Logins regardless of case -----------------------------------------------------------------

@pytest.mark.parametrize("login", ["Admin", "ADMIN", "Planer"])
def test_a_login_differing_only_in_case_is_refused_and_nothing_changes(cli, people, engine,
                                                                       login):
    before = snapshot(engine)
    fail(cli("user", "add", login, "--name", "Doppelt", "--role", "planner"),
         f"Benutzer '{login}' gibt es bereits (als '{login.lower()}')")
    assert snapshot(engine) == before


def test_the_database_itself_refuses_a_login_differing_only_in_case(engine, db_url):
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (login, name, role, is_example, created_at, password_is_initial,"
            " active) VALUES ('ADMIN', 'x', 'admin', false, '2026-01-01 00:00:00', false,"
            " true)"))


def test_the_service_refuses_it_as_a_conflict(uow, people):
    with pytest.raises(Conflict, match="unabhängig von Groß- und Kleinschreibung"):
        add_user(uow(), "admin", new_login="BL31", name="x", role="committee")


def test_a_look_alike_login_is_refused(cli, people):
    fail(cli("user", "add", "adm\u0456n", "--name", "Falsch", "--role", "admin"),
         "Ungültiger Login")


def test_a_login_typed_in_another_case_acts_under_its_own_spelling(cli, people):
    added = cli("recommendation", "add", "--number", 5, "--title", "Treffpunkt", "--district",
                "Osterfeld", "--department", "3-1", user="PLANER")
    assert added.exit_code == 0, added.output
    shown = json.loads(cli("recommendation", "show", 5, "--format", "json").stdout)
    assert shown["history"][0]["actor"] == "planer"


# The account events and the sign-in log ----------------------------------------------------

def events(engine, login: str) -> list[tuple]:
    with engine.connect() as connection:
        actor = User.__table__.alias("actor")
        return [tuple(r) for r in connection.execute(
            select(AccountEvent.action, actor.c.login, AccountEvent.detail)
            .join(User, AccountEvent.user_id == User.id)
            .outerjoin(actor, AccountEvent.actor_id == actor.c.id)
            .where(User.login == login).order_by(AccountEvent.id))]


def test_every_change_to_an_account_is_an_account_event(uow, engine, db_url):
    add_user(uow(), "admin", new_login="neu", name="Neu", role="committee")
    accounts.set_password(uow(), "admin", "neu", new=INITIAL)
    accounts.set_password(uow(), "neu", "neu", current=INITIAL, new=OWN)
    token = accounts.create_token(uow(), "neu", name="Skript")
    accounts.revoke_token(uow(), "neu", token["id"])
    accounts.change_user(uow(), "admin", "neu", role="planner")
    accounts.deactivate_user(uow(), "admin", "neu")
    assert events(engine, "neu") == [
        ("created", "admin", "committee"),
        ("password_reset", "admin", "Initialpasswort gesetzt"),
        ("password_changed", "neu", "eigenes Passwort gewählt"),
        ("token_created", "neu", f"Token {token['id']} 'Skript'"),
        ("token_revoked", "neu", f"Token {token['id']}"),
        ("changed", "admin", "committee → planner"),
        ("deactivated", "admin", None),
    ]
    assert events(engine, "admin")[0] == ("created", None, "erster Admin (init)")


def test_a_refused_change_records_no_account_event(uow, engine, people):
    before = snapshot(engine)
    with pytest.raises(PermissionDenied):
        accounts.change_user(uow(), "planer", "bl31", role="admin")
    with pytest.raises(PermissionDenied, match="eigene Admin-Rolle"):
        accounts.change_user(uow(), "admin", "admin", role="planner")
    assert snapshot(engine) == before


def test_failed_proofs_are_written_to_the_sign_in_log_and_nothing_else(cli, people, uow,
                                                                       engine):
    own_password(uow, "planer")
    before = snapshot_but_sign_ins(engine)
    fail(cli("status", user="planer", env={"CONTROLLING_PASSWORD": WRONG}), SIGN_IN_FAILED)
    fail(cli("status", user="bl31", env={"CONTROLLING_TOKEN": "ctl_erfunden"}), TOKEN_INVALID)
    assert snapshot_but_sign_ins(engine) == before
    assert cli("status", user="planer", env={"CONTROLLING_PASSWORD": OWN}).exit_code == 0
    assert sign_ins(engine, "planer") == [("cli", "failure", None), ("cli", "success", None)]
    assert sign_ins(engine, "bl31") == [("cli", "failure", "Token ungültig")]
    with engine.connect() as connection:
        owners = dict(connection.execute(
            select(SignIn.login, User.login).join(User, SignIn.user_id == User.id)).all())
    assert owners == {"planer": "planer", "bl31": "bl31"}
    log = json.loads(cli("user", "sign-ins", "--format", "json").stdout)
    assert [(e["login"], e["channel"], e["outcome"]) for e in log] == [
        ("planer", "cli", "success"), ("bl31", "cli", "failure"), ("planer", "cli", "failure")]
    assert set(log[0]) == {"recorded_at", "login", "channel", "outcome", "address", "detail"}
    fail(cli("user", "sign-ins", user="planer", env={"CONTROLLING_PASSWORD": OWN}),
         "Keine Berechtigung")


def test_a_proof_by_token_writes_nothing(cli, people, engine):
    before = snapshot(engine)
    assert cli("recommendation", "list", user="planer").exit_code == 0
    assert snapshot(engine) == before


# Secrets -----------------------------------------------------------------------------------

def dump(engine) -> str:
    """Every value of every table of the database (also those the models do not know)."""
    tables = MetaData()
    tables.reflect(engine)
    lines = []
    with engine.connect() as connection:
        for table in tables.sorted_tables:
            for row in connection.execute(select(table)):
                lines.append(f"{table.name}: {tuple(row)!r}")
    return "\n".join(lines)


def test_no_password_or_token_is_ever_stored_in_clear(cli, people, uow, engine, db_url):
    assert cli("user", "password", "planer", "--password-stdin",
               input=f"{INITIAL}\n").exit_code == 0
    assert cli("user", "password", "planer", "--password-stdin", user="planer",
               input=f"{INITIAL}\n{OWN}\n", proof=False).exit_code == 0
    assert cli("status", user="planer", env={"CONTROLLING_PASSWORD": WRONG}).exit_code == 1
    with pytest.raises(AuthenticationFailed):
        web_sessions.sign_in(uow, "planer", WRONG + "-web")
    key = web_sessions.sign_in(uow, "planer", OWN)
    token = json.loads(cli("user", "token", "create", "--format", "json",
                           user="planer", env={"CONTROLLING_PASSWORD": OWN}).stdout)["token"]
    secrets = (INITIAL, OWN, WRONG, WRONG + "-web", token, key)
    everything = dump(engine)
    assert "$argon2id$" in everything and "planer" in everything
    for secret in secrets:
        assert secret not in everything
    if db_url.startswith("sqlite:///"):
        engine.dispose()
        for path in (db_url[len("sqlite:///"):], db_url[len("sqlite:///"):] + "-wal"):
            try:
                raw = open(path, "rb").read()
            except FileNotFoundError:
                continue
            for secret in secrets:
                assert secret.encode() not in raw
    with engine.connect() as connection:
        hashed = connection.execute(select(User.password_hash)
                                    .where(User.login == "planer")).scalar_one()
    assert hashed.startswith("$argon2id$")
