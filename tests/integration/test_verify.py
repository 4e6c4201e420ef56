"""`verify` on the database: it passes on what the program wrote and names the first
row that does not fit on each forgery of the issue, written the way the owner of the database
could (plain SQL, triggers switched off where they guard the history); on both databases."""

from datetime import date

import pytest

from controlling.data.unit_of_work import UnitOfWork
from controlling.domain.errors import PermissionDenied
from controlling.services.recommendations import change_status
from controlling.services.verify import verify_database
from tests.conftest import snapshot
from tests.integration.test_history_chain import migrate
from tests.integrity_support import fill_every_history_table, forge
from tests.report_builders import Steps


@pytest.fixture
def filled(engine, uow, people):
    fill_every_history_table(uow)
    Steps(uow).add(8, date(2024, 4, 10))
    change_status(uow(), "planer", 8, "reject", note="kein Bedarf", on=date(2024, 5, 2))
    return engine


def messages(engine, anchors=None) -> list[str]:
    result = verify_database(engine, UnitOfWork(engine), "planer", anchors)
    assert result["ok"] == (not result["problems"])
    return [p["message"] for p in result["problems"]]


def scalar(engine, sql: str, **parameters):
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.execute(text(sql), parameters).scalar_one()


def approval_id(engine) -> int:
    return scalar(engine, "SELECT id FROM status_changes WHERE to_status = 'approved'")


def user_id(engine, login: str) -> int:
    return scalar(engine, "SELECT id FROM users WHERE login = :login", login=login)


def test_verify_passes_on_what_the_program_wrote(filled):
    assert messages(filled) == []


def test_a_forged_approval_is_named_by_its_row_and_by_the_rule(filled):
    change = approval_id(filled)
    forge(filled, "UPDATE status_changes SET actor_id = :planner WHERE id = :id",
          "status_changes", planner=user_id(filled, "planer"), id=change)
    found = messages(filled)
    assert found[0] == (f"status_changes id {change}: der Inhalt passt nicht zum Hash in "
                        f"Eintrag {_entry(filled, 'status_changes', change)} der Kette "
                        "(nachträglich geändert).")
    assert (f"Empfehlung 2: status_changes id {change} ('vorgeschlagen' → 'freigegeben') von "
            "planer (planner), erlaubt nur für die Bereichsleitung von 3-1.") in found


def _entry(engine, table: str, row: int) -> int:
    return scalar(engine, "SELECT seq FROM history_chain WHERE table_name = :t AND row_id = :r",
                  t=table, r=row)


def test_a_committee_member_turned_admin_is_named(filled):
    forge(filled, "UPDATE users SET role = 'admin' WHERE login = 'ausschuss'")
    events = scalar(filled, "SELECT id FROM account_events WHERE user_id = :u AND action = "
                            "'created'", u=user_id(filled, "ausschuss"))
    assert messages(filled) == [
        f"Benutzer ausschuss (users id {user_id(filled, 'ausschuss')}) ist 'admin', laut seinen "
        f"Kontoereignissen (account_events id {events}) aber 'committee'."]


def test_an_implemented_recommendation_whose_history_ends_at_proposed_is_named(filled):
    forge(filled, "UPDATE recommendations SET status = 'implemented' WHERE number = 3")
    change = scalar(filled, "SELECT max(s.id) FROM status_changes s JOIN recommendations r ON "
                            "r.id = s.recommendation_id WHERE r.number = 3")
    assert messages(filled) == [f"Empfehlung 3 ist 'umgesetzt', ihr Verlauf endet bei "
                                f"'vorgeschlagen' (status_changes id {change})."]


def test_version_999_is_named(filled):
    forge(filled, "UPDATE recommendations SET version = 999 WHERE number = 8")
    assert messages(filled) == ["Empfehlung 8 hat Version 999; nach ihrem Verlauf (1 "
                                "Statuswechsel, 0 Sachstände) wäre es 2."]


def test_a_deleted_progress_update_is_named(filled):
    row = scalar(filled, "SELECT max(id) FROM progress_updates")
    forge(filled, "DELETE FROM progress_updates WHERE id = :id", "progress_updates", id=row)
    found = messages(filled)
    assert found[0] == (f"progress_updates id {row}: die Zeile fehlt, obwohl Eintrag "
                        f"{_entry(filled, 'progress_updates', row)} der Kette sie nennt "
                        "(gelöscht).")


def test_a_status_change_inserted_with_plain_sql_is_named(filled):
    rec = scalar(filled, "SELECT id FROM recommendations WHERE number = 3")
    forge(filled, "INSERT INTO status_changes (recommendation_id, from_status, to_status, "
                  "actor_id, effective_on, recorded_at) VALUES (:rec, 'proposed', 'rejected', "
                  ":actor, '2024-05-01', '2024-05-01 10:00:00')", rec=rec,
          actor=user_id(filled, "planer"))
    row = scalar(filled, "SELECT max(id) FROM status_changes")
    assert messages(filled)[0] == (f"status_changes id {row}: steht in keinem Eintrag der "
                                   "Kette (am Programm vorbei eingefügt).")


def test_a_changed_published_report_is_named(filled):
    forge(filled, "UPDATE published_reports SET pdf = :pdf", "published_reports",
          pdf=b"%PDF-1.4 andere Zahlen")
    found = messages(filled)
    assert found[0].startswith("published_reports id 1: der Inhalt passt nicht zum Hash")
    assert found[-1] == ("Veröffentlichter Bericht quarterly 2024-Q1 (published_reports id 1): "
                         "das PDF passt nicht mehr zu seinem gespeicherten SHA-256.")


def test_a_chain_rebuilt_after_a_forgery_holds_but_misses_an_anchor_noted_before(filled):
    before = verify_database(filled, UnitOfWork(filled), "planer")["chain"]
    anchor = {before["head_seq"]: before["head_sha256"]}
    forge(filled, "UPDATE status_changes SET note = 'anders begründet' WHERE to_status = "
                  "'rejected'", "status_changes")
    migrate(filled, "downgrade", "0005", force=True)  # the chain dropped and built anew
    migrate(filled, "upgrade", "head")
    assert messages(filled) == []
    found = messages(filled, anchor)
    # the rebuilt chain differs at the anchor (or, with a corrected milestone folded into one
    # completion by the downgrade, is shorter than it)
    assert len(found) == 1 and found[0].startswith("Kette")
    assert f"Eintrag {before['head_seq']}" in found[0]


@pytest.mark.parametrize("login", ["ausschuss", "bl31"])
def test_only_planners_and_admins_verify(filled, login):
    before = snapshot(filled)
    with pytest.raises(PermissionDenied, match="darf nicht den Verlauf auf Veränderungen "
                                               "prüfen"):
        verify_database(filled, UnitOfWork(filled), login)
    assert snapshot(filled) == before
