"""Set-up and reference data: init, user, department, district."""

import sys

import click

from controlling.commands.context import pass_app
from controlling.commands.output import (
    emit_json,
    emit_table,
    format_option,
    role_label,
    write_format_option,
)


@click.command()
@click.option("--demo", is_flag=True, help="Einen vollständigen Beispieldatensatz laden "
              "(als Beispiel gekennzeichnet).")
@click.option("--password-stdin", is_flag=True,
              help="Das Passwort des neuen Admins als eine Zeile von der Standardeingabe lesen "
                   "(nur auf einer leeren Datenbank, wenn --user nicht der Login des "
                   "Betriebssystems ist).")
@pass_app
def init(app, demo, password_stdin):
    """Datenbank anlegen oder auf den neuesten Stand bringen und Stammdaten laden.

    Legt die sechs Sozialräume und 'stadtweit', die Themen und Bereiche an. Gibt es noch
    keinen Benutzer, wird die handelnde Person Admin (ist das nicht der Login des
    Betriebssystems, wird nach ihrem Passwort gefragt). Zweimal ausführen schadet nicht.

    Beispiel: controlling init --demo
    """
    from controlling.data.unit_of_work import UnitOfWork
    from controlling.services.setup import initialise

    engine = app.engine(create=True)  # the one command (with 'import all') that creates it
    login, password = _init_identity(app, engine, password_stdin)
    result = app.call(initialise, engine, lambda: UnitOfWork(engine), login, demo, password)
    if result["revision_before"] is None:
        click.echo(f"Datenbank eingerichtet (Schema-Stand {result['revision']}).")
    elif result["revision_before"] != result["revision"]:
        click.echo(f"Datenbank aktualisiert (Schema-Stand {result['revision_before']} → "
                   f"{result['revision']}).")
    else:
        click.echo(f"Datenbank ist aktuell (Schema-Stand {result['revision']}).")
    if result["admin_created"]:
        click.echo(f"Benutzer '{result['admin_created']}' als Admin angelegt.")
    if result["reference_added"]:
        click.echo(f"{result['reference_added']} Stammdaten-Einträge ergänzt.")
    if result["demo"] is not None:
        if result["demo"]["added"]:
            click.echo(f"Beispieldaten geladen: {result['demo']['added']} Empfehlungen "
                       "(als [Beispiel] gekennzeichnet).")
        process = result["demo"].get("process") or {}
        if process.get("suggestions"):
            click.echo(f"Beispiel-Prozess geladen: die zwölf Expert*innendialoge, "
                       f"{process['measures']} Maßnahmensteckbriefe, {process['suggestions']} "
                       "Hinweise mit Triage, Bekanntheitsumfragen und "
                       f"{process['institutions']} Einrichtungen.")
        else:
            click.echo(result["demo"]["note"])


IDENTITY_REVISION = "0004"  # the first schema that knows passwords and tokens


def _init_identity(app, engine, password_stdin: bool) -> tuple[str, str | None]:
    """Who runs init, and the new admin's password. An empty database has nobody to prove
    against: the acting login becomes admin (with a password of its own unless it is the
    operating system's login). A database with users needs a proven admin; one older than
    passwords can only be upgraded by its operating-system login."""
    from controlling.commands.german import CliError
    from controlling.data.database import current_revision, has_users
    from controlling.domain.identity import check_new_login

    before = app.call(current_revision, engine)
    if before is not None and app.call(has_users, engine) is False:
        before = None  # the schema without its first admin (an init killed in between)
    if before is not None and before >= IDENTITY_REVISION:
        return app.login, None
    requested = app.requested_login
    if requested is None:
        raise CliError("Auf dieser Datenbank gibt es noch keine Tokens: bitte --user LOGIN "
                       "angeben.")
    is_os = (app.os_login or "").lower() == requested.strip().lower()
    if before is not None:
        if not is_os:
            raise CliError(
                "Die Datenbank hat einen älteren Stand ohne Passwörter: 'init' muss als Login "
                f"des Betriebssystems ({app.os_login}) laufen, der dort Admin ist.")
        return requested.strip(), None
    login = app.call(check_new_login, requested)
    if is_os and not password_stdin:
        return login, None
    if password_stdin:
        password = click.get_text_stream("stdin").readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = click.prompt(f"Eigenes Passwort für den neuen Admin '{login}'",
                                hide_input=True, confirmation_prompt="Noch einmal", err=True)
    else:
        raise CliError(
            f"'{login}' ist nicht der Login des Betriebssystems: bitte das Passwort des neuen "
            "Admins angeben (init --password-stdin oder im Terminal).")
    from controlling.domain.identity import check_new_password

    return login, app.call(check_new_password, password, login=login)


@click.group()
def user():
    """Benutzer verwalten (anlegen: nur Admins).

    Beispiel: controlling user add pschmidt --name "P. Schmidt" --role planner
    """


@user.command("add")
@click.argument("login")
@click.option("--name", required=True, help="Vollständiger Name.")
@click.option("--role", required=True, metavar="ROLLE",
              help="Rolle: planner, department_head (mit --department), committee oder admin.")
@click.option("--department", help="Bereichscode, nur für department_head (z. B. 3-2).")
@click.option("--email", metavar="ADRESSE",
              help="E-Mail-Adresse (für Sachstandsabfragen und Erinnerungen).")
@write_format_option
@pass_app
def user_add(app, login, name, role, department, email, output_format):
    """Einen Benutzer anlegen.

    Beispiel: controlling user add mmuster --name "Maria Muster" --role department_head
    --department 3-1
    """
    from controlling.services.setup import add_user

    result = app.run(add_user, new_login=login, name=name, role=role, department=department,
                     email=email)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Benutzer '{result['login']}' ({role_label(result['role'])}) angelegt.")


@user.command("list")
@format_option("table", "json")
@pass_app
def user_list(app, output_format):
    """Alle Benutzer anzeigen.

    Beispiel: controlling user list --format json
    """
    from controlling.services.setup import list_users

    users = app.run(list_users)
    if output_format == "json":
        return emit_json(users)
    emit_table("Benutzer", ["Login", "Name", "Rolle", "Bereich"],
               [[u["login"], u["name"], role_label(u["role"]), u["department"] or ""]
                for u in users],
               "Keine Benutzer.")


@click.group()
def department():
    """Bereiche (Fachbereiche, Ämter, externe Partner) anzeigen und ergänzen.

    Beispiel: controlling department list
    """


@department.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--external", is_flag=True, help="Externer Partner (nicht Teil der Verwaltung).")
@write_format_option
@pass_app
def department_add(app, code, name, external, output_format):
    """Einen Bereich ergänzen (nur Admins).

    Beispiel: controlling department add 5-1 "Bereich 5-1 Wohnen"
    """
    from controlling.services.setup import add_department

    result = app.run(add_department, code=code, name=name, external=external)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Bereich {result['code']} ({result['name']}) angelegt.")


@department.command("list")
@format_option("table", "json")
@pass_app
def department_list(app, output_format):
    """Alle Bereiche anzeigen.

    Beispiel: controlling department list
    """
    from controlling.services.setup import list_departments

    rows = app.run(list_departments)
    if output_format == "json":
        return emit_json(rows)
    emit_table("Bereiche", ["Code", "Name", "extern"],
               [[d["code"], d["name"], "ja" if d["external"] else ""] for d in rows],
               "Keine Bereiche.")


@click.group()
def district():
    """Sozialräume anzeigen und ergänzen.

    Beispiel: controlling district list
    """


@district.command("add")
@click.argument("name")
@write_format_option
@pass_app
def district_add(app, name, output_format):
    """Einen Sozialraum ergänzen (nur Admins; jede Stadt bringt ihre eigenen mit).

    Beispiel: controlling district add "Altstadt Grossbasel"
    """
    from controlling.services.setup import add_district

    result = app.run(add_district, name=name)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Sozialraum '{result['name']}' angelegt.")


@district.command("list")
@format_option("table", "json")
@pass_app
def district_list(app, output_format):
    """Alle Sozialräume anzeigen ('stadtweit' ist der Vergleichswert der ganzen Stadt).

    Beispiel: controlling district list --format json
    """
    from controlling.services.setup import list_districts

    rows = app.run(list_districts)
    if output_format == "json":
        return emit_json(rows)
    emit_table("Sozialräume", ["Name", "stadtweit"],
               [[d["name"], "ja" if d["citywide"] else ""] for d in rows], "Keine Sozialräume.")
