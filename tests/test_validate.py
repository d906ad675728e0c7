"""kg's validation finds exactly what pySHACL alone finds with every shape, SPARQL
constraints included."""

from __future__ import annotations

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


def test_violations_are_those_of_pyshacl_alone(seed_build: Build) -> None:
    graph = union_without_ontology(seed_build.dataset)
    graph.parse(data=BROKEN, format="turtle")
    _, report, _ = shacl_validate(
        graph, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="rdfs", allow_warnings=True
    )
    expected = sorted(
        (_text(graph, report.value(r, SH.focusNode)), _text(graph, report.value(r, SH.resultPath)),
         str(report.value(r, SH.resultMessage)))
        for r in report.subjects(SH.resultSeverity, SH.Violation)
    )
    result = validate(graph)
    assert not result.conforms
    assert [(v.focus, v.path, v.message) for v in result.violations] == expected
    messages = {v.message for v in result.violations}  # the two SPARQL constraints are among them
    assert "Sentence nif:anchorOf is 3 characters long but nif:endIndex - nif:beginIndex is 8; the offsets " \
        "must delimit exactly the anchored text." in messages
    assert "Entity has more than one kgo class (https://kg.example/ontology#City and " \
        "https://kg.example/ontology#Person): give each entity exactly one, the most specific, kgo class." in messages


def test_the_seed_conforms(seed_build: Build) -> None:
    assert validate(seed_build.dataset).conforms
    assert validate(Graph()).conforms
