"""Render the knowledge graph as one self-contained, interactive HTML page.

The page shows the entities (instances of a ``kgo`` class under kgo:Person,
kgo:Organization, kgo:Place, kgo:Event or kgo:Concept) as nodes and the object properties
between them as directed edges; literal values, quantity nodes, documents, sentences and
evidence records are not nodes (the "RDF plumbing" stays out of the picture) but show in
the side panel that opens when a node or an edge is clicked: labels, class, Wikidata ID,
literal facts (dates, amounts with units) and the evidence sentences with their document's
title and date.

Stages, each a function of the previous one's result:

1. :func:`_union` and :func:`_entities`: the dataset's named graphs read as one graph,
   and every entity with its most specific kgo class;
2. :func:`select`: optionally the ego network around one entity (:func:`find_entity`
   resolves a label, an IRI or a Wikidata ID) and optionally the ``max_nodes`` most
   central entities (the page says so);
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

import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import rdflib
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import KGError
from kg.ns import KGO, KGR, NIF, OWL, RDF, RDFS, SCHEMA, SKOS, WD

__all__ = [
    "KIND_PALETTES",
    "KIND_SHAPES",
    "LANGS",
    "LARGE_THRESHOLD",
    "LAYOUT_SEED",
    "MAX_EVIDENCE",
    "SIZE_BY",
    "TEMPLATE_PATH",
    "ViewData",
    "find_entity",
    "layout",
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
_NOT_FACTS = frozenset({RDF.type, RDFS.label, SKOS.altLabel, OWL.sameAs})
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


def _by_lang(values: Iterable[Node]) -> dict[str, list[str]]:
    """Literal values grouped by language tag ("" for none), each list sorted."""
    out: dict[str, list[str]] = defaultdict(list)
    for v in values:
        if isinstance(v, Literal):
            out[(v.language or "").lower()].append(str(v))
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
    labels = _by_lang(ontology.objects(term, RDFS.label))
    en = _choose(labels, "en", ("en", "ko")) or _humanize(term)
    ko = _choose(labels, "ko", ("ko", "en")) or en
    return en, ko


# ---------------------------------------------------------------------------- values


def _first(graph: rdflib.Graph, subject: Node, predicate: Node) -> Node | None:
    """The smallest object (deterministic, unlike ``Graph.value`` with several values)."""
    values = sorted(graph.objects(subject, predicate), key=_sort_key)
    return values[0] if values else None


def _sort_key(term: Node) -> tuple[str, str, str]:
    if isinstance(term, Literal):
        return (str(term), term.language or "", str(term.datatype or ""))
    return (str(term), "", "")


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


def _format_quantity(graph: rdflib.Graph, node: Node, lang: str) -> str:
    """A quantity node as text: "200,000 ㎡", "5,000,000,000 KRW (about)"."""
    value = _first(graph, node, SCHEMA.value)
    text = _format_number(value) if isinstance(value, Literal) else "?"
    unit = (
        _first(graph, node, SCHEMA.unitText)
        or _first(graph, node, SCHEMA.currency)
        or _first(graph, node, SCHEMA.unitCode)
    )
    if unit is not None:
        text += f" {unit}"
    qualifier = _first(graph, node, KGO.qualifier)
    if qualifier is not None and str(qualifier) != "exact":
        text += f" ({str(qualifier).replace('_', ' ')})"
    name = _choose(_by_lang(graph.objects(node, SCHEMA.name)), lang, ("ko", "en"))
    if name:
        text += f" — {name}"
    return text


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SENTENCE else text[: MAX_SENTENCE - 1] + "…"


@dataclass(frozen=True)
class _Sentence:
    iri: str
    text: str
    headline: str
    date: str
    begin: int

    @property
    def key(self) -> tuple[str, str, int, str]:
        return (self.date, self.headline, self.begin, self.iri)


def _sentences(graph: rdflib.Graph, lang: str) -> dict[Node, _Sentence]:
    out: dict[Node, _Sentence] = {}
    for sent in graph.subjects(RDF.type, NIF.Sentence):
        anchor = _first(graph, sent, NIF.anchorOf)
        if anchor is None:
            continue
        doc = _first(graph, sent, NIF.referenceContext)
        headline = date = ""
        if doc is not None:
            headline = _choose(_by_lang(graph.objects(doc, SCHEMA.headline)), lang, ("ko", "en")) or ""
            published = _first(graph, doc, SCHEMA.datePublished)
            date = str(published) if published is not None else ""
        begin = _first(graph, sent, NIF.beginIndex)
        try:
            start = int(begin) if isinstance(begin, Literal) else 0
        except ValueError:
            start = 0
        out[sent] = _Sentence(str(sent), _clip(str(anchor)), headline, date, start)
    return out


# ---------------------------------------------------------------------------- graph


class _AllGraphs(rdflib.Graph):
    """Every graph in a store read as one, in place: copying a large build's quads into a
    new graph took half a page's render time, and rdflib's own union view (a Dataset with
    default_union) warns of its own deprecated internals on every read."""

    def triples(self, triple: Any) -> Iterator[Any]:  # type: ignore[override]
        for found, _contexts in self.store.triples(triple, context=None):
            yield found


def _union(dataset: rdflib.Graph) -> rdflib.Graph:
    """A dataset's named graphs as one graph; a graph is read as it is (a kg store's
    default graph is already the merge, and copying it would load it into memory)."""
    if isinstance(dataset, rdflib.Dataset):
        return _AllGraphs(store=dataset.store)
    return dataset


def _entities(union: rdflib.Graph, classes: Mapping[URIRef, _ClassInfo]) -> dict[URIRef, _ClassInfo]:
    """Entity IRI -> its class; with several kgo classes (there should be one) the most specific."""
    found: dict[URIRef, _ClassInfo] = {}
    for s, o in union.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(o, URIRef) and o in classes:
            info, best = classes[o], found.get(s)
            if best is None or (-info.depth, str(info.iri)) < (-best.depth, str(best.iri)):
                found[s] = info
    return found


def _relations(union: rdflib.Graph, entities: Iterable[URIRef]) -> list[tuple[URIRef, URIRef, URIRef]]:
    """Sorted triples whose subject and object are both entities."""
    members = set(entities)
    triples = {
        (s, p, o)
        for s in members
        for p, o in union.predicate_objects(s)
        if isinstance(p, URIRef) and isinstance(o, URIRef) and p not in _NOT_FACTS and o in members
    }
    return sorted(triples, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))


def _assertion_evidence(
    union: rdflib.Graph, sentences: Mapping[Node, _Sentence]
) -> dict[tuple[Node, Node, Node], list[_Sentence]]:
    """(subject, predicate, object) -> evidence sentences of the kgo:Assertions about it."""
    support: dict[tuple[Node, Node, Node], set[_Sentence]] = defaultdict(set)
    for a in union.subjects(RDF.type, KGO.Assertion):
        s = _first(union, a, RDF.subject)
        p = _first(union, a, RDF.predicate)
        o = _first(union, a, RDF.object)
        if s is None or p is None or o is None:
            continue
        for ev in union.objects(a, KGO.evidence):
            if ev in sentences:
                support[(s, p, o)].add(sentences[ev])
    return {k: sorted(v, key=lambda x: x.key) for k, v in support.items()}


def _mention_evidence(
    union: rdflib.Graph, sentences: Mapping[Node, _Sentence], entities: Mapping[URIRef, object]
) -> dict[Node, list[_Sentence]]:
    """Entity -> the sentences that schema:mentions it, sorted by date, headline, position."""
    found: dict[Node, set[_Sentence]] = defaultdict(set)
    for sent, info in sentences.items():
        for m in union.objects(sent, SCHEMA.mentions):
            if m in entities:
                found[m].add(info)
    return {k: sorted(v, key=lambda x: x.key) for k, v in found.items()}


def _facts(
    union: rdflib.Graph, entity: URIRef, lang: str, entities: Mapping[URIRef, object]
) -> list[tuple[URIRef, str]]:
    """Literal facts and quantities of an entity as sorted (property, value text)."""
    facts: set[tuple[URIRef, str]] = set()
    for p, o in union.predicate_objects(entity):
        if p in _NOT_FACTS or o in entities or not isinstance(p, URIRef):
            continue
        if isinstance(o, Literal):
            facts.add((p, _format_literal(o)))
        elif (o, RDF.type, KGO.Quantity) in union:
            facts.add((p, _format_quantity(union, o, lang)))
    return sorted(facts, key=lambda pv: (str(pv[0]), pv[1]))


@dataclass(frozen=True)
class ViewData:
    """What the page shows before layout: the union graph, every entity with its class,
    and the relations between entities (sorted), as read from a dataset."""

    union: rdflib.Graph
    entity_class: Mapping[URIRef, _ClassInfo]
    relations: Sequence[tuple[URIRef, URIRef, URIRef]]

    def digraph(self, entities: Iterable[URIRef] | None = None) -> nx.MultiDiGraph:
        """The relation graph over ``entities`` (default: all), one edge per relation."""
        keep = set(self.entity_class if entities is None else entities)
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(sorted(keep, key=str))
        graph.add_edges_from((s, o, p) for s, p, o in self.relations if s in keep and o in keep)
        return graph


def view_data(dataset: rdflib.Graph, ontology: rdflib.Graph) -> ViewData:
    """Read the entities and relations of a dataset (all named graphs as one union)."""
    union = _union(dataset)
    entity_class = _entities(union, _class_table(ontology))
    return ViewData(union, entity_class, _relations(union, entity_class))


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
        target = WD[qid.group(1).upper()]
        found = {e for e in entities if (e, OWL.sameAs, target) in data.union}
    if not found:
        candidates = [URIRef(text)]
        if text.startswith("kgr:"):
            candidates.append(KGR[text[4:]])
        elif "/" not in text and "#" not in text and ":" not in text:
            candidates.append(KGR[text.replace(" ", "_")])
        found = {c for c in candidates if c in entities}
    if not found:
        wanted = _normal(text)
        found = {
            e
            for e in entities
            for p in (RDFS.label, SKOS.altLabel)
            for o in data.union.objects(e, p)
            if isinstance(o, Literal) and _normal(str(o)) == wanted
        }
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
    data: ViewData, focus: str | None = None, depth: int = 1, max_nodes: int = 0, size_by: str = "degree"
) -> tuple[list[URIRef], URIRef | None, str]:
    """The entities to show, the focus entity, and a note for the page ("" when all are shown).

    ``focus`` keeps the entity it names (see :func:`find_entity`) and everything within
    ``depth`` relations of it, whatever their direction. ``max_nodes`` > 0 then keeps the
    ``max_nodes`` most central entities by ``size_by`` (ties by IRI; the focus always
    stays).
    """
    if depth < 0:
        raise KGError(f"depth {depth} is negative: give 0 (the entity alone) or more")
    if max_nodes < 0:
        raise KGError(f"max_nodes {max_nodes} is negative: give 0 (all entities) or more")
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
    note = "Showing " + ", then ".join(notes) + "." if notes else ""
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


# ------------------------------------------------------------------------------ page


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's (JavaScript, CSS) as bundled with pyvis."""
    folder = resources.files("pyvis").joinpath("lib", f"vis-{VIS_VERSION}")
    try:
        js = folder.joinpath("vis-network.min.js").read_text(encoding="utf-8")
        css = folder.joinpath("vis-network.css").read_text(encoding="utf-8")
    except FileNotFoundError as err:
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


def _page_data(
    data: ViewData,
    ontology: rdflib.Graph,
    keep: list[URIRef],
    lang: str,
    size_by: str,
    large: bool,
) -> tuple[dict[str, Any], int, int]:
    """The column-wise JSON the page reads, with the number of nodes and edges."""
    union = data.union
    ids = {e: i for i, e in enumerate(keep)}
    triples = [t for t in data.relations if t[0] in ids and t[2] in ids]
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(range(len(keep)))
    graph.add_edges_from((ids[s], ids[o]) for s, _p, o in triples)
    positions = layout(graph, large)
    sizes = _sizes(_centrality(graph, size_by))

    sentences = _sentences(union, lang)
    mentions = _mention_evidence(union, sentences, ids)
    support = _assertion_evidence(union, sentences)

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

    def evidence(found: list[_Sentence], limit: int) -> list[int] | int:
        return [sentence(s) for s in found[:limit]] if found else 0

    columns = ("iri", "ko", "en", "cls", "x", "y", "size", "alt", "wd", "facts", "ev", "evn")
    cols: dict[str, list[Any]] = {k: [] for k in columns}
    for e in keep:
        labels = _by_lang(union.objects(e, RDFS.label))
        ko, en = _ko_en(labels, e)
        shown = {ko, en}
        alts = sorted(
            {v for vs in labels.values() for v in vs} | {str(o) for o in union.objects(e, SKOS.altLabel)} - shown
        )
        wd = sorted(
            str(o)[len(str(WD)) :]
            for o in union.objects(e, OWL.sameAs)
            if isinstance(o, URIRef) and str(o).startswith(str(WD))
        )
        found = mentions.get(e, [])
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
        cols["facts"].append([[prop(p), v] for p, v in _facts(union, e, lang, data.entity_class)] or 0)
        cols["ev"].append(evidence(found, MAX_EVIDENCE))
        cols["evn"].append(len(found))
    ecols: dict[str, list[Any]] = {"from": [], "to": [], "prop": [], "ev": []}
    for s, p, o in triples:
        ecols["from"].append(ids[s])
        ecols["to"].append(ids[o])
        ecols["prop"].append(prop(p))
        ecols["ev"].append(evidence(support.get((s, p, o), []), MAX_EDGE_EVIDENCE))

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


def render_html(
    dataset: rdflib.Graph,
    ontology: rdflib.Graph,
    lang: str = "both",
    *,
    focus: str | None = None,
    depth: int = 1,
    size_by: str = "degree",
    max_nodes: int = 0,
    large_threshold: int = LARGE_THRESHOLD,
) -> str:
    """The dataset's entities and relations as one offline HTML page.

    Parameters
    ----------
    dataset : rdflib.Dataset or rdflib.Graph
        The built graph: document named graphs (with sentences and assertions), the
        gazetteer graph, optionally the ontology graph. All graphs are read as one union.
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

    Raises
    ------
    KGError
        For an unknown ``lang`` or ``size_by``, a ``focus`` that names no entity or
        several, or if pyvis does not bundle vis-network 9.1.2.

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
    data = view_data(dataset, ontology)
    keep, center, note = select(data, focus, depth, max_nodes, size_by)
    large = len(keep) >= large_threshold > 0
    page, n_nodes, n_edges = _page_data(data, ontology, keep, lang, size_by, large)
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
