"""`controlling verify`, `import all`'s check and `controlling db roles` as typed:
verify passes on `init --demo` and on a restored backup, and fails naming the row on each
forged one; a forged backup is refused by `import all` with nothing written."""

import json
from contextlib import contextmanager

import pytest

from tests.conftest import cli_for
from tests.integrity_support import forge, rechain, reseal, set_cells, table


@pytest.fixture
def demo(cli, people):
    result = cli("init", "--demo")
    assert result.exit_code == 0, result.output
    return cli


@contextmanager
def new_database(cli, tmp_path):
    """The URL of a second, empty database of the same backend as the fixture's."""
    if cli.url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'wiederhergestellt.db'}"
        return
    from tests.integration.test_backup import scratch_postgres

    with scratch_postgres() as url:
        yield url


def exported(cli, tmp_path):
    path = tmp_path / "sicherung.json"
    result = cli("export", "all", "--out", path)
    assert result.exit_code == 0, result.output
    return path


def test_verify_passes_on_the_demo_with_a_short_german_summary(demo):
    result = demo("verify", user="planer")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Prüfung bestanden: der Verlauf ist so, wie er geschrieben wurde."
    assert lines[1].startswith("Kette: ") and "lückenlos" in lines[1]
    anchor = lines[-1].rsplit(" ", 1)[1]
    seq, digest = anchor.split(":")
    assert seq.isdigit() and len(digest) == 64
    again = demo("verify", "--anchor", anchor, user="admin")
    assert again.exit_code == 0, again.stderr


def test_verify_as_json_is_one_document(demo):
    result = demo("verify", "--format", "json", user="planer")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["ok"] is True and document["problems"] == []
    assert document["chain"]["entries"] == document["chain"]["head_seq"] > 0


def test_verify_passes_on_a_restored_backup(demo, tmp_path):
    path = exported(demo, tmp_path)
    with new_database(demo, tmp_path) as url:
        restored = cli_for(url)
        result = restored("import", "all", path, user="admin", proof=False)
        assert result.exit_code == 0, result.output
        result = restored("verify", user="planer")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("Prüfung bestanden")


def test_a_forged_database_fails_verify_naming_the_row(demo, engine):
    forge(engine, "UPDATE recommendations SET version = 999 WHERE number = 901")
    result = demo("verify", user="planer")
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("Fehler: Prüfung fehlgeschlagen (1 Unstimmigkeit); zuerst: "
                            "Empfehlung 901 hat Version 999")
    as_json = demo("verify", "--format", "json", user="planer")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["problems"][0]["table"] == "recommendations"


def test_a_rewritten_history_row_fails_verify_naming_it_first(demo, engine):
    forge(engine, "UPDATE status_changes SET note = 'gefälscht' WHERE id = 2", "status_changes")
    result = demo("verify", user="admin")
    assert result.exit_code == 1
    assert "zuerst: status_changes id 2: der Inhalt passt nicht zum Hash" in result.stderr


@pytest.mark.parametrize("forgery", ["approval", "admin", "implemented", "version"])
def test_each_forged_backup_of_the_issue_is_refused_and_nothing_is_written(
        demo, tmp_path, forgery):
    document = json.loads(exported(demo, tmp_path).read_text(encoding="utf-8"))
    users = {row["login"]: row["id"] for row in table(document, "users")}
    recs = {row["number"]: row["id"] for row in table(document, "recommendations")}
    if forgery == "approval":  # a planner's approval, hashes and checksum recomputed
        change = next(r["id"] for r in table(document, "status_changes")
                      if r["to_status"] == "approved")
        set_cells(document, "status_changes", change, actor_id=users["planer"])
        rechain(document)
        expected = f"status_changes id {change}"
    elif forgery == "admin":
        set_cells(document, "users", users["ausschuss"], role="admin")
        reseal(document)
        expected = "Benutzer ausschuss"
    elif forgery == "implemented":
        set_cells(document, "recommendations", recs[903], status="implemented")
        reseal(document)
        expected = "Empfehlung 903 ist 'umgesetzt', ihr Verlauf endet bei"
    else:
        set_cells(document, "recommendations", recs[901], version=999)
        reseal(document)
        expected = "Empfehlung 901 hat Version 999"
    forged = tmp_path / "gefaelscht.json"
    forged.write_text(json.dumps(document), encoding="utf-8")
    with new_database(demo, tmp_path) as url:
        result = cli_for(url)("import", "all", forged, user="admin", proof=False)
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        assert lines[0].startswith("Fehler: Import von gefaelscht.json abgelehnt, nichts wurde "
                                   "geschrieben")
        assert any(expected in line for line in lines[1:]), result.stderr
        if url.startswith("sqlite"):
            assert not (tmp_path / "wiederhergestellt.db").exists()


def test_committee_members_and_department_heads_may_not_verify(demo):
    for login in ("ausschuss", "bl31"):
        result = demo("verify", user=login)
        assert result.exit_code == 1
        assert "Keine Berechtigung" in result.stderr and "prüfen" in result.stderr


def test_an_anchor_that_is_not_entry_and_hash_is_refused(demo):
    result = demo("verify", "--anchor", "12", user="planer")
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: Ungültiger Anker '12'")


def test_an_anchor_the_chain_no_longer_has_fails(demo):
    result = demo("verify", "--anchor", f"1:{'ab' * 32}", user="planer")
    assert result.exit_code == 1
    assert "(die Kette wurde bis hierher neu geschrieben)" in result.stderr


def test_db_roles_prints_the_grants_of_an_application_role(cli):
    result = cli("db", "roles", "--app-role", "controlling_app")
    assert result.exit_code == 0, result.output
    sql = result.stdout
    assert sql.startswith("-- Rollen für controlling")
    assert 'GRANT SELECT, INSERT ON TABLE "status_changes"' in sql
    assert "UPDATE" not in next(line for line in sql.splitlines() if '"status_changes"' in line)
    assert sql.rstrip().endswith("COMMIT;")


def test_db_roles_refuses_a_role_name_that_could_carry_sql(cli):
    result = cli("db", "roles", "--app-role", 'app"; DROP TABLE users; --')
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: Ungültiger Rollenname")
