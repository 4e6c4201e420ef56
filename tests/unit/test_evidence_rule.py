"""The statistical support rule: worse than the city, in the chosen year."""

import pytest

from controlling.domain.errors import EvidenceRefused, NotFound
from controlling.domain.evidence import assess, choose_year

DISTRICT = {2020: 14.0, 2022: 12.5, 2023: 9.0}
CITY = {2020: 10.0, 2022: 10.0, 2023: 10.0, 2024: 10.0}


def judge(district=DISTRICT, city=CITY, year=None, higher_is_worse=True):
    return assess(number=7, indicator="quote", label="Quote", higher_is_worse=higher_is_worse,
                  district="Osterfeld", district_values=district, city_values=city, year=year)


def test_a_district_worse_than_the_city_gives_evidence_with_both_values():
    evidence = judge(year=2022)
    assert evidence.as_dict() == {
        "indicator": "quote", "label": "Quote", "year": 2022, "district": "Osterfeld",
        "district_value": 12.5, "city_value": 10.0, "higher_is_worse": True,
    }


def test_a_district_better_than_the_city_is_refused_naming_both_values_in_german():
    with pytest.raises(EvidenceRefused) as refused:
        judge(year=2023)
    assert "Osterfeld 9 gegenüber stadtweit 10" in str(refused.value)
    assert "Statistisch nicht gestützt" in str(refused.value)


def test_equal_to_the_city_is_not_worse():
    with pytest.raises(EvidenceRefused, match="12,5 gegenüber stadtweit 12,5"):
        judge(district={2022: 12.5}, city={2022: 12.5})


def test_equal_to_the_city_is_not_worse_when_lower_is_worse_either():
    with pytest.raises(EvidenceRefused, match="12,5 gegenüber stadtweit 12,5"):
        judge(district={2022: 12.5}, city={2022: 12.5}, higher_is_worse=False)


def test_when_lower_is_worse_the_comparison_reverses():
    assert judge(year=2023, higher_is_worse=False).district_value == 9.0
    with pytest.raises(EvidenceRefused, match="niedriger ist schlechter"):
        judge(year=2022, higher_is_worse=False)


def test_the_latest_year_with_values_for_both_is_the_default():
    assert choose_year("quote", "Osterfeld", DISTRICT, CITY, None) == 2023
    assert choose_year("quote", "Osterfeld", {2020: 1, 2025: 1}, CITY, None) == 2020


def test_a_year_without_a_district_value_is_a_clear_error():
    with pytest.raises(NotFound, match="Kein Wert für Indikator quote, Osterfeld, Jahr 2024"):
        judge(year=2024)


def test_a_year_without_a_city_value_is_a_clear_error():
    with pytest.raises(NotFound, match="Kein stadtweiter Vergleichswert.*2021"):
        judge(district={2021: 5.0}, year=2021)


def test_no_city_values_at_all_is_a_clear_error():
    with pytest.raises(NotFound, match="keinen stadtweiten Vergleichswert"):
        judge(city={})


def test_no_common_year_is_a_clear_error():
    with pytest.raises(NotFound, match="kein Jahr mit Werten"):
        judge(district={2019: 20.0})
