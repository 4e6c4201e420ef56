"""Mail settings from a file: `CONTROLLING_MAIL_CONFIG=/etc/controlling/mail.toml`
holds the same keys as the environment variables (`CONTROLLING_SMTP_HOST = "mail.example"`,
`CONTROLLING_SMTP_PORT = 587`, ...); a variable set in the environment wins over the file.

Refused in one German line: a file that is missing, unreadable or not TOML, an unknown key, a
value that is neither text nor a whole number (a list of texts for CONTROLLING_ESCALATION_TO),
and a password in a file every user of the machine may read."""

import os
import re
import stat
import tomllib

from controlling.domain.errors import InvalidInput

VARIABLE = "CONTROLLING_MAIL_CONFIG"
PASSWORD = "CONTROLLING_SMTP_PASSWORD"
KEYS = (
    "CONTROLLING_SMTP_HOST", "CONTROLLING_SMTP_PORT", "CONTROLLING_SMTP_SECURITY",
    "CONTROLLING_SMTP_CA_FILE", "CONTROLLING_SMTP_USER", PASSWORD, "CONTROLLING_SMTP_FROM",
    "CONTROLLING_BASE_URL", "CONTROLLING_ESCALATION_TO", "CONTROLLING_ESCALATION_DAYS",
    "CONTROLLING_REMIND_DAYS", "CONTROLLING_MEASURE_DAYS",
)


def read_file(path: str) -> dict[str, str]:
    """The settings of the file at `path` as the environment would give them (texts)."""
    where = f"Die Mail-Einstellungen {path} ({VARIABLE})"
    try:
        with open(path, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise InvalidInput(f"{where} sind keine Datei.")
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise InvalidInput(f"{where}: die Datei gibt es nicht.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{where} sind keine Datei.") from None
    except PermissionError:
        raise InvalidInput(f"{where} können nicht gelesen werden (keine Berechtigung).") \
            from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{where} sind kein gültiges TOML (keine UTF-8-Datei).") from None
    except tomllib.TOMLDecodeError as error:
        place = re.search(r"line (\d+), column (\d+)", str(error))
        at = f" (Zeile {place[1]}, Spalte {place[2]})" if place else ""
        raise InvalidInput(f"{where} sind kein gültiges TOML{at}.") from None
    except OSError as error:
        raise InvalidInput(f"{where} können nicht gelesen werden "
                           f"({error.strerror or type(error).__name__}).") from None
    unknown = sorted(key for key in data if key not in KEYS)
    if unknown:
        raise InvalidInput(f"{where}: unbekannter Schlüssel {unknown[0]}; erlaubt sind "
                           f"{', '.join(KEYS)}.")
    if PASSWORD in data and mode & stat.S_IROTH:
        raise InvalidInput(f"{where} enthalten das Passwort und sind für alle lesbar: erst "
                           f"'chmod o-r {path}', oder das Passwort in {PASSWORD}.")
    return {key: _text(key, value, where) for key, value in data.items()}


def _text(key: str, value, where: str) -> str:
    if key == "CONTROLLING_ESCALATION_TO" and isinstance(value, list) \
            and all(isinstance(v, str) for v in value):
        return ",".join(value)
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InvalidInput(f"{where}: {key} muss ein Text oder eine ganze Zahl sein.")


def merged_environment(env=None) -> dict[str, str]:
    """The environment over the file of CONTROLLING_MAIL_CONFIG (when set): a variable set
    (not empty) in the environment wins."""
    env = os.environ if env is None else env
    path = (env.get(VARIABLE) or "").strip()
    if not path:
        return dict(env)
    merged = read_file(path)
    merged.update({key: value for key, value in env.items() if value})
    return merged
