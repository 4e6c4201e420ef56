"""Events, suggestions, triage, measure profiles, expiring offers, carry-over and trace,
through the services, on SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from controlling.data.models import (
    Indicator,
    IndicatorValue,
    MeasureChange,
    Suggestion,
    SuggestionOutcome,
    recommendation_measures,
)
from controlling.domain.errors import (
    ImportRefused,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StaleEdit,
    TransitionRefused,
)
from controlling.services import events, measures, suggestions, trace, triage
from controlling.services.recommendations import change_status, record_progress
from tests.conftest import row_counts

D = date  # short dates below


@pytest.fixture
def world(uow, people):
    """Reference events, an indicator, and a few suggestions in Osterfeld and Sterkrade-Nord."""
    events.load_reference_events(uow(), "planer")
    with uow() as work:
        indicator = Indicator(code="quote", label="SGB-II-Quote", higher_is_worse=True)
        work.session.add(indicator)
        work.session.flush()
        for district, value in (("stadtweit", 17.0), ("Osterfeld", 20.0),
                                ("Sterkrade-Nord", 9.0)):
            work.session.add(IndicatorValue(indicator_id=indicator.id, year=2022, value=value,
                                            district_id=work.repo.district(district).id))
        work.commit()
    ids = {e["district"] + str(e["round"]): e["id"] for e in events.list_events(uow(), "planer")}
    return ids


def add(uow, event_id, text, topic=None, **kwargs):
    return suggestions.add_suggestion(uow(), "planer", event_id=event_id, text=text,
                                      topic=topic, **kwargs)["id"]


def new_measure(uow, login="planer", **fields):
    fields = {"title": "Familienbüro", "department": "3-1", "districts": ["Osterfeld"], **fields}
    return measures.add_measure(uow(), login, fields=fields)["id"]


def links(engine):
    with engine.connect() as connection:
        return set(connection.execute(select(recommendation_measures)).all())


# the decision tree ------------------------------------------------------------------------------
def test_an_existing_offer_links_the_measure_and_closes_the_suggestion(uow, world, engine):
    sid = add(uow, world["Osterfeld2"], "Familienbüro fehlt")
    mid = new_measure(uow)
    result = triage.triage_suggestion(uow(), "planer", sid, "exists", measure_id=mid,
                                      on=D(2024, 1, 10))
    assert result["status"] == "exists"
    assert result["outcome"]["measure_id"] == mid
    assert result["recommendation"] is None and result["outcome"]["recommendation"] is None
    assert links(engine) == set()
    shown = measures.show_measure(uow(), "planer", mid)
    assert [s["id"] for s in shown["suggestions"]] == [sid]


def test_a_time_limited_offer_gets_a_proposed_extension_linked_to_measure_and_suggestion(
        uow, world, engine):
    sid = add(uow, world["Osterfeld2"], "Lotsenprojekt soll bleiben", topic="Gesundheit")
    mid = new_measure(uow, ends_on="2025-06-30", department="3-4")
    result = triage.triage_suggestion(uow(), "planer", sid, "time_limited", measure_id=mid,
                                      kind="permanence", on=D(2024, 1, 10))
    rec = result["recommendation"]
    assert (rec["kind"], rec["status"], rec["district"], rec["department"], rec["topic"]) == (
        "permanence", "proposed", "Osterfeld", "3-4", "Gesundheit")
    assert result["outcome"]["measure_id"] == mid
    assert result["outcome"]["recommendation"] == rec["number"]
    assert result["measure"]["recommendations"] == [rec["number"]]
    assert len(links(engine)) == 1


def test_a_new_measure_profile_can_be_written_during_triage(uow, world):
    sid = add(uow, world["Osterfeld2"], "Schuldnerberatung im Stadtteil")
    result = triage.triage_suggestion(
        uow(), "planer", sid, "time_limited", new_measure={"title": "Schuldnerberatung mobil",
                                                           "ends_on": "2025-12-31"},
        department="3-2", on=D(2024, 1, 10))
    measure = result["measure"]
    assert (measure["title"], measure["department"], measure["districts"], measure["ends_on"]) == (
        "Schuldnerberatung mobil", "3-2", ["Osterfeld"], "2025-12-31")
    assert result["recommendation"]["kind"] == "extension"
    assert result["recommendation"]["title"] == "Verlängerung: Schuldnerberatung mobil"


def test_a_missing_offer_creates_a_new_recommendation_with_the_next_free_number(uow, world):
    sid = add(uow, world["Osterfeld2"], "Offener Treff für Jugendliche am Wochenende",
              topic="Jugend")
    result = triage.triage_suggestion(uow(), "planer", sid, "missing", department="3-1",
                                      on=D(2024, 1, 10))
    rec = result["recommendation"]
    assert (rec["number"], rec["kind"], rec["status"], rec["title"]) == (
        1, "new", "proposed", "Offener Treff für Jugendliche am Wochenende")
    other = add(uow, world["Osterfeld2"], "Hebammensprechstunde")
    second = triage.triage_suggestion(uow(), "planer", other, "missing", department="3-4",
                                      on=D(2024, 1, 10))
    assert second["recommendation"]["number"] == 2


def test_a_statistically_supported_need_moves_the_recommendation_on_with_its_evidence(
        uow, world):
    sid = add(uow, world["Osterfeld2"], "Familienzentrum im Quartier")
    result = triage.triage_suggestion(uow(), "planer", sid, "missing", department="3-1",
                                      indicator="quote", on=D(2024, 1, 10))
    assert result["recommendation"]["status"] == "statistically_supported"
    assert result["check"]["evidence"]["district_value"] == 20.0


def test_a_need_without_statistical_support_is_rejected_with_that_reason(uow, world):
    sid = add(uow, world["Sterkrade-Nord2"], "Mehr Streetwork")
    result = triage.triage_suggestion(uow(), "planer", sid, "missing", department="3-1",
                                      indicator="quote", on=D(2024, 1, 10))
    assert result["recommendation"]["status"] == "rejected"
    assert result["check"]["reason"].startswith("statistisch nicht gestützt: ")
    assert "Sterkrade-Nord 9 gegenüber stadtweit 17" in result["check"]["reason"]
    assert result["status"] == "missing"  # the suggestion's one outcome stays


def test_the_check_can_follow_later_and_only_for_a_proposed_new_recommendation(uow, world):
    sid = add(uow, world["Sterkrade-Nord2"], "Mehr Streetwork")
    triage.triage_suggestion(uow(), "planer", sid, "missing", department="3-1",
                             on=D(2024, 1, 10))
    result = triage.check_suggestion(uow(), "planer", sid, indicator="quote", on=D(2024, 2, 1))
    assert result["supported"] is False and result["status"] == "rejected"
    with pytest.raises(TransitionRefused, match="'abgelehnt'"):
        triage.check_suggestion(uow(), "planer", sid, indicator="quote", on=D(2024, 2, 1))


def test_not_pursued_closes_the_suggestion_with_a_reason_and_no_links(uow, world, engine):
    sid = add(uow, world["Osterfeld2"], "Ein Schwimmbad")
    result = triage.triage_suggestion(uow(), "planer", sid, "not_pursued",
                                      reason="Zuständigkeit liegt beim Land", on=D(2024, 1, 10))
    assert result["status"] == "not_pursued"
    assert result["outcome"]["reason"] == "Zuständigkeit liegt beim Land"
    assert result["recommendation"] is None and result["measure"] is None
    assert links(engine) == set()


def test_a_suggestion_has_one_outcome_and_a_second_triage_changes_nothing(uow, world, engine):
    sid = add(uow, world["Osterfeld2"], "Ein Schwimmbad")
    triage.triage_suggestion(uow(), "planer", sid, "not_pursued", reason="Land",
                             on=D(2024, 1, 10))
    before = row_counts(engine)
    with pytest.raises(TransitionRefused, match="genau ein Ergebnis"):
        triage.triage_suggestion(uow(), "planer", sid, "missing", department="3-1")
    assert row_counts(engine) == before
    assert suggestions.list_suggestions(uow(), "planer", open_only=True) == []


def test_the_database_itself_refuses_a_second_outcome(uow, world):
    sid = add(uow, world["Osterfeld2"], "Ein Schwimmbad")
    triage.triage_suggestion(uow(), "planer", sid, "not_pursued", reason="Land",
                             on=D(2024, 1, 10))
    with uow() as work:
        first = work.session.scalar(select(SuggestionOutcome))
        work.session.add(SuggestionOutcome(
            suggestion_id=sid, outcome="not_pursued", reason="nochmal", actor_id=first.actor_id,
            decided_on=D(2024, 1, 11), recorded_at=first.recorded_at))
        with pytest.raises(IntegrityError):
            work.session.flush()


def test_outcomes_and_measure_history_are_append_only(uow, world):
    sid = add(uow, world["Osterfeld2"], "Ein Schwimmbad")
    triage.triage_suggestion(uow(), "planer", sid, "not_pursued", reason="Land",
                             on=D(2024, 1, 10))
    new_measure(uow)
    for model in (SuggestionOutcome, MeasureChange):
        with uow() as work:
            work.session.scalar(select(model)).reason = "anders"
            with pytest.raises(RuntimeError, match="append-only"):
                work.session.flush()
        with uow() as work:
            with pytest.raises(RuntimeError, match="append-only"):
                work.session.delete(work.session.scalar(select(model)))
                work.session.flush()


def test_triage_refuses_a_measure_elsewhere_and_dates_before_the_event(uow, world, engine):
    sid = add(uow, world["Osterfeld2"], "Familienbüro fehlt")
    elsewhere = new_measure(uow, districts=["Mitte/Styrum"])
    before = row_counts(engine)
    with pytest.raises(TransitionRefused, match="weder im Sozialraum"):
        triage.triage_suggestion(uow(), "planer", sid, "exists", measure_id=elsewhere)
    with pytest.raises(InvalidInput, match="vor der Veranstaltung"):
        triage.triage_suggestion(uow(), "planer", sid, "not_pursued", reason="x",
                                 on=D(2023, 9, 1))
    with pytest.raises(NotFound, match="Unbekannte Maßnahme 99999999999"):
        triage.triage_suggestion(uow(), "planer", sid, "exists", measure_id=99999999999)
    assert row_counts(engine) == before


# trace ----------------------------------------------------------------------------------------
def test_trace_follows_a_recommendation_from_two_events_to_its_last_progress_update(
        uow, world, engine):
    first = add(uow, world["Osterfeld1"], "Familienzentrum im Quartier", topic="Jugend",
                institution_kind="Kita")
    again = add(uow, world["Osterfeld2"], "Familienzentrum im Quartier fehlt immer noch",
                topic="Jugend")
    made = triage.triage_suggestion(uow(), "planer", first, "missing", department="3-1",
                                    indicator="quote", on=D(2022, 1, 10))
    number = made["recommendation"]["number"]
    triage.triage_suggestion(uow(), "planer", again, "missing", recommendation=number,
                             on=D(2023, 10, 2))
    mid = new_measure(uow, title="Familienzentrum Osterfeld")
    measures.link_measure(uow(), "planer", mid, number=number)
    change_status(uow(), "bl31", number, "approve", on=D(2023, 11, 1))
    for quarter, light, on in (("2024-Q1", "green", D(2024, 3, 1)),
                               ("2024-Q2", "yellow", D(2024, 6, 1)),
                               ("2024-Q3", "red", D(2024, 9, 1)),
                               ("2024-Q4", "green", D(2024, 12, 1))):
        record_progress(uow(), "planer", number, quarter=quarter, light=light, note=light, on=on)
    change_status(uow(), "planer", number, "implement", note="eröffnet", on=D(2025, 1, 15))

    t = trace.trace_recommendation(uow(), "ausschuss", number)
    assert t["status"] == "implemented"
    assert [e["district"] + str(e["round"]) for e in t["events"]] == ["Osterfeld1",
                                                                      "Osterfeld2"]
    assert [s["id"] for s in t["suggestions"]] == [first, again]
    assert t["suggestions"][0]["institution_kind"] == "Kita"
    assert [m["id"] for m in t["measures"]] == [mid]
    assert [(h["from_status"], h["to_status"]) for h in t["history"]] == [
        (None, "proposed"), ("proposed", "statistically_supported"),
        ("statistically_supported", "approved"), ("approved", "implemented")]
    assert t["history"][0]["source"] == f"Triage Hinweis {first}"
    assert t["history"][1]["evidence"]["indicator"] == "quote"
    assert [p["quarter"] for p in t["progress"]] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]


def test_trace_of_an_unknown_number_is_refused(uow, world):
    with pytest.raises(NotFound, match="Unbekannte Empfehlung Nummer 404"):
        trace.trace_recommendation(uow(), "planer", 404)


# expiring offers --------------------------------------------------------------------------------
def test_expiring_includes_the_boundary_day_and_excludes_the_day_after(uow, world):
    on_boundary = new_measure(uow, title="Endet am Stichtag + 6 Monate", ends_on="2024-07-15")
    after = new_measure(uow, title="Endet einen Tag später", ends_on="2024-07-16")
    new_measure(uow, title="Schon ausgelaufen", ends_on="2024-01-14")
    new_measure(uow, title="Unbefristet")
    result = measures.expiring_measures(uow(), "planer", within="6m", as_of=D(2024, 1, 15))
    assert result["until"] == "2024-07-15"
    assert [m["id"] for m in result["measures"]] == [on_boundary]
    assert result["measures"][0]["days_left"] == 182
    later = measures.expiring_measures(uow(), "planer", within="6m", as_of=D(2024, 1, 16))
    assert [m["id"] for m in later["measures"]] == [on_boundary, after]


def test_propose_creates_numbered_recommendations_once(uow, world, engine):
    osterfeld = new_measure(uow, title="Lotsen", ends_on="2024-03-31")
    city = new_measure(uow, title="Stadtweite Hotline", ends_on="2024-02-29",
                       districts=["stadtweit"], department="3-2")
    result = measures.expiring_measures(uow(), "planer", within="90d", as_of=D(2024, 1, 15),
                                        propose=True, on=D(2024, 1, 15))
    assert [(p["number"], p["measure_id"], p["district"], p["kind"]) for p in
            result["proposed"]] == [(1, city, "stadtweit", "extension"),
                                    (2, osterfeld, "Osterfeld", "extension")]
    assert len(links(engine)) == 2
    again = measures.expiring_measures(uow(), "planer", within="90d", as_of=D(2024, 1, 15),
                                       propose=True)
    assert again["measures"] == [] and again["proposed"] == []


def test_a_measure_with_a_continuation_recommendation_is_not_expiring(uow, world):
    sid = add(uow, world["Osterfeld2"], "Lotsen sollen bleiben")
    mid = new_measure(uow, ends_on="2024-03-31")
    triage.triage_suggestion(uow(), "planer", sid, "time_limited", measure_id=mid,
                             on=D(2024, 1, 10))
    result = measures.expiring_measures(uow(), "planer", within="1y", as_of=D(2024, 1, 15))
    assert result["measures"] == []


def test_only_planners_and_admins_propose(uow, world, engine):
    new_measure(uow, ends_on="2024-03-31")
    before = row_counts(engine)
    with pytest.raises(PermissionDenied):
        measures.expiring_measures(uow(), "bl31", within="1y", as_of=D(2024, 1, 15),
                                   propose=True)
    assert row_counts(engine) == before


# carry-over ------------------------------------------------------------------------------------
def test_carry_over_lists_open_and_not_supported_suggestions_and_flags_near_duplicates(
        uow, world, today_is):
    today_is(D(2024, 7, 5))
    open_one = add(uow, world["Sterkrade-Nord1"], "Mehr Sportangebote für Mädchen",
                   topic="Sport/Bewegung")
    twin = add(uow, world["Sterkrade-Nord2"], "mehr Sport-Angebote für Mädchen!",
               topic="Sport/Bewegung")
    rejected = add(uow, world["Sterkrade-Nord2"], "Mehr Streetwork", topic="Jugend")
    closed = add(uow, world["Sterkrade-Nord2"], "Ein Schwimmbad")
    triage.triage_suggestion(uow(), "planer", twin, "not_pursued", reason="Verein da",
                             on=D(2024, 1, 10))
    triage.triage_suggestion(uow(), "planer", rejected, "missing", department="3-1",
                             indicator="quote", on=D(2024, 1, 10))
    triage.triage_suggestion(uow(), "planer", closed, "not_pursued", reason="Land",
                             on=D(2024, 1, 10))
    events.add_event(uow(), "planer", district="Sterkrade-Nord", held_on=D(2024, 11, 20),
                     round_=9)
    result = suggestions.carry_over(uow(), "planer", district="Sterkrade-Nord")
    assert [(s["id"], s["carry_reason"]) for s in result["suggestions"]] == [
        (open_one, "open"), (rejected, "not_supported")]
    assert result["suggestions"][0]["similar_to"] == [twin]
    assert result["next_event"]["held_on"] == "2024-11-20"
    assert suggestions.carry_over(uow(), "planer", district="Osterfeld")["suggestions"] == []


# measure profiles -------------------------------------------------------------------------------
def test_every_edit_of_a_profile_is_kept_with_who_when_and_why(uow, world):
    mid = new_measure(uow, ends_on="2024-12-31", contact_role="Leitung Familienbüro")
    measures.edit_measure(uow(), "bl31", mid, fields={"ends_on": "2026-12-31"},
                          reason="Förderung verlängert")
    edited = measures.edit_measure(uow(), "planer", mid,
                                   fields={"districts": ["Osterfeld", "Mitte/Styrum"],
                                           "ends_on": ""}, reason="verstetigt", expected_version=2)
    assert edited["version"] == 3 and edited["ends_on"] is None
    history = measures.show_measure(uow(), "planer", mid)["history"]
    assert [(h["version"], h["actor"], h["reason"]) for h in history] == [
        (1, "planer", "angelegt"), (2, "bl31", "Förderung verlängert"),
        (3, "planer", "verstetigt")]
    assert history[1]["changes"] == {"ends_on": {"from": "2024-12-31", "to": "2026-12-31"}}
    assert history[2]["changes"]["districts"] == {"from": ["Osterfeld"],
                                                  "to": ["Mitte/Styrum", "Osterfeld"]}
    assert all(h["recorded_at"] for h in history)


def test_an_edit_against_an_old_version_or_without_change_is_refused(uow, world, engine):
    mid = new_measure(uow)
    measures.edit_measure(uow(), "planer", mid, fields={"funding": "Land NRW"}, reason="x")
    before = row_counts(engine)
    with pytest.raises(StaleEdit, match="Maßnahme"):
        measures.edit_measure(uow(), "planer", mid, fields={"funding": "Bund"}, reason="x",
                              expected_version=1)
    with pytest.raises(InvalidInput, match="Keine Änderung"):
        measures.edit_measure(uow(), "planer", mid, fields={"funding": "Land NRW"}, reason="x")
    with pytest.raises(InvalidInput, match="Begründung"):
        measures.edit_measure(uow(), "planer", mid, fields={"funding": "Bund"}, reason=" ")
    assert row_counts(engine) == before


def test_department_heads_edit_only_their_own_departments_profiles(uow, world, engine):
    own = new_measure(uow, department="3-1")
    other = new_measure(uow, department="3-2", title="Seniorenberatung")
    measures.edit_measure(uow(), "bl31", own, fields={"implementation_status": "läuft"},
                          reason="Quartalsstand")
    assert new_measure(uow, login="bl31", title="Eigener Steckbrief")
    before = row_counts(engine)
    with pytest.raises(PermissionDenied, match="Bereichsleitung von 3-2"):
        measures.edit_measure(uow(), "bl31", other, fields={"funding": "x"}, reason="x")
    with pytest.raises(PermissionDenied, match="Bereichsleitung von 3-2"):
        measures.edit_measure(uow(), "bl31", own, fields={"department": "3-2"}, reason="x")
    with pytest.raises(PermissionDenied):
        new_measure(uow, login="bl31", department="3-2")
    assert row_counts(engine) == before


def test_committee_members_change_nothing(uow, world, engine):
    sid = add(uow, world["Osterfeld2"], "Ein Schwimmbad")
    mid = new_measure(uow, ends_on="2024-03-31")
    before = row_counts(engine)
    attempts = [
        lambda: events.add_event(uow(), "ausschuss", district="Osterfeld",
                                 held_on=D(2024, 9, 1)),
        lambda: events.load_reference_events(uow(), "ausschuss"),
        lambda: suggestions.add_suggestion(uow(), "ausschuss", event_id=world["Osterfeld2"],
                                           text="x"),
        lambda: triage.triage_suggestion(uow(), "ausschuss", sid, "not_pursued", reason="x"),
        lambda: triage.check_suggestion(uow(), "ausschuss", sid, indicator="quote"),
        lambda: measures.add_measure(uow(), "ausschuss", fields={
            "title": "x", "department": "3-1", "districts": ["Osterfeld"]}),
        lambda: measures.edit_measure(uow(), "ausschuss", mid, fields={"funding": "x"},
                                      reason="x"),
        lambda: measures.link_measure(uow(), "ausschuss", mid, number=1),
        lambda: measures.expiring_measures(uow(), "ausschuss", within="1y",
                                           as_of=D(2024, 1, 1), propose=True),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="Keine Berechtigung"):
            attempt()
    assert row_counts(engine) == before
    # reading is allowed
    assert measures.show_measure(uow(), "ausschuss", mid)["id"] == mid
    assert suggestions.list_suggestions(uow(), "ausschuss")[0]["id"] == sid


def test_contacts_hold_no_private_persons_data(uow, world, engine):
    before = row_counts(engine)
    with pytest.raises(InvalidInput, match="E-Mail-Adresse"):
        new_measure(uow, contact_role="m.muster@example.org")
    with pytest.raises(InvalidInput, match="Telefonnummer"):
        add(uow, world["Osterfeld2"], "x", institution_kind="Kita, Tel. 0208 123456")
    assert row_counts(engine) == before


# imports and reference events --------------------------------------------------------------------
def test_a_suggestion_import_with_bad_rows_writes_nothing_and_names_every_line(
        uow, world, engine, tmp_path):
    path = tmp_path / "hinweise.csv"
    path.write_text(
        "event,text,topic,district,institution_kind\n"
        f"{world['Osterfeld2']},Familienbüro fehlt,Jugend,,Kita\n"
        f"{world['Osterfeld2']},,Jugend,,\n"
        "999,Treff,,,\n"
        f"{world['Osterfeld2']},Treff,Tanzen,Atlantis,\n"
        f"{world['Osterfeld2']},familienbüro fehlt!,,,Frau Muster\n", encoding="utf-8")
    before = row_counts(engine)
    with pytest.raises(ImportRefused) as refused:
        suggestions.import_suggestions(uow(), "planer", path)
    assert row_counts(engine) == before
    text = str(refused.value)
    assert "Zeile 3: Text fehlt." in text
    assert "Zeile 4: unbekannte Veranstaltung 999." in text
    assert "Zeile 5: unbekannter Sozialraum 'Atlantis'" in text
    assert "Zeile 5: " in text and "unbekanntes Thema 'Tanzen'" in text
    assert "Zeile 6: " in text and "Personennamen" in text
    assert "derselbe Hinweis steht schon in Zeile 2" in text
    assert "Zeile 2" not in text.split("steht schon")[0]


def test_a_good_suggestion_import_writes_every_row_and_a_repeat_is_refused(
        uow, world, engine, tmp_path):
    path = tmp_path / "hinweise.csv"
    path.write_text("text;topic\nFamilienbüro fehlt;Jugend\nHausaufgabenhilfe;\n",
                    encoding="utf-8")
    result = suggestions.import_suggestions(uow(), "planer", path,
                                            event_id=world["Osterfeld2"])
    assert result["imported"] == 2
    rows = suggestions.list_suggestions(uow(), "planer", event_id=world["Osterfeld2"])
    assert [(r["text"], r["district"], r["source"]) for r in rows] == [
        ("Familienbüro fehlt", "Osterfeld", "Import hinweise.csv"),
        ("Hausaufgabenhilfe", "Osterfeld", "Import hinweise.csv")]
    before = row_counts(engine)
    with pytest.raises(ImportRefused, match="bereits in der Datenbank"):
        suggestions.import_suggestions(uow(), "planer", path, event_id=world["Osterfeld2"])
    assert row_counts(engine) == before


def test_a_measure_import_with_bad_rows_writes_nothing(uow, world, engine, tmp_path):
    path = tmp_path / "steckbriefe.csv"
    path.write_text(
        "title,department,districts,ends_on,contact_role\n"
        "Familienbüro,3-1,Osterfeld; Mitte/Styrum,2025-12-31,Leitung Familienbüro\n"
        "Hotline,3-2,stadtweit,31.12.2025,\n"
        ",9-9,Osterfeld|stadtweit,morgen,info@example.org\n"
        "Familienbüro,3-1,Osterfeld,,\n", encoding="utf-8")
    before = row_counts(engine)
    with pytest.raises(ImportRefused) as refused:
        measures.import_measures(uow(), "planer", path)
    assert row_counts(engine) == before
    text = str(refused.value)
    for part in ("Zeile 4: Der Titel darf nicht leer sein", "Unbekannter Bereich '9-9'",
                 "'stadtweit' gilt für die ganze Stadt", "Ungültiges Enddatum 'morgen'",
                 "E-Mail-Adresse", "Zeile 5: derselbe Steckbrief (Titel und Bereich) steht "
                 "schon in Zeile 2"):
        assert part in text
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:3]) + "\n",
                    encoding="utf-8")
    assert measures.import_measures(uow(), "planer", path)["imported"] == 2
    listed = measures.list_measures(uow(), "planer", district="Mitte/Styrum")
    assert [(m["title"], m["districts"], m["ends_on"]) for m in listed] == [
        ("Familienbüro", ["Mitte/Styrum", "Osterfeld"], "2025-12-31")]
    assert measures.list_measures(uow(), "planer", district="stadtweit")[0]["citywide"]


def test_reference_events_load_once(uow, world, engine):
    before = row_counts(engine)
    result = events.load_reference_events(uow(), "admin")
    assert (result["added"], result["present"]) == (0, 12)
    assert row_counts(engine) == before
    listed = events.list_events(uow(), "planer")
    assert len(listed) == 12 and all(e["reference"] for e in listed)
    assert [e["date"] for e in listed][:2] == ["10/2019", "11/2019"]
    alstaden = [e for e in listed if e["district"] == "Alstaden/Lirich" and e["round"] == 2]
    assert (alstaden[0]["held_on"], alstaden[0]["participants"], alstaden[0]["format"]) == (
        "2023-09-06", 88, "world_cafe")


def test_an_event_is_unique_per_kind_district_and_day(uow, world, engine):
    from controlling.domain.errors import Conflict

    with pytest.raises(Conflict, match="gibt es bereits"):
        events.add_event(uow(), "planer", district="Osterfeld", held_on=D(2023, 9, 28))
    social = events.add_event(uow(), "planer", district=None, held_on=D(2024, 3, 14),
                              kind="social_conference")
    assert (social["district"], social["title"]) == ("stadtweit", "Sozialkonferenz")
    with pytest.raises(InvalidInput, match="braucht einen Sozialraum"):
        events.add_event(uow(), "planer", district=None, held_on=D(2024, 3, 14))


def test_suggestions_for_a_future_event_are_refused(uow, world, today_is):
    tomorrow = today_is(D(2024, 7, 5))
    future = events.add_event(uow(), "planer", district="Osterfeld", held_on=tomorrow)
    with pytest.raises(InvalidInput, match="findet erst am 06.07.2024 statt"):
        add(uow, future["id"], "zu früh")
    with uow() as work:
        assert work.session.scalar(select(Suggestion)) is None
