"""SHACL validation of a built graph against ``ontology/shapes.ttl``, entirely in Oxigraph.

The data is copied into a new Oxigraph store with the ontology, and the RDFS entailments
the shapes depend on (statements of superproperties, types from domains, ranges and
superclasses) are computed there by SPARQL updates. The shapes are then compiled into
checks that each cover all focus nodes at once: the values of a path are read from the
store once per property, the SHACL instances of a class once per class, and each
constraint component is a set operation or a test over those values; ``sh:sparql``
constraints run in Oxigraph, once for all focus nodes. pySHACL, one rdflib query per focus
node and constraint, took most of a build's time; it is now only the tests' reference.

Constraint components checked: ``sh:class``, ``sh:datatype``, ``sh:nodeKind``,
``sh:minCount``, ``sh:maxCount``, ``sh:pattern`` (with ``sh:flags``), ``sh:minLength``,
``sh:maxLength``, ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:minExclusive``,
``sh:maxExclusive``, ``sh:uniqueLang``, ``sh:lessThan``, ``sh:and``, ``sh:or``, ``sh:not``,
``sh:xone``, ``sh:property``, ``sh:qualifiedValueShape`` (with ``sh:qualifiedMinCount``,
``sh:qualifiedMaxCount``) and ``sh:sparql`` (``sh:select`` on node shapes); targets
``sh:targetClass``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf`` and ``sh:targetNode``;
paths that are one IRI or ``sh:inversePath`` of one. Any other ``sh:`` term on a shape
raises :class:`~kg.errors.ShapesError` naming the shape and the term, as does a reporting
shape without one ``sh:message`` (the message is what a violation says).

Each violation is (focus node, path, the reporting shape's message), one per value node
that fails a value-based component, one per focus node for the counting ones (minCount,
maxCount, qualified counts), one per duplicated language for ``sh:uniqueLang``, one per
failing pair for ``sh:lessThan`` and one per solution of an ``sh:sparql`` query: what
pySHACL reports. Where kg differs from pySHACL 0.40 or from the SHACL specification:

- ``sh:lessThan`` with a blank node or incomparable values is a violation here; pySHACL
  raises an error and stops.
- An ``sh:sparql`` query runs once with ``$this`` unbound and its solutions are kept for
  the focus nodes; pySHACL pre-binds ``$this`` for each focus node. The two agree for
  queries that join ``$this`` with the data, as the shapes' queries do.
- Literals are compared as Oxigraph stores them: numbers, dates and booleans in canonical
  form (``"01"^^xsd:integer`` is ``"1"``), so ``sh:pattern`` and ``sh:minLength`` see the
  canonical lexical form. pySHACL on the original rdflib graph sees the written form. The
  validator before this one gave pySHACL the graph from Oxigraph too.
- ``sh:pattern`` uses Python's ``re.search``, as pySHACL does, not XPath regular
  expressions: ``$`` also matches before a final ``"\\n"``, so ``"KR\\n"`` matches
  ``^[A-Z]{2}$``.
- The entailments are rules rdfs7, rdfs2, rdfs3 and rdfs9 only, as before this module ran
  everything itself. pySHACL's ``inference="rdfs"`` (owlrl) also types literals: a
  literal object of a property with an ``rdfs:range`` becomes an instance of the range
  class and so a focus node of its shapes; and on one ``schema:addressCountry "CA"@en``
  it reported five more violations than the graph has failing values. The tests
  compare with pySHACL on the graph entailed by these four rules.

A large N-Triples file can be checked in parts (``validate(path, parts=N, workers=W)``),
each in a store of its own, in worker processes: the same violations with a part's memory
(10,000 articles, 4.3 million statements: 3.1 GB checked whole, 0.5 GB in nine parts). How
and when that is exact: :func:`_validate_in_parts`. The parts are made of units (the
statements by a hash of their subject), and each unit's result depends only on what its
hash covers, so a check given the hashes of units that passed before
(``validate(path, passed_units=...)``, kg.cache keeps the last build's) checks only the
others: after one of 10,000 articles changed, 1 to 3 of them.

A build's statements come as :class:`BuildStatements`: the knowledge graph, in units by
subject as above, and each document graph's provenance statements (about its document,
sentences and assertions, nodes no other graph names), a unit of its own. A document
graph's unit is hashed with the hash of its text, so what a check learnt from reading it
(:class:`GraphReading`) is kept by that hash (``validate(..., graph_readings=...)``,
``ValidationResult.readings``), and a later check of the same text reads only its bytes:
after one change, the 4.3 million statements of 10,000 articles are read as the knowledge
graph's 0.6 million and 10,000 hashes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field, replace
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node
from tqdm import tqdm

from kg.errors import InputError, ShapesError
from kg.export import nt_iri, to_oxigraph
from kg.ns import ONTOLOGY_GRAPH, RDF, RDFS, SH, SHAPES_PATH, XSD
from kg.ontology import load_ontology
from kg.process import Process, start
from kg.progress import bar, stage

__all__ = ["BuildStatements", "GraphReading", "ValidationResult", "Violation", "load_shapes", "validate"]


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str


@dataclass(frozen=True)
class BuildStatements:
    """A build's statements as kg.graph writes them: ``shared``, the knowledge graph
    (N-Triples), and ``graphs``, each document graph's provenance statements (N-Triples),
    one graph after another, ``lengths`` bytes each. A check in parts makes each document
    graph's statements a unit of its own; it is exact when no node that one of them is
    about is named by the knowledge graph or another document graph, as kg writes them
    (checked: else the statements are checked whole). ``keys``, when given, holds for each
    document graph a hash of what its text is made from ("": none known), by which what a
    check read of it is found without reading its text (kg.cache.GraphFiles' keys: 470 MB
    of text not read and hashed again at 10,000 articles)."""

    shared: Path
    graphs: Path
    lengths: tuple[int, ...]
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class GraphReading:
    """What a check in parts learns from reading one document graph's statements, kept by
    the hash of their text: how many they are, the nodes they are about (its own), the
    other nodes they name and the types they give those (rules rdfs2, rdfs3, rdfs7). The
    nodes are sorted, and a node the knowledge graph names is the object it read there, so
    the readings of many graphs (and their pickle in the cache) share each entity's IRI:
    10,000 articles' readings took 147 MB in memory as sets of their own copies."""

    lines: int
    own: tuple[bytes, ...]
    named: tuple[bytes, ...]
    types: tuple[tuple[bytes, tuple[bytes, ...]], ...]


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    violations: tuple[Violation, ...]
    # the hashes of the units (statements by subject, of which kg.validate makes its
    # parts) found without violations, for a later check to skip; none when not hashed
    units: tuple[str, ...] = field(default=(), compare=False)
    skipped: int = field(default=0, compare=False)  # units not checked: passed before
    # of BuildStatements checked in parts, what was read of each document graph, by the
    # hash of its text, for a later check's ``graph_readings``
    readings: Mapping[str, GraphReading] = field(default_factory=dict, compare=False)

    def summary(self, limit: int = 20) -> str:
        """The violations, one per line, at most ``limit`` of them."""
        lines = [f"{v.focus} {v.path}: {v.message}" for v in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(f"... and {len(self.violations) - limit} more")
        return "\n".join(lines)


def load_shapes(path: Path = SHAPES_PATH) -> Graph:
    shapes = Graph()
    shapes.parse(path, format="turtle")
    return shapes


def validate(
    data: Graph | Dataset | ox.Store | Path | BuildStatements,
    shapes: Graph | None = None,
    *,
    parts: int = 1,
    workers: int = 1,
    before_checking: Callable[[], object] | None = None,
    passed_units: Set[str] | None = None,
    graph_readings: Mapping[str, GraphReading] | None = None,
    progress: bool = False,
) -> ValidationResult:
    """Check the data against ``shapes`` (``ontology/shapes.ttl`` by default), with the
    ontology's RDFS entailments known to the validator.

    ``data`` is an rdflib Graph, an rdflib Dataset, an Oxigraph store holding a dataset or
    an RDF file (its format from its extension: ``.nt``, ``.ttl``, ``.nq``, ``.trig`` …);
    of a dataset, the named graphs (and the default graph) are taken together and the
    ontology graph is left out. A store is read, never changed. Raises
    :class:`~kg.errors.ShapesError` for shapes that use a construct this module does not check.

    ``parts`` > 1 checks an N-Triples file with the bundled shapes in that many parts, one
    at a time or in ``workers`` processes, each part in a store of its own: the result is
    the same, the memory held at once a part's (see :func:`_validate_in_parts`). Data that
    parts cannot check exactly (blank nodes, schema statements, a file that is not kg's
    N-Triples) is checked whole.

    ``before_checking`` is called once, when the data is read (and split) and before any of
    it is checked: the build waits there for its page's process, so that the page and the
    part checkers are never in memory at once.

    ``passed_units``, the ``units`` of earlier results, lets an
    N-Triples file checkable in parts skip what that check already passed: each part's
    units are hashed with all their check reads, and only units whose hash is not among
    ``passed_units`` are checked (an empty set: all, hashed for the next time). The result
    is the same as checking everything.

    :class:`BuildStatements` are checked in parts as an N-Triples file is; ``graph_readings``,
    the ``readings`` of an earlier result, spares reading again the document graphs whose
    text has not changed.

    With ``progress``, stderr shows the reading of the file and a bar of the parts checked.
    """
    in_parts = parts > 1 or passed_units is not None
    checkable = isinstance(data, BuildStatements) or (isinstance(data, Path) and data.suffix == ".nt")
    if in_parts and shapes is None and checkable:
        assert isinstance(data, BuildStatements | Path)
        readings = graph_readings or {}
        result = _validate_in_parts(data, parts, workers, before_checking, passed_units, readings, progress)
        if result is not None:
            return result
    if before_checking is not None:
        before_checking()
    with stage("validating", progress):
        compiled = _compile(load_shapes() if shapes is None else shapes)
        names = data if isinstance(data, Graph) and not isinstance(data, Dataset) else Graph()
        values = _Values(_entailed(data))
        violations = [
            Violation(_ox_text(names, focus), _text(names, path), message)
            for shape in compiled
            for focus, path, message in _report(values, shape, _focus_nodes(values, shape))
        ]
    return _result(violations)


def _result(violations: list[Violation], units: tuple[str, ...] = (), skipped: int = 0) -> ValidationResult:
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationResult(not violations, tuple(violations), units, skipped)


# --------------------------------------------------------------------------- the data


Term = ox.NamedNode | ox.BlankNode | ox.Literal

# RDFS rules rdfs7 (superproperties), rdfs2 and rdfs3 (domains and ranges) and rdfs9
# (superclasses), in the order that lets each see the previous one's statements
_ENTAIL = (
    "INSERT { ?s ?q ?o } WHERE { ?p rdfs:subPropertyOf+ ?q . ?s ?p ?o }",
    "INSERT { ?s a ?c } WHERE { ?p rdfs:domain ?c . ?s ?p ?o }",
    "INSERT { ?o a ?c } WHERE { ?p rdfs:range ?c . ?s ?p ?o . FILTER (!isLiteral(?o)) }",
    "INSERT { ?s a ?super } WHERE { ?c rdfs:subClassOf+ ?super . ?s a ?c }",
)
_RDF_PREFIXES = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


def _entailed(data: Graph | Dataset | ox.Store | Path | BuildStatements) -> ox.Store:
    """A new store whose default graph holds the data's statements (of every graph but the
    ontology graph), kg's ontology and their RDFS entailments."""
    store = ox.Store()
    if isinstance(data, Path):
        _load(store, data)
    elif isinstance(data, BuildStatements):
        _load(store, data.shared)
        _load(store, data.graphs)
    elif isinstance(data, ox.Store):
        # each graph dumped as N-Triples and parsed back in Rust: about a quarter faster than
        # a Python loop over the quads on 1,000 articles (400,000 statements); one graph at
        # a time, so that the text of the whole dataset is never held at once
        ontology = ox.NamedNode(ONTOLOGY_GRAPH)
        for graph in [ox.DefaultGraph(), *(g for g in data.named_graphs() if g != ontology)]:
            store.load(data.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph), format=ox.RdfFormat.N_TRIPLES)
    else:
        store.bulk_extend(_triples(data))
    _entail(store)
    return store


def _entail(store: ox.Store) -> None:
    """Add kg's ontology to the default graph of ``store``, then the entailments."""
    store.bulk_extend(_quad(s, p, o) for s, p, o in load_ontology())
    for update in _ENTAIL:
        store.update(_RDF_PREFIXES + update)


def _load(store: ox.Store, path: Path) -> None:
    """A file's statements into the default graph of ``store``: parsed straight into it
    (in Rust) for a graph, each quad moved to the default graph for a dataset. A file that
    cannot be read or parsed is an InputError of one line."""
    rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if rdf_format is None:
        raise InputError(f"{path}: not an RDF file extension Oxigraph reads (.nt, .ttl, .nq, .trig, .jsonld …)")
    try:
        if not rdf_format.supports_datasets:
            store.load(path=path, format=rdf_format)
            return
        ontology = ox.NamedNode(ONTOLOGY_GRAPH)
        quads = ox.parse(path=path, format=rdf_format)
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads if q.graph_name != ontology)
    except SyntaxError as error:
        raise InputError(f"{path.name}: {' '.join(str(error).split())}") from None
    except OSError as error:
        raise InputError(f"{path.name}: cannot read: {error.strerror or error}") from None


def _triples(data: Graph | Dataset) -> Iterator[ox.Quad]:
    """The statements of ``data`` as quads of the default graph, the ontology graph left out."""
    if isinstance(data, Dataset):
        for s, p, o, g in data.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, Graph) else g
            if name != ONTOLOGY_GRAPH:
                yield _quad(s, p, o)
    else:
        for s, p, o in data:
            yield _quad(s, p, o)


def _quad(s: Node, p: Node, o: Node) -> ox.Quad:
    return ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]


class _Values:
    """Lookups in the entailed store, each computed once for all nodes: the values of a
    property, the SHACL instances of a class, literals as rdflib terms."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._forward: dict[ox.NamedNode, dict[Term, list[Term]]] = {}
        self._inverse: dict[ox.NamedNode, dict[Term, list[Term]]] = {}
        self._instances: dict[ox.NamedNode, frozenset[Term]] = {}
        self._literals: dict[ox.Literal, Literal] = {}

    def of(self, path: _Path) -> dict[Term, list[Term]]:
        """Each node's values of ``path``."""
        cache = self._inverse if path.inverse else self._forward
        if path.predicate not in cache:
            pairs: dict[Term, list[Term]] = defaultdict(list)
            for quad in self.store.quads_for_pattern(None, path.predicate, None):
                if path.inverse:
                    pairs[quad.object].append(quad.subject)  # type: ignore[index,arg-type]
                else:
                    pairs[quad.subject].append(quad.object)  # type: ignore[index,arg-type]
            cache[path.predicate] = dict(pairs)
        return cache[path.predicate]

    def instances(self, cls: ox.NamedNode) -> frozenset[Term]:
        """The SHACL instances of ``cls``: nodes of rdf:type ``cls`` or a subclass of it."""
        if cls not in self._instances:
            below, todo = {cls}, [cls]
            subclasses = self.of(_Path(_SUBCLASS_OF, inverse=True))
            while todo:
                for sub in subclasses.get(todo.pop(), ()):
                    if sub not in below:
                        below.add(sub)  # type: ignore[arg-type]
                        todo.append(sub)  # type: ignore[arg-type]
            quads = (q for c in below for q in self.store.quads_for_pattern(None, _TYPE, c))
            self._instances[cls] = frozenset(q.subject for q in quads)  # type: ignore[misc]
        return self._instances[cls]

    def literal(self, term: ox.Literal) -> Literal:
        if term not in self._literals:
            self._literals[term] = _rdflib(term)  # type: ignore[assignment]
        return self._literals[term]


_TYPE = ox.NamedNode(RDF.type)
_SUBCLASS_OF = ox.NamedNode(RDFS.subClassOf)


def _rdflib(term: Term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _text(names: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    try:
        return names.namespace_manager.normalizeUri(node)  # type: ignore[arg-type]
    except Exception:
        return str(node)


def _ox_text(names: Graph, term: Term) -> str:
    return _text(names, _rdflib(term))


# --------------------------------------------------------------------------- compiled shapes


@dataclass(frozen=True)
class _Path:
    predicate: ox.NamedNode
    inverse: bool = False


@dataclass(frozen=True)
class _Shape:
    """A node shape (``path`` None: its value node is the focus node itself) or a property
    shape. ``message`` is what its violations say."""

    path: _Path | None
    path_node: Node | None  # the path as written, for the violations' path column
    constraints: tuple[_Constraint, ...]
    properties: tuple[_Shape, ...]
    message: str
    targets: _Targets


@dataclass(frozen=True)
class _Targets:
    classes: tuple[ox.NamedNode, ...] = ()
    subjects_of: tuple[ox.NamedNode, ...] = ()
    objects_of: tuple[ox.NamedNode, ...] = ()
    nodes: tuple[Term, ...] = ()


# A constraint takes each focus node's value nodes and gives one (focus node, message or
# None for the shape's message) per violation.
Failures = list[tuple[Term, str | None]]


@dataclass(frozen=True)
class _Constraint:
    check: Callable[[_Values, dict[Term, list[Term]]], Failures]
    # the value nodes that pass, where that is a known set (sh:class: the instances): a
    # node shape's failing focus nodes are then a set difference
    passing: Callable[[_Values], frozenset[Term]] | None = None
    members: tuple[_Shape, ...] = ()  # the shapes that sh:and, sh:or, sh:qualifiedValueShape … test


def _focus_nodes(values: _Values, shape: _Shape) -> set[Term]:
    targets = shape.targets
    focus: set[Term] = set(targets.nodes)
    for cls in targets.classes:
        focus |= values.instances(cls)
    for predicate in targets.subjects_of:
        focus.update(values.of(_Path(predicate)))
    for predicate in targets.objects_of:
        focus.update(values.of(_Path(predicate, inverse=True)))
    return focus


def _value_nodes(values: _Values, shape: _Shape, focus: Iterable[Term]) -> dict[Term, list[Term]]:
    if shape.path is None:
        return {node: [node] for node in focus}
    pairs = values.of(shape.path)
    return {node: pairs.get(node, []) for node in focus}


def _report(values: _Values, shape: _Shape, focus: Iterable[Term]) -> Iterator[tuple[Term, Node | None, str]]:
    """(focus node, path, message) of each violation of ``shape`` and its property shapes."""
    nodes = _value_nodes(values, shape, focus)
    for constraint in shape.constraints:
        for node, message in constraint.check(values, nodes):
            yield node, shape.path_node, shape.message if message is None else message
    if shape.properties:
        value_nodes = {v for vs in nodes.values() for v in vs}
        for prop in shape.properties:
            yield from _report(values, prop, value_nodes)


def _failing(values: _Values, shape: _Shape, nodes: set[Term]) -> set[Term]:
    """The nodes of ``nodes`` that do not conform to ``shape``: that fail one of its
    constraints or have a value node that fails one of its property shapes."""
    if not nodes:
        return set()
    failing: set[Term] = set()
    checked = shape.constraints
    if shape.path is None:
        for constraint in checked:
            if constraint.passing is not None:
                failing |= nodes - constraint.passing(values)
        checked = tuple(c for c in checked if c.passing is None)
        if not checked and not shape.properties:
            return failing
    value_nodes = _value_nodes(values, shape, nodes)
    failing |= {node for constraint in checked for node, _ in constraint.check(values, value_nodes)}
    if shape.properties:
        every_value = {v for vs in value_nodes.values() for v in vs}
        bad = set().union(*(_failing(values, prop, every_value) for prop in shape.properties))
        failing |= {node for node, vs in value_nodes.items() if not bad.isdisjoint(vs)}
    return failing


# --------------------------------------------------------------------------- constraint components


Test = Callable[[Term], bool]


def _per_value(bind: Callable[[_Values], Test], memo: bool = False) -> _Constraint:
    """A component that each value node passes or fails on its own. ``bind`` makes the test
    for one store; with ``memo``, each distinct value is tested once (the same confidence,
    rule name or offset recurs on most of a corpus's assertions and sentences)."""

    def check(values: _Values, nodes: dict[Term, list[Term]]) -> Failures:
        test = bind(values)
        if memo:
            test = _memoized(test)
        return [(focus, None) for focus, vs in nodes.items() for v in vs if not test(v)]

    return _Constraint(check)


def _memoized(test: Test) -> Test:
    results: dict[Term, bool] = {}

    def memoized(v: Term) -> bool:
        result = results.get(v)
        if result is None:
            result = results[v] = test(v)
        return result

    return memoized


def _per_focus(test: Callable[[list[Term]], bool]) -> _Constraint:
    """A component that each focus node's value nodes pass or fail together."""

    def check(values: _Values, nodes: dict[Term, list[Term]]) -> Failures:
        return [(focus, None) for focus, vs in nodes.items() if not test(vs)]

    return _Constraint(check)


def _class(cls: ox.NamedNode) -> _Constraint:
    def instances(values: _Values) -> frozenset[Term]:
        return values.instances(cls)

    return replace(_per_value(lambda values: instances(values).__contains__), passing=instances)


_XSD_STRING = ox.NamedNode(XSD.string)


def _datatype(datatype: URIRef) -> _Constraint:
    if datatype == RDFS.Literal:  # every literal has it, as in pySHACL
        return _per_value(lambda values: lambda v: isinstance(v, ox.Literal))
    if datatype == RDF.langString:
        return _per_value(lambda values: lambda v: isinstance(v, ox.Literal) and v.language is not None)
    rule = ox.NamedNode(datatype)

    def bind(values: _Values) -> Test:
        def test(v: Term) -> bool:
            if not isinstance(v, ox.Literal) or v.language is not None or v.datatype != rule:
                return False
            # an ill-typed literal ("abc"^^xsd:integer) does not have the datatype it names
            return rule == _XSD_STRING or not values.literal(v).ill_typed

        return test

    return _per_value(bind, memo=rule != _XSD_STRING)


_NODE_KINDS = {
    SH.IRI: (ox.NamedNode,),
    SH.BlankNode: (ox.BlankNode,),
    SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}


def _node_kind(kind: tuple[type, ...]) -> _Constraint:
    return _per_value(lambda values: lambda v: isinstance(v, kind))


def _string(v: Term) -> str | None:
    """The string that sh:pattern and the length components test: a literal's lexical form,
    an IRI; a blank node has none."""
    return None if isinstance(v, ox.BlankNode) else v.value


def _pattern(regex: re.Pattern[str]) -> _Constraint:
    def test(v: Term) -> bool:
        text = _string(v)
        return text is not None and regex.search(text) is not None

    return _per_value(lambda values: test, memo=True)


def _length(bound: int, at_least: bool) -> _Constraint:
    def test(v: Term) -> bool:
        text = _string(v)
        if at_least:
            return bound == 0 or (text is not None and len(text) >= bound)
        return text is not None and len(text) <= bound

    return _per_value(lambda values: test, memo=True)


def _order(a: Literal, b: Literal) -> int | None:
    """-1, 0 or 1 as ``a`` is below, equal to or above ``b``; None when they do not compare
    (a string with a number, a date with a number, an ill-typed literal)."""
    if isinstance(a.value, str) != isinstance(b.value, str):
        return None
    try:
        if a.eq(b):
            return 0
        return 1 if a > b else -1
    except (TypeError, NotImplementedError):
        return None


# sh:minInclusive and the like: which orders of value to bound pass
_RANGES = {SH.minInclusive: (0, 1), SH.minExclusive: (1,), SH.maxInclusive: (-1, 0), SH.maxExclusive: (-1,)}


def _range(bound: Literal, passing: tuple[int, ...]) -> _Constraint:
    def bind(values: _Values) -> Test:
        return lambda v: isinstance(v, ox.Literal) and _order(values.literal(v), bound) in passing

    return _per_value(bind, memo=True)


def _unique_lang(values: _Values, nodes: dict[Term, list[Term]]) -> Failures:
    failures: Failures = []
    for focus, vs in nodes.items():
        langs = Counter(v.language.lower() for v in vs if isinstance(v, ox.Literal) and v.language)
        failures += [(focus, None) for count in langs.values() if count > 1]
    return failures


def _less_than(other: ox.NamedNode) -> _Constraint:
    def comparable(values: _Values, v: Term) -> tuple[bool, object] | None:
        """Whether ``v`` compares as a string, and what compares; None for a blank node. (An
        rdflib Literal is a str too, hence the flag.)"""
        if isinstance(v, ox.Literal):
            literal = values.literal(v)
            return (True, literal.value) if isinstance(literal.value, str) else (False, literal)
        return (True, v.value) if isinstance(v, ox.NamedNode) else None

    def less(a: tuple[bool, object] | None, b: tuple[bool, object] | None) -> bool:
        try:
            return a is not None and b is not None and a[0] == b[0] and a[1] < b[1]  # type: ignore[operator]
        except TypeError:
            return False

    def check(values: _Values, nodes: dict[Term, list[Term]]) -> Failures:
        others = values.of(_Path(other))
        return [
            (focus, None)
            for focus, vs in nodes.items()
            for v in vs
            for w in others.get(focus, ())
            if not less(comparable(values, v), comparable(values, w))
        ]

    return _Constraint(check)


def _counted(values: _Values, nodes: dict[Term, list[Term]], shapes: tuple[_Shape, ...]) -> dict[Term, int]:
    """For each value node, how many of ``shapes`` it conforms to."""
    all_values = {v for vs in nodes.values() for v in vs}
    counts = dict.fromkeys(all_values, len(shapes))
    for shape in shapes:
        for node in _failing(values, shape, all_values):
            counts[node] -= 1
    return counts


def _logical(shapes: tuple[_Shape, ...], passes: Callable[[int, int], bool]) -> _Constraint:
    """sh:and, sh:or, sh:xone and sh:not: each value node passes when the number of
    ``shapes`` it conforms to and their number pass."""

    def check(values: _Values, nodes: dict[Term, list[Term]]) -> Failures:
        counts = _counted(values, nodes, shapes)
        return [(focus, None) for focus, vs in nodes.items() for v in vs if not passes(counts[v], len(shapes))]

    return _Constraint(check, members=shapes)


def _qualified(shape: _Shape, minimum: int | None, maximum: int | None) -> _Constraint:
    def check(values: _Values, nodes: dict[Term, list[Term]]) -> Failures:
        counts = _counted(values, nodes, (shape,))
        failures: Failures = []
        for focus, vs in nodes.items():
            conforming = sum(counts[v] for v in vs)
            if minimum is not None and conforming < minimum:
                failures.append((focus, None))
            if maximum is not None and conforming > maximum:
                failures.append((focus, None))
        return failures

    return _Constraint(check, members=(shape,))


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _value(row: ox.QuerySolution, match: re.Match[str]) -> str:
    """The value of the variable that ``{?name}`` in a message names; unbound, the
    placeholder as written (pySHACL leaves it so too)."""
    value = row[match.group(1)]
    return match.group(0) if value is None else str(value.value)


# string literals, IRIs and comments of a SPARQL query, blanked out before its keywords and
# braces are read (an IRI as SPARQL writes one: no space inside, which ``?a < ?b`` has)
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*"
)
# what makes a group of a query other than its WHERE clause's, or a solution modifier
# that would count the solutions of all focus nodes together
_NOT_BATCHED = re.compile(r"\b(?:SELECT|UNION|OPTIONAL|MINUS|SERVICE|GRAPH|VALUES|LIMIT|OFFSET|GROUP|HAVING)\b")
_EXISTS = re.compile(r"\bEXISTS\s*\{")


def _skeleton(query: str) -> str:
    """``query`` upper-cased, its strings, IRIs and comments blanked out, each character
    where it was."""
    return _OPAQUE.sub(lambda match: " " * len(match.group()), query).upper()


def _projects_this(query: str) -> bool:
    skeleton = _skeleton(query)
    select = re.search(r"\bSELECT\b", skeleton)
    if select is None:
        return False
    projection = re.split(r"\bWHERE\b|\{", skeleton[select.end() :], maxsplit=1)[0]
    return "*" in projection or re.search(r"\?THIS\b", projection) is not None


def _batch_opening(query: str) -> int | None:
    """Where a VALUES block binding ``?this`` to many focus nodes at once can go so that
    each gets the solutions pre-binding gives it alone: after the WHERE clause's ``{``,
    when that clause's only nested groups are FILTER (NOT) EXISTS patterns (which see the
    binding) and no modifier counts solutions across focus nodes; else None."""
    skeleton = _skeleton(query)
    opening = skeleton.find("{")
    if opening < 0 or "EXISTS" in skeleton[:opening]:
        return None
    if len(_NOT_BATCHED.findall(skeleton)) != 1 or skeleton.count("{") != 1 + len(_EXISTS.findall(skeleton)):
        return None
    return opening + 1


def _sparql(query: str, message: str | None) -> _Constraint:
    """An sh:select query (projecting ``?this``) with ``$this`` pre-bound to each focus
    node, as SHACL-SPARQL has it: where :func:`_batch_opening` allows, all IRIs and
    literals at once by a VALUES block opening the WHERE clause (one by one, the entities'
    two-class query cost as much as reading the types of every node), else, and for
    blank nodes, which VALUES cannot list, one query per node with ``?this`` substituted.
    Its solutions are the violations, ``{?var}`` in the message replaced by the solution's
    value."""
    opening = _batch_opening(query)
    this = ox.Variable("this")

    def check(values: _Values, nodes: dict[Term, list[Term]]) -> Failures:
        batched = [] if opening is None else [n for n in nodes if not isinstance(n, ox.BlankNode)]
        runs = []
        if batched:
            listed = " ".join(map(str, batched))
            runs.append(values.store.query(f"{query[:opening]}\nVALUES ?this {{ {listed} }}\n{query[opening:]}"))
        alone = nodes.keys() - set(batched)
        runs += [values.store.query(query, substitutions={this: node}) for node in alone]
        failures: Failures = []
        for solutions in runs:
            assert isinstance(solutions, ox.QuerySolutions)
            for row in solutions:
                focus = row[this]
                if focus in nodes:
                    text = None if message is None else _PLACEHOLDER.sub(partial(_value, row), message)
                    failures.append((focus, text))
        return failures

    return _Constraint(check)


# --------------------------------------------------------------------------- reading the shapes

# sh: terms on a shape that do not constrain anything
_NON_VALIDATING = frozenset({SH.name, SH.description, SH.order, SH.group, SH.defaultValue})
_TARGETS = frozenset({SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode})
_COMPONENTS = frozenset(
    {
        SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.pattern, SH.flags,
        SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
        SH.uniqueLang, SH.lessThan, SH["and"], SH["or"], SH["not"], SH.xone, SH.property,
        SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.sparql,
    }
)  # fmt: skip
_KNOWN = _NON_VALIDATING | _TARGETS | _COMPONENTS | {SH.path, SH.message}
_SHAPE_TYPES = (SH.NodeShape, SH.PropertyShape)


_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
_LOGICAL: tuple[tuple[URIRef, Callable[[int, int], bool]], ...] = (
    (SH["and"], lambda conforming, members: conforming == members),
    (SH["or"], lambda conforming, members: conforming > 0),
    (SH.xone, lambda conforming, members: conforming == 1),
)


def _key(node: Node) -> tuple[str, str]:
    return type(node).__name__, str(node)


class _Compiler:
    """Reads shapes into _Shape trees; raises ShapesError for what it cannot check."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self._stack: list[Node] = []  # the shapes being read, outermost first

    def fail(self, what: str) -> ShapesError:
        named = [n for n in self._stack if isinstance(n, URIRef)]
        where = self.label(named[-1]) if named else "a blank node shape"
        if named and named[-1] != self._stack[-1]:
            where += " (in a blank node shape under it)"
        return ShapesError(f"shape {where}: {what}; kg.validate cannot check it, so rewrite the shape")

    def label(self, node: Node) -> str:
        return node.n3(self.shapes.namespace_manager)

    def objects(self, node: Node, term: URIRef) -> list[Node]:
        return sorted(self.shapes.objects(node, term), key=_key)  # type: ignore[arg-type]

    def sh_terms(self, node: Node) -> set[URIRef]:
        """The terms of the SHACL vocabulary that ``node`` has values of."""
        return {p for p in self.shapes.predicates(node) if isinstance(p, URIRef) and p.startswith(SH)}  # type: ignore[arg-type]

    def has(self, node: Node, term: URIRef) -> bool:
        return (node, term, None) in self.shapes

    def one(self, node: Node, term: URIRef) -> Node | None:
        values = self.objects(node, term)
        if len(values) > 1:
            raise self.fail(f"more than one {self.label(term)}")
        return values[0] if values else None

    def literal(self, node: Node, term: URIRef, kind: type) -> object:
        value = self.one(node, term)
        if not isinstance(value, Literal) or not isinstance(value.value, kind):
            raise self.fail(f"{self.label(term)} must be one {kind.__name__} literal")
        return value.value

    def number(self, node: Node, term: URIRef) -> int | None:
        return self.literal(node, term, int) if self.has(node, term) else None  # type: ignore[return-value]

    def members(self, node: Node, term: URIRef) -> tuple[_Shape, ...]:
        head = self.one(node, term)
        if head is None or (head != RDF.nil and not self.has(head, RDF.first)):
            raise self.fail(f"{self.label(term)} that is not an RDF list of shapes")
        return tuple(self.shape(member, reporting=False) for member in Collection(self.shapes, head))  # type: ignore[arg-type]

    def path(self, node: Node) -> tuple[_Path, Node] | None:
        path = self.one(node, SH.path)
        if path is None:
            return None
        if isinstance(path, URIRef):
            return _Path(ox.NamedNode(path)), path
        inverse = self.one(path, SH.inversePath)
        if isinstance(inverse, URIRef) and set(self.shapes.predicates(path)) == {SH.inversePath}:  # type: ignore[arg-type]
            return _Path(ox.NamedNode(inverse), inverse=True), path
        raise self.fail("a path that is neither an IRI nor sh:inversePath of an IRI")

    def shape(self, node: Node, reporting: bool) -> _Shape:
        """``node`` as a shape. A ``reporting`` one's violations are reported, so it needs
        its message; another one is only tested for conformance (in sh:or and the like)."""
        if node in self._stack:
            raise self.fail("a shape that refers to itself")
        self._stack.append(node)
        try:
            return self._shape(node, reporting)
        finally:
            self._stack.pop()

    def _shape(self, node: Node, reporting: bool) -> _Shape:
        for term in sorted(self.sh_terms(node)):
            if term not in _KNOWN:
                raise self.fail(f"the constraint or parameter {self.label(term)}")
        if (node, RDF.type, RDFS.Class) in self.shapes:
            raise self.fail("an implicit class target (the shape is also an rdfs:Class)")
        path = self.path(node)
        constraints = self.constraints(node, path is not None)
        properties = tuple(self.shape(prop, reporting) for prop in self.objects(node, SH.property))
        messages = self.objects(node, SH.message)
        if len(messages) > 1:
            raise self.fail("more than one sh:message")
        if reporting and constraints and not messages:
            raise self.fail("no sh:message, which is what its violations say")
        return _Shape(
            path[0] if path else None,
            path[1] if path else None,
            constraints,
            properties,
            str(messages[0]) if messages else "",
            self.targets(node),
        )

    def targets(self, node: Node) -> _Targets:
        def iris(term: URIRef) -> tuple[ox.NamedNode, ...]:
            objects = self.objects(node, term)
            if not all(isinstance(o, URIRef) for o in objects):
                raise self.fail(f"{self.label(term)} that is not an IRI")
            return tuple(ox.NamedNode(o) for o in objects)  # type: ignore[arg-type]

        nodes = tuple(to_oxigraph(o) for o in self.objects(node, SH.targetNode))
        return _Targets(iris(SH.targetClass), iris(SH.targetSubjectsOf), iris(SH.targetObjectsOf), nodes)

    def constraints(self, node: Node, has_path: bool) -> tuple[_Constraint, ...]:
        constraints = []
        for cls in self.objects(node, SH["class"]):
            if not isinstance(cls, URIRef):
                raise self.fail("sh:class that is not an IRI")
            constraints.append(_class(ox.NamedNode(cls)))
        for datatype in self.objects(node, SH.datatype):
            if not isinstance(datatype, URIRef):
                raise self.fail("sh:datatype that is not an IRI")
            constraints.append(_datatype(datatype))
        for kind in self.objects(node, SH.nodeKind):
            if kind not in _NODE_KINDS:
                raise self.fail(f"sh:nodeKind {self.label(kind)}")
            constraints.append(_node_kind(_NODE_KINDS[kind]))  # type: ignore[index]
        least, most = self.number(node, SH.minCount), self.number(node, SH.maxCount)
        if (least is not None or most is not None) and not has_path:
            raise self.fail("sh:minCount or sh:maxCount without sh:path")
        if least is not None:
            constraints.append(_per_focus(lambda vs: len(vs) >= least))
        if most is not None:
            constraints.append(_per_focus(lambda vs: len(vs) <= most))
        if self.has(node, SH.pattern):
            flags = str(self.one(node, SH.flags) or "")
            if set(flags) - set(_FLAGS):
                raise self.fail(f"sh:flags {flags!r}")
            regex = re.compile(str(self.literal(node, SH.pattern, str)), sum(_FLAGS[f] for f in set(flags)))
            constraints.append(_pattern(regex))
        for term, at_least in ((SH.minLength, True), (SH.maxLength, False)):
            length = self.number(node, term)
            if length is not None:
                constraints.append(_length(length, at_least))
        for term, passing in _RANGES.items():
            for bound in self.objects(node, term):
                if not isinstance(bound, Literal):
                    raise self.fail(f"{self.label(term)} that is not a literal")
                constraints.append(_range(bound, passing))
        if self.has(node, SH.uniqueLang) and self.literal(node, SH.uniqueLang, bool):
            if not has_path:
                raise self.fail("sh:uniqueLang without sh:path")
            constraints.append(_Constraint(_unique_lang))
        for other in self.objects(node, SH.lessThan):
            if not isinstance(other, URIRef) or not has_path:
                raise self.fail("sh:lessThan that is not an IRI or has no sh:path")
            constraints.append(_less_than(ox.NamedNode(other)))
        constraints += self.logical(node)
        constraints += self.qualified(node, has_path)
        for query in self.objects(node, SH.sparql):
            if has_path:
                raise self.fail("sh:sparql on a property shape")
            constraints.append(self.sparql(node, query))
        return tuple(constraints)

    def logical(self, node: Node) -> list[_Constraint]:
        constraints = []
        for term, passes in _LOGICAL:
            if self.has(node, term):
                constraints.append(_logical(self.members(node, term), passes))
        negated = self.one(node, SH["not"])
        if negated is not None:
            constraints.append(_logical((self.shape(negated, reporting=False),), lambda conforming, _: conforming == 0))
        return constraints

    def qualified(self, node: Node, has_path: bool) -> list[_Constraint]:
        qualified = self.one(node, SH.qualifiedValueShape)
        minimum, maximum = self.number(node, SH.qualifiedMinCount), self.number(node, SH.qualifiedMaxCount)
        if qualified is None:
            if minimum is not None or maximum is not None:
                raise self.fail("sh:qualifiedMinCount or sh:qualifiedMaxCount without sh:qualifiedValueShape")
            return []
        if not has_path or (minimum is None and maximum is None):
            raise self.fail("sh:qualifiedValueShape without sh:path or without a qualified count")
        return [_qualified(self.shape(qualified, reporting=False), minimum, maximum)]

    def sparql(self, node: Node, constraint: Node) -> _Constraint:
        shapes = self.shapes
        select = self.one(constraint, SH.select)
        if self.sh_terms(constraint) - {SH.select, SH.prefixes, SH.message} or select is None:
            raise self.fail("an sh:sparql constraint that is not one sh:select with sh:prefixes and sh:message")
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for p in self.objects(constraint, SH.prefixes)
            for d in self.objects(p, SH.declare)
        )
        message = self.one(constraint, SH.message) or self.one(node, SH.message)
        query = prefixes + str(select).replace("$this", "?this")
        if not _projects_this(query):
            raise self.fail("an sh:select that does not project $this, the focus node its solutions report")
        return _sparql(query, None if message is None else str(message))


def _compile(shapes: Graph) -> list[_Shape]:
    """The shapes of ``shapes`` that have targets, each with the shapes it refers to."""
    compiler = _Compiler(shapes)
    targeted = {s for term in _TARGETS for s in shapes.subjects(term, None)}
    typed = {s for kind in _SHAPE_TYPES for s in shapes.subjects(RDF.type, kind)}
    for shape in sorted(typed - targeted, key=_key):  # read for what it uses even when nothing refers to it
        compiler.shape(shape, reporting=False)
    return [compiler.shape(shape, reporting=True) for shape in sorted(targeted, key=_key)]


# --------------------------------------------------------------------------- in parts


def _nt(iri: URIRef) -> bytes:
    return nt_iri(iri).encode("utf-8")


# statements that change what the RDFS rules entail: data that holds them is checked whole
_SCHEMA_PREDICATES = frozenset(_nt(p) for p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range))
_TYPE_TEXT = _nt(RDF.type)
_OTHER_PARTS = b"<urn:kg:validate:other-parts>"  # the graph of the types copied from other parts
# in an IRI, the start of a \u or \U escape: a node is given to its unit, and a violation
# back to the unit, by its N-Triples text, which Oxigraph writes unescaped
_ESCAPE = b"\\"
# the statements fall by subject into this many units, each with a hash of what its
# check reads, so that a unit an earlier check passed need not be checked again
_UNITS = 2048


class _NotInParts(Exception):
    """The data cannot be checked in parts exactly: check it whole."""


def _unit_of(node: bytes) -> int:
    """The unit of a node, given in N-Triples."""
    return zlib.crc32(node) % _UNITS


def _local(shape: _Shape, on_focus: bool = True) -> bool:
    """Whether ``shape`` reads nothing but its focus nodes' own statements and the types
    of their values: no path is followed from a value node, none backwards."""
    if shape.path is not None:
        if not on_focus or shape.path.inverse:
            return False
        on_focus = False
    members = [m for c in shape.constraints for m in c.members] + list(shape.properties)
    return all(_local(member, on_focus) for member in members)


@dataclass(frozen=True)
class _Effects:
    """What a statement with one predicate entails about types, by rules rdfs7, rdfs2
    and rdfs3 (rdfs9, superclasses: :meth:`_Schema.with_superclasses`)."""

    object_is_class: bool  # the predicate is rdf:type or a subproperty of it
    subject_classes: tuple[bytes, ...]
    object_classes: tuple[bytes, ...]


class _Schema:
    def __init__(self, ontology: Graph) -> None:
        self._supers = _pairs(ontology, RDFS.subPropertyOf)
        self._domains = _pairs(ontology, RDFS.domain)
        self._ranges = _pairs(ontology, RDFS.range)
        self._superclasses = _superclasses(ontology)
        self._closed: dict[frozenset[bytes], tuple[bytes, ...]] = {}
        self.known: dict[bytes, _Effects] = {}  # by predicate, as met

    def _closure(self, predicate: bytes) -> set[bytes]:
        seen, todo = {predicate}, [predicate]
        while todo:
            for sup in self._supers.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen

    def with_superclasses(self, classes: frozenset[bytes]) -> tuple[bytes, ...]:
        """``classes`` and every class above them (rule rdfs9), as the store would add."""
        closed = self._closed.get(classes)
        if closed is None:
            closed = self._closed[classes] = tuple(
                sorted(classes.union(*(self._superclasses.get(c, ()) for c in classes)))
            )
        return closed

    def effects(self, predicate: bytes) -> _Effects:
        found = self.known.get(predicate)
        if found is None:
            if predicate in _SCHEMA_PREDICATES or _ESCAPE in predicate:
                raise _NotInParts
            closure = self._closure(predicate)
            found = self.known[predicate] = _Effects(
                _TYPE_TEXT in closure,
                tuple(sorted({c for q in closure for c in self._domains.get(q, ())})),
                tuple(sorted({c for q in closure for c in self._ranges.get(q, ())})),
            )
        return found


def _pairs(ontology: Graph, predicate: URIRef) -> dict[bytes, set[bytes]]:
    """The ontology's ``predicate`` statements between IRIs, in N-Triples. A blank node
    (an OWL class expression, such as the union that is the range of kgo:organizer) is
    left out: a type that is a blank node is no class a bundled shape targets or tests."""
    pairs: dict[bytes, set[bytes]] = defaultdict(set)
    for subject, obj in ontology.subject_objects(predicate):
        if isinstance(subject, URIRef) and isinstance(obj, URIRef):
            pairs[_nt(subject)].add(_nt(obj))
    return pairs


def _superclasses(ontology: Graph) -> dict[bytes, frozenset[bytes]]:
    """Each class IRI's superclass IRIs (rdfs:subClassOf+), through blank nodes too."""
    above: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        above[sub].add(sup)
    closure: dict[bytes, frozenset[bytes]] = {}
    for cls in above:
        if not isinstance(cls, URIRef):
            continue
        seen: set[Node] = set()
        todo = list(above[cls])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(above.get(node, ()))
        closure[_nt(cls)] = frozenset(_nt(n) for n in seen if isinstance(n, URIRef))
    return closure


@dataclass(frozen=True)
class _Part:
    """A file of statements to check in a store of its own, and the units whose focus
    nodes it checks (the other nodes it holds are there for their types)."""

    path: Path
    units: frozenset[int]


@functools.cache
def _fingerprint() -> bytes:
    """What a unit's result depends on besides the unit: the shapes, the ontology, the
    code that checks them (and turns the ontology into the store's quads), the libraries
    it uses and Python (``sh:pattern`` is Python's ``re``)."""
    digest = hashlib.sha256()
    kg = Path(__file__).resolve().parent
    sources = [
        *sorted(SHAPES_PATH.parent.glob("*.ttl")),
        *(kg / name for name in ("validate.py", "ontology.py", "ns.py", "export.py")),
    ]
    for source in sources:
        digest.update(source.name.encode("utf-8") + b"\0" + source.read_bytes() + b"\0")
    versions = " ".join(f"{name} {metadata.version(name)}" for name in ("pyoxigraph", "rdflib"))
    digest.update(f"{versions} python {sys.version_info[:2]} units {_UNITS}".encode())
    return digest.digest()


class _Reading:
    """What one reading of an N-Triples file learns, unit by unit: the types the RDFS rules
    give each node (rules rdfs7, rdfs2 and rdfs3; rdfs9 when copied), the nodes each unit's
    statements name, how many statements each unit has and, when hashing, a digest of them.
    The file is read as bytes: N-Triples is UTF-8, and the text is only copied and hashed."""

    def __init__(self, hashing: bool) -> None:
        self.schema = _Schema(load_ontology())
        self.types: dict[bytes, set[bytes]] = defaultdict(set)
        self.named: list[set[bytes]] = [set() for _ in range(_UNITS)]
        self.lines = [0] * _UNITS
        self.digests = [hashlib.sha256(_fingerprint()) for _ in range(_UNITS)] if hashing else []
        self.nodes: dict[bytes, bytes] = {}  # every node the statements name, one object each

    def read(self, path: Path, streams: list[BinaryIO] | None) -> None:
        """Read ``path``; with ``streams``, write each statement to its unit's stream."""
        known, effects_of, types, node_of = self.schema.known, self.schema.effects, self.types, self.nodes.setdefault
        run: list[bytes] = []  # a subject's statements mostly come together: handled as one
        last, unit, names = b"", 0, self.named[0]
        with path.open("rb") as lines:
            for line in lines:
                if not line.startswith(b"<") or not line.endswith(b" .\n"):
                    raise _NotInParts  # a blank node subject, a comment: not what kg writes
                subject, predicate, obj = line[:-3].split(b" ", 2)
                if subject != last:
                    if _ESCAPE in subject:
                        raise _NotInParts
                    self._keep(unit, run, streams)
                    run = []
                    last = subject = node_of(subject, subject)
                    unit = _unit_of(subject)
                    names = self.named[unit]
                run.append(line)
                effects = known.get(predicate) or effects_of(predicate)
                if effects.subject_classes:
                    types[subject].update(effects.subject_classes)
                if obj.startswith(b"<"):
                    if _ESCAPE in obj:
                        raise _NotInParts
                    obj = node_of(obj, obj)
                    names.add(obj)
                    if effects.object_is_class:
                        types[subject].add(obj)
                    if effects.object_classes:
                        types[obj].update(effects.object_classes)
                elif obj.startswith(b"_:"):
                    raise _NotInParts
        self._keep(unit, run, streams)

    def _keep(self, unit: int, run: list[bytes], streams: list[BinaryIO] | None) -> None:
        if not run:
            return
        text = b"".join(run)
        self.lines[unit] += len(run)
        if self.digests:
            self.digests[unit].update(text)
        if streams is not None:
            streams[unit].write(text)

    @functools.cached_property
    def _home(self) -> dict[bytes, int]:
        """The unit of every node with a type."""
        return {node: _unit_of(node) for node in self.types}

    def add_graph(self, key: str, reading: GraphReading) -> None:
        """A document graph's statements as the next unit (:class:`_DocumentGraphs`): its
        hash made of the hash ``key`` of its text; the types it gives other nodes."""
        self.lines.append(reading.lines)
        self.named.append(set(reading.named))
        if self.digests:
            self.digests.append(hashlib.sha256(_fingerprint() + key.encode("ascii")))
        for node, classes in reading.types:
            self.types[node].update(classes)

    def hashes(self) -> tuple[str, ...]:
        """Each unit's hash: of its statements in the order read (of a document graph's
        unit, of its text's hash), of the types of the nodes that belong to it and of the
        types of the nodes it names (each set of typed nodes as the sum of their types'
        digests, which no order changes)."""
        own, home = [0] * len(self.digests), self._home
        typed: dict[bytes, int] = {}
        for node, classes in self.types.items():
            typed[node] = value = int.from_bytes(
                hashlib.sha256(node + b" " + b" ".join(sorted(classes))).digest(), "big"
            )
            own[home[node]] += value
        hashes = []
        for unit, statements in enumerate(self.digests):
            seen = sum(map(typed.__getitem__, self.named[unit] & typed.keys()))
            digest = statements.copy()
            digest.update(b"%x %x" % (own[unit] % 2**256, seen % 2**256))
            hashes.append(digest.hexdigest())
        return tuple(hashes)

    def write_types(self, parts: list[tuple[BinaryIO, frozenset[int]]]) -> None:
        """Into each part, the types of the nodes that belong to its units and, in a graph
        of their own that the sh:sparql queries (default graph only) do not read, those of
        every other node its units name, closed under rdfs9 here."""
        stream_of = {unit: stream for stream, units in parts for unit in units}
        home, types = self._home, self.types
        for node, classes in types.items():
            stream = stream_of.get(home[node])
            if stream is not None:
                stream.write(b"".join([node + _typing(cls, b"") for cls in classes]))
        closed = self.schema.with_superclasses
        for stream, units in parts:
            for node in set().union(*(self.named[unit] for unit in units)) & home.keys():
                if home[node] not in units:
                    copied = closed(frozenset(types[node]))
                    stream.write(b"".join([node + _typing(cls, _OTHER_PARTS) for cls in copied]))


@functools.cache
def _typing(cls: bytes, graph: bytes) -> bytes:
    """What follows a node in an N-Quads statement of its type ``cls`` in ``graph`` (b"":
    the default graph)."""
    return b" %s %s%s .\n" % (_TYPE_TEXT, cls, b" " + graph if graph else b"")


# a statement as kg writes it: the subject, an IRI between <> (so that a part's check can
# read it back from the text); the predicate; the object; " ." (the object may hold spaces,
# not a line break: N-Triples escapes those)
_STATEMENT = re.compile(rb"^(<[^<> \n]*>) ([^ \n]*) ([^\n]*) \.$", re.MULTILINE)


def _read_graph(text: bytes, schema: _Schema, intern: Callable[[bytes], bytes]) -> GraphReading:
    """What a check reads of a document graph's statements besides their text; each node
    it names as ``intern`` gives it (one object for one IRI, whatever graph names it)."""
    statements = _STATEMENT.findall(text)  # in C: 4.2 -> 3.7 s for 10,000 graphs against splitting each line in Python
    if len(statements) != text.count(b"\n") or (text and not text.endswith(b"\n")) or b"\r" in text:
        raise _NotInParts  # a line that is not a statement with an IRI subject
    own = {subject for subject, _, _ in statements}
    # of a schema statement, an escaped predicate: _NotInParts
    effects = {predicate: schema.effects(predicate) for predicate in {p for _, p, _ in statements}}
    named: set[bytes] = set()
    types: dict[bytes, set[bytes]] = defaultdict(set)
    for _, predicate, obj in statements:
        if obj.startswith(b"<"):
            named.add(obj)
            if classes := effects[predicate].object_classes:
                types[obj].update(classes)
        elif obj.startswith(b"_:"):
            raise _NotInParts
    if any(_ESCAPE in node for node in own) or any(_ESCAPE in node for node in named):
        raise _NotInParts
    # the types of its own nodes come from its own statements, in the store that checks them
    given = tuple(sorted((intern(node), tuple(sorted(classes))) for node, classes in types.items() if node not in own))
    return GraphReading(len(statements), tuple(sorted(own)), tuple(sorted(map(intern, named - own))), given)


class _DocumentGraphs:
    """The document graphs of :class:`BuildStatements`: unit ``_UNITS + n`` holds the n-th
    one's statements. Each is read, or its reading taken from ``known`` by the hash of its
    text (with :func:`_fingerprint`), and added to a :class:`_Reading`."""

    def __init__(self, source: BuildStatements, known: Mapping[str, GraphReading]) -> None:
        self.source = source
        self.known = known
        self.readings: dict[str, GraphReading] = {}  # this check's, by the hash of the text
        self._named: dict[bytes, bytes] = {}  # the nodes graphs name that the knowledge graph does not
        self._own: dict[bytes, int] = {}  # each node a graph is about: its unit

    def read(self, reading: _Reading, streams: Mapping[int, BinaryIO] | None) -> None:
        """Read the graphs into ``reading``, which has read the shared statements (with
        ``streams``, each graph written to its unit's stream), and check that each graph's
        nodes are its own: else :class:`_NotInParts`."""

        def intern(node: bytes) -> bytes:
            found = reading.nodes.get(node)
            return found if found is not None else self._named.setdefault(node, node)

        made_of = self.source.keys or ("",) * len(self.source.lengths)
        with self.source.graphs.open("rb") as file:
            if os.fstat(file.fileno()).st_size != sum(self.source.lengths):
                raise _NotInParts  # not the file the lengths are of
            offset = 0
            for (unit, length), made in zip(enumerate(self.source.lengths, start=_UNITS), made_of, strict=True):
                text = None
                digest = hashlib.sha256(_fingerprint())
                if made:
                    digest.update(b"made of " + made.encode("ascii"))
                else:
                    file.seek(offset)
                    text = file.read(length)
                    digest.update(text)  # not the text copied behind the fingerprint
                key = digest.hexdigest()
                found = self.readings.get(key) or self.known.get(key)
                if found is None or streams is not None:
                    if text is None:
                        file.seek(offset)
                        text = file.read(length)
                    found = found or _read_graph(text, reading.schema, intern)
                offset += length
                self.readings[key] = found
                reading.add_graph(key, found)
                for node in found.own:
                    if self._own.setdefault(node, unit) != unit:
                        raise _NotInParts  # two graphs have statements about one node
                if streams is not None and (stream := streams.get(unit)) is not None:
                    assert text is not None
                    stream.write(text)
        named = reading.named
        if not self._own.keys().isdisjoint(reading.nodes) or any(
            not self._own.keys().isdisjoint(named[unit]) for unit in range(_UNITS, len(named))
        ):
            raise _NotInParts  # the knowledge graph or another graph names a graph's own node

    def copy(self, streams: Mapping[int, BinaryIO]) -> None:
        """Each graph whose unit has a stream to that stream."""
        with self.source.graphs.open("rb") as file:
            offset = 0
            for unit, length in enumerate(self.source.lengths, start=_UNITS):
                if (stream := streams.get(unit)) is not None:
                    file.seek(offset)
                    stream.write(file.read(length))
                offset += length

    def units_of(self, node: str) -> set[int]:
        """The unit of the graph that is about ``node`` (in N-Triples); should the node not
        be known, every graph's unit, so that none is taken to have passed."""
        unit = self._own.get(node.encode("utf-8"))
        return set(range(_UNITS, _UNITS + len(self.source.lengths))) if unit is None else {unit}


def _split(
    source: Path | BuildStatements,
    parts: int,
    folder: Path,
    passed: Set[str] | None = None,
    known: Mapping[str, GraphReading] | None = None,
) -> tuple[list[_Part], tuple[str, ...], _DocumentGraphs | None]:
    """The part files to check, every unit's hash (none when ``passed`` is None) and, of
    :class:`BuildStatements`, their document graphs as read.

    Each statement of the N-Triples file (of BuildStatements, the shared ones) goes to the
    unit of its subject, each document graph's statements to a unit of their own, and the
    units into parts: into ``parts`` parts all of them, or, when ``passed`` holds hashes of
    units known to pass, only the units whose hash it does not hold, into as many parts as
    their share of the statements needs (written in a second reading). Into each part then
    go the types of every node that belongs to it and of every node its statements name,
    as the RDFS rules entail them from all the statements; a document graph's statements go
    into a file of their own beside the part's (:func:`_own_file`)."""
    reading = _Reading(hashing=passed is not None)
    shared = source if isinstance(source, Path) else source.shared
    graphs = _DocumentGraphs(source, known or {}) if isinstance(source, BuildStatements) else None
    units = _UNITS + (len(graphs.source.lengths) if graphs else 0)
    checked = list(range(units))
    hashes: tuple[str, ...] = ()
    parts = min(parts, units)
    if passed:
        reading.read(shared, None)
        if graphs:
            graphs.read(reading, None)
        hashes = reading.hashes()
        checked = [unit for unit in checked if hashes[unit] not in passed]
        if not checked:
            return [], hashes, graphs
        share = sum(reading.lines[unit] for unit in checked) / max(1, sum(reading.lines))
        parts = min(len(checked), max(1, math.ceil(parts * share)))
    layout = [frozenset(checked[k::parts]) for k in range(parts)]
    files = [folder / f"part-{k}.nq" for k in range(parts)]
    streams = [file.open("wb") for file in files]
    own_streams = [_own_file(file).open("wb") for file in files] if graphs else []
    try:
        stream_of = {unit: stream for stream, part in zip(streams, layout, strict=True) for unit in part}
        own_of = {unit: stream for stream, part in zip(own_streams, layout, strict=False) for unit in part}
        if passed:
            _copy_units(shared, stream_of)
            if graphs:
                graphs.copy(own_of)
        else:  # every unit is checked
            reading.read(shared, [stream_of[unit] for unit in range(_UNITS)])
            if graphs:
                graphs.read(reading, own_of)
            hashes = reading.hashes() if passed is not None else ()
        reading.write_types(list(zip(streams, layout, strict=True)))
    finally:
        for stream in streams + own_streams:
            stream.close()
    return [_Part(file, units) for file, units in zip(files, layout, strict=True)], hashes, graphs


def _own_file(part: Path) -> Path:
    """The file of the document graphs' statements beside a part's file."""
    return part.with_name(part.stem + ".own.nt")


def _copy_units(path: Path, streams: Mapping[int, BinaryIO]) -> None:
    """Each statement of ``path`` whose subject's unit has a stream to that stream."""
    last, stream = b"", None
    with path.open("rb") as lines:
        for line in lines:
            subject = line[: line.index(b" ")]
            if subject != last:
                last, stream = subject, streams.get(_unit_of(subject))
            if stream is not None:
                stream.write(line)


@functools.cache
def _bundled_shapes() -> list[_Shape]:
    """``ontology/shapes.ttl`` compiled, once per process."""
    return _compile(load_shapes())


def _check_part(path: Path, units: frozenset[int]) -> list[tuple[int | str, Violation]]:
    """The violations of the focus nodes that belong to ``units``, each with its unit, or,
    of a node a document graph of the part is about, the node in N-Triples (its unit
    known to :class:`_DocumentGraphs`)."""
    store = ox.Store()
    store.load(path=path, format=ox.RdfFormat.N_QUADS)
    own: set[Term] = set()
    if (graphs := _own_file(path)).exists():
        store.load(path=graphs, format=ox.RdfFormat.N_TRIPLES)
        # the subjects' text is their IRI between <>, unescaped (else the split gave no parts):
        # read so, half the time of Oxigraph's parsing into Python objects
        subjects = {line[: line.index(b" ")] for line in graphs.read_bytes().splitlines()}
        own = {ox.NamedNode(subject[1:-1].decode("utf-8")) for subject in subjects}
    _entail(store)
    values = _Values(store)
    names = Graph()
    violations: list[tuple[int | str, Violation]] = []
    for shape in _bundled_shapes():
        focus: dict[Term, int | str] = {}
        for node in _focus_nodes(values, shape):
            if node in own:
                focus[node] = str(node)
            elif (unit := _home(node)) in units:
                focus[node] = unit
        violations += [
            (focus[f], Violation(_ox_text(names, f), _text(names, p), m)) for f, p, m in _report(values, shape, focus)
        ]
    return violations


def _home(node: Term) -> int:
    """A node's unit. A literal (a focus node only through sh:targetNode) has no
    statements: unit 0 checks it."""
    return 0 if isinstance(node, ox.Literal) else _unit_of(str(node).encode("utf-8"))


def _validate_in_parts(
    path: Path | BuildStatements,
    parts: int,
    workers: int,
    before_checking: Callable[[], object] | None = None,
    passed: Set[str] | None = None,
    known: Mapping[str, GraphReading] | None = None,
    progress: bool = False,
) -> ValidationResult | None:
    """``path`` (N-Triples, or a build's statements) checked against the bundled shapes in
    ``parts`` parts, or None where that would not give the same result as checking it
    whole.

    A statement goes to the unit of its subject (a hash of its N-Triples text), units go
    into parts, and a focus node is checked in the part of its unit, which therefore holds
    all its statements. What else a shape reads of other nodes is their types (sh:class):
    those are computed from the whole file first (rules rdfs7, rdfs2, rdfs3, then rdfs9)
    and copied into every part whose statements name the node, in a graph the
    ``sh:sparql`` queries do not read (a type that is a blank node, an OWL class
    expression, is not copied: no bundled shape tests one). Exact when no shape follows a
    path from a value node or backwards (checked here), when the data holds no schema
    statement and no blank node (checked while splitting), and when each ``sh:sparql``
    query reads only the focus node's own statements, types and the ontology, as the
    bundled shapes' two queries do: hence the bundled shapes only.

    So a unit's result depends on nothing but its statements, the types of its nodes and
    of the nodes it names, and the shapes and ontology: what its hash covers
    (:meth:`_Reading.hashes`). With ``passed``, the hashes of units an earlier check
    found without violations, those units are not checked again.

    Of :class:`BuildStatements`, each document graph's statements are a unit: all the
    statements about its nodes (checked while splitting: no other graph, nor the knowledge
    graph, names them), so its nodes are checked in its part, with the types of the other
    nodes it names; its hash covers its text (by the hash of it) and those types. What was
    read of a graph (``known``, by the hash of its text) is not read again.
    """
    if not all(_local(shape) and not shape.targets.objects_of for shape in _bundled_shapes()):
        return None
    if isinstance(path, BuildStatements) and any(
        isinstance(node, ox.NamedNode) for shape in _bundled_shapes() for node in shape.targets.nodes
    ):
        return None  # a node targeted by name would be checked in its hash's part too, were it a graph's own
    with tempfile.TemporaryDirectory(prefix="kg-validate-") as folder:
        try:
            with stage("reading the statements", progress):
                checked, hashes, graphs = _split(path, parts, Path(folder), passed, known)
        except _NotInParts:
            return None
        if before_checking is not None:
            before_checking()
        with bar("validating", len(checked), "part", progress) as shown:
            if workers <= 1 or len(checked) <= 1:
                found = []
                for part in checked:
                    found += _check_part(part.path, part.units)
                    shown.update(1)
            else:
                found = _in_processes(checked, min(workers, len(checked)), Path(folder), shown)
        failed = {failed for unit, _ in found for failed in _failed_units(unit, graphs)}
        passing = tuple(digest for unit, digest in enumerate(hashes) if unit not in failed)
        skipped = len(hashes) - sum(len(part.units) for part in checked) if hashes else 0
        result = _result([violation for _, violation in found], passing, skipped)
        return replace(result, readings=graphs.readings) if graphs else result


def _failed_units(unit: int | str, graphs: _DocumentGraphs | None) -> set[int]:
    """The unit of a violation as a part's check gives it (:func:`_check_part`)."""
    if isinstance(unit, int):
        return {unit}
    assert graphs is not None  # only document graphs' nodes are given by name
    return graphs.units_of(unit)


def _in_processes(parts: list[_Part], workers: int, folder: Path, shown: tqdm) -> list[tuple[int | str, Violation]]:
    """The violations of ``parts``, checked by ``workers`` new Python processes
    (:mod:`kg.process`), each taking every ``workers``-th part; ``shown`` counts the parts
    they have checked (each marks its part's file so when done)."""
    outputs = [folder / f"violations-{n}.jsonl" for n in range(workers)]
    processes: list[Process] = []
    try:
        for n, output in enumerate(outputs):
            mine = []
            for part in parts[n::workers]:
                _units_file(part.path).write_text(" ".join(map(str, sorted(part.units))), encoding="ascii")
                mine.append(str(part.path))
            with output.open("wb") as stdout:
                processes.append(start("a validation worker process", _part_worker, mine, stdout=stdout))
        while any(process.running() for process in processes):
            for process in processes:
                if not process.running():
                    process.wait()  # one that failed raises now, not once the others are done
            if checked := sum(_checked_mark(part.path).exists() for part in parts) - shown.n:
                shown.update(checked)
            time.sleep(_POLL_SECONDS)
        for process in processes:
            process.wait()
        shown.update(len(parts) - shown.n)
    finally:
        for process in processes:
            process.stop()
    found = [json.loads(line) for output in outputs for line in output.read_text("ascii").splitlines()]
    return [(unit, Violation(*violation)) for unit, *violation in found]


_POLL_SECONDS = 0.2  # how often the parts checked in other processes are counted


def _checked_mark(part: Path) -> Path:
    """The file a worker process makes once it has checked ``part``."""
    return part.with_name(part.name + ".checked")


def _units_file(part: Path) -> Path:
    """The file of a part's units (numbers, space-separated) beside it, for its worker: with
    a unit per document graph, a million articles' would not fit on a command line."""
    return part.with_name(part.name + ".units")


def _part_worker(arguments: list[str]) -> None:
    """In a worker process: check the parts at the paths given, each with its units
    (:func:`_units_file`), and write their violations to stdout as JSON lines, marking
    each part checked (:func:`_checked_mark`)."""
    for argument in arguments:
        path = Path(argument)
        units = frozenset(map(int, _units_file(path).read_text(encoding="ascii").split()))
        for unit, violation in _check_part(path, units):
            sys.stdout.write(json.dumps([unit, violation.focus, violation.path, violation.message]) + "\n")
        _checked_mark(path).touch()
