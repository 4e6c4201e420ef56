"""Helpers of the browser tests (tests/e2e/test_browser_*.py): the site they run against (a
database with the team, own passwords and a recommendation waiting for its head), a live
uvicorn server in a thread, Chromium through Playwright, signing in, and axe-core.

Nothing here installs a browser: Debian's /usr/bin/chromium is used (`.ci/run` installs it with
apt when it is missing); without it, or without the playwright package, the tests skip with the
reason. axe-core comes from the npm registry into tests/e2e/axe/node_modules (`.ci/run` runs
`npm ci` there); CONTROLLING_AXE_JS names another copy of axe.min.js."""

import os
import re
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ADMIN

CHROMIUM = Path(os.environ.get("CONTROLLING_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update"]
AXE_JS = Path(os.environ.get("CONTROLLING_AXE_JS") or (
    Path(__file__).resolve().parent / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")

# Every person's own password (chosen after the admin's initial one) and the initial ones.
PASSWORDS = {ADMIN: "Admin-Passwort-1", "planer": "Planer-Passwort-1",
             "bl31": "Leitung-3-1-Passwort", "bl32": "Leitung-3-2-Passwort",
             "ausschuss": "Ausschuss-Passwort-1"}
INITIAL = {login: f"Initial-{login}-2024" for login in PASSWORDS}
TEAM = (("planer", "Petra Planer", "planner", None),
        ("bl31", "Bernd Leitung", "department_head", "3-1"),
        ("bl32", "Berta Leitung", "department_head", "3-2"),
        ("ausschuss", "Anna Ausschuss", "committee", None))
NEWCOMER = "neu"  # a user who has only the admin's initial password
NEWCOMER_INITIAL = "Initial-neu-2024"

WAITING = 1  # 3-1, statistically supported: waits in bl31's "Zur Freigabe"
APPROVED = 2  # 3-1, approved: in bl31's "Sachstand" (no Sachstand for the last quarter yet)
PROPOSED = 3  # 3-2, proposed
INDICATOR = "SGB2_U15"
WAITING_TITLE = "Frühe Hilfen in Alstaden/Lirich ausbauen"

# What a refused request may change: the sign-in log records the refusal, a session's "last
# seen" may move, and a digest chain over the append-only logs (history_chain*) takes in the
# log's new row. Every other table must stay as it was.
NOT_DATA = {"sign_ins", "web_sessions"}
NOT_DATA_PREFIX = "history_chain"


def require_browser():
    """The playwright module, or skip with the reason (German/English)."""
    try:
        import playwright.sync_api
    except ImportError:
        pytest.skip("Das Python-Paket playwright fehlt / the playwright package is missing "
                    "(pip install '.[test]')")
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"Chromium fehlt unter {CHROMIUM} / Chromium is missing "
                    "(apt-get install chromium; .ci/run does it)")
    return playwright.sync_api


def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.skip(f"axe-core fehlt unter {AXE_JS} / axe-core is missing "
                    "(cd tests/e2e/axe && npm ci; .ci/run does it)")
    return AXE_JS.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the site's data

@dataclass
class Site:
    db_url: str
    base: str = ""
    numbers: dict = field(default_factory=dict)


INSTITUTION = "Stadtteilbüro Osterfeld"  # an institution without notices


def build_site(db_url: str, tmp_path: Path) -> Site:
    """The team with own passwords (the admin gives an initial one, each person then chooses
    their own with it), a newcomer with only an initial password, indicator values, and three
    recommendations: WAITING (3-1, statistically supported), APPROVED (3-1), PROPOSED (3-2)."""
    from controlling.data.database import make_engine
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.services.accounts import set_password
    from controlling.services.imports import import_indicators
    from controlling.services.institutions import add_institution
    from controlling.services.notices import set_notices
    from controlling.services.recommendations import add_recommendation, change_status
    from controlling.services.setup import add_user

    engine = make_engine(db_url)
    try:
        def uow():
            return UnitOfWork(engine)

        set_password(uow(), ADMIN, ADMIN, new=PASSWORDS[ADMIN])  # the admin had none yet
        for login, name, role, department in TEAM:
            add_user(uow(), ADMIN, new_login=login, name=name, role=role, department=department)
            set_password(uow(), ADMIN, login, new=INITIAL[login])
            set_password(uow(), login, login, new=PASSWORDS[login], current=INITIAL[login])
        add_user(uow(), ADMIN, new_login=NEWCOMER, name="Nina Neu", role="planner")
        set_password(uow(), ADMIN, NEWCOMER, new=NEWCOMER_INITIAL)

        csv = tmp_path / "indikatoren.csv"
        csv.write_text(
            "indicator,district,year,value,label,higher_is_worse\n"
            f"{INDICATOR},Alstaden/Lirich,2023,31.5,Kinder unter 15 im SGB-II-Bezug (%),true\n"
            f"{INDICATOR},stadtweit,2023,24.2,Kinder unter 15 im SGB-II-Bezug (%),true\n"
            f"{INDICATOR},Osterfeld,2023,27.0,Kinder unter 15 im SGB-II-Bezug (%),true\n",
            encoding="utf-8")
        import_indicators(uow(), "planer", csv)

        add_recommendation(uow(), "planer", number=WAITING, title=WAITING_TITLE,
                           district="Alstaden/Lirich", department="3-1", topic="Jugend",
                           description="Mehr Beratung für Familien mit kleinen Kindern.")
        change_status(uow(), "planer", WAITING, "support", indicator=INDICATOR,
                      note="Anteil über dem städtischen Wert")
        add_recommendation(uow(), "planer", number=APPROVED,
                           title="Jugendtreff Osterfeld länger öffnen", district="Osterfeld",
                           department="3-1", topic="Jugend")
        change_status(uow(), "planer", APPROVED, "support", indicator=INDICATOR)
        change_status(uow(), "bl31", APPROVED, "approve", note="Mittel sind eingeplant")
        add_recommendation(uow(), "planer", number=PROPOSED,
                           title="Seniorenberatung in Osterfeld bündeln", district="Osterfeld",
                           department="3-2", topic="Leben im Alter")
        add_institution(uow(), "planer", name=INSTITUTION, type_="Begegnungsstätte",
                        address="Bottroper Straße 183", lon=6.88, lat=51.53,
                        district="Osterfeld")
        told = add_institution(uow(), "planer", name="Familienzentrum Alstaden",
                               type_="Familienzentrum", address="Bebelstraße 10", lon=6.83,
                               lat=51.47, district="Alstaden/Lirich")
        set_notices(uow(), "planer", told["id"], email="fz-alstaden@example.org")
    finally:
        engine.dispose()
    return Site(db_url=db_url, numbers={"waiting": WAITING, "approved": APPROVED,
                                        "proposed": PROPOSED})


def data_snapshot(db_url: str) -> dict:
    """Every row of every table but the sign-in log and the sessions."""
    from controlling.data.database import make_engine
    from tests.conftest import snapshot

    engine = make_engine(db_url)
    try:
        return {name: rows for name, rows in snapshot(engine).items()
                if name not in NOT_DATA and not name.startswith(NOT_DATA_PREFIX)}
    finally:
        engine.dispose()


def refusals_logged(db_url: str, login: str) -> list[str]:
    """The details of the sign-in log's 'refused' entries of a login."""
    from sqlalchemy import text

    from controlling.data.database import make_engine

    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(
                "SELECT detail FROM sign_ins WHERE login = :login AND outcome = 'refused' "
                "ORDER BY id"), {"login": login}).scalars())
    finally:
        engine.dispose()


def recommendation(db_url: str, number: int) -> dict:
    from controlling.data.database import make_engine
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.services.recommendations import show_recommendation

    engine = make_engine(db_url)
    try:
        return show_recommendation(UnitOfWork(engine), ADMIN, number)
    finally:
        engine.dispose()


# ---------------------------------------------------------------- the live server

class LiveServer:
    """uvicorn serving create_app(db_url) on 127.0.0.1 and a port of the system's choosing,
    in a background thread."""

    def __init__(self, db_url: str):
        import uvicorn

        from controlling.web.app import create_app

        self.app = create_app(db_url, secret="x" * 40)
        config = uvicorn.Config(app=self.app, host="127.0.0.1", port=0, log_level="warning",
                                lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)
        self.base = ""

    def start(self, timeout: float = 20.0) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("Der Testserver ist nicht gestartet.")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        while True:  # it answers: the sign-in form
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except (TimeoutError, urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.app.state.web.engine.dispose()


# ---------------------------------------------------------------- in the browser

def expect(target, *args, **kwargs):
    """Playwright's retrying assertions (imported late: without playwright, skip not fail)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target, *args, **kwargs)


def path_is(wanted: str):
    """For page.wait_for_url: the address's path (and query, if `wanted` has one)."""
    def matches(url: str) -> bool:
        parts = urlsplit(url)
        return (parts.path + (f"?{parts.query}" if "?" in wanted else "")) == wanted
    return matches


def sign_in(page, base: str, login: str, password: str | None = None) -> None:
    """Sign in through the form as a person does (labels Login, Passwort; button Anmelden),
    and wait until the answer is there: another page, or the form again (/anmelden)."""
    page.goto(base + "/")
    page.get_by_label("Login", exact=True).fill(login)
    page.get_by_label("Passwort", exact=True).fill(password or PASSWORDS[login])
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/")


def csrf_of(page) -> str:
    """The session's CSRF token, as every form of the signed-in page carries it."""
    return page.locator("input[name=csrf]").first.get_attribute("value")


def alert_of(html: str) -> str:
    """The German reason on an error page (its role=alert paragraph)."""
    found = re.search(r'<p class="error" role="alert">(.*?)</p>', html, re.S)
    assert found, html
    return unescape(found.group(1))


def run_axe(page, source: str) -> tuple[list[dict], list[str]]:
    """axe-core's violations on the page (WCAG 2.1 A and AA), and the rules it could not decide
    alone ("incomplete": needs a person's review). The page's CSP allows no inline script, so
    axe comes in through page.evaluate, which runs outside the page's CSP; the CSP itself
    stays in force for the page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']});
            return {
                violations: result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ') + ': ' +
                                            (n.failureSummary || '').replace(/\\s+/g, ' '))})),
                incomplete: result.incomplete.map(v => v.id)};
        }""", AXE_TAGS)
    return found["violations"], found["incomplete"]


def by_impact(violations: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(IMPACTS, 0)
    for violation in violations:
        counts[violation.get("impact") or "minor"] += 1
    return counts
