"""The ontology as data: which classes name entities, and the top-level kind of each."""

from __future__ import annotations

from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg.ns import KGO, ONTOLOGY_PATH

__all__ = ["TOP_KINDS", "entity_classes", "load_ontology", "top_kind"]

TOP_KINDS = ("Person", "Organization", "Place", "Event", "Concept")


@cache
def load_ontology() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_PATH, format="turtle")
    return graph


def _local(iri: URIRef) -> str:
    return str(iri)[len(str(KGO)) :]


@cache
def _kinds() -> dict[str, str]:
    ontology = load_ontology()
    kinds: dict[str, str] = {}
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if not isinstance(cls, URIRef) or not str(cls).startswith(str(KGO)):
            continue
        for ancestor in ontology.transitive_objects(cls, RDFS.subClassOf):
            if isinstance(ancestor, URIRef) and _local(ancestor) in TOP_KINDS and str(ancestor).startswith(str(KGO)):
                kinds[_local(cls)] = _local(ancestor)
                break
    return kinds


def entity_classes() -> frozenset[str]:
    """Local names of the ontology classes whose instances are entities."""
    return frozenset(_kinds())


def top_kind(cls: str) -> str:
    """'University' -> 'Organization'; raises KeyError for a class that is no entity class."""
    return _kinds()[cls]


def _class_set(ontology: Graph, node: Node) -> frozenset[str]:
    """A domain or range: one class, or an owl:unionOf list of classes."""
    if isinstance(node, URIRef):
        return frozenset({_local(node)}) if str(node).startswith(str(KGO)) else frozenset()
    members = ontology.value(node, OWL.unionOf)
    if members is None:
        return frozenset()
    from rdflib.collection import Collection

    return frozenset(_local(m) for m in Collection(ontology, members) if isinstance(m, URIRef))


@cache
def _signatures() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    ontology = load_ontology()
    signatures = {}
    properties = [*ontology.subjects(RDF.type, OWL.ObjectProperty), *ontology.subjects(RDF.type, OWL.DatatypeProperty)]
    for prop in properties:
        if isinstance(prop, URIRef) and str(prop).startswith(str(KGO)):
            domain = ontology.value(prop, RDFS.domain)
            range_ = ontology.value(prop, RDFS.range) if (prop, RDF.type, OWL.ObjectProperty) in ontology else None
            signatures[_local(prop)] = (
                _class_set(ontology, domain) if domain is not None else frozenset(),
                _class_set(ontology, range_) if range_ is not None else frozenset(),
            )
    return signatures


@cache
def _superclasses(cls: str) -> frozenset[str]:
    """``cls`` and every class above it: asked once per statement of a build, so cached."""
    ontology = load_ontology()
    return frozenset(_local(c) for c in ontology.transitive_objects(KGO[cls], RDFS.subClassOf) if isinstance(c, URIRef))


def _is_a(cls: str, allowed: frozenset[str]) -> bool:
    return not allowed or not allowed.isdisjoint(_superclasses(cls))


def accepts(predicate: str, subject_cls: str, object_cls: str | None = None) -> bool:
    """Whether the ontology allows ``subject predicate object`` for these classes (the
    object's class is checked only for relations between entities). Extraction rules
    guess; this keeps a guess the ontology forbids (a person 'attracting talent from' a
    country) out of the graph."""
    if predicate not in _signatures():
        return True
    domain, range_ = _signatures()[predicate]
    return _is_a(subject_cls, domain) and (object_cls is None or _is_a(object_cls, range_))
