"""The evidence file (kg.graph.EVIDENCE_FILE) as a dataset's statements say it should be:
the tests' oracle for what kg.graph writes and a maker of evidence files for kg.view."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from kg.ns import KGO, KGR, NIF, RDF, SCHEMA

__all__ = ["evidence_lines", "evidence_rows", "normal_rows"]


def _values(store: ox.Store, graph: ox.NamedNode, subject: ox.NamedNode | ox.BlankNode, predicate: Any) -> list[Any]:
    return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None, graph)]


def _typed(store: ox.Store, graph: ox.NamedNode, cls: Any) -> list[Any]:
    return [
        q.subject for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(cls)), graph)
    ]


def evidence_rows(store: ox.Store) -> list[list[Any]]:
    """One row per named graph with a schema:NewsArticle, in the order of their names:
    [document, [headline, language] or None, date or "", sentences, relations], the
    sentences and relations sorted."""
    rows = []
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        documents = _typed(store, graph, SCHEMA.NewsArticle)
        if not documents:
            continue
        (document,) = documents
        headlines = _values(store, graph, document, SCHEMA.headline)
        dates = _values(store, graph, document, SCHEMA.datePublished)
        sentences = [
            [
                s.value,
                _values(store, graph, s, NIF.anchorOf)[0].value,
                int(_values(store, graph, s, NIF.beginIndex)[0].value),
                sorted(e.value for e in _values(store, graph, s, SCHEMA.mentions)),
            ]
            for s in _typed(store, graph, NIF.Sentence)
        ]
        relations = [
            [
                _values(store, graph, a, RDF.subject)[0].value,
                _values(store, graph, a, RDF.predicate)[0].value,
                obj.value,
                _values(store, graph, a, KGO.evidence)[0].value,
            ]
            for a in _typed(store, graph, KGO.Assertion)
            if isinstance(obj := _values(store, graph, a, RDF.object)[0], ox.NamedNode) and obj.value.startswith(KGR)
        ]
        headline = [headlines[0].value, headlines[0].language] if headlines else None
        rows.append([document.value, headline, dates[0].value if dates else "", sorted(sentences), sorted(relations)])
    return rows


def normal_rows(lines: str) -> list[list[Any]]:
    """An evidence file's rows with their sentences and relations sorted."""
    rows = [json.loads(line) for line in lines.splitlines()]
    return [[*row[:3], sorted(row[3]), sorted(row[4])] for row in rows]


def evidence_lines(store: ox.Store) -> str:
    """An evidence file for the store's dataset."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in evidence_rows(store))
