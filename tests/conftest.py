"""Shared fixtures. Every database test runs on SQLite, and on PostgreSQL too when
CONTROLLING_TEST_DATABASE_URL is set; a PostgreSQL run works in a database of its own that it
creates at the start and drops at the end."""

import os
import uuid
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, inspect, select, text

PG_URL = os.environ.get("CONTROLLING_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
REALDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"
ADMIN = "admin"


def realdata(name: str) -> Path:
    """A file of ../shared/realdata, or skip the test with the reason."""
    path = REALDATA / name
    if not path.exists():
        pytest.skip(f"{path} fehlt: ../shared/realdata gibt es nur in der Entwicklung und im CI")
    return path


def _pg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith(
        "postgresql://") else url


@pytest.fixture(scope="session")
def pg_database():
    """Create a database of this run's own on the PostgreSQL server; drop it afterwards."""
    if not PG_URL:
        pytest.skip("CONTROLLING_TEST_DATABASE_URL ist nicht gesetzt")
    server = create_engine(_pg(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"controlling_test_{uuid.uuid4().hex[:12]}"
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.url.set(database=name).render_as_string(hide_password=False)
    yield url
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(params=BACKENDS)
def empty_db_url(request, tmp_path):
    """The URL of an empty database (no tables) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url = request.getfixturevalue("pg_database")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield url


@pytest.fixture
def db_url(empty_db_url):
    """A migrated database with reference data and the admin user 'admin'."""
    from controlling.data.database import make_engine
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.services.setup import initialise

    engine = make_engine(empty_db_url)
    initialise(engine, lambda: UnitOfWork(engine), ADMIN)
    engine.dispose()
    return empty_db_url


@pytest.fixture
def engine(db_url):
    from controlling.data.database import make_engine

    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine):
    """A factory of units of work on the test database: call uow() for a new one."""
    from controlling.data.unit_of_work import UnitOfWork

    return lambda: UnitOfWork(engine)


@pytest.fixture
def cli(db_url):
    """Run the command line as a user types it: cli('recommendation', 'list', user='x')."""
    from cli import cli as root

    runner = CliRunner()

    def run(*args, user: str = ADMIN, env: dict | None = None):
        return runner.invoke(root, ["--db", db_url, "--user", user, *map(str, args)],
                             env=env, catch_exceptions=False)

    run.url = db_url
    return run


def row_counts(engine) -> dict[str, int]:
    """Rows per table: for checking that a refused command changed nothing."""
    from controlling.data.models import Base

    counts = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = connection.execute(
                select(func.count()).select_from(table)).scalar_one()
    return counts


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: for 'nothing changed' and 'lossless' checks."""
    from controlling.data.models import Base

    result = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(select(table)).all()
            result[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return result


def table_names(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


@pytest.fixture
def people(cli):
    """The team: a planner, department heads of 3-1 and 3-2, a committee member."""
    for login, role, dept in (
        ("planer", "planner", None),
        ("bl31", "department_head", "3-1"),
        ("bl32", "department_head", "3-2"),
        ("ausschuss", "committee", None),
    ):
        args = ["user", "add", login, "--name", login, "--role", role]
        if dept:
            args += ["--department", dept]
        result = cli(*args)
        assert result.exit_code == 0, result.output
    return {"planner": "planer", "head": "bl31", "other_head": "bl32", "committee": "ausschuss",
            "admin": ADMIN}


SOME_DAY = date(2024, 1, 10)

TEAM = (("planer", "planner", None), ("bl31", "department_head", "3-1"),
        ("bl32", "department_head", "3-2"), ("ausschuss", "committee", None))


def cli_for(url: str):
    """A `cli(...)` function like the fixture's, for a database URL of one's own."""
    from cli import cli as root

    runner = CliRunner()

    def run(*args, user: str = ADMIN, env: dict | None = None):
        return runner.invoke(root, ["--db", url, "--user", user, *map(str, args)],
                             env=env, catch_exceptions=False)

    run.url = url
    return run


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(request, tmp_path_factory):
    """Like db_url plus the team of `people`, but one database per test module and backend
    (on PostgreSQL a schema of its own in the run's database): for tests that build their
    state once, or that only check refusals. Tests sharing it must not depend on each other's
    changes."""
    from controlling.data.database import make_engine
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.services.setup import add_user, initialise

    server = schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('module') / 'test.db'}"
    else:
        database_url = request.getfixturevalue("pg_database")
        server = create_engine(database_url, isolation_level="AUTOCOMMIT")
        schema = f"module_{uuid.uuid4().hex[:12]}"
        with server.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = server.url.update_query_dict({"options": f"-csearch_path={schema}"}
                                           ).render_as_string(hide_password=False)
    engine = make_engine(url)
    initialise(engine, lambda: UnitOfWork(engine), ADMIN)
    for login, role, dept in TEAM:
        add_user(UnitOfWork(engine), ADMIN, new_login=login, name=login, role=role,
                 department=dept)
    engine.dispose()
    yield url
    if server is not None:
        with server.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        server.dispose()


@pytest.fixture(scope="module")
def module_engine(module_db_url):
    from controlling.data.database import make_engine

    engine = make_engine(module_db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def module_cli(module_db_url):
    return cli_for(module_db_url)
