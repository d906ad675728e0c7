"""Tests for kg.ns and the vocabulary files it points at (ontology/kg.ttl, shapes.ttl).

The ontology tests read kg.ttl with rdflib and compare it with :class:`kg.ns.KGO` and with
the class table in DESIGN.md. The shape tests validate a small graph written by hand after
DESIGN.md ("Graph model") and broken copies of it, the way the builder's output will be
validated: ``pyshacl.validate(data, shacl_graph=..., ont_graph=..., inference="rdfs")``.
"""

from __future__ import annotations

import inspect

import pyshacl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg import ns
from kg.ns import (
    BASE,
    GAZETTEER_GRAPH,
    KGD,
    KGO,
    KGQ,
    KGR,
    KGS,
    NIF,
    ONTOLOGY_GRAPH,
    ONTOLOGY_PATH,
    OWL,
    PREFIXES,
    RDF,
    RDFS,
    SH,
    SHAPES_PATH,
    SKOS,
    WD,
    sentence_iri,
)

# ns.SCHEMA and ns.XSD are used through the module: as test-module globals pytest would
# probe them for attributes and rdflib would warn about unknown terms.
KGO_NS = str(KGO)
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)

# DESIGN.md, "Ontology classes": class -> top-level kind used by the gold files.
TOP_KIND = {
    "Person": "Person",
    "Organization": "Organization",
    "Company": "Organization",
    "University": "Organization",
    "ResearchOrganization": "Organization",
    "GovernmentBody": "Organization",
    "Association": "Organization",
    "Place": "Place",
    "Country": "Place",
    "City": "Place",
    "AdministrativeArea": "Place",
    "Facility": "Place",
    "Event": "Event",
    "Conference": "Event",
    "Concept": "Concept",
    "Industry": "Concept",
    "Technology": "Concept",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


def declared_terms() -> set[URIRef]:
    """The terms listed in KGO, from its annotations (independent of __dir__)."""
    names = [n for n in inspect.get_annotations(KGO) if not n.startswith("_")]
    return {URIRef(KGO_NS + n) for n in names}


def defined_terms(ontology: Graph, kind: URIRef | None = None) -> set[URIRef]:
    kinds = TERM_TYPES if kind is None else (kind,)
    return {
        s
        for k in kinds
        for s in ontology.subjects(RDF.type, k)
        if isinstance(s, URIRef) and s.startswith(KGO_NS)
    }


def classes(ontology: Graph) -> set[URIRef]:
    return defined_terms(ontology, OWL.Class)


def properties(ontology: Graph) -> set[URIRef]:
    return defined_terms(ontology, OWL.ObjectProperty) | defined_terms(ontology, OWL.DatatypeProperty)


def in_schema(term: object) -> bool:
    return isinstance(term, URIRef) and term.startswith(str(ns.SCHEMA))


# --- kg.ns ------------------------------------------------------------------------


def test_every_kgo_term_is_defined_in_the_ontology(ontology: Graph) -> None:
    missing = declared_terms() - defined_terms(ontology)
    assert not missing, f"in kg/ns.py KGO but not defined in kg.ttl: {sorted(missing)}"


def test_every_ontology_term_is_in_kgo(ontology: Graph) -> None:
    missing = defined_terms(ontology) - declared_terms()
    assert not missing, f"defined in kg.ttl but missing from KGO: {sorted(missing)}"


def test_kgo_dir_lists_exactly_the_declared_terms() -> None:
    assert set(dir(KGO)) == declared_terms()


def test_no_other_kgo_iri_is_used_in_the_ontology(ontology: Graph) -> None:
    used = {
        term for triple in ontology for term in triple if isinstance(term, URIRef) and term.startswith(KGO_NS)
    }
    assert used <= declared_terms()


@pytest.mark.parametrize("name", ["mayor", "MayorOf", "mayorof", "Persons", "label"])
def test_misspelt_kgo_term_raises(name: str) -> None:
    with pytest.raises(AttributeError, match="not in namespace"):
        getattr(KGO, name)
    with pytest.raises(AttributeError):
        KGO[name]


def test_kgo_terms_are_iris_in_the_ontology_namespace() -> None:
    assert KGO.mayorOf == URIRef("https://kg.example/ontology#mayorOf")
    assert KGO["City"] == URIRef("https://kg.example/ontology#City")
    assert KGO_NS == BASE + "ontology#"


def test_namespaces_and_graph_names() -> None:
    assert KGR.Seoul == URIRef("https://kg.example/id/Seoul")
    assert KGD["000_56ff57ee3c08f7b3"] == URIRef("https://kg.example/doc/000_56ff57ee3c08f7b3")
    assert str(KGS) == "https://kg.example/statement/"
    assert str(KGQ) == "https://kg.example/value/"
    assert str(ns.SCHEMA) == "https://schema.org/"
    assert str(WD.Q8684) == "http://www.wikidata.org/entity/Q8684"
    assert str(NIF) == "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    assert str(ONTOLOGY_GRAPH) == "https://kg.example/ontology"
    assert str(GAZETTEER_GRAPH) == "https://kg.example/gazetteer"


def test_sentence_iri() -> None:
    doc = KGD["000_56ff57ee3c08f7b3"]
    assert sentence_iri(doc, 3) == URIRef("https://kg.example/doc/000_56ff57ee3c08f7b3/sentence/3")
    for bad in (-1, 1.0, True, "3"):
        with pytest.raises(ValueError):
            sentence_iri(doc, bad)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**9))
def test_sentence_iri_round_trip(index: int) -> None:
    doc = KGD["d"]
    iri = sentence_iri(doc, index)
    prefix, _, number = str(iri).rpartition("/sentence/")
    assert prefix == str(doc)
    assert int(number) == index


def test_prefixes_are_unique_and_bind(ontology: Graph) -> None:
    prefixes = [p for p, _ in PREFIXES]
    namespaces = [str(ns) for _, ns in PREFIXES]
    assert len(set(prefixes)) == len(prefixes)
    assert len(set(namespaces)) == len(namespaces)
    assert prefixes[:5] == ["kgo", "kgr", "kgd", "kgs", "kgq"]
    for needed in (KGO_NS, str(ns.SCHEMA), str(NIF), str(WD), str(SKOS)):
        assert needed in namespaces
    g = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES:
        g.bind(prefix, namespace)
    assert dict(g.namespaces())["kgo"] == URIRef(KGO_NS)


def test_vocabulary_paths_exist() -> None:
    assert ONTOLOGY_PATH.name == "kg.ttl" and ONTOLOGY_PATH.is_file()
    assert SHAPES_PATH.name == "shapes.ttl" and SHAPES_PATH.is_file()


# --- ontology/kg.ttl --------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    onto = ONTOLOGY_GRAPH
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(onto, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    for prop in ("title", "description"):
        values = set(ontology.objects(onto, URIRef("http://purl.org/dc/terms/" + prop)))
        assert {v.language for v in values if isinstance(v, Literal)} >= {"en", "ko"}


def test_every_term_has_one_label_and_comment_in_en_and_ko(ontology: Graph) -> None:
    for term in sorted(defined_terms(ontology)):
        for prop in (RDFS.label, RDFS.comment):
            values = list(ontology.objects(term, prop))
            langs = sorted(str(v.language) for v in values if isinstance(v, Literal))
            assert langs == ["en", "ko"], f"{term} {prop}: {values}"
            assert all(str(v).strip() for v in values)


def test_every_class_reaches_schema_org(ontology: Graph) -> None:
    for cls in sorted(classes(ontology)):
        supers = set(ontology.transitive_objects(cls, RDFS.subClassOf))
        assert any(in_schema(s) for s in supers), cls


def test_every_class_states_its_schema_org_class_directly(ontology: Graph) -> None:
    for cls in sorted(classes(ontology)):
        assert any(in_schema(s) for s in ontology.objects(cls, RDFS.subClassOf)), cls


def test_every_property_reaches_schema_org(ontology: Graph) -> None:
    for prop in sorted(properties(ontology)):
        supers = set(ontology.transitive_objects(prop, RDFS.subPropertyOf))
        assert any(in_schema(s) for s in supers), prop


def test_every_property_states_its_schema_org_property_directly(ontology: Graph) -> None:
    for prop in sorted(properties(ontology)):
        assert any(in_schema(s) for s in ontology.objects(prop, RDFS.subPropertyOf)), prop


def test_classes_match_the_design_table(ontology: Graph) -> None:
    tops = {KGO[k] for k in set(TOP_KIND.values())}
    kinds: dict[str, str] = {}
    for cls in classes(ontology) - {KGO.Quantity, KGO.Assertion}:
        reached = set(ontology.transitive_objects(cls, RDFS.subClassOf)) & tops
        assert len(reached) == 1, f"{cls} reaches {reached}"
        kinds[cls.removeprefix(KGO_NS)] = str(reached.pop()).removeprefix(KGO_NS)
    assert kinds == TOP_KIND


def test_alignments_named_in_the_brief(ontology: Graph) -> None:
    expected = [
        (KGO.Company, RDFS.subClassOf, ns.SCHEMA.Corporation),
        (KGO.University, RDFS.subClassOf, ns.SCHEMA.CollegeOrUniversity),
        (KGO.GovernmentBody, RDFS.subClassOf, ns.SCHEMA.GovernmentOrganization),
        (KGO.Concept, RDFS.subClassOf, SKOS.Concept),
        (KGO.Quantity, RDFS.subClassOf, ns.SCHEMA.QuantitativeValue),
        (KGO.Assertion, RDFS.subClassOf, RDF.Statement),
        (KGO.Assertion, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")),
        (KGO.mayorOf, RDFS.subPropertyOf, KGO.headOf),
        (KGO.keynoteSpeakerAt, RDFS.subPropertyOf, KGO.speakerAt),
        (KGO.jointEventOf, RDFS.subPropertyOf, KGO.organizer),
        (KGO.floorSize, RDFS.subPropertyOf, ns.SCHEMA.floorSize),
        (KGO.floorSize, RDFS.subPropertyOf, KGO.hasQuantity),
        (KGO.evidence, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")),
        (KGO.evidence, RDFS.range, NIF.Sentence),
        (KGO.cooperatesWith, RDF.type, OWL.SymmetricProperty),
        (KGO.startDate, RDFS.range, ns.XSD.date),
        (KGO.confidence, RDFS.range, ns.XSD.decimal),
    ]
    for triple in expected:
        assert triple in ontology, triple


def rdf_list(graph: Graph, node: Node, prop: URIRef) -> list[Node]:
    head = graph.value(node, prop)
    assert head is not None, f"{node} has no {prop}"
    return list(Collection(graph, head))


def disjoint_pairs(ontology: Graph) -> set[frozenset[Node]]:
    pairs = {frozenset(p) for p in ontology.subject_objects(OWL.disjointWith)}
    for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = rdf_list(ontology, node, OWL.members)
        pairs |= {frozenset((a, b)) for a in members for b in members if a != b}
    return pairs


def test_disjointness(ontology: Graph) -> None:
    pairs = disjoint_pairs(ontology)
    core = [KGO.Person, KGO.Organization, KGO.Event, KGO.Concept, KGO.Quantity, KGO.Assertion]
    for a in core:
        for b in core:
            if a != b:
                assert frozenset((a, b)) in pairs, (a, b)
    for other in (KGO.Person, KGO.Event, KGO.Concept):
        assert frozenset((KGO.Place, other)) in pairs
    assert frozenset((KGO.Place, KGO.Organization)) not in pairs


def test_union_domains_and_ranges_are_well_formed(ontology: Graph) -> None:
    for prop in properties(ontology):
        for kind in (RDFS.domain, RDFS.range):
            for value in ontology.objects(prop, kind):
                if isinstance(value, BNode):
                    assert len(rdf_list(ontology, value, OWL.unionOf)) >= 2, (prop, kind)


# --- ontology/shapes.ttl ----------------------------------------------------------


def test_every_shape_has_an_english_message(shapes: Graph) -> None:
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    found: set[Node] = set()
    for kind in (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint):
        found |= set(shapes.subjects(RDF.type, kind))
    for link in (SH.property, SH.sparql):
        found |= set(shapes.objects(None, link))
    for target in targets:
        found |= set(shapes.subjects(target, None))
    assert len(found) > 40
    for shape in found:
        messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
        assert any(m.language == "en" and len(m) > 20 for m in messages), shape


def test_shapes_use_only_ontology_terms(shapes: Graph) -> None:
    used = {
        term for triple in shapes for term in triple if isinstance(term, URIRef) and term.startswith(KGO_NS)
    }
    assert used <= declared_terms(), used - declared_terms()


PREFIX_LINES = """
@prefix kgo: <https://kg.example/ontology#> .
@prefix kgr: <https://kg.example/id/> .
@prefix kgd: <https://kg.example/doc/> .
@prefix kgs: <https://kg.example/statement/> .
@prefix kgq: <https://kg.example/value/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# A graph following DESIGN.md: entities, relations, literal facts, quantities, and the
# provenance of one statement. "오세훈 서울시장이" is 9 characters: 326 + 9 = 335.
CONFORMING = """
kgr:Seoul a kgo:City ;
    rdfs:label "서울"@ko , "Seoul"@en ;
    skos:altLabel "서울시"@ko , "Seoul Metropolitan Government"@en ;
    owl:sameAs wd:Q8684 ;
    schema:addressCountry "KR" ;
    kgo:designatesStrategicIndustry kgr:AI ;
    kgo:cooperatesWith kgr:Naver .
kgr:Germany a kgo:Country ; rdfs:label "독일"@ko , "Germany"@en ; schema:addressCountry "DE" .
kgr:South_Korea a kgo:Country ; rdfs:label "한국"@ko , "South Korea"@en .
kgr:Naver a kgo:Company ; rdfs:label "네이버"@ko , "Naver"@en .
kgr:KCCI a kgo:Association ; rdfs:label "대한상공회의소"@ko .
kgr:AI a kgo:Industry ; rdfs:label "AI"@en , "인공지능"@ko .
kgr:Oh_Se-hoon a kgo:Person ;
    rdfs:label "오세훈"@ko , "Oh Se-hoon"@en ;
    kgo:mayorOf kgr:Seoul ;
    kgo:keynoteSpeakerAt kgr:ADeKo_Conference .
kgr:Sung_Jae-yong a kgo:Person ; rdfs:label "성재용"@ko .
kgr:ADeKo_Conference a kgo:Conference ;
    rdfs:label "제14회 ADeKo 콘퍼런스"@ko ;
    kgo:editionNumber 14 ;
    kgo:startDate "2024-09-25"^^xsd:date ;
    kgo:heldAt kgr:KCCI ;
    kgo:jointEventOf kgr:South_Korea , kgr:Germany .
kgr:Seoul_AI_Hub a kgo:Facility ;
    rdfs:label "서울 AI 허브"@ko ;
    kgo:foundingDate "2017"^^xsd:gYear ;
    kgo:foundedBy kgr:Seoul ;
    kgo:developsInto kgr:AI_Seoul_Tech_City .
kgr:AI_Seoul_Tech_City a kgo:Facility ;
    rdfs:label "AI 서울 테크시티"@ko ;
    kgo:plannedBy kgr:Seoul ;
    kgo:targetDate "2030"^^xsd:gYear ;
    kgo:floorSize kgq:area ;
    kgo:valuation kgq:budget .
kgq:area a kgo:Quantity ;
    schema:value 200000 ; schema:unitCode "MTK" ; schema:unitText "㎡" ; kgo:qualifier "exact" .
kgq:budget a kgo:Quantity , schema:MonetaryAmount ;
    schema:value 1.5 ; schema:currency "KRW" ; kgo:qualifier "about" ; schema:name "예산"@ko .

kgd:DOC a schema:NewsArticle , prov:Entity ;
    schema:headline "서울시, AI 정책 발표"@ko ;
    schema:datePublished "2024-09-25"^^xsd:date ;
    schema:inLanguage "ko" ;
    schema:mentions kgr:Seoul , kgr:Oh_Se-hoon .
<https://kg.example/doc/DOC/sentence/3> a nif:Sentence ;
    nif:anchorOf "오세훈 서울시장이"@ko ;
    nif:beginIndex 326 ;
    nif:endIndex 335 ;
    nif:referenceContext kgd:DOC ;
    schema:mentions kgr:Seoul , kgr:Oh_Se-hoon .
kgs:a1 a kgo:Assertion ;
    rdf:subject kgr:Oh_Se-hoon ;
    rdf:predicate kgo:mayorOf ;
    rdf:object kgr:Seoul ;
    kgo:evidence <https://kg.example/doc/DOC/sentence/3> ;
    prov:wasDerivedFrom kgd:DOC ;
    kgo:rule "ko.title_of_place" ;
    kgo:confidence 0.9 .
"""

SENTENCE = "<https://kg.example/doc/DOC/sentence/3>"

# (id, triples removed, triples added, text expected in a sh:resultMessage)
BROKEN = [
    ("two_ko_labels", "", 'kgr:Seoul rdfs:label "서울특별시"@ko .', "same language"),
    (
        "mayor_of_person",
        "kgr:Oh_Se-hoon kgo:mayorOf kgr:Seoul .",
        "kgr:Oh_Se-hoon kgo:mayorOf kgr:Sung_Jae-yong .",
        "kgo:mayorOf must point at a City or an AdministrativeArea",
    ),
    (
        "quantity_without_unit",
        'kgq:area schema:unitCode "MTK" .',
        "",
        "Quantity needs exactly one unit",
    ),
    (
        "assertion_without_evidence",
        f"kgs:a1 kgo:evidence {SENTENCE} .",
        "",
        "Assertion needs exactly one kgo:evidence",
    ),
    (
        "confidence_above_one",
        "kgs:a1 kgo:confidence 0.9 .",
        "kgs:a1 kgo:confidence 1.5 .",
        "between 0 and 1",
    ),
    (
        "same_as_not_wikidata",
        "kgr:Seoul owl:sameAs wd:Q8684 .",
        "kgr:Seoul owl:sameAs <http://dbpedia.org/resource/Seoul> .",
        "owl:sameAs must point at a Wikidata item",
    ),
    (
        "same_as_wikidata_property",
        "kgr:Seoul owl:sameAs wd:Q8684 .",
        "kgr:Seoul owl:sameAs <http://www.wikidata.org/entity/P31> .",
        "owl:sameAs must point at a Wikidata item",
    ),
    ("label_without_language", "", 'kgr:Naver rdfs:label "Naver" .', "no language tag"),
    (
        "entity_without_label",
        'kgr:KCCI rdfs:label "대한상공회의소"@ko .',
        "",
        "Entity has no rdfs:label",
    ),
    ("two_classes", "", "kgr:Seoul a kgo:GovernmentBody .", "more than one kgo class"),
    (
        "country_code_not_iso",
        'kgr:Germany schema:addressCountry "DE" .',
        'kgr:Germany schema:addressCountry "Germany" .',
        "ISO 3166-1 alpha-2",
    ),
    (
        "keynote_at_a_place",
        "kgr:Oh_Se-hoon kgo:keynoteSpeakerAt kgr:ADeKo_Conference .",
        "kgr:Oh_Se-hoon kgo:keynoteSpeakerAt kgr:Seoul .",
        "A Place cannot also be",
    ),
    (
        "held_at_a_concept",
        "kgr:ADeKo_Conference kgo:heldAt kgr:KCCI .",
        "kgr:ADeKo_Conference kgo:heldAt kgr:AI .",
        "kgo:heldAt must point at a Place or an Organization",
    ),
    (
        "founded_by_a_concept",
        "kgr:Seoul_AI_Hub kgo:foundedBy kgr:Seoul .",
        "kgr:Seoul_AI_Hub kgo:foundedBy kgr:AI .",
        "kgo:foundedBy must point at an Organization, a Place or a Person",
    ),
    (
        "cooperates_with_a_concept",
        "kgr:Seoul kgo:cooperatesWith kgr:Naver .",
        "kgr:Seoul kgo:cooperatesWith kgr:AI .",
        "kgo:cooperatesWith must point at",
    ),
    (
        "start_date_not_a_date",
        'kgr:ADeKo_Conference kgo:startDate "2024-09-25"^^xsd:date .',
        'kgr:ADeKo_Conference kgo:startDate "2024"^^xsd:gYear .',
        "kgo:startDate must be an xsd:date",
    ),
    (
        "edition_zero",
        "kgr:ADeKo_Conference kgo:editionNumber 14 .",
        "kgr:ADeKo_Conference kgo:editionNumber 0 .",
        "kgo:editionNumber must be an xsd:integer of 1 or more",
    ),
    (
        "founding_date_a_string",
        'kgr:Seoul_AI_Hub kgo:foundingDate "2017"^^xsd:gYear .',
        'kgr:Seoul_AI_Hub kgo:foundingDate "2017" .',
        "kgo:foundingDate must be an xsd:gYear",
    ),
    (
        "quantity_value_a_float",
        "kgq:area schema:value 200000 .",
        "kgq:area schema:value 2.0e5 .",
        "exactly one schema:value",
    ),
    (
        "quantity_unit_and_currency",
        "",
        'kgq:area schema:currency "KRW" .',
        "Quantity needs exactly one unit",
    ),
    (
        "money_not_monetary_amount",
        "kgq:budget a schema:MonetaryAmount .",
        "",
        "must also be typed schema:MonetaryAmount",
    ),
    (
        "qualifier_unknown",
        'kgq:area kgo:qualifier "exact" .',
        'kgq:area kgo:qualifier "approximately" .',
        "exactly one kgo:qualifier",
    ),
    (
        "confidence_a_float",
        "kgs:a1 kgo:confidence 0.9 .",
        "kgs:a1 kgo:confidence 9.0e-1 .",
        "kgo:confidence, an xsd:decimal",
    ),
    (
        "assertion_without_article",
        "kgs:a1 prov:wasDerivedFrom kgd:DOC .",
        "",
        "prov:wasDerivedFrom pointing at the schema:NewsArticle",
    ),
    (
        "assertion_predicate_misspelt",
        "kgs:a1 rdf:predicate kgo:mayorOf .",
        "kgs:a1 rdf:predicate kgo:mayor .",
        "a property defined in the kg ontology",
    ),
    (
        "assertion_without_rule",
        'kgs:a1 kgo:rule "ko.title_of_place" .',
        "",
        "exactly one kgo:rule",
    ),
    (
        "sentence_offsets_do_not_match_text",
        f"{SENTENCE} nif:endIndex 335 .",
        f"{SENTENCE} nif:endIndex 340 .",
        "must equal the length of nif:anchorOf",
    ),
    (
        "sentence_index_non_negative_integer",
        f"{SENTENCE} nif:beginIndex 326 .",
        f'{SENTENCE} nif:beginIndex "326"^^xsd:nonNegativeInteger .',
        "exactly one nif:beginIndex, an xsd:integer",
    ),
    (
        "sentence_without_context",
        f"{SENTENCE} nif:referenceContext kgd:DOC .",
        "",
        "exactly one nif:referenceContext",
    ),
    (
        "article_without_language",
        'kgd:DOC schema:inLanguage "ko" .',
        "",
        "exactly one schema:inLanguage",
    ),
    (
        "article_two_dates",
        "",
        'kgd:DOC schema:datePublished "2024-09-26"^^xsd:date .',
        "at most one schema:datePublished",
    ),
]


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIX_LINES + text, format="turtle")


def validate(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, list[str], str]:
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    messages = sorted(str(m) for m in report.objects(None, SH.resultMessage))
    return bool(conforms), messages, str(text)


def test_conforming_graph_conforms(shapes: Graph, ontology: Graph) -> None:
    conforms, _, text = validate(turtle(CONFORMING), shapes, ontology)
    assert conforms, text


def test_conforming_graph_conforms_with_the_ontology_inside(shapes: Graph, ontology: Graph) -> None:
    # graph.trig carries the ontology as one of its graphs; the union must still conform,
    # with RDFS inference and without it.
    data = turtle(CONFORMING) + ontology
    conforms, _, text = validate(data, shapes, ontology)
    assert conforms, text
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert conforms, text


def test_typed_string_literals_conform(shapes: Graph, ontology: Graph) -> None:
    # rdflib tells "exact" from "exact"^^xsd:string; the shapes accept both.
    data = turtle(CONFORMING)
    for s, p, o in list(data.triples((None, KGO.qualifier, None))):
        data.remove((s, p, o))
        data.add((s, p, Literal(str(o), datatype=ns.XSD.string)))
    conforms, _, text = validate(data, shapes, ontology)
    assert conforms, text


@pytest.mark.parametrize(
    ("removed", "added", "expected"),
    [pytest.param(r, a, e, id=i) for i, r, a, e in BROKEN],
)
def test_broken_graph_is_rejected(
    shapes: Graph, ontology: Graph, removed: str, added: str, expected: str
) -> None:
    data = turtle(CONFORMING)
    gone = turtle(removed)
    assert len(gone) == (1 if removed.strip() else 0)
    assert all(t in data for t in gone), "the triple to remove is not in the graph"
    data -= gone
    data += turtle(added)
    conforms, messages, text = validate(data, shapes, ontology)
    assert not conforms
    assert any(expected in m for m in messages), text
