"""Signing in in a real browser: a first sign-in with the admin's initial password leads to
"Passwort ändern", and every other page stays closed until an own password is chosen."""

from tests.browser_support import (
    NEWCOMER,
    NEWCOMER_INITIAL,
    PASSWORDS,
    WAITING,
    expect,
    path_is,
    sign_in,
)

OWN = "Mein-eigenes-Passwort-7"


def test_a_signed_out_visitor_gets_the_sign_in_form_and_returns_to_the_page_asked_for(
        live_site, new_page):
    page = new_page()
    page.goto(f"{live_site.base}/empfehlungen/{WAITING}")
    assert page.url == f"{live_site.base}/?next=/empfehlungen/{WAITING}"
    assert page.get_by_role("heading", level=1).inner_text() == "Anmelden"
    page.get_by_label("Login", exact=True).fill("planer")
    page.get_by_label("Passwort", exact=True).fill(PASSWORDS["planer"])
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(path_is(f"/empfehlungen/{WAITING}"))
    assert page.get_by_role("heading", level=1).inner_text().startswith(
        f"Empfehlung {WAITING}:")


def test_a_wrong_password_is_refused_with_one_german_message(live_site, new_page):
    page = new_page()
    messages = set()
    for login, password in (("planer", "falsches-Passwort"), ("niemand", "irgendein-Passwort")):
        sign_in(page, live_site.base, login, password)
        assert page.url == live_site.base + "/anmelden"
        expect(page.get_by_role("alert")).to_contain_text("Login oder Passwort")
        messages.add(page.get_by_role("alert").inner_text())
        assert page.get_by_label("Login", exact=True).input_value() == login
    assert len(messages) == 1  # an unknown login and a wrong password read the same
    sign_in(page, live_site.base, "planer")
    assert page.url == live_site.base + "/uebersicht"


def test_the_first_sign_in_with_an_initial_password_leads_to_choosing_an_own_one(
        live_site, new_page):
    page = new_page()
    sign_in(page, live_site.base, NEWCOMER, NEWCOMER_INITIAL)
    assert page.url == live_site.base + "/passwort"
    assert page.get_by_role("heading", level=1).inner_text() == "Passwort ändern"
    assert "Initialpasswort" in page.get_by_role("status").inner_text()
    assert page.get_by_role("navigation", name="Hauptnavigation").count() == 0

    for path in ("/uebersicht", "/empfehlungen", "/empfehlungen/1", "/berichte",
                 "/berichte/quartal/2024-Q1.pdf"):
        answer = page.goto(live_site.base + path)
        assert page.url == live_site.base + "/passwort", path
        assert answer.request.redirected_from is not None, path
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    refused = page.request.post(live_site.base + "/empfehlungen/1/schritt/reject",
                                form={"csrf": csrf, "note": "noch ohne eigenes Passwort"},
                                max_redirects=0)
    assert refused.status == 303 and refused.headers["location"] == "/passwort"

    form = page.locator("form[action='/passwort']")
    form.get_by_label("Bisheriges Passwort").fill(NEWCOMER_INITIAL)
    form.get_by_label("Neues Passwort (mindestens 10 Zeichen)").fill(OWN)
    form.get_by_label("Neues Passwort wiederholen").fill(OWN + "x")
    form.get_by_role("button", name="Passwort speichern").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Die beiden neuen Passwörter stimmen nicht überein.")
    page.goto(live_site.base + "/uebersicht")
    assert page.url == live_site.base + "/passwort"  # still closed

    form.get_by_label("Bisheriges Passwort").fill(NEWCOMER_INITIAL)
    form.get_by_label("Neues Passwort (mindestens 10 Zeichen)").fill(OWN)
    form.get_by_label("Neues Passwort wiederholen").fill(OWN)
    form.get_by_role("button", name="Passwort speichern").click()
    page.wait_for_url(path_is("/uebersicht?erledigt=password"))
    assert page.get_by_role("status").first.inner_text() == "Ihr eigenes Passwort ist gesetzt."
    page.goto(live_site.base + "/empfehlungen")
    assert page.get_by_role("heading", level=1).inner_text() == "Handlungsempfehlungen"

    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url(path_is("/?erledigt=signed_out"))
    sign_in(page, live_site.base, NEWCOMER, NEWCOMER_INITIAL)  # the initial one is spent
    assert page.get_by_role("alert").is_visible()
    sign_in(page, live_site.base, NEWCOMER, OWN)
    assert page.url == live_site.base + "/uebersicht"
