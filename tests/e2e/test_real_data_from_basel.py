"""Real data: Basel's welfare quota for its 21 residential districts, 2020-2025
(../shared/realdata, Statistisches Amt Basel-Stadt). The districts are added as a user would,
the table is converted to the indicator import format with the mean of the 21 districts as the
city-wide value, and the support rule is checked against the values read from the file."""

import csv
import json
from statistics import fmean

import pytest

from tests.conftest import realdata

pytestmark = pytest.mark.realdata

FILE = "basel_sozialhilfequote_wohnviertel_2020-2025.tsv"
CODE = "sozialhilfequote_basel"


def read_basel() -> dict[tuple[str, int], dict]:
    """{(district, year): row} straight from the file."""
    with realdata(FILE).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {(r["wohnviertel"], int(r["jahr"])): r for r in rows}


@pytest.fixture(scope="module")
def basel(module_cli, tmp_path_factory):
    """Basel's districts and the converted table, once per backend; each test then works on
    recommendations of its own numbers."""
    cli, tmp_path = module_cli, tmp_path_factory.mktemp("basel")
    rows = read_basel()
    districts = sorted({district for district, _ in rows})
    years = sorted({year for _, year in rows})
    assert len(districts) == 21 and years == list(range(2020, 2026))
    for name in districts:
        result = cli("district", "add", name)
        assert result.exit_code == 0, result.stderr
    city = {year: fmean(float(rows[d, year]["sozialhilfequote"]) for d in districts)
            for year in years}
    path = tmp_path / "basel_indikatoren.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator", "district", "year", "value", "label", "higher_is_worse"])
        for (district, year), row in sorted(rows.items()):
            writer.writerow([CODE, district, year, row["sozialhilfequote"],
                             "Sozialhilfequote Basel (Anteil)", "true"])
        for year, value in city.items():
            writer.writerow([CODE, "stadtweit", year, repr(value), "", ""])
    result = cli("import", "indicators", path, user="planer")
    assert result.exit_code == 0, result.stderr
    assert f"{21 * 6 + 6} Indikatorwerte" in result.stdout
    return rows, city


def support(cli, number: int, district: str, year: int | None):
    added = cli("recommendation", "add", "--number", number, "--title", f"Angebot {district}",
                "--district", district.upper(), "--department", "3-2", "--on", "2025-06-30",
                user="planer")
    assert added.exit_code == 0, added.stderr
    args = ["--year", year] if year else []
    return cli("recommendation", "support", number, "--indicator", CODE, *args, user="planer")


def check(cli, number, district, year, rows, city, effective_year):
    result = support(cli, number, district, year)
    value = float(rows[district, effective_year]["sozialhilfequote"])
    mean = city[effective_year]
    if value > mean:
        assert result.exit_code == 0, result.stderr
        shown = json.loads(cli("recommendation", "show", number, "--format", "json").stdout)
        assert shown["status"] == "statistically_supported"
        evidence = shown["history"][-1]["evidence"]
        assert evidence["year"] == effective_year and evidence["district"] == district
        assert evidence["district_value"] == pytest.approx(value, abs=1e-12)
        assert evidence["city_value"] == pytest.approx(mean, abs=1e-12)
    else:
        assert result.exit_code == 1, result.output
        assert "Statistisch nicht gestützt" in result.stderr
        assert f"{effective_year}: {district} 0," in result.stderr
        assert "gegenüber stadtweit 0," in result.stderr
    return value > mean


def test_every_basel_district_is_judged_against_the_city_mean_of_the_latest_year(
        basel, module_cli):
    rows, city, cli = *basel, module_cli
    districts = sorted({d for d, _ in rows})
    outcomes = {d: check(cli, number, d, None, rows, city, 2025)
                for number, d in enumerate(districts, start=1)}
    assert 0 < sum(outcomes.values()) < len(districts)  # both outcomes occur in real data
    lowest = next(d for d in districts if rows[d, 2025]["rang"] == "1")
    highest = next(d for d in districts if rows[d, 2025]["rang"] == "21")
    assert outcomes[highest] and not outcomes[lowest]


@pytest.mark.parametrize(("number", "district", "year"), [
    (101, "Klybeck", 2020), (102, "Kleinhüningen", 2021), (103, "Matthäus", 2022),
    (104, "Bruderholz", 2023), (105, "Riehen", 2024), (106, "Altstadt Grossbasel", 2020),
    (107, "St. Johann", 2025), (108, "Gundeldingen", 2022),
])
def test_the_year_option_picks_that_year_from_the_real_table(
        basel, module_cli, number, district, year):
    rows, city = basel
    check(module_cli, number, district, year, rows, city, year)


def test_the_refusal_names_both_real_values_in_german_format(basel, module_cli):
    rows, city = basel
    result = support(module_cli, 200, "Bettingen", 2020)
    value = float(rows["Bettingen", 2020]["sozialhilfequote"])
    assert value < city[2020]
    german = f"{value:.4f}".rstrip("0").replace(".", ",")
    assert f"Bettingen {german}" in result.stderr
