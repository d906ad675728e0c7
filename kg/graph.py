"""The only module that writes triples: a linked corpus becomes an RDF dataset.

Named graphs: one per document (its IRI is the document's), holding the document node,
its sentences, the descriptions of the entities it mentions, every fact extracted from it
and one ``kgo:Assertion`` per extracted statement with its evidence; the gazetteer graph
(background knowledge about the entities that occur: other names, Wikidata, country); and
the ontology graph.

The dataset is written as sorted N-Quads to a file (graphs in the order of their names,
each graph's statements in the order of their N-Triples text) one graph at a time, so a
large corpus's statements are never all held in memory; the knowledge graph (what
``graph.ttl`` holds) is their merge without provenance and ontology, sorted the same way.
Sorted text is what the output files are made from (:mod:`kg.export`), so the same corpus
always gives the same bytes and two builds diff line by line.

Beside them go the evidence file: per document graph, one JSON line with what the page
(:mod:`kg.view`) shows of its provenance, written as the statements are, so that the
page need not parse the dataset again to find it (:data:`EVIDENCE_FILE`); and the
provenance file: each document graph's statements about its document, sentences and
assertions, graph after graph, which validation checks with the knowledge graph, each
document graph's part a unit of its own (:data:`PROVENANCE_FILE`).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import itertools
import json
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, TypeVar

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DefinedNamespace, Namespace

from kg.cache import GraphFiles, GraphPiece
from kg.export import (
    SORT_CHUNK,
    GraphSpan,
    SubjectChange,
    copy_range,
    counted_sorted_lines,
    distinct_sorted_lines,
    graph_lines,
    line_offset,
    subject_statements,
)
from kg.export import nt_iri as _iri
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
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SENTENCE_PATH,
    SKOS,
    WD,
    XSD,
    term,
)
from kg.ontology import accepts
from kg.progress import bar

__all__ = [
    "BY_GRAPH_FILE",
    "CONTENTS_FILE",
    "COUNTS_FILE",
    "CURRENCIES",
    "DATASET_FILE",
    "EVIDENCE_FILE",
    "GRAPH_FILES",
    "KNOWLEDGE_FILE",
    "PROVENANCE",
    "PROVENANCE_FILE",
    "Graphs",
    "document_iri",
    "entity_iri",
    "write_graphs",
]

CURRENCIES = frozenset({"KRW", "USD", "EUR", "JPY", "CNY", "GBP"})
DATASET_FILE = "dataset.nq"
KNOWLEDGE_FILE = "knowledge.nt"
# each document graph's provenance statements (:data:`PROVENANCE`, sorted), one graph
# after the other in the dataset's order; how long each graph's part is: Graphs
PROVENANCE_FILE = "provenance.nt"
# one JSON line per document graph, in the dataset's order: [document IRI, [headline,
# language] or null, date published or "", sentences as [IRI, text, begin index, [IRIs of
# the entities it schema:mentions, sorted]], assertions whose object is an entity as
# [subject, predicate, object, evidence sentence] (IRIs)]: the sentences and assertions as
# the graph states them, the sentences in the text's order and the assertions in the
# extraction's (two rules reading one relation in one sentence give two equal rows)
EVIDENCE_FILE = "evidence.jsonl"
# the dataset's table of contents: a line per named graph in the dataset file, its
# kg.export.GraphSpan: where the graph's statements are and a key of what they are made
# from (with a cache, the key of a document's graph: _graph_key; a hash of the text of the others)
CONTENTS_FILE = "graphs.tsv"
# each graph's statements that the knowledge graph holds, graph after graph in the
# dataset's order, and how many graphs hold each statement of the knowledge graph (native
# unsigned 32-bit integers, one per line of it): a rebuild's knowledge graph is the last
# one's with the statements of the graphs that changed counted in and out
BY_GRAPH_FILE = "knowledge-by-graph.nt"
COUNTS_FILE = "knowledge.counts"
_BY_GRAPH = (DATASET_FILE, PROVENANCE_FILE, EVIDENCE_FILE, BY_GRAPH_FILE)  # every graph's text, graph after graph
_IN_DATASET, _IN_PROVENANCE, _IN_BY_GRAPH = 0, 1, 3  # their places in _BY_GRAPH (and in a GraphPiece's spans)
#: The graph stage's files that a cache keeps for the next build (kg.cache.GraphFiles).
GRAPH_FILES = (*_BY_GRAPH, KNOWLEDGE_FILE, COUNTS_FILE)
_WRITE_BATCH = 4096  # knowledge statements written at once
# bytes of the graph files written at once: the first rebuild copies from them in the
# kernel, which took 2-3x as long from files written 8 kB at a time (10,000 articles, graph
# stage of the rebuild after the build that filled the cache: 3.8 / 4.3 -> 1.8 s)
_WRITE_BUFFER = 1 << 20
# subjects whose statements changed, beyond which a rebuild's knowledge graph is serialised
# whole rather than spliced (kg.export.splice_subjects: a few ms per subject)
MAX_CHANGED_SUBJECTS = 2_000


@dataclass(frozen=True)
class Graphs:
    """A built dataset on disk: sorted N-Quads of every named graph, sorted N-Triples of
    the knowledge graph, the provenance file (:data:`PROVENANCE_FILE`; with the knowledge
    graph, the statements validation checks), the evidence file (:data:`EVIDENCE_FILE`:
    what the page reads) and the dataset's table of contents (:data:`CONTENTS_FILE`: what
    graph.trig is written by), with their sizes."""

    dataset: Path
    knowledge: Path
    provenance: Path
    evidence: Path
    contents: Path
    quads: int
    triples: int
    assertions: int
    rejected: int  # extracted statements the ontology does not allow (left out of the graph)
    from_cache: int = 0  # document graphs copied from the last build's files (kg.cache.GraphFiles)
    provenance_lengths: tuple[int, ...] = ()  # bytes of each document graph's part of the provenance file
    # with a cache, the hash each of those parts is made from (kg.validate.BuildStatements)
    provenance_keys: tuple[str, ...] = ()
    # the knowledge graph's subjects whose statements are not the last build's, when it was
    # updated from the last one's and they are at most MAX_CHANGED_SUBJECTS; else None
    changed_subjects: tuple[SubjectChange, ...] | None = None


def document_iri(document: Document) -> URIRef:
    return KGD[document.doc_id]


def entity_iri(entity: Entity | str) -> URIRef:
    return URIRef(_ENTITY_BASE + (entity.key if isinstance(entity, Entity) else entity))


_ENTITY_BASE, _STATEMENT_BASE = str(KGR), str(KGS)  # KGR[key] is rdflib's slower way to the same IRI


def _entity(key: str) -> str:
    """An entity's IRI in N-Triples."""
    return _iri(_ENTITY_BASE + key)


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


# what Oxigraph escapes in a literal's value (or refuses: a lone surrogate); a value with
# none of it, most text, is written as it is, without making an Oxigraph term of it
_ESCAPED = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff\ud800-\udfff]')


def _literal(value: str, lang: str | None = None, datatype: URIRef | None = None) -> str:
    if _ESCAPED.search(value) is None:
        return f'"{value}"{_literal_suffix(lang, datatype)}'
    return _oxigraph_literal(value, lang, datatype)


@functools.cache
def _literal_suffix(lang: str | None, datatype: URIRef | None) -> str:
    """What follows a literal's quoted value: its language tag as Oxigraph normalises it,
    or its datatype unless xsd:string."""
    return _oxigraph_literal("", lang, datatype)[2:]


def _oxigraph_literal(value: str, lang: str | None, datatype: URIRef | None) -> str:
    if lang:
        return str(ox.Literal(value, language=lang))
    if datatype is not None:
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(value))


class _Graph:
    """One named graph's statements as N-Triples lines without the final `` .``; of a
    document's graph, also the rows of its :data:`EVIDENCE_FILE` line."""

    def __init__(self) -> None:
        self.lines: set[str] = set()
        self.sentences: list[tuple[str, str, int, list[str]]] = []
        self.relations: list[tuple[str, str, str, str]] = []
        self.rejected = 0  # of a document's graph: its statements the ontology does not allow

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.lines.add(f"{subject} {predicate} {obj}")


@functools.cache
def _term(namespace: Namespace | type[DefinedNamespace], name: str) -> str:
    """A vocabulary term in N-Triples: an rdflib namespace lookup costs more than writing
    the statement, and the same few terms are written hundreds of times per document."""
    return _iri(namespace[name])


_TYPE, _LABEL, _ALT_LABEL = _term(RDF, "type"), _term(RDFS, "label"), _term(SKOS, "altLabel")
_MENTIONS, _SENTENCE, _ASSERTION = _term(SCHEMA, "mentions"), _term(NIF, "Sentence"), _term(KGO, "Assertion")
_ANCHOR_OF, _BEGIN, _END = _term(NIF, "anchorOf"), _term(NIF, "beginIndex"), _term(NIF, "endIndex")
_CONTEXT, _DERIVED_FROM = _term(NIF, "referenceContext"), _term(PROV, "wasDerivedFrom")
_SUBJECT, _PREDICATE, _OBJECT = _term(RDF, "subject"), _term(RDF, "predicate"), _term(RDF, "object")
_EVIDENCE, _RULE, _CONFIDENCE = _term(KGO, "evidence"), _term(KGO, "rule"), _term(KGO, "confidence")
_INTEGER = _iri(XSD.integer)


def _integer(value: int) -> str:
    """An xsd:integer literal in N-Triples (digits need no escaping)."""
    return f'"{value}"^^{_INTEGER}'


@functools.cache
def _confidence(value: float) -> str:
    """A confidence as an xsd:decimal literal: a build has a few dozen distinct ones."""
    return _literal(str(Decimal(str(value))), datatype=XSD.decimal)


@functools.lru_cache(maxsize=1 << 12)
def _rule(name: str) -> str:
    return _literal(name)


@dataclass(frozen=True)
class _Description:
    """An entity's type and label statements: those every graph that describes it holds
    (its type, its preferred labels), and those of its other names, by name: a document's
    graph holds only those of the names it used."""

    lines: tuple[str, ...]
    other_names: dict[str, tuple[str, ...]]


def _description(entity: Entity, node: str) -> _Description:
    lines = [f"{node} {_TYPE} {_iri(term(entity.cls))}"]
    other_names: dict[str, list[str]] = {}
    for label in entity.labels:
        literal = _literal(label.text, lang=label.lang)
        if label.preferred:
            lines.append(f"{node} {_LABEL} {literal}")
        else:
            other_names.setdefault(label.text, []).append(f"{node} {_ALT_LABEL} {literal}")
    return _Description(tuple(lines), {name: tuple(texts) for name, texts in other_names.items()})


_V = TypeVar("_V")


class _Lazy(dict[str, _V]):
    """Values by key, each made by ``make`` when first looked up."""

    def __init__(self, make: Callable[[str], _V]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> _V:
        value = self[key] = self.make(key)
        return value


class _Entities:
    """The corpus's entities by key, and what graphs read of each, worked out once per
    entity when first asked for: its IRI in N-Triples, its description, and a digest of
    what a document's graph reads of it (key, class, labels) for the graphs' keys. The
    documents' graphs name an entity again and again (10,000 articles: 1.4 million times),
    and their keys look up 211,398 digests: dicts, so that the lookups stay in C."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.by_key = {entity.key: entity for entity in entities}
        self.nodes = _Lazy(_entity)
        self.descriptions = _Lazy(lambda key: _description(self.by_key[key], self.nodes[key]))
        self.digests = _Lazy(self._digest)

    def _digest(self, key: str) -> bytes:
        entity = self.by_key[key]
        return hashlib.sha256(repr((key, entity.cls, entity.labels)).encode()).digest()


def _quantity_node(graph: _Graph, owner: str, predicate: str, quantity: Quantity, lang: str) -> URIRef:
    iri = KGQ[_digest(owner, predicate, quantity.amount, quantity.unit, quantity.qualifier, quantity.measured)]
    node = f"<{iri}>"  # a namespace and hex digits: nothing to check or escape
    graph.add(node, _TYPE, _term(KGO, "Quantity"))
    amount = quantity.amount
    if amount == amount.to_integral_value():
        graph.add(node, _term(SCHEMA, "value"), _literal(str(int(amount)), datatype=XSD.integer))
    else:
        graph.add(node, _term(SCHEMA, "value"), _literal(str(amount), datatype=XSD.decimal))
    if quantity.unit in CURRENCIES:
        graph.add(node, _TYPE, _term(SCHEMA, "MonetaryAmount"))
        graph.add(node, _term(SCHEMA, "currency"), _literal(quantity.unit))
    else:
        graph.add(node, _term(SCHEMA, "unitCode"), _literal(quantity.unit))
    graph.add(node, _term(SCHEMA, "unitText"), _literal(quantity.unit_text))
    graph.add(node, _term(KGO, "qualifier"), _literal(quantity.qualifier))
    if quantity.measured:
        graph.add(node, _term(SCHEMA, "name"), _literal(quantity.measured, lang=lang))
    return iri


def _object(graph: _Graph, linked: LinkedDocument, statement: Statement, entities: _Entities) -> tuple[str, str]:
    """The statement's object in N-Triples, and as the text that names its assertion (an
    IRI's or literal's value, as IRIs minted before this module wrote text were made)."""
    obj = statement.object
    subject_key = linked.entity_keys[statement.subject]
    if isinstance(obj, Ref):
        key = linked.entity_keys[obj.cluster]
        return entities.nodes[key], _ENTITY_BASE + key
    if isinstance(obj, Quantity):
        iri = _quantity_node(graph, subject_key, statement.predicate, obj, linked.extraction.document.lang)
        return f"<{iri}>", str(iri)
    if isinstance(obj, TimeValue):
        return _literal(obj.lexical, datatype=XSD[obj.datatype]), obj.lexical
    if isinstance(obj, Text):
        return _literal(obj.value, lang=obj.lang), obj.value
    return _literal(str(obj), datatype=XSD.integer), str(obj)


def _document_node(graph: _Graph, document: Document) -> str:
    node = _iri(document_iri(document))
    graph.add(node, _TYPE, _term(SCHEMA, "NewsArticle"))
    graph.add(node, _TYPE, _term(PROV, "Entity"))
    graph.add(node, _term(SCHEMA, "name"), _literal(document.name))
    graph.add(node, _term(SCHEMA, "inLanguage"), _literal(document.lang))
    graph.add(node, _term(SCHEMA, "sha256"), _literal(document.content_hash))
    if document.title:
        graph.add(node, _term(SCHEMA, "headline"), _literal(document.title, lang=document.lang))
    if document.date:
        graph.add(node, _term(SCHEMA, "datePublished"), _literal(document.date.isoformat(), datatype=XSD.date))
    if document.source:
        if document.source.startswith(("http://", "https://")):
            graph.add(node, _term(SCHEMA, "url"), _literal(document.source, datatype=XSD.anyURI))
        else:
            graph.add(node, _term(DCTERMS, "source"), _literal(document.source))
    if document.publisher:
        graph.add(node, _term(DCTERMS, "publisher"), _literal(document.publisher))
    return node


def _document_graph(linked: LinkedDocument, entities: _Entities) -> _Graph:
    extraction = linked.extraction
    document = extraction.document
    graph = _Graph()
    add = graph.lines.add  # ~430 statements a document: a method call each would cost a fifth of the stage
    doc_node = _document_node(graph, document)
    sentences = doc_node[:-1] + SENTENCE_PATH  # kg.ns.sentence_iri in N-Triples, but for the index and ">"

    names_here: dict[str, set[str]] = {}
    mentioned_in: dict[int, set[str]] = {}
    for mention in extraction.mentions:
        key = linked.entity_keys[mention.cluster]
        if not key:
            continue
        names_here.setdefault(key, set()).update(mention.names)
        mentioned_in.setdefault(mention.sentence, set()).add(key)
    for key, names in names_here.items():
        description = entities.descriptions[key]
        graph.lines.update(description.lines)
        for name in names:
            graph.lines.update(description.other_names.get(name, ()))
        add(f"{doc_node} {_MENTIONS} {entities.nodes[key]}")

    evidence_sentences = {s.evidence.sentence for s in extraction.statements}
    for sentence in extraction.sentences:
        if sentence.index not in mentioned_in and sentence.index not in evidence_sentences:
            continue
        node = f"{sentences}{sentence.index}>"
        add(f"{node} {_TYPE} {_SENTENCE}")
        add(f"{node} {_ANCHOR_OF} {_literal(sentence.text, lang=document.lang)}")
        add(f"{node} {_BEGIN} {_integer(sentence.start)}")
        add(f"{node} {_END} {_integer(sentence.end)}")
        add(f"{node} {_CONTEXT} {doc_node}")
        keys = sorted(mentioned_in.get(sentence.index, ()))
        for key in keys:
            add(f"{node} {_MENTIONS} {entities.nodes[key]}")
        mentioned = [_ENTITY_BASE + key for key in keys]
        graph.sentences.append((node[1:-1], sentence.text, sentence.start, mentioned))

    recorded: set[str] = set()
    for statement in extraction.statements:
        subject_key = linked.entity_keys[statement.subject]
        if not subject_key:
            continue
        if isinstance(statement.object, Ref) and not linked.entity_keys[statement.object.cluster]:
            continue
        if not _fits(statement, linked, entities):
            graph.rejected += 1
            continue
        subject, predicate = _ENTITY_BASE + subject_key, term(statement.predicate)
        obj, obj_text = _object(graph, linked, statement, entities)
        subject_node, predicate_node = entities.nodes[subject_key], _iri(predicate)
        add(f"{subject_node} {predicate_node} {obj}")
        evidence = statement.evidence
        digest = _digest(document.doc_id, subject, predicate, obj_text, evidence.sentence, evidence.rule)
        assertion = f"<{_STATEMENT_BASE}{digest}>"  # as the quantities' IRIs
        if assertion in recorded:  # one rule read the same fact twice in one sentence
            continue
        recorded.add(assertion)
        add(f"{assertion} {_TYPE} {_ASSERTION}")
        add(f"{assertion} {_SUBJECT} {subject_node}")
        add(f"{assertion} {_PREDICATE} {predicate_node}")
        add(f"{assertion} {_OBJECT} {obj}")
        add(f"{assertion} {_EVIDENCE} {sentences}{evidence.sentence}>")
        add(f"{assertion} {_DERIVED_FROM} {doc_node}")
        add(f"{assertion} {_RULE} {_rule(evidence.rule)}")
        add(f"{assertion} {_CONFIDENCE} {_confidence(evidence.confidence)}")
        if isinstance(statement.object, Ref):
            graph.relations.append((subject, str(predicate), obj_text, f"{sentences[1:]}{evidence.sentence}"))
    return graph


def _evidence(document: Document, graph: _Graph) -> bytes:
    """The document graph's :data:`EVIDENCE_FILE` line."""
    headline = [document.title, document.lang] if document.title else None
    date = document.date.isoformat() if document.date else ""
    row = [str(document_iri(document)), headline, date, graph.sentences, graph.relations]
    return (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _fits(statement: Statement, linked: LinkedDocument, entities: _Entities) -> bool:
    subject_cls = entities.by_key[linked.entity_keys[statement.subject]].cls
    object_cls = (
        entities.by_key[linked.entity_keys[statement.object.cluster]].cls if isinstance(statement.object, Ref) else None
    )
    return accepts(statement.predicate, subject_cls, object_cls)


def _gazetteer_graph(entities: tuple[Entity, ...]) -> _Graph:
    graph = _Graph()
    for entity in entities:
        if entity.gazetteer_id is None:
            continue
        node = _entity(entity.key)
        description = _description(entity, node)
        graph.lines.update(description.lines)
        for lines in description.other_names.values():
            graph.lines.update(lines)
        if entity.wikidata:
            graph.add(node, _term(OWL, "sameAs"), _iri(WD[entity.wikidata]))
        if entity.country:
            graph.add(node, _term(SCHEMA, "addressCountry"), _literal(entity.country))
    return graph


# the subjects of provenance statements (documents, their sentences, assertions), which the
# knowledge graph leaves out, begin so in N-Triples; so do blank nodes
PROVENANCE = (_iri(KGD)[:-1], _iri(KGS)[:-1], "_:")
# each prefix with the least text after every text that begins with it
_PROVENANCE_RANGES = tuple((prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)) for prefix in sorted(PROVENANCE))


@dataclass(frozen=True)
class _Text:
    """A graph's statements as sorted N-Triples lines, how many, those of them that the
    knowledge graph holds (not about a document, sentence or assertion) and the others
    (provenance), of a document's graph its :data:`EVIDENCE_FILE` line and how many of
    its extracted statements the ontology does not allow (left out of it)."""

    statements: bytes
    lines: int
    knowledge: bytes
    provenance: bytes
    evidence: bytes
    rejected: int


def _text(graph: _Graph, document: Document | None = None) -> _Text:
    # the lines that begin with a provenance prefix are one run of the sorted lines each,
    # found by bisection; the knowledge statements are what lies around them
    ordered = sorted(graph.lines)
    knowledge, provenance, start = [], [], 0
    for prefix, after in _PROVENANCE_RANGES:
        low = bisect.bisect_left(ordered, prefix, start)
        high = bisect.bisect_left(ordered, after, low)
        knowledge.append(_statements(ordered[start:low]))
        provenance.append(_statements(ordered[low:high]))
        start = high
    knowledge.append(_statements(ordered[start:]))
    statements = b"".join(part for pair in itertools.zip_longest(knowledge, provenance, fillvalue=b"") for part in pair)
    evidence = b"" if document is None else _evidence(document, graph)
    return _Text(statements, len(ordered), b"".join(knowledge), b"".join(provenance), evidence, graph.rejected)


def _statements(lines: list[str]) -> bytes:
    return (" .\n".join(lines) + " .\n").encode("utf-8") if lines else b""


def _graph_key(extraction_key: str, linked: LinkedDocument, digests: Mapping[str, bytes]) -> str:
    """The cache key of a document's graph: ``extraction_key`` (the document's name and
    bytes, the extractor's version), its clusters' entities, and of each of them what
    :func:`_document_graph` reads (class, labels)."""
    digest = hashlib.sha256((extraction_key + "\0" + "\x1f".join(linked.entity_keys) + "\0").encode())
    digest.update(b"".join(map(digests.__getitem__, sorted(set(linked.entity_keys) - {""}))))
    return digest.hexdigest()


def _named_graphs(
    corpus: Corpus, ontology: Graph, keyed: bool, extraction_keys: Sequence[str]
) -> Iterator[tuple[str, str, Callable[[], _Text]]]:
    """(graph name in N-Triples, its key, what makes :func:`_text` of the graph), the
    graphs in the order of their names; a document's graph is made only when asked. The
    key of a document's graph is made, when ``keyed``, of its extraction's key in
    ``extraction_keys`` and what it reads of its entities (:func:`_graph_key`; else ""),
    of the others it is a hash of their text."""
    entities = _Entities(corpus.entities)

    def hashed(graph: Callable[[], _Graph]) -> tuple[str, Callable[[], _Text]]:
        text = _text(graph())
        return hashlib.sha256(text.statements).hexdigest(), lambda: text

    def ontology_graph() -> _Graph:
        graph = _Graph()
        graph.lines.update(graph_lines(ontology))
        return graph

    def document(index: int) -> tuple[str, Callable[[], _Text]]:
        linked = corpus.documents[index]
        key = _graph_key(extraction_keys[index], linked, entities.digests) if keyed else ""
        return key, lambda: _text(_document_graph(linked, entities), linked.extraction.document)

    turns: dict[str, Callable[[], tuple[str, Callable[[], _Text]]]] = {
        _iri(ONTOLOGY_GRAPH): lambda: hashed(ontology_graph),
        _iri(GAZETTEER_GRAPH): lambda: hashed(lambda: _gazetteer_graph(corpus.entities)),
    }
    for index, linked in enumerate(corpus.documents):
        turns[_iri(document_iri(linked.extraction.document))] = functools.partial(document, index)
    for name in sorted(turns):
        yield name, *turns[name]()


class _Writer:
    """The graph stage's files that hold every graph's text one after another
    (:data:`_BY_GRAPH`), written graph after graph; a graph of the last build's files
    (kg.cache.GraphFiles) is copied from them, in runs of consecutive graphs."""

    def __init__(self, folder: Path, stack: contextlib.ExitStack, previous: GraphFiles | None) -> None:
        self.streams = [stack.enter_context((folder / name).open("wb", buffering=_WRITE_BUFFER)) for name in _BY_GRAPH]
        self.previous = previous
        self._stack = stack
        self._sources: list[BinaryIO] = []
        self._runs: list[tuple[int, int]] = []  # (offset, length) in each previous file, to copy

    def write(self, texts: Sequence[bytes]) -> tuple[tuple[int, int], ...]:
        """``texts``, one per file; where each went."""
        self.flush()
        return tuple((stream.tell(), stream.write(text)) for stream, text in zip(self.streams, texts, strict=True))

    def copy(self, piece: GraphPiece) -> tuple[tuple[int, int], ...]:
        """The graph ``piece`` of the last build's files, copied when the run it joins ends;
        where it goes."""
        runs = self._runs
        joins = all(offset == start + length for (start, length), (offset, _) in zip(runs, piece.spans, strict=False))
        if runs and not joins:
            self.flush()
            runs = []
        runs = runs or [(offset, 0) for offset, _ in piece.spans]
        self._runs = [(start, length + more) for (start, length), (_, more) in zip(runs, piece.spans, strict=True)]
        return tuple(
            (stream.tell() + length, more)
            for stream, (_, length), (_, more) in zip(self.streams, runs, piece.spans, strict=True)
        )

    def read(self, index: int, offset: int, length: int) -> bytes:
        """``length`` bytes at ``offset`` of the last build's ``index``-th file."""
        source = self._source(index)
        source.seek(offset)
        text = source.read(length)
        if len(text) != length:
            raise _Damaged
        return text

    def _source(self, index: int) -> BinaryIO:
        if not self._sources:
            assert self.previous is not None
            self._sources = [self._stack.enter_context(self.previous.path(name).open("rb")) for name in _BY_GRAPH]
        return self._sources[index]

    def flush(self) -> None:
        runs, self._runs = self._runs, []
        for index, (offset, length) in enumerate(runs):
            if length:
                try:
                    copy_range(self._source(index), offset, length, self.streams[index])
                except EOFError:
                    raise _Damaged from None


class _Damaged(Exception):
    """The last build's graph files are not what their index says."""


def write_graphs(
    corpus: Corpus,
    ontology: Graph,
    folder: Path,
    chunk: int = SORT_CHUNK,
    progress: bool = False,
    *,
    cache: GraphFiles | None = None,
    extraction_keys: Sequence[str] = (),
) -> Graphs:
    """Write the dataset (:data:`DATASET_FILE`), the knowledge graph
    (:data:`KNOWLEDGE_FILE`, with :data:`COUNTS_FILE`), the provenance file
    (:data:`PROVENANCE_FILE`), the evidence file (:data:`EVIDENCE_FILE`), the knowledge
    statements by graph (:data:`BY_GRAPH_FILE`) and the dataset's table of contents
    (:data:`CONTENTS_FILE`) into ``folder``; see the module's description. At most about
    ``chunk`` distinct knowledge statements are held in memory at once. With
    ``progress``, a bar on stderr counts the named graphs, and the knowledge graph's sort
    as one more step.

    With ``cache``, ``extraction_keys`` holds each document's extraction key (kg.cache), in
    the order of ``corpus.documents``: a graph whose key (:func:`_graph_key`) is in the
    last build's files there is copied from them instead of written again, and the
    knowledge graph is the last one's with the statements of the graphs that changed;
    the graphs are given to the cache for its commit."""
    if cache is not None and len(extraction_keys) != len(corpus.documents):
        raise ValueError("write_graphs needs one extraction key per document with a cache")
    previous = cache.previous() if cache is not None else {}
    try:
        return _write_graphs(corpus, ontology, folder, chunk, progress, cache, extraction_keys, previous)
    except _Damaged:
        assert cache is not None
        return _write_graphs(corpus, ontology, folder, chunk, progress, cache, extraction_keys, {})


def _write_graphs(
    corpus: Corpus,
    ontology: Graph,
    folder: Path,
    chunk: int,
    progress: bool,
    cache: GraphFiles | None,
    extraction_keys: Sequence[str],
    previous: dict[str, GraphPiece],
) -> Graphs:
    contents_path = folder / CONTENTS_FILE
    ontology_name, gazetteer_name = _iri(ONTOLOGY_GRAPH), _iri(GAZETTEER_GRAPH)
    assertion_type = f" {_TYPE} {_ASSERTION} .\n".encode()
    reused = 0
    provenance_lengths = []
    provenance_keys: list[str] = []
    pieces: list[GraphPiece] = []
    added: list[bytes] = []  # the knowledge statements of the graphs written, while they are few
    added_lines = 0  # and of the graphs gone
    with (
        bar("graphs", len(corpus.documents) + 3, "graph", progress) as shown,  # + ontology, gazetteer, sort
        contextlib.ExitStack() as stack,
    ):
        updating = bool(previous)  # the knowledge graph from the last one's (``previous`` empties as graphs are copied)
        writer = _Writer(folder, stack, cache if updating else None)
        contents = stack.enter_context(contents_path.open("w", encoding="utf-8"))
        for name, key, make in _named_graphs(corpus, ontology, cache is not None, extraction_keys):
            shown.update(1)
            old = previous.pop(cache.key(key), None) if cache is not None and previous else None
            if old is not None:
                piece = replace(old, key=key, spans=writer.copy(old))
                reused += name not in (ontology_name, gazetteer_name)
            else:
                text = make()
                # " .\n" ends lines only: N-Triples escapes a line break in a literal
                quads_text = text.statements.replace(b" .\n", f" {name} .\n".encode())
                if name == ontology_name:
                    knowledge, own, graph_assertions = b"", b"", 0
                else:
                    own, graph_assertions = text.provenance, text.statements.count(assertion_type)
                    knowledge = text.knowledge
                spans = writer.write((quads_text, own, text.evidence, knowledge))
                piece = GraphPiece(key, spans, text.lines, graph_assertions, text.rejected)
                if updating and added_lines <= chunk:
                    added.append(knowledge)
                    added_lines += knowledge.count(b"\n")
            if piece.quads:
                contents.write(GraphSpan(name, key, *piece.spans[_IN_DATASET]).line())
            if piece.spans[_IN_PROVENANCE][1]:
                provenance_lengths.append(piece.spans[_IN_PROVENANCE][1])
                if cache is not None:
                    provenance_keys.append(cache.key(key))
            pieces.append(piece)
        writer.flush()
        update = None
        if updating and added_lines <= chunk:  # what is left of the last build's: the graphs gone
            removed = _knowledge_of(writer, previous.values(), chunk - added_lines)
            update = None if removed is None else _knowledge_update(added, removed)
        writer.streams[_IN_BY_GRAPH].flush()
        triples, changed = _write_knowledge(
            folder, cache if update is not None else None, update, chunk, cache is not None
        )
        shown.update(1)
    if cache is not None:
        cache.pieces = pieces
    return Graphs(
        folder / DATASET_FILE,
        folder / KNOWLEDGE_FILE,
        folder / PROVENANCE_FILE,
        folder / EVIDENCE_FILE,
        contents_path,
        sum(piece.quads for piece in pieces),
        triples,
        sum(piece.assertions for piece in pieces),
        sum(piece.rejected for piece in pieces),
        reused,
        tuple(provenance_lengths),
        tuple(provenance_keys),
        changed,
    )


def _knowledge_of(writer: _Writer, pieces: Iterable[GraphPiece], limit: int) -> list[bytes] | None:
    """The knowledge statements of the last build's graphs ``pieces``; None when they are
    more than ``limit`` lines."""
    texts = []
    for piece in pieces:
        texts.append(writer.read(_IN_BY_GRAPH, *piece.spans[_IN_BY_GRAPH]))
        limit -= texts[-1].count(b"\n")
        if limit < 0:
            return None
    return texts


def _knowledge_update(added: Sequence[bytes], removed: Sequence[bytes]) -> Counter[bytes]:
    """By how much each knowledge statement's count of graphs changes, of the graphs'
    knowledge statements ``added`` and ``removed`` (lines of :data:`BY_GRAPH_FILE`)."""
    change: Counter[bytes] = Counter()
    for text in added:
        change.update(text.split(b"\n")[:-1])
    for text in removed:
        change.subtract(text.split(b"\n")[:-1])
    return change


def _write_knowledge(
    folder: Path, previous: GraphFiles | None, update: Counter[bytes] | None, chunk: int, counted: bool
) -> tuple[int, tuple[SubjectChange, ...] | None]:
    """The knowledge graph's file in ``folder``, with its counts (:data:`COUNTS_FILE`) when
    ``counted`` (for a cache): of the last build's in ``previous`` changed by ``update``
    where they fit together, else sorted from :data:`BY_GRAPH_FILE`; how many statements
    it has and, when updated, the subjects whose statements changed (:attr:`Graphs.changed_subjects`)."""
    if not counted:  # as fast as sorting goes: each line kept once, not counted
        with (folder / BY_GRAPH_FILE).open("rb") as by_graph, (folder / KNOWLEDGE_FILE).open("wb") as output:
            return _write_batched(distinct_sorted_lines(by_graph, chunk), output), None
    if previous is not None and update is not None:
        try:
            text = previous.path(KNOWLEDGE_FILE).read_bytes()
            counts = array("I", previous.path(COUNTS_FILE).read_bytes())
        except (OSError, ValueError):  # gone or changed since the index was read: sorted instead
            updated = None
        else:
            updated = _updated(text, counts, update)
        if updated is not None:
            text, counts, subjects = updated
            (folder / KNOWLEDGE_FILE).write_bytes(text)
            (folder / COUNTS_FILE).write_bytes(counts.tobytes())
            return len(counts), _subject_changes(text, subjects)
    counts = array("I")

    def counting(pairs: Iterator[tuple[bytes, int]]) -> Iterator[bytes]:
        for line, count in pairs:
            counts.append(count)
            yield line

    with (folder / BY_GRAPH_FILE).open("rb") as by_graph, (folder / KNOWLEDGE_FILE).open("wb") as output:
        _write_batched(counting(counted_sorted_lines(by_graph, chunk)), output)
    (folder / COUNTS_FILE).write_bytes(counts.tobytes())
    return len(counts), None


def _subject_changes(text: bytes, subjects: set[bytes]) -> tuple[SubjectChange, ...] | None:
    """Each of ``subjects`` with its statements in the sorted N-Triples ``text``; None for
    more than :data:`MAX_CHANGED_SUBJECTS`."""
    if len(subjects) > MAX_CHANGED_SUBJECTS:
        return None
    return tuple(SubjectChange(subject, subject_statements(text, subject)) for subject in sorted(subjects))


def _write_batched(lines: Iterable[bytes], output: BinaryIO) -> int:
    """``lines`` written :data:`_WRITE_BATCH` at a time; how many."""
    batch: list[bytes] = []
    written = 0
    for line in lines:
        batch.append(line)
        if len(batch) >= _WRITE_BATCH:
            output.write(b"".join(batch))
            written += len(batch)
            batch.clear()
    output.write(b"".join(batch))
    return written + len(batch)


def _updated(text: bytes, counts: array[int], change: Counter[bytes]) -> tuple[bytes, array[int], set[bytes]] | None:
    """The knowledge graph's sorted N-Triples ``text`` and each line's count of graphs,
    ``change``d, with the subjects of the lines added or gone; None when they do not fit
    together (a count falls below zero, or a line has no count: the last build's files
    are not what this build's index says). The changed lines are found by bisection over
    the text (:func:`~kg.export.line_offset`) and the text between them is copied whole."""
    if text.count(b"\n") != len(counts) or (text and not text.endswith(b"\n")):
        return None
    pieces: list[memoryview | bytes] = []
    kept_counts = array("I")
    subjects: set[bytes] = set()
    whole = memoryview(text)
    at = at_line = 0  # where the text not yet copied begins, and the number of its line
    for line, difference in sorted(change.items()):
        if not difference:
            continue
        found = line_offset(text, line, at)
        found_line = at_line + text.count(b"\n", at, found)
        pieces.append(whole[at:found])
        kept_counts += counts[at_line:found_line]
        count = difference
        present = text.startswith(line + b"\n", found)
        if present:
            count += counts[found_line]
            found, found_line = found + len(line) + 1, found_line + 1
        if count < 0:
            return None
        if count:
            pieces.append(line + b"\n")
            kept_counts.append(count)
        if present != bool(count):
            subjects.add(line[: line.index(b" ")])
        at, at_line = found, found_line
    pieces.append(whole[at:])
    kept_counts += counts[at_line:]
    return b"".join(pieces), kept_counts, subjects
