"""Engines and migrations. The schema comes from Alembic only: `upgrade_to_head`."""

import re
from functools import cache
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from controlling.domain.errors import DomainError

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # controlling/


def migrations_dir() -> Path:
    """The migrations folder: `controlling/migrations` when installed (pyproject.toml maps the
    repository's top-level `migrations/` there), `migrations/` beside the package in a
    checkout."""
    for folder in (PACKAGE_DIR / "migrations", PACKAGE_DIR.parent / "migrations"):
        if (folder / "env.py").exists():
            return folder
    raise DomainError("Die Migrationen des Programms fehlen (Installation unvollständig).")


URL_EXAMPLES = "z. B. sqlite:///controlling.db oder postgresql+psycopg://user@host/datenbank"

LOCK_TIMEOUT_SECONDS = 15
"""How long a statement waits for a lock another transaction holds (SQLite's busy timeout,
PostgreSQL's lock_timeout) before it gives up with BUSY."""

BUSY = ("Die Datenbank wird gerade von einem anderen Vorgang bearbeitet, bitte erneut "
        "versuchen.")
BUSY_SQLSTATES = {"55P03", "40P01", "40001"}  # lock_not_available, deadlock, serialization


def is_busy(error: BaseException) -> bool:
    """True for a database error that only means "someone else holds the lock": SQLite's
    "database is locked", PostgreSQL's lock timeout, deadlock or serialization failure."""
    original = getattr(error, "orig", None) or error
    if getattr(original, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    import sqlite3

    return isinstance(original, sqlite3.OperationalError) and (
        "locked" in str(original) or "busy" in str(original))


SQLITE_URI_ARGUMENTS = {"mode", "cache", "immutable", "nolock", "vfs", "psow", "modeof"}


def make_engine(url: str, *, must_exist: bool = False) -> Engine:
    """An engine for a URL the user typed; a German DomainError when it cannot be used.

    `must_exist`: refuse a SQLite file that is not there (connecting would create it, empty);
    only `init` and `import all` create a database."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    try:
        parsed = make_url(url)
    except ArgumentError:
        shown = "" if "@" in url else f" '{url}'"  # it might hold a password
        raise DomainError(f"Ungültige Datenbank-URL{shown}: erwartet {URL_EXAMPLES}.") from None
    shown = parsed.render_as_string(hide_password=True)
    typed = parsed
    if parsed.get_backend_name() == "sqlite" and SQLITE_URI_ARGUMENTS & set(parsed.query) \
            and "uri" not in parsed.query and parsed.database and \
            not parsed.database.startswith("file:"):  # '?mode=ro' works as the user means
        parsed = parsed.set(database=f"file:{parsed.database}").update_query_dict(
            {"uri": "true"})
    try:
        engine = create_engine(parsed)
    except NoSuchModuleError:
        raise DomainError(
            f"Ungültige Datenbank-URL '{shown}': Datenbanktyp '{parsed.drivername}' wird nicht "
            f"unterstützt; erwartet {URL_EXAMPLES}."
        ) from None
    except ImportError as error:
        raise DomainError(
            f"Ungültige Datenbank-URL '{shown}': der Treiber '{error.name}' ist nicht "
            f"installiert; unterstützt: {URL_EXAMPLES}."
        ) from None
    except ArgumentError as error:
        raise DomainError(f"Ungültige Datenbank-URL '{shown}': {error}.") from None
    if engine.dialect.name == "sqlite":
        if must_exist:
            _check_sqlite_file(typed)
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgresql_settings)
    return engine


def _check_sqlite_file(url) -> None:
    """Refuse a SQLite database file that does not exist (an in-memory one is fine)."""
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:") or (
            url.query.get("mode") == "memory"):
        return
    if not Path(database).exists():
        raise DomainError(f"Die Datenbank {database} gibt es nicht: bitte zuerst "
                          "'controlling init' ausführen.")


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(LOCK_TIMEOUT_SECONDS * 1000)}")
    cursor.close()


def _postgresql_settings(dbapi_connection, _record):
    """Wait at most LOCK_TIMEOUT_SECONDS for a row or table lock (the default is forever)."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{int(LOCK_TIMEOUT_SECONDS * 1000)}ms'")
    finally:
        dbapi_connection.autocommit = autocommit


def alembic_config(engine_or_connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if engine_or_connection is not None:
        config.attributes["connection"] = engine_or_connection
    return config


def upgrade_to_head(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


VERSION_TABLE = "alembic_version"  # where Alembic keeps the schema revision


def revision_of(connection) -> str | None:
    """The schema revision recorded in the database of `connection` (None: not migrated).
    Plain SQL, so that every command does not import Alembic's runtime (a tenth of a second
    of each start); what Alembic's MigrationContext.get_current_revision reads."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    from sqlalchemy import text

    revisions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    revisions = revisions.all()
    if len(revisions) > 1:
        raise DomainError("Die Datenbank hat mehrere Schema-Stände zugleich ("
                          + ", ".join(sorted(revisions)) + "); so migriert dieses Programm "
                          "nicht.")
    return revisions[0] if revisions else None


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision; a German DomainError when it cannot be read."""
    try:
        with engine.connect() as connection:
            return revision_of(connection)
    except DBAPIError as error:  # no server, no such database, not a database file
        if is_busy(error):
            raise DomainError(BUSY) from None
        from controlling.data.db_errors import german_reason

        raise DomainError(f"Datenbank nicht erreichbar: {german_reason(error)}.") from None


_REVISION_LINE = re.compile(
    r"""^(down_revision|revision)\b[^=\n]*=\s*(?:None|['"]([^'"]+)['"])\s*$""", re.MULTILINE)


@cache
def _script_revisions() -> tuple[str, frozenset[str]]:
    """The head and every revision of the migrations folder (read once per process), read
    from each file's `revision` and `down_revision` lines rather than through Alembic's
    ScriptDirectory, which imports all of Alembic's runtime (a tenth of a second of each
    start); tests/unit/test_schema_revisions.py proves both agree. A chain that is not one
    line (a merge, a branch) is left to ScriptDirectory."""
    parents: dict[str, str | None] = {}
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        found = dict((name, value) for name, value in
                     _REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found and "down_revision" in found:
            parents[found["revision"]] = found["down_revision"] or None
    heads = set(parents) - set(parents.values())
    if len(heads) == 1 and sum(parent is None for parent in parents.values()) == 1:
        return heads.pop(), frozenset(parents)
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return script.get_current_head(), frozenset(s.revision for s in script.walk_revisions())


def head_revision() -> str:
    return _script_revisions()[0]


def table_names(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()


def has_users(engine: Engine) -> bool:
    """Whether the database knows any user yet (plain SQL: the schema may be older than the
    model). False on a schema whose first user was never created, e.g. an init killed
    between its migrations and the first admin."""
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.execute(text("SELECT 1 FROM users LIMIT 1")).first() is not None


def check_revision_known(revision: str) -> None:
    """Refuse a database migrated by a newer version of the program."""
    if revision not in _script_revisions()[1]:
        raise DomainError(
            f"Die Datenbank hat einen neueren Schema-Stand ({revision}) als dieses Programm "
            f"({head_revision()}): bitte das Programm aktualisieren."
        )


def check_schema_current(engine: Engine) -> None:
    """Refuse to work on a database that is missing or not migrated to the newest revision."""
    revision = current_revision(engine)
    if revision is None:
        if not table_names(engine):
            raise DomainError(
                "Die Datenbank ist noch nicht eingerichtet: bitte zuerst 'controlling init' "
                "ausführen."
            )
        raise DomainError("Die Datenbank gehört nicht zu diesem Programm (keine Migration).")
    check_revision_known(revision)
    if revision != head_revision():
        raise DomainError(
            "Die Datenbank hat einen älteren Stand: bitte 'controlling init' ausführen, "
            "um sie zu aktualisieren."
        )

