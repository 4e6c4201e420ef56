"""Lossless backup: every table row for row as JSON (`export all` / `import all`), and a
consistent copy of a SQLite database file while it is in use (`backup`).

The JSON covers every table of the schema generically (Base.metadata.sorted_tables), so tables
added by later migrations are included without changes here. File layout:

    {"format": "controlling-backup", "format_version": 1, "revision": "0002",
     "exported_at": "...", "exported_by": "...", "dialect": "sqlite", "checksum": "sha256:...",
     "tables": {"districts": {"columns": ["id", "name", ...], "rows": [[1, "Mitte/Styrum", ...]]},
                ...}}

The checksum is the SHA-256 of the canonical JSON of everything but itself
(controlling/domain/integrity.py `document_checksum`); `import all` checks it, the history
chain and the consistency of the file before it writes anything (services/verify.py) and reads
older files without a checksum, saying so.

Values: dates and times as ISO text, enums as their machine value, JSON columns wrapped as
{"json": value} (so a stored JSON null stays distinct from SQL NULL), bytes as {"base64": ...},
decimals as text. Rows are ordered by primary key.
"""

import json
import sqlite3
import tempfile
from collections.abc import Callable
from itertools import chain
from pathlib import Path

from sqlalchemy import MetaData, func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from controlling.data.database import revision_of
from controlling.data.encoding import decode, iter_table_rows
from controlling.data.encoding import encode as encode  # the file's value encoding, with decode
from controlling.domain.errors import Conflict, DomainError, ImportRefused, InvalidInput
from controlling.domain.integrity import DocumentChecksum, canonical_json
from controlling.files import cannot_write, check_target, replacing, write_pieces
from controlling.services.common import actor_of, now
from controlling.services.exports import require_role

Progress = Callable[[int, int], None] | None

FORMAT = "controlling-backup"
FORMAT_VERSION = 1
ADMIN = frozenset({"admin"})
SKIPPED_TABLES = {"alembic_version"}
CHUNK = 1000

PG_DUMP_HINT = (
    "Für PostgreSQL bitte pg_dump verwenden, z. B. "
    "'pg_dump --format=custom --file=controlling.dump DATENBANK' "
    "(zurück: 'pg_restore --dbname=NEUE_DATENBANK controlling.dump'), "
    "oder 'controlling export all --out sicherung.json'."
)


# export all -----------------------------------------------------------------------------------

def export_all(engine: Engine, uow, login: str, out: str | Path, *, force: bool = False,
               progress: Progress = None) -> dict:
    """Write every table of the database to a JSON file (admins only).

    Written as it is read, in constant memory whatever the size: the tables in the order a
    restore fills them (Base.metadata.sorted_tables), CHUNK rows fetched at a time, each row
    encoded and written at once to a scratch file, and its canonical JSON to a second one;
    the checksum then hashes those (DocumentChecksum: the tables in the order of their names)
    and the file is the header with the checksum and the first scratch file, renamed into
    place."""
    from controlling.data.models import Base

    with uow:
        require_role(actor_of(uow, login), ADMIN, "eine Sicherung erstellen")
    target = check_target(out, force=force)  # before the work (controlling/files.py)
    tables = Base.metadata.sorted_tables
    counts: dict[str, int] = {}
    segments: dict[str, tuple[list[str], int, int]] = {}  # columns, canonical rows from, to
    with _snapshot(engine) as connection, replacing(target, force=force) as temporary, \
            tempfile.TemporaryFile(dir=temporary.parent) as body, \
            tempfile.TemporaryFile(dir=temporary.parent) as canonical:
        revision = revision_of(connection)
        for index, table in enumerate(tables, start=1):
            start = canonical.tell()
            counts[table.name] = _write_table(connection, table, body, canonical,
                                              first=index == 1)
            segments[table.name] = ([c.name for c in table.columns], start, canonical.tell())
            if progress:
                progress(index, len(tables))
        header = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "revision": revision,
            "exported_at": now().isoformat(), "exported_by": login,
            "dialect": engine.dialect.name,
        }
        header["checksum"] = _checksum(header, segments, canonical)  # tamper evidence
        head = "\n".join(["{", *(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},"
                                 for key, value in header.items()), ' "tables": {', ""])
        body.seek(0)
        write_pieces(temporary, chain([head.encode("utf-8")],  # the body a MiB at a time
                                      iter(lambda: body.read(1 << 20), b""), [b"\n }\n}\n"]))
    return {"file": str(target), "revision": revision, "tables": counts,
            "rows": sum(counts.values())}


def _write_table(connection, table, file, canonical, first: bool) -> int:
    """One table of the backup into `file` (one row a line) and its rows' canonical JSON
    into `canonical` (one a line; JSON text holds no raw line break); its number of rows."""
    columns = [c.name for c in table.columns]
    file.write(((",\n" if not first else "") + f"  {json.dumps(table.name)}: {{\"columns\": "
                f"{json.dumps(columns)}, \"rows\": [").encode("utf-8"))
    count, pending, hashed = 0, [], []
    for row in iter_table_rows(connection, table, part=CHUNK):
        pending.append(("\n   " if not count else ",\n   ") + json.dumps(row, ensure_ascii=False))
        hashed.append(canonical_json(row) + b"\n")
        count += 1
        if len(pending) == CHUNK:
            file.write("".join(pending).encode("utf-8"))
            canonical.write(b"".join(hashed))
            pending.clear()
            hashed.clear()
    file.write(("".join(pending) + ("\n  " if count else "") + "]}").encode("utf-8"))
    canonical.write(b"".join(hashed))
    return count


def _checksum(header: dict, segments: dict, canonical) -> str:
    """The document's checksum from the canonical rows kept aside, table by table in the
    order of their names."""
    checksum = DocumentChecksum(header)
    for name in sorted(segments):
        columns, start, end = segments[name]
        checksum.table(name, columns)
        canonical.seek(start)
        while canonical.tell() < end:
            checksum.row(canonical.readline()[:-1])
    return checksum.value()


class _snapshot:
    """A connection that sees one consistent state of the whole database."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def __enter__(self):
        if self.engine.dialect.name == "postgresql":
            self.connection = self.engine.connect().execution_options(
                isolation_level="REPEATABLE READ")
        else:
            self.connection = self.engine.connect()
            if self.engine.dialect.name == "sqlite":
                self.connection.exec_driver_sql("BEGIN")  # hold one read snapshot
        return self.connection

    def __exit__(self, *exc_info):
        self.connection.rollback()
        self.connection.close()


# import all -----------------------------------------------------------------------------------

def read_backup(path: str | Path) -> dict:
    """Load and check a backup file's frame; InvalidInput in German when it is not one."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"Datei nicht gefunden: {path}")
    try:
        document = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} ist keine Sicherung (keine UTF-8-Textdatei).") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{path.name} ist keine gültige JSON-Datei (Fehler in Zeile "
                           f"{error.lineno}, Spalte {error.colno}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput(f"{path.name} ist keine Sicherung von 'controlling export all'.")
    if document.get("format_version") != FORMAT_VERSION:
        raise InvalidInput(f"{path.name} hat die Formatversion {document.get('format_version')}"
                           f"; dieses Programm liest Version {FORMAT_VERSION}.")
    tables = document.get("tables")
    if not isinstance(tables, dict) or not isinstance(document.get("revision"), str):
        raise InvalidInput(f"{path.name} ist beschädigt (Tabellen oder Schema-Stand fehlen).")
    for name, table in tables.items():
        if (not isinstance(table, dict) or not isinstance(table.get("columns"), list)
                or not isinstance(table.get("rows"), list)):
            raise InvalidInput(f"{path.name} ist beschädigt (Tabelle {name}).")
    return document


def import_all(engine: Engine, path: str | Path, progress: Progress = None) -> dict:
    """Load a backup into an empty database, row for row, then migrate it to the newest schema.

    The database may be new (no tables) or migrated but empty. A backup of an older schema is
    loaded into that schema first and then migrated like any database."""
    from alembic import command

    from controlling.data.database import alembic_config, check_revision_known, head_revision
    from controlling.data.models import Base
    from controlling.services.verify import verify_document

    document = read_backup(path)
    name = Path(path).name
    revision = document["revision"]
    try:
        check_revision_known(revision)
    except DomainError:
        raise InvalidInput(
            f"{name} stammt von einer neueren Programmversion (Schema-Stand {revision}, dieses "
            f"Programm kennt bis {head_revision()}); bitte das Programm aktualisieren."
        ) from None
    prepared = None
    if revision == head_revision():  # the usual case: check every value before connecting
        prepared = _prepared(name, document, Base.metadata.sorted_tables)
    problems, notes = verify_document(name, document)  # before anything is written
    if problems:
        raise ImportRefused(name, problems)
    # One transaction for the schema, the rows and the migration to the newest schema: a
    # failure or a kill leaves the database as it was (SQLite too: migrations/env.py begins
    # the transaction explicitly, so pysqlite does not commit the DDL on its own).
    with engine.begin() as connection:
        current = revision_of(connection)
        if current is None and _user_tables(connection):
            raise DomainError("Die Zieldatenbank gehört nicht zu diesem Programm (Tabellen ohne "
                              "Schema-Stand); bitte eine neue, leere Datenbank angeben.")
        if current is not None:
            check_revision_known(current)
        _require_empty(connection)
        if current != revision:  # 1. the backup's schema, in the empty database
            config = alembic_config(connection)
            if current is not None:
                command.downgrade(config, "base")  # the database is empty: nothing is lost
            command.upgrade(config, revision)
        if prepared is None:  # 2. the rows, all or none
            prepared = _prepared(name, document, _tables_at(connection, revision))
        total = sum(len(rows) for _table, rows in prepared)
        done = 0
        for table, rows in prepared:
            for start in range(0, len(rows), CHUNK):
                try:
                    connection.execute(table.insert(), rows[start:start + CHUNK])
                except IntegrityError as error:  # duplicate ids, dangling references
                    reason = str(error.orig).strip().splitlines()[0]
                    raise InvalidInput(f"{name} ist widersprüchlich (Tabelle {table.name}): "
                                       f"{reason}; nichts eingespielt.") from None
                done += len(rows[start:start + CHUNK])
                if progress:
                    progress(done, total)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection, [table for table, _rows in prepared])
        if revision != head_revision():  # 3. like any database of an older program version
            command.upgrade(alembic_config(connection), "head")
    counts = {table.name: len(rows) for table, rows in prepared}
    return {"file": name, "revision": revision, "migrated_to": head_revision(),
            "tables": counts, "rows": sum(counts.values()), "notes": notes}


def _prepared(name: str, document: dict, tables) -> list[tuple]:
    """(table, decoded rows) in the order of the foreign keys; every value checked."""
    _check_tables(name, document["tables"], tables)
    empty = {"columns": [], "rows": []}
    return [(table, _decoded_rows(name, table, document["tables"].get(table.name, empty)))
            for table in tables]


def _user_tables(connection) -> list[str]:
    return [n for n in inspect(connection).get_table_names() if n not in SKIPPED_TABLES]


def _require_empty(connection) -> None:
    names = _user_tables(connection)
    filled = []
    metadata = MetaData()
    metadata.reflect(connection, only=names)
    for table in metadata.sorted_tables:
        count = connection.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            filled.append(f"{table.name}: {count}")
    if filled:
        raise Conflict(
            "Die Zieldatenbank ist nicht leer (" + ", ".join(filled) + "); eine Sicherung wird "
            "nur in eine leere Datenbank eingespielt, damit nichts überschrieben wird. Bitte eine "
            "neue Datenbank angeben (SQLite: eine neue Datei; PostgreSQL: createdb), ohne "
            "vorher 'controlling init' auszuführen."
        )


def _tables_at(connection, revision: str):
    """The tables to fill: the model's at the newest revision, else as the database has them."""
    from controlling.data.database import head_revision
    from controlling.data.models import Base

    if revision == head_revision():
        return Base.metadata.sorted_tables
    metadata = MetaData()
    metadata.reflect(connection)
    return [t for t in metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _check_tables(name: str, data: dict, tables) -> None:
    known = {t.name: t for t in tables}
    problems = []
    for table_name, table_data in data.items():
        table = known.get(table_name)
        if table is None:
            problems.append(f"unbekannte Tabelle {table_name}")
            continue
        expected = [c.name for c in table.columns]
        if sorted(table_data["columns"]) != sorted(expected):
            problems.append(f"Tabelle {table_name}: Spalten {table_data['columns']} passen nicht "
                            f"zum Schema {expected}")
    if problems:
        raise InvalidInput(f"{name} passt nicht zum Schema-Stand: " + "; ".join(problems) + ".")


def _decoded_rows(name: str, table, data: dict) -> list[dict]:
    columns = data["columns"]
    types = [table.columns[c].type for c in columns]
    rows = []
    for index, row in enumerate(data["rows"], start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            raise InvalidInput(f"{name}: Tabelle {table.name}, Zeile {index} ist beschädigt.")
        try:
            rows.append({c: decode(v, t) for c, v, t in zip(columns, row, types, strict=True)})
        except (ValueError, TypeError, KeyError) as error:
            raise InvalidInput(f"{name}: Tabelle {table.name}, Zeile {index}: ungültiger Wert "
                               f"({error}).") from None
    return rows


def _reset_sequences(connection, tables) -> None:
    """After explicit ids, the next generated id must follow the largest one (PostgreSQL)."""
    quote = connection.dialect.identifier_preparer.quote
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": quote(table.name), "column": column.name},
        ).scalar()
        if sequence is None:
            continue
        connection.execute(text(
            f"SELECT setval(:sequence, COALESCE((SELECT MAX({quote(column.name)}) FROM "
            f"{quote(table.name)}), 0) + 1, false)"
        ), {"sequence": sequence})


# backup (SQLite file copy) --------------------------------------------------------------------

def backup_sqlite(engine: Engine, uow, login: str, target: str | Path, *,
                  force: bool = False) -> dict:
    """Copy a SQLite database consistently while others use it (sqlite3's online backup)."""
    if engine.dialect.name != "sqlite":
        raise InvalidInput(f"'backup' kopiert nur SQLite-Datenbanken. {PG_DUMP_HINT}")
    source = engine.url.database
    if not source or source == ":memory:" or source.startswith("file:"):
        raise InvalidInput("'backup' braucht eine SQLite-Datenbankdatei (keine "
                           "Datenbank im Arbeitsspeicher).")
    source_path, target_path = Path(source), Path(target)
    if not source_path.is_file():
        raise InvalidInput(f"Die Datenbankdatei {source_path} gibt es nicht.")
    with uow:
        require_role(actor_of(uow, login), ADMIN, "eine Sicherung erstellen")
    if target_path.exists() and target_path.resolve() == source_path.resolve():
        raise InvalidInput("Die Sicherung kann nicht die Datenbank selbst überschreiben.")
    try:
        with replacing(target_path, force=force) as partial:  # controlling/files.py
            src = sqlite3.connect(source_path, timeout=30)
            try:
                dst = sqlite3.connect(partial)
                try:
                    src.backup(dst)
                    check = dst.execute("PRAGMA integrity_check").fetchone()[0]
                    pages = dst.execute("PRAGMA page_count").fetchone()[0]
                finally:
                    dst.close()
            finally:
                src.close()
            if check != "ok":
                raise DomainError(f"Die Kopie ist beschädigt ({check}); nichts geschrieben.")
    except sqlite3.Error as error:
        if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:  # the copy's disk
            raise DomainError(cannot_write(target_path, "kein Speicherplatz mehr frei")
                              ) from None
        raise DomainError(f"Sicherung fehlgeschlagen: {error}.") from None
    return {"source": str(source_path), "file": str(target_path), "pages": pages,
            "bytes": target_path.stat().st_size}
