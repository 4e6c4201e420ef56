"""Dates at the edges of a quarter, pinned in the database (the gaps the integrity review
found): a Sachstand dated the quarter's last day counts for it; an update-sheet row dated the
quarter's first day or, explicitly, the day of the import is accepted; the previous quarter's
totals take a back-dated change recorded after a later one."""

from datetime import date

from controlling.services.quarterly import quarterly_report
from controlling.services.recommendations import show_recommendation
from controlling.services.update_sheets import export_update_sheets, import_update_sheet
from tests.exchange_support import approved, fill, sheet_path

IMPORT_DAY = date(2024, 7, 5)


def test_a_sachstand_dated_the_quarters_last_day_counts_for_the_quarter(cli, people, uow):
    approved(cli, 1)
    result = cli("progress", 1, "--quarter", "2024-Q1", "--light", "red", "--note", "steht",
                 "--on", "2024-03-31", user="bl31")
    assert result.exit_code == 0, result.stderr
    report = quarterly_report(uow(), "ausschuss", "2024-Q1")
    assert report.lights["red"] == 1 and report.stale == ()
    assert report.red == (1,)


def test_an_update_row_dated_the_quarters_first_day_or_the_import_day_is_accepted(
        cli, people, uow, tmp_path, today_is):
    approved(cli, 1)
    approved(cli, 2)
    export_update_sheets(uow(), "planer", quarter="2024-Q2", out_dir=tmp_path)
    path = fill(sheet_path(tmp_path, "2024-Q2", "3-1"), {
        1: {"light": "grün", "note": "ab dem ersten Tag", "effective_on": date(2024, 4, 1)},
        2: {"light": "gelb", "note": "heute", "effective_on": IMPORT_DAY},
    })
    today_is(IMPORT_DAY)
    result = import_update_sheet(uow(), "planer", path, quarter="2024-Q2")
    assert result["progress"] == 2
    dates = [show_recommendation(uow(), "admin", n)["progress"][-1]["effective_on"]
             for n in (1, 2)]
    assert dates == ["2024-04-01", "2024-07-05"]


def test_the_previous_quarters_totals_take_a_back_dated_change_recorded_after_a_later_one(
        cli, people, uow):
    for number, day in ((1, "2024-05-10"), (2, "2024-02-01")):  # 2 is typed after 1
        result = cli("recommendation", "add", "--number", number, "--title", f"E {number}",
                     "--district", "Osterfeld", "--department", "3-1", "--on", day,
                     user="planer")
        assert result.exit_code == 0, result.stderr
    report = quarterly_report(uow(), "ausschuss", "2024-Q2")
    assert report.previous_totals["proposed"] == 1  # number 2, proposed in 2024-Q1
    assert report.totals["proposed"] == 2
    assert report.change["proposed"] == 1
