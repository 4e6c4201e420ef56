"""Feedback to participants ("Rückkopplung"): an institution that asked for notices
gets a short German message when a recommendation that came from suggestions of an expert
dialogue in its Sozialraum changes status; by institution, opt-in, sent by `mail send-queued`
to a real SMTP server (aiosmtpd on 127.0.0.1); the clock frozen."""

import json
from datetime import date

import pytest

from tests.conftest import snapshot
from tests.mail_support import running_smtp


@pytest.fixture
def smtp(monkeypatch):
    yield from running_smtp(monkeypatch)


def ok(result):
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def dialogue(cli, people, tmp_path, today_is):
    """Events and an indicator; institutions 1 (Osterfeld, opted in), 2 (Sterkrade-Nord,
    opted in), 3 (Osterfeld, not opted in); suggestion 1 from the Osterfeld dialogue."""
    today_is(date(2024, 4, 2))
    ok(cli("event", "load-reference", user="planer"))
    values = tmp_path / "sozialindex.csv"
    values.write_text("indicator,district,year,value\nquote,stadtweit,2022,17\n"
                      "quote,Osterfeld,2022,20\n", encoding="utf-8")
    ok(cli("import", "indicators", values, user="planer"))
    for name, district in (("Stadtteilbüro Osterfeld", "Osterfeld"),
                           ("Kita Sterkrade", "Sterkrade-Nord"),
                           ("Jugendzentrum Osterfeld", "Osterfeld")):
        ok(cli("institution", "add", name, "--type", "Einrichtung", "--address",
               f"{name} 1, 46117 Oberhausen", "--lon", "6.88", "--lat", "51.50",
               "--district", district, user="planer"))
    ok(cli("institution", "notices", 1, "--email", "buero@stadtteil.example", user="planer"))
    ok(cli("institution", "notices", 2, "--email", "kita@sterkrade.example", user="planer"))
    events = json.loads(ok(cli("event", "list", "--district", "Osterfeld", "--format", "json")))
    osterfeld = next(e["id"] for e in events if e["round"] == 2)
    ok(cli("suggestion", "add", "--event", osterfeld, "--text", "Familienzentrum fehlt",
           "--topic", "Jugend", user="planer"))
    return cli


def test_a_status_change_of_a_recommendation_from_the_dialogue_informs_the_opted_in_institution(
        dialogue, smtp):
    cli = dialogue
    ok(cli("suggestion", "triage", 1, "missing", "--department", "3-1", "--indicator", "quote",
           "--on", "2024-01-10", user="planer"))  # created and statistically supported
    ok(cli("recommendation", "approve", 1, "--on", "2024-02-01", user="bl31"))
    out = ok(cli("mail", "send-queued", user="planer"))
    assert "2 Nachrichten gesendet" in out
    assert [m.recipients for m in smtp.received] == [["buero@stadtteil.example"]] * 2
    assert [m.subject for m in smtp.received] == [
        "Rückmeldung: Handlungsempfehlung 1 ist jetzt statistisch gestützt",
        "Rückmeldung: Handlungsempfehlung 1 ist jetzt freigegeben"]
    text = smtp.received[1].text
    assert "Handlungsempfehlung Nr. 1 „Familienzentrum fehlt“" in text
    assert "Osterfeld" in text and "28.09.2023" in text
    assert "Ihr Stand seit dem 01.02.2024: freigegeben (zuvor statistisch gestützt)." in text
    assert "weil Stadtteilbüro Osterfeld Rückmeldungen" in text
    assert "Familienzentrum fehlt" in smtp.received[1].html
    listed = json.loads(ok(cli("mail", "list", "--format", "json", user="planer")))
    assert {m["kind"] for m in listed} == {"notice"}


def test_no_notice_for_a_recommendation_that_came_from_no_dialogue_nor_after_opting_out(
        dialogue, smtp, engine):
    cli = dialogue
    ok(cli("recommendation", "add", "--number", 7, "--title", "Ohne Dialog", "--district",
           "Osterfeld", "--department", "3-1", "--kind", "extension", "--on", "2024-01-10",
           user="planer"))
    ok(cli("recommendation", "approve", 7, "--on", "2024-02-01", user="bl31"))
    ok(cli("institution", "notices", 1, "--off", user="planer"))
    ok(cli("suggestion", "triage", 1, "missing", "--department", "3-1", "--indicator", "quote",
           "--on", "2024-01-10", user="planer"))
    out = ok(cli("mail", "send-queued", user="planer"))
    assert smtp.received == [], out
    rows = snapshot(engine)["institutions"]
    assert sorted((row[0], row[-2], row[-1]) for row in rows) == [
        (1, None, False), (2, "kita@sterkrade.example", True), (3, None, False)]
    listed = ok(cli("institution", "list", "--format", "json", user="planer"))
    assert "kita@sterkrade.example" not in listed  # not in the list nor the map export


@pytest.mark.parametrize(("args", "message"), [
    ((1,), "Entweder --email ADRESSE (Rückmeldungen bestellen) oder --off"),
    ((1, "--email", "a@b.example", "--off"), "Entweder --email ADRESSE"),
    ((1, "--email", "kein-at"), "Ungültige E-Mail-Adresse 'kein-at'"),
    ((99, "--email", "a@b.example"), "Unbekannte Institution 99"),
])
def test_bad_notice_settings_are_one_german_line_and_change_nothing(dialogue, engine, args,
                                                                    message):
    before = snapshot(engine)
    result = dialogue("institution", "notices", *args, user="planer")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Fehler: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(engine) == before


def test_a_committee_member_may_not_order_notices(dialogue):
    result = dialogue("institution", "notices", 3, "--email", "jz@example.org",
                      user="ausschuss")
    assert result.exit_code == 1 and "Keine Berechtigung" in result.stderr


def test_the_daily_round_remind_sends_queued_notices_once(dialogue, smtp):
    cli = dialogue
    ok(cli("suggestion", "triage", 1, "missing", "--department", "3-1", "--indicator", "quote",
           "--on", "2024-01-10", user="planer"))
    ok(cli("round", "remind", user="planer"))
    ok(cli("round", "remind", user="planer"))
    assert [m.subject for m in smtp.received] == [
        "Rückmeldung: Handlungsempfehlung 1 ist jetzt statistisch gestützt"]


def test_the_notices_page_lists_each_institution_with_its_opt_in_and_the_notices_sent(
        dialogue, smtp, uow):
    from controlling.domain.errors import PermissionDenied
    from controlling.services.notices import notice_subscriptions

    ok(dialogue("suggestion", "triage", 1, "missing", "--department", "3-1", "--indicator",
                "quote", "--on", "2024-01-10", user="planer"))
    ok(dialogue("round", "remind", user="planer"))
    found = notice_subscriptions(uow(), "planer", district="Osterfeld")
    assert [(i["name"], i["notices"], i["notice_email"], i["sent"])
            for i in found["institutions"]] == [
        ("Jugendzentrum Osterfeld", False, None, 0),
        ("Stadtteilbüro Osterfeld", True, "buero@stadtteil.example", 1)]
    assert notice_subscriptions(uow(), "planer")["subscribed"] == 2
    with pytest.raises(PermissionDenied):
        notice_subscriptions(uow(), "bl31")
