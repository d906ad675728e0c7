"""kg.view: the offline HTML network view."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, URIRef

import kg.view
from kg.cli import main
from kg.errors import KGError
from kg.evaluate import load_graph
from kg.ns import KGO, KGR, ONTOLOGY_GRAPH, ONTOLOGY_PATH, OWL, RDF, RDFS, SCHEMA, WD, XSD
from kg.pipeline import Build, build
from kg.query import open_store
from kg.view import (
    BUILD_MAX_NODES,
    CAP_HINT,
    KIND_PALETTES,
    KIND_SHAPES,
    LANGS,
    TEMPLATE_PATH,
    LastPage,
    _class_table,
    _KeptEvidence,
    _KnowledgeScan,
    _Links,
    _read_entities,
    _read_knowledge,
    _read_quantities,
    _ShownRead,
    build_view_data,
    find_entity,
    layout,
    pagerank,
    render_html,
    select,
    view_data,
)

from .evidence import evidence_lines

# A City from the gazetteer; a Person who is its mayor; a Facility with a hostile label, a
# literal fact and two quantities, located in the city; one document with seven sentences,
# the first carrying a script tag, and one Assertion for the mayorOf relation. The
# person's alt label tries to close the data <script> element (it goes into JSON raw, as
# search text, and HTML-escaped into the tooltip).
EVIL_LABEL = '" onmouseover="alert(1)'
EVIL_SENTENCE = "오세훈 서울시장이 <script>alert(1)</script> 라고 말했다."

TRIG = r"""
@prefix kgo:    <https://kg.example/ontology#> .
@prefix kgr:    <https://kg.example/id/> .
@prefix kgd:    <https://kg.example/doc/> .
@prefix kgs:    <https://kg.example/statement/> .
@prefix kgq:    <https://kg.example/value/> .
@prefix schema: <https://schema.org/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix nif:    <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix wd:     <http://www.wikidata.org/entity/> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .

<https://kg.example/gazetteer> {
    kgr:Seoul a kgo:City ;
        rdfs:label "서울"@ko , "Seoul"@en ;
        skos:altLabel "서울시"@ko , "Seoul Metropolitan Government"@en ;
        owl:sameAs wd:Q8684 ;
        schema:addressCountry "KR" .
}

kgd:doc1 {
    kgd:doc1 a schema:NewsArticle , prov:Entity ;
        schema:headline "서울 AI 허브 <b>소식</b>"@ko ;
        schema:datePublished "2024-09-25"^^xsd:date ;
        schema:inLanguage "ko" ;
        schema:mentions kgr:Seoul , kgr:Oh_Se-hoon , kgr:AI_Seoul_Tech_City .

    kgr:Seoul a kgo:City ; rdfs:label "서울"@ko , "Seoul"@en .
    kgr:Oh_Se-hoon a kgo:Person ; rdfs:label "오세훈"@ko , "Oh Se-hoon"@en ;
        skos:altLabel "</script><script>alert(2)</script>"@en .
    kgr:AI_Seoul_Tech_City a kgo:Facility ;
        rdfs:label "AI 서울 테크시티"@ko , "\" onmouseover=\"alert(1)"@en ;
        kgo:foundingDate "2017"^^xsd:gYear ;
        kgo:floorSize kgq:q1 ;
        kgo:valuation kgq:q2 ;
        kgo:locatedIn kgr:Seoul .

    kgr:Oh_Se-hoon kgo:mayorOf kgr:Seoul .

    kgq:q1 a kgo:Quantity ; schema:value 200000 ; schema:unitCode "MTK" ;
        schema:unitText "㎡" ; kgo:qualifier "exact" .
    kgq:q2 a kgo:Quantity , schema:MonetaryAmount ; schema:value 1500000000000 ;
        schema:currency "KRW" ; kgo:qualifier "about" .

    <https://kg.example/doc/doc1/sentence/0> a nif:Sentence ;
        nif:anchorOf "오세훈 서울시장이 <script>alert(1)</script> 라고 말했다."@ko ;
        nif:beginIndex 0 ; nif:endIndex 40 ; nif:referenceContext kgd:doc1 ;
        schema:mentions kgr:Seoul , kgr:Oh_Se-hoon .
    <https://kg.example/doc/doc1/sentence/1> a nif:Sentence ;
        nif:anchorOf "AI 서울 테크시티는 연면적 20만㎡ 규모다."@ko ;
        nif:beginIndex 41 ; nif:endIndex 70 ; nif:referenceContext kgd:doc1 ;
        schema:mentions kgr:Seoul , kgr:AI_Seoul_Tech_City .
    <https://kg.example/doc/doc1/sentence/2> a nif:Sentence ;
        nif:anchorOf "서울 문장 2."@ko ; nif:beginIndex 71 ; nif:endIndex 80 ;
        nif:referenceContext kgd:doc1 ; schema:mentions kgr:Seoul .
    <https://kg.example/doc/doc1/sentence/3> a nif:Sentence ;
        nif:anchorOf "서울 문장 3."@ko ; nif:beginIndex 81 ; nif:endIndex 90 ;
        nif:referenceContext kgd:doc1 ; schema:mentions kgr:Seoul .
    <https://kg.example/doc/doc1/sentence/4> a nif:Sentence ;
        nif:anchorOf "서울 문장 4."@ko ; nif:beginIndex 91 ; nif:endIndex 100 ;
        nif:referenceContext kgd:doc1 ; schema:mentions kgr:Seoul .
    <https://kg.example/doc/doc1/sentence/5> a nif:Sentence ;
        nif:anchorOf "서울 문장 5."@ko ; nif:beginIndex 101 ; nif:endIndex 110 ;
        nif:referenceContext kgd:doc1 ; schema:mentions kgr:Seoul .
    <https://kg.example/doc/doc1/sentence/6> a nif:Sentence ;
        nif:anchorOf "서울 문장 6."@ko ; nif:beginIndex 111 ; nif:endIndex 120 ;
        nif:referenceContext kgd:doc1 ; schema:mentions kgr:Seoul .

    kgs:a1 a kgo:Assertion ;
        rdf:subject kgr:Oh_Se-hoon ; rdf:predicate kgo:mayorOf ; rdf:object kgr:Seoul ;
        kgo:evidence <https://kg.example/doc/doc1/sentence/0> ;
        prov:wasDerivedFrom kgd:doc1 ; kgo:rule "ko.title_of_place" ; kgo:confidence 0.9 .
}
"""

ENTITY_QUERY = """
PREFIX kgo: <https://kg.example/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?e WHERE {
    ?e a ?c .
    ?c rdfs:subClassOf* ?k .
    VALUES ?k { kgo:Person kgo:Organization kgo:Place kgo:Event kgo:Concept }
}
"""


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


def make_dataset(with_ontology: bool = True) -> Dataset:
    ds = Dataset()
    ds.parse(data=TRIG, format="trig")
    if with_ontology:
        ds.graph(ONTOLOGY_GRAPH).parse(ONTOLOGY_PATH, format="turtle")
    return ds


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return make_dataset()


@pytest.fixture(scope="module")
def pages(dataset: Dataset, ontology: Graph) -> dict[str, str]:
    return {lang: render_html(dataset, ontology, lang) for lang in ("ko", "en", "both")}


def embedded(page: str) -> dict[str, Any]:
    match = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "no embedded graph data"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def iris(data: dict[str, Any]) -> list[str]:
    base = data["prefixes"]["kgr"]
    return [base + i[4:] if i.startswith("kgr:") else i for i in data["nodes"]["iri"]]


def node(data: dict[str, Any], iri: URIRef) -> dict[str, Any]:
    """One node's values from the page's column-wise data."""
    index = iris(data).index(str(iri))
    return {key: column[index] for key, column in data["nodes"].items()}


def relations(data: dict[str, Any]) -> set[tuple[str, str, str]]:
    names, edges = iris(data), data["edges"]
    return {
        (names[f], data["props"][p][0], names[t])
        for f, p, t in zip(edges["from"], edges["prop"], edges["to"], strict=True)
    }


def sentence_texts(data: dict[str, Any], indices: list[int] | int) -> list[str]:
    return [data["sents"][i][0] for i in indices] if indices else []


def script_of_page(page: str) -> str:
    return page.rsplit("<script>", 1)[1]


def test_template_is_package_data() -> None:
    assert TEMPLATE_PATH.is_file()


def test_vis_network_inlined_and_nothing_remote(pages: dict[str, str]) -> None:
    page = pages["both"]
    assert "vis-network" in page and "@version 9.1.2" in page  # the bundled file's header
    assert "new vis.Network(" in page
    assert ".vis-network-tooltip" in page or "div.vis-tooltip" in page  # inlined CSS
    assert "<link" not in page.lower()
    assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.I)
    # the one URL is the base of the Wikidata links in the panel: followed on a click, never fetched
    remote = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//[^"']*""", page, re.I)
    assert remote == ['href = "https://www.wikidata.org/wiki/']
    assert not re.search(r"@import|url\(\s*[\"']?(?:https?:)?//", page, re.I)
    assert "default-src 'none'" in page  # the page may not fetch anything


def test_counts_match_an_independent_query(dataset: Dataset, pages: dict[str, str]) -> None:
    union = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    expected = {str(row[0]) for row in union.query(ENTITY_QUERY) if isinstance(row, tuple)}
    assert expected == {str(KGR.Seoul), str(KGR["Oh_Se-hoon"]), str(KGR.AI_Seoul_Tech_City)}
    for page in pages.values():
        data = embedded(page)
        assert set(iris(data)) == expected
        assert len(data["edges"]["from"]) == 2
        assert data["meta"]["nodes"] == 3 and data["meta"]["edges"] == 2
        assert "3 entities, 2 relations" in page


def test_nodes_are_numbered_by_sorted_iri(pages: dict[str, str]) -> None:
    data = embedded(pages["en"])
    assert iris(data) == sorted(iris(data))
    assert all(len(column) == 3 for column in data["nodes"].values())


def test_relations_and_their_labels_in_both_languages(pages: dict[str, str]) -> None:
    data = embedded(pages["en"])
    assert relations(data) == {
        (str(KGR["Oh_Se-hoon"]), "https://kg.example/ontology#mayorOf", str(KGR.Seoul)),
        (str(KGR.AI_Seoul_Tech_City), "https://kg.example/ontology#locatedIn", str(KGR.Seoul)),
    }
    labels = {iri: (en, ko) for iri, en, ko in data["props"]}
    assert labels["https://kg.example/ontology#mayorOf"] == ("mayor of", "시장")
    assert labels["https://kg.example/ontology#locatedIn"] == ("located in", "소재지")
    # the page picks a label by its language switch; the data carry both
    assert node(data, KGR.Seoul)["ko"] == "서울" and node(data, KGR.Seoul)["en"] == "Seoul"


def test_page_opens_in_the_chosen_language(pages: dict[str, str]) -> None:
    for lang, page in pages.items():
        assert embedded(page)["meta"]["lang"] == lang
    assert '<html lang="ko">' in pages["ko"] and '<html lang="en">' in pages["en"]
    assert embedded(pages["ko"])["nodes"] == embedded(pages["en"])["nodes"] or True
    # the entity with a hostile English label keeps it as data (drawn on the canvas as text)
    assert node(embedded(pages["en"]), KGR.AI_Seoul_Tech_City)["en"] == EVIL_LABEL


def test_panel_facts_and_quantities(pages: dict[str, str]) -> None:
    data = embedded(pages["en"])
    props = {i: (en, ko) for i, (_iri, en, ko) in enumerate(data["props"])}
    facts = {(props[p][0], v) for p, v in node(data, KGR.AI_Seoul_Tech_City)["facts"]}
    assert facts == {
        ("floor size", "200,000 ㎡"),
        ("founding date", "2017"),
        ("valuation", "1,500,000,000,000 KRW (about)"),
    }
    assert {props[p][1] for p, _v in node(data, KGR.AI_Seoul_Tech_City)["facts"]} >= {"연면적", "설립 시점"}
    assert node(data, KGR["Oh_Se-hoon"])["facts"] == 0  # nothing to show: no empty list in the data


def test_an_entity_shows_its_first_sentences_and_counts_them_all(
    pages: dict[str, str], dataset: Dataset, ontology: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more sentences than the page shows, the first of the same order, and the count
    of all."""
    every = node(embedded(pages["en"]), KGR.Seoul)
    monkeypatch.setattr("kg.view.MAX_EVIDENCE", 3)
    data = embedded(render_html(dataset, ontology, "en"))
    seoul = node(data, KGR.Seoul)
    assert (seoul["evn"], len(seoul["ev"])) == (7, 3)
    assert sentence_texts(data, seoul["ev"]) == sentence_texts(embedded(pages["en"]), every["ev"])[:3]


def test_panel_identity_and_evidence(pages: dict[str, str]) -> None:
    data = embedded(pages["en"])
    seoul = node(data, KGR.Seoul)
    assert seoul["wd"] == ["Q8684"]
    assert set(seoul["alt"]) == {"서울시", "Seoul Metropolitan Government"}
    assert data["classes"][seoul["cls"]][:3] == ["https://kg.example/ontology#City", "City", "도시"]
    assert ["address country", "KR"] in [[data["props"][p][1], v] for p, v in seoul["facts"]]
    assert seoul["evn"] == 7 and len(seoul["ev"]) == 7
    texts = sentence_texts(data, seoul["ev"])
    assert texts[0] == EVIL_SENTENCE  # sorted by date, headline, position
    doc = data["docs"][data["sents"][seoul["ev"][0]][1]]
    assert doc == ["서울 AI 허브 <b>소식</b>", "2024-09-25"]  # raw data; the page sets it as text
    # the relation's evidence is its Assertion's sentence
    edges = data["edges"]
    (mayor,) = [j for j, p in enumerate(edges["prop"]) if data["props"][p][0].endswith("#mayorOf")]
    assert sentence_texts(data, edges["ev"][mayor]) == [EVIL_SENTENCE]
    (located,) = [j for j, p in enumerate(edges["prop"]) if data["props"][p][0].endswith("#locatedIn")]
    assert edges["ev"][located] == 0


def test_only_entities_become_nodes(pages: dict[str, str]) -> None:
    assert not any("/value/" in i or "/statement/" in i or "/doc/" in i for i in iris(embedded(pages["both"])))


def test_document_text_only_escaped(pages: dict[str, str]) -> None:
    for page in pages.values():
        assert "<script>alert" not in page
        assert '" onmouseover="' not in page
        assert "<b>소식" not in page
        # three script elements: vis-network, the data, the page code; none closed early
        assert page.count("</script>") == 3
        assert "\\u003cscript\\u003ealert(1)" in page
    # the page's own code never parses text as HTML
    code = script_of_page(pages["both"])
    assert "innerHTML" not in code and "insertAdjacentHTML" not in code and "document.write" not in code
    assert "textContent" in code


def test_colours_shapes_and_legend(pages: dict[str, str]) -> None:
    data = embedded(pages["en"])
    classes = data["classes"]
    colour = {iri: classes[node(data, URIRef(iri))["cls"]][4] for iri in iris(data)}
    assert len(set(colour.values())) == 3
    assert colour[str(KGR["Oh_Se-hoon"])] == KIND_PALETTES["Person"][0]
    assert colour[str(KGR.Seoul)] in KIND_PALETTES["Place"]
    assert colour[str(KGR.AI_Seoul_Tech_City)] in KIND_PALETTES["Place"]
    # legend order: by kind, then depth; shapes by top-level kind
    assert [(c[1], c[3], c[5]) for c in classes] == [
        ("Person", "Person", KIND_SHAPES["Person"]),
        ("City", "Place", KIND_SHAPES["Place"]),
        ("Facility", "Place", KIND_SHAPES["Place"]),
    ]
    assert len(set(KIND_SHAPES.values())) == len(KIND_SHAPES)


def test_deterministic(ontology: Graph, pages: dict[str, str]) -> None:
    again = render_html(make_dataset(), ontology, "both")
    assert again == pages["both"]
    # the ontology graph in the dataset changes nothing; nor does the order triples came in
    assert render_html(make_dataset(with_ontology=False), ontology, "both") == pages["both"]
    shuffled = Dataset()
    for s, p, o, g in sorted(make_dataset().quads((None, None, None, None)), reverse=True):
        shuffled.graph(g).add((s, p, o))
    assert render_html(shuffled, ontology, "both") == pages["both"]


def store_of(trig: str) -> ox.Store:
    store = ox.Store()
    store.load(input=trig, format=ox.RdfFormat.TRIG)
    return store


def test_a_store_gives_the_page_of_the_dataset(ontology: Graph, pages: dict[str, str]) -> None:
    store = store_of(TRIG)
    for lang, page in pages.items():
        assert render_html(store, ontology, lang) == page


def test_the_seed_page_from_its_store_from_rdflib_and_from_the_build(seed_dir: Any, ontology: Graph) -> None:
    store = ox.Store()  # named graphs only, as a build holds it: read as their union
    store.load(path=seed_dir / "graph.trig", format=ox.RdfFormat.TRIG)
    merged = open_store(seed_dir)  # their merge in the default graph too: read from there
    for lang in ("ko", "en", "both"):
        page = render_html(store, ontology, lang)
        assert page == render_html(load_graph(seed_dir), ontology, lang) == render_html(merged, ontology, lang)
    page = (seed_dir / "graph.html").read_text(encoding="utf-8")  # written by kg build from its store
    assert render_html(store, ontology) == page
    assert embedded(page)["meta"]["nodes"] == 27


def test_the_build_page_reads_what_it_shows_of_the_files(ontology: Graph) -> None:
    # five articles, Korean and English: the page from the knowledge graph and the
    # evidence file is the page from the whole dataset, capped or not
    result = build(sorted((Path(__file__).parent / "data").glob("*.txt")))
    data = build_view_data(result.graphs.knowledge, result.graphs.evidence, ontology)
    for lang, cap in (("both", 0), ("ko", 12), ("en", 5)):
        assert render_html(data, ontology, lang, cap=cap) == render_html(result.store, ontology, lang, cap=cap)


def test_the_knowledge_file_reads_as_the_store_does(ontology: Graph) -> None:
    """The entities and quantities of five articles' knowledge graph, read from its file in
    one pass, are what the store's queries read of it."""
    result = build(sorted((Path(__file__).parent / "data").glob("*.txt")))
    classes = _class_table(ontology)
    store = ox.Store()
    store.load(path=result.graphs.knowledge, format=ox.RdfFormat.N_TRIPLES)
    entities, quantities = _read_knowledge(result.graphs.knowledge, classes)
    assert quantities == _read_quantities(store) and len(quantities) > 3
    from_store = _read_entities(store, classes)
    assert entities.relations == from_store.relations and len(entities.relations) > 10
    assert {e: sorted(map(str, f)) for e, f in entities.facts.items()} == {
        e: sorted(map(str, f)) for e, f in from_store.facts.items()
    }
    assert replace(entities, facts={}) == replace(from_store, facts={})


def test_the_capped_build_page_reads_only_what_it_shows(ontology: Graph) -> None:
    # capped, the page needs the sentences that mention the entities shown and the
    # evidence of the relations among them, and it is the page the whole data gives
    result = build(sorted((Path(__file__).parent / "data").glob("*.txt")))
    whole = build_view_data(result.graphs.knowledge, result.graphs.evidence, ontology)
    for cap in (5, 12, 40):
        data = build_view_data(result.graphs.knowledge, result.graphs.evidence, ontology, cap=cap)
        for lang in LANGS:
            assert render_html(data, ontology, lang, cap=cap) == render_html(whole, ontology, lang, cap=cap)
        keep, _center, _note = select(whole, cap=cap)
        needed = {s for e in keep for s in whole.mentions.get(e, ())} | {
            s for (subject, _p, obj), found in whole.support.items() if {subject, obj} <= set(keep) for s in found
        }
        assert needed <= set(data.sentences) < set(whole.sentences)
    assert len(whole.entity_class) > 40


def test_a_knowledge_file_not_as_kg_writes_it_is_read_as_rdf(ontology: Graph, tmp_path: Path) -> None:
    """The capped page reads kg's knowledge file as bytes first (_KnowledgeScan); the
    same statements in another order, or with an escaped IRI, are read as RDF, and give
    the same page."""
    result = build(sorted((Path(__file__).parent / "data").glob("*.txt")))
    classes = _class_table(ontology)
    assert _KnowledgeScan.of(result.graphs.knowledge, classes) is not None
    lines = result.graphs.knowledge.read_text(encoding="utf-8").splitlines(keepends=True)
    escaped = lines[0].replace("<https://", "<\\u0068ttps://", 1)
    assert escaped != lines[0]
    expected = render_html(result.store, ontology, cap=12)
    for changed in (lines[::-1], [escaped, *lines[1:]]):
        knowledge = tmp_path / "knowledge.nt"
        knowledge.write_text("".join(changed), encoding="utf-8")
        assert _KnowledgeScan.of(knowledge, classes) is None
        data = build_view_data(knowledge, result.graphs.evidence, ontology, cap=12)
        assert render_html(data, ontology, cap=12) == expected


_CLASSES = _class_table(load_graph(ONTOLOGY_PATH))
# entities' IRIs whose order as text is not their order as N-Triples ("<a>" after "<a-b>")
_NODES = [f"<{KGR}{name}>" for name in ("a", "a-b", "ab", "b", "b/c", "서울")]
_LINKING = [f"<{KGR.p}>", f"<{KGR.q}>"]
_TYPE_IRI = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_KINDS = [f"<{c}>" for c in sorted(_CLASSES)[:3]] + [f"<{KGR.NotAClass}>"]
_STATEMENT = st.one_of(
    st.tuples(st.sampled_from(_NODES), st.just(_TYPE_IRI), st.sampled_from(_KINDS)),
    st.tuples(st.sampled_from(_NODES), st.sampled_from(_LINKING), st.sampled_from(_NODES)),
    st.tuples(st.sampled_from(_NODES), st.sampled_from(_LINKING), st.just('"a literal"')),
)


def _nt(statements: set[tuple[str, str, str]]) -> list[bytes]:
    return sorted(" ".join(statement).encode() + b" ." for statement in statements)


def _links(links: _Links) -> tuple[object, ...]:
    entities = links.entities()
    return list(entities.entity_class.items()), entities.relations, links.relations


@settings(deadline=None, max_examples=300)
@given(st.sets(_STATEMENT, max_size=25), st.sets(_STATEMENT, max_size=25), st.sets(st.sampled_from(_NODES)))
def test_links_updated_by_subject_are_those_of_the_new_file(
    old: set[tuple[str, str, str]], new: set[tuple[str, str, str]], changed: set[str]
) -> None:
    """A rebuild's page updates what it read of the last build's knowledge file with the
    statements of the subjects whose statements changed: the same as reading the new file
    whole, whatever the subjects became (entities, not, of another class, gone)."""
    now = {statement for statement in old if statement[0] not in changed}
    now |= {statement for statement in new if statement[0] in changed}
    lines = _nt(now)
    links = _Links.of(_nt(old), _CLASSES)
    links.update(lines, [subject.encode() for subject in changed])
    assert _links(links) == _links(_Links.of(lines, _CLASSES))


def test_a_rebuilds_page_reads_the_changed_subjects_of_its_knowledge_file(ontology: Graph, tmp_path: Path) -> None:
    """The page of a build whose knowledge file is the last one's with some subjects'
    statements changed, read from what its process read of the last file before: the page
    read whole. A last file changed since it was read is not used."""
    result = build(sorted((Path(__file__).parent / "data").glob("*.txt")))
    lines = result.graphs.knowledge.read_bytes().splitlines(keepends=True)
    subjects = sorted({line.split(b" ", 1)[0] for line in lines})
    # the last build: some subjects without their statements, others with more
    gone, grown = subjects[1::3], subjects[2::3]
    extra = [s + b" <" + str(KGR.knows).encode() + b"> " + subjects[0] + b" .\n" for s in grown]
    last = tmp_path / "last.nt"
    last.write_bytes(b"".join(sorted([line for line in lines if line.split(b" ", 1)[0] not in gone] + extra)))
    expected = render_html(
        build_view_data(result.graphs.knowledge, result.graphs.evidence, ontology, cap=12), ontology, cap=12
    )
    read = LastPage(last, ontology)
    links = read.links()
    assert links is not None
    data = build_view_data(result.graphs.knowledge, result.graphs.evidence, ontology, 12, read, [*gone, *grown])
    assert render_html(data, ontology, cap=12) == expected
    assert read.links() is None  # let go once used
    unread = LastPage(last, ontology)
    last.write_bytes(b"")  # changed since: read whole
    assert unread.links() is None
    data = build_view_data(result.graphs.knowledge, result.graphs.evidence, ontology, 12, unread, [])
    assert render_html(data, ontology, cap=12) == expected


_QUANTITIES = [f"<{KGR}q1>", f"<{KGR}q2>"]
_QUANTITY_TYPES = {(quantity, _TYPE_IRI, f"<{KGO.Quantity}>") for quantity in _QUANTITIES}
# fewer entities than _NODES ("<a>" and "<a-b>" still), so that more cases have an entity
# shown before and after that names a quantity that changed
_READ_NODES = [_NODES[0], _NODES[1], _NODES[5]]
_READ_STATEMENT = st.one_of(
    st.tuples(
        st.sampled_from(_READ_NODES + _QUANTITIES),
        st.just(_TYPE_IRI),
        st.sampled_from([*_KINDS, f"<{KGO.Quantity}>"]),
    ),
    st.tuples(st.sampled_from(_READ_NODES), st.sampled_from(_LINKING), st.sampled_from(_READ_NODES + _QUANTITIES)),
    st.tuples(st.sampled_from(_READ_NODES), st.just(f"<{RDFS.label}>"), st.sampled_from(['"가"@ko', '"b"@en'])),
    st.tuples(
        st.sampled_from(_READ_NODES + _QUANTITIES),
        st.just(f"<{SCHEMA.value}>"),
        st.sampled_from([f'"{n}"^^<{XSD.integer}>' for n in (1, 2)]),
    ),
)


def _shown(read: _ShownRead, keep: list[URIRef]) -> list[object]:
    """What the page looks up in what it read of the entities it shows, entity by entity."""
    entities = read.entities
    return [
        list(entities.entity_class.items()),
        entities.relations,
        *(
            (
                entities.labels.get(e),
                entities.alt_labels.get(e),
                entities.names.get(e),
                entities.wikidata.get(e),
                entities.facts.get(e),
                [read.quantities.get(o) for _p, o in entities.facts.get(e, ())],  # type: ignore[call-overload]
            )
            for e in keep
        ),
    ]


def _some(values: list[URIRef]) -> st.SearchStrategy[list[URIRef]]:
    """All of ``values`` (sorted) or some of them, as often."""
    if not values:
        return st.just([])
    return st.one_of(st.just(values), st.sets(st.sampled_from(values)).map(lambda chosen: sorted(chosen, key=str)))


@settings(deadline=None, max_examples=500)
@given(
    st.sets(_READ_STATEMENT, max_size=20),
    st.sets(_READ_STATEMENT, max_size=20),
    st.sets(st.sampled_from(_READ_NODES + _QUANTITIES)),
    st.data(),
)
def test_what_a_rebuilds_page_reads_of_the_entities_it_shows_is_that_of_the_new_file(
    old: set[tuple[str, str, str]], new: set[tuple[str, str, str]], changed: set[str], data: st.DataObject
) -> None:
    """What the page read ahead of the last file about the entities it showed, kept for
    an entity whose statements and the nodes they name did not change, read again for
    the others: what reading the new file gives, whatever changed (labels, quantities'
    values, nodes turned entities or not) and whichever entities are shown now."""
    # quantities typed so in the last file, so that more of them have values the page
    # shows, and in the new one or not
    old = old | _QUANTITY_TYPES
    new = new | _QUANTITY_TYPES if data.draw(st.booleans()) else new
    now = {statement for statement in old if statement[0] not in changed}
    now |= {statement for statement in new if statement[0] in changed}
    subjects = {subject.encode() for subject in changed}
    old_lines, lines = _nt(old), _nt(now)
    links = _Links.of(old_lines, _CLASSES)
    before = links.entities()
    shown_before = data.draw(_some(sorted(before.entity_class, key=str)))
    last = _KnowledgeScan(old_lines, before).read(shown_before, _CLASSES)
    links.update(lines, subjects)
    scan = _KnowledgeScan(lines, links.entities())
    keep = data.draw(_some(sorted(scan.entities.entity_class, key=str)))
    assert _shown(scan.read(keep, _CLASSES, last, frozenset(subjects)), keep) == _shown(scan.read(keep, _CLASSES), keep)


def test_a_node_no_longer_a_quantity_is_read_as_none() -> None:
    """Of what the page read ahead, a quantity whose node changed and is a quantity no
    longer is not kept: the entity naming it shows it as a plain value."""
    entity, quantity = _READ_NODES[0], _QUANTITIES[0]
    typed = (quantity, _TYPE_IRI, f"<{KGO.Quantity}>")
    old = {(entity, _TYPE_IRI, _KINDS[0]), (entity, _LINKING[0], quantity), typed}
    old_lines, lines = _nt(old), _nt(old - {typed})
    links = _Links.of(old_lines, _CLASSES)
    keep = sorted(links.entities().entity_class, key=str)
    last = _KnowledgeScan(old_lines, links.entities()).read(keep, _CLASSES)
    changed = {quantity.encode()}
    links.update(lines, changed)
    scan = _KnowledgeScan(lines, links.entities())
    again = scan.read(keep, _CLASSES, last, frozenset(changed))
    assert last.quantities and _shown(again, keep) == _shown(scan.read(keep, _CLASSES), keep)


def test_a_rebuilds_page_reads_again_only_what_changed_of_what_it_read_ahead(
    ontology: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's process reads ahead, of the last build's files, the statements about
    the entities the last page showed and what it kept of each evidence line. Of the new
    files it then reads only the entities whose statements, or those of the nodes they
    name, changed, and the evidence lines that are not the last ones: the page read
    whole. Showing other entities, or with an evidence file changed since, the page
    reads its evidence lines again, and is the same."""
    result = build(sorted((Path(__file__).parent / "data").glob("*.txt")))
    knowledge, evidence = result.graphs.knowledge, result.graphs.evidence
    expected = render_html(build_view_data(knowledge, evidence, ontology, cap=12), ontology, cap=12)
    keep, _center, _note = select(build_view_data(knowledge, evidence, ontology, cap=12), cap=12)
    lines = knowledge.read_bytes().splitlines(keepends=True)
    label, value = f"<{RDFS.label}>".encode(), f"<{SCHEMA.value}>".encode()
    quantities = {line.split(b" ", 1)[0] for line in lines if f"<{KGO.Quantity}> .".encode() in line}
    # the last build: two shown entities had other labels, every quantity another value
    relabelled = {f"<{entity}>".encode() for entity in keep[:2]}

    def then(line: bytes) -> bytes:
        subject, predicate, _rest = line.split(b" ", 2)
        if subject in relabelled and predicate == label:
            return line.replace(b'"', b'"old ', 1)
        if subject in quantities and predicate == value:
            return line.replace(b'"', b'"9', 1)
        return line

    assert quantities and all(
        any(then(line) != line for line in lines if line.startswith(s + b" ")) for s in relabelled
    )
    last_knowledge = tmp_path / "last.nt"
    last_knowledge.write_bytes(b"".join(sorted(map(then, lines))))
    naming = {
        e for e in keep for line in lines if line.startswith(f"<{e}> ".encode()) and line.split(b" ")[2] in quantities
    }
    # and its evidence: a sentence of the first document was another, the second had none
    evidence_lines = evidence.read_bytes().splitlines(keepends=True)
    document, headline, date, sentences, relations = json.loads(evidence_lines[0])
    sentences[0][1] = "다른 문장."
    older = json.dumps([document, headline, date, sentences, relations], ensure_ascii=False).encode() + b"\n"
    last_evidence = tmp_path / "last.jsonl"
    last_evidence.write_bytes(b"".join([older, *evidence_lines[2:]]))
    read_again: list[list[URIRef]] = []
    evidence_read: list[bytes] = []
    reading, keeping = _KnowledgeScan._read, _KeptEvidence.of

    def read(scan: _KnowledgeScan, keep: list[URIRef], classes: Any) -> _ShownRead:
        read_again.append(list(keep))
        return reading(scan, keep, classes)

    def kept(line: bytes, shown: Any) -> _KeptEvidence:
        evidence_read.append(line)
        return keeping(line, shown)

    monkeypatch.setattr(_KnowledgeScan, "_read", read)
    monkeypatch.setattr(_KeptEvidence, "of", kept)
    changed = sorted(relabelled | quantities)

    def page(ahead: LastPage) -> str:
        read_again.clear()
        evidence_read.clear()
        return render_html(build_view_data(knowledge, evidence, ontology, 12, ahead, changed), ontology, cap=12)

    ahead = LastPage(last_knowledge, ontology, last_evidence, cap=12)
    assert len(read_again) == 1 and len(evidence_read) == len(evidence_lines) - 1
    assert page(ahead) == expected
    assert read_again == [sorted({*keep[:2], *naming}, key=str)]
    assert evidence_read == evidence_lines[:2]
    assert page(LastPage(last_knowledge, ontology, last_evidence, cap=5)) == expected  # it showed 5 entities
    assert len(read_again[0]) > 5 and evidence_read == evidence_lines
    ahead = LastPage(last_knowledge, ontology, last_evidence, cap=12)
    last_evidence.write_bytes(last_evidence.read_bytes() + evidence_lines[1])  # changed since
    assert page(ahead) == expected
    assert evidence_read == evidence_lines


@pytest.mark.parametrize(
    "damage",
    [
        "a folder",
        b"<a> .\n",
        f"<\xff> <{RDF.type}> <{KGO.Organization}> .\n".encode("latin-1"),
        b"<b> <p> <o> .\n<a> <p> <o> .\n",
        None,
    ],
)
def test_a_last_knowledge_graph_that_cannot_be_read_is_not_used(
    ontology: Graph, tmp_path: Path, damage: str | bytes | None
) -> None:
    """What a rebuild's page reads ahead of the last build's knowledge graph is none of it
    when the file is gone, a folder, not N-Triples, not UTF-8 or not sorted: the page
    then reads its own file whole, and the build goes on."""
    knowledge = tmp_path / "knowledge.nt"
    if damage == "a folder":
        knowledge.mkdir()
    elif isinstance(damage, bytes):
        knowledge.write_bytes(damage)
    assert LastPage(knowledge, ontology).links() is None


_ENTITY = f'<{KGR.a}> <{RDF.type}> <{KGO.Person}> .\n<{KGR.a}> <{RDFS.label}> "가"@ko .\n'
_EVIDENCE = json.dumps(
    [f"{KGR}doc", ["제목", "ko"], "2026-12-08", [[f"{KGR}doc/sentence/1", "가가 왔다.", 0, [str(KGR.a)]]], []],
    ensure_ascii=False,
)


@pytest.mark.parametrize(
    ("knowledge_text", "evidence_text"),
    [
        (_ENTITY + f"<{KGR.a}> junk\n", _EVIDENCE),  # a statement cut short
        (_ENTITY, f'["{KGR}doc", ["제목", null], "", [], []]'),  # a headline without a language
        (_ENTITY, f'["{KGR}doc", {{"x": 1}}, "", [], []]'),  # a headline that is no pair
        (_ENTITY, "[" * 100_000 + "]" * 100_000),  # nested past the parser's depth
    ],
)
def test_last_files_that_cannot_be_read_ahead_leave_the_page_as_it_is(
    ontology: Graph, tmp_path: Path, knowledge_text: str, evidence_text: str
) -> None:
    """A last knowledge graph or evidence file that the page's process cannot read ahead
    (lines not as kg writes them) does not fail it: the page is what it is without them."""
    knowledge, evidence = tmp_path / "knowledge.nt", tmp_path / "evidence.jsonl"
    knowledge.write_text(_ENTITY, encoding="utf-8")
    evidence.write_text(_EVIDENCE + "\n", encoding="utf-8")
    expected = render_html(build_view_data(knowledge, evidence, ontology, 5), ontology, cap=5)
    last_knowledge, last_evidence = tmp_path / "last.nt", tmp_path / "last.jsonl"
    last_knowledge.write_text(knowledge_text, encoding="utf-8")
    last_evidence.write_text(evidence_text + "\n", encoding="utf-8")
    last = LastPage(last_knowledge, ontology, last_evidence, cap=5)
    assert render_html(build_view_data(knowledge, evidence, ontology, 5, last, []), ontology, cap=5) == expected


def test_a_shown_entity_that_is_a_quantity_too_is_read_once(ontology: Graph, tmp_path: Path) -> None:
    """An entity typed kgo:Quantity as well (kg writes none), shown and named by another
    shown entity: the capped page reads its statements once, as the whole read does."""
    person, both, other = f"<{KGR.e}>", f"<{KGR.a}>", f"<{KGR.z}>"
    statements = [
        f"{both} <{RDF.type}> <{KGO.Person}> .",
        f"{both} <{RDF.type}> <{KGO.Quantity}> .",
        f"{both} <{OWL.sameAs}> <{WD}Q1> .",
        f"{person} <{RDF.type}> <{KGO.Person}> .",
        f"{person} <{KGR.p}> {both} .",
        f"{other} <{RDF.type}> <{KGO.Person}> .",
        f"{other} <{KGR.p}> {both} .",
    ]
    knowledge, evidence = tmp_path / "knowledge.nt", tmp_path / "evidence.jsonl"
    knowledge.write_text("".join(line + "\n" for line in sorted(statements)), encoding="utf-8")
    evidence.write_text("", encoding="utf-8")
    capped = render_html(build_view_data(knowledge, evidence, ontology, 2), ontology, cap=2)
    assert capped == render_html(build_view_data(knowledge, evidence, ontology), ontology, cap=2)
    assert '"wd":[0,["Q1"]' in capped or '"wd":[["Q1"]' in capped


def test_literals_oxigraph_rewrites_read_as_rdflib_keeps_them(ontology: Graph, pages: dict[str, str]) -> None:
    """A store keeps literals in canonical form ("0200000" as "200000", "EN" as "en"),
    rdflib as written: both give the page of the canonical dataset."""
    odd = (
        TRIG.replace("schema:value 200000 ;", 'schema:value "0200000"^^xsd:integer ;')
        .replace("schema:value 1500000000000 ;", 'schema:value "1500000000000.00"^^xsd:decimal ;')
        .replace('"Seoul"@en ;', '"Seoul"@EN ;')
        .replace("nif:beginIndex 41 ;", 'nif:beginIndex "041"^^xsd:integer ;')
    )
    assert odd.count("0200000") == odd.count("1500000000000.00") == odd.count("@EN") == odd.count('"041"') == 1
    from_rdflib = Dataset()
    from_rdflib.parse(data=odd, format="trig")
    assert render_html(from_rdflib, ontology) == pages["both"]
    assert render_html(store_of(odd), ontology) == pages["both"]


def test_empty_dataset_and_bad_arguments(ontology: Graph) -> None:
    page = render_html(Dataset(), ontology)
    assert "0 entities, 0 relations" in page
    assert embedded(page)["nodes"]["iri"] == []
    with pytest.raises(KGError, match="ko, en, both"):
        render_html(Dataset(), ontology, "de")
    with pytest.raises(KGError, match="degree, pagerank"):
        render_html(Dataset(), ontology, size_by="closeness")


def test_vis_network_missing_from_pyvis_is_a_clear_error(ontology: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.view, "VIS_VERSION", "0.0.0")
    kg.view._vis_assets.cache_clear()  # read once per process
    with pytest.raises(KGError, match=r"vis-network 0\.0\.0 is not bundled with the installed pyvis"):
        render_html(Dataset(), ontology)


def test_a_page_is_rendered_without_importing_pyvis() -> None:
    # pyvis imports IPython (0.7 s of every page); kg only reads the files it bundles
    code = (
        "import sys; from kg.ontology import load_ontology; from kg.view import render_html; "
        "from rdflib import Dataset; page = render_html(Dataset(), load_ontology()); "
        "print('vis-network' in page, 'pyvis' in sys.modules, 'IPython' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["True", "False", "False"]


# ------------------------------------------------------------------ finding entities


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("서울", "Seoul"),
        ("seoul", "Seoul"),
        ("  SEOUL ", "Seoul"),
        ("서울시", "Seoul"),
        ("Seoul Metropolitan Government", "Seoul"),
        ("Q8684", "Seoul"),
        ("wd:Q8684", "Seoul"),
        ("http://www.wikidata.org/entity/Q8684", "Seoul"),
        ("https://www.wikidata.org/wiki/Q8684", "Seoul"),
        ("https://kg.example/id/Seoul", "Seoul"),
        ("kgr:Oh_Se-hoon", "Oh_Se-hoon"),
        ("Oh_Se-hoon", "Oh_Se-hoon"),
        ("오세훈", "Oh_Se-hoon"),
        ("AI 서울 테크시티", "AI_Seoul_Tech_City"),
    ],
)
def test_find_entity(dataset: Dataset, ontology: Graph, name: str, expected: str) -> None:
    assert find_entity(view_data(dataset, ontology), name) == KGR[expected]


def test_find_entity_errors(dataset: Dataset, ontology: Graph) -> None:
    data = view_data(dataset, ontology)
    with pytest.raises(KGError, match=r"no entity 'Busan'.*Wikidata ID"):
        find_entity(data, "Busan")
    with pytest.raises(KGError, match="no entity"):
        find_entity(data, "Q1")
    twice = make_dataset()
    twice.parse(
        data="@prefix kgo: <https://kg.example/ontology#> . @prefix kgr: <https://kg.example/id/> . "
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . "
        'kgr:Seoul_2 a kgo:City ; rdfs:label "서울"@ko .',
        format="turtle",
    )
    with pytest.raises(KGError, match=r"'서울' names 2 entities \(https://kg.example/id/Seoul, .*Seoul_2\)"):
        find_entity(view_data(twice, ontology), "서울")


def test_focus_keeps_the_ego_network(dataset: Dataset, ontology: Graph) -> None:
    data = view_data(dataset, ontology)
    keep, center, note = select(data, "오세훈", depth=1)
    assert (keep, center) == ([KGR["Oh_Se-hoon"], KGR.Seoul], KGR["Oh_Se-hoon"])
    assert note == "Showing entities within 1 relation of the focus."
    assert select(data, "오세훈", depth=2)[0] == sorted(data.entity_class, key=str)  # via Seoul
    assert select(data, "Seoul", depth=0)[0] == [KGR.Seoul]
    page = embedded(render_html(dataset, ontology, "en", focus="Q8684", depth=0))
    assert iris(page) == [str(KGR.Seoul)] and page["meta"]["focus"] == 0
    assert page["meta"]["total_nodes"] == 3
    with pytest.raises(KGError, match="negative"):
        select(data, "Seoul", depth=-1)


def test_max_nodes_keeps_the_most_central_and_says_so(dataset: Dataset, ontology: Graph) -> None:
    page = render_html(dataset, ontology, "en", max_nodes=1)
    data = embedded(page)
    assert iris(data) == [str(KGR.Seoul)]  # two relations; the others have one
    note = "Showing the 1 most central of 3 entities by number of relations."
    assert data["meta"]["note"] == note and f'<span id="kg-note">{note}</span>' in page
    assert embedded(render_html(dataset, ontology, max_nodes=3))["meta"]["note"] == ""
    # the focus stays even when it is not among the most central
    keep, _center, _note = select(view_data(dataset, ontology), "AI 서울 테크시티", depth=1, max_nodes=1)
    assert keep == [KGR.AI_Seoul_Tech_City]


# ------------------------------------------------------------------ the cap

# Seven companies; relations (two of them parallel, A to B) give A 5, B 3, C 2, and D, E, F
# and G one each: the cap keeps the most connected and breaks ties by IRI.
CAPPED_RELATIONS = [
    ("A", "cooperatesWith", "B"),
    ("A", "investsIn", "B"),
    ("A", "cooperatesWith", "C"),
    ("A", "cooperatesWith", "D"),
    ("A", "cooperatesWith", "E"),
    ("B", "cooperatesWith", "C"),
    ("G", "cooperatesWith", "F"),
]


def capped_store() -> ox.Store:
    lines = ["@prefix kgo: <https://kg.example/ontology#> . @prefix kgr: <https://kg.example/id/> .", "kgr:doc {"]
    lines += [f'kgr:{e} a kgo:Company ; <http://www.w3.org/2000/01/rdf-schema#label> "{e}"@en .' for e in "ABCDEFG"]
    lines += [f"kgr:{s} kgo:{p} kgr:{o} ." for s, p, o in CAPPED_RELATIONS]
    return store_of("\n".join([*lines, "}"]))


def most_connected(n: int) -> list[str]:
    """The n entities with most relations, ties by IRI, counted here from the list."""
    degree = dict.fromkeys("ABCDEFG", 0)
    for s, _p, o in CAPPED_RELATIONS:
        degree[s] += 1
        degree[o] += 1
    return sorted(sorted(degree, key=lambda e: (-degree[e], str(KGR[e])))[:n], key=lambda e: str(KGR[e]))


@pytest.mark.parametrize(("cap", "expected"), [(1, "A"), (2, "AB"), (3, "ABC"), (4, "ABCD"), (6, "ABCDEF")])
def test_the_cap_keeps_exactly_the_most_connected(ontology: Graph, cap: int, expected: str) -> None:
    assert most_connected(cap) == list(expected)
    page = render_html(capped_store(), ontology, "en", cap=cap)
    data = embedded(page)
    assert iris(data) == [str(KGR[e]) for e in expected]
    note = f"Showing the {cap:,} most connected of 7 entities. {CAP_HINT}"
    assert data["meta"]["note"] == note and f'<span id="kg-note">{note}</span>' in page
    assert (data["meta"]["nodes"], data["meta"]["total_nodes"], data["meta"]["total_edges"]) == (cap, 7, 7)
    assert render_html(capped_store(), ontology, "en", cap=cap) == page  # deterministic


def test_no_hint_below_the_cap(ontology: Graph) -> None:
    uncapped = render_html(capped_store(), ontology, "en")
    assert embedded(uncapped)["meta"]["note"] == "" and '<span id="kg-note"></span>' in uncapped
    assert "kg serve" not in uncapped
    for cap in (7, 8, BUILD_MAX_NODES):
        assert render_html(capped_store(), ontology, "en", cap=cap) == uncapped


def test_the_cap_keeps_the_focus_and_comes_after_max_nodes(ontology: Graph) -> None:
    data = view_data(capped_store(), ontology)
    keep, center, note = select(data, "G", depth=1, cap=1)
    assert (keep, center) == ([KGR.G], KGR.G)
    focused = "Showing entities within 1 relation of the focus, then the 1 most connected of 2 entities."
    assert note == f"{focused} {CAP_HINT}"
    keep, _center, note = select(data, max_nodes=4, cap=2)
    assert keep == [KGR.A, KGR.B]
    central = (
        "Showing the 4 most central of 7 entities by number of relations, then the 2 most connected of 4 entities."
    )
    assert note == f"{central} {CAP_HINT}"
    with pytest.raises(KGError, match="cap -1 is negative"):
        select(data, cap=-1)


# ------------------------------------------------------------------ sizes and layout


def test_pagerank_agrees_with_the_google_matrix() -> None:
    """Our numpy power iteration against networkx's Google matrix (a dense, independent
    construction) on a graph with parallel edges, a self-loop and dangling nodes."""
    graph = nx.MultiDiGraph(nx.gnp_random_graph(40, 0.08, seed=3, directed=True))
    graph.add_edges_from([(0, 1), (0, 1), (5, 5)])
    graph.add_nodes_from([40, 41])  # isolated, hence dangling
    matrix = nx.google_matrix(graph, alpha=0.85)
    values, vectors = np.linalg.eig(matrix.T)
    principal = np.real(vectors[:, np.argmax(np.real(values))])
    expected = principal / principal.sum()
    ours = pagerank(graph, tol=1e-12, max_iter=1000)
    assert np.allclose([ours[v] for v in graph], expected, atol=1e-8)


def test_size_by_degree_or_pagerank(dataset: Dataset, ontology: Graph) -> None:
    by_degree = embedded(render_html(dataset, ontology, size_by="degree"))
    by_rank = embedded(render_html(dataset, ontology, size_by="pagerank"))
    for data in (by_degree, by_rank):
        sizes = dict(zip(iris(data), data["nodes"]["size"], strict=True))
        assert sizes[str(KGR.Seoul)] == 44 and all(12 <= s <= 44 for s in sizes.values())
    # degree: mayor and facility have one relation each; PageRank: both point at Seoul only
    assert by_degree["nodes"]["size"] != by_rank["nodes"]["size"]


def _spread(pos: dict[Any, tuple[float, float]], graph: nx.Graph) -> float:
    """Mean edge length over mean distance of random node pairs: small when neighbours
    are drawn near each other and the rest spread out."""
    points = np.array([pos[v] for v in graph], dtype=float)
    index = {v: i for i, v in enumerate(graph)}
    ends = np.array([(index[u], index[v]) for u, v in graph.edges()])
    pairs = np.random.default_rng(0).integers(0, len(points), size=(5000, 2))
    edge = np.hypot(*(points[ends[:, 0]] - points[ends[:, 1]]).T).mean()
    return float(edge / np.hypot(*(points[pairs[:, 0]] - points[pairs[:, 1]]).T).mean())


@pytest.mark.parametrize("graph", [nx.barabasi_albert_graph(450, 2, seed=1), nx.random_labeled_tree(450, seed=2)])
def test_large_part_layout_as_good_as_spring_layout(graph: nx.Graph) -> None:
    """A part above SPRING_MAX nodes gets the numpy layout; it must untangle the graph
    about as well as networkx's own Fruchterman-Reingold (a different implementation)."""
    pos = layout(graph)
    assert layout(graph) == pos  # seeded
    assert len(set(pos.values())) > 0.97 * len(pos)  # hardly any two nodes on one spot
    reference = nx.spring_layout(graph, seed=1, method="force")
    assert _spread(pos, graph) < 1.25 * _spread(reference, graph)


class _Layouts:
    """A kg.view.LayoutMemo in memory."""

    def __init__(self) -> None:
        self.kept: dict[str, list[tuple[int, int]]] = {}

    def get(self, digest: str) -> list[tuple[int, int]] | None:
        return self.kept.get(digest)

    def put(self, digest: str, positions: list[tuple[int, int]]) -> None:
        self.kept[digest] = positions


def test_a_page_takes_its_layout_from_the_memo_while_its_network_is_the_same(
    seed_build: Build, ontology: Graph
) -> None:
    data = view_data(seed_build.store, ontology)
    layouts = _Layouts()
    page = render_html(data, ontology)
    assert render_html(data, ontology, layouts=layouts) == page
    [(digest, positions)] = layouts.kept.items()
    shown = embedded(page)["nodes"]
    assert positions == list(zip(shown["x"], shown["y"], strict=True))
    layouts.kept[digest] = [(x + 1000, y) for x, y in positions]
    moved = embedded(render_html(data, ontology, layouts=layouts))["nodes"]
    assert moved["x"] == [x + 1000 for x in shown["x"]] and moved["y"] == shown["y"]
    # another network (one relation fewer): laid out again, and that layout kept too
    fewer = replace(data, relations=data.relations[1:])
    assert render_html(fewer, ontology, layouts=layouts) == render_html(fewer, ontology)
    assert len(layouts.kept) == 2 and layouts.kept[digest][0][0] == positions[0][0] + 1000


def test_layout_packs_parts_and_singles() -> None:
    graph = nx.disjoint_union_all([nx.path_graph(5), nx.star_graph(6), nx.empty_graph(4), nx.path_graph(2)])
    pos = layout(graph)
    assert sorted(pos) == sorted(graph)
    assert len(set(pos.values())) == len(pos)


def test_large_graph_page_is_compact_and_light(ontology: Graph) -> None:
    lines = [
        "@prefix kgo: <https://kg.example/ontology#> . @prefix kgr: <https://kg.example/id/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
    ]
    n = 2500
    for i in range(n):
        lines.append(f'kgr:E{i} a kgo:Company ; rdfs:label "회사 {i}"@ko , "Company {i}"@en .')
        if i:
            lines.append(f"kgr:E{i} kgo:cooperatesWith kgr:E{(i * 7919) % i} .")
    dataset = Dataset()
    dataset.parse(data="\n".join(lines), format="turtle")
    page = render_html(dataset, ontology, "en")
    data = embedded(page)
    assert data["meta"]["large"] is True and data["meta"]["nodes"] == n
    assert data["options"]["edges"]["smooth"] is False
    assert data["options"]["interaction"]["hideEdgesOnDrag"] is True
    assert data["options"]["physics"]["enabled"] is False
    vis_size = len(page) - len(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    assert (len(page) - vis_size) / n < 150  # bytes of data per node with its relation
    small = embedded(render_html(dataset, ontology, "en", large_threshold=0))
    assert small["meta"]["large"] is False


# ---------------------------------------------------------------------------- CLI


def test_cli_view_of_any_built_graph(seed_dir: Any, tmp_path: Any) -> None:
    runner = CliRunner()
    for source in ("", "graph.trig", "graph.ttl", "graph.jsonld"):
        out = tmp_path / f"view{source}.html"
        result = runner.invoke(main, ["view", str(seed_dir / source), "--out", str(out), "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert embedded(out.read_text(encoding="utf-8"))["meta"]["nodes"] > 10
    out = tmp_path / "ego.html"
    args = ["view", str(seed_dir), "--out", str(out), "--focus", "Q8684", "--depth", "1", "--size-by", "pagerank"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    data = embedded(out.read_text(encoding="utf-8"))
    assert iris(data)[data["meta"]["focus"]] == str(KGR.Seoul)
    result = runner.invoke(main, ["view", str(seed_dir), "--out", str(out), "--max-nodes", "5"])
    assert result.exit_code == 0, result.output
    assert embedded(out.read_text(encoding="utf-8"))["meta"]["nodes"] == 5
    result = runner.invoke(main, ["view", str(seed_dir), "--out", str(tmp_path / "x.html"), "--focus", "없는 이름"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("kg: error: no entity '없는 이름'")
    assert not (tmp_path / "x.html").exists()


# doc2's one sentence mentions no entity and its document none either: it is only the
# evidence of the assertion that the Tech City is located in Seoul; doc3's sentence
# mentions only the mayor, whom the page capped at two entities leaves out
EVIDENCE_ONLY = (
    TRIG.rstrip().removesuffix("}")
    + """}

kgd:doc2 {
    kgd:doc2 a schema:NewsArticle ; schema:headline "테크시티 입지"@ko ;
        schema:datePublished "2024-10-01"^^xsd:date .
    <https://kg.example/doc/doc2/sentence/0> a nif:Sentence ;
        nif:anchorOf "그곳은 상암에 들어선다."@ko ; nif:beginIndex 0 ; nif:endIndex 12 ;
        nif:referenceContext kgd:doc2 .
    kgs:a2 a kgo:Assertion ;
        rdf:subject kgr:AI_Seoul_Tech_City ; rdf:predicate kgo:locatedIn ; rdf:object kgr:Seoul ;
        kgo:evidence <https://kg.example/doc/doc2/sentence/0> ;
        prov:wasDerivedFrom kgd:doc2 ; kgo:rule "ko.located_in" ; kgo:confidence 0.8 .
}

kgd:doc3 {
    kgd:doc3 a schema:NewsArticle ; schema:headline "시장 동정"@ko ; schema:mentions kgr:Oh_Se-hoon .
    <https://kg.example/doc/doc3/sentence/0> a nif:Sentence ;
        nif:anchorOf "오세훈 시장이 출장을 떠났다."@ko ; nif:beginIndex 0 ; nif:endIndex 15 ;
        nif:referenceContext kgd:doc3 ; schema:mentions kgr:Oh_Se-hoon .
    kgs:a3 a kgo:Assertion ;
        rdf:subject kgr:AI_Seoul_Tech_City ; rdf:predicate kgo:locatedIn ; rdf:object kgr:Seoul ;
        kgo:evidence <https://kg.example/doc/doc3/sentence/7> ;
        prov:wasDerivedFrom kgd:doc3 ; kgo:rule "ko.located_in" ; kgo:confidence 0.8 .
}
"""
)


def test_the_capped_page_reads_the_evidence_of_the_relations_it_shows(ontology: Graph, tmp_path: Path) -> None:
    # kgs:a3's evidence is a sentence doc3 does not state: left out, as from the store
    store = store_of(EVIDENCE_ONLY)
    evidence = tmp_path / "evidence.jsonl"
    evidence.write_text(evidence_lines(store), encoding="utf-8")
    knowledge = tmp_path / "knowledge.nt"
    knowledge.write_text(
        "".join(
            sorted(
                {
                    f"{q.triple} .\n"
                    for q in store
                    if not str(q.subject).startswith(("<https://kg.example/doc/", "<https://kg.example/statement/"))
                }
            )
        ),
        encoding="utf-8",
    )
    data = build_view_data(knowledge, evidence, ontology, cap=2)
    assert sorted(s.value for s in data.sentences) == [
        *(f"https://kg.example/doc/doc1/sentence/{n}" for n in (0, 1, 2, 3, 4, 5, 6)),
        "https://kg.example/doc/doc2/sentence/0",
    ]
    page = render_html(data, ontology, cap=2)
    assert page == render_html(store, ontology, cap=2)
    shown = embedded(page)
    assert [shown["nodes"]["en"][i] for i in shown["edges"]["from"]] == ['" onmouseover="alert(1)']
    assert [shown["sents"][i][0] for ev in shown["edges"]["ev"] for i in ev] == ["그곳은 상암에 들어선다."]
    assert ["테크시티 입지", "2024-10-01"] in shown["docs"]
