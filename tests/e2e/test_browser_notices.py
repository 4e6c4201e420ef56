"""A planner in a real browser on "Rückmeldungen": opts an institution in with its own
address and out again; a wrong address is refused in German and changes nothing."""

from tests.browser_support import INSTITUTION, alert_of, data_snapshot, sign_in


def row_of(page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))


def test_a_planner_orders_and_cancels_the_notices_of_an_institution(live_site, new_page):
    page = new_page()
    sign_in(page, live_site.base, "planer")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Rückmeldungen").click()
    assert page.url == live_site.base + "/rueckmeldungen"
    assert "1 von 2 Institutionen haben bestellt" in page.inner_text("main")
    row = row_of(page, INSTITUTION)
    assert "nicht bestellt" in row.inner_text()

    row.get_by_label("Adresse der Institution").fill("buero-osterfeld@example.org")
    row.get_by_role("button", name="Bestellen").click()
    assert "Die Rückmeldungen sind bestellt." in page.get_by_role("status").inner_text()
    assert "an buero-osterfeld@example.org" in row_of(page, INSTITUTION).inner_text()
    assert "2 von 2 Institutionen haben bestellt" in page.inner_text("main")

    row_of(page, INSTITUTION).get_by_role("button", name=f"Abbestellen: {INSTITUTION}").click()
    assert "abbestellt" in page.get_by_role("status").inner_text()
    assert "nicht bestellt" in row_of(page, INSTITUTION).inner_text()


def test_an_address_that_is_not_one_is_refused_and_changes_nothing(live_site, new_page):
    page = new_page()
    sign_in(page, live_site.base, "planer")
    page.goto(live_site.base + "/rueckmeldungen")
    before = data_snapshot(live_site.db_url)
    row = row_of(page, INSTITUTION)
    field = row.get_by_label("Adresse der Institution")
    field.evaluate("element => element.type = 'text'")  # past the browser's own check
    field.fill("kein-at-zeichen")
    row.get_by_role("button", name="Bestellen").click()
    assert "Adresse" in alert_of(page.content())
    assert data_snapshot(live_site.db_url) == before
