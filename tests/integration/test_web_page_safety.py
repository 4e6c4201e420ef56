"""What every answer of the web application carries (security headers), and that text people
typed is shown as text, never as markup."""

import pytest

from tests.web_support import (
    CREATED_ON,
    add_team,
    bearer,
    browser,
    cheap_hashing,
    csrf_of,
    give_own_password,
    recommendation,
    sign_in,
    signed_in,
    token_of,
    web_app,
)

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'


@pytest.fixture
def app(db_url, uow, monkeypatch):
    cheap_hashing(monkeypatch)
    add_team(uow)
    for login in ("admin", "planer", "bl31", "ausschuss"):
        give_own_password(uow, login)
    return web_app(db_url)


def test_every_kind_of_answer_carries_the_security_headers(app, uow):
    recommendation(uow, 1)
    token = token_of(uow, "planer")
    anonymous, planner = browser(app), signed_in(app, "planer")
    answers = {
        "sign-in form": anonymous.get("/"),
        "redirect to sign-in": anonymous.get("/uebersicht"),
        "failed sign-in": sign_in(browser(app), "planer", "Falsches-Passwort"),
        "page": planner.get("/empfehlungen/1"),
        "403 page": planner.get("/verwaltung/benutzer"),
        "404 page": planner.get("/gibt-es-nicht"),
        "405 page": planner.get("/abmelden"),
        "CSRF refusal": planner.post("/empfehlungen/1/schritt/reject", data={"note": "x"}),
        "PDF": planner.get("/berichte/stadt.pdf"),
        "style sheet": anonymous.get("/static/style.css"),
        "API": anonymous.get("/api/v1/recommendations", headers=bearer(token)),
        "API 401": anonymous.get("/api/v1/recommendations"),
        "API 422": anonymous.post("/api/v1/recommendations/1/reject", content=b"{",
                                  headers={**bearer(token), "content-type": "application/json"}),
        "OpenAPI": anonymous.get("/api/v1/openapi.json"),
    }
    assert answers["page"].status_code == 200 and answers["403 page"].status_code == 403
    for what, answer in answers.items():
        headers = answer.headers
        policy = headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in policy, what
        assert "default-src 'self'" in policy and "object-src 'none'" in policy, what
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, what
        assert headers.get("x-content-type-options") == "nosniff", what
        assert headers.get("referrer-policy") in ("same-origin", "no-referrer",
                                                  "strict-origin-when-cross-origin"), what
        assert headers.get("x-frame-options") == "DENY", what
    assert answers["page"].headers["cache-control"] == "no-store"


def test_the_pages_need_no_inline_script_or_style_the_policy_would_block(app, uow):
    recommendation(uow, 1, kind="extension")
    pages = [signed_in(app, login).get(path) for login, path in (
        ("admin", "/uebersicht"), ("admin", "/verwaltung/benutzer"),
        ("admin", "/verwaltung/anmeldungen"), ("planer", "/empfehlungen"),
        ("planer", "/empfehlungen/1"), ("bl31", "/freigabe"), ("bl31", "/sachstand"),
        ("ausschuss", "/berichte"), ("ausschuss", "/berichte/quartal/2024-Q1"))]
    pages.append(browser(app).get("/"))
    for page in pages:
        assert page.status_code == 200, page.url
        text = page.text.lower()
        assert "<script" not in text and "<style" not in text and " style=" not in text
        assert " onclick=" not in text and " onload=" not in text and "javascript:" not in text


def test_typed_text_is_shown_escaped_on_every_page_that_shows_it(app, uow):
    from controlling.services.recommendations import add_recommendation

    add_recommendation(uow(), "planer", number=7, title=SCRIPT, description=ATTRIBUTE,
                       district="Osterfeld", department="3-1", kind="extension",
                       on=CREATED_ON)
    planner, head = signed_in(app, "planer"), signed_in(app, "bl31")
    committee = signed_in(app, "ausschuss")
    shown = {
        "list": planner.get("/empfehlungen"),
        "detail": planner.get("/empfehlungen/7"),
        "search": planner.get("/empfehlungen", params={"q": SCRIPT}),
        "approvals": head.get("/freigabe"),
        "quarterly": committee.get("/berichte/quartal/2024-Q1"),
    }
    for what, page in shown.items():
        assert page.status_code == 200, what
        assert SCRIPT not in page.text and "<img" not in page.text, what
        assert ESCAPED in page.text, what
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in shown["detail"].text
    approve = head.post("/empfehlungen/7/schritt/approve",
                        data={"csrf": csrf_of(head), "note": SCRIPT})
    assert approve.status_code == 303
    history = planner.get("/empfehlungen/7").text
    assert history.count(ESCAPED) == 2 and SCRIPT not in history  # title and the note

    failed = sign_in(browser(app), SCRIPT, "Falsches-Passwort")
    assert failed.status_code == 401 and SCRIPT not in failed.text and ESCAPED in failed.text
    log = signed_in(app, "admin").get("/verwaltung/anmeldungen")
    assert SCRIPT not in log.text and ESCAPED in log.text
    added = signed_in(app, "admin")
    refused = added.post("/verwaltung/benutzer", data={"csrf": csrf_of(added), "login": SCRIPT,
                                                       "name": "x", "role": "planner"})
    assert refused.status_code == 422 and SCRIPT not in refused.text


def test_an_over_long_form_field_is_refused_as_too_long_and_changes_nothing(app, uow, engine):
    from tests.web_support import dump

    recommendation(uow, 1)
    planner = signed_in(app, "planer")
    before = dump(engine)
    answer = planner.post("/empfehlungen/1/schritt/reject",
                          data={"csrf": csrf_of(planner), "note": "x" * 10001})
    assert answer.status_code == 422
    assert "note: zu lang (höchstens 10000 Zeichen)" in answer.text
    assert dump(engine) == before
