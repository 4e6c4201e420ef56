"""Mail: the settings (environment or a file, no secrets in the repository), the outbox and its
delivery over SMTP (standard library smtplib, STARTTLS or TLS, authentication).

Every message is a row of `mail_messages` before it is sent (the outbox is the mail log: to
whom, what, when, attempts, the last error, when delivered). Delivery takes the queued rows,
sends each as multipart plain text + HTML (with its attachment), and records the result in a
transaction of its own per message, so a refusal half-way keeps what went out and what did not.
A message that could not be delivered stays queued; the next `mail send-queued` or `round
remind` tries again.
"""

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from controlling.domain.errors import DomainError, InvalidInput
from controlling.domain.formatting import plural

SECURITY = ("starttls", "tls", "none")
TIMEOUT_SECONDS = 30
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class MailFailed(DomainError):
    """A delivery failed; the messages stay queued with the error recorded."""


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    security: str = "starttls"
    sender: str = "controlling@localhost"
    base_url: str = "http://127.0.0.1:8000"
    escalation_to: tuple[str, ...] = ()
    escalation_days: int = 7
    remind_days: int = 3
    measure_days: int = 90
    ca_file: str | None = None  # a CA of the city's own for the server's certificate

    @classmethod
    def from_env(cls, env=None) -> "MailSettings":
        env = os.environ if env is None else env
        security = (env.get("CONTROLLING_SMTP_SECURITY") or "starttls").strip().lower()
        if security not in SECURITY:
            raise InvalidInput(f"CONTROLLING_SMTP_SECURITY '{security}' ist ungültig: erwartet "
                               "starttls, tls oder none.")
        default_port = {"starttls": 587, "tls": 465, "none": 25}[security]
        return cls(
            host=(env.get("CONTROLLING_SMTP_HOST") or "").strip() or None,
            port=_number(env, "CONTROLLING_SMTP_PORT", default_port),
            user=(env.get("CONTROLLING_SMTP_USER") or "").strip() or None,
            password=env.get("CONTROLLING_SMTP_PASSWORD") or None,
            security=security,
            sender=(env.get("CONTROLLING_SMTP_FROM") or "controlling@localhost").strip(),
            base_url=(env.get("CONTROLLING_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            escalation_to=tuple(a.strip() for a in (env.get("CONTROLLING_ESCALATION_TO") or "")
                                .split(",") if a.strip()),
            escalation_days=_number(env, "CONTROLLING_ESCALATION_DAYS", 7),
            remind_days=_number(env, "CONTROLLING_REMIND_DAYS", 3),
            measure_days=_number(env, "CONTROLLING_MEASURE_DAYS", 90),
            ca_file=_ca_file(env),
        )


def _ca_file(env) -> str | None:
    path = (env.get("CONTROLLING_SMTP_CA_FILE") or "").strip()
    if path and not os.path.isfile(path):
        raise InvalidInput(f"CONTROLLING_SMTP_CA_FILE: die Datei {path} gibt es nicht.")
    return path or None


def _number(env, name: str, default: int) -> int:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise InvalidInput(f"{name} '{text}' ist keine ganze Zahl.")
    return int(text)


def settings() -> MailSettings:
    """From the environment over the file of CONTROLLING_MAIL_CONFIG (services/mail_config)."""
    from controlling.services.mail_config import merged_environment

    return MailSettings.from_env(merged_environment())


def check_address(address: str) -> str:
    """A plausible e-mail address (one '@', a dot in the domain, no spaces or commas)."""
    value = (address or "").strip()
    local, at, domain = value.partition("@")
    if (not at or not local or "." not in domain or domain.startswith(".")
            or any(c in value for c in " ,;<>\"\n\r\t") or "@" in domain or len(value) > 254):
        raise InvalidInput(f"Ungültige E-Mail-Adresse '{value}': erwartet z. B. "
                           "vorname.name@oberhausen.de.")
    return value


def build(config: MailSettings, row) -> EmailMessage:
    """The message of an outbox row: plain text and HTML alternatives, attachment if any."""
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = row.to_addresses
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="controlling")
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    if row.attachment:
        message.add_attachment(row.attachment, maintype=XLSX[0], subtype=XLSX[1],
                               filename=row.attachment_name)
    return message


def _tls(config: MailSettings) -> ssl.SSLContext:
    """Certificates checked against the system's CAs, or the one of CONTROLLING_SMTP_CA_FILE."""
    return ssl.create_default_context(cafile=config.ca_file)


def _connect(config: MailSettings):
    if not config.host:
        raise MailFailed("Kein Mailserver eingestellt (CONTROLLING_SMTP_HOST); die Nachrichten "
                         "bleiben in der Warteschlange.")
    if config.security == "tls":
        server = smtplib.SMTP_SSL(config.host, config.port, timeout=TIMEOUT_SECONDS,
                                  context=_tls(config))
    else:
        server = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT_SECONDS)
        if config.security == "starttls":
            server.starttls(context=_tls(config))
    if config.user:
        server.login(config.user, config.password or "")
    return server


def german_reason(error: Exception, config: MailSettings) -> str:
    """One German line for what went wrong while sending."""
    where = f"{config.host}:{config.port}"
    if isinstance(error, MailFailed):
        return str(error)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"Der Mailserver {where} lehnt die Anmeldung ab ({_smtp_text(error)})"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(f"{a} ({_smtp_text(e)})" for a, e in error.recipients.items())
        return f"Der Mailserver {where} lehnt die Empfänger ab: {refused}"
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError
                  | smtplib.SMTPResponseException):
        return f"Der Mailserver {where} lehnt die Nachricht ab ({_smtp_text(error)})"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return f"Der Mailserver {where} kann kein STARTTLS (CONTROLLING_SMTP_SECURITY prüfen)"
    if isinstance(error, smtplib.SMTPException):
        return f"Fehler beim Versand über {where}: {error}"
    if isinstance(error, ssl.SSLError):
        return f"Verschlüsselte Verbindung zu {where} fehlgeschlagen ({error.reason})"
    if isinstance(error, TimeoutError):
        return f"Der Mailserver {where} antwortet nicht (Zeitüberschreitung)"
    if isinstance(error, OSError):
        return (f"Der Mailserver {where} ist nicht erreichbar "
                f"({error.strerror or type(error).__name__})")
    raise error


def _smtp_text(error) -> str:
    code = getattr(error, "smtp_code", None)
    text = getattr(error, "smtp_error", b"")
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    if isinstance(error, tuple):
        code, text = error[0], error[1].decode("utf-8", "replace")
    return f"{code} {text}".strip()


def deliver(uow, config: MailSettings, ids=None) -> dict:
    """Send the queued messages (all, or those of `ids`), each result recorded in its own
    transaction. Raises MailFailed (German, one line) when any stayed queued."""
    from sqlalchemy import select

    from controlling.data.models import MailMessage
    from controlling.services.common import now

    with uow:
        query = select(MailMessage.id).where(MailMessage.sent_at.is_(None))
        if ids is not None:
            query = query.where(MailMessage.id.in_(list(ids) or [-1]))
        queued = list(uow.session.scalars(query.order_by(MailMessage.id)))
    sent, failed, first_error = 0, 0, None
    server = None
    try:
        for message_id in queued:
            with uow:
                row = uow.session.get(MailMessage, message_id)
                if row.sent_at is not None:  # another run sent it meanwhile
                    continue
                row.attempts = (row.attempts or 0) + 1
                row.last_attempt_at = now()
                try:
                    if server is None:
                        server = _connect(config)
                    server.send_message(build(config, row))
                except (smtplib.SMTPException, OSError, MailFailed) as error:
                    reason = german_reason(error, config)
                    row.last_error = reason
                    failed += 1
                    first_error = first_error or reason
                    if not isinstance(error, smtplib.SMTPRecipientsRefused):
                        _quit(server)
                        server = None
                else:
                    row.sent_at, row.last_error = now(), None
                    sent += 1
                uow.commit()
    finally:
        _quit(server)
    if failed:
        raise MailFailed(
            f"{first_error}; "
            f"{plural(failed, 'eine Nachricht bleibt', f'{failed} Nachrichten bleiben')}"
            " in der Warteschlange (erneut senden: controlling mail send-queued)"
            + (f", {sent} gesendet." if sent else "."))
    return {"sent": sent, "queued": 0}


def _quit(server) -> None:
    if server is None:
        return
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()


def send_queued(uow, login: str, config: MailSettings | None = None) -> dict:
    """`mail send-queued`: deliver every message still queued (planners, admins)."""
    from controlling.domain.actors import require
    from controlling.services.common import actor_of

    with uow:
        require(actor_of(uow, login), "round.manage")
    return deliver(uow, config or settings())


def queued_messages(uow, login: str) -> list[dict]:
    """`mail list`: the mail log, newest first (planners, admins)."""
    from sqlalchemy import select

    from controlling.data.models import MailMessage
    from controlling.domain.actors import require
    from controlling.services.common import actor_of

    with uow:
        require(actor_of(uow, login), "round.manage")
        rows = uow.session.scalars(select(MailMessage).order_by(MailMessage.id.desc()))
        return [message_view(row) for row in rows]


def message_view(row) -> dict:
    return {
        "id": row.id, "kind": row.kind, "to": row.to_addresses.split(", "),
        "subject": row.subject, "created_at": row.created_at.isoformat(),
        "attempts": row.attempts or 0,
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        "last_error": row.last_error, "attachment": row.attachment_name,
    }
