"""Many rows in one statement: Core inserts for imports, no mapped object per row.

`insert_rows` writes the rows of a mapped class with one executemany and returns their keys in
the order given; rows of a history table join the history chain
(controlling/data/chain.py) on commit, as flushed objects do.
"""

from sqlalchemy import func, insert, select, text

from controlling.data.chain import note_history_rows
from controlling.data.models import HISTORY_TABLES


def insert_rows(session, model, rows: list[dict]) -> list[int]:
    """Insert `rows` (column name -> value, every row the same columns) into the table of
    `model` within the session's transaction; their primary keys, in order.

    The keys are taken before the INSERT, so it is one plain executemany (a short statement
    the driver parses once, sent in a pipeline on PostgreSQL): PostgreSQL hands out the next
    values of the key's sequence; SQLite has no sequence, so the first row is inserted alone
    (from then on this transaction holds SQLite's one write lock and no other writer can take
    keys until it ends) and the rest get the keys after the largest one."""
    if not rows:
        return []
    table = model.__table__
    key = table.c.id
    if session.get_bind().dialect.name == "sqlite":
        first = session.execute(insert(table).values(rows[0]).returning(key)).scalar_one()
        keys = [first]
        if len(rows) > 1:
            last = session.scalar(select(func.max(key)))
            keys += range(last + 1, last + len(rows))
        rest = [{**row, "id": k} for k, row in zip(keys[1:], rows[1:], strict=True)]
    else:
        keys = sorted(session.scalars(text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table.name, "n": len(rows)}))
        rest = [{**row, "id": k} for k, row in zip(keys, rows, strict=True)]
    if rest:
        session.execute(insert(table), rest)
    if table.name in HISTORY_TABLES:
        note_history_rows(session, table.name, keys)
    return keys
