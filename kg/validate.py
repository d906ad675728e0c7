"""SHACL validation of a built graph against ``ontology/shapes.ttl`` (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.term import Node

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


def validate(data: Graph | Dataset) -> ValidationResult:
    """Check the data (a dataset's named graphs taken together, ontology left out) against
    the shapes, with the ontology's class hierarchy known to the validator."""
    from pyshacl import validate as shacl_validate

    graph = union_without_ontology(data) if isinstance(data, Dataset) else data
    conforms, report, _ = shacl_validate(
        graph, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="rdfs", allow_warnings=True
    )
    violations = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        violations.append(Violation(_text(graph, focus), _text(graph, path), str(message or "")))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationResult(bool(conforms) and not violations, tuple(violations))
