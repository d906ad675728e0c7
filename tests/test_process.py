"""Work in new Python processes (kg/process.py): failures as one line, stopping."""

from __future__ import annotations

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
