"""kg's validator (kg/validate.py, all in Oxigraph) against pySHACL with RDFS inference, the
independent reference: the seed graph broken in many distinct ways, every constraint
component of ontology/shapes.ttl at least once, must give the same (focus, path,
message) list, duplicates included. Then the input kinds (Graph, Dataset, Store), the
caller's store left as it was, and shapes that kg cannot check."""

from __future__ import annotations

import io
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyshacl import validate as shacl_validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node
from tqdm import tqdm

from kg.errors import InputError, KGError, ShapesError
from kg.export import to_oxigraph
from kg.graph import PROVENANCE
from kg.ns import ONTOLOGY_GRAPH, RDF, RDFS, SH, SHAPES_PATH
from kg.ontology import load_ontology
from kg.pipeline import Build, build
from kg.progress import bar
from kg.validate import (
    _UNITS,
    BuildStatements,
    GraphReading,
    _batch_opening,
    _checked_mark,
    _fingerprint,
    _home,
    _in_processes,
    _NotInParts,
    _Part,
    _part_worker,
    _read_graph,
    _Schema,
    _split,
    _text,
    _units_file,
    _validate_in_parts,
    load_shapes,
    validate,
)

from .conftest import TEST_DATA

PREFIXES = """
PREFIX kgo: <https://kg.example/ontology#>
PREFIX kgr: <https://kg.example/id/>
PREFIX kgs: <https://kg.example/statement/>
PREFIX kgq: <https://kg.example/value/>
PREFIX kgd: <https://kg.example/doc/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

ARTICLE = "kgd:000_56ff57ee3c08f7b3"
SENTENCE = "<https://kg.example/doc/000_56ff57ee3c08f7b3/sentence/0>"
ASSERTION = "kgs:0242adc26e19add3ff99"  # Seoul_AI_Heobeu kgo:foundingDate "2017"
MONEY = "kgq:1be85df4ca12d58ab37f"  # a kgo:Quantity, schema:MonetaryAmount with schema:currency "KRW"
AREA = "kgq:25e4bb03bcc579847024"  # a kgo:Quantity with schema:unitCode "MTK"
EVENT = "kgr:ADeKo_Konpeoreonseu"  # a kgo:Conference, editionNumber 14, startDate 2024-09-25


def _replace(subject: str, predicate: str, new: str) -> str:
    """An update that gives ``subject`` ``new`` as its only ``predicate`` value (none when empty)."""
    insert = f"INSERT {{ {subject} {predicate} {new} }}" if new else ""
    return f"DELETE {{ {subject} {predicate} ?o }} {insert} WHERE {{ {subject} {predicate} ?o }}"


# One SPARQL update per break: (what it breaks, update)
BREAKS = [
    # entities: sh:minCount, sh:uniqueLang, sh:datatype, sh:nodeKind, sh:pattern, sh:maxCount
    ("label missing", _replace("kgr:Seong_Jae-yong", "rdfs:label", "")),
    ("two labels in one language", 'INSERT DATA { kgr:Naver rdfs:label "Naver Corp"@fr , "Naver"@fr }'),
    ("two labels, language tags differing in case", 'INSERT DATA { kgr:Seoul rdfs:label "SEOUL"@EN }'),
    ("label without a language tag", 'INSERT DATA { kgr:Seoul rdfs:label "Seoul City" }'),
    ("altLabel without a language tag", 'INSERT DATA { kgr:Seoul skos:altLabel "서울시"^^xsd:string }'),
    ("sameAs not Wikidata", "INSERT DATA { kgr:Seoul owl:sameAs <http://dbpedia.org/resource/Seoul> }"),
    ("sameAs a literal", 'INSERT DATA { kgr:Seoul owl:sameAs "Q8684" }'),
    ("sameAs a blank node", "INSERT DATA { kgr:Seoul owl:sameAs [] }"),
    ("sameAs Q0", "INSERT DATA { kgr:Seoul owl:sameAs wd:Q0123 }"),
    ("two countries", 'INSERT DATA { kgr:Canada schema:addressCountry "KR" }'),
    ("country in lower case", _replace("kgr:Canada", "schema:addressCountry", '"ca"')),
    ("country with a language tag", _replace("kgr:Canada", "schema:addressCountry", '"CA"@en')),
    # sh:sparql (one class) and sh:not of sh:or of classes (disjointness)
    ("a city that is a country", "INSERT DATA { kgr:Seoul a kgo:Country }"),
    ("a person that is a company", "INSERT DATA { kgr:Oh_Se-hoon a kgo:Company }"),
    ("a place that is a conference", "INSERT DATA { kgr:Seoul a kgo:Conference }"),
    ("a concept that is a quantity", "INSERT DATA { kgr:Fintech a kgo:Quantity }"),
    ("an assertion that is a person", f"INSERT DATA {{ {ASSERTION} a kgo:Person }}"),
    # relations: sh:class and sh:or of classes on the node and its values; domains and
    # ranges type the nodes, superproperties add statements (kgo:mayorOf is kgo:headOf)
    ("mayorOf from an organisation", "INSERT DATA { kgr:Naver kgo:mayorOf kgr:Seoul }"),
    ("mayorOf a country", "INSERT DATA { kgr:Oh_Se-hoon kgo:mayorOf kgr:Germany }"),
    ("headOf a literal", 'INSERT DATA { kgr:Oh_Se-hoon kgo:headOf "Seoul" }'),
    ("affiliatedWith a literal", 'INSERT DATA { kgr:Oh_Se-hoon kgo:affiliatedWith "Seoul" }'),
    ("speakerAt a person", "INSERT DATA { kgr:Seong_Jae-yong kgo:speakerAt kgr:Oh_Se-hoon }"),
    ("keynoteSpeakerAt a blank node", "INSERT DATA { kgr:Oh_Se-hoon kgo:keynoteSpeakerAt [] }"),
    ("heldAt a concept", f"INSERT DATA {{ {EVENT} kgo:heldAt kgr:Fintech }}"),
    ("jointEventOf a city", f"INSERT DATA {{ {EVENT} kgo:jointEventOf kgr:Seoul }}"),
    ("theme a person", f"INSERT DATA {{ {EVENT} kgo:theme kgr:Oh_Se-hoon }}"),
    ("organizer a literal", f'INSERT DATA {{ {EVENT} kgo:organizer "KCCI" }}'),
    ("attractsTalentFrom from a person", "INSERT DATA { kgr:Oh_Se-hoon kgo:attractsTalentFrom kgr:Vietnam }"),
    ("cooperatesWith an event", f"INSERT DATA {{ kgr:Seoul kgo:cooperatesWith {EVENT} }}"),
    ("fundedBy a literal", 'INSERT DATA { kgr:Naver kgo:fundedBy "investors" }'),
    ("foundedBy from an event", f"INSERT DATA {{ {EVENT} kgo:foundedBy kgr:Seoul }}"),
    ("locatedIn a concept", "INSERT DATA { kgr:Naver kgo:locatedIn kgr:Fintech }"),
    ("parentOrganization a literal", 'INSERT DATA { kgr:Naver kgo:parentOrganization "Naver Group" }'),
    ("hasQuantity an organisation", "INSERT DATA { kgr:Seoul kgo:hasQuantity kgr:Naver }"),
    ("floorSize of a person", f"INSERT DATA {{ kgr:Oh_Se-hoon kgo:floorSize {AREA} }}"),
    ("valuation of an event", f"INSERT DATA {{ {EVENT} kgo:valuation {MONEY} }}"),
    # literal facts: sh:datatype (ill-typed too), sh:or of datatypes, sh:minInclusive
    ("endDate a string", f'INSERT DATA {{ {EVENT} kgo:endDate "2024-09-27" }}'),
    ("startDate a year", _replace(EVENT, "kgo:startDate", '"2024"^^xsd:gYear')),
    ("startDate ill-typed", _replace(EVENT, "kgo:startDate", '"2024-13-45"^^xsd:date')),
    ("startDate of a city", 'INSERT DATA { kgr:Seoul kgo:startDate "2024-09-25"^^xsd:date }'),
    ("edition 0", _replace(EVENT, "kgo:editionNumber", "0")),
    ("edition a string", _replace(EVENT, "kgo:editionNumber", '"14"')),
    ("edition a decimal", _replace(EVENT, "kgo:editionNumber", "14.5")),
    ("edition ill-typed", _replace(EVENT, "kgo:editionNumber", '"many"^^xsd:integer')),
    ("foundingDate a string", _replace("kgr:Seoul_AI_Heobeu", "kgo:foundingDate", '"2017"')),
    ("targetDate a dateTime", 'INSERT DATA { kgr:Seoul kgo:targetDate "2030-06-30T00:00:00"^^xsd:dateTime }'),
    ("foundingDate of a person", 'INSERT DATA { kgr:Oh_Se-hoon kgo:foundingDate "1961"^^xsd:gYear }'),
    # quantities: sh:xone of property shapes, sh:or with a property shape, counts, patterns
    ("unit and currency", f'INSERT DATA {{ {AREA} schema:currency "KRW" }}'),
    ("no unit", _replace(AREA, "schema:unitCode", "")),
    ("value a double", _replace(AREA, "schema:value", "2.0e5")),
    ("two values", f"INSERT DATA {{ {AREA} schema:value 3 }}"),
    ("no value", _replace(AREA, "schema:value", "")),
    ("unit code in lower case", _replace(AREA, "schema:unitCode", '"mtk"')),
    ("currency a word", _replace(MONEY, "schema:currency", '"won"')),
    ("money not typed MonetaryAmount", f"DELETE DATA {{ {MONEY} a schema:MonetaryAmount }}"),
    ("no qualifier", _replace(AREA, "kgo:qualifier", "")),
    ("qualifier not in the list", _replace(AREA, "kgo:qualifier", '"roughly"')),
    ("qualifier with a language tag", _replace(AREA, "kgo:qualifier", '"exact"@en')),
    ("name without a language tag", f'INSERT DATA {{ {AREA} schema:name "floor" }}'),
    # assertions: counts, sh:nodeKind, sh:or of classes, sh:class, qualified counts,
    # sh:minLength, sh:minInclusive and sh:maxInclusive
    ("no subject", _replace(ASSERTION, "rdf:subject", "")),
    ("subject a blank node", _replace(ASSERTION, "rdf:subject", "[]")),
    ("two predicates", f"INSERT DATA {{ {ASSERTION} rdf:predicate kgo:foundedBy }}"),
    ("predicate not in the ontology", _replace(ASSERTION, "rdf:predicate", "kgo:bestFriendOf")),
    ("predicate a literal", _replace(ASSERTION, "rdf:predicate", '"foundingDate"')),
    ("no object", _replace(ASSERTION, "rdf:object", "")),
    ("two objects", f'INSERT DATA {{ {ASSERTION} rdf:object "2018"^^xsd:gYear }}'),
    ("no evidence", _replace(ASSERTION, "kgo:evidence", "")),
    ("evidence an article", _replace(ASSERTION, "kgo:evidence", ARTICLE)),
    ("no source article", _replace(ASSERTION, "prov:wasDerivedFrom", "")),
    (
        "two source articles",
        f'INSERT DATA {{ kgd:other a schema:NewsArticle ; schema:inLanguage "en" . '
        f"{ASSERTION} prov:wasDerivedFrom kgd:other }}",
    ),
    ("rule empty", _replace(ASSERTION, "kgo:rule", '""')),
    ("rule with a language tag", _replace(ASSERTION, "kgo:rule", '"ko.rule"@en')),
    ("confidence above 1", _replace(ASSERTION, "kgo:confidence", "1.5")),
    ("confidence below 0", _replace(ASSERTION, "kgo:confidence", '"-0.1"^^xsd:decimal')),
    ("confidence a double", _replace(ASSERTION, "kgo:confidence", "0.5e0")),
    ("confidence a word", _replace(ASSERTION, "kgo:confidence", '"high"')),
    # sentences: sh:sparql (anchor length), sh:lessThan, counts, sh:class
    ("anchor shorter than its offsets", _replace(SENTENCE, "nif:anchorOf", '"abc"@ko')),
    ("begin below 0", _replace(SENTENCE, "nif:beginIndex", "-1")),
    ("begin after end", _replace(SENTENCE, "nif:beginIndex", "500")),
    ("begin a decimal", _replace(SENTENCE, "nif:beginIndex", "0.0")),
    ("two ends", f"INSERT DATA {{ {SENTENCE} nif:endIndex 178 }}"),
    ("no end", _replace(SENTENCE, "nif:endIndex", "")),
    ("end a string", _replace(SENTENCE, "nif:endIndex", '"179"')),
    ("no context", _replace(SENTENCE, "nif:referenceContext", "")),
    ("context an entity", _replace(SENTENCE, "nif:referenceContext", "kgr:Seoul")),
    ("anchor an IRI", _replace(SENTENCE, "nif:anchorOf", "kgr:Seoul")),
    # articles
    ("two publication dates", f'INSERT DATA {{ {ARTICLE} schema:datePublished "2024-09-26"^^xsd:date }}'),
    ("publication date a string", _replace(ARTICLE, "schema:datePublished", '"2024-09-25"')),
    ("no language", _replace(ARTICLE, "schema:inLanguage", "")),
    ("language a word", _replace(ARTICLE, "schema:inLanguage", '"Korean"')),
    ("mentions a literal", f'INSERT DATA {{ {ARTICLE} schema:mentions "Seoul" }}'),
]


def _entailed(data: Graph) -> Graph:
    """``data``, the ontology and the RDFS entailments kg's shapes are written for: rules
    rdfs7 (superproperties), rdfs2 and rdfs3 (domains and ranges; a literal gets no type)
    and rdfs9 (superclasses), to a fixpoint, in rdflib. pySHACL's ``inference="rdfs"``
    (owlrl) does more: it adds copies of literals in other forms as values and types
    literal objects through ranges, neither of which kg, or the validator before it, did."""
    graph = Graph()
    graph += data
    graph += load_ontology()
    while True:
        size = len(graph)
        for p, q in list(graph.subject_objects(RDFS.subPropertyOf)):
            for s, o in list(graph.subject_objects(p)):
                graph.add((s, q, o))
        for p, c in list(graph.subject_objects(RDFS.domain)):
            for s in list(graph.subjects(p, None)):
                graph.add((s, RDF.type, c))
        for p, c in list(graph.subject_objects(RDFS.range)):
            for o in list(graph.objects(None, p)):
                if not isinstance(o, Literal):
                    graph.add((o, RDF.type, c))
        for c, d in list(graph.subject_objects(RDFS.subClassOf)):
            for s in list(graph.subjects(RDF.type, c)):
                graph.add((s, RDF.type, d))
        if len(graph) == size:
            return graph


def _pyshacl(data: Graph, touched: Iterable[Node] | None = None) -> list[tuple[str, str, str]]:
    """pySHACL's violations on the RDFS entailment of ``data`` and the ontology. With
    ``touched`` IRIs, the sh:sparql shapes (one rdflib query per focus node, nearly all of
    pySHACL's time) check only those of their focus nodes: the only ones a break can make
    fail them."""
    closure = _entailed(data)
    shapes = load_shapes()
    runs = []
    if touched is None:
        runs.append(_run_pyshacl(closure, shapes))
    else:
        without_sparql = Graph()
        without_sparql += shapes
        without_sparql.remove((None, SH.sparql, None))
        runs.append(_run_pyshacl(closure, without_sparql))
        for shape in sorted(shapes.subjects(SH.sparql, None)):
            targets = {n for c in shapes.objects(shape, SH.targetClass) for n in closure.subjects(RDF.type, c)}
            focus = sorted(set(touched) & targets)
            if focus:
                runs.append(_run_pyshacl(closure, shapes, use_shapes=[shape], focus_nodes=focus))
    return sorted(
        (_text(data, report.value(r, SH.focusNode)), _text(data, report.value(r, SH.resultPath)),
         str(report.value(r, SH.resultMessage)))
        for report in runs
        for r in report.subjects(SH.resultSeverity, SH.Violation)
    )  # fmt: skip


def _run_pyshacl(closure: Graph, shapes: Graph, **options: object) -> Graph:
    _, report, _ = shacl_validate(closure, shacl_graph=shapes, inference="none", allow_warnings=True, **options)
    return report


def _kg(data: Graph | Dataset | ox.Store | Path) -> list[tuple[str, str, str]]:
    return [(v.focus, v.path, v.message) for v in validate(data).violations]


@pytest.fixture(scope="module")
def seed_graph(seed_build: Build) -> Graph:
    """The seed dataset's graphs but the ontology, as one graph."""
    graph = Graph()
    for s, p, o, g in seed_build.dataset.quads((None, None, None, None)):
        if (g.identifier if isinstance(g, Graph) else g) != ONTOLOGY_GRAPH:
            graph.add((s, p, o))
    return graph


def test_the_seed_conforms(seed_build: Build, seed_graph: Graph) -> None:
    assert validate(seed_build.store) == validate(seed_build.dataset) == validate(seed_graph)
    assert validate(seed_build.store).conforms
    assert _pyshacl(seed_graph) == []
    assert validate(Graph()).conforms


@pytest.mark.parametrize("update", [update for _, update in BREAKS], ids=[name for name, _ in BREAKS])
def test_a_break_is_found_as_pyshacl_finds_it(seed_graph: Graph, update: str) -> None:
    graph = Graph()
    graph += seed_graph
    graph.update(PREFIXES + update)
    changed = (graph - seed_graph) + (seed_graph - graph)
    touched = {n for s, _, o in changed for n in (s, o) if not isinstance(n, Literal)}
    # pySHACL takes only IRIs as focus nodes: with a blank node, the SPARQL shapes check all
    expected = _pyshacl(graph, None if any(isinstance(n, BNode) for n in touched) else touched)
    assert expected, "the break breaks no shape"
    assert _kg(graph) == expected


# For each constraint component of shapes.ttl, a break above whose only failing component
# in the shape it breaks is that one (sh:property: every break of a property shape)
COMPONENT_BREAKS = {
    SH["class"]: "evidence an article",
    SH.datatype: "label without a language tag",
    SH.nodeKind: "subject a blank node",
    SH.minCount: "label missing",
    SH.maxCount: "two countries",
    SH.pattern: "country in lower case",
    SH.minLength: "rule empty",
    SH.minInclusive: "edition 0",
    SH.maxInclusive: "confidence above 1",
    SH.uniqueLang: "two labels in one language",
    SH.lessThan: "begin after end",
    SH["or"]: "money not typed MonetaryAmount",
    SH["not"]: "a person that is a company",
    SH.xone: "unit and currency",
    SH.qualifiedValueShape: "no source article",
    SH.sparql: "a city that is a country",
}


def test_every_constraint_component_has_a_break() -> None:
    shapes = load_shapes()
    used = {p for p in shapes.predicates() if str(p).startswith(str(SH))}
    parameters = {SH.path, SH.message, SH.targetClass, SH.targetSubjectsOf, SH.declare, SH.prefix, SH.namespace}
    parameters |= {SH.prefixes, SH.select, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.property}
    assert used - parameters == set(COMPONENT_BREAKS)


def _messages_of(shapes: Graph, component: URIRef) -> set[str]:
    """The messages (up to a first placeholder) of the shapes that report what ``component``
    finds: the nearest shape around it with an sh:message."""
    if component == SH.sparql:
        return {str(shapes.value(c, SH.message)).split("{")[0] for c in shapes.objects(None, SH.sparql)}
    parents = {o: s for s, _, o in shapes if isinstance(o, BNode)}  # every blank node has one here
    messages = set()
    for node in shapes.subjects(component, None):
        while shapes.value(node, SH.message) is None:
            node = parents[node]
        messages.add(str(shapes.value(node, SH.message)))
    return messages


@pytest.mark.parametrize(("component", "name"), COMPONENT_BREAKS.items(), ids=[str(c) for c in COMPONENT_BREAKS])
def test_a_components_break_is_reported_by_a_shape_using_it(seed_graph: Graph, component: URIRef, name: str) -> None:
    graph = Graph()
    graph += seed_graph
    graph.update(PREFIXES + dict(BREAKS)[name])
    messages = _messages_of(load_shapes(), component)
    assert any(v.message.startswith(tuple(messages)) for v in validate(graph).violations)


def test_a_multiline_value_matches_a_pattern_as_in_python() -> None:
    # ^[A-Z]{2}$ matches "CA\n": Python's $ matches before a final newline (pySHACL too)
    data = Graph()
    data.update(PREFIXES + 'INSERT DATA { kgr:X a kgo:Country ; rdfs:label "X"@en ; schema:addressCountry "CA\\n" }')
    assert _kg(data) == _pyshacl(data) == []


def test_a_store_a_dataset_a_graph_and_files_give_the_same_result(seed_graph: Graph, tmp_path: Path) -> None:
    graph = Graph()
    graph += seed_graph
    graph.update(PREFIXES + 'INSERT DATA { kgr:Seoul a kgo:Person ; rdfs:label "Seoul City" }')
    dataset = Dataset()
    dataset.graph(ONTOLOGY_GRAPH).parse(data="<urn:x> a <https://kg.example/ontology#Person> .", format="turtle")
    for s, p, o in graph:  # split over two named graphs
        dataset.graph("urn:g:1" if hash(s) % 2 else "urn:g:2").add((s, p, o))
    store = ox.Store()
    store.bulk_extend(
        ox.Quad(*map(to_oxigraph, (s, p, o, g.identifier if isinstance(g, Graph) else g)))  # type: ignore[arg-type]
        for s, p, o, g in dataset.quads((None, None, None, None))
    )
    expected = _kg(graph)
    assert expected == _pyshacl(graph)
    assert len(expected) == 5
    assert _kg(dataset) == _kg(store) == expected
    files = []
    for name, rdf_format in [("data.nq", ox.RdfFormat.N_QUADS), ("data.trig", ox.RdfFormat.TRIG)]:
        store.dump(tmp_path / name, format=rdf_format)
        files.append(tmp_path / name)
    for name, rdf_format in [("data.nt", ox.RdfFormat.N_TRIPLES), ("data.ttl", ox.RdfFormat.TURTLE)]:
        ox.serialize((ox.Triple(*map(to_oxigraph, t)) for t in graph), tmp_path / name, format=rdf_format)  # type: ignore[arg-type]
        files.append(tmp_path / name)
    assert [_kg(path) for path in files] == [expected] * 4


def test_a_file_of_unknown_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data.xyz").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"data\.xyz: not an RDF file extension"):
        validate(tmp_path / "data.xyz")


def test_the_callers_store_is_not_changed(seed_build: Build) -> None:
    store = ox.Store()
    store.bulk_extend(seed_build.store)
    store.update(PREFIXES + "INSERT DATA { GRAPH <urn:g> { kgr:Naver kgo:mayorOf kgr:Seoul } }")
    before = sorted(map(str, store))
    assert not validate(store).conforms
    assert sorted(map(str, store)) == before


def _nt(graph: Graph, path: Path) -> Path:
    ox.serialize((ox.Triple(*map(to_oxigraph, t)) for t in graph), path, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]
    return path


def _statements_files(shared: str, graphs: list[str], folder: Path) -> BuildStatements:
    folder.mkdir(exist_ok=True)
    (folder / "knowledge.nt").write_text(shared, encoding="utf-8")
    texts = [text.encode("utf-8") for text in graphs]
    (folder / "provenance.nt").write_bytes(b"".join(texts))
    return BuildStatements(folder / "knowledge.nt", folder / "provenance.nt", tuple(map(len, texts)))


def _build_statements(graph: Graph, folder: Path) -> BuildStatements:
    """``graph`` as a build's statements: the provenance statements as one document graph's."""
    lines = sorted(f"{ox.Triple(*map(to_oxigraph, t))} .\n" for t in graph)  # type: ignore[arg-type]
    shared = "".join(line for line in lines if not line.startswith(PROVENANCE))
    return _statements_files(shared, ["".join(line for line in lines if line.startswith(PROVENANCE))], folder)


@pytest.mark.parametrize("update", [update for _, update in BREAKS], ids=[name for name, _ in BREAKS])
def test_a_break_is_found_in_parts_as_in_the_whole(seed_graph: Graph, update: str, tmp_path: Path) -> None:
    graph = Graph()
    graph += seed_graph
    graph.update(PREFIXES + update)
    path = _nt(graph, tmp_path / "data.nt")
    whole = validate(path)
    assert not whole.conforms
    in_parts = _validate_in_parts(path, 3, workers=1)
    if any(isinstance(n, BNode) for t in graph for n in t):
        assert in_parts is None  # blank nodes: checked whole (under new labels each time)
        assert len(validate(path, parts=3).violations) == len(whole.violations)
    else:
        assert in_parts == whole
        statements = _build_statements(graph, tmp_path / "build")
        assert _validate_in_parts(statements, 3, 1, passed=frozenset()) == whole
        assert validate(statements, parts=2) == whole


def test_parts_in_worker_processes_give_the_whole_result(seed_graph: Graph, tmp_path: Path) -> None:
    graph = Graph()
    graph += seed_graph
    for _, update in BREAKS:
        if "[]" not in update:  # no blank nodes, so that parts can check it
            graph.update(PREFIXES + update)
    path = _nt(graph, tmp_path / "data.nt")
    whole = validate(path)
    assert len(whole.violations) > 50
    assert _validate_in_parts(path, 4, workers=2) == validate(path, parts=4, workers=2) == whole


def test_before_checking_is_called_once_before_the_check(seed_graph: Graph, tmp_path: Path) -> None:
    # whole, in parts, and in parts that fall back to the whole check (a blank node)
    blank = Graph()
    blank += seed_graph
    blank.add((BNode(), RDF.type, URIRef("https://kg.example/ontology#City")))
    for path, parts in (
        (_nt(seed_graph, tmp_path / "a.nt"), 1),
        (tmp_path / "a.nt", 3),
        (_nt(blank, tmp_path / "b.nt"), 3),
    ):
        calls: list[int] = []
        validate(path, parts=parts, before_checking=lambda calls=calls: calls.append(1))
        assert calls == [1], (path.name, parts)


def test_a_failing_worker_process_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(KGError, match=r"^a validation worker process failed \(status 1\): FileNotFoundError"):
        _in_processes(
            [_Part(tmp_path / "missing.nq", frozenset({0}))], 1, tmp_path, bar("validating", 1, "part", False)
        )


def test_with_progress_the_reading_and_each_part_checked_are_shown(
    seed_graph: Graph, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _nt(seed_graph, tmp_path / "data.nt")
    assert validate(path, parts=3, workers=2).conforms
    assert capsys.readouterr().err == ""
    assert validate(path, parts=3, workers=2, progress=True).conforms
    shown = capsys.readouterr().err
    assert re.search(r"^reading the statements: \d\d:\d\d$", shown.replace("\r", "\n"), re.MULTILINE)
    assert re.match(r"validating: 100%\|█+\| 3/3 \[", shown.rstrip().split("\n")[-1].split("\r")[-1])


def test_a_worker_process_marks_each_part_it_has_checked(
    seed_graph: Graph, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the bar of parts checked in worker processes counts."""
    (tmp_path / "parts").mkdir()
    parts, _, _ = _split(_nt(seed_graph, tmp_path / "data.nt"), 2, tmp_path / "parts")
    assert not any(_checked_mark(part.path).exists() for part in parts)
    for part in parts:
        _units_file(part.path).write_text(" ".join(map(str, sorted(part.units))), encoding="ascii")
    _part_worker([str(part.path) for part in parts[:1]])
    assert [_checked_mark(part.path).exists() for part in parts] == [True, False]
    assert capsys.readouterr().out == ""  # the seed has no violation to write


def test_the_bar_counts_each_part_while_the_other_processes_still_check(seed_graph: Graph, tmp_path: Path) -> None:
    """One worker's part is a pipe that is written only once the bar has counted the other
    worker's part: a bar that counted only at the end would never let it finish."""
    (tmp_path / "parts").mkdir()
    [checked], _, _ = _split(_nt(seed_graph, tmp_path / "data.nt"), 1, tmp_path / "parts")
    blocked = tmp_path / "parts" / "blocked.nq"
    os.mkfifo(blocked)
    shown = tqdm(total=2, file=io.StringIO())
    counted = []

    def release() -> None:
        deadline = time.monotonic() + 60
        while shown.n < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        counted.append(shown.n)
        with blocked.open("w"):  # an empty part
            pass

    releaser = threading.Thread(target=release)
    releaser.start()
    try:
        found = _in_processes([checked, _Part(blocked, frozenset({0}))], 2, tmp_path, shown)
    finally:
        releaser.join()
    assert found == []
    assert counted == [1]
    assert shown.n == 2


def test_data_with_schema_statements_is_checked_whole(seed_graph: Graph, tmp_path: Path) -> None:
    # a subclass axiom in the data changes what every part entails: parts would not be exact
    graph = Graph()
    graph += seed_graph
    graph.update(PREFIXES + "INSERT DATA { kgo:City rdfs:subClassOf kgo:Person }")
    path = _nt(graph, tmp_path / "data.nt")
    assert _validate_in_parts(path, 3, workers=1) is None
    assert validate(path, parts=3) == validate(path)
    assert not validate(path).conforms


UNSUPPORTED = [
    ("sh:closed true", "shape ex:S: the constraint or parameter sh:closed"),
    ("sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ]",
     "shape ex:S (in a blank node shape under it): a path that is neither an IRI nor sh:inversePath of an IRI"),
    ("sh:or ( [ sh:hasValue 1 ] )",
     "shape ex:S (in a blank node shape under it): the constraint or parameter sh:hasValue"),
    ("sh:property [ sh:path ex:p ; sh:minCount 1 ]",
     "shape ex:S (in a blank node shape under it): no sh:message, which is what its violations say"),
    ("sh:datatype xsd:string ; sh:message \"a\" , \"b\"", "shape ex:S: more than one sh:message"),
]  # fmt: skip


@pytest.mark.parametrize(("shape", "message"), UNSUPPORTED, ids=[m.split(": ")[1] for _, m in UNSUPPORTED])
def test_an_unsupported_shape_is_an_error(shape: str, message: str) -> None:
    shapes = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> . "
        f"@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . ex:S a sh:NodeShape ; sh:targetClass ex:C ; {shape} .",
        format="turtle",
    )
    with pytest.raises(ShapesError) as error:
        validate(Graph(), shapes)
    assert str(error.value) == f"{message}; kg.validate cannot check it, so rewrite the shape"


# Constructs kg checks that shapes.ttl does not use (yet): inverse paths, the other targets,
# sh:and, a nested sh:property, sh:maxLength, the exclusive bounds, sh:flags, sh:nodeKind
# sh:BlankNodeOrIRI, sh:not of a property shape, a qualified maximum, sh:or of a property
# shape whose own property shape fails on a value of a value, sh:datatype rdfs:Literal
GENERAL_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:ParentShape a sh:NodeShape ; sh:targetObjectsOf ex:child ; sh:message "parent" ;
    sh:property [ sh:path [ sh:inversePath ex:child ] ; sh:maxCount 1 ; sh:nodeKind sh:BlankNodeOrIRI ;
                  sh:message "one parent" ] .
ex:NodeShape a sh:NodeShape ; sh:targetNode ex:a , ex:b , ex:c ; sh:message "node" ;
    sh:and ( [ sh:path ex:name ; sh:minCount 1 ] [ sh:path ex:name ; sh:maxLength 3 ] ) ;
    sh:not [ sh:path ex:banned ; sh:minCount 1 ] ;
    sh:property [ sh:path ex:child ; sh:message "child" ; sh:qualifiedValueShape [ sh:class ex:Kid ] ;
                  sh:qualifiedMaxCount 1 ;
                  sh:property [ sh:path ex:age ; sh:minExclusive 0 ; sh:maxExclusive 18 ; sh:message "age" ] ] ;
    sh:property [ sh:path ex:name ; sh:pattern "^[a-z]+$" ; sh:flags "i" ; sh:message "name" ] .
ex:KidShape a sh:NodeShape ; sh:targetClass ex:Kid ; sh:message "kid" ; sh:class ex:Person .
ex:NoteShape a sh:NodeShape ; sh:targetNode ex:z ;
    sh:property [ sh:path ex:note ; sh:datatype rdfs:Literal ; sh:message "note" ] .
ex:DeepShape a sh:NodeShape ; sh:targetNode ex:a , ex:c ; sh:message "deep" ;
    sh:or ( [ sh:path ex:child ; sh:property [ sh:path ex:age ; sh:maxInclusive 10 ] ] ) .
"""
GENERAL_DATA = """
@prefix ex: <urn:ex:> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Kid rdfs:subClassOf ex:Person .
ex:a ex:name "Ann" ; ex:child ex:k1 , ex:k2 , ex:x .
ex:b ex:name "Bobby1" ; ex:banned true ; ex:child ex:k1 .
ex:c ex:child [ ex:age 0 ] .
ex:k1 a ex:Kid ; ex:age 3 . ex:k2 a ex:Kid ; ex:age 18 . ex:x ex:age "3" .
ex:y a ex:Kid . ex:z a ex:Kid , ex:Person ; ex:note "n" , ex:k1 .
"""


def test_general_constructs_as_pyshacl_checks_them() -> None:
    shapes = Graph().parse(data=GENERAL_SHAPES, format="turtle")
    data = Graph().parse(data=GENERAL_DATA, format="turtle")
    _, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    expected = sorted(
        (_text(data, report.value(r, SH.focusNode)), _text(data, report.value(r, SH.resultPath)),
         str(report.value(r, SH.resultMessage)))
        for r in report.subjects(SH.resultSeverity, SH.Violation)
    )  # fmt: skip
    assert [(v.focus, v.path, v.message) for v in validate(data, shapes).violations] == expected
    assert len(expected) == 12
    assert ("ex:a", "", "deep") in expected


# sh:select queries with $this pre-bound, each checked against pySHACL: bound only by
# pre-binding; batched in one VALUES block (braces in a comment and a string before the
# WHERE clause); one by one (a UNION whose branch reads $this alone, an OPTIONAL first,
# its placeholder unbound, a subquery with a LIMIT, a GROUP BY)
PREBOUND_QUERIES = {
    "no pattern binds $this": (
        "SELECT $this (1 AS ?v) WHERE { FILTER NOT EXISTS { $this <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"
    ),
    "braces before WHERE": (
        '# a { comment\nSELECT $this (CONCAT("{", "x") AS ?v) WHERE { $this <urn:ex:p> ?x FILTER (?x > 4) }'
    ),
    "union": (
        "SELECT $this (1 AS ?v) WHERE { { $this <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
        "UNION { FILTER (isLiteral($this)) } }"
    ),
    "optional first": "SELECT $this ?v WHERE { OPTIONAL { $this <urn:ex:p> ?v } FILTER (!BOUND(?v)) }",
    "subquery limit": "SELECT $this ?v WHERE { { SELECT $this ?v WHERE { $this <urn:ex:p> ?v } ORDER BY ?v LIMIT 1 } }",
    "group by": "SELECT $this (COUNT(?x) AS ?v) WHERE { $this <urn:ex:p> ?x } GROUP BY $this HAVING (COUNT(?x) > 1)",
}
PREBOUND_DATA = """
@prefix ex: <urn:ex:> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a a ex:Thing ; ex:p 1 , 2 . ex:b a ex:Thing ; ex:p 3 ; rdfs:label "b" . ex:c a ex:Thing .
_:x a ex:Thing ; ex:p 4 , 5 . _:y a ex:Thing ; rdfs:label "c" .
"""


def _prebound_shapes(select: str) -> Graph:
    return Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> . "
        'ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:targetNode "free text" ; sh:message "s" ; '
        f"sh:sparql [ sh:message \"{{$this}}: {{?v}}\" ; sh:select '''{select}''' ] .",
        format="turtle",
    )


@pytest.mark.parametrize("select", PREBOUND_QUERIES.values(), ids=PREBOUND_QUERIES.keys())
def test_this_is_pre_bound_to_each_focus_node_as_pyshacl_binds_it(select: str) -> None:
    shapes, data = _prebound_shapes(select), Graph().parse(data=PREBOUND_DATA, format="turtle")
    _, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    expected = sorted(str(report.value(r, SH.resultMessage)) for r in report.subjects(SH.resultSeverity, SH.Violation))
    found = sorted(v.message for v in validate(data, shapes).violations)
    assert found == expected
    assert found


def test_only_queries_that_read_this_alone_are_batched() -> None:
    batched = {name for name, select in PREBOUND_QUERIES.items() if _batch_opening(select) is not None}
    assert batched == {"no pattern binds $this", "braces before WHERE"}
    shapes = load_shapes()
    assert all(_batch_opening(str(shapes.value(c, SH.select))) for c in shapes.objects(None, SH.sparql))


def test_a_query_that_does_not_project_this_is_an_error() -> None:
    with pytest.raises(ShapesError, match=r"^shape ex:S: an sh:select that does not project \$this"):
        validate(Graph(), _prebound_shapes("SELECT ?v WHERE { $this <urn:ex:p> ?v }"))


# ------------------------------------------------------------- units that passed before


def test_units_that_passed_are_not_checked_again(seed_graph: Graph, tmp_path: Path) -> None:
    clean = validate(_nt(seed_graph, tmp_path / "clean.nt"), passed_units=frozenset())
    assert clean.conforms and len(clean.units) == _UNITS and clean.skipped == 0  # empty units share a hash
    again = validate(tmp_path / "clean.nt", passed_units=frozenset(clean.units))
    assert again.conforms and again.units == clean.units and again.skipped == _UNITS
    broken = Graph()
    broken += seed_graph
    for _, update in BREAKS:
        if "[]" not in update:
            broken.update(PREFIXES + update)
    path = _nt(broken, tmp_path / "broken.nt")
    whole = validate(path)
    first = validate(path, parts=3, workers=2, passed_units=frozenset(clean.units))
    assert first == whole and 0 < first.skipped < _UNITS
    # a unit with a violation is not among the passed: checked again, found again
    failing = {_home(ox.NamedNode(v.focus[1:-1])) for v in whole.violations if v.focus.startswith("<")}
    assert len(first.units) == _UNITS - len(failing)
    second = validate(path, passed_units=frozenset(first.units))
    assert second == whole and second.skipped == len(first.units) and second.units == first.units


@pytest.mark.parametrize(
    ("what", "update", "focus"),
    [
        # Oh Se-hoon's statements stay as they were; the type of his kgo:mayorOf value changes
        ("a named node's type", _replace("kgr:Seoul", "rdf:type", "kgo:Person"), "Oh_Se-hoon"),
        # Naver's statements stay as they were; a range elsewhere makes it a kgo:Quantity
        ("a node's type from elsewhere", "INSERT DATA { kgr:Seoul kgo:hasQuantity kgr:Naver }", "Naver"),
    ],
)
def test_a_unit_whose_statements_stay_is_checked_when_what_it_reads_changes(
    seed_graph: Graph, tmp_path: Path, what: str, update: str, focus: str
) -> None:
    kgr = "https://kg.example/id/"
    assert _home(ox.NamedNode(kgr + focus)) != _home(ox.NamedNode(kgr + "Seoul"))  # the edit is in another unit
    before = validate(_nt(seed_graph, tmp_path / "before.nt"), passed_units=frozenset())
    changed = Graph()
    changed += seed_graph
    changed.update(PREFIXES + update)
    path = _nt(changed, tmp_path / "after.nt")
    whole = validate(path)
    assert f"<https://kg.example/id/{focus}>" in {v.focus for v in whole.violations}, what
    assert validate(path, passed_units=frozenset(before.units)) == whole, what


def test_units_depend_on_the_shapes(seed_graph: Graph, tmp_path: Path) -> None:
    path = _nt(seed_graph, tmp_path / "data.nt")
    units = []
    for edit in (b"", b"\n# edited\n"):
        folder = tmp_path / f"ontology{len(edit)}"
        shutil.copytree(SHAPES_PATH.parent, folder)
        (folder / SHAPES_PATH.name).write_bytes(SHAPES_PATH.read_bytes() + edit)
        _fingerprint.cache_clear()
        try:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr("kg.validate.SHAPES_PATH", folder / SHAPES_PATH.name)
                units.append(set(validate(path, passed_units=frozenset()).units))
        finally:
            _fingerprint.cache_clear()
    unedited, edited = units
    assert unedited == set(validate(path, passed_units=frozenset()).units)
    assert unedited.isdisjoint(edited)


# ----------------------------------------------------------- a build's document graphs


@pytest.fixture(scope="module")
def two_documents() -> Build:
    return build([TEST_DATA / "ko_busan_robot.txt", TEST_DATA / "ko_ministry_forum.txt"])


def _edited(
    result: Build, folder: Path, graph: Callable[[int, str], str], shared: Callable[[str], str] = lambda text: text
) -> BuildStatements:
    """The build's statements with each document graph's text, and the knowledge graph's,
    edited."""
    data, texts, offset = result.graphs.provenance.read_text(encoding="utf-8"), [], 0
    raw = result.graphs.provenance.read_bytes()
    for length in result.graphs.provenance_lengths:
        texts.append(raw[offset : offset + length].decode("utf-8"))
        offset += length
    assert "".join(texts) == data
    knowledge = shared(result.graphs.knowledge.read_text(encoding="utf-8"))
    return _statements_files(knowledge, [graph(n, text) for n, text in enumerate(texts)], folder)


def _whole(statements: BuildStatements, path: Path) -> Path:
    path.write_bytes(statements.shared.read_bytes() + statements.graphs.read_bytes())
    return path


def _own_node(result: Build, kind: str) -> str:
    """A node the first document graph is about: its document, or a sentence or assertion."""
    first = result.graphs.provenance.read_bytes()[: result.graphs.provenance_lengths[0]].decode("utf-8")
    return next(line.split(" ")[0] for line in first.splitlines() if kind in line.split(" ")[0])


def test_each_document_graph_is_a_unit_read_once(two_documents: Build, tmp_path: Path) -> None:
    """A graph's unit passes again when its text and what it reads are the same; what was
    read of it is taken from the earlier readings (here marked) instead of read again."""
    statements = _edited(two_documents, tmp_path / "same", lambda _n, text: text)
    first = validate(statements, passed_units=frozenset())
    assert first.conforms and len(first.units) == _UNITS + 2 and len(first.readings) == 2
    one, two = ({id(node): node for node in reading.named} for reading in first.readings.values())
    shared = {node for node in one.values() if node in set(two.values())}
    assert shared and {id(node) for node in shared} <= one.keys() & two.keys()  # one object for each IRI
    assert first == validate(_whole(statements, tmp_path / "whole.nt"))
    marked = {key: replace(reading, lines=reading.lines + 1000) for key, reading in first.readings.items()}
    again = validate(statements, passed_units=frozenset(first.units), graph_readings=marked)
    assert again.skipped == _UNITS + 2 and set(again.units) == set(first.units)
    assert again.readings == marked  # the lines count only what a part's share is


def test_a_document_graph_known_by_what_it_is_made_of_is_not_read_again(two_documents: Build, tmp_path: Path) -> None:
    """With keys (a build with a cache: what each graph's text is made of), a graph whose
    key the last check read is not read again: here its text is blanked, and still passes
    as it did; under a new key it is read and checked again."""
    unkeyed = _edited(two_documents, tmp_path / "keyed", lambda _n, text: text)
    statements = replace(unkeyed, keys=("made-of-one", "made-of-two"))
    first = validate(statements, passed_units=frozenset())
    assert first.conforms and first.readings.keys() != validate(unkeyed, passed_units=frozenset()).readings.keys()
    text = statements.graphs.read_bytes()
    blanked = b" " * statements.lengths[0] + text[statements.lengths[0] :]
    statements.graphs.write_bytes(blanked)
    again = validate(statements, passed_units=frozenset(first.units), graph_readings=first.readings)
    assert again.skipped == _UNITS + 2 and again.conforms
    statements.graphs.write_bytes(text)
    renamed = replace(statements, keys=("made-of-one-now", "made-of-two"))
    changed = validate(renamed, passed_units=frozenset(first.units), graph_readings=first.readings)
    assert changed.skipped == _UNITS + 1 and changed.conforms and len(changed.readings) == 2


def test_a_changed_document_graph_alone_is_checked_again(two_documents: Build, tmp_path: Path) -> None:
    first = validate(_edited(two_documents, tmp_path / "first", lambda _n, text: text), passed_units=frozenset())
    assertion = _own_node(two_documents, "/statement/")
    person = "<https://kg.example/ontology#Person>"
    broken = f"{assertion} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {person} .\n"
    statements = _edited(two_documents, tmp_path / "changed", lambda n, text: text + broken if n == 0 else text)
    whole = validate(_whole(statements, tmp_path / "whole.nt"))
    assert {v.focus for v in whole.violations} == {assertion}
    changed = validate(statements, parts=2, passed_units=frozenset(first.units), graph_readings=first.readings)
    assert changed == whole and changed.skipped == _UNITS + 1
    # the changed graph's unit failed: not among those passed, the other graph's still is
    assert len(changed.units) == _UNITS + 1 and set(changed.units) < set(first.units)


@pytest.mark.parametrize(
    ("edit", "what"),
    [
        ("graph", "a document graph names another's sentence"),
        ("two", "two document graphs have statements about one node"),
        ("shared", "the knowledge graph names a document"),
    ],
)
def test_document_graphs_that_are_not_units_of_their_own_are_checked_whole(
    two_documents: Build, tmp_path: Path, edit: str, what: str
) -> None:
    sentence, document = _own_node(two_documents, "/sentence/"), _own_node(two_documents, "/doc/")
    mentions = "<https://schema.org/mentions>"
    added = {
        "graph": f"<https://kg.example/doc/other> {mentions} {sentence} .\n",
        "two": f"{document} {mentions} <https://kg.example/id/Busan> .\n",
        "shared": f"<https://kg.example/id/Busan> {mentions} {document} .\n",
    }[edit]
    statements = _edited(
        two_documents,
        tmp_path / "edited",
        lambda n, text: text + added if n == 1 and edit != "shared" else text,
        lambda text: text + added if edit == "shared" else text,
    )
    assert _validate_in_parts(statements, 2, 1, passed=frozenset()) is None, what
    assert validate(statements, parts=2) == validate(_whole(statements, tmp_path / "whole.nt")), what


def test_a_type_a_document_graph_gives_another_node_is_read_by_that_nodes_unit(
    two_documents: Build, tmp_path: Path
) -> None:
    """An assertion's kgo:theme makes a person a kgo:Concept (the range): the person's unit
    in the knowledge graph, unchanged itself, is checked again and breaks as in the whole."""
    first = validate(_edited(two_documents, tmp_path / "first", lambda _n, text: text), passed_units=frozenset())
    assertion, person = _own_node(two_documents, "/statement/"), "<https://kg.example/id/Bak_Do-hyeon>"
    theme = f"{assertion} <https://kg.example/ontology#theme> {person} .\n"
    statements = _edited(two_documents, tmp_path / "themed", lambda n, text: text + theme if n == 0 else text)
    whole = validate(_whole(statements, tmp_path / "whole.nt"))
    assert person in {v.focus for v in whole.violations}
    again = validate(statements, passed_units=frozenset(first.units), graph_readings=first.readings)
    assert again == whole and again.skipped < _UNITS + 1


def test_a_document_graphs_violation_found_by_a_worker_process_fails_its_unit_alone(
    two_documents: Build, tmp_path: Path
) -> None:
    first = validate(_edited(two_documents, tmp_path / "first", lambda _n, text: text), passed_units=frozenset())
    assertion = _own_node(two_documents, "/statement/")
    broken = f"{assertion} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://kg.example/ontology#Person> .\n"
    statements = _edited(two_documents, tmp_path / "broken", lambda n, text: text + broken if n == 0 else text)
    result = validate(statements, parts=4, workers=2, passed_units=frozenset())
    assert result == validate(_whole(statements, tmp_path / "whole.nt")) and not result.conforms
    assert len(result.units) == _UNITS + 1  # all but the broken graph's unit
    assert set(first.units) - set(result.units) == {first.units[_UNITS]}  # the first graph's


@pytest.mark.parametrize("where", ["graph", "shared"])
def test_an_escaped_iri_is_checked_whole(two_documents: Build, tmp_path: Path, where: str) -> None:
    """A node is put in its unit, and a violation back, by its N-Triples text, which
    Oxigraph writes unescaped: an IRI written with a \\u escape would be neither."""
    escaped = (
        "<https://kg.example/statement/\\u0041> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://kg.example/ontology#Assertion> .\n"
    )
    statements = _edited(
        two_documents,
        tmp_path / "escaped",
        lambda n, text: text + escaped if n == 0 and where == "graph" else text,
        lambda text: text + escaped.replace("/statement/", "/id/") if where == "shared" else text,
    )
    assert _validate_in_parts(statements, 2, 1, passed=frozenset()) is None
    result = validate(statements, passed_units=frozenset())
    assert result == validate(_whole(statements, tmp_path / "whole.nt")) and not result.conforms
    assert result.units == ()  # checked whole: nothing recorded as passed


def test_a_provenance_file_that_is_not_what_its_lengths_say_is_checked_whole(
    two_documents: Build, tmp_path: Path
) -> None:
    statements = _edited(two_documents, tmp_path / "same", lambda _n, text: text)
    short = replace(statements, lengths=statements.lengths[:1])
    assert _validate_in_parts(short, 2, 1, passed=frozenset()) is None
    assert validate(short, passed_units=frozenset()).conforms


def _read_line_by_line(text: bytes, schema: _Schema) -> GraphReading:
    """What :func:`_read_graph` reads, read as the N-Triples grammar kg writes says, line by
    line: the reference it is checked against."""
    own: set[bytes] = set()
    named: set[bytes] = set()
    types: dict[bytes, set[bytes]] = {}
    lines = text.splitlines(keepends=True)
    for line in lines:
        if not line.startswith(b"<") or not line.endswith(b" .\n") or line.count(b" ") < 3:
            raise _NotInParts
        subject, predicate, obj = line[:-3].split(b" ", 2)
        if re.fullmatch(rb"<[^<> ]*>", subject) is None:
            raise _NotInParts  # valid N-Triples (<s><p> ...), but not as kg writes it
        effects = schema.effects(predicate)
        if b"\\" in subject:
            raise _NotInParts
        own.add(subject)
        if obj.startswith(b"<"):
            if b"\\" in obj:
                raise _NotInParts
            named.add(obj)
            for cls in effects.object_classes:
                types.setdefault(obj, set()).add(cls)
        elif obj.startswith(b"_:"):
            raise _NotInParts
    given = tuple(sorted((node, tuple(sorted(classes))) for node, classes in types.items() if node not in own))
    return GraphReading(len(lines), tuple(sorted(own)), tuple(sorted(named - own)), given)


_NODES = [
    b"<https://kg.example/doc/a>",
    b"<https://kg.example/doc/a/sentence/0>",
    b"<https://kg.example/statement/1>",
    b"<https://kg.example/id/Seoul>",
    b"<https://kg.example/id/\\u0041>",
]
_PREDICATES = [
    b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
    b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>",
    b"<https://kg.example/ontology#evidence>",
    b"<https://schema.org/mentions>",
    b"<http://www.w3.org/2000/01/rdf-schema#range>",
    b"<https://kg.example/ontology#\\u0041>",
]
_OBJECTS = [
    *_NODES,
    b"<https://kg.example/ontology#Assertion>",
    b'"two words"@ko',
    b'"a\rb"',
    b'"7"^^<http://www.w3.org/2001/XMLSchema#integer>',
    b"_:b0",
    b"",
]
_GRAPH_LINES = st.one_of(
    st.tuples(st.sampled_from(_NODES), st.sampled_from(_PREDICATES), st.sampled_from(_OBJECTS)).map(
        lambda terms: b" ".join(terms) + b" .\n"
    ),
    st.sampled_from(
        [
            b"<a> .\n",
            b"<a> <b> <c> .\r\n",
            b"<a> <b> <c>\n",
            b"# a comment\n",
            b"\n",
            b"x <b> <c> .\n",
            b'<http://a/s><http://a/p> "x y" .\n',
            b"<http://a/s>\t<http://a/p> <c> .\n",
        ]
    ),
)


@settings(max_examples=1000)
@given(st.lists(_GRAPH_LINES, max_size=8), st.booleans())
def test_a_graph_is_read_as_line_by_line(lines: list[bytes], cut: bool) -> None:
    text = b"".join(lines)[: -1 if cut and lines else None]
    schema = _Schema(load_ontology())
    try:
        expected: GraphReading | None = _read_line_by_line(text, schema)
    except _NotInParts:
        expected = None
    try:
        read: GraphReading | None = _read_graph(text, schema, lambda node: node)
    except _NotInParts:
        read = None
    assert read == expected
