"""What the drivers say in English, and the German reason the user reads (no database)."""

import pytest

from controlling.data.db_errors import german_reason

CASES = [
    ('connection failed: connection to server at "127.0.0.1", port 5999 failed: Connection '
     'refused', "keine Verbindung zum Datenbankserver (Port 5999 abgelehnt; läuft PostgreSQL "
     "dort?)"),
    ('connection failed: connection to server at "127.0.0.1", port 5432 failed: FATAL:  '
     'database "gibtsnicht" does not exist',
     "die Datenbank 'gibtsnicht' gibt es nicht (anlegen, dann 'controlling init')"),
    ('connection failed: connection to server at "127.0.0.1", port 5432 failed: FATAL:  role '
     '"niemand" does not exist', "die Datenbankrolle 'niemand' gibt es nicht"),
    ('FATAL:  password authentication failed for user "app"',
     "die Anmeldung an der Datenbank als 'app' ist fehlgeschlagen (Passwort)"),
    ("failed to resolve host 'nirgends.invalid': [Errno -2] Name or service not known",
     "den Datenbankrechner 'nirgends.invalid' gibt es nicht (Name nicht auflösbar)"),
    ("file is not a database", "die Datei ist keine SQLite-Datenbank"),
    ("attempt to write a readonly database",
     "die Datenbank ist schreibgeschützt (nur lesen möglich)"),
    ("disk I/O error", "Lese- oder Schreibfehler auf dem Datenträger der Datenbank"),
    ("database or disk is full", "der Datenträger der Datenbank ist voll"),
    ("no such table: milestones", "die Tabelle 'milestones' fehlt (Schema zu alt oder "
     "beschädigt; 'controlling init' bringt es auf den neuesten Stand)"),
    ("permission denied for table status_changes", "die Datenbankrolle darf die Tabelle "
     "'status_changes' nicht so benutzen (docs/integrity.md, 'db roles')"),
]


@pytest.mark.parametrize(("english", "german"), CASES, ids=[c[1][:30] for c in CASES])
def test_a_driver_message_is_given_as_a_german_reason(english, german):
    assert german_reason(Exception(english)) == german


def test_an_unknown_message_keeps_its_first_line():
    assert german_reason(Exception("something new\nsecond line")) == "something new"
