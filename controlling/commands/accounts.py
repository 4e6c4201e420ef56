"""Identity on the command line: passwords, tokens, deactivation, role changes, sign-in log
(the `user` group's further commands; CLI.md, "Identity")."""

import sys

import click

from controlling.commands.context import pass_app
from controlling.commands.german import CliError
from controlling.commands.output import (
    emit_json,
    emit_table,
    format_option,
    iso_to_german,
    role_label,
    write_format_option,
)


def _lines(count: int) -> list[str]:
    lines = [line.rstrip("\r\n") for line in click.get_text_stream("stdin").readlines()]
    lines = [line for line in lines if line != ""]
    if len(lines) < count:
        raise CliError(f"--password-stdin erwartet {count} Zeile(n) auf der Standardeingabe, "
                       f"bekommen: {len(lines)}.")
    return lines


def _ask(text: str, confirm: bool = False) -> str:
    if not sys.stdin.isatty():
        raise CliError("Kein Terminal für die Passwortabfrage: bitte --password-stdin "
                       "verwenden.")
    return click.prompt(text, hide_input=True, err=True,
                        confirmation_prompt="Noch einmal" if confirm else False)


@click.command("password")
@click.argument("login")
@click.option("--password-stdin", is_flag=True,
              help="Passwörter von der Standardeingabe lesen: eine Zeile (Admin setzt ein "
                   "Initialpasswort) oder zwei (eigenes: bisheriges, neues).")
@pass_app
def password(app, login, password_stdin):
    """Ein Passwort setzen.

    Ein Admin, der das Passwort eines anderen setzt, vergibt ein Initialpasswort: damit kann
    dessen Inhaber nur ein eigenes wählen (hier oder bei der ersten Anmeldung im Browser);
    Sitzungen und Tokens des Benutzers enden. Wer sein eigenes Passwort setzt, gibt das
    bisherige (Initial- oder eigenes) und das neue an.

    \b
    Beispiele:
      controlling user password bl31                        (Admin: Initialpasswort)
      controlling --user bl31 user password bl31            (eigenes wählen)
      printf "%s\\n%s\\n" "$ALT" "$NEU" | controlling --user bl31 \
        user password bl31 --password-stdin
    """
    from controlling.domain.identity import login_key
    from controlling.services.accounts import has_password, set_password

    requested = app.requested_login
    own = requested is not None and login_key(requested) == login_key(login)
    if own and app.call(has_password, app.uow(), login):
        # the current password is the proof: an initial one serves for exactly this
        if password_stdin:
            current, new = _lines(2)[:2]
        else:
            current = _ask(f"Bisheriges Passwort für '{login}'")
            new = _ask("Neues Passwort", confirm=True)
        result = app.call(set_password, app.uow(), app.call(_canonical, app, login), login,
                          new=new, current=current)
    else:
        acting = app.login  # proof: operating-system login, token or password
        if password_stdin:
            new = _lines(1)[-1]
        else:
            new = _ask("Neues Initialpasswort" if not own else "Neues Passwort", confirm=True)
        result = app.call(set_password, app.uow(), acting, login, new=new)
    if result["initial"]:
        click.echo(f"Initialpasswort für '{result['login']}' gesetzt; bei der ersten Anmeldung "
                   "wählt der Benutzer ein eigenes. Seine Sitzungen und Tokens sind beendet.")
    else:
        click.echo(f"Eigenes Passwort für '{result['login']}' gesetzt.")


def _canonical(app, login: str) -> str:
    from controlling.services.identity import find_user

    with app.uow() as uow:
        user = find_user(uow.session, login)
        if user is None:
            from controlling.domain.errors import NotFound

            raise NotFound(f"Unbekannter Benutzer '{login}'.")
        from controlling.services.identity import check_active

        check_active(user)
        return user.login


@click.group("token")
def token():
    """API-Tokens der handelnden Person (für Skripte und die Web-API).

    Beispiel: controlling user token create --name skript --expires 2027-03-31
    """


@token.command("create")
@click.option("--name", help="Wofür das Token ist (z. B. 'Quartalsskript').")
@click.option("--expires", metavar="JJJJ-MM-TT",
              help="Letzter Gültigkeitstag (Standard: in 90 Tagen; höchstens ein Jahr).")
@format_option("table", "json")
@pass_app
def token_create(app, name, expires, output_format):
    """Ein Token anlegen; es wird nur jetzt angezeigt (allein auf einer Zeile) und nur als
    Hash gespeichert.

    Beispiel: export CONTROLLING_TOKEN=$(controlling user token create --name skript)
    """
    from controlling.domain.dates import parse_date
    from controlling.services.accounts import create_token

    day = app.call(parse_date, expires, "Ablaufdatum")
    result = app.run(create_token, name=name, expires_on=day)
    if output_format == "json":
        return emit_json({"id": result["id"], "token": result["token"],
                          "expires_on": result["expires_on"]})
    click.echo(f"Token {result['id']} '{result['name']}' angelegt, gültig bis "
               f"{iso_to_german(result['expires_on'])}; es wird nur jetzt angezeigt:", err=True)
    click.echo(result["token"])


STATES = {"active": "gültig", "expired": "abgelaufen", "revoked": "widerrufen"}


@token.command("list")
@format_option("table", "json")
@pass_app
def token_list(app, output_format):
    """Die eigenen Tokens (ohne ihr Geheimnis).

    Beispiel: controlling user token list
    """
    from controlling.services.accounts import list_tokens

    rows = app.run(list_tokens)
    if output_format == "json":
        return emit_json(rows)
    emit_table("Tokens", ["ID", "Name", "angelegt", "gültig bis", "Zustand"],
               [[str(t["id"]), t["name"], iso_to_german(t["created_at"][:10]),
                 iso_to_german(t["expires_on"]), STATES[t["state"]]] for t in rows],
               "Keine Tokens.")


@token.command("revoke")
@click.argument("token_id", metavar="ID", type=int)
@write_format_option
@pass_app
def token_revoke(app, token_id, output_format):
    """Ein eigenes Token widerrufen.

    Beispiel: controlling user token revoke 3
    """
    from controlling.services.accounts import revoke_token

    result = app.run(revoke_token, token_id)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Token {result['id']} '{result['name']}' widerrufen.")


@click.command("deactivate")
@click.argument("login")
@write_format_option
@pass_app
def deactivate(app, login, output_format):
    """Einen Benutzer deaktivieren (Admins): er kann nicht mehr handeln; der Verlauf behält
    seinen Namen; seine Sitzungen und Tokens enden.

    Beispiel: controlling user deactivate bl31
    """
    from controlling.services.accounts import deactivate_user

    result = app.run(deactivate_user, login)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Benutzer '{result['login']}' deaktiviert; Sitzungen und Tokens beendet.")


@click.command("pseudonymise")
@click.argument("login")
@click.option("--yes", "confirmed", is_flag=True,
              help="Bestätigen: Login und Name werden unwiderruflich ersetzt.")
@write_format_option
@pass_app
def pseudonymise(app, login, confirmed, output_format):
    """Eine ausgeschiedene Person pseudonymisieren (Admins; DSGVO): Login und Name werden zu
    'ehemalig-ID' und 'Ehemalige Person ID', E-Mail-Adresse und Passwort werden gelöscht, das
    Konto deaktiviert. Der Verlauf bleibt vollständig, unter dem Pseudonym. Nicht umkehrbar.

    Beispiel: controlling user pseudonymise m.muster --yes
    """
    from controlling.services.accounts import pseudonymise_user

    result = app.run(pseudonymise_user, login, confirmed=confirmed)
    if output_format == "json":
        return emit_json(result)
    click.echo(f"Benutzer '{login}' pseudonymisiert: jetzt '{result['login']}' "
               f"({result['name']}), deaktiviert; der Verlauf bleibt unter dem Pseudonym.")


@click.command("change")
@click.argument("login")
@click.option("--role", metavar="ROLLE", help="Neue Rolle: planner, department_head, committee "
              "oder admin.")
@click.option("--department", help="Bereichscode, für department_head.")
@click.option("--name", help="Neuer vollständiger Name.")
@click.option("--email", metavar="ADRESSE",
              help="E-Mail-Adresse (für Sachstandsabfragen); leer ('') entfernt sie.")
@write_format_option
@pass_app
def change(app, login, role, department, name, email, output_format):
    """Rolle, Bereich oder Namen eines Benutzers ändern (Admins; wird protokolliert).

    Beispiel: controlling user change bl31 --role department_head --department 3-2
    """
    from controlling.services.accounts import change_user

    result = app.run(change_user, login, role=role, department=department, name=name,
                     email=email)
    if output_format == "json":
        return emit_json(result)
    dept = f", Bereich {result['department']}" if result["department"] else ""
    click.echo(f"Benutzer '{result['login']}': {role_label(result['role'])}{dept}.")


@click.command("sign-ins")
@click.option("--limit", type=int, default=50, show_default=True, help="Wie viele Einträge.")
@format_option("table", "json")
@pass_app
def sign_ins(app, limit, output_format):
    """Das Anmeldeprotokoll (Admins): Anmeldungen, Fehlversuche, abgelehnte Anfragen.

    Beispiel: controlling user sign-ins --limit 20
    """
    from controlling.services.accounts import sign_in_log

    rows = app.run(sign_in_log, limit=limit)
    if output_format == "json":
        return emit_json(rows)
    emit_table("Anmeldeprotokoll", ["Zeit (UTC)", "Login", "Weg", "Ergebnis", "Adresse",
                                    "Hinweis"],
               [[r["recorded_at"][:19].replace("T", " "), r["login"], r["channel"],
                 r["outcome"], r["address"] or "", r["detail"] or ""] for r in rows],
               "Keine Einträge.")


def register(cli) -> None:
    group = cli.commands["user"]
    for command in (password, token, deactivate, pseudonymise, change, sign_ins):
        group.add_command(command)
