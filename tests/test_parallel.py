"""Extraction in worker processes and on a Dask cluster gives the very bytes of a build in
one process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import psutil
import pytest

import kg.parallel
from kg.cache import CACHE_DIR, CacheLock, ExtractionCache, fingerprint
from kg.gazetteer import DEFAULT_GAZETTEER, load_gazetteer
from kg.model import Extraction
from kg.parallel import extract_documents
from kg.pipeline import OUTPUT_FILES, build, write_build

from .conftest import TEST_DATA

DOCUMENTS = [TEST_DATA / name for name in ("ko_busan_robot.txt", "ko_ministry_forum.txt", "en_lyon_startup_summit.txt")]


def assert_same_outputs(a: Path, b: Path) -> None:
    """Every output file byte for byte; report.json but for its timing."""
    for name in OUTPUT_FILES:
        if name == "report.json":
            left, right = (json.loads((d / name).read_text(encoding="utf-8")) for d in (a, b))
            left.pop("timing"), right.pop("timing")
            assert left == right
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("workers_1")
    write_build(build(DOCUMENTS, workers=1), out)
    return out


def test_two_workers_write_the_same_bytes_as_one(one_process: Path, tmp_path: Path) -> None:
    result = build(DOCUMENTS, workers=2)
    assert result.report()["timing"]["extracted_by"] == "2 processes"
    write_build(result, tmp_path)
    assert_same_outputs(one_process, tmp_path)


def test_one_worker_process_writes_the_same_bytes(
    one_process: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # from IN_PROCESS_DOCUMENTS on, --workers 1 extracts in one worker process
    monkeypatch.setattr(kg.parallel, "IN_PROCESS_DOCUMENTS", len(DOCUMENTS))
    pools: list[int] = []

    class RecordedPool(ProcessPoolExecutor):
        def __init__(self, max_workers: int, **options: Any) -> None:
            pools.append(max_workers)
            super().__init__(max_workers, **options)

    monkeypatch.setattr(kg.parallel, "ProcessPoolExecutor", RecordedPool)
    result = build(DOCUMENTS, workers=1)
    assert pools == [1]
    assert result.report()["timing"]["extracted_by"] == "1 process"
    write_build(result, tmp_path)
    assert_same_outputs(one_process, tmp_path)


def test_the_workers_of_a_killed_build_end_with_it_and_let_go_of_the_cache(tmp_path: Path) -> None:
    """Forked workers hold the cache folder's lock descriptor too: orphans would keep the
    next build out."""
    cache = tmp_path / "out" / CACHE_DIR
    code = (
        "import sys; from pathlib import Path; from kg.pipeline import build; "
        "build([Path(p) for p in sys.argv[2:]], workers=2, cache_dir=Path(sys.argv[1]))"
    )
    killed = subprocess.Popen([sys.executable, "-c", code, str(cache), *map(str, DOCUMENTS)])
    try:
        deadline = time.monotonic() + 60
        while len(workers := psutil.Process(killed.pid).children()) < 2:
            assert time.monotonic() < deadline, "the build's workers never started"
            time.sleep(0.05)
    finally:
        killed.kill()
        killed.wait()
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, [worker.pid for worker in alive]
    CacheLock(cache).release()  # the next build may have the folder


def test_documents_keep_their_order(one_process: Path) -> None:
    report = json.loads((one_process / "report.json").read_text(encoding="utf-8"))
    assert report["documents"] == 3
    assert report["languages"] == {"en": 1, "ko": 2}


def test_a_changed_document_goes_to_the_workers_before_the_cache_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # nine documents and two workers make batches of two: the one changed document, in the
    # middle of the corpus, would wait for the cached ones to be read without the early send
    paths = []
    for number in range(9):
        paths.append(tmp_path / f"doc_{number}.txt")
        shutil.copy(DOCUMENTS[number % 2], paths[-1])
    gazetteer = load_gazetteer(DEFAULT_GAZETTEER)
    cache = ExtractionCache(tmp_path / CACHE_DIR, fingerprint(DEFAULT_GAZETTEER))
    first = extract_documents(paths, gazetteer, cache=cache)
    cache.update(first.fresh, keep=first.keys)
    paths[4].write_text(paths[4].read_text(encoding="utf-8") + "\n부산시는 새 연구소를 열었다.\n", encoding="utf-8")
    events: list[str] = []

    class RecordedCache(ExtractionCache):
        def get(self, key: str) -> Extraction | None:
            events.append("read from the cache")
            return super().get(key)

    class RecordedPool(ProcessPoolExecutor):
        def submit(self, function: Any, /, *arguments: Any, **options: Any) -> Any:
            if function is kg.parallel._extract_in_worker:
                events.append(f"sent {len(arguments[0])}")
            return super().submit(function, *arguments, **options)

    monkeypatch.setattr(kg.parallel, "ProcessPoolExecutor", RecordedPool)
    again = extract_documents(paths, gazetteer, workers=2, cache=RecordedCache(cache.folder, cache._fingerprint))
    assert (again.extracted, again.cached) == (1, 8)
    assert events == ["sent 1"] + ["read from the cache"] * 8
    assert again.extractions[:4] + again.extractions[5:] == first.extractions[:4] + first.extractions[5:]


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            processes=True, n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as running,
        distributed.Client(running) as client,
    ):
        yield running, client


def test_dask_writes_the_same_bytes_as_one_process(cluster, one_process: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    running, _ = cluster
    result = build(DOCUMENTS, dask=running.scheduler_address)
    assert result.report()["timing"]["extracted_by"] == f"dask {running.scheduler_address}"
    write_build(result, tmp_path)
    assert_same_outputs(one_process, tmp_path)


def test_a_dask_rebuild_from_the_cache_writes_the_bytes_of_a_fresh_build(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    running, _ = cluster
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in DOCUMENTS:
        shutil.copy(path, corpus / path.name)
    out = tmp_path / "build"
    write_build(build([corpus], dask=running.scheduler_address, cache_dir=out / CACHE_DIR), out)
    changed = corpus / DOCUMENTS[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n부산시는 새 연구소를 열었다.\n", encoding="utf-8")
    rebuilt = build([corpus], dask=running.scheduler_address, cache_dir=out / CACHE_DIR)
    timing = rebuilt.report()["timing"]
    assert (timing["documents_extracted"], timing["graphs_from_cache"]) == (1, 2)
    write_build(rebuilt, out)
    fresh = tmp_path / "fresh"
    write_build(build([corpus], workers=1), fresh)
    assert_same_outputs(out, fresh)


def test_a_worker_lost_mid_build_costs_a_retry_not_the_build(cluster, one_process: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from distributed.diagnostics.plugin import WorkerPlugin

    class DieWithTheFirstBatch(WorkerPlugin):
        """The first worker to start a batch is killed with it in hand, as a lost machine would
        be. Polling the scheduler for a busy worker instead raced the batches, which can end
        within one poll. A local class: it goes to the workers by value."""

        def __init__(self, claim: Path) -> None:
            self.claim = claim

        def transition(self, key: object, start: str, finish: str, *args: object, **kwargs: object) -> None:
            if finish != "executing" or not str(key).startswith("extract_batch-"):
                return
            try:  # across processes only one worker may claim the death
                claimed = os.open(self.claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.write(claimed, str(os.getpid()).encode())
            os.close(claimed)
            os.kill(os.getpid(), signal.SIGKILL)

    running, client = cluster
    before = set(client.run(os.getpid).values())
    claim = tmp_path / "killed"
    client.register_plugin(DieWithTheFirstBatch(claim), name="die-with-the-first-batch")
    try:
        result = build(DOCUMENTS, dask=running.scheduler_address)
    finally:
        client.unregister_worker_plugin("die-with-the-first-batch")
    killed = int(claim.read_text())
    assert killed in before
    write_build(result, tmp_path / "build")
    assert_same_outputs(one_process, tmp_path / "build")
    client.wait_for_workers(2, timeout=60)
    assert killed not in client.run(os.getpid).values()


def test_an_unreachable_scheduler_is_one_error() -> None:
    import dask

    from kg.errors import KGError

    with (
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        pytest.raises(KGError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"),
    ):
        build(DOCUMENTS[:1], dask="tcp://127.0.0.1:9")
