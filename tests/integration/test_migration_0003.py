"""Migration 0003 (editions, supersession, awareness, institutions): up and down with data in
the tables it rebuilds, the status `superseded` allowed only after it, and a downgrade that
refuses while anything is superseded; on SQLite and PostgreSQL."""

from datetime import date

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from controlling.data.database import alembic_config, current_revision, make_engine
from controlling.services.recommendations import change_status
from tests.conftest import snapshot
from tests.report_builders import Steps, add_indicator

NEW_TABLES = {"supersessions", "editions", "edition_items", "awareness_counts",
              "awareness_cards", "institutions", "measure_institutions"}
KEPT = ("recommendations", "status_changes", "progress_updates", "users")


def migrate(engine, direction: str, target: str) -> None:
    with engine.begin() as connection:
        config = alembic_config(connection)
        config.attributes["force"] = True  # past 0006: it drops the history chain only if forced
        getattr(command, direction)(config, target)


@pytest.fixture
def filled(uow, people, engine):
    """Recommendations with history and progress: rows that refer to the rebuilt tables."""
    add_indicator(uow)
    s = Steps(uow)
    s.add(1, date(2024, 1, 10))
    s.add(2, date(2024, 1, 11), kind="extension")
    s.support(1, date(2024, 1, 20))
    s.approve(2, date(2024, 2, 1))
    s.progress(2, "2024-Q1", "green", date(2024, 3, 1))
    s.reject(1, date(2024, 3, 2))
    return engine


def _status_check(engine, table: str, name: str) -> str:
    checks = {c["name"]: c["sqltext"] for c in inspect(engine).get_check_constraints(table)}
    return checks[name]


def test_downgrade_to_0002_keeps_every_row_and_upgrade_brings_the_new_tables_back(filled):
    before = {name: rows for name, rows in snapshot(filled).items() if name in KEPT}
    migrate(filled, "downgrade", "0002")
    assert current_revision(filled) == "0002"
    tables = set(inspect(filled).get_table_names())
    assert not NEW_TABLES & tables
    assert "superseded" not in _status_check(filled, "recommendations",
                                             "ck_recommendations_status")
    migrate(filled, "upgrade", "head")
    assert NEW_TABLES <= set(inspect(filled).get_table_names())
    after = {name: rows for name, rows in snapshot(filled).items() if name in KEPT}
    assert after == before
    with filled.begin() as connection:
        command.check(alembic_config(connection))  # model and schema agree


def test_the_status_checks_allow_superseded_after_the_upgrade_only(filled):
    for table, name in (("recommendations", "ck_recommendations_status"),
                        ("status_changes", "ck_status_changes_from_status"),
                        ("status_changes", "ck_status_changes_to_status")):
        assert "superseded" in _status_check(filled, table, name)
    migrate(filled, "downgrade", "0002")
    with pytest.raises(IntegrityError), filled.begin() as connection:
        connection.execute(text("UPDATE recommendations SET status = 'superseded' "
                                "WHERE number = 2"))
    migrate(filled, "upgrade", "head")
    with filled.begin() as connection:
        connection.execute(text("UPDATE recommendations SET status = 'superseded' "
                                "WHERE number = 2"))


def test_the_upgrade_keeps_the_foreign_keys_of_the_rebuilt_tables(filled):
    migrate(filled, "downgrade", "0002")
    migrate(filled, "upgrade", "head")
    referring = {fk["referred_table"] for fk in inspect(filled).get_foreign_keys("status_changes")}
    assert {"recommendations", "users"} <= referring
    with pytest.raises(IntegrityError), filled.begin() as connection:
        # the history still refers to the rebuilt table (and, append-only since 0005, is
        # not rewritten here: the referred row is deleted instead)
        connection.execute(text("DELETE FROM recommendations WHERE number = 2"))
    indexes = {i["name"] for i in inspect(filled).get_indexes("recommendations")}
    assert {"ix_recommendations_status", "ix_recommendations_district_id"} <= indexes


def test_the_downgrade_refuses_while_a_recommendation_is_superseded(filled, uow):
    Steps(uow).add(3, date(2024, 4, 1))
    change_status(uow(), "planer", 2, "supersede", successor=3, note="Neufassung",
                  on=date(2024, 4, 2))
    before = snapshot(filled)
    with pytest.raises(RuntimeError, match="superseded"):
        migrate(filled, "downgrade", "0002")
    engine = make_engine(filled.url.render_as_string(hide_password=False))
    try:
        assert current_revision(engine) == current_revision(filled)
        assert snapshot(engine) == before
    finally:
        engine.dispose()
