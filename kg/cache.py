"""The extraction cache: one file per document in the build folder, so that a rebuild
re-extracts only the documents that changed; beside it the graph stage's files with
where each named graph's text is in them (:class:`GraphFiles`), so that a rebuild writes
again only the graphs whose inputs changed; graph.trig as the last build wrote it,
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

One build at a time holds the folder (:class:`CacheLock`): a second build into the same
output folder meanwhile stops with an error instead of copying from files the first one
is replacing.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import re
import shutil
import struct
import sys
import tempfile
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from kg.errors import KGError
from kg.export import TrigBlock
from kg.model import Extraction, ExtractionSummary, Mention, Sentence, Statement
from kg.ns import ONTOLOGY_PATH
from kg.validate import GraphReading

__all__ = [
    "BUILD_FOLDER_PREFIX",
    "CACHE_DIR",
    "CacheLock",
    "CachedExtraction",
    "ExtractionCache",
    "GraphFiles",
    "GraphPiece",
    "GraphReadings",
    "PageLayouts",
    "PassedUnits",
    "SerializedFiles",
    "TrigBlocks",
    "fingerprint",
    "graph_fingerprint",
]

CACHE_DIR = ".kg-cache"  # inside the build folder
BUILD_FOLDER_PREFIX = "kg-build-"  # a build's working folder, in the cache folder when there is one
_LOCK_FILE = "lock"
# the graph cache of kg before GraphFiles; the graph readings before they were kept by shard
_RETIRED = ("graphs.pack", "graphs.index", "graph-readings")
_FORMAT = b"kg-extraction-cache 2\n"
_LENGTH = struct.Struct(">Q")  # an entry's body: the summary's length, the summary, the extraction (pickles)
_SUFFIX = ".pickle"
_SHARD = re.compile(r"[0-9a-f]{2}")  # the extraction cache's folders, by the keys' first two digits
_GRAPH_FILES_DIR, _GRAPH_FILES_INDEX = "graph-files", "graph-files.index"
_GRAPH_FILES_FORMAT = b"kg-graph-files 2\n"
_GRAPH_FILES_OLD = ".graph-files-old-"  # the last build's graph files, being removed
_TRIG_FILE, _TRIG_INDEX = "graph.trig", "graph.trig.index"
_TRIG_FORMAT = b"kg-trig-blocks 1\n"
_SERIALIZED_INDEX = "serialized.index"
_SERIALIZED_FORMAT = b"kg-serialized 1\n"
_SERIALIZED_SOURCES = ("export.py", "ns.py")  # what writes graph.ttl and graph.jsonld, with pyoxigraph
_PASSED_FILE = "passed-units"
_PASSED_FORMAT = b"kg-passed-units 1\n"
_LAYOUT_FILE = "page-layout"
_LAYOUT_FORMAT = b"kg-page-layout 1\n"
_READINGS_DIR = "graph-readings.d"
_READINGS_FORMAT = b"kg-graph-readings 2\n"
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
    digest = hashlib.sha256(_GRAPH_FILES_FORMAT)
    for path in [*_files(_KG, _GRAPH_SOURCES), *_files(ONTOLOGY_PATH.parent, ["*.ttl"])]:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    versions = " ".join(f"{package} {metadata.version(package)}" for package in ("pyoxigraph", "rdflib"))
    digest.update(f"{versions} python {sys.version_info[:2]}".encode())
    return digest.hexdigest()


class CacheLock:
    """A build's hold on the cache ``folder`` (made if missing), from the start of
    kg.pipeline.build to the end of kg.pipeline.write_build; raises KGError when another
    build holds it. Once held, what builds left behind is removed in a thread: the working
    folders that no live build holds (:func:`hold`; a killed build's is 1.5 GB at 10,000
    articles), the graph files a build put aside, the files of an older kg's graph cache.
    Let go of by :meth:`release`, or when the lock is collected."""

    def __init__(self, folder: Path) -> None:
        # the outermost folder made here, so that a first build that fails leaves none
        self.created = next((path for path in [*reversed(folder.parents), folder] if not path.exists()), None)
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        stream = (folder / _LOCK_FILE).open("ab")
        try:
            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            stream.close()
            if isinstance(error, BlockingIOError):  # what it made, the other build uses
                here = " (a Build of this process not written yet)" if folder.resolve() in _HELD_HERE else ""
                raise KGError(
                    f"another kg build is using {folder}{here}; wait for it to end, or build into another folder"
                ) from None
            self._forget_created()
            raise KGError(f"cannot lock {folder}: {error.strerror}; build with --no-cache") from None
        _HELD_HERE.add(folder.resolve())
        self._release = weakref.finalize(self, _let_go, stream, folder.resolve())
        left = [path for path in folder.glob(f"{BUILD_FOLDER_PREFIX}*") if not _held(path)]
        left += folder.glob(f"{_GRAPH_FILES_OLD}*")
        left += [folder / name for name in _RETIRED if (folder / name).exists()]
        if left:
            threading.Thread(target=_remove, args=(left,), name="kg-cache-leftovers").start()

    @property
    def held(self) -> bool:
        return self._release.alive

    def release(self, failed: bool = False) -> None:
        """Let another build have the folder; with ``failed``, remove the folders made for
        it. Nothing once released."""
        if not self._release.alive:
            return
        if failed:
            self._forget_created()
        self._release()

    def _forget_created(self) -> None:
        if self.created is not None:
            shutil.rmtree(self.created, ignore_errors=True)


_HELD_HERE: set[Path] = set()  # the cache folders this process's builds hold


def _let_go(stream: BinaryIO, folder: Path) -> None:
    _HELD_HERE.discard(folder)
    stream.close()


def hold(working: tempfile.TemporaryDirectory[str]) -> Callable[[], None]:
    """Mark a build's working folder in the cache folder as in use while ``working`` lives
    (a Build keeps it for its files), so that :class:`CacheLock` leaves it; returns what
    lets go of it sooner."""
    stream = (Path(working.name) / _LOCK_FILE).open("ab")
    fcntl.flock(stream.fileno(), fcntl.LOCK_EX)
    return weakref.finalize(working, stream.close)


def _held(working: Path) -> bool:
    try:
        with (working / _LOCK_FILE).open("rb") as stream:
            fcntl.flock(stream.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:  # killed before it held the folder
        return False
    return False


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

    def _header(self, key: str) -> bytes:
        return _FORMAT + key.encode("ascii") + b"\n"

    def has(self, key: str) -> bool:
        """Whether there is an entry under ``key`` (it may still be unreadable: :meth:`get`)."""
        return self._path(key).is_file()

    def get(self, key: str) -> CachedExtraction | None:
        """The cached extraction, or None when it is missing or unreadable. Only its summary
        is read now (:class:`CachedExtraction`)."""
        body = _opened(self._path(key), self._header(key))
        if body is None:
            return None
        try:
            summary = pickle.loads(body[_LENGTH.size : _LENGTH.size + _LENGTH.unpack_from(body)[0]])
        except Exception:  # an entry from a kg whose classes have changed shape
            return None
        if not isinstance(summary, ExtractionSummary):
            return None
        return CachedExtraction(summary, self._path(key), self._header(key))

    def put(self, key: str, extraction: Extraction, summary: ExtractionSummary | None = None) -> None:
        """Store ``extraction`` with its summary (made here when not given) atomically: a
        reader sees the whole entry or none. Entries are not fsynced; one lost in a crash
        is only a miss."""
        summarised = pickle.dumps(summary or ExtractionSummary.of(extraction), protocol=pickle.HIGHEST_PROTOCOL)
        whole = pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL)
        body = _LENGTH.pack(len(summarised)) + summarised + whole
        _write_atomically(self._path(key), _sealed(self._header(key), body))

    def update(self, entries: Iterable[tuple[str, Extraction, ExtractionSummary]], keep: Iterable[str]) -> None:
        """Store ``entries`` (key, extraction, its summary), then delete every entry whose key
        is not in ``keep``."""
        for key, extraction, summary in entries:
            self.put(key, extraction, summary)
        self.keep_only(keep)

    def keep_only(self, keys: Iterable[str]) -> None:
        """Delete every entry (and stray temporary file) but those of ``keys``."""
        wanted = {f"{key}{_SUFFIX}" for key in keys}
        if not self.folder.is_dir():
            return
        for folder in self.folder.iterdir():
            if not folder.is_dir() or not _SHARD.fullmatch(folder.name):
                continue  # the other caches' folders, a build's working folder
            for entry in folder.iterdir():
                if entry.name not in wanted:
                    entry.unlink(missing_ok=True)
            if not any(folder.iterdir()):
                folder.rmdir()


class CachedExtraction(Extraction):
    """An extraction taken from the cache: its summary (kg.model.ExtractionSummary) is read
    with the entry, its sentences, mentions and statements only when first asked for, from
    the entry again. A rebuild links by the summaries and writes again only the graphs of
    the documents that changed, so the other extractions are never read whole (10,000
    articles: 0.9 s to read the summaries against 2.1 s the extractions). Equal to the
    extraction it was stored from."""

    __slots__ = ("_entry", "_header", "_whole", "summary")
    summary: ExtractionSummary
    _entry: Path
    _header: bytes
    _whole: Extraction | None

    def __init__(self, summary: ExtractionSummary, entry: Path, header: bytes) -> None:
        values = {"document": summary.document, "summary": summary, "_entry": entry, "_header": header, "_whole": None}
        for name, value in values.items():
            object.__setattr__(self, name, value)  # a frozen dataclass's way

    def _read(self) -> Extraction:
        if self._whole is not None:
            return self._whole
        body = _opened(self._entry, self._header)
        try:
            whole = None if body is None else pickle.loads(body[_LENGTH.size + _LENGTH.unpack_from(body)[0] :])
        except Exception:
            whole = None
        if not isinstance(whole, Extraction):
            self._entry.unlink(missing_ok=True)  # the next build extracts the document again
            raise KGError(f"the cache entry {self._entry.name} changed while the build read it: build again")
        object.__setattr__(self, "_whole", whole)
        return whole

    # properties over the dataclass's fields, which mypy does not allow: what makes them lazy
    @property  # type: ignore[misc]
    def sentences(self) -> tuple[Sentence, ...]:
        return self._read().sentences

    @property  # type: ignore[misc]
    def mentions(self) -> tuple[Mention, ...]:
        return self._read().mentions

    @property  # type: ignore[misc]
    def statements(self) -> tuple[Statement, ...]:
        return self._read().statements

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Extraction):
            return NotImplemented
        mine = (self.document, self.sentences, self.mentions, self.statements)
        return mine == (other.document, other.sentences, other.mentions, other.statements)

    __hash__ = Extraction.__hash__


@dataclass(frozen=True)
class GraphPiece:
    """Where one named graph's text is in each of the graph stage's files that hold every
    graph's text one after another (kg.graph: the dataset, the provenance file, the
    evidence file, the knowledge statements by graph): ``spans[i]`` is (offset, length) in
    the ``i``-th of them; with its numbers of quads, of assertions and of the extracted
    statements left out of it (kg.graph.Graphs). ``key`` is the graph's key (kg.graph:
    what its text is made from)."""

    key: str
    spans: tuple[tuple[int, int], ...]
    quads: int
    assertions: int
    rejected: int

    def line(self) -> str:
        spans = " ".join(f"{offset} {length}" for offset, length in self.spans)
        return f"{self.key} {self.quads} {self.assertions} {self.rejected} {spans}\n"

    @classmethod
    def of(cls, line: str) -> GraphPiece:
        key, quads, assertions, rejected, *numbers = line.split()
        values = [int(n) for n in numbers]
        spans = tuple(zip(values[::2], values[1::2], strict=True))
        return cls(key, spans, int(quads), int(assertions), int(rejected))


class GraphFiles:
    """The graph stage's files as the last successful build wrote them (kg.graph), hard
    links in ``folder`` (a copy where links cannot be made), with an index: each file's
    size and modification time, and each graph's :class:`GraphPiece` under a hash of its
    key with the versions of :func:`graph_fingerprint`. A rebuild copies the text of
    every graph whose key is in the index from these files, in runs of consecutive
    graphs, instead of writing it again (10,000 articles: 770 MB of dataset, 470 MB of
    provenance, 62 MB of evidence, 127 MB of knowledge statements), and updates the
    knowledge graph from the last one's with only the statements of the graphs that changed.

    The files are kg's own: written once by a build, then only read. A file whose size or
    modification time is not the index's was changed since, and makes every graph a miss;
    the index itself is checked by its digest. ``names`` are the files, the ones that hold
    every graph's text first (:attr:`GraphPiece.spans`)."""

    def __init__(self, folder: Path, names: Iterable[str]) -> None:
        self.folder = Path(folder) / _GRAPH_FILES_DIR
        self.index = Path(folder) / _GRAPH_FILES_INDEX
        self.names = tuple(names)
        self._fingerprint = graph_fingerprint()
        self.pieces: list[GraphPiece] = []  # this build's graphs, as the graph stage adds them

    def key(self, key: str) -> str:
        """The index's key of a graph whose key is ``key``."""
        return hashlib.sha256(f"{self._fingerprint}\0{key}".encode()).hexdigest()

    def path(self, name: str) -> Path:
        return self.folder / name

    def previous(self) -> dict[str, GraphPiece]:
        """The last build's graphs by index key; none when the index is missing, damaged or
        of other files, or a file is not as the index says."""
        body = _opened(self.index, _GRAPH_FILES_FORMAT)
        if body is None:
            return {}
        lines = body.decode("ascii").splitlines()
        stats, rest = lines[: len(self.names)], lines[len(self.names) :]
        if stats != [_stat(self.path(name)) for name in self.names]:
            return {}
        pieces = (GraphPiece.of(line) for line in rest)
        return {piece.key: piece for piece in pieces}

    def commit(self, written: Path) -> None:
        """Keep the files of the folder ``written`` and the graphs in :attr:`pieces` (their
        keys as given, hashed here) for the next build: the old index goes first, so a
        crash in between leaves only misses."""
        self.index.unlink(missing_ok=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        old = Path(tempfile.mkdtemp(prefix=_GRAPH_FILES_OLD, dir=self.folder.parent))
        for name in self.names:
            if self.path(name).exists():
                os.replace(self.path(name), old / name)
            _link(written / name, self.path(name))
        pieces = (replace(piece, key=self.key(piece.key)).line() for piece in self.pieces)
        body = "".join([*(f"{_stat(self.path(name))}\n" for name in self.names), *pieces])
        _write_atomically(self.index, _sealed(_GRAPH_FILES_FORMAT, body.encode("ascii")))
        # freeing the last build's 1.4 GB (10,000 articles) took 1 s: done while the build
        # writes its outputs; the process ends when it is done
        threading.Thread(target=_remove, args=([old],), name="kg-old-graph-files").start()


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

    def kept(self) -> bool:
        """Whether a last build's graph.trig is kept here (its blocks may still all miss)."""
        return self.index.is_file() and self.path.is_file()

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
        _link(written, self.path)
        body = "".join(TrigBlock(self._name(b.key), b.offset, b.length, b.digest).line() for b in blocks)
        index = body.encode("ascii")
        _write_atomically(self.index, _sealed(_TRIG_FORMAT, index))


class SerializedFiles:
    """Files serialised from the knowledge graph (graph.ttl and graph.jsonld: ``names``) as
    the last successful build wrote them, hard links in ``folder`` like graph.trig's, with
    an index of what they were made from: the graph files' knowledge graph (its size and
    modification time), kg's serialising code and pyoxigraph, and of the files themselves
    (changed in place since: not used). A rebuild whose knowledge graph was updated from
    that same file splices them (kg.export.splice_subjects) instead of serialising the
    whole graph again (10,000 articles: 1.4 s)."""

    def __init__(self, folder: Path, names: Iterable[str]) -> None:
        self.folder = Path(folder)
        self.names = tuple(names)
        self.index = self.folder / _SERIALIZED_INDEX

    def _lines(self, knowledge: Path) -> list[str]:
        digest = hashlib.sha256(f"pyoxigraph {metadata.version('pyoxigraph')}".encode())
        for path in _files(_KG, _SERIALIZED_SOURCES):
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
        return [digest.hexdigest(), _stat(knowledge), *(_stat(self.folder / name) for name in self.names)]

    def kept(self, knowledge: Path) -> dict[str, Path]:
        """The kept files by name, when they were made from the knowledge graph ``knowledge``
        as it is now; else none."""
        body = _opened(self.index, _SERIALIZED_FORMAT)
        if body is None or body.decode("utf-8").splitlines() != self._lines(knowledge):
            return {}
        return {name: self.folder / name for name in self.names}

    def commit(self, written: Mapping[str, Path], knowledge: Path) -> None:
        """Keep the files ``written`` (by name), made from the knowledge graph ``knowledge``."""
        self.index.unlink(missing_ok=True)
        for name in self.names:
            _link(written[name], self.folder / name)
        body = "".join(f"{line}\n" for line in self._lines(knowledge))
        _write_atomically(self.index, _sealed(_SERIALIZED_FORMAT, body.encode("utf-8")))


def _stat(path: Path) -> str:
    """A file's name, size and modification time; "" when it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return ""
    return f"{path.name} {stat.st_size} {stat.st_mtime_ns}"


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
    version), in the cache ``folder``: in 256 files by the hashes' first two digits, so
    that a build after one change rewrites the one or two files whose hashes changed, not
    all (10,000 articles: 26.8 MB rewritten in 0.18-0.27 s by each rebuild before). A hash
    names what was read, so a file from any build holds readings that are right."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder) / _READINGS_DIR
        self._read: dict[str, frozenset[str]] = {}  # each file's hashes, as :meth:`get` read them

    def get(self) -> dict[str, GraphReading]:
        """The readings; of a file missing, damaged or of another kg, none."""
        readings: dict[str, GraphReading] = {}
        self._read = {}
        for shard in sorted(_shards(self.folder)):
            found = _readings(self.folder / shard)
            self._read[shard] = frozenset(found)
            readings.update(found)
        return readings

    def put(self, readings: Mapping[str, GraphReading]) -> None:
        """Replace the readings with ``readings``: each file whose hashes are not the ones
        :meth:`get` read from it is written again (atomically), or removed."""
        by_shard: dict[str, dict[str, GraphReading]] = defaultdict(dict)
        for key, reading in sorted(readings.items()):
            by_shard[key[:2]][key] = reading
        for shard in sorted(by_shard.keys() | _shards(self.folder)):
            kept = by_shard.get(shard)
            if kept is None:
                (self.folder / shard).unlink(missing_ok=True)
            elif self._read.get(shard) != kept.keys() or not (self.folder / shard).exists():
                body = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
                _write_atomically(self.folder / shard, _sealed(_READINGS_FORMAT, body))
        self._read = {shard: frozenset(kept) for shard, kept in by_shard.items()}


def _shards(folder: Path) -> set[str]:
    """The names of the files of graph readings in ``folder``."""
    try:
        return {entry.name for entry in os.scandir(folder) if _SHARD.fullmatch(entry.name)}
    except OSError:
        return set()


def _readings(path: Path) -> dict[str, GraphReading]:
    """The graph readings in one file; none when it is missing, damaged or of another kg."""
    body = _opened(path, _READINGS_FORMAT)
    if body is None:
        return {}
    try:
        readings = pickle.loads(body)
    except Exception:  # written by a kg whose GraphReading had another shape
        return {}
    if not isinstance(readings, dict) or not all(isinstance(r, GraphReading) for r in readings.values()):
        return {}
    return readings


class PageLayouts:
    """The layout of the network on the last build's page (a kg.view.LayoutMemo), in the
    cache folder ``folder``: a page whose network is the same (the same entities and
    relations shown) takes its positions instead of laying it out again. A page that lays
    out its network puts the positions into the build's working folder ``working``, and
    :meth:`commit` keeps them once the build has succeeded."""

    def __init__(self, folder: Path, working: Path) -> None:
        self.path = folder / _LAYOUT_FILE
        self.working = working

    def get(self, digest: str) -> list[tuple[int, int]] | None:
        body = _opened(self.path, _LAYOUT_FORMAT)
        if body is None or not body.startswith(digest.encode("ascii") + b"\n"):
            return None
        return [(x, y) for x, y in json.loads(body[len(digest) + 1 :])]

    def put(self, digest: str, positions: list[tuple[int, int]]) -> None:
        body = digest.encode("ascii") + b"\n" + json.dumps(positions, separators=(",", ":")).encode("ascii")
        _write_atomically(self.working / _LAYOUT_FILE, _sealed(_LAYOUT_FORMAT, body))

    def commit(self) -> None:
        """Keep the layout the page put, if it made one."""
        made = self.working / _LAYOUT_FILE
        if made.exists():
            os.replace(made, self.path)


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


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _link(source: Path, target: Path) -> None:
    """``target`` made a hard link to ``source`` atomically, or a copy of it where links
    cannot be made (another file system, a FAT drive)."""
    linked = target.with_name(f".{target.name}.link")
    linked.unlink(missing_ok=True)
    try:
        os.link(source, linked)
        os.replace(linked, target)
    except OSError:
        linked.unlink(missing_ok=True)
        _write_atomically(target, source)


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
