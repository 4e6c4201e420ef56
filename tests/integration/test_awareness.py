"""Awareness of offers: dots and cards recorded and imported, the figures of load_awareness
against hand-counted ones, a fixed number of statements, the district filter and the
permissions; on SQLite and PostgreSQL."""

import json
from datetime import date

import pytest

from controlling.data.models import AwarenessCount
from controlling.services.awareness import QUERIES, awareness_report, load_awareness
from tests.instruments_support import event, measure, ok, snapshot_of
from tests.report_builders import StatementCounter


@pytest.fixture
def survey(cli, people, uow):
    """Four events, three offers, dots and cards as in the docstring's table:

    event (date, district)              Familienbüro  Sportangebote  Integrationskurse
    E1 06.09.2023 Alstaden/Lirich       12 / 30       40 / 5         -
    E2 28.09.2023 Osterfeld              5 / 20       18 / 2         card only
    E3 26.09.2024 Osterfeld             15 / 15       -              -
    E4 01.03.2024 stadtweit (Konferenz)  -            10 / 10        -
    """
    ids = {
        "E1": event(uow, "Alstaden/Lirich", date(2023, 9, 6)),
        "E2": event(uow, "Osterfeld", date(2023, 9, 28)),
        "E3": event(uow, "Osterfeld", date(2024, 9, 26)),
        "E4": event(uow, None, date(2024, 3, 1), kind="social_conference"),
        "M1": measure(uow, "Familienbüro", "3-1", ["Osterfeld"]),
        "M2": measure(uow, "Sportangebote", "2-5", ["stadtweit"]),
        "M3": measure(uow, "Integrationskurse", "2-6", ["stadtweit"]),
    }
    for e, m, yes, no in (("E1", "M1", 12, 30), ("E1", "M2", 40, 5), ("E2", "M1", 5, 20),
                          ("E2", "M2", 18, 2), ("E3", "M1", 15, 15), ("E4", "M2", 10, 10)):
        ok(cli("awareness", "record", "--event", ids[e], "--measure", ids[m], "--yes", yes,
               "--no", no, user="planer"))
    for e, m, question, text in (("E1", "M1", "publicity", "Flyer in Kitas"),
                                 ("E2", "M1", "source", "Nachbarin"),
                                 ("E2", "M3", "publicity", "Mehrsprachige Plakate"),
                                 ("E3", "M1", "publicity", "Social Media")):
        ok(cli("awareness", "card", "--event", ids[e], "--measure", ids[m], "--question",
               question, "--text", text, user="planer"))
    cli.ids = ids
    return cli


def report(cli, *args):
    return json.loads(ok(cli("awareness", "report", *args, "--format", "json",
                             user="ausschuss")).stdout)


def test_all_events_give_the_hand_counted_totals_least_known_first(survey):
    measures = report(survey)["measures"]
    assert [(m["measure"], m["known_yes"], m["known_no"]) for m in measures] == [
        ("Familienbüro", 32, 65), ("Sportangebote", 68, 17), ("Integrationskurse", 0, 0)]
    assert measures[0]["share_known"] == pytest.approx(32 / 97)
    assert measures[1]["share_known"] == pytest.approx(0.8)
    assert measures[2]["share_known"] is None
    assert measures[0]["department"] == "3-1" and measures[1]["department"] == "2-5"


def test_a_district_counts_only_its_own_events_with_the_trend_in_date_order(survey):
    ids = survey.ids
    result = report(survey, "--district", "osterfeld")
    assert result["district"] == "Osterfeld"
    family, sport, integration = result["measures"]
    assert (family["known_yes"], family["known_no"]) == (20, 35)
    assert family["share_known"] == pytest.approx(20 / 55)
    assert [(e["event_id"], e["held_on"], e["known_yes"], e["known_no"], e["share_known"])
            for e in family["events"]] == [(ids["E2"], "2023-09-28", 5, 20, 0.2),
                                           (ids["E3"], "2024-09-26", 15, 15, 0.5)]
    assert family["events"][0]["district"] == "Osterfeld"
    assert [(i["question"], i["text"]) for i in family["ideas"]] == [
        ("source", "Nachbarin"), ("publicity", "Social Media")]
    assert (sport["known_yes"], sport["known_no"], sport["share_known"]) == (18, 2, 0.9)
    assert integration["share_known"] is None and integration["events"] == []
    assert integration["ideas"][0]["text"] == "Mehrsprachige Plakate"
    assert [(e["event_id"], e["known_yes"], e["known_no"], e["measures"])
            for e in result["events"]] == [(ids["E2"], 23, 22, 2), (ids["E3"], 15, 15, 1)]


def test_city_wide_events_count_for_stadtweit_only(survey):
    (sport,) = report(survey, "--district", "stadtweit")["measures"]
    assert (sport["measure"], sport["known_yes"], sport["known_no"]) == ("Sportangebote", 10, 10)
    assert [m["measure"] for m in report(survey, "--district", "Sterkrade-Nord")[
        "measures"]] == []


def test_the_data_function_keeps_its_contract(survey, uow):
    with uow() as unit:
        district = unit.repo.district("Alstaden/Lirich")
        result = load_awareness(unit.session, {district.id})
    assert [set(m) for m in result] == [{"measure_id", "measure", "department", "known_yes",
                                         "known_no", "share_known", "events", "ideas"}] * 2
    assert set(result[0]["events"][0]) == {"event_id", "event", "district", "held_on",
                                           "known_yes", "known_no", "share_known"}
    assert result[0]["ideas"] == [{"question": "publicity", "text": "Flyer in Kitas",
                                   "event": "Expert*innendialog im Sozialraum Alstaden/Lirich "
                                            "(Runde 2)"}]
    assert result[0]["share_known"] == pytest.approx(12 / 42)
    json.dumps(result)  # plain data
    with uow() as unit:
        assert load_awareness(unit.session, set()) == []


def test_the_table_shows_the_three_parts_in_german(survey):
    text = ok(survey("awareness", "report", "--district", "Osterfeld")).stdout
    for phrase in ("Am wenigsten bekannte Angebote – Osterfeld", "36,4 %", "Verlauf über die "
                   "Veranstaltungen", "28.09.2023", "Woher kennen Sie uns?", "Nachbarin"):
        assert phrase in text, phrase


def test_load_awareness_needs_the_same_statements_for_ten_times_the_data(survey, uow, engine):
    def count() -> int:
        with uow() as unit, StatementCounter(engine) as counter:
            load_awareness(unit.session, None)
            load_awareness(unit.session, {1, 2, 3})
        return counter.count

    small = count()
    assert small == 2 * QUERIES
    more_events = [event(uow, "Sterkrade-Mitte", date(2020, 1, day)) for day in range(1, 31)]
    more_measures = [measure(uow, f"Angebot {n}", "3-2", ["Sterkrade-Mitte"])
                     for n in range(30)]
    with uow() as unit:
        for e in more_events:
            unit.session.add_all(
                AwarenessCount(event_id=e, measure_id=m, known_yes=1, known_no=2, actor_id=1,
                               recorded_at=date(2024, 1, 1)) for m in more_measures)
        unit.commit()
    assert count() == small
    with uow() as unit:
        assert len(load_awareness(unit.session, None)) == 33


def test_recording_again_replaces_the_dots(survey):
    ids = survey.ids
    result = ok(survey("awareness", "record", "--event", ids["E1"], "--measure", ids["M1"],
                       "--yes", 13, "--no", 30, user="planer"))
    assert result.stdout.strip() == (f"Maßnahme {ids['M1']} bei Veranstaltung {ids['E1']}: 13 "
                                     "grün, 30 rot (bekannt: 30,2 %); ersetzt 12 grün, 30 rot.")
    assert report(survey)["measures"][0]["known_yes"] == 33


def test_a_department_head_records_only_the_own_departments_offers(survey):
    ids = survey.ids
    ok(survey("awareness", "record", "--event", ids["E3"], "--measure", ids["M1"], "--yes", 1,
              "--no", 1, user="bl31"))
    ok(survey("awareness", "card", "--event", ids["E3"], "--measure", ids["M1"], "--question",
              "source", "--text", "Schule", user="bl31"))
    before = snapshot_of(survey)
    for args, user, phrase in (
            (("record", "--event", ids["E3"], "--measure", ids["M2"], "--yes", 1, "--no", 1),
             "bl31", "erlaubt für Sozialplanung (planner), Administration (admin) oder die "
                     "Bereichsleitung von 2-5"),
            (("card", "--event", ids["E3"], "--measure", ids["M2"], "--question", "source",
              "--text", "x"), "bl32", "Keine Berechtigung: bl32"),
            (("record", "--event", ids["E3"], "--measure", ids["M1"], "--yes", 1, "--no", 1),
             "ausschuss", "Keine Berechtigung: ausschuss (committee)"),
            (("record", "--event", 999, "--measure", ids["M1"], "--yes", 1, "--no", 1),
             "ausschuss", "Keine Berechtigung: ausschuss (committee)")):
        result = survey("awareness", *args, user=user)
        assert result.exit_code == 1 and phrase in result.stderr, result.stderr
    assert snapshot_of(survey) == before


@pytest.mark.parametrize(("args", "phrase"), [
    (("record", "--event", 999, "--measure", "{M1}", "--yes", 1, "--no", 1),
     "Unbekannte Veranstaltung 999"),
    (("record", "--event", "{E1}", "--measure", 999, "--yes", 1, "--no", 1),
     "Unbekannte Maßnahme 999"),
    (("record", "--event", "{E1}", "--measure", "{M1}", "--yes", -1, "--no", 1),
     "Grüne Punkte (--yes) -1 darf nicht negativ sein"),
    (("record", "--event", "{E1}", "--measure", "{M1}", "--yes", 1, "--no", 2**31),
     "zu groß"),
    (("record", "--event", "{FUTURE}", "--measure", "{M1}", "--yes", 1, "--no", 1),
     "findet erst am {FUTURE_DE} statt"),
    (("card", "--event", "{E1}", "--measure", "{M1}", "--question", "warum", "--text", "x"),
     "Ungültige Frage 'warum'"),
    (("card", "--event", "{E1}", "--measure", "{M1}", "--question", "publicity", "--text",
      " "), "darf nicht leer sein"),
    (("card", "--event", "{E1}", "--measure", "{M1}", "--question", "publicity", "--text",
      "flyer IN  kitas"), "schon erfasst"),
    (("report", "--district", "Atlantis"), "Unbekannter Sozialraum 'Atlantis'"),
])
def test_bad_input_is_refused_in_one_line_and_changes_nothing(survey, uow, args, phrase,
                                                               today_is):
    tomorrow = today_is(date(2024, 10, 5))  # after the survey's last event
    ids = {**survey.ids, "FUTURE": event(uow, "Osterfeld", tomorrow)}
    phrase = phrase.replace("{FUTURE_DE}", tomorrow.strftime("%d.%m.%Y"))
    before = snapshot_of(survey)
    result = survey("awareness", *[str(a).format(**ids) for a in args], user="planer")
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert message.startswith("Fehler: ") and "\n" not in message and phrase in message, message
    assert snapshot_of(survey) == before


def test_an_import_is_all_or_nothing_with_every_problem_and_its_line(survey, tmp_path):
    ids = survey.ids
    bad = tmp_path / "weltcafe.csv"
    bad.write_text(
        "event,measure,yes,no,question,text\n"
        f"{ids['E2']},{ids['M3']},3,9,,\n"                         # fine
        f"{ids['E2']},{ids['M3']},1,1,,\n"                         # the same pair again
        f"999,{ids['M1']},1,1,,\n"                                 # unknown event
        f"{ids['E2']},{ids['M1']},,,source,nachbarin\n"            # card already recorded
        f"{ids['E2']},{ids['M1']},x,3,,\n"                         # not a number
        f"{ids['E2']},{ids['M1']},,,,\n"                           # nothing to record
        f"{ids['E2']},{ids['M1']},,,wieso,Text\n", encoding="utf-8")
    before = snapshot_of(survey)
    result = survey("awareness", "import", bad, user="planer")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == ("Fehler: Import von weltcafe.csv abgelehnt, nichts wurde geschrieben "
                        "(6 Probleme):")
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        f"Zeile {n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "schon in Zeile 2" in lines[1] and "unbekannte Veranstaltung '999'" in lines[2]
    assert "schon erfasst" in lines[3] and "keine ganze Zahl" in lines[4]
    assert "weder Punkte" in lines[5] and "Ungültige Frage 'wieso'" in lines[6]
    assert snapshot_of(survey) == before


def test_a_good_import_adds_and_replaces_dots_and_adds_cards(survey, tmp_path, uow):
    ids = survey.ids
    good = tmp_path / "weltcafe.csv"
    good.write_text(
        "event;measure;yes;no;question;text\n"
        f"{ids['E2']};{ids['M3']};3;9;publicity;Im Jobcenter auslegen\n"
        f"{ids['E1']};{ids['M1']};20;22;;\n", encoding="utf-8")
    result = ok(survey("awareness", "import", good, user="planer"))
    assert "1 Punktezählungen neu, 1 ersetzt, 1 Karten eingelesen" in result.stdout
    with uow() as unit:
        data = {m["measure"]: m for m in load_awareness(unit.session, None)}
    assert (data["Familienbüro"]["known_yes"], data["Familienbüro"]["known_no"]) == (40, 57)
    assert data["Integrationskurse"]["share_known"] == 0.25
    assert awareness_report(uow(), "ausschuss")["measures"][0]["measure"] == "Integrationskurse"
    refused = survey("awareness", "import", good, user="bl31")
    assert refused.exit_code == 1 and "Bekanntheit importieren" in refused.stderr
