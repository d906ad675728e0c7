"""kg.graph: the seed corpus written as sorted N-Quads and N-Triples files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.graph import DATASET_FILE, KNOWLEDGE_FILE, STATEMENTS_FILE, Graphs, _literal, write_graphs
from kg.ns import GAZETTEER_GRAPH, KGD, KGS, ONTOLOGY_GRAPH
from kg.ontology import load_ontology
from kg.pipeline import Build


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
    assert sorted(p.name for p in tmp_path.iterdir()) == [DATASET_FILE, KNOWLEDGE_FILE, STATEMENTS_FILE]


def test_statements_are_the_dataset_without_its_ontology_graph(seed_files: Path) -> None:
    dataset = [q for q in ox.parse(path=seed_files / DATASET_FILE, format=ox.RdfFormat.N_QUADS)]
    statements = [q.triple for q in ox.parse(path=seed_files / STATEMENTS_FILE, format=ox.RdfFormat.N_TRIPLES)]
    ontology = ox.NamedNode(ONTOLOGY_GRAPH)
    assert statements == [q.triple for q in dataset if q.graph_name != ontology]
    assert len(statements) == 1346 - sum(1 for q in dataset if q.graph_name == ontology)


@given(st.text(), st.sampled_from([None, "ko", "en", "de-CH"]))
def test_literal_text_reads_back_as_the_same_literal(value: str, lang: str | None) -> None:
    triple = next(iter(ox.parse(f"<urn:s> <urn:p> {_literal(value, lang=lang)} .", format=ox.RdfFormat.N_TRIPLES)))
    assert triple.object == ox.Literal(value, language=lang)


def test_a_graph_without_statements_is_left_out(seed_build: Build, tmp_path: Path) -> None:
    # no entity from the gazetteer: the gazetteer graph is empty
    entities = tuple(replace(entity, gazetteer_id=None) for entity in seed_build.corpus.entities)
    graphs = write_graphs(replace(seed_build.corpus, entities=entities), load_ontology(), tmp_path)
    quads = list(ox.parse(path=graphs.dataset, format=ox.RdfFormat.N_QUADS))
    assert str(ox.NamedNode(GAZETTEER_GRAPH)) not in {str(q.graph_name) for q in quads}
    assert len(quads) == graphs.quads == len(_lines(graphs.dataset))
