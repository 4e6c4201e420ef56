"""The example data of the process before the recommendations (`init --demo`, second part):
the twelve real expert dialogues, example measure profiles and suggestions, their triage, the
awareness dots and cards of the World Café and institutions for the Sozialnavigator map.

Runs after the first part (controlling/services/demo.py) has committed, through the public
services, acting as the example planner, so every rule applies as it would to a user. Texts are
marked "[Beispiel]"; the events' dates and districts are real (DOMAIN.md), everything else is
invented.
"""

from datetime import date

from sqlalchemy import update

from controlling.data.models import Measure, Recommendation, Suggestion
from controlling.services.demo import INDICATOR, MARK

PLANNER = "beispiel.planung"

# key, title, department, districts, topic, ends_on, target group, status text
MEASURES = (
    ("mothers", "Stadtteilmütter für neu zugewanderte Familien", "2-6", ["Alstaden/Lirich"],
     "Integration", date(2026, 12, 31), "Neu zugewanderte Familien",
     "Sechs Stadtteilmütter im Einsatz, Förderung bis Ende 2026."),
    ("seniors", "Seniorennetzwerk mit offenem Treff", "3-2", ["Osterfeld"],
     "Leben im Alter", None, "Ältere Menschen im Quartier",
     "Wöchentlicher Treff im Stadtteilbüro."),
    ("pilots", "Lotsendienst Frühe Hilfen", "3-1", ["stadtweit"],
     "Präventionsketten, Familien(grundschul)zentren, Frühe Hilfen", date(2027, 3, 31),
     "Familien mit Kindern von 0 bis 3 Jahren", "Läuft in allen Sozialräumen."),
)

# district, text, topic, outcome, extra
SUGGESTIONS = (
    ("Alstaden/Lirich", "Mehr Begleitung für neu zugewanderte Familien im Alltag",
     "Integration", "time_limited", {"measure": "mothers", "kind": "extension"}),
    ("Osterfeld", "Es fehlen Treffpunkte für ältere Menschen", "Leben im Alter", "exists",
     {"measure": "seniors"}),
    ("Mitte/Styrum", "Kostenlose Sportangebote für Jugendliche am Abend", "Sport/Bewegung",
     "missing", {"department": "2-5", "indicator": True}),
    ("Sterkrade-Nord", "Mehr Spielplätze im Wohngebiet", "Wohnumfeld", "missing",
     {"department": "2-2", "indicator": True}),
    ("Oberhausen-Ost", "Mehr Parkplätze am Stadtteilbüro", "Wohnumfeld", "not_pursued",
     {"reason": "kein Auftrag der Sozialplanung"}),
    ("Sterkrade-Mitte", "Hausaufgabenhilfe an der Grundschule", "(Weiter-)Bildung/Kultur",
     None, {}),
)

DECIDED_ON = date(2024, 2, 15)

# World Café of round 2: (district of the event, measure key, green dots, red dots, cards)
AWARENESS = (
    ("Mitte/Styrum", "pilots", 14, 9, [("publicity", "Flyer in den Kinderarztpraxen auslegen")]),
    ("Alstaden/Lirich", "pilots", 11, 17, [("publicity", "In den Kitas vorstellen"),
                                           ("source", "Über das Familienbüro")]),
    ("Alstaden/Lirich", "mothers", 21, 6, [("source", "Über die Moscheegemeinde")]),
    ("Osterfeld", "pilots", 9, 15, [("publicity", "Beitrag in der Stadtteilzeitung")]),
    ("Osterfeld", "seniors", 18, 4, []),
)

# name, type, address, longitude, latitude, district, measure keys (invented, example only)
INSTITUTIONS = (
    ("Stadtteilbüro Osterfeld", "Stadtteilbüro", "Beispielstraße 1, Oberhausen",
     6.8790, 51.5050, "Osterfeld", ["seniors"]),
    ("Familienbüro Alstaden", "Beratungsstelle", "Musterweg 2, Oberhausen",
     6.8320, 51.4610, "Alstaden/Lirich", ["mothers", "pilots"]),
)


def load_demo_process(uow_factory) -> dict:
    """Add the example events, profiles, suggestions and triage unless already there."""
    from controlling.services.events import list_events, load_reference_events
    from controlling.services.measures import add_measure
    from controlling.services.suggestions import add_suggestion, list_suggestions
    from controlling.services.triage import triage_suggestion

    if any(s["text"].startswith(MARK) for s in list_suggestions(uow_factory(), PLANNER)):
        return {"suggestions": 0}
    load_reference_events(uow_factory(), PLANNER)
    events = {
        e["district"]: e["id"] for e in list_events(uow_factory(), PLANNER)
        if e["round"] == 2
    }
    measure_ids = {}
    for key, title, dept, districts, topic, ends_on, group, status in MEASURES:
        fields = {
            "title": f"{MARK} {title}", "department": dept, "districts": districts,
            "topic": topic, "ends_on": ends_on.isoformat() if ends_on else None,
            "target_group": group, "implementation_status": status,
            "contact_department": dept, "contact_role": "Bereichsleitung",
            "description": "Beispieltext zur Demonstration, kein Angebot der Stadt.",
        }
        measure_ids[key] = add_measure(uow_factory(), PLANNER, fields=fields,
                                       reason="Beispieldaten")["id"]
    for district, text, topic, outcome, extra in SUGGESTIONS:
        suggestion = add_suggestion(uow_factory(), PLANNER, event_id=events[district],
                                    text=f"{MARK} {text}", topic=topic)
        if outcome is None:
            continue
        options = {"on": DECIDED_ON}
        if "measure" in extra:
            options["measure_id"] = measure_ids[extra["measure"]]
        if "kind" in extra:
            options["kind"] = extra["kind"]
        if outcome in ("time_limited", "missing"):
            options["title"] = f"{MARK} {text}"
        if "department" in extra:
            options["department"] = extra["department"]
        if extra.get("indicator"):
            options["indicator"] = INDICATOR[0]
            options["year"] = 2022
        if "reason" in extra:
            options["reason"] = extra["reason"]
        triage_suggestion(uow_factory(), PLANNER, suggestion["id"], outcome, **options)
    from controlling.services.awareness import record_card, record_counts
    from controlling.services.institutions import add_institution, link_institution

    for district, key, yes, no, cards in AWARENESS:
        record_counts(uow_factory(), PLANNER, event_id=events[district],
                      measure_id=measure_ids[key], yes=yes, no=no)
        for question, text in cards:
            record_card(uow_factory(), PLANNER, event_id=events[district],
                        measure_id=measure_ids[key], question=question,
                        text=f"{MARK} {text}")
    for name, kind, address, lon, lat, district, keys in INSTITUTIONS:
        institution = add_institution(uow_factory(), PLANNER, name=f"{MARK} {name}", type_=kind,
                                      address=address, lon=lon, lat=lat, district=district)
        for key in keys:
            link_institution(uow_factory(), PLANNER, institution["id"],
                             measure_id=measure_ids[key])
    with uow_factory() as uow:
        for model, column in ((Measure, Measure.title), (Suggestion, Suggestion.text),
                              (Recommendation, Recommendation.title)):
            uow.session.execute(
                update(model).where(column.startswith(MARK)).values(is_example=True)
                .execution_options(synchronize_session=False)
            )
        uow.commit()
    return {"suggestions": len(SUGGESTIONS), "measures": len(MEASURES),
            "institutions": len(INSTITUTIONS)}
