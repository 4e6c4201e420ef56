"""The diff of two edition snapshots, pure Python: added, changed field by field, withdrawn."""

from controlling.domain.editions import ItemKind, diff_items, summary


def rec(number, **fields):
    base = {"number": number, "title": f"Empfehlung {number}", "description": None,
            "district": "Osterfeld", "department": "3-1", "kind": "new", "topic": None,
            "status": "proposed", "superseded_by": None, "measures": []}
    return {**base, **fields}


def measure(id_, **fields):
    base = {"id": id_, "title": f"Maßnahme {id_}", "description": None, "department": "3-1",
            "districts": ["Osterfeld"], "topic": None, "target_group": None, "place": None,
            "ends_on": None, "funding": None, "implementation_status": None,
            "contact_department": None, "contact_role": None, "recommendations": []}
    return {**base, **fields}


def test_an_unchanged_state_has_no_differences():
    old = {1: rec(1), 2: rec(2, status="approved")}
    assert diff_items(ItemKind.RECOMMENDATION, old, dict(old)) == {
        "added": [], "changed": [], "withdrawn": []}


def test_a_new_recommendation_is_added_with_its_data():
    diff = diff_items(ItemKind.RECOMMENDATION, {1: rec(1)}, {1: rec(1), 5: rec(5)})
    assert [(a["number"], a["status"], a["supersedes"]) for a in diff["added"]] == [
        (5, "proposed", [])]
    assert diff["added"][0]["data"] == rec(5)


def test_changes_are_listed_field_by_field_with_old_and_new_values():
    old = {1: rec(1)}
    new = {1: rec(1, title="Neuer Titel", status="approved", measures=[3])}
    (changed,) = diff_items(ItemKind.RECOMMENDATION, old, new)["changed"]
    assert changed["number"] == 1 and changed["title"] == "Neuer Titel"
    assert [(c["field"], c["old"], c["new"]) for c in changed["changes"]] == [
        ("title", "Empfehlung 1", "Neuer Titel"), ("status", "proposed", "approved"),
        ("measures", [], [3])]
    assert changed["changes"][0]["label"] == "Titel"


def test_a_superseded_recommendation_is_withdrawn_and_its_successor_names_it():
    old = {1: rec(1, status="approved")}
    new = {1: rec(1, status="superseded", superseded_by=9), 9: rec(9)}
    diff = diff_items(ItemKind.RECOMMENDATION, old, new)
    assert diff["withdrawn"] == [{"number": 1, "title": "Empfehlung 1", "reason": "superseded",
                                  "status": "superseded", "superseded_by": 9}]
    assert diff["added"][0]["supersedes"] == [1]
    assert diff["changed"] == []


def test_a_rejected_recommendation_is_withdrawn_but_one_rejected_before_is_not():
    old = {1: rec(1), 2: rec(2, status="rejected")}
    new = {1: rec(1, status="rejected"), 2: rec(2, status="rejected", title="anders")}
    diff = diff_items(ItemKind.RECOMMENDATION, old, new)
    assert [(w["number"], w["reason"]) for w in diff["withdrawn"]] == [(1, "rejected")]
    assert [c["number"] for c in diff["changed"]] == [2]


def test_an_implemented_recommendation_is_a_change_not_a_withdrawal():
    diff = diff_items(ItemKind.RECOMMENDATION, {1: rec(1, status="approved")},
                      {1: rec(1, status="implemented")})
    assert diff["withdrawn"] == [] and diff["changed"][0]["changes"][0]["field"] == "status"


def test_an_item_no_longer_present_is_withdrawn_as_removed():
    diff = diff_items(ItemKind.MEASURE, {4: measure(4), 5: measure(5)}, {5: measure(5)})
    assert diff["withdrawn"] == [{"id": 4, "title": "Maßnahme 4", "reason": "removed"}]


def test_measure_profiles_are_compared_by_id_field_by_field():
    old = {4: measure(4)}
    new = {4: measure(4, districts=["Osterfeld", "Mitte/Styrum"], ends_on="2025-12-31"),
           6: measure(6)}
    diff = diff_items(ItemKind.MEASURE, old, new)
    assert [a["id"] for a in diff["added"]] == [6]
    assert [(c["field"], c["old"], c["new"]) for c in diff["changed"][0]["changes"]] == [
        ("districts", ["Osterfeld"], ["Osterfeld", "Mitte/Styrum"]),
        ("ends_on", None, "2025-12-31")]


def test_the_summary_counts_each_part():
    diff = {"recommendations": diff_items(ItemKind.RECOMMENDATION, {1: rec(1)}, {2: rec(2)}),
            "measures": diff_items(ItemKind.MEASURE, {}, {})}
    assert summary(diff) == {"recommendations": {"added": 1, "changed": 0, "withdrawn": 1},
                             "measures": {"added": 0, "changed": 0, "withdrawn": 0}}
