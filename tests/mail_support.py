"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1, a free port): it keeps what it
receives, parsed, and can be told to refuse every message ("550 ..."). `smtp_env` points the
program at it through the environment, the way the city configures it; `closed_port` is a port
where nobody listens (the server is down)."""

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: object  # email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type and not part.get_filename():
                return part.get_content()
        raise AssertionError(f"kein Teil {content_type} in {self.subject}")

    @property
    def text(self) -> str:
        return self.part("text/plain")

    @property
    def html(self) -> str:
        return self.part("text/html")

    def attachments(self) -> dict[str, bytes]:
        return {p.get_filename(): p.get_payload(decode=True)
                for p in self.message.walk() if p.get_filename()}


@dataclass
class Mailbox:
    received: list[Received] = field(default_factory=list)
    refuse: str | None = None  # e.g. "550 Postfach nicht verfügbar"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        self.received.append(Received(
            envelope.mail_from, list(envelope.rcpt_tos),
            message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


def running_smtp(monkeypatch):
    """The body of a test module's `smtp` fixture (`yield from running_smtp(monkeypatch)`):
    the running server's mailbox; the program's environment points at it."""
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in (("HOST", "127.0.0.1"), ("PORT", str(port)), ("SECURITY", "none"),
                        ("FROM", "sozialplanung@oberhausen.example")):
        monkeypatch.setenv(f"CONTROLLING_SMTP_{name}", value)
    monkeypatch.setenv("CONTROLLING_BASE_URL", "https://controlling.oberhausen.example")
    monkeypatch.setenv("CONTROLLING_ESCALATION_TO", "dezernat@oberhausen.example")
    for name in ("CONTROLLING_SMTP_USER", "CONTROLLING_SMTP_PASSWORD",
                 "CONTROLLING_ESCALATION_DAYS", "CONTROLLING_REMIND_DAYS"):
        monkeypatch.delenv(name, raising=False)
    box.port = port
    yield box
    controller.stop()


def server_down(monkeypatch) -> int:
    """Point the program at a port where nobody listens."""
    port = free_port()
    monkeypatch.setenv("CONTROLLING_SMTP_PORT", str(port))
    return port
