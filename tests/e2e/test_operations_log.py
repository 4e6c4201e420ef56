"""The operations log (CONTROLLING_LOG): one JSON line per write, import, export, backup,
sign-in and refusal, from the command line and the web API; who, what, how many rows, how
long; nothing of the data beyond the login; never on standard output or standard error."""

import json

import pytest
from fastapi.testclient import TestClient

NOTE = "Vertrauliche Notiz über Frau Beispiel"
PASSWORD = "falsches-Passwort-4711"


@pytest.fixture
def logged(cli, people, tmp_path):
    log = tmp_path / "betrieb.log"

    def run(*args, **kwargs):
        env = {"CONTROLLING_LOG": str(log), **kwargs.pop("env", {})}
        return cli(*args, env=env, **kwargs)

    def lines() -> list[dict]:
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]

    run.lines = lines
    run.log = log
    return run


def add(run, number: int, **kwargs):
    result = run("recommendation", "add", "--number", number, "--title", f"Titel {number}",
                 "--district", "Osterfeld", "--department", "3-2", "--kind", "extension",
                 "--on", "2024-02-01", user="planer", **kwargs)
    assert result.exit_code == 0, result.output
    return result


def test_a_write_is_one_line_with_login_operation_outcome_and_duration(logged):
    add(logged, 7)
    [line] = logged.lines()
    assert line["operation"] == "recommendation add" and line["outcome"] == "ok"
    assert line["login"] == "planer" and line["channel"] == "cli"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["timestamp"][:4].isdigit() and "T" in line["timestamp"]
    assert set(line["options"]) >= {"number", "title", "district", "department"}
    assert "Titel 7" not in logged.log.read_text(encoding="utf-8")


def test_reading_leaves_no_line(logged):
    add(logged, 7)
    assert logged("recommendation", "list", user="ausschuss").exit_code == 0
    assert logged("recommendation", "show", 7, user="ausschuss").exit_code == 0
    assert [line["operation"] for line in logged.lines()] == ["recommendation add"]


def test_an_import_tells_its_counts(logged, tmp_path):
    path = tmp_path / "empfehlungen.csv"
    path.write_text("number,title,district,department\n1,Eins,Osterfeld,3-2\n"
                    "2,Zwei,Sterkrade-Nord,3-1\n", encoding="utf-8")
    assert logged("import", "recommendations", path, user="planer").exit_code == 0
    [line] = logged.lines()
    assert line["operation"] == "import recommendations"
    assert line["rows"]["imported"] == 2 and line["outcome"] == "ok"


def test_an_export_and_a_backup_are_logged_with_their_rows(logged, tmp_path, db_url):
    add(logged, 7)
    add(logged, 8)
    out = tmp_path / "export.csv"
    assert logged("export", "recommendations", "--out", out, user="planer").exit_code == 0
    export = logged.lines()[-1]
    assert export["operation"] == "export recommendations" and export["rows"] == {"rows": 2}
    if db_url.startswith("sqlite"):
        result = logged("backup", tmp_path / "sicherung.db", user="admin")
        assert result.exit_code == 0, result.output
        assert logged.lines()[-1]["operation"] == "backup"


def test_a_refusal_is_logged_with_the_first_line_of_its_german_message(logged):
    add(logged, 7)
    result = logged("recommendation", "approve", 7, user="bl31")  # 3-2's, not 3-1's
    assert result.exit_code == 1
    line = logged.lines()[-1]
    assert line["operation"] == "recommendation approve" and line["outcome"] == "refused"
    assert line["login"] == "bl31"
    assert result.stderr.splitlines()[0].removeprefix("Fehler: ").startswith(line["message"])


def test_a_failed_sign_in_is_logged_and_the_password_never(logged, cli):
    assert cli("user", "password", "planer", "--password-stdin",
               input="anfangs-Passwort-1\n").exit_code == 0
    result = logged("recommendation", "list", user="planer", proof=False,
                    env={"CONTROLLING_PASSWORD": PASSWORD})
    assert result.exit_code == 1
    lines = logged.lines()
    sign_in = [line for line in lines if line["operation"] == "sign-in"]
    assert sign_in and sign_in[0]["login"] == "planer"
    assert sign_in[0]["outcome"] in ("failure", "refused")
    assert lines[-1]["outcome"] == "refused" and lines[-1]["operation"] == "recommendation list"
    assert PASSWORD not in logged.log.read_text(encoding="utf-8")


def test_no_note_text_name_or_token_reaches_the_log(logged, cli):
    add(logged, 7)
    assert logged("recommendation", "approve", 7, "--note", NOTE, "--on", "2024-02-10",
                  user="bl32").exit_code == 0
    assert logged("progress", 7, "--quarter", "2024-Q1", "--light", "green", "--note", NOTE,
                  "--on", "2024-03-20", user="planer").exit_code == 0
    assert logged("user", "add", "neu", "--name", "Erika Mustermann", "--role", "planner",
                  user="admin").exit_code == 0
    token = logged("user", "token", "create", "--format", "json", user="planer")
    assert token.exit_code == 0
    text = logged.log.read_text(encoding="utf-8")
    assert NOTE not in text and "Vertrauliche" not in text and "Mustermann" not in text
    assert json.loads(token.stdout)["token"] not in text
    assert {"recommendation approve", "progress", "user add", "user token create"} <= {
        line["operation"] for line in logged.lines()}


def test_json_answers_stay_exactly_as_without_the_log(logged, cli):
    with_log = logged("recommendation", "add", "--number", 9, "--title", "Neun", "--district",
                      "Osterfeld", "--department", "3-2", "--format", "json", user="planer")
    without = cli("recommendation", "list", "--format", "json", user="planer")
    assert json.loads(with_log.stdout)["number"] == 9
    assert with_log.stderr == ""
    listed = logged("recommendation", "list", "--format", "json", user="planer")
    assert listed.stdout == without.stdout and listed.stderr == ""


def test_a_log_that_cannot_be_written_never_breaks_the_command(cli, people, tmp_path):
    result = cli("recommendation", "add", "--number", 7, "--title", "Sieben", "--district",
                 "Osterfeld", "--department", "3-2", "--format", "json", user="planer",
                 env={"CONTROLLING_LOG": str(tmp_path / "fehlt" / "betrieb.log")})
    assert result.exit_code == 0
    assert json.loads(result.stdout)["number"] == 7
    warnings = result.stderr.splitlines()
    assert len(warnings) <= 1
    assert all(w.startswith("Warnung: Das Betriebsprotokoll") and "Ordner" in w
               for w in warnings)


def test_without_controlling_log_nothing_is_written(cli, people, tmp_path, monkeypatch):
    folder = tmp_path / "arbeitsordner"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("CONTROLLING_LOG", raising=False)
    add(cli, 7)
    assert list(folder.iterdir()) == []


def test_the_api_logs_its_writes_and_refusals_with_the_routes_pattern(
        logged, db_url, monkeypatch):
    from tests.web_support import bearer, web_app

    add(logged, 7)
    token = json.loads(logged("user", "token", "create", "--format", "json",
                              user="bl31").stdout)["token"]
    monkeypatch.setenv("CONTROLLING_LOG", str(logged.log))
    client = TestClient(web_app(db_url))
    answer = client.post("/api/v1/recommendations/7/approve", json={"note": NOTE},
                         headers=bearer(token))
    assert answer.status_code == 403
    assert client.get("/api/v1/recommendations", headers=bearer(token)).status_code == 200
    line = logged.lines()[-1]
    assert line["operation"] == "POST /api/v1/recommendations/{number}/approve"
    assert line["channel"] == "api" and line["outcome"] == "refused"
    assert line["status"] == 403 and line["login"] == "bl31" and line["message"]
    assert NOTE not in logged.log.read_text(encoding="utf-8")
