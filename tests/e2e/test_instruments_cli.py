"""The instruments as typed: editions and supersession, the World Café's dots and cards,
institutions and the GeoJSON export; refusals are one German line with exit code 1, never a
traceback."""

import importlib
import json

import click
from click.testing import CliRunner

from tests.conftest import issue_token
from tests.e2e.test_cli_as_a_user_types_it import CHEFIN_PASSWORD, run_program
from tests.instruments_support import ok, snapshot_of


def test_a_walk_through_editions_awareness_and_the_map_as_typed(cli, people, tmp_path):
    steps = [
        (("recommendation", "add", "--number", 7, "--title", "Seniorenberatung", "--district",
          "Osterfeld", "--department", "3-2", "--on", "2024-01-10"), "planer"),
        (("measure", "add", "--title", "Seniorentreff", "--department", "3-2", "--district",
          "Osterfeld"), "planer"),
        (("edition", "publish", "Februar 2023"), "planer"),  # not before the profile (today)
        (("recommendation", "add", "--number", 43, "--title", "Seniorenberatung im Quartier",
          "--district", "Osterfeld", "--department", "3-2", "--on", "2024-02-01"), "planer"),
        (("recommendation", "supersede", 7, "--by", 43, "--note", "Neufassung",
          "--on", "2024-02-02"), "planer"),
        (("event", "add", "--district", "Osterfeld", "--date", "2023-09-28", "--round", 2,
          "--event-format", "world_cafe"), "planer"),
        (("awareness", "record", "--event", 1, "--measure", 1, "--yes", 4, "--no", 12),
         "bl32"),
        (("awareness", "card", "--event", 1, "--measure", 1, "--question", "publicity",
          "--text", "Aushang in der Apotheke"), "bl32"),
        (("institution", "add", "Begegnungsstätte Osterfeld", "--type", "Begegnungsstätte",
          "--address", "Bottroper Straße 183, 46117 Oberhausen", "--lon", 6.8797, "--lat",
          51.4989, "--district", "Osterfeld"), "planer"),
        (("institution", "link", 1, "--measure", 1), "planer"),
    ]
    for args, user in steps:
        ok(cli(*args, user=user))
    diff = json.loads(ok(cli("edition", "diff", "Februar 2023", "--format", "json",
                             user="ausschuss")).stdout)
    assert diff["recommendations"]["withdrawn"][0]["superseded_by"] == 43
    assert diff["recommendations"]["added"][0]["supersedes"] == [7]
    report = json.loads(ok(cli("awareness", "report", "--district", "Osterfeld", "--format",
                               "json", user="ausschuss")).stdout)
    assert report["measures"][0]["share_known"] == 0.25
    assert report["measures"][0]["ideas"][0]["text"] == "Aushang in der Apotheke"
    out = tmp_path / "karte.geojson"
    ok(cli("export", "geojson", "--out", out, user="ausschuss"))
    (feature,) = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert feature["geometry"]["coordinates"] == [6.8797, 51.4989]
    assert feature["properties"]["measures"] == [
        {"id": 1, "title": "Seniorentreff", "department": "3-2"}]


def test_typing_mistakes_are_usage_errors_and_bad_files_refusals_without_traceback(
        cli, people, tmp_path):
    before = snapshot_of(cli)
    for args in (("awareness", "record", "--event", "eins", "--measure", 1, "--yes", 1,
                  "--no", 1),
                 ("awareness", "record", "--event", 1, "--measure", 1, "--yes", 1),
                 ("recommendation", "supersede", 7, "--note", "x"),
                 ("edition", "diff"),
                 ("export", "geojson", "--out")):
        result = cli(*args, user="planer")
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output and "Fehler:" in result.stderr
    broken = tmp_path / "kaputt.xlsx"
    broken.write_bytes(b"PK kein Excel")
    empty = tmp_path / "leer.csv"
    empty.write_text("", encoding="utf-8")
    wrong = tmp_path / "falsch.csv"
    wrong.write_text("wann,was\n1,1\n", encoding="utf-8")
    for noun, path, phrase in (("awareness", broken, "Keine gültige XLSX-Datei"),
                               ("institution", empty, "die Datei ist leer"),
                               ("awareness", wrong, "Pflichtspalte 'event' fehlt")):
        result = cli(noun, "import", path, user="planer")
        assert result.exit_code == 1 and phrase in result.stderr, result.stderr
        assert "Traceback" not in result.output
    assert snapshot_of(cli) == before


def build_root(order: tuple[str, ...]) -> click.Group:
    """A root like cli.py's, with the extension modules registered in the given order."""
    from controlling.commands.imports import import_
    from controlling.commands.recommendation import recommendation

    @click.group()
    def root():
        """Test."""

    root.add_command(recommendation)
    root.add_command(import_)
    for name in order:
        importlib.import_module(f"controlling.commands.{name}").register(root)
    return root


def test_export_geojson_is_found_whatever_the_order_of_registration():
    for order in (("exchange", "institutions"), ("institutions", "exchange")):
        root = build_root(order)
        export = root.commands["export"]
        assert {"geojson", "recommendations", "all"} <= set(export.commands), order
        result = CliRunner().invoke(root, ["export", "geojson", "--help"])
        assert result.exit_code == 0 and "RFC 7946" in result.output


def test_the_real_program_writes_geojson_to_standard_output_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'karte.db'}"
    done = run_program("--db", url, "--user", "chefin", "init", "--password-stdin",
                       cwd=tmp_path, input=CHEFIN_PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    proof = {"CONTROLLING_TOKEN": issue_token(url, "chefin")}
    done = run_program("--db", url, "--user", "chefin", "institution", "add", "Kita am Park",
                       "--type", "Kita", "--address", "Parkweg 1", "--lon", "6.85", "--lat",
                       "51.47", cwd=tmp_path, env_extra=proof)
    assert done.returncode == 0, done.stderr
    done = run_program("--db", url, "--user", "chefin", "export", "geojson", cwd=tmp_path,
                       env_extra=proof)
    assert done.returncode == 0 and done.stderr == ""
    data = json.loads(done.stdout)
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [6.85, 51.47]}
