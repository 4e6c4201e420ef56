"""Corrections with history (migration 0013): a recommendation's fields are corrected with a
reason and every old and new value is kept; a wrong Sachstand is corrected by a new entry that
names it; a departed person is pseudonymised and the history stays whole. Refusals change
nothing; `verify` still finds the database consistent."""

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from controlling.domain.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    StaleEdit,
    TransitionRefused,
)
from controlling.services.accounts import pseudonymise_user
from controlling.services.recommendation_edits import edit_recommendation
from controlling.services.recommendations import record_progress, show_recommendation
from controlling.services.trace import trace_recommendation
from controlling.services.verify import verify_database
from tests.conftest import snapshot
from tests.report_builders import Steps


@pytest.fixture
def recs(uow, people, today_is):
    """1 proposed (Osterfeld, 3-1); 2 approved extension with a Sachstand for 2024-Q1;
    3 implemented."""
    today_is(date(2024, 3, 20))
    steps = Steps(uow)
    steps.add(1, date(2024, 1, 10), title="Familienzentrum ausbaun")
    steps.add(2, date(2024, 1, 10), kind="extension", title="Lotsen verlängern")
    steps.approve(2, date(2024, 1, 20))
    steps.progress(2, "2024-Q1", "green", date(2024, 3, 1), note="läuft gut")
    steps.add(3, date(2024, 1, 10), kind="extension", title="Fertig")
    steps.approve(3, date(2024, 1, 20))
    steps.implement(3, date(2024, 2, 20))
    return steps


def edit(uow, number, reason="Tippfehler", login="planer", **fields):
    return edit_recommendation(uow(), login, number, fields=fields, reason=reason)


def test_a_correction_keeps_old_and_new_values_with_reason_who_and_when(recs, uow, engine):
    result = edit(uow, 1, title="Familienzentrum ausbauen", department="3-2",
                  topic="Jugend", reason="Tippfehler; Zuständigkeit gewechselt")
    assert result["title"] == "Familienzentrum ausbauen" and result["department"] == "3-2"
    assert result["change"] == {
        "title": {"from": "Familienzentrum ausbaun", "to": "Familienzentrum ausbauen"},
        "topic": {"from": None, "to": "Jugend"},
        "department": {"from": "3-1", "to": "3-2"}}
    shown = show_recommendation(uow(), "ausschuss", 1)
    assert shown["version"] == 2  # one correction, one new version
    assert [(e["changes"], e["reason"], e["actor"]) for e in shown["edits"]] == [
        (result["change"], "Tippfehler; Zuständigkeit gewechselt", "planer")]
    assert trace_recommendation(uow(), "ausschuss", 1)["edits"] == shown["edits"]
    assert verify_database(engine, uow(), "planer")["problems"] == []


@pytest.mark.parametrize(("number", "fields", "error", "phrase"), [
    (1, {"title": "Neu"}, InvalidInput, "braucht eine Begründung"),
    (1, {}, InvalidInput, "Keine Korrektur angegeben"),
    (1, {"title": "Familienzentrum ausbaun"}, InvalidInput, "hat diese Werte bereits"),
    (1, {"title": "  "}, InvalidInput, "Titel darf nicht leer"),
    (1, {"district": "Atlantis"}, NotFound, "Unbekannter Sozialraum"),
    (2, {"kind": "new"}, TransitionRefused, "Art ändert sich nach der Freigabe nicht"),
    (3, {"department": "3-2"}, TransitionRefused, "Bereich ändert sich nicht mehr"),
    (9, {"title": "x"}, NotFound, "Empfehlung"),
])
def test_a_correction_the_rules_refuse_changes_nothing(recs, uow, engine, number, fields,
                                                        error, phrase):
    before = snapshot(engine)
    with pytest.raises(error, match=phrase):
        edit(uow, number, reason="" if phrase.startswith("braucht") else "weil", **fields)
    assert snapshot(engine) == before


def test_a_final_recommendation_keeps_its_title_correctable(recs, uow):
    assert edit(uow, 3, title="Fertig und gut")["title"] == "Fertig und gut"


def test_only_planners_and_admins_correct_and_a_stale_version_is_refused(recs, uow, engine):
    before = snapshot(engine)
    with pytest.raises(PermissionDenied):
        edit(uow, 1, login="bl31", title="Neu")
    with pytest.raises(StaleEdit):
        edit_recommendation(uow(), "planer", 1, fields={"title": "Neu"}, reason="weil",
                            expected_version=7)
    assert snapshot(engine) == before


@pytest.mark.parametrize("statement", ["UPDATE recommendation_edits SET reason = 'anders'",
                                       "DELETE FROM recommendation_edits"])
def test_plain_sql_cannot_rewrite_a_correction(recs, uow, engine, statement):
    edit(uow, 1, title="Familienzentrum ausbauen")
    before = snapshot(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    assert snapshot(engine) == before


def test_a_wrong_sachstand_is_corrected_by_a_new_entry_that_names_it(recs, uow, engine):
    first = show_recommendation(uow(), "planer", 2)["progress"][0]
    result = record_progress(uow(), "bl31", 2, quarter="2024-Q1", light="yellow",
                             note="Träger fällt aus", corrects=first["id"])
    assert result["progress"]["corrects"] == first["id"]
    progress = show_recommendation(uow(), "planer", 2)["progress"]
    assert [(p["light"], p["corrects"], p["corrected_by"]) for p in progress] == [
        ("green", None, result["progress"]["id"]), ("yellow", first["id"], None)]
    assert verify_database(engine, uow(), "planer")["problems"] == []


@pytest.mark.parametrize(("corrects", "quarter", "phrase"), [
    (999, "2024-Q1", "hat keinen Sachstand 999"),
    ("first", "2023-Q4", "gilt für dasselbe Quartal"),
])
def test_a_correction_of_another_entry_or_quarter_is_refused(recs, uow, engine, corrects,
                                                             quarter, phrase):
    first = show_recommendation(uow(), "planer", 2)["progress"][0]["id"]
    before = snapshot(engine)
    with pytest.raises((NotFound, InvalidInput), match=phrase):
        record_progress(uow(), "planer", 2, quarter=quarter, light="red", note="x",
                        corrects=first if corrects == "first" else corrects)
    assert snapshot(engine) == before


def test_an_entry_is_corrected_once_then_its_correction_is(recs, uow):
    first = show_recommendation(uow(), "planer", 2)["progress"][0]["id"]
    second = record_progress(uow(), "planer", 2, quarter="2024-Q1", light="yellow",
                             note="gelb", corrects=first)["progress"]["id"]
    with pytest.raises(InvalidInput, match=f"schon durch Sachstand {second} korrigiert"):
        record_progress(uow(), "planer", 2, quarter="2024-Q1", light="red", note="rot",
                        corrects=first)
    record_progress(uow(), "planer", 2, quarter="2024-Q1", light="red", note="rot",
                    corrects=second)


def test_a_departed_person_is_pseudonymised_and_the_history_stays_whole(recs, uow, engine):
    user_id = next(u for u in snapshot(engine)["users"] if "bl31" in u)[0]
    result = pseudonymise_user(uow(), "admin", "bl31")
    assert result == {"login": f"ehemalig-{user_id}", "name": f"Ehemalige Person {user_id}",
                      "active": False}
    history = show_recommendation(uow(), "planer", 2)["history"]
    assert [h["actor"] for h in history] == ["planer", f"ehemalig-{user_id}"]  # the approval
    assert "bl31" not in str(show_recommendation(uow(), "planer", 2))
    assert verify_database(engine, uow(), "planer")["problems"] == []
    with pytest.raises(InvalidInput, match="schon pseudonymisiert"):
        pseudonymise_user(uow(), "admin", f"ehemalig-{user_id}")
    with pytest.raises(PermissionDenied, match="selbst"):
        pseudonymise_user(uow(), "admin", "admin")
