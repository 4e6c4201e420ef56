"""Published editions: a frozen state, and the diff after edits and supersessions (added,
changed field by field, withdrawn); on SQLite and PostgreSQL."""

import json
from datetime import date, datetime

import pytest

from controlling import clock
from tests.conftest import TOMORROW, on_tomorrow
from tests.instruments_support import ok, snapshot_of


def diff(cli, *args):
    return json.loads(ok(cli("edition", "diff", *args, "--format", "json",
                             user="ausschuss")).stdout)


@pytest.fixture
def published(cli, people):
    """Recommendations 1 (proposed), 2 (approved extension), 3 (proposed) and measure 1 (its
    profile written on 01.02.2023), published as 'Februar 2023'."""
    for number, kind in ((1, "new"), (2, "extension"), (3, "new")):
        ok(cli("recommendation", "add", "--number", number, "--title", f"Empfehlung {number}",
               "--district", "Osterfeld", "--department", "3-1", "--kind", kind,
               "--on", "2023-01-10", user="planer"))
    ok(cli("recommendation", "approve", 2, "--on", "2023-01-11", user="bl31"))
    with clock.freeze(datetime(2023, 2, 1, 9, 0)):
        ok(cli("measure", "add", "--title", "Familienbüro", "--department", "3-1",
               "--district", "Osterfeld", user="planer"))
    result = ok(cli("edition", "publish", "Februar 2023", "--on", "2023-02-15", "--note",
                    "Aktualisierung aller Empfehlungen", user="planer"))
    assert result.stdout.strip() == ("Ausgabe 'Februar 2023' veröffentlicht am 15.02.2023: 3 "
                                     "Empfehlungen, 1 Maßnahmensteckbriefe festgehalten.")
    return cli


def edit_everything(cli):
    ok(cli("recommendation", "implement", 2, "--note", "verlängert bis 2026", user="planer"))
    ok(cli("recommendation", "reject", 3, "--reason", "kein Bedarf", user="planer"))
    ok(cli("recommendation", "add", "--number", 4, "--title", "Empfehlung 1, neu gefasst",
           "--district", "Mitte/Styrum", "--department", "3-2", user="planer"))
    ok(cli("recommendation", "supersede", 1, "--by", 4, "--note", "Neufassung", user="planer"))
    ok(cli("measure", "edit", 1, "--place", "Gildenstraße 1", "--reason", "Ort", user="bl31"))
    ok(cli("measure", "link", 1, "--recommendation", 4, user="planer"))
    ok(cli("measure", "add", "--title", "Sportangebote", "--department", "2-5", "--district",
           "stadtweit", user="planer"))


def test_right_after_publishing_nothing_has_changed(published):
    result = diff(published, "Februar 2023")
    assert result["edition"] == {"name": "Februar 2023", "published_on": "2023-02-15"}
    assert result["compared_with"] == {"name": None, "published_on": None, "current": True}
    assert result["summary"] == {kind: {"added": 0, "changed": 0, "withdrawn": 0}
                                 for kind in ("recommendations", "measures")}


def test_the_diff_after_edits_and_supersessions_lists_each_kind_of_change(published):
    edit_everything(published)
    result = diff(published, "Februar 2023")
    recs, measures = result["recommendations"], result["measures"]
    (added,) = recs["added"]
    assert (added["number"], added["status"], added["supersedes"]) == (4, "proposed", [1])
    assert added["data"]["district"] == "Mitte/Styrum" and added["data"]["measures"] == [1]
    (changed,) = recs["changed"]
    assert changed["number"] == 2
    assert [(c["field"], c["old"], c["new"]) for c in changed["changes"]] == [
        ("status", "approved", "implemented")]
    assert recs["withdrawn"] == [
        {"number": 1, "title": "Empfehlung 1", "reason": "superseded", "status": "superseded",
         "superseded_by": 4},
        {"number": 3, "title": "Empfehlung 3", "reason": "rejected", "status": "rejected",
         "superseded_by": None},
    ]
    assert [m["title"] for m in measures["added"]] == ["Sportangebote"]
    assert measures["added"][0]["data"]["districts"] == ["stadtweit"]
    (profile,) = measures["changed"]
    assert [(c["field"], c["old"], c["new"]) for c in profile["changes"]] == [
        ("place", None, "Gildenstraße 1"), ("recommendations", [], [4])]
    assert measures["withdrawn"] == []
    assert result["summary"]["recommendations"] == {"added": 1, "changed": 1, "withdrawn": 2}


def test_the_table_names_fields_in_german_with_old_and_new_values(published):
    edit_everything(published)
    text = ok(published("edition", "diff", "Februar 2023", user="ausschuss")).stdout
    assert "Ausgabe 'Februar 2023' (15.02.2023) → jetziger Stand" in text
    for phrase in ("vorgeschlagen; ersetzt 1", "ersetzt durch Empfehlung 4", "abgelehnt",
                   "freigegeben", "umgesetzt", "Ort/Einrichtung", "Gildenstraße 1",
                   "Maßnahmen: nichts zurückgezogen."):
        assert phrase in text, phrase


def test_an_edition_stays_as_published_and_two_editions_can_be_compared(published):
    edit_everything(published)
    ok(published("edition", "publish", "Juni 2024", user="admin"))  # after today's edits
    ok(published("recommendation", "add", "--number", 5, "--title", "Später", "--district",
                 "Osterfeld", "--department", "3-1", user="planer"))
    between = diff(published, "Februar 2023", "--to", "Juni 2024")
    assert between["compared_with"] == {"name": "Juni 2024",
                                        "published_on": clock.today().isoformat(),
                                        "current": False}
    assert [a["number"] for a in between["recommendations"]["added"]] == [4]
    since = diff(published, "Juni 2024")
    assert [a["number"] for a in since["recommendations"]["added"]] == [5]
    assert since["recommendations"]["withdrawn"] == []
    listed = json.loads(ok(published("edition", "list", "--format", "json",
                                     user="ausschuss")).stdout)
    assert [(e["name"], e["published_on"], e["recommendations"], e["measures"], e["actor"])
            for e in listed] == [("Februar 2023", "2023-02-15", 3, 1, "planer"),
                                 ("Juni 2024", clock.today().isoformat(), 4, 2, "admin")]
    assert listed[0]["note"] == "Aktualisierung aller Empfehlungen"


@pytest.mark.parametrize(("args", "user", "phrase"), [
    (("publish", "X"), "bl31", "Keine Berechtigung: bl31 (Bereichsleitung 3-1) darf nicht "
                               "Ausgaben veröffentlichen"),
    (("publish", "X"), "ausschuss", "Keine Berechtigung: ausschuss (committee)"),
    (("publish", "Februar 2023"), "planer", "Eine Ausgabe 'Februar 2023' gibt es bereits"),
    (("publish", "X", "--on", TOMORROW), "planer", "liegt in der Zukunft"),
    (("publish", "X", "--on", "2023-01-31"), "planer",
     "Das Veröffentlichungsdatum 31.01.2023 liegt vor der letzten Änderung dessen, was die "
     "Ausgabe festhält (Maßnahmensteckbrief 1, erfasst am 01.02.2023)"),
    (("publish", "X", "--on", "15.13.2023"), "planer", "Ungültiges Datum"),
    (("publish", "  "), "planer", "darf nicht leer sein"),
    (("publish", "x" * 121), "planer", "zu lang (121 Zeichen, höchstens 120)"),
    (("diff", "Mai 2020"), "ausschuss", "Unbekannte Ausgabe 'Mai 2020' (veröffentlicht: "
                                        "Februar 2023)"),
    (("diff", "Februar 2023", "--to", "Mai 2020"), "ausschuss", "Unbekannte Ausgabe"),
    (("list",), "niemand", "Unbekannter Benutzer 'niemand'"),
])
def test_a_refused_edition_command_says_why_and_changes_nothing(published, args, user, phrase,
                                                                today_is):
    args = on_tomorrow(args, today_is(date(2024, 7, 5)))
    before = snapshot_of(published)
    result = published("edition", *args, user=user)
    assert result.exit_code == 1 and result.stdout == ""
    message = result.stderr.strip()
    assert message.startswith("Fehler: ") and "\n" not in message and phrase in message, message
    assert snapshot_of(published) == before


def test_an_empty_database_has_nothing_to_publish(cli, people):
    result = cli("edition", "publish", "Leer", user="planer")
    assert result.exit_code == 1 and "nichts zu veröffentlichen" in result.stderr
    assert "Noch keine Ausgabe" in ok(cli("edition", "list")).stdout


def test_a_past_date_before_the_states_youngest_change_is_refused_never_todays_state_under_it(
        cli, people):
    """`edition publish --on 2024-01-01` froze today's content under that date."""
    ok(cli("recommendation", "add", "--number", 1, "--title", "Empfehlung 1", "--district",
           "Osterfeld", "--department", "3-1", "--kind", "extension", "--on", "2024-01-10",
           user="planer"))
    ok(cli("recommendation", "approve", 1, "--on", "2024-03-01", user="bl31"))
    before = snapshot_of(cli)
    result = cli("edition", "publish", "Januar 2024", "--on", "2024-01-01", user="planer")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == (
        "Fehler: Das Veröffentlichungsdatum 01.01.2024 liegt vor der letzten Änderung dessen, "
        "was die Ausgabe festhält (Empfehlung 1, wirksam 01.03.2024); eine Ausgabe hält den "
        "jetzigen Stand fest, unter einem früheren Datum stünde er für einen Tag, an dem er "
        "noch nicht galt. Bitte ohne --on oder mit einem Datum ab dem 01.03.2024 "
        "veröffentlichen.")
    assert snapshot_of(cli) == before
    result = ok(cli("edition", "publish", "März 2024", "--on", "2024-03-01", user="planer"))
    assert "veröffentlicht am 01.03.2024: 1 Empfehlungen" in result.stdout


def test_the_diff_as_a_pdf_for_committees_lists_each_change_in_german(published, tmp_path):
    from tests.report_builders import pdf_pages

    edit_everything(published)
    out = tmp_path / "aenderungen.pdf"
    result = ok(published("edition", "diff", "Februar 2023", "--format", "pdf", "--out", out,
                          user="ausschuss"))
    assert result.stdout.startswith(f"Änderungen seit der Ausgabe 'Februar 2023' geschrieben: "
                                    f"{out} (")
    pages = [" ".join(page.split()) for page in pdf_pages(out.read_bytes())]
    text = " ".join(pages)
    assert "Änderungen seit der Ausgabe „Februar 2023“" in pages[0]
    assert "Ausgabe vom 15.02.2023, verglichen mit dem jetzigen Stand" in pages[0]
    assert "Empfehlungen 1 1 2" in text and "Maßnahmensteckbriefe 1 1 0" in text
    for phrase in ("4 Empfehlung 1, neu gefasst vorgeschlagen; ersetzt Nr. 1",
                   "2 Empfehlung 2 Status freigegeben umgesetzt",
                   "1 Empfehlung 1 ersetzt durch Nr. 4", "3 Empfehlung 3 abgelehnt",
                   "Ort/Einrichtung – Gildenstraße 1", "Keine Maßnahmensteckbriefe "
                   "zurückgezogen."):
        assert phrase in text, phrase
    assert all(f"Seite {n} von {len(pages)}" in page for n, page in enumerate(pages, 1))
    before = out.read_bytes()
    refused = published("edition", "diff", "Februar 2023", "--format", "pdf", "--out", out,
                        user="ausschuss")
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert out.read_bytes() == before
    ok(published("edition", "diff", "Februar 2023", "--format", "pdf", "--out", out, "--force",
                 user="ausschuss"))
    wrong = published("edition", "diff", "Februar 2023", "--out", out, user="ausschuss")
    assert wrong.exit_code == 1 and "--out gilt nur mit --format pdf" in wrong.stderr
