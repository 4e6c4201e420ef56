"""`controlling verify` and the check of a backup before `import all` writes anything: the
history chain, the recommendations' status and version against their history, users' roles
against their account events, supersessions and published reports (docs/integrity.md).

Both read the same plain rows (the backup encoding), so a database and its backup file are
judged by the same rules (controlling/domain/integrity.py and consistency.py).
"""

from collections.abc import Mapping

from sqlalchemy.engine import Engine

from controlling.domain.actors import require
from controlling.domain.consistency import check_consistency
from controlling.domain.integrity import (
    CHAIN_TABLE,
    HEAD_TABLE,
    MAX_LISTED,
    Problem,
    check_chain,
    document_checksum,
    rows_of,
)
from controlling.services.common import actor_of

CURRENT_STATE = ("recommendations", "users", "departments")


def _history_tables() -> tuple[str, ...]:
    from controlling.data.models import HISTORY_TABLES

    return HISTORY_TABLES


def judge(tables: Mapping[str, list[dict]], anchors: Mapping[int, str] | None = None,
          chain: bool = True) -> dict:
    """Every check on plain rows: {"ok", "problems": [...], "chain": {...}, "counts": {...}}."""
    problems: list[Problem] = []
    summary = None
    if chain:
        found, summary = check_chain(tables, _history_tables(), anchors)
        problems.extend(found)
    problems.extend(check_consistency(tables))
    counts = {name: len(tables.get(name, [])) for name in
              ("recommendations", "status_changes", "progress_updates", "users",
               "published_reports")}
    return {"ok": not problems, "problems": [p.as_dict() for p in problems],
            "chain": summary, "counts": counts}


def verify_database(engine: Engine, uow, login: str,
                    anchors: Mapping[int, str] | None = None) -> dict:
    """Check the database as it is now (planners and admins), in one consistent read."""
    from controlling.data.encoding import row_dicts
    from controlling.data.models import Base
    from controlling.services.backup import _snapshot

    with uow:
        require(actor_of(uow, login), "verify")
    wanted = {*_history_tables(), CHAIN_TABLE, HEAD_TABLE, *CURRENT_STATE}
    with _snapshot(engine) as connection:
        tables = {t.name: row_dicts(connection, t) for t in Base.metadata.sorted_tables
                  if t.name in wanted}
    return judge(tables, anchors)


def verify_document(name: str, document: dict) -> tuple[list[str], list[str]]:
    """The problems (German, first the first) and notes of a backup document, before it is
    loaded: its checksum, its chain and the consistency of what it holds."""
    notes, problems = [], []
    stated = document.get("checksum")
    if stated is None:
        notes.append(f"{name} hat keine Prüfsumme (Sicherung einer älteren Programmversion); "
                     "geprüft werden Kette und Verlauf.")
    elif stated != document_checksum(document):
        problems.append("Die Prüfsumme passt nicht zum Inhalt: die Datei wurde nach "
                        "'export all' verändert oder ist beschädigt.")
    try:
        tables = {table: rows_of(data) for table, data in document["tables"].items()}
        chained = CHAIN_TABLE in tables
        if not chained:
            notes.append(f"{name} hat noch keine Kette über den Verlauf (Schema-Stand "
                         f"{document.get('revision')}); sie wird beim Einspielen aus dem "
                         "Verlauf aufgebaut.")
        result = judge(tables, chain=chained)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        problems.append(f"Die Sicherung ist in sich beschädigt ({type(error).__name__}: "
                        f"{error}).")
        return problems, notes
    problems.extend(p["message"] for p in result["problems"])
    return listed(problems), notes


def listed(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_LISTED:
        return problems
    return [*problems[:MAX_LISTED], f"… und {len(problems) - MAX_LISTED} weitere."]
