"""The automated accessibility check: axe-core (WCAG 2.1 A and AA) on every page of the web
application, each as the person who uses it, with every <details> opened so that folded
forms are checked too. No violation of impact "serious" or "critical" is allowed; the result
per page is printed (see it with `pytest -rA`) and written to
/tmp/controlling-axe-summary-sqlite.txt (-postgresql.txt)."""

import re
from pathlib import Path

from tests.browser_support import (
    ADMIN,
    APPROVED,
    AXE_TAGS,
    BLOCKING_IMPACTS,
    IMPACTS,
    NEWCOMER,
    NEWCOMER_INITIAL,
    WAITING,
    by_impact,
    run_axe,
    sign_in,
)

SUMMARY = "/tmp/controlling-axe-summary-{backend}.txt"

# (page, who, path); None as who: signed out. "{quarter}" is the running quarter.
PAGES = (
    ("Anmelden", None, "/"),
    ("Anmelden mit Fehlermeldung", None, "!wrong-password"),
    ("Zur Freigabe", "bl31", "/freigabe"),
    ("Sachstand", "bl31", "/sachstand"),
    ("Empfehlung (Bereichsleitung, mit Sachstandsformular)", "bl31", f"/empfehlungen/{APPROVED}"),
    ("Übersicht", "planer", "/uebersicht"),
    ("Sachstandsrunde (noch keine)", "planer", "/sachstandsrunde"),
    ("Rückmeldungen an Institutionen", "planer", "/rueckmeldungen"),
    ("Empfehlungen (Liste)", "planer", "/empfehlungen"),
    ("Empfehlungen (Liste, gefiltert, ohne Treffer)", "planer", "/empfehlungen?q=nichts"),
    ("Empfehlung (Einzelheiten)", "planer", f"/empfehlungen/{WAITING}"),
    ("Berichte", "ausschuss", "/berichte"),
    ("Quartalsbericht (HTML)", "ausschuss", "/berichte/quartal/{quarter}"),
    ("Strategiepapier (HTML)", "ausschuss", "/berichte/strategiepapier?district=Osterfeld"),
    ("Stadtweiter Überblick (HTML)", "ausschuss", "/berichte/stadt"),
    ("Passwort ändern (eigenes)", "planer", "/passwort"),
    ("Benutzer", ADMIN, "/verwaltung/benutzer"),
    ("Anmeldeprotokoll", ADMIN, "/verwaltung/anmeldungen"),
    ("Fehlerseite 404", "planer", "/empfehlungen/999"),
    ("Fehlerseite 403", "ausschuss", "/verwaltung/benutzer"),
    ("Passwort ändern (Initialpasswort)", NEWCOMER, "/passwort"),
)


def summary_lines(version: str, results: list[tuple]) -> list[str]:
    lines = [f"axe-core {version} ({', '.join(AXE_TAGS)}): violations by impact per page; "
             "'review': rules axe could not decide alone (incomplete)",
             f"{'page':<54} {'path':<28} " + " ".join(f"{i:>8}" for i in IMPACTS)
             + "  review"]
    for name, path, violations, incomplete in results:
        counts = by_impact(violations)
        lines.append(f"{name:<54} {path:<28} " + " ".join(f"{counts[i]:>8}" for i in IMPACTS)
                     + f"  {', '.join(incomplete) or '-'}")
        for violation in violations:
            lines.append(f"    [{violation['impact']}] {violation['id']}: {violation['help']}")
            lines += [f"        {node}" for node in violation["nodes"][:5]]
    return lines


def test_every_page_passes_axe_without_serious_or_critical_violations(
        axe_js, live_site, new_page):
    pages: dict[str | None, object] = {}

    def page_of(who):
        if who not in pages:
            pages[who] = new_page()
            if who == NEWCOMER:
                sign_in(pages[who], live_site.base, who, NEWCOMER_INITIAL)
            elif who is not None:
                sign_in(pages[who], live_site.base, who)
        return pages[who]

    berichte = page_of("ausschuss")
    berichte.goto(live_site.base + "/berichte")
    quarter = re.search(r"/berichte/quartal/(\d{4}-Q[1-4])$", berichte.get_by_role(
        "link", name=re.compile("ansehen$")).first.get_attribute("href")).group(1)

    results = []
    for name, who, path in PAGES:
        page = page_of(who)
        if path == "!wrong-password":
            sign_in(page, live_site.base, "planer", "falsches-Passwort")
            path = "/anmelden"
            assert page.get_by_role("alert").is_visible()
        else:
            path = path.format(quarter=quarter)
            answer = page.goto(live_site.base + path)
            expected = 404 if "404" in name else 403 if "403" in name else 200
            assert answer.status == expected, (name, answer.status)
            assert page.url.split("?")[0] == live_site.base + path.split("?")[0], (name, page.url)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        results.append((name, path, *run_axe(page, axe_js)))

    version = re.search(r"axe v(\S+)", axe_js[:300])
    backend = live_site.db_url.split(":", 1)[0].split("+", 1)[0]
    lines = summary_lines(f"{version.group(1) if version else '?'}, {backend}", results)
    Path(SUMMARY.format(backend=backend)).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + "\n".join(lines))
    blocking = [(name, v["impact"], v["id"], v["nodes"]) for name, _path, found, _i in results
                for v in found if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, blocking


def test_the_check_itself_finds_violations_and_the_csp_blocks_inline_scripts(
        axe_js, live_site, new_page):
    """The control: the same injection reports a planted unlabelled field and faint text, so
    an empty result above means something; and the pages' CSP refuses an inline script (why
    axe comes in through page.evaluate rather than add_script_tag(content=...))."""
    page = new_page()
    page.goto(live_site.base + "/")
    try:
        page.add_script_tag(content="window.inlineScriptRan = true;")
    except Exception:  # noqa: BLE001 - Playwright may report the blocked script as an error
        pass
    assert page.evaluate("() => window.inlineScriptRan === undefined")

    page.evaluate("""() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input id="planted"><p id="faint">blass</p>');
        document.getElementById('faint').style.color = '#bbb';  // CSSOM: allowed by the CSP
    }""")
    violations, _incomplete = run_axe(page, axe_js)
    found = {v["id"]: v["impact"] for v in violations}
    assert found.get("label") == "critical" and found.get("color-contrast") == "serious", found
