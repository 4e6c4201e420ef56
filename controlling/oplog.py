"""The operations log: one JSON line per write, import, export, backup, sign-in and refusal,
appended to the file that `CONTROLLING_LOG` names (nothing at all when it is unset).

Standard library logging, a logger of its own (`controlling.operations`) that never
propagates: nothing reaches standard output or standard error, so `--format json` stays one
document. A line holds the timestamp (controlling.clock), the login, the channel (`cli`,
`web`, `api`), the operation, the outcome (`ok`, `refused`, or a sign-in's result), for a
refusal the first line of the German message, row counts where known and the duration in
milliseconds. No personal data beyond the login: no names, no texts of notes, no passwords,
tokens or addresses; the command line's arguments are not logged, only the names of the
options given. A file that cannot be written never breaks the command: one German warning
line on standard error, once per process. Imports nothing of SQLAlchemy (docs/operations-log.md).
"""

import json
import logging
import os
import sys

from controlling import clock

LOGGER = "controlling.operations"
ENVIRONMENT = "CONTROLLING_LOG"
FIELDS = ("timestamp", "login", "channel", "operation", "outcome", "message", "rows",
          "options", "status", "duration_ms")


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"timestamp": clock.now().isoformat(timespec="milliseconds")}
        given = getattr(record, "entry", {})
        for name in FIELDS[1:]:
            value = given.get(name)
            if value is not None:
                entry[name] = value
        return json.dumps(entry, ensure_ascii=False)


class AppendingFile(logging.FileHandler):
    """Appends a line and closes nothing between lines; a failure warns once in German."""

    warned = False

    def __init__(self, path: str):
        super().__init__(path, mode="a", encoding="utf-8", delay=True)

    def emit(self, record: logging.LogRecord) -> None:
        try:  # logging opens a delayed file outside its own guard
            super().emit(record)
        except Exception:  # noqa: BLE001 - any failure of the log file: warn, go on
            self.handleError(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        if AppendingFile.warned:
            return
        AppendingFile.warned = True
        from controlling.files import reason

        error = sys.exc_info()[1]
        because = reason(error) if isinstance(error, OSError) else "Fehler beim Schreiben"
        try:
            sys.stderr.write(f"Warnung: Das Betriebsprotokoll {self.baseFilename} kann nicht "
                             f"geschrieben werden: {because}; der Vorgang selbst ist davon "
                             "nicht betroffen.\n")
        except (OSError, ValueError):
            pass


_configured_for: list = [None]


def _logger() -> logging.Logger | None:
    path = os.environ.get(ENVIRONMENT, "").strip()
    logger = logging.getLogger(LOGGER)
    logger.propagate = False
    if _configured_for[0] != path:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()
        if path:
            handler = AppendingFile(path)
            handler.setFormatter(JsonLines())
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        _configured_for[0] = path
    return logger if path else None


def record(operation: str, outcome: str = "ok", *, login: str | None = None,
           channel: str = "cli", message: str | None = None, rows: dict | None = None,
           options: list[str] | None = None, status: int | None = None,
           duration_ms: float | None = None) -> None:
    """One line in the operations log (nothing when CONTROLLING_LOG is unset)."""
    logger = _logger()
    if logger is None:
        return
    first_line = message.strip().splitlines()[0] if message and message.strip() else None
    logger.info(operation, extra={"entry": {
        "login": login, "channel": channel, "operation": operation, "outcome": outcome,
        "message": first_line, "rows": rows or None, "options": options or None,
        "status": status,
        "duration_ms": None if duration_ms is None else round(duration_ms, 1)}})


ROW_KEYS = ("imported", "replaced", "unchanged", "edited", "links", "rows", "count", "written",
            "created", "updated", "removed", "recommendations", "measures", "suggestions",
            "records", "queued", "sent", "failed", "tables")


def row_counts(result) -> dict | None:
    """The counts of rows a service's result tells, where it tells any: the numbers under
    ROW_KEYS of a dict (also one level down, e.g. an export's per-table counts), or the
    length of a list."""
    if isinstance(result, list):
        return {"rows": len(result)}
    if not isinstance(result, dict):
        return None
    counts = {}
    for key in ROW_KEYS:
        value = result.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            counts[key] = value
        elif isinstance(value, dict) and value and all(
                isinstance(v, int) and not isinstance(v, bool) for v in value.values()):
            counts[key] = dict(value)
    return counts or None
