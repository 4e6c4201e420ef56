"""Test data for the report tests, built through the real services (the workflow rules hold),
and reading a PDF's text back."""

import io
import re
from datetime import date

from sqlalchemy import event, func, select

from controlling.data.models import Indicator, IndicatorValue, Recommendation
from controlling.services.quarterly import (
    ChangeRow,
    History,
    ProgressRow,
    RecommendationRow,
    compute_report,
)
from controlling.services.recommendations import add_recommendation, change_status, record_progress
from tests.conftest import ADMIN

INDICATOR = "sgb2_quote"
# district -> value for 2022 (invented): every district is worse than the city except Sterkrade
VALUES = {"stadtweit": 17.1, "Mitte/Styrum": 23.9, "Alstaden/Lirich": 18.6,
          "Oberhausen-Ost": 16.8, "Osterfeld": 20.4, "Sterkrade-Mitte": 12.7,
          "Sterkrade-Nord": 9.5}


def add_indicator(uow_factory) -> None:
    with uow_factory() as uow:
        indicator = Indicator(code=INDICATOR, label="SGB-II-Quote in %", higher_is_worse=True)
        uow.session.add(indicator)
        uow.flush()
        for name, value in VALUES.items():
            uow.session.add(IndicatorValue(indicator_id=indicator.id,
                                           district_id=uow.repo.district(name).id,
                                           year=2022, value=value))
        uow.commit()


DISTRICTS = ("Osterfeld", "Mitte/Styrum", "stadtweit")
DEPARTMENTS = {"3-1": "Bereich 3-1 Kinder, Jugend und Familie", "3-2": "Bereich 3-2 Soziales"}


class Book:
    """A history written like a ledger: book.add(1, "2024-01-10"), book.move(1, ...)."""

    def __init__(self):
        self.recs, self.changes, self.progress, self.status = [], [], [], {}

    def add(self, number, on, district="Osterfeld", department="3-1", title=None):
        self.recs.append(RecommendationRow(number, number, title or f"Empfehlung {number}",
                                           district, department, "new", None, False))
        self._change(number, None, "proposed", on)

    def move(self, number, to_status, on, note=None, evidence=None, role="planner", dept=None):
        self._change(number, self.status[number], to_status, on, note, evidence, role, dept)

    def _change(self, number, from_status, to_status, on, note=None, evidence=None,
                role="planner", dept=None):
        self.status[number] = to_status
        self.changes.append(ChangeRow(len(self.changes) + 1, number, from_status, to_status,
                                      date.fromisoformat(on), note, evidence, role, dept))

    def report(self, quarter, light_of=None, measures=()):
        """`measures`: MeasureRow-like (id, title, department, ends_on as text, continued_by)."""
        from controlling.services.quarterly import MeasureRow

        for number, quarter_text, light, on, *note in light_of or ():
            self.progress.append(ProgressRow(len(self.progress) + 1, number, quarter_text,
                                             light, note[0] if note else "Sachstand",
                                             date.fromisoformat(on)))
        key = lambda row: (row.effective_on, row.id)  # noqa: E731
        history = History(as_of=quarter.end, districts=DISTRICTS, departments=DEPARTMENTS,
                          recommendations=tuple(self.recs),
                          changes=tuple(sorted(self.changes, key=key)),
                          progress=tuple(sorted(self.progress, key=key)),
                          measures=tuple(MeasureRow(i, title, dept, date.fromisoformat(ends),
                                                    tuple(by))
                                         for i, title, dept, ends, by in measures))
        return compute_report(history, quarter)


class Steps:
    """Short calls for a recommendation's history: steps.add(1, on=...), steps.approve(1, ...)."""

    def __init__(self, uow_factory, planner="planer", heads=None):
        self.uow = uow_factory
        self.planner = planner
        self.heads = heads or {"3-1": "bl31", "3-2": "bl32"}
        self.department = {}

    def add(self, number, on, district="Osterfeld", department="3-1", kind="new",
            title=None):
        self.department[number] = department
        add_recommendation(self.uow(), self.planner, number=number,
                           title=title or f"Empfehlung {number}", district=district,
                           department=department, kind=kind, on=on)

    def support(self, number, on):
        change_status(self.uow(), self.planner, number, "support", indicator=INDICATOR,
                      year=2022, on=on)

    def approve(self, number, on, note=None):
        change_status(self.uow(), self.heads[self.department[number]], number, "approve",
                      note=note, on=on)

    def implement(self, number, on, note="umgesetzt"):
        change_status(self.uow(), self.planner, number, "implement", note=note, on=on)

    def reject(self, number, on, reason="nicht gestützt"):
        change_status(self.uow(), self.planner, number, "reject", note=reason, on=on)

    def progress(self, number, quarter, light, on, note=None):
        record_progress(self.uow(), self.planner, number, quarter=quarter, light=light,
                        note=note or f"Sachstand {quarter} ({light})", on=on)


def load_demo_copies(uow_factory, copies: int) -> int:
    """The example data of `init --demo` (10 recommendations) and further copies of it with
    numbers raised by 100, 200, ...; returns the number of recommendations."""
    from controlling.domain.actors import Actor
    from controlling.domain.vocabulary import Role
    from controlling.services import demo
    from controlling.services.recommendations import (
        apply_action,
        apply_progress,
        new_recommendation,
    )

    with uow_factory() as uow:
        if not uow.session.scalar(select(Recommendation.id).where(Recommendation.is_example)):
            demo.load_demo(uow, ADMIN)
        have = uow.session.scalar(select(func.count(Recommendation.id)))
        planner = Actor("beispiel.planung", Role.PLANNER)
        planner_user = uow.repo.user("beispiel.planung")
        departments = uow.repo.department_by_code()
        for copy in range(have // len(demo.RECOMMENDATIONS), copies):
            for number, title, district, dept, kind, topic, proposed_on, steps in (
                    demo.RECOMMENDATIONS):
                rec = new_recommendation(
                    uow, number=number + 100 * copy, title=f"{title} (Kopie {copy})",
                    district=uow.repo.district(district), department=departments[dept.lower()],
                    kind=kind, topic=uow.repo.topic(topic), description=None,
                    effective_on=proposed_on, user=planner_user, is_example=True)
                uow.flush()
                head = Actor(f"beispiel.bl-{dept}", Role.DEPARTMENT_HEAD, dept)
                for action, on, extra in steps:
                    if action == "progress":
                        quarter, light, note = extra
                        apply_progress(uow, planner, rec, quarter=quarter, light=light,
                                       note=note, on=on)
                    elif action == "approve":
                        apply_action(uow, head, rec, "approve", note=extra, on=on)
                    elif action == "support":
                        apply_action(uow, planner, rec, "support", on=on,
                                     indicator=demo.INDICATOR[0],
                                     year=2022 if on.year < 2025 else None)
                    elif action != "support_fails":
                        apply_action(uow, planner, rec, action, note=extra, on=on)
        uow.flush()
        total = uow.session.scalar(select(func.count(Recommendation.id)))
        uow.commit()
    return total


class StatementCounter:
    """Counts the SQL statements sent through an engine while active."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc_info):
        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)


def pdf_text(pdf: bytes) -> str:
    """Every page's text, whitespace collapsed to single spaces."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_body(pdf: bytes) -> str:
    """The text without the page headers and footers: what runs on from page to page."""
    bodies = []
    for number, page in enumerate(pdf_pages(pdf), start=1):
        lines = page.splitlines()
        if lines and lines[0].startswith("Controllingbericht Handlungsempfehlungen ·"):
            lines = lines[2:]  # the header: title and quarter, as-of date
        lines = without_continuation(lines)
        footer = next(i for i, line in enumerate(lines) if line.startswith(f"Seite {number} von"))
        bodies.append(" ".join(" ".join(lines[:footer]).split()))
    return " ".join(bodies)


HEAD_WORDS = {"Nr.", "Titel", "Bereich", "Sozialraum", "Status", "Ampel", "Art",
              "befristet bis", "Maßnahme"}


def without_continuation(lines: list[str]) -> list[str]:
    """A page's lines without what a continued table or list begins it with: the caption
    "… (Fortsetzung)" and the column heads repeated under it."""
    if not lines or not lines[0].strip().endswith("(Fortsetzung)"):
        return lines
    rest = lines[1:]
    while rest and rest[0].strip() in HEAD_WORDS:
        rest = rest[1:]
    return rest


def pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def squeeze(value: str) -> str:
    """Without any whitespace: for 'this long text is there in full' checks."""
    return re.sub(r"\s+", "", value)


def section(text: str, start: str, end: str | None) -> str:
    """The text from the last `start` (after the table of contents) to the following `end`."""
    begin = text.rindex(start)
    stop = text.index(end, begin) if end else len(text)
    return text[begin:stop]


DAY = date(2024, 1, 10)
