"""Serialising the dataset, and writing outputs so that none is ever half-written.

Every format goes through Oxigraph's serialisers with the statements sorted first, so the
same graph always gives the same bytes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.errors import KGError
from kg.ns import PREFIXES

__all__ = ["EXPORT_FORMATS", "serialize_dataset", "serialize_graph", "to_oxigraph", "write_atomic"]

# name -> (Oxigraph format, holds named graphs)
EXPORT_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "jsonld": (ox.RdfFormat.JSON_LD, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nq": (ox.RdfFormat.N_QUADS, True),
}


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def _prefixes() -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in PREFIXES}


def _stable(graph: Graph) -> Iterable[tuple[Node, Node, Node]]:
    """The graph's triples with blank nodes named by their content (the ontology's
    owl:unionOf lists), so that their labels do not change from run to run."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        return to_canonical_graph(graph)  # type: ignore[no-any-return]
    return graph  # type: ignore[return-value]


def _sorted_triples(graph: Graph) -> list[ox.Triple]:
    converted = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in _stable(graph)]  # type: ignore[arg-type]
    return sorted(converted, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _format(name: str, quads: bool) -> ox.RdfFormat:
    if name not in EXPORT_FORMATS:
        raise KGError(f"unknown format {name!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    rdf_format, holds_graphs = EXPORT_FORMATS[name]
    if holds_graphs != quads:
        kind = "a dataset" if quads else "a single graph"
        fitting = [n for n, (_, g) in EXPORT_FORMATS.items() if g == quads]
        raise KGError(f"{name} cannot hold {kind}; use {', '.join(fitting)}")
    return rdf_format


def _bytes(data: bytes | None) -> bytes:
    """Oxigraph returns the serialisation when it is given no output file."""
    assert data is not None
    return data


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """A graph as Turtle, N-Triples or JSON-LD, statements sorted."""
    return _bytes(ox.serialize(_sorted_triples(graph), format=_format(fmt, False), prefixes=_prefixes()))


def serialize_dataset(dataset: Dataset, fmt: str) -> bytes:
    """A dataset as TriG or N-Quads, graphs and statements sorted."""
    quads = []
    for graph in dataset.graphs():
        if len(graph) == 0:
            continue
        name = graph.identifier
        graph_name = ox.DefaultGraph() if name == DATASET_DEFAULT_GRAPH_ID else to_oxigraph(name)
        for t in _sorted_triples(graph):
            quads.append(ox.Quad(t.subject, t.predicate, t.object, graph_name))  # type: ignore[arg-type]
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    return _bytes(ox.serialize(quads, format=_format(fmt, True), prefixes=_prefixes()))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file beside ``path``, then rename it into place: a reader
    sees the old file or the new one, never a part."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
