"""The strategy paper and the city report on a real database: data built through the services,
figures counted by hand, every figure of the JSON in the PDF, a fixed number of statements."""

import time
from datetime import date

import pytest
from controlling.reports.city_report import render_city_report_pdf
from controlling.reports.strategy_paper import render_strategy_paper_pdf

from controlling.data.unit_of_work import UnitOfWork
from controlling.domain.errors import InvalidInput, NotFound
from controlling.services import awareness
from controlling.services.city_report import QUERIES as CITY_QUERIES
from controlling.services.city_report import city_report
from controlling.services.strategy_paper import QUERIES as PAPER_QUERIES
from controlling.services.strategy_paper import strategy_paper
from tests.paper_builders import PAPER_DAY, build_city, build_copies, missing_in, paper_body
from tests.report_builders import StatementCounter


@pytest.fixture(scope="module")
def city(module_engine, tmp_path_factory):
    """The data set of build_city once per backend; the tests only read it."""
    def uow():
        return UnitOfWork(module_engine)

    made = build_city(uow, tmp_path_factory.mktemp("paper"))
    return uow, made


@pytest.fixture(scope="module")
def paper(city):
    uow, _ = city
    return strategy_paper(uow(), "ausschuss", "osterfeld", on=PAPER_DAY)


@pytest.fixture(scope="module")
def overview(city):
    uow, _ = city
    return city_report(uow(), "ausschuss", on=PAPER_DAY)


def titles(entries) -> list[str]:
    return [entry["title"] for entry in entries]


# ---- the strategy paper -------------------------------------------------------------------------
def test_the_paper_lists_the_districts_own_and_the_city_wide_measures_only(paper):
    assert paper["district"] == "Osterfeld" and paper["as_of"] == "2025-04-07"
    own, city = paper["measures"]["district"], paper["measures"]["citywide"]
    assert titles(own) == ["Offener Jugendtreff „Knappenhaus“", "Seniorenfrühstück im Quartier"]
    assert own[1]["districts"] == ["Osterfeld", "Sterkrade-Mitte"]
    assert own[1]["ends_on"] == "2026-06-30" and not own[1]["expired"]
    assert own[0]["recommendations"] == [1] and own[0]["department"] == "3-1"
    assert titles(city) == ["Schuldnerberatung der Stadt"]
    assert city[0]["expired"] and city[0]["implementation_status"] is None


def test_the_recommendations_show_their_status_and_latest_sachstand_on_the_day_made(paper):
    by_number = {r["number"]: r for r in paper["recommendations"]}
    assert sorted(by_number) == [1, 2, 3, 7]  # Mitte/Styrum's and Sterkrade-Nord's are not here
    assert by_number[1]["status"] == "approved" and by_number[1]["measures"] == [1]
    assert by_number[1]["latest_progress"] == {
        "quarter": "2024-Q4", "light": "red", "effective_on": "2024-12-10",
        "note": "Träger abgesprungen; Übergabe an die Gemeinde geprüft."}
    # made on 07.04.2025: the current Sachstand is 2025-Q1's, so 2024-Q4's red is older
    assert paper["light_quarter"] == "2025-Q1"
    assert (by_number[1]["light"], by_number[1]["progress_age"]) == ("none", "older")
    assert (by_number[3]["light"], by_number[3]["progress_age"]) == (None, None)
    assert by_number[2]["kind"] == "extension" and by_number[2]["latest_progress"] is None
    assert (by_number[2]["status"], by_number[2]["status_on"]) == ("superseded", "2025-02-10")
    assert by_number[2]["superseded_by"] == 7 and by_number[7]["superseded_by"] is None
    assert by_number[2]["status_note"] == "Verstetigung statt Verlängerung"
    assert by_number[3]["status"] == "rejected"
    assert by_number[3]["status_note"] == "Bedarf durch Spielplätze gedeckt"
    assert paper["totals"] == {"proposed": 1, "statistically_supported": 0, "approved": 1,
                               "implemented": 0, "rejected": 1, "superseded": 1}
    assert [r["number"] for r in paper["citywide_recommendations"]] == [4]
    assert paper["citywide_recommendations"][0]["status_note"] is None


def test_a_paper_made_on_an_earlier_day_shows_that_days_state(city):
    uow, _ = city
    earlier = strategy_paper(uow(), "planer", "Osterfeld", on=date(2024, 2, 15))
    assert {r["number"]: r["status"] for r in earlier["recommendations"]} == {
        1: "statistically_supported", 2: "proposed", 3: "proposed"}
    assert all(r["superseded_by"] is None for r in earlier["recommendations"])
    assert earlier["citywide_recommendations"] == []  # number 4 came in April


def test_each_indicator_compares_the_district_with_the_city_over_the_years(paper):
    (sgb2,) = paper["indicators"]
    assert sgb2["code"] == "sgb2_quote" and sgb2["higher_is_worse"] is True
    assert [(y["year"], y["district"], y["citywide"], y["difference"], y["assessment"])
            for y in sgb2["years"]] == [(2020, 21.25, 17.75, 3.5, "worse"),
                                        (2022, 20.6, 17.1, 3.5, "worse"),
                                        (2024, 20.4, 16.9, 3.5, "worse")]
    assert sgb2["latest"]["year"] == 2024


def test_the_awareness_counts_only_the_events_held_in_the_district(paper, city):
    _, made = city
    offers = {o["measure"]: o for o in paper["awareness"]}
    debt = offers["Schuldnerberatung der Stadt"]  # 6 green, 6 red in Styrum do not count
    assert (debt["known_yes"], debt["known_no"], debt["share_known"]) == (3, 9, 0.25)
    assert [i["text"] for i in debt["ideas"]] == ["Aushang in Arztpraxen und Apotheken",
                                                  "Über die Kirchengemeinde"]
    youth = offers["Offener Jugendtreff „Knappenhaus“"]
    assert (youth["known_yes"], youth["known_no"]) == (14, 7)
    assert [e["held_on"] for e in youth["events"]] == ["2021-11-10", "2023-09-28"]
    assert [o["measure_id"] for o in paper["awareness"]] == [made["measures"]["city", 0],
                                                             made["measures"]["own", 0]]


def test_every_figure_of_the_papers_json_appears_in_its_pdf(paper):
    pdf, pages = render_strategy_paper_pdf(paper, made_on=PAPER_DAY)
    assert pages >= 6
    assert missing_in(paper, paper_body(pdf)) == []


def test_without_a_computed_index_both_reports_carry_none_and_their_pdfs_say_how(
        paper, overview):
    sentence = ("Für die Sozialquartiere ist noch kein Sozialindex berechnet (berechnen mit "
                "„controlling index compute“).")
    assert paper["sozialindex"] is None and overview["sozialindex"] is None
    for data, render in ((paper, render_strategy_paper_pdf), (overview, render_city_report_pdf)):
        assert sentence in paper_body(render(data, made_on=PAPER_DAY)[0])


def test_an_unknown_district_and_stadtweit_get_no_strategy_paper(city):
    uow, _ = city
    with pytest.raises(NotFound, match="Unbekannter Sozialraum 'Nirgendwo'"):
        strategy_paper(uow(), "ausschuss", "Nirgendwo", on=PAPER_DAY)
    with pytest.raises(InvalidInput, match="'stadtweit' ist keiner"):
        strategy_paper(uow(), "ausschuss", "Stadtweit", on=PAPER_DAY)
    with pytest.raises(NotFound, match="Unbekannter Benutzer"):
        strategy_paper(uow(), "niemand", "Osterfeld", on=PAPER_DAY)


def test_a_day_in_the_future_is_refused(city, today_is):
    uow, _ = city
    tomorrow = today_is(date(2025, 7, 5))
    with pytest.raises(InvalidInput, match="liegt in der Zukunft"):
        city_report(uow(), "ausschuss", on=tomorrow)


# ---- the city report ---------------------------------------------------------------------------
def test_the_city_report_counts_statuses_and_latest_lights_per_district(overview):
    assert overview["districts"][-1] == "stadtweit" and len(overview["districts"]) == 7
    assert overview["by_district"]["Osterfeld"] == {
        "proposed": 1, "statistically_supported": 0, "approved": 1, "implemented": 0,
        "rejected": 1, "superseded": 1}
    assert overview["by_district"]["Sterkrade-Nord"]["proposed"] == 1
    assert overview["by_district"]["stadtweit"]["proposed"] == 1
    assert overview["total"] == 7 and overview["totals"]["superseded"] == 1
    # on 07.04.2025 the current Sachstand is 2025-Q1's; 1 has 2024-Q4's, 5 has 2024-Q2's: older
    assert overview["light_quarter"] == "2025-Q1"
    assert overview["lights"]["Osterfeld"] == {"green": 0, "yellow": 0, "red": 0, "none": 1}
    assert overview["lights"]["Mitte/Styrum"] == {"green": 0, "yellow": 0, "red": 0, "none": 1}
    assert overview["light_totals"] == {"green": 0, "yellow": 0, "red": 0, "none": 2}
    assert overview["older_progress"]["Osterfeld"] == 1
    assert overview["older_progress"]["Mitte/Styrum"] == 1
    assert overview["older_progress_total"] == 2


def test_the_city_report_ranks_the_districts_worst_first_with_shared_ranks(overview):
    (sgb2,) = overview["rankings"]
    assert (sgb2["year"], sgb2["citywide"]) == (2024, 16.9)
    assert [(p["rank"], p["district"], p["value"], p["assessment"]) for p in sgb2["ranking"]] == [
        (1, "Mitte/Styrum", 23.15, "worse"), (2, "Alstaden/Lirich", 20.4, "worse"),
        (2, "Osterfeld", 20.4, "worse"), (4, "Oberhausen-Ost", 16.9, "equal"),
        (5, "Sterkrade-Mitte", 13.9, "better"), (6, "Sterkrade-Nord", 10.775, "better")]
    assert sgb2["without_value"] == []


def test_the_city_report_lists_the_least_known_offers_over_all_events(overview):
    assert [(o["measure"], o["known_yes"], o["known_no"], o["share_known"], o["events"])
            for o in overview["least_known"]] == [
        ("Schuldnerberatung der Stadt", 9, 15, 0.375, 2),
        ("Offener Jugendtreff „Knappenhaus“", 14, 7, 14 / 21, 2)]


def test_every_figure_of_the_city_reports_json_appears_in_its_pdf(overview):
    pdf, _ = render_city_report_pdf(overview, made_on=PAPER_DAY)
    assert missing_in(overview, paper_body(pdf)) == []


# ---- a fixed number of statements ---------------------------------------------------------------
def measure(engine, build, render) -> tuple[int, float, float, int]:
    """Statements and seconds for the data, seconds for the PDF, and its number of pages."""
    with StatementCounter(engine) as counter:
        started = time.perf_counter()
        data = build()
        built = time.perf_counter() - started
    started = time.perf_counter()
    _, pages = render(data, made_on=PAPER_DAY)
    return counter.count, built, time.perf_counter() - started, pages


def test_both_reports_take_the_same_statements_for_ten_times_the_data(engine, uow, people,
                                                                      tmp_path, capsys):
    reports = {
        "Strategiepapier": (lambda: strategy_paper(uow(), "ausschuss", "Osterfeld",
                                                   on=PAPER_DAY), render_strategy_paper_pdf,
                            PAPER_QUERIES),
        "Sozialkonferenz": (lambda: city_report(uow(), "ausschuss", on=PAPER_DAY),
                            render_city_report_pdf, CITY_QUERIES),
    }
    build_city(uow, tmp_path, copies=1)
    small = {name: measure(engine, build, render) for name, (build, render, _) in
             reports.items()}
    build_copies(uow, tmp_path, range(1, 10), indicators=10)  # ten times the data
    large = {name: measure(engine, build, render) for name, (build, render, _) in
             reports.items()}
    for name, (_, _, queries) in reports.items():
        assert small[name][0] == large[name][0] == queries + awareness.QUERIES, name
        assert large[name][3] > small[name][3], name
        with capsys.disabled():
            print(f"\n[{engine.dialect.name}] {name}: 1× {small[name][0]} Statements, Daten "
                  f"{small[name][1]:.3f} s, PDF {small[name][2]:.2f} s ({small[name][3]} "
                  f"Seiten); 10× {large[name][0]} Statements, Daten {large[name][1]:.3f} s, "
                  f"PDF {large[name][2]:.2f} s ({large[name][3]} Seiten)")


def test_the_papers_and_the_city_views_lights_follow_the_quarterly_reports_rule(city):
    """A paper made in 2025-Q1 (the latest ended quarter is 2024-Q4) shows 2024-Q4's red as
    current, the same light as the quarterly report of 2024-Q4."""
    from controlling.services.quarterly import quarterly_report

    uow, _ = city
    day = date(2025, 1, 20)
    paper_ = strategy_paper(uow(), "ausschuss", "Osterfeld", on=day)
    city_ = city_report(uow(), "ausschuss", on=day)
    report = quarterly_report(uow(), "ausschuss", "2024-Q4")
    (first,) = [r for r in paper_["recommendations"] if r["number"] == 1]
    assert paper_["light_quarter"] == city_["light_quarter"] == "2024-Q4"
    assert (first["light"], first["progress_age"]) == ("red", "current")
    assert first["light"] == {line.number: line.light
                              for line in report.recommendations}[1]
    assert city_["light_totals"] == report.lights
    assert city_["older_progress"]["Mitte/Styrum"] == 1  # 2024-Q2's yellow


def test_the_strategy_paper_reads_only_its_districts_history_not_the_citys(city):
    """The history of one Sozialraum (and the city-wide recommendations) is all the paper
    loads; the other districts' status changes and Sachstände stay in the database."""
    from sqlalchemy import func, select

    from controlling.data.models import District, Recommendation, StatusChange
    from controlling.services.quarterly import load_history

    uow, _ = city
    with uow() as work:
        session = work.session
        ids = set(session.scalars(select(District.id).where(
            District.name.in_(["Osterfeld", "stadtweit"]))))
        own = load_history(session, PAPER_DAY, district_ids=ids)
        everything = load_history(session, PAPER_DAY)
        in_district = session.scalar(
            select(func.count()).select_from(StatusChange)
            .join(Recommendation, StatusChange.recommendation_id == Recommendation.id)
            .where(Recommendation.district_id.in_(ids), StatusChange.effective_on <= PAPER_DAY))
    assert {r.district for r in own.recommendations} <= {"Osterfeld", "stadtweit"}
    assert len(own.changes) == in_district < len(everything.changes)
    assert {p.recommendation_id for p in own.progress} <= {r.id for r in own.recommendations}
    assert len(own.recommendations) < len(everything.recommendations)
