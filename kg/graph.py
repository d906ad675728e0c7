"""The only module that writes triples: a linked corpus becomes an RDF dataset.

Named graphs: one per document (its IRI is the document's), holding the document node,
its sentences, the descriptions of the entities it mentions, every fact extracted from it
and one ``kgo:Assertion`` per extracted statement with its evidence; the gazetteer graph
(background knowledge about the entities that occur: other names, Wikidata, country); and
the ontology graph.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import BNode, Dataset, Graph, Literal, URIRef

from kg.model import Corpus, Document, Entity, LinkedDocument, Quantity, Ref, Statement, Text, TimeValue
from kg.ns import (
    DCTERMS,
    GAZETTEER_GRAPH,
    KGD,
    KGO,
    KGQ,
    KGR,
    KGS,
    NIF,
    ONTOLOGY_GRAPH,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    WD,
    XSD,
    sentence_iri,
    term,
)
from kg.ontology import accepts

__all__ = ["CURRENCIES", "build_dataset", "document_iri", "entity_iri", "knowledge_graph", "rejected_statements"]

CURRENCIES = frozenset({"KRW", "USD", "EUR", "JPY", "CNY", "GBP"})


def document_iri(document: Document) -> URIRef:
    return KGD[document.doc_id]


def entity_iri(entity: Entity | str) -> URIRef:
    return KGR[entity.key if isinstance(entity, Entity) else entity]


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def _describe(graph: Graph, entity: Entity, names_here: set[str] | None) -> None:
    """Type and labels. ``names_here`` limits the other names to those a document used;
    None writes them all (the gazetteer graph)."""
    node = entity_iri(entity)
    graph.add((node, RDF.type, term(entity.cls)))
    for label in entity.labels:
        literal = Literal(label.text, lang=label.lang)
        if label.preferred:
            graph.add((node, RDFS.label, literal))
        elif names_here is None or label.text in names_here:
            graph.add((node, SKOS.altLabel, literal))


def _quantity_node(graph: Graph, owner: str, predicate: str, quantity: Quantity, lang: str) -> URIRef:
    node = KGQ[_digest(owner, predicate, quantity.amount, quantity.unit, quantity.qualifier, quantity.measured)]
    graph.add((node, RDF.type, KGO.Quantity))
    amount = quantity.amount
    datatype = XSD.integer if amount == amount.to_integral_value() else XSD.decimal
    graph.add(
        (
            node,
            SCHEMA.value,
            Literal(str(amount if datatype == XSD.decimal else int(amount)), datatype=datatype),
        )
    )
    if quantity.unit in CURRENCIES:
        graph.add((node, RDF.type, SCHEMA.MonetaryAmount))
        graph.add((node, SCHEMA.currency, Literal(quantity.unit)))
    else:
        graph.add((node, SCHEMA.unitCode, Literal(quantity.unit)))
    graph.add((node, SCHEMA.unitText, Literal(quantity.unit_text)))
    graph.add((node, KGO.qualifier, Literal(quantity.qualifier)))
    if quantity.measured:
        graph.add((node, SCHEMA.name, Literal(quantity.measured, lang=lang)))
    return node


def _object(graph: Graph, linked: LinkedDocument, statement: Statement) -> URIRef | Literal:
    obj = statement.object
    subject_key = linked.entity_keys[statement.subject]
    if isinstance(obj, Ref):
        return entity_iri(linked.entity_keys[obj.cluster])
    if isinstance(obj, Quantity):
        return _quantity_node(graph, subject_key, statement.predicate, obj, linked.extraction.document.lang)
    if isinstance(obj, TimeValue):
        return Literal(obj.lexical, datatype=XSD[obj.datatype])
    if isinstance(obj, Text):
        return Literal(obj.value, lang=obj.lang)
    return Literal(obj, datatype=XSD.integer)


def _document_node(graph: Graph, document: Document) -> URIRef:
    node = document_iri(document)
    graph.add((node, RDF.type, SCHEMA.NewsArticle))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, SCHEMA.name, Literal(document.name)))
    graph.add((node, SCHEMA.inLanguage, Literal(document.lang)))
    graph.add((node, SCHEMA.sha256, Literal(document.content_hash)))
    if document.title:
        graph.add((node, SCHEMA.headline, Literal(document.title, lang=document.lang)))
    if document.date:
        graph.add((node, SCHEMA.datePublished, Literal(document.date.isoformat(), datatype=XSD.date)))
    if document.source:
        if document.source.startswith(("http://", "https://")):
            graph.add((node, SCHEMA.url, Literal(document.source, datatype=XSD.anyURI)))
        else:
            graph.add((node, DCTERMS.source, Literal(document.source)))
    if document.publisher:
        graph.add((node, DCTERMS.publisher, Literal(document.publisher)))
    return node


def _document_graph(dataset: Dataset, linked: LinkedDocument, entities: dict[str, Entity]) -> None:
    extraction = linked.extraction
    document = extraction.document
    doc_node = document_iri(document)
    graph = dataset.graph(doc_node)
    _document_node(graph, document)

    names_here: dict[str, set[str]] = {}
    mentioned_in: dict[int, set[str]] = {}
    for mention in extraction.mentions:
        key = linked.entity_keys[mention.cluster]
        if not key:
            continue
        names_here.setdefault(key, set()).update(mention.names)
        mentioned_in.setdefault(mention.sentence, set()).add(key)
    for key in sorted(names_here):
        _describe(graph, entities[key], names_here[key])
        graph.add((doc_node, SCHEMA.mentions, entity_iri(key)))

    evidence_sentences = {s.evidence.sentence for s in extraction.statements}
    for sentence in extraction.sentences:
        if sentence.index not in mentioned_in and sentence.index not in evidence_sentences:
            continue
        node = sentence_iri(doc_node, sentence.index)
        graph.add((node, RDF.type, NIF.Sentence))
        graph.add((node, NIF.anchorOf, Literal(sentence.text, lang=document.lang)))
        graph.add((node, NIF.beginIndex, Literal(sentence.start, datatype=XSD.integer)))
        graph.add((node, NIF.endIndex, Literal(sentence.end, datatype=XSD.integer)))
        graph.add((node, NIF.referenceContext, doc_node))
        for key in sorted(mentioned_in.get(sentence.index, ())):
            graph.add((node, SCHEMA.mentions, entity_iri(key)))

    recorded: set[URIRef] = set()
    for statement in extraction.statements:
        subject_key = linked.entity_keys[statement.subject]
        if not subject_key:
            continue
        if isinstance(statement.object, Ref) and not linked.entity_keys[statement.object.cluster]:
            continue
        if not _fits(statement, linked, entities):
            continue
        subject = entity_iri(subject_key)
        predicate = term(statement.predicate)
        obj = _object(graph, linked, statement)
        graph.add((subject, predicate, obj))
        evidence = statement.evidence
        assertion = KGS[_digest(document.doc_id, subject, predicate, obj, evidence.sentence, evidence.rule)]
        if assertion in recorded:  # one rule read the same fact twice in one sentence
            continue
        recorded.add(assertion)
        graph.add((assertion, RDF.type, KGO.Assertion))
        graph.add((assertion, RDF.subject, subject))
        graph.add((assertion, RDF.predicate, predicate))
        graph.add((assertion, RDF.object, obj))
        graph.add((assertion, KGO.evidence, sentence_iri(doc_node, evidence.sentence)))
        graph.add((assertion, PROV.wasDerivedFrom, doc_node))
        graph.add((assertion, KGO.rule, Literal(evidence.rule)))
        graph.add((assertion, KGO.confidence, Literal(Decimal(str(evidence.confidence)), datatype=XSD.decimal)))


def _fits(statement: Statement, linked: LinkedDocument, entities: dict[str, Entity]) -> bool:
    subject_cls = entities[linked.entity_keys[statement.subject]].cls
    object_cls = (
        entities[linked.entity_keys[statement.object.cluster]].cls if isinstance(statement.object, Ref) else None
    )
    return accepts(statement.predicate, subject_cls, object_cls)


def rejected_statements(corpus: Corpus) -> int:
    """How many extracted statements the ontology does not allow (left out of the graph)."""
    entities = {e.key: e for e in corpus.entities}
    return sum(
        1
        for linked in corpus.documents
        for statement in linked.extraction.statements
        if linked.entity_keys[statement.subject]
        and not (isinstance(statement.object, Ref) and not linked.entity_keys[statement.object.cluster])
        and not _fits(statement, linked, entities)
    )


def _gazetteer_graph(dataset: Dataset, entities: tuple[Entity, ...]) -> None:
    graph = dataset.graph(GAZETTEER_GRAPH)
    for entity in entities:
        if entity.gazetteer_id is None:
            continue
        _describe(graph, entity, None)
        node = entity_iri(entity)
        if entity.wikidata:
            graph.add((node, OWL.sameAs, WD[entity.wikidata]))
        if entity.country:
            graph.add((node, SCHEMA.addressCountry, Literal(entity.country)))


def build_dataset(corpus: Corpus, ontology: Graph) -> Dataset:
    """The whole dataset: ontology, gazetteer and one graph per document."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES:
        dataset.bind(prefix, namespace)
    ontology_graph = dataset.graph(ONTOLOGY_GRAPH)
    for triple in ontology:
        ontology_graph.add(triple)
    entities = {e.key: e for e in corpus.entities}
    _gazetteer_graph(dataset, corpus.entities)
    for linked in corpus.documents:
        _document_graph(dataset, linked, entities)
    return dataset


def _is_provenance(node: object) -> bool:
    return isinstance(node, URIRef) and (str(node).startswith(str(KGD)) or str(node).startswith(str(KGS)))


def knowledge_graph(dataset: Dataset) -> Graph:
    """The facts and entity descriptions of every document and the gazetteer, without
    provenance and without the ontology: what ``graph.ttl`` holds."""
    graph = Graph()
    for prefix, namespace in PREFIXES:
        graph.bind(prefix, namespace)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if g is None or g == ONTOLOGY_GRAPH or (isinstance(g, Graph) and g.identifier == ONTOLOGY_GRAPH):
            continue
        if _is_provenance(s) or isinstance(s, BNode):
            continue
        graph.add((s, p, o))
    return graph
