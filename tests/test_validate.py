"""kg's validation finds exactly what pySHACL alone finds with every shape, SPARQL
constraints included."""

from __future__ import annotations

from collections import Counter

from pyshacl import validate as shacl_validate
from rdflib import Graph

from kg.ns import SH
from kg.ontology import load_ontology
from kg.pipeline import Build
from kg.validate import _text, load_shapes, union_without_ontology, validate

BROKEN = """
@prefix kgo: <https://kg.example/ontology#> . @prefix kgr: <https://kg.example/id/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
kgr:Seoul a kgo:Person .
kgr:Oh_Se-hoon kgo:mayorOf kgr:Oh_Se-hoon .
<https://kg.example/doc/000_56ff57ee3c08f7b3/s/99> a nif:Sentence ; nif:anchorOf "abc"@ko ;
    nif:beginIndex 1 ; nif:endIndex 9 ; nif:referenceContext <https://kg.example/doc/000_56ff57ee3c08f7b3> .
"""


# Every kind of class check that kg.validate runs itself rather than in pySHACL (sh:class
# on the node and on a property, sh:or of classes on both, sh:not of an sh:or, literal and
# blank-node values, a focus node of two target classes) next to core constraints pySHACL
# keeps (sh:uniqueLang, sh:datatype, sh:pattern, sh:maxCount, sh:xone, sh:minInclusive,
# sh:nodeKind). A range with one class types the values, so a value's sh:class check can
# only fail where the class is not the range.
BROKEN_CLASSES = """
@prefix kgo: <https://kg.example/ontology#> . @prefix kgr: <https://kg.example/id/> .
@prefix schema: <https://schema.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgr:X1 a kgo:Person , kgo:Organization ; rdfs:label "x"@en , "y"@en , "z" .
kgr:X2 a kgo:Quantity , kgo:Concept ; schema:value 1.5e0 ; schema:currency "won" ; schema:unitCode "KRW" .
kgr:X3 kgo:affiliatedWith kgr:X4 , "text" ; rdfs:label "x3"@en .
kgr:X4 a kgo:Event ; rdfs:label "x4"@en ; owl:sameAs <http://example.org/Q1> ; schema:addressCountry "kor" , "KR" .
kgr:X5 a kgo:Concept ; rdfs:label "x5"@en ; kgo:attractsTalentFrom kgr:X6 ; kgo:hasQuantity kgr:X6 .
kgr:X6 a kgo:Person ; rdfs:label "x6"@en ; kgo:editionNumber 0 ; kgo:foundingDate "2020" .
_:b a kgo:Event ; kgo:theme _:b , kgr:X1 .
"""


def _pyshacl_violations(graph: Graph) -> list[tuple[str, str, str]]:
    _, report, _ = shacl_validate(
        graph, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="rdfs", allow_warnings=True
    )
    return sorted(
        (_text(graph, report.value(r, SH.focusNode)), _text(graph, report.value(r, SH.resultPath)),
         str(report.value(r, SH.resultMessage)))
        for r in report.subjects(SH.resultSeverity, SH.Violation)
    )


def test_violations_are_those_of_pyshacl_alone(seed_build: Build) -> None:
    graph = union_without_ontology(seed_build.dataset)
    graph.parse(data=BROKEN, format="turtle")
    expected = _pyshacl_violations(graph)
    result = validate(graph)
    assert not result.conforms
    assert [(v.focus, v.path, v.message) for v in result.violations] == expected
    messages = {v.message for v in result.violations}  # the two SPARQL constraints are among them
    assert "Sentence nif:anchorOf is 3 characters long but nif:endIndex - nif:beginIndex is 8; the offsets " \
        "must delimit exactly the anchored text." in messages
    assert "Entity has more than one kgo class (https://kg.example/ontology#City and " \
        "https://kg.example/ontology#Person): give each entity exactly one, the most specific, kgo class." in messages


def test_class_checks_find_what_pyshacl_finds() -> None:
    graph = Graph().parse(data=BROKEN_CLASSES, format="turtle")
    expected = _pyshacl_violations(graph)
    assert [(v.focus, v.path, v.message) for v in validate(graph).violations] == expected
    messages = Counter(message for _, _, message in expected)
    for message in (
        "A Person cannot also be an Organization, Place, Event, Concept, Quantity or Assertion: check its rdf:type "
        "and the properties that point at it (a property's range can make it one of those).",  # sh:not of sh:or
        "Only an Organization or a Place can be the subject of kgo:attractsTalentFrom.",  # sh:or, focus node
        "kgo:affiliatedWith must point at an Organization, or a city or province (its government).",  # sh:or, value
    ):
        assert messages[message] >= 1, message
    # one violation per value that fails: the literal and the Event
    assert messages["kgo:affiliatedWith must point at an Organization, or a city or province (its government)."] == 2


def test_the_seed_conforms(seed_build: Build) -> None:
    assert validate(seed_build.dataset).conforms
    assert validate(Graph()).conforms
