"""The quarterly report on a real database: rebuilt from history, a fixed number of statements,
and every figure of the JSON in the PDF."""

import re
import time
from datetime import date

import pytest
from controlling.reports.quarterly import render_quarterly_pdf, signed

from controlling.domain.formatting import format_date, format_number
from controlling.domain.vocabulary import STATUS_LABELS
from controlling.services.overview import overview
from controlling.services.quarterly import QUERIES, quarterly_report
from tests.report_builders import (
    StatementCounter,
    Steps,
    add_indicator,
    load_demo_copies,
    pdf_text,
    section,
)

STATUSES = ["proposed", "statistically_supported", "approved", "implemented", "rejected"]
DEMO_QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"]
MADE_ON = date(2025, 4, 7)


def counts(**given) -> dict:
    """Every status of the JSON, superseded included; STATUSES are the PDF's rows."""
    return {status: given.get(status, 0) for status in (*STATUSES, "superseded")}


def report_json(uow, quarter: str, login: str = "ausschuss") -> dict:
    return quarterly_report(uow(), login, quarter).to_dict()


# ---- time travel ------------------------------------------------------------------------------
@pytest.fixture
def history(uow, people):
    """Five recommendations whose changes spread over the four quarters of 2024."""
    add_indicator(uow)
    s = Steps(uow)
    s.add(1, date(2024, 1, 10))
    s.add(2, date(2024, 1, 20), district="Mitte/Styrum", department="3-2", kind="extension")
    s.support(1, date(2024, 2, 1))
    s.add(3, date(2024, 2, 5), district="Sterkrade-Nord")
    s.approve(1, date(2024, 3, 15))
    s.progress(1, "2024-Q1", "green", date(2024, 3, 20))
    s.add(4, date(2024, 3, 31), district="stadtweit", department="3-2")  # the quarter's last day
    s.add(5, date(2024, 4, 1))  # the next quarter's first day
    s.approve(2, date(2024, 4, 2))
    s.progress(2, "2024-Q2", "green", date(2024, 5, 1))
    s.reject(3, date(2024, 5, 10))
    s.progress(1, "2024-Q2", "yellow", date(2024, 6, 10))
    s.progress(1, "2024-Q2", "red", date(2024, 6, 20))  # the latest for the quarter counts
    s.support(5, date(2024, 6, 30))
    s.progress(2, "2024-Q3", "green", date(2024, 8, 1))  # 1 has no Sachstand for Q3
    s.implement(1, date(2024, 10, 5))
    s.progress(2, "2024-Q4", "yellow", date(2024, 11, 1))
    return s


EXPECTED = {
    "2024-Q1": {
        "totals": counts(proposed=3, approved=1),
        "by_department": {"3-1": counts(proposed=1, approved=1), "3-2": counts(proposed=2)},
        "transitions": [(1, None, "proposed", "2024-01-10"), (2, None, "proposed", "2024-01-20"),
                        (1, "proposed", "statistically_supported", "2024-02-01"),
                        (3, None, "proposed", "2024-02-05"),
                        (1, "statistically_supported", "approved", "2024-03-15"),
                        (4, None, "proposed", "2024-03-31")],
        "lights": {"green": 1, "yellow": 0, "red": 0, "none": 0},
        "stale": [], "red": [], "undecided": [],
    },
    "2024-Q2": {
        "totals": counts(proposed=1, statistically_supported=1, approved=2, rejected=1),
        "by_department": {"3-1": counts(statistically_supported=1, approved=1, rejected=1),
                          "3-2": counts(proposed=1, approved=1)},
        "transitions": [(5, None, "proposed", "2024-04-01"),
                        (2, "proposed", "approved", "2024-04-02"),
                        (3, "proposed", "rejected", "2024-05-10"),
                        (5, "proposed", "statistically_supported", "2024-06-30")],
        "lights": {"green": 1, "yellow": 0, "red": 1, "none": 0},
        "stale": [], "red": [1], "undecided": [],
    },
    "2024-Q3": {
        "totals": counts(proposed=1, statistically_supported=1, approved=2, rejected=1),
        "by_department": {"3-1": counts(statistically_supported=1, approved=1, rejected=1),
                          "3-2": counts(proposed=1, approved=1)},
        "transitions": [],
        "lights": {"green": 1, "yellow": 0, "red": 0, "none": 1},
        "stale": [1], "red": [], "undecided": [],
    },
    "2024-Q4": {
        "totals": counts(proposed=1, statistically_supported=1, approved=1, implemented=1,
                         rejected=1),
        "by_department": {"3-1": counts(statistically_supported=1, implemented=1, rejected=1),
                          "3-2": counts(proposed=1, approved=1)},
        "transitions": [(1, "approved", "implemented", "2024-10-05")],
        "lights": {"green": 0, "yellow": 1, "red": 0, "none": 0},
        "stale": [], "red": [], "undecided": [4],  # proposed in Q1, three quarters ago
    },
}


def essentials(data: dict) -> dict:
    return {
        "totals": data["totals"], "by_department": data["by_department"],
        "transitions": [(t["number"], t["from_status"], t["to_status"], t["effective_on"])
                        for t in data["transitions"]],
        "lights": data["lights"], "stale": data["stale"], "red": data["attention"]["red"],
        "undecided": data["attention"]["undecided"],
    }


def test_each_quarters_report_shows_that_quarters_state_by_effective_date(uow, history):
    for quarter, expected in EXPECTED.items():
        data = report_json(uow, quarter)
        assert data["quarter"] == quarter
        assert essentials(data) == expected, quarter
    q1 = report_json(uow, "2024-Q1")
    assert q1["as_of"] == "2024-03-31"
    assert q1["by_district"]["Osterfeld"] == counts(approved=1)
    assert q1["by_district"]["stadtweit"] == counts(proposed=1)
    assert q1["by_district"]["Oberhausen-Ost"] == counts()
    assert q1["previous"]["totals"] == counts()
    q4 = report_json(uow, "2024-Q4")
    assert q4["change"] == counts(approved=-1, implemented=1)
    assert q4["by_district"]["Osterfeld"] == counts(statistically_supported=1, implemented=1)


def test_later_changes_leave_the_reports_of_earlier_quarters_unchanged(uow, history):
    before = {quarter: report_json(uow, quarter) for quarter in EXPECTED}
    history.reject(4, date(2025, 1, 10))
    history.approve(5, date(2025, 2, 1))
    history.progress(2, "2025-Q1", "red", date(2025, 3, 3))
    history.progress(5, "2025-Q1", "green", date(2025, 3, 4))
    after = {quarter: report_json(uow, quarter) for quarter in EXPECTED}
    assert after == before
    q1_2025 = report_json(uow, "2025-Q1")
    assert q1_2025["totals"] == counts(approved=2, implemented=1, rejected=2)
    assert q1_2025["lights"] == {"green": 1, "yellow": 0, "red": 1, "none": 0}


def test_a_status_change_recorded_later_but_effective_in_the_quarter_counts_in_it(uow, people):
    steps = Steps(uow)
    steps.add(1, date(2024, 1, 10), kind="extension")
    before = report_json(uow, "2024-Q1")
    steps.approve(1, date(2024, 3, 30))  # recorded today, effective in 2024-Q1
    after = report_json(uow, "2024-Q1")
    assert before["totals"]["approved"] == 0 and after["totals"]["approved"] == 1
    assert after["stale"] == [1]


# ---- a fixed number of statements ------------------------------------------------------------
def measure(engine, uow, quarter="2025-Q1") -> tuple[int, float, float, int]:
    """Statements and seconds for the data, seconds for the PDF, and its number of pages."""
    with StatementCounter(engine) as counter:
        started = time.perf_counter()
        report = quarterly_report(uow(), "admin", quarter)
        built = time.perf_counter() - started
        started = time.perf_counter()
        _, pages = render_quarterly_pdf(report, made_on=MADE_ON)
        rendered = time.perf_counter() - started
    return counter.count, built, rendered, pages


def test_the_report_takes_the_same_statements_for_ten_times_the_data(engine, uow, capsys):
    assert load_demo_copies(uow, 1) == 10
    small, small_build, small_render, small_pages = measure(engine, uow)
    assert load_demo_copies(uow, 10) == 100
    large, large_build, large_render, large_pages = measure(engine, uow)
    assert small == large == QUERIES + 1  # + the acting user
    assert large_pages > small_pages
    with capsys.disabled():
        print(f"\n[{engine.dialect.name}] Bericht 2025-Q1: 10 Empfehlungen {small} Statements, "
              f"Daten {small_build:.3f} s, PDF {small_render:.2f} s ({small_pages} Seiten); "
              f"100 Empfehlungen {large} Statements, Daten {large_build:.3f} s, "
              f"PDF {large_render:.2f} s ({large_pages} Seiten)")


# ---- every figure of the JSON in the PDF -----------------------------------------------------
@pytest.fixture
def demo(uow):
    load_demo_copies(uow, 1)


def figures_in_pdf(data: dict, text: str) -> None:
    """Assert that every figure of the JSON appears in the PDF, where the PDF shows it."""
    assert f"Stand: {format_date(date.fromisoformat(data['as_of']))}" in text
    quarter_number, year = data["quarter"][-1], data["quarter"][:4]
    assert f"{quarter_number}. Quartal {year}" in text

    summary = section(text, "1.1 Empfehlungen nach Status", "1.2 Ampeln")
    previous = data["previous"]["totals"]
    for status in STATUSES:
        row = (f"{STATUS_LABELS[status]} {previous[status]} {data['totals'][status]} "
               f"{signed(data['change'][status])}")
        assert row in summary, row
    previous_total = sum(previous.values())
    assert (f"insgesamt {previous_total} {data['total']} "
            f"{signed(data['total'] - previous_total)}") in summary

    lights = section(text, "1.2 Ampeln", "1.3 Übersicht")
    for key, word in (("green", "grün"), ("yellow", "gelb"), ("red", "rot"),
                      ("none", "ohne Sachstand")):
        assert f"{word} {data['lights'][key]}" in lights
    assert f"freigegeben insgesamt {data['totals']['approved']}" in lights

    districts = section(text, "1.3 Übersicht nach Sozialraum", "1.4 Übersicht")
    for name, figures in data["by_district"].items():
        row = " ".join([name, *(str(figures[s]) for s in STATUSES), str(sum(figures.values()))])
        assert row in districts, row
    departments = section(text, "1.4 Übersicht nach Bereich", "2 Empfehlungen nach")
    for code, figures in data["by_department"].items():
        name = data["departments"][code]
        row = " ".join([name, *(str(figures[s]) for s in STATUSES), str(sum(figures.values()))])
        assert row in departments, row

    by_district = section(text, "2 Empfehlungen nach Sozialraum", "3 Empfehlungen nach")
    for rec in data["recommendations"]:
        assert f"{rec['number']} {rec['title']}" in by_district
        if rec["latest_progress"]:
            assert rec["latest_progress"]["note"] in by_district

    changes = section(text, "4 Statusänderungen", "5 Handlungsbedarf")
    rows = re.findall(r"\d\d\.\d\d\.\d{4} \d+ ", changes)
    assert len(rows) == len(data["transitions"])
    for t in data["transitions"]:
        assert f"{format_date(date.fromisoformat(t['effective_on']))} {t['number']} " in changes
        if t["evidence"]:
            assert format_number(t["evidence"]["district_value"]) in changes
            assert format_number(t["evidence"]["city_value"]) in changes

    approved = [r["number"] for r in data["recommendations"] if r["status"] == "approved"]
    stale = section(text, "5.1 Freigegeben ohne Sachstand", "5.2 Rote Ampel")
    red = section(text, "5.2 Rote Ampel", "5.3 Seit")
    undecided = section(text, "5.3 Seit mehr als zwei Quartalen", "6 Nachträge")
    for numbers, part in ((data["stale"], stale), (data["attention"]["red"], red),
                          (data["attention"]["undecided"], undecided)):
        for number in approved + data["attention"]["undecided"]:
            assert (re.search(rf"\b{number} ", part) is not None) == (number in numbers), (
                number, part)


def test_every_figure_of_the_json_appears_in_the_pdf(uow, demo):
    for quarter in DEMO_QUARTERS:
        report = quarterly_report(uow(), "admin", quarter)
        pdf, _ = render_quarterly_pdf(report, made_on=MADE_ON)
        figures_in_pdf(report.to_dict(), pdf_text(pdf))


def test_todays_overview_matches_the_report_of_the_running_quarter(uow, demo):
    today = overview(uow(), "beispiel.ausschuss")
    running = report_json(uow, today["quarter"], login="beispiel.ausschuss")
    assert today["totals"] == running["totals"]
    assert today["by_district"] == running["by_district"]
    assert today["stale"] == running["stale"] == [902, 903, 904, 910]
    assert today["attention"]["undecided"] == [907, 908]


# ---- supersession -----------------------------------------------------------------
def test_a_superseded_recommendation_gets_its_own_row_and_column_and_the_totals_add_up(
        uow, people):
    from controlling.services.recommendations import add_recommendation, change_status

    for number in (1, 2):
        add_recommendation(uow(), "planer", number=number, title=f"Empfehlung Nummer {number}",
                           district="Osterfeld", department="3-1", on=date(2024, 1, 10))
    change_status(uow(), "planer", 1, "supersede", successor=2, note="neu gefasst",
                  on=date(2024, 2, 1))
    report = quarterly_report(uow(), "ausschuss", "2024-Q1")
    assert report.to_dict()["totals"] == counts(proposed=1, superseded=1)
    text = pdf_text(render_quarterly_pdf(report, made_on=MADE_ON)[0])
    assert re.search(r"ersetzt 0 1 \+1", text), text
    assert re.search(r"insgesamt 0 2 \+2", text), text
    assert re.search(r"Osterfeld 1 0 0 0 0 1 2", text), text


def test_a_superseded_recommendation_names_its_successor_in_the_json_and_every_table(
        uow, people):
    from controlling.services.recommendations import add_recommendation, change_status

    for number in (1, 12):
        add_recommendation(uow(), "planer", number=number, title=f"Empfehlung Nummer {number}",
                           district="Osterfeld", department="3-1", on=date(2024, 1, 10))
    change_status(uow(), "planer", 1, "supersede", successor=12, note="neu gefasst",
                  on=date(2024, 2, 1))
    before = quarterly_report(uow(), "ausschuss", "2023-Q4")
    assert before.recommendations == ()
    lines = {line.number: line.to_dict() for line in
             quarterly_report(uow(), "ausschuss", "2024-Q1").recommendations}
    assert (lines[1]["superseded_by"], lines[12]["superseded_by"]) == (12, None)
    text = " ".join(pdf_text(render_quarterly_pdf(
        quarterly_report(uow(), "ausschuss", "2024-Q1"), made_on=MADE_ON)[0]).split())
    districts = text[text.index("2 Empfehlungen nach Sozialraum"):]
    assert "1 Empfehlung Nummer 1 3-1 ersetzt durch Nr. 12" in districts
    departments = text[text.index("3 Empfehlungen nach Bereich"):]
    assert "1 Empfehlung Nummer 1 Osterfeld ersetzt durch Nr. 12" in departments
    changes = text[text.index("4 Statusänderungen"):]
    assert "vorgeschlagen → ersetzt durch Nr. 12" in changes
