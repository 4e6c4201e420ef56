"""Mail delivery against a real SMTP server that wants STARTTLS and a login (aiosmtpd with a
certificate made for the test by openssl): the certificate is checked (against
CONTROLLING_SMTP_CA_FILE), the login is used, a refused login or an untrusted certificate is one
German line and the message stays queued."""

import shutil
import ssl
import subprocess
from datetime import datetime

import pytest
from sqlalchemy import select

from tests.mail_support import Mailbox, free_port

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl fehlt")

USER, PASSWORD = "controlling", "Geheim-nur-im-Test"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.fixture
def secure_smtp(certificate, monkeypatch):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=True, auth_required=True,
                            authenticator=authenticator)
    controller.start()
    for name, value in (("HOST", "127.0.0.1"), ("PORT", str(port)), ("SECURITY", "starttls"),
                        ("USER", USER), ("PASSWORD", PASSWORD), ("CA_FILE", str(cert))):
        monkeypatch.setenv(f"CONTROLLING_SMTP_{name}", value)
    yield box
    controller.stop()


def queue_one(uow) -> int:
    from controlling.data.models import MailMessage

    with uow() as unit:
        message = MailMessage(kind="request", to_addresses="bl31@oberhausen.example",
                              subject="Sachstandsabfrage", body_text="Guten Tag,",
                              body_html="<p>Guten Tag,</p>", created_at=datetime(2024, 4, 2),
                              attempts=0)
        unit.session.add(message)
        unit.commit()
        return message.id


def stored(uow, message_id) -> dict:
    from controlling.data.models import MailMessage

    with uow() as unit:
        row = unit.session.scalar(select(MailMessage).where(MailMessage.id == message_id))
        return {"sent_at": row.sent_at, "attempts": row.attempts, "last_error": row.last_error}


def test_starttls_with_a_checked_certificate_and_a_login_delivers(uow, secure_smtp):
    from controlling.services.mail import deliver, settings

    message_id = queue_one(uow)
    assert deliver(uow(), settings()) == {"sent": 1, "queued": 0}
    (received,) = secure_smtp.received
    assert received.subject == "Sachstandsabfrage" and received.text.startswith("Guten Tag,")
    assert stored(uow, message_id)["sent_at"] is not None


def test_a_refused_login_is_one_german_line_and_the_message_stays_queued(uow, secure_smtp,
                                                                        monkeypatch):
    from controlling.domain.errors import DomainError
    from controlling.services.mail import deliver, settings

    monkeypatch.setenv("CONTROLLING_SMTP_PASSWORD", "falsch")
    message_id = queue_one(uow)
    with pytest.raises(DomainError, match="lehnt die Anmeldung ab \\(535") as refused:
        deliver(uow(), settings())
    assert "\n" not in str(refused.value)
    row = stored(uow, message_id)
    assert row["sent_at"] is None and row["attempts"] == 1
    assert "Anmeldung" in row["last_error"]
    assert secure_smtp.received == []


def test_an_untrusted_certificate_is_refused_and_nothing_is_sent(uow, secure_smtp,
                                                                 monkeypatch):
    from controlling.domain.errors import DomainError
    from controlling.services.mail import deliver, settings

    monkeypatch.delenv("CONTROLLING_SMTP_CA_FILE")
    queue_one(uow)
    with pytest.raises(DomainError, match="Verschlüsselte Verbindung zu 127.0.0.1:.* "
                                          "fehlgeschlagen \\(CERTIFICATE_VERIFY_FAILED\\)"):
        deliver(uow(), settings())
    assert secure_smtp.received == []


def test_a_missing_ca_file_is_refused_in_german(monkeypatch):
    from controlling.domain.errors import InvalidInput
    from controlling.services.mail import settings

    monkeypatch.setenv("CONTROLLING_SMTP_CA_FILE", "/nirgends/ca.pem")
    with pytest.raises(InvalidInput, match="die Datei /nirgends/ca.pem gibt es nicht"):
        settings()
