"""Serialising the dataset, and writing outputs so that none is ever half-written.

Every format goes through Oxigraph's serialisers with the statements sorted first, so the
same graph always gives the same bytes. Writing streams: statements are sorted as N-Triples
lines in bounded runs (merged through temporary files when there are many), parsed back
by Oxigraph and serialised straight into the output file, so no second copy of a large
graph, nor its serialisation, is held in memory.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import heapq
import io
import itertools
import json
import os
import re
import shutil
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.errors import KGError
from kg.ns import PREFIXES

__all__ = [
    "EXPORT_FORMATS",
    "SORT_CHUNK",
    "GraphSpan",
    "SubjectChange",
    "TrigBlock",
    "copy_range",
    "counted_sorted_lines",
    "distinct_sorted_lines",
    "graph_lines",
    "line_offset",
    "nt_iri",
    "serialize_dataset",
    "serialize_graph",
    "sorted_lines",
    "splice_subjects",
    "subject_lines",
    "subject_statements",
    "to_oxigraph",
    "write_atomic",
    "write_dataset",
    "write_files",
    "write_graph",
    "write_sorted",
    "write_trig",
]

# name -> (Oxigraph format, holds named graphs)
EXPORT_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "jsonld": (ox.RdfFormat.JSON_LD, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nq": (ox.RdfFormat.N_QUADS, True),
}
#: Statements sorted in memory at once when writing; more go through temporary files.
SORT_CHUNK = 250_000
_COUNT_BATCH = 4096  # lines counted at once
_COPY_BLOCK = 8 << 20  # bytes of a file copied at once through memory
_KERNEL_COPY = hasattr(os, "copy_file_range")
_DEFAULT = str(ox.DefaultGraph())  # the default graph's name in the sort lines


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def _prefixes() -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in PREFIXES}


def _nt(term: Node) -> str:
    """A term as Oxigraph writes it in N-Triples."""
    if isinstance(term, URIRef):
        return nt_iri(term)
    return str(to_oxigraph(term))


@functools.lru_cache(maxsize=1 << 16)
def nt_iri(iri: str) -> str:
    """Most terms are IRIs and repeat (predicates, classes, entities): check each once."""
    return str(ox.NamedNode(iri))


def sorted_lines(lines: Iterable[str], chunk: int) -> Iterator[str]:
    """``lines`` sorted and each once, holding at most ``chunk`` distinct ones in memory (see
    :func:`distinct_sorted_lines`). Every line is an N-Triples statement (escaped, so one
    line) whose terms cannot be a prefix of another term followed by a space, so sorting
    the lines sorts by (subject, predicate, object) as the terms' text. Sorted as UTF-8
    bytes, which sort as the text's code points: 572,726 lines in 1.7-2.0 s against
    2.0-2.4 s sorted as text."""
    encoded = (f"{line}\n".encode() for line in lines)
    return (line[:-1].decode() for line in distinct_sorted_lines(encoded, chunk))


def line_offset(text: bytes, line: bytes, start: int = 0) -> int:
    """Where the first line of ``text`` (sorted lines, each ending in ``\\n``) from offset
    ``start`` (where a line begins) that does not sort before ``line`` (without its line
    break) begins; the end of ``text`` when there is none: bisection over the bytes, so a
    file's few changed lines are found without splitting it into a list (a 67 MB knowledge
    graph: 0.1 s to split, as long again to join)."""
    end = len(text)
    while start < end:
        middle = (start + end) // 2
        begins = text.rfind(b"\n", start, middle) + 1 or start
        ends = text.index(b"\n", begins)
        if text[begins:ends] < line:
            start = ends + 1
        else:
            end = begins
    return start


def subject_statements(text: bytes, subject: bytes) -> bytes:
    """Of sorted N-Triples ``text`` (see :func:`line_offset`), the lines whose subject is
    ``subject`` (a term in N-Triples), with their line breaks: one run of them."""
    start = line_offset(text, subject + b" ")
    return text[start : line_offset(text, subject + b"!", start)]  # "!" follows the space


def subject_lines(lines: Sequence[bytes], subject: bytes) -> Sequence[bytes]:
    """Of sorted N-Triples ``lines`` (without their line breaks), those whose subject is
    ``subject`` (a term in N-Triples): one run of them, found by bisection."""
    start = bisect.bisect_left(lines, subject + b" ")
    return lines[start : bisect.bisect_left(lines, subject + b"!", start)]  # "!" follows the space


def distinct_sorted_lines(lines: Iterable[bytes], chunk: int) -> Iterator[bytes]:
    """``lines`` sorted and each once, holding at most ``chunk`` distinct lines in memory:
    sorted runs go to temporary files and are merged. Every line is an N-Triples or
    N-Quads statement ending in ``\\n`` (so one line); the line break sorts before any
    character a statement can go on with, so the lines sort as they would without it.
    Deduplicated while read, the build's knowledge graph (1.1 million lines, half of them
    repeated) sorts in 2.0 s, against 2.9 s sorted as text and deduplicated after."""
    run: set[bytes] = set()
    with tempfile.TemporaryDirectory(prefix="kg-sort-") as folder:
        runs: list[Path] = []
        for line in lines:
            run.add(line)
            if len(run) >= chunk:
                runs.append(Path(folder) / f"{len(runs)}.nt")
                runs[-1].write_bytes(b"".join(sorted(run)))
                run = set()
        with contextlib.ExitStack() as stack:
            files = [stack.enter_context(path.open("rb")) for path in runs]
            previous = None
            for line in heapq.merge(sorted(run), *files):
                if line != previous:
                    yield line
                previous = line


def counted_sorted_lines(lines: Iterable[bytes], chunk: int) -> Iterator[tuple[bytes, int]]:
    """``lines`` sorted, each once with how many times it came, holding at most about
    ``chunk`` distinct lines in memory: sorted runs go to temporary files (the lines, and
    their counts as native unsigned 32-bit integers beside them) and are merged. The lines
    are as for :func:`distinct_sorted_lines`."""
    batch = max(1, min(chunk, _COUNT_BATCH))
    with tempfile.TemporaryDirectory(prefix="kg-sort-") as folder:
        runs: list[Path] = []
        counts: Counter[bytes] = Counter()
        remaining = iter(lines)
        while taken := list(itertools.islice(remaining, batch)):
            counts.update(taken)
            if len(counts) >= chunk:
                runs.append(Path(folder) / f"{len(runs)}.nt")
                ordered = sorted(counts)
                runs[-1].write_bytes(b"".join(ordered))
                runs[-1].with_suffix(".counts").write_bytes(array("I", map(counts.__getitem__, ordered)).tobytes())
                counts = Counter()
        with contextlib.ExitStack() as stack:
            opened = [(stack.enter_context(run.open("rb")), _counts(run.with_suffix(".counts"))) for run in runs]
            streams = [zip(lines, counted, strict=True) for lines, counted in opened]
            merged = heapq.merge(((line, counts[line]) for line in sorted(counts)), *streams)
            previous, total = None, 0
            for line, count in merged:
                if line == previous:
                    total += count
                    continue
                if previous is not None:
                    yield previous, total
                previous, total = line, count
            if previous is not None:
                yield previous, total


def _counts(path: Path) -> array[int]:
    counts = array("I")
    counts.frombytes(path.read_bytes())
    return counts


class _LineStream(io.RawIOBase):
    """N-Triples or N-Quads statements (lines without their final ``.``) as a binary
    stream for Oxigraph's parser, read in large blocks."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while len(self._buffer) < len(target):
            block = "".join(f"{line} .\n" for line in itertools.islice(self._lines, 4096))
            if not block:
                break
            self._buffer += block.encode("utf-8")
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def _stream(lines: Iterable[str]) -> BinaryIO:
    return io.BufferedReader(_LineStream(iter(lines)), 1 << 20)


def graph_lines(graph: Graph) -> Iterator[str]:
    """The graph's statements, blank nodes named by their content (the ontology's
    owl:unionOf lists) so that their labels do not change from run to run. One pass over
    the graph: only statements with a blank node are read again, from the canonical copy
    (canonicalising renames blank nodes and nothing else)."""
    blank = False
    for s, p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            blank = True
            continue
        yield f"{_nt(s)} {_nt(p)} {_nt(o)}"
    if blank:
        for s, p, o in to_canonical_graph(graph):
            if isinstance(s, BNode) or isinstance(o, BNode):
                yield f"{_nt(s)} {_nt(p)} {_nt(o)}"


def _dataset_lines(dataset: Dataset) -> Iterator[str]:
    """``GRAPH<tab>S P O``: a tab sorts before any character of a graph name, so the
    lines sort by (graph, subject, predicate, object) as the terms' text."""
    for graph in dataset.graphs():
        name = graph.identifier
        label = _DEFAULT if name == DATASET_DEFAULT_GRAPH_ID else _nt(name)
        for line in graph_lines(graph):
            yield f"{label}\t{line}"


def _as_nquad(line: str) -> str:
    label, _, triple = line.partition("\t")
    return triple if label == _DEFAULT else f"{triple} {label}"


def write_graph(graph: Graph, fmt: str, output: BinaryIO, chunk: int = SORT_CHUNK) -> None:
    """Write a graph as Turtle, N-Triples or JSON-LD to ``output``, statements sorted,
    streaming: at most ``chunk`` statements are held at once besides the graph itself."""
    rdf_format = _format(fmt, False)
    lines = sorted_lines(graph_lines(graph), chunk)
    if rdf_format == ox.RdfFormat.N_TRIPLES:  # the sorted lines are the canonical N-Triples
        _write_lines(lines, output)
        return
    parsed = ox.parse(_stream(lines), format=ox.RdfFormat.N_TRIPLES)
    triples = (quad.triple for quad in parsed)
    ox.serialize(triples, output, format=rdf_format, prefixes=_prefixes())


def write_dataset(dataset: Dataset, fmt: str, output: BinaryIO, chunk: int = SORT_CHUNK) -> None:
    """Write a dataset as TriG or N-Quads to ``output``, graphs and statements sorted,
    streaming like :func:`write_graph`."""
    rdf_format = _format(fmt, True)
    lines = (_as_nquad(line) for line in sorted_lines(_dataset_lines(dataset), chunk))
    if rdf_format == ox.RdfFormat.N_QUADS:
        _write_lines(lines, output)
        return
    parsed = ox.parse(_stream(lines), format=ox.RdfFormat.N_QUADS)
    ox.serialize(parsed, output, format=rdf_format, prefixes=_prefixes())


def copy_range(source: BinaryIO, offset: int, length: int, target: BinaryIO) -> None:
    """``length`` bytes at ``offset`` of the file ``source`` written to ``target`` (at its
    end): by the kernel where it can (copy_file_range: Linux, between plain files; on a file
    system that shares blocks between files, no copy at all), else through memory.
    10,000 articles' unchanged graphs, 1.3 GB: 0.3 s by the kernel, 0.3-2.6 s through
    memory (as much of it as the last build's dirty pages are being written back).
    EOFError when ``source`` ends before."""
    if _KERNEL_COPY and isinstance(target, io.BufferedWriter | io.BufferedRandom | io.FileIO):
        target.flush()
        try:
            while length > 0:
                copied = os.copy_file_range(source.fileno(), target.fileno(), length, offset)
                if not copied:
                    break  # the end, or a file system that will not say: found out below
                offset, length = offset + copied, length - copied
        except OSError:  # not between these file systems, or not by this kernel: the rest in memory
            pass
        target.seek(0, os.SEEK_END)  # the buffered stream's idea of where it is
    source.seek(offset)
    while length > 0:
        block = source.read(min(length, _COPY_BLOCK))
        if not block:
            raise EOFError(f"{getattr(source, 'name', 'the file')} ends before byte {offset + length}")
        target.write(block)
        offset, length = offset + len(block), length - len(block)


def write_sorted(source: Path, fmt: str, output: BinaryIO) -> None:
    """Write a sorted N-Triples (``.nt``) or N-Quads (``.nq``) file, as a build makes them
    (:func:`kg.graph.write_graphs`), in format ``fmt`` to ``output``: the file itself for
    its own format, else Oxigraph's parser streaming into its serialiser, in order."""
    source_format = ox.RdfFormat.N_QUADS if source.suffix == ".nq" else ox.RdfFormat.N_TRIPLES
    rdf_format = _format(fmt, source_format == ox.RdfFormat.N_QUADS)
    if rdf_format == source_format:
        with source.open("rb") as stream:
            copy_range(stream, 0, os.fstat(stream.fileno()).st_size, output)
        return
    # lenient: the terms were checked when the file was written; checking IRIs again took a
    # third of the time of writing Turtle
    statements = ox.parse(path=source, format=source_format, lenient=True)
    ox.serialize(statements, output, format=rdf_format, prefixes=_prefixes())


@dataclass(frozen=True)
class GraphSpan:
    """Where a named graph's statements are in a dataset file of sorted N-Quads (bytes
    ``offset`` to ``offset + length``), with a key of what they are made from ("": none
    known, so its TriG is never taken from an earlier build)."""

    name: str  # in N-Triples
    key: str
    offset: int
    length: int

    def line(self) -> str:
        return f"{self.name}\t{self.key}\t{self.offset}\t{self.length}\n"

    @classmethod
    def of(cls, line: str) -> GraphSpan:
        name, key, offset, length = line.rstrip("\n").split("\t")
        return cls(name, key, int(offset), int(length))


@dataclass(frozen=True)
class TrigBlock:
    """Where a named graph's block (``NAME {`` to ``}``) is in a TriG file, with the key of
    its :class:`GraphSpan` and the block's SHA-256."""

    key: str
    offset: int
    length: int
    digest: bytes

    def line(self) -> str:
        return f"{self.key} {self.offset} {self.length} {self.digest.hex()}\n"

    @classmethod
    def of(cls, line: str) -> TrigBlock:
        key, offset, length, digest = line.split()
        return cls(key, int(offset), int(length), bytes.fromhex(digest))


def write_trig(
    dataset: Path,
    spans: Sequence[GraphSpan],
    output: BinaryIO,
    reuse: Callable[[str], bytes | None] | None = None,
) -> list[TrigBlock]:
    """Write the dataset file ``dataset`` (sorted N-Quads, its graphs at ``spans``, in
    order) as TriG to ``output``: the bytes :func:`write_sorted` writes. Oxigraph writes the
    prefixes, then each named graph as a block of its own that does not depend on the
    graphs around it, so a graph whose key ``reuse`` knows is given that earlier build's
    block, and only the others are serialised (in runs of consecutive graphs). Returns
    where each graph's block is in ``output``, for a later build's ``reuse``; none when
    Oxigraph's blocks could not be told apart (the file is right all the same)."""
    sink = _TrigSink(output)
    run: list[GraphSpan] = []
    for span in spans:
        block = reuse(span.key) if reuse is not None and span.key else None
        if block is None:
            run.append(span)
            continue
        sink.serialize(dataset, run)
        run = []
        sink.block(span.key, block)
    sink.serialize(dataset, run)
    return sink.blocks if sink.whole else []


@functools.cache
def _trig_prefixes() -> bytes:
    """What Oxigraph writes before the first graph of a TriG file: the prefixes."""
    buffer = io.BytesIO()
    quad = ox.Quad(
        ox.NamedNode("urn:kg:s"), ox.NamedNode("urn:kg:p"), ox.NamedNode("urn:kg:o"), ox.NamedNode("urn:kg:g")
    )
    ox.serialize([quad], buffer, format=ox.RdfFormat.TRIG, prefixes=_prefixes())
    text = buffer.getvalue()
    return text[: text.index(b"<urn:kg:g> {\n")]


class _TrigSink(io.RawIOBase):
    """The TriG file being written: the prefixes once (none for no graph, as Oxigraph),
    then graph blocks, either given or as Oxigraph writes them (through :meth:`write`,
    which drops the prefixes each serialisation begins with and finds where each block
    ends: a line ``}``, since every line inside a block begins with a tab and literals
    have their line breaks escaped)."""

    _END = b"\n}\n"

    def __init__(self, output: BinaryIO) -> None:
        self.output = output
        self.blocks: list[TrigBlock] = []
        self.whole = True  # whether every serialised graph's block was found
        self._position = 0
        self._keys: list[str] = []
        self._skip = 0
        self._current = bytearray()
        self._searched = 0

    def _begin(self) -> None:
        if not self._position:
            self.output.write(_trig_prefixes())
            self._position = len(_trig_prefixes())

    def block(self, key: str, block: bytes) -> None:
        self._begin()
        self._emit(block, key)

    def _emit(self, data: bytes, key: str | None) -> None:
        """``data`` into the file: with ``key``, as that graph's block; without, text that
        is no graph's block alone (the file's blocks are then not kept)."""
        if key is None:
            self.whole = False
        else:
            self.blocks.append(TrigBlock(key, self._position, len(data), hashlib.sha256(data).digest()))
        self.output.write(data)
        self._position += len(data)

    def serialize(self, dataset: Path, run: Sequence[GraphSpan]) -> None:
        if not run:
            return
        self._begin()
        start, end = run[0].offset, run[-1].offset + run[-1].length
        self._keys, self._skip = [span.key for span in reversed(run)], len(_trig_prefixes())
        with dataset.open("rb") as source:
            if start == 0 and end == os.fstat(source.fileno()).st_size:  # Oxigraph reads a path faster
                statements = ox.parse(path=dataset, format=ox.RdfFormat.N_QUADS, lenient=True)
            else:
                source.seek(start)
                statements = ox.parse(
                    io.BufferedReader(_Range(source, end - start), 1 << 20), format=ox.RdfFormat.N_QUADS, lenient=True
                )
            serialized = io.BufferedWriter(self, 1 << 16)
            ox.serialize(statements, serialized, format=ox.RdfFormat.TRIG, prefixes=_prefixes())
            serialized.detach()  # flushed into this sink, which stays open
        if self._current or self._keys:  # not one block per graph: written, but not indexed
            self._emit(bytes(self._current), None)
            self._current, self._keys = bytearray(), []
        self._searched = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        size = len(data)
        if self._skip:
            skipped = min(self._skip, size)
            data, self._skip = data[skipped:], self._skip - skipped
        self._current += data
        while (end := self._current.find(self._END, max(0, self._searched - len(self._END)))) >= 0:
            block = bytes(self._current[: end + len(self._END)])
            del self._current[: end + len(self._END)]
            self._searched = 0
            self._emit(block, self._keys.pop() if self._keys else None)
        self._searched = len(self._current)
        return size


@dataclass(frozen=True)
class SubjectChange:
    """A subject whose statements in a sorted N-Triples file changed: its term in N-Triples
    and its statements now (sorted lines; none when it has none left)."""

    subject: bytes
    statements: bytes


# per format spliced: what a file begins with when it holds a statement (beside the
# prefixes, which Turtle writes only then), what separates two subjects' blocks, the end
_SPLICED = {"turtle": (b"", b"", b""), "jsonld": (b"[", b",", b"]")}
_JSON_ID = b'{"@id":"'
_TURTLE_ESCAPE = re.compile(rb"\\(.)")


def splice_subjects(previous: bytes, fmt: str, changes: Sequence[SubjectChange]) -> bytes | None:
    """What :func:`write_sorted` writes in ``fmt`` ("turtle" or "jsonld") of a sorted
    N-Triples file whose last version it wrote as ``previous``, when the subjects of
    ``changes`` (sorted, each once) are all that changed: ``previous`` with those subjects'
    blocks serialised again, added or left out. Oxigraph writes each subject's statements
    as one block of its own (a Turtle subject and its predicate lists; a JSON-LD node
    object), in the order of the sorted file, so the other blocks are the bytes they were,
    and a subject's block is found by bisection. None when ``previous`` is not such a
    file (no statement, a blank node) or none is left, for a whole serialisation instead."""
    opening, gap, closing = _SPLICED[fmt]
    header = _turtle_prefixes() if fmt == "turtle" else opening
    empty = len(previous) <= len(header) + len(closing)
    if empty or not previous.startswith(header) or not previous.endswith(closing):
        return None
    blocks = _Blocks(previous, len(header), len(previous) - len(closing), gap, fmt == "turtle")
    pieces: list[bytes] = []
    at = blocks.begin
    for change in changes:
        start, end, found = blocks.find(change.subject, at)
        if start is None:
            return None
        if start > at:
            pieces.append(previous[at : start if start == blocks.end else start - len(gap)])
        if change.statements:
            pieces.append(_block(change.statements, fmt, header, closing))
        at = start if not found else end if end == blocks.end else end + len(gap)
    if at < blocks.end:
        pieces.append(previous[at : blocks.end])
    if not pieces:
        return None
    return header + gap.join(pieces) + closing


def _block(statements: bytes, fmt: str, header: bytes, closing: bytes) -> bytes:
    """One subject's ``statements`` as Oxigraph writes them in ``fmt``, without what the
    file begins and ends with."""
    buffer = io.BytesIO()
    parsed = ox.parse(statements, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    ox.serialize(parsed, buffer, format=EXPORT_FORMATS[fmt][0], prefixes=_prefixes())
    text = buffer.getvalue()
    return text[len(header) : len(text) - len(closing)]


class _Blocks:
    """The subjects' blocks of a Turtle or JSON-LD file between bytes ``begin`` and ``end``,
    one after another with ``gap`` between them."""

    def __init__(self, text: bytes, begin: int, end: int, gap: bytes, turtle: bool) -> None:
        self.text, self.begin, self.end, self.gap, self.turtle = text, begin, end, gap, turtle

    def start_at(self, position: int) -> int:
        """Where the first block that starts at ``position`` or after starts (``end``: none)."""
        text, end = self.text, self.end
        if position <= self.begin:
            return self.begin
        if self.turtle:  # a block starts a line; the lines of its predicates start with a tab
            line = text.find(b"\n", position - 1, end)
            while line != -1 and line + 1 < end and text[line + 1] == 0x09:
                line = text.find(b"\n", line + 1, end)
            return end if line == -1 or line + 1 >= end else line + 1
        while True:  # a node object; an object that is only a reference ends after its @id
            found = text.find(self.gap + _JSON_ID, position - 1, end)
            if found == -1:
                return end
            closes = text.find(b'"', found + 1 + len(_JSON_ID), end)
            if text[closes + 1 : closes + 3] == b',"':
                return found + 1
            position = found + 2

    def subject(self, start: int) -> bytes | None:
        """The subject of the block at ``start`` in N-Triples; None for a blank node."""
        text = self.text
        if self.turtle:
            term = text[start : text.index(b" ", start)]
            if term.startswith(b"<"):
                return term
            prefix, colon, local = term.partition(b":")
            namespace = _prefix_bytes().get(prefix)
            if not colon or namespace is None:
                return None
            return b"<" + namespace + _TURTLE_ESCAPE.sub(rb"\1", local) + b">"
        opening = start + len(_JSON_ID)
        iri = text[opening : text.index(b'"', opening)]
        if iri.startswith(b"_:"):
            return None
        if b"\\" in iri:
            iri = json.loads(b'"' + iri + b'"').encode("utf-8")
        return b"<" + iri + b">"

    def find(self, subject: bytes, after: int) -> tuple[int | None, int, bool]:
        """The first block from byte ``after`` on whose subject is not before ``subject``:
        where it starts and ends and whether it is ``subject``'s; None where a block's
        subject cannot be read."""
        low, high = after, self.end
        while low < high:
            middle = (low + high) // 2
            start = self.start_at(middle)
            if start < self.end:
                term = self.subject(start)
                if term is None:
                    return None, 0, False
                if term < subject:
                    low = start + 1
                    continue
            high = middle
        start = self.start_at(low)
        if start >= self.end or self.subject(start) != subject:
            return start, start, False
        following = self.start_at(start + 1)
        return start, following if following == self.end else following - len(self.gap), True


@functools.cache
def _turtle_prefixes() -> bytes:
    """What Oxigraph writes before the first statement of a Turtle file: the prefixes."""
    buffer = io.BytesIO()
    triple = ox.Triple(ox.NamedNode("urn:kg:s"), ox.NamedNode("urn:kg:p"), ox.NamedNode("urn:kg:o"))
    ox.serialize([triple], buffer, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
    text = buffer.getvalue()
    return text[: text.index(b"<urn:kg:s> ")]


@functools.cache
def _prefix_bytes() -> dict[bytes, bytes]:
    return {prefix.encode("utf-8"): namespace.encode("utf-8") for prefix, namespace in _prefixes().items()}


class _Range(io.RawIOBase):
    """The next ``size`` bytes of ``source``, as a stream of their own."""

    def __init__(self, source: BinaryIO, size: int) -> None:
        self._source = source
        self._left = size

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        data = self._source.read(min(len(target), self._left))
        target[: len(data)] = data
        self._left -= len(data)
        return len(data)


def _write_lines(lines: Iterable[str], output: BinaryIO) -> None:
    shutil.copyfileobj(_stream(lines), output, 1 << 20)


def _format(name: str, quads: bool) -> ox.RdfFormat:
    if name not in EXPORT_FORMATS:
        raise KGError(f"unknown format {name!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    rdf_format, holds_graphs = EXPORT_FORMATS[name]
    if holds_graphs != quads:
        kind = "a dataset" if quads else "a single graph"
        fitting = [n for n, (_, g) in EXPORT_FORMATS.items() if g == quads]
        raise KGError(f"{name} cannot hold {kind}; use {', '.join(fitting)}")
    return rdf_format


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """A graph as Turtle, N-Triples or JSON-LD, statements sorted (:func:`write_graph`)."""
    buffer = io.BytesIO()
    write_graph(graph, fmt, buffer)
    return buffer.getvalue()


def serialize_dataset(dataset: Dataset, fmt: str) -> bytes:
    """A dataset as TriG or N-Quads, graphs and statements sorted (:func:`write_dataset`)."""
    buffer = io.BytesIO()
    write_dataset(dataset, fmt, buffer)
    return buffer.getvalue()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file beside ``path``, then rename it into place: a reader
    sees the old file or the new one, never a part."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_files({path: lambda stream: stream.write(payload)})


def write_files(writers: Mapping[Path, Callable[[BinaryIO], object] | Path]) -> None:
    """Each writer writes its file into a temporary file beside it; a finished file given
    by its path instead is hard-linked there (copied where it cannot be: another file
    system), so that a build's files are not copied into the output folder once more.
    Once all have succeeded and are on the disk, they are renamed into place. If any
    fails, no file is replaced and the temporary files are removed, so a failure leaves
    the old outputs untouched."""
    staged: dict[Path, str] = {}
    try:
        for path, write in writers.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, staged[path] = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                if isinstance(write, Path) and _linked(write, staged[path]):
                    continue
                os.chmod(staged[path], 0o666 & ~_umask())
                if isinstance(write, Path):
                    with write.open("rb") as source:
                        copy_range(source, 0, os.fstat(source.fileno()).st_size, stream)
                else:
                    write(stream)
                stream.flush()
                os.fsync(stream.fileno())
        for path, temporary in staged.items():
            os.replace(temporary, path)
            # a rename onto another name of the same file does nothing: the output was
            # already this file (the same build written twice into one folder)
            Path(temporary).unlink(missing_ok=True)
    except BaseException:
        for temporary in staged.values():
            Path(temporary).unlink(missing_ok=True)
        raise


def _linked(source: Path, temporary: str) -> bool:
    """Whether ``source`` could be hard-linked in place of the empty file ``temporary``
    and flushed to the disk; else ``temporary`` is as it was."""
    link = f"{temporary}.link"
    try:
        os.link(source, link)
        os.replace(link, temporary)
    except OSError:  # no hard links on this file system, or not between these: written instead
        return False
    finally:
        Path(link).unlink(missing_ok=True)  # gone once renamed
    with open(temporary, "rb") as linked:
        os.fsync(linked.fileno())
    return True
