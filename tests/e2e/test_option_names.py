"""One name per idea (docs/commands.md, "One name per idea"): the help shows the new names
only, the older names still work for scripts, and both at once is a usage error (exit 2)."""

import pytest

CASES = [  # (command, new name, old name)
    (("event", "add"), "--on", "--date"),
    (("report", "quarterly"), "--as-of", "--made-on"),
    (("report", "strategy-paper"), "--as-of", "--made-on"),
    (("report", "city"), "--as-of", "--made-on"),
    (("measure", "add"), "--implementation", "--status"),
    (("measure", "edit"), "--implementation", "--status"),
]


@pytest.mark.parametrize(("command", "new", "old"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_the_help_names_the_new_option_and_hides_the_old_one(cli, command, new, old):
    shown = cli(*command, "--help")
    assert shown.exit_code == 0
    assert f"{new} " in shown.stdout and f"{old} " not in shown.stdout


def test_an_event_is_given_its_day_with_on_and_still_with_date(cli, people):
    for option, day in (("--on", "2024-09-26"), ("--date", "2024-09-27")):
        result = cli("event", "add", "--district", "Osterfeld", option, day, user="planer")
        assert result.exit_code == 0, result.output
    both = cli("event", "add", "--district", "Osterfeld", "--on", "2024-09-26", "--date",
               "2024-09-26", user="planer")
    assert both.exit_code == 2 and "schließen sich aus" in both.stderr
    neither = cli("event", "add", "--district", "Osterfeld", user="planer")
    assert neither.exit_code == 1 and "fehlt (--on JJJJ-MM-TT)" in neither.stderr


def test_a_report_is_dated_with_as_of_and_still_with_made_on(cli, people, tmp_path):
    for option in ("--as-of", "--made-on"):
        out = tmp_path / f"stadt{option}.pdf"
        result = cli("report", "city", option, "2024-07-01", "--out", out, user="planer")
        assert result.exit_code == 0, result.output
    assert (tmp_path / "stadt--as-of.pdf").read_bytes() == (
        tmp_path / "stadt--made-on.pdf").read_bytes()  # the same date gives the same file
