"""The pure figures of the strategy paper and the city report: comparisons with the city,
series over the years, rankings, the least-known offers."""

from controlling.services.city_report import least_known, ranking
from controlling.services.strategy_paper import assessment, difference, indicator_series
from tests.paper_builders import AWARENESS, DISTRICTS, INDICATORS


def test_a_district_is_worse_when_higher_is_worse_and_its_value_is_higher():
    assert assessment(20.4, 17.1, True) == "worse"
    assert assessment(12.0, 17.1, True) == "better"
    assert assessment(31.25, 36.5, False) == "worse"
    assert assessment(40.0, 36.5, False) == "better"
    assert assessment(17.1, 17.1, True) == "equal"
    assert assessment(None, 17.1, True) is None and assessment(1.0, None, False) is None


def test_the_difference_has_no_noise_of_binary_fractions():
    assert difference(23.9, 17.1) == 6.8
    assert difference(0.1, 0.3) == -0.2
    assert difference(None, 1.0) is None


def test_an_indicator_series_joins_the_years_of_district_and_city():
    series = indicator_series(INDICATORS[1], "Osterfeld")
    assert [entry["year"] for entry in series["years"]] == [2021, 2022]
    assert series["years"][0] == {"year": 2021, "district": None, "citywide": 38.0,
                                  "difference": None, "assessment": None}
    assert series["latest"] == {"year": 2022, "district": 31.25, "citywide": 36.5,
                                "difference": -5.25, "assessment": "worse"}
    assert indicator_series(INDICATORS[0], "Oberhausen-Ost")["latest"] is None


def test_the_ranking_puts_the_worst_first_and_gives_equal_values_one_rank():
    higher = ranking(INDICATORS[0], DISTRICTS)
    assert higher["year"] == 2024 and higher["citywide"] == 16.9
    assert [(p["rank"], p["district"]) for p in higher["ranking"]] == [
        (1, "Mitte/Styrum"), (2, "Alstaden/Lirich"), (2, "Osterfeld"), (4, "Sterkrade-Nord")]
    assert higher["without_value"] == ["Oberhausen-Ost", "Sterkrade-Mitte"]
    lower = ranking(INDICATORS[1], DISTRICTS)
    assert [p["district"] for p in lower["ranking"]] == ["Mitte/Styrum", "Osterfeld",
                                                         "Sterkrade-Nord"]
    assert lower["ranking"][2]["assessment"] == "better"


def test_the_ranking_uses_the_latest_year_of_any_district_and_may_lack_the_city():
    indicator = {"code": "x", "label": "X", "higher_is_worse": True,
                 "values": {"Osterfeld": {2019: 5.0, 2023: 4.0}, "stadtweit": {2019: 3.0}}}
    entry = ranking(indicator, DISTRICTS)
    assert entry["year"] == 2023 and entry["citywide"] is None
    assert entry["ranking"] == [{"rank": 1, "district": "Osterfeld", "value": 4.0,
                                 "difference": None, "assessment": None}]
    empty = ranking({**indicator, "values": {}}, DISTRICTS)
    assert empty["year"] is None and empty["without_value"] == DISTRICTS


def test_the_least_known_offers_keep_the_order_and_count_their_surveys():
    offers = least_known(AWARENESS)
    assert [(o["measure_id"], o["events"]) for o in offers] == [(12, 1), (7, 2), (15, 0)]
    assert set(offers[0]) == {"measure_id", "measure", "department", "known_yes", "known_no",
                              "share_known", "events"}
