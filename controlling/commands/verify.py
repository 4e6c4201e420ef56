"""`controlling verify` (is the history as it was written?) and `controlling db roles` (the
PostgreSQL grants for an application role that cannot rewrite it),
docs/integrity.md."""

import click

from controlling.commands.context import pass_app
from controlling.commands.german import CliError
from controlling.commands.output import emit_json, format_option


def _count(number: int, one: str, other: str) -> str:
    return f"{number} {one if number == 1 else other}"


@click.command("verify")
@format_option("text", "json", default="text")
@click.option("--anchor", "anchors", multiple=True, metavar="EINTRAG:SHA256",
              help="Ein früher festgehaltener Stand der Kette (aus der Ausgabe von 'verify'); "
                   "die Kette muss bis dahin unverändert sein. Mehrfach möglich.")
@pass_app
def verify(app, output_format, anchors):
    """Prüfen, dass niemand den Verlauf verändert hat (Sozialplanung und Admins).

    Geprüft werden die Kette über den Verlauf (jede Zeile mit ihrem SHA-256, jeder Eintrag
    mit dem davor), Status und Version jeder Empfehlung gegen ihren Verlauf, wer welchen
    Schritt gehen durfte, die Rollen gegen die Kontoereignisse und die veröffentlichten
    Berichte gegen ihre gespeicherten SHA-256. Bei einer Unstimmigkeit: Exit-Code 1, die
    erste Zeile, die nicht passt, zuerst.

    \b
    Beispiele:
      controlling verify
      controlling verify --anchor 120:3f5c...e9 --format json
    """
    from controlling.domain.integrity import parse_anchor
    from controlling.services.verify import verify_database

    parsed = dict(app.call(parse_anchor, anchor) for anchor in anchors)
    login = app.login
    result = app.call(verify_database, app.engine(), app.uow(), login, parsed)
    problems = result["problems"]
    if output_format == "json":
        emit_json(result)
    if problems:
        from controlling.services.verify import listed

        lines = listed([p["message"] for p in problems])
        found = _count(len(problems), "Unstimmigkeit", "Unstimmigkeiten")
        header = f"Prüfung fehlgeschlagen ({found}); zuerst: {lines[0]}"
        raise CliError("\n".join([header, *(f"  {line}" for line in lines[1:])]))
    if output_format == "json":
        return
    chain, counts = result["chain"], result["counts"]
    click.echo("Prüfung bestanden: der Verlauf ist so, wie er geschrieben wurde.")
    click.echo(f"Kette: {_count(chain['entries'], 'Eintrag', 'Einträge')} lückenlos, jeder "
               "passt zu seiner Zeile.")
    click.echo(f"Empfehlungen: {counts['recommendations']} stimmen mit ihrem Verlauf überein "
               f"({counts['status_changes']} Statuswechsel, {counts['progress_updates']} "
               "Sachstände).")
    click.echo(f"Benutzer: {counts['users']}; veröffentlichte Berichte: "
               f"{counts['published_reports']} unverändert.")
    click.echo(f"Zum Festhalten (später 'controlling verify --anchor ...'): "
               f"{chain['head_seq']}:{chain['head_sha256']}")


@click.group("db")
def db():
    """Die Datenbank selbst betreffend (PostgreSQL-Rollen).

    Beispiel: controlling db roles --app-role controlling_app
    """


@db.command("roles")
@click.option("--app-role", required=True, metavar="NAME",
              help="Rolle des täglichen Betriebs (ohne UPDATE/DELETE auf dem Verlauf).")
@click.option("--owner-role", default="controlling_owner", show_default=True, metavar="NAME",
              help="Rolle, der das Schema gehört und die 'init' ausführt.")
def roles(app_role, owner_role):
    """Die GRANT-Anweisungen für PostgreSQL ausgeben (als SQL-Skript).

    Die Rolle des Schemas führt 'init' aus (Migrationen); die Anwendungsrolle darf lesen und
    schreiben, den Verlauf aber nur ergänzen, und nichts am Schema ändern. Nach jedem
    'init', das migriert hat, erneut ausführen. Verbindet sich mit keiner Datenbank.

    Beispiel: controlling db roles --app-role controlling_app | psql -U controlling_owner
    controlling
    """
    from controlling.data.roles import grant_script
    from controlling.domain.errors import DomainError

    try:
        click.echo(grant_script(app_role, owner_role), nl=False)
    except DomainError as error:
        raise CliError(str(error)) from None


def register(cli) -> None:
    cli.add_command(verify)
    cli.add_command(db)
