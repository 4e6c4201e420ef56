"""Every command that writes a file, as a user types it (items 4 and 8): an existing
file only with --force, never through a symlink, a full or read-only disk leaves the old file
byte for byte and no temporary file, one German line and no traceback; read-only commands
never create a database."""

import errno
import gc
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from controlling import files

OLD = b"the old file, byte for byte\n" * 40
Q = "2024-Q2"

# name: (the arguments before the target file, what the file is)
COMMANDS = {
    "report quarterly pdf": (("report", "quarterly", "--quarter", Q, "--out"), "pdf"),
    "report quarterly json": (("report", "quarterly", "--quarter", Q, "--format", "json",
                               "--out"), "json"),
    "report strategy-paper": (("report", "strategy-paper", "--district", "Osterfeld",
                               "--made-on", "2025-04-07", "--out"), "pdf"),
    "report city json": (("report", "city", "--format", "json", "--out"), "json"),
    "export recommendations xlsx": (("export", "recommendations", "--format", "xlsx",
                                     "--out"), "xlsx"),
    "export recommendations csv": (("export", "recommendations", "--out"), "csv"),
    "export measures json": (("export", "measures", "--format", "json", "--out"), "json"),
    "export suggestions xlsx": (("export", "suggestions", "--format", "xlsx", "--out"),
                                "xlsx"),
    "export geojson": (("export", "geojson", "--out"), "json"),
    "export all": (("export", "all", "--out"), "json"),
    "backup": (("backup",), "sqlite"),
}


@pytest.fixture(scope="module")
def demo(module_cli):
    """The example data set: recommendations in every status, measures, suggestions,
    institutions, approved recommendations for the update sheets."""
    result = module_cli("init", "--demo")
    assert result.exit_code == 0, result.output
    return module_cli


def run(demo, name, target, *extra, **kwargs):
    before, _kind = COMMANDS[name]
    if name == "backup" and not demo.url.startswith("sqlite"):
        pytest.skip("'backup' kopiert nur SQLite-Datenbanken")
    result = demo(*before, target, *extra, user="admin", **kwargs)
    assert "Traceback" not in result.output
    return result


def check_complete(name: str, data: bytes) -> None:
    kind = COMMANDS[name][1]
    if kind == "pdf":
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    elif kind == "xlsx":
        assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    elif kind == "json":
        json.loads(data)
    elif kind == "csv":
        assert data.decode("utf-8").startswith("number,")
    else:
        assert data.startswith(b"SQLite format 3")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def commands_with(option: str, group: click.Group, prefix=()) -> list[tuple]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands_with(option, command, (*prefix, name))
        elif any(option in p.opts for p in command.params):
            found.append((*prefix, name))
    return found


def test_every_command_that_writes_a_file_offers_force():
    from controlling.cli import cli as root

    writing = commands_with("--out", root) + [("backup",)]
    assert ("report", "quarterly") in writing and ("export", "geojson") in writing
    without = [" ".join(path) for path in writing
               if ("--force", ) not in [tuple(p.opts) for p in _command(root, path).params]]
    assert without == []


def _command(group, path):
    for name in path:
        group = group.commands[name]
    return group


@pytest.mark.parametrize("name", COMMANDS)
def test_an_existing_file_is_refused_without_force_and_stays_byte_identical(
        demo, tmp_path, name):
    target = tmp_path / "keep"
    target.write_bytes(OLD)
    result = run(demo, name, target)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Fehler: Die Datei {target} gibt es schon; mit --force ersetzen.\n"
    assert target.read_bytes() == OLD and leftovers(tmp_path) == ["keep"]


@pytest.mark.parametrize("name", COMMANDS)
def test_with_force_the_file_is_replaced_by_a_complete_one(demo, tmp_path, name):
    target = tmp_path / "keep"
    target.write_bytes(OLD)
    result = run(demo, name, target, "--force")
    assert result.exit_code == 0, result.output
    check_complete(name, target.read_bytes())
    assert leftovers(tmp_path) == ["keep"]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_symlink_is_refused_even_with_force_and_what_it_points_to_stays(demo, tmp_path,
                                                                          name):
    elsewhere = tmp_path / "passwd"
    elsewhere.write_bytes(OLD)
    (tmp_path / "link").symlink_to(elsewhere)
    for extra in ((), ("--force",)):
        result = run(demo, name, tmp_path / "link", *extra)
        assert result.exit_code == 1, result.output
        assert result.stderr == (f"Fehler: Die Datei {tmp_path / 'link'} kann nicht geschrieben "
                                 "werden: das ist ein symbolischer Link (Links werden nicht "
                                 "verfolgt).\n")
    assert elsewhere.read_bytes() == OLD and (tmp_path / "link").is_symlink()


@pytest.fixture
def unraisable(monkeypatch):
    """What Python would print as 'Exception ignored in ...' (ZipFile.__del__ on a full
    disk): collected here instead."""
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    yield seen


@pytest.mark.parametrize("call", ["write", "fsync"])
@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_disk_leaves_the_old_file_byte_identical_and_no_temporary_file(
        demo, tmp_path, monkeypatch, unraisable, name, call):
    if call == "write" and name == "backup":
        pytest.skip("SQLite's online backup writes with its own calls: see the fsync case")
    target = tmp_path / "keep"
    target.write_bytes(OLD)

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, call, full)
    result = run(demo, name, target, "--force")
    monkeypatch.undo()
    gc.collect()
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"Fehler: Die Datei {target} kann nicht geschrieben werden: kein "
                             "Speicherplatz mehr frei.\n")
    assert target.read_bytes() == OLD and leftovers(tmp_path) == ["keep"]
    assert unraisable == [] and "Exception ignored" not in result.output


@pytest.mark.parametrize("failure", ["full", "fsync"])
def test_update_sheets_on_a_full_disk_give_one_german_line_and_keep_the_old_sheets(
        demo, tmp_path, monkeypatch, unraisable, failure):
    folder = tmp_path / "abfrage"
    assert demo("export", "update-sheets", "--quarter", Q, "--out", folder,
                user="planer").exit_code == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert before

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write" if failure == "full" else "fsync", full)
    result = demo("export", "update-sheets", "--quarter", Q, "--out", folder, "--force",
                  user="planer")
    monkeypatch.undo()
    gc.collect()
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: Die Datei ") and result.stderr.endswith(
        "kann nicht geschrieben werden: kein Speicherplatz mehr frei.\n")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert unraisable == [] and "Exception ignored" not in result.output


def test_update_sheets_refuse_existing_sheets_and_symlinks_and_replace_them_with_force(
        demo, tmp_path):
    folder = tmp_path / "abfrage"
    assert demo("export", "update-sheets", "--quarter", Q, "--out", folder,
                user="planer").exit_code == 0
    first = sorted(folder.iterdir())
    first[0].write_bytes(OLD)
    result = demo("export", "update-sheets", "--quarter", Q, "--out", folder, user="planer")
    assert result.exit_code == 1 and "gibt es schon" in result.stderr
    assert first[0].read_bytes() == OLD
    assert demo("export", "update-sheets", "--quarter", Q, "--out", folder, "--force",
                user="planer").exit_code == 0
    assert first[0].read_bytes().startswith(b"PK")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(OLD)
    first[0].unlink()
    first[0].symlink_to(elsewhere)
    result = demo("export", "update-sheets", "--quarter", Q, "--out", folder, "--force",
                  user="planer")
    assert result.exit_code == 1 and "symbolischer Link" in result.stderr
    assert elsewhere.read_bytes() == OLD
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


# A real small disk: a tmpfs of its own (needs root and mount; skipped elsewhere) ------------

@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs",
                           str(mount_point)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("kann kein tmpfs einhängen (braucht root): " + done.stderr.decode())
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill_up(folder: Path) -> None:
    """Fill the file system until not one more block fits."""
    with open(folder / "filler", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC


@pytest.mark.parametrize("name", COMMANDS)
def test_on_a_really_full_disk_the_old_file_stays_byte_identical(demo, small_disk, name):
    target = small_disk / "keep"
    target.write_bytes(OLD)
    fill_up(small_disk)
    result = run(demo, name, target, "--force")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Fehler: Die Datei {target} kann nicht geschrieben werden")
    assert "kein Speicherplatz mehr frei" in result.stderr or "Sicherung fehlgeschlagen" in (
        result.stderr)
    assert len(result.stderr.splitlines()) == 1
    assert target.read_bytes() == OLD and leftovers(small_disk) == ["filler", "keep"]


@pytest.mark.parametrize("name", COMMANDS)
def test_on_a_read_only_file_system_each_command_says_so_in_one_german_line(
        demo, small_disk, name):
    target = small_disk / "keep"
    target.write_bytes(OLD)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run(demo, name, target, "--force")
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"Fehler: Die Datei {target} kann nicht geschrieben werden: das "
                             "Dateisystem ist schreibgeschützt.\n")
    assert target.read_bytes() == OLD


def test_update_sheets_on_a_really_full_disk_print_no_exception_ignored(demo, small_disk):
    folder = small_disk / "abfrage"
    folder.mkdir()
    fill_up(small_disk)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTROLLING_")}
    from tests.conftest import issue_token

    env["CONTROLLING_TOKEN"] = issue_token(demo.url, "planer")
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve().parents[2] / "cli.py"), "--db", demo.url,
         "--user", "planer", "export", "update-sheets", "--quarter", Q, "--out", str(folder)],
        capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith("Fehler: Die Datei ") and "kein Speicherplatz" in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr  # no 'Exception ignored in ...'
    assert leftovers(folder) == []


# Read-only commands never create a database ---------------------------------------------------

@pytest.mark.parametrize("args", [
    ("status",),
    ("recommendation", "list"),
    ("report", "quarterly", "--quarter", Q, "--format", "json"),
    ("export", "recommendations"),
    ("user", "list"),
    ("backup", "kopie.db"),
    ("export", "all", "--out", "sicherung.json"),
])
def test_a_read_only_command_in_an_empty_folder_creates_no_database(tmp_path, monkeypatch,
                                                                     args):
    from controlling.cli import cli as root

    monkeypatch.chdir(tmp_path)
    for db in ((), ("--db", "sqlite:///anderswo.db")):
        result = CliRunner().invoke(root, [*db, "--user", "admin", *args],
                                    env={"CONTROLLING_DB": None, "CONTROLLING_TOKEN": None})
        assert result.exit_code == 1, result.output
        name = "anderswo.db" if db else "controlling.db"
        assert result.stderr == (f"Fehler: Die Datenbank {name} gibt es nicht: bitte zuerst "
                                 "'controlling init' ausführen.\n")
    assert leftovers(tmp_path) == []


def test_init_and_import_all_still_create_their_database(demo, tmp_path, monkeypatch):
    from controlling.cli import cli as root

    backup = tmp_path / "sicherung.json"
    assert demo("export", "all", "--out", backup).exit_code == 0
    monkeypatch.chdir(tmp_path)
    env = {"CONTROLLING_DB": None, "CONTROLLING_TOKEN": None}
    result = CliRunner().invoke(root, ["--user", os_login(), "init"], env=env)
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(root, ["--db", "sqlite:///neu.db", "import", "all",
                                       str(backup)], env=env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "controlling.db").is_file() and (tmp_path / "neu.db").is_file()


def os_login() -> str:
    from controlling.commands.context import os_login as login

    return login()
