"""kg.graph: the seed corpus written as sorted N-Quads and N-Triples files."""

from __future__ import annotations

import hashlib
import os
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef

from kg.cache import GraphFiles
from kg.export import SORT_CHUNK, GraphSpan, SubjectChange, counted_sorted_lines
from kg.graph import (
    BY_GRAPH_FILE,
    CONTENTS_FILE,
    COUNTS_FILE,
    DATASET_FILE,
    EVIDENCE_FILE,
    GRAPH_FILES,
    KNOWLEDGE_FILE,
    PROVENANCE,
    PROVENANCE_FILE,
    Graphs,
    _Graph,
    _knowledge_update,
    _literal,
    _text,
    _updated,
    _write_knowledge,
    write_graphs,
)
from kg.model import Corpus, Label
from kg.ns import GAZETTEER_GRAPH, KGD, KGO, KGS, ONTOLOGY_GRAPH, RDF, XSD
from kg.ontology import load_ontology
from kg.pipeline import Build, build

from .conftest import TEST_DATA
from .evidence import evidence_rows, normal_rows


@pytest.fixture(scope="module")
def seed_graphs(seed_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Graphs:
    return write_graphs(seed_build.corpus, load_ontology(), tmp_path_factory.mktemp("graphs"))


@pytest.fixture(scope="module")
def seed_files(seed_graphs: Graphs) -> Path:
    return seed_graphs.dataset.parent


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_seed_counts(seed_graphs: Graphs) -> None:
    graphs = seed_graphs
    assert (graphs.quads, graphs.triples, graphs.assertions) == (1346, 161, 40)
    assert len(_lines(graphs.dataset)) == 1346
    assert len(_lines(graphs.knowledge)) == 161


def test_dataset_is_sorted_by_graph_then_statement(seed_files: Path) -> None:
    quads = list(ox.parse(path=seed_files / DATASET_FILE, format=ox.RdfFormat.N_QUADS))
    names = [str(q.graph_name) for q in quads]
    assert names == sorted(names)
    assert sorted(set(names)) == sorted(
        str(ox.NamedNode(iri)) for iri in (ONTOLOGY_GRAPH, GAZETTEER_GRAPH, KGD["000_56ff57ee3c08f7b3"])
    )
    lines = _lines(seed_files / DATASET_FILE)
    for name in set(names):
        statements = [line[: -len(f" {name} .")] for line in lines if line.endswith(f" {name} .")]
        assert statements == sorted(statements)
        assert len(statements) == len(set(statements))


def test_knowledge_is_the_dataset_without_provenance_and_ontology(seed_files: Path) -> None:
    provenance = (str(KGD), str(KGS))
    expected = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(path=seed_files / DATASET_FILE, format=ox.RdfFormat.N_QUADS)
        if q.graph_name != ox.NamedNode(ONTOLOGY_GRAPH)
        and not isinstance(q.subject, ox.BlankNode)
        and not q.subject.value.startswith(provenance)
    }
    knowledge = {q.triple for q in ox.parse(path=seed_files / KNOWLEDGE_FILE, format=ox.RdfFormat.N_TRIPLES)}
    assert knowledge == expected
    lines = _lines(seed_files / KNOWLEDGE_FILE)
    assert lines == sorted(set(lines))


def test_sorting_in_small_chunks_gives_the_same_bytes(seed_build: Build, seed_files: Path, tmp_path: Path) -> None:
    graphs = write_graphs(seed_build.corpus, load_ontology(), tmp_path, chunk=7)
    assert graphs.knowledge.read_bytes() == (seed_files / KNOWLEDGE_FILE).read_bytes()
    assert graphs.dataset.read_bytes() == (seed_files / DATASET_FILE).read_bytes()
    assert graphs.evidence.read_bytes() == (seed_files / EVIDENCE_FILE).read_bytes()
    assert graphs.contents.read_bytes() == (seed_files / CONTENTS_FILE).read_bytes()
    files = [DATASET_FILE, EVIDENCE_FILE, CONTENTS_FILE, BY_GRAPH_FILE, KNOWLEDGE_FILE, PROVENANCE_FILE]  # no counts
    assert sorted(p.name for p in tmp_path.iterdir()) == files


def _spans(graphs: Graphs) -> list[GraphSpan]:
    return [GraphSpan.of(line) for line in graphs.contents.read_text(encoding="utf-8").splitlines(keepends=True)]


def test_the_table_of_contents_finds_each_graph_in_the_dataset(seed_graphs: Graphs) -> None:
    """Each graph's statements, one after another; a document graph has no key without a
    cache, the others the SHA-256 of their statements."""
    dataset = seed_graphs.dataset.read_bytes()
    spans = _spans(seed_graphs)
    assert [span.name for span in spans] == sorted(
        str(ox.NamedNode(iri)) for iri in (ONTOLOGY_GRAPH, GAZETTEER_GRAPH, KGD["000_56ff57ee3c08f7b3"])
    )
    assert b"".join(dataset[span.offset : span.offset + span.length] for span in spans) == dataset
    for span in spans:
        text = dataset[span.offset : span.offset + span.length]
        lines = text.decode("utf-8").splitlines()
        assert lines and all(line.endswith(f" {span.name} .") for line in lines)
        statements = b"".join(line[: -len(f" {span.name} .")].encode() + b" .\n" for line in lines)
        document = span.name == str(ox.NamedNode(KGD["000_56ff57ee3c08f7b3"]))
        assert span.key == ("" if document else hashlib.sha256(statements).hexdigest())


def test_provenance_is_each_document_graphs_statements_about_its_own_nodes(
    two_documents: Corpus, tmp_path: Path
) -> None:
    """Graph after graph, in the dataset's order, the statements whose subject is a
    document, a sentence or an assertion, sorted; with the knowledge graph, every statement
    of the dataset but the ontology's."""
    graphs = write_graphs(two_documents, load_ontology(), tmp_path)
    lines = _lines(graphs.dataset)
    names = sorted({line.rsplit(" ", 2)[1] for line in lines if line.rsplit(" ", 2)[1].startswith(f"<{KGD}")})
    assert len(names) == 2
    parts = [
        "".join(
            line[: -len(f" {name} .")] + " .\n"
            for line in lines
            if line.endswith(f" {name} .") and line.startswith(PROVENANCE)
        ).encode("utf-8")
        for name in names
    ]
    assert graphs.provenance.read_bytes() == b"".join(parts)
    assert graphs.provenance_lengths == tuple(len(part) for part in parts)
    assert all(parts)
    ontology = ox.NamedNode(ONTOLOGY_GRAPH)
    dataset = {q.triple for q in ox.parse(path=graphs.dataset, format=ox.RdfFormat.N_QUADS) if q.graph_name != ontology}
    read = {
        q.triple
        for path in (graphs.knowledge, graphs.provenance)
        for q in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)
    }
    assert read == dataset


def _dataset_store(graphs: Graphs) -> ox.Store:
    store = ox.Store()
    store.load(path=graphs.dataset, format=ox.RdfFormat.N_QUADS)
    return store


def test_the_evidence_file_is_what_the_dataset_says(seed_graphs: Graphs) -> None:
    # the page reads the sentences and the relations' evidence from this file, not from
    # the dataset: it must say what the dataset's statements say
    (row,) = normal_rows(seed_graphs.evidence.read_text(encoding="utf-8"))
    assert [row] == evidence_rows(_dataset_store(seed_graphs))
    document, headline, date, sentences, relations = row
    assert (document, len(sentences), len(relations)) == (str(KGD["000_56ff57ee3c08f7b3"]), 17, 29)
    assert (headline, date) == (["ADeKo 콘퍼런스서 서울시 AI 정책 방향 소개", "ko"], "2024-09-25")


def test_the_evidence_file_of_several_documents(tmp_path: Path) -> None:
    # one with no front matter: no headline, no date
    plain = tmp_path / "plain.txt"
    plain.write_text((TEST_DATA / "en_daejeon_quantum.txt").read_text(encoding="utf-8").split("---\n")[2])
    corpus = build([*sorted(TEST_DATA.glob("*.txt")), plain]).corpus
    (tmp_path / "graphs").mkdir()
    graphs = write_graphs(corpus, load_ontology(), tmp_path / "graphs")
    rows = normal_rows(graphs.evidence.read_text(encoding="utf-8"))
    assert rows == evidence_rows(_dataset_store(graphs))
    # in the dataset's order: its N-Quads lines sorted, where ">" ends a graph's name
    assert [f"<{row[0]}>" for row in rows] == sorted(
        f"<{KGD[linked.extraction.document.doc_id]}>" for linked in corpus.documents
    )
    (plain_row,) = [row for row in rows if row[0] == str(KGD["plain"])]
    assert plain_row[1:3] == [None, ""]
    assert len(plain_row[3]) > 0


@given(st.text(), st.sampled_from([None, "ko", "en", "de-CH"]))
def test_literal_text_reads_back_as_the_same_literal(value: str, lang: str | None) -> None:
    triple = next(iter(ox.parse(f"<urn:s> <urn:p> {_literal(value, lang=lang)} .", format=ox.RdfFormat.N_TRIPLES)))
    assert triple.object == ox.Literal(value, language=lang)


@given(
    st.text(),
    st.sampled_from([None, "ko", "EN", "de-CH"]),
    st.sampled_from([None, XSD.integer, XSD.string, XSD.date]),
)
def test_literal_text_is_what_oxigraph_writes(value: str, lang: str | None, datatype: URIRef | None) -> None:
    if lang:
        literal = ox.Literal(value, language=lang)
    elif datatype is not None:
        literal = ox.Literal(value, datatype=ox.NamedNode(datatype))
    else:
        literal = ox.Literal(value)
    assert _literal(value, lang=lang, datatype=datatype) == str(literal)


def test_literal_escapes_every_character_oxigraph_escapes() -> None:
    # the literals written without Oxigraph: each character, alone between two others
    for code in [*range(0xD800), *range(0xE000, 0x110000)]:
        value = f"a{chr(code)}b"
        assert _literal(value, lang="ko") == str(ox.Literal(value, language="ko")), hex(code)
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate: refused, as Oxigraph refuses it
        _literal("a\ud800b", lang="ko")


_SUBJECTS = [
    f"<{KGD}a>",
    f"<{KGD}a/sentence/0>",
    f"<{KGS}0f>",
    "_:b0",
    "<https://kg.example/id/Seoul>",
    "<https://kg.example/do>",
    "<https://kg.example/docs>",
    "<https://kg.example/value/9a>",
    "<urn:a>",
    "<zz>",
    # just past each prefix's lines, and a prefix followed by a character outside the BMP
    f"<{str(KGD)[:-1]}0>",
    f"<{str(KGS)[:-1]}0>",
    "_;x",
    f"<{KGD}\U0001f600>",
]


@given(st.sets(st.tuples(st.sampled_from(_SUBJECTS), st.sampled_from(["<urn:p>", "<urn:q>"]))))
def test_a_graphs_text_parts_its_lines_by_their_subjects(pairs: set[tuple[str, str]]) -> None:
    graph = _Graph()
    graph.lines.update(f'{subject} {predicate} "x"' for subject, predicate in pairs)
    text = _text(graph)
    ordered = [f"{line} .\n".encode() for line in sorted(graph.lines)]
    assert text.statements == b"".join(ordered) and text.lines == len(ordered)
    assert text.provenance == b"".join(line for line in ordered if line.decode().startswith(PROVENANCE))
    assert text.knowledge == b"".join(line for line in ordered if not line.decode().startswith(PROVENANCE))


def test_a_graph_without_statements_is_left_out(seed_build: Build, tmp_path: Path) -> None:
    # no entity from the gazetteer: the gazetteer graph is empty
    entities = tuple(replace(entity, gazetteer_id=None) for entity in seed_build.corpus.entities)
    graphs = write_graphs(replace(seed_build.corpus, entities=entities), load_ontology(), tmp_path)
    quads = list(ox.parse(path=graphs.dataset, format=ox.RdfFormat.N_QUADS))
    assert str(ox.NamedNode(GAZETTEER_GRAPH)) not in {str(q.graph_name) for q in quads}
    assert len(quads) == graphs.quads == len(_lines(graphs.dataset))


# ----------------------------------------------------------- the last build's graph files


@pytest.fixture(scope="module")
def two_documents() -> Corpus:
    """Two documents sharing three entities; Dongbaekjeonja (a company) is in the first only."""
    return build([TEST_DATA / "ko_busan_robot.txt", TEST_DATA / "ko_ministry_forum.txt"]).corpus


def _write(
    corpus: Corpus, folder: Path, cache: GraphFiles | None = None, chunk: int = SORT_CHUNK
) -> tuple[tuple[bytes, ...], int]:
    """The graph files and the counts, and how many graphs came from ``cache``."""
    folder.mkdir()
    keys = [f"extraction {n}" for n in range(len(corpus.documents))] if cache is not None else []
    graphs = write_graphs(corpus, load_ontology(), folder, chunk, cache=cache, extraction_keys=keys)
    files = tuple((folder / name).read_bytes() for name in GRAPH_FILES if name != COUNTS_FILE)
    counts = (graphs.quads, graphs.triples, graphs.assertions, graphs.provenance_lengths)
    return (*files, str(counts).encode()), graphs.from_cache


def _filled(corpus: Corpus, tmp_path: Path) -> Path:
    cache = GraphFiles(tmp_path / "cache", GRAPH_FILES)
    assert _write(corpus, tmp_path / "first", cache)[0] == _write(corpus, tmp_path / "plain")[0]
    cache.commit(tmp_path / "first")
    return tmp_path / "cache"


def test_a_rebuild_takes_every_unchanged_graph_from_the_cache(two_documents: Corpus, tmp_path: Path) -> None:
    cache = GraphFiles(_filled(two_documents, tmp_path), GRAPH_FILES)
    files, from_cache = _write(two_documents, tmp_path / "again", cache)
    assert (files, from_cache) == (_write(two_documents, tmp_path / "plain_again")[0], 2)


def _relabelled(corpus: Corpus, key: str) -> Corpus:
    return replace(
        corpus,
        entities=tuple(
            replace(e, labels=(Label("동백전자 주식회사", "ko", preferred=True),)) if e.key == key else e
            for e in corpus.entities
        ),
    )


def _reclassed(corpus: Corpus, key: str) -> Corpus:
    return replace(
        corpus, entities=tuple(replace(e, cls="Organization") if e.key == key else e for e in corpus.entities)
    )


def _swapped_clusters(corpus: Corpus, key: str) -> Corpus:
    first, *rest = corpus.documents
    keys = list(first.entity_keys)
    keys[0], keys[-1] = keys[-1], keys[0]
    return replace(corpus, documents=(replace(first, entity_keys=tuple(keys)), *rest))


@pytest.mark.parametrize(
    ("change", "from_cache"),
    [(_relabelled, 1), (_reclassed, 1), (_swapped_clusters, 1), (lambda corpus, key: corpus, 2)],
)
def test_a_graph_is_written_again_when_what_it_reads_of_its_entities_changes(
    two_documents: Corpus, tmp_path: Path, change: Callable[[Corpus, str], Corpus], from_cache: int
) -> None:
    changed = change(two_documents, "Dongbaekjeonja")
    cache = GraphFiles(_filled(two_documents, tmp_path), GRAPH_FILES)
    # the second document's graph does not name the changed entity
    assert _write(changed, tmp_path / "again", cache) == (_write(changed, tmp_path / "plain_changed")[0], from_cache)


def test_an_updated_knowledge_graph_gives_the_subjects_that_changed(two_documents: Corpus, tmp_path: Path) -> None:
    changed = _relabelled(two_documents, "Dongbaekjeonja")
    cache = GraphFiles(_filled(two_documents, tmp_path), GRAPH_FILES)
    (tmp_path / "again").mkdir()
    keys = [f"extraction {n}" for n in range(len(changed.documents))]
    graphs = write_graphs(changed, load_ontology(), tmp_path / "again", cache=cache, extraction_keys=keys)
    before = set((tmp_path / "first" / KNOWLEDGE_FILE).read_bytes().splitlines(keepends=True))
    after = graphs.knowledge.read_bytes().splitlines(keepends=True)
    subjects = sorted({line.split(b" ")[0] for line in before ^ set(after)})
    assert subjects == [b"<https://kg.example/id/Dongbaekjeonja>"]
    statements = b"".join(line for line in after if line.startswith(subjects[0] + b" "))
    assert graphs.changed_subjects == (SubjectChange(subjects[0], statements),)
    (tmp_path / "sorted").mkdir()
    assert write_graphs(changed, load_ontology(), tmp_path / "sorted").changed_subjects is None


def test_a_removed_document_leaves_the_cache(two_documents: Corpus, tmp_path: Path) -> None:
    folder = _filled(two_documents, tmp_path)
    one = GraphFiles(folder, GRAPH_FILES)
    assert _write(replace(two_documents, documents=two_documents.documents[:1]), tmp_path / "one", one)[1] == 1
    one.commit(tmp_path / "one")
    both = GraphFiles(folder, GRAPH_FILES)
    assert _write(two_documents, tmp_path / "both", both)[1] == 1  # the second graph was written again


def test_with_a_cache_a_document_graphs_key_is_what_it_is_made_from(two_documents: Corpus, tmp_path: Path) -> None:
    """The key kg.export.write_trig takes a graph's TriG by: the same whether the graph was
    written or taken from the cache, another when what it reads of an entity changes."""
    keys = ["extraction 0", "extraction 1"]

    def spans(corpus: Corpus, name: str) -> list[GraphSpan]:
        (tmp_path / name).mkdir()
        cache = GraphFiles(tmp_path / "cache", GRAPH_FILES)
        graphs = write_graphs(corpus, load_ontology(), tmp_path / name, cache=cache, extraction_keys=keys)
        cache.commit(tmp_path / name)
        return _spans(graphs)

    written, reused = spans(two_documents, "written"), spans(two_documents, "reused")
    assert written == reused
    documents = [span.key for span in written if span.name.startswith(f"<{KGD}")]
    assert len(documents) == len(set(documents)) == 2 and all(len(key) == 64 for key in documents)
    relabelled = spans(_relabelled(two_documents, "Dongbaekjeonja"), "relabelled")
    # the first document's graph names the entity, the second's does not; the gazetteer's has it not
    assert [a.key == b.key for a, b in zip(written, relabelled, strict=True)] == [False, True, True, True]


def test_a_rebuild_updates_the_knowledge_graph_without_sorting_it(
    two_documents: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = _relabelled(two_documents, "Dongbaekjeonja")  # a label gone, another come
    expected = _write(changed, tmp_path / "plain_changed")[0]
    cache = GraphFiles(_filled(two_documents, tmp_path), GRAPH_FILES)

    def unsorted(*arguments: object) -> None:
        raise AssertionError("the knowledge graph was sorted again")

    monkeypatch.setattr("kg.graph.counted_sorted_lines", unsorted)
    assert _write(changed, tmp_path / "again", cache) == (expected, 1)
    monkeypatch.undo()
    _write(changed, tmp_path / "sorted", GraphFiles(tmp_path / "another cache", GRAPH_FILES))
    assert (tmp_path / "again" / COUNTS_FILE).read_bytes() == (tmp_path / "sorted" / COUNTS_FILE).read_bytes()


def test_a_rebuild_with_more_changed_statements_than_a_chunk_sorts_them(two_documents: Corpus, tmp_path: Path) -> None:
    changed = _relabelled(two_documents, "Dongbaekjeonja")
    cache = GraphFiles(_filled(two_documents, tmp_path), GRAPH_FILES)
    assert _write(changed, tmp_path / "again", cache, chunk=7) == (_write(changed, tmp_path / "plain_changed")[0], 1)


def test_graph_files_changed_since_are_written_again(two_documents: Corpus, tmp_path: Path) -> None:
    folder = _filled(two_documents, tmp_path)
    dataset = folder / "graph-files" / DATASET_FILE
    stat = dataset.stat()
    os.utime(dataset, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    cache = GraphFiles(folder, GRAPH_FILES)
    assert _write(two_documents, tmp_path / "again", cache) == (_write(two_documents, tmp_path / "plain_again")[0], 0)


_STATEMENTS = st.sampled_from([f"<urn:s{n}> <urn:p> <urn:o{n % 3}> .".encode() for n in range(8)])
_GRAPHS = st.lists(st.frozensets(_STATEMENTS, max_size=5), max_size=5)


@given(_GRAPHS, _GRAPHS, _GRAPHS)
def test_counts_updated_by_the_graphs_changed_are_the_counts_sorted_again(
    kept: list[frozenset[bytes]], gone: list[frozenset[bytes]], come: list[frozenset[bytes]]
) -> None:
    def text(graph: frozenset[bytes]) -> bytes:
        return b"".join(line + b"\n" for line in sorted(graph))

    def counted(graphs: list[frozenset[bytes]]) -> tuple[bytes, array[int]]:
        pairs = list(counted_sorted_lines((line + b"\n" for graph in graphs for line in graph), chunk=3))
        return b"".join(line for line, _ in pairs), array("I", [count for _, count in pairs])

    before = counted(kept + gone)
    update = _knowledge_update([text(g) for g in come], [text(g) for g in gone])
    after = counted(kept + come)
    # the lines added or gone: their subjects changed
    differing = set(before[0].splitlines()) ^ set(after[0].splitlines())
    assert _updated(*before, update) == (*after, {line.split(b" ")[0] for line in differing})


def test_counts_that_do_not_fit_the_change_are_no_update() -> None:
    line = b"<urn:s> <urn:p> <urn:o> ."
    assert _updated(line + b"\n", array("I", [1]), Counter({line: -2})) is None
    assert _updated(b"", array("I"), Counter({line: -1})) is None
    assert _updated(line + b"\n", array("I"), Counter()) is None  # a count per line
    assert _updated(line, array("I", [1]), Counter()) is None  # cut short


def test_a_rebuild_with_nothing_changed_sorts_nothing(
    two_documents: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = GraphFiles(_filled(two_documents, tmp_path), GRAPH_FILES)

    def unsorted(*arguments: object) -> None:
        raise AssertionError("the knowledge graph was sorted again")

    monkeypatch.setattr("kg.graph.counted_sorted_lines", unsorted)
    assert _write(two_documents, tmp_path / "again", cache) == (_write(two_documents, tmp_path / "plain_again")[0], 2)
    assert (tmp_path / "again" / COUNTS_FILE).read_bytes() == (tmp_path / "first" / COUNTS_FILE).read_bytes()


def test_a_knowledge_graph_gone_since_its_index_was_read_is_sorted_again(two_documents: Corpus, tmp_path: Path) -> None:
    folder = _filled(two_documents, tmp_path)
    cache = GraphFiles(folder, GRAPH_FILES)
    added = b"<urn:added> <urn:p> <urn:o> .\n"
    by_graph = (tmp_path / "first" / BY_GRAPH_FILE).read_bytes() + added
    (tmp_path / "update").mkdir()
    (tmp_path / "update" / BY_GRAPH_FILE).write_bytes(by_graph)
    (folder / "graph-files" / KNOWLEDGE_FILE).unlink()  # after the index was read
    triples = _write_knowledge(tmp_path / "update", cache, Counter({added[:-1]: 1}), SORT_CHUNK, counted=True)
    lines = sorted(set(by_graph.splitlines(keepends=True)))
    assert (tmp_path / "update" / KNOWLEDGE_FILE).read_bytes() == b"".join(lines)
    assert triples == (len(lines), None)  # sorted: which subjects changed is not known


def test_the_assertions_counted_are_the_statements_that_type_one(two_documents: Corpus, tmp_path: Path) -> None:
    # an entity given the class of an assertion (which the shapes reject) counts as one too
    entities = (replace(two_documents.entities[0], cls="Assertion"), *two_documents.entities[1:])
    graphs = write_graphs(replace(two_documents, entities=entities), load_ontology(), tmp_path)
    typed = [line for line in _lines(graphs.dataset) if f" <{RDF.type}> <{KGO.Assertion}> " in line]
    assert graphs.assertions == len(typed) > 0
