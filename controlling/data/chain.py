"""The history chain in the persistence layer: every history row a unit of work inserts is
appended to `history_chain` in the same transaction, just before it commits.

`after_flush` notes the new rows of the history tables (in the order they were flushed);
`before_commit` reads them back from the database in the backup encoding, hashes them, locks
the chain's head row (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite has one writer at a time
anyway), appends one entry per row and moves the head. The head is the last lock a writing
transaction takes, so waiting for it cannot deadlock with the other row locks of the program;
two transactions never link to the same entry (the second waits, then reads the first's head;
and `seq` is the primary key, so a fork would fail rather than pass).
"""

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from controlling.data.encoding import row_dicts
from controlling.data.models import HISTORY_TABLES, Base, HistoryChainEntry, HistoryChainHead
from controlling.domain.integrity import GENESIS, Entry, extend, key_column, row_sha256

PENDING = "history_chain_pending"
CHUNK = 500

ENTRIES = HistoryChainEntry.__table__
HEAD = HistoryChainHead.__table__


class ChainedSession(Session):
    """The session of every unit of work: history rows it inserts join the chain on commit."""


@event.listens_for(ChainedSession, "after_flush")
def _note_new_history_rows(session, _flush_context) -> None:
    new = []
    for obj in session.new:
        mapper = inspect(obj).mapper
        name = mapper.local_table.name
        if name in HISTORY_TABLES:
            new.append((HISTORY_TABLES.index(name), name,
                        mapper.primary_key_from_instance(obj)[0]))
    if new:
        session.info.setdefault(PENDING, []).extend((n, k) for _i, n, k in sorted(new))


def note_history_rows(session, table_name: str, keys: list[int]) -> None:
    """Rows of a history table the session's transaction inserted without mapped objects
    (controlling/data/bulk.py): they join the chain on commit, after what was noted before."""
    session.info.setdefault(PENDING, []).extend((table_name, key) for key in keys)


@event.listens_for(ChainedSession, "before_commit")
def _append_to_chain(session) -> None:
    session.flush()
    pending = session.info.pop(PENDING, None)
    if pending:
        append(session.connection(), pending)


@event.listens_for(ChainedSession, "after_rollback")
def _forget_pending(session) -> None:
    session.info.pop(PENDING, None)


def append(connection, pending: list[tuple[str, int]]) -> list[Entry]:
    """Append the rows (table, key) to the chain, as they are stored now; rows that are gone
    (a rolled-back savepoint) are skipped."""
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    wanted: dict[str, list[int]] = {}
    for name, key in dict.fromkeys(pending):
        wanted.setdefault(name, []).append(key)
    hashes = {}
    for name, keys in wanted.items():
        table, column = tables[name], key_column(name)
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start:start + CHUNK]
            for row in row_dicts(connection, table, table.c[column].in_(chunk)):
                hashes[(name, row[column])] = row_sha256(row)
    rows = [(n, k, hashes[(n, k)]) for n, k in dict.fromkeys(pending) if (n, k) in hashes]
    if not rows:
        return []
    head = _locked_head(connection)
    entries = extend(head.seq, head.chain_sha256, rows)
    for start in range(0, len(entries), CHUNK):
        connection.execute(ENTRIES.insert(),
                           [dict(vars(e)) for e in entries[start:start + CHUNK]])
    connection.execute(update(HEAD).where(HEAD.c.id == 1).values(
        seq=entries[-1].seq, chain_sha256=entries[-1].chain_sha256))
    return entries


def _locked_head(connection):
    """The head row, locked until the transaction ends. A database without history has none
    yet: the first writer creates it (INSERT ... ON CONFLICT DO NOTHING, so a second one
    waits for the first and then reads its head)."""
    locked = select(HEAD.c.seq, HEAD.c.chain_sha256).where(HEAD.c.id == 1).with_for_update()
    head = connection.execute(locked).first()
    if head is None:
        if connection.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        connection.execute(insert(HEAD).values(id=1, seq=0, chain_sha256=GENESIS)
                           .on_conflict_do_nothing())
        head = connection.execute(locked).one()
    return head
