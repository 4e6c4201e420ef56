"""Every error a user can cause ends in one German line on standard error and exit code 1;
click's usage errors end with exit code 2. Never a traceback."""

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from controlling.cli import cli as root
from controlling.data.database import make_engine
from tests.conftest import TOMORROW, on_tomorrow, snapshot


@pytest.fixture(scope="module")
def ready(module_cli, tmp_path_factory):
    """Recommendation 1 (proposed, Osterfeld, 3-1) and 2 (approved extension); an indicator.
    Shared by the module: every case here is a refusal and changes nothing."""
    cli, tmp_path = module_cli, tmp_path_factory.mktemp("dateien")
    (tmp_path / "ind.csv").write_text("indicator,district,year,value\nq,Osterfeld,2022,9\n"
                                      "q,stadtweit,2022,10\n", encoding="utf-8")
    (tmp_path / "kaputt.csv").write_text('number,title,district,department\n1,"offen\n')
    (tmp_path / "kaputt.xlsx").write_bytes(b"PK kein Excel")
    (tmp_path / "bild.png").write_bytes(b"\x89PNG")
    for args, user in (
        (("import", "indicators", tmp_path / "ind.csv"), "planer"),
        (("recommendation", "add", "--number", 1, "--title", "Eins", "--district", "Osterfeld",
          "--department", "3-1", "--on", "2024-01-10"), "planer"),
        (("recommendation", "add", "--number", 2, "--title", "Zwei", "--district", "Osterfeld",
          "--department", "3-1", "--kind", "extension", "--on", "2024-01-10"), "planer"),
        (("recommendation", "approve", 2, "--on", "2024-01-11"), "bl31"),
    ):
        result = cli(*args, user=user)
        assert result.exit_code == 0, result.stderr
    cli.tmp = tmp_path
    return cli


FROZEN_DAY = date(2024, 7, 5)  # today in these cases: 2024-Q4 has not begun
ADD = ("recommendation", "add", "--number", 9, "--title", "Neu", "--district", "Osterfeld",
       "--department", "3-1")

# (what, arguments, acting user, a phrase the message must contain)
REFUSALS = [
    ("unknown district", ("recommendation", "add", "--number", 9, "--title", "t", "--district",
                          "Atlantis", "--department", "3-1"), "planer", "Unbekannter Sozialraum"),
    ("unknown department", ("recommendation", "add", "--number", 9, "--title", "t",
                            "--district", "Osterfeld", "--department", "7-7"), "planer",
     "Unbekannter Bereich '7-7'"),
    ("unknown topic", (*ADD, "--topic", "Kochen"), "planer", "Unbekanntes Thema"),
    ("duplicate number", ("recommendation", "add", "--number", 1, "--title", "t", "--district",
                          "Osterfeld", "--department", "3-1"), "planer", "gibt es bereits"),
    ("zero number", ("recommendation", "add", "--number", 0, "--title", "t", "--district",
                     "Osterfeld", "--department", "3-1"), "planer", "muss positiv sein"),
    ("huge number", ("recommendation", "add", "--number", 10**12, "--title", "t", "--district",
                     "Osterfeld", "--department", "3-1"), "planer", "zu groß"),
    ("empty title", ("recommendation", "add", "--number", 9, "--title", " ", "--district",
                     "Osterfeld", "--department", "3-1"), "planer", "Titel darf nicht leer"),
    ("bad kind", (*ADD, "--kind", "sonstiges"), "planer", "Ungültige Angabe für Art"),
    ("unknown number to show", ("recommendation", "show", 999), "ausschuss",
     "Unbekannte Empfehlung Nummer 999"),
    ("huge number to show", ("recommendation", "show", 10**15), "ausschuss",
     "Unbekannte Empfehlung"),
    ("unknown number to approve", ("recommendation", "approve", 999), "bl31",
     "Unbekannte Empfehlung Nummer 999"),
    ("unknown user", ("recommendation", "list"), "niemand", "Unbekannter Benutzer 'niemand'"),
    ("unknown user adds", ADD, "niemand", "Unbekannter Benutzer"),
    ("unknown indicator", ("recommendation", "support", 1, "--indicator", "x"), "planer",
     "Unbekannter Indikator 'x'"),
    ("not worse than the city", ("recommendation", "support", 1, "--indicator", "q"), "planer",
     "Statistisch nicht gestützt"),
    ("missing year", ("recommendation", "support", 1, "--indicator", "q", "--year", 1999),
     "planer", "Kein Wert"),
    ("malformed quarter", ("progress", 2, "--quarter", "2024-5", "--light", "green", "--note",
                           "x"), "planer", "Ungültiges Quartal '2024-5'"),
    ("future quarter", ("progress", 2, "--quarter", "2024-Q4", "--light", "green", "--note",
                        "x"), "planer", "Das 4. Quartal 2024 hat noch nicht begonnen"),
    ("bad light", ("progress", 2, "--quarter", "2024-Q1", "--light", "blau", "--note", "x"),
     "planer", "Ungültige Angabe für Ampel: 'blau'"),
    ("empty progress note", ("progress", 2, "--quarter", "2024-Q1", "--light", "red", "--note",
                             " "), "planer", "braucht einen Text"),
    ("progress for a proposed one", ("progress", 1, "--quarter", "2024-Q1", "--light", "red",
                                     "--note", "x"), "planer", "nur für freigegebene"),
    ("bad status filter", ("recommendation", "list", "--status", "fertig"), "ausschuss",
     "Ungültige Angabe für Status"),
    ("unknown district filter", ("recommendation", "list", "--district", "Atlantis"),
     "ausschuss", "Unbekannter Sozialraum"),
    ("bad date", ("recommendation", "reject", 1, "--reason", "x", "--on", "gestern"), "planer",
     "Ungültiges Datum 'gestern'"),
    ("date in the future", ("recommendation", "reject", 1, "--reason", "x", "--on",
                            TOMORROW), "planer", "in der Zukunft"),
    ("date before the last change", ("recommendation", "reject", 1, "--reason", "x", "--on",
                                     "2023-12-31"), "planer", "liegt vor der letzten Änderung"),
    ("empty reason", ("recommendation", "reject", 1, "--reason", ""), "planer",
     "ist eine Begründung (--reason) nötig"),
    ("empty note on implement", ("recommendation", "implement", 2, "--note", " "), "planer",
     "ist ein Vermerk (--note) nötig"),
    ("forbidden transition", ("recommendation", "implement", 1, "--note", "x"), "planer",
     "Statuswechsel abgelehnt"),
    ("missing permission to implement", ("recommendation", "implement", 2, "--note", "x"), "bl32",
     "Keine Berechtigung"),
    ("committee writes", ADD, "ausschuss", "Keine Berechtigung"),
    ("stale version", ("recommendation", "reject", 1, "--reason", "x", "--expect-version", 9),
     "planer", "in der Zwischenzeit"),
    ("planner adds a user", ("user", "add", "x", "--name", "X", "--role", "planner"), "planer",
     "Keine Berechtigung"),
    ("duplicate user", ("user", "add", "planer", "--name", "X", "--role", "planner"), "admin",
     "gibt es bereits"),
    ("bad role", ("user", "add", "x", "--name", "X", "--role", "chef"), "admin",
     "Ungültige Angabe für Rolle: 'chef'"),
    ("head without department", ("user", "add", "x", "--name", "X", "--role",
                                 "department_head"), "admin", "braucht einen Bereich"),
    ("head of unknown department", ("user", "add", "x", "--name", "X", "--role",
                                    "department_head", "--department", "7-7"), "admin",
     "Unbekannter Bereich"),
    ("planner with department", ("user", "add", "x", "--name", "X", "--role", "planner",
                                 "--department", "3-1"), "admin", "Nur eine Bereichsleitung"),
    ("too long login", ("user", "add", "x" * 200, "--name", "X", "--role", "planner"), "admin",
     "zu lang"),
    ("duplicate district", ("district", "add", "osterfeld"), "admin", "gibt es bereits"),
    ("too long district", ("district", "add", "x" * 121), "admin", "zu lang"),
    ("empty department", ("department", "add", " ", "Name"), "admin", "dürfen nicht leer"),
    ("too long department code", ("department", "add", "x" * 33, "Name"), "admin", "zu lang"),
    ("duplicate department", ("department", "add", "3-1", "Noch einmal"), "admin",
     "gibt es bereits"),
    ("planner adds a district", ("district", "add", "Neustadt"), "planer", "Keine Berechtigung"),
    ("non-admin init", ("init",), "planer", "Keine Berechtigung"),
    ("unknown user init", ("init",), "niemand", "Unbekannter Benutzer"),
    ("missing import file", ("import", "recommendations", "fehlt.csv"), "planer",
     "Datei nicht gefunden"),
    ("malformed csv", ("import", "recommendations", "{tmp}/kaputt.csv"), "planer",
     "Anführungszeichen nicht geschlossen"),
    ("malformed xlsx", ("import", "indicators", "{tmp}/kaputt.xlsx"), "planer",
     "Keine gültige XLSX-Datei"),
    ("unknown file format", ("import", "indicators", "{tmp}/bild.png"), "planer",
     "Unbekanntes Dateiformat"),
    ("a folder as import file", ("import", "recommendations", "{tmp}"), "planer",
     "ist ein Ordner"),
    ("a folder as export file", ("export", "all", "--out", "{tmp}"), "admin", "ist ein Ordner"),
    ("an empty user name", ("user", "add", "x", "--name", " ", "--role", "planner"), "admin",
     "Der Name darf nicht leer sein"),
    ("a blank new name", ("user", "change", "planer", "--name", " "), "admin",
     "Der Name darf nicht leer sein"),
    ("a day that does not exist", ("recommendation", "reject", 1, "--reason", "x", "--on",
                                   "2024-02-30"), "planer", "den 30.02.2024 gibt es nicht"),
    ("a correction without a field", ("recommendation", "edit", 1, "--reason", "weil"),
     "planer", "Keine Korrektur angegeben"),
    ("a correction by a head", ("recommendation", "edit", 1, "--title", "X", "--reason", "weil"),
     "bl31", "Keine Berechtigung"),
    ("a correction of an unknown sachstand", ("progress", 2, "--quarter", "2024-Q1", "--light",
                                              "red", "--note", "x", "--corrects", 999),
     "planer", "hat keinen Sachstand 999"),
    ("a pseudonymisation without --yes", ("user", "pseudonymise", "bl32"), "admin",
     "zum Bestätigen --yes"),
    ("bad export status", ("export", "recommendations", "--status", "fertig"), "ausschuss",
     "erlaubt: vorgeschlagen (proposed)"),
]


@pytest.mark.parametrize(("what", "args", "user", "phrase"), REFUSALS,
                         ids=[r[0] for r in REFUSALS])
def test_a_user_error_is_one_german_line_with_exit_code_1(
        ready, module_engine, what, args, user, phrase, today_is):
    args = on_tomorrow(args, today_is(FROZEN_DAY))  # the data's "today"; TOMORROW: the future
    args = [str(a).replace("{tmp}", str(ready.tmp)) for a in args]
    before = snapshot(module_engine)
    result = ready(*args, user=user)
    assert snapshot(module_engine) == before
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Fehler: "), result.stderr
    assert phrase in result.stderr
    assert "Traceback" not in result.output
    if not args[0] == "import":  # an import lists its problems below the first line
        assert result.stderr.count("\n") == 1, result.stderr


def run(*args, env=None):
    result = CliRunner().invoke(root, [str(a) for a in args], env=env, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(("what", "url", "phrase"), [
    ("unreachable server", "postgresql+psycopg://nobody@127.0.0.1:1/x",
     "Datenbank nicht erreichbar"),
    ("plain postgresql scheme, unreachable", "postgresql://nobody:geheim@127.0.0.1:1/x",
     "Datenbank nicht erreichbar"),
    ("nonsense", "das ist keine url", "Ungültige Datenbank-URL"),
    ("unknown database type", "oracle2://x/y", "wird nicht unterstützt"),
    ("missing driver", "mysql://u:geheim@localhost/x", "nicht installiert"),
    ("folder that does not exist", "sqlite:////gibt/es/nicht/x.db",
     "Die Datenbank /gibt/es/nicht/x.db gibt es nicht"),
])
def test_a_database_url_that_cannot_be_used_is_one_german_line(what, url, phrase):
    for args in (("recommendation", "list"), ("init",)):
        result = run("--db", url, "--user", "admin", *args)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("Fehler: ") and result.stderr.count("\n") == 1
        assert phrase in result.stderr or args == ("init",)
        assert "geheim" not in result.stderr


def test_a_missing_database_asks_for_init_and_is_not_created(tmp_path):
    result = run("--db", f"sqlite:///{tmp_path / 'neu.db'}", "recommendation", "list")
    assert result.exit_code == 1
    assert result.stderr == (f"Fehler: Die Datenbank {tmp_path / 'neu.db'} gibt es nicht: bitte "
                             "zuerst 'controlling init' ausführen.\n")
    assert list(tmp_path.iterdir()) == []


def test_an_uninitialised_database_asks_for_init(tmp_path):
    (tmp_path / "neu.db").touch()
    result = run("--db", f"sqlite:///{tmp_path / 'neu.db'}", "recommendation", "list")
    assert result.exit_code == 1
    assert result.stderr == ("Fehler: Die Datenbank ist noch nicht eingerichtet: bitte zuerst "
                             "'controlling init' ausführen.\n")


def test_a_file_that_is_no_database_is_refused(tmp_path):
    (tmp_path / "text.db").write_text("kein SQLite " * 100)
    for args in (("recommendation", "list"), ("init",)):
        result = run("--db", f"sqlite:///{tmp_path / 'text.db'}", *args)
        assert result.exit_code == 1 and result.stderr.startswith("Fehler: ")
        assert "die Datei ist keine SQLite-Datenbank" in result.stderr, result.stderr


def test_the_server_names_a_missing_database_or_a_closed_port_in_german():
    result = run("--db", "postgresql+psycopg://nobody@127.0.0.1:1/x", "recommendation", "list")
    assert result.stderr == ("Fehler: Datenbank nicht erreichbar: keine Verbindung zum "
                             "Datenbankserver (Port 1 abgelehnt; läuft PostgreSQL dort?).\n")


def test_a_read_only_database_is_read_and_a_write_refused_in_german(cli):
    from tests.conftest import _token_if_known

    if not cli.url.startswith("sqlite"):
        pytest.skip("'?mode=ro' ist eine Angabe für SQLite-Dateien")
    path = make_engine(cli.url).url.database
    before = open(path, "rb").read()
    read_only = f"sqlite:///{path}?mode=ro"
    proof = {"CONTROLLING_TOKEN": _token_if_known(cli.url, "admin")}
    listed = run("--db", read_only, "--user", "admin", "district", "list", env=proof)
    assert listed.exit_code == 0 and "Osterfeld" in listed.stdout, listed.output
    assert listed.stderr == ""  # no SAWarning about the query string
    added = run("--db", read_only, "--user", "admin", "district", "add", "Neustadt", env=proof)
    assert added.exit_code == 1
    assert added.stderr == ("Fehler: Datenbankfehler: die Datenbank ist schreibgeschützt (nur "
                            "lesen möglich).\n")
    assert open(path, "rb").read() == before


def test_a_database_of_another_program_is_left_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'fremd.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE users (id INTEGER PRIMARY KEY, mail TEXT)"))
    engine.dispose()
    listed = run("--db", url, "recommendation", "list")
    assert "gehört nicht zu diesem Programm" in listed.stderr
    init = run("--db", url, "init")
    assert init.exit_code == 1 and "keine von diesem Programm" in init.stderr


def test_a_database_from_a_newer_program_version_is_left_alone(db_url):
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    for args in (("recommendation", "list"), ("init",)):
        result = run("--db", db_url, "--user", "admin", *args)
        assert result.exit_code == 1
        assert "neueren Schema-Stand (9999)" in result.stderr


@pytest.mark.parametrize(("args", "phrase"), [
    (("gibtsnicht",), "Unbekannter Befehl 'gibtsnicht'"),
    (("recommendation", "lst"), "Meinten Sie 'list'?"),
    (("recommendation", "list", "--farbe", "rot"), "Unbekannte Option '--farbe'"),
    (("recommendation", "list", "--format", "xml"), "'xml' ist nicht erlaubt"),
    (("recommendation", "show"), "Es fehlt das Argument 'NR'"),
    (("recommendation", "show", "sieben"), "'sieben' ist keine gültige Zahl"),
    (("recommendation", "show", 1, 2), "Unerwartetes zusätzliches Argument (2)"),
    (("recommendation", "reject", 1), "Es fehlt die Option '--reason'"),
    (("progress", 1, "--quarter"), "Option '--quarter' braucht einen Wert"),
])
def test_a_usage_error_has_exit_code_2_and_a_german_hint(ready, args, phrase):
    result = ready(*args)
    assert result.exit_code == 2, result.output
    assert "Fehler: " in result.stderr and phrase in result.stderr, result.stderr
    assert "Traceback" not in result.output
