"""The one clock of the program. Every `now()`/`today()` of the code comes from here
(controlling.services.common re-exports them); tests freeze it with `freeze(...)` instead of
hard-coding far-future dates."""

from contextlib import contextmanager
from datetime import UTC, date, datetime

_frozen: datetime | None = None


def now() -> datetime:
    """The current time as naive UTC (the way recorded times are stored)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    if _frozen is not None:
        return _frozen.date()
    return date.today()


@contextmanager
def freeze(moment: datetime):
    """Within the block, now() is `moment` (naive UTC) and today() its date."""
    global _frozen
    before, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = before
