"""Proven identity as typed (CLI.md, "Identity"): acting as a login other than the operating
system's needs that login's proof on every command that reads or changes data; a token or
the own password gives it; an empty or unknown login is refused; USER in the environment
makes nobody anybody; `init --password-stdin`, `user token create --format json` and
`user password --password-stdin` as documented."""

import json
import re
from datetime import timedelta

import click
import pytest
from click.testing import CliRunner

from controlling import clock
from controlling.cli import cli as root
from controlling.commands.context import os_login
from tests.conftest import issue_token, snapshot, table_names

NO_PROOF = {"CONTROLLING_TOKEN": None, "CONTROLLING_PASSWORD": None, "CONTROLLING_USER": None}
INITIAL = "Initial-Passwort-1"
OWN = "Eigenes-Passwort-2"
NEWER = "Neueres-Passwort-3"

# Leaves of the command tree that are not walked, and why.
NOT_WALKED = {
    ("serve",): "starts a web server; the web application proves identity itself",
    ("db", "roles"): "prints SQL grants from the program's own schema; reads no database",
    ("import", "all"): "restores into an empty database only, where there is nobody to prove "
                       "(like init); a database with data is refused below, changing nothing",
}

# Plausible values by parameter name, so that every command gets past click's parsing and its
# own input checks to the point where it needs the acting person.
VALUES = {
    "quarter": "2024-Q1", "held_on": "2024-01-10", "within": "90", "district": "Osterfeld",
    "department": "3-1", "lon": "6.85", "lat": "51.47", "question": "publicity",
    "indicator": "sgb2_quote", "code": "5-1", "name": "Neu", "login": "planer",
    "role": "planner", "title": "Titel", "note": "Notiz", "reason": "Grund", "text": "Text",
    "light": "green", "type_": "Kita", "address": "Parkweg 1",
}


# Options a command requires without click knowing (it checks them itself).
EXTRA = {("measure", "add"): ["--title", "Treffpunkt"],
         ("recommendation", "support"): ["--indicator", "quote"]}  # one of --indicator|--index


def leaves(group: click.Group, prefix=()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from leaves(command, path)
        else:
            yield path, command


WALKED = [(path, command) for path, command in leaves(root) if path not in NOT_WALKED]


def value_for(param: click.Parameter, folder) -> str:
    kind = param.type
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, click.Path):
        if not kind.file_okay:
            return str(folder)  # a folder that exists
        existing = folder / "eingabe.csv"
        existing.write_text("number,title,district,department\n", encoding="utf-8")
        return str(existing) if kind.exists else str(folder / "neu" / "ausgabe.json")
    if isinstance(kind, click.types.IntParamType):
        return "1"
    return VALUES.get(param.name, "1")


def arguments_for(command: click.Command, folder) -> list[str]:
    words = []
    for param in command.params:
        if not param.required:
            continue
        if isinstance(param, click.Option):
            words += [param.opts[0], value_for(param, folder)]
        else:
            words.append(value_for(param, folder))
    return words


def test_the_walk_reaches_the_commands_of_every_area():
    walked = {path for path, _ in WALKED}
    assert len(walked) > 50
    for path in [("init",), ("status",), ("user", "add"), ("user", "token", "create"),
                 ("user", "password"), ("recommendation", "approve"), ("progress",),
                 ("report", "quarterly"), ("export", "all"), ("backup",), ("import", "updates"),
                 ("measure", "add"), ("suggestion", "triage"), ("awareness", "record"),
                 ("institution", "add"), ("edition", "publish"), ("trace",)]:
        assert path in walked, path


def test_acting_as_another_login_without_proof_is_refused_on_every_command(
        module_cli, module_engine, tmp_path):
    before = snapshot(module_engine)
    wrong = []
    for path, command in WALKED:
        folder = tmp_path / "_".join(path)
        folder.mkdir()
        args = [*path, *arguments_for(command, folder), *EXTRA.get(path, [])]
        result = module_cli(*args, user="planer", proof=False)
        lines = result.stderr.splitlines()
        if not (result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("Fehler: ")
                and "Nachweis" in lines[0] and result.stdout == ""):
            wrong.append((" ".join(args), result.exit_code, result.output))
        if [p for p in folder.rglob("*") if p.name != "eingabe.csv"]:
            wrong.append((" ".join(args), "wrote", sorted(map(str, folder.rglob("*")))))
    assert wrong == []
    assert snapshot(module_engine) == before


def test_the_refusal_names_the_proofs_and_the_operating_systems_login(module_cli):
    result = module_cli("recommendation", "list", user="planer", proof=False)
    assert result.exit_code == 1
    assert result.stderr == (
        "Fehler: Als 'planer' zu handeln braucht einen Nachweis: ein Token (CONTROLLING_TOKEN "
        "oder --token) oder das eigene Passwort (CONTROLLING_PASSWORD oder die Abfrage im "
        f"Terminal); der Login des Betriebssystems ist '{os_login() or 'unbekannt'}'.\n")


def test_import_all_into_a_database_with_data_is_refused_and_changes_nothing(
        module_cli, module_engine, tmp_path):
    backup = tmp_path / "sicherung.json"
    backup.write_text('{"format": "controlling-backup", "revision": "0001", "tables": {}}',
                      encoding="utf-8")
    before = snapshot(module_engine)
    result = module_cli("import", "all", backup, user="planer", proof=False)
    assert result.exit_code == 1 and result.stderr.startswith("Fehler: ")
    assert snapshot(module_engine) == before


def test_with_a_token_or_the_own_password_the_same_commands_work(cli, people):
    token = issue_token(cli.url, "planer")
    by_token = cli("recommendation", "add", "--number", 1, "--title", "Stadtteilbüro",
                   "--district", "Osterfeld", "--department", "3-1", user="planer",
                   env={"CONTROLLING_TOKEN": token})
    assert by_token.exit_code == 0, by_token.output
    by_option = cli("--token", token, "recommendation", "list", "--format", "json",
                    user="planer", proof=False)
    assert by_option.exit_code == 0 and json.loads(by_option.stdout)[0]["number"] == 1
    assert cli("user", "password", "ausschuss", "--password-stdin",
               input=f"{INITIAL}\n").exit_code == 0
    assert cli("user", "password", "ausschuss", "--password-stdin", user="ausschuss",
               input=f"{INITIAL}\n{OWN}\n", proof=False).exit_code == 0
    by_password = cli("recommendation", "show", 1, "--format", "json", user="ausschuss",
                      env={"CONTROLLING_PASSWORD": OWN})
    assert by_password.exit_code == 0 and json.loads(by_password.stdout)["number"] == 1
    wrong = cli("recommendation", "show", 1, user="ausschuss",
                env={"CONTROLLING_PASSWORD": OWN + "x"})
    assert wrong.exit_code == 1
    assert wrong.stderr == "Fehler: Anmeldung fehlgeschlagen: Login oder Passwort ist falsch.\n"


def test_a_token_alone_names_the_person_who_acts(cli, people):
    result = CliRunner().invoke(root, [
        "--db", cli.url, "recommendation", "add", "--number", 2, "--title", "Treffpunkt",
        "--district", "Osterfeld", "--department", "3-1"],
        env={**NO_PROOF, "CONTROLLING_TOKEN": issue_token(cli.url, "planer")},
        catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("recommendation", "show", 2, "--format", "json").stdout)
    assert shown["history"][0]["actor"] == "planer"
    invalid = CliRunner().invoke(root, ["--db", cli.url, "status"],
                                 env={**NO_PROOF, "CONTROLLING_TOKEN": "ctl_erfunden"})
    assert invalid.exit_code == 1 and "Token ist ungültig" in invalid.stderr


def test_an_empty_login_is_refused(module_cli, module_engine):
    before = snapshot(module_engine)
    result = module_cli("status", user="")
    assert result.exit_code == 1
    assert result.stderr == ("Fehler: Der Login darf nicht leer sein (--user oder "
                             "CONTROLLING_USER).\n")
    assert snapshot(module_engine) == before


def test_an_empty_login_is_never_replaced_by_the_operating_systems_login(cli, people):
    me = os_login()
    if not me or not re.fullmatch(r"[A-Za-z0-9._-]+", me):
        pytest.skip("der Login des Betriebssystems taugt nicht als Login")
    assert cli("user", "add", me, "--name", "Ich", "--role", "admin").exit_code == 0

    def as_typed(*args, **env):
        return CliRunner().invoke(root, ["--db", cli.url, *args], env={**NO_PROOF, **env},
                                  catch_exceptions=False)

    assert as_typed("status").exit_code == 0  # the operating system's login needs no proof
    for refused in (as_typed("--user", "", "status"), as_typed("status", CONTROLLING_USER="")):
        assert refused.exit_code == 1
        assert "Der Login darf nicht leer sein" in refused.stderr


@pytest.mark.parametrize("proof", [{}, {"CONTROLLING_PASSWORD": OWN},
                                   {"CONTROLLING_TOKEN": "ctl_erfunden"}])
def test_an_unknown_login_is_refused_whatever_the_proof(module_cli, module_engine, proof):
    before = snapshot(module_engine)
    result = module_cli("recommendation", "list", user="niemand", env=proof)
    assert result.exit_code == 1
    assert result.stderr == ("Fehler: Unbekannter Benutzer 'niemand'; ein Admin legt ihn mit "
                             "'controlling user add' an.\n")
    assert snapshot(module_engine) == before


def test_user_admin_in_the_environment_makes_nobody_admin(module_cli, module_engine):
    me = os_login()
    if me is not None and me.lower() in {"admin", "planer", "bl31", "bl32", "ausschuss"}:
        pytest.skip("der Login des Betriebssystems ist hier selbst ein Benutzer")
    before = snapshot(module_engine)
    disguise = {**NO_PROOF, "USER": "admin", "LOGNAME": "admin", "USERNAME": "admin"}
    result = CliRunner().invoke(root, ["--db", module_cli.url, "user", "add", "eindringling",
                                       "--name", "E", "--role", "admin"], env=disguise,
                                catch_exceptions=False)
    assert result.exit_code == 1 and "admin" not in result.stderr
    if me is not None:  # the login from the system's user database, not from USER
        assert result.stderr == (f"Fehler: Unbekannter Benutzer '{me}'; ein Admin legt ihn "
                                 "mit 'controlling user add' an.\n")
    assert snapshot(module_engine) == before


def test_init_with_password_stdin_on_an_empty_database_gives_the_new_admin_an_own_password(
        empty_db_url):
    def as_typed(*args, env=None, input=None):
        return CliRunner().invoke(root, ["--db", empty_db_url, "--user", "chefin", *args],
                                  env={**NO_PROOF, **(env or {})}, input=input,
                                  catch_exceptions=False)

    done = as_typed("init", "--password-stdin", input=f"{OWN}\n")
    assert done.exit_code == 0, done.output
    assert "Benutzer 'chefin' als Admin angelegt." in done.stdout
    listed = as_typed("user", "list", "--format", "json", env={"CONTROLLING_PASSWORD": OWN})
    assert listed.exit_code == 0, listed.output
    (chefin,) = json.loads(listed.stdout)
    assert chefin["login"] == "chefin" and chefin["role"] == "admin"
    assert chefin["has_password"] is True and chefin["password_is_initial"] is False
    refused = as_typed("user", "list")
    assert refused.exit_code == 1 and "Nachweis" in refused.stderr


def test_init_of_a_new_admin_refuses_a_bad_or_missing_password_and_creates_nothing(
        empty_db_url):
    def as_typed(*args, input=None):
        return CliRunner().invoke(root, ["--db", empty_db_url, "--user", "chefin", *args],
                                  env=NO_PROOF, input=input, catch_exceptions=False)

    short = as_typed("init", "--password-stdin", input="kurz\n")
    assert short.exit_code == 1 and "zu kurz" in short.stderr
    missing = as_typed("init")
    assert missing.exit_code == 1
    assert "bitte das Passwort des neuen Admins angeben" in missing.stderr
    from controlling.data.database import make_engine

    engine = make_engine(empty_db_url)
    try:
        assert table_names(engine) == set()
    finally:
        engine.dispose()


def test_user_token_create_in_json_gives_id_token_and_expiry_only(cli, people):
    last_day = clock.today() + timedelta(days=30)
    result = cli("user", "token", "create", "--name", "Quartalsskript", "--expires",
                 last_day.isoformat(), "--format", "json", user="planer")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"id", "token", "expires_on"}
    assert isinstance(document["id"], int) and document["token"].startswith("ctl_")
    assert document["expires_on"] == last_day.isoformat()
    listed = json.loads(cli("user", "token", "list", "--format", "json", user="planer",
                            env={"CONTROLLING_TOKEN": document["token"]}).stdout)
    mine = {t["id"]: t for t in listed}[document["id"]]
    assert mine["name"] == "Quartalsskript" and mine["state"] == "active"


def test_user_token_create_prints_the_token_alone_on_standard_output(cli, people):
    result = cli("user", "token", "create", user="planer")
    assert result.exit_code == 0
    assert re.fullmatch(r"ctl_\S+\n", result.stdout)
    assert "es wird nur jetzt angezeigt" in result.stderr


def test_user_password_reads_one_line_for_an_admin_and_two_for_ones_own(cli, people):
    given = cli("user", "password", "bl31", "--password-stdin", input=f"{INITIAL}\n")
    assert given.exit_code == 0, given.output
    assert given.stdout.startswith("Initialpasswort für 'bl31' gesetzt")
    too_few = cli("user", "password", "bl31", "--password-stdin", user="bl31",
                  input=f"{INITIAL}\n", proof=False)
    assert too_few.exit_code == 1
    assert too_few.stderr == ("Fehler: --password-stdin erwartet 2 Zeile(n) auf der "
                              "Standardeingabe, bekommen: 1.\n")
    chosen = cli("user", "password", "bl31", "--password-stdin", user="bl31",
                 input=f"{INITIAL}\n{OWN}\n", proof=False)
    assert chosen.exit_code == 0 and chosen.stdout == "Eigenes Passwort für 'bl31' gesetzt.\n"
    again = cli("user", "password", "bl31", "--password-stdin", user="bl31",
                input=f"{OWN}\n{NEWER}\n", proof=False)
    assert again.exit_code == 0, again.output
    works = cli("status", user="bl31", env={"CONTROLLING_PASSWORD": NEWER})
    assert works.exit_code == 0, works.output
    nothing = cli("user", "password", "bl32", "--password-stdin", input="")
    assert nothing.exit_code == 1 and "erwartet 1 Zeile(n)" in nothing.stderr


def test_a_user_cannot_choose_an_own_password_with_a_wrong_current_one(cli, people):
    assert cli("user", "password", "bl31", "--password-stdin",
               input=f"{INITIAL}\n").exit_code == 0
    refused = cli("user", "password", "bl31", "--password-stdin", user="bl31",
                  input=f"{OWN}\n{NEWER}\n", proof=False)
    assert refused.exit_code == 1
    assert refused.stderr == ("Fehler: Anmeldung fehlgeschlagen: das bisherige Passwort ist "
                              "falsch.\n")
