"""Engines and migrations. The schema comes from Alembic only: `upgrade_to_head`."""

from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine

from controlling.domain.errors import DomainError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"


def migrations_dir() -> Path:
    """The migrations folder, in a checkout and in an installed copy alike."""
    if (MIGRATIONS_DIR / "env.py").exists():
        return MIGRATIONS_DIR
    import migrations  # installed as a top-level package beside `controlling`

    return Path(migrations.__file__).resolve().parent


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    try:
        engine = create_engine(url)
    except Exception as error:  # bad URL or missing driver: a user's input
        raise DomainError(f"Ungültige Datenbank-URL '{url}': {error}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


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


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def check_schema_current(engine: Engine) -> None:
    """Refuse to work on a database that is missing or not migrated to the newest revision."""
    try:
        revision = current_revision(engine)
    except Exception as error:
        raise DomainError(f"Datenbank nicht erreichbar: {_first_line(error)}") from None
    if revision is None:
        if not inspect(engine).get_table_names():
            raise DomainError(
                "Die Datenbank ist noch nicht eingerichtet: bitte zuerst 'controlling init' "
                "ausführen."
            )
        raise DomainError("Die Datenbank gehört nicht zu diesem Programm (keine Migration).")
    if revision != head_revision():
        raise DomainError(
            "Die Datenbank hat einen älteren Stand: bitte 'controlling init' ausführen, "
            "um sie zu aktualisieren."
        )


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
