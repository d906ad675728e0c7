"""The project's namespaces, graph names and vocabulary files, in one place.

Every IRI kg writes comes from here. :class:`KGO` mirrors ``ontology/kg.ttl`` term for
term and refuses unknown names, so a misspelt property fails at import time instead of
writing a new IRI (``tests/test_ns.py`` checks that the two agree in both directions).

Examples
--------
>>> KGO.mayorOf
rdflib.term.URIRef('https://kg.example/ontology#mayorOf')
>>> KGR["Oh_Se-hoon"]
rdflib.term.URIRef('https://kg.example/id/Oh_Se-hoon')
>>> sentence_iri(KGD["000_56ff57ee3c08f7b3"], 3)
rdflib.term.URIRef('https://kg.example/doc/000_56ff57ee3c08f7b3/sentence/3')
"""

from __future__ import annotations

import functools
from pathlib import Path

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD, URIRef
from rdflib.namespace import DefinedNamespace, Namespace

__all__ = [
    "BASE",
    "DCTERMS",
    "GAZETTEER_GRAPH",
    "KGD",
    "KGO",
    "KGQ",
    "KGR",
    "KGS",
    "MERGED_GRAPH",
    "NIF",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_PATH",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SENTENCE_PATH",
    "SH",
    "SHAPES_PATH",
    "SKOS",
    "WD",
    "XSD",
    "sentence_iri",
    "term",
]

BASE = "https://kg.example/"


class KGO(DefinedNamespace):
    """The kg ontology (``ontology/kg.ttl``), prefix ``kgo:``."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # Classes: Person
    Person: URIRef
    # Classes: Organization and its subclasses
    Organization: URIRef
    Association: URIRef
    Company: URIRef
    GovernmentBody: URIRef
    ResearchOrganization: URIRef
    University: URIRef
    # Classes: Place and its subclasses
    Place: URIRef
    AdministrativeArea: URIRef
    City: URIRef
    Country: URIRef
    Facility: URIRef
    # Classes: Event and its subclass
    Event: URIRef
    Conference: URIRef
    # Classes: Concept and its subclasses
    Concept: URIRef
    Industry: URIRef
    Technology: URIRef
    # Classes: values and provenance
    Quantity: URIRef
    Assertion: URIRef

    # Object properties: people
    affiliatedWith: URIRef
    headOf: URIRef
    mayorOf: URIRef
    speakerAt: URIRef
    keynoteSpeakerAt: URIRef
    # Object properties: events
    heldAt: URIRef
    organizer: URIRef
    jointEventOf: URIRef
    theme: URIRef
    # Object properties: organisations and places
    attractsTalentFrom: URIRef
    cooperatesWith: URIRef
    designatesStrategicIndustry: URIRef
    developsInto: URIRef
    foundedBy: URIRef
    fundedBy: URIRef
    locatedIn: URIRef
    parentOrganization: URIRef
    plannedBy: URIRef
    # Object properties: quantities
    hasQuantity: URIRef
    duration: URIRef
    floorSize: URIRef
    valuation: URIRef
    # Object properties: provenance
    evidence: URIRef

    # Datatype properties
    confidence: URIRef
    editionNumber: URIRef
    endDate: URIRef
    foundingDate: URIRef
    qualifier: URIRef
    rule: URIRef
    startDate: URIRef
    targetDate: URIRef


KGR = Namespace(BASE + "id/")
"""Entities, e.g. ``kgr:Seoul``."""
KGD = Namespace(BASE + "doc/")
"""Documents; a document's IRI is also the name of its graph."""
KGS = Namespace(BASE + "statement/")
"""Reified statements (kgo:Assertion), hash IRIs."""
KGQ = Namespace(BASE + "value/")
"""Quantity nodes (kgo:Quantity), hash IRIs."""
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
WD = Namespace("http://www.wikidata.org/entity/")
SCHEMA = SDO

ONTOLOGY_GRAPH = URIRef(BASE + "ontology")
GAZETTEER_GRAPH = URIRef(BASE + "gazetteer")
MERGED_GRAPH = URIRef(BASE + "merged")
"""In a remote store, the RDF merge of all of a build's graphs: the default graph kg queries
there, as the local default graph is that merge too (:mod:`kg.push`, :mod:`kg.remote`)."""

ONTOLOGY_PATH = Path(__file__).parent.parent / "ontology" / "kg.ttl"
SHAPES_PATH = Path(__file__).parent.parent / "ontology" / "shapes.ttl"

PREFIXES: tuple[tuple[str, Namespace], ...] = (
    ("kgo", Namespace(str(KGO))),
    ("kgr", KGR),
    ("kgd", KGD),
    ("kgs", KGS),
    ("kgq", KGQ),
    ("schema", Namespace(str(SCHEMA))),
    ("prov", Namespace(str(PROV))),
    ("nif", NIF),
    ("skos", Namespace(str(SKOS))),
    ("wd", WD),
    ("dcterms", Namespace(str(DCTERMS))),
    ("owl", Namespace(str(OWL))),
    ("rdf", Namespace(str(RDF))),
    ("rdfs", Namespace(str(RDFS))),
    ("xsd", Namespace(str(XSD))),
)
"""(prefix, namespace) pairs to bind in every output, in a fixed order."""


@functools.cache
def term(name: str) -> URIRef:
    """The ontology term with this local name; an unknown name is an error (KGO fails on it).
    Cached: rdflib's namespace lookup costs microseconds, and a build asks for the same few
    dozen names hundreds of thousands of times."""
    iri: URIRef = getattr(KGO, name)
    return iri


SENTENCE_PATH = "/sentence/"  # between a document's IRI and a sentence's index: the sentence's IRI


def sentence_iri(doc_iri: str, index: int) -> URIRef:
    """Return the IRI of sentence ``index`` (from 0) of the document ``doc_iri``.

    >>> sentence_iri("https://kg.example/doc/a", 0)
    rdflib.term.URIRef('https://kg.example/doc/a/sentence/0')
    >>> sentence_iri("https://kg.example/doc/a", -1)
    Traceback (most recent call last):
    ...
    ValueError: sentence index must be a non-negative int, got -1
    """
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"sentence index must be a non-negative int, got {index!r}")
    return URIRef(f"{doc_iri}{SENTENCE_PATH}{index}")
