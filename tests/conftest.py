"""Shared fixtures. Every database test runs on SQLite, and on PostgreSQL too when
CONTROLLING_TEST_DATABASE_URL is set; a PostgreSQL run works in a database of its own that it
creates at the start and drops at the end.

Proof of identity: the tests run as the operating system's login (e.g. `root`) but act as
`admin`, `planer`, `bl31` ... via `--user`, which needs that login's proof (CLI.md,
"Identity"). The fixtures give it the way a script does: an API token, issued directly through
`controlling.services.accounts.create_token` and passed as CONTROLLING_TOKEN. Tokens are issued
eagerly where the fixtures create users (so a test's "nothing changed" snapshot is not
disturbed by a token created in the middle of it), and lazily on first use for users a test
creates otherwise; cached per (database URL, login)."""

import os
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, inspect, select, text

from controlling import clock

PG_URL = os.environ.get("CONTROLLING_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
REALDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"
ADMIN = "admin"
PROOF_VARIABLES = ("CONTROLLING_TOKEN", "CONTROLLING_PASSWORD")
_TOKENS: dict[tuple[str, str], str] = {}  # (database URL, login key) -> token


def realdata(name: str) -> Path:
    """A file of ../shared/realdata, or skip the test with the reason."""
    path = REALDATA / name
    if not path.exists():
        pytest.skip(f"{path} fehlt: ../shared/realdata gibt es nur in der Entwicklung und im CI")
    return path


def _token_key(url: str, login: str) -> tuple[str, str]:
    return url, login.strip().lower()


def forget_tokens(url: str) -> None:
    """Forget the cached tokens of a database (its URL is about to hold another database)."""
    for key in [k for k in _TOKENS if k[0] == url]:
        del _TOKENS[key]


def issue_token(url: str, login: str) -> str:
    """An API token of `login` (an existing, active user) on the database at `url`, issued
    through the service as a script's owner would, once per database and login."""
    from controlling.data.database import make_engine
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.services.accounts import create_token

    key = _token_key(url, login)
    if key not in _TOKENS:
        engine = make_engine(url)
        try:
            with clock.freeze(None):  # real time: a cached token outlives a frozen test
                _TOKENS[key] = create_token(UnitOfWork(engine), login, name="Tests")["token"]
        finally:
            engine.dispose()
    return _TOKENS[key]


def _token_if_known(url: str, login: str | None) -> str | None:
    """The lazy fallback: a token when the database already knows `login` as an active user;
    None for an empty, unknown or deactivated login, a missing SQLite file or a schema without
    tokens (refusing those is the command line's business, and looking must not create the
    file)."""
    if not login or not login.strip():
        return None
    key = _token_key(url, login)
    if key in _TOKENS:
        return _TOKENS[key]
    from controlling.data.database import make_engine
    from controlling.domain.errors import DomainError

    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
        return None
    try:
        engine = make_engine(url)
    except DomainError:
        return None
    try:
        if not {"users", "api_tokens"} <= set(inspect(engine).get_table_names()):
            return None
        with engine.connect() as connection:
            active = connection.execute(
                text("SELECT active FROM users WHERE lower(login) = :key"),
                {"key": key[1]}).scalar()
    finally:
        engine.dispose()
    return issue_token(url, login) if active else None


def with_proof(url: str, login: str | None, env: dict | None = None,
               args: tuple = ()) -> dict:
    """`env` plus CONTROLLING_TOKEN of `login`, unless the test brings a proof of its own
    (CONTROLLING_TOKEN, CONTROLLING_PASSWORD or --token). Proof variables of the shell that
    runs the tests are never inherited."""
    merged = {name: None for name in PROOF_VARIABLES}
    merged.update(env or {})
    own_proof = any(merged.get(name) is not None for name in PROOF_VARIABLES) or any(
        str(a) == "--token" or str(a).startswith("--token=") for a in args)
    if not own_proof:
        token = _token_if_known(url, login)
        if token:
            merged["CONTROLLING_TOKEN"] = token
    return merged


def program_env(url: str, login: str = ADMIN) -> dict:
    """The environment for the real program in a process of its own, acting as `login` on
    `url` with its token: this process's environment without any CONTROLLING_* variable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTROLLING_")}
    env["CONTROLLING_TOKEN"] = issue_token(url, login)
    return env


def _issue_after_user_add(url: str, args: tuple, result) -> None:
    """Eagerly, right after a successful `user add LOGIN ...`: the new user's token."""
    words = [str(a) for a in args]
    if result.exit_code == 0 and words[:2] == ["user", "add"] and len(words) > 2:
        issue_token(url, words[2])


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
    forget_tokens(url)  # the run's one PostgreSQL database is emptied for every test
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield url
    forget_tokens(url)


@pytest.fixture
def db_url(empty_db_url):
    """A migrated database with reference data and the admin user 'admin' (with a token)."""
    from controlling.data.database import make_engine
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.services.setup import initialise

    engine = make_engine(empty_db_url)
    initialise(engine, lambda: UnitOfWork(engine), ADMIN)
    engine.dispose()
    issue_token(empty_db_url, ADMIN)
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
def today_is():
    """Freeze the one clock (controlling/clock.py) for the rest of the test:
    `tomorrow = today_is(date(2024, 7, 5))` makes that day today (09:30 UTC) and returns the
    next day, the "future" of the test (instead of a far-future year)."""
    frozen = []

    def freeze(day: date) -> date:
        manager = clock.freeze(datetime.combine(day, time(9, 30)))
        manager.__enter__()
        frozen.append(manager)
        return day + timedelta(days=1)

    yield freeze
    for manager in reversed(frozen):
        manager.__exit__(None, None, None)


TOMORROW = "TOMORROW"  # in parametrized arguments: the day after the frozen today


def on_tomorrow(value, tomorrow: date):
    """`value` (a tuple of arguments, a dict of a request, a text) with TOMORROW replaced by
    the ISO date `tomorrow` (from `today_is`)."""
    if isinstance(value, tuple | list):
        return type(value)(on_tomorrow(v, tomorrow) for v in value)
    if isinstance(value, dict):
        return {k: on_tomorrow(v, tomorrow) for k, v in value.items()}
    return tomorrow.isoformat() if value == TOMORROW else value


@pytest.fixture
def cli(db_url):
    """Run the command line as a user types it: cli('recommendation', 'list', user='x'), with
    that user's token as proof (see the module's docstring)."""
    return cli_for(db_url)


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


def snapshot_but_sign_ins(engine) -> dict[str, list[tuple]]:
    """snapshot() without the sign-in log, for "nothing changed" checks of refusals that
    legitimately log: a failed proof of identity (wrong password, invalid token, locked
    login) is written to `sign_ins` in a transaction of its own, so that the refusal that
    follows rolls nothing of it back (controlling/services/identity.py). Every other table
    must stay as it was, but for the history chain's entries of those sign-ins and its head,
    which move with them in the same transaction."""
    kept = {name: rows for name, rows in snapshot(engine).items()
            if name not in ("sign_ins", "history_chain_head")}
    if "history_chain" in kept:  # columns: seq, table_name, row_id, ...
        kept["history_chain"] = [row for row in kept["history_chain"] if row[1] != "sign_ins"]
    return kept


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
    """A `cli(...)` function like the fixture's, for a database URL of one's own: runs
    `controlling --db URL --user USER ARGS...` with USER's token as CONTROLLING_TOKEN (unless
    `env` or the arguments bring a proof of their own, or proof=False); `input` is standard
    input."""
    from cli import cli as root

    runner = CliRunner()

    def run(*args, user: str = ADMIN, env: dict | None = None, input: str | None = None,
            proof: bool = True):
        """proof=False: no token of the fixtures (only what `env` and `args` bring)."""
        merged = with_proof(url, user, env, args) if proof else with_proof(url, None, env)
        result = runner.invoke(root, ["--db", url, "--user", user, *map(str, args)],
                               env=merged, input=input, catch_exceptions=False)
        _issue_after_user_add(url, args, result)
        return result

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
    for login in (ADMIN, *(member[0] for member in TEAM)):
        issue_token(url, login)
    yield url
    forget_tokens(url)
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
