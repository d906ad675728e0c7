"""Render the knowledge graph as one self-contained, interactive HTML page.

The page shows the entities (instances of a ``kgo`` class under kgo:Person,
kgo:Organization, kgo:Place, kgo:Event or kgo:Concept) as nodes and the object properties
between them as directed edges; literal values, quantity nodes, documents, sentences and
evidence records are not nodes (the "RDF plumbing" stays out of the picture) but show in
the side panel that opens when a node or an edge is clicked: labels, class, Wikidata ID,
literal facts (dates, amounts with units) and the evidence sentences with their document's
title and date.

Stages, each a function of the previous one's result:

1. :func:`view_data`: a handful of SPARQL queries over the dataset as a
   ``pyoxigraph.Store`` (an rdflib Dataset or Graph is copied into one first), all its
   graphs read as one: every entity with its most specific kgo class, labels, facts and
   relations, and the evidence sentences of mentions and assertions;
2. :func:`select`: optionally the ego network around one entity (:func:`find_entity`
   resolves a label, an IRI or a Wikidata ID), optionally the ``max_nodes`` most
   central entities, and optionally a ``cap``: the most connected entities, as the page
   a build writes keeps :data:`BUILD_MAX_NODES` (the page says so);
3. :func:`layout`: positions computed here, never by the page's physics (which is off),
   with networkx's spring layout for small connected parts and a numpy force layout
   (:func:`_force_layout`) for parts of hundreds or thousands of nodes;
4. :func:`_page_data`: compact, column-wise JSON (tables of classes, properties,
   documents and sentences referenced by index), from which the page builds the
   vis-network data and, only when a node is clicked, the panel.

The page comes from ``kg/templates/graph.html.j2``, not from pyvis's template (which loads
Bootstrap from a CDN); vis-network's JavaScript and CSS, from the pyvis package, are
inlined, so the page opens offline by double-click, requests nothing (its
Content-Security-Policy forbids every fetch) and works from 20 to 20,000 nodes: at
:data:`LARGE_THRESHOLD` nodes and more it draws straight edges without labels and hides
edges while dragging.

Safety: the data travel as JSON in a ``<script type="application/json">`` element with
``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e`` and ``\\u0026``, so no text can
close the element; the page puts document-derived strings into the DOM only through
``textContent`` (never ``innerHTML``), which escapes them by construction, and into the
canvas as text.

Determinism: the same dataset and options give byte-identical HTML: entities are numbered
by sorted IRI, relations by sorted (subject, predicate, object), the layouts are seeded,
JSON keys are sorted, and the page has no timestamps or random ids.

>>> from rdflib import Dataset, Graph
>>> page = render_html(Dataset(), Graph())
>>> "vis.Network" in page and '"nodes":0' in page
True
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import importlib.util
import itertools
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import networkx as nx
import numpy as np
import pyoxigraph as ox
import rdflib
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg import collector
from kg.errors import KGError
from kg.evaluate import to_rdflib
from kg.export import subject_lines, to_oxigraph
from kg.ns import KGO, KGR, NIF, OWL, RDF, RDFS, SCHEMA, SKOS, WD, XSD

__all__ = [
    "BUILD_MAX_NODES",
    "CAP_HINT",
    "KIND_PALETTES",
    "KIND_SHAPES",
    "LANGS",
    "LARGE_THRESHOLD",
    "LAYOUT_SEED",
    "MAX_EVIDENCE",
    "SIZE_BY",
    "TEMPLATE_PATH",
    "LastPage",
    "LayoutMemo",
    "ViewData",
    "build_view_data",
    "find_entity",
    "layout",
    "layout_digest",
    "pagerank",
    "render_html",
    "select",
    "view_data",
]

#: Accepted values of ``lang``: Korean labels, English labels, or both ("서울 / Seoul").
LANGS = ("ko", "en", "both")
#: Accepted values of ``size_by``: node size from its number of relations or its PageRank.
SIZE_BY = ("degree", "pagerank")

#: Colours by top-level kind: the kind's own class gets the first shade, its subclasses
#: the next ones in (depth, local name) order over the whole ontology, so a class keeps
#: its colour whatever else the dataset holds.
KIND_PALETTES: Mapping[str, tuple[str, ...]] = {
    "Person": ("#4e79a7", "#1f4e79", "#86b4e0", "#2e6db4", "#a9c9ec", "#163a5c"),
    "Organization": ("#f28e2b", "#b35c00", "#ffbe7d", "#d9730d", "#ffd9b0", "#8a4500"),
    "Place": ("#59a14f", "#2f6b28", "#8cd17d", "#44883b", "#b6e2a9", "#1f4a1a"),
    "Event": ("#e15759", "#a12b2d", "#ff9d9a", "#c23b3d", "#ffc2c0", "#7a1c1e"),
    "Concept": ("#b07aa1", "#7b4a6e", "#d4a6c8", "#94618a", "#e8cce0", "#5a3450"),
}
#: vis-network node shape by top-level kind (the legend shows the same shapes).
KIND_SHAPES: Mapping[str, str] = {
    "Person": "dot",
    "Organization": "square",
    "Place": "triangle",
    "Event": "diamond",
    "Concept": "star",
}

#: Most entities on the page a build writes (``kg build``): a page of 10,000 entities takes
#: long to render and is heavy in the browser; ``kg view`` has no cap.
BUILD_MAX_NODES = 3000
#: What a capped page says after its note: how to see every entity.
CAP_HINT = "For all of them: kg view build/ --out all.html (no cap), or kg serve build/."
#: Evidence sentences kept per entity (the panel says how many there are in all).
MAX_EVIDENCE = 20
#: Evidence sentences kept per relation.
MAX_EDGE_EVIDENCE = 10
#: Longest sentence kept, in characters; longer ones are cut with "…".
MAX_SENTENCE = 300
#: From this many nodes on the page draws light: straight edges, no edge labels, no hover.
LARGE_THRESHOLD = 2000
#: Connected parts up to this size are laid out by networkx's spring layout, larger ones
#: by :func:`_force_layout` (networkx's own large-graph layout needs scipy).
SPRING_MAX = 300
#: Layout seed: the same data always gets the same layout.
LAYOUT_SEED = 7
#: Ideal edge length in page pixels.
EDGE_LENGTH = 90.0

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "graph.html.j2"
TEMPLATE_PATH = TEMPLATE_DIR / TEMPLATE_NAME
VIS_VERSION = "9.1.2"

_KINDS: tuple[URIRef, ...] = tuple(KGO[kind] for kind in KIND_PALETTES)
_Term = ox.NamedNode | ox.BlankNode | ox.Literal
_PLAIN = frozenset({str(XSD.string), str(RDF.langString)})  # rdflib gives these no datatype
_TYPE, _LABEL, _ALT_LABEL, _SAME_AS, _WD = map(str, (RDF.type, RDFS.label, SKOS.altLabel, OWL.sameAs, WD))
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_QID = re.compile(r"^(?:wd:|https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)$", re.I)


# --------------------------------------------------------------------------- classes


@dataclass(frozen=True)
class _ClassInfo:
    iri: URIRef
    kind: str  # "Person", "Organization", …
    depth: int  # subClassOf steps from the kind's own class
    color: str


def _class_table(ontology: rdflib.Graph) -> dict[URIRef, _ClassInfo]:
    """Every kgo class that reaches a top-level kind via rdfs:subClassOf*, with its colour."""
    prefix = str(KGO)
    candidates: set[URIRef] = set(_KINDS)
    for s, o in ontology.subject_objects(RDFS.subClassOf):
        for term in (s, o):
            if isinstance(term, URIRef) and str(term).startswith(prefix):
                candidates.add(term)
    found: dict[URIRef, tuple[str, int]] = {}
    for cls in candidates:
        # breadth-first up rdfs:subClassOf: the nearest kind wins, ties by kind order
        seen = {cls}
        frontier = [cls]
        depth = 0
        while frontier:
            kinds = [k for k in _KINDS if k in frontier]
            if kinds:
                found[cls] = (_local(kinds[0]), depth)
                break
            nxt: set[URIRef] = set()
            for c in frontier:
                for parent in ontology.objects(c, RDFS.subClassOf):
                    if isinstance(parent, URIRef) and parent not in seen:
                        seen.add(parent)
                        nxt.add(parent)
            frontier = sorted(nxt)
            depth += 1
    table: dict[URIRef, _ClassInfo] = {}
    for kind, palette in KIND_PALETTES.items():
        members = sorted((d, str(c)) for c, (k, d) in found.items() if k == kind)
        for i, (depth, iri) in enumerate(members):
            table[URIRef(iri)] = _ClassInfo(URIRef(iri), kind, depth, palette[i % len(palette)])
    return table


# ---------------------------------------------------------------------------- labels


def _local(iri: Node) -> str:
    text = str(iri)
    return re.split(r"[#/]", text.rstrip("/#"))[-1] or text


def _humanize(iri: Node) -> str:
    """``kgo:floorSize`` -> "floor size", ``kgr:Oh_Se-hoon`` -> "Oh Se-hoon"."""
    local = _local(iri).replace("_", " ")
    return _CAMEL.sub(" ", local).lower() if " " not in local and local[:1].islower() else local


def _by_lang(values: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(text, language tag) pairs grouped by lower-case tag ("" for none), each list sorted."""
    out: dict[str, list[str]] = defaultdict(list)
    for text, lang in values:
        out[lang.lower()].append(text)
    return {k: sorted(set(vs)) for k, vs in out.items()}


def _choose(labels: Mapping[str, list[str]], lang: str, both: tuple[str, str]) -> str | None:
    """One display string from labels by language; ``both`` gives the order for "both"."""
    if lang == "both":
        parts: list[str] = []
        for code in both:
            if labels.get(code) and labels[code][0] not in parts:
                parts.append(labels[code][0])
        if parts:
            return " / ".join(parts)
        order: tuple[str, ...] = ("",)
    else:
        order = (lang, "en" if lang == "ko" else "ko", "")
    for code in order:
        if labels.get(code):
            return labels[code][0]
    for code in sorted(labels):
        if labels[code]:
            return labels[code][0]
    return None


def _ko_en(labels: Mapping[str, list[str]], fallback: Node) -> tuple[str, str]:
    """The preferred Korean and English label ("" where missing; the English one falls
    back to an untagged label, then to the IRI's local name when there is neither)."""
    ko = labels["ko"][0] if labels.get("ko") else ""
    en = labels["en"][0] if labels.get("en") else ""
    if not en:
        en = labels[""][0] if labels.get("") else ("" if ko else _humanize(fallback))
    return ko, en


def _term_labels(ontology: rdflib.Graph, term: Node) -> tuple[str, str]:
    """(English, Korean) rdfs:label of a class or property, the local name where missing."""
    labels = _by_lang((str(v), v.language or "") for v in ontology.objects(term, RDFS.label) if isinstance(v, Literal))
    en = _choose(labels, "en", ("en", "ko")) or _humanize(term)
    ko = _choose(labels, "ko", ("ko", "en")) or en
    return en, ko


# ---------------------------------------------------------------------------- values


def _sort_key(term: _Term) -> tuple[str, str, str]:
    """Text, language, datatype ("" for a plain string), as the page has always ordered values."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return (term.value, term.language or "", "" if datatype in _PLAIN else datatype)
    return (term.value, "", "")


def _first(values: Iterable[_Term]) -> _Term | None:
    """The smallest value: deterministic, whatever order the store gives them in."""
    return min(values, key=_sort_key, default=None)


@lru_cache(maxsize=1 << 16)
def _rdflib(term: _Term | None) -> Node | None:
    """The rdflib term of an Oxigraph one: a 10,000-article page converts 45,000 values of
    its quantities, most of them repeated units and qualifiers."""
    return None if term is None else to_rdflib(term)


def _format_number(value: Literal) -> str:
    py = value.toPython()
    if isinstance(py, bool):
        return str(value)
    if isinstance(py, int):
        return f"{py:,}"
    if isinstance(py, Decimal):
        return f"{py.normalize():,f}"
    if isinstance(py, float):
        return f"{int(py):,}" if py.is_integer() else f"{py:,}"
    return str(value)


def _format_literal(value: Literal) -> str:
    py = value.toPython()
    if isinstance(py, int | Decimal | float) and not isinstance(py, bool):
        return _format_number(value)
    return str(value)


@dataclass(frozen=True)
class _Quantity:
    """A kgo:Quantity node's values, the smallest of each."""

    value: _Term | None
    unit_text: _Term | None
    currency: _Term | None
    unit_code: _Term | None
    qualifier: _Term | None
    names: tuple[tuple[str, str], ...]  # schema:name as (text, language)

    def text(self, lang: str) -> str:
        """The quantity as text: "200,000 ㎡", "5,000,000,000 KRW (about)"."""
        value = _rdflib(self.value)
        text = _format_number(value) if isinstance(value, Literal) else "?"
        # the first unit that is true as an rdflib term: an empty text or a zero is skipped
        unit = _rdflib(self.unit_text) or _rdflib(self.currency) or _rdflib(self.unit_code)
        if unit is not None:
            text += f" {unit}"
        if self.qualifier is not None and self.qualifier.value != "exact":
            text += f" ({self.qualifier.value.replace('_', ' ')})"
        name = _choose(_by_lang(self.names), lang, ("ko", "en"))
        if name:
            text += f" — {name}"
        return text


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SENTENCE else text[: MAX_SENTENCE - 1] + "…"


@dataclass(frozen=True)
class _Source:
    """An evidence sentence as read, before a label language picks its document's headline."""

    iri: str
    text: str  # as the graph states it (the page clips what it shows)
    headlines: tuple[tuple[str, str], ...]  # its document's schema:headline as (text, language)
    date: str
    begin: int


@dataclass(frozen=True, eq=False)  # one object per sentence: the same is the equal one
class _Sentence:
    iri: str
    text: str  # clipped (:func:`_clip`)
    headline: str
    date: str
    begin: int


# ---------------------------------------------------------------------------- reading

# The queries read all of a dataset's graphs as one: a build's store holds its quads in
# named graphs only, and is read as their union (Oxigraph's union default graph, in which
# DISTINCT makes a triple stated in several graphs one row, as in rdflib's union of a
# dataset's graphs); a kg store (kg.query.open_store) also holds their merge in its default
# graph, and reading only that took half the time of reading the union.
_ENTITY_TRIPLES = """SELECT DISTINCT ?e ?p ?o WHERE {{
  {{ SELECT DISTINCT ?e WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c FILTER isIRI(?e) }} }}
  ?e ?p ?o
}}"""
_QUANTITY_VALUES = (SCHEMA.value, SCHEMA.unitText, SCHEMA.currency, SCHEMA.unitCode, KGO.qualifier, SCHEMA.name)
_SENTENCE_VALUES = (NIF.anchorOf, NIF.referenceContext, NIF.beginIndex, SCHEMA.mentions)
_DOCUMENT_VALUES = (SCHEMA.headline, SCHEMA.datePublished)
_ASSERTION_VALUES = (RDF.subject, RDF.predicate, RDF.object, KGO.evidence)


def _as_store(dataset: ox.Store | rdflib.Graph) -> ox.Store:
    """The dataset as an Oxigraph store: a store as it is, an rdflib Dataset (all its
    graphs) or Graph copied into a new one's default graph, so that both are read by the
    same queries."""
    if isinstance(dataset, ox.Store):
        return dataset
    triples = dataset.quads((None, None, None, None)) if isinstance(dataset, rdflib.Dataset) else dataset
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o, *_g in triples)  # type: ignore[arg-type]
    return store


_Values = dict[_Term, tuple[list[_Term], ...]]  # node -> its values of each of some predicates


@dataclass(frozen=True)
class _Shown:
    """The entities a capped page shows and the relations among them (IRIs): what decides
    which evidence it needs."""

    entities: frozenset[str]
    relations: frozenset[tuple[str, str, str]]

    @classmethod
    def of(cls, read: _Entities, keep: Iterable[URIRef]) -> _Shown:
        entities = frozenset(map(str, keep))
        return cls(
            entities,
            frozenset(
                (str(s), str(p), str(o)) for s, p, o in read.relations if str(s) in entities and str(o) in entities
            ),
        )


@dataclass(frozen=True)
class _KeptEvidence:
    """What a page keeps of one line of a build's evidence file (kg.graph.EVIDENCE_FILE: a
    document graph's headline and date, its sentences and its assertions about
    relations): for a capped page, the sentences that mention an entity it shows or that
    a relation among them cites, each with the shown entities it mentions, and the
    evidence of those relations; for a page of everything, all of it."""

    sentences: tuple[tuple[ox.NamedNode, _Source, list[_Term]], ...]  # (sentence, it, shown entities it mentions)
    support: tuple[tuple[tuple[str, str, str], ox.NamedNode], ...]  # (relation's IRIs, sentence)

    @classmethod
    def of(cls, line: bytes, shown: _Shown | None) -> _KeptEvidence:
        _document, headline, date, sentence_rows, relation_rows = json.loads(line.decode("utf-8"))
        headlines = ((headline[0], headline[1].lower()),) if headline else ()
        if shown is not None:
            relation_rows = [row for row in relation_rows if tuple(row[:3]) in shown.relations]
        cited = {row[3] for row in relation_rows}
        sentences = []
        for iri, text, begin, mentions in sentence_rows:
            if shown is not None:
                if iri not in cited and shown.entities.isdisjoint(mentions):
                    continue
                mentions = [entity for entity in mentions if entity in shown.entities]
            mentioned: list[_Term] = [ox.NamedNode(entity) for entity in mentions]
            sentences.append((ox.NamedNode(iri), _Source(iri, text, headlines, date, begin), mentioned))
        support = tuple(((s, p, o), ox.NamedNode(sentence)) for s, p, o, sentence in relation_rows)
        return cls(tuple(sentences), support)


def _kept_evidence(
    evidence: Path, shown: _Shown | None, known: Mapping[bytes, _KeptEvidence]
) -> Iterator[_KeptEvidence]:
    """What the page keeps of each line of the evidence file ``evidence``: of a line in
    ``known`` (what was kept of it for the same ``shown``), that."""
    with evidence.open("rb") as lines:
        for line in lines:
            found = known.get(line)
            yield found if found is not None else _KeptEvidence.of(line, shown)


def build_view_data(
    knowledge: Path,
    evidence: Path,
    ontology: rdflib.Graph,
    cap: int = 0,
    last: LastPage | None = None,
    changed: Collection[bytes] | None = None,
) -> ViewData:
    """What the page shows of a build, read from its files: what :func:`view_data` reads
    of the whole dataset. The entities and quantities come from the knowledge graph
    (``knowledge``, N-Triples); the sentences, their documents and the assertions' evidence
    from the evidence file (``evidence``, kg.graph.EVIDENCE_FILE), which the graph stage
    writes beside the dataset with what the page reads of each document graph. The
    10,000-article page took 19.2 s reading them from the dataset (4.3 million
    statements), 10.6 s from this file (the page alone, before its collector pause and
    lighter imports).

    With ``cap`` > 0, only the evidence that the page capped at ``cap`` entities shows is
    kept (the sentences that mention those entities, the evidence of the relations among
    them): the data is then for ``render_html(data, ..., cap=cap)`` alone, which it gives
    the page the whole data gives. That is how ``kg build`` reads its page: 10,000
    articles, 51,509 entities, 3,000 shown.

    With ``last``, what the page read ahead of the last build's files (:class:`LastPage`),
    and ``changed``, the subjects (in N-Triples) whose statements differ between its
    knowledge graph file and ``knowledge``, a capped page reads of ``knowledge`` only
    their lines to choose what it shows (10,000 articles: the first step of a rebuild's
    page 0.88 / 0.92 -> 0.33 / 0.34 s, the last file read ahead in 0.85 s), then reads
    again only the statements about the entities it shows whose statements, or those of
    the nodes they name, changed, and, if it shows what the last page showed, only the
    evidence lines that are not the last ones: the same data (10,000 articles, one
    document changed: the page's reading, from its arguments to its data, 2.5-3.0 ->
    0.8-1.0 s in the build)."""
    classes = _class_table(ontology)
    links = last.links() if last is not None and changed is not None else None
    with collector.paused():
        scan = _KnowledgeScan.of(knowledge, classes, links, changed or ()) if cap > 0 else None
        shown = None
        if scan is not None:
            keep, _center, _note = select(_assemble(scan.entities, {}, {}, {}, {}), cap=cap)
            last_read = last.read() if last is not None and links is not None else None
            shown_read = scan.read(keep, classes, last_read, frozenset(changed or ()))
            read, quantities = shown_read.entities, shown_read.quantities
            shown = _Shown.of(read, keep)
        else:
            read, quantities = _read_knowledge(knowledge, classes)
            if cap > 0:
                keep, _center, _note = select(_assemble(read, quantities, {}, {}, {}), cap=cap)
                shown = _Shown.of(read, keep)
        sentences: dict[_Term, _Source] = {}
        mentioned: dict[_Term, list[_Term]] = {}
        support: dict[tuple[URIRef, URIRef, URIRef], set[_Term]] = defaultdict(set)
        wanted = _by_text(read.relations)
        known = last.evidence(shown) if last is not None and shown is not None else {}
        for kept in _kept_evidence(evidence, shown, known):
            for node, source, mentions in kept.sentences:
                sentences[node] = source
                mentioned[node] = mentions
            for key, cited in kept.support:
                relation = wanted.get(key)
                # evidence naming a sentence the graph does not state is left out, as
                # view_data leaves it: the page's panel has no text to show for it (a
                # cited sentence the graph states has just been kept)
                if relation is not None and cited in sentences:
                    support[relation].add(cited)
        if last is not None:
            last.let_go()
        return _assemble(read, quantities, sentences, mentioned, {k: list(v) for k, v in support.items()})


def _rows(store: ox.Store, query: str) -> Iterator[ox.QuerySolution]:
    """The query's rows over the store's default graph, or over the union of its named
    graphs if the default graph is empty."""
    union = next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is None
    solutions = store.query(query, use_default_graph_as_union=union)
    assert isinstance(solutions, ox.QuerySolutions)
    return iter(solutions)


def _text_lang(term: _Term | None) -> tuple[str, str] | None:
    """A literal as (text, lower-case language tag, "" for none); None for anything else."""
    if isinstance(term, ox.Literal):
        return term.value, (term.language or "").lower()
    return None


@dataclass(frozen=True)
class _Entities:
    """What the entity triples say: classes, names, relations and facts, by entity."""

    entity_class: dict[URIRef, _ClassInfo]
    labels: dict[URIRef, dict[str, list[str]]]
    alt_labels: dict[URIRef, set[str]]
    names: dict[URIRef, set[str]]
    wikidata: dict[URIRef, list[str]]
    relations: list[tuple[URIRef, URIRef, URIRef]]
    facts: dict[URIRef, list[tuple[URIRef, _Term]]]


def _read_entities(store: ox.Store, classes: Mapping[URIRef, _ClassInfo]) -> _Entities:
    """Every triple about an instance of a class in ``classes``, sorted into what the page shows."""
    values = " ".join(f"<{c}>" for c in sorted(classes))
    rows = _rows(store, _ENTITY_TRIPLES.format(classes=values)) if classes else iter(())
    return _entities(((e, p, o) for e, p, o in rows), classes)  # type: ignore[misc]


def _read_knowledge(knowledge: Path, classes: Mapping[URIRef, _ClassInfo]) -> tuple[_Entities, dict[_Term, _Quantity]]:
    """What :func:`_read_entities` and :func:`_read_quantities` read of a store, read of a
    build's knowledge graph file (N-Triples, each statement once) in one pass: 10,000
    articles' page 3 s faster than loading it into a store for the two queries. A
    literal is as the file writes it, where a store gives numbers and dates in canonical
    form; kg writes them so."""
    about: dict[_Term, list[tuple[ox.NamedNode, _Term]]] = defaultdict(list)
    for quad in ox.parse(path=knowledge, format=ox.RdfFormat.N_TRIPLES, lenient=True):
        about[quad.subject].append((quad.predicate, quad.object))  # type: ignore[index]
    entity_rows, values = _sorted_statements(about, {ox.NamedNode(str(c)) for c in classes})
    return _entities(entity_rows, classes), _quantities(values)


def _sorted_statements(
    about: Mapping[_Term, list[tuple[ox.NamedNode, _Term]]], wanted: AbstractSet[ox.NamedNode]
) -> tuple[list[tuple[_Term, ox.NamedNode, _Term]], _Values]:
    """Of the statements by subject ``about``, those about an instance of a class in
    ``wanted``, and each kgo:Quantity's values of :data:`_QUANTITY_VALUES`."""
    type_, quantity = ox.NamedNode(_TYPE), ox.NamedNode(str(KGO.Quantity))
    entity_rows: list[tuple[_Term, ox.NamedNode, _Term]] = []
    values: _Values = {}
    slot = {ox.NamedNode(str(p)): i for i, p in enumerate(_QUANTITY_VALUES)}
    for subject, statements in about.items():
        types = {o for p, o in statements if p == type_}
        if isinstance(subject, ox.NamedNode) and not types.isdisjoint(wanted):
            entity_rows += [(subject, p, o) for p, o in statements]
        if quantity in types:
            found = values[subject] = tuple([] for _ in _QUANTITY_VALUES)
            for p, o in statements:
                if p in slot:
                    found[slot[p]].append(o)
    return entity_rows, values


def _sorted_lines(knowledge: Path) -> list[bytes] | None:
    """The lines of a knowledge graph file as kg writes it (statements sorted, one per
    line, no escape in an IRI: only \\u and \\U escapes are allowed in one), without their
    line breaks; None for any other file."""
    text = knowledge.read_bytes()
    lines = text.split(b"\n")
    if lines.pop() or b"\\u" in text or b"\\U" in text:
        return None  # no line break at the end; an escape the bytes do not show
    if any(later < earlier for earlier, later in itertools.pairwise(lines)):
        return None
    return lines


def _relation_key(relation: tuple[URIRef, URIRef, URIRef]) -> tuple[str, str, str]:
    """Relations in the order of their IRIs' text (as strings: rdflib's comparison is slower)."""
    s, p, o = relation
    return str(s), str(p), str(o)


class _Links:
    """What choosing the entities to show reads of a knowledge graph file's sorted lines,
    by subject, as bytes: which nodes are entities (and of which class), and the
    statements from one IRI to another but their types, labels and sameAs links (a
    relation where both ends are entities). :meth:`update` makes it that of a new version of
    the file from the lines of the subjects whose statements changed, which is how a
    rebuild's page reads the last build's file before the build has written its own."""

    def __init__(self, classes: Mapping[URIRef, _ClassInfo]) -> None:
        self._class_of = {f"<{c}>".encode(): info for c, info in classes.items()}
        self.best: dict[bytes, _ClassInfo] = {}  # entity -> its most specific class
        self.links: dict[bytes, list[tuple[bytes, bytes]]] = {}  # subject -> (predicate, object)
        self.relations: set[tuple[bytes, bytes, bytes]] = set()
        self.ordered: list[tuple[URIRef, URIRef, URIRef]] = []  # the relations, sorted
        self._iris: dict[bytes, URIRef] = {}

    @classmethod
    def of(cls, lines: Iterable[bytes], classes: Mapping[URIRef, _ClassInfo]) -> _Links:
        """Of every statement in ``lines`` (sorted N-Triples without line breaks)."""
        links = cls(classes)
        links._read(lines)
        links.relations = {
            (s, p, o) for s, pairs in links.links.items() if s in links.best for p, o in pairs if o in links.best
        }
        links.ordered = sorted(map(links._relation, links.relations), key=_relation_key)
        return links

    def _read(self, lines: Iterable[bytes]) -> None:
        type_ = f"<{_TYPE}>".encode()
        named = {f"<{p}>".encode() for p in (_TYPE, _LABEL, _ALT_LABEL, _SAME_AS)}
        best, links, class_of = self.best, self.links, self._class_of
        for line in lines:
            if not line.endswith(b"> ."):  # the object is no IRI (nor a typed literal)
                continue
            subject, predicate, obj = line[:-2].split(b" ", 2)
            if not (subject.startswith(b"<") and obj.startswith(b"<")):
                continue
            if predicate == type_:
                info = class_of.get(obj)
                found = best.get(subject)
                if info is not None and (
                    found is None or (-info.depth, str(info.iri)) < (-found.depth, str(found.iri))
                ):
                    best[subject] = info  # several kgo classes (there should be one): the most specific
            elif predicate not in named:
                links.setdefault(subject, []).append((predicate, obj))

    def update(self, lines: Sequence[bytes], changed: Iterable[bytes]) -> None:
        """Make this what :meth:`of` gives of the file whose sorted ``lines`` differ from
        the ones it was read of only in the statements of the subjects ``changed``."""
        changed = set(changed)
        were = {subject for subject in changed if subject in self.best}
        for subject in changed:
            self.best.pop(subject, None)
            self.links.pop(subject, None)
        self._read(line for subject in sorted(changed) for line in subject_lines(lines, subject))
        self.best = dict(sorted(self.best.items()))  # in the order of the file, as read whole
        best = self.best
        # an entity now that was none before, or the reverse: relations to it from subjects
        # whose own statements did not change appear or go
        turned = {subject for subject in changed if (subject in best) != (subject in were)}
        stale = {r for r in self.relations if r[0] in changed or r[2] in turned}
        fresh = {(s, p, o) for s in changed if s in best for p, o in self.links.get(s, ()) if o in best}
        if turned:
            fresh |= {
                (s, p, o)
                for s, pairs in self.links.items()
                if s in best and s not in changed
                for p, o in pairs
                if o in turned and o in best
            }
        gone, added = stale - fresh, fresh - stale
        self.relations = (self.relations - gone) | added
        if gone:
            dropped = set(map(self._relation, gone))
            self.ordered = [relation for relation in self.ordered if relation not in dropped]
        for relation in added:
            bisect.insort(self.ordered, self._relation(relation), key=_relation_key)

    def _iri(self, term: bytes) -> URIRef:
        found = self._iris.get(term)
        if found is None:
            found = self._iris[term] = URIRef(term[1:-1].decode("utf-8"))
        return found

    def _relation(self, relation: tuple[bytes, bytes, bytes]) -> tuple[URIRef, URIRef, URIRef]:
        s, p, o = relation
        return self._iri(s), self._iri(p), self._iri(o)

    def entities(self) -> _Entities:
        """Every entity's class and the relations; nothing else."""
        entity_class = {self._iri(subject): info for subject, info in self.best.items()}
        return _Entities(entity_class, {}, {}, {}, {}, list(self.ordered), {})


class LastPage:
    """What a build's page reads first of the last build's files, before the build has
    written its own (kg.pipeline starts the page's process early): of its knowledge graph
    file (``knowledge``), what choosing the entities to show reads, so that the page of a
    rebuild reads of its own file only the lines of the subjects whose statements changed
    (:func:`build_view_data`); with ``evidence`` and ``cap`` > 0, also what the page
    capped at ``cap`` entities keeps of each line of its evidence file, were the page to
    show what the last one showed: a line of the new file that is the same and a page
    that shows the same is then not read again. None of it is used once the files have
    changed since."""

    def __init__(self, knowledge: Path, ontology: rdflib.Graph, evidence: Path | None = None, cap: int = 0) -> None:
        self._knowledge = knowledge
        self._identity = _identity(knowledge)
        self._links: _Links | None = None
        self._evidence = evidence
        self._evidence_identity = _identity(evidence) if evidence is not None else None
        self._shown: _Shown | None = None
        self._kept: dict[bytes, _KeptEvidence] = {}
        self._read: _ShownRead | None = None
        try:
            lines = _sorted_lines(knowledge) if self._identity is not None else None
            if lines is None:
                return
            classes = _class_table(ontology)
            links = _Links.of(lines, classes)
            entities = links.entities()  # every entity's IRI made (and kept) now: one not UTF-8 raises here
        except (OSError, ValueError):  # unreadable, not N-Triples or not UTF-8: the page reads its own file whole
            return
        self._links = links
        if cap <= 0:
            return
        # the last build's files, whatever is in them, are only of use: a line that is not
        # as kg writes it (a statement cut short, a headline that is no pair, JSON nested
        # past the parser's depth) leaves the page to read its own files as it would
        # without them, and the build to go on
        with collector.paused():
            keep, _center, _note = select(_assemble(entities, {}, {}, {}, {}), cap=cap)
            try:
                self._read = _KnowledgeScan(lines, entities).read(keep, classes)
            except Exception:
                return
            if evidence is None or self._evidence_identity is None:
                return
            shown = _Shown.of(entities, keep)
            try:
                with evidence.open("rb") as evidence_lines:
                    kept = {line: _KeptEvidence.of(line, shown) for line in evidence_lines}
            except Exception:
                return
        self._shown, self._kept = shown, kept

    def links(self) -> _Links | None:
        """What was read of the knowledge graph file (:class:`_Links`, for one update); None
        when the file could not be read as kg writes it, or has changed since (then what
        was read of it is let go)."""
        if _identity(self._knowledge) != self._identity:
            self._links = None
        return self._links

    def read(self) -> _ShownRead | None:
        """What the last page read of the statements about the entities it showed, if the
        knowledge graph file is as it was read (:meth:`links`)."""
        if self.links() is None:
            self._read = None
        return self._read

    def evidence(self, shown: _Shown) -> Mapping[bytes, _KeptEvidence]:
        """What the page showing ``shown`` keeps of each line of the evidence file, by line,
        where it was read for that; else nothing (and what was read is let go)."""
        if self._shown != shown or self._evidence is None or _identity(self._evidence) != self._evidence_identity:
            self._shown, self._kept = None, {}
        return self._kept

    def let_go(self) -> None:
        """Forget what was read (0.37 GB at 10,000 articles), once the page has used it."""
        self._links, self._read, self._shown, self._kept = None, None, None, {}


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    """What tells a file from the same file changed: device, inode, size, time of change."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns


class _KnowledgeScan:
    """A build's knowledge graph file read in two steps for a capped page: first, as bytes,
    which nodes are entities (and of which class) and the relations between them, which
    is all that choosing the entities to show reads (:class:`_Links`); then, of the
    statements about the entities chosen (and about the quantities they have), everything
    the page shows. At 10,000 articles the page shows 3,000 of 51,509 entities, and only
    their statements are parsed as RDF terms."""

    def __init__(self, lines: list[bytes], entities: _Entities) -> None:
        self.lines = lines  # the file's lines, sorted, without their line breaks
        self.entities = entities  # every entity's class and the relations; nothing else

    def about(self, subject: bytes) -> Sequence[bytes]:
        """The lines whose subject is ``subject`` (in N-Triples): one run of the sorted lines."""
        return subject_lines(self.lines, subject)

    @classmethod
    def of(
        cls,
        knowledge: Path,
        classes: Mapping[URIRef, _ClassInfo],
        last: _Links | None = None,
        changed: Iterable[bytes] = (),
    ) -> _KnowledgeScan | None:
        """The first step; None for a file that is not as kg writes it (:func:`_sorted_lines`),
        which is then read as RDF. With ``last``, the first step of the file that
        ``knowledge`` is with the statements of the subjects ``changed`` changed, which it
        updates."""
        lines = _sorted_lines(knowledge)
        if lines is None:
            return None
        if last is not None:
            last.update(lines, changed)
            return cls(lines, last.entities())
        return cls(lines, _Links.of(lines, classes).entities())

    def read(
        self,
        keep: Sequence[URIRef],
        classes: Mapping[URIRef, _ClassInfo],
        last: _ShownRead | None = None,
        changed: AbstractSet[bytes] = frozenset(),
    ) -> _ShownRead:
        """The second step: what :func:`_read_knowledge` reads, of the entities ``keep`` (and
        of the quantities they have) but the classes and relations, which are of all. With
        ``last``, what was read of the last build's file, whose lines differ from these only
        in the statements of the subjects ``changed``: of an entity it read whose statements
        and the nodes they name did not change, that."""
        if last is None:
            return self._read(keep, classes)
        again = [e for e in keep if e not in last.named or not last.named[e].isdisjoint(changed)]
        fresh = self._read(again, classes)
        kept = [e for e in keep if e not in fresh.named]
        then, now, whole = last.entities, fresh.entities, self.entities

        def merged(read_then: Mapping[URIRef, Any], read_now: Mapping[URIRef, Any]) -> dict[URIRef, Any]:
            found = {e: read_then[e] for e in kept if e in read_then}
            found.update((e, read_now[e]) for e in again if e in read_now)
            return found

        entities = _Entities(
            whole.entity_class,
            merged(then.labels, now.labels),
            merged(then.alt_labels, now.alt_labels),
            merged(then.names, now.names),
            merged(then.wikidata, now.wikidata),
            whole.relations,
            merged(then.facts, now.facts),
        )
        # a quantity of a kept entity did not change (else the entity would be read again);
        # a changed node may be a quantity no longer
        quantities = {q: v for q, v in last.quantities.items() if str(q).encode() not in changed}
        quantities.update(fresh.quantities)
        return _ShownRead(entities, quantities, {e: (fresh.named.get(e) or last.named[e]) for e in keep})

    def _read(self, keep: Iterable[URIRef], classes: Mapping[URIRef, _ClassInfo]) -> _ShownRead:
        chosen: list[bytes] = []
        named: dict[URIRef, frozenset[bytes]] = {}
        subjects: set[bytes] = set()
        for entity in keep:
            subject = f"<{entity}>".encode()
            statements = self.about(subject)
            chosen += statements
            subjects.add(subject)
            named[entity] = frozenset([subject, *(line[:-2].split(b" ", 2)[2] for line in statements)])
        quantity = f"<{KGO.Quantity}>".encode()
        type_ = f"<{_TYPE}>".encode()
        values_of: list[bytes] = []
        # a shown entity that is a quantity too (kg writes none): its statements once
        for obj in sorted(frozenset().union(*named.values()) - subjects):
            if obj.startswith((b"<", b"_:")):
                statements = self.about(obj)
                if b"%b %b %b ." % (obj, type_, quantity) in statements:
                    values_of += statements
        text = b"\n".join([*chosen, *values_of, b""])
        about: dict[_Term, list[tuple[ox.NamedNode, _Term]]] = defaultdict(list)
        for quad in ox.parse(text, format=ox.RdfFormat.N_TRIPLES, lenient=True):
            about[quad.subject].append((quad.predicate, quad.object))  # type: ignore[index]
        rows, values = _sorted_statements(about, {ox.NamedNode(str(c)) for c in classes})
        known = {str(e): e for e in self.entities.entity_class}
        read = _entities(rows, classes, known)
        whole = self.entities
        return _ShownRead(
            _Entities(
                whole.entity_class, read.labels, read.alt_labels, read.names, read.wikidata, whole.relations, read.facts
            ),
            _quantities(values),
            named,
        )


@dataclass(frozen=True)
class _ShownRead:
    """What a capped page read of the statements about the entities it shows
    (:meth:`_KnowledgeScan.read`), and the nodes each one's statements name, itself
    included (N-Triples): whether it changed is whether any of those did."""

    entities: _Entities
    quantities: dict[_Term, _Quantity]
    named: dict[URIRef, frozenset[bytes]]


def _entities(
    rows: Iterable[tuple[_Term, ox.NamedNode, _Term]],
    classes: Mapping[URIRef, _ClassInfo],
    known: Mapping[str, URIRef] | None = None,
) -> _Entities:
    """The triples about instances of ``classes`` sorted into what the page shows: the
    same whatever order they come in. An object is an entity when a row says so or it is
    in ``known`` (by IRI)."""
    entity_class: dict[URIRef, _ClassInfo] = {}
    labels: dict[URIRef, list[tuple[str, str]]] = defaultdict(list)
    alt_labels: dict[URIRef, set[str]] = defaultdict(set)
    names: dict[URIRef, set[str]] = defaultdict(set)
    wikidata: dict[URIRef, list[str]] = defaultdict(list)
    others: list[tuple[URIRef, URIRef, _Term]] = []
    iris: dict[str, URIRef] = {}
    for e_term, p_term, o in rows:
        e = iris.get(e_term.value) or iris.setdefault(e_term.value, URIRef(e_term.value))
        predicate = p_term.value
        if predicate == _TYPE:
            info = classes.get(URIRef(o.value)) if isinstance(o, ox.NamedNode) else None
            best = entity_class.get(e)
            if info is not None and (
                best is None or (-info.depth, str(info.iri)) < (-best.depth, str(best.iri))
            ):  # several kgo classes (there should be one): the most specific
                entity_class[e] = info
        elif predicate == _LABEL:
            pair = _text_lang(o)
            if pair is not None:
                labels[e].append(pair)
                names[e].add(pair[0])
        elif predicate == _ALT_LABEL:
            alt_labels[e].add(o.value)
            if isinstance(o, ox.Literal):
                names[e].add(o.value)
        elif predicate == _SAME_AS:
            if isinstance(o, ox.NamedNode) and o.value.startswith(_WD):
                wikidata[e].append(o.value[len(_WD) :])
        else:
            p = iris.get(predicate) or iris.setdefault(predicate, URIRef(predicate))
            others.append((e, p, o))
    relations: set[tuple[URIRef, URIRef, URIRef]] = set()
    facts: dict[URIRef, list[tuple[URIRef, _Term]]] = defaultdict(list)
    known = known or {}
    for e, p, o in others:
        target = (iris.get(o.value) or known.get(o.value)) if isinstance(o, ox.NamedNode) else None
        if target is not None and (target in entity_class or o.value in known):
            relations.add((e, p, target))
        else:
            facts[e].append((p, o))
    return _Entities(
        entity_class,
        {e: _by_lang(pairs) for e, pairs in labels.items()},
        dict(alt_labels),
        dict(names),
        {e: sorted(qids) for e, qids in wikidata.items()},
        sorted(relations, key=_relation_key),
        dict(facts),
    )


def _values(store: ox.Store, nodes: str, predicates: Sequence[URIRef]) -> _Values:
    """Each node ``?s`` that the graph pattern ``nodes`` matches, with its values of each of
    ``predicates`` (one list per predicate, in their order; empty where it has none)."""
    slot = {ox.NamedNode(str(p)): i for i, p in enumerate(predicates)}
    query = (
        f"SELECT DISTINCT ?s ?p ?o WHERE {{ {nodes} "
        f"OPTIONAL {{ VALUES ?p {{ {' '.join(f'<{p}>' for p in predicates)} }} ?s ?p ?o }} }}"
    )
    found: dict[_Term, tuple[list[_Term], ...]] = {}
    for s, p, o in _rows(store, query):
        values = found.get(s)
        if values is None:
            values = found[s] = tuple([] for _ in predicates)
        if p is not None:
            values[slot[p]].append(o)
    return found


def _read_quantities(store: ox.Store) -> dict[_Term, _Quantity]:
    """Every kgo:Quantity node with the values its text is made of."""
    return _quantities(_values(store, f"?s a <{KGO.Quantity}> .", _QUANTITY_VALUES))


def _quantities(values: _Values) -> dict[_Term, _Quantity]:
    """Each kgo:Quantity node of ``values`` (its values of :data:`_QUANTITY_VALUES`)."""
    return {
        q: _Quantity(
            value=_first(value),
            unit_text=_first(unit_text),
            currency=_first(currency),
            unit_code=_first(unit_code),
            qualifier=_first(qualifier),
            names=tuple(p for p in map(_text_lang, names) if p is not None),
        )
        for q, (value, unit_text, currency, unit_code, qualifier, names) in values.items()
    }


def _read_sentences(store: ox.Store) -> tuple[dict[_Term, _Source], dict[_Term, list[_Term]]]:
    """Every nif:Sentence with a text, and what each one schema:mentions."""
    sentences = _values(store, f"?s a <{NIF.Sentence}> .", _SENTENCE_VALUES)
    documents = _values(
        store,
        f"{{ SELECT DISTINCT ?s WHERE {{ ?sentence a <{NIF.Sentence}> ; <{NIF.referenceContext}> ?s }} }}",
        _DOCUMENT_VALUES,
    )
    return _sources(sentences, documents)


def _sources(sentences: _Values, documents: _Values) -> tuple[dict[_Term, _Source], dict[_Term, list[_Term]]]:
    """The sentences with a text, from their values of :data:`_SENTENCE_VALUES` and their
    documents' of :data:`_DOCUMENT_VALUES`; and what each one schema:mentions."""
    sources: dict[_Term, _Source] = {}
    mentions: dict[_Term, list[_Term]] = {}
    for s, (anchors, contexts, begins, mentioned) in sentences.items():
        anchor = _first(anchors)
        if anchor is None:
            continue
        doc = _first(contexts)
        headlines: tuple[tuple[str, str], ...] = ()
        date = ""
        if doc in documents:
            found, published = documents[doc]
            headlines = tuple(p for p in map(_text_lang, found) if p is not None)
            first = _first(published)
            date = first.value if first is not None else ""
        begin = _first(begins)
        try:
            start = int(begin.value) if isinstance(begin, ox.Literal) else 0
        except ValueError:
            start = 0
        sources[s] = _Source(s.value, anchor.value, headlines, date, start)
        mentions[s] = mentioned
    return sources, mentions


def _read_support(
    store: ox.Store, relations: Iterable[tuple[URIRef, URIRef, URIRef]], sentences: Mapping[_Term, _Source]
) -> dict[tuple[URIRef, URIRef, URIRef], list[_Term]]:
    """Relation -> the evidence sentences of the kgo:Assertions about it."""
    return _support(_values(store, f"?s a <{KGO.Assertion}> .", _ASSERTION_VALUES), _by_text(relations), sentences)


def _by_text(
    relations: Iterable[tuple[URIRef, URIRef, URIRef]],
) -> dict[tuple[str, str, str], tuple[URIRef, URIRef, URIRef]]:
    return {(str(s), str(p), str(o)): (s, p, o) for s, p, o in relations}


def _support(
    assertions: _Values,
    wanted: Mapping[tuple[str, str, str], tuple[URIRef, URIRef, URIRef]],
    sentences: Mapping[_Term, _Source],
) -> dict[tuple[URIRef, URIRef, URIRef], list[_Term]]:
    """Relation -> the evidence sentences of the assertions (their values of
    :data:`_ASSERTION_VALUES`) about it; ``wanted``: the relations by their IRIs' text."""
    support: dict[tuple[URIRef, URIRef, URIRef], set[_Term]] = defaultdict(set)
    for subjects, predicates, objects, evidence in assertions.values():
        s, p, o = _first(subjects), _first(predicates), _first(objects)
        if isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode) and isinstance(o, ox.NamedNode):
            triple = wanted.get((s.value, p.value, o.value))
            if triple is not None:
                support[triple].update(ev for ev in evidence if ev in sentences)
    return {k: list(v) for k, v in support.items() if v}


@dataclass(frozen=True)
class ViewData:
    """What the page can show, as read from a dataset before selection and layout: every
    entity with its class, the relations between entities (sorted), and what the panel
    shows of each (labels, facts, evidence)."""

    entity_class: Mapping[URIRef, _ClassInfo]
    relations: Sequence[tuple[URIRef, URIRef, URIRef]]
    labels: Mapping[URIRef, Mapping[str, list[str]]]  # rdfs:label texts by language tag
    alt_labels: Mapping[URIRef, AbstractSet[str]]  # skos:altLabel values as text
    names: Mapping[URIRef, AbstractSet[str]]  # literal rdfs:label and skos:altLabel values
    wikidata: Mapping[URIRef, Sequence[str]]  # Wikidata IDs of owl:sameAs links, sorted
    facts: Mapping[URIRef, Sequence[tuple[URIRef, _Term]]]  # values that are not entities
    quantities: Mapping[_Term, _Quantity]
    sentences: Mapping[_Term, _Source]
    mentions: Mapping[URIRef, Sequence[_Term]]  # entity -> the sentences that schema:mentions it
    support: Mapping[tuple[URIRef, URIRef, URIRef], Sequence[_Term]]  # relation -> evidence sentences

    def digraph(self, entities: Iterable[URIRef] | None = None) -> nx.MultiDiGraph:
        """The relation graph over ``entities`` (default: all), one edge per relation."""
        keep = set(self.entity_class if entities is None else entities)
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(sorted(keep, key=str))
        graph.add_edges_from((s, o, p) for s, p, o in self.relations if s in keep and o in keep)
        return graph


def view_data(dataset: ox.Store | rdflib.Graph, ontology: rdflib.Graph) -> ViewData:
    """Read what the page shows from a dataset, all its graphs as one, with five SPARQL
    queries (entities, quantities, sentences, their documents, assertions).

    A ``pyoxigraph.Store`` is read through its default graph if that holds any triple (a
    kg store's holds the merge of its named graphs: :func:`kg.query.open_store`), else
    as the union of its named graphs (a build's store). An rdflib Dataset or Graph is
    first copied into a store's default graph.
    """
    with collector.paused():
        return _view_data(_as_store(dataset), _class_table(ontology))


def _view_data(store: ox.Store, classes: Mapping[URIRef, _ClassInfo]) -> ViewData:
    read = _read_entities(store, classes)
    sentences, mentioned = _read_sentences(store)
    return _assemble(
        read, _read_quantities(store), sentences, mentioned, _read_support(store, read.relations, sentences)
    )


def _assemble(
    read: _Entities,
    quantities: dict[_Term, _Quantity],
    sentences: dict[_Term, _Source],
    mentioned: Mapping[_Term, list[_Term]],
    support: dict[tuple[URIRef, URIRef, URIRef], list[_Term]],
) -> ViewData:
    mentions: dict[URIRef, list[_Term]] = defaultdict(list)
    entities = {str(entity): entity for entity in read.entity_class}  # a URIRef made once per entity
    for sentence, found in mentioned.items():
        for term in found:
            entity = entities.get(term.value) if isinstance(term, ox.NamedNode) else None
            if entity is not None:
                mentions[entity].append(sentence)
    return ViewData(
        read.entity_class,
        read.relations,
        read.labels,
        read.alt_labels,
        read.names,
        read.wikidata,
        read.facts,
        quantities,
        sentences,
        dict(mentions),
        support,
    )


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def find_entity(data: ViewData, name: str) -> URIRef:
    """The entity ``name`` stands for: a Wikidata ID (``Q8684``, ``wd:Q8684`` or its URL),
    an IRI (full, ``kgr:Seoul`` or the local name ``Seoul``), or a label or other name in
    any language, compared without regard to case.

    Raises :class:`~kg.errors.KGError` when nothing matches or when a name is shared by
    several entities (the message lists their IRIs, which are unambiguous).
    """
    text = name.strip()
    entities = data.entity_class
    found: set[URIRef] = set()
    qid = _QID.match(text)
    if qid:
        target = qid.group(1).upper()
        found = {e for e in entities if target in data.wikidata.get(e, ())}
    if not found:
        candidates = [URIRef(text)]
        if text.startswith("kgr:"):
            candidates.append(KGR[text[4:]])
        elif "/" not in text and "#" not in text and ":" not in text:
            candidates.append(KGR[text.replace(" ", "_")])
        found = {c for c in candidates if c in entities}
    if not found:
        wanted = _normal(text)
        found = {e for e in entities if any(_normal(n) == wanted for n in data.names.get(e, ()))}
    if not found:
        raise KGError(
            f"no entity {name!r} in this graph: give one of its labels (Korean or English), "
            "its IRI or its Wikidata ID (Q…)"
        )
    if len(found) > 1:
        listed = ", ".join(sorted(str(e) for e in found))
        raise KGError(f"{name!r} names {len(found)} entities ({listed}): give the IRI of the one you mean")
    return next(iter(found))


# ------------------------------------------------------------------------- centrality


def pagerank(graph: nx.MultiDiGraph, alpha: float = 0.85, tol: float = 1.0e-6, max_iter: int = 100) -> dict[Any, float]:
    """PageRank by power iteration with numpy, as :func:`networkx.pagerank` computes it
    (parallel edges add up, dangling nodes spread evenly), without its scipy dependency.

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    >>> {k: round(v, 3) for k, v in pagerank(g).items()}
    {'a': 0.333, 'b': 0.333, 'c': 0.333}
    """
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    src = np.fromiter((index[u] for u, _v in graph.edges()), dtype=np.int64, count=graph.number_of_edges())
    dst = np.fromiter((index[v] for _u, v in graph.edges()), dtype=np.int64, count=graph.number_of_edges())
    out_weight = np.bincount(src, minlength=n).astype(float)
    dangling = out_weight == 0
    share = np.divide(1.0, out_weight, out=np.zeros(n), where=~dangling)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        flow = np.bincount(dst, weights=previous[src] * share[src], minlength=n)
        x = alpha * (flow + previous[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(x - previous).sum() < n * tol:
            break
    return {v: float(x[i]) for i, v in enumerate(nodes)}


def _centrality(graph: nx.MultiDiGraph, size_by: str) -> dict[Any, float]:
    if size_by == "pagerank":
        return pagerank(graph)
    return {v: float(d) for v, d in graph.degree()}


def select(
    data: ViewData,
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int = 0,
    size_by: str = "degree",
    cap: int = 0,
) -> tuple[list[URIRef], URIRef | None, str]:
    """The entities to show, the focus entity, and a note for the page ("" when all are shown).

    ``focus`` keeps the entity it names (see :func:`find_entity`) and everything within
    ``depth`` relations of it, whatever their direction. ``max_nodes`` > 0 then keeps the
    ``max_nodes`` most central entities by ``size_by`` (ties by IRI; the focus always
    stays). ``cap`` > 0 finally keeps the ``cap`` most connected entities (most relations
    among those kept, ties by IRI; the focus stays), and the note says how to see them all.
    """
    if depth < 0:
        raise KGError(f"depth {depth} is negative: give 0 (the entity alone) or more")
    if max_nodes < 0:
        raise KGError(f"max_nodes {max_nodes} is negative: give 0 (all entities) or more")
    if cap < 0:
        raise KGError(f"cap {cap} is negative: give 0 (no cap) or more")
    keep = sorted(data.entity_class, key=str)
    notes: list[str] = []
    center = None
    if focus is not None:
        center = find_entity(data, focus)
        reach = nx.single_source_shortest_path_length(data.digraph().to_undirected(as_view=True), center, cutoff=depth)
        keep = sorted(reach, key=str)
        notes.append(f"entities within {depth} relation{'s' if depth != 1 else ''} of the focus")
    if max_nodes and len(keep) > max_nodes:
        score = _centrality(data.digraph(keep), size_by)
        ranked = sorted(keep, key=lambda e: (e != center, -score[e], str(e)))
        total = len(keep)
        keep = sorted(ranked[:max_nodes], key=str)
        measure = "PageRank" if size_by == "pagerank" else "number of relations"
        notes.append(f"the {max_nodes:,} most central of {total:,} entities by {measure}")
    hint = ""
    if cap and len(keep) > cap:
        degree = _degrees(data, keep)
        ranked = sorted(keep, key=lambda e: (e != center, -degree[e], str(e)))
        total = len(keep)
        keep = sorted(ranked[:cap], key=str)
        notes.append(f"the {cap:,} most connected of {total:,} entities")
        hint = f" {CAP_HINT}"
    note = "Showing " + ", then ".join(notes) + "." + hint if notes else ""
    return keep, center, note


# ----------------------------------------------------------------------------- layout


def _force_layout(n: int, edges: np.ndarray, seed: int, iterations: int = 120) -> np.ndarray:
    """Fruchterman–Reingold-style positions (ideal edge length 1) in O((n + m) · iterations):
    edges attract; every node is pushed away from its nearest nodes along a space-filling
    order (local overlap) and from a few random nodes (global spread), instead of from all
    n - 1 others."""
    rng = np.random.default_rng(seed)
    radius = math.sqrt(n)
    pos = rng.uniform(-radius, radius, size=(n, 2))
    if len(edges):  # start each node near the mean of its neighbours' random spots
        i, j = edges[:, 0], edges[:, 1]
        deg = np.bincount(i, minlength=n) + np.bincount(j, minlength=n)
        for _ in range(3):
            acc = np.zeros((n, 2))
            np.add.at(acc, i, pos[j])
            np.add.at(acc, j, pos[i])
            pos = np.where(deg[:, None] > 0, 0.5 * pos + 0.5 * acc / np.maximum(deg, 1)[:, None], pos)
    samples = min(8, n - 1)
    window = min(6, n - 1)
    temperature = radius / 4
    for _step in range(iterations):
        disp = np.zeros((n, 2))
        # global: a few random partners, their push scaled up to stand for all n - 1
        partners = rng.integers(0, n, size=(n, samples))
        delta = pos[:, None, :] - pos[partners]
        dist2 = np.maximum((delta**2).sum(-1), 1e-4)
        disp += (delta / dist2[..., None]).sum(1) * ((n - 1) / samples) * 0.05
        # local: neighbours in a Morton (Z-order) sequence of grid cells
        cell = np.floor(pos - pos.min(0)).astype(np.int64)
        order = np.argsort(_morton(cell[:, 0], cell[:, 1]), kind="stable")
        for off in range(1, window + 1):
            a, b = order[:-off], order[off:]
            delta = pos[a] - pos[b]
            dist2 = np.maximum((delta**2).sum(-1), 1e-4)
            push = delta / dist2[:, None]
            np.add.at(disp, a, push)
            np.add.at(disp, b, -push)
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            dist = np.sqrt((delta**2).sum(-1))[:, None]
            pull = delta * dist
            np.add.at(disp, edges[:, 0], -pull)
            np.add.at(disp, edges[:, 1], pull)
        length = np.maximum(np.sqrt((disp**2).sum(-1)), 1e-9)[:, None]
        pos += disp / length * np.minimum(length, temperature)
        temperature = max(temperature * 0.96, 0.05)
    return pos - pos.mean(0)


def _morton(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    def spread(v: np.ndarray) -> np.ndarray:
        v = v & 0xFFFF
        v = (v | (v << 8)) & 0x00FF00FF
        v = (v | (v << 4)) & 0x0F0F0F0F
        v = (v | (v << 2)) & 0x33333333
        return (v | (v << 1)) & 0x55555555

    return spread(x) | (spread(y) << 1)


def _part_layout(graph: nx.Graph, part: list[Any], iterations: int) -> dict[Any, tuple[float, float]]:
    """Positions of one connected part in page pixels, centred on (0, 0)."""
    if len(part) == 2:
        return {part[0]: (-EDGE_LENGTH / 2, 0.0), part[1]: (EDGE_LENGTH / 2, 0.0)}
    if len(part) <= SPRING_MAX:
        raw = nx.spring_layout(graph.subgraph(part), seed=LAYOUT_SEED, iterations=iterations)
        scale = EDGE_LENGTH * 1.4 * len(part) ** 0.5
        return {v: (float(raw[v][0]) * scale, float(raw[v][1]) * scale) for v in part}
    index = {v: i for i, v in enumerate(part)}
    edges = np.array([(index[u], index[v]) for u, v in graph.subgraph(part).edges() if u != v], dtype=np.int64)
    pos = _force_layout(len(part), edges.reshape(-1, 2), LAYOUT_SEED) * EDGE_LENGTH
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for v, i in index.items()}


def layout(graph: nx.Graph | nx.MultiDiGraph, large: bool = False) -> dict[Any, tuple[int, int]]:
    """Integer page positions for every node: each connected part laid out on its own
    (:data:`SPRING_MAX` nodes or fewer by networkx's spring layout, more by
    :func:`_force_layout`), the parts packed in rows, largest first, and unconnected
    nodes in a grid after them. ``large`` spends fewer spring iterations per small part.

    >>> pos = layout(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and all(isinstance(c, int) for p in pos.values() for c in p)
    True
    """
    simple = nx.Graph(graph)
    parts = sorted((sorted(c, key=str) for c in nx.connected_components(simple)), key=lambda c: (-len(c), str(c[0])))
    singles = [p[0] for p in parts if len(p) == 1]
    groups = [p for p in parts if len(p) > 1]
    boxes: list[tuple[dict[Any, tuple[float, float]], float, float]] = []
    for part in groups:
        pos = _part_layout(simple, part, 50 if large else 200)
        xs = [x for x, _y in pos.values()]
        ys = [y for _x, y in pos.values()]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        boxes.append(
            ({v: (x - cx, y - cy) for v, (x, y) in pos.items()}, max(xs) - min(xs) + 120, max(ys) - min(ys) + 120)
        )
    area = sum(w * h for _p, w, h in boxes) + len(singles) * 180.0 * 90.0
    row_width = max(max((w for _p, w, _h in boxes), default=0.0), math.sqrt(area) * 1.3)
    out: dict[Any, tuple[int, int]] = {}
    x = y = row_height = 0.0
    for pos, w, h in boxes:  # shelf packing: left to right, then the next row
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for v, (px, py) in pos.items():
            out[v] = (round(x + w / 2 + px), round(y + h / 2 + py))
        x += w
        row_height = max(row_height, h)
    if singles:
        y += row_height
        per_row = max(1, int(row_width // 180))
        for i, v in enumerate(singles):
            out[v] = (round(90 + 180 * (i % per_row)), round(y + 55 + 90 * (i // per_row)))
    return out


class LayoutMemo(Protocol):
    """Layouts kept from an earlier page, by :func:`layout_digest` of what each was made of."""

    def get(self, digest: str) -> list[tuple[int, int]] | None: ...

    def put(self, digest: str, positions: list[tuple[int, int]]) -> None: ...


def layout_digest(graph: nx.MultiDiGraph, large: bool) -> str:
    """What :func:`layout` of ``graph``, whose nodes are 0 .. n - 1, is made of, as a hash:
    the nodes, the edges in order, ``large``, this module's code and the libraries it uses."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    versions = " ".join(f"{name} {metadata.version(name)}" for name in ("numpy", "networkx"))
    digest.update(f"{versions} nodes {graph.number_of_nodes()} large {large}\n".encode())
    digest.update(np.array(list(graph.edges()), dtype=np.int64).tobytes())
    return digest.hexdigest()


# ------------------------------------------------------------------------------ page


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's (JavaScript, CSS) as bundled with pyvis, found without importing
    pyvis (which imports IPython: 0.7 s)."""
    spec = importlib.util.find_spec("pyvis")
    locations = spec.submodule_search_locations if spec is not None else None
    try:
        if not locations:
            raise FileNotFoundError("pyvis")
        folder = Path(locations[0]) / "lib" / f"vis-{VIS_VERSION}"
        js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
        css = (folder / "vis-network.css").read_text(encoding="utf-8")
    except OSError as err:  # missing, or pyvis installed as a zip
        raise KGError(
            f"vis-network {VIS_VERSION} is not bundled with the installed pyvis: "
            "install pyvis 0.3.2 (pip install 'pyvis==0.3.2')"
        ) from err
    if "</script" in js.lower() or "</style" in css.lower():
        raise KGError(f"the vis-network {VIS_VERSION} files in pyvis cannot be inlined safely: reinstall pyvis 0.3.2")
    return js, css


@cache
def _template_env() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _safe_json(data: object) -> str:
    """JSON that cannot end a ``<script>`` element or start an HTML comment or entity."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _compact_iri(iri: URIRef) -> str:
    text = str(iri)
    return "kgr:" + text[len(str(KGR)) :] if text.startswith(str(KGR)) else text


def _sizes(score: Mapping[Any, float]) -> dict[Any, int]:
    """Node diameters from 12 to 44 px by the square root of the score's share of the top."""
    top = max(score.values(), default=0.0)
    if top <= 0:
        return dict.fromkeys(score, 14)
    return {v: round(12 + 32 * math.sqrt(max(s, 0.0) / top)) for v, s in score.items()}


def _facts(data: ViewData, entity: URIRef, lang: str) -> list[tuple[URIRef, str]]:
    """Literal facts and quantities of an entity as sorted (property, value text)."""
    facts: set[tuple[URIRef, str]] = set()
    for p, o in data.facts.get(entity, ()):
        value = to_rdflib(o) if isinstance(o, ox.Literal) else None
        if isinstance(value, Literal):
            facts.add((p, _format_literal(value)))
        elif o in data.quantities:
            facts.add((p, data.quantities[o].text(lang)))
    return sorted(facts, key=lambda pv: (str(pv[0]), pv[1]))


def _positions(graph: nx.MultiDiGraph, large: bool, layouts: LayoutMemo | None) -> Sequence[tuple[int, int]]:
    """:func:`layout` of ``graph`` (nodes 0 .. n - 1) by node, or as ``layouts`` kept it."""
    if layouts is None:
        found = layout(graph, large)
        return [found[node] for node in range(graph.number_of_nodes())]
    digest = layout_digest(graph, large)
    kept = layouts.get(digest)
    if kept is not None and len(kept) == graph.number_of_nodes():
        return kept
    made = list(_positions(graph, large, None))
    layouts.put(digest, made)
    return made


def _page_data(
    data: ViewData,
    ontology: rdflib.Graph,
    keep: list[URIRef],
    lang: str,
    size_by: str,
    large: bool,
    layouts: LayoutMemo | None = None,
) -> tuple[dict[str, Any], int, int]:
    """The column-wise JSON the page reads, with the number of nodes and edges."""
    ids = {e: i for i, e in enumerate(keep)}
    triples = [t for t in data.relations if t[0] in ids and t[2] in ids]
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(range(len(keep)))
    graph.add_edges_from((ids[s], ids[o]) for s, _p, o in triples)
    positions = _positions(graph, large, layouts)
    sizes = _sizes(_centrality(graph, size_by))

    sentences: dict[_Term, _Sentence] = {}
    headline_of: dict[tuple[tuple[str, str], ...], str] = {}  # a document's, chosen once

    def headline(source: _Source) -> str:
        found = headline_of.get(source.headlines)
        if found is None:
            found = headline_of[source.headlines] = _choose(_by_lang(source.headlines), lang, ("ko", "en")) or ""
        return found

    def order(node: _Term) -> tuple[str, str, int, str]:
        source = data.sentences[node]
        return (source.date, headline(source), source.begin, source.iri)

    def displayed(node: _Term) -> _Sentence:
        found = sentences.get(node)
        if found is None:
            source = data.sentences[node]
            text = _clip(source.text)
            found = sentences[node] = _Sentence(source.iri, text, headline(source), source.date, source.begin)
        return found

    # each sentence's place in that order, worked out once: a sentence is read for each
    # entity it mentions (10,000 articles: 321,678 keys made for 110,541 sentences)
    rank = {node: place for place, node in enumerate(sorted(data.sentences, key=order))}

    def read(nodes: Iterable[_Term], limit: int) -> tuple[list[_Sentence], int]:
        """The first ``limit`` sentences by date, headline, position, with the headline in
        ``lang``, and how many there are. A hub entity has thousands: only the first are
        sorted (10,000 articles: the page 0.5 s faster), and only those are made into what
        the page shows."""
        distinct = dict.fromkeys(nodes)
        return [displayed(node) for node in heapq.nsmallest(limit, distinct, key=rank.__getitem__)], len(distinct)

    classes = sorted(
        {data.entity_class[e] for e in keep},
        key=lambda c: (list(KIND_PALETTES).index(c.kind), c.depth, str(c.iri)),
    )
    class_index = {c.iri: i for i, c in enumerate(classes)}
    prop_index: dict[URIRef, int] = {}
    docs: dict[tuple[str, str], int] = {}
    sent_index: dict[_Sentence, int] = {}

    def prop(p: URIRef) -> int:
        return prop_index.setdefault(p, len(prop_index))

    def sentence(s: _Sentence) -> int:
        if s not in sent_index:
            docs.setdefault((s.headline, s.date), len(docs))
            sent_index[s] = len(sent_index)
        return sent_index[s]

    def evidence(found: list[_Sentence]) -> list[int] | int:
        return [sentence(s) for s in found] if found else 0

    columns = ("iri", "ko", "en", "cls", "x", "y", "size", "alt", "wd", "facts", "ev", "evn")
    cols: dict[str, list[Any]] = {k: [] for k in columns}
    for e in keep:
        labels = data.labels.get(e, {})
        ko, en = _ko_en(labels, e)
        shown = {ko, en}
        alts = sorted({v for vs in labels.values() for v in vs} | set(data.alt_labels.get(e, ())) - shown)
        wd = list(data.wikidata.get(e, ()))
        found, count = read(data.mentions.get(e, ()), MAX_EVIDENCE)
        cols["iri"].append(_compact_iri(e))
        cols["ko"].append(ko)
        cols["en"].append(en)
        cols["cls"].append(class_index[data.entity_class[e].iri])
        x, y = positions[ids[e]]
        cols["x"].append(x)
        cols["y"].append(y)
        cols["size"].append(sizes[ids[e]])
        cols["alt"].append([a for a in alts if a not in shown] or 0)
        cols["wd"].append(wd or 0)
        cols["facts"].append([[prop(p), v] for p, v in _facts(data, e, lang)] or 0)
        cols["ev"].append(evidence(found))
        cols["evn"].append(count)
    ecols: dict[str, list[Any]] = {"from": [], "to": [], "prop": [], "ev": []}
    for s, p, o in triples:
        ecols["from"].append(ids[s])
        ecols["to"].append(ids[o])
        ecols["prop"].append(prop(p))
        ecols["ev"].append(evidence(read(data.support.get((s, p, o), ()), MAX_EDGE_EVIDENCE)[0]))

    def labelled(term: URIRef) -> list[str]:
        en, ko = _term_labels(ontology, term)
        return [str(term), en, ko]

    page = {
        "classes": [[*labelled(c.iri), c.kind, c.color, KIND_SHAPES[c.kind]] for c in classes],
        "props": [labelled(p) for p in prop_index],
        "docs": [[headline, date] for headline, date in docs],
        "sents": [[s.text, docs[(s.headline, s.date)]] for s in sent_index],
        "nodes": cols,
        "edges": ecols,
        "prefixes": {"kgr": str(KGR)},
    }
    return page, len(keep), len(triples)


def _options(large: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {"enabled": False},
        "interaction": {"hover": not large, "tooltipDelay": 200, "keyboard": False, "multiselect": False},
        "nodes": {"font": {"size": 14}, "borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "color": {"color": "#9a9a9a", "highlight": "#333333", "hover": "#444444"},
            "font": {"size": 11, "align": "middle", "strokeWidth": 3},
            "smooth": False if large else {"type": "continuous"},
            "selectionWidth": 2,
        },
    }
    if large:
        options["interaction"].update({"hideEdgesOnDrag": True, "hideEdgesOnZoom": True})
    return options


def _degrees(data: ViewData, entities: Iterable[URIRef]) -> Counter[URIRef]:
    """Each entity's number of relations with ``entities`` (both ends of each, as
    ``data.digraph(entities).degree()`` counts them, without building the graph: 1.5 s of
    a 10,000-article page's selection, done twice)."""
    kept = set(entities)
    degree: Counter[URIRef] = Counter()
    for subject, _, obj in data.relations:
        if subject in kept and obj in kept:
            degree[subject] += 1
            degree[obj] += 1
    return degree


def render_html(
    dataset: ox.Store | rdflib.Graph | ViewData,
    ontology: rdflib.Graph,
    lang: str = "both",
    *,
    focus: str | None = None,
    depth: int = 1,
    size_by: str = "degree",
    max_nodes: int = 0,
    large_threshold: int = LARGE_THRESHOLD,
    cap: int = 0,
    layouts: LayoutMemo | None = None,
) -> str:
    """The dataset's entities and relations as one offline HTML page.

    Parameters
    ----------
    dataset : pyoxigraph.Store, rdflib.Dataset, rdflib.Graph or ViewData
        The built graph: document named graphs (with sentences and assertions), the
        gazetteer graph, optionally the ontology graph. All graphs are read as one union,
        by SPARQL queries; an rdflib Dataset or Graph is first copied into a store. Or
        what was read of it already (:func:`view_data`, :func:`build_view_data`).
    ontology : rdflib.Graph
        The kg ontology: class hierarchy and the rdfs:labels of classes and properties.
    lang : {"ko", "en", "both"}
        The labels the page opens with (the page has a switch): Korean, English, or
        "서울 / Seoul" for entities and "mayor of / 시장" for classes and properties.
    focus : str, optional
        Show only the ego network of this entity (a label, IRI or Wikidata ID; see
        :func:`find_entity`), ``depth`` relations deep.
    size_by : {"degree", "pagerank"}
        Node size by number of relations or by PageRank.
    max_nodes : int
        Show only this many entities, the most central by ``size_by`` (0: all); the page
        says so.
    large_threshold : int
        From this many nodes on, draw light (straight edges, no edge labels, no hover).
    cap : int
        Show at most this many entities, the most connected (0: no cap); a capped page
        says so and how to see them all (:data:`CAP_HINT`). ``kg build`` passes
        :data:`BUILD_MAX_NODES`.
    layouts : LayoutMemo, optional
        Where the network's layout may have been kept by an earlier page (``kg build``'s
        cache: 1 s of the 10,000-article page), and where it is kept when made.

    Raises
    ------
    KGError
        For an unknown ``lang`` or ``size_by``, a negative ``cap``, a ``focus`` that names
        no entity or several, or if pyvis does not bundle vis-network 9.1.2.

    Examples
    --------
    >>> from rdflib import Dataset, Graph
    >>> render_html(Dataset(), Graph()) == render_html(Dataset(), Graph())
    True
    >>> render_html(Dataset(), Graph(), lang="fr")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: unknown label language 'fr': use one of ko, en, both
    """
    if lang not in LANGS:
        raise KGError(f"unknown label language {lang!r}: use one of {', '.join(LANGS)}")
    if size_by not in SIZE_BY:
        raise KGError(f"unknown node size measure {size_by!r}: use one of {', '.join(SIZE_BY)}")
    js, css = _vis_assets()
    data = dataset if isinstance(dataset, ViewData) else view_data(dataset, ontology)
    # the 10,000-article build page: 10.2 / 10.4 s with the collector running, 8.4 / 9.1 s paused
    with collector.paused():
        keep, center, note = select(data, focus, depth, max_nodes, size_by, cap)
        large = len(keep) >= large_threshold > 0
        page, n_nodes, n_edges = _page_data(data, ontology, keep, lang, size_by, large, layouts)
    page["meta"] = {
        "lang": lang,
        "nodes": n_nodes,
        "edges": n_edges,
        "total_nodes": len(data.entity_class),
        "total_edges": len(data.relations),
        "focus": keep.index(center) if center is not None else None,
        "large": large,
        "note": note,
    }
    page["options"] = _options(large)
    template = _template_env().get_template(TEMPLATE_NAME)
    return template.render(
        html_lang="ko" if lang == "ko" else "en",
        title="Knowledge graph",
        vis_version=VIS_VERSION,
        vis_js=Markup(js),
        vis_css=Markup(css),
        data_json=Markup(_safe_json(page)),
        node_count=n_nodes,
        edge_count=n_edges,
        note=note,
    )
