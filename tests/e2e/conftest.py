"""Fixtures of the browser tests (test_browser_*.py); helpers in tests/browser_support.py.
Each test gets its own database (the `db_url` fixture: SQLite, and PostgreSQL when
CONTROLLING_TEST_DATABASE_URL is set) with the site's data and a live server on it; Chromium
is launched once per module."""

import pytest

from tests.browser_support import (
    CHROMIUM,
    LAUNCH_ARGS,
    LiveServer,
    axe_source,
    build_site,
    require_browser,
)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright (never a browser of Playwright's own download).
    Once per module, not per session: while Playwright's sync API runs, its event loop counts
    as running in the main thread, and the later tests' asyncio.run() would be refused."""
    api = require_browser()
    with api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def axe_js():
    """axe-core's source (axe.min.js), or skip before any database is built."""
    return axe_source()


@pytest.fixture
def quick_hashes(monkeypatch):
    """Argon2id as in production, but with light parameters: the browser tests set and check
    a dozen passwords each (the server runs in this process, so it uses them too); the cost
    of the real parameters is no subject of these tests."""
    from argon2 import PasswordHasher

    from controlling.services import credentials

    light = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    monkeypatch.setattr(credentials, "_hasher", lambda: light, raising=False)


@pytest.fixture
def live_site(db_url, tmp_path, quick_hashes):
    """The site's data (tests/browser_support.build_site) served live; `live_site.base` is its
    address."""
    require_browser()  # skip before building anything
    built = build_site(db_url, tmp_path)
    server = LiveServer(db_url).start()
    built.base = server.base
    yield built
    server.stop()


@pytest.fixture
def new_page(chromium):
    """new_page() opens a tab in a browser context of its own (own cookies: another person,
    or the same person in a second browser); all are closed at the end of the test."""
    contexts = []

    def open_page(**options):
        context = chromium.new_context(locale="de-DE", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
