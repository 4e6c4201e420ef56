"""The command line as people and scripts use it: --user, CONTROLLING_USER, CONTROLLING_DB,
and the real program in a process of its own. Acting as a login other than the operating
system's takes that login's proof: here a token (CONTROLLING_TOKEN or --token), as a script
would use it; `init` of a new admin other than the operating system's login takes their own
password (--password-stdin)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from controlling.cli import cli as root
from tests.conftest import issue_token

REPO = Path(__file__).resolve().parents[2]
CHEFIN_PASSWORD = "Chefin-Passwort-2026"
NO_PROOF = {"CONTROLLING_TOKEN": None, "CONTROLLING_PASSWORD": None}


def invoke(*args, env=None, input=None):
    return CliRunner().invoke(root, [str(a) for a in args], env={**NO_PROOF, **(env or {})},
                              input=input, catch_exceptions=False)


def test_the_database_and_the_user_come_from_the_environment(db_url, people):
    env = {"CONTROLLING_DB": db_url, "CONTROLLING_USER": "planer",
           "CONTROLLING_TOKEN": issue_token(db_url, "planer")}
    result = invoke("recommendation", "add", "--number", 3, "--title", "Seniorenberatung",
                    "--district", "Osterfeld", "--department", "3-2", env=env)
    assert result.exit_code == 0, result.stderr
    shown = json.loads(invoke("recommendation", "show", 3, "--format", "json", env=env).stdout)
    assert shown["history"][0]["actor"] == "planer"


def test_the_user_and_token_options_win_over_the_environment(db_url, people):
    env = {"CONTROLLING_DB": db_url, "CONTROLLING_USER": "ausschuss",
           "CONTROLLING_TOKEN": issue_token(db_url, "ausschuss")}
    args = ("recommendation", "add", "--number", 4, "--title", "t", "--district", "Osterfeld",
            "--department", "3-2")
    refused = invoke(*args, env=env)
    assert refused.exit_code == 1
    assert "Keine Berechtigung: ausschuss (committee)" in refused.stderr
    planner = ("--user", "planer", "--token", issue_token(db_url, "planer"))
    assert invoke(*planner, *args, env=env).exit_code == 0


def test_the_db_option_wins_over_the_environment(db_url, people, tmp_path):
    env = {"CONTROLLING_DB": f"sqlite:///{tmp_path / 'leer.db'}", "CONTROLLING_USER": "planer",
           "CONTROLLING_TOKEN": issue_token(db_url, "planer")}
    assert invoke("recommendation", "list", env=env).exit_code == 1
    result = invoke("--db", db_url, "recommendation", "list", "--format", "json", env=env)
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_a_whole_walk_through_the_workflow_as_typed(cli, people, tmp_path):
    indicators = tmp_path / "sozialindex.csv"
    indicators.write_text("indicator,district,year,value\nsgb2_quote,Osterfeld,2022,21\n"
                          "sgb2_quote,stadtweit,2022,17.1\n", encoding="utf-8")
    steps = [
        (("import", "indicators", indicators), "planer"),
        (("recommendation", "add", "--number", 7, "--title", "Familienzentrum ausbauen",
          "--district", "Osterfeld", "--department", "3-1", "--topic", "Jugend",
          "--on", "2024-01-10"), "planer"),
        (("recommendation", "support", 7, "--indicator", "sgb2_quote", "--year", 2022,
          "--on", "2024-01-20"), "planer"),
        (("recommendation", "approve", 7, "--note", "mit 3-3 abgestimmt", "--on", "2024-02-01"),
         "bl31"),
        (("progress", 7, "--quarter", "2024-Q2", "--light", "yellow", "--note",
          "Umbau verzögert", "--on", "2024-06-20"), "bl31"),
        (("recommendation", "implement", 7, "--note", "eröffnet", "--on", "2024-10-01"),
         "planer"),
    ]
    for args, user in steps:
        result = cli(*args, user=user)
        assert result.exit_code == 0, (args, result.stderr)
    listed = cli("recommendation", "list", "--district", "osterfeld", "--format", "csv",
                 user="ausschuss")
    assert listed.stdout.splitlines() == [
        "number,title,district,department,kind,status,topic",
        "7,Familienzentrum ausbauen,Osterfeld,3-1,new,implemented,Jugend"]
    table = cli("recommendation", "show", 7, user="ausschuss").stdout
    assert "umgesetzt" in table and "sgb2_quote 2022: 21 ggü. stadtweit 17,1" in table
    shown = json.loads(cli("recommendation", "show", 7, "--format", "json").stdout)
    assert [h["to_status"] for h in shown["history"]] == [
        "proposed", "statistically_supported", "approved", "implemented"]
    assert shown["progress"][0]["light"] == "yellow"
    assert set(shown["history"][0]) >= {"from_status", "to_status", "actor", "effective_on",
                                        "recorded_at", "note", "evidence"}
    assert set(shown["progress"][0]) >= {"quarter", "light", "note", "actor", "effective_on"}


def test_lists_filter_by_status_district_and_department(cli, people):
    for number, district, dept in ((1, "Osterfeld", "3-1"), (2, "Osterfeld", "3-2"),
                                   (3, "Sterkrade-Nord", "3-1")):
        assert cli("recommendation", "add", "--number", number, "--title", f"E{number}",
                   "--district", district, "--department", dept, user="planer").exit_code == 0
    assert cli("recommendation", "reject", 3, "--reason", "nein", user="planer").exit_code == 0

    def numbers(*args):
        result = cli("recommendation", "list", *args, "--format", "json", user="ausschuss")
        assert result.exit_code == 0, result.stderr
        return [r["number"] for r in json.loads(result.stdout)]

    assert numbers() == [1, 2, 3]
    assert numbers("--district", "OSTERFELD") == [1, 2]
    assert numbers("--department", "3-1") == [1, 3]
    assert numbers("--status", "rejected") == [3]
    assert numbers("--status", "proposed", "--department", "3-2") == [2]


def test_reference_data_and_users_are_listed_and_extended_by_admins(cli, people):
    districts = json.loads(cli("district", "list", "--format", "json").stdout)
    assert [d["name"] for d in districts] == [
        "Mitte/Styrum", "Alstaden/Lirich", "Oberhausen-Ost", "Osterfeld", "Sterkrade-Mitte",
        "Sterkrade-Nord", "stadtweit"]
    departments = {d["code"]: d for d in json.loads(
        cli("department", "list", "--format", "json").stdout)}
    assert departments["3-2"]["name"] == "Bereich 3-2 Soziales"
    assert departments["JC"]["external"] is True
    assert cli("district", "add", "Altstadt", user="planer").exit_code == 1
    assert cli("district", "add", "Altstadt").exit_code == 0
    assert cli("department", "add", "5-1", "Bereich 5-1 Wohnen").exit_code == 0
    users = {u["login"]: u for u in json.loads(cli("user", "list", "--format", "json").stdout)}
    assert users["bl31"] == {"login": "bl31", "name": "bl31", "role": "department_head",
                             "department": "3-1", "email": None, "example": False,
                             "active": True, "has_password": False,
                             "password_is_initial": False}
    table = cli("user", "list").stdout  # the roles in German; JSON keeps the machine values
    assert "Bereichsleitung" in table and "Ausschuss" in table
    assert "department_head" not in table and "committee" not in table
    added = cli("user", "add", "gast", "--name", "Gast", "--role", "Ausschuss")
    assert added.stdout == "Benutzer 'gast' (Ausschuss) angelegt.\n"


def test_init_twice_is_harmless_and_only_admins_may_run_it_again(cli, engine):
    from tests.conftest import row_counts

    before = row_counts(engine)
    again = cli("init")
    assert again.exit_code == 0 and "aktuell" in again.stdout
    assert row_counts(engine) == before
    assert cli("user", "add", "planer", "--name", "P", "--role", "planner").exit_code == 0
    refused = cli("init", user="planer")
    assert refused.exit_code == 1 and "Keine Berechtigung" in refused.stderr


def test_the_demo_data_covers_every_status_and_is_marked_as_example(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert invoke("--db", url, "--user", "chefin", "init", "--demo", "--password-stdin",
                  input=CHEFIN_PASSWORD + "\n").exit_code == 0
    env = {"CONTROLLING_TOKEN": issue_token(url, "chefin")}
    rows = json.loads(invoke("--db", url, "--user", "chefin", "recommendation", "list",
                             "--format", "json", env=env).stdout)
    assert {r["status"] for r in rows} == {"proposed", "statistically_supported", "approved",
                                           "implemented", "rejected"}
    assert len({r["district"] for r in rows}) >= 4 and len({r["department"] for r in rows}) >= 3
    assert all(r["title"].startswith("[Beispiel]") and r["example"] for r in rows)
    quarters = set()
    for row in rows:
        shown = json.loads(invoke("--db", url, "--user", "chefin", "recommendation", "show",
                                  row["number"], "--format", "json", env=env).stdout)
        quarters |= {p["quarter"] for p in shown["progress"]}
    assert len(quarters) >= 4
    again = invoke("--db", url, "--user", "chefin", "init", "--demo", env=env)
    assert again.exit_code == 0 and "bereits vorhanden" in again.stdout


def run_program(*args, cwd, env_extra=None, input=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTROLLING_")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, str(REPO / "cli.py"), *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120, input=input)


def test_the_real_program_runs_in_a_process_of_its_own(tmp_path):
    url = f"sqlite:///{tmp_path / 'prozess.db'}"
    done = run_program("--db", url, "--user", "chefin", "init", "--password-stdin",
                       cwd=tmp_path, input=CHEFIN_PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    done = run_program("--db", url, "--user", "chefin", "recommendation", "add", "--number", 1,
                       "--title", "Familienzentrum", "--district", "Osterfeld", "--department",
                       "3-1", cwd=tmp_path, env_extra={"CONTROLLING_PASSWORD": CHEFIN_PASSWORD})
    assert done.returncode == 0, done.stderr
    listed = run_program("recommendation", "list", "--format", "json", cwd=tmp_path,
                         env_extra={"CONTROLLING_DB": url, "CONTROLLING_USER": "chefin",
                                    "CONTROLLING_TOKEN": issue_token(url, "chefin")})
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [{
        "number": 1, "title": "Familienzentrum", "district": "Osterfeld", "department": "3-1",
        "kind": "new", "status": "proposed", "topic": None, "example": False, "version": 1}]
    refused = run_program("--db", url, "--user", "niemand", "recommendation", "list",
                          cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr == ("Fehler: Unbekannter Benutzer 'niemand'; ein Admin legt ihn "
                              "mit 'controlling user add' an.\n")


def test_without_db_option_the_program_uses_controlling_db_in_the_current_folder(tmp_path):
    done = run_program("--user", "chefin", "init", "--password-stdin", cwd=tmp_path,
                       input=CHEFIN_PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "controlling.db").is_file()
