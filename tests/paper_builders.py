"""Test data for the strategy paper and the city report: plain data as the services return it
(for the renderers without a database), and data sets built through the real services."""

import csv
from datetime import date, timedelta
from pathlib import Path

from controlling.services.city_report import least_known, ranking
from controlling.services.strategy_paper import indicator_series

LONG = " ".join(
    f"Satz {n}: Das Angebot „Familienbüro Süd“ berät Eltern über Kita, Schule und Förderung; "
    f"die Träger stimmen Räume, Öffnungszeiten und Übergänge miteinander ab (Abschnitt {n})."
    for n in range(1, 41)
)  # about 6,000 characters: more than one page

INDICATORS = [
    {"code": "sgb2_quote", "label": "SGB-II-Quote in %", "higher_is_worse": True,
     "values": {"Osterfeld": {2020: 21.0, 2022: 20.4, 2024: 20.7},
                "stadtweit": {2020: 17.8, 2022: 17.1, 2024: 16.9},
                "Mitte/Styrum": {2024: 23.5}, "Sterkrade-Nord": {2024: 9.9},
                "Alstaden/Lirich": {2024: 20.7}}},
    {"code": "abitur_quote", "label": "Übergangsquote Gymnasium in %", "higher_is_worse": False,
     "values": {"Osterfeld": {2022: 31.25}, "stadtweit": {2021: 38.0, 2022: 36.5},
                "Mitte/Styrum": {2022: 28.0}, "Sterkrade-Nord": {2022: 47.125}}},
]
DISTRICTS = ["Mitte/Styrum", "Alstaden/Lirich", "Oberhausen-Ost", "Osterfeld",
             "Sterkrade-Mitte", "Sterkrade-Nord"]
STATUSES = ("proposed", "statistically_supported", "approved", "implemented", "rejected",
            "superseded")


def _counts(**given) -> dict:
    return {status: given.get(status, 0) for status in STATUSES}


def recommendation(number, title, status, *, department="3-1", kind="new", progress=None,
                   description=None, district="Osterfeld", note=None, measures=(),
                   superseded_by=None, example=False, light_quarter="2025-Q1") -> dict:
    """As the service gives it; the light by the quarterly rule for `light_quarter`."""
    age = None if progress is None else (
        "current" if progress["quarter"] >= light_quarter else "older")
    light = None if status != "approved" else (
        progress["light"] if age == "current" else "none")
    return {"number": number, "title": title, "description": description,
            "district": district, "department": department, "kind": kind, "topic": "Jugend",
            "status": status, "status_on": "2024-03-01", "status_note": note,
            "created_on": "2024-01-15", "latest_progress": progress, "measures": list(measures),
            "superseded_by": superseded_by, "example": example, "light": light,
            "progress_age": age}


def measure(measure_id, title, *, districts=("Osterfeld",), ends_on=None, expired=False,
            description=None, status="läuft", recommendations=(), example=False) -> dict:
    return {"id": measure_id, "title": title, "description": description, "department": "3-2",
            "districts": list(districts), "topic": "Leben im Alter",
            "target_group": "Seniorinnen und Senioren", "place": "Bürgerzentrum Osterfeld",
            "ends_on": ends_on, "expired": expired, "implementation_status": status,
            "recommendations": list(recommendations), "example": example,
            "scope": "citywide" if not districts or "stadtweit" in districts else "district"}


AWARENESS = [
    {"measure_id": 12, "measure": "Quartiersbüro für Ältere", "department": "3-2",
     "known_yes": 3, "known_no": 9, "share_known": 0.25,
     "events": [{"event_id": 4, "event": "Expert*innendialog Osterfeld 2023",
                 "district": "Osterfeld", "held_on": "2023-09-28", "known_yes": 3,
                 "known_no": 9, "share_known": 0.25}],
     "ideas": [{"question": "publicity", "text": "Aushang in Arztpraxen und Apotheken",
                "event": "Expert*innendialog Osterfeld 2023"},
               {"question": "source", "text": "Über die Kirchengemeinde",
                "event": "Expert*innendialog Osterfeld 2023"}]},
    {"measure_id": 7, "measure": "Sportabzeichen-Treff für Familien", "department": "2-5",
     "known_yes": 14, "known_no": 7, "share_known": 2 / 3,
     "events": [{"event_id": 2, "event": "Expert*innendialog Osterfeld 2021",
                 "district": "Osterfeld", "held_on": "2021-11-10", "known_yes": 4,
                 "known_no": 5, "share_known": 4 / 9},
                {"event_id": 4, "event": "Expert*innendialog Osterfeld 2023",
                 "district": "Osterfeld", "held_on": "2023-09-28", "known_yes": 10,
                 "known_no": 2, "share_known": 10 / 12}],
     "ideas": []},
    {"measure_id": 15, "measure": "Stadtteilzeitung", "department": "3-2", "known_yes": 0,
     "known_no": 0, "share_known": None, "events": [], "ideas": []},
]

# the Sozialindex as controlling.services.sozialindex.papers_index gives it (values invented)
QUARTERS = [  # (quarter, district, status index, status class, dynamics index, dynamics class)
    ("Styrum-Süd", "Mitte/Styrum", 1.62, "very_low", 0.48, "stable"),
    ("Osterfeld-Mitte", "Osterfeld", 1.21, "low", 1.35, "negative"),
    ("Altstadt", "Mitte/Styrum", 0.74, "medium", -0.2, "stable"),
    ("Vondern", "Osterfeld", 0.35, "medium", -1.12, "positive"),
    ("Lirich-Nord", "Alstaden/Lirich", 0.02, "medium", 0.0, "stable"),
    ("Klosterhardt", "Osterfeld", -0.41, "medium", 0.9, "stable"),
    ("Schmachtendorf", "Sterkrade-Nord", -0.93, "medium", -0.51, "stable"),
    ("Königshardt", "Sterkrade-Nord", -1.08, "high", -0.33, "stable"),
    ("Alsfeld", "Sterkrade-Mitte", -1.52, "high", -0.57, "stable"),
]


def index_area(rank, quarter, district, status, status_class, dynamics, dynamics_class) -> dict:
    from controlling.domain.sozialindex import DynamicsClass, StatusClass

    return {"rank": rank, "area": quarter, "district": district, "status_index": status,
            "status_class": status_class, "status_label": StatusClass(status_class).label,
            "dynamics_index": dynamics, "dynamics_class": dynamics_class,
            "dynamics_label": DynamicsClass(dynamics_class).label if dynamics_class else None}


def index_data(district: str | None = None, quarters=QUARTERS) -> dict:
    """The newest index over the quarters; with `district` only its quarters (as in the
    strategy paper)."""
    areas = [index_area(rank, *row) for rank, row in enumerate(quarters, start=1)]
    return {"computation": 4, "method": "z-mean-1", "year": 2024, "base_year": 2022,
            "indicators": [{"code": "sgb2_quote", "label": "SGB-II-Quote in %",
                            "higher_is_worse": True},
                           {"code": "alleinerziehende", "label": "Alleinerziehende in %",
                            "higher_is_worse": True}],
            "areas_total": len(areas),
            "areas": [a for a in areas if district is None or a["district"] == district]}


def many_quarters(count: int) -> list[tuple]:
    """`count` quarters spread over the six districts, status index falling by rank."""
    rows = []
    for number in range(count):
        status = round(2.0 - 4.0 * number / max(1, count - 1), 2)
        klass = ("very_low" if status > 1.5 else "low" if status > 1 else
                 "medium" if status >= -1 else "high")
        rows.append((f"Quartier {number + 1:03d}", DISTRICTS[number % 6], status, klass,
                     None, None))
    return rows


DEPARTMENTS = {"2-5": "Bereich 2-5 Sport", "3-1": "Bereich 3-1 Kinder, Jugend und Familie",
               "3-2": "Bereich 3-2 Soziales"}


def strategy_data(example: bool = False) -> dict:
    """A strategy paper of Osterfeld as the service returns it."""
    own = [
        recommendation(1, "Jugendtreff im Quartier öffnen", "approved",
                       progress={"quarter": "2025-Q1", "light": "red", "note": LONG,
                                 "effective_on": "2025-03-20"},
                       description="Ein offener Treff für Jugendliche an drei Abenden.",
                       note="Freigabe nach Abstimmung mit 3-3", measures=[3]),
        recommendation(2, "Beratung für Ältere ausbauen", "statistically_supported",
                       department="3-2", example=example),
        recommendation(5, "Grünflächen öffnen", "rejected", department="2-5",
                       note="statistisch nicht gestützt"),
        recommendation(6, "Sprachförderung verlängern", "approved", kind="extension"),
        recommendation(7, "Sprachcafé verlängern", "superseded", kind="extension",
                       note="Verstetigung statt Verlängerung", superseded_by=9),
    ]
    citywide = [recommendation(8, "Übersicht der Ehrenämter im Sozialnavigator", "proposed",
                               district="stadtweit", department="3-2")]
    district_measures = [
        measure(3, "Offener Jugendtreff „Knappenhaus“", description=LONG, recommendations=[1]),
        measure(4, "Seniorenfrühstück", districts=("Osterfeld", "Sterkrade-Mitte"),
                ends_on="2026-12-31", example=example),
    ]
    citywide_measures = [
        measure(9, "Schuldnerberatung der Stadt", districts=("stadtweit",),
                ends_on="2024-12-31", expired=True, status=None),
        measure(10, "Ehrenamtsbörse", districts=()),
    ]
    totals = _counts()
    for rec in own:
        totals[rec["status"]] += 1
    return {
        "district": "Osterfeld", "as_of": "2025-04-07", "light_quarter": "2025-Q1",
        "indicators": [indicator_series(i, "Osterfeld") for i in INDICATORS]
        + [indicator_series({"code": "leer", "label": "Noch ohne Werte",
                             "higher_is_worse": True, "values": {}}, "Osterfeld")],
        "measures": {"district": district_measures, "citywide": citywide_measures},
        "totals": totals, "recommendations": own,
        "citywide_totals": _counts(proposed=1), "citywide_recommendations": citywide,
        "awareness": AWARENESS, "sozialindex": index_data("Osterfeld"),
        "departments": DEPARTMENTS, "example": example,
    }


def city_data(example: bool = False) -> dict:
    """A city report as the service returns it."""
    names = [*DISTRICTS, "stadtweit"]
    by_district = {name: _counts() for name in names}
    by_district["Osterfeld"] = _counts(proposed=1, statistically_supported=1, approved=2,
                                       rejected=1)
    by_district["Mitte/Styrum"] = _counts(approved=3, implemented=2, superseded=1)
    by_district["stadtweit"] = _counts(proposed=1)
    totals = {s: sum(by_district[n][s] for n in names) for s in STATUSES}
    lights = {name: {"green": 0, "yellow": 0, "red": 0, "none": 0} for name in names}
    lights["Osterfeld"].update(red=1, none=1)
    lights["Mitte/Styrum"].update(green=2, yellow=1)
    return {
        "as_of": "2025-04-07", "districts": names, "totals": totals,
        "total": sum(totals.values()), "by_district": by_district, "lights": lights,
        "light_totals": {k: sum(v[k] for v in lights.values()) for k in lights["Osterfeld"]},
        "light_quarter": "2025-Q1", "older_progress": {**dict.fromkeys(names, 0), "Osterfeld": 1},
        "older_progress_total": 1,
        "rankings": [ranking(i, DISTRICTS) for i in INDICATORS]
        + [ranking({"code": "leer", "label": "Noch ohne Werte", "higher_is_worse": True,
                    "values": {}}, DISTRICTS)],
        "least_known": least_known(AWARENESS), "sozialindex": index_data(),
        "departments": DEPARTMENTS, "example": example,
    }


# ---- data sets through the services ----------------------------------------------------------
def write_indicator_csv(path: Path, rows: list[tuple]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator", "district", "year", "value", "label", "higher_is_worse"])
        writer.writerows(rows)
    return path


# distance of each district from the city (invented): Alstaden/Lirich and Osterfeld tie,
# Oberhausen-Ost equals the city
OFFSETS = {"Mitte/Styrum": 6.25, "Alstaden/Lirich": 3.5, "Oberhausen-Ost": 0.0,
           "Osterfeld": 3.5, "Sterkrade-Mitte": -3.0, "Sterkrade-Nord": -6.125, "stadtweit": 0.0}


def indicator_rows(copies: int = 1) -> list[tuple]:
    """Indicator values for every district over three years; `copies` indicators (the odd
    ones with lower values worse)."""
    rows = []
    for copy in range(copies):
        code = "sgb2_quote" if copy == 0 else f"indikator_{copy}"
        label = "SGB-II-Quote in %" if copy == 0 else f"Indikator {copy} je 1.000 Einwohner"
        for name, offset in OFFSETS.items():
            for year, base in ((2020, 17.75), (2022, 17.1), (2024, 16.9)):
                value = round(base + offset + copy, 4)
                rows.append((code, name, year, f"{value}", label,
                             "true" if copy % 2 == 0 else "false"))
    return rows


DAY = date(2024, 1, 10)


PAPER_DAY = date(2025, 4, 7)  # the day the papers are made in the database tests


def build_city(uow_factory, tmp_path: Path, copies: int = 1) -> dict:
    """A data set through the real services (workflow, permissions, checks): `copies` times
    indicators, measure profiles, recommendations with histories, World Café events with dots
    and cards. Needs the team of the `people` fixture. Returns the ids made."""
    return build_copies(uow_factory, tmp_path, range(copies), indicators=copies)


def build_copies(uow_factory, tmp_path: Path, copies: range, indicators: int) -> dict:
    """The copies numbered `copies` of build_city's data set (recommendation numbers raised
    by 100 per copy), and `indicators` indicators."""
    from controlling.services.awareness import record_card, record_counts
    from controlling.services.events import add_event
    from controlling.services.imports import import_indicators
    from controlling.services.measures import add_measure, link_measure
    from controlling.services.recommendations import change_status
    from tests.report_builders import Steps

    planner = "planer"
    import_indicators(uow_factory(), planner,
                      write_indicator_csv(tmp_path / f"indikatoren-{indicators}.csv",
                                          indicator_rows(indicators)))
    made = {"measures": {}, "events": {}}
    for copy in copies:
        suffix = f" (Kopie {copy})" if copy else ""
        base = 100 * copy

        def measure_(key, title, districts, department="3-2", suffix=suffix, copy=copy,
                     **fields):
            view = add_measure(uow_factory(), planner, fields={
                "title": title + suffix, "department": department, "districts": districts,
                "topic": "Leben im Alter", "target_group": "Ältere Menschen und Angehörige",
                "implementation_status": "läuft seit 2022", **fields})
            made["measures"][key, copy] = view["id"]
            return view["id"]

        knappenhaus = measure_("own", "Offener Jugendtreff „Knappenhaus“", "Osterfeld",
                               department="3-1", description=LONG, place="Knappenhaus")
        measure_("shared", "Seniorenfrühstück im Quartier", "Osterfeld; Sterkrade-Mitte",
                 ends_on="2026-06-30")
        lotsen = measure_("city", "Schuldnerberatung der Stadt", "stadtweit",
                          ends_on="2024-12-31", implementation_status=None)
        measure_("other", "Stadtteilfest Styrum", "Mitte/Styrum", department="2-5")

        steps = Steps(uow_factory)
        steps.add(base + 1, date(2024, 1, 10), title="Jugendtreff im Quartier öffnen")
        steps.support(base + 1, date(2024, 2, 1))
        steps.approve(base + 1, date(2024, 2, 20), note="Freigabe nach Abstimmung")
        steps.progress(base + 1, "2024-Q1", "green", date(2024, 3, 20), note="Räume gefunden.")
        steps.progress(base + 1, "2024-Q4", "red", date(2024, 12, 10),
                       note="Träger abgesprungen; Übergabe an die Gemeinde geprüft.")
        steps.add(base + 2, date(2024, 1, 12), department="3-2", kind="extension",
                  title="Seniorenfrühstück verlängern")
        steps.approve(base + 2, date(2024, 3, 1))
        steps.add(base + 3, date(2024, 2, 1), title="Grünflächen für Familien öffnen")
        steps.reject(base + 3, date(2024, 3, 5), reason="Bedarf durch Spielplätze gedeckt")
        steps.add(base + 4, date(2024, 4, 2), district="stadtweit", department="3-2",
                  title="Übersicht der Ehrenämter im Sozialnavigator")
        steps.add(base + 5, date(2024, 5, 6), district="Mitte/Styrum", department="3-2",
                  title="Sprechstunde Bürgergeld in Styrum")
        steps.support(base + 5, date(2024, 5, 20))
        steps.approve(base + 5, date(2024, 6, 3))
        steps.progress(base + 5, "2024-Q2", "yellow", date(2024, 6, 20),
                       note="Personal wird gesucht.")
        steps.add(base + 6, date(2025, 3, 1), district="Sterkrade-Nord", department="3-1",
                  title="Familienzentrum Sterkrade-Nord")
        link_measure(uow_factory(), planner, knappenhaus, number=base + 1)
        steps.add(base + 7, date(2025, 2, 3), department="3-2", kind="permanence",
                  title="Seniorenfrühstück verstetigen")
        change_status(uow_factory(), planner, base + 2, "supersede", successor=base + 7,
                      note="Verstetigung statt Verlängerung", on=date(2025, 2, 10))

        for key, district, day in (("osterfeld-2021", "Osterfeld", date(2021, 11, 10)),
                                   ("osterfeld-2023", "Osterfeld", date(2023, 9, 28)),
                                   ("styrum-2023", "Mitte/Styrum", date(2023, 8, 16))):
            view = add_event(uow_factory(), planner, district=district,
                             held_on=day + timedelta(days=copy),
                             event_format="world_cafe", round_=2,
                             title=f"World Café {district} {day.year}{suffix}")
            made["events"][key, copy] = view["id"]
        events = {key: made["events"][key, copy] for key in ("osterfeld-2021",
                                                             "osterfeld-2023", "styrum-2023")}
        for event, measure_id, yes, no in (("osterfeld-2021", knappenhaus, 4, 5),
                                           ("osterfeld-2023", knappenhaus, 10, 2),
                                           ("osterfeld-2023", lotsen, 3, 9),
                                           ("styrum-2023", lotsen, 6, 6)):
            record_counts(uow_factory(), planner, event_id=events[event],
                          measure_id=measure_id, yes=yes, no=no)
        record_card(uow_factory(), planner, event_id=events["osterfeld-2023"],
                    measure_id=lotsen, question="publicity",
                    text="Aushang in Arztpraxen und Apotheken")
        record_card(uow_factory(), planner, event_id=events["osterfeld-2023"],
                    measure_id=lotsen, question="source", text="Über die Kirchengemeinde")
    return made


# ---- what the PDF must show for a JSON document ----------------------------------------------
DATE_KEYS = {"as_of", "held_on", "ends_on", "status_on", "created_on", "effective_on"}
NAMED_KEYS = {"by_district", "lights", "departments"}  # dicts whose keys are names or codes
SKIPPED = {"scope"}  # structure, not a figure: the section the entry stands in


def shown(data: dict) -> list[str]:
    """Every figure of a strategy paper's or city report's JSON as the PDF writes it: dates
    and numbers in German, machine values as their German words."""
    from controlling.reports.quarterly import LIGHT_WORDS, quarter_label
    from controlling.reports.strategy_paper import (
        ASSESSMENT_WORDS,
        direction,
        number,
        percent,
        signed_number,
    )

    from controlling.domain.awareness import QUESTION_LABELS, Question
    from controlling.domain.formatting import format_date
    from controlling.domain.sozialindex import DynamicsClass, StatusClass
    from controlling.domain.vocabulary import KIND_LABELS, STATUS_LABELS, Kind, Status

    words = {
        "status": lambda v: STATUS_LABELS[Status(v)],
        "kind": lambda v: KIND_LABELS[Kind(v)],
        "light": lambda v: "ohne" if v == "none" else LIGHT_WORDS[v],
        "light_quarter": quarter_label,
        "progress_age": lambda v: "älter" if v == "older" else None,
        "assessment": lambda v: ASSESSMENT_WORDS[v],
        "question": lambda v: QUESTION_LABELS[Question(v)],
        "quarter": quarter_label,
        "share_known": percent,
        "higher_is_worse": direction,
        "example": lambda v: "[Beispiel]" if v else None,
        "expired": lambda v: "(abgelaufen)" if v else None,
        "status_class": lambda v: StatusClass(v).label,
        "dynamics_class": lambda v: DynamicsClass(v).label,
        "status_index": lambda v: signed_number(v, 2),
        "dynamics_index": lambda v: signed_number(v, 2),
        "difference": lambda v: None if v is None else
        (f"+{number(v)}" if v > 0 else f"−{number(-v)}" if v < 0 else "0"),
    }
    found: list[str] = []

    def walk(value, key=None):
        if key in SKIPPED:
            return
        if isinstance(value, dict):
            for child_key, child in value.items():
                if key in NAMED_KEYS:
                    label = (STATUS_LABELS[Status(child_key)] if child_key in Status.__members__
                             .values() else LIGHT_WORDS.get(child_key, child_key))
                    found.append(label)
                walk(child, child_key if key not in NAMED_KEYS else None)
            return
        if isinstance(value, list):
            for item in value:
                walk(item, key)
            return
        if value is None:
            return
        if key in words:
            text = words[key](value)
        elif key in DATE_KEYS:
            text = format_date(date.fromisoformat(value))
        elif isinstance(value, bool):
            return
        elif isinstance(value, float):
            text = number(value)
        else:
            text = str(value)
        if text:
            found.append(text)

    walk(data)
    return found


def missing_in(data: dict, pdf_text: str) -> list[str]:
    """The figures of `data` that the PDF's text lacks (whitespace aside)."""
    from tests.report_builders import squeeze

    text = squeeze(pdf_text)
    return [figure for figure in shown(data) if squeeze(figure) not in text]


def paper_body(pdf: bytes) -> str:
    """The text without page headers and footers (what runs on from page to page), for the
    strategy paper and the city report."""
    from tests.report_builders import pdf_pages, without_continuation

    bodies = []
    for number, page in enumerate(pdf_pages(pdf), start=1):
        lines = page.splitlines()
        if len(lines) > 1 and lines[1].startswith("Stand "):
            lines = lines[2:]  # the header: the document's title, the as-of date
        lines = without_continuation(lines)
        footer = next(i for i, line in enumerate(lines) if line.startswith(f"Seite {number} von"))
        bodies.append(" ".join(" ".join(lines[:footer]).split()))
    return " ".join(bodies)


# ---- the Sozialindex through the services -----------------------------------------
# (quarter, district, SGB-II share 2022, 2024): three in Osterfeld, one outlier each way
INDEX_QUARTERS = [
    ("Tackenberg", "Osterfeld", 24.0, 27.5), ("Vonderort", "Osterfeld", 15.0, 14.5),
    ("Eisenheim", "Osterfeld", 11.0, 10.0), ("Styrum-Süd", "Mitte/Styrum", 30.0, 31.0),
    ("Altstadt-Mitte", "Mitte/Styrum", 21.0, 21.5), ("Lirich-Nord", "Alstaden/Lirich", 19.0, 18.0),
    ("Schlad", "Oberhausen-Ost", 16.0, 16.5), ("Alsfeld", "Sterkrade-Mitte", 9.0, 9.5),
    ("Königshardt", "Sterkrade-Nord", 6.0, 5.0),
]


def build_index(uow_factory, tmp_path: Path, copies: range = range(1)) -> dict:
    """`INDEX_QUARTERS` (each copy's names with " (Kopie N)") with an indicator of their own
    (sgb2_quartier) in 2022 and 2024, and the index of 2024 computed over all quarters so far
    by a planner; returns the computation as `index compute` gives it."""
    from controlling.services.imports import import_indicators
    from controlling.services.sozialindex import compute, import_quarters

    quarters = [["quarter", "district"]]
    values = [["indicator", "district", "quarter", "year", "value", "label"]]
    for copy in copies:
        suffix = f" (Kopie {copy})" if copy else ""
        for name, district, before, after in INDEX_QUARTERS:
            quarters.append([name + suffix, district])
            for year, value in ((2022, before), (2024, after)):
                values.append(["sgb2_quartier", "", name + suffix, year, value + copy / 10,
                               "SGB-II-Quote im Quartier in %"])
    name = f"{copies.start}-{copies.stop}"
    for rows, file in ((quarters, f"quartiere-{name}.csv"), (values, f"werte-{name}.csv")):
        with (tmp_path / file).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    import_quarters(uow_factory(), "planer", tmp_path / f"quartiere-{name}.csv")
    import_indicators(uow_factory(), "planer", tmp_path / f"werte-{name}.csv")
    return compute(uow_factory(), "planer", year=2024)
