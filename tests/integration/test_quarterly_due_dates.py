"""Due dates on the quarterly report's first page: recommendations past their target
date and not implemented, milestones due in the next quarter; as of the quarter's last day and
as known at a moment, so a later move of a target date does not change an earlier report."""

from datetime import date, datetime

import pytest
from controlling.reports.quarterly import render_quarterly_pdf

from controlling.services.publication import publish_quarterly, quarterly_document
from controlling.services.quarterly import quarterly_report
from controlling.services.targets import add_milestone, finish_milestone, set_target
from tests.report_builders import Steps, pdf_pages


def attention(uow, quarter="2024-Q1", known_at=None) -> dict:
    return quarterly_report(uow(), "ausschuss", quarter, known_at=known_at).to_dict()[
        "attention"]


@pytest.fixture
def dated(uow, people, today_is):
    """1 and 2 approved with target dates in March 2024 (2 implemented on 20.03.), milestones
    of 1 in April, May (done 05.04.), August and one done in March; 1's target moved in April."""
    today_is(date(2024, 2, 1))
    steps = Steps(uow)
    for number in (1, 2):
        steps.add(number, date(2024, 1, 10), kind="extension", title=f"Angebot {number}")
        steps.approve(number, date(2024, 1, 20))
        set_target(uow(), "planer", number, on="2024-03-15")
    ids = {title: add_milestone(uow(), "planer", 1, title=title, due=due)["id"]
           for title, due in (("Räume gefunden", "2024-04-20"), ("Eröffnung", "2024-05-02"),
                              ("Bericht", "2024-08-01"), ("Konzept", "2024-03-01"))}
    today_is(date(2024, 3, 20))
    steps.implement(2, date(2024, 3, 20))
    finish_milestone(uow(), "planer", ids["Konzept"], on="2024-03-20")
    today_is(date(2024, 4, 10))
    finish_milestone(uow(), "planer", ids["Eröffnung"], on="2024-04-05")
    set_target(uow(), "planer", 1, on="2024-09-30", reason="Träger gewechselt")
    return ids


def test_an_overdue_target_date_of_an_open_recommendation_is_listed_as_of_the_quarters_end(
        dated, uow):
    found = attention(uow)
    assert found["overdue_targets"] == [{
        "number": 1, "title": "Angebot 1", "department": "3-1", "target_on": "2024-03-15",
        "status": "approved"}]  # 2 is implemented; the move in April came after the quarter


def test_milestones_not_done_by_the_quarters_end_and_due_in_the_next_quarter_are_listed(
        dated, uow):
    found = attention(uow)["milestones_due"]
    assert [(m["number"], m["title"], m["due_on"], m["department"]) for m in found] == [
        (1, "Räume gefunden", "2024-04-20", "3-1"), (1, "Eröffnung", "2024-05-02", "3-1")]
    assert found[0]["id"] == dated["Räume gefunden"]


def test_the_next_quarters_report_uses_the_moved_target_date(dated, uow, today_is):
    today_is(date(2024, 7, 2))
    found = attention(uow, "2024-Q2")
    assert found["overdue_targets"] == []  # moved to 30.09.2024
    assert [m["title"] for m in found["milestones_due"]] == ["Bericht"]


def test_a_report_as_known_before_the_target_date_was_set_lists_no_overdue_target(dated, uow):
    assert attention(uow, known_at=datetime(2024, 1, 31, 12))["overdue_targets"] == []
    assert attention(uow, known_at=datetime(2024, 1, 31, 12))["milestones_due"] == []
    # as known on 01.03. the report said what it said then: the date had not passed yet
    assert attention(uow, known_at=datetime(2024, 3, 1))["overdue_targets"] == []
    assert [t["number"] for t in attention(uow, known_at=datetime(2024, 3, 16))[
        "overdue_targets"]] == [1, 2]  # 2 was implemented on 20.03.


def test_the_running_quarter_lists_only_target_dates_passed_by_today(uow, people, today_is):
    today_is(date(2024, 2, 1))
    steps = Steps(uow)
    steps.add(1, date(2024, 1, 10), kind="extension")
    steps.approve(1, date(2024, 1, 20))
    set_target(uow(), "planer", 1, on="2024-03-15")
    today_is(date(2024, 3, 1))
    assert attention(uow)["overdue_targets"] == []
    today_is(date(2024, 3, 16))
    assert [t["number"] for t in attention(uow)["overdue_targets"]] == [1]


def test_the_first_page_lists_the_overdue_target_and_the_milestones_due(dated, uow):
    report = quarterly_report(uow(), "ausschuss", "2024-Q1")
    pdf, _ = render_quarterly_pdf(report, made_on=date(2024, 4, 10))
    first = next(page for page in pdf_pages(pdf) if "Auf einen Blick" in page)
    flat = " ".join(first.split())
    assert "Zieltermin überschritten, nicht umgesetzt (1)" in flat
    assert "15.03.2024; freigegeben" in flat
    assert "Meilensteine, fällig im 2. Quartal 2024 (2)" in flat
    assert "Räume gefunden" in flat and "20.04.2024" in flat and "02.05.2024" in flat
    assert "Bericht" not in flat.split("Meilensteine, fällig")[1].split("Nachträge")[0]


def test_a_published_report_keeps_its_due_dates_after_the_target_date_is_moved(
        dated, uow, today_is):
    publish_quarterly(uow(), "planer", "2024-Q1")
    today_is(date(2024, 4, 20))
    set_target(uow(), "planer", 1, on="2024-12-31", reason="noch einmal verschoben")
    finish_milestone(uow(), "planer", dated["Räume gefunden"], on="2024-03-30")
    stored = quarterly_document(uow(), "ausschuss", "2024-Q1")
    assert stored.published
    figures = stored.data
    assert [t["target_on"] for t in figures["attention"]["overdue_targets"]] == ["2024-03-15"]
    assert len(figures["attention"]["milestones_due"]) == 2
