"""The extraction cache: one file per document in the build folder, so that a rebuild
re-extracts only the documents that changed; beside it each document's named graph and
its evidence line as the graph stage wrote them (:class:`GraphCache`), so that a rebuild
writes again only the graphs whose inputs changed; graph.trig as the last build wrote it,
with where each graph is in it (:class:`TrigBlocks`), so that a rebuild serialises only
the graphs that changed; the hashes of the validation units the last build's check
passed (:class:`PassedUnits`), so that it checks only the others; and what that check
read of each document graph (:class:`GraphReadings`), so that it reads again only the
graphs whose text changed.

An entry's key hashes the document's file name and bytes with the versions of everything
its extraction depends on: kg's extraction source, the gazetteer file, the ontology files,
kiwipiepy and Python. A change to any of them gives new keys, so an old entry is never
read for a new build. An entry that cannot be read back (truncated, corrupt, written by
another format) is a miss and is written again. Entries are written once a build has
succeeded, so a failed build leaves the output folder as it was; only the entries of the
last successful build are kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
import zlib
from collections import deque
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from kg.export import TrigBlock
from kg.model import Extraction
from kg.ns import ONTOLOGY_PATH
from kg.validate import GraphReading

__all__ = [
    "CACHE_DIR",
    "ExtractionCache",
    "GraphCache",
    "GraphReadings",
    "PassedUnits",
    "TrigBlocks",
    "fingerprint",
    "graph_fingerprint",
]

CACHE_DIR = ".kg-cache"  # inside the build folder
_FORMAT = b"kg-extraction-cache 1\n"
_SUFFIX = ".pickle"
_GRAPH_PACK, _GRAPH_INDEX = "graphs.pack", "graphs.index"
_GRAPH_FORMAT = b"kg-graph-cache 2\n"
_COMPRESSING = 8  # graphs handed to the compressing thread and not yet in the pack, at most
_TRIG_FILE, _TRIG_INDEX = "graph.trig", "graph.trig.index"
_TRIG_FORMAT = b"kg-trig-blocks 1\n"
_PASSED_FILE = "passed-units"
_PASSED_FORMAT = b"kg-passed-units 1\n"
_READINGS_FILE = "graph-readings"
_READINGS_FORMAT = b"kg-graph-readings 1\n"
_KG = Path(__file__).resolve().parent
# what a document's Extraction is computed from, besides the document and the gazetteer
_SOURCES = ("extract/*.py", "ingest.py", "model.py", "gazetteer.py", "ontology.py", "script.py", "ns.py")
# what a document's named graph is written from, besides its extraction and its entities
_GRAPH_SOURCES = ("graph.py", "export.py", "model.py", "ontology.py", "ns.py")


def _files(folder: Path, patterns: Iterable[str]) -> list[Path]:
    return sorted(p for pattern in patterns for p in folder.glob(pattern))


def fingerprint(gazetteer_path: Path) -> str:
    """The versions an extraction depends on, as one hash."""
    digest = hashlib.sha256(_FORMAT)
    sources = [*_files(_KG, _SOURCES), Path(gazetteer_path), *_files(ONTOLOGY_PATH.parent, ["*.ttl"])]
    for path in sources:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    digest.update(f"kiwipiepy {metadata.version('kiwipiepy')} python {sys.version_info[:2]}".encode())
    return digest.hexdigest()


def graph_fingerprint() -> str:
    """The versions the text of a document's named graph depends on, as one hash: kg's
    graph-writing source, the ontology files (which statements the ontology accepts),
    pyoxigraph (which writes the literals), rdflib (which makes the IRIs) and Python."""
    digest = hashlib.sha256(_GRAPH_FORMAT)
    for path in [*_files(_KG, _GRAPH_SOURCES), *_files(ONTOLOGY_PATH.parent, ["*.ttl"])]:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    versions = " ".join(f"{package} {metadata.version(package)}" for package in ("pyoxigraph", "rdflib"))
    digest.update(f"{versions} python {sys.version_info[:2]}".encode())
    return digest.hexdigest()


class ExtractionCache:
    """Extractions on disk under ``folder``, addressed by :meth:`key`."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = Path(folder)
        self._fingerprint = fingerprint

    def key(self, name: str, data: bytes) -> str:
        """The key of the document called ``name`` whose file holds ``data``."""
        digest = hashlib.sha256(self._fingerprint.encode("ascii"))
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{_SUFFIX}"

    def get(self, key: str) -> Extraction | None:
        """The cached extraction, or None when it is missing or unreadable."""
        body = _opened(self._path(key), _FORMAT + key.encode("ascii") + b"\n")
        if body is None:
            return None
        try:
            value = pickle.loads(body)
        except Exception:  # an entry from a kg whose classes have changed shape
            return None
        return value if isinstance(value, Extraction) else None

    def put(self, key: str, extraction: Extraction) -> None:
        """Store atomically: a reader sees the whole entry or none. Entries are not fsynced;
        one lost in a crash is only a miss."""
        body = pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL)
        _write_atomically(self._path(key), _sealed(_FORMAT + key.encode("ascii") + b"\n", body))

    def update(self, entries: Iterable[tuple[str, Extraction]], keep: Iterable[str]) -> None:
        """Store ``entries``, then delete every entry whose key is not in ``keep``."""
        for key, extraction in entries:
            self.put(key, extraction)
        self.keep_only(keep)

    def keep_only(self, keys: Iterable[str]) -> None:
        """Delete every entry (and stray temporary file) but those of ``keys``."""
        wanted = {f"{key}{_SUFFIX}" for key in keys}
        if not self.folder.is_dir():
            return
        for folder in self.folder.iterdir():
            if not folder.is_dir():
                continue
            for entry in folder.iterdir():
                if entry.name not in wanted:
                    entry.unlink(missing_ok=True)
            if not any(folder.iterdir()):
                folder.rmdir()


class GraphCache:
    """The text of documents' named graphs, as the last successful build wrote them, in
    ``folder``: each graph's statements (sorted N-Triples lines), those of them that the
    knowledge graph holds and its line of the evidence file (kg.graph), compressed (zlib
    level 1: 10,000 articles' graphs take 89 MB instead of 784 MB), one after another in
    one pack file with an index beside it. An entry is addressed by a key that
    :mod:`kg.graph` makes of everything the graph is written from, with the versions of
    :func:`graph_fingerprint`.

    A build writes a new pack in ``staging`` (its own temporary folder): the entries it
    reuses, copied as they are, and the graphs it wrote, compressed in a thread of their
    own (zlib lets go of the GIL, so compressing overlaps the writing of the next graphs).
    :meth:`commit` puts the new pack in place once the build has succeeded; it holds this
    build's graphs only, so a removed or changed document's old graph leaves the cache with
    it. Use as a context manager: leaving it closes the files."""

    def __init__(self, folder: Path, staging: Path) -> None:
        self.pack, self.index = Path(folder) / _GRAPH_PACK, Path(folder) / _GRAPH_INDEX
        self.staging = Path(staging)
        self._fingerprint = graph_fingerprint()
        self._entries = self._read_index()
        self._old: BinaryIO | None = None
        self._new: BinaryIO | None = None
        self._written: list[tuple[str, int, int, bytes]] = []  # the new pack's index
        self._compressing: deque[tuple[str, Future[bytes]]] = deque()
        self._compressor: ThreadPoolExecutor | None = None
        self._closed = False
        self.reused = 0  # graphs given back by reuse()

    def __enter__(self) -> GraphCache:
        return self

    def __exit__(self, kind: type[BaseException] | None, *details: object) -> None:
        if kind is None:
            self.close()
        else:  # the build has failed: nothing staged will be committed
            self._release()

    def _name(self, key: str) -> str:
        return hashlib.sha256(f"{self._fingerprint}\0{key}".encode("ascii")).hexdigest()

    def _read_index(self) -> dict[str, tuple[int, int, bytes]]:
        body = _opened(self.index, _GRAPH_FORMAT)
        if body is None:
            return {}
        entries = {}
        for line in body.decode("ascii").splitlines():
            name, offset, length, digest = line.split()
            entries[name] = (int(offset), int(length), bytes.fromhex(digest))
        return entries

    def reuse(self, key: str) -> tuple[bytes, ...] | None:
        """The texts :meth:`add` was given under ``key``, carried over into the new pack;
        None when the entry is missing or unreadable."""
        name = self._name(key)
        entry = self._entries.get(name)
        if entry is None:
            return None
        offset, length, digest = entry
        try:
            if self._old is None:
                self._old = self.pack.open("rb")
            self._old.seek(offset)
            body = self._old.read(length)
        except OSError:
            return None
        if hashlib.sha256(body).digest() != digest:
            return None
        text = zlib.decompress(body)  # whole: kg wrote it, as the digests in its index say
        self._append(name, body, digest)
        self.reused += 1
        return tuple(text.split(b"\0"))

    def add(self, key: str, *texts: bytes) -> None:
        """A graph written in this build, as ``texts`` (its statements, knowledge
        statements and evidence line, none with a NUL byte), for the new pack."""
        if self._compressor is None:
            self._compressor = ThreadPoolExecutor(1, thread_name_prefix="kg-graph-cache")
        self._compressing.append((self._name(key), self._compressor.submit(zlib.compress, b"\0".join(texts), 1)))
        while len(self._compressing) > _COMPRESSING or (self._compressing and self._compressing[0][1].done()):
            name, compressed = self._compressing.popleft()
            self._append(name, compressed.result())

    def _append(self, name: str, body: bytes, digest: bytes | None = None) -> None:
        """``body`` into the new pack; ``digest``, its SHA-256, when already known."""
        if self._new is None:
            self.staging.mkdir(parents=True, exist_ok=True)
            self._new = (self.staging / _GRAPH_PACK).open("wb")
        self._written.append((name, self._new.tell(), len(body), digest or hashlib.sha256(body).digest()))
        self._new.write(body)

    def close(self) -> None:
        """Finish the new pack and its index in ``staging``; once, later calls do nothing."""
        if self._closed:
            return
        try:
            while self._compressing:
                name, compressed = self._compressing.popleft()
                self._append(name, compressed.result())
        finally:
            self._release()
        self.staging.mkdir(parents=True, exist_ok=True)
        (self.staging / _GRAPH_PACK).touch()  # empty when no graph was written
        body = "".join(f"{name} {offset} {length} {digest.hex()}\n" for name, offset, length, digest in self._written)
        index = body.encode("ascii")
        (self.staging / _GRAPH_INDEX).write_bytes(_sealed(_GRAPH_FORMAT, index))

    def _release(self) -> None:
        self._closed = True
        if self._compressor is not None:
            self._compressor.shutdown(cancel_futures=True)
        for stream in (self._old, self._new):
            if stream is not None:
                stream.close()

    def commit(self) -> None:
        """Put the new pack and its index in place of the old ones, the pack first: an old
        index over a new pack gives only misses, since each entry's digest is checked."""
        self.close()
        for name, target in ((_GRAPH_PACK, self.pack), (_GRAPH_INDEX, self.index)):
            staged = self.staging / name
            _write_atomically(target, staged)
            staged.unlink()  # 89 MB at 10,000 articles, else kept as long as the build


class TrigBlocks:
    """graph.trig as the last successful build wrote it, in ``folder``, with an index of
    where each named graph's block is in it (kg.export.write_trig): a rebuild takes the
    block of every graph whose key (kg.graph: what the graph's text is made from) is in
    the index, with the versions of :func:`graph_fingerprint` (the serialiser's among
    them), and serialises only the others. The file is a hard link to the graph.trig the
    build wrote into its output folder, so it takes no room of its own until that file
    is replaced, or a copy where a link cannot be made. A block whose SHA-256 is not the
    index's (the file was changed in place) is a miss. Use as a context manager: leaving
    it closes the file."""

    def __init__(self, folder: Path) -> None:
        self.path, self.index = Path(folder) / _TRIG_FILE, Path(folder) / _TRIG_INDEX
        self._fingerprint = graph_fingerprint()
        self._entries: dict[str, TrigBlock] | None = None
        self._file: BinaryIO | None = None

    def __enter__(self) -> TrigBlocks:
        return self

    def __exit__(self, *details: object) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _name(self, key: str) -> str:
        return hashlib.sha256(f"{self._fingerprint}\0{key}".encode()).hexdigest()

    def _read_index(self) -> dict[str, TrigBlock]:
        body = _opened(self.index, _TRIG_FORMAT)
        if body is None:
            return {}
        blocks = (TrigBlock.of(line) for line in body.decode("ascii").splitlines())
        return {block.key: block for block in blocks}

    def reuse(self, key: str) -> bytes | None:
        """The block of the graph whose key is ``key``, as the last build wrote it; None
        when the index does not have it or the file no longer holds it."""
        if self._entries is None:
            self._entries = self._read_index()
        entry = self._entries.get(self._name(key))
        if entry is None:
            return None
        try:
            if self._file is None:
                self._file = self.path.open("rb")
            self._file.seek(entry.offset)
            block = self._file.read(entry.length)
        except OSError:
            return None
        return block if hashlib.sha256(block).digest() == entry.digest else None

    def commit(self, written: Path, blocks: Iterable[TrigBlock]) -> None:
        """Keep the graph.trig at ``written``, whose graphs' blocks are ``blocks``, for the
        next build: the file first, then its index (an old index over a new file gives
        only misses)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        linked = self.path.with_name(f".{_TRIG_FILE}.link")
        linked.unlink(missing_ok=True)
        try:
            os.link(written, linked)
            os.replace(linked, self.path)
        except OSError:  # no hard links here (another file system, a FAT drive): a copy
            linked.unlink(missing_ok=True)
            _write_atomically(self.path, written)
        body = "".join(TrigBlock(self._name(b.key), b.offset, b.length, b.digest).line() for b in blocks)
        index = body.encode("ascii")
        _write_atomically(self.index, _sealed(_TRIG_FORMAT, index))


class PassedUnits:
    """The hashes of the validation units (:mod:`kg.validate`) that the last successful
    build's check passed, one file in the cache ``folder``. A hash covers everything the
    unit's check reads, the shapes, the ontology, the validator's source, its libraries'
    and Python's versions included, so a hash found here is a unit known to pass whatever
    build it came from."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / _PASSED_FILE

    def get(self) -> frozenset[str]:
        """The hashes; none when the file is missing or damaged."""
        body = _opened(self.path, _PASSED_FORMAT)
        return frozenset() if body is None else frozenset(body.decode("ascii").split())

    def put(self, hashes: Iterable[str]) -> None:
        """Replace the hashes with ``hashes``, atomically."""
        body = "".join(f"{digest}\n" for digest in sorted(set(hashes))).encode("ascii")
        _write_atomically(self.path, _sealed(_PASSED_FORMAT, body))


class GraphReadings:
    """What the last successful build's validation read of each document graph's statements
    (kg.validate.GraphReading, by the hash of the graph's text and the validator's
    version), one file in the cache ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / _READINGS_FILE

    def get(self) -> dict[str, GraphReading]:
        """The readings; none when the file is missing, damaged or of another kg."""
        body = _opened(self.path, _READINGS_FORMAT)
        if body is None:
            return {}
        try:
            readings = pickle.loads(body)
        except Exception:  # written by a kg whose GraphReading had another shape
            return {}
        if not isinstance(readings, dict) or not all(isinstance(r, GraphReading) for r in readings.values()):
            return {}
        return readings

    def put(self, readings: Mapping[str, GraphReading]) -> None:
        """Replace the readings with ``readings``, atomically."""
        body = pickle.dumps(dict(sorted(readings.items())), protocol=pickle.HIGHEST_PROTOCOL)
        _write_atomically(self.path, _sealed(_READINGS_FORMAT, body))


def _sealed(header: bytes, body: bytes) -> bytes:
    """A cache file's bytes: ``header``, the SHA-256 of ``body``, ``body``."""
    return header + hashlib.sha256(body).digest() + body


def _opened(path: Path, header: bytes) -> bytes | None:
    """The body of a file :func:`_sealed` made with ``header``; None when the file is
    missing, has another header (another format) or its body is not what its digest says."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    body = raw[len(header) + 32 :]
    if not raw.startswith(header) or raw[len(header) : len(header) + 32] != hashlib.sha256(body).digest():
        return None
    return body


def _write_atomically(path: Path, payload: bytes | Path) -> None:
    """``payload``, or the file at that path, written to ``path``: a reader sees the whole
    file or none. Not fsynced: a file lost in a crash is only work to do again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(payload, Path):
                with payload.open("rb") as source:
                    shutil.copyfileobj(source, stream, 1 << 20)
            else:
                stream.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
