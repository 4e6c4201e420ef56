"""Alembic environment, close to the stock template.

It adds `target_metadata` and uses a connection handed in through
`config.attributes["connection"]` (so `controlling init` and the tests migrate in-process).
Without one it reads the URL from `CONTROLLING_DB`, then from alembic.ini.
"""

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from controlling.data.models import Base

config = context.config

if config.config_file_name is not None and config.attributes.get("connection") is None:
    fileConfig(config.config_file_name)

target_metadata = Base.metadata


def _url() -> str:
    url = os.environ.get("CONTROLLING_DB") or config.get_main_option("sqlalchemy.url")
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _one_transaction_on_sqlite(connection) -> None:
    """pysqlite opens a transaction only before INSERT/UPDATE/DELETE, so the DDL before it is
    committed statement by statement: a run of several migrations that fails in a later one
    (0003's downgrade refusing after 0004's has dropped its tables) would leave a schema that
    matches no revision. An explicit BEGIN makes the whole run one transaction, as on
    PostgreSQL; the caller's commit or rollback ends it."""
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _one_transaction_on_sqlite(connectable)
        _configure(connectable)
        with context.begin_transaction():
            context.run_migrations()
        return
    section = config.get_section(config.config_ini_section, {})
    section["sqlalchemy.url"] = _url()
    engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            _one_transaction_on_sqlite(connection)
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
