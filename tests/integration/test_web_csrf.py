"""Every form of the web application, sent without its CSRF token or with a wrong one, is
refused with 403 and changes nothing; the same form with the right token then works (so the
refusal was the token's, not the person's)."""

import pytest

from tests.web_support import (
    add_indicators,
    add_team,
    browser,
    cheap_hashing,
    csrf_of,
    dump,
    give_team_passwords,
    hidden,
    password_of,
    recommendation,
    signed_in,
    web_app,
)

# (who sends it, path, fields): every POST form there is; sign-out last.
FORMS = (
    ("planer", "/empfehlungen/1/schritt/support", {"indicator": "sgb2"}),
    ("bl31", "/empfehlungen/2/schritt/approve", {"note": "passt"}),
    ("planer", "/empfehlungen/3/schritt/implement", {"note": "fertig"}),
    ("bl31", "/empfehlungen/4/schritt/reject", {"note": "nicht nötig"}),
    ("planer", "/empfehlungen/5/schritt/supersede", {"note": "neu gefasst", "successor": "1"}),
    ("bl31", "/empfehlungen/6/sachstand", {"quarter": "2024-Q2", "light": "red",
                                           "note": "stockt"}),
    ("admin", "/verwaltung/benutzer", {"login": "neu", "name": "Neu", "role": "committee",
                                       "password": "Initialpasswort-1"}),
    ("admin", "/verwaltung/benutzer/ausschuss/aendern", {"role": "planner"}),
    ("admin", "/verwaltung/benutzer/bl32/passwort", {"password": "Initialpasswort-2"}),
    ("admin", "/verwaltung/benutzer/ausschuss/deaktivieren", {}),
    ("planer", "/passwort", {"current": password_of("planer"), "new": "Ganz-Neues-Passwort",
                             "repeat": "Ganz-Neues-Passwort"}),
    ("bl31", "/abmelden", {}),
)
REFUSAL = "Sicherheitsprüfung fehlgeschlagen"


@pytest.fixture
def site(db_url, uow, engine, tmp_path, monkeypatch):
    cheap_hashing(monkeypatch)
    add_team(uow)
    give_team_passwords(uow)
    add_indicators(uow, tmp_path)
    for number, status, kind in ((1, "proposed", "new"), (2, "proposed", "extension"),
                                 (3, "approved", "extension"), (4, "proposed", "new"),
                                 (5, "proposed", "new"), (6, "approved", "extension")):
        recommendation(uow, number, status, kind=kind)
    app = web_app(db_url)
    return app, {login: signed_in(app, login) for login in ("planer", "bl31", "admin")}


def test_every_form_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing(
        site, engine):
    app, browsers = site
    tokens = {login: csrf_of(client) for login, client in browsers.items()}
    signin_field = hidden(browser(app).get("/").text, "csrf")
    refused = 0
    for login, path, fields in FORMS:
        client = browsers[login]
        someone_elses = next(t for other, t in tokens.items() if other != login)
        for wrong in (None, "", "falsch", tokens[login][:-1], someone_elses, signin_field):
            before = dump(engine)
            data = dict(fields) if wrong is None else {**fields, "csrf": wrong}
            answer = client.post(path, data=data)
            assert answer.status_code == 403, (path, wrong, answer.status_code)
            assert REFUSAL in answer.text
            assert dump(engine) == before, (path, wrong)
            refused += 1
    assert refused == len(FORMS) * 6
    for login, path, fields in FORMS:  # the same forms with the right token do their work
        before = dump(engine)
        answer = browsers[login].post(path, data={**fields, "csrf": tokens[login]})
        assert answer.status_code == 303, (path, answer.text[:500])
        assert dump(engine) != before, path


def test_the_sign_in_form_without_its_own_csrf_token_is_refused_and_opens_no_session(
        site, engine):
    app, _browsers = site
    client, other = browser(app), browser(app)
    own, foreign = hidden(client.get("/").text, "csrf"), hidden(other.get("/").text, "csrf")
    form = {"login": "ausschuss", "password": password_of("ausschuss"), "next": "/"}
    before = dump(engine)
    for wrong in (None, "", "falsch", foreign, own.split(".")[0] + ".0"):
        data = dict(form) if wrong is None else {**form, "csrf": wrong}
        answer = client.post("/anmelden", data=data)
        assert answer.status_code == 403 and REFUSAL in answer.text, wrong
        assert "controlling_session" not in answer.headers.get("set-cookie", "")
    cookieless = browser(app)
    assert cookieless.post("/anmelden", data={**form, "csrf": own}).status_code == 403
    assert dump(engine) == before
    assert client.post("/anmelden", data={**form, "csrf": own}).status_code == 303
