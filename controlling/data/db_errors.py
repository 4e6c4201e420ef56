"""German reasons for the errors a database driver reports in English (psycopg, sqlite3):
no server, no such database or role, a wrong password, a host that does not resolve, a file
that is not a database, a read-only file, a disk error or a full disk. Pure text matching, no
driver imported; what is not known keeps the driver's first line after a German lead."""

import re

# (pattern on the driver's message, German reason; {0}, {1} are the pattern's groups)
KNOWN = (
    (r'port (\d+) failed: connection refused', "keine Verbindung zum Datenbankserver "
     "(Port {0} abgelehnt; läuft PostgreSQL dort?)"),
    (r'connection refused', "keine Verbindung zum Datenbankserver (abgelehnt; läuft "
     "PostgreSQL dort?)"),
    (r'database "([^"]+)" does not exist', "die Datenbank '{0}' gibt es nicht (anlegen, "
     "dann 'controlling init')"),
    (r'role "([^"]+)" does not exist', "die Datenbankrolle '{0}' gibt es nicht"),
    (r'password authentication failed for user "([^"]+)"', "die Anmeldung an der Datenbank "
     "als '{0}' ist fehlgeschlagen (Passwort)"),
    (r'no password supplied', "die Datenbank verlangt ein Passwort (in der URL oder in "
     "~/.pgpass)"),
    (r"failed to resolve host '([^']+)'", "den Datenbankrechner '{0}' gibt es nicht (Name "
     "nicht auflösbar)"),
    (r'could not translate host name "([^"]+)"', "den Datenbankrechner '{0}' gibt es nicht "
     "(Name nicht auflösbar)"),
    (r'timeout expired', "der Datenbankserver antwortet nicht (Zeitüberschreitung)"),
    (r'file is not a database', "die Datei ist keine SQLite-Datenbank"),
    (r'attempt to write a readonly database', "die Datenbank ist schreibgeschützt (nur "
     "lesen möglich)"),
    (r'readonly database', "die Datenbank ist schreibgeschützt (nur lesen möglich)"),
    (r'disk i/o error', "Lese- oder Schreibfehler auf dem Datenträger der Datenbank"),
    (r'database or disk is full', "der Datenträger der Datenbank ist voll"),
    (r'unable to open database file', "die Datenbankdatei lässt sich nicht öffnen (fehlt "
     "der Ordner, oder fehlt die Berechtigung?)"),
    (r'no such table: (\w+)', "die Tabelle '{0}' fehlt (Schema zu alt oder beschädigt; "
     "'controlling init' bringt es auf den neuesten Stand)"),
    (r'permission denied for (?:table|relation) (\w+)', "die Datenbankrolle darf die "
     "Tabelle '{0}' nicht so benutzen (docs/integrity.md, 'db roles')"),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), text) for p, text in KNOWN)


def first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def german_reason(error: BaseException) -> str:
    """The reason of a database error in German, e.g. "die Datenbank 'x' gibt es nicht"."""
    text = str(getattr(error, "orig", None) or error)
    for pattern, reason in _COMPILED:
        found = pattern.search(text)
        if found:
            return reason.format(*found.groups())
    return first_line(error)
