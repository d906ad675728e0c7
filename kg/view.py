"""Render the knowledge graph as one self-contained HTML page.

The page shows the entities (instances of a ``kgo`` class under kgo:Person,
kgo:Organization, kgo:Place, kgo:Event or kgo:Concept) as nodes and the object properties
between them as labelled, directed edges. Literal facts and quantity nodes go into the
node's tooltip, with up to :data:`MAX_EVIDENCE` sentences that mention the entity.

The graph is built with networkx and turned into vis-network node and edge data by
pyvis; the page itself comes from ``kg/templates/graph.html.j2``, not from pyvis's
template (which loads Bootstrap from a CDN). vis-network's JavaScript and CSS, taken from
the pyvis package, are inlined, so the page opens offline by double-click and requests
nothing from anywhere.

Safety: every document-derived string in HTML is escaped with ``html.escape(quote=True)``
(tooltips) or by Jinja's autoescape (title bar, legend); the node and edge data are JSON
in a ``<script type="application/json">`` element with ``<``, ``>`` and ``&`` written as
``\\u003c``, ``\\u003e`` and ``\\u0026``, so no text can close the script element.

Determinism: the same dataset gives byte-identical HTML: nodes are numbered ``n0, n1, …``
by sorted IRI, edges ``e0, e1, …`` by sorted (subject, predicate, object), JSON keys are
sorted, the layout seed is fixed, and the page has no timestamps or random ids.

>>> from rdflib import Dataset, Graph
>>> page = render_html(Dataset(), Graph())
>>> "0 entities, 0 relations" in page and "vis.Network" in page
True
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import rdflib
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pyvis.network import Network
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import KGError
from kg.ns import KGO, NIF, OWL, RDF, RDFS, SCHEMA, SKOS, WD

__all__ = [
    "KIND_PALETTES",
    "LANGS",
    "LAYOUT_SEED",
    "MAX_EVIDENCE",
    "TEMPLATE_PATH",
    "render_html",
]

#: Accepted values of ``lang``: Korean labels, English labels, or both ("서울 / Seoul").
LANGS = ("ko", "en", "both")

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

#: Evidence sentences shown per entity (and per relation) in a tooltip.
MAX_EVIDENCE = 5
MAX_EDGE_EVIDENCE = 3
#: Longest sentence shown in a tooltip, in characters; longer ones are cut with "…".
MAX_SENTENCE = 300
#: Layout seed: the same data always gets the same layout.
LAYOUT_SEED = 7

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "graph.html.j2"
TEMPLATE_PATH = TEMPLATE_DIR / TEMPLATE_NAME
VIS_VERSION = "9.1.2"

_KINDS: tuple[URIRef, ...] = tuple(KGO[kind] for kind in KIND_PALETTES)
_NOT_FACTS = frozenset({RDF.type, RDFS.label, SKOS.altLabel, OWL.sameAs})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


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


def _node_label(graph: rdflib.Graph, node: Node, lang: str) -> str:
    """Preferred rdfs:label in ``lang``; for "both" "서울 / Seoul" (ko / en)."""
    found = _choose(_by_lang(graph.objects(node, RDFS.label)), lang, ("ko", "en"))
    return found if found is not None else _humanize(node)


def _term_label(ontology: rdflib.Graph, term: Node, lang: str) -> str:
    """rdfs:label of a class or property in ``lang``; for "both" "mayor of / 시장" (en / ko)."""
    found = _choose(_by_lang(ontology.objects(term, RDFS.label)), lang, ("en", "ko"))
    return found if found is not None else _humanize(term)


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
        out[sent] = _Sentence(str(sent), str(anchor), headline, date, start)
    return out


# --------------------------------------------------------------------------- tooltips


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SENTENCE else text[: MAX_SENTENCE - 1] + "…"


def _evidence_html(sentences: list[_Sentence], limit: int) -> str:
    if not sentences:
        return ""
    shown = sentences[:limit]
    head = f"Evidence ({len(shown)} of {len(sentences)} sentences)"
    if len(shown) == len(sentences):
        head = f"Evidence ({len(sentences)} sentence{'s' if len(sentences) != 1 else ''})"
    items = []
    for s in shown:
        source = ", ".join(part for part in (s.headline, s.date) if part)
        src = f' <span class="kg-tip-src">— {_h(source)}</span>' if source else ""
        items.append(f"<li>“{_h(_clip(s.text))}”{src}</li>")
    return f'<div class="kg-tip-k">{_h(head)}</div><ul>{"".join(items)}</ul>'


def _line(key: str, value: str) -> str:
    return f'<div><span class="kg-tip-k">{_h(key)}:</span> {_h(value)}</div>'


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
        raise KGError(
            f"the vis-network {VIS_VERSION} files in pyvis cannot be inlined safely: reinstall pyvis 0.3.2"
        )
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


def _layout(graph: nx.MultiDiGraph) -> dict[str, tuple[int, int]]:
    """Node positions computed here rather than by the page's physics: the page opens
    already laid out, the same every time, and no node is flung off the screen. Each
    connected part is laid out on its own (largest first) and the parts are set side by
    side, so a few unconnected entities do not squeeze the rest into a corner."""
    simple = nx.Graph(graph)
    parts = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    positions: dict[str, tuple[int, int]] = {}
    x_offset = 0.0
    singles: list[str] = []
    for part in parts:
        if len(part) == 1:
            singles.append(part[0])
            continue
        radius = 90 * len(part) ** 0.5
        raw = nx.spring_layout(simple.subgraph(part), seed=LAYOUT_SEED, iterations=200)
        for node in part:
            x, y = raw[node]
            positions[node] = (round(x_offset + radius + float(x) * radius), round(float(y) * radius))
        x_offset += 2 * radius + 120
    for i, node in enumerate(singles):  # a column of unconnected entities at the right
        positions[node] = (round(x_offset + 60), round(-300 + 70 * i))
    return positions


def _options(n_nodes: int) -> dict[str, Any]:
    return {
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": n_nodes <= 150},
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "keyboard": False},
        "nodes": {"shape": "dot", "font": {"size": 14}, "borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "color": {"color": "#9a9a9a", "highlight": "#444444", "hover": "#444444"},
            "font": {"size": 11, "align": "middle", "strokeWidth": 3},
            "smooth": {"type": "continuous"},
        },
    }


def _union(dataset: rdflib.Dataset) -> rdflib.Graph:
    union = rdflib.Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


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
    union: rdflib.Graph, ontology: rdflib.Graph, entity: URIRef, lang: str, entities: Mapping[URIRef, object]
) -> list[tuple[str, str]]:
    """Literal facts and quantities of an entity as sorted (property label, value text)."""
    facts: set[tuple[str, str]] = set()
    for p, o in union.predicate_objects(entity):
        if p in _NOT_FACTS or o in entities:
            continue
        if isinstance(o, Literal):
            facts.add((_term_label(ontology, p, lang), _format_literal(o)))
        elif (o, RDF.type, KGO.Quantity) in union:
            facts.add((_term_label(ontology, p, lang), _format_quantity(union, o, lang)))
    return sorted(facts)


def _node_tooltip(
    union: rdflib.Graph,
    ontology: rdflib.Graph,
    entity: URIRef,
    info: _ClassInfo,
    lang: str,
    entities: Mapping[URIRef, object],
    evidence: list[_Sentence],
) -> str:
    labels = _by_lang(union.objects(entity, RDFS.label))
    alts = _by_lang(union.objects(entity, SKOS.altLabel))
    tip = [
        f'<div class="kg-tip-h">{_h(_node_label(union, entity, lang))}</div>',
        f'<div class="kg-tip-c">{_h(_term_label(ontology, info.iri, lang))}</div>',
    ]
    shown = [f"{v} ({code})" if code else v for code in sorted(labels) for v in labels[code]]
    if shown:
        tip.append(_line("Labels", ", ".join(shown)))
    alt_values = [v for code in sorted(alts) for v in alts[code]]
    if alt_values:
        tip.append(_line("Also known as", ", ".join(alt_values)))
    wikidata = sorted(
        str(o)[len(str(WD)) :]
        for o in union.objects(entity, OWL.sameAs)
        if isinstance(o, URIRef) and str(o).startswith(str(WD))
    )
    if wikidata:
        tip.append(_line("Wikidata", ", ".join(wikidata)))
    facts = _facts(union, ontology, entity, lang, entities)
    if facts:
        tip.append("<ul>" + "".join(f"<li>{_h(k)}: {_h(v)}</li>" for k, v in facts) + "</ul>")
    tip.append(_evidence_html(evidence, MAX_EVIDENCE))
    return "".join(tip)


def _search_text(union: rdflib.Graph, entity: URIRef, label: str) -> str:
    names = {label} | {str(o) for p in (RDFS.label, SKOS.altLabel) for o in union.objects(entity, p)}
    return " ".join(sorted(names)).lower()


def render_html(dataset: rdflib.Dataset, ontology: rdflib.Graph, lang: str = "both") -> str:
    """The dataset's entities and relations as one offline HTML page.

    Parameters
    ----------
    dataset : rdflib.Dataset
        The built graph: document named graphs (with sentences and assertions), the
        gazetteer graph, optionally the ontology graph. All graphs are read as one union.
    ontology : rdflib.Graph
        The kg ontology: class hierarchy and the rdfs:labels of classes and properties.
    lang : {"ko", "en", "both"}
        Label language. "both" shows "서울 / Seoul" for entities (ko / en) and
        "mayor of / 시장" for classes and properties (en / ko).

    Returns
    -------
    str
        The complete page; the caller writes it to a file.

    Raises
    ------
    KGError
        For an unknown ``lang``, or if pyvis does not bundle vis-network 9.1.2.

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
    js, css = _vis_assets()
    union = _union(dataset)
    entity_class = _entities(union, _class_table(ontology))
    entities = sorted(entity_class, key=str)
    ids = {e: f"n{i}" for i, e in enumerate(entities)}
    triples = _relations(union, entities)
    sentences = _sentences(union, lang)
    mentions = _mention_evidence(union, sentences, entity_class)
    support = _assertion_evidence(union, sentences)

    graph = nx.MultiDiGraph()
    graph.add_nodes_from(ids[e] for e in entities)
    graph.add_edges_from((ids[s], ids[o], f"e{i}") for i, (s, _p, o) in enumerate(triples))

    positions = _layout(graph)
    net = Network(directed=True)
    for e in entities:
        info = entity_class[e]
        label = _node_label(union, e, lang)
        x, y = positions[ids[e]]
        net.add_node(
            ids[e],
            x=x,
            y=y,
            label=label,
            color=info.color,
            title=_node_tooltip(union, ontology, e, info, lang, entity_class, mentions.get(e, [])),
            size=min(40, 12 + 3 * graph.degree(ids[e])),
            iri=str(e),
            cls=str(info.iri),
            kind=info.kind,
            search=_search_text(union, e, label),
        )
    for i, (s, p, o) in enumerate(triples):
        plabel = _term_label(ontology, p, lang)
        head = (
            f'<div class="kg-tip-h">{_h(_node_label(union, s, lang))} → {_h(plabel)} → '
            f"{_h(_node_label(union, o, lang))}</div>"
        )
        tip = head + _evidence_html(support.get((s, p, o), []), MAX_EDGE_EVIDENCE)
        net.add_edge(ids[s], ids[o], id=f"e{i}", label=plabel, title=tip, iri=str(p))

    present: dict[_ClassInfo, int] = defaultdict(int)
    for e in entities:
        present[entity_class[e]] += 1
    kinds = list(KIND_PALETTES)
    legend = [
        {
            "iri": str(c.iri),
            "label": _term_label(ontology, c.iri, lang),
            "color": c.color,
            "count": n,
        }
        for c, n in sorted(
            present.items(), key=lambda cn: (kinds.index(cn[0].kind), cn[0].depth, str(cn[0].iri))
        )
    ]
    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _options(len(entities)),
    }
    template = _template_env().get_template(TEMPLATE_NAME)
    return template.render(
        html_lang="ko" if lang == "ko" else "en",
        title="Knowledge graph",
        vis_version=VIS_VERSION,
        vis_js=Markup(js),
        vis_css=Markup(css),
        data_json=Markup(_safe_json(data)),
        node_count=len(entities),
        edge_count=len(triples),
        legend=legend,
    )
