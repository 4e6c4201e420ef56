"""The Sozialindex computed by the domain equals an independent numpy computation of the
method in docs/sozialindex.md, for a prepared data set with three indicators of both
directions; classes by standard deviations; refusals with a German reason."""

import math

import numpy as np
import pytest

from controlling.domain.errors import InvalidInput
from controlling.domain.sozialindex import (
    DynamicsClass,
    IndicatorSpec,
    StatusClass,
    compute_index,
    dynamics_class,
    share,
    status_class,
)

AREAS = ["A", "B", "C", "D", "E", "F", "G", "H"]
SPECS = [IndicatorSpec("sgb2", "SGB-II-Quote", True),
         IndicatorSpec("kinder", "Kinder in SGB-II-Haushalten", True),
         IndicatorSpec("erwerb", "Erwerbstätigenquote", False)]
Y2024 = {
    "sgb2": [4.1, 18.3, 9.7, 25.2, 12.0, 7.5, 14.4, 6.2],
    "kinder": [6.0, 31.5, 12.2, 40.1, 20.3, 9.9, 22.8, 8.1],
    "erwerb": [71.0, 48.2, 63.5, 41.0, 58.8, 66.1, 55.0, 69.4],
}
Y2022 = {
    "sgb2": [4.5, 16.0, 10.1, 22.9, 12.8, 7.0, 15.5, 6.0],
    "kinder": [6.8, 28.4, 12.9, 36.0, 21.5, 9.1, 24.0, 8.0],
    "erwerb": [70.2, 50.1, 62.9, 43.8, 57.0, 66.5, 54.1, 70.0],
}


def as_values(table):
    return {code: dict(zip(AREAS, numbers, strict=True)) for code, numbers in table.items()}


def numpy_index():
    """The method written out independently: z per indicator (population sd, turned by the
    direction), the mean over indicators, classes by the index's own sd."""
    signs = np.array([1.0 if s.higher_is_worse else -1.0 for s in SPECS])[:, None]
    now = np.array([Y2024[s.code] for s in SPECS])
    before = np.array([Y2022[s.code] for s in SPECS])
    z = signs * (now - now.mean(axis=1, keepdims=True)) / now.std(axis=1, keepdims=True)
    change = now - before
    dz = signs * (change - change.mean(axis=1, keepdims=True)) / change.std(axis=1,
                                                                           keepdims=True)
    return z.mean(axis=0), dz.mean(axis=0), z, dz


def numpy_status_class(k):
    if k < -1:
        return "high"
    if k <= 1:
        return "medium"
    if k <= 1.5:
        return "low"
    return "very_low"


def numpy_dynamics_class(k):
    return "positive" if k < -1 else "stable" if k <= 1 else "negative"


def test_status_and_dynamics_index_equal_an_independent_numpy_computation():
    result = compute_index(SPECS, 2024, as_values(Y2024), 2022, as_values(Y2022))
    status, dynamics, z, dz = numpy_index()
    by_area = result.by_area()
    for i, area in enumerate(AREAS):
        assert by_area[area].status == pytest.approx(status[i], abs=1e-12)
        assert by_area[area].dynamics == pytest.approx(dynamics[i], abs=1e-12)
        for j, spec in enumerate(SPECS):
            assert by_area[area].inputs[spec.code]["z"] == pytest.approx(z[j, i], abs=1e-12)
            assert by_area[area].inputs[spec.code]["change_z"] == pytest.approx(dz[j, i],
                                                                              abs=1e-12)
    assert result.status_sd == pytest.approx(status.std(), abs=1e-12)
    assert result.dynamics_sd == pytest.approx(dynamics.std(), abs=1e-12)


def test_ranks_and_classes_equal_the_numpy_ones():
    result = compute_index(SPECS, 2024, as_values(Y2024), 2022, as_values(Y2022))
    status, dynamics, _, _ = numpy_index()
    expected_order = [AREAS[i] for i in np.argsort(-status, kind="stable")]
    assert [a.area for a in result.areas] == expected_order
    assert [a.rank for a in result.areas] == list(range(1, len(AREAS) + 1))
    by_area = result.by_area()
    for i, area in enumerate(AREAS):
        assert by_area[area].status_class.value == numpy_status_class(status[i] / status.std())
        assert by_area[area].dynamics_class.value == numpy_dynamics_class(
            dynamics[i] / dynamics.std())
    # the prepared data reach both ends of the scale
    classes = {a.status_class for a in result.areas}
    assert StatusClass.HIGH in classes and StatusClass.VERY_LOW in classes


def test_the_average_of_the_areas_lies_at_zero():
    result = compute_index(SPECS, 2024, as_values(Y2024), 2022, as_values(Y2022))
    assert math.fsum(a.status for a in result.areas) == pytest.approx(0, abs=1e-12)
    assert math.fsum(a.dynamics for a in result.areas) == pytest.approx(0, abs=1e-12)


def test_a_lower_is_worse_indicator_counts_high_values_as_less_risk():
    result = compute_index([SPECS[2]], 2024, as_values({"erwerb": Y2024["erwerb"]}))
    assert result.areas[0].area == "D"  # the lowest employment rate: the most risk
    assert result.areas[-1].area == "A"


def test_every_stored_input_names_value_and_base_value():
    result = compute_index(SPECS, 2024, as_values(Y2024), 2022, as_values(Y2022))
    inputs = result.by_area()["B"].inputs["sgb2"]
    assert inputs["value"] == 18.3 and inputs["base_value"] == 16.0
    assert inputs["change"] == pytest.approx(2.3)
    assert [s["code"] for s in result.indicators] == ["sgb2", "kinder", "erwerb"]
    assert result.indicators[0]["mean"] == pytest.approx(np.mean(Y2024["sgb2"]))


def test_without_a_base_year_there_is_no_dynamics():
    result = compute_index(SPECS, 2024, as_values(Y2024))
    assert result.base_year is None and result.dynamics_sd is None
    assert all(a.dynamics is None and a.dynamics_class is None for a in result.areas)


@pytest.mark.parametrize(("k", "expected"), [
    (-1.0001, StatusClass.HIGH), (-1.0, StatusClass.MEDIUM), (0.0, StatusClass.MEDIUM),
    (1.0, StatusClass.MEDIUM), (1.0001, StatusClass.LOW), (1.5, StatusClass.LOW),
    (1.5001, StatusClass.VERY_LOW), (9.0, StatusClass.VERY_LOW),
])
def test_status_classes_are_bounded_by_standard_deviations(k, expected):
    assert status_class(k) == expected


@pytest.mark.parametrize(("k", "expected"), [
    (-1.2, DynamicsClass.POSITIVE), (-1.0, DynamicsClass.STABLE), (1.0, DynamicsClass.STABLE),
    (1.01, DynamicsClass.NEGATIVE),
])
def test_dynamics_classes_are_bounded_by_standard_deviations(k, expected):
    assert dynamics_class(k) == expected


def test_the_classes_have_german_names():
    assert [c.label for c in StatusClass] == ["hoch", "mittel", "niedrig", "sehr niedrig"]
    assert [c.label for c in DynamicsClass] == ["positiv", "stabil", "negativ"]


def test_an_area_without_a_value_is_refused_naming_it():
    values = as_values(Y2024)
    del values["kinder"]["C"]
    with pytest.raises(InvalidInput, match="kinder/C/2024"):
        compute_index(SPECS, 2024, values)


def test_a_missing_base_year_value_is_refused_naming_it():
    before = as_values(Y2022)
    del before["sgb2"]["H"]
    with pytest.raises(InvalidInput, match="sgb2/H/2022"):
        compute_index(SPECS, 2024, as_values(Y2024), 2022, before)


def test_an_indicator_equal_everywhere_is_refused():
    values = as_values(Y2024)
    values["sgb2"] = dict.fromkeys(AREAS, 5.0)
    with pytest.raises(InvalidInput, match="Standardabweichung 0"):
        compute_index(SPECS, 2024, values)


def test_fewer_than_three_areas_are_refused():
    with pytest.raises(InvalidInput, match="mindestens 3"):
        compute_index(SPECS[:1], 2024, {"sgb2": {"A": 1.0, "B": 2.0}})


def test_a_share_from_counts_is_in_percent():
    assert share(33, 2639) == pytest.approx(1.2504736643)
