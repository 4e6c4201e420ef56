"""Test helpers for a database with a row in every history table (written through
the program), forging rows the way the owner of a database could (triggers switched off), and
forging a backup file the way someone who knows the format could (hashes recomputed)."""

import hashlib
from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import text

from controlling.data.models import HISTORY_TABLES, PublishedReport
from controlling.domain.integrity import (
    CHAIN_TABLE,
    GENESIS,
    HEAD_TABLE,
    canonical_json,
    document_checksum,
    extend,
    key_column,
    row_sha256,
    rows_of,
)
from tests.report_builders import Steps, add_indicator

REPORT_DATA = {"quarter": "2024-Q1", "totals": {"approved": 1}}
REPORT_PDF = b"%PDF-1.4 Quartalsbericht 2024-Q1"


def fill_every_history_table(uow) -> None:
    """Rows in every history table, through the services (the `people` team must exist):
    status changes, progress, a supersession, an edition, triage with a measure profile, a
    failed sign-in, account events (the team), a published report, a target date and a
    milestone reached and corrected. (A correction of a recommendation: `correct_a_recommendation`,
    kept apart because a forced downgrade below 0013 leaves its version behind.)"""
    from controlling import clock
    from controlling.services.editions import publish_edition
    from controlling.services.events import list_events, load_reference_events
    from controlling.services.identity import log_refusal
    from controlling.services.measures import add_measure
    from controlling.services.recommendations import change_status
    from controlling.services.suggestions import add_suggestion
    from controlling.services.targets import add_milestone, finish_milestone, set_target
    from controlling.services.triage import triage_suggestion

    add_indicator(uow)
    steps = Steps(uow)
    steps.add(1, date(2024, 1, 10))
    steps.add(2, date(2024, 1, 11), kind="extension")
    steps.add(3, date(2024, 1, 12))
    steps.approve(2, date(2024, 2, 1))
    steps.progress(2, "2024-Q1", "green", date(2024, 3, 1))
    change_status(uow(), "planer", 1, "supersede", successor=3, note="Neufassung",
                  on=date(2024, 3, 2))
    publish_edition(uow(), "planer", "Ausgabe 2024", on=date(2024, 3, 5))
    measure = add_measure(uow(), "planer", fields={"title": "Lotsendienst",
                                                    "department": "3-1",
                                                    "districts": ["stadtweit"]},
                          reason="Test")
    load_reference_events(uow(), "planer")
    event = list_events(uow(), "planer")[0]
    suggestion = add_suggestion(uow(), "planer", event_id=event["id"], text="Mehr Lotsen")
    triage_suggestion(uow(), "planer", suggestion["id"], "exists", measure_id=measure["id"],
                      on=date(2024, 2, 15))
    log_refusal(uow(), login="niemand", channel="cli", outcome="failure", detail="Test")
    with uow() as work:
        work.session.add(PublishedReport(
            kind="quarterly", period="2024-Q1", known_at=datetime(2024, 4, 2, 8, 0),
            published_at=datetime(2024, 4, 2, 8, 0), actor_id=work.repo.user("planer").id,
            data=REPORT_DATA, data_sha256=hashlib.sha256(canonical_json(REPORT_DATA)).hexdigest(),
            pdf=REPORT_PDF, pdf_sha256=hashlib.sha256(REPORT_PDF).hexdigest()))
        work.commit()
    with clock.freeze(datetime(2024, 3, 10, 9, 30)):
        set_target(uow(), "planer", 2, on="2024-06-30")
        milestone = add_milestone(uow(), "planer", 2, title="Träger gefunden", due="2024-04-30")
        finish_milestone(uow(), "planer", milestone["id"], on="2024-03-08")
        finish_milestone(uow(), "planer", milestone["id"], on="2024-03-09",
                         reason="Vertrag erst am 09.03. unterschrieben")


def correct_a_recommendation(uow) -> None:
    """A row in `recommendation_edits` (after `fill_every_history_table`)."""
    from controlling.services.recommendation_edits import edit_recommendation

    edit_recommendation(uow(), "planer", 3, fields={"title": "Empfehlung 3 (korrigiert)"},
                        reason="Tippfehler")


def count_rows(engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


@contextmanager
def unguarded(engine, *tables: str):
    """A connection on which the triggers of `tables` are off, as the owner of the database
    (or a superuser) can switch them off; committed at the end, triggers back on."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            for table in tables:
                connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            yield connection
            for table in tables:
                connection.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
            return
        saved = connection.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ("
            + ", ".join(f"'{t}'" for t in tables) + ")")).all()
        for name, _sql in saved:
            connection.execute(text(f"DROP TRIGGER {name}"))
        yield connection
        for _name, sql in saved:
            connection.execute(text(sql))


def forge(engine, statement: str, *tables: str, **parameters) -> None:
    with unguarded(engine, *tables) as connection:
        connection.execute(text(statement), parameters)


# backup documents -------------------------------------------------------------------------

def table(document: dict, name: str) -> list[dict]:
    return rows_of(document["tables"][name])


def set_cells(document: dict, name: str, key: int, **values) -> None:
    """Change cells of the row with primary key `key` of a table in a backup document."""
    data = document["tables"][name]
    columns = data["columns"]
    key_index = columns.index(key_column(name) if name in HISTORY_TABLES else "id")
    for row in data["rows"]:
        if row[key_index] == key:
            for column, value in values.items():
                row[columns.index(column)] = value
            return
    raise AssertionError(f"{name} {key} not in the document")


def reseal(document: dict) -> dict:
    """What someone who knows the format does after editing: recompute the checksum."""
    document["checksum"] = document_checksum(document)
    return document


def rechain(document: dict) -> dict:
    """Recompute every row hash and the whole chain in the existing order, then the
    checksum: the file is consistent in itself again, only the rules can tell."""
    order = [(e["table_name"], e["row_id"]) for e in
             sorted(table(document, CHAIN_TABLE), key=lambda e: e["seq"])]
    hashes = {(name, row[key_column(name)]): row_sha256(row)
              for name in HISTORY_TABLES for row in table(document, name)}
    entries = extend(0, GENESIS, [(n, k, hashes[(n, k)]) for n, k in order])
    columns = document["tables"][CHAIN_TABLE]["columns"]
    document["tables"][CHAIN_TABLE]["rows"] = [[e.__dict__[c] for c in columns]
                                               for e in entries]
    head_columns = document["tables"][HEAD_TABLE]["columns"]
    head = {"id": 1, "seq": entries[-1].seq, "chain_sha256": entries[-1].chain_sha256}
    document["tables"][HEAD_TABLE]["rows"] = [[head[c] for c in head_columns]]
    return reseal(document)
