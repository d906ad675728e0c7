"""The persistent store: a built dataset in an on-disk Oxigraph database, ``oxigraph:DIR``.

For graphs past memory comfort. ``kg build --store oxigraph:DIR`` writes the dataset there
as well as the usual files; ``kg query``, ``kg view`` and ``kg serve`` accept
``oxigraph:DIR`` wherever they take a graph and read it from disk without loading it.

Layout of ``DIR``::

    kg-store.json   marks a kg store: format version, quad and triple counts
    oxigraph/       the Oxigraph (RocksDB) database

The database holds graph.trig's named graphs (one per document, the gazetteer, the
ontology) and, as its default graph, their RDF merge: exactly what ``kg query`` sees when
it loads graph.trig (:func:`kg.query.merge_named_graphs`). Oxigraph's union default graph
is not used because it repeats a fact once per graph stating it, so queries without
``DISTINCT`` would answer differently from the files.

``store_dir(graph) -> Path | None``
    the ``DIR`` of an ``oxigraph:DIR`` argument, else ``None``.
``write_store(dataset, directory) -> StoreInfo``
    a new store from a TriG or N-Quads file, swapped in for an older kg store at ``directory``.
``open_store(directory) -> pyoxigraph.Store``
    the store, read-only (several processes may read it at once); :func:`kg.query.open_store`
    opens it for ``oxigraph:DIR`` and loads anything else into memory.

>>> store_dir("oxigraph:stores/news"), store_dir("build/graph.trig")
(PosixPath('stores/news'), None)
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError

__all__ = [
    "MARKER",
    "SCHEME",
    "StoreInfo",
    "open_store",
    "store_dir",
    "store_option",
    "write_store",
]

SCHEME = "oxigraph:"
MARKER = "kg-store.json"
_DATABASE = "oxigraph"
_FORMAT = "kg-oxigraph-store"
_VERSION = 1


@dataclass(frozen=True)
class StoreInfo:
    """What ``kg-store.json`` says: quads in the named graphs, triples in their merge."""

    quads: int
    triples: int


def store_dir(graph: str | Path) -> Path | None:
    """The folder named by ``oxigraph:DIR``; ``None`` for any other argument (a file or
    build folder). Raises :class:`~kg.errors.InputError` for ``oxigraph:`` with no folder."""
    text = str(graph)
    if not text.startswith(SCHEME):
        return None
    if not text[len(SCHEME) :]:
        raise InputError("oxigraph: needs a folder: write oxigraph:DIR")
    return Path(text[len(SCHEME) :])


def store_option(text: str) -> Path:
    """The folder of ``kg build --store oxigraph:DIR``; InputError for anything else."""
    directory = store_dir(text)
    if directory is None:
        raise InputError(f"--store {text}: write oxigraph:DIR (an on-disk Oxigraph store in folder DIR)")
    _check_replaceable(directory)
    return directory


def _info(directory: Path) -> StoreInfo:
    """The marker's counts; InputError unless ``directory`` is a kg store."""
    if not directory.exists():
        raise InputError(f"{SCHEME}{directory}: no such store; write one with kg build ... --store {SCHEME}{directory}")
    try:
        marker = json.loads((directory / MARKER).read_text(encoding="utf-8"))
        if marker["format"] != _FORMAT or not (directory / _DATABASE).is_dir():
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(f"{SCHEME}{directory}: not a kg store (no valid {MARKER} and {_DATABASE}/)") from None
    if marker.get("version") != _VERSION:
        raise InputError(
            f"{SCHEME}{directory}: kg store version {marker.get('version')!r}, this kg reads version {_VERSION}; "
            "rebuild it with kg build ... --store"
        )
    return StoreInfo(int(marker["quads"]), int(marker["triples"]))


def _check_unlocked(directory: Path) -> None:
    """RocksDB holds a POSIX write lock on ``LOCK`` while a process has the database open
    for writing; reading beside a writer is undefined behaviour, so refuse."""
    lock = directory / _DATABASE / "LOCK"
    if not lock.exists():
        return
    with lock.open("rb") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            raise InputError(
                f"{SCHEME}{directory}: locked: another process has the store open for writing; "
                "try again when it is done"
            ) from None
        fcntl.lockf(handle, fcntl.LOCK_UN)


def _check_replaceable(directory: Path) -> None:
    """Only a kg store that no process is writing may be replaced: never a user's folder."""
    if directory.exists():
        _info(directory)
        _check_unlocked(directory)


def open_store(directory: Path) -> ox.Store:
    """The kg store at ``directory``, read-only. Raises :class:`~kg.errors.InputError` for
    a missing folder, a folder that is not a kg store, or a store locked by a writer."""
    _info(directory)
    _check_unlocked(directory)
    try:
        return ox.Store.read_only(str(directory / _DATABASE))
    except OSError as exc:
        raise InputError(f"{SCHEME}{directory}: cannot open the store: {' '.join(str(exc).split())}") from None


def _count(store: ox.Store, pattern: str) -> int:
    solutions = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    assert isinstance(solutions, ox.QuerySolutions)
    return int(next(iter(solutions))[0].value)


def write_store(dataset: Path, directory: Path) -> StoreInfo:
    """Load ``dataset`` (a build's graph.trig, or N-Quads in a ``.nq`` file) into a new kg
    store at ``directory``.

    The store is written beside ``directory`` and renamed into place, so a failed build
    leaves the old store as it was. An existing ``directory`` is replaced only if it is a
    kg store that no process is writing; anything else raises :class:`~kg.errors.InputError`.
    """
    _check_replaceable(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.parent / f".{directory.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    staging.mkdir()
    try:
        store = ox.Store(str(staging / _DATABASE))
        syntax = ox.RdfFormat.N_QUADS if dataset.suffix == ".nq" else ox.RdfFormat.TRIG
        try:
            store.bulk_load(path=dataset, format=syntax)
        except SyntaxError as exc:
            raise InputError(f"{dataset.name}: {' '.join(str(exc).split())}") from None
        default = ox.DefaultGraph()
        store.bulk_extend(
            ox.Quad(q.subject, q.predicate, q.object, default) for q in ox.parse(path=dataset, format=syntax)
        )
        store.flush()
        info = StoreInfo(_count(store, "GRAPH ?g { ?s ?p ?o }"), _count(store, "?s ?p ?o"))
        del store  # closes the database and releases its lock
        marker = {"format": _FORMAT, "version": _VERSION, "quads": info.quads, "triples": info.triples}
        (staging / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        _swap(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return info


def _swap(staging: Path, directory: Path) -> None:
    if not directory.exists():
        os.rename(staging, directory)
        return
    retired = staging.with_suffix(".old")
    os.rename(directory, retired)
    try:
        os.rename(staging, directory)
    except BaseException:
        with contextlib.suppress(OSError):
            os.rename(retired, directory)
        raise
    shutil.rmtree(retired, ignore_errors=True)
