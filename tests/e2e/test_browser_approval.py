"""A department head's approval in a real browser: "Zur Freigabe" with its evidence, the
approval with a note, the detail page afterwards; refusals for another department's head and
for forms without the CSRF token; the keyboard alone; two browsers on the same
recommendation."""

import re

from tests.browser_support import (
    APPROVED,
    INDICATOR,
    WAITING,
    WAITING_TITLE,
    alert_of,
    csrf_of,
    data_snapshot,
    expect,
    path_is,
    recommendation,
    refusals_logged,
    sign_in,
)

STALE = re.compile(r"in der Zwischenzeit von jemand anderem geändert")


def waiting_card(page):
    return page.get_by_role("region", name=f"Empfehlung {WAITING}: {WAITING_TITLE}")


def test_a_department_head_approves_a_supported_recommendation_with_a_note(live_site, new_page):
    page = new_page()
    sign_in(page, live_site.base, "bl31")
    assert page.url == live_site.base + "/freigabe"
    assert page.get_by_role("heading", level=1).inner_text() == "Zur Freigabe"

    card = waiting_card(page)
    assert card.is_visible()
    facts = card.locator("dl.facts").inner_text()
    assert "Alstaden/Lirich" in facts and "statistisch gestützt" in facts
    evidence = card.locator("dt:has-text('Beleg') + dd").inner_text()
    assert INDICATOR in evidence and "31,5" in evidence and "24,2" in evidence
    assert "höher ist schlechter" in evidence

    card.get_by_label("Vermerk zur Freigabe (optional)").fill("Finanzierung ist gesichert")
    card.get_by_role("button", name=f"Empfehlung {WAITING} freigeben").click()
    page.wait_for_url(path_is("/freigabe?erledigt=approve"))
    assert page.get_by_role("status").first.inner_text() == "Die Empfehlung ist freigegeben."
    assert waiting_card(page).count() == 0

    page.goto(f"{live_site.base}/empfehlungen/{WAITING}")
    status = page.locator("dl.facts dt:has-text('Status') + dd").inner_text()
    assert status == "freigegeben"
    last = page.get_by_role("table", name="Verlauf").locator("tbody tr").last
    cells = last.locator("td").all_inner_texts()
    assert cells[1:4] == ["statistisch gestützt", "freigegeben", "bl31"]
    assert cells[5] == "Finanzierung ist gesichert"
    stored = recommendation(live_site.db_url, WAITING)
    assert stored["status"] == "approved"
    assert stored["history"][-1]["actor"] == "bl31"


def test_another_departments_head_neither_sees_nor_can_approve_it(live_site, new_page):
    page = new_page()
    sign_in(page, live_site.base, "bl32")
    assert page.url == live_site.base + "/freigabe"
    assert "Zurzeit wartet nichts auf Ihre Freigabe." in page.locator("main").inner_text()
    assert waiting_card(page).count() == 0

    before = data_snapshot(live_site.db_url)
    version = recommendation(live_site.db_url, WAITING)["version"]
    forged = page.request.post(
        f"{live_site.base}/empfehlungen/{WAITING}/schritt/approve",
        form={"csrf": csrf_of(page), "version": str(version), "note": "untergeschoben",
              "back": "/freigabe"}, max_redirects=0)
    assert forged.status == 403
    reason = alert_of(forged.text())
    assert "bl32" in reason and "die Bereichsleitung von 3-1" in reason, reason
    print(f"bl32, gefälschte Freigabe: 403 {reason}")
    assert data_snapshot(live_site.db_url) == before
    assert recommendation(live_site.db_url, WAITING)["status"] == "statistically_supported"
    assert any("/schritt/approve" in detail for detail in refusals_logged(live_site.db_url, "bl32"))

    page.goto(f"{live_site.base}/empfehlungen/{WAITING}")
    assert page.get_by_role("heading", name="Ihre möglichen Schritte").is_visible()
    assert "Für Sie ist hier kein Schritt möglich." in page.locator("main").inner_text()


def test_a_form_without_the_csrf_token_is_refused_even_for_the_right_head(live_site, new_page):
    page = new_page()
    sign_in(page, live_site.base, "bl31")
    before = data_snapshot(live_site.db_url)
    for form in ({"note": "ohne Token"}, {"note": "falsches Token", "csrf": "x" * 43}):
        answer = page.request.post(f"{live_site.base}/empfehlungen/{WAITING}/schritt/approve",
                                   form=form, max_redirects=0)
        assert answer.status == 403
        assert alert_of(answer.text()).startswith("Sicherheitsprüfung fehlgeschlagen")
    assert data_snapshot(live_site.db_url) == before
    assert recommendation(live_site.db_url, WAITING)["status"] == "statistically_supported"


def focus_ring(page) -> dict:
    """The focused element and how its focus shows (outline of :focus-visible)."""
    return page.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el);
        return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || '').trim(),
                visible: el.matches(':focus-visible'), outline: style.outlineStyle,
                width: parseFloat(style.outlineWidth)};
    }""")


def tab_to(page, wanted, limit: int = 40) -> list[dict]:
    """Press Tab until `wanted(focus)` holds; every stop on the way must show its focus."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = focus_ring(page)
        stops.append(focus)
        assert focus["visible"] and focus["outline"] != "none" and focus["width"] >= 2, focus
        if wanted(focus):
            return stops
    raise AssertionError(f"nicht mit Tab erreichbar; Stationen: {stops}")


def test_the_approval_works_with_the_keyboard_alone_and_focus_stays_visible(live_site, new_page):
    page = new_page()
    page.goto(live_site.base + "/")
    assert focus_ring(page)["id"] == "login"  # the form starts in the Login field
    page.keyboard.type("bl31")
    page.keyboard.press("Tab")
    assert focus_ring(page)["id"] == "password"
    page.keyboard.type("Leitung-3-1-Passwort")
    page.keyboard.press("Enter")
    page.wait_for_url(live_site.base + "/freigabe")

    stops = tab_to(page, lambda f: f["text"] == "Zum Inhalt springen")
    assert len(stops) == 1  # the skip link comes first
    page.keyboard.press("Enter")
    assert focus_ring(page)["id"] == "inhalt"

    tab_to(page, lambda f: f["id"] == f"note-{WAITING}")
    page.keyboard.type("Per Tastatur freigegeben")
    stops = tab_to(page, lambda f: f["tag"] == "button")
    assert stops[-1]["text"] == f"Empfehlung {WAITING} freigeben"
    page.keyboard.press("Enter")
    page.wait_for_url(path_is("/freigabe?erledigt=approve"))
    assert page.get_by_role("status").first.inner_text() == "Die Empfehlung ist freigegeben."

    stored = recommendation(live_site.db_url, WAITING)
    assert stored["status"] == "approved"
    assert stored["history"][-1]["actor"] == "bl31"
    assert stored["history"][-1]["note"] == "Per Tastatur freigegeben"


def test_a_second_browser_submitting_an_outdated_form_is_refused_not_overwriting(
        live_site, new_page):
    head = new_page()
    sign_in(head, live_site.base, "bl31")  # "Zur Freigabe" is open with the form of version v
    planner = new_page()
    sign_in(planner, live_site.base, "planer")
    planner.goto(f"{live_site.base}/empfehlungen/{WAITING}")
    assert head.url == live_site.base + "/freigabe"

    reject = planner.locator(f"form[action='/empfehlungen/{WAITING}/schritt/reject']")
    reject.get_by_label("Begründung").fill("Doppelt mit einem bestehenden Angebot")
    reject.get_by_role("button").click()
    planner.wait_for_url(path_is(f"/empfehlungen/{WAITING}?erledigt=reject"))
    assert planner.locator("dl.facts dt:has-text('Status') + dd").inner_text() == "abgelehnt"
    after_first = data_snapshot(live_site.db_url)

    card = waiting_card(head)
    card.get_by_label("Vermerk zur Freigabe (optional)").fill("zu spät")
    with head.expect_response(f"{live_site.base}/empfehlungen/{WAITING}/schritt/approve") as sent:
        card.get_by_role("button", name=f"Empfehlung {WAITING} freigeben").click()
    assert sent.value.status == 409
    expect(head.get_by_role("alert")).to_have_text(STALE)
    assert head.get_by_role("heading", level=1).inner_text() == "Konflikt"
    assert data_snapshot(live_site.db_url) == after_first
    stored = recommendation(live_site.db_url, WAITING)
    assert stored["status"] == "rejected"
    assert [h["to_status"] for h in stored["history"]] == [
        "proposed", "statistically_supported", "rejected"]


def test_two_tabs_of_the_same_head_recording_a_sachstand_twice_get_the_stale_refusal(
        live_site, new_page):
    first, second = new_page(), new_page()
    for tab in (first, second):
        sign_in(tab, live_site.base, "bl31")
        tab.goto(live_site.base + "/sachstand")
    for tab, light, note in ((first, "grün", "läuft planmäßig"), (second, "rot", "überholt")):
        card = tab.get_by_role("region", name=re.compile(f"^Empfehlung {APPROVED}:"))
        card.get_by_label(light).check()
        card.get_by_label("Sachstand", exact=True).fill(note)
        with tab.expect_response(f"{live_site.base}/empfehlungen/{APPROVED}/sachstand") as sent:
            card.get_by_role("button",
                             name=f"Sachstand für Empfehlung {APPROVED} speichern").click()
        assert sent.value.status == (303 if tab is first else 409)
    expect(first.get_by_role("status").first).to_have_text("Der Sachstand ist erfasst.")
    expect(second.get_by_role("alert")).to_have_text(STALE)
    progress = recommendation(live_site.db_url, APPROVED)["progress"]
    assert [(p["light"], p["note"]) for p in progress] == [("green", "läuft planmäßig")]
