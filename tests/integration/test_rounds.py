"""The quarterly update round by e-mail against a real SMTP server (aiosmtpd on
127.0.0.1): one request per department with its own recommendations, the link and the
workbook; answering marks the row; reminders once; escalation after the delay; a refusing or
missing server keeps the message queued. The clock is frozen, never waited for."""

import re
from datetime import date
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests.conftest import ADMIN, row_counts, snapshot
from tests.mail_support import running_smtp, server_down
from tests.web_support import (
    add_team,
    cheap_hashing,
    give_own_password,
    hidden,
    recommendation,
    signed_in,
    web_app,
)

ADDRESSES = {"planer": "planung@oberhausen.example", "bl31": "bl31@oberhausen.example",
             "bl32": "bl32@oberhausen.example"}
START_DAY = date(2024, 4, 2)  # 2024-Q1 has ended
DUE = date(2024, 4, 15)


@pytest.fixture
def smtp(monkeypatch):
    yield from running_smtp(monkeypatch)


@pytest.fixture
def team(uow, today_is):
    """The team with e-mail addresses; 3-1 owns the approved 1 and 2 (and the proposed 4), 3-2
    the approved 3; today is 02.04.2024."""
    from controlling.services.accounts import change_user

    today_is(START_DAY)
    add_team(uow)
    for login, address in ADDRESSES.items():
        change_user(uow(), ADMIN, login, email=address)
    recommendation(uow, 1, "approved", title="Familienzentrum Osterfeld verlängern")
    recommendation(uow, 2, "approved", title="Quartiersbüro verstetigen")
    recommendation(uow, 3, "approved", department="3-2", title="Schulsozialarbeit verlängern")
    recommendation(uow, 4, "proposed", title="Noch nicht freigegeben")
    return uow


def start(uow, **options):
    from controlling.services.rounds import start_round

    return start_round(uow(), "planer", quarter="2024-Q1", due=DUE.isoformat(), **options)


def remind(uow, **options):
    from controlling.services.rounds import remind as service

    return service(uow(), "planer", **options)


def state(uow):
    from controlling.services.rounds import round_state

    return round_state(uow(), "planer", quarter="2024-Q1")


def department(result, code):
    return next(d for d in result["departments"] if d["department"] == code)


def test_the_round_asks_each_department_once_with_its_own_recommendations(team, smtp):
    start(team)
    assert sorted(r for m in smtp.received for r in m.recipients) == [
        ADDRESSES["bl31"], ADDRESSES["bl32"]]
    (own,) = smtp.to(ADDRESSES["bl31"])
    assert own.subject == "Sachstandsabfrage 1. Quartal 2024: Bereich 3-1 (bis 15.04.2024)"
    assert "Nr. 1: Familienzentrum Osterfeld verlängern (Osterfeld)" in own.text
    assert "Nr. 2: Quartiersbüro verstetigen" in own.text
    assert "Nr. 3" not in own.text and "Nr. 4" not in own.text
    assert "Nr. 1: Familienzentrum Osterfeld verlängern" in own.html
    (other,) = smtp.to(ADDRESSES["bl32"])
    assert "Nr. 3: Schulsozialarbeit verlängern" in other.text and "Nr. 1" not in other.text


def test_the_request_carries_the_departments_signed_workbook(team, smtp):
    from openpyxl import load_workbook

    start(team)
    (own,) = smtp.to(ADDRESSES["bl31"])
    attachments = own.attachments()
    assert list(attachments) == ["sachstand-2024-Q1-3-1.xlsx"]
    sheet = load_workbook(BytesIO(attachments["sachstand-2024-Q1-3-1.xlsx"]))["Sachstände"]
    assert [sheet.cell(row, 1).value for row in (2, 3)] == [1, 2]


def test_the_link_in_the_request_opens_the_heads_sachstand_page(team, smtp, engine,
                                                                   monkeypatch):
    cheap_hashing(monkeypatch)
    start(team)
    (own,) = smtp.to(ADDRESSES["bl31"])
    url = re.search(r"https://controlling\.oberhausen\.example\S+", own.text).group(0)
    assert f'href="{url}"' in own.html
    parts = urlsplit(url)
    give_own_password(team, "bl31")
    browser = signed_in(web_app(engine.url.render_as_string(hide_password=False)), "bl31")
    page = browser.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200, page.text
    assert "Familienzentrum Osterfeld verlängern" in page.text
    assert "1. Quartal 2024" in page.text


def test_a_sachstand_in_the_browser_marks_its_row_answered(team, smtp, engine, monkeypatch):
    cheap_hashing(monkeypatch)
    start(team)
    give_own_password(team, "bl31")
    browser = signed_in(web_app(engine.url.render_as_string(hide_password=False)), "bl31")
    page = browser.get("/sachstand?quartal=2024-Q1").text
    form = page[page.index('action="/empfehlungen/1/sachstand"'):]
    answer = browser.post("/empfehlungen/1/sachstand", data={
        "csrf": hidden(form, "csrf"), "version": hidden(form, "version"),
        "quarter": "2024-Q1", "light": "green", "note": "läuft wie geplant"})
    assert answer.status_code == 303, answer.text
    own = department(state(team), "3-1")
    assert [(r["number"], r["answered"]) for r in own["recommendations"]] == [
        (1, True), (2, False)]
    assert own["open"] == [2]


def test_a_sachstand_on_the_command_line_counts_as_answered_too(team, smtp):
    from controlling.services.recommendations import record_progress

    start(team)
    record_progress(team(), "bl32", 3, quarter="2024-Q1", light="yellow", note="verzögert")
    result = state(team)
    assert department(result, "3-2")["open"] == []
    assert result["totals"] == {"asked": 3, "answered": 1, "open": 2}
    assert department(result, "3-2")["request"] == "sent"


def test_a_reminder_goes_out_before_the_due_date_once_however_often_remind_runs(
        team, smtp, today_is):
    start(team)
    smtp.received.clear()
    assert remind(team)["messages"] == []  # 13 days before: nothing yet
    today_is(date(2024, 4, 12))  # three days before the due date
    remind(team)
    remind(team)
    assert sorted(m.subject for m in smtp.received) == [
        "Erinnerung: Sachstand 1. Quartal 2024 bis 15.04.2024 (Bereich 3-1)",
        "Erinnerung: Sachstand 1. Quartal 2024 bis 15.04.2024 (Bereich 3-2)"]
    today_is(date(2024, 4, 13))
    remind(team)
    assert len(smtp.received) == 2


def test_only_departments_with_open_sachstaende_are_reminded(team, smtp, today_is):
    from controlling.services.recommendations import record_progress

    start(team)
    record_progress(team(), "bl32", 3, quarter="2024-Q1", light="green", note="erledigt")
    smtp.received.clear()
    today_is(date(2024, 4, 16))
    remind(team)
    (overdue,) = smtp.received
    assert overdue.recipients == [ADDRESSES["bl31"]]
    assert overdue.subject.startswith("Überfällig: Sachstand 1. Quartal 2024 (Bereich 3-1")
    assert "Nr. 1" in overdue.text and "Nr. 2" in overdue.text


def test_overdue_is_escalated_to_planners_and_the_dezernat_after_the_delay(
        team, smtp, today_is):
    start(team)
    smtp.received.clear()
    today_is(date(2024, 4, 21))  # six days overdue: reminders, no escalation yet
    remind(team)
    assert all(m.subject.startswith("Überfällig") for m in smtp.received)
    smtp.received.clear()
    today_is(date(2024, 4, 22))  # seven days: the summary
    remind(team)
    remind(team)
    (summary,) = smtp.received
    assert sorted(summary.recipients) == ["dezernat@oberhausen.example",
                                          ADDRESSES["planer"]]
    assert summary.subject == ("Sachstandsabfrage 1. Quartal 2024: 3 ohne Sachstand "
                               "(fällig am 15.04.2024)")
    assert "Bereich 3-1 (bl31): Nr. 1, Nr. 2" in summary.text
    assert "Bereich 3-2 (bl32): Nr. 3" in summary.text
    assert state(team)["overdue"] is True


def test_an_answered_round_is_neither_reminded_nor_escalated(team, smtp, today_is):
    from controlling.services.recommendations import record_progress

    start(team)
    for login, number in (("bl31", 1), ("bl31", 2), ("bl32", 3)):
        record_progress(team(), login, number, quarter="2024-Q1", light="green", note="gut")
    smtp.received.clear()
    today_is(date(2024, 5, 1))
    assert remind(team)["messages"] == []
    assert smtp.received == []
    assert state(team)["overdue"] is False


def test_a_refusing_server_gives_a_german_error_and_the_message_stays_queued(team, smtp):
    from controlling.data.models import MailMessage
    from controlling.domain.errors import DomainError

    smtp.refuse = "550 Postfach nicht verfügbar"
    with pytest.raises(DomainError) as refused:
        start(team)
    assert "lehnt die Nachricht ab (550 Postfach nicht verfügbar)" in str(refused.value)
    assert "2 Nachrichten bleiben in der Warteschlange" in str(refused.value)
    with team() as unit:
        rows = unit.session.scalars(select(MailMessage)).all()
        assert [(r.sent_at, r.attempts) for r in rows] == [(None, 1), (None, 1)]
        assert all("550" in r.last_error for r in rows)
    assert department(state(team), "3-1")["request"] == "queued"
    smtp.refuse = None
    remind(team)  # the daily run retries
    assert len(smtp.received) == 2
    assert department(state(team), "3-1")["request"] == "sent"


def test_a_server_that_is_down_gives_a_german_error_and_the_message_stays_queued(
        team, smtp, monkeypatch):
    from controlling.domain.errors import DomainError
    from controlling.services.mail import send_queued

    port = server_down(monkeypatch)
    with pytest.raises(DomainError) as down:
        start(team)
    assert f"Der Mailserver 127.0.0.1:{port} ist nicht erreichbar" in str(down.value)
    monkeypatch.setenv("CONTROLLING_SMTP_PORT", str(smtp.port))
    assert send_queued(team(), "planer") == {"sent": 2, "queued": 0}
    assert len(smtp.received) == 2


def test_a_dry_run_sends_nothing_and_writes_nothing(team, smtp, engine, today_is):
    before = snapshot(engine)
    planned = start(team, dry_run=True)
    assert [m["to"] for m in planned["messages"]] == [[ADDRESSES["bl31"]], [ADDRESSES["bl32"]]]
    assert "Nr. 1: Familienzentrum" in planned["messages"][0]["text"]
    assert smtp.received == [] and snapshot(engine) == before
    start(team)
    smtp.received.clear()
    today_is(date(2024, 4, 30))
    before = snapshot(engine)
    assert len(remind(team, dry_run=True)["messages"]) == 3  # two overdue, one summary
    assert smtp.received == [] and snapshot(engine) == before


def test_a_second_round_for_the_same_quarter_is_refused(team, smtp, engine):
    from controlling.domain.errors import Conflict

    start(team)
    before = row_counts(engine)
    with pytest.raises(Conflict, match="läuft schon eine Sachstandsrunde"):
        start(team)
    assert row_counts(engine) == before


def test_a_department_without_a_head_address_is_reported_and_not_written_to(team, smtp):
    from controlling.services.accounts import change_user

    change_user(team(), ADMIN, "bl32", email="")
    result = start(team)
    assert result["without_recipient"] == ["3-2"]
    assert [m.recipients for m in smtp.received] == [[ADDRESSES["bl31"]]]
    assert department(state(team), "3-2")["request"] == "no_recipient"


def test_only_planners_and_admins_start_a_round(team, smtp, engine):
    from controlling.domain.errors import PermissionDenied
    from controlling.services.rounds import start_round

    before = row_counts(engine)
    with pytest.raises(PermissionDenied):
        start_round(team(), "bl31", quarter="2024-Q1", due=DUE.isoformat())
    assert row_counts(engine) == before and smtp.received == []


def test_the_planners_page_shows_the_rounds_state(team, smtp, engine, monkeypatch):
    from controlling.services.recommendations import record_progress

    cheap_hashing(monkeypatch)
    give_own_password(team, "planer")
    app = web_app(engine.url.render_as_string(hide_password=False))
    empty = signed_in(app, "planer").get("/sachstandsrunde")
    assert empty.status_code == 200 and "Es gibt noch keine Sachstandsrunde" in empty.text
    start(team)
    record_progress(team(), "bl32", 3, quarter="2024-Q1", light="green", note="erledigt")
    page = signed_in(app, "planer").get("/sachstandsrunde?quartal=2024-Q1")
    assert page.status_code == 200, page.text
    assert "1. Quartal 2024, fällig am 15.04.2024" in page.text
    assert "1 von 3 beantwortet, 2 offen" in page.text
    assert '<a href="/empfehlungen/2">2</a>' in page.text
    assert "Sachstandsabfrage 1. Quartal 2024: Bereich 3-1 (bis 15.04.2024)" in page.text


def test_a_measure_ending_soon_is_announced_to_its_department_once(team, smtp, today_is):
    from controlling.services.measures import add_measure

    for title, ends_on in (("Sprachcafé", "2024-06-30"), ("Läuft noch lange", "2025-06-30")):
        add_measure(team(), "planer", fields={"title": title, "department": "3-1",
                                              "districts": ["Osterfeld"], "ends_on": ends_on})
    remind(team)
    remind(team)
    (notice,) = smtp.received
    assert notice.recipients == [ADDRESSES["bl31"]]
    assert notice.subject == "Befristete Maßnahme endet am 30.06.2024: Sprachcafé"
    assert "in 89 Tagen" in notice.text
