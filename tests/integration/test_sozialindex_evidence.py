"""The Sozialindex as evidence of the statistical support rule: `recommendation support N
--index status|dynamics [--quarter Q]` supports when the status class is below average
(niedrig, sehr niedrig) or the dynamics class shows a worsening (negativ), stores the evidence
with the computation it came from, and otherwise refuses naming value and class, changing
nothing."""

import json

import pytest

from controlling.services.sozialindex import compute
from tests.conftest import ADMIN, row_counts
from tests.integration.test_sozialindex import counted, quarters  # noqa: F401  (fixtures)


def proposed(cli, number, district):
    result = cli("recommendation", "add", "--number", number, "--title", f"Angebot {number}",
                 "--district", district, "--department", "3-2", user="planer")
    assert result.exit_code == 0, result.stderr
    return number


def support(cli, number, *args):
    return cli("recommendation", "support", number, *map(str, args), user="planer")


@pytest.fixture
def computed(people, counted, uow):  # noqa: F811
    return compute(uow(), ADMIN, year=2024)


def test_a_quarter_of_very_low_status_supports_and_the_evidence_names_the_computation(
        cli, computed):
    lirich = next(a for a in computed["areas"] if a["area"] == "Lirich-Nord")
    assert lirich["status_class"] == "very_low"
    number = proposed(cli, 1, "Alstaden/Lirich")
    result = support(cli, number, "--index", "status", "--quarter", "lirich-nord")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(cli("recommendation", "show", number, "--format", "json").stdout)
    assert shown["status"] == "statistically_supported"
    evidence = shown["history"][-1]["evidence"]
    assert evidence["source"] == "sozialindex" and evidence["index"] == "status"
    assert evidence["computation"] == computed["id"] and evidence["method"] == "z-mean-1"
    assert (evidence["area"], evidence["district"], evidence["year"]) == (
        "Lirich-Nord", "Alstaden/Lirich", 2024)
    assert evidence["district_value"] == pytest.approx(lirich["status"])
    assert evidence["city_value"] == 0.0 and evidence["class_label"] == "sehr niedrig"
    table = cli("recommendation", "show", number).stdout
    assert "Statusindex" in table and "Lirich-Nord" in table


def test_a_quarter_of_high_status_is_refused_naming_value_and_class(cli, engine, computed):
    west = next(a for a in computed["areas"] if a["area"] == "Alstaden-West")
    assert west["status_class"] == "high"
    number = proposed(cli, 2, "Alstaden/Lirich")
    before = row_counts(engine)
    result = support(cli, number, "--index", "status", "--quarter", "Alstaden-West")
    assert result.exit_code == 1
    assert "Statistisch nicht gestützt (Empfehlung 2)" in result.stderr
    assert "Klasse „hoch“" in result.stderr and "sehr niedrig" in result.stderr
    assert row_counts(engine) == before


def test_the_dynamics_index_supports_only_a_negative_dynamics(cli, computed):
    number = proposed(cli, 3, "Osterfeld")
    for area in computed["areas"]:
        if area["district"] != "Osterfeld":
            continue
        result = support(cli, number, "--index", "dynamics", "--quarter", area["area"])
        assert (result.exit_code == 0) == (area["dynamics_class"] == "negative"), area
        if result.exit_code == 0:
            break
    else:
        pytest.fail("no Osterfeld quarter with a negative dynamics in the prepared data")


@pytest.mark.parametrize(("args", "message"), [
    (["--index", "status"], "Kein Sozialindex auf Ebene der Sozialräume"),
    (["--index", "status", "--quarter", "Tackenberg"], "liegt in Osterfeld, nicht"),
    (["--index", "status", "--quarter", "Lirich-Nord", "--year", 2022], "für 2022"),
    (["--index", "status", "--indicator", "sgb2"], "nicht beides"),
    (["--quarter", "Lirich-Nord", "--indicator", "sgb2"], "--quarter gilt nur"),
])
def test_index_evidence_refusals_are_one_german_line(cli, engine, computed, args, message):
    number = proposed(cli, 4, "Alstaden/Lirich")
    before = row_counts(engine)
    result = support(cli, number, *args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Fehler: ") and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert row_counts(engine) == before


def test_the_district_level_index_supports_the_sozialraum_itself(cli, uow, computed,
                                                                  tmp_path):
    path = tmp_path / "mitte.csv"
    path.write_text("indicator,district,year,value\nsgb2,Mitte/Styrum,2022,12\n"
                    "sgb2,Mitte/Styrum,2024,14\n", encoding="utf-8")
    result = cli("import", "indicators", path, user="planer")
    assert result.exit_code == 0, result.stderr
    district = compute(uow(), ADMIN, year=2024, level="district")
    mitte = next(a for a in district["areas"] if a["area"] == "Mitte/Styrum")
    assert mitte["status_class"] == "low"  # 14 % against 9,1 % and 7,5 %: k = 1,37
    number = proposed(cli, 5, "Mitte/Styrum")
    result = support(cli, number, "--index", "status")
    assert result.exit_code == 0, result.stderr
    number = proposed(cli, 6, "Osterfeld")
    result = support(cli, number, "--index", "status")
    assert result.exit_code == 1 and "Osterfeld" in result.stderr


def test_without_indicator_or_index_it_is_wrong_usage(cli, computed):
    result = support(cli, proposed(cli, 7, "Osterfeld"))
    assert result.exit_code == 2
    assert "--index status|dynamics" in result.stderr
