"""The cyclic garbage collector is paused while a command's service runs (and while a
report is read, computed and written), and runs again afterwards, whatever happened."""

import gc

import pytest

from controlling.gc_pause import without_cycle_collection


@pytest.fixture(autouse=True)
def collector_running():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_paused_inside_and_runs_again_after():
    with without_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_runs_again_after_an_error():
    with pytest.raises(ValueError), without_cycle_collection():
        raise ValueError("kaputt")
    assert gc.isenabled()


def test_a_nested_pause_leaves_the_collector_paused_until_the_outer_one_ends():
    with without_cycle_collection():
        with without_cycle_collection():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off():
    gc.disable()
    with without_cycle_collection():
        pass
    assert not gc.isenabled()


def test_as_a_decorator_it_pauses_each_call():
    @without_cycle_collection()
    def running() -> bool:
        return gc.isenabled()

    assert running() is False
    assert running() is False
    assert gc.isenabled()


def test_a_commands_service_runs_with_the_collector_paused():
    from controlling.commands.context import AppContext

    app = AppContext.__new__(AppContext)  # call() needs nothing of the context's state
    assert app.call(gc.isenabled) is False
    assert gc.isenabled()


def test_the_reports_read_and_compute_with_the_collector_paused():
    from controlling.domain.dates import Quarter
    from controlling.services.quarterly import compute_report, load_history

    seen = []

    class Probe:  # stands in for the session and the history: notes the collector, stops
        def execute(self, *args, **kwargs):
            seen.append(gc.isenabled())
            raise LookupError

        @property
        def as_of(self):
            seen.append(gc.isenabled())
            raise LookupError

    with pytest.raises(LookupError):
        load_history(Probe(), Quarter(2024, 4).end)
    with pytest.raises(LookupError):
        compute_report(Probe(), Quarter(2024, 4))
    assert seen == [False, False]
    assert gc.isenabled()
