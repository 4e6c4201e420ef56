"""The figures of the quarterly report, computed from a hand-made history (no database)."""

from controlling.domain.dates import Quarter
from tests.report_builders import DISTRICTS, Book

Q1 = Quarter(2024, 1)


def test_a_recommendation_counts_only_once_its_creation_is_effective():
    book = Book()
    book.add(1, "2024-03-31")
    book.add(2, "2024-04-01")
    report = book.report(Q1)
    assert report.totals["proposed"] == 1
    assert [line.number for line in report.recommendations] == [1]


def test_the_status_is_that_of_the_latest_change_by_effective_date_then_id():
    book = Book()
    book.add(1, "2024-01-10")
    book.move(1, "statistically_supported", "2024-02-01")
    book.move(1, "approved", "2024-02-01")  # same day: the later id wins
    book.add(2, "2024-01-10")
    book.move(2, "rejected", "2024-04-02")  # after the quarter: not yet
    report = book.report(Q1)
    assert report.totals == {"proposed": 1, "statistically_supported": 0, "approved": 1,
                             "implemented": 0, "rejected": 0, "superseded": 0}
    assert report.by_district["Osterfeld"]["approved"] == 1


def test_the_latest_update_for_the_quarter_gives_the_light_and_other_quarters_do_not_count():
    book = Book()
    for number in (1, 2, 3):
        book.add(number, "2024-01-10")
        book.move(number, "approved", "2024-01-20")
    report = book.report(Q1, light_of=[
        (1, "2024-Q1", "green", "2024-02-01"), (1, "2024-Q1", "red", "2024-03-01"),
        (2, "2024-Q1", "yellow", "2024-03-02"),
        (3, "2023-Q4", "green", "2024-01-25"),  # a late update for the quarter before
    ])
    assert report.lights == {"green": 0, "yellow": 1, "red": 1, "none": 1}
    assert report.stale == (3,)
    assert report.red == (1,)
    assert {line.number: line.light for line in report.recommendations} == {
        1: "red", 2: "yellow", 3: "none"}


def test_a_sachstand_for_the_quarter_effective_after_its_end_counts_for_it():
    """the update round comes after the quarter; a late Sachstand counts for its
    quarter (a Sachstand for the next quarter does not)."""
    book = Book()
    book.add(1, "2024-01-10")
    book.move(1, "approved", "2024-01-20")
    book.add(2, "2024-01-10")
    book.move(2, "approved", "2024-01-20")
    report = book.report(Q1, light_of=[(1, "2024-Q1", "green", "2024-04-03"),
                                       (2, "2024-Q2", "red", "2024-04-03")])
    assert report.lights == {"green": 1, "yellow": 0, "red": 0, "none": 1}
    assert report.stale == (2,)


def test_lights_count_only_recommendations_approved_at_the_quarters_end():
    book = Book()
    book.add(1, "2024-01-10")
    book.move(1, "approved", "2024-01-20")
    book.move(1, "implemented", "2024-03-20")
    report = book.report(Q1, light_of=[(1, "2024-Q1", "green", "2024-02-01")])
    assert report.lights == {"green": 0, "yellow": 0, "red": 0, "none": 0}
    assert report.stale == ()


def test_transitions_are_the_changes_effective_in_the_quarter_creations_included():
    book = Book()
    book.add(1, "2023-12-20")
    book.add(2, "2024-01-05")
    book.move(1, "statistically_supported", "2024-02-01",
              evidence={"indicator": "x", "district_value": 2, "city_value": 1})
    book.move(2, "rejected", "2024-04-01")
    transitions = book.report(Q1).transitions
    assert [(t.number, t.from_status, t.to_status, t.effective_on.isoformat())
            for t in transitions] == [
        (2, None, "proposed", "2024-01-05"),
        (1, "proposed", "statistically_supported", "2024-02-01"),
    ]
    assert transitions[1].evidence["district_value"] == 2


def test_the_change_against_the_previous_quarter_is_per_status():
    book = Book()
    book.add(1, "2023-11-01")
    book.add(2, "2024-02-01")
    book.move(1, "rejected", "2024-02-02")
    report = book.report(Q1)
    assert report.previous_totals["proposed"] == 1
    assert report.change == {"proposed": 0, "statistically_supported": 0, "approved": 0,
                             "implemented": 0, "rejected": 1, "superseded": 0}


def test_proposals_older_than_two_quarters_without_a_decision_need_attention():
    book = Book()
    book.add(1, "2023-06-30")  # three quarters before 2024-Q1
    book.add(2, "2023-07-01")  # two quarters before: not yet
    book.add(3, "2023-01-10")
    book.move(3, "statistically_supported", "2023-02-01")  # supported is not a decision
    book.add(4, "2023-01-10")
    book.move(4, "rejected", "2023-02-01")
    assert book.report(Q1).undecided == (1, 3)


def test_a_quarter_before_any_data_gives_a_valid_report_of_zeros():
    report = Book().report(Q1)
    data = report.to_dict()
    assert not report.has_data
    assert data["totals"] == dict.fromkeys(
        ["proposed", "statistically_supported", "approved", "implemented", "rejected",
         "superseded"], 0)
    assert data["by_district"]["stadtweit"]["approved"] == 0
    assert data["by_department"] == {}
    assert data["transitions"] == [] and data["stale"] == []
    assert data["lights"] == {"green": 0, "yellow": 0, "red": 0, "none": 0}


def test_the_json_has_every_key_of_the_contract_with_the_agreed_shapes():
    book = Book()
    book.add(1, "2024-01-10", district="Mitte/Styrum", department="3-2")
    data = book.report(Q1).to_dict()
    assert {"quarter", "as_of", "totals", "by_district", "by_department", "transitions",
            "lights", "stale"} <= set(data)
    assert data["quarter"] == "2024-Q1" and data["as_of"] == "2024-03-31"
    assert list(data["by_district"]) == list(DISTRICTS)
    assert data["by_department"] == {"3-2": {"proposed": 1, "statistically_supported": 0,
                                             "approved": 0, "implemented": 0, "rejected": 0,
                                             "superseded": 0}}
    assert set(data["transitions"][0]) >= {"number", "from_status", "to_status",
                                           "effective_on"}
    assert set(data["lights"]) == {"green", "yellow", "red", "none"}
