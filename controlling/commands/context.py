"""The application context shared by all commands: database URL, acting user, error path."""

import getpass
import os
from dataclasses import dataclass, field

import click

from controlling.commands import german
from controlling.commands.german import CliError

german.install()  # before the commands are declared: click translates some texts then
DEFAULT_DB = "sqlite:///controlling.db"


def default_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment
        return os.environ.get("USER") or "unbekannt"


@dataclass
class AppContext:
    db_url: str
    login: str
    _engine: object = field(default=None, repr=False)

    def engine(self):
        if self._engine is None:
            from controlling.data.database import make_engine

            self._engine = self.call(make_engine, self.db_url)
        return self._engine

    def uow(self, check_schema: bool = True):
        from controlling.data.database import check_schema_current
        from controlling.data.unit_of_work import UnitOfWork

        engine = self.engine()
        if check_schema:
            self.call(check_schema_current, engine)
        return UnitOfWork(engine)

    def run(self, service, *args, **kwargs):
        """Call a service with a fresh unit of work; domain errors become German messages."""
        uow = self.uow()
        return self.call(service, uow, self.login, *args, **kwargs)

    def call(self, function, *args, **kwargs):
        from sqlalchemy.exc import DataError, IntegrityError, OperationalError

        from controlling.domain.errors import DomainError

        try:
            return function(*args, **kwargs)
        except DomainError as error:
            raise CliError(str(error)) from None
        except IntegrityError:
            raise CliError(
                "Konflikt: jemand anderes hat gleichzeitig denselben Datensatz angelegt; "
                "bitte erneut versuchen."
            ) from None
        except DataError as error:  # a value the database refuses (the services check sizes)
            raise CliError(f"Die Datenbank lehnt einen Wert ab: {_first_line(error)}") from None
        except OperationalError as error:
            raise CliError(f"Datenbankfehler: {_first_line(error)}") from None

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def _first_line(error) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


pass_app = click.make_pass_decorator(AppContext)
