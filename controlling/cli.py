"""controlling: the command line. This root assembles the command groups of
controlling/commands/ and holds the global options (--db, --user).

Run as `controlling ...` (installed) or `python cli.py ...` (from a checkout; the file there
only calls this module).
"""

import importlib
import os

import click

from controlling.commands import german
from controlling.commands.context import DEFAULT_DB, AppContext, LoggedGroup
from controlling.commands.imports import import_
from controlling.commands.recommendation import progress, recommendation
from controlling.commands.setup import department, district, init, user

german.install()

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LoggedGroup, context_settings=CONTEXT_SETTINGS)
@click.option("--db", envvar="CONTROLLING_DB", default=DEFAULT_DB, show_default=True,
              metavar="URL", help="SQLAlchemy-Datenbank-URL (Umgebung: CONTROLLING_DB).")
@click.option("--user", "login", envvar="CONTROLLING_USER", default=None, metavar="LOGIN",
              help="Login der handelnden Person (Umgebung: CONTROLLING_USER; Standard: "
                   "der Login des Betriebssystems). Ein anderer Login als der des "
                   "Betriebssystems braucht seinen Nachweis: --token, CONTROLLING_TOKEN, "
                   "CONTROLLING_PASSWORD oder die Passwortabfrage im Terminal.")
@click.option("--token", envvar="CONTROLLING_TOKEN", default=None, metavar="TOKEN",
              help="Token der handelnden Person ('controlling user token create'; Umgebung: "
                   "CONTROLLING_TOKEN). Ohne --user handelt die Person, der das Token gehört.")
@click.version_option(package_name="controlling", message="controlling %(version)s")
@click.pass_context
def cli(ctx, db, login, token):
    """Controlling der Handlungsempfehlungen der strategischen Sozialplanung.

    Verfolgt Empfehlungen vom Vorschlag bis zur Umsetzung, mit Verlauf, Belegen und
    Quartalsberichten für die Ausschüsse.

    \b
    Beispiel:
      controlling init --demo
      controlling recommendation list --status approved
      controlling --user bl-3-1 recommendation approve 7
    """
    if login is None and os.environ.get("CONTROLLING_USER") == "":
        login = ""  # click skips an empty variable: refused, never replaced by the OS login
    app = AppContext(db_url=db, claimed_login=login, token=token or None,
                     password=os.environ.get("CONTROLLING_PASSWORD") or None)
    ctx.obj = app
    ctx.call_on_close(app.dispose)


for command in (init, user, department, district, recommendation, progress, import_):
    cli.add_command(command)

# Further command modules: each has `register(cli)` that adds its commands.
EXTENSIONS = (
    "controlling.commands.report",      # report quarterly, status
    "controlling.commands.exchange",    # export ..., import updates/all, backup
    "controlling.commands.event",       # event
    "controlling.commands.suggestion",  # suggestion
    "controlling.commands.measure",     # measure
    "controlling.commands.trace",       # trace
    "controlling.commands.editions",    # edition, recommendation supersede
    "controlling.commands.awareness",   # awareness
    "controlling.commands.institutions",  # institution, export geojson
    "controlling.commands.accounts",    # user password|token|deactivate|change|sign-ins
    "controlling.commands.serve",       # serve (the web application and its API)
    "controlling.commands.verify",      # verify, db roles
    "controlling.commands.sozialindex",  # quarter, index, import quarters
    "controlling.commands.finding",     # indicator list, inbox
    "controlling.commands.rounds",      # round start|status|remind, mail
    "controlling.commands.targets",     # recommendation target|milestone|dates|due (14)
)

for _name in EXTENSIONS:
    importlib.import_module(_name).register(cli)

german.germanise_usage(cli)  # "[OPTIONEN]" in every usage line, the extensions' too


def main() -> None:
    cli(prog_name="controlling")


if __name__ == "__main__":
    main()
