"""The statistical support rule through the command line: evidence stored, refusals named."""

import json

import pytest

from tests.conftest import row_counts

INDICATORS = """indicator,district,year,value,label,higher_is_worse
sgb2,Osterfeld,2021,"12,5",SGB-II-Quote,true
sgb2,stadtweit,2021,14,,
sgb2,Osterfeld,2022,"12,5",,
sgb2,stadtweit,2022,10,,
sgb2,Osterfeld,2023,9,,
sgb2,stadtweit,2023,10,,
sgb2,Osterfeld,2024,30,,
sgb2,Osterfeld,2019,11,,
sgb2,Alstaden/Lirich,2023,10,,
employment,Osterfeld,2023,"48,5",Beschäftigungsquote,false
employment,stadtweit,2023,"52,25",,
"""


@pytest.fixture
def world(cli, people, tmp_path):
    path = tmp_path / "indikatoren.csv"
    path.write_text(INDICATORS, encoding="utf-8")
    assert cli("import", "indicators", path, user="planer").exit_code == 0
    for number, district in ((1, "Osterfeld"), (2, "Alstaden/Lirich"), (3, "stadtweit")):
        result = cli("recommendation", "add", "--number", number, "--title", f"Empfehlung {number}",
                     "--district", district, "--department", "3-1", "--on", "2024-01-10",
                     user="planer")
        assert result.exit_code == 0, result.stderr
    return cli


def history(cli, number):
    result = cli("recommendation", "show", number, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def refused(cli, *args, engine_url=None):
    result = cli(*args, user="planer")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Fehler: ")
    return result.stderr


def test_worse_than_the_city_is_supported_and_the_evidence_is_stored(world):
    result = world("recommendation", "support", 1, "--indicator", "sgb2", "--year", "2022",
                   "--note", "Sozialbericht 2022", "--on", "2024-02-01", user="planer")
    assert result.exit_code == 0, result.stderr
    shown = history(world, 1)
    assert shown["status"] == "statistically_supported"
    change = shown["history"][-1]
    assert change["from_status"] == "proposed"
    assert change["to_status"] == "statistically_supported"
    assert change["actor"] == "planer" and change["effective_on"] == "2024-02-01"
    assert change["note"] == "Sozialbericht 2022"
    assert change["evidence"] == {
        "indicator": "sgb2", "label": "SGB-II-Quote", "year": 2022, "district": "Osterfeld",
        "district_value": 12.5, "city_value": 10.0, "higher_is_worse": True,
    }


def test_better_than_the_city_is_refused_naming_both_values_in_german_format(world, engine):
    before = row_counts(engine)
    message = refused(world, "recommendation", "support", 1, "--indicator", "sgb2",
                      "--year", "2021")
    assert "Statistisch nicht gestützt" in message
    assert "Osterfeld 12,5 gegenüber stadtweit 14" in message
    assert row_counts(engine) == before
    assert history(world, 1)["status"] == "proposed"


def test_equal_to_the_city_is_refused(world):
    message = refused(world, "recommendation", "support", 2, "--indicator", "sgb2")
    assert "Alstaden/Lirich 10 gegenüber stadtweit 10" in message


def test_the_latest_year_with_values_for_district_and_city_is_the_default(world):
    # 2024 has no city value; 2023 is the latest common year, and there Osterfeld is better
    message = refused(world, "recommendation", "support", 1, "--indicator", "sgb2")
    assert "2023: Osterfeld 9 gegenüber stadtweit 10" in message


def test_the_year_option_is_honoured(world):
    result = world("recommendation", "support", 1, "--indicator", "sgb2", "--year", 2022,
                   user="planer")
    assert result.exit_code == 0, result.stderr
    assert history(world, 1)["history"][-1]["evidence"]["year"] == 2022


def test_when_lower_is_worse_a_lower_district_value_supports(world):
    result = world("recommendation", "support", 1, "--indicator", "employment", user="planer")
    assert result.exit_code == 0, result.stderr
    evidence = history(world, 1)["history"][-1]["evidence"]
    assert evidence["higher_is_worse"] is False
    assert (evidence["district_value"], evidence["city_value"]) == (48.5, 52.25)


def test_an_unknown_indicator_is_a_clear_error(world, engine):
    before = row_counts(engine)
    message = refused(world, "recommendation", "support", 1, "--indicator", "armut")
    assert "Unbekannter Indikator 'armut'" in message
    assert row_counts(engine) == before


def test_a_year_without_a_city_value_is_a_clear_error(world):
    message = refused(world, "recommendation", "support", 1, "--indicator", "sgb2",
                      "--year", 2024)
    assert "Kein stadtweiter Vergleichswert für Indikator sgb2 im Jahr 2024" in message


def test_a_year_without_a_district_value_is_a_clear_error(world):
    message = refused(world, "recommendation", "support", 1, "--indicator", "sgb2",
                      "--year", 2018)
    assert "Kein Wert für Indikator sgb2, Osterfeld, Jahr 2018" in message


def test_a_citywide_recommendation_cannot_be_compared_with_the_city(world):
    message = refused(world, "recommendation", "support", 3, "--indicator", "sgb2")
    assert "Empfehlung 3 ist stadtweit" in message


def test_the_indicator_option_is_required(world):
    result = world("recommendation", "support", 1, user="planer")
    assert result.exit_code == 2
    assert "Es fehlt die Option '--indicator'." in result.stderr
