"""Work in new Python processes (kg/process.py): failures as one line, stopping."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from kg.errors import KGError
from kg.pipeline import _page_worker
from kg.process import start_ahead


def test_a_failing_process_is_one_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "knowledge.nt"
    process = start_ahead("the page's process", _page_worker, ["", False])
    process.give([str(missing), str(missing), str(tmp_path), None, str(missing), str(missing)])
    failed = r"^the page's process failed \(status 1\): FileNotFoundError: \[Errno 2\] No such file"
    with pytest.raises(KGError, match=failed):
        process.wait()
    assert not (tmp_path / "graph.html").exists()


def test_a_stopped_process_is_ended(tmp_path: Path) -> None:
    missing = tmp_path / "knowledge.nt"
    process = start_ahead("the page's process", _page_worker, ["", False])
    process.give([str(missing), str(missing), str(tmp_path), None, str(missing), str(missing)])
    process.stop()
    with pytest.raises(KGError, match=r"^the page's process failed \(status -9\)"):
        process.wait()
    process.stop()  # again: nothing to do


def test_a_process_started_ahead_waits_for_its_arguments(tmp_path: Path) -> None:
    missing = tmp_path / "knowledge.nt"
    process = start_ahead("the page's process", _page_worker, [str(tmp_path / "no cache"), True])
    time.sleep(1.5)  # long enough to import what it needs and find no last build: then it waits
    assert process.running()
    process.give([str(missing), str(missing), str(tmp_path), None])
    with pytest.raises(KGError, match=r"^the page's process failed \(status 1\): FileNotFoundError"):
        process.wait()
    waiting = start_ahead("the page's process", _page_worker, ["", False])
    waiting.stop()  # before it was given anything
    with pytest.raises(KGError, match=r"^the page's process failed \(status -9\)"):
        waiting.wait()


def test_arguments_given_do_not_wait_for_the_process_to_ask(tmp_path: Path) -> None:
    """A process started ahead reads its arguments in a thread from its start: giving it
    more than a pipe holds (64 KiB) returns while it still works on what it was given
    first, here a read of the last build's knowledge graph that waits on a FIFO."""
    knowledge = tmp_path / "cache" / "graph-files" / "knowledge.nt"
    knowledge.parent.mkdir(parents=True)
    os.mkfifo(knowledge)
    process = start_ahead("the page's process", _page_worker, [str(tmp_path / "cache"), True])
    missing = tmp_path / "knowledge.nt"
    subjects = [f"<https://example.org/entity/{number:060d}>" for number in range(5_000)]  # ~330 kB of JSON
    giving = threading.Thread(target=process.give, args=([str(missing), str(missing), str(tmp_path), subjects],))
    giving.start()
    giving.join(timeout=30)
    given_at_once = not giving.is_alive()
    with knowledge.open("wb"):  # the read ahead ends, then the page finds no knowledge graph
        pass
    giving.join()
    assert given_at_once
    with pytest.raises(KGError, match=r"^the page's process failed \(status 1\): FileNotFoundError"):
        process.wait()
