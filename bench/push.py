"""Triples per second: ``kg push`` to a local Virtuoso next to Virtuoso's own bulk loader.

    .venv/bin/python bench/push.py [--triples 1000000] [--batch-size 50000] [--record]

In one run, on one synthetic kg-shaped build (``tests/stores.py``: ``--triples`` triples in
20 document graphs, plus the ontology graph) written as one N-Quads file holding exactly
what ``kg push`` writes (those graphs and their merge, :data:`kg.ns.MERGED_GRAPH`):

1. **kg push**: a fresh private Virtuoso (``virtuoso-t`` on loopback, a temp folder);
   ``kg.push.push`` over the Graph Store Protocol with digest auth, batches of
   ``--batch-size``, each graph's count checked with a SPARQL COUNT; timed from the first
   request to the last count;
2. **bulk loader**: another fresh Virtuoso with the same settings; ``ld_dir`` +
   ``rdf_loader_run()`` + ``checkpoint`` through ``isql-vt``, the file on the server's own
   disk (the loader reads files only there); timed around the three statements.

Both stores' graph counts are then checked against the file. ``--record`` appends the table
to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.push import PushTarget, push, read_graphs  # noqa: E402
from kg.remote import Endpoint  # noqa: E402
from tests.stores import VIRTUOSO, Server, isql, synthetic_build, virtuoso_server  # noqa: E402


def remote_counts(server: Server) -> dict[str, int]:
    response = httpx.post(
        server.sparql,
        data={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=600,
    )
    response.raise_for_status()
    return {
        row["g"].value: int(row["n"].value)
        for row in ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
        if row["g"].value.startswith("https://kg.example/")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=50_000)
    parser.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    args = parser.parse_args()
    if VIRTUOSO is None:
        parser.error("virtuoso-t is missing: apt-get install --no-install-recommends virtuoso-opensource-7-bin")
    # 8 KiB pages of cache: SCALE_NOTES found ~170000 right for 1M triples; the merge doubles them
    buffers = max(20_000, 340_000 * args.triples // 1_000_000)
    with tempfile.TemporaryDirectory(prefix="kg-bench-push-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        synthetic_build(work / "synthetic.nq", args.triples)
        graphs = read_graphs(str(work / "synthetic.nq"))
        expected = {g.iri: len(g.triples) for g in graphs}
        total = sum(expected.values())
        print(f"build: {len(graphs)} graphs, {total:,} triples to write, in {time.perf_counter() - started:.1f} s")

        (work / "push").mkdir()
        with virtuoso_server(work / "push", buffers=buffers) as server:
            assert server.auth is not None
            target = PushTarget(Endpoint(server.gsp, *server.auth), server.sparql)
            started = time.perf_counter()
            push(graphs, target, batch_size=args.batch_size, progress=True)
            push_seconds = time.perf_counter() - started
            assert remote_counts(server) == expected, "kg push left wrong counts"
        print(f"kg push: {push_seconds:.1f} s", flush=True)

        loader = work / "loader"
        loader.mkdir()
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g.iri)) for g in graphs for t in g.triples]
        ox.serialize(quads, output=loader / "all.nq", format=ox.RdfFormat.N_QUADS)
        size = (loader / "all.nq").stat().st_size
        del quads
        with virtuoso_server(loader, buffers=buffers) as server:
            started = time.perf_counter()
            isql(server, f"ld_dir('{loader}', 'all.nq', 'https://kg.example/unused');")
            isql(server, "rdf_loader_run();")
            isql(server, "checkpoint;")
            load_seconds = time.perf_counter() - started
            assert remote_counts(server) == expected, "the bulk loader left wrong counts"
        print(f"bulk loader: {load_seconds:.1f} s", flush=True)

    def row(name: str, seconds: float) -> str:
        return f"| {name} | {total:,} | {seconds:.1f} | {total / seconds:,.0f} |"

    lines = [
        f"## kg push to Virtuoso next to its bulk loader ({time.strftime('%Y-%m-%d')})",
        "",
        f"`python bench/push.py --triples {args.triples} --batch-size {args.batch_size}` on {os.cpu_count()} cores "
        f"({platform.machine()}, Python {platform.python_version()}), Debian's virtuoso-opensource-7-bin, "
        f"NumberOfBuffers {buffers}. The build: {args.triples:,} triples in 20 document graphs plus the ontology "
        f"graph; kg push also writes their merge, so {total:,} triples in {len(graphs)} graphs "
        f"({size / 1e6:.0f} MB of N-Quads) go to each store, a fresh one each. Other jobs shared the 2 cores "
        "during the run, so figures can move by tens of percent.",
        "",
        "| method | triples | seconds | triples/s |",
        "|---|---|---|---|",
        row(
            f"kg push (Graph Store Protocol, batches of {args.batch_size:,}, digest auth, counts checked)", push_seconds
        ),
        row("Virtuoso bulk loader (ld_dir + rdf_loader_run + checkpoint, file on the server's disk)", load_seconds),
        "",
        f"- kg push / bulk loader throughput: {load_seconds / push_seconds:.2f}",
        "- both stores' triple counts per graph equal the file's",
        "",
    ]
    print("\n".join(lines), flush=True)
    if args.record:
        results = ROOT / "bench" / "RESULTS.md"
        existing = results.read_text(encoding="utf-8") if results.exists() else "# Benchmarks\n"
        results.write_text(existing.rstrip("\n") + "\n\n" + "\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
        print(f"appended to {results}")


if __name__ == "__main__":
    main()
