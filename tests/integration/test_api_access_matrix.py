"""Every endpoint of the JSON API against every caller: without a token, with an invalid or a
revoked one (401), and with each role's token (200 or 403, from the one table below). Every
refusal is {"error": "<German>"}; the counts are printed so they can be cited."""

from collections import Counter

import pytest
from fastapi.testclient import TestClient

from tests.web_support import LOGINS, add_indicators, add_team, bearer, recommendation, web_app

CALLERS = ("no_token", "invalid_token", "revoked_token", "planner", "admin", "own_head",
           "other_head", "committee")
SIGNED_IN = frozenset(LOGINS)
PLANNING = frozenset({"planner", "admin"})
RESPONSIBLE = PLANNING | {"own_head"}
SHARED = 900

# The one table: request, which roles may, body. {n}: the caller's own recommendation of
# that kind (so every allowed step finds the status it needs).
TABLE = (
    ("GET", "/api/v1/recommendations", SIGNED_IN, None),
    ("GET", "/api/v1/recommendations?status=proposed&district=Osterfeld&department=3-1",
     SIGNED_IN, None),
    ("GET", f"/api/v1/recommendations/{SHARED}", SIGNED_IN, None),
    ("GET", "/api/v1/reports/quarterly/2024-Q1", SIGNED_IN, None),
    ("POST", "/api/v1/recommendations/{support}/support", PLANNING, {"indicator": "sgb2"}),
    ("POST", "/api/v1/recommendations/{approve}/approve", {"own_head"}, {"note": "passt"}),
    ("POST", "/api/v1/recommendations/{implement}/implement", RESPONSIBLE, {"note": "fertig"}),
    ("POST", "/api/v1/recommendations/{reject}/reject", RESPONSIBLE, {"reason": "nicht nötig"}),
    ("POST", "/api/v1/recommendations/{progress}/progress", RESPONSIBLE,
     {"quarter": "2024-Q2", "light": "yellow", "note": "verzögert"}),
)
KINDS = {"support": (1, "proposed"), "approve": (2, "proposed"), "implement": (3, "approved"),
         "reject": (4, "proposed"), "progress": (5, "approved")}


def numbers_of(caller: str) -> dict[str, int]:
    base = 100 * (CALLERS.index(caller) + 1)
    return {kind: base + offset for kind, (offset, _status) in KINDS.items()}


def expected(caller: str, who) -> int:
    if caller not in LOGINS:
        return 401
    return 200 if caller in who else 403


@pytest.fixture
def api(db_url, uow, tmp_path):
    """The API on a database with the team, indicators and every caller's recommendations;
    returns (client, token of every caller)."""
    from controlling.services.accounts import create_token, revoke_token

    add_team(uow)
    add_indicators(uow, tmp_path)
    recommendation(uow, SHARED)
    for caller in CALLERS:
        for kind, number in numbers_of(caller).items():
            recommendation(uow, number, KINDS[kind][1],
                           kind="extension" if kind == "approve" else "new")
    tokens = {role: create_token(uow(), login, name="Matrix")["token"]
              for role, login in LOGINS.items()}
    revoked = create_token(uow(), "planer", name="widerrufen")
    revoke_token(uow(), "planer", revoked["id"])
    tokens.update(no_token=None, invalid_token="ctl_" + "x" * 43,
                  revoked_token=revoked["token"])
    return TestClient(web_app(db_url)), tokens


def test_every_api_endpoint_answers_401_403_or_200_to_every_caller_as_the_table_says(
        api, capsys, record_property):
    client, tokens = api
    counts, wrong = Counter(), []
    for caller in CALLERS:
        for method, template, who, body in TABLE:
            path = template.format(**numbers_of(caller))
            response = client.request(method, path, json=body, headers=bearer(tokens[caller]))
            want = expected(caller, who)
            counts[response.status_code] += 1
            if response.status_code != want:
                wrong.append(f"{caller:13} {method} {path}: erwartet {want}, bekommen "
                             f"{response.status_code} {response.text[:200]}")
                continue
            assert response.headers["content-type"] == "application/json"
            if want != 200:
                refusal = response.json()
                assert list(refusal) == ["error"] and refusal["error"].strip(), refusal
            elif method == "POST":
                assert response.json()["number"] == int(path.split("/")[4])
    cells = len(CALLERS) * len(TABLE)
    record_property("api_matrix", dict(counts))
    with capsys.disabled():
        print(f"\nAPI-Matrix: {cells} Zellen ({len(CALLERS)} Aufrufer × {len(TABLE)} "
              f"Anfragen): {counts[200]} × 200, {counts[403]} × 403, {counts[401]} × 401")
    assert not wrong, "\n".join(wrong)
    assert sum(counts.values()) == cells


def test_without_a_valid_token_the_api_says_why_in_german(api):
    client, tokens = api
    missing = client.get("/api/v1/recommendations")
    assert missing.status_code == 401
    assert missing.json() == {"error": "Anmeldung erforderlich: Authorization: Bearer TOKEN "
                                       "fehlt."}
    for token in (tokens["invalid_token"], tokens["revoked_token"]):
        refused = client.get("/api/v1/recommendations", headers=bearer(token))
        assert refused.json() == {"error": "Anmeldung fehlgeschlagen: das Token ist ungültig, "
                                           "abgelaufen oder widerrufen."}
    basic = client.get("/api/v1/recommendations",
                       headers={"Authorization": f"Basic {tokens['admin']}"})
    assert basic.status_code == 401
    assert client.get("/api/v1/openapi.json").status_code == 200  # the description is public
