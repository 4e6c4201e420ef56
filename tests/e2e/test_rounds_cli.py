"""`round start|status|remind`, `mail list|send-queued` and `user add|change --email` as a
planner types them, against a real SMTP server (aiosmtpd on 127.0.0.1); the clock frozen."""

import json
from datetime import date

import pytest

from tests.conftest import snapshot
from tests.mail_support import running_smtp, server_down

START_DAY = date(2024, 4, 2)


@pytest.fixture
def smtp(monkeypatch):
    yield from running_smtp(monkeypatch)


@pytest.fixture
def round_ready(cli, people, today_is):
    """bl31 (3-1) with an address and the approved recommendations 1 and 2 of 3-1."""
    today_is(START_DAY)
    assert cli("user", "change", "bl31", "--email", "bl31@oberhausen.example").exit_code == 0
    for number in (1, 2):
        added = cli("recommendation", "add", "--number", number, "--title", f"Angebot {number}",
                    "--district", "Osterfeld", "--department", "3-1", "--kind", "extension",
                    "--on", "2024-01-10", user="planer")
        assert added.exit_code == 0, added.output
        approved = cli("recommendation", "approve", number, "--on", "2024-02-01", user="bl31")
        assert approved.exit_code == 0, approved.output
    return cli


def test_a_planner_starts_the_round_and_the_head_gets_the_request(round_ready, smtp):
    result = round_ready("round", "start", "--quarter", "2024-Q1", "--due", "2024-04-15",
                         user="planer")
    assert result.exit_code == 0, result.output
    assert "Sachstandsrunde 2024-Q1 gestartet, fällig am 15.04.2024: 1 Nachricht gesendet." in (
        result.output)
    (mail,) = smtp.received
    assert mail.recipients == ["bl31@oberhausen.example"]
    assert "Nr. 1: Angebot 1" in mail.text and "Nr. 2: Angebot 2" in mail.text
    assert ("https://controlling.oberhausen.example/sachstand?quartal=2024-Q1" in mail.text)


def test_round_status_shows_asked_and_answered_as_a_table_and_as_json(round_ready, smtp):
    round_ready("round", "start", "--quarter", "2024-Q1", "--due", "2024-04-15", user="planer")
    answer = round_ready("progress", 1, "--quarter", "2024-Q1", "--light", "green", "--note",
                         "läuft", user="bl31")
    assert answer.exit_code == 0, answer.output
    table = round_ready("round", "status", user="planer")
    assert table.exit_code == 0, table.output
    assert "1 von 2" in table.output and "Beantwortet: 1 von 2, offen: 1." in table.output
    data = json.loads(round_ready("round", "status", "--quarter", "2024-Q1", "--format",
                                  "json", user="planer").output)
    assert data["totals"] == {"asked": 2, "answered": 1, "open": 1}
    assert [(r["number"], r["answered"]) for r in data["departments"][0]["recommendations"]] \
        == [(1, True), (2, False)]


def test_round_remind_run_twice_on_the_same_day_sends_once(round_ready, smtp, today_is):
    round_ready("round", "start", "--quarter", "2024-Q1", "--due", "2024-04-15", user="planer")
    smtp.received.clear()
    today_is(date(2024, 4, 17))
    first = round_ready("round", "remind", user="planer")
    second = round_ready("round", "remind", user="planer")
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    assert "1 Nachricht gesendet." in first.output
    assert "Keine Nachricht fällig." in second.output
    assert [m.subject for m in smtp.received] == [
        "Überfällig: Sachstand 1. Quartal 2024 (Bereich 3-1, fällig am 15.04.2024)"]


def test_dry_runs_print_what_would_be_sent_and_change_nothing(round_ready, smtp, engine):
    before = snapshot(engine)
    result = round_ready("round", "start", "--quarter", "2024-Q1", "--due", "2024-04-15",
                         "--dry-run", user="planer")
    assert result.exit_code == 0, result.output
    assert "Würde senden" in result.output and "bl31@oberhausen.example" in result.output
    assert smtp.received == [] and snapshot(engine) == before


def test_a_refusing_server_exits_1_with_one_german_line_and_keeps_the_message(round_ready,
                                                                              smtp):
    smtp.refuse = "550 Postfach nicht verfügbar"
    result = round_ready("round", "start", "--quarter", "2024-Q1", "--due", "2024-04-15",
                         user="planer")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Fehler: Der Mailserver 127.0.0.1:{smtp.port} lehnt die Nachricht ab (550 Postfach "
        "nicht verfügbar); eine Nachricht bleibt in der Warteschlange (erneut senden: "
        "controlling mail send-queued)."]
    log = json.loads(round_ready("mail", "list", "--format", "json", user="planer").output)
    assert [(m["kind"], m["attempts"], m["sent_at"]) for m in log] == [("request", 1, None)]
    smtp.refuse = None
    again = round_ready("mail", "send-queued", user="planer")
    assert again.exit_code == 0, again.output
    assert len(smtp.received) == 1


def test_a_server_that_is_down_exits_1_with_one_german_line(round_ready, smtp, monkeypatch):
    port = server_down(monkeypatch)
    result = round_ready("round", "start", "--quarter", "2024-Q1", "--due", "2024-04-15",
                         user="planer")
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Fehler: Der Mailserver 127.0.0.1:{port} ist nicht erreichbar")
    assert "eine Nachricht bleibt in der Warteschlange" in line


@pytest.mark.parametrize("args, message", [
    (("--quarter", "2024-Q5", "--due", "2024-04-15"), "Ungültiges Quartal '2024-Q5'"),
    (("--quarter", "2024-Q1", "--due", "15.13.2024"), "Ungültiges Fälligkeitsdatum"),
    (("--quarter", "2024-Q1", "--due", "2024-04-01"), "liegt in der Vergangenheit"),
    (("--quarter", "2024-Q3", "--due", "2024-04-15"), "hat noch nicht begonnen"),
])
def test_bad_input_is_refused_in_one_german_line_and_changes_nothing(round_ready, smtp,
                                                                     engine, args, message):
    before = snapshot(engine)
    result = round_ready("round", "start", *args, user="planer")
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert smtp.received == [] and snapshot(engine) == before


def test_a_head_may_not_start_a_round(round_ready, smtp):
    result = round_ready("round", "start", "--quarter", "2024-Q1", "--due", "2024-04-15",
                         user="bl31")
    assert result.exit_code == 1 and "Keine Berechtigung" in result.output


def test_an_invalid_address_is_refused_and_a_valid_one_is_shown(cli, people):
    refused = cli("user", "change", "bl32", "--email", "keine-adresse")
    assert refused.exit_code == 1 and "Ungültige E-Mail-Adresse 'keine-adresse'" in (
        refused.output)
    added = cli("user", "add", "bl33", "--name", "B. L.", "--role", "department_head",
                "--department", "3-3", "--email", "bl33@oberhausen.example", "--format",
                "json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["email"] == "bl33@oberhausen.example"


def test_a_wrong_security_setting_is_one_german_line(round_ready, smtp, monkeypatch):
    monkeypatch.setenv("CONTROLLING_SMTP_SECURITY", "ssl")
    result = round_ready("round", "remind", user="planer")
    assert result.exit_code == 1
    assert "CONTROLLING_SMTP_SECURITY 'ssl' ist ungültig" in result.output
