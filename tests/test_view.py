"""kg.view: the offline HTML network view."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from rdflib import Dataset, Graph, URIRef

from kg.errors import KGError
from kg.ns import KGR, ONTOLOGY_GRAPH, ONTOLOGY_PATH
from kg.view import KIND_PALETTES, MAX_EVIDENCE, TEMPLATE_PATH, render_html

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


def node(data: dict[str, Any], iri: URIRef) -> dict[str, Any]:
    (found,) = [n for n in data["nodes"] if n["iri"] == str(iri)]
    return found


def edge_labels(data: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    iri = {n["id"]: n["iri"] for n in data["nodes"]}
    return {(iri[e["from"]], e["iri"], iri[e["to"]]): e["label"] for e in data["edges"]}


def test_template_is_package_data() -> None:
    assert TEMPLATE_PATH.is_file()


def test_vis_network_inlined_and_nothing_remote(pages: dict[str, str]) -> None:
    page = pages["both"]
    assert "vis-network" in page and "@version 9.1.2" in page  # the bundled file's header
    assert "new vis.Network(" in page
    assert ".vis-network-tooltip" in page or "div.vis-tooltip" in page  # inlined CSS
    assert "<link" not in page.lower()
    assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.I)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"@import|url\(\s*[\"']?(?:https?:)?//", page, re.I)


def test_counts_match_an_independent_query(dataset: Dataset, pages: dict[str, str]) -> None:
    union = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    expected = {str(row[0]) for row in union.query(ENTITY_QUERY) if isinstance(row, tuple)}
    assert expected == {str(KGR.Seoul), str(KGR["Oh_Se-hoon"]), str(KGR.AI_Seoul_Tech_City)}
    for page in pages.values():
        data = embedded(page)
        assert {n["iri"] for n in data["nodes"]} == expected
        assert [n["id"] for n in data["nodes"]] == ["n0", "n1", "n2"]
        assert len(data["edges"]) == 2
        assert "3 entities, 2 relations" in page


def test_nodes_are_numbered_by_sorted_iri(pages: dict[str, str]) -> None:
    data = embedded(pages["en"])
    assert [n["iri"] for n in data["nodes"]] == sorted(n["iri"] for n in data["nodes"])
    assert [e["id"] for e in data["edges"]] == ["e0", "e1"]


@pytest.mark.parametrize(
    ("lang", "mayor", "located", "seoul"),
    [
        ("en", "mayor of", "located in", "Seoul"),
        ("ko", "시장", "소재지", "서울"),
        ("both", "mayor of / 시장", "located in / 소재지", "서울 / Seoul"),
    ],
)
def test_labels_follow_lang(pages: dict[str, str], lang: str, mayor: str, located: str, seoul: str) -> None:
    data = embedded(pages[lang])
    assert edge_labels(data) == {
        (str(KGR["Oh_Se-hoon"]), "https://kg.example/ontology#mayorOf", str(KGR.Seoul)): mayor,
        (str(KGR.AI_Seoul_Tech_City), "https://kg.example/ontology#locatedIn", str(KGR.Seoul)): located,
    }
    assert node(data, KGR.Seoul)["label"] == seoul
    assert all(e["arrows"] == "to" for e in data["edges"])


def test_ko_and_en_node_labels_differ(pages: dict[str, str]) -> None:
    ko, en = embedded(pages["ko"]), embedded(pages["en"])
    assert node(ko, KGR["Oh_Se-hoon"])["label"] == "오세훈"
    assert node(en, KGR["Oh_Se-hoon"])["label"] == "Oh Se-hoon"
    assert node(ko, KGR.AI_Seoul_Tech_City)["label"] == "AI 서울 테크시티"
    assert node(en, KGR.AI_Seoul_Tech_City)["label"] == EVIL_LABEL  # canvas text, shown as is
    assert '<html lang="ko">' in pages["ko"] and '<html lang="en">' in pages["en"]


def test_tooltip_facts_and_quantities(pages: dict[str, str]) -> None:
    en = node(embedded(pages["en"]), KGR.AI_Seoul_Tech_City)["title"]
    assert "floor size: 200,000 ㎡" in en
    assert "founding date: 2017" in en
    assert "valuation: 1,500,000,000,000 KRW (about)" in en
    ko = node(embedded(pages["ko"]), KGR.AI_Seoul_Tech_City)["title"]
    assert "연면적: 200,000 ㎡" in ko and "설립 시점: 2017" in ko


def test_tooltip_identity_and_evidence(pages: dict[str, str]) -> None:
    title = node(embedded(pages["en"]), KGR.Seoul)["title"]
    assert "Q8684" in title
    assert "서울시" in title and "Seoul Metropolitan Government" in title
    assert "City" in title
    assert "address country: KR" in title
    assert f"{MAX_EVIDENCE} of 7 sentences" in title
    assert title.count("<li>“") == MAX_EVIDENCE
    assert "2024-09-25" in title and "서울 AI 허브 &lt;b&gt;소식&lt;/b&gt;" in title
    # the relation's tooltip carries its Assertion's evidence sentence
    (mayor,) = [e for e in embedded(pages["en"])["edges"] if e["iri"].endswith("#mayorOf")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mayor["title"]


def test_only_entities_become_nodes(pages: dict[str, str]) -> None:
    data = embedded(pages["both"])
    iris = {n["iri"] for n in data["nodes"]}
    assert not any("/value/" in i or "/statement/" in i or "/doc/" in i for i in iris)


def test_document_text_only_escaped(pages: dict[str, str]) -> None:
    for page in pages.values():
        assert "<script>alert" not in page
        assert '" onmouseover="' not in page
        assert "<b>소식" not in page
        # three script elements: vis-network, the data, the page code; none closed early
        assert page.count("</script>") == 3
        assert "\\u003cscript\\u003ealert(1)" in page or "\\u0026lt;script\\u0026gt;" in page
    title = node(embedded(pages["both"]), KGR["Oh_Se-hoon"])["title"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in title and "<script>" not in title
    tech = node(embedded(pages["en"]), KGR.AI_Seoul_Tech_City)["title"]
    assert "&quot; onmouseover=&quot;alert(1)" in tech and 'onmouseover="' not in tech


def test_colours_and_legend(pages: dict[str, str], ontology: Graph) -> None:
    data = embedded(pages["en"])
    colours = {n["iri"]: n["color"] for n in data["nodes"]}
    assert len(set(colours.values())) == 3
    assert colours[str(KGR["Oh_Se-hoon"])] == KIND_PALETTES["Person"][0]
    assert colours[str(KGR.Seoul)] in KIND_PALETTES["Place"]
    assert colours[str(KGR.AI_Seoul_Tech_City)] in KIND_PALETTES["Place"]
    legend = re.search(r'<ul id="kg-legend">(.*?)</ul>', pages["en"], re.S)
    assert legend
    items = re.findall(r"background: (#[0-9a-f]{6})\"></span>([^<]*) <", legend.group(1))
    assert [label for _c, label in items] == ["Person", "City", "Facility"]
    assert {c for c, _l in items} == set(colours.values())
    assert "도시" in pages["ko"].split('id="kg-legend"')[1].split("</ul>")[0]


def test_deterministic(ontology: Graph, pages: dict[str, str]) -> None:
    again = render_html(make_dataset(), ontology, "both")
    assert again == pages["both"]
    # the ontology graph in the dataset changes nothing; nor does the order triples came in
    assert render_html(make_dataset(with_ontology=False), ontology, "both") == pages["both"]
    shuffled = Dataset()
    for s, p, o, g in sorted(make_dataset().quads((None, None, None, None)), reverse=True):
        shuffled.graph(g).add((s, p, o))
    assert render_html(shuffled, ontology, "both") == pages["both"]


def test_empty_dataset_and_bad_lang(ontology: Graph) -> None:
    page = render_html(Dataset(), ontology)
    assert "0 entities, 0 relations" in page
    assert embedded(page)["nodes"] == []
    with pytest.raises(KGError, match="ko, en, both"):
        render_html(Dataset(), ontology, "de")
