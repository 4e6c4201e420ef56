"""Column values as plain JSON data and back: the encoding of the backup file (`export all`)
and of the history chain's row hashes (controlling/domain/integrity.py), so a row hashes the
same read from the database and read from a backup.

Dates and times as ISO text, enums as their machine value, JSON columns wrapped as
{"json": value} (a stored JSON null stays distinct from SQL NULL), bytes as {"base64": ...},
decimals as text.
"""

import base64
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum

from sqlalchemy import null, select
from sqlalchemy import types as sqltypes


def encode(value, column_type):
    """A column value as JSON data (not SQL NULL: the caller writes None for that)."""
    if isinstance(column_type, sqltypes.JSON):
        return {"json": value}
    if value is None:
        return None
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def decode(value, column_type):
    """The inverse of `encode` for the column's type; SQL NULL for a JSON column's None."""
    if isinstance(column_type, sqltypes.JSON):
        if value is None:
            return null()
        if not isinstance(value, dict) or set(value) != {"json"}:
            raise ValueError("JSON-Spalte ohne Hülle {'json': ...}")
        return value["json"]
    if value is None:
        return None
    if isinstance(column_type, sqltypes.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, sqltypes.Date):
        return date.fromisoformat(value)
    if isinstance(column_type, sqltypes.Time):
        return time.fromisoformat(value)
    if isinstance(column_type, sqltypes.LargeBinary):
        return base64.b64decode(value["base64"])
    if isinstance(column_type, sqltypes.Numeric) and not isinstance(
            column_type, sqltypes.Float) and column_type.asdecimal:
        return Decimal(value)
    if isinstance(column_type, sqltypes.Float):
        return float(value)
    if isinstance(column_type, sqltypes.Boolean):
        if not isinstance(value, bool):
            raise ValueError(f"kein Wahrheitswert: {value!r}")
        return value
    if isinstance(column_type, sqltypes.Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"keine ganze Zahl: {value!r}")
        return value
    if isinstance(column_type, sqltypes.Enum):
        return value if isinstance(value, str) else str(value)
    return value


def table_rows(connection, table, where=None) -> list[list]:
    """Rows of a table (all, or those matching `where`), encoded, in primary-key order.

    A JSON column reads None for both SQL NULL and a stored JSON null; `IS NULL` tells them
    apart, so the encoding keeps exactly what was stored."""
    return list(iter_table_rows(connection, table, where))


def iter_table_rows(connection, table, where=None, part: int | None = None):
    """`table_rows` one by one; `part`: fetched from the database that many at a time (on
    PostgreSQL through a server-side cursor), so a large table is never held whole."""
    order = list(table.primary_key.columns) or list(table.columns)
    columns = list(table.columns)
    json_at = [i for i, c in enumerate(columns) if isinstance(c.type, sqltypes.JSON)]
    flags = [columns[i].is_(None).label(f"sql_null_{n}") for n, i in enumerate(json_at)]
    width = len(columns)
    types = [c.type for c in columns]
    statement = select(table, *flags).order_by(*order)
    if where is not None:
        statement = statement.where(where)
    if part is not None:
        statement = statement.execution_options(yield_per=part)
    for row in connection.execute(statement):
        # a plain value encodes as itself (the common case, checked first); a JSON column's
        # value is wrapped below whatever its type
        values = [value if type(value) in UNCHANGED else encode(value, types[i])
                  for i, value in enumerate(row[:width])]
        for n, i in enumerate(json_at):
            values[i] = None if row[width + n] else {"json": row[i]}
        yield values


# the types `encode` gives back unchanged (exactly these: an Enum member that is also a str
# is not one of them)
UNCHANGED = frozenset({int, str, float, bool, type(None)})


def row_dicts(connection, table, where=None) -> list[dict]:
    """`table_rows` as dicts (column name -> encoded value)."""
    names = [c.name for c in table.columns]
    return [dict(zip(names, row, strict=True)) for row in table_rows(connection, table, where)]
