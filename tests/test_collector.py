"""kg.collector: the cyclic garbage collector paused while a stage makes many objects."""

from __future__ import annotations

import gc

import pytest

from kg import collector
from kg.pipeline import build

from .conftest import TEST_DATA


def test_paused_turns_the_collector_off_within_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_paused_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_freezing_keeps_what_the_block_made_out_of_the_passes_until_unfrozen() -> None:
    with collector.paused(freeze=True):
        made = [[n] for n in range(1000)]
    assert gc.get_freeze_count() >= len(made) and gc.isenabled()
    collector.unfreeze()
    assert gc.get_freeze_count() == 0


def test_a_build_leaves_the_collector_as_it_found_it() -> None:
    build([TEST_DATA / "ko_busan_robot.txt"])
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_failed_build_leaves_the_collector_as_it_found_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_arguments: object, **_options: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kg.pipeline.write_graphs", broken)
    with pytest.raises(OSError, match="No space left"):
        build([TEST_DATA / "ko_busan_robot.txt"])
    assert gc.isenabled() and gc.get_freeze_count() == 0
