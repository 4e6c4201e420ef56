"""Measure profiles: periods for expiring offers, districts, contacts; near-duplicate texts;
the reference events."""

from datetime import date

import pytest

from controlling.data import models
from controlling.domain import events, measures
from controlling.domain.errors import InvalidInput
from controlling.domain.measures import (
    add_months,
    check_districts,
    check_no_personal_data,
    ends_within,
    parse_period,
    split_districts,
)
from controlling.domain.reference import DISTRICTS
from controlling.domain.similarity import RATIO, is_similar, near_duplicates, similarity


@pytest.mark.parametrize(("text", "start", "end"), [
    ("30d", date(2024, 1, 1), date(2024, 1, 31)),
    ("30t", date(2024, 1, 1), date(2024, 1, 31)),
    ("2w", date(2024, 1, 1), date(2024, 1, 15)),
    ("6m", date(2024, 8, 31), date(2025, 2, 28)),
    ("6M", date(2024, 1, 15), date(2024, 7, 15)),
    ("1y", date(2024, 2, 29), date(2025, 2, 28)),
    (" 1 j ", date(2024, 3, 1), date(2025, 3, 1)),
])
def test_periods_are_calendar_periods_with_the_day_clamped(text, start, end):
    assert parse_period(text).end_from(start) == end


@pytest.mark.parametrize("text", ["", "6", "m", "0m", "6x", "-1m", "6 months"])
def test_a_malformed_period_is_refused_in_german(text):
    with pytest.raises(InvalidInput, match="Ungültiger Zeitraum"):
        parse_period(text)


def test_add_months_crosses_years():
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), -2) == date(2023, 11, 30)


def test_a_measure_ends_within_a_period_including_both_boundary_days():
    start, end = date(2024, 1, 1), date(2024, 6, 30)
    assert ends_within(date(2024, 6, 30), start, end)
    assert ends_within(date(2024, 1, 1), start, end)
    assert not ends_within(date(2024, 7, 1), start, end)
    assert not ends_within(date(2023, 12, 31), start, end)
    assert not ends_within(None, start, end)


def test_citywide_stands_alone_and_districts_are_deduplicated():
    assert check_districts(["Osterfeld", "osterfeld", "Mitte/Styrum"], "stadtweit") == [
        "Osterfeld", "Mitte/Styrum"]
    with pytest.raises(InvalidInput, match="'stadtweit' gilt für die ganze Stadt"):
        check_districts(["Osterfeld", "stadtweit"], "stadtweit")
    with pytest.raises(InvalidInput, match="mindestens einen Sozialraum"):
        check_districts([], "stadtweit")
    assert split_districts("Osterfeld; Mitte/Styrum|Sterkrade-Nord") == [
        "Osterfeld", "Mitte/Styrum", "Sterkrade-Nord"]


@pytest.mark.parametrize("text", [
    "Koordination Frühe Hilfen", "Bereich 3-2-10, Team Sozialplanung", "Leitung Familienbüro",
    "Servicestelle, Raum 1.04",
])
def test_a_contact_by_department_or_role_is_accepted(text):
    assert check_no_personal_data(text, "Der Kontakt") == text


@pytest.mark.parametrize(("text", "problem"), [
    ("familienbuero@oberhausen.de", "E-Mail-Adresse"),
    ("Tel. 0208 825-1234", "Telefonnummer"),
    ("+49 208 8251234", "Telefonnummer"),
    ("Frau Muster", "Personennamen"),
    ("Dr. Beispiel", "Personennamen"),
])
def test_private_persons_data_is_refused_in_contacts(text, problem):
    pattern = f"enthält (eine|einen) {problem}.*keine Daten von Privatpersonen"
    with pytest.raises(InvalidInput, match=pattern):
        check_no_personal_data(text, "Der Kontakt")


def test_texts_with_the_same_words_or_small_differences_are_similar():
    assert is_similar("Mehr Sportangebote für Mädchen", "mehr Sport-Angebote für Mädchen!")
    assert is_similar("Hausaufgabenhilfe für Grundschüler fehlt",
                      "Für Grundschüler fehlt Hausaufgabenhilfe")
    assert not is_similar("Mehr Sportangebote für Mädchen", "Beratung für Senioren im Quartier")


def test_the_ratio_threshold_is_the_documented_one():
    ratio, _ = similarity("Familienzentrum", "Familienzentren")
    assert ratio >= RATIO == 0.8


def test_near_duplicates_need_the_same_district_and_topic():
    items = [
        (1, "Osterfeld", "Sport", "Mehr Sportangebote für Mädchen"),
        (2, "Osterfeld", "Sport", "mehr Sportangebote fuer Maedchen"),
        (3, "Osterfeld", "Jugend", "Mehr Sportangebote für Mädchen"),
        (4, "Mitte/Styrum", "Sport", "Mehr Sportangebote für Mädchen"),
    ]
    assert near_duplicates(items) == {1: [2], 2: [1]}


def test_the_twelve_reference_events_are_the_dates_and_districts_of_the_domain_brief():
    assert len(events.REFERENCE_EVENTS) == 12
    by_round = {1: [], 2: []}
    for district, held_on, precision, round_, event_format, _ in events.REFERENCE_EVENTS:
        by_round[round_].append((district, held_on, precision, event_format))
    for round_ in (1, 2):
        assert sorted(d for d, *_ in by_round[round_]) == sorted(DISTRICTS)
    assert ("Osterfeld", date(2021, 11, 1), events.DatePrecision.MONTH,
            events.EventFormat.CONFERENCE) in by_round[1]
    assert ("Oberhausen-Ost", date(2023, 10, 26), events.DatePrecision.DAY,
            events.EventFormat.WORLD_CAFE) in by_round[2]
    assert events.format_event_date(date(2019, 10, 1), "month") == "10/2019"


@pytest.mark.parametrize(("limit", "column"), [
    (measures.MEASURE_TITLE, models.Measure.title),
    (measures.PLACE, models.Measure.place),
    (measures.CONTACT_ROLE, models.Measure.contact_role),
    (measures.INSTITUTION_KIND, models.Suggestion.institution_kind),
    (events.EVENT_TITLE, models.Event.title),
])
def test_length_limits_match_the_columns(limit, column):
    assert column.property.columns[0].type.length == limit
