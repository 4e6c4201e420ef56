"""`import all` checks the file before it writes anything: the checksum of
`export all`, the history chain and the consistency of what the file holds; each forged file
of the issue is refused with a German list of problems and nothing is written; a restored
backup passes `verify`; on both databases."""

import json

import pytest
from sqlalchemy import inspect

from controlling.data.database import make_engine
from controlling.data.unit_of_work import UnitOfWork
from controlling.domain.errors import ImportRefused
from controlling.services.backup import export_all, import_all
from controlling.services.verify import verify_database
from tests.conftest import snapshot
from tests.integrity_support import (
    fill_every_history_table,
    rechain,
    reseal,
    set_cells,
    table,
)


@pytest.fixture
def exported(engine, uow, people, tmp_path):
    fill_every_history_table(uow)
    path = tmp_path / "sicherung.json"
    export_all(engine, uow(), "admin", path)
    return path


@pytest.fixture
def fresh(empty_db_url, engine):
    """An empty second database of the same backend."""
    if empty_db_url.startswith("sqlite"):
        url = empty_db_url.replace("test.db", "neu.db")
        target = make_engine(url)
        yield target
        target.dispose()
        return
    from tests.integration.test_backup import scratch_postgres

    with scratch_postgres() as url:
        target = make_engine(url)
        yield target
        target.dispose()


def load(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write(path, document: dict):
    forged = path.with_name("gefaelscht.json")
    forged.write_text(json.dumps(document), encoding="utf-8")
    return forged


def refused(fresh, path) -> list[str]:
    with pytest.raises(ImportRefused) as refusal:
        import_all(fresh, path)
    assert inspect(fresh).get_table_names() == []  # nothing written, not even the schema
    assert refusal.value.message.startswith(f"Import von {path.name} abgelehnt, nichts wurde "
                                            "geschrieben")
    return refusal.value.problems


def ids(document: dict, name: str, **match) -> list[int]:
    return [row["id"] for row in table(document, name)
            if all(row[k] == v for k, v in match.items())]


def test_a_backup_carries_its_checksum_and_restores_into_a_database_that_verifies(
        exported, engine, fresh):
    assert load(exported)["checksum"].startswith("sha256:")
    result = import_all(fresh, exported)
    assert result["notes"] == []
    assert snapshot(fresh) == snapshot(engine)
    check = verify_database(fresh, UnitOfWork(fresh), "planer")
    assert check["problems"] == []
    assert check["chain"] == verify_database(engine, UnitOfWork(engine), "planer")["chain"]


def test_a_file_changed_after_the_export_is_refused_by_its_checksum_and_chain(exported, fresh):
    document = load(exported)
    change = ids(document, "status_changes", to_status="approved")[0]
    set_cells(document, "status_changes", change, note="nachträglich eingefügt")
    problems = refused(fresh, write(exported, document))
    assert problems[0] == ("Die Prüfsumme passt nicht zum Inhalt: die Datei wurde nach "
                           "'export all' verändert oder ist beschädigt.")
    assert problems[1].startswith(f"status_changes id {change}: der Inhalt passt nicht zum "
                                  "Hash in Eintrag")


def test_a_resealed_file_is_refused_by_the_chain_naming_the_row(exported, fresh):
    document = load(exported)
    change = ids(document, "status_changes", to_status="approved")[0]
    planner = ids(document, "users", login="planer")[0]
    set_cells(document, "status_changes", change, actor_id=planner)
    problems = refused(fresh, write(exported, reseal(document)))
    assert problems[0].startswith(f"status_changes id {change}: der Inhalt passt nicht zum "
                                  "Hash in Eintrag")


def test_a_forged_approval_with_the_chain_recomputed_is_refused_by_the_rule(exported, fresh):
    document = load(exported)
    change = ids(document, "status_changes", to_status="approved")[0]
    set_cells(document, "status_changes", change, actor_id=ids(document, "users",
                                                                 login="planer")[0])
    assert refused(fresh, write(exported, rechain(document))) == [
        f"Empfehlung 2: status_changes id {change} ('vorgeschlagen' → 'freigegeben') von "
        "planer (planner), erlaubt nur für die Bereichsleitung von 3-1."]


def test_a_committee_member_turned_admin_is_refused(exported, fresh):
    document = load(exported)
    member = ids(document, "users", login="ausschuss")[0]
    set_cells(document, "users", member, role="admin")
    problems = refused(fresh, write(exported, reseal(document)))
    assert len(problems) == 1
    assert problems[0].startswith(f"Benutzer ausschuss (users id {member}) ist 'admin', laut "
                                  "seinen Kontoereignissen")


def test_an_implemented_recommendation_whose_history_ends_at_proposed_is_refused(
        exported, fresh):
    document = load(exported)
    rec = ids(document, "recommendations", number=3)[0]
    set_cells(document, "recommendations", rec, status="implemented")
    assert refused(fresh, write(exported, reseal(document))) == [
        f"Empfehlung 3 ist 'umgesetzt', ihr Verlauf endet bei 'vorgeschlagen' (status_changes "
        f"id {max(ids(document, 'status_changes', recommendation_id=rec))})."]


def test_version_999_is_refused(exported, fresh):
    document = load(exported)
    set_cells(document, "recommendations", ids(document, "recommendations", number=3)[0],
              version=999)
    assert refused(fresh, write(exported, reseal(document))) == [
        "Empfehlung 3 hat Version 999; nach ihrem Verlauf (0 Statuswechsel, 0 Sachstände) wäre "
        "es 1."]


def test_a_changed_published_report_is_refused(exported, fresh):
    document = load(exported)
    report = table(document, "published_reports")[0]
    data = report["data"]["json"]
    set_cells(document, "published_reports", report["id"],
              data={"json": {**data, "totals": {"approved": 2}}})
    problems = refused(fresh, write(exported, rechain(document)))
    assert problems == ["Veröffentlichter Bericht quarterly 2024-Q1 (published_reports id 1): "
                        "die Zahlen passen nicht mehr zu ihrem gespeicherten SHA-256."]


def test_a_file_without_a_checksum_is_still_read_and_says_so(exported, fresh):
    document = load(exported)
    del document["checksum"]
    result = import_all(fresh, write(exported, document))
    assert result["notes"] == ["gefaelscht.json hat keine Prüfsumme (Sicherung einer älteren "
                               "Programmversion); geprüft werden Kette und Verlauf."]
    assert verify_database(fresh, UnitOfWork(fresh), "planer")["problems"] == []


def schema_at(revision: str, folder) -> dict[str, set[str]]:
    """The tables and columns of the schema at `revision` (a scratch SQLite migrated there)."""
    from alembic import command

    from controlling.data.database import alembic_config

    engine = make_engine(f"sqlite:///{folder / f'schema-{revision}.db'}")
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
        found = inspect(engine)
        return {t: {c["name"] for c in found.get_columns(t)} for t in found.get_table_names()
                if t != "alembic_version"}
    finally:
        engine.dispose()


def as_of_revision(document: dict, schema: dict[str, set[str]], revision: str) -> dict:
    """The backup as a program at `revision` would have written it (no checksum then)."""
    del document["checksum"]
    document["revision"] = revision
    for name in list(document["tables"]):
        if name not in schema:
            del document["tables"][name]
            continue
        table = document["tables"][name]
        keep = [i for i, c in enumerate(table["columns"]) if c in schema[name]]
        table["columns"] = [table["columns"][i] for i in keep]
        table["rows"] = [[row[i] for i in keep] for row in table["rows"]]
    return document


def test_a_backup_from_before_the_chain_is_chained_when_it_is_restored(exported, fresh,
                                                                       tmp_path):
    document = as_of_revision(load(exported), schema_at("0005", tmp_path), "0005")
    assert "history_chain" not in document["tables"]
    result = import_all(fresh, write(exported, document))
    assert any("hat noch keine Kette über den Verlauf" in note for note in result["notes"])
    check = verify_database(fresh, UnitOfWork(fresh), "planer")
    assert check["problems"] == []
    assert check["chain"]["entries"] == check["chain"]["rows"] > 0


def test_a_refused_file_can_be_followed_by_the_true_one(exported, engine, fresh):
    document = load(exported)
    set_cells(document, "recommendations", ids(document, "recommendations", number=3)[0],
              version=999)
    refused(fresh, write(exported, reseal(document)))
    import_all(fresh, exported)
    assert snapshot(fresh) == snapshot(engine)


def test_the_demo_data_passes_the_check_of_its_own_backup(engine, tmp_path, fresh):
    from controlling.services.setup import initialise

    initialise(engine, lambda: UnitOfWork(engine), "admin", demo=True)
    path = tmp_path / "demo.json"
    export_all(engine, UnitOfWork(engine), "admin", path)
    import_all(fresh, path)
    assert verify_database(fresh, UnitOfWork(fresh), "admin")["problems"] == []


def test_a_sqlite_backup_restored_into_postgresql_verifies_with_the_same_chain(
        exported, engine):
    """The row hashes do not depend on the database: the chain written on SQLite holds on
    PostgreSQL."""
    from tests.conftest import PG_URL
    from tests.integration.test_backup import scratch_postgres

    if engine.dialect.name != "sqlite" or not PG_URL:
        pytest.skip("braucht SQLite als Quelle und CONTROLLING_TEST_DATABASE_URL")
    with scratch_postgres() as url:
        target = make_engine(url)
        try:
            import_all(target, exported)
            check = verify_database(target, UnitOfWork(target), "planer")
            assert check["problems"] == []
            assert check["chain"] == verify_database(engine, UnitOfWork(engine),
                                                     "planer")["chain"]
        finally:
            target.dispose()
