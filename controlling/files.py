"""The one way the program writes a file (every `--out`, the update sheets, the backups).

A file is written to a temporary file in the target's own folder, flushed to the disk and then
renamed into place, so the target is always either the old file, byte for byte, or the new one,
complete; on any failure the temporary file is removed. An existing file is replaced only with
`force` (the commands' `--force`); a symbolic link is never followed nor replaced, and neither
is a folder. Failures are German `DomainError`s (the commands print them as `Fehler: ...`).

    check_target(path, force=False)              before the work: refuse early
    write_atomically(path, data, force=False)    bytes to a file
    with replacing(path, force=False) as temp:   for writers that need a path of their own
        sqlite3.connect(temp) ...                (SQLite's online backup): renamed at the end
"""

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from controlling.domain.errors import Conflict, DomainError, InvalidInput

REASONS = {
    errno.ENOENT: "der Ordner existiert nicht",
    errno.EACCES: "keine Schreibberechtigung",
    errno.EPERM: "keine Schreibberechtigung",
    errno.EISDIR: "das ist ein Ordner",
    errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner",
    errno.EROFS: "das Dateisystem ist schreibgeschützt",
    errno.ENOSPC: "kein Speicherplatz mehr frei",
    errno.EDQUOT: "das Speicherkontingent ist erschöpft",
    errno.EFBIG: "die Datei wäre zu groß für das Dateisystem",
    errno.ELOOP: "das ist ein symbolischer Link",
    errno.ENAMETOOLONG: "der Name ist zu lang",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers",
}


def reason(error: OSError) -> str:
    """Why an operation on a file failed, in German."""
    return REASONS.get(error.errno, error.strerror or type(error).__name__)


def cannot_write(path, error: OSError | str) -> str:
    """The German line for a file that could not be written (an OSError or a reason)."""
    because = error if isinstance(error, str) else reason(error)
    return f"Die Datei {path} kann nicht geschrieben werden: {because}."


def exists_refusal(path) -> str:
    return f"Die Datei {path} gibt es schon; mit --force ersetzen."


def check_target(path: str | Path, *, force: bool = False) -> Path:
    """Refuse a target that will not be written, before any work is done: a folder, a
    symbolic link, an existing file without `force`, a missing or read-only folder."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise DomainError(cannot_write(path, error)) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise InvalidInput(cannot_write(
                path, "das ist ein symbolischer Link (Links werden nicht verfolgt)"))
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInput(cannot_write(path, "das ist ein Ordner"))
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput(cannot_write(path, "das ist keine gewöhnliche Datei"))
        if not force:
            raise Conflict(exists_refusal(path))
    folder = _folder(path)
    if not folder.is_dir():
        raise InvalidInput(cannot_write(path, "der Ordner existiert nicht"))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(cannot_write(path, REASONS[errno.EROFS] if _read_only(folder)
                                        else "keine Schreibberechtigung"))
    return path


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows)
        return False


def write_atomically(path: str | Path, data: bytes, *, force: bool = False) -> None:
    """Write `data` as the file `path` (see the module's docstring)."""
    with replacing(path, force=force) as temporary:
        write_pieces(temporary, [data])


def write_pieces(temporary: Path, pieces) -> None:
    """Write the byte strings `pieces` one after the other into the (temporary) file."""
    fd = os.open(temporary, os.O_WRONLY | os.O_NOFOLLOW | getattr(os, "O_BINARY", 0))
    try:
        for piece in pieces:
            view = memoryview(piece)
            while view:
                view = view[os.write(fd, view):]
    finally:
        os.close(fd)


@contextmanager
def replacing(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """A temporary file in the target's folder for the caller to fill; when the block ends
    without an error it is flushed to the disk and renamed to `path`, else removed."""
    path = check_target(path, force=force)
    folder = _folder(path)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise DomainError(cannot_write(path, error)) from None
    temporary = Path(name)
    try:
        try:
            os.fchmod(fd, _mode_for(path))
        finally:
            os.close(fd)
        yield temporary
        _sync(temporary)
        _move_into_place(temporary, path, force)
        _sync_folder(folder)
    except OSError as error:
        raise DomainError(cannot_write(path, error)) from None
    finally:
        with suppress(OSError):
            os.unlink(temporary)


def _move_into_place(temporary: Path, path: Path, force: bool) -> None:
    """Rename; without `force` as a link that fails when the target appeared meanwhile."""
    check_target(path, force=force)  # a file, link or folder that appeared during the work
    if not force:
        try:
            os.link(temporary, path, follow_symlinks=False)
            return
        except FileExistsError:
            raise Conflict(exists_refusal(path)) from None
        except OSError as error:  # a file system without hard links: check, then rename
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK,
                                   errno.ENOSYS):
                raise
    os.replace(temporary, path)  # replaces a link itself, never what it points to


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (not every system can open a folder for that)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _mode_for(path: Path) -> int:
    """The permissions of the file replaced, else the usual ones of a new file (umask)."""
    try:
        return stat.S_IMODE(os.lstat(path).st_mode)
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")
