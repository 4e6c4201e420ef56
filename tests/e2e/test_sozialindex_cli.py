"""The Sozialindex as a user types it: Basel's 21 residential districts (../shared/realdata) as
Sozialquartiere of three areas, their welfare quota imported per quarter, `index compute` and
`index show` (table and JSON) checked against an independent numpy computation; refusals are
one German line, exit 1, nothing changed."""

import csv
import json

import numpy as np
import pytest

from tests.conftest import realdata, row_counts

FILE = "basel_sozialhilfequote_wohnviertel_2020-2025.tsv"
CODE = "sozialhilfequote"


def area_of(wohnviertel_id: int) -> str:
    """Basel's residential districts 1-11 lie in Grossbasel, 12-19 in Kleinbasel, 20 and 30
    are the communes Riehen and Bettingen."""
    if wohnviertel_id <= 11:
        return "Grossbasel"
    return "Kleinbasel" if wohnviertel_id <= 19 else "Riehen/Bettingen"


@pytest.fixture(scope="module")
def basel(module_cli, tmp_path_factory):
    cli, folder = module_cli, tmp_path_factory.mktemp("sozialindex")
    with realdata(FILE).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for name in ("Grossbasel", "Kleinbasel", "Riehen/Bettingen"):
        assert cli("district", "add", name).exit_code == 0
    quarters = folder / "quartiere.csv"
    with quarters.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["quarter", "district"])
        for row in rows:
            if row["jahr"] == "2025":
                writer.writerow([row["wohnviertel"], area_of(int(row["wohnviertel_id"]))])
    result = cli("import", "quarters", quarters, user="planer")
    assert result.exit_code == 0, result.stderr
    assert "21 Sozialquartiere" in result.stdout
    values = folder / "quoten.csv"
    with values.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator", "district", "quarter", "year", "value", "label"])
        for row in rows:
            writer.writerow([CODE, "", row["wohnviertel"], row["jahr"], row["sozialhilfequote"],
                             "Sozialhilfequote"])
    result = cli("import", "indicators", values, user="planer")
    assert result.exit_code == 0, result.stderr
    return cli, rows


def quota(rows, year):
    return {r["wohnviertel"]: float(r["sozialhilfequote"]) for r in rows
            if r["jahr"] == str(year)}


def test_index_compute_and_show_give_the_numpy_ranking_and_classes(basel):
    cli, rows = basel
    result = cli("index", "compute", "--year", 2025, "--since", 2020, "--format", "json",
                 user="planer")
    assert result.exit_code == 0, result.stderr
    computed = json.loads(result.stdout)
    now, before = quota(rows, 2025), quota(rows, 2020)
    names = sorted(now)
    x = np.array([now[n] for n in names])
    change = x - np.array([before[n] for n in names])
    status = (x - x.mean()) / x.std()
    dynamics = (change - change.mean()) / change.std()
    assert [a["area"] for a in computed["areas"]] == [
        names[i] for i in np.argsort(-status, kind="stable")]
    for area in computed["areas"]:
        i = names.index(area["area"])
        k = status[i]
        assert area["status_class"] == ("high" if k < -1 else "medium" if k <= 1 else
                                        "low" if k <= 1.5 else "very_low")
        d = dynamics[i]
        assert area["dynamics_class"] == ("positive" if d < -1 else "stable" if d <= 1 else
                                          "negative")
        assert area["inputs"][CODE]["value"] == now[area["area"]]
    shown = cli("index", "show", "--format", "json", user="ausschuss")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout) == computed
    assert (computed["year"], computed["base_year"], computed["method"]) == (2025, 2020,
                                                                            "z-mean-1")


def test_the_table_is_german_and_can_show_one_area(basel):
    cli, _ = basel
    assert cli("index", "compute", "--year", 2024, "--span", 2, user="planer").exit_code == 0
    result = cli("index", "show", "--year", 2024, "--district", "Kleinbasel")
    assert result.exit_code == 0, result.stderr
    assert "Sozialindex 2024" in result.stdout and "Dynamik 2022–2024" in result.stdout
    assert "Klybeck" in result.stdout and "Bruderholz" not in result.stdout
    assert "sehr niedrig" in result.stdout  # Klybeck, Kleinhüningen
    assert "," in result.stdout.split("Klybeck", 1)[1].split("\n", 1)[0]  # decimal comma
    listed = json.loads(cli("quarter", "list", "--district", "Riehen/Bettingen", "--format",
                            "json").stdout)
    assert listed == [{"name": "Bettingen", "district": "Riehen/Bettingen"},
                      {"name": "Riehen", "district": "Riehen/Bettingen"}]


@pytest.mark.parametrize(("args", "user", "message"), [
    (["index", "compute", "--year", 2019], "planer", "Für 2019 gibt es keine Indikatorwerte"),
    (["index", "compute", "--year", 2025, "--span", 6], "planer", "Es fehlen Werte"),
    (["index", "compute", "--year", 2025, "--span", 2, "--since", 2020], "planer",
     "entweder --span oder --since"),
    (["index", "compute", "--year", 2025], "ausschuss", "Keine Berechtigung"),
    (["index", "show", "--computation", 999], "planer", "Keine Sozialindex-Berechnung"),
    (["quarter", "add", "Klybeck", "--district", "Kleinbasel"], "planer", "gibt es bereits"),
    (["quarter", "add", "Neu", "--district", "Nirgendwo"], "planer", "Nirgendwo"),
])
def test_refusals_are_one_german_line_and_change_nothing(basel, module_engine, args, user,
                                                         message):
    cli, _ = basel
    before = row_counts(module_engine)
    result = cli(*args, user=user)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Fehler: ") and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert row_counts(module_engine) == before
