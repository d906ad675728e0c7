"""kg build throughput on a synthetic Korean corpus, next to raw kiwipiepy analysis of the
same text in the same run (the floor), with the issue's targets as ratios.

    python bench/build.py --docs 1000 [--docs 10000] [--workers 1 2]

For each corpus size: (1) the floor: one process, Kiwi built once, then
``split_into_sents(text, return_tokens=True)`` on every document body, as kg calls it;
(2) ``kg build --no-cache`` with each worker count; (3) a build that fills the cache,
then one document changed and the build run again (incremental). Every build is a
``kg`` subprocess; its peak memory is the largest sum of the resident set sizes (RSS) of
it and its worker processes, sampled every 0.1 s, and the same of their proportional set
sizes (PSS), which count a page that forked processes share once in all. Before each run
the disk is given what earlier runs wrote (``os.sync``): a rebuild timed right after the
build that filled the cache otherwise shares the disk with the writing back of that
build's 1.7 GB (10,000 articles), which it did not write.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

FLOOR = """
import sys, time
from pathlib import Path
from kiwipiepy import Kiwi
from kg.ingest import read_document
documents = [Path(p) for p in sys.argv[1:]]
kiwi = Kiwi(num_workers=1)
kiwi.split_into_sents("워밍업 문장입니다.", return_tokens=True)
started = time.perf_counter()
characters = 0
for path in documents:
    text = read_document(path).text
    characters += len(text)
    kiwi.split_into_sents(text, return_tokens=True)
print(time.perf_counter() - started, characters)
"""


@dataclass(frozen=True)
class Peak:
    """The largest sums over the process tree, in bytes: of the resident set sizes, which
    count a page that forked processes share once in each of them, and of the
    proportional set sizes, which split it between them (Linux; elsewhere PSS is RSS)."""

    rss: int = 0
    pss: int = 0

    def __str__(self) -> str:
        return f"{self.rss / 2**20:,.0f} / {self.pss / 2**20:,.0f}"


def _tree_memory(process: psutil.Process) -> Peak:
    rss = pss = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            full = member.memory_full_info()
            rss += full.rss
            pss += getattr(full, "pss", full.rss)
    return Peak(rss, pss)


def run(command: list[str]) -> tuple[float, Peak, str]:
    """Wall seconds, peak memory of the process tree, stdout."""
    os.sync()
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    process = psutil.Process(child.pid)
    peak = Peak()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                now = _tree_memory(process)
            except psutil.NoSuchProcess:
                return
            peak = Peak(max(peak.rss, now.rss), max(peak.pss, now.pss))
            done.wait(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {child.returncode}")
    return seconds, peak, out


def kg_build(corpus: Path, out: Path, workers: int, cache: bool) -> tuple[float, Peak, dict[str, object]]:
    command = [sys.executable, "-c", "from kg.cli import main; main()", "build", str(corpus), "--out", str(out)]
    command += ["--workers", str(workers), "--no-progress"] + ([] if cache else ["--no-cache"])
    seconds, peak, _ = run(command)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return seconds, peak, report


def bench(count: int, worker_counts: list[int], root: Path) -> list[str]:
    corpus = root / f"corpus_{count}"
    paths = write_corpus(count, corpus)
    floor_seconds, characters = map(float, run([sys.executable, "-c", FLOOR, *map(str, paths)])[2].split())
    lines = [
        f"### {count:,} articles ({characters:,.0f} characters, {sum(p.stat().st_size for p in paths):,} bytes)",
        "",
        "| run | seconds | documents/s | characters/s | peak RSS / PSS (MB) | / floor |",
        "|---|---|---|---|---|---|",
        f"| kiwipiepy alone (floor, 1 process) | {floor_seconds:.1f} | {count / floor_seconds:,.1f} | "
        f"{characters / floor_seconds:,.0f} | | 1.00 |",
    ]
    times: dict[int, float] = {}
    report: dict[str, object] = {}
    for workers in worker_counts:
        seconds, peak, report = kg_build(corpus, root / f"out_{count}_{workers}", workers, cache=False)
        times[workers] = seconds
        lines.append(
            f"| kg build --workers {workers} --no-cache | {seconds:.1f} | {count / seconds:,.1f} | "
            f"{characters / seconds:,.0f} | {peak} | {seconds / floor_seconds:.2f} |"
        )
    workers = max(worker_counts)
    out = root / f"out_{count}_cached"
    full, peak, _ = kg_build(corpus, out, workers, cache=True)
    lines.append(f"| kg build --workers {workers}, cache filled | {full:.1f} | | | {peak} | |")
    changed = paths[len(paths) // 2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n부산시는 새 연구소를 열었다.\n", encoding="utf-8")
    again, peak, rebuilt = kg_build(corpus, out, workers, cache=True)
    timing = rebuilt["timing"]
    lines.append(
        f"| same, after 1 document changed ({timing['documents_extracted']} extracted, "  # type: ignore[index]
        f"{timing['documents_from_cache']} from the cache) | {again:.1f} | | | {peak} | |"  # type: ignore[index]
    )
    lines += [
        "",
        f"- triples {report['triples']:,}, quads {report['quads']:,}, entities {report['entities']:,}",
        f"- {min(worker_counts)} worker(s) / floor: {times[min(worker_counts)] / floor_seconds:.2f}"
        " (target ≤ 2 for 1 worker)",
    ]
    if len(times) > 1:
        lines.append(
            f"- {min(worker_counts)} worker / {workers} workers: {times[min(worker_counts)] / times[workers]:.2f}"
            " (target ≥ 1.7 for 1 / 2)"
        )
    lines.append(f"- incremental / full: {again / full:.3f} (target ≤ 0.05)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, action="append", help="corpus size; repeat (default: 1000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}\n"
    )
    with tempfile.TemporaryDirectory(prefix="kg-bench-build-") as root:
        for count in args.docs or [1000]:
            print("\n".join(bench(count, sorted(args.workers), Path(root))) + "\n", flush=True)


if __name__ == "__main__":
    main()
