"""Time kg's SHACL validation of a built dataset, from an Oxigraph store and from an
rdflib Dataset, and optionally that of another version of kg/validate.py on the same
data in the same run (same load on the machine), with whether their violations agree.

    python bench/validate.py build/graph.trig --reference main/kg/validate.py [--broken]

With --broken, the data is first broken in eleven ways, each on every node whose IRI ends
in a given character (labels removed or doubled, edition 0, confidence 1.5, anchors
shortened, mayors that are companies, bad currencies, two units, a university that is a
person, evidence removed, a year as start date), so that thousands of violations are found.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.evaluate import load_graph
from kg.validate import validate

__all__ = ["main"]


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def _load_module(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("reference_validate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


_PREFIXES = """
PREFIX kgo: <https://kg.example/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/> PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""
_G = "<https://kg.example/broken>"
_BREAKS = (
    "DELETE { GRAPH ?g { ?s rdfs:label ?l } } WHERE { GRAPH ?g { ?s a kgo:Person ; rdfs:label ?l } "
    'FILTER STRENDS(STR(?s), "1") }',
    f'INSERT {{ GRAPH {_G} {{ ?s rdfs:label "plain" , "x"@en , "y"@en }} }} '
    'WHERE { ?s a kgo:Company FILTER STRENDS(STR(?s), "2") }',
    f"DELETE {{ GRAPH ?g {{ ?e kgo:editionNumber ?n }} }} INSERT {{ GRAPH {_G} {{ ?e kgo:editionNumber 0 }} }} "
    'WHERE { GRAPH ?g { ?e kgo:editionNumber ?n } FILTER STRENDS(STR(?e), "3") }',
    f"DELETE {{ GRAPH ?g {{ ?a kgo:confidence ?c }} }} INSERT {{ GRAPH {_G} {{ ?a kgo:confidence 1.5 }} }} "
    'WHERE { GRAPH ?g { ?a kgo:confidence ?c } FILTER STRENDS(STR(?a), "a") }',
    f'DELETE {{ GRAPH ?g {{ ?s nif:anchorOf ?t }} }} INSERT {{ GRAPH {_G} {{ ?s nif:anchorOf "short"@ko }} }} '
    'WHERE { GRAPH ?g { ?s nif:anchorOf ?t } FILTER STRENDS(STR(?s), "/3") }',
    f"INSERT {{ GRAPH {_G} {{ ?o kgo:mayorOf ?c }} }} "
    'WHERE { ?o a kgo:Company . ?c a kgo:City FILTER (STRENDS(STR(?o), "4") && STRENDS(STR(?c), "1")) }',
    f'DELETE {{ GRAPH ?g {{ ?q schema:currency ?c }} }} INSERT {{ GRAPH {_G} {{ ?q schema:currency "won" }} }} '
    'WHERE { GRAPH ?g { ?q schema:currency ?c } FILTER STRENDS(STR(?q), "5") }',
    f'INSERT {{ GRAPH {_G} {{ ?q schema:currency "KRW" }} }} WHERE {{ ?q schema:unitCode ?u '
    'FILTER STRENDS(STR(?q), "6") }',
    f'INSERT {{ GRAPH {_G} {{ ?s a kgo:Person }} }} WHERE {{ ?s a kgo:University FILTER STRENDS(STR(?s), "7") }}',
    'DELETE { GRAPH ?g { ?a kgo:evidence ?e } } WHERE { GRAPH ?g { ?a kgo:evidence ?e } FILTER STRENDS(STR(?a), "b") }',
    f'INSERT {{ GRAPH {_G} {{ ?s kgo:startDate "2024" }} }} WHERE {{ ?s a kgo:Conference '
    'FILTER STRENDS(STR(?s), "8") }',
)


def _rows(result: Any) -> list[tuple[str, str, str]]:
    return [(v.focus, v.path, v.message) for v in result.violations]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graph", type=Path, help="a build's graph.trig")
    parser.add_argument("--reference", type=Path, help="another kg/validate.py to time on the same data")
    parser.add_argument("--broken", action="store_true", help="break the data in many places first")
    args = parser.parse_args()
    store = ox.Store()
    store.load(path=args.graph, format=ox.RdfFormat.TRIG)
    graph = args.graph
    with tempfile.TemporaryDirectory() as folder:
        if args.broken:
            for update in _BREAKS:
                store.update(_PREFIXES + update)
            graph = Path(folder) / "broken.trig"
            store.dump(output=graph, format=ox.RdfFormat.TRIG)
        dataset = load_graph(graph)
    seconds, from_store = _timed(lambda: validate(store))
    print(f"kg, from the store:   {seconds:6.1f} s, {len(from_store.violations)} violations")
    seconds, from_dataset = _timed(lambda: validate(dataset))
    print(f"kg, from the Dataset: {seconds:6.1f} s, same violations: {_rows(from_dataset) == _rows(from_store)}")
    if args.reference:
        reference = _load_module(args.reference)
        seconds, other = _timed(lambda: reference.validate(dataset))
        print(f"reference:            {seconds:6.1f} s, same violations: {_rows(other) == _rows(from_store)}")


if __name__ == "__main__":
    main()
