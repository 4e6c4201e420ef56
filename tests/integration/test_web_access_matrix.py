"""Every role against every page and every form of the web application: allowed, refused (403)
or sent to the sign-in form, each cell derived from the one table below and asserted. The
counts are printed (and kept as the test's user properties) so they can be cited."""

from collections import Counter

import pytest

from tests.web_support import (
    LOGINS,
    add_indicators,
    add_team,
    browser,
    cheap_hashing,
    csrf_of,
    give_team_passwords,
    password_of,
    recommendation,
    sign_in_target,
    signed_in,
    web_app,
)

ROLES = ("planner", "admin", "own_head", "other_head", "committee", "signed_out")
SIGNED_IN = frozenset(LOGINS)
PLANNING = frozenset({"planner", "admin"})
RESPONSIBLE = PLANNING | {"own_head"}
HEADS = frozenset({"own_head", "other_head"})
ADMINS = frozenset({"admin"})
SHARED = 900  # a proposed recommendation of 3-1 every role looks at (and the successor)

# The one table: request, who may (role names; "signed_out" only where the page is public),
# the form's fields. {n} is the number of the recommendation of that kind the role acts on
# (one of its own, so every allowed step finds the status it needs), {role} the role's name.
TABLE = (
    ("GET", "/", SIGNED_IN | {"signed_out"}, None),
    ("GET", "/uebersicht", PLANNING, None),
    ("GET", "/sachstandsrunde", PLANNING, None),
    ("GET", "/rueckmeldungen", PLANNING, None),
    ("GET", "/freigabe", HEADS, None),
    ("GET", "/sachstand", HEADS, None),
    ("GET", "/empfehlungen", SIGNED_IN, None),
    ("GET", f"/empfehlungen/{SHARED}", SIGNED_IN, None),
    ("GET", "/berichte", SIGNED_IN, None),
    ("GET", "/berichte/quartal/2024-Q1", SIGNED_IN, None),
    ("GET", "/berichte/quartal/2024-Q1.pdf", SIGNED_IN, None),
    ("GET", "/berichte/strategiepapier.pdf?district=Osterfeld", SIGNED_IN, None),
    ("GET", "/berichte/stadt.pdf", SIGNED_IN, None),
    ("GET", "/berichte/strategiepapier?district=Osterfeld", SIGNED_IN, None),
    ("GET", "/berichte/stadt", SIGNED_IN, None),
    ("GET", "/passwort", SIGNED_IN, None),
    ("GET", "/verwaltung/benutzer", ADMINS, None),
    ("GET", "/verwaltung/anmeldungen", ADMINS, None),
    ("POST", "/empfehlungen/{support}/schritt/support", PLANNING, {"indicator": "sgb2"}),
    ("POST", "/empfehlungen/{approve}/schritt/approve", {"own_head"}, {"note": "passt"}),
    ("POST", "/empfehlungen/{implement}/schritt/implement", RESPONSIBLE, {"note": "fertig"}),
    ("POST", "/empfehlungen/{reject}/schritt/reject", RESPONSIBLE, {"note": "nicht nötig"}),
    ("POST", "/empfehlungen/{supersede}/schritt/supersede", PLANNING,
     {"note": "neu gefasst", "successor": str(SHARED)}),
    ("POST", "/empfehlungen/{progress}/sachstand", RESPONSIBLE,
     {"quarter": "2024-Q2", "light": "green", "note": "läuft"}),
    ("POST", "/rueckmeldungen/{institution}/bestellen", PLANNING,
     {"email": "buero-{role}@example.org"}),
    ("POST", "/rueckmeldungen/{institution}/abbestellen", PLANNING, {}),
    ("POST", "/verwaltung/benutzer", ADMINS,
     {"login": "neu-{role}", "name": "Neu", "role": "committee", "password": ""}),
    ("POST", "/verwaltung/benutzer/ziel-{role}/aendern", ADMINS, {"role": "planner"}),
    ("POST", "/verwaltung/benutzer/reset-{role}/passwort", ADMINS,
     {"password": "Neues-Initialpasswort"}),
    ("POST", "/verwaltung/benutzer/weg-{role}/deaktivieren", ADMINS, {}),
    ("POST", "/passwort", SIGNED_IN, {"current": "{password}", "new": "{password}-neu",
                                      "repeat": "{password}-neu"}),
    ("POST", "/abmelden", SIGNED_IN, {}),  # last: it ends the role's session
)
# The recommendation each role's steps act on: (offset, status it needs).
KINDS = {"support": (1, "proposed"), "approve": (2, "proposed"), "implement": (3, "approved"),
         "reject": (4, "proposed"), "supersede": (5, "proposed"), "progress": (6, "approved")}


def numbers_of(role: str) -> dict[str, int]:
    base = 100 * (ROLES.index(role) + 1)
    return {kind: base + offset for kind, (offset, _status) in KINDS.items()}


def expected(role: str, method: str, path: str, who) -> str:
    if role in who:
        return "allowed"
    return "sign-in" if role == "signed_out" else "403"


def observed(method: str, path: str, response) -> str:
    if response.status_code == 403:
        return "403"
    target = sign_in_target(response)
    if target is not None and (target == path if method == "GET" else target == ""):
        return "sign-in"
    if response.status_code in (200, 303):
        return "allowed"
    return f"unexpected {response.status_code}"


@pytest.fixture
def world(db_url, uow, tmp_path, monkeypatch):
    """The team with own passwords, indicators, and for every role its own recommendations
    in the statuses its steps need, and its own users to add, change, reset and deactivate."""
    from controlling.services.institutions import add_institution
    from controlling.services.setup import add_user

    cheap_hashing(monkeypatch)
    add_team(uow)
    give_team_passwords(uow)
    add_indicators(uow, tmp_path)
    recommendation(uow, SHARED, title="Gemeinsame Empfehlung")
    add_institution(uow(), "planer", name="Stadtteilbüro", type_="Büro", address="Weg 1",
                    lon=6.88, lat=51.5)
    for role in ROLES:
        for kind, number in numbers_of(role).items():
            recommendation(uow, number, KINDS[kind][1],
                           kind="extension" if kind == "approve" else "new")
        for prefix in ("ziel", "reset", "weg"):
            add_user(uow(), "admin", new_login=f"{prefix}-{role}", name=prefix, role="committee")
    return web_app(db_url)


def test_every_role_is_allowed_refused_or_sent_to_sign_in_exactly_as_the_table_says(
        world, capsys, record_property):
    counts, wrong = Counter(), []
    for role in ROLES:
        if role == "signed_out":
            client, csrf = browser(world), ""
        else:
            client = signed_in(world, LOGINS[role])
            csrf = csrf_of(client)
        values = {**numbers_of(role), "role": role, "institution": institution_of(world),
                  "password": password_of(LOGINS.get(role, "niemand"))}
        for method, template, who, fields in TABLE:
            path = template.format(**values)
            if method == "GET":
                response = client.get(path)
            else:
                data = {k: v.format(**values) for k, v in fields.items()}
                response = client.post(path, data={**data, "csrf": csrf})
            want, got = expected(role, method, path, who), observed(method, path, response)
            counts[got] += 1
            if got != want:
                wrong.append(f"{role:10} {method} {path}: erwartet {want}, bekommen {got} "
                             f"({response.status_code} {response.headers.get('location', '')})")
            elif got == "allowed" and method == "POST" and "/verwaltung" not in path:
                assert "erledigt=" in response.headers["location"], (role, path)
    cells = len(ROLES) * len(TABLE)
    record_property("web_matrix", dict(counts))
    with capsys.disabled():
        print(f"\nWeb-Matrix: {cells} Zellen ({len(ROLES)} Rollen × {len(TABLE)} Anfragen): "
              f"{counts['allowed']} erlaubt, {counts['403']} 403, "
              f"{counts['sign-in']} zur Anmeldung")
    assert not wrong, "\n".join(wrong)
    assert sum(counts.values()) == cells
    assert statuses(world) == {
        (role, kind): AFTER[kind] if role in STEP_WHO[kind] else BEFORE[kind]
        for role in ROLES for kind in KINDS}, "an allowed step must change the status"


AFTER = {"support": "statistically_supported", "approve": "approved", "implement": "implemented",
         "reject": "rejected", "supersede": "superseded", "progress": "approved"}
BEFORE = {**{kind: status for kind, (_offset, status) in KINDS.items()},
          "progress": "approved (ohne Sachstand)"}
STEP_WHO = {kind: next(who for _m, path, who, _f in TABLE if "{" + kind + "}" in path)
            for kind in KINDS}


def institution_of(app) -> int:
    from sqlalchemy import func, select

    from controlling.data.models import Institution

    with app.state.web.engine.connect() as connection:
        return connection.execute(select(func.min(Institution.id))).scalar_one()


def statuses(app) -> dict[tuple[str, str], str]:
    """(role, kind) -> the status of the role's recommendation of that kind now; a progress
    update leaves the status, so it counts as 'progress' once it is there."""
    from sqlalchemy import func, select

    from controlling.data.models import ProgressUpdate, Recommendation

    with app.state.web.engine.connect() as connection:
        status = {number: value for number, value in connection.execute(
            select(Recommendation.number, Recommendation.status))}
        updates = {number: count for number, count in connection.execute(
            select(Recommendation.number, func.count(ProgressUpdate.id))
            .join(ProgressUpdate, ProgressUpdate.recommendation_id == Recommendation.id)
            .group_by(Recommendation.number))}
    result = {}
    for role in ROLES:
        for kind, number in numbers_of(role).items():
            value = getattr(status[number], "value", status[number])
            if kind == "progress" and not updates.get(number):
                value = "approved (ohne Sachstand)"
            result[role, kind] = value
    return result

