"""The Sozialindex in the papers on both databases: the strategy paper's district
analysis holds the district's Sozialquartiere with the classes the index computed, in rank
order, the city view ranks them all; JSON, PDF and HTML from the one data function; still a
fixed number of statements."""

import json

import pytest
from controlling.reports.city_report import render_city_report_pdf
from controlling.reports.strategy_paper import render_strategy_paper_pdf

from controlling.data.unit_of_work import UnitOfWork
from controlling.domain.sozialindex import DynamicsClass, StatusClass
from controlling.services import awareness
from controlling.services.city_report import QUERIES as CITY_QUERIES
from controlling.services.city_report import city_report
from controlling.services.sozialindex import compute
from controlling.services.strategy_paper import QUERIES as PAPER_QUERIES
from controlling.services.strategy_paper import strategy_paper
from tests.paper_builders import (
    PAPER_DAY,
    build_city,
    build_copies,
    build_index,
    missing_in,
    paper_body,
)
from tests.report_builders import StatementCounter, pdf_text
from tests.web_support import add_team, cheap_hashing, give_own_password, signed_in, web_app


@pytest.fixture(scope="module")
def indexed(module_engine, tmp_path_factory):
    """build_city's data set with nine Sozialquartiere and their index, once per backend."""
    def uow():
        return UnitOfWork(module_engine)

    folder = tmp_path_factory.mktemp("index")
    build_city(uow, folder)
    return uow, build_index(uow, folder)


@pytest.fixture(scope="module")
def paper(indexed):
    uow, _ = indexed
    return strategy_paper(uow(), "ausschuss", "Osterfeld", on=PAPER_DAY)


def rows(areas: list[dict]) -> list[tuple]:
    return [(a["rank"], a["area"], a["district"], a["status"], a["status_class"],
             a["dynamics"], a["dynamics_class"]) for a in areas]


def paper_rows(areas: list[dict]) -> list[tuple]:
    return [(a["rank"], a["area"], a["district"], a["status_index"], a["status_class"],
             a["dynamics_index"], a["dynamics_class"]) for a in areas]


def test_the_papers_analysis_holds_the_districts_quarters_with_the_computed_classes(
        indexed, paper):
    _, computed = indexed
    index = paper["sozialindex"]
    assert (index["computation"], index["method"], index["year"], index["base_year"]) == (
        computed["id"], "z-mean-1", 2024, 2022)
    assert index["indicators"] == [{"code": "sgb2_quartier",
                                    "label": "SGB-II-Quote im Quartier in %",
                                    "higher_is_worse": True}]
    assert index["areas_total"] == 9
    own = [a for a in computed["areas"] if a["district"] == "Osterfeld"]
    assert paper_rows(index["areas"]) == rows(own)
    # in rank order: Tackenberg (27,5 %) first; Eisenheim (10,0 %) below the city's mean
    assert [a["area"] for a in index["areas"]] == ["Tackenberg", "Vonderort", "Eisenheim"]
    assert [a["rank"] for a in index["areas"]] == sorted(a["rank"] for a in index["areas"])
    for area in index["areas"]:
        assert area["status_label"] == StatusClass(area["status_class"]).label
        assert area["dynamics_label"] == DynamicsClass(area["dynamics_class"]).label
    assert {a["status_class"] for a in computed["areas"]} > {"medium"}  # classes do differ


def test_the_city_view_ranks_every_quarter_as_computed(indexed):
    uow, computed = indexed
    overview = city_report(uow(), "ausschuss", on=PAPER_DAY)
    index = overview["sozialindex"]
    assert index["computation"] == computed["id"] and index["areas_total"] == 9
    assert paper_rows(index["areas"]) == rows(computed["areas"])
    assert [a["rank"] for a in index["areas"]] == list(range(1, 10))
    assert index["areas"][0]["area"] == "Styrum-Süd"  # 31 %: the most poverty risk


def test_every_figure_of_the_index_appears_in_both_pdfs(indexed, paper):
    uow, _ = indexed
    content, _ = render_strategy_paper_pdf(paper, made_on=PAPER_DAY)
    assert missing_in(paper, paper_body(content)) == []
    assert "Tackenberg" in pdf_text(content)
    overview = city_report(uow(), "ausschuss", on=PAPER_DAY)
    content, _ = render_city_report_pdf(overview, made_on=PAPER_DAY)
    assert missing_in(overview, paper_body(content)) == []


def test_the_json_of_the_paper_carries_the_index_beside_every_earlier_key(indexed,
                                                                          module_cli):
    result = module_cli("report", "strategy-paper", "--district", "Osterfeld", "--format",
                        "json", "--made-on", "07.04.2025", user="ausschuss")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"district", "as_of", "indicators", "measures", "totals", "recommendations",
            "citywide_totals", "citywide_recommendations", "awareness", "departments",
            "example", "light_quarter"} < set(data)
    assert [a["area"] for a in data["sozialindex"]["areas"]] == ["Tackenberg", "Vonderort",
                                                                 "Eisenheim"]
    city = json.loads(module_cli("report", "city", "--format", "json", "--made-on",
                                 "07.04.2025", user="ausschuss").output)
    assert len(city["sozialindex"]["areas"]) == 9


def test_a_computation_over_the_sozialraeume_does_not_replace_the_quarters_in_the_papers(
        indexed):
    """The papers show the newest computation over the Sozialquartiere; a newer one over
    the Sozialräume (another level) leaves them as they were."""
    uow, computed = indexed
    district_level = compute(uow(), "planer", year=2024, level="district")
    assert district_level["id"] > computed["id"]
    paper_ = strategy_paper(uow(), "ausschuss", "Osterfeld", on=PAPER_DAY)
    assert paper_["sozialindex"]["computation"] == computed["id"]


# ---- the page in the web app -----------------------------------------------------------------
def test_the_strategy_paper_and_city_pages_show_the_quarters_with_their_classes(
        db_url, uow, monkeypatch, tmp_path):
    cheap_hashing(monkeypatch)
    add_team(uow)
    build_city(uow, tmp_path)
    computed = build_index(uow, tmp_path)
    give_own_password(uow, "ausschuss")
    browser = signed_in(web_app(db_url), "ausschuss")
    html = browser.get("/berichte/strategiepapier", params={"district": "Osterfeld"}).text
    section = html[html.index("<h3>Sozialindex der Sozialquartiere</h3>"):
                   html.index("<h2>Bestand an Maßnahmen</h2>")]
    assert f"Berechnung Nr. {computed['id']} (Methode z-mean-1, Jahr 2024" in section
    assert '<caption>Sozialquartiere in Osterfeld im Sozialindex 2024' in section
    own = [a for a in computed["areas"] if a["district"] == "Osterfeld"]
    for area in own:
        status = StatusClass(area["status_class"]).label
        dynamics = DynamicsClass(area["dynamics_class"]).label
        assert (f'<td>{area["rank"]}.</td><th scope="row">{area["area"]}</th>') in section
        assert f"<td>{status}</td>" in section and f"<td>{dynamics}</td>" in section
    assert section.index("Tackenberg") < section.index("Vonderort") < section.index(
        "Eisenheim")
    assert "Styrum-Süd" not in section
    city = browser.get("/berichte/stadt").text
    ranked = city[city.index("<h2>Sozialquartiere im Sozialindex</h2>"):]
    positions = [ranked.index(f'<th scope="row">{a["area"]}</th>') for a in computed["areas"]]
    assert positions == sorted(positions) and len(positions) == 9


def test_without_an_index_the_pages_say_how_to_compute_one(db_url, uow, monkeypatch):
    cheap_hashing(monkeypatch)
    add_team(uow)
    give_own_password(uow, "ausschuss")
    browser = signed_in(web_app(db_url), "ausschuss")
    sentence = ("Für die Sozialquartiere ist noch kein Sozialindex berechnet (berechnen mit "
                "„controlling index compute“).")
    for page in (browser.get("/berichte/strategiepapier", params={"district": "Osterfeld"}),
                 browser.get("/berichte/stadt")):
        assert page.status_code == 200 and sentence in page.text


# ---- a fixed number of statements ---------------------------------------------------------------
def test_both_reports_take_the_same_statements_for_ten_times_the_quarters(engine, uow, people,
                                                                         tmp_path):
    reports = {
        "Strategiepapier": (lambda: strategy_paper(uow(), "ausschuss", "Osterfeld",
                                                   on=PAPER_DAY), PAPER_QUERIES),
        "Sozialkonferenz": (lambda: city_report(uow(), "ausschuss", on=PAPER_DAY),
                            CITY_QUERIES),
    }

    def count(build) -> tuple[int, int]:
        with StatementCounter(engine) as counter:
            data = build()
        return counter.count, len(data["sozialindex"]["areas"])

    build_city(uow, tmp_path, copies=1)
    build_index(uow, tmp_path)
    small = {name: count(build) for name, (build, _) in reports.items()}
    build_copies(uow, tmp_path, range(1, 10), indicators=10)
    build_index(uow, tmp_path, copies=range(1, 10))  # 90 quarters, computed again
    large = {name: count(build) for name, (build, _) in reports.items()}
    for name, (_, queries) in reports.items():
        assert small[name][0] == large[name][0] == queries + awareness.QUERIES, name
        assert large[name][1] == 10 * small[name][1], name
