"""`report strategy-paper` and `report city` as a user types them."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import TOMORROW, on_tomorrow, program_env
from tests.paper_builders import missing_in, paper_body
from tests.report_builders import pdf_text

ROOT = Path(__file__).resolve().parents[2]
DAY = "2025-04-07"


@pytest.fixture
def data(cli, people, tmp_path):
    """Indicators, a measure with dots from a World Café, and two recommendations."""
    csv = tmp_path / "indikatoren.csv"
    csv.write_text("indicator,district,year,value,label\n"
                   "sgb2_quote,Alstaden/Lirich,2022,18.6,SGB-II-Quote in %\n"
                   "sgb2_quote,Osterfeld,2022,20.4,\n"
                   "sgb2_quote,stadtweit,2022,17.1,\n", encoding="utf-8")
    steps = [
        ("import", "indicators", csv),
        ("measure", "add", "--title", "Stadtteilbüro Lirich", "--department", "3-2",
         "--district", "Alstaden/Lirich", "--target-group", "Familien mit Kindern"),
        ("event", "add", "--district", "Alstaden/Lirich", "--date", "2023-09-06",
         "--event-format", "world_cafe", "--round", "2"),
        ("awareness", "record", "--event", 1, "--measure", 1, "--yes", 12, "--no", 30),
        ("recommendation", "add", "--number", 1, "--title", "Familienbüro in Lirich öffnen",
         "--district", "Alstaden/Lirich", "--department", "3-1", "--on", "2024-01-10"),
        ("recommendation", "add", "--number", 2, "--title", "Ehrenamtsbörse stadtweit",
         "--district", "stadtweit", "--department", "3-2", "--on", "2024-01-10"),
    ]
    for step in steps:
        result = cli(*step, user="planer")
        assert result.exit_code == 0, (step, result.output)
    return cli


def test_the_strategy_paper_is_written_into_the_current_folder_by_default(data, tmp_path,
                                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = data("report", "strategy-paper", "--district", "alstaden/lirich", "--made-on",
                  DAY, user="ausschuss")
    assert result.exit_code == 0, result.output
    name = "strategiepapier-alstaden-lirich-2025-04-07.pdf"
    assert f"Strategiepapier Alstaden/Lirich geschrieben: {name}" in result.stdout
    text = pdf_text((tmp_path / name).read_bytes())
    for expected in ("Strategiepapier Sozialraum Alstaden/Lirich", "Seite 1 von",
                     "2022 18,6 17,1 +1,5 schlechter als stadtweit", "Stadtteilbüro Lirich",
                     "Familienbüro in Lirich öffnen", "Ehrenamtsbörse stadtweit",
                     "Stadtteilbüro Lirich 3-2 12 30 28,6 %"):
        assert expected in text


def test_the_strategy_paper_json_is_one_document_with_the_figures_of_the_pdf(data, tmp_path):
    result = data("report", "strategy-paper", "--district", "Alstaden/Lirich", "--format",
                  "json", "--made-on", DAY)
    assert result.exit_code == 0, result.output
    paper = json.loads(result.stdout)
    assert paper["district"] == "Alstaden/Lirich" and paper["as_of"] == DAY
    assert [r["number"] for r in paper["recommendations"]] == [1]
    assert [r["number"] for r in paper["citywide_recommendations"]] == [2]
    assert paper["awareness"][0]["known_no"] == 30
    out = tmp_path / "papier.pdf"
    assert data("report", "strategy-paper", "--district", "Alstaden/Lirich", "--made-on", DAY,
                "--out", out).exit_code == 0
    assert missing_in(paper, paper_body(out.read_bytes())) == []


def test_the_city_report_is_written_and_its_json_matches_the_pdf(data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = data("report", "city", "--made-on", DAY, "--publisher", "Stadt Musterhausen",
                  user="ausschuss")
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / "sozialkonferenz-2025-04-07.pdf").read_bytes()
    result = data("report", "city", "--format", "json", "--made-on", DAY)
    report = json.loads(result.stdout)
    assert report["by_district"]["Alstaden/Lirich"]["proposed"] == 1
    assert [p["district"] for p in report["rankings"][0]["ranking"]] == ["Osterfeld",
                                                                        "Alstaden/Lirich"]
    assert report["least_known"][0]["share_known"] == pytest.approx(12 / 42)
    assert missing_in(report, paper_body(pdf)) == []
    assert "Stadt Musterhausen" in pdf_text(pdf)


def test_the_same_data_and_date_give_the_same_files(data, tmp_path):
    for command in (("strategy-paper", "--district", "Osterfeld"), ("city",)):
        for name in ("a.pdf", "b.pdf"):
            assert data("report", *command, "--made-on", DAY, "--out", tmp_path / name,
                        "--force").exit_code == 0  # a.pdf again for the second command
        assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.parametrize("district, message", [
    ("Nirgendwo", "Fehler: Unbekannter Sozialraum 'Nirgendwo'"),
    ("stadtweit", "Fehler: Ein Strategiepapier gibt es je Sozialraum; 'stadtweit' ist keiner"),
])
def test_an_unknown_district_or_stadtweit_is_refused_and_nothing_is_written(
        data, tmp_path, monkeypatch, district, message):
    monkeypatch.chdir(tmp_path)
    for fmt in ("pdf", "json"):
        result = data("report", "strategy-paper", "--district", district, "--format", fmt)
        assert result.exit_code == 1
        assert result.stderr.startswith(message)
        assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
    assert list(tmp_path.glob("*.pdf")) == []


@pytest.mark.parametrize("target, reason", [
    ("fehlt/bericht.pdf", "existiert nicht"),
    (".", "das ist ein Ordner"),
])
def test_an_output_path_that_cannot_be_written_is_refused_in_german(data, tmp_path, target,
                                                                     reason):
    for command in (("strategy-paper", "--district", "Osterfeld"), ("city",)):
        for fmt in ("pdf", "json"):
            result = data("report", *command, "--format", fmt, "--out", tmp_path / target)
            assert result.exit_code == 1, command
            assert result.stderr.startswith("Fehler: Die Datei ")
            assert "kann nicht geschrieben werden" in result.stderr and reason in result.stderr


@pytest.mark.parametrize("made_on, message", [
    (TOMORROW, "liegt in der Zukunft"),
    ("07.04.", "Ungültiges Erstellungsdatum"),
])
def test_a_bad_date_made_is_refused(data, made_on, message, today_is):
    made_on = on_tomorrow(made_on, today_is(date(2024, 7, 5)))
    for command in (("strategy-paper", "--district", "Osterfeld"), ("city",)):
        result = data("report", *command, "--made-on", made_on, "--format", "json")
        assert result.exit_code == 1 and message in result.stderr


def test_an_unknown_user_gets_no_paper(data):
    result = data("report", "city", "--format", "json", user="niemand")
    assert result.exit_code == 1 and "Unbekannter Benutzer 'niemand'" in result.stderr


def test_the_json_of_the_papers_does_not_import_reportlab(data, tmp_path):
    script = (
        "import sys\n"
        "import controlling.cli as cli\n"
        "for args in ({!r}, {!r}):\n"
        "    try:\n"
        "        cli.cli.main(args=['--db', {!r}, '--user', 'admin', *args],\n"
        "                     prog_name='controlling', standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('REPORTLAB', 'reportlab' in sys.modules)\n"
    ).format(["report", "strategy-paper", "--district", "Osterfeld", "--format", "json"],
             ["report", "city", "--format", "json"], data.url)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=program_env(data.url))
    assert done.stdout.strip().splitlines()[-1] == "REPORTLAB False", done.stderr
