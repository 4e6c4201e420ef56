"""`report quarterly` and `status` as a user types them."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import program_env
from tests.report_builders import pdf_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(cli, people):
    """Two recommendations in 2024-Q1: one proposed, one approved with a Sachstand."""
    for number, district, kind in ((1, "Osterfeld", "new"), (2, "Mitte/Styrum", "extension")):
        result = cli("recommendation", "add", "--number", number, "--title",
                     f"Stadtteilbüro Nr. {number}", "--district", district, "--department",
                     "3-1", "--kind", kind, "--on", "2024-01-10", user="planer")
        assert result.exit_code == 0, result.output
    assert cli("recommendation", "approve", 2, "--on", "2024-02-01", user="bl31").exit_code == 0
    assert cli("progress", 2, "--quarter", "2024-Q1", "--light", "yellow", "--note",
               "Räume gefunden", "--on", "2024-03-01", user="planer").exit_code == 0
    return cli


def test_the_report_is_written_as_pdf_into_the_current_folder_by_default(data, tmp_path,
                                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = data("report", "quarterly", "--quarter", "2024-Q1", user="ausschuss")
    assert result.exit_code == 0, result.output
    assert "controlling-2024-Q1.pdf" in result.stdout
    text = pdf_text((tmp_path / "controlling-2024-Q1.pdf").read_bytes())
    assert "1. Quartal 2024" in text and "Stadtteilbüro Nr. 2" in text
    assert "Räume gefunden" in text and "Seite 1 von" in text


def test_the_json_is_one_document_on_standard_output_with_the_agreed_figures(data):
    result = data("report", "quarterly", "--quarter", "2024-q1", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["quarter"] == "2024-Q1" and report["as_of"] == "2024-03-31"
    assert report["totals"] == {"proposed": 1, "statistically_supported": 0, "approved": 1,
                                "implemented": 0, "rejected": 0, "superseded": 0}
    assert report["by_district"]["Mitte/Styrum"]["approved"] == 1
    assert report["by_department"] == {"3-1": {"proposed": 1, "statistically_supported": 0,
                                               "approved": 1, "implemented": 0, "rejected": 0,
                                               "superseded": 0}}
    assert report["lights"] == {"green": 0, "yellow": 1, "red": 0, "none": 0}
    assert report["stale"] == []
    assert [(t["number"], t["from_status"], t["to_status"], t["effective_on"])
            for t in report["transitions"]] == [
        (1, None, "proposed", "2024-01-10"), (2, None, "proposed", "2024-01-10"),
        (2, "proposed", "approved", "2024-02-01")]


def test_the_pdf_and_the_json_can_go_to_a_chosen_file(data, tmp_path):
    out = tmp_path / "bericht.json"
    result = data("report", "quarterly", "--quarter", "2024-Q1", "--format", "json",
                  "--out", out)
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["lights"]["yellow"] == 1
    pdf = tmp_path / "ausschuss.pdf"
    result = data("report", "quarterly", "--quarter", "2024-Q1", "--out", pdf,
                  "--publisher", "Stadt Musterhausen", "--made-on", "2024-04-02")
    assert result.exit_code == 0
    text = pdf_text(pdf.read_bytes())
    assert "Stadt Musterhausen" in text and "Erstellt am 02.04.2024" in text


def test_the_same_data_and_date_give_the_same_file(data, tmp_path):
    for name in ("a.pdf", "b.pdf"):
        assert data("report", "quarterly", "--quarter", "2024-Q1", "--made-on", "2024-04-02",
                    "--out", tmp_path / name).exit_code == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.parametrize("quarter", ["2024-Q5", "2024-Q0", "24-Q1", "2024Q1", "Q1-2024", ""])
def test_a_malformed_quarter_is_refused_in_german_and_nothing_is_written(
        data, tmp_path, monkeypatch, quarter):
    monkeypatch.chdir(tmp_path)
    result = data("report", "quarterly", "--quarter", quarter)
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: Ungültiges Quartal")
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_quarter_that_has_not_begun_is_refused(data, today_is):
    today_is(date(2024, 7, 5))
    result = data("report", "quarterly", "--quarter", "2024-Q4", "--format", "json")
    assert result.exit_code == 1
    assert "Fehler: Das 4. Quartal 2024 hat noch nicht begonnen" in result.stderr


def test_a_quarter_without_data_gives_a_valid_report_that_says_so(data, tmp_path):
    result = data("report", "quarterly", "--quarter", "2019-Q3", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert sum(report["totals"].values()) == 0 and report["transitions"] == []
    out = tmp_path / "leer.pdf"
    result = data("report", "quarterly", "--quarter", "2019-Q3", "--out", out)
    assert result.exit_code == 0 and "keine Empfehlungen" in result.stdout
    assert "Zum Stichtag 30.09.2019 gab es keine Handlungsempfehlungen" in pdf_text(
        out.read_bytes())


@pytest.mark.parametrize("target, reason", [
    ("fehlt/bericht.pdf", "existiert nicht"),
    (".", "das ist ein Ordner"),
])
def test_an_output_path_that_cannot_be_written_is_refused_in_german(data, tmp_path, target,
                                                                     reason):
    for fmt in ("pdf", "json"):
        result = data("report", "quarterly", "--quarter", "2024-Q1", "--format", fmt,
                      "--out", tmp_path / target)
        assert result.exit_code == 1
        assert result.stderr.startswith("Fehler: Die Datei ")
        assert "kann nicht geschrieben werden" in result.stderr and reason in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_user_gets_no_report(data):
    result = data("report", "quarterly", "--quarter", "2024-Q1", "--format", "json",
                  user="niemand")
    assert result.exit_code == 1 and "Unbekannter Benutzer 'niemand'" in result.stderr


def test_status_shows_todays_recommendations_per_status_and_district(data):
    result = data("status", user="ausschuss")
    assert result.exit_code == 0, result.output
    for text in ("Handlungsempfehlungen, Stand", "Sozialraum", "vorgeschlagen", "freigegeben",
                 "Osterfeld", "Mitte/Styrum", "stadtweit", "insgesamt",
                 "Ohne Sachstand für das Quartal: Nr. 2"):
        assert text in result.stdout
    data_json = json.loads(data("status", "--format", "json").stdout)
    assert data_json["totals"]["approved"] == 1 and data_json["total"] == 2
    assert data_json["by_district"]["Osterfeld"]["proposed"] == 1


def test_status_on_an_empty_database_says_there_is_nothing_yet(cli):
    result = cli("status")
    assert result.exit_code == 0 and "Noch keine Empfehlungen erfasst." in result.stdout


def _modules_after(db_url: str, *args: str, module: str = "reportlab") -> bool:
    """Run the command line in a fresh interpreter; True when `module` got imported."""
    script = (
        "import sys\n"
        "import controlling.cli as cli\n"
        f"args = ['--db', {db_url!r}, '--user', 'admin', *{list(args)!r}]\n"
        "try:\n"
        "    cli.cli.main(args=args, prog_name='controlling', standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('REPORTLAB', {module!r} in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=program_env(db_url))
    assert "REPORTLAB" in done.stdout, done.stderr
    return done.stdout.strip().splitlines()[-1] == "REPORTLAB True"


def test_commands_that_write_no_pdf_do_not_import_reportlab(data, tmp_path):
    url = data.url
    assert not _modules_after(url, "--help")
    assert not _modules_after(url, "status")
    assert not _modules_after(url, "report", "--help")
    assert not _modules_after(url, "report", "quarterly", "--quarter", "2024-Q1", "--format",
                              "json")
    assert not _modules_after(url, "recommendation", "list")
    assert _modules_after(url, "report", "quarterly", "--quarter", "2024-Q1", "--out",
                          str(tmp_path / "x.pdf"))  # the check itself works


def test_commands_on_a_current_database_do_not_import_alembic(data):
    """The schema check reads the revision with plain SQL and the migration files' lines
    (Alembic's runtime costs a tenth of a second of every start)."""
    url = data.url
    for args in (["status"], ["recommendation", "list"],
                 ["report", "quarterly", "--quarter", "2024-Q1", "--format", "json"]):
        assert not _modules_after(url, *args, module="alembic"), args


def test_the_readme_main_command_writes_the_report_of_the_example_data(tmp_path, monkeypatch):
    """`controlling init --demo && controlling report quarterly --quarter 2025-Q1`, on the
    default database in the current folder."""
    from cli import cli as root

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONTROLLING_DB", raising=False)
    monkeypatch.delenv("CONTROLLING_USER", raising=False)
    runner = CliRunner()
    assert runner.invoke(root, ["init", "--demo"], catch_exceptions=False).exit_code == 0
    result = runner.invoke(root, ["report", "quarterly", "--quarter", "2025-Q1"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = pdf_text((tmp_path / "controlling-2025-Q1.pdf").read_bytes())
    for expected in ("Controllingbericht Handlungsempfehlungen", "1. Quartal 2025",
                     "Stand: 31.03.2025", "Enthält Beispieldaten", "[Beispiel]",
                     "Seite 1 von", "Sprachcafé"):
        assert expected in text
