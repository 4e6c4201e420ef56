"""Pausing Python's cyclic garbage collector while a report or an import makes many small
objects.

The collector runs after every 2,000 container objects made (tuples, dicts, dataclass
instances) and walks those still alive; a report of 50,000 recommendations makes about a
million of them (rows, lines, dicts for the JSON), none in a reference cycle, and spent a
third of its time in those walks. Reference counting frees them all the same; only cycles
wait for the collector, which resumes (if it ran before) when the block ends.

Usable as a context manager or as a decorator; nested uses and threads are safe: the
outermost use that found the collector running turns it on again. Imports nothing heavy.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (or the decorated function)."""
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()
