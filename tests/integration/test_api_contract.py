"""The JSON API against the command line on the same database: the same JSON for the list, a
recommendation and the quarterly report; the same steps with the same refusals (403 wrong
head, 404 unknown number, 409 stale version, 422 bad input), each as {"error": "<German>"}
with the command line's message; and a valid OpenAPI 3 document."""

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.conftest import TOMORROW, cli_for, on_tomorrow
from tests.web_support import (
    add_indicators,
    add_team,
    bearer,
    dump,
    recommendation,
    token_of,
    web_app,
)

QUARTERS = ("2024-Q1", "2024-Q2", "2024-Q3", "2025-Q1")


def populate(url: str, folder, *, team: bool = True) -> dict[str, str]:
    """Recommendations in every status, with evidence, progress and a supersession; a token
    per user."""
    from controlling.data.database import make_engine
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.services.recommendations import change_status, record_progress

    engine = make_engine(url)

    def uow():
        return UnitOfWork(engine)

    try:
        if team:
            add_team(uow)
        add_indicators(uow, folder)
        recommendation(uow, 1)                                   # proposed
        recommendation(uow, 2, "statistically_supported")
        recommendation(uow, 3, "approved")
        record_progress(uow(), "bl31", 3, quarter="2024-Q1", light="green", note="läuft",
                        on=date(2024, 3, 20))
        record_progress(uow(), "planer", 3, quarter="2024-Q2", light="yellow",
                        note="verzögert", on=date(2024, 5, 2))
        recommendation(uow, 4, district="Alstaden/Lirich", department="3-2")
        change_status(uow(), "bl32", 4, "reject", note="kein Bedarf", on=date(2024, 4, 3))
        recommendation(uow, 5, "approved", kind="permanence", district="stadtweit",
                       department="3-2")
        change_status(uow(), "planer", 5, "implement", note="umgesetzt", on=date(2024, 8, 1))
        recommendation(uow, 6)
        change_status(uow(), "planer", 6, "supersede", note="neu gefasst", successor=1,
                      on=date(2025, 2, 1))
        recommendation(uow, 7, kind="extension")                 # proposed, may be approved
        recommendation(uow, 8, "statistically_supported")
        return {login: token_of(uow, login)
                for login in ("admin", "planer", "bl31", "bl32", "ausschuss")}
    finally:
        engine.dispose()


@pytest.fixture
def setting(db_url, tmp_path):
    """The API client, a token per user and the command line, on a database of this test."""
    return TestClient(web_app(db_url)), populate(db_url, tmp_path), cli_for(db_url)


@pytest.fixture(scope="module")
def shared_setting(module_db_url, tmp_path_factory):
    """The same, on the module's database (with the team already there): for the refusals,
    which change nothing."""
    tokens = populate(module_db_url, tmp_path_factory.mktemp("contract"), team=False)
    return TestClient(web_app(module_db_url)), tokens, cli_for(module_db_url)


def cli_json(cli, tokens, login, *args):
    result = cli(*args, "--format", "json", user=login,
                 env={"CONTROLLING_TOKEN": tokens[login]})
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def cli_refusal(cli, tokens, login, *args) -> str:
    result = cli(*args, user=login, env={"CONTROLLING_TOKEN": tokens[login]})
    assert result.exit_code == 1, result.output
    return result.stderr.strip().removeprefix("Fehler: ")


def test_the_list_and_every_recommendation_are_the_json_of_the_command_line(setting):
    client, tokens, cli = setting
    for login in ("planer", "bl31", "ausschuss"):  # next_actions depend on who asks
        headers = bearer(tokens[login])
        for query, options in (({}, ()), ({"status": "proposed"}, ("--status", "proposed")),
                               ({"district": "Osterfeld", "department": "3-1"},
                                ("--district", "Osterfeld", "--department", "3-1")),
                               ({"status": "freigegeben"}, ("--status", "freigegeben"))):
            answer = client.get("/api/v1/recommendations", params=query, headers=headers)
            assert answer.status_code == 200
            assert answer.json() == cli_json(cli, tokens, login, "recommendation", "list",
                                             *options), (login, query)
        for number in range(1, 9):
            answer = client.get(f"/api/v1/recommendations/{number}", headers=headers)
            assert answer.status_code == 200
            assert answer.json() == cli_json(cli, tokens, login, "recommendation", "show",
                                             number), (login, number)
    shown = client.get("/api/v1/recommendations/3", headers=bearer(tokens["bl31"])).json()
    assert [p["quarter"] for p in shown["progress"]] == ["2024-Q1", "2024-Q2"]
    assert shown["next_actions"] == ["implement"]


@pytest.mark.parametrize("quarter", QUARTERS)
def test_the_quarterly_report_is_the_json_of_the_command_line(setting, quarter):
    client, tokens, cli = setting
    answer = client.get(f"/api/v1/reports/quarterly/{quarter}",
                        headers=bearer(tokens["ausschuss"]))
    assert answer.status_code == 200
    report = answer.json()
    assert report == cli_json(cli, tokens, "ausschuss", "report", "quarterly", "--quarter",
                              quarter)
    assert report["quarter"] == quarter and set(report["totals"]) >= {
        "proposed", "statistically_supported", "approved", "implemented", "rejected"}


def test_every_step_answers_the_recommendation_as_show_does_after_it(setting, engine):
    client, tokens, cli = setting
    version = client.get("/api/v1/recommendations/7", headers=bearer(tokens["bl31"])).json()
    steps = (
        ("planer", "/api/v1/recommendations/1/support", {"indicator": "sgb2", "year": 2023}),
        ("bl31", "/api/v1/recommendations/7/approve", {"note": "passt",
                                                       "version": version["version"]}),
        ("planer", "/api/v1/recommendations/3/implement", {"note": "fertig",
                                                           "on": "2024-09-30"}),
        ("bl31", "/api/v1/recommendations/2/reject", {"reason": "kein Geld"}),
        ("bl31", "/api/v1/recommendations/7/progress", {"quarter": "2024-Q3", "light": "red",
                                                        "note": "stockt"}),
    )
    for login, path, body in steps:
        before = dump(engine)
        answer = client.post(path, json=body, headers=bearer(tokens[login]))
        assert answer.status_code == 200, (path, answer.text)
        number = int(path.split("/")[4])
        assert answer.json() == cli_json(cli, tokens, login, "recommendation", "show", number)
        assert dump(engine) != before
    statuses = {n: cli_json(cli, tokens, "admin", "recommendation", "show", n)["status"]
                for n in (1, 2, 3, 7)}
    assert statuses == {1: "statistically_supported", 2: "rejected", 3: "implemented",
                        7: "approved"}
    evidence = cli_json(cli, tokens, "admin", "recommendation", "show", 1)["history"][-1]
    assert evidence["evidence"]["district_value"] == 14


# (status, caller, request, body, the same on the command line or None for the API's own
# input checks). Every one is refused, changes nothing and says why in German.
REFUSALS = (
    (403, "bl32", "POST /8/approve", {}, ("recommendation", "approve", "8")),
    (403, "ausschuss", "POST /1/support", {"indicator": "sgb2"},
     ("recommendation", "support", "1", "--indicator", "sgb2")),
    (403, "planer", "POST /1/implement", {"note": "fertig"},
     ("recommendation", "implement", "1", "--note", "fertig")),
    (403, "bl32", "POST /3/progress", {"quarter": "2024-Q3", "light": "green", "note": "x"},
     ("progress", "3", "--quarter", "2024-Q3", "--light", "green", "--note", "x")),
    (404, "bl31", "POST /4711/approve", {}, ("recommendation", "approve", "4711")),
    (404, "planer", "GET /4711", None, ("recommendation", "show", "4711")),
    (404, "planer", "GET ?district=Nirgendwo", None,
     ("recommendation", "list", "--district", "Nirgendwo")),
    (409, "bl31", "POST /8/approve", {"version": 1},
     ("recommendation", "approve", "8", "--expect-version", "1")),
    (409, "planer", "POST /3/progress",
     {"quarter": "2024-Q3", "light": "green", "note": "x", "version": 1},
     ("progress", "3", "--quarter", "2024-Q3", "--light", "green", "--note", "x",
      "--expect-version", "1")),
    (422, "planer", "POST /1/reject", {}, None),
    (422, "planer", "POST /3/progress", {"quarter": "2024-Q3", "light": "lila", "note": "x"},
     ("progress", "3", "--quarter", "2024-Q3", "--light", "lila", "--note", "x")),
    (422, "planer", "POST /3/progress", {"quarter": "2024-Q9", "light": "green", "note": "x"},
     ("progress", "3", "--quarter", "2024-Q9", "--light", "green", "--note", "x")),
    (422, "planer", "POST /1/support", {"indicator": "sgb2", "on": TOMORROW},
     ("recommendation", "support", "1", "--indicator", "sgb2", "--on", TOMORROW)),
    (422, "planer", "GET ?status=erfunden", None,
     ("recommendation", "list", "--status", "erfunden")),
    (422, "planer", "POST /1/support", {"indicator": "sgb2", "year": "zwei"}, None),
    (422, "planer", "POST /1/support", {"indicator": "sgb2", "fremd": 1}, None),
    (422, "planer", "POST /1/support", "kein JSON", None),
    (422, "planer", "POST /1/support", b'{"note": "\xff"}', None),  # not UTF-8: was a 400
    (422, "planer", "POST /1/reject", {"reason": "x" * 10001}, None),
    (422, "planer", "POST /3/progress", {"light": "green"}, None),
    (422, "planer", "GET /null", None, None),
    (422, "ausschuss", "GET /reports/quarterly/2024-Q5", None, None),
)


@pytest.mark.parametrize("status,login,request_,body,command", REFUSALS,
                         ids=[f"{r[0]}-{r[2]}" for r in REFUSALS])
def test_refusals_have_the_status_and_the_german_reason_of_the_command_line(
        shared_setting, module_engine, status, login, request_, body, command, today_is):
    if TOMORROW in repr((body, command)):  # "the future": the day after a frozen today
        tomorrow = today_is(date(2024, 7, 5))
        body, command = on_tomorrow(body, tomorrow), on_tomorrow(command, tomorrow)
    client, tokens, cli = shared_setting
    engine = module_engine
    method, target = request_.split(" ")
    path = target if target.startswith("/reports") else "/recommendations" + target
    headers = bearer(tokens[login])
    before = dump(engine)
    if isinstance(body, str | bytes):
        content = body.encode() if isinstance(body, str) else body
        answer = client.request(method, "/api/v1" + path, content=content,
                                headers={**headers, "content-type": "application/json"})
    else:
        answer = client.request(method, "/api/v1" + path, json=body, headers=headers)
    assert answer.status_code == status, answer.text
    refusal = answer.json()
    assert list(refusal) == ["error"] and "\n" not in refusal["error"]
    assert any(word in refusal["error"] for word in (
        "Keine Berechtigung", "Statuswechsel abgelehnt", "Unbekannt", "Zwischenzeit",
        "Ungültig", "nötig", "Sachstände", "Zukunft", "liegt")), refusal
    if body == {"reason": "x" * 10001}:
        assert refusal["error"] == "Ungültige Eingabe: reason: zu lang (höchstens 10000 Zeichen)."
    if isinstance(body, bytes):
        assert "nicht lesbar" in refusal["error"]
    assert dump(engine) == before
    if command is not None:
        assert cli_refusal(cli, tokens, login, *command) == refusal["error"]
        assert dump(engine) == before


def test_the_openapi_document_is_valid_openapi_3_and_describes_the_api_only(setting):
    import jsonschema_rs
    import schemathesis
    from schemathesis.specs.openapi.definitions import OPENAPI_31

    client, _tokens, _cli = setting
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    document = answer.json()
    assert document["openapi"].startswith("3.1")
    jsonschema_rs.validate(OPENAPI_31, document)  # the OpenAPI 3.1 meta-schema
    schemathesis.openapi.from_dict(document).validate()
    assert {(method.upper(), path) for path, item in document["paths"].items()
            for method in item} == {
        ("GET", "/api/v1/recommendations"), ("GET", "/api/v1/recommendations/{number}"),
        ("POST", "/api/v1/recommendations/{number}/support"),
        ("POST", "/api/v1/recommendations/{number}/approve"),
        ("POST", "/api/v1/recommendations/{number}/implement"),
        ("POST", "/api/v1/recommendations/{number}/reject"),
        ("POST", "/api/v1/recommendations/{number}/progress"),
        ("GET", "/api/v1/reports/quarterly/{quarter}")}
    for item in document["paths"].values():
        for operation in item.values():
            assert {"401", "403", "422"} <= set(operation["responses"])
    with pytest.raises(jsonschema_rs.ValidationError):
        jsonschema_rs.validate(OPENAPI_31, {**document, "paths": {"ohne-schraegstrich": {}}})
