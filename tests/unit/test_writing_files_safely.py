"""controlling/files.py, the one way the program writes a file: a temporary file in the same
folder, flushed and renamed; an existing file only with force; never through a symlink; on
any failure the old file byte for byte and no temporary file left."""

import errno
import os
import stat

import pytest

from controlling import files
from controlling.domain.errors import Conflict, DomainError, InvalidInput

OLD = b"the old file\n" * 100


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_new_file_is_written_completely(tmp_path):
    files.write_atomically(tmp_path / "neu.pdf", b"%PDF-1.4 ...")
    assert (tmp_path / "neu.pdf").read_bytes() == b"%PDF-1.4 ..."
    assert leftovers(tmp_path) == ["neu.pdf"]


def test_an_existing_file_is_refused_without_force_and_stays_as_it_was(tmp_path):
    target = tmp_path / "bericht.pdf"
    target.write_bytes(OLD)
    with pytest.raises(Conflict) as refused:
        files.write_atomically(target, b"new")
    assert str(refused.value) == f"Die Datei {target} gibt es schon; mit --force ersetzen."
    assert target.read_bytes() == OLD and leftovers(tmp_path) == ["bericht.pdf"]
    with pytest.raises(Conflict, match="gibt es schon; mit --force ersetzen"):
        files.check_target(target)


def test_with_force_an_existing_file_is_replaced_and_keeps_its_permissions(tmp_path):
    target = tmp_path / "bericht.pdf"
    target.write_bytes(OLD)
    target.chmod(0o640)
    files.write_atomically(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == ["bericht.pdf"]


def test_a_new_file_gets_the_usual_permissions_of_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        files.write_atomically(tmp_path / "neu.json", b"{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "neu.json").stat().st_mode) == 0o640


@pytest.mark.parametrize("force", [False, True])
def test_a_symlink_is_never_followed_nor_replaced(tmp_path, force):
    elsewhere = tmp_path / "passwd"
    elsewhere.write_bytes(OLD)
    link = tmp_path / "bericht.pdf"
    link.symlink_to(elsewhere)
    with pytest.raises(InvalidInput, match="das ist ein symbolischer Link"):
        files.write_atomically(link, b"new", force=force)
    assert elsewhere.read_bytes() == OLD and link.is_symlink()
    assert leftovers(tmp_path) == ["bericht.pdf", "passwd"]


def test_a_dangling_symlink_is_refused_too(tmp_path):
    link = tmp_path / "bericht.pdf"
    link.symlink_to(tmp_path / "nirgends")
    with pytest.raises(InvalidInput, match="symbolischer Link"):
        files.write_atomically(link, b"new", force=True)
    assert not (tmp_path / "nirgends").exists()


@pytest.mark.parametrize(("target", "reason"), [
    (".", "das ist ein Ordner"),
    ("fehlt/bericht.pdf", "der Ordner existiert nicht"),
])
def test_a_folder_or_a_missing_folder_is_refused_in_german(tmp_path, target, reason):
    with pytest.raises(InvalidInput) as refused:
        files.write_atomically(tmp_path / target, b"x", force=True)
    assert str(refused.value) == (f"Die Datei {tmp_path / target} kann nicht geschrieben "
                                  f"werden: {reason}.")


def failing(monkeypatch, name: str, code: int):
    def fail(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files.os, name, fail)


@pytest.mark.parametrize(("call", "code", "reason"), [
    ("write", errno.ENOSPC, "kein Speicherplatz mehr frei"),
    ("fsync", errno.ENOSPC, "kein Speicherplatz mehr frei"),
    ("write", errno.EDQUOT, "das Speicherkontingent ist erschöpft"),
    ("fsync", errno.EIO, "Ein-/Ausgabefehler des Datenträgers"),
    ("replace", errno.EROFS, "das Dateisystem ist schreibgeschützt"),
])
def test_a_failing_disk_leaves_the_old_file_byte_identical_and_no_temporary_file(
        tmp_path, monkeypatch, call, code, reason):
    target = tmp_path / "keep.xlsx"
    target.write_bytes(OLD)
    failing(monkeypatch, call, code)
    with pytest.raises(DomainError) as refused:
        files.write_atomically(target, b"new content " * 10_000, force=True)
    assert str(refused.value) == f"Die Datei {target} kann nicht geschrieben werden: {reason}."
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == ["keep.xlsx"]


def test_a_failing_disk_for_a_new_file_leaves_nothing_behind(tmp_path, monkeypatch):
    failing(monkeypatch, "write", errno.ENOSPC)
    with pytest.raises(DomainError, match="kein Speicherplatz mehr frei"):
        files.write_atomically(tmp_path / "neu.json", b"{}")
    assert leftovers(tmp_path) == []


def test_a_read_only_file_system_is_one_german_line(tmp_path, monkeypatch):
    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    with pytest.raises(DomainError) as refused:
        files.write_atomically(tmp_path / "x.json", b"{}")
    assert str(refused.value) == (f"Die Datei {tmp_path / 'x.json'} kann nicht geschrieben "
                                  "werden: das Dateisystem ist schreibgeschützt.")


def test_a_writer_that_fails_inside_replacing_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "kopie.db"
    target.write_bytes(OLD)
    with pytest.raises(RuntimeError), files.replacing(target, force=True) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("the writer broke")
    assert target.read_bytes() == OLD and leftovers(tmp_path) == ["kopie.db"]


def test_an_interrupted_writer_leaves_no_temporary_file(tmp_path):
    with pytest.raises(KeyboardInterrupt), files.replacing(tmp_path / "x.db") as temporary:
        temporary.write_bytes(b"half")
        raise KeyboardInterrupt
    assert leftovers(tmp_path) == []


def test_the_temporary_file_lies_in_the_target_folder_and_is_hidden(tmp_path):
    with files.replacing(tmp_path / "x.db") as temporary:
        assert temporary.parent == tmp_path and temporary.name.startswith(".x.db.")
        temporary.write_bytes(b"data")
    assert (tmp_path / "x.db").read_bytes() == b"data"


def test_a_file_that_appears_during_the_work_is_not_replaced_without_force(tmp_path):
    target = tmp_path / "bericht.pdf"
    with pytest.raises(Conflict, match="gibt es schon"), files.replacing(target) as temporary:
        temporary.write_bytes(b"ours")
        target.write_bytes(OLD)  # someone else, meanwhile
    assert target.read_bytes() == OLD and leftovers(tmp_path) == ["bericht.pdf"]


def test_a_symlink_that_appears_during_the_work_is_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(OLD)
    target = tmp_path / "bericht.pdf"
    with pytest.raises(InvalidInput, match="symbolischer Link"), files.replacing(
            target, force=True) as temporary:
        temporary.write_bytes(b"ours")
        target.symlink_to(elsewhere)
    assert elsewhere.read_bytes() == OLD


def test_on_a_file_system_without_hard_links_the_file_is_renamed_after_a_check(
        tmp_path, monkeypatch):
    failing(monkeypatch, "link", errno.EPERM)
    files.write_atomically(tmp_path / "neu.csv", b"a,b\n")
    assert (tmp_path / "neu.csv").read_bytes() == b"a,b\n"
    assert leftovers(tmp_path) == ["neu.csv"]
