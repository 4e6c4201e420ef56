"""The quarterly update round by e-mail: `round start|status|remind` and the mail
log `mail list|send-queued`. Mail settings come from the environment (docs/mail.md)."""

import click

from controlling.commands.context import pass_app
from controlling.commands.output import emit_json, emit_table, format_option, iso_to_german

ENVIRONMENT = ("Mailserver aus der Umgebung: CONTROLLING_SMTP_HOST, CONTROLLING_SMTP_PORT, "
               "CONTROLLING_SMTP_USER, CONTROLLING_SMTP_PASSWORD, CONTROLLING_SMTP_SECURITY "
               "(starttls, tls, none), CONTROLLING_SMTP_FROM; Links: CONTROLLING_BASE_URL "
               "(docs/mail.md).")
KIND_LABELS = {"request": "Abfrage", "due_soon": "Erinnerung", "overdue": "überfällig",
               "escalation": "Zusammenfassung"}


def _settings(app):
    from controlling.services.mail import settings

    return app.call(settings)


def _sent(count: int) -> str:
    from controlling.domain.formatting import counted

    return counted(count, "Nachricht", "Nachrichten")


def _show_messages(messages, dry_run: bool) -> None:
    title = "Würde senden (--dry-run: nichts gesendet, nichts gespeichert)" if dry_run \
        else "Nachrichten"
    emit_table(title, ["Art", "An", "Betreff", "Anhang"],
               [[KIND_LABELS.get(m["kind"], m["kind"]), ", ".join(m["to"]), m["subject"],
                 m["attachment"] or ""] for m in messages], "Keine Nachricht fällig.")


@click.group("round")
def round_():
    """Die Sachstandsabfrage eines Quartals per E-Mail: starten, verfolgen, erinnern.

    Beispiel: controlling round start --quarter 2024-Q1 --due 2024-04-15
    """


@round_.command("start")
@click.option("--quarter", required=True, metavar="JJJJ-QN", help="Quartal der Sachstände.")
@click.option("--due", required=True, metavar="JJJJ-MM-TT", help="Fällig bis (Datum).")
@click.option("--dry-run", is_flag=True,
              help="Nur zeigen, was gesendet würde: nichts senden, nichts speichern.")
@format_option("text", "json", default="text")
@pass_app
def round_start(app, quarter, due, dry_run, output_format):
    """Die Sachstandsrunde eines Quartals starten (Sozialplanung, Admins): je Bereich mit
    freigegebenen Empfehlungen eine E-Mail an die Bereichsleitung(en) mit den Empfehlungen,
    dem Link zur Seite 'Sachstand' im Browser und dem Excel-Bogen im Anhang. Jede Nachricht
    wird vor dem Versand im Postausgang gespeichert; was nicht zugestellt werden kann, bleibt
    dort (erneut: controlling mail send-queued).

    \b
    Mailserver: siehe 'controlling mail --help'.
    JSON: {quarter, due_on, dry_run, requests: [{department, heads, to, numbers,
    message_id}], messages: [{kind, to, subject, text, attachment}], without_recipient, sent}.

    Beispiel: controlling round start --quarter 2024-Q1 --due 2024-04-15 --dry-run
    """
    from controlling.services.rounds import start_round

    config = _settings(app)
    result = app.run(start_round, quarter=quarter, due=due, dry_run=dry_run, config=config)
    if output_format == "json":
        return emit_json(result)
    _show_messages(result["messages"], dry_run)
    for code in result["without_recipient"]:
        click.echo(f"Hinweis: Bereich {code} hat keine Bereichsleitung mit E-Mail-Adresse "
                   "(controlling user change LOGIN --email ...): nicht angeschrieben.",
                   err=True)
    if not dry_run:
        click.echo(f"Sachstandsrunde {result['quarter']} gestartet, fällig am "
                   f"{iso_to_german(result['due_on'])}: {_sent(result['sent'])} gesendet.")


@round_.command("status")
@click.option("--quarter", metavar="JJJJ-QN", help="Quartal (Standard: die jüngste Runde).")
@format_option("table", "json")
@pass_app
def round_status(app, quarter, output_format):
    """Stand einer Sachstandsrunde (Sozialplanung, Admins): je Bereich angefragt,
    beantwortet (ein Sachstand für das Quartal liegt vor), offen, überfällig, und die
    versandten Nachrichten.

    JSON: {quarter, due_on, started_by, started_at, as_of, overdue, totals: {asked,
    answered, open}, departments: [{department, heads, request, sent_at, asked, answered,
    open, overdue, recommendations: [{number, title, answered, overdue}], messages}],
    escalations}.

    Beispiel: controlling round status --quarter 2024-Q1 --format json
    """
    from controlling.services.rounds import round_state

    state = app.run(round_state, quarter=quarter)
    if output_format == "json":
        return emit_json(state)
    requests = {"sent": "gesendet", "queued": "in der Warteschlange",
                "no_recipient": "ohne Empfänger"}
    emit_table(f"Sachstandsrunde {state['quarter']}, fällig am {iso_to_german(state['due_on'])}",
               ["Bereich", "Bereichsleitung", "Abfrage", "beantwortet", "offen", "überfällig"],
               [[d["department"], ", ".join(d["heads"]), requests[d["request"]],
                 f"{d['answered']} von {d['asked']}",
                 ", ".join(str(n) for n in d["open"]), "ja" if d["overdue"] else "nein"]
                for d in state["departments"]], "Keine Anfragen.")
    totals = state["totals"]
    click.echo(f"Beantwortet: {totals['answered']} von {totals['asked']}, offen: "
               f"{totals['open']}.")


@round_.command("remind")
@click.option("--dry-run", is_flag=True,
              help="Nur zeigen, was gesendet würde: nichts senden, nichts speichern.")
@format_option("text", "json", default="text")
@pass_app
def round_remind(app, dry_run, output_format):
    """Erinnern und eskalieren, für einen täglichen Timer (Sozialplanung, Admins); beliebig
    oft aufrufbar, keine Erinnerung geht zweimal hinaus.

    \b
    - vor dem Fälligkeitsdatum (CONTROLLING_REMIND_DAYS Tage, Standard 3) eine Erinnerung
      an die Bereichsleitungen mit offenen Sachständen;
    - nach dem Fälligkeitsdatum eine Erinnerung als überfällig, danach alle 7 Tage;
    - CONTROLLING_ESCALATION_DAYS Tage (Standard 7) nach dem Fälligkeitsdatum eine
      Zusammenfassung an die Sozialplanung (Benutzer mit Rolle planner und E-Mail) und an
      CONTROLLING_ESCALATION_TO (Adressen mit Komma getrennt, z. B. das Dezernat);
    - danach alles, was noch im Postausgang wartet, erneut senden.

    Beispiel: controlling round remind --dry-run
    """
    from controlling.services.rounds import remind

    config = _settings(app)
    result = app.run(remind, dry_run=dry_run, config=config)
    if output_format == "json":
        return emit_json(result)
    _show_messages(result["messages"], dry_run)
    if not dry_run:
        click.echo(f"{_sent(result['sent'])} gesendet.")


@click.group("mail")
def mail():
    """Postausgang und Versandprotokoll der E-Mails (Sozialplanung, Admins).

    \b
    Einstellungen (Umgebung, nie im Repository):
      CONTROLLING_SMTP_HOST, CONTROLLING_SMTP_PORT (Standard 587, bei tls 465),
      CONTROLLING_SMTP_USER, CONTROLLING_SMTP_PASSWORD,
      CONTROLLING_SMTP_SECURITY starttls (Standard), tls oder none,
      CONTROLLING_SMTP_CA_FILE (eigene Zertifizierungsstelle des Mailservers),
      CONTROLLING_SMTP_FROM (Absender), CONTROLLING_BASE_URL (für Links),
      CONTROLLING_ESCALATION_TO, CONTROLLING_ESCALATION_DAYS, CONTROLLING_REMIND_DAYS.

    Beispiel: controlling mail list
    """


@mail.command("send-queued")
@pass_app
def mail_send_queued(app):
    """Alles erneut senden, was noch im Postausgang wartet.

    Beispiel: controlling mail send-queued
    """
    from controlling.services.mail import send_queued

    config = _settings(app)
    result = app.run(send_queued, config=config)
    click.echo(f"{_sent(result['sent'])} gesendet, keine wartet mehr.")


@mail.command("list")
@format_option("table", "json")
@pass_app
def mail_list(app, output_format):
    """Das Versandprotokoll: jede Nachricht mit Empfängern, Betreff, Versuchen, letztem Fehler
    und Versandzeit (neueste zuerst).

    JSON: Liste von {id, kind, to, subject, created_at, attempts, sent_at, last_error,
    attachment}.

    Beispiel: controlling mail list --format json
    """
    from controlling.services.mail import queued_messages

    rows = app.run(queued_messages)
    if output_format == "json":
        return emit_json(rows)
    emit_table("Versandprotokoll", ["Nr.", "Art", "An", "Betreff", "erstellt (UTC)",
                                    "Versuche", "gesendet (UTC)", "letzter Fehler"],
               [[r["id"], KIND_LABELS.get(r["kind"], r["kind"]), ", ".join(r["to"]),
                 r["subject"], r["created_at"][:16].replace("T", " "), r["attempts"],
                 (r["sent_at"] or "")[:16].replace("T", " "), r["last_error"] or ""]
                for r in rows], "Keine Nachrichten.")


def register(cli) -> None:
    cli.add_command(round_)
    cli.add_command(mail)
