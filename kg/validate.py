"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

The RDFS entailments the shapes depend on (types from domains, ranges and superclasses,
statements of superproperties) are computed in Oxigraph, and the SPARQL-based constraints
(``sh:sparql``) run there too. The shapes made only of class checks (``sh:class``, alone,
in ``sh:or`` or under ``sh:not``: the domains, ranges and disjointness of classes) are
checked here with sets of instances read from Oxigraph, all focus nodes at once. pySHACL checks the remaining core
constraints on the entailed graph, given only the triples those shapes read, without
inferring anything itself. pySHACL's own RDFS inference (owlrl) and its rdflib SPARQL
engine, one query per focus node, took 85% of a build's time on 200 documents; its
class checks, each failing alternative of an ``sh:or`` building a full result that is
then thrown away, half of what was left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.export import to_oxigraph
from kg.ns import ONTOLOGY_GRAPH, RDF, RDFS, SH, SHAPES_PATH
from kg.ontology import load_ontology

__all__ = ["ValidationResult", "Violation", "load_shapes", "union_without_ontology", "validate"]


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    violations: tuple[Violation, ...]

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


def union_without_ontology(dataset: Dataset) -> Graph:
    union = Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        if name != ONTOLOGY_GRAPH:
            union.add((s, p, o))
    return union


def _text(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    try:
        return graph.namespace_manager.normalizeUri(node)  # type: ignore[arg-type]
    except Exception:
        return str(node)


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
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _entailed(graph: Graph) -> ox.Store:
    """``graph`` with the ontology and their RDFS entailments."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(*map(to_oxigraph, t)) for graph_ in (graph, load_ontology()) for t in graph_)  # type: ignore[arg-type]
    for update in _ENTAIL:
        store.update(_RDF_PREFIXES + update)
    return store


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _as_graph(store: ox.Store, predicates: frozenset[URIRef] | None) -> Graph:
    """The statements of ``store`` with one of ``predicates`` (all when None) as an rdflib graph."""
    quads = (
        store
        if predicates is None
        else (q for p in sorted(predicates) for q in store.quads_for_pattern(None, ox.NamedNode(p), None))
    )
    graph = Graph()
    for quad in quads:
        graph.add((_rdflib(quad.subject), _rdflib(quad.predicate), _rdflib(quad.object)))  # type: ignore[arg-type]
    return graph


# Shape terms that name the predicates whose statements a core constraint reads; sh:class
# (and the class targets) read rdf:type and rdfs:subClassOf.
_READ_PREDICATES = (
    SH.path,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.equals,
    SH.disjoint,
)


def _read_predicates(shapes: Graph) -> frozenset[URIRef] | None:
    """The predicates of the data statements that ``shapes`` can read, or None when that is
    not known from the shapes alone (a path that is not a single property, closed shapes)."""
    if (None, SH.closed, None) in shapes:
        return None
    predicates = {RDF.type, RDFS.subClassOf}
    for term in _READ_PREDICATES:
        for obj in shapes.objects(None, term):
            if not isinstance(obj, URIRef):
                return None
            predicates.add(obj)
    return frozenset(predicates)


@dataclass(frozen=True)
class _ClassCheck:
    """Every value of ``path`` (the focus node itself when None) of every SHACL instance of
    ``target_classes`` and every subject of ``target_predicates`` must be a SHACL instance
    of one of ``classes`` or, when ``negated``, of none of them; each value that is not
    gives one violation."""

    target_classes: tuple[URIRef, ...]
    target_predicates: tuple[URIRef, ...]
    path: URIRef | None
    classes: tuple[URIRef, ...]
    negated: bool
    message: str


class _Instances:
    """The SHACL instances of classes in ``store`` (rdf:type/rdfs:subClassOf*), each class
    computed once: set lookups in Python rather than one property-path query per check,
    which Oxigraph took minutes over on 200 documents."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._known: dict[URIRef, frozenset[ox.NamedNode | ox.BlankNode]] = {}

    def __call__(self, cls: URIRef) -> frozenset[ox.NamedNode | ox.BlankNode]:
        if cls not in self._known:
            below = {ox.NamedNode(cls)}
            query = _RDF_PREFIXES + f"SELECT ?c WHERE {{ ?c rdfs:subClassOf+ <{cls}> }}"
            below.update(row["c"] for row in _select(self._store, query))
            rdf_type = ox.NamedNode(RDF.type)
            self._known[cls] = frozenset(
                q.subject for c in below for q in self._store.quads_for_pattern(None, rdf_type, c)
            )
        return self._known[cls]


_CLASS_SHAPE_TERMS = frozenset(
    {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.message, SH["class"], SH["or"], SH["not"], SH.property}
)
_CLASS_PROPERTY_TERMS = frozenset({RDF.type, SH.path, SH["class"], SH["or"], SH.message})


def _one(shapes: Graph, node: Node, term: URIRef) -> Node | None:
    """The single value of ``term`` on ``node``; raises ValueError when there are several."""
    values = list(shapes.objects(node, term))  # type: ignore[arg-type]
    if len(values) > 1:
        raise ValueError(term)
    return values[0] if values else None


def _only(shapes: Graph, node: Node, terms: frozenset[URIRef]) -> bool:
    return {p for p, _ in shapes.predicate_objects(node)} <= terms  # type: ignore[arg-type]


def _class_alternatives(shapes: Graph, node: Node) -> tuple[URIRef, ...]:
    """The classes of ``node``'s sh:class or of its sh:or of shapes that are one sh:class
    each; raises ValueError for anything else."""
    cls, either = _one(shapes, node, SH["class"]), _one(shapes, node, SH["or"])
    if (cls is None) == (either is None):
        raise ValueError(node)
    if cls is not None:
        return (cls,)  # type: ignore[return-value]
    members = list(Collection(shapes, either))  # type: ignore[arg-type]
    if not members or not all(_only(shapes, m, frozenset({SH["class"]})) for m in members):
        raise ValueError(node)
    return tuple(_one(shapes, m, SH["class"]) for m in members)  # type: ignore[misc]


def _class_checks(shapes: Graph, shape: Node) -> list[_ClassCheck]:
    """The checks that make up node shape ``shape`` when it has nothing but class checks,
    each with one message; raises ValueError otherwise."""
    if not _only(shapes, shape, _CLASS_SHAPE_TERMS) or (None, None, shape) in shapes:
        raise ValueError(shape)
    message = str(_one(shapes, shape, SH.message) or "")
    classes = tuple(sorted(shapes.objects(shape, SH.targetClass)))
    predicates = tuple(sorted(shapes.objects(shape, SH.targetSubjectsOf)))
    if not message or not (classes or predicates):
        raise ValueError(shape)
    targets = (classes, predicates)
    checks = []
    if _one(shapes, shape, SH["class"]) is not None or _one(shapes, shape, SH["or"]) is not None:
        checks.append(_ClassCheck(*targets, None, _class_alternatives(shapes, shape), False, message))
    negated = _one(shapes, shape, SH["not"])
    if negated is not None:
        if not isinstance(negated, BNode) or not _only(shapes, negated, frozenset({SH["class"], SH["or"]})):
            raise ValueError(shape)
        checks.append(_ClassCheck(*targets, None, _class_alternatives(shapes, negated), True, message))
    for prop in shapes.objects(shape, SH.property):
        path, prop_message = _one(shapes, prop, SH.path), _one(shapes, prop, SH.message)
        if (
            not isinstance(prop, BNode)
            or not _only(shapes, prop, _CLASS_PROPERTY_TERMS)
            or not isinstance(path, URIRef)
            or prop_message is None
        ):
            raise ValueError(shape)
        checks.append(_ClassCheck(*targets, path, _class_alternatives(shapes, prop), False, str(prop_message)))
    return checks


def _split_class_shapes(shapes: Graph) -> tuple[list[_ClassCheck], Graph]:
    """The node shapes of ``shapes`` made only of class checks, as checks, and the other
    shapes: ``shapes`` without those node shapes and the blank nodes under them."""
    checks: list[_ClassCheck] = []
    rest = Graph()
    rest += shapes
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape))):
        try:
            checks += _class_checks(shapes, shape)
        except ValueError:
            continue
        _remove_tree(rest, shape)
    return checks, rest


def _remove_tree(graph: Graph, node: Node) -> None:
    for _, _, obj in list(graph.triples((node, None, None))):  # type: ignore[arg-type]
        graph.remove((node, None, obj))  # type: ignore[arg-type]
        if isinstance(obj, BNode):
            _remove_tree(graph, obj)


def _class_violations(store: ox.Store, graph: Graph, checks: list[_ClassCheck]) -> list[Violation]:
    instances = _Instances(store)
    violations = []
    for check in checks:
        focus = set().union(*(instances(c) for c in check.target_classes))
        for predicate in check.target_predicates:
            focus.update(q.subject for q in store.quads_for_pattern(None, ox.NamedNode(predicate), None))
        allowed = set().union(*(instances(c) for c in check.classes))
        path = _text(graph, check.path)
        for node in focus:
            values = (
                {q.object for q in store.quads_for_pattern(node, ox.NamedNode(check.path), None)}
                if check.path
                else {node}
            )
            violations += [
                Violation(_ox_text(graph, node), path, check.message)
                for value in values
                if (value in allowed) == check.negated
            ]
    return violations


def _sparql_violations(store: ox.Store, graph: Graph, shapes: Graph) -> list[Violation]:
    """The ``sh:select`` constraints of ``shapes`` run on the entailed ``store``; ``$this``
    ranges over the SHACL instances of each shape's target classes."""
    violations = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        declarations = shapes.objects(shapes.value(constraint, SH.prefixes), SH.declare)
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n" for d in declarations
        )
        query = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
        message = str(shapes.value(constraint, SH.message) or shapes.value(shape, SH.message) or "")
        targets = " ".join(f"<{c}>" for c in shapes.objects(shape, SH.targetClass))
        focus = {
            row["this"]
            for row in _select(store, _RDF_PREFIXES + f"SELECT ?this WHERE {{ VALUES ?c {{ {targets} }} ?this a ?c }}")
        }
        for row in _select(store, prefixes + query):
            if row["this"] not in focus:
                continue
            text = _PLACEHOLDER.sub(lambda m, row=row: str(row[m.group(1)].value), message)  # type: ignore[misc]
            violations.append(Violation(_ox_text(graph, row["this"]), "", text))
    return violations


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def _ox_text(graph: Graph, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return _text(graph, _rdflib(term))


def validate(data: Graph | Dataset) -> ValidationResult:
    """Check the data (a dataset's named graphs taken together, ontology left out) against
    the shapes, with the ontology's class hierarchy known to the validator."""
    from pyshacl import validate as shacl_validate

    graph = union_without_ontology(data) if isinstance(data, Dataset) else data
    shapes = load_shapes()
    checks, core = _split_class_shapes(shapes)
    core.remove((None, SH.sparql, None))
    store = _entailed(graph)
    data = _as_graph(store, _read_predicates(core))
    conforms, report, _ = shacl_validate(data, shacl_graph=core, inference="none", allow_warnings=True)
    violations = _sparql_violations(store, graph, shapes) + _class_violations(store, graph, checks)
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        violations.append(Violation(_text(graph, focus), _text(graph, path), str(message or "")))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationResult(bool(conforms) and not violations, tuple(violations))
