"""The quarterly update round, the exports and the backup, as a user types them."""

import csv
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner

from tests.conftest import snapshot
from tests.exchange_support import approved, fill, sheet_path

Q = "2024-Q2"


@pytest.fixture
def sheets(cli, people, tmp_path):
    approved(cli, 1, title="=Familienzentrum")
    approved(cli, 2)
    approved(cli, 4, "3-2", "bl32")
    result = cli("export", "update-sheets", "--quarter", Q, "--out", tmp_path / "abfrage",
                 user="planer")
    assert result.exit_code == 0, result.output
    return tmp_path / "abfrage"


def test_the_quarterly_round_from_sheets_to_history(cli, sheets):
    assert sorted(p.name for p in sheets.iterdir()) == ["sachstand-2024-Q2-3-1.xlsx",
                                                        "sachstand-2024-Q2-3-2.xlsx"]
    good = fill(sheet_path(sheets, Q, "3-1"), {
        1: {"light": "grün", "note": "läuft", "effective_on": date(2024, 5, 2)},
        2: {"implemented": "ja", "note": "erledigt", "effective_on": date(2024, 6, 3)},
    })
    bad = fill(sheet_path(sheets, Q, "3-2"), {4: {"light": "lila", "note": "x"}})
    result = cli("import", "updates", "--quarter", Q, good, bad, user="planer")
    assert result.exit_code == 1
    assert result.stdout == (f"{good.name}: Bereich 3-1, 1 Sachstand und 1 Umsetzung "
                             "übernommen (im Namen von bl31).\n")
    assert result.stderr.startswith(f"Fehler: Import von {bad.name} abgelehnt, nichts wurde "
                                    "geschrieben (1 Problem):\n  Blatt 'Sachstände', Zeile 2, "
                                    "Spalte H (Ampel): ungültige Ampel 'lila'")
    assert result.stderr.endswith("1 von 2 Bögen übernommen, 1 abgelehnt.\n")
    shown = json.loads(cli("recommendation", "show", 2, "--format", "json").stdout)
    assert shown["status"] == "implemented"
    assert shown["history"][-1]["actor"] == "bl31"
    assert good.name in shown["history"][-1]["source"]
    assert json.loads(cli("recommendation", "show", 4, "--format", "json").stdout)[
        "progress"] == []


def test_a_workbook_of_another_quarter_is_refused_as_typed(cli, sheets):
    path = fill(sheet_path(sheets, Q, "3-1"), {1: {"light": "rot", "note": "steht"}})
    result = cli("import", "updates", "--quarter", "2024-Q3", path, user="planer")
    assert result.exit_code == 1
    assert "der Bogen gilt für 2024-Q2, eingelesen wird 2024-Q3" in result.stderr


def test_a_workbook_whose_metadata_was_edited_to_defeat_the_conflict_check_is_refused(
        cli, sheets, engine):
    from tests.exchange_support import set_meta

    assert cli("progress", 1, "--quarter", "2024-Q1", "--light", "gelb", "--note", "neu",
               "--on", "2024-03-30", user="bl31").exit_code == 0  # after the export
    version = json.loads(cli("recommendation", "show", 1, "--format", "json").stdout)["version"]
    path = fill(sheet_path(sheets, Q, "3-1"), {1: {"light": "rot", "note": "überschreibt"}})
    set_meta(path, 1, version)  # unhidden and edited by hand, as Excel allows
    before = snapshot(engine)
    result = cli("import", "updates", "--quarter", Q, path, user="planer")
    assert result.exit_code == 1
    assert ("Blatt 'Metadaten', Zeile 11: der Datenstand von Nr. 1 wurde verändert."
            in result.stderr)
    assert "Traceback" not in result.output
    assert snapshot(engine) == before


def bad_inputs(folder):
    text_file = folder / "kaputt.xlsx"
    text_file.write_text("Nr.;Ampel\n1;grün\n", encoding="utf-8")
    csv_file = folder / "bogen.csv"
    csv_file.write_text("Nr.,Ampel\n1,grün\n", encoding="utf-8")
    from openpyxl import Workbook

    foreign = folder / "fremd.xlsx"
    Workbook().save(foreign)
    return {"missing": (folder / "fehlt.xlsx", "Datei nicht gefunden"),
            "not an xlsx": (text_file, "Keine gültige Excel-Datei"),
            "a csv": (csv_file, "Keine gültige Excel-Datei"),
            "a foreign workbook": (foreign, "Kein Abfragebogen dieses Programms")}


@pytest.mark.parametrize("case", ["missing", "not an xlsx", "a csv", "a foreign workbook"])
def test_bad_update_files_give_a_german_error_and_no_traceback(cli, people, tmp_path, case):
    path, message = bad_inputs(tmp_path)[case]
    result = cli("import", "updates", "--quarter", Q, path, user="planer")
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: Import von ")
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_export_to_standard_output_is_only_the_data(cli, people):
    approved(cli, 1, title="=1+2")
    result = cli("export", "recommendations", user="ausschuss")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["number"], r["title"], r["status"]) for r in rows] == [("1", "'=1+2",
                                                                       "approved")]
    result = cli("export", "recommendations", "--format", "json", "--status", "approved")
    assert [r["title"] for r in json.loads(result.stdout)] == ["=1+2"]
    assert result.stderr == ""
    german = cli("export", "recommendations", "--format", "json", "--status", "Freigegeben")
    assert german.exit_code == 0, german.stderr
    assert json.loads(german.stdout) == json.loads(result.stdout)
    assert json.loads(cli("export", "recommendations", "--format", "json", "--status",
                          "vorgeschlagen").stdout) == []


def test_an_xlsx_export_without_out_lands_in_a_named_file(cli, people, tmp_path,
                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    approved(cli, 1)
    result = cli("export", "recommendations", "--format", "xlsx")
    assert result.stdout == "1 Empfehlung nach empfehlungen.xlsx geschrieben (xlsx).\n"
    assert (tmp_path / "empfehlungen.xlsx").read_bytes().startswith(b"PK")


def test_export_all_and_import_all_as_typed(cli, people, tmp_path):
    approved(cli, 1)
    backup = tmp_path / "sicherung.json"
    result = cli("export", "all", "--out", backup)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Sicherung nach {backup} geschrieben: ")
    from controlling.cli import cli as root
    from controlling.data.database import make_engine

    target = f"sqlite:///{tmp_path / 'neu.db'}"
    runner = CliRunner()
    result = runner.invoke(root, ["--db", target, "import", "all", str(backup)])
    assert result.exit_code == 0, result.output
    assert "eingespielt" in result.stdout
    again = runner.invoke(root, ["--db", target, "import", "all", str(backup)])
    assert again.exit_code == 1
    assert again.stderr.startswith("Fehler: Die Zieldatenbank ist nicht leer")
    original, restored = make_engine(cli.url), make_engine(target)
    assert snapshot(restored) == snapshot(original)
    original.dispose()
    restored.dispose()


@pytest.mark.parametrize(("content", "message"), [
    (None, "Datei nicht gefunden"),
    ("kein json", "keine gültige JSON-Datei"),
    ('{"format": "etwas anderes"}', "keine Sicherung von 'controlling export all'"),
])
def test_a_bad_backup_file_gives_a_german_error(tmp_path, content, message):
    from controlling.cli import cli as root

    path = tmp_path / "sicherung.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(root, ["--db", f"sqlite:///{tmp_path / 'neu.db'}", "import",
                                       "all", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: ")
    assert message in result.stderr


def test_backup_copies_sqlite_and_refuses_postgresql(cli, people, tmp_path):
    result = cli("backup", tmp_path / "kopie.db")
    if cli.url.startswith("sqlite"):
        assert result.exit_code == 0, result.output
        assert (tmp_path / "kopie.db").read_bytes().startswith(b"SQLite format 3")
    else:
        assert result.exit_code == 1
        assert "pg_dump" in result.stderr


def test_backup_names_a_missing_sqlite_file(tmp_path):
    from controlling.cli import cli as root

    missing = tmp_path / "fehlt.db"
    result = CliRunner().invoke(root, ["--db", f"sqlite:///{missing}", "backup",
                                       str(tmp_path / "kopie.db")])
    assert result.exit_code == 1
    assert f"{missing} gibt es nicht" in result.stderr  # named before anyone is proven
    assert not missing.exists()


EXCHANGE_COMMANDS = [
    ["export"], ["export", "update-sheets"], ["export", "recommendations"],
    ["export", "measures"], ["export", "suggestions"], ["export", "all"],
    ["import", "updates"], ["import", "all"], ["backup"],
]


@pytest.mark.parametrize("command", EXCHANGE_COMMANDS, ids=" ".join)
def test_every_exchange_command_explains_itself_with_an_example(command):
    from controlling.cli import cli as root

    result = CliRunner().invoke(root, [*command, "--help"])
    assert result.exit_code == 0
    assert "Beispiel:" in result.stdout


def test_the_progress_bar_appears_only_on_a_terminal(monkeypatch):
    from controlling.commands import exchange

    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    with exchange.progress_bar("x") as advance:
        assert advance is None
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    with exchange.progress_bar("x") as advance:
        advance(1, 2)
    with exchange.progress_bar("x", show=False) as advance:
        assert advance is None
