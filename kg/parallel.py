"""The extract stage over a corpus: in this process, in worker processes, or on a Dask
cluster, with the extraction cache in front (read here; written by the caller once the
build has succeeded, so that a failed build leaves the output folder as it was). The
result is in input order whatever ran it, so every later stage, and every output byte, is
the same for any number of workers.

Documents are read here one at a time and sent in batches (on Dask, one task per document
costs more in scheduling than it gains), at most a few batches ahead of the workers, so
neither the corpus's text nor its morphemes are ever held at once; while the cache is
read, a part-filled batch goes as soon as the workers are idle, so that a rebuild builds
the analyser while this process reads the cache (a 10,000-article rebuild after one
document changed: extract stage 7.3 / 6.8 s when the batch waited for the 9,999 cached
extractions, 4.3 / 4.5 s sent at once). The first document to extract goes alone, at
once; with a cache, every document's key is made first and the documents without an
entry go to the workers before any entry is read, wherever they are in the corpus. What
is kept is each document's :class:`~kg.model.Extraction` (its sentences' text is the
evidence the graph cites). A worker process builds its Korean analyser once, on its first
Korean document (``kg.extract.korean._analyzer``). One worker extracts in this process for fewer than
:data:`IN_PROCESS_DOCUMENTS` documents, in one worker process for more, so that the
analyser's memory is given back before linking, validation and the page.
"""

from __future__ import annotations

import ctypes
import math
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from kg.cache import ExtractionCache
from kg.errors import KGError
from kg.extract import extract
from kg.gazetteer import Gazetteer
from kg.ingest import parse_document, read_bytes
from kg.model import Extraction, ExtractionSummary

__all__ = [
    "DASK_RETRIES",
    "IN_PROCESS_DOCUMENTS",
    "ExtractionRun",
    "default_workers",
    "extract_batch",
    "extract_documents",
]

DASK_RETRIES = 2  # a batch whose worker died is run again this many times before the build fails
_MAX_BATCH = 64  # documents
_BATCHES_PER_WORKER = 4  # enough to even out the workers' loads at the end
_AHEAD = 2  # batches in flight per worker: keeps them busy, bounds the bytes held here
IN_PROCESS_DOCUMENTS = 100  # fewer, and one worker extracts in this process

Batch = list[tuple[str, bytes]]  # (path as given, the file's bytes)


@dataclass(frozen=True)
class ExtractionRun:
    extractions: tuple[Extraction, ...]  # in the order of the paths
    extracted: int  # documents extracted in this run
    cached: int  # documents taken from the cache
    keys: tuple[str, ...]  # the cache keys of the documents (empty without a cache)
    # (key, extraction, its summary) of those extracted now, for the cache
    fresh: tuple[tuple[str, Extraction, ExtractionSummary], ...]
    summaries: tuple[ExtractionSummary, ...]  # what linking reads of each extraction (kg.model), in the same order


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def extract_batch(batch: Batch, gazetteer: Gazetteer) -> list[Extraction]:
    """The task a worker runs: parse and extract each document of ``batch``."""
    # the first equal gazetteer this process saw: the Korean analyser is cached per gazetteer,
    # and a lookup by the same object skips comparing its 500 entries for each document
    gazetteer = _gazetteers.setdefault(gazetteer, gazetteer)
    return [extract(parse_document(data, Path(path)), gazetteer) for path, data in batch]


_gazetteers: dict[Gazetteer, Gazetteer] = {}


_worker_gazetteer: Gazetteer | None = None


def _start_worker(gazetteer: Gazetteer, parent: int) -> None:
    global _worker_gazetteer
    _worker_gazetteer = gazetteer
    _die_with(parent)


def _die_with(parent: int) -> None:
    """End this forked worker when its parent ends, even killed: an orphan would keep the
    descriptors it was forked with, the cache folder's lock among them (Linux; elsewhere
    the pool ends its workers when the parent ends normally)."""
    prctl = getattr(ctypes.CDLL(None), "prctl", None)
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _extract_in_worker(batch: Batch) -> list[Extraction]:
    assert _worker_gazetteer is not None
    return extract_batch(batch, _worker_gazetteer)


Submit = Callable[[Batch], Any]  # returns a future: concurrent.futures or distributed


@contextmanager
def _local(workers: int, gazetteer: Gazetteer, documents: int) -> Iterator[tuple[Submit, int]]:
    workers = max(workers, 1)
    if workers == 1 and documents < IN_PROCESS_DOCUMENTS:

        def run_here(batch: Batch) -> Future[list[Extraction]]:
            future: Future[list[Extraction]] = Future()
            future.set_result(extract_batch(batch, gazetteer))
            return future

        yield run_here, 1
        return
    # from IN_PROCESS_DOCUMENTS on, one worker is a process too: the Korean analyser's
    # ~0.5 GB then leaves with it instead of staying for the later stages
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(gazetteer, os.getpid())) as pool:
        # start the workers now, while this process is small: forked later, after the
        # cache's extractions were read back, each would hold them as its own resident pages
        pool.submit(int).result()
        try:
            yield (lambda batch: pool.submit(_extract_in_worker, batch)), workers
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


@contextmanager
def _dask(address: str, gazetteer: Gazetteer) -> Iterator[tuple[Submit, int]]:
    try:
        from distributed import Client
    except ImportError:
        raise KGError("--dask needs the dask extra: pip install 'kg[dask]'") from None
    try:
        # waits as long as dask's distributed.comm.timeouts.connect (30 s unless configured)
        client = Client(address)
    except (OSError, TimeoutError, ValueError) as error:
        raise KGError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    with client:
        threads = sum(client.nthreads().values()) or 1

        def submit(batch: Batch) -> Any:
            # the gazetteer (~50 kB pickled) goes with every batch: scattered once instead, it
            # was lost with the worker that held it (the scheduler keeps few copies of scattered
            # data), and a batch whose result died with that worker could not run again
            return client.submit(extract_batch, batch, gazetteer, retries=DASK_RETRIES, pure=False)

        yield submit, threads


def extract_documents(
    paths: Sequence[Path],
    gazetteer: Gazetteer,
    *,
    workers: int = 1,
    dask: str | None = None,
    cache: ExtractionCache | None = None,
    progress: bool = False,
) -> ExtractionRun:
    """Extract every document of ``paths`` (see the module's description)."""
    results: list[Extraction | None] = [None] * len(paths)
    summaries: list[ExtractionSummary | None] = [None] * len(paths)
    keys: list[str] = []
    fresh: list[tuple[str, Extraction, ExtractionSummary]] = []
    cached = 0
    executor = _dask(dask, gazetteer) if dask else _local(workers, gazetteer, len(paths))
    with (
        executor as (submit, parallel),
        tqdm(total=len(paths), desc="extracting", unit="doc", disable=not progress) as bar,
    ):
        size = max(1, min(_MAX_BATCH, math.ceil(len(paths) / (parallel * _BATCHES_PER_WORKER))))
        in_flight: deque[tuple[list[int], Any]] = deque()

        def collect() -> None:
            indexes, future = in_flight.popleft()
            for index, extraction in zip(indexes, future.result(), strict=True):
                results[index] = extraction
                summaries[index] = summary = ExtractionSummary.of(extraction)
                if cache is not None:
                    fresh.append((keys[index], extraction, summary))
            bar.update(len(indexes))

        batch: Batch = []
        indexes: list[int] = []

        def send() -> None:
            in_flight.append((indexes.copy(), submit(batch.copy())))
            batch.clear()
            indexes.clear()
            while len(in_flight) > _AHEAD * parallel:
                collect()

        def extract(index: int, data: bytes) -> None:
            batch.append((str(paths[index]), data))
            indexes.append(index)
            if len(batch) == size:
                send()

        stored: list[int] = []  # the documents whose extraction the cache has an entry for
        for index, path in enumerate(paths):
            data = read_bytes(path)
            if cache is not None:
                keys.append(cache.key(path.name, data))
                if cache.has(keys[-1]):
                    stored.append(index)
                    continue
            extract(index, data)
            if batch and not in_flight:
                # the first document goes at once: the workers build their analyser (~2.7 s)
                # while this process reads on (a rebuild: makes the other keys, reads the cache)
                send()
        if batch and stored:
            send()
        for index in stored:
            assert cache is not None
            hit = cache.get(keys[index])
            if hit is None:  # damaged: extracted again, under the key of what is read now
                data = read_bytes(paths[index])
                keys[index] = cache.key(paths[index].name, data)
                extract(index, data)
                continue
            results[index], summaries[index] = hit, hit.summary
            cached += 1
            bar.update(1)
            if batch and all(future.done() for _indexes, future in in_flight):
                send()  # the workers are idle
        if batch:
            send()
        while in_flight:
            collect()
    extractions = tuple(e for e in results if e is not None)
    summarised = tuple(s for s in summaries if s is not None)
    assert len(extractions) == len(summarised) == len(paths)
    return ExtractionRun(extractions, len(paths) - cached, cached, tuple(keys), tuple(fresh), summarised)
