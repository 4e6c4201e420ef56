"""A committee member in a real browser: the quarterly report as a PDF from "Berichte", and
nothing they could change."""

import io
import re

from tests.browser_support import (
    APPROVED,
    PROPOSED,
    WAITING,
    WAITING_TITLE,
    alert_of,
    csrf_of,
    data_snapshot,
    sign_in,
)


def test_a_committee_member_downloads_the_quarterly_report_as_a_german_pdf(live_site, new_page):
    from pypdf import PdfReader

    page = new_page(accept_downloads=True)
    sign_in(page, live_site.base, "ausschuss")
    assert page.url == live_site.base + "/berichte"
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    assert nav.get_by_role("link").all_inner_texts() == ["Berichte"]

    link = page.get_by_role("link", name=re.compile(r"als PDF herunterladen$")).first
    quarter = re.search(r"/berichte/quartal/(\d{4}-Q[1-4])\.pdf$",
                        link.get_attribute("href")).group(1)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"controlling-{quarter}.pdf"
    content = open(download.path(), "rb").read()
    assert content.startswith(b"%PDF-")

    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert "Controllingbericht Handlungsempfehlungen" in text
    assert "Übersicht nach Sozialraum" in text
    assert WAITING_TITLE in text.replace("\n", " ")  # umlauts and all


def test_a_committee_member_can_change_nothing(live_site, new_page):
    page = new_page()
    sign_in(page, live_site.base, "ausschuss")
    token = csrf_of(page)
    before = data_snapshot(live_site.db_url)
    attempts = {
        f"/empfehlungen/{WAITING}/schritt/approve": {"note": "vom Ausschuss"},
        f"/empfehlungen/{WAITING}/schritt/reject": {"note": "vom Ausschuss"},
        f"/empfehlungen/{PROPOSED}/schritt/support": {"indicator": "SGB2_U15"},
        f"/empfehlungen/{APPROVED}/schritt/implement": {"note": "vom Ausschuss"},
        f"/empfehlungen/{APPROVED}/sachstand": {"quarter": "2024-Q1", "light": "red",
                                                "note": "vom Ausschuss"},
        "/verwaltung/benutzer": {"login": "heimlich", "name": "Heimlich", "role": "admin",
                                 "password": "Heimlich-Passwort-1"},
        "/verwaltung/benutzer/planer/deaktivieren": {},
        "/verwaltung/benutzer/planer/passwort": {"password": "Anderes-Passwort-1"},
    }
    for path, form in attempts.items():
        answer = page.request.post(live_site.base + path, form={"csrf": token, **form},
                                   max_redirects=0)
        assert answer.status == 403, (path, answer.status)
        reason = alert_of(answer.text())
        assert reason.startswith("Keine Berechtigung: ausschuss"), (path, reason)
        print(f"ausschuss, POST {path}: 403 {reason}")
    for path in ("/verwaltung/benutzer", "/verwaltung/anmeldungen", "/freigabe",
                 "/uebersicht"):
        page.goto(live_site.base + path)
        assert page.get_by_role("heading", level=1).inner_text() == "Nicht erlaubt", path
        assert page.get_by_role("alert").inner_text().startswith("Keine Berechtigung")
    assert data_snapshot(live_site.db_url) == before

    page.goto(f"{live_site.base}/empfehlungen/{WAITING}")  # reading is open to the committee
    assert "Für Sie ist hier kein Schritt möglich." in page.locator("main").inner_text()
    assert page.locator("main form").count() == 0
