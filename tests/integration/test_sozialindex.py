"""The Sozialindex on both databases: Sozialquartiere, indicator values per quarter with their
counts, Sozialraum and city values derived from the counts as the ratio of the sums (never the
mean of the percentages), the computed index stored with method, years and inputs, computing
again appends, and migration 0008's downgrade refuses to lose rows unless forced."""

import csv

import pytest
from alembic import command
from sqlalchemy import select, text

from controlling.data.database import alembic_config
from controlling.data.models import IndexComputation, IndexValue, IndicatorValue, QuarterValue
from controlling.domain.errors import DomainError, ImportRefused, InvalidInput, PermissionDenied
from controlling.services.imports import import_indicators
from controlling.services.sozialindex import add_quarter, compute, import_quarters, show
from tests.conftest import ADMIN, row_counts, table_names

QUARTERS = [("Tackenberg", "Osterfeld"), ("Vonderort", "Osterfeld"), ("Eisenheim", "Osterfeld"),
            ("Lirich-Nord", "Alstaden/Lirich"), ("Alstaden-West", "Alstaden/Lirich")]
# quarter -> (recipients, residents) in 2022 and 2024
COUNTS = {
    "Tackenberg": ((820, 9100), (905, 9200)),
    "Vonderort": ((310, 6400), (300, 6350)),
    "Eisenheim": ((95, 2100), (120, 2150)),
    "Lirich-Nord": ((1400, 11800), (1500, 11900)),
    "Alstaden-West": ((260, 7300), (240, 7250)),
}


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


@pytest.fixture
def quarters(uow, tmp_path):
    path = write_csv(tmp_path / "quartiere.csv", [["quarter", "district"], *QUARTERS])
    assert import_quarters(uow(), ADMIN, path)["imported"] == 5
    return tmp_path


@pytest.fixture
def counted(uow, quarters):
    rows = [["indicator", "district", "quarter", "year", "value", "numerator", "denominator",
             "label"]]
    for name, (before, after) in COUNTS.items():
        for year, (n, d) in ((2022, before), (2024, after)):
            rows.append(["sgb2", "", name, year, "", n, d, "SGB-II-Quote"])
    path = write_csv(quarters / "sgb2_quartiere.csv", rows)
    return import_indicators(uow(), ADMIN, path)


def district_values(engine, code="sgb2"):
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT d.name, v.year, v.value, v.numerator, v.denominator, v.derived "
            "FROM indicator_values v JOIN districts d ON d.id = v.district_id "
            "JOIN indicators i ON i.id = v.indicator_id WHERE i.code = :code"), {"code": code})
        return {(name, year): (value, n, d, bool(derived))
                for name, year, value, n, d, derived in rows}


def test_quarter_values_from_counts_are_shares_in_percent(counted, engine):
    assert counted["imported"] == 10
    with engine.connect() as connection:
        values = connection.execute(select(QuarterValue.value, QuarterValue.numerator,
                                           QuarterValue.denominator)).all()
    assert len(values) == 10
    for value, n, d in values:
        assert value == pytest.approx(100 * n / d)


def test_district_and_city_values_are_the_ratio_of_the_sums(counted, engine):
    values = district_values(engine)
    for year, index in ((2022, 0), (2024, 1)):
        osterfeld = [COUNTS[q][index] for q in ("Tackenberg", "Vonderort", "Eisenheim")]
        lirich = [COUNTS[q][index] for q in ("Lirich-Nord", "Alstaden-West")]
        everything = [c[index] for c in COUNTS.values()]
        for name, counts in (("Osterfeld", osterfeld), ("Alstaden/Lirich", lirich),
                             ("stadtweit", everything)):
            n, d = sum(c[0] for c in counts), sum(c[1] for c in counts)
            value, stored_n, stored_d, derived = values[name, year]
            assert (stored_n, stored_d, derived) == (n, d, True)
            assert value == pytest.approx(100 * n / d)
    # by hand, 2024 Osterfeld: (905 + 300 + 120) / (9200 + 6350 + 2150) = 1325 / 17700
    assert values["Osterfeld", 2024][0] == pytest.approx(7.4858757, abs=1e-6)
    # not the mean of the quarters' percentages (9.84, 4.72, 5.58 -> 6.71)
    assert values["Osterfeld", 2024][0] != pytest.approx(
        sum(100 * n / d for n, d in (COUNTS[q][1] for q in ("Tackenberg", "Vonderort",
                                                             "Eisenheim"))) / 3, abs=0.1)
    assert counted["derived"] == 6
    assert ("Mitte/Styrum", 2024) not in values  # a Sozialraum without quarters


def test_an_imported_district_value_is_kept_and_reimporting_quarters_recomputes(
        counted, uow, engine, quarters):
    path = write_csv(quarters / "amtlich.csv", [["indicator", "district", "year", "value"],
                                                ["sgb2", "Osterfeld", "2024", "7,6"]])
    result = import_indicators(uow(), ADMIN, path)
    assert result["replaced"] == 1
    path = write_csv(quarters / "neu.csv", [
        ["indicator", "quarter", "district", "year", "numerator", "denominator", "value"],
        ["sgb2", "Lirich-Nord", "Alstaden/Lirich", "2024", "1600", "11900", ""]])
    import_indicators(uow(), ADMIN, path)
    values = district_values(engine)
    assert values["Osterfeld", 2024] == (7.6, None, None, False)  # as imported
    assert values["Alstaden/Lirich", 2024][0] == pytest.approx(100 * 1840 / 19150)
    assert values["stadtweit", 2024][1] == 905 + 300 + 120 + 1600 + 240


def test_only_complete_sozialraeume_are_derived(uow, engine, quarters):
    path = write_csv(quarters / "teil.csv", [
        ["indicator", "quarter", "district", "year", "numerator", "denominator", "value"],
        ["alt", "Tackenberg", "", "2024", "10", "100", ""],
        ["alt", "Lirich-Nord", "", "2024", "20", "100", ""],
        ["alt", "Alstaden-West", "", "2024", "30", "100", ""]])
    assert import_indicators(uow(), ADMIN, path)["derived"] == 1
    assert set(district_values(engine, "alt")) == {("Alstaden/Lirich", 2024)}


def test_a_file_with_bad_counts_is_refused_with_every_problem_and_nothing_written(
        uow, engine, quarters):
    path = write_csv(quarters / "falsch.csv", [
        ["indicator", "quarter", "district", "year", "numerator", "denominator", "value"],
        ["sgb2", "Tackenberg", "Mitte/Styrum", "2024", "10", "100", ""],
        ["sgb2", "Nirgendwo", "", "2024", "10", "100", ""],
        ["sgb2", "Vonderort", "", "2024", "10", "", ""],
        ["sgb2", "Eisenheim", "", "2024", "10", "0", ""],
        ["sgb2", "Lirich-Nord", "", "2024", "10", "100", "12,5"],
        ["sgb2", "Alstaden-West", "", "2024", "", "", ""]])
    before = row_counts(engine)
    with pytest.raises(ImportRefused) as refused:
        import_indicators(uow(), ADMIN, path)
    assert refused.value.problems == [
        "Zeile 2: Sozialquartier Tackenberg liegt in Osterfeld, nicht in Mitte/Styrum.",
        "Zeile 3: unbekanntes Sozialquartier 'Nirgendwo'.",
        "Zeile 3: unbekannter Sozialraum ''.",
        "Zeile 4: Zähler (numerator) und Nenner (denominator) nur zusammen.",
        "Zeile 5: Nenner 0 ist nicht größer als 0.",
        "Zeile 6: Wert 12,5 passt nicht zu Zähler und Nenner (100 · 10 / 100 = 10 %; Anteile "
        "aus Zählern sind Prozent).",
        "Zeile 7: Wert fehlt.",
    ]
    assert row_counts(engine) == before


def test_the_computation_is_stored_with_method_years_and_inputs(counted, uow, engine):
    result = compute(uow(), ADMIN, year=2024)
    assert (result["method"], result["level"], result["year"], result["base_year"]) == (
        "z-mean-1", "quarter", 2024, 2022)
    assert [a["area"] for a in result["areas"]][:2] == ["Lirich-Nord", "Tackenberg"]
    lirich = result["areas"][0]
    assert lirich["district"] == "Alstaden/Lirich"
    assert lirich["inputs"]["sgb2"]["value"] == pytest.approx(100 * 1500 / 11900)
    assert lirich["inputs"]["sgb2"]["base_value"] == pytest.approx(100 * 1400 / 11800)
    with engine.connect() as connection:
        stored = connection.execute(select(IndexComputation)).one()
        rows = connection.execute(select(IndexValue)).all()
    assert stored.indicators[0]["code"] == "sgb2" and stored.parameters["status_bounds"]
    assert len(rows) == 5 and {r.quarter_id is not None for r in rows} == {True}
    assert show(uow(), ADMIN) == result


def test_computing_again_appends_and_keeps_the_earlier_computation(counted, uow, engine):
    first = compute(uow(), ADMIN, year=2024)
    second = compute(uow(), ADMIN, year=2024, dynamics=False)
    assert second["id"] != first["id"] and second["base_year"] is None
    assert show(uow(), ADMIN, computation=first["id"]) == first
    assert show(uow(), ADMIN)["id"] == second["id"]
    assert row_counts(engine)["index_values"] == 10


def test_a_stored_computation_cannot_be_changed(counted, uow):
    compute(uow(), ADMIN, year=2024)
    with uow() as work:
        row = work.session.scalars(select(IndexValue)).first()
        row.status = 99.0
        with pytest.raises(RuntimeError, match="append-only"):
            work.session.flush()


def test_district_level_uses_the_sozialraeume_values(counted, uow, engine):
    with pytest.raises(InvalidInput, match="mindestens 3"):
        compute(uow(), ADMIN, year=2024, level="district")  # two Sozialräume have values
    with uow() as work:
        ids = {d.name: d.id for d in work.repo.districts()}
        indicator = work.repo.indicator("sgb2")
        for year, value in ((2022, 12.0), (2024, 13.0)):
            work.session.add(IndicatorValue(indicator_id=indicator.id,
                                            district_id=ids["Mitte/Styrum"], year=year,
                                            value=value))
        work.commit()
    result = compute(uow(), ADMIN, year=2024, level="district")
    assert [a["area"] for a in result["areas"]] == ["Mitte/Styrum", "Alstaden/Lirich",
                                                    "Osterfeld"]
    assert "stadtweit" not in {a["area"] for a in result["areas"]}


def test_refusals_change_nothing(counted, uow, engine, people):
    before = row_counts(engine)
    with pytest.raises(PermissionDenied):
        compute(uow(), "ausschuss", year=2024)
    with pytest.raises(DomainError, match="2021"):
        compute(uow(), ADMIN, year=2024, span=3)  # 2021 has no values
    with pytest.raises(DomainError, match="Unbekannter Indikator"):
        compute(uow(), ADMIN, year=2024, indicators=["gibtsnicht"])
    with pytest.raises(DomainError, match="keinen berechneten"):
        show(uow(), ADMIN)
    with pytest.raises(DomainError, match="gibt es bereits"):
        add_quarter(uow(), ADMIN, name="tackenberg", district="Osterfeld")
    with pytest.raises(DomainError, match="nicht 'stadtweit'"):
        add_quarter(uow(), ADMIN, name="Neu", district="stadtweit")
    assert row_counts(engine) == before


def migrate(engine, direction, target, force=False):
    with engine.begin() as connection:
        config = alembic_config(connection)
        if force:
            config.attributes["force"] = True
        getattr(command, direction)(config, target)


def test_the_downgrade_refuses_while_quarters_exist_unless_forced(quarters, engine):
    with pytest.raises(DomainError, match="0008"):
        migrate(engine, "downgrade", "0007")
    assert "quarters" in table_names(engine)
    migrate(engine, "downgrade", "0007", force=True)
    assert "quarters" not in table_names(engine)
    migrate(engine, "upgrade", "head")
