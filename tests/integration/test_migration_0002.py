"""Migration 0002 (events, suggestions, measure profiles) goes down and up again, and the
model matches the schema afterwards, on SQLite and PostgreSQL."""

from alembic import command
from sqlalchemy import inspect

from controlling.data.database import alembic_config, current_revision, make_engine

NEW_TABLES = {"events", "suggestions", "measures", "measure_districts", "measure_changes",
              "recommendation_measures", "suggestion_outcomes"}


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_migration_0002_downgrades_to_0001_and_upgrades_again(empty_db_url):
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        assert NEW_TABLES <= _tables(engine)
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0001")
        assert current_revision(engine) == "0001"
        assert not NEW_TABLES & _tables(engine)
        assert {"recommendations", "status_changes", "users"} <= _tables(engine)
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0002")
        assert NEW_TABLES <= _tables(engine)
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
            command.check(alembic_config(connection))  # raises when model and schema differ
    finally:
        engine.dispose()


def test_the_new_check_constraints_follow_the_naming_convention(db_url):
    engine = make_engine(db_url)
    try:
        names = {c["name"] for c in inspect(engine).get_check_constraints("events")}
        assert {"ck_events_event_kind", "ck_events_event_format",
                "ck_events_date_precision"} <= names
        unique = {c["name"] for c in inspect(engine).get_unique_constraints(
            "suggestion_outcomes")}
        assert "uq_suggestion_outcomes_suggestion_id" in unique
    finally:
        engine.dispose()
