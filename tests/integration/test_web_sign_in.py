"""Signing in and out of the web application, and how sessions end: one message for every
failed sign-in, lockout, no session fixation, cookie flags, idle and absolute expiry, sign-out
by POST with the CSRF token, no open redirect, initial passwords, deactivation and reset, and
the sign-in log. Times are frozen with controlling.clock.freeze."""

import re
from datetime import timedelta

import pytest

from controlling import clock
from controlling.domain.identity import LOCKED, SIGN_IN_FAILED
from controlling.services.credentials import digest
from tests.web_support import (
    INITIAL,
    add_team,
    bearer,
    browser,
    cheap_hashing,
    cookie_headers,
    csrf_of,
    give_team_passwords,
    hidden,
    password_of,
    recommendation,
    session_key,
    sign_in,
    sign_in_rows,
    sign_in_target,
    signed_in,
    token_of,
    web_app,
)

SESSION, SIGNIN = "controlling_session", "controlling_signin"
PAGES = ("/", "/uebersicht", "/freigabe", "/sachstand", "/empfehlungen", "/empfehlungen/1",
         "/berichte", "/berichte/quartal/2024-Q1", "/berichte/quartal/2024-Q1.pdf",
         "/berichte/strategiepapier.pdf?district=Osterfeld", "/berichte/stadt.pdf",
         "/verwaltung/benutzer", "/verwaltung/anmeldungen")


@pytest.fixture
def app(db_url, uow, monkeypatch):
    """The team with own passwords; recommendation 1 (proposed, 3-1)."""
    cheap_hashing(monkeypatch)
    add_team(uow)
    give_team_passwords(uow)
    recommendation(uow, 1)
    return web_app(db_url)


@pytest.fixture
def later():
    """A moment after everything the fixtures recorded (a frozen clock in the past would see
    their sign-ins as recent)."""
    return clock.now().replace(microsecond=0) + timedelta(days=1)


def message(page: str) -> str | None:
    found = re.search(r'<p class="error" role="alert">([^<]*)</p>', page)
    return found.group(1) if found else None


def is_signed_in(client) -> bool:
    return client.get("/passwort").status_code == 200


def open_sessions(engine, login: str) -> int:
    from sqlalchemy import func, select

    from controlling.data.models import User, WebSession

    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(WebSession).join(User)
            .where(User.login == login, WebSession.ended_at.is_(None))).scalar_one()


def test_an_unknown_login_a_wrong_password_and_a_deactivated_user_get_the_same_message(
        app, uow):
    from controlling.services.accounts import deactivate_user

    deactivate_user(uow(), "admin", "ausschuss")
    answers = [sign_in(browser(app), "niemand", "Irgendein-Passwort"),
               sign_in(browser(app), "planer", "Falsches-Passwort"),
               sign_in(browser(app), "ausschuss")]  # the right password, but deactivated
    assert [a.status_code for a in answers] == [401, 401, 401]
    assert {message(a.text) for a in answers} == {SIGN_IN_FAILED}
    assert all(SESSION not in a.headers.get("set-cookie", "") for a in answers)
    assert "Login oder Passwort ist falsch" in SIGN_IN_FAILED


@pytest.mark.parametrize("login", ["planer", "unbekannt"])
def test_five_failures_lock_a_login_known_or_unknown_for_15_minutes(app, later, login):
    client = browser(app)
    with clock.freeze(later):
        for _ in range(5):
            assert message(sign_in(client, login, "Falsches-Passwort").text) == SIGN_IN_FAILED
        locked = sign_in(client, login)  # the right password (for planer) does not help now
        assert locked.status_code == 401 and message(locked.text) == LOCKED
        assert "15 Minuten" in LOCKED
        assert sign_in(browser(app), "bl31").status_code == 303  # others are not locked
    with clock.freeze(later + timedelta(minutes=14, seconds=59)):
        assert message(sign_in(client, login).text) == LOCKED
    with clock.freeze(later + timedelta(minutes=15, seconds=1)):
        answer = sign_in(client, login)
        if login == "planer":
            assert answer.status_code == 303 and is_signed_in(client)
        else:
            assert message(answer.text) == SIGN_IN_FAILED  # open again, and still unknown


def test_the_session_key_is_new_at_every_sign_in_and_a_planted_one_is_never_taken(
        app, engine):
    client = browser(app)
    client.cookies.set(SESSION, "vom-angreifer-gesetzt", domain="testserver.local", path="/")
    assert sign_in(client, "planer").status_code == 303
    first = session_key(client)
    assert first and first != "vom-angreifer-gesetzt"
    client.post("/abmelden", data={"csrf": csrf_of(client)})
    assert sign_in(client, "planer").status_code == 303
    second = session_key(client)
    other_browser = signed_in(app, "planer")
    assert len({first, second, session_key(other_browser)}) == 3
    with engine.connect() as connection:
        from sqlalchemy import select

        from controlling.data.models import WebSession

        hashes = set(connection.execute(select(WebSession.key_hash)).scalars())
    assert digest("vom-angreifer-gesetzt") not in hashes
    stale = browser(app)
    stale.cookies.set(SESSION, first)
    assert sign_in_target(stale.get("/empfehlungen")) == "/empfehlungen"


@pytest.mark.parametrize("https", [False, True])
def test_cookies_are_http_only_same_site_lax_and_secure_exactly_over_https(app, https):
    client = browser(app, https=https)
    form = client.get("/")
    answer = client.post("/anmelden", data={"login": "planer", "password": password_of("planer"),
                                            "csrf": hidden(form.text, "csrf"), "next": "/"})
    assert answer.status_code == 303
    for header in cookie_headers(form, SIGNIN) + cookie_headers(answer, SESSION):
        flags = {part.strip().lower() for part in header.split(";")[1:]}
        assert "httponly" in flags and "samesite=lax" in flags, header
        assert ("secure" in flags) is https, header
    assert cookie_headers(form, SIGNIN) and cookie_headers(answer, SESSION)
    assert is_signed_in(client)


def test_a_session_ends_after_30_idle_minutes_and_activity_keeps_it_alive(app, engine, later):
    from controlling.domain.identity import SESSION_IDLE

    assert SESSION_IDLE == timedelta(minutes=30)
    with clock.freeze(later):
        client, idle = signed_in(app, "planer"), signed_in(app, "bl31")
    for minutes in (20, 49):  # 29 idle minutes each time
        with clock.freeze(later + timedelta(minutes=minutes)):
            assert client.get("/empfehlungen").status_code == 200
    with clock.freeze(later + timedelta(minutes=30)):
        assert sign_in_target(idle.get("/freigabe")) == "/freigabe"
    with clock.freeze(later + timedelta(minutes=79)):  # 30 minutes after the last request
        assert sign_in_target(client.get("/empfehlungen")) == "/empfehlungen"
    assert open_sessions(engine, "planer") == open_sessions(engine, "bl31") == 0


def test_even_an_active_session_ends_after_12_hours(app, later):
    with clock.freeze(later):
        client = signed_in(app, "planer")
    minutes = 25
    while minutes < 12 * 60:
        with clock.freeze(later + timedelta(minutes=minutes)):
            assert client.get("/empfehlungen").status_code == 200, minutes
        minutes += 25
    with clock.freeze(later + timedelta(hours=12)):
        assert sign_in_target(client.get("/empfehlungen")) == "/empfehlungen"


def test_signing_out_takes_a_post_with_the_csrf_token_and_ends_the_session(app, engine):
    client = signed_in(app, "planer")
    key = session_key(client)
    assert client.get("/abmelden").status_code == 405
    assert client.post("/abmelden").status_code == 403
    assert client.post("/abmelden", data={"csrf": "falsch"}).status_code == 403
    assert is_signed_in(client) and open_sessions(engine, "planer") == 1
    answer = client.post("/abmelden", data={"csrf": csrf_of(client)})
    assert answer.status_code == 303 and answer.headers["location"] == "/?erledigt=signed_out"
    assert any("Max-Age=0" in h for h in cookie_headers(answer, SESSION))
    assert "Sie sind abgemeldet." in client.get(answer.headers["location"]).text
    replay = browser(app)
    replay.cookies.set(SESSION, key)
    assert sign_in_target(replay.get("/uebersicht")) == "/uebersicht"
    assert open_sessions(engine, "planer") == 0
    assert [r["outcome"] for r in sign_in_rows(engine)][-1] == "signed_out"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example",
                                    "http://evil.example/", "/\\evil.example",
                                    "//evil.example/empfehlungen", "/\t/evil.example",
                                    "evil.example", "javascript:alert(1)"])
def test_no_next_leads_away_from_the_application(app, target):
    client = browser(app)
    form = client.get("/", params={"next": target})
    assert hidden(form.text, "next") == "/"
    answer = client.post("/anmelden", data={"login": "planer", "password": password_of("planer"),
                                            "csrf": hidden(form.text, "csrf"), "next": target})
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert client.get("/").headers["location"] == "/uebersicht"
    step = client.post("/empfehlungen/1/schritt/reject",
                       data={"csrf": csrf_of(client), "note": "nein", "back": target})
    assert step.status_code == 303 and step.headers["location"] == "/?erledigt=reject"


def test_next_leads_back_to_the_page_of_this_application_that_asked_for_sign_in(app):
    client = browser(app)
    target = sign_in_target(client.get("/berichte/strategiepapier.pdf?district=Osterfeld"))
    assert target == "/berichte/strategiepapier.pdf?district=Osterfeld"
    answer = sign_in(client, "ausschuss", next_path=target)
    assert answer.headers["location"] == target
    assert client.get(target).headers["content-type"] == "application/pdf"


def test_with_an_initial_password_every_page_leads_to_the_change_form_until_changed(
        app, uow):
    admin = signed_in(app, "admin")
    created = admin.post("/verwaltung/benutzer", data={
        "csrf": csrf_of(admin), "login": "neu", "name": "Neue Planerin", "role": "planner",
        "password": INITIAL})
    assert created.status_code == 303
    client = browser(app)
    assert sign_in(client, "neu", INITIAL).status_code == 303
    for path in PAGES:
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/passwort", path
    for path in ("/empfehlungen/1/schritt/reject", "/empfehlungen/1/sachstand"):
        answer = client.post(path, data={"csrf": csrf_of(client), "note": "x"})
        assert answer.headers["location"] == "/passwort", path
    form = client.get("/passwort")
    assert form.status_code == 200 and "Initialpasswort" in form.text
    mismatch = client.post("/passwort", data={"csrf": csrf_of(client), "current": INITIAL,
                                              "new": "Mein-Eigenes-1", "repeat": "Anderes-1"})
    assert mismatch.status_code == 422 and "stimmen nicht überein" in mismatch.text
    changed = client.post("/passwort", data={"csrf": csrf_of(client), "current": INITIAL,
                                             "new": "Mein-Eigenes-1", "repeat": "Mein-Eigenes-1"})
    assert changed.status_code == 303
    assert changed.headers["location"] == "/uebersicht?erledigt=password"
    for path in ("/uebersicht", "/empfehlungen", "/empfehlungen/1", "/berichte"):
        assert client.get(path).status_code == 200, path
    assert sign_in(browser(app), "neu", "Mein-Eigenes-1").status_code == 303
    assert message(sign_in(browser(app), "neu", INITIAL).text) == SIGN_IN_FAILED


def test_deactivation_and_a_password_reset_end_the_users_sessions_and_tokens(app, uow):
    admin = signed_in(app, "admin")
    api = browser(app)
    planner, head = signed_in(app, "planer"), signed_in(app, "bl31")
    planner_token, head_token = token_of(uow, "planer"), token_of(uow, "bl31")
    for token in (planner_token, head_token):
        assert api.get("/api/v1/recommendations", headers=bearer(token)).status_code == 200

    gone = admin.post("/verwaltung/benutzer/planer/deaktivieren", data={"csrf": csrf_of(admin)})
    assert gone.status_code == 303
    assert sign_in_target(planner.get("/empfehlungen")) == "/empfehlungen"
    assert api.get("/api/v1/recommendations", headers=bearer(planner_token)).status_code == 401
    assert message(sign_in(browser(app), "planer").text) == SIGN_IN_FAILED

    reset = admin.post("/verwaltung/benutzer/bl31/passwort",
                       data={"csrf": csrf_of(admin), "password": "Neues-Initialpasswort"})
    assert reset.status_code == 303
    assert sign_in_target(head.get("/freigabe")) == "/freigabe"
    assert api.get("/api/v1/recommendations", headers=bearer(head_token)).status_code == 401
    assert message(sign_in(browser(app), "bl31").text) == SIGN_IN_FAILED  # the old password
    again = browser(app)
    assert sign_in(again, "bl31", "Neues-Initialpasswort").status_code == 303
    assert again.get("/freigabe").headers["location"] == "/passwort"
    assert is_signed_in(admin)  # the admin's own session goes on


def test_sign_ins_failures_and_refused_requests_are_logged_with_time_login_and_address(
        app, engine, uow, later):
    token = token_of(uow, "ausschuss")
    before = len(sign_in_rows(engine))
    with clock.freeze(later):
        planner = signed_in(app, "planer")
        sign_in(browser(app), "planer", "Falsches-Passwort")
        sign_in(browser(app), "niemand", "Falsches-Passwort")
        assert planner.get("/verwaltung/benutzer").status_code == 403
        assert planner.post("/empfehlungen/1/schritt/approve",
                            data={"csrf": csrf_of(planner)}).status_code == 403
        api = browser(app)
        assert api.post("/api/v1/recommendations/1/approve", json={},
                        headers=bearer(token)).status_code == 403
        assert api.get("/api/v1/recommendations", headers=bearer("ctl_falsch")).status_code == 401
    rows = sign_in_rows(engine)[before:]
    seen = [(r["login"], r["channel"], r["outcome"]) for r in rows]
    assert seen == [("planer", "web", "success"), ("planer", "web", "failure"),
                    ("niemand", "web", "failure"), ("planer", "web", "refused"),
                    ("planer", "web", "refused"), ("ausschuss", "api", "refused"),
                    ("", "api", "failure")]
    assert {r["recorded_at"] for r in rows} == {later}
    assert {r["address"] for r in rows} == {"testclient"}  # the TestClient's client address
    assert rows[3]["detail"].startswith("GET /verwaltung/benutzer: Keine Berechtigung")
    assert rows[5]["detail"].startswith("POST /api/v1/recommendations/1/approve: ")
    log = signed_in(app, "admin").get("/verwaltung/anmeldungen")
    assert log.status_code == 200
    for text in ("niemand", "fehlgeschlagen", "abgelehnt", "testclient",
                 later.strftime("%d.%m.%Y %H:%M")):
        assert text in log.text
