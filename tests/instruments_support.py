"""Test data (editions, awareness, institutions), built through the services."""

from datetime import date

from controlling.services.events import add_event
from controlling.services.measures import add_measure
from tests.conftest import ADMIN


def event(uow, district: str | None, on: date, kind: str = "expert_dialogue") -> int:
    return add_event(uow(), ADMIN, district=district, held_on=on, kind=kind,
                     event_format="world_cafe", round_=2)["id"]


def measure(uow, title: str, department: str = "3-1", districts=("Osterfeld",)) -> int:
    return add_measure(uow(), ADMIN, fields={"title": title, "department": department,
                                             "districts": list(districts)})["id"]


def ok(result):
    """The CLI result of a command that must succeed."""
    assert result.exit_code == 0, result.stderr
    return result


def snapshot_of(cli) -> dict:
    """Every row of the `cli` fixture's database: for 'nothing changed' checks."""
    from controlling.data.database import make_engine
    from tests.conftest import snapshot

    engine = make_engine(cli.url)
    try:
        return snapshot(engine)
    finally:
        engine.dispose()
