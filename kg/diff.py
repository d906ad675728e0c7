"""What changed between two builds: the statements one has and the other has not.

A build folder stands for its facts, ``graph.ttl``; with ``provenance`` for ``graph.trig``,
whose statements keep their graph name, so a fact read from one more document or an
evidence record that went away shows too. A file stands for its own statements. Builds
name everything by content (no blank nodes but the ontology's, which are labelled by
content), so comparing statements as N-Triples / N-Quads text is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.query import RDF_FORMATS

__all__ = ["Diff", "diff", "format_diff", "statements"]


@dataclass(frozen=True)
class Diff:
    added: tuple[str, ...]  # statements, sorted
    removed: tuple[str, ...]


def _file(path: Path, provenance: bool) -> Path:
    if path.is_dir():
        name = "graph.trig" if provenance else "graph.ttl"
        if not (path / name).is_file():
            raise InputError(f"{path}: no {name} in this folder: pass a build folder or an RDF file")
        return path / name
    if not path.is_file():
        raise InputError(f"{path}: no such file or folder")
    return path


def statements(path: str | Path, provenance: bool = False) -> set[str]:
    """Every statement of a build folder or RDF file as one N-Triples or N-Quads line."""
    file = _file(Path(path), provenance)
    syntax = RDF_FORMATS.get(file.suffix.lower())
    if syntax is None:
        raise InputError(f"{file.name}: unknown RDF file type {file.suffix!r}: use {', '.join(RDF_FORMATS)}")
    lines = set()
    try:
        for quad in ox.parse(path=file, format=syntax):
            graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else f" {quad.graph_name}"
            lines.add(f"{quad.subject} {quad.predicate} {quad.object}{graph} .")
    except SyntaxError as error:
        raise InputError(f"{file}: not valid RDF: {' '.join(str(error).split())}") from None
    return lines


def diff(old: str | Path, new: str | Path, provenance: bool = False) -> Diff:
    before, after = statements(old, provenance), statements(new, provenance)
    return Diff(tuple(sorted(after - before)), tuple(sorted(before - after)))


def format_diff(result: Diff) -> str:
    """One line per statement, ``-`` removed and ``+`` added, in the statements' order (so a
    changed value's two lines sit together), then a count."""
    changes = sorted([(s, "-") for s in result.removed] + [(s, "+") for s in result.added])
    lines = [f"{sign} {statement}" for statement, sign in changes]
    lines.append(f"# {len(result.added)} added, {len(result.removed)} removed")
    return "\n".join(lines) + "\n"
