"""The statistical support rule through the command line: evidence stored, refusals named."""

import itertools
import json

import pytest

from tests.conftest import snapshot

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
employment,Osterfeld,2022,"52,25",,
employment,stadtweit,2022,"52,25",,
"""
NUMBERS = itertools.count(1)


@pytest.fixture(scope="module")
def cli(module_cli, tmp_path_factory):
    """The module's database with the indicators above imported once."""
    path = tmp_path_factory.mktemp("support") / "indikatoren.csv"
    path.write_text(INDICATORS, encoding="utf-8")
    result = module_cli("import", "indicators", path, user="planer")
    assert result.exit_code == 0, result.stderr
    return module_cli


def proposed(cli, district: str = "Osterfeld") -> int:
    """A new proposed recommendation of 3-1 in the district; its number."""
    number = next(NUMBERS)
    result = cli("recommendation", "add", "--number", number, "--title", f"E {number}",
                 "--district", district, "--department", "3-1", "--on", "2024-01-10",
                 user="planer")
    assert result.exit_code == 0, result.stderr
    return number


def support(cli, number: int, *args):
    return cli("recommendation", "support", number, *map(str, args), user="planer")


def shown(cli, number: int) -> dict:
    result = cli("recommendation", "show", number, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def refused(cli, engine, number: int, *args) -> str:
    """Support must fail with one German line and change nothing; return the message."""
    before = snapshot(engine)
    result = support(cli, number, *args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Fehler: ") and result.stderr.count("\n") == 1
    assert snapshot(engine) == before
    return result.stderr


def test_worse_than_the_city_is_supported_and_the_evidence_is_stored(cli):
    number = proposed(cli)
    result = support(cli, number, "--indicator", "sgb2", "--year", "2022",
                     "--note", "Sozialbericht 2022", "--on", "2024-02-01")
    assert result.exit_code == 0, result.stderr
    state = shown(cli, number)
    assert state["status"] == "statistically_supported"
    change = state["history"][-1]
    assert (change["from_status"], change["to_status"]) == ("proposed",
                                                             "statistically_supported")
    assert change["actor"] == "planer" and change["effective_on"] == "2024-02-01"
    assert change["note"] == "Sozialbericht 2022"
    assert change["evidence"] == {
        "indicator": "sgb2", "label": "SGB-II-Quote", "year": 2022, "district": "Osterfeld",
        "district_value": 12.5, "city_value": 10.0, "higher_is_worse": True,
    }


def test_better_than_the_city_is_refused_naming_both_values_in_german_format(
        cli, module_engine):
    number = proposed(cli)
    message = refused(cli, module_engine, number, "--indicator", "sgb2", "--year", "2021")
    assert "Statistisch nicht gestützt" in message
    assert "Osterfeld 12,5 gegenüber stadtweit 14" in message
    assert shown(cli, number)["status"] == "proposed"


def test_equal_to_the_city_is_refused(cli, module_engine):
    number = proposed(cli, "Alstaden/Lirich")
    message = refused(cli, module_engine, number, "--indicator", "sgb2")
    assert "Alstaden/Lirich 10 gegenüber stadtweit 10" in message


def test_equal_to_the_city_is_refused_when_lower_is_worse_too(cli, module_engine):
    number = proposed(cli)
    indicator = "employment"  # lower is worse; in 2022 Osterfeld is at the city's 52,25
    message = refused(cli, module_engine, number, "--indicator", indicator, "--year", 2022)
    assert "52,25 gegenüber stadtweit 52,25" in message
    assert "niedriger ist schlechter" in message


def test_rejecting_a_supported_recommendation_without_a_reason_is_refused(cli, module_engine):
    number = proposed(cli)
    assert support(cli, number, "--indicator", "sgb2", "--year", 2022).exit_code == 0
    for args, code, phrase in ((("--reason", "   "), 1, "ist eine Begründung (--reason) nötig"),
                               ((), 2, "Es fehlt die Option '--reason'")):  # usage: CLI.md
        before = snapshot(module_engine)
        result = cli("recommendation", "reject", number, *args, user="planer")
        assert result.exit_code == code
        assert phrase in result.stderr
        assert snapshot(module_engine) == before
    assert shown(cli, number)["status"] == "statistically_supported"


def test_the_latest_year_with_values_for_district_and_city_is_the_default(cli, module_engine):
    # 2024 has no city value; 2023 is the latest common year, and there Osterfeld is better
    message = refused(cli, module_engine, proposed(cli), "--indicator", "sgb2")
    assert "2023: Osterfeld 9 gegenüber stadtweit 10" in message


def test_the_year_option_is_honoured(cli):
    number = proposed(cli)
    result = support(cli, number, "--indicator", "sgb2", "--year", 2022)
    assert result.exit_code == 0, result.stderr
    assert shown(cli, number)["history"][-1]["evidence"]["year"] == 2022


def test_when_lower_is_worse_a_lower_district_value_supports(cli):
    number = proposed(cli)
    result = support(cli, number, "--indicator", "employment")
    assert result.exit_code == 0, result.stderr
    evidence = shown(cli, number)["history"][-1]["evidence"]
    assert evidence["higher_is_worse"] is False
    assert (evidence["district_value"], evidence["city_value"]) == (48.5, 52.25)


def test_an_unknown_indicator_is_a_clear_error(cli, module_engine):
    message = refused(cli, module_engine, proposed(cli), "--indicator", "armut")
    assert "Unbekannter Indikator 'armut'" in message


def test_a_year_without_a_city_value_is_a_clear_error(cli, module_engine):
    message = refused(cli, module_engine, proposed(cli), "--indicator", "sgb2", "--year", 2024)
    assert "Kein stadtweiter Vergleichswert für Indikator sgb2 im Jahr 2024" in message


def test_a_year_without_a_district_value_is_a_clear_error(cli, module_engine):
    message = refused(cli, module_engine, proposed(cli), "--indicator", "sgb2", "--year", 2018)
    assert "Kein Wert für Indikator sgb2, Osterfeld, Jahr 2018" in message


def test_a_citywide_recommendation_cannot_be_compared_with_the_city(cli, module_engine):
    number = proposed(cli, "stadtweit")
    message = refused(cli, module_engine, number, "--indicator", "sgb2")
    assert f"Empfehlung {number} ist stadtweit" in message


def test_the_indicator_option_is_required(cli):
    result = cli("recommendation", "support", proposed(cli), user="planer")
    assert result.exit_code == 2
    assert "Es fehlt die Option '--indicator'." in result.stderr
