"""The web application's secret key: from CONTROLLING_SECRET_KEY, else from the file named by
CONTROLLING_SECRET_KEY_FILE (default ~/.config/controlling/secret_key), generated there once
(mode 0600) and kept. It is never in the repository."""

import os
import secrets
from pathlib import Path

from controlling.domain.errors import DomainError


def secret_key_file() -> Path:
    named = os.environ.get("CONTROLLING_SECRET_KEY_FILE")
    if named:
        return Path(named)
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "controlling" / "secret_key"


def secret_key() -> str:
    given = os.environ.get("CONTROLLING_SECRET_KEY")
    if given:
        if len(given) < 32:
            raise DomainError("CONTROLLING_SECRET_KEY ist zu kurz (mindestens 32 Zeichen).")
        return given
    path = secret_key_file()
    try:
        existing = path.read_text(encoding="ascii").strip()
        if len(existing) >= 32:
            return existing
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as error:
        raise DomainError(f"Der geheime Schlüssel in {path} ist nicht lesbar: {error}") from None
    key = secrets.token_urlsafe(48)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
    except FileExistsError:  # another process wrote it first: use theirs
        return path.read_text(encoding="ascii").strip()
    except OSError as error:
        raise DomainError(f"Der geheime Schlüssel kann nicht in {path} gespeichert werden "
                          f"({error.strerror}); bitte CONTROLLING_SECRET_KEY setzen.") from None
    return key
