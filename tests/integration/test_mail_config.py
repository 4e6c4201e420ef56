"""Mail settings from a file: CONTROLLING_MAIL_CONFIG names a TOML file with the keys
of the environment variables; the environment wins; a missing, unreadable or malformed file, an
unknown key and a password in a file all may read are one German line each (exit 1 on the
command line); delivery over a real SMTP server (aiosmtpd) with the file's settings."""

import os
from datetime import datetime

import pytest

from controlling.domain.errors import InvalidInput
from controlling.services.mail import deliver, settings
from tests.mail_support import running_smtp

SMTP_VARIABLES = ("HOST", "PORT", "SECURITY", "FROM", "USER", "PASSWORD", "CA_FILE")


@pytest.fixture
def clean_env(monkeypatch):
    """No mail setting in the environment."""
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(f"CONTROLLING_SMTP_{name}", raising=False)
    for name in ("BASE_URL", "ESCALATION_TO", "ESCALATION_DAYS", "REMIND_DAYS",
                 "MEASURE_DAYS", "MAIL_CONFIG"):
        monkeypatch.delenv(f"CONTROLLING_{name}", raising=False)
    return monkeypatch


def config_file(tmp_path, monkeypatch, text: str, mode: int = 0o600):
    path = tmp_path / "mail.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    monkeypatch.setenv("CONTROLLING_MAIL_CONFIG", str(path))
    return path


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


def test_the_settings_of_the_file_deliver_a_message(uow, clean_env, tmp_path):
    box_iter = running_smtp(clean_env)
    box = next(box_iter)
    try:
        for name in SMTP_VARIABLES:  # running_smtp set them: this time only the file has them
            clean_env.delenv(f"CONTROLLING_SMTP_{name}", raising=False)
        config_file(tmp_path, clean_env, f'CONTROLLING_SMTP_HOST = "127.0.0.1"\n'
                    f'CONTROLLING_SMTP_PORT = {box.port}\nCONTROLLING_SMTP_SECURITY = "none"\n'
                    'CONTROLLING_SMTP_FROM = "datei@oberhausen.example"\n')
        queue_one(uow)
        assert deliver(uow(), settings()) == {"sent": 1, "queued": 0}
        (received,) = box.received
        assert received.sender == "datei@oberhausen.example"
    finally:
        next(box_iter, None)


def test_the_environment_wins_over_the_file(clean_env, tmp_path):
    config_file(tmp_path, clean_env, 'CONTROLLING_SMTP_HOST = "mail.datei.example"\n'
                'CONTROLLING_REMIND_DAYS = 5\n'
                'CONTROLLING_ESCALATION_TO = ["dezernat@oberhausen.example", '
                '"ob@oberhausen.example"]\n')
    clean_env.setenv("CONTROLLING_SMTP_HOST", "mail.umgebung.example")
    config = settings()
    assert config.host == "mail.umgebung.example"
    assert config.remind_days == 5
    assert config.escalation_to == ("dezernat@oberhausen.example", "ob@oberhausen.example")


def test_a_password_comes_from_a_file_only_the_owner_may_read(clean_env, tmp_path):
    path = config_file(tmp_path, clean_env, 'CONTROLLING_SMTP_USER = "controlling"\n'
                       'CONTROLLING_SMTP_PASSWORD = "Geheim"\n', mode=0o600)
    assert settings().password == "Geheim"
    path.chmod(0o644)
    with pytest.raises(InvalidInput, match=r"enthalten das Passwort und sind für alle lesbar: "
                                           r"erst 'chmod o-r .*mail.toml'"):
        settings()


@pytest.mark.parametrize(("text", "message"), [
    ('CONTROLLING_SMTP_HOST = "a"\nCONTROLLING_SMTP_HSOT = "b"\n',
     "unbekannter Schlüssel CONTROLLING_SMTP_HSOT; erlaubt sind CONTROLLING_SMTP_HOST"),
    ("CONTROLLING_SMTP_HOST mail.example\n", r"sind kein gültiges TOML \(Zeile 1, Spalte"),
    ("[smtp]\nhost = 'mail.example'\n", "unbekannter Schlüssel smtp"),
    ("CONTROLLING_SMTP_PORT = true\n", "CONTROLLING_SMTP_PORT muss ein Text oder eine ganze"),
    ('CONTROLLING_SMTP_SECURITY = "ssl"\n', "CONTROLLING_SMTP_SECURITY 'ssl' ist ungültig"),
])
def test_a_bad_file_is_refused_in_german(clean_env, tmp_path, text, message):
    config_file(tmp_path, clean_env, text)
    with pytest.raises(InvalidInput, match=message):
        settings()


def test_a_missing_file_or_a_folder_is_refused_in_german(clean_env, tmp_path):
    clean_env.setenv("CONTROLLING_MAIL_CONFIG", str(tmp_path / "fehlt.toml"))
    with pytest.raises(InvalidInput, match=r"fehlt.toml \(CONTROLLING_MAIL_CONFIG\): die Datei "
                                           "gibt es nicht"):
        settings()
    clean_env.setenv("CONTROLLING_MAIL_CONFIG", str(tmp_path))
    with pytest.raises(InvalidInput, match="sind keine Datei"):
        settings()


@pytest.mark.skipif(os.geteuid() == 0, reason="root liest jede Datei")
def test_an_unreadable_file_is_refused_in_german(clean_env, tmp_path):
    config_file(tmp_path, clean_env, 'CONTROLLING_SMTP_HOST = "a"\n', mode=0o000)
    with pytest.raises(InvalidInput, match=r"können nicht gelesen werden \(keine Berechtigung"):
        settings()


def test_a_malformed_file_stops_the_command_with_one_german_line_and_changes_nothing(
        cli, people, clean_env, tmp_path, engine):
    from tests.conftest import snapshot

    config_file(tmp_path, clean_env, "CONTROLLING_SMTP_HOST = \n")
    before = snapshot(engine)
    result = cli("mail", "send-queued", user="planer")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fehler: Die Mail-Einstellungen ")
    assert "kein gültiges TOML (Zeile 1" in lines[0]
    assert snapshot(engine) == before
