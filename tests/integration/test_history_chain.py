"""The history chain on both databases: every history row the program writes joins
the chain in its own transaction, concurrent writers never link to the same entry, migration
0006 back-fills existing rows deterministically and refuses to drop the chain unless forced."""

import threading
from datetime import date

import pytest
from alembic import command
from sqlalchemy import select, text

from controlling.data.database import alembic_config, current_revision
from controlling.data.models import HISTORY_TABLES, HistoryChainEntry
from controlling.data.unit_of_work import UnitOfWork
from controlling.domain.errors import DomainError, TransitionRefused
from controlling.services.recommendations import add_recommendation, change_status
from controlling.services.verify import verify_database
from tests.conftest import snapshot
from tests.integrity_support import (
    correct_a_recommendation,
    count_rows,
    fill_every_history_table,
)


def chain(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(HistoryChainEntry.seq, HistoryChainEntry.table_name, HistoryChainEntry.row_id,
                   HistoryChainEntry.chain_sha256).order_by(HistoryChainEntry.seq))]


def history_rows(engine) -> int:
    return sum(count_rows(engine, table) for table in HISTORY_TABLES)


def migrate(engine, direction: str, target: str, force: bool = False) -> None:
    with engine.begin() as connection:
        config = alembic_config(connection)
        config.attributes["force"] = force
        getattr(command, direction)(config, target)


def verified(engine) -> dict:
    return verify_database(engine, UnitOfWork(engine), "planer")


def test_every_history_row_the_program_writes_joins_the_chain(engine, uow, people):
    fill_every_history_table(uow)
    correct_a_recommendation(uow)
    entries = chain(engine)
    assert [seq for seq, *_ in entries] == list(range(1, history_rows(engine) + 1))
    assert {table for _seq, table, *_ in entries} == set(HISTORY_TABLES)
    result = verified(engine)
    assert result["problems"] == []
    assert result["chain"]["head_seq"] == len(entries)


def test_a_refused_command_adds_nothing_to_the_chain(engine, uow, people):
    add_recommendation(uow(), "planer", number=1, title="Eins", district="Osterfeld",
                       department="3-1", on=date(2024, 1, 10))
    before = snapshot(engine)
    with pytest.raises(TransitionRefused):
        change_status(uow(), "planer", 1, "implement", note="zu früh")
    assert snapshot(engine) == before


def test_the_entries_of_one_transaction_follow_the_order_of_writing(engine, uow, people):
    """A recommendation with its creation: status_changes before nothing else in between."""
    start = len(chain(engine))
    add_recommendation(uow(), "planer", number=5, title="Fünf", district="Osterfeld",
                       department="3-1", on=date(2024, 1, 10))
    assert [(t, seq) for seq, t, _id, _h in chain(engine)[start:]] == [
        ("status_changes", start + 1)]


def test_concurrent_writers_never_link_to_the_same_entry(engine, people):
    """8 threads × 6 recommendations at once, each its own transaction: one line of entries,
    every row in it once."""
    barrier = threading.Barrier(8)
    failures = []

    def work(thread: int) -> None:
        barrier.wait()
        for index in range(6):
            number = 100 + thread * 10 + index
            try:
                add_recommendation(UnitOfWork(engine), "planer", number=number,
                                   title=f"Nebenläufig {number}", district="Osterfeld",
                                   department="3-1", on=date(2024, 1, 10))
            except Exception as error:  # noqa: BLE001  (collected and shown below)
                failures.append(repr(error))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert count_rows(engine, "recommendations") == 48
    entries = chain(engine)
    assert [seq for seq, *_ in entries] == list(range(1, history_rows(engine) + 1))
    assert len({(t, i) for _s, t, i, _h in entries}) == len(entries)
    assert verified(engine)["problems"] == []


def test_migration_0006_chains_existing_rows_the_same_way_every_time(engine, uow, people):
    fill_every_history_table(uow)
    migrate(engine, "downgrade", "0005", force=True)
    assert "history_chain" not in {r[0] for r in _tables(engine)}
    migrate(engine, "upgrade", "head")
    first = chain(engine)
    assert [t for _s, t, _i, _h in first] == sorted(
        (t for _s, t, _i, _h in first), key=HISTORY_TABLES.index)  # table by table
    assert verified(engine)["problems"] == []
    migrate(engine, "downgrade", "0005", force=True)
    migrate(engine, "upgrade", "head")
    assert chain(engine) == first


def _tables(engine):
    from sqlalchemy import inspect

    return [(name,) for name in inspect(engine).get_table_names()]


def test_the_downgrade_of_0006_refuses_to_drop_the_chain_unless_forced(engine, uow, people):
    fill_every_history_table(uow)
    migrate(engine, "downgrade", "0008", force=True)  # 0009 and 0012 refuse by themselves
    before = chain(engine)
    with pytest.raises(DomainError, match="Zurück vor Schema-Stand 0006 würde die Kette"):
        migrate(engine, "downgrade", "0005")
    assert current_revision(engine) == "0008"
    assert chain(engine) == before


def test_an_empty_database_downgrades_past_0006_without_being_forced(empty_db_url):
    from controlling.data.database import make_engine

    engine = make_engine(empty_db_url)
    try:
        migrate(engine, "upgrade", "head")
        migrate(engine, "downgrade", "0005")
        assert current_revision(engine) == "0005"
    finally:
        engine.dispose()


def test_the_first_writer_creates_the_head(empty_db_url):
    """A database migrated without any history has no head row yet."""
    from controlling.data.database import make_engine
    from controlling.services.setup import initialise

    engine = make_engine(empty_db_url)
    try:
        migrate(engine, "upgrade", "head")
        assert count_rows(engine, "history_chain_head") == 0
        initialise(engine, lambda: UnitOfWork(engine), "admin")  # the admin's account event
        with engine.connect() as connection:
            assert connection.execute(text("SELECT seq FROM history_chain_head")).scalar() == 1
    finally:
        engine.dispose()
