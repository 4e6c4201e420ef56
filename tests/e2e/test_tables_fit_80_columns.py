"""Every table of the command line at 80 columns (COLUMNS=80, as a narrow terminal or a pager
gets it): no line longer than 80, every word of the data whole on one line (never "Sterkr…",
never split mid-word), dates whole."""

import re

import pytest

from controlling.commands.tables import FILE_WIDTH, column_widths, fitted, output_width, wrap

LONG_TITLE = ("Aufsuchende Beratung für Alleinerziehende mit Kindern unter drei Jahren in "
              "Kooperation mit Familienzentren und Jobcenter")
LONGER_TITLE = ("Quartiersbezogene Sprachförderung und Hausaufgabenbegleitung für "
                "Grundschulkinder mit Zuwanderungsgeschichte an allen Standorten")
SUGGESTION = ("Mehr niedrigschwellige Treffpunkte für Seniorinnen und Senioren in der Nähe "
              "der Haltestellen, auch am Wochenende und in den Abendstunden")
NARROW = {"COLUMNS": "80"}


@pytest.fixture
def data(cli, people, tmp_path):
    steps = [
        ("recommendation", "add", "--number", 1, "--title", LONG_TITLE, "--district",
         "Sterkrade-Mitte", "--department", "3-2", "--topic", "Leben im Alter",
         "--description", LONGER_TITLE, "--on", "2024-02-01"),
        ("recommendation", "add", "--number", 2, "--title", LONGER_TITLE, "--district",
         "Sterkrade-Nord", "--department", "3-1", "--kind", "extension", "--on",
         "2024-02-01"),
        ("recommendation", "add", "--number", 3, "--title", "Kurz", "--district",
         "Alstaden/Lirich", "--department", "3-2", "--on", "2024-02-01"),
        ("recommendation", "approve", 2, "--on", "2024-02-10"),
        ("progress", 2, "--quarter", "2024-Q1", "--light", "yellow", "--note", SUGGESTION,
         "--on", "2024-03-20"),
        ("event", "add", "--district", "Sterkrade-Nord", "--date", "2023-11-23",
         "--event-format", "world_cafe", "--round", "2"),
        ("suggestion", "add", "--event", 1, "--text", SUGGESTION),
        ("measure", "add", "--title", LONGER_TITLE, "--department", "3-2", "--district",
         "Sterkrade-Mitte", "--target-group", "Seniorinnen und Senioren"),
    ]
    for args in steps:
        user = "bl31" if args[:2] == ("recommendation", "approve") else "planer"
        result = cli(*args, user=user)
        assert result.exit_code == 0, (args, result.output)
    path = tmp_path / "sozialindex.csv"
    path.write_text("indicator,district,year,value,label\n"
                    "sgb2,Sterkrade-Mitte,2022,\"20,4\",SGB-II-Quote der Bedarfsgemeinschaften\n"
                    "sgb2,Sterkrade-Nord,2022,\"9,5\",SGB-II-Quote der Bedarfsgemeinschaften\n"
                    "sgb2,stadtweit,2022,\"17,1\",SGB-II-Quote der Bedarfsgemeinschaften\n",
                    encoding="utf-8")
    assert cli("import", "indicators", path, user="planer").exit_code == 0
    return cli


TABLES = [
    (("status",), "planer"),
    (("recommendation", "list"), "planer"),
    (("recommendation", "show", 1), "planer"),
    (("recommendation", "show", 2), "planer"),
    (("suggestion", "list"), "planer"),
    (("measure", "list"), "planer"),
    (("measure", "show", 1), "planer"),
    (("event", "list"), "planer"),
    (("user", "list"), "admin"),
    (("department", "list"), "planer"),
    (("district", "list"), "planer"),
    (("indicator", "list"), "planer"),
    (("inbox",), "planer"),
    (("inbox",), "bl32"),
    (("report", "list"), "planer"),
    (("trace", 2), "planer"),
    (("event", "show", 1), "planer"),
    (("suggestion", "show", 1), "planer"),
]
WORDS = {word for text in (LONG_TITLE, LONGER_TITLE, SUGGESTION, "Sterkrade-Mitte",
                           "Sterkrade-Nord", "Alstaden/Lirich", "15.03.2024")
         for word in text.split()}


@pytest.mark.parametrize(("args", "user"), TABLES, ids=lambda v: " ".join(map(str, v))
                         if isinstance(v, tuple) else v)
def test_every_table_fits_80_columns_without_splitting_a_word(data, args, user):
    from tests.conftest import ADMIN

    result = data(*args, user=ADMIN if user == "admin" else user, env=NARROW)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines
    too_long = [line for line in lines if len(line) > 80]
    assert not too_long, "\n".join(too_long)
    shown = set(re.findall(r"[^\s│┃|]+", result.stdout))
    # a word of the data that appears at all appears whole: no fragment of it stands alone
    for word in WORDS:
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            assert not (head in shown and tail in shown and word not in shown
                        and head not in WORDS and tail not in WORDS), (word, result.stdout)
    assert "…" not in result.stdout


def test_the_district_names_stay_whole_in_the_status_overview(data):
    result = data("status", user="planer", env=NARROW)
    assert "Sterkrade-Mitte" in result.stdout and "Sterkrade-Nord" in result.stdout
    assert "Sterkr…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_the_long_titles_are_shown_whole_word_by_word_in_the_recommendation_list(data):
    result = data("recommendation", "list", user="planer", env=NARROW)
    shown = set(re.findall(r"[^\s│┃]+", result.stdout))
    assert set(LONG_TITLE.split()) <= shown and set(LONGER_TITLE.split()) <= shown
    assert {"Sterkrade-Mitte", "Sterkrade-Nord", "Alstaden/Lirich"} <= shown


def test_dates_are_never_split(data):
    result = data("recommendation", "show", 2, user="planer", env=NARROW)
    assert "10.02.2024" in result.stdout and "20.03.2024" in result.stdout


def test_wrapping_breaks_between_words_only():
    assert wrap("Sterkrade-Mitte und Sterkrade-Nord", 15) == ["Sterkrade-Mitte",
                                                             "und",
                                                             "Sterkrade-Nord"]
    assert wrap("vor\u00adge\u00adschla\u00adgen", 6) == ["vorge-", "schla-", "gen"]
    assert wrap("eins\nzwei drei", 20) == ["eins", "zwei drei"]


def test_a_word_longer_than_any_column_is_the_only_thing_folded():
    assert wrap("https://example.org/" + "x" * 30, 20)[0] == "https://example.org/"


def test_dates_and_numbers_keep_their_width_and_text_takes_the_rest():
    widths = column_widths(["Nr.", "Titel", "wirksam"],
                           [["12", LONG_TITLE, "15.03.2024"]], 60)
    assert widths[0] == 3 and widths[2] == 10 and sum(widths) <= 60


def test_a_table_too_wide_for_its_columns_becomes_one_block_per_row():
    from rich.console import Console

    console = Console(width=40, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    headers = [f"Spalte{i}" for i in range(8)]
    console.print(fitted("Breit", headers, [[f"Wert{i}" for i in range(8)]], 40))
    text = console.export_text()
    assert "Spalte7: Wert7" in " ".join(text.split()) or "Spalte7:" in text
    assert max(len(line) for line in text.splitlines()) <= 40


def test_piped_into_a_file_the_width_is_columns_or_a_plain_width(monkeypatch, tmp_path):
    with open(tmp_path / "out.txt", "w") as stream:
        monkeypatch.delenv("COLUMNS", raising=False)
        assert output_width(stream) == FILE_WIDTH
        monkeypatch.setenv("COLUMNS", "80")
        assert output_width(stream) == 80
