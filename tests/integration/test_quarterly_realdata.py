"""Real data: the 54 measures of Münster's climate protection concept with three reporting
rounds of traffic lights (../shared/realdata/muenster_klimaschutz_sachstand.csv), turned into
recommendations with one reporting round per quarter, and the report of each round."""

import csv
import re
from collections import Counter
from datetime import date

import pytest
from controlling.reports.quarterly import render_quarterly_pdf

from controlling.data.unit_of_work import UnitOfWork
from controlling.services.quarterly import quarterly_report
from controlling.services.recommendations import add_recommendation, change_status, record_progress
from controlling.services.setup import add_department, add_user
from tests.conftest import ADMIN, realdata
from tests.report_builders import pdf_body, squeeze

pytestmark = pytest.mark.realdata

FILE = "muenster_klimaschutz_sachstand.csv"
# round (the id's suffix) -> the quarter it stands for, the effective date of its Sachstand
ROUNDS = {"13": ("2024-Q2", date(2024, 6, 14)), "1516": ("2024-Q3", date(2024, 9, 13)),
          "1718": ("2024-Q4", date(2024, 12, 13))}
LIGHTS = {"#01873b": "green", "green": "green", "orange": "yellow", "yellow": "yellow",
          "#ae1b1b": "red", "red": "red"}  # orange (partly implemented) counts as yellow
CREATED, APPROVED = date(2024, 4, 2), date(2024, 4, 15)


def plain(text: str) -> str:
    return re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE).strip()


def build(uow_factory, path) -> dict:
    """Groups become departments (with a head each), modules recommendations (stadtweit,
    permanence: approved by the head), and each round's rows Sachstände of its quarter."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["id"]]
    groups = {row["id"]: row["title"] for row in rows if not row["parent"]}
    modules = [row for row in rows if row["parent"] in groups]
    by_id = {row["id"]: row for row in rows}
    # logins are ASCII only (a group id like 'Ü' is not): the heads are numbered instead
    heads = {code: f"bl-ms-{index}" for index, code in enumerate(groups, start=1)}
    for code, title in groups.items():
        add_department(uow_factory(), ADMIN, code=f"MS-{code}", name=f"Münster: {title}")
        add_user(uow_factory(), ADMIN, new_login=heads[code], name=f"Leitung {title}",
                 role="department_head", department=f"MS-{code}")
    numbers, notes = {}, {quarter: {} for quarter, _ in ROUNDS.values()}
    for number, module in enumerate(modules, start=1):
        numbers[module["id"]] = number
        plan = by_id.get(f"{module['id']}-Plan")
        add_recommendation(uow_factory(), "planer", number=number, title=module["title"],
                           district="stadtweit", department=f"MS-{module['parent']}",
                           kind="permanence", description=plain(plan["text"]) if plan else None,
                           on=CREATED)
        change_status(uow_factory(), heads[module["parent"]], number, "approve",
                      on=APPROVED)
    for suffix, (quarter, on) in ROUNDS.items():
        for module in modules:
            row = by_id.get(f"{module['id']}-{suffix}")
            light = LIGHTS.get((row or {}).get("assessment", "").strip().lower())
            if light is None:  # no row, an empty assessment, or "white" (the plan text)
                continue
            note = plain(row["text"])
            record_progress(uow_factory(), "planer", numbers[module["id"]], quarter=quarter,
                            light=light, note=note, on=on)
            notes[quarter][numbers[module["id"]]] = note
    return {"numbers": numbers, "notes": notes, "titles": [m["title"] for m in modules]}


def counted_from_the_file(path) -> dict[str, Counter]:
    """Light counts per round, read straight from the file: an independent tally."""
    tally = {suffix: Counter() for suffix in ROUNDS}
    modules = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for record in csv.reader(handle):
            if not record or record[0] == "assessment":
                continue
            colour, identifier = record[0].strip().lower(), record[1]
            if identifier.endswith("-Plan"):
                modules += 1
            match = re.fullmatch(r".+-(13|1516|1718)", identifier)
            if match:
                word = {"#01873b": "green", "orange": "yellow", "#ae1b1b": "red"}.get(colour)
                tally[match.group(1)][word or "none"] += 1
    for suffix in ROUNDS:
        tally[suffix]["none"] += modules - sum(tally[suffix].values())  # rounds without a row
    return tally


@pytest.fixture(scope="module")
def muenster(module_db_url):
    path = realdata(FILE)
    from controlling.data.database import make_engine

    engine = make_engine(module_db_url)
    built = build(lambda: UnitOfWork(engine), path)
    yield {"engine": engine, "path": path, **built}
    engine.dispose()


def report(muenster, quarter):
    return quarterly_report(UnitOfWork(muenster["engine"]), "ausschuss", quarter)


def test_the_file_has_54_measures_in_three_rounds(muenster):
    tally = counted_from_the_file(muenster["path"])
    assert len(muenster["numbers"]) == 54
    assert all(sum(tally[suffix].values()) == 54 for suffix in ROUNDS)


def test_each_rounds_lights_match_the_counts_taken_from_the_file(muenster):
    tally = counted_from_the_file(muenster["path"])
    for suffix, (quarter, _) in ROUNDS.items():
        data = report(muenster, quarter).to_dict()
        expected = {light: tally[suffix][light] for light in ("green", "yellow", "red", "none")}
        assert data["lights"] == expected, quarter
        assert data["totals"]["approved"] == 54
        assert len(data["stale"]) == expected["none"]
    last = report(muenster, "2024-Q4").to_dict()
    assert last["stale"] == [muenster["numbers"]["Ü4"]]  # the one row without a colour


def test_each_rounds_report_shows_every_long_sachstand_in_full(muenster):
    for quarter, _ in ROUNDS.values():
        pdf, pages = render_quarterly_pdf(report(muenster, quarter), made_on=date(2025, 1, 8))
        body = squeeze(pdf_body(pdf))
        assert pages > 10
        for number, note in muenster["notes"][quarter].items():
            assert squeeze(note) in body, (quarter, number, note[:60])
        for title in muenster["titles"]:
            assert squeeze(title) in body
