"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

The RDFS entailments the shapes depend on (types from domains, ranges and superclasses,
statements of superproperties) are computed in Oxigraph, and the SPARQL-based constraints
(``sh:sparql``) run there too; pySHACL checks the core constraints on the entailed graph
without inferring anything itself. pySHACL's own RDFS inference (owlrl) and its rdflib
SPARQL engine, one query per focus node, took 85% of a build's time on 200 documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.export import to_oxigraph
from kg.ns import ONTOLOGY_GRAPH, SH, SHAPES_PATH
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
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
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


def _as_graph(store: ox.Store) -> Graph:
    graph = Graph()
    for quad in store:
        graph.add((_rdflib(quad.subject), _rdflib(quad.predicate), _rdflib(quad.object)))  # type: ignore[arg-type]
    return graph


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
    return _text(graph, URIRef(term.value)) if isinstance(term, ox.NamedNode) else str(term.value)


def validate(data: Graph | Dataset) -> ValidationResult:
    """Check the data (a dataset's named graphs taken together, ontology left out) against
    the shapes, with the ontology's class hierarchy known to the validator."""
    from pyshacl import validate as shacl_validate

    graph = union_without_ontology(data) if isinstance(data, Dataset) else data
    shapes = load_shapes()
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    store = _entailed(graph)
    conforms, report, _ = shacl_validate(_as_graph(store), shacl_graph=core, inference="none", allow_warnings=True)
    violations = _sparql_violations(store, graph, shapes)
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        violations.append(Violation(_text(graph, focus), _text(graph, path), str(message or "")))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationResult(bool(conforms) and not violations, tuple(violations))
