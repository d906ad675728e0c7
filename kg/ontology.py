"""The ontology as data: which classes name entities, and the top-level kind of each."""

from __future__ import annotations

from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

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
            if (
                isinstance(ancestor, URIRef)
                and _local(ancestor) in TOP_KINDS
                and str(ancestor).startswith(str(KGO))
            ):
                kinds[_local(cls)] = _local(ancestor)
                break
    return kinds


def entity_classes() -> frozenset[str]:
    """Local names of the ontology classes whose instances are entities."""
    return frozenset(_kinds())


def top_kind(cls: str) -> str:
    """'University' -> 'Organization'; raises KeyError for a class that is no entity class."""
    return _kinds()[cls]
