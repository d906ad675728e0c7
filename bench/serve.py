"""Load test of ``kg serve`` next to the same queries in-process and Oxigraph's own server.

    .venv/bin/python bench/serve.py [--clients 8] [--seconds 5] [--triples 1000000] [--record]

For each graph (the seed build, then a synthetic graph of ``--triples`` triples shaped like
kg's: people, organisations, cities, events, facilities, quantities, Korean and English
labels) it measures, in one run:

1. **in-process**: the query mix run back to back on a pyoxigraph store in this process
   (``store.query`` plus writing SPARQL JSON), one thread;
2. **kg serve**: ``--clients`` concurrent keep-alive HTTP clients on loopback for
   ``--seconds``, GET ``/sparql?query=…``;
3. **oxigraph serve** (PyPI ``oxigraph``), in memory, loaded with the same file;
4. **kg serve, disturbed**: the same clients plus one that alternates a malformed query and a
   query far slower than the time limit (``--timeout 2``); the well-formed queries' error
   rate must stay 0.

Both servers get the same query sequence and their answers are compared once per query.
Everything runs on 127.0.0.1; every loop stops at its deadline or its request cap, and the
servers are stopped at the end. ``--record`` appends the tables to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.pipeline import build, write_build  # noqa: E402
from kg.query import PROJECT_PREFIXES, open_store  # noqa: E402

MAX_REQUESTS = 500_000  # per run, whatever the deadline
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PROJECT_PREFIXES.items()))
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MALFORMED = "SELECT ?s WHERE { ?s ?p "


# --------------------------------------------------------------------------- graphs and queries


@dataclass(frozen=True)
class Request:
    query: str
    accept: str = "application/sparql-results+json"


def synthetic_graph(path: Path, triples: int, seed: int = 7) -> dict[str, int]:
    """Write about ``triples`` triples of kg-shaped data as N-Triples; return the entity counts."""
    rng = random.Random(seed)
    kgr, kgo, kgq = "https://kg.example/id/", "https://kg.example/ontology#", "https://kg.example/value/"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    country_p = "<https://schema.org/addressCountry>"
    value_p, unit_p = "<https://schema.org/value>", "<https://schema.org/unitCode>"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    per_unit = 40  # triples written per "unit" below, roughly
    units = max(1, triples // per_unit)
    counts = {
        "City": max(10, units // 50),
        "Org": units,
        "Person": units,
        "Event": max(10, units // 4),
        "Facility": max(10, units // 4),
    }
    countries = [f"C{i:02d}" for i in range(60)]
    org_classes = ("University", "Company", "ResearchOrganization", "GovernmentBody")
    written = 0
    seen: set[int] = set()

    def node(kind: str, i: int) -> str:
        return f"<{kgr}{kind}_{i}>"

    with path.open("w", encoding="utf-8") as out:

        def emit(s: str, p: str, o: str) -> None:
            nonlocal written
            line = f"{s} {p} {o} .\n"
            if hash(line) not in seen:  # the graph is a set: count each triple once
                seen.add(hash(line))
                out.write(line)
                written += 1

        def labels(s: str, kind: str, i: int) -> None:
            emit(s, label, f'"{kind} {i}"@en')
            emit(s, label, f'"{kind} {i} 한국어"@ko')

        for i in range(counts["City"]):
            s = node("City", i)
            emit(s, rdf_type, f"<{kgo}City>")
            labels(s, "City", i)
            emit(s, country_p, f'"{rng.choice(countries)}"')
        for i in range(counts["Org"]):
            s = node("Org", i)
            emit(s, rdf_type, f"<{kgo}{rng.choice(org_classes)}>")
            labels(s, "Org", i)
            emit(s, country_p, f'"{rng.choice(countries)}"')
            emit(s, f"<{kgo}locatedIn>", node("City", rng.randrange(counts["City"])))
            emit(node("City", rng.randrange(counts["City"])), f"<{kgo}cooperatesWith>", s)
        for i in range(counts["Person"]):
            s = node("Person", i)
            emit(s, rdf_type, f"<{kgo}Person>")
            labels(s, "Person", i)
            emit(s, f"<{kgo}memberOf>", node("Org", rng.randrange(counts["Org"])))
            if rng.random() < 0.1:
                emit(s, f"<{kgo}heads>", node("Org", rng.randrange(counts["Org"])))
            emit(s, f"<{kgo}speakerAt>", node("Event", rng.randrange(counts["Event"])))
        for i in range(counts["Facility"]):
            s = node("Facility", i)
            emit(s, rdf_type, f"<{kgo}Facility>")
            labels(s, "Facility", i)
            emit(s, f"<{kgo}plannedBy>", node("City", rng.randrange(counts["City"])))
            emit(s, f"<{kgo}targetDate>", f'"{rng.randrange(2025, 2040)}"^^<{xsd}gYear>')
            q = f"<{kgq}area_{i}>"
            emit(s, f"<{kgo}floorSize>", q)
            emit(q, rdf_type, f"<{kgo}Quantity>")
            emit(q, value_p, f'"{rng.randrange(1000, 500000)}"^^<{xsd}integer>')
            emit(q, unit_p, '"MTK"')
        for i in range(counts["Event"]):
            s = node("Event", i)
            emit(s, rdf_type, f"<{kgo}Conference>")
            labels(s, "Event", i)
            emit(s, f"<{kgo}heldAt>", node("Facility", rng.randrange(counts["Facility"])))
            emit(s, f"<{kgo}date>", f'"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"^^<{xsd}date>')
        while written < triples:  # top up to the exact count with more memberships
            emit(
                node("Person", rng.randrange(counts["Person"])),
                f"<{kgo}memberOf>",
                node("Org", rng.randrange(counts["Org"])),
            )
    counts["triples"] = written
    return counts


def synthetic_requests(counts: dict[str, int], n: int, seed: int = 11) -> list[Request]:
    """A fixed sequence of ``n`` requests over the synthetic graph (the same for every server)."""
    rng = random.Random(seed)
    templates = [
        lambda: Request(
            PROLOGUE + f"SELECT ?country ?partner WHERE {{ kgr:City_{rng.randrange(counts['City'])} "
            'kgo:cooperatesWith ?p . ?p rdfs:label ?partner . FILTER (lang(?partner) = "en") '
            "OPTIONAL { ?p schema:addressCountry ?country } } ORDER BY ?country ?partner"
        ),
        lambda: Request(
            PROLOGUE + "SELECT ?name ?event WHERE { ?p kgo:memberOf "
            f'kgr:Org_{rng.randrange(counts["Org"])} ; rdfs:label ?name . FILTER (lang(?name) = "en") '
            'OPTIONAL { ?p kgo:speakerAt ?e . ?e rdfs:label ?event . FILTER (lang(?event) = "ko") } }'
        ),
        lambda: Request(
            PROLOGUE + "SELECT ?f ?target ?area WHERE { ?f kgo:plannedBy "
            f"kgr:City_{rng.randrange(counts['City'])} ; kgo:targetDate ?target . "
            "OPTIONAL { ?f kgo:floorSize ?q . ?q schema:value ?area } } ORDER BY ?target ?f"
        ),
        lambda: Request(
            PROLOGUE + "SELECT ?e ?type WHERE { ?e rdfs:label "
            f'"Person {rng.randrange(counts["Person"])}"@en ; a ?type }}'
        ),
        lambda: Request(
            PROLOGUE + "SELECT ?event ?date WHERE { ?event kgo:heldAt ?fac ; kgo:date ?date . "
            f"?fac kgo:plannedBy kgr:City_{rng.randrange(counts['City'])} }} ORDER BY ?date ?event"
        ),
        lambda: Request(PROLOGUE + f"DESCRIBE kgr:Person_{rng.randrange(counts['Person'])}", "text/turtle"),
        lambda: Request(
            PROLOGUE + "SELECT ?country (COUNT(?org) AS ?n) WHERE { ?org a kgo:GovernmentBody ; "
            'schema:addressCountry ?country . FILTER (?country IN ("C01", "C02", "C03")) } '
            "GROUP BY ?country ORDER BY ?country"
        ),
    ]
    return [templates[i % len(templates)]() for i in range(n)]


def seed_requests() -> list[Request]:
    return [Request(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "queries").glob("*.rq"))]


# --------------------------------------------------------------------------- measurement


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def add(self, other: Run) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.seconds += other.seconds
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def in_process(store: ox.Store, requests: list[Request], seconds: float) -> Run:
    run = Run()
    start = time.perf_counter()
    deadline = start + seconds
    i = 0
    while time.perf_counter() < deadline and i < MAX_REQUESTS:
        request = requests[i % len(requests)]
        t0 = time.perf_counter()
        answer = store.query(request.query)
        if isinstance(answer, ox.QueryTriples):
            ox.serialize(answer, format=ox.RdfFormat.TURTLE)
        else:
            answer.serialize(format=ox.QueryResultsFormat.JSON)
        run.latencies.append(time.perf_counter() - t0)
        i += 1
    run.seconds = time.perf_counter() - start
    return run


async def _http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a kept-alive connection: (status, body); reads Content-Length or chunked."""
    writer.write(head)
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("the server closed the connection")
    status = int(status_line.split()[1])
    length, chunked = None, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            parts.append(await reader.readexactly(size))
            await reader.readline()
        return status, b"".join(parts)
    return status, await reader.readexactly(length or 0)


def _head(host: str, path: str, request: Request) -> bytes:
    return (
        f"GET {path}?query={quote(request.query)} HTTP/1.1\r\nHost: {host}\r\nAccept: {request.accept}\r\n\r\n"
    ).encode("ascii")


async def _client(
    port: int, path: str, requests: list[Request], offset: int, deadline: float, run: Run, bad: bool = False
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    host = f"127.0.0.1:{port}"
    i = offset
    try:
        while time.perf_counter() < deadline and len(run.latencies) + run.errors < MAX_REQUESTS:
            request = (Request(MALFORMED) if i % 2 else Request(SLOW)) if bad else requests[i % len(requests)]
            t0 = time.perf_counter()
            try:
                status, _body = await _http(reader, writer, _head(host, path, request))
            except (ConnectionError, asyncio.IncompleteReadError):
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                status = 0
            run.statuses[status] = run.statuses.get(status, 0) + 1
            if status == 200:
                run.latencies.append(time.perf_counter() - t0)
            else:
                run.errors += 1
            i += 1
    finally:
        writer.close()


async def _load(
    port: int, path: str, requests: list[Request], clients: int, seconds: float, disturb: bool
) -> tuple[Run, Run | None]:
    run, bad = Run(), Run() if disturb else None
    start = time.perf_counter()
    deadline = start + seconds
    tasks = [_client(port, path, requests, c * 7, deadline, run) for c in range(clients)]
    if bad is not None:
        tasks.append(_client(port, path, requests, 0, deadline, bad, bad=True))
    await asyncio.gather(*tasks)
    run.seconds = time.perf_counter() - start
    if bad is not None:
        bad.seconds = run.seconds
    return run, bad


def load(
    port: int, path: str, requests: list[Request], clients: int, seconds: float, disturb: bool = False
) -> tuple[Run, Run | None]:
    return asyncio.run(_load(port, path, requests, clients, seconds, disturb))


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


@contextlib.contextmanager
def started(command: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def kg_server(graph: Path, work: Path, *args: str) -> Iterator[int]:
    port = free_port()
    command = [sys.executable, "-c", "from kg.cli import main; main()", "serve", str(graph), "--port", str(port), *args]
    with started(command, work / f"kg-serve-{port}.log") as process:
        wait_ready(f"http://127.0.0.1:{port}/sparql", process)
        yield port


@contextlib.contextmanager
def oxigraph_server(graph: Path, work: Path) -> Iterator[int]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    with started([binary, "serve", "--bind", f"127.0.0.1:{port}"], work / f"oxigraph-{port}.log") as process:
        wait_ready(f"http://127.0.0.1:{port}/query", process)
        # N-Quads keep their graphs; N-Triples go to the default graph (a bare POST /store would make a new graph)
        target = "/store" if graph.suffix == ".nq" else "/store?default"
        media = "application/n-quads" if graph.suffix == ".nq" else "application/n-triples"
        with graph.open("rb") as data:
            response = httpx.post(
                f"http://127.0.0.1:{port}{target}", content=data, headers={"Content-Type": media}, timeout=600
            )
        response.raise_for_status()
        yield port


def answers(port: int, path: str, requests: list[Request]) -> list[object]:
    """Each distinct request's answer, normalised for comparison."""
    out: list[object] = []
    with httpx.Client(timeout=60) as http:
        for request in requests:
            response = http.get(
                f"http://127.0.0.1:{port}{path}", params={"query": request.query}, headers={"Accept": request.accept}
            )
            if request.accept == "text/turtle":
                graph = ox.Dataset(ox.Quad(*t) for t in ox.parse(response.content, format=ox.RdfFormat.TURTLE))
                out.append(sorted(str(q) for q in graph))
            else:
                rows = json.loads(response.content)["results"]["bindings"]
                out.append(sorted(json.dumps(r, sort_keys=True) for r in rows))
    return out


# --------------------------------------------------------------------------- report


def row(name: str, run: Run) -> str:
    return (
        f"| {name} | {len(run.latencies) + run.errors} | {run.throughput:,.0f} | {run.percentile(50):.2f} | "
        f"{run.percentile(99):.2f} | {run.errors} |"
    )


def bench_graph(title: str, graph: Path, requests: list[Request], args: argparse.Namespace, work: Path) -> list[str]:
    print(f"== {title}: loading", flush=True)
    store = open_store(graph)
    lines = [
        f"### {title}",
        "",
        "| server | requests | throughput (req/s) | p50 (ms) | p99 (ms) | errors |",
        "|---|---|---|---|---|---|",
    ]
    local = in_process(store, requests, args.seconds)
    lines.append(row("in-process (1 thread, no HTTP)", local))
    del store
    distinct = requests[: min(len(requests), 14)]
    kg_run, ox_run, disturbed, bad = Run(), Run(), Run(), Run()
    kg_args = ["--timeout", "2"] + (["--workers", str(args.workers)] if args.workers else [])
    with kg_server(graph, work, *kg_args) as kg_port, oxigraph_server(graph, work) as ox_port:
        kg_answers = answers(kg_port, "/sparql", distinct)
        ox_answers = answers(ox_port, "/query", distinct)
        # rounds alternate between the servers, so a burst of other load on the machine hits both
        for _ in range(args.rounds):
            kg_run.add(load(kg_port, "/sparql", requests, args.clients, args.seconds)[0])
            ox_run.add(load(ox_port, "/query", requests, args.clients, args.seconds)[0])
            good, noise = load(kg_port, "/sparql", requests, args.clients, args.seconds, disturb=True)
            disturbed.add(good)
            assert noise is not None
            bad.add(noise)
    lines.append(row(f"kg serve ({args.clients} clients)", kg_run))
    lines.append(row(f"oxigraph serve ({args.clients} clients)", ox_run))
    lines.append(row(f"kg serve ({args.clients} clients) + 1 client sending malformed and slow queries", disturbed))
    ratio = kg_run.throughput / ox_run.throughput if ox_run.throughput else float("nan")
    lines += [
        "",
        f"- answers of kg serve and oxigraph serve agree on the {len(distinct)} distinct queries: "
        f"{'yes' if kg_answers == ox_answers else 'NO'}",
        f"- kg serve / oxigraph serve throughput: {ratio:.2f}",
        f"- disturbing client: {sum(bad.statuses.values())} requests, statuses {dict(sorted(bad.statuses.items()))} "
        f"(400 malformed, 503 stopped at the 2 s limit); well-formed queries beside it: {disturbed.errors} errors "
        f"in {len(disturbed.latencies) + disturbed.errors}",
        "",
    ]
    print("\n".join(lines), flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per server")
    parser.add_argument("--workers", type=int, default=None, help="kg serve --workers (default: its own)")
    parser.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    args = parser.parse_args()
    if not 1 <= args.clients <= 64 or not 0 < args.seconds <= 60 or not 1 <= args.rounds <= 10:
        parser.error("--clients must be 1..64, --seconds 0..60 and --rounds 1..10")
    with tempfile.TemporaryDirectory(prefix="kg-bench-serve-") as tmp:
        work = Path(tmp)
        seed_dir = work / "seed"
        write_build(build([ROOT / "data" / "corpus"]), seed_dir)
        seed = work / "seed.nq"
        open_store(seed_dir).dump(seed, format=ox.RdfFormat.N_QUADS)  # the merged default graph, as kg serves it
        t0 = time.perf_counter()
        synthetic = work / "synthetic.nt"
        counts = synthetic_graph(synthetic, args.triples)
        print(f"synthetic graph: {counts} in {time.perf_counter() - t0:.1f} s", flush=True)
        lines = [
            f"## kg serve load test ({time.strftime('%Y-%m-%d')})",
            "",
            f"`python bench/serve.py --clients {args.clients} --seconds {args.seconds:g} --triples {args.triples}`"
            f" on {os.cpu_count()} cores, Python {platform.python_version()}, pyoxigraph and oxigraph "
            f"{ox.__version__}. Each client keeps one HTTP/1.1 connection and sends the next query when the "
            "answer arrives; clients, servers and workers share the same cores.",
            "",
        ]
        quads = len(seed.read_text(encoding="utf-8").splitlines())
        title = f"seed build ({quads} quads), the 7 queries in queries/"
        lines += bench_graph(title, seed, seed_requests(), args, work)
        lines += bench_graph(
            f"synthetic graph ({len(open_store(synthetic)):,} triples), 7 kinds of query over random entities",
            synthetic,
            synthetic_requests(counts, 5000),
            args,
            work,
        )
    if args.record:
        results = ROOT / "bench" / "RESULTS.md"
        existing = results.read_text(encoding="utf-8") if results.exists() else "# Benchmarks\n"
        results.write_text(existing.rstrip("\n") + "\n\n" + "\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
        print(f"appended to {results}")


if __name__ == "__main__":
    main()
