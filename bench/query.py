"""SPARQL on a large graph: rdflib's memory store vs kg's Oxigraph store vs raw pyoxigraph.

    .venv/bin/python bench/query.py [--sizes 100000 1000000] [--repeat 5] [--rdflib-limit 120]

For each size it builds a kg-shaped dataset: the seed build's named graphs (so the
competency queries in ``queries/`` have answers) plus ``SIZE`` synthetic triples in a
document graph (``bench/serve.py``'s generator: people, organisations, cities, events,
facilities, quantities, Korean and English labels). Then, for the queries in ``queries/``,
a 2-hop join and a GROUP BY, one after the other in this process:

1. **rdflib**: the dataset parsed into rdflib's memory store, ``Dataset.query`` over the
   union of its graphs, every row read;
2. **kg store**: what ``kg query --graph oxigraph:DIR`` does: open the store written by
   ``kg.store.write_store`` read-only, ``kg.query.run_query``, ``format_result`` as a table;
3. **raw pyoxigraph**: ``pyoxigraph.Store.read_only`` on the same database, ``Store.query``,
   every row read.

kg and raw pyoxigraph alternate, ``--repeat`` rounds, median; rdflib runs once per query in
a forked child stopped after ``--rdflib-limit`` seconds. The three row counts are compared.
Prints one Markdown table per size, with ratios.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import rdflib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from serve import synthetic_graph  # noqa: E402

from kg.pipeline import build, write_build  # noqa: E402
from kg.query import PROJECT_PREFIXES, format_result, open_store, run_query  # noqa: E402
from kg.store import write_store  # noqa: E402

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PROJECT_PREFIXES.items()))
SYNTHETIC_GRAPH = ox.NamedNode("https://kg.example/doc/synthetic")
EXTRA = {
    "2-hop join": PROLOGUE
    + "SELECT ?person ?event WHERE { ?org kgo:locatedIn kgr:City_7 . ?p kgo:memberOf ?org ; kgo:speakerAt ?e . "
    '?p rdfs:label ?person . FILTER (lang(?person) = "en") ?e rdfs:label ?event . FILTER (lang(?event) = "en") } '
    "ORDER BY ?person ?event",
    "GROUP BY": PROLOGUE + "SELECT ?country (COUNT(DISTINCT ?p) AS ?people) WHERE { ?p kgo:memberOf ?org . "
    "?org schema:addressCountry ?country } GROUP BY ?country ORDER BY ?country",
}


def queries() -> dict[str, str]:
    found = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))}
    return {**found, **EXTRA}


def dataset_file(seed_trig: Path, size: int, work: Path) -> Path:
    """The seed's named graphs plus ``size`` synthetic triples in one more document graph, as TriG."""
    nt = work / f"synthetic-{size}.nt"
    synthetic_graph(nt, size)
    trig = work / f"dataset-{size}.trig"
    quads = itertools.chain(
        ox.parse(path=seed_trig, format=ox.RdfFormat.TRIG),
        (
            ox.Quad(q.subject, q.predicate, q.object, SYNTHETIC_GRAPH)
            for q in ox.parse(path=nt, format=ox.RdfFormat.N_TRIPLES)
        ),
    )
    ox.serialize(quads, output=trig, format=ox.RdfFormat.TRIG, prefixes=PROJECT_PREFIXES)
    nt.unlink()
    return trig


def timed(runs: dict[str, Callable[[], int]], repeat: int) -> dict[str, tuple[float, int]]:
    """Median seconds over ``repeat`` rounds and the row count, per engine; the engines
    alternate within each round so that load from other jobs falls on all of them."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    rows: dict[str, int] = {}
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            rows[name] = run()
            times[name].append(time.perf_counter() - started)
    return {name: (statistics.median(times[name]), rows[name]) for name in runs}


def in_child(run: Callable[[], int], seconds: float) -> tuple[float, int]:
    """``run()`` timed in a forked child (sharing the loaded graph), killed after
    ``seconds``: (seconds, rows), rows -1 when stopped. rdflib's evaluator cannot be
    interrupted otherwise."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        started = time.perf_counter()
        rows = run()
        os.write(write, f"{time.perf_counter() - started} {rows}".encode())
        os._exit(0)
    os.close(write)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            with os.fdopen(read) as pipe:
                took, rows = pipe.read().split()
                return float(took), int(rows)
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(read)
    return seconds, -1


def kg_run(store: str, text: str) -> int:
    result = run_query(open_store(store), text)
    format_result(result)
    return len(result.rows) if result.kind == "select" else len(result.triples)


def raw_run(database: Path, text: str) -> int:
    answer = ox.Store.read_only(str(database)).query(text, prefixes=PROJECT_PREFIXES)
    return sum(1 for _ in answer)  # type: ignore[union-attr]


def rdflib_run(dataset: rdflib.Dataset, text: str, seconds: float) -> tuple[float, int]:
    return in_child(lambda: sum(1 for _ in dataset.query(text, initNs=PROJECT_PREFIXES)), seconds)


def bench_size(seed_trig: Path, size: int, args: argparse.Namespace, work: Path) -> list[str]:
    trig = dataset_file(seed_trig, size, work)
    started = time.perf_counter()
    info = write_store(trig, work / f"store-{size}")
    store_seconds = time.perf_counter() - started
    spec, database = f"oxigraph:{work / f'store-{size}'}", work / f"store-{size}" / "oxigraph"
    started = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(trig, format="trig")
    rdflib_load = time.perf_counter() - started
    lines = [
        f"### {info.triples:,} triples ({info.quads:,} quads: the seed's graphs + {size:,} synthetic triples)",
        "",
        f"Loading: kg store written in {store_seconds:.1f} s (kg.store.write_store from TriG, on disk); "
        f"rdflib memory store parsed in {rdflib_load:.1f} s. rdflib: one run, stopped after {args.rdflib_limit:.0f} s.",
        "",
        "| query | rows | rdflib (ms) | kg store (ms) | raw pyoxigraph (ms) | kg / raw | rdflib / raw |",
        "|---|---|---|---|---|---|---|",
    ]
    ratios = []
    for name, text in queries().items():
        measured = timed(
            {
                "kg": lambda text=text: kg_run(spec, text),  # type: ignore[misc]
                "raw": lambda text=text: raw_run(database, text),  # type: ignore[misc]
            },
            args.repeat,
        )
        (kg_s, kg_rows), (raw_s, raw_rows) = measured["kg"], measured["raw"]
        rdf_s, rdf_rows = rdflib_run(dataset, text, args.rdflib_limit)
        stopped = rdf_rows == -1
        agree = kg_rows == raw_rows and (stopped or rdf_rows == kg_rows)
        rows = str(kg_rows) if agree else f"kg {kg_rows} / raw {raw_rows} / rdflib {rdf_rows}"
        rdf_ms = f"> {args.rdflib_limit * 1000:,.0f}" if stopped else f"{rdf_s * 1000:,.1f}"
        rdf_ratio = f"> {args.rdflib_limit / raw_s:,.0f}" if stopped else f"{rdf_s / raw_s:,.0f}"
        ratios.append(kg_s / raw_s)
        lines.append(
            f"| {name} | {rows} | {rdf_ms} | {kg_s * 1000:,.1f} | {raw_s * 1000:,.1f} "
            f"| {kg_s / raw_s:.2f} | {rdf_ratio} |"
        )
        print(lines[-1], flush=True)
    lines += ["", f"kg / raw pyoxigraph: median {statistics.median(ratios):.2f}, worst {max(ratios):.2f}", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rdflib-limit", type=float, default=120, help="seconds before an rdflib query is stopped")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-query-") as folder:
        work = Path(folder)
        write_build(build([ROOT / "data" / "corpus"], progress=False), work / "seed")
        out = [
            f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, Python {platform.python_version()}, "
            f"pyoxigraph {ox.__version__}, rdflib {rdflib.__version__}; median of {args.repeat} runs",
            "",
        ]
        for size in args.sizes:
            out += bench_size(work / "seed" / "graph.trig", size, args, work)
    print("\n".join(out))


if __name__ == "__main__":
    main()
