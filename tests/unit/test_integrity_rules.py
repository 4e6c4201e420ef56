"""The history chain and the consistency rules as pure functions: fixed examples,
each way a row or link can be forged, and the rules `verify` and `import all` apply."""

import base64
import hashlib
from pathlib import Path

import pytest

from controlling.domain.consistency import Roles, check_consistency
from controlling.domain.errors import InvalidInput
from controlling.domain.integrity import (
    GENESIS,
    KEY_COLUMNS,
    canonical_json,
    check_chain,
    document_checksum,
    extend,
    link_sha256,
    parse_anchor,
    row_sha256,
)

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations" / "versions"


# canonical JSON and the hashes: fixed examples, so the format cannot drift -----------------

def test_canonical_json_sorts_keys_drops_spaces_and_keeps_umlauts_as_utf8():
    assert canonical_json({"b": 1, "a": "ü", "c": [1.5, None]}) == (
        b'{"a":"\xc3\xbc","b":1,"c":[1.5,null]}')


def test_a_row_hash_leaves_out_sql_null_columns():
    expected = hashlib.sha256(b'{"id":1,"to_status":"proposed"}').hexdigest()
    assert row_sha256({"id": 1, "note": None, "to_status": "proposed"}) == expected
    assert expected == "8bc565345a7f92e5b626a9279175831f12aced470ef702cffc195f2bb6a1572c"


def test_a_stored_json_null_is_not_the_same_as_sql_null():
    assert row_sha256({"id": 1, "evidence": {"json": None}}) != row_sha256(
        {"id": 1, "evidence": None})


def test_a_link_hash_covers_number_table_row_its_hash_and_the_previous_link():
    text = ('{"previous_sha256":"' + GENESIS + '","row_id":1,"row_sha256":"' + "ab" * 32
            + '","seq":1,"table":"status_changes"}')
    digest = link_sha256(1, "status_changes", 1, "ab" * 32, GENESIS)
    assert digest == hashlib.sha256(text.encode()).hexdigest()
    assert digest == "ae1b8fbbbc5e59dd91c5e46b803d3e8926032a646fe37d151be8d4b1bc0a1b20"


def test_the_backup_checksum_ignores_itself_and_the_order_of_keys():
    document = {"format": "controlling-backup", "tables": {"x": {"columns": [], "rows": []}}}
    stated = document_checksum(document)
    assert stated.startswith("sha256:") and len(stated) == 71
    assert document_checksum({**dict(reversed(document.items())), "checksum": "egal"}) == stated
    assert document_checksum({**document, "revision": "0006"}) != stated


def test_an_anchor_is_read_as_entry_and_hash_and_anything_else_is_refused():
    assert parse_anchor(f" 12:{'AB' * 32} ") == (12, "ab" * 32)
    for bad in ("12", f"x:{'ab' * 32}", "12:abc", f"12:{'zz' * 32}", ""):
        with pytest.raises(InvalidInput, match="Ungültiger Anker"):
            parse_anchor(bad)


def test_every_history_table_is_chained_by_its_primary_key():
    from controlling.data.models import HISTORY_TABLES, Base

    for name in HISTORY_TABLES:
        keys = [c.name for c in Base.metadata.tables[name].primary_key.columns]
        assert keys == [KEY_COLUMNS.get(name, "id")], name


def _tuple_in(migration: str, name: str) -> tuple:
    source = (MIGRATIONS / migration).read_text(encoding="utf-8")
    namespace: dict = {}
    start = source.index(f"{name} = (")
    exec(source[start:source.index(")", start) + 1], namespace)  # the tuple literal only
    return namespace[name]


def test_the_migrations_name_the_same_history_tables_as_the_model():
    from controlling.data.models import HISTORY_TABLES

    first = _tuple_in("0005_history_protection_published_reports.py", "HISTORY_TABLES")
    assert _tuple_in("0006_history_chain.py", "HISTORY_TABLES") == first
    later = (*_tuple_in("0012_milestone_completions.py", "CHAINED_TABLES"),
             *_tuple_in("0013_corrections.py", "CHAINED_TABLES"))
    assert (*first, *later) == HISTORY_TABLES


# the chain -------------------------------------------------------------------------------

CHAINED = ("status_changes", "sign_ins")


def sealed(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The tables plus a correct chain over them, table by table."""
    items = [(t, r["id"], row_sha256(r)) for t in CHAINED for r in rows.get(t, [])]
    entries = extend(0, GENESIS, items)
    tables = dict(rows)
    tables["history_chain"] = [e.__dict__.copy() for e in entries]
    tables["history_chain_head"] = [{"id": 1, "seq": entries[-1].seq,
                                     "chain_sha256": entries[-1].chain_sha256}]
    return tables


@pytest.fixture
def tables():
    return sealed({
        "status_changes": [{"id": 1, "to_status": "proposed", "note": "angelegt"},
                           {"id": 2, "to_status": "approved", "note": None}],
        "sign_ins": [{"id": 1, "login": "admin", "outcome": "success"}],
    })


def messages(tables, anchors=None) -> list[str]:
    return [p.message for p in check_chain(tables, CHAINED, anchors)[0]]


def test_an_intact_chain_has_no_problems_and_reports_its_head(tables):
    problems, summary = check_chain(tables, CHAINED)
    assert problems == []
    assert summary["entries"] == 3 and summary["head_seq"] == 3
    assert summary["head_sha256"] == tables["history_chain"][-1]["chain_sha256"]


def test_an_empty_database_has_an_intact_chain_without_a_head():
    assert check_chain({}, CHAINED)[0] == []


def test_a_changed_row_is_named_with_its_entry(tables):
    tables["status_changes"][1]["note"] = "nachträglich"
    assert messages(tables) == ["status_changes id 2: der Inhalt passt nicht zum Hash in "
                                "Eintrag 2 der Kette (nachträglich geändert)."]


def test_a_deleted_row_is_named(tables):
    del tables["status_changes"][0]
    assert messages(tables) == ["status_changes id 1: die Zeile fehlt, obwohl Eintrag 1 der "
                                "Kette sie nennt (gelöscht)."]


def test_a_row_inserted_past_the_program_is_named(tables):
    tables["sign_ins"].append({"id": 2, "login": "x", "outcome": "success"})
    assert messages(tables) == ["sign_ins id 2: steht in keinem Eintrag der Kette (am "
                                "Programm vorbei eingefügt)."]


def test_a_row_and_its_entry_changed_together_break_the_entry_hash(tables):
    tables["status_changes"][1]["note"] = "nachträglich"
    tables["history_chain"][1]["row_sha256"] = row_sha256(tables["status_changes"][1])
    assert messages(tables) == ["Kette, Eintrag 2 (status_changes id 2): der Hash des Eintrags "
                                "passt nicht zu seinem Inhalt."]


def test_an_entry_rehashed_too_breaks_the_next_link(tables):
    entry = tables["history_chain"][1]
    tables["status_changes"][1]["note"] = "nachträglich"
    entry["row_sha256"] = row_sha256(tables["status_changes"][1])
    entry["chain_sha256"] = link_sha256(2, "status_changes", 2, entry["row_sha256"],
                                        entry["previous_sha256"])
    assert messages(tables) == ["Kette, Eintrag 3 (sign_ins id 1): verweist nicht auf den "
                                "Eintrag davor (previous_sha256 passt nicht)."]


def test_a_missing_entry_is_a_gap(tables):
    del tables["history_chain"][1]
    found = messages(tables)
    assert found[0] == "Kette, Eintrag 3: erwartet war Eintrag 2 (Lücke in der Nummerierung)."
    assert "status_changes id 2: steht in keinem Eintrag der Kette" in found[-1]


def test_a_head_that_does_not_name_the_last_entry_is_named(tables):
    tables["history_chain_head"][0]["seq"] = 2
    assert messages(tables)[0].startswith("Kettenkopf (history_chain_head) nennt Eintrag 2, "
                                          "der letzte Eintrag ist 3")


def test_a_chain_rewritten_from_scratch_holds_together_but_misses_its_anchor(tables):
    anchor = {2: tables["history_chain"][1]["chain_sha256"]}
    tables["status_changes"][1]["note"] = "nachträglich"
    rewritten = sealed({k: v for k, v in tables.items() if k in CHAINED})
    assert messages(rewritten) == []
    assert messages(rewritten, anchor)[0].startswith("Kette, Eintrag 2: Hash ")
    assert "die Kette wurde bis hierher neu geschrieben" in messages(rewritten, anchor)[0]
    assert messages(rewritten, {9: "ab" * 32}) == [
        "Kette: den festgehaltenen Eintrag 9 gibt es nicht."]


# consistency -----------------------------------------------------------------------------

T0 = "2024-01-10T09:00:00"


def state(**changes) -> dict[str, list[dict]]:
    """One recommendation of department 3-1, proposed by the planner, approved by its head."""
    tables = {
        "departments": [{"id": 1, "code": "3-1"}, {"id": 2, "code": "3-2"}],
        "users": [{"id": 1, "login": "planer", "role": "planner", "department_id": None},
                  {"id": 2, "login": "bl31", "role": "department_head", "department_id": 1},
                  {"id": 3, "login": "ausschuss", "role": "committee", "department_id": None}],
        "account_events": [
            {"id": 1, "user_id": 3, "action": "created", "detail": "committee",
             "recorded_at": T0}],
        "recommendations": [{"id": 1, "number": 7, "status": "approved", "kind": "extension",
                             "department_id": 1, "version": 3}],
        "status_changes": [
            {"id": 1, "recommendation_id": 1, "from_status": None, "to_status": "proposed",
             "actor_id": 1, "recorded_at": T0},
            {"id": 2, "recommendation_id": 1, "from_status": "proposed",
             "to_status": "approved", "actor_id": 2, "recorded_at": "2024-02-01T09:00:00"}],
        "progress_updates": [{"id": 1, "recommendation_id": 1, "actor_id": 2,
                              "recorded_at": "2024-03-01T09:00:00"}],
    }
    tables.update(changes)
    return tables


def found(tables) -> list[str]:
    return [p.message for p in check_consistency(tables)]


def test_a_recommendation_that_agrees_with_its_history_has_no_problems():
    assert found(state()) == []


def test_a_status_the_history_does_not_end_in_is_named():
    tables = state()
    tables["recommendations"][0]["status"] = "implemented"
    assert found(tables) == ["Empfehlung 7 ist 'umgesetzt', ihr Verlauf endet bei "
                             "'freigegeben' (status_changes id 2)."]


def test_a_version_outside_what_the_history_allows_is_named():
    for version, allowed in ((999, "zwischen 2 und 3"), (1, "zwischen 2 und 3")):
        tables = state()
        tables["recommendations"][0]["version"] = version
        assert found(tables) == [f"Empfehlung 7 hat Version {version}; nach ihrem Verlauf (1 "
                                 f"Statuswechsel, 1 Sachstände) wäre es {allowed}."]


def test_an_approval_not_by_the_head_of_the_department_is_named():
    tables = state()
    tables["status_changes"][1]["actor_id"] = 1
    assert found(tables) == ["Empfehlung 7: status_changes id 2 ('vorgeschlagen' → "
                             "'freigegeben') von planer (planner), erlaubt nur für die "
                             "Bereichsleitung von 3-1."]


def test_a_step_the_transition_table_does_not_have_is_named():
    tables = state()
    tables["recommendations"][0]["kind"] = "new"  # proposed -> approved only for extensions
    assert found(tables) == ["Empfehlung 7: status_changes id 2 ('vorgeschlagen' → "
                             "'freigegeben') ist nach der Statusregel nicht möglich (Art new)."]


def test_a_step_that_does_not_follow_the_one_before_is_named():
    tables = state()
    tables["status_changes"][1]["from_status"] = "statistically_supported"
    assert found(tables)[0] == ("Empfehlung 7: status_changes id 2 ('statistisch gestützt' → "
                                "'freigegeben') schließt nicht an den Eintrag davor an, der bei "
                                "'vorgeschlagen' endet.")


def test_a_recommendation_without_history_is_named():
    tables = state(status_changes=[], progress_updates=[])
    tables["recommendations"][0]["version"] = 1
    assert found(tables) == ["Empfehlung 7 hat keinen Verlauf (keine Zeile in "
                             "status_changes)."]


def test_the_role_at_the_time_counts_not_the_role_now():
    """bl31 approved as head of 3-1 and moved to 3-2 afterwards: the approval still fits; a
    Sachstand after the move does not."""
    tables = state()
    tables["users"][1]["department_id"] = 2
    tables["account_events"].append(
        {"id": 2, "user_id": 2, "action": "changed", "detail": "department_head 3-1 → "
         "department_head 3-2", "recorded_at": "2024-02-15T09:00:00"})
    assert found(tables) == ["Empfehlung 7: Sachstand (progress_updates id 1) von bl31 "
                             "(Bereichsleitung 3-2), erlaubt nur für Sozialplanung "
                             "(planner), Administration (admin) oder die Bereichsleitung von "
                             "3-1."]


def test_a_committee_member_turned_admin_without_an_account_event_is_named():
    tables = state()
    tables["users"][2]["role"] = "admin"
    assert found(tables) == ["Benutzer ausschuss (users id 3) ist 'admin', laut seinen "
                             "Kontoereignissen (account_events id 1) aber 'committee'."]


def test_a_role_change_with_its_account_event_is_no_problem():
    tables = state()
    tables["users"][2]["role"] = "admin"
    tables["account_events"].append({"id": 2, "user_id": 3, "action": "changed",
                                     "detail": "committee → admin", "recorded_at": T0})
    assert found(tables) == []


def test_the_first_admin_of_init_is_an_admin():
    roles = Roles([{"id": 1, "login": "root", "role": "admin", "department_id": None}], [],
                  [{"id": 1, "user_id": 1, "action": "created",
                    "detail": "erster Admin (init)", "recorded_at": T0}])
    assert roles.created[1] == ("admin", 1)


def test_a_published_report_whose_figures_or_pdf_changed_is_named():
    data, pdf = {"quarter": "2025-Q1", "totals": {"approved": 3}}, b"%PDF-1.4 Bericht"
    report = {"id": 1, "kind": "quarterly", "period": "2025-Q1", "data": {"json": data},
              "data_sha256": hashlib.sha256(canonical_json(data)).hexdigest(),
              "pdf": {"base64": base64.b64encode(pdf).decode()},
              "pdf_sha256": hashlib.sha256(pdf).hexdigest()}
    assert found(state(published_reports=[report])) == []
    report["data"] = {"json": {**data, "totals": {"approved": 4}}}
    report["pdf"] = {"base64": base64.b64encode(pdf + b" ").decode()}
    name = "Veröffentlichter Bericht quarterly 2025-Q1 (published_reports id 1)"
    assert found(state(published_reports=[report])) == [
        f"{name}: die Zahlen passen nicht mehr zu ihrem gespeicherten SHA-256.",
        f"{name}: das PDF passt nicht mehr zu seinem gespeicherten SHA-256."]


def test_a_supersession_must_name_the_change_that_ended_its_recommendation():
    tables = state(supersessions=[{"recommendation_id": 1, "successor_id": 2,
                                   "status_change_id": 2}])
    assert found(tables) == ["supersessions recommendation_id 1: status_changes id 2 ist nicht "
                             "der Statuswechsel dieser Empfehlung nach 'ersetzt'."]


# who may verify; the PostgreSQL grants ------------------------------------------------------

def test_planners_and_admins_may_verify_and_nobody_else():
    from controlling.domain.actors import PERMISSIONS

    assert PERMISSIONS["verify"][0] == frozenset({"planner", "admin"})


def test_the_application_role_may_never_update_or_delete_the_history():
    from controlling.data.models import HISTORY_TABLES, Base
    from controlling.data.roles import grant_statements

    statements = grant_statements("controlling_app")
    named = " ".join(statements)
    for table in (*HISTORY_TABLES, "history_chain"):
        granting = [s for s in statements if f'"{table}"' in s]
        assert granting == [next(s for s in statements if s.startswith("GRANT SELECT, INSERT ON")
                                 )], table
    for table in Base.metadata.tables:
        assert f'"{table}"' in named, table
    assert not any("CREATE" in s and s.startswith("GRANT") for s in statements)
    assert 'GRANT SELECT, UPDATE ON TABLE "history_chain_head"' in named


def test_a_role_name_that_is_not_a_plain_identifier_is_refused():
    from controlling.data.roles import grant_statements

    for bad in ("App", "1app", "app; DROP TABLE users", "", "a" * 64):
        with pytest.raises(InvalidInput, match="Ungültiger Rollenname"):
            grant_statements(bad)
