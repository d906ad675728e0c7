"""Exporting a large graph: kg's export vs pyoxigraph's serializer.

    .venv/bin/python bench/export.py [--triples 1000000] [--repeat 3]

The graph is ``--triples`` kg-shaped synthetic triples (``bench/serve.py``'s generator).
For Turtle and N-Triples it measures, in one run, each in a child forked from the process
holding the data:

1. **kg build export**: :func:`kg.export.write_sorted`, as ``kg build`` writes graph.ttl
   and graph.nt: from the sorted N-Triples file the graph stage wrote
   (:func:`kg.graph.write_graphs`), copied for N-Triples, streamed through Oxigraph's
   parser into its serializer for Turtle;
2. **kg export of an rdflib Graph**: :func:`kg.export.write_graph` on the same triples held
   in an rdflib Graph (the library function for graphs made in Python): statements
   written as text, sorted in bounded runs, streamed into the file;
3. **pyoxigraph**: ``pyoxigraph.serialize`` of the same triples, already pyoxigraph objects
   in memory, straight into a file (unsorted: the serializer alone).

Time is the median of ``--repeat`` runs; memory is the child's peak resident set above
what it had when it started (sampled every 5 ms), i.e. what the export adds. The outputs
of 1 and 2 are compared byte for byte.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pyoxigraph as ox
import rdflib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from serve import synthetic_graph  # noqa: E402

from kg.evaluate import to_rdflib  # noqa: E402
from kg.export import EXPORT_FORMATS, _prefixes, write_graph, write_sorted  # noqa: E402

FORMATS = {"Turtle": "turtle", "N-Triples": "nt"}


def kg_build_export(sorted_nt: Path, fmt: str, path: Path) -> None:
    with path.open("wb") as out:
        write_sorted(sorted_nt, fmt, out)


def kg_graph_export(graph: rdflib.Graph, fmt: str, path: Path) -> None:
    with path.open("wb") as out:
        write_graph(graph, fmt, out)


def pyoxigraph_serialize(triples: list[ox.Triple], fmt: str, path: Path) -> None:
    with path.open("wb") as out:
        ox.serialize(triples, out, format=EXPORT_FORMATS[fmt][0], prefixes=_prefixes())


def measured_in_child(run: Callable[[], None]) -> tuple[float, int]:
    """(seconds, peak RSS added in bytes) of ``run()`` in a forked child."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        process = psutil.Process()
        start_rss = peak = process.memory_info().rss
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.005):
                peak = max(peak, process.memory_info().rss)

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.perf_counter()
        run()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        peak = max(peak, process.memory_info().rss)
        os.write(write, f"{seconds} {peak - start_rss}".encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as pipe:
        seconds, added = pipe.read().split()
    return float(seconds), int(added)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-export-") as folder:
        work = Path(folder)
        synthetic_graph(work / "input.nt", args.triples)
        triples = [q.triple for q in ox.parse(path=work / "input.nt", format=ox.RdfFormat.N_TRIPLES)]
        graph = rdflib.Graph()
        for t in triples:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        size = (work / "input.nt").stat().st_size
        (work / "input.nt").unlink()
        sorted_nt = work / "knowledge.nt"
        kg_graph_export(graph, "nt", sorted_nt)
        lines = [
            f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, Python {platform.python_version()}, "
            f"pyoxigraph {ox.__version__}, rdflib {rdflib.__version__}; {len(graph):,} triples "
            f"({size / 2**20:.0f} MiB as N-Triples); median of {args.repeat} runs",
            "",
            "| format | way | seconds | peak memory added (MiB) | output (MiB) | time / pyoxigraph |",
            "|---|---|---|---|---|---|",
        ]
        print("\n".join(lines), flush=True)
        for title, fmt in FORMATS.items():
            ways: dict[str, Callable[[Path], None]] = {
                "kg build export": lambda path, fmt=fmt: kg_build_export(sorted_nt, fmt, path),  # type: ignore[misc]
                "kg export of an rdflib Graph": lambda path, fmt=fmt: kg_graph_export(graph, fmt, path),  # type: ignore[misc]
                "pyoxigraph.serialize": lambda path, fmt=fmt: pyoxigraph_serialize(triples, fmt, path),  # type: ignore[misc]
            }
            results: dict[str, tuple[float, int, int]] = {}
            for name, way in ways.items():
                path = work / f"{fmt}-{len(results)}.out"
                runs = [measured_in_child(lambda way=way, path=path: way(path)) for _ in range(args.repeat)]  # type: ignore[misc]
                results[name] = (statistics.median(r[0] for r in runs), max(r[1] for r in runs), path.stat().st_size)
            same = (work / f"{fmt}-0.out").read_bytes() == (work / f"{fmt}-1.out").read_bytes()
            base = results["pyoxigraph.serialize"][0]
            for name, (seconds, added, output) in results.items():
                lines.append(
                    f"| {title} | {name} | {seconds:.2f} | {added / 2**20:,.0f} | {output / 2**20:.0f} "
                    f"| {seconds / base:.2f} |"
                )
                print(lines[-1], flush=True)
            lines.append(f"| {title} | build export == Graph export, bytes | {'yes' if same else 'NO'} | | | |")
            print(lines[-1], flush=True)
            for path in work.glob(f"{fmt}-*.out"):
                path.unlink()
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
