"""Serialising graphs and datasets deterministically, and writing files atomically (kg/export.py)."""

from __future__ import annotations

import bisect
import hashlib
import io
import os
import random
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS

from kg.errors import KGError
from kg.export import (
    EXPORT_FORMATS,
    SORT_CHUNK,
    GraphSpan,
    SubjectChange,
    TrigBlock,
    distinct_sorted_lines,
    line_offset,
    serialize_dataset,
    serialize_graph,
    sorted_lines,
    splice_subjects,
    subject_lines,
    subject_statements,
    write_atomic,
    write_dataset,
    write_files,
    write_graph,
    write_sorted,
    write_trig,
)
from kg.graph import write_graphs
from kg.ontology import load_ontology
from kg.pipeline import Build

KGO = "https://kg.example/ontology#"
KGR = "https://kg.example/id/"
ONTOLOGY = URIRef("https://kg.example/ontology")
GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")
DOC = URIRef("https://kg.example/doc/000_test")


def o(name: str) -> URIRef:
    return URIRef(KGO + name)


def r(name: str) -> URIRef:
    return URIRef(KGR + name)


FACTS = [
    (r("Seoul"), RDF.type, o("City")),
    (r("Seoul"), RDFS.label, Literal("서울", lang="ko")),
    (r("Seoul"), RDFS.label, Literal("Seoul", lang="en")),
    (r("Oh_Se-hoon"), o("mayorOf"), r("Seoul")),
    (r("Seoul_AI_Hub"), o("foundingDate"), Literal("2017", datatype=GYEAR)),
    (r("Seoul_AI_Hub"), RDFS.label, Literal("서울 AI 허브", lang="ko")),
    (r("Seoul_AI_Hub"), RDFS.comment, Literal("plain text")),
]
GRAPH_FORMATS = [n for n, (_, quads) in EXPORT_FORMATS.items() if not quads]
DATASET_FORMATS = [n for n, (_, quads) in EXPORT_FORMATS.items() if quads]


def add_union(graph: Graph, cls: str, members: list[str]) -> None:
    """cls owl:equivalentClass [ a owl:Class ; owl:unionOf ( members ) ], with fresh blank nodes."""
    union, head = BNode(), BNode()
    graph.add((o(cls), OWL.equivalentClass, union))
    graph.add((union, RDF.type, OWL.Class))
    Collection(graph, head, [o(m) for m in members])
    graph.add((union, OWL.unionOf, head))


def ontology_triples(seed: int) -> Graph:
    graph = Graph()
    steps = [
        lambda: add_union(graph, "Agent", ["Person", "Organization"]),
        lambda: add_union(graph, "Spot", ["Place", "Facility"]),
        lambda: graph.add((o("City"), RDFS.subClassOf, o("Place"))),
        lambda: graph.add((o("City"), RDF.type, OWL.Class)),
    ]
    random.Random(seed).shuffle(steps)
    for step in steps:
        step()
    return graph


def knowledge(seed: int) -> Graph:
    graph = Graph()
    facts = list(FACTS)
    random.Random(seed).shuffle(facts)
    for fact in facts:
        graph.add(fact)
    for triple in ontology_triples(seed):
        graph.add(triple)
    return graph


def dataset(seed: int) -> Dataset:
    ds = Dataset()
    names_first = [DOC, ONTOLOGY]
    random.Random(seed).shuffle(names_first)
    for name in names_first:
        target = ds.graph(name)
        source = ontology_triples(seed) if name == ONTOLOGY else Graph()
        if name == DOC:
            facts = list(FACTS)
            random.Random(seed + 1).shuffle(facts)
            for fact in facts:
                source.add(fact)
        for triple in source:
            target.add(triple)
    return ds


def test_the_graphs_differ_in_order_and_blank_nodes() -> None:
    first, second = knowledge(1), knowledge(2)
    assert list(first) != list(second)
    assert {t for t in first if not any(isinstance(x, BNode) for x in t)} == {
        t for t in second if not any(isinstance(x, BNode) for x in t)
    }
    assert {x for t in first for x in t if isinstance(x, BNode)}.isdisjoint(
        {x for t in second for x in t if isinstance(x, BNode)}
    )


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_serialize_graph_is_byte_identical(fmt: str) -> None:
    outputs = {serialize_graph(knowledge(seed), fmt) for seed in range(6)}
    assert len(outputs) == 1


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_serialize_dataset_is_byte_identical(fmt: str) -> None:
    outputs = {serialize_dataset(dataset(seed), fmt) for seed in range(6)}
    assert len(outputs) == 1


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_serialized_graph_parses_back_to_the_same_graph(fmt: str) -> None:
    graph = knowledge(0)
    parsed = Graph().parse(data=serialize_graph(graph, fmt), format={"jsonld": "json-ld"}.get(fmt, fmt))
    assert isomorphic(parsed, graph)


@pytest.mark.parametrize("fmt", ["trig", "nq"])
def test_serialized_dataset_parses_back_to_the_same_graphs(fmt: str) -> None:
    parsed = Dataset()
    parsed.parse(data=serialize_dataset(dataset(0), fmt), format={"nq": "nquads"}.get(fmt, fmt))
    assert isomorphic(parsed.graph(ONTOLOGY), ontology_triples(0))
    facts = Graph()
    for triple in FACTS:
        facts.add(triple)
    assert isomorphic(parsed.graph(DOC), facts)


def test_nt_output_is_sorted() -> None:
    lines = serialize_graph(knowledge(3), "nt").decode("utf-8").splitlines()
    named = [line for line in lines if not line.startswith("_:")]
    assert named == sorted(named)
    assert len(lines) == len(knowledge(3))


def test_nquads_output_is_sorted_by_graph() -> None:
    lines = serialize_dataset(dataset(3), "nq").decode("utf-8").splitlines()
    graphs = [line.rsplit(" ", 2)[-2] for line in lines]
    assert graphs == sorted(graphs)
    assert set(graphs) == {f"<{DOC}>", f"<{ONTOLOGY}>"}


def test_unknown_format() -> None:
    with pytest.raises(KGError) as caught:
        serialize_graph(knowledge(0), "xml")
    assert str(caught.value) == "unknown format 'xml'; choose one of turtle, nt, jsonld, trig, nq"
    with pytest.raises(KGError) as caught:
        serialize_dataset(dataset(0), "rdfxml")
    assert str(caught.value) == "unknown format 'rdfxml'; choose one of turtle, nt, jsonld, trig, nq"


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_dataset_format_for_a_graph(fmt: str) -> None:
    with pytest.raises(KGError) as caught:
        serialize_graph(knowledge(0), fmt)
    message = str(caught.value)
    assert message.startswith(f"{fmt} cannot hold")
    assert message.endswith("use turtle, nt, jsonld")


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_graph_format_for_a_dataset(fmt: str) -> None:
    with pytest.raises(KGError) as caught:
        serialize_dataset(dataset(0), fmt)
    message = str(caught.value)
    assert message.startswith(f"{fmt} cannot hold a dataset")
    assert message.endswith("use trig, nq")


# --------------------------------------------------------------------------- write_atomic


@pytest.fixture
def umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_write_atomic_writes_bytes_and_text(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.ttl", b"bytes\n")
    write_atomic(tmp_path / "sub" / "b.ttl", "서울\n")
    assert (tmp_path / "a.ttl").read_bytes() == b"bytes\n"
    assert (tmp_path / "sub" / "b.ttl").read_bytes() == "서울\n".encode()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.ttl", "b.ttl", "sub"]


def test_write_atomic_replaces_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_bytes(b"old")
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_write_atomic_failure_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "graph.ttl"
    path.write_bytes(b"old contents")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OSError, match="No space left on device"):
        write_atomic(path, b"new contents" * 1000)
    monkeypatch.undo()
    assert path.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_write_atomic_failure_without_an_old_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "graph.ttl", b"data")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_write_atomic_permissions_follow_the_umask(tmp_path: Path, umask: None, mask: int, mode: int) -> None:
    os.umask(mask)
    path = tmp_path / "graph.ttl"
    write_atomic(path, b"x")
    assert stat.S_IMODE(path.stat().st_mode) == mode
    # and a file replaced in place gets the same mode as a new one
    write_atomic(path, b"y")
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_write_atomic_mode_matches_an_ordinary_write(tmp_path: Path, umask: None) -> None:
    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_bytes(b"x")
    atomic = tmp_path / "atomic.txt"
    write_atomic(atomic, b"x")
    assert stat.S_IMODE(atomic.stat().st_mode) == stat.S_IMODE(ordinary.stat().st_mode) == 0o644


# --------------------------------------------------------------------------- streaming


def stable(graph: Graph) -> Graph:
    """Blank nodes named by content, as kg did before it streamed."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        return to_canonical_graph(graph)
    return graph


def reference_graph(graph: Graph, fmt: str) -> bytes:
    """The serialisation kg wrote before it streamed: every statement converted, sorted
    in one list, serialised to bytes in one call."""
    import pyoxigraph as ox

    from kg.export import _prefixes, to_oxigraph

    triples = sorted(
        (ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in stable(graph)),  # type: ignore[arg-type]
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    data = ox.serialize(triples, format=EXPORT_FORMATS[fmt][0], prefixes=_prefixes())
    assert data is not None
    return data


def reference_dataset(data: Dataset, fmt: str) -> bytes:
    import pyoxigraph as ox
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from kg.export import _prefixes, to_oxigraph

    quads = []
    for graph in data.graphs():
        name = ox.DefaultGraph() if graph.identifier == DATASET_DEFAULT_GRAPH_ID else to_oxigraph(graph.identifier)
        quads += [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in stable(graph)]  # type: ignore[arg-type]
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    out = ox.serialize(quads, format=EXPORT_FORMATS[fmt][0], prefixes=_prefixes())
    assert out is not None
    return out


@pytest.mark.parametrize("chunk", [1, 97, SORT_CHUNK])
@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_streamed_graph_bytes_equal_the_in_memory_serialisation(seed_build: Build, fmt: str, chunk: int) -> None:
    stream = io.BytesIO()
    write_graph(seed_build.knowledge, fmt, stream, chunk=chunk)
    assert stream.getvalue() == reference_graph(seed_build.knowledge, fmt)


@pytest.mark.parametrize("chunk", [1, 97, SORT_CHUNK])
@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_streamed_dataset_bytes_equal_the_in_memory_serialisation(seed_build: Build, fmt: str, chunk: int) -> None:
    stream = io.BytesIO()
    write_dataset(seed_build.dataset, fmt, stream, chunk=chunk)
    assert stream.getvalue() == reference_dataset(seed_build.dataset, fmt)


def test_streaming_sorts_terms_that_prefix_each_other(tmp_path: Path) -> None:
    graph = Graph()
    for label in ("b1", "b12", "b1a", "b"):
        graph.add((URIRef(KGR + label), RDFS.label, Literal(label)))
        graph.add((URIRef(KGR + label), RDFS.label, Literal(label + '\t\n"x', lang="ko")))
        graph.add((BNode(label), RDFS.label, Literal(label, datatype=GYEAR)))
    for chunk in (1, 2, 1000):
        stream = io.BytesIO()
        write_graph(graph, "nt", stream, chunk=chunk)
        assert stream.getvalue() == reference_graph(graph, "nt")


def test_write_files_replaces_all_or_none(tmp_path: Path) -> None:
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    write_files({first: lambda s: s.write(b"old a"), second: lambda s: s.write(b"old b")})

    def fail(stream: object) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left on device"):
        write_files({first: lambda s: s.write(b"new a"), second: fail})
    assert (first.read_bytes(), second.read_bytes()) == (b"old a", b"old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.nt", "b.nt"]
    write_files({first: lambda s: s.write(b"new a"), second: lambda s: s.write(b"new b")})
    assert (first.read_bytes(), second.read_bytes()) == (b"new a", b"new b")


def test_a_finished_file_is_linked_into_place_and_copied_where_it_cannot_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    finished = tmp_path / "build" / "knowledge.nt"
    finished.parent.mkdir()
    finished.write_bytes(b"<urn:s> <urn:p> <urn:o> .\n")
    linked, copied = tmp_path / "out" / "graph.nt", tmp_path / "elsewhere" / "graph.nt"
    write_files({linked: finished, linked.with_name("report.json"): lambda s: s.write(b"{}")})
    assert linked.read_bytes() == finished.read_bytes()
    assert os.path.samefile(linked, finished)

    def across_file_systems(source: object, target: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", across_file_systems)
    write_files({copied: finished})
    assert copied.read_bytes() == finished.read_bytes()
    assert not os.path.samefile(copied, finished)
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(copied.stat().st_mode) == 0o666 & ~mask
    assert sorted(p.name for p in copied.parent.iterdir()) == ["graph.nt"]


def test_a_failed_write_leaves_no_link_behind(tmp_path: Path) -> None:
    finished = tmp_path / "knowledge.nt"
    finished.write_bytes(b"new")
    out = tmp_path / "out"
    write_files({out / "graph.nt": lambda s: s.write(b"old")})

    def fail(stream: object) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left on device"):
        write_files({out / "graph.nt": finished, out / "report.json": fail})
    assert (out / "graph.nt").read_bytes() == b"old"
    assert sorted(p.name for p in out.iterdir()) == ["graph.nt"]
    assert finished.stat().st_nlink == 1


def test_a_file_linked_into_place_twice_leaves_one_name(tmp_path: Path) -> None:
    """The second time, the output already is the file: a rename onto another name of the
    same file does nothing, and the temporary name must go all the same."""
    finished = tmp_path / "knowledge.nt"
    finished.write_bytes(b"<urn:s> <urn:p> <urn:o> .\n")
    for _ in range(3):
        write_files({tmp_path / "out" / "graph.ttl": finished})
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graph.ttl"]
    assert finished.stat().st_nlink == 2


@pytest.mark.parametrize("failing", ["link", "replace"])
def test_a_link_that_fails_halfway_is_written_instead_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    finished = tmp_path / "knowledge.nt"
    finished.write_bytes(b"new")
    out = tmp_path / "out"
    write_files({out / "graph.nt": lambda s: s.write(b"old")})
    real_link, real_replace = os.link, os.replace

    def link(source: str, target: str) -> None:
        real_link(source, target)
        if failing == "link":
            raise OSError(5, "Input/output error")

    def replace(source: str, target: str) -> None:
        if failing == "replace" and str(source).endswith(".link"):
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "replace", replace)
    write_files({out / "graph.nt": finished})
    assert (out / "graph.nt").read_bytes() == b"new"
    assert not os.path.samefile(out / "graph.nt", finished)
    assert sorted(p.name for p in out.iterdir()) == ["graph.nt"]
    assert finished.stat().st_nlink == 1


# IRIs and language tags that are prefixes of others, text with escapes and non-ASCII
_NODES = st.sampled_from(["urn:a", "urn:ab", "urn:a-b", "https://kg.example/id/서울"]).map(ox.NamedNode)
_OBJECTS = st.one_of(
    _NODES,
    st.builds(ox.Literal, st.text(max_size=6), language=st.sampled_from(["ko", "ko-kr", "en"])),
    st.builds(ox.Literal, st.text(max_size=6)),
)
_STATEMENTS = st.lists(st.builds(lambda s, p, o: str(ox.Triple(s, p, o)), _NODES, _NODES, _OBJECTS), max_size=40)


@given(_STATEMENTS, st.integers(min_value=1, max_value=8))
def test_sorted_lines_are_the_lines_sorted_as_text_each_once(statements: list[str], chunk: int) -> None:
    lines = [f"{statement}\n".encode() for statement in statements]
    expected = sorted(set(statements))  # as text: by code point
    assert list(distinct_sorted_lines(lines, chunk)) == [f"{line}\n".encode() for line in expected]
    assert list(sorted_lines(statements, chunk)) == expected


# --------------------------------------------------------------------------- TriG by graph


def _dataset_file(quads: list[ox.Quad], path: Path) -> list[GraphSpan]:
    """``quads`` as kg.graph writes a dataset (sorted N-Quads, graph by graph) into
    ``path``, and where each graph is in it, keyed by its name."""
    graphs: dict[str, set[str]] = {}
    for quad in quads:
        graphs.setdefault(str(quad.graph_name), set()).add(f"{quad.triple} {quad.graph_name} .\n")
    spans, offset = [], 0
    with path.open("wb") as dataset:
        for name in sorted(graphs):
            text = "".join(sorted(graphs[name])).encode("utf-8")
            dataset.write(text)
            spans.append(GraphSpan(name, f"key of {name}", offset, len(text)))
            offset += len(text)
    return spans


def _trig(
    dataset: Path, spans: list[GraphSpan], reuse: dict[str, bytes] | None = None
) -> tuple[bytes, list[TrigBlock]]:
    stream = io.BytesIO()
    blocks = write_trig(dataset, spans, stream, None if reuse is None else reuse.get)
    return stream.getvalue(), blocks


def _sorted_trig(dataset: Path) -> bytes:
    stream = io.BytesIO()
    write_sorted(dataset, "trig", stream)
    return stream.getvalue()


def _check_blocks(text: bytes, spans: list[GraphSpan], blocks: list[TrigBlock]) -> None:
    """One block per graph, in order, each where it says, beginning with the graph's name."""
    assert [block.key for block in blocks] == [span.key for span in spans]
    first = blocks[0].offset if blocks else len(text)
    assert all(line.startswith(b"@prefix ") for line in text[:first].splitlines())
    position = first
    for block in blocks:
        assert block.offset == position
        piece = text[block.offset : block.offset + block.length]
        assert hashlib.sha256(piece).digest() == block.digest
        assert piece.endswith(b"\n}\n") and piece.count(b" {\n") >= 1
        position += block.length
    assert position == len(text)


_GRAPH_NAMES = st.sampled_from(["urn:g", "urn:g2", "https://kg.example/doc/a", "https://kg.example/doc/a_b"])
# text that looks like the end of a block, or its beginning, once written
_TRICKY = st.sampled_from(["\n}\n", "}", " {\n", "\t}\n", "x\r\n}"])
_QUADS = st.lists(
    st.builds(
        ox.Quad,
        _NODES,
        _NODES,
        st.one_of(_OBJECTS, st.builds(ox.Literal, _TRICKY)),
        _GRAPH_NAMES.map(ox.NamedNode),
    ),
    max_size=30,
)


@given(_QUADS, st.sets(st.integers(min_value=0, max_value=3)))
def test_trig_by_graph_is_the_sorted_trig_whatever_is_reused(quads: list[ox.Quad], kept: set[int]) -> None:
    """Written whole, or with some graphs' blocks given back from that writing, the TriG is
    the bytes of write_sorted, and each block is found where the blocks say."""
    with tempfile.TemporaryDirectory() as folder:
        dataset = Path(folder) / "dataset.nq"
        spans = _dataset_file(quads, dataset)
        whole, blocks = _trig(dataset, spans)
        assert whole == _sorted_trig(dataset)
        _check_blocks(whole, spans, blocks)
        given_back = {b.key: whole[b.offset : b.offset + b.length] for n, b in enumerate(blocks) if n in kept}
        again, blocks_again = _trig(dataset, spans, given_back)
        assert (again, blocks_again) == (whole, blocks)


def test_trig_takes_the_blocks_it_is_given(seed_build: Build, tmp_path: Path) -> None:
    """The seed's dataset: TriG by graph is write_sorted's; a block given back is written as
    given (here with a comment in front), and only the other graphs are serialised."""
    graphs = write_graphs(seed_build.corpus, load_ontology(), tmp_path)
    spans = [GraphSpan.of(line) for line in graphs.contents.read_text(encoding="utf-8").splitlines(keepends=True)]
    spans = [GraphSpan(span.name, span.key or "document", span.offset, span.length) for span in spans]
    whole, blocks = _trig(graphs.dataset, spans)
    assert whole == _sorted_trig(graphs.dataset)
    _check_blocks(whole, spans, blocks)
    document = next(b for b in blocks if b.key == "document")
    marked = b"# given back\n" + whole[document.offset : document.offset + document.length]
    again, blocks_again = _trig(graphs.dataset, spans, {"document": marked})
    assert again == whole[: document.offset] + marked + whole[document.offset + document.length :]
    _check_blocks(again, spans, blocks_again)


def test_trig_of_graphs_without_keys_is_never_taken_from_reuse(tmp_path: Path) -> None:
    quad = ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode("urn:g"))
    spans = [GraphSpan(span.name, "", span.offset, span.length) for span in _dataset_file([quad], tmp_path / "d.nq")]
    asked: list[str] = []

    def reuse(key: str) -> bytes | None:
        asked.append(key)
        return b"wrong"

    stream = io.BytesIO()
    write_trig(tmp_path / "d.nq", spans, stream, reuse)
    assert (stream.getvalue(), asked) == (_sorted_trig(tmp_path / "d.nq"), [])


# ------------------------------------------------------------ spliced by subject

_NAMES = ["https://kg.example/id/Seoul", "https://kg.example/id/Seoul_2", "https://kg.example/id/서울"]
_NAMES += ["https://kg.example/id/a.b", "https://kg.example/id/end.", "https://kg.example/value/0f8e", "urn:x:1"]
_NODES = [ox.NamedNode(name) for name in _NAMES]
_PREDICATES = [ox.NamedNode(str(p)) for p in (RDF.type, RDFS.label, URIRef("https://kg.example/ontology#locatedIn"))]
_OBJECTS = [
    *_NODES,
    ox.Literal("서울"),
    ox.Literal("line\nbreak", language="ko"),
    ox.Literal('a "quote" and a \\ backslash'),
    ox.Literal("2030", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
]
_TRIPLE = st.builds(ox.Triple, st.sampled_from(_NODES), st.sampled_from(_PREDICATES), st.sampled_from(_OBJECTS))
_TRIPLES = st.sets(_TRIPLE)


def _sorted_file(triples: set[ox.Triple]) -> bytes:
    return b"".join(sorted(f"{triple} .\n".encode() for triple in triples))


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
@given(before=_TRIPLES, after=_TRIPLES)
def test_a_file_spliced_by_subject_is_the_file_serialised_again(
    fmt: str, before: set[ox.Triple], after: set[ox.Triple]
) -> None:
    def serialised(triples: set[ox.Triple]) -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "knowledge.nt").write_bytes(_sorted_file(triples))
            output = io.BytesIO()
            write_sorted(Path(folder) / "knowledge.nt", fmt, output)
            return output.getvalue()

    lines = _sorted_file(after).splitlines(keepends=True)
    subjects = sorted({str(triple.subject).encode() for triple in before ^ after})
    changes = [
        SubjectChange(subject, b"".join(line for line in lines if line.startswith(subject + b" ")))
        for subject in subjects
    ]
    spliced = splice_subjects(serialised(before), fmt, changes)
    if before and after:
        assert spliced == serialised(after)
    else:  # nothing to splice into, or nothing left: serialised whole instead
        assert spliced is None


def test_a_file_with_a_blank_node_subject_is_not_spliced() -> None:
    blank = b'_:b0 <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
    output = io.BytesIO()
    ox.serialize(ox.parse(blank, format=ox.RdfFormat.N_TRIPLES), output, format=ox.RdfFormat.TURTLE)
    change = SubjectChange(b"<urn:x:1>", b'<urn:x:1> <http://www.w3.org/2000/01/rdf-schema#label> "y" .\n')
    assert splice_subjects(output.getvalue(), "turtle", [change]) is None


# lines that share prefixes, sort around the space and the line break, and are not ASCII
_LINES = st.lists(st.text(alphabet="ab <>.!\x7f한", min_size=1, max_size=6).map(str.encode), max_size=30)


@given(_LINES, st.text(alphabet="ab <>.!\x7f한", max_size=7).map(str.encode), st.integers(0, 30))
def test_a_line_found_in_the_text_is_where_bisection_finds_it_in_the_lines(
    lines: list[bytes], line: bytes, first: int
) -> None:
    ordered = sorted(lines)
    text = b"".join(each + b"\n" for each in ordered)
    first = min(first, len(ordered))

    def offset(number: int) -> int:  # where the line of that number begins
        return sum(len(each) + 1 for each in ordered[:number])

    assert line_offset(text, line, offset(first)) == offset(bisect.bisect_left(ordered, line, first))


def test_subject_statements_are_subject_lines_with_their_line_breaks() -> None:
    lines = sorted(f"{s} <p> <o{n}> .".encode() for s in ("<a>", "<a-b>", "<ab>", "_:b1", "_:b10") for n in range(2))
    text = b"".join(line + b"\n" for line in lines)
    for subject in (b"<a>", b"<a-b>", b"<ab>", b"_:b1", b"_:b10", b"<b>", b"<"):
        assert subject_statements(text, subject) == b"".join(line + b"\n" for line in subject_lines(lines, subject))


def test_subject_lines_are_the_run_of_one_subject_only() -> None:
    """Subjects that begin like another ("<a>" and "<a-b>", "_:b1" and "_:b10") keep their
    own lines; a subject with none has an empty run."""
    lines = sorted(f"{s} <p> <o{n}> .".encode() for s in ("<a>", "<a-b>", "<ab>", "_:b1", "_:b10") for n in range(2))
    assert subject_lines(lines, b"<a>") == [b"<a> <p> <o0> .", b"<a> <p> <o1> ."]
    assert subject_lines(lines, b"_:b1") == [b"_:b1 <p> <o0> .", b"_:b1 <p> <o1> ."]
    assert subject_lines(lines, b"<a-b>") == [b"<a-b> <p> <o0> .", b"<a-b> <p> <o1> ."]
    assert subject_lines(lines, b"<b>") == []
