"""Two browsers on the same recommendation: the one that sends second, with the version its
page was loaded at, gets 409 and the German "in der Zwischenzeit" message; nothing of the
first is lost and nothing of the second is written."""

import pytest

from tests.web_support import (
    add_team,
    cheap_hashing,
    dump,
    give_own_password,
    hidden,
    recommendation,
    signed_in,
    web_app,
)


@pytest.fixture
def app(db_url, uow, monkeypatch):
    cheap_hashing(monkeypatch)
    add_team(uow)
    for login in ("planer", "bl31"):
        give_own_password(uow, login)
    recommendation(uow, 7, kind="extension")  # proposed; bl31 may approve it directly
    recommendation(uow, 8, "approved")
    return web_app(db_url)


def form_of(page: str, action: str) -> dict:
    """The hidden fields (csrf, version, back) of the form posting to `action`."""
    start = page.index(f'action="{action}"')
    part = page[start:page.index("</form>", start)]
    return {name: hidden(part, name) for name in ("csrf", "version", "back")}


def test_the_second_of_two_browsers_sending_the_same_version_gets_409(app, engine):
    head, planner = signed_in(app, "bl31"), signed_in(app, "planer")
    head_page, planner_page = head.get("/empfehlungen/7").text, planner.get("/empfehlungen/7").text
    approve = form_of(head_page, "/empfehlungen/7/schritt/approve")
    reject = form_of(planner_page, "/empfehlungen/7/schritt/reject")
    assert approve["version"] == reject["version"] == "1"

    first = head.post("/empfehlungen/7/schritt/approve", data={**approve, "note": "passt"})
    assert first.status_code == 303
    after_first = dump(engine)
    second = planner.post("/empfehlungen/7/schritt/reject", data={**reject, "note": "doch nicht"})
    assert second.status_code == 409
    assert "in der Zwischenzeit von jemand anderem geändert" in second.text
    assert "bitte neu laden und erneut versuchen" in second.text
    assert dump(engine) == after_first
    reloaded = planner.get("/empfehlungen/7").text
    assert "<dt>Version</dt><dd>2</dd>" in reloaded
    assert "<dt>Status</dt><dd>freigegeben</dd>" in reloaded


def test_a_stale_sachstand_form_gets_409_too_and_a_reloaded_one_works(app, engine):
    head, planner = signed_in(app, "bl31"), signed_in(app, "planer")
    head_form = form_of(head.get("/sachstand?quartal=2024-Q2").text, "/empfehlungen/8/sachstand")
    planner_form = form_of(planner.get("/empfehlungen/8").text, "/empfehlungen/8/sachstand")
    update = {"quarter": "2024-Q2", "light": "green", "note": "läuft"}
    assert planner.post("/empfehlungen/8/sachstand",
                        data={**planner_form, **update}).status_code == 303
    before = dump(engine)
    stale = head.post("/empfehlungen/8/sachstand", data={**head_form, **update, "light": "red"})
    assert stale.status_code == 409 and "in der Zwischenzeit" in stale.text
    assert dump(engine) == before
    fresh = form_of(head.get("/empfehlungen/8").text, "/empfehlungen/8/sachstand")
    assert int(fresh["version"]) == int(head_form["version"]) + 1
    assert head.post("/empfehlungen/8/sachstand",
                     data={**fresh, **update, "light": "red"}).status_code == 303
