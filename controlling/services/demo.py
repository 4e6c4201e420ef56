"""The example data set of `init --demo`. Every record is marked as example ("[Beispiel]").

The texts are invented for demonstration; they are NOT the City of Oberhausen's recommendations.
The data runs through the real workflow rules (apply_action / apply_progress), so it can only
contain histories the program itself would allow.
"""

from datetime import date

from sqlalchemy import select

from controlling.data.models import Indicator, IndicatorValue, Recommendation, User
from controlling.domain.actors import Actor
from controlling.domain.errors import Conflict
from controlling.domain.vocabulary import Kind, Role
from controlling.services.common import now
from controlling.services.recommendations import apply_action, apply_progress, new_recommendation

MARK = "[Beispiel]"

USERS = (
    ("beispiel.planung", "Beispiel Sozialplanung", Role.PLANNER, None),
    ("beispiel.bl-3-1", "Beispiel Bereichsleitung 3-1", Role.DEPARTMENT_HEAD, "3-1"),
    ("beispiel.bl-3-2", "Beispiel Bereichsleitung 3-2", Role.DEPARTMENT_HEAD, "3-2"),
    ("beispiel.bl-3-4", "Beispiel Bereichsleitung 3-4", Role.DEPARTMENT_HEAD, "3-4"),
    ("beispiel.bl-2-5", "Beispiel Bereichsleitung 2-5", Role.DEPARTMENT_HEAD, "2-5"),
    ("beispiel.ausschuss", "Beispiel Ausschussmitglied", Role.COMMITTEE, None),
)

INDICATOR = ("beispiel_sgb2_quote", "SGB-II-Quote in % (Beispielwerte)")
# district -> values for 2020, 2022, 2024 (invented, example only)
VALUES = {
    "stadtweit": (17.8, 17.1, 16.9),
    "Mitte/Styrum": (24.6, 23.9, 23.5),
    "Alstaden/Lirich": (19.2, 18.6, 18.1),
    "Oberhausen-Ost": (18.4, 16.8, 16.2),
    "Osterfeld": (21.0, 20.4, 20.7),
    "Sterkrade-Mitte": (13.1, 12.7, 12.2),
    "Sterkrade-Nord": (9.8, 9.5, 9.9),
}

# number, title, district, department, kind, topic, proposed on, steps
# steps: (action or "progress", date, extra); progress extra = (quarter, light, note)
RECOMMENDATIONS = (
    (901, "Familienzentrum im Quartier ausbauen", "Mitte/Styrum", "3-1", Kind.NEW,
     "Präventionsketten, Familien(grundschul)zentren, Frühe Hilfen", date(2024, 1, 15), [
         ("support", date(2024, 2, 1), None),
         ("approve", date(2024, 2, 20), "Freigabe durch die Bereichsleitung"),
         ("progress", date(2024, 3, 28), ("2024-Q1", "green",
                                           "Räume gefunden, Träger beauftragt.")),
         ("progress", date(2024, 6, 27), ("2024-Q2", "yellow",
                                           "Umbau verzögert sich wegen Brandschutzauflagen.")),
         ("progress", date(2024, 9, 26), ("2024-Q3", "green", "Eröffnung im Oktober geplant.")),
         ("implement", date(2024, 11, 4), "Familienzentrum eröffnet."),
     ]),
    (902, "Offene Sprechstunde zu Bürgergeld und Bildung und Teilhabe im Stadtteilbüro",
     "Mitte/Styrum", "3-2", Kind.NEW, "Bürgergeld/Bildung und Teilhabe", date(2024, 1, 15), [
         ("support", date(2024, 2, 1), None),
         ("approve", date(2024, 3, 5), None),
         ("progress", date(2024, 3, 27), ("2024-Q1", "yellow", "Personal wird gesucht.")),
         ("progress", date(2024, 6, 20), ("2024-Q2", "green", "Sprechstunde läuft dienstags.")),
         ("progress", date(2024, 9, 19), ("2024-Q3", "green", "Gut angenommen, 40 Beratungen.")),
         ("progress", date(2024, 12, 12), ("2024-Q4", "green", "Läuft stabil.")),
         ("progress", date(2025, 3, 20), ("2025-Q1", "green", "Läuft stabil.")),
     ]),
    (903, "Bewegungsangebote für Ältere im Park verstetigen", "Alstaden/Lirich", "2-5",
     Kind.PERMANENCE, "Sport/Bewegung", date(2024, 2, 10), [
         ("approve", date(2024, 4, 2), "Verstetigung ohne neue statistische Prüfung"),
         ("progress", date(2024, 6, 25), ("2024-Q2", "green", "Finanzierung bis 2027 gesichert.")),
         ("progress", date(2024, 9, 24), ("2024-Q3", "red",
                                           "Übungsleitung ausgefallen, Angebot pausiert.")),
         ("progress", date(2024, 12, 10), ("2024-Q4", "yellow", "Neue Übungsleitung in Sicht.")),
     ]),
    (904, "Gesundheitslotsinnen und -lotsen in der Stadtteilarbeit", "Osterfeld", "3-4",
     Kind.NEW, "Gesundheit", date(2024, 4, 8), [
         ("support", date(2024, 5, 6), None),
         ("approve", date(2024, 6, 3), None),
         ("progress", date(2024, 9, 30), ("2024-Q3", "yellow",
                                           "Schulung der ersten Lotsinnen begonnen.")),
         ("progress", date(2025, 3, 27), ("2025-Q1", "green", "Sechs Lotsinnen im Einsatz.")),
     ]),
    (905, "Jugendtreff mit längeren Öffnungszeiten am Wochenende", "Oberhausen-Ost", "3-1",
     Kind.NEW, "Jugend", date(2024, 4, 8), [
         ("support_fails", date(2024, 5, 6), None),
         ("reject", date(2024, 5, 6), "statistisch nicht gestützt"),
     ]),
    (906, "Projekt Schulsozialarbeit an Grundschulen verlängern", "Sterkrade-Mitte", "3-1",
     Kind.EXTENSION, "Präventionsketten, Familien(grundschul)zentren, Frühe Hilfen",
     date(2024, 7, 1), [
         ("approve", date(2024, 8, 12), None),
         ("progress", date(2024, 9, 30), ("2024-Q3", "green", "Verlängerung bewilligt.")),
         ("progress", date(2024, 12, 16), ("2024-Q4", "green", "Läuft.")),
         ("implement", date(2025, 1, 20), "Verlängerung bis 2028 umgesetzt."),
     ]),
    (907, "Quartiersbezogene Seniorenberatung", "Osterfeld", "3-2", Kind.NEW,
     "Leben im Alter", date(2024, 10, 7), [
         ("support", date(2024, 11, 4), None),
     ]),
    (908, "Stadtweite Übersicht der Ehrenamtsangebote im Sozialnavigator", "stadtweit", "3-2",
     Kind.NEW, "Statistik, Daten und Portale", date(2024, 10, 7), []),
    (909, "Sportangebote für Mädchen in Sterkrade-Nord", "Sterkrade-Nord", "2-5", Kind.NEW,
     "Sport/Bewegung", date(2025, 1, 13), [
         ("reject", date(2025, 2, 3), "Bedarf durch bestehende Vereinsangebote gedeckt"),
     ]),
    (910, "Sprachcafé für Neuzugewanderte dauerhaft anbieten", "Alstaden/Lirich", "3-2",
     Kind.PERMANENCE, "Integration", date(2025, 1, 13), [
         ("approve", date(2025, 2, 17), None),
         ("progress", date(2025, 3, 24), ("2025-Q1", "red", "Räume fallen weg, Ersatz gesucht.")),
     ]),
)


def load_demo(uow, login: str) -> dict:
    """Add the example data set unless it is already there; return what was added."""
    if uow.session.scalar(select(Recommendation.id).where(Recommendation.is_example)):
        return {"added": 0, "note": "Beispieldaten sind bereits vorhanden."}
    taken = uow.repo.existing_numbers({entry[0] for entry in RECOMMENDATIONS})
    if taken:
        raise Conflict(
            "Die Beispieldaten brauchen die Nummern 901 bis 910; vergeben sind schon: "
            + ", ".join(map(str, sorted(taken))) + "."
        )
    departments = uow.repo.department_by_code()
    users = {}
    for user_login, name, role, dept in USERS:
        user = uow.repo.find_user(user_login)
        if user is None:
            user = User(login=user_login, name=name, role=role, is_example=True,
                        department=departments[dept.lower()] if dept else None, created_at=now())
            uow.session.add(user)
        users[user_login] = user
    uow.flush()
    _load_indicator(uow)
    planner = Actor("beispiel.planung", Role.PLANNER)
    for number, title, district, dept, kind, topic, proposed_on, steps in RECOMMENDATIONS:
        rec = new_recommendation(
            uow, number=number, title=f"{MARK} {title}", district=uow.repo.district(district),
            department=departments[dept.lower()], kind=kind, topic=uow.repo.topic(topic),
            description="Beispieltext zur Demonstration, keine Empfehlung der Stadt.",
            effective_on=proposed_on, user=users["beispiel.planung"], is_example=True,
        )
        uow.flush()
        head = Actor(f"beispiel.bl-{dept}", Role.DEPARTMENT_HEAD, dept)
        for action, on, extra in steps:
            if action == "progress":
                quarter, light, note = extra
                apply_progress(uow, planner, rec, quarter=quarter, light=light, note=note, on=on)
            elif action == "support_fails":
                continue  # the check was made and failed: see the rejection's reason
            elif action == "approve":
                apply_action(uow, head, rec, "approve", note=extra, on=on)
            elif action == "support":
                apply_action(uow, planner, rec, "support", on=on, indicator=INDICATOR[0],
                             year=2022 if on.year < 2025 else None)
            else:
                apply_action(uow, planner, rec, action, note=extra, on=on)
    uow.flush()
    return {"added": len(RECOMMENDATIONS), "users": len(USERS)}


def _load_indicator(uow) -> None:
    if uow.repo.find_indicator(INDICATOR[0]) is not None:
        return
    indicator = Indicator(code=INDICATOR[0], label=INDICATOR[1], higher_is_worse=True)
    uow.session.add(indicator)
    uow.flush()
    for district, values in VALUES.items():
        district_id = uow.repo.district(district).id
        for year, value in zip((2020, 2022, 2024), values, strict=True):
            uow.session.add(IndicatorValue(indicator_id=indicator.id, district_id=district_id,
                                           year=year, value=value))
    uow.flush()
