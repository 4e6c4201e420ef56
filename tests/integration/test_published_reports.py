"""Published reports on a real database: two dates per fact, published reports that stay,
corrections as Nachträge, and a Sachstand that counts for its quarter when it arrives after it."""

import hashlib
from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from controlling import clock
from controlling.data.models import ProgressUpdate, PublishedReport
from controlling.domain.errors import Conflict, InvalidInput, PermissionDenied
from controlling.services.publication import (
    canonical_json,
    publish_quarterly,
    quarterly_document,
    require_correction,
)
from controlling.services.quarterly import quarterly_report
from controlling.services.recommendations import change_status, record_progress
from tests.report_builders import Steps, pdf_text, section

Q1, Q2, Q3 = "2025-Q1", "2025-Q2", "2025-Q3"
FIGURES = ("totals", "by_district", "by_department", "transitions", "lights", "stale",
           "attention", "recommendations")


def at(*when):
    return clock.freeze(datetime(*when))


def figures(data: dict) -> dict:
    return {key: data[key] for key in FIGURES}


@pytest.fixture
def quarter(uow, people):
    """2025-Q1: 1 approved (its Sachstand arrives on 3 April), 2 proposed; published on
    7 April 2025 by the planner."""
    steps = Steps(uow)
    with at(2025, 1, 10, 9):
        steps.add(1, date(2025, 1, 10), kind="extension", title="Stadtteilbüro Süd")
        steps.add(2, date(2025, 1, 10), title="Sprachcafé")
    with at(2025, 3, 5, 9):
        steps.approve(1, date(2025, 3, 5))
    with at(2025, 4, 3, 8):  # the update round: after the quarter, no date given
        record_progress(uow(), "bl31", 1, quarter=Q1, light="red", note="Räume fehlen")
    with at(2025, 4, 7, 10):
        published = publish_quarterly(uow(), "planer", Q1)
    return steps, published


def test_a_sachstand_recorded_after_the_quarter_counts_for_it_effective_on_its_last_day(
        uow, quarter):
    with uow() as work:
        update = work.session.scalar(select(ProgressUpdate))
        assert (update.quarter, update.effective_on) == (Q1, date(2025, 3, 31))
        assert update.recorded_at == datetime(2025, 4, 3, 8)
    with at(2025, 4, 8, 9):
        data = quarterly_report(uow(), "ausschuss", Q1).to_dict()
    assert data["lights"] == {"green": 0, "yellow": 0, "red": 1, "none": 0}
    assert data["stale"] == [] and data["attention"]["red"] == [1]


def test_publishing_stores_figures_pdf_their_hashes_who_and_when(uow, quarter):
    _, published = quarter
    assert published["actor"] == "planer"
    assert published["published_at"] == published["known_at"] == "2025-04-07T10:00:00+00:00"
    with uow() as work:
        row = work.session.scalar(select(PublishedReport))
        assert (row.kind, row.period, row.actor.login) == ("quarterly", Q1, "planer")
        assert row.pdf_sha256 == hashlib.sha256(row.pdf).hexdigest() == published["pdf_sha256"]
        assert row.data_sha256 == hashlib.sha256(canonical_json(row.data)).hexdigest()
        assert row.data["state"] == "published" and row.data["lights"]["red"] == 1
    text_ = pdf_text(published["pdf"])
    assert "Veröffentlicht am 07.04.2025 10:00 UTC durch planer" in text_
    assert "ENTWURF" not in text_


def test_a_running_quarter_a_second_publication_and_a_committee_member_are_refused(
        uow, quarter, engine):
    from tests.conftest import row_counts

    before = row_counts(engine)
    with at(2025, 4, 9, 9):
        with pytest.raises(Conflict, match="bereits veröffentlicht"):
            publish_quarterly(uow(), "admin", Q1)
        with pytest.raises(InvalidInput, match="läuft noch"):
            publish_quarterly(uow(), "planer", Q2)
        with pytest.raises(PermissionDenied, match="Quartalsberichte veröffentlichen"):
            publish_quarterly(uow(), "ausschuss", Q1)
    assert row_counts(engine) == before


def test_a_published_report_cannot_be_changed_or_deleted_in_the_database(engine, quarter):
    from sqlalchemy.exc import DatabaseError

    for statement in ("UPDATE published_reports SET period = '2025-Q2'",
                      "DELETE FROM published_reports"):
        with pytest.raises(DatabaseError), engine.begin() as connection:
            connection.execute(text(statement))


def test_a_back_dated_change_after_publication_needs_a_reason(uow, quarter):
    with at(2025, 4, 20, 9):
        with pytest.raises(InvalidInput, match="--correction"):
            change_status(uow(), "planer", 2, "reject", note="doppelt", on=date(2025, 3, 20))
        with pytest.raises(InvalidInput, match="Sachstand für das 1. Quartal 2025"):
            record_progress(uow(), "planer", 1, quarter=Q1, light="green", note="doch")
        # a change effective after the published quarter is no correction
        change_status(uow(), "planer", 2, "reject", note="doppelt", on=date(2025, 4, 2))
    with uow() as work:
        assert require_correction(work.session, 1, effective_on=date(2025, 4, 1)) is None
        assert require_correction(work.session, 1, quarter=Q2) is None
        assert require_correction(work.session, 1, effective_on=date(2024, 5, 1),
                                  correction="  vergessen  ") == "Nachtrag: vergessen"


@pytest.fixture
def corrected(uow, quarter):
    """After the publication: 2 rejected back-dated into Q1, and a new Sachstand for Q1."""
    with at(2025, 4, 20, 9):
        change_status(uow(), "planer", 2, "reject", note="doppelt erfasst",
                      on=date(2025, 3, 20), correction="Ablehnung vom März nachgetragen")
    with at(2025, 4, 22, 9):
        record_progress(uow(), "bl31", 1, quarter=Q1, light="green", note="Räume gefunden",
                        correction="Rückmeldung kam verspätet")
    return quarter


def test_the_published_report_stays_byte_for_byte_after_a_back_dated_change(uow, corrected):
    _, published = corrected
    with at(2025, 5, 1, 9):
        document = quarterly_document(uow(), "ausschuss", Q1)
    assert document.published and document.pdf == published["pdf"]
    assert hashlib.sha256(document.pdf).hexdigest() == published["pdf_sha256"]
    assert document.data["totals"]["rejected"] == 0 and document.data["lights"]["red"] == 1
    assert document.data["corrections"] == []


def test_the_rebuilt_report_marks_every_figure_that_differs_from_the_published_one(
        uow, corrected):
    from controlling.reports.quarterly import render_quarterly_pdf

    with at(2025, 5, 1, 9):
        rebuilt = quarterly_report(uow(), "ausschuss", Q1, known_at=clock.now())
    assert rebuilt.state == "rebuilt"
    changed = {d.key: (d.published, d.now) for d in rebuilt.differences}
    assert changed["totals/rejected"] == (0, 1) and changed["totals/proposed"] == (1, 0)
    assert changed["lights/red"] == (1, 0) and changed["lights/green"] == (0, 1)
    assert changed["recommendation/2/status"] == ("vorgeschlagen", "abgelehnt")
    assert changed["recommendation/1/light"] == ("rot", "grün")
    assert [(c.report, c.number, c.kind) for c in rebuilt.corrections] == [
        (Q1, 2, "status"), (Q1, 1, "progress")]
    text_ = pdf_text(render_quarterly_pdf(rebuilt, made_on=date(2025, 5, 1))[0])
    assert "ENTWURF – NEUBERECHNUNG" in text_
    differences = section(text_, "6 Abweichungen vom veröffentlichten Bericht", "7 Nachträge")
    assert "Empfehlungen abgelehnt 0 1" in differences
    assert "Empfehlung 1: Ampel rot grün" in differences
    summary = section(text_, "1.1 Empfehlungen nach Status", "1.2 Ampeln")
    assert "abgelehnt 0 1 (0) +1" in summary  # highlighted, the published value in brackets


def test_the_next_report_lists_the_corrections_as_nachtraege(uow, corrected):
    from controlling.reports.quarterly import render_quarterly_pdf

    with at(2025, 7, 2, 9):
        report = quarterly_report(uow(), "ausschuss", Q2)
    corrections = report.to_dict()["corrections"]
    assert [(c["report"], c["number"], c["kind"], c["actor"], c["reason"]) for c in corrections
            ] == [(Q1, 2, "status", "planer", "Ablehnung vom März nachgetragen"),
                  (Q1, 1, "progress", "bl31", "Rückmeldung kam verspätet")]
    assert corrections[0]["from_status"] == "proposed" and corrections[0]["to_status"] == (
        "rejected")
    assert corrections[0]["effective_on"] == "2025-03-20"
    assert corrections[0]["recorded_at"] == "2025-04-20T09:00:00+00:00"
    assert (corrections[1]["quarter"], corrections[1]["light"]) == (Q1, "green")
    text_ = pdf_text(render_quarterly_pdf(report, made_on=date(2025, 7, 2))[0])
    first = text_[:text_.index("Inhalt")]
    assert "Nachträge zu früheren Berichten (2)" in first
    chapter = section(text_, "6 Nachträge zu früheren Berichten", "7 Erläuterungen")
    for expected in ("1. Quartal 2025 veröffentlicht 07.04.2025", "2 Sprachcafé",
                     "vorgeschlagen → abgelehnt, wirksam 20.03.2025", "20.04.2025 09:00 UTC",
                     "planer (Sozialplanung)", "Ablehnung vom März nachgetragen",
                     "Sachstand 1. Quartal 2025: Ampel grün", "bl31 (Bereichsleitung 3-1)",
                     "Rückmeldung kam verspätet"):
        assert expected in chapter, expected
    # once a later report is published, the one after it does not repeat them
    with at(2025, 7, 2, 10):
        publish_quarterly(uow(), "planer", Q2)
    with at(2025, 10, 2, 9):
        assert quarterly_report(uow(), "ausschuss", Q3).corrections == ()


def test_as_known_reproduces_any_earlier_moment(uow, corrected):
    _, published = corrected
    with uow() as work:
        stored = work.session.scalar(select(PublishedReport.data))
    with at(2025, 5, 1, 9):
        at_publication = quarterly_report(uow(), "ausschuss", Q1,
                                          known_at=datetime(2025, 4, 7, 10)).to_dict()
        before_round = quarterly_report(uow(), "ausschuss", Q1,
                                        known_at=datetime(2025, 4, 2, 12)).to_dict()
        after_reject = quarterly_report(uow(), "ausschuss", Q1,
                                        known_at=datetime(2025, 4, 21)).to_dict()
        now = quarterly_report(uow(), "ausschuss", Q1).to_dict()
    assert figures(at_publication) == figures(stored)
    assert at_publication["differences"] == []
    assert before_round["state"] == "draft"  # the publication was not known yet
    assert before_round["lights"]["none"] == 1 and before_round["stale"] == [1]
    assert after_reject["totals"]["rejected"] == 1 and after_reject["lights"]["red"] == 1
    assert now["lights"]["green"] == 1 and now["totals"]["rejected"] == 1


def test_the_api_gives_the_published_figures_as_report_quarterly_does(uow, corrected, db_url):
    """The API (and the web's /berichte pages) call the same service function."""
    from tests.conftest import issue_token
    from tests.web_support import browser, web_app

    with uow() as work:
        stored = work.session.scalar(select(PublishedReport.data))
    client = browser(web_app(db_url))
    answer = client.get(f"/api/v1/reports/quarterly/{Q1}", headers={
        "Authorization": f"Bearer {issue_token(db_url, 'ausschuss')}"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == stored
    assert answer.json()["totals"]["rejected"] == 0  # the correction is not in it
