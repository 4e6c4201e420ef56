"""The application context shared by all commands: database URL, the proven acting person,
the error path."""

import os
import sys
from dataclasses import dataclass, field

import click

from controlling.commands import german, output
from controlling.commands.german import CliError

german.install()  # before the commands are declared: click translates some texts then
output.install()  # every click.echo terminal-safe (no escape sequences from the data)
DEFAULT_DB = "sqlite:///controlling.db"


def os_login() -> str | None:
    """The operating system's login of this process, from the user database of the system,
    never from environment variables (USER=admin must not make anyone admin)."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # Windows, or a uid without a name
        try:
            return os.getlogin()
        except OSError:
            return None


def ask_password_on_terminal(login: str) -> str | None:
    """Prompt for the password when standard input is a terminal; else None."""
    if not sys.stdin.isatty():
        return None
    return click.prompt(f"Passwort für '{login}'", hide_input=True, default="",
                        show_default=False, err=True)


@dataclass
class AppContext:
    db_url: str
    claimed_login: str | None = None  # --user / CONTROLLING_USER; None: not given
    token: str | None = None  # --token / CONTROLLING_TOKEN
    password: str | None = field(default=None, repr=False)  # CONTROLLING_PASSWORD
    _engine: object = field(default=None, repr=False)
    _login: str | None = field(default=None, repr=False)
    _schema_current: bool = field(default=False, repr=False)  # checked once per invocation
    committed: bool = field(default=False, repr=False)  # a unit of work of app.uow() committed
    last_result: object = field(default=None, repr=False)  # of app.run: rows for the log
    command_ctx: object = field(default=None, repr=False)  # the command's click context

    @property
    def os_login(self) -> str | None:
        return os_login()

    @property
    def requested_login(self) -> str | None:
        """The login this invocation is about, before any proof: the claimed one, else the
        operating system's (None when a token alone is to name it)."""
        if self.claimed_login is not None:
            return self.claimed_login
        return None if self.token else self.os_login

    @property
    def login(self) -> str:
        """The proven login of the acting person (asked for once per invocation)."""
        if self._login is None:
            from controlling.data.unit_of_work import UnitOfWork
            from controlling.services.identity import prove_identity

            engine = self.engine()
            self.check_schema()
            self._login = self.call(
                prove_identity, lambda: UnitOfWork(engine), claimed=self.claimed_login,
                os_login=self.os_login, token=self.token, password=self.password,
                ask_password=ask_password_on_terminal)
        return self._login

    def check_schema(self) -> None:
        if self._schema_current:
            return
        from controlling.data.database import check_schema_current

        self.call(check_schema_current, self.engine())
        self._schema_current = True

    def engine(self, create: bool = False):
        """The engine of --db. A SQLite file that does not exist is refused unless `create`
        (only `init` and `import all` create a database; reading must not)."""
        if self._engine is None:
            from controlling.data.database import make_engine

            self._engine = self.call(make_engine, self.db_url, must_exist=not create)
        return self._engine

    def uow(self, check_schema: bool = True):
        from controlling.data.unit_of_work import UnitOfWork

        engine = self.engine()
        if check_schema:
            self.check_schema()
        uow = UnitOfWork(engine)
        commit = uow.commit

        def commit_and_note() -> None:  # the operations log tells writes from reads by this
            commit()
            self.committed = True

        uow.commit = commit_and_note
        return uow

    def run(self, service, *args, **kwargs):
        """Call a service as the proven acting person with a fresh unit of work; domain
        errors become German messages."""
        login = self.login
        self.last_result = self.call(service, self.uow(), login, *args, **kwargs)
        return self.last_result

    def call(self, function, *args, **kwargs):
        """Call `function` with domain and database errors as German messages, the cyclic
        garbage collector paused meanwhile (controlling/gc_pause.py: a command is one short
        process, and a report of tens of thousands makes a million small objects)."""
        from sqlalchemy.exc import DatabaseError, DataError, IntegrityError

        from controlling.domain.errors import DomainError
        from controlling.gc_pause import without_cycle_collection

        try:
            with without_cycle_collection():
                return function(*args, **kwargs)
        except DomainError as error:
            raise CliError(str(error)) from None
        except IntegrityError:
            raise CliError(
                "Konflikt: jemand anderes hat gleichzeitig denselben Datensatz angelegt; "
                "bitte erneut versuchen."
            ) from None
        except DataError as error:  # a value the database refuses (the services check sizes)
            from controlling.data.db_errors import first_line

            raise CliError(f"Die Datenbank lehnt einen Wert ab: {first_line(error)}") from None
        except DatabaseError as error:  # no server, not a database file, read-only, full disk
            from controlling.data.database import BUSY, is_busy
            from controlling.data.db_errors import german_reason

            if is_busy(error):  # a lock another command holds (busy or lock timeout)
                raise CliError(BUSY) from None
            raise CliError(f"Datenbankfehler: {german_reason(error)}.") from None

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def pass_app(function):
    """Hand the command the AppContext (as click's make_pass_decorator does) and note the
    command's own click context on it, for the operations log."""
    import functools

    @functools.wraps(function)
    def with_app(*args, **kwargs):
        ctx = click.get_current_context()
        app = ctx.find_object(AppContext)
        if app is None:
            raise RuntimeError("controlling: the command runs without its AppContext")
        app.command_ctx = ctx
        return ctx.invoke(function, app, *args, **kwargs)

    return with_app


# what the operations log records of a command that succeeded even without a write of its
# own: exports, backups, set-up and restores (controlling/oplog.py, docs/operations-log.md)
ALWAYS_LOGGED = ("export", "backup", "init", "import")


class LoggedGroup(click.Group):
    """The root group: every command that wrote, exported or was refused leaves one line in
    the operations log (CONTROLLING_LOG) with login, outcome, rows and duration."""

    def invoke(self, ctx: click.Context):
        import time

        started = time.monotonic()
        try:
            result = super().invoke(ctx)
        except click.ClickException as error:
            if error.exit_code == 1:
                _log(ctx, started, "refused", error.format_message())
            raise
        except click.exceptions.Exit as done:
            if done.exit_code == 0:
                _log(ctx, started, "ok", None)
            raise
        _log(ctx, started, "ok", None)
        return result


def _log(ctx: click.Context, started: float, outcome: str, message: str | None) -> None:
    import time

    from controlling import oplog

    app = ctx.obj if isinstance(ctx.obj, AppContext) else None
    if app is None or app.command_ctx is None:
        return  # help, usage, or a command that never reached its body
    path = app.command_ctx.command_path.split()[1:]
    options = _given_options(app.command_ctx)
    wrote = bool(app and app.committed)
    if outcome == "ok" and not wrote and path[0] not in ALWAYS_LOGGED and "out" not in options:
        return
    login = app._login
    if login is None:  # not proven (a refused proof): the login the command was about
        login = app.requested_login
    oplog.record(" ".join(path), outcome, login=login, channel="cli", message=message,
                 rows=oplog.row_counts(app.last_result),
                 options=sorted(options),
                 duration_ms=(time.monotonic() - started) * 1000)


def _given_options(ctx: click.Context) -> set[str]:
    """The names of the options given on the command line, never their values."""
    from click.core import ParameterSource

    return {param.name for param in ctx.command.params
            if isinstance(param, click.Option)
            and ctx.get_parameter_source(param.name) == ParameterSource.COMMANDLINE}
