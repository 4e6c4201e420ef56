"""The strategy paper and the city view as accessible pages (BITV 2.0): the same
data function as their JSON and PDF, tables with a caption and header cells with scope, the
lights with their age; on SQLite and PostgreSQL."""

import re

import pytest

from controlling.services.city_report import city_report
from controlling.services.strategy_paper import strategy_paper
from tests.paper_builders import build_city
from tests.web_support import add_team, cheap_hashing, give_own_password, signed_in, web_app


@pytest.fixture
def committee(db_url, uow, monkeypatch, tmp_path):
    cheap_hashing(monkeypatch)
    add_team(uow)
    build_city(uow, tmp_path)
    give_own_password(uow, "ausschuss")
    return signed_in(web_app(db_url), "ausschuss")


def tables_are_accessible(html: str) -> None:
    tables = re.findall(r"<table>(.*?)</table>", html, re.S)
    assert tables
    for table in tables:
        assert re.match(r"\s*<caption>[^<]+</caption>", table), table[:200]
        heads = re.findall(r"<th\b[^>]*>", table)
        assert heads and all('scope="col"' in th or 'scope="row"' in th for th in heads)


def test_the_strategy_paper_page_shows_the_papers_data_with_accessible_tables(committee, uow):
    page = committee.get("/berichte/strategiepapier", params={"district": "Osterfeld"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    tables_are_accessible(html)
    data = strategy_paper(uow(), "ausschuss", "Osterfeld")
    assert "<h1>Strategiepapier Sozialraum Osterfeld</h1>" in html
    for rec in data["recommendations"] + data["citywide_recommendations"]:
        assert f"{rec['title']}</th>" in html
    for measure in data["measures"]["district"] + data["measures"]["citywide"]:
        assert measure["title"] in html
    quarter = data["light_quarter"]
    year, number = quarter.split("-Q")
    assert f"Sachstand für das {number}. Quartal {year}" in html
    assert "rot (2024-Q4, älter)" in html  # number 1: its latest Sachstand is 2024-Q4's
    assert "ersetzt durch Nr. 7" in html  # number 2 was superseded by 7
    assert 'href="/berichte/strategiepapier.pdf?district=Osterfeld"' in html


def test_the_city_view_page_shows_the_same_figures_as_its_json(committee, uow):
    page = committee.get("/berichte/stadt")
    assert page.status_code == 200
    html = page.text
    tables_are_accessible(html)
    data = city_report(uow(), "ausschuss")
    assert "<h1>Stadtweiter Überblick für die Sozialkonferenz</h1>" in html
    row = re.search(r'<th scope="row">Osterfeld</th>((?:<td class="num">\d+</td>){7})', html)
    counts = [int(n) for n in re.findall(r"\d+", row.group(1))]
    assert counts == [*data["by_district"]["Osterfeld"].values(),
                      sum(data["by_district"]["Osterfeld"].values())]
    lights = data["lights"]["Mitte/Styrum"]
    assert (f'<th scope="row">Mitte/Styrum</th><td class="num">{lights["green"]}</td>'
            f'<td class="num">{lights["yellow"]}</td><td class="num">{lights["red"]}</td>'
            f'<td class="num">{lights["none"]}</td>'
            f'<td class="num">{data["older_progress"]["Mitte/Styrum"]}</td>') in html
    for entry in data["rankings"]:
        assert f"<h3>{entry['label']}</h3>" in html


def test_the_reports_page_links_each_paper_as_a_page_and_as_a_pdf(committee):
    html = committee.get("/berichte").text
    assert 'href="/berichte/strategiepapier?district=Osterfeld"' in html
    assert 'href="/berichte/stadt"' in html and 'href="/berichte/stadt.pdf"' in html


def test_the_quarterly_page_names_the_successor_of_a_superseded_recommendation(committee):
    html = committee.get("/berichte/quartal/2025-Q1").text
    assert re.search(r"<td>2</td><td>Seniorenfrühstück verlängern</td>.*?<td>ersetzt durch "
                     r"Nr\. 7</td>", html)
