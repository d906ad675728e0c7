"""Publish a build to a triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

``read_graphs(path) -> tuple[NamedGraph, ...]``
    A build folder's (or a TriG/N-Quads file's) named graphs as they will be written: one
    per document, the ontology graph, the gazetteer graph, then :data:`~kg.ns.MERGED_GRAPH`,
    the RDF merge of them all, which kg queries as the remote default graph (see
    :mod:`kg.remote`).
``push(graphs, target, batch_size, retries, progress) -> PushResult``
    Writes each graph, then checks its triple count on the store.

Each graph is written in batches of ``batch_size`` triples: the first with PUT, which
replaces what the store held under that name (a rebuilt document leaves no stale triple),
the rest with POST, which adds. A request that gets no answer or a 5xx is sent again
(adding a triple twice is harmless: a graph is a set). Triples with blank nodes all go
in the first request, as a blank node label means one node only within one request. A
store may have kept part of a failed PUT (Virtuoso does), so after writing a graph the
push counts its triples (``--sparql``: a COUNT query; else a Graph Store GET) and writes
the whole graph again when the count is wrong. When it gives up, :class:`~kg.errors.PushError`
names the graphs verified complete and those not; pushing again writes them all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
import pyoxigraph as ox
from tqdm import tqdm

from kg.errors import InputError, PushError, RemoteError, StoreFailure
from kg.ns import MERGED_GRAPH
from kg.query import graph_file, shorten_iri
from kg.remote import Endpoint, checked, client, count_triples, unreachable

__all__ = ["BATCH_SIZE", "NamedGraph", "PushResult", "PushTarget", "push", "read_graphs"]

#: Triples per request: SCALE_NOTES measured Virtuoso at ~88k triples/s in 50k batches.
BATCH_SIZE = 50_000
#: How many graph names an error message lists before "and N more".
LISTED = 10

_N_TRIPLES = "application/n-triples"
T = TypeVar("T")


@dataclass(frozen=True)
class NamedGraph:
    """A graph to write: its IRI and its triples, those with blank nodes first."""

    iri: str
    triples: tuple[ox.Triple, ...]


@dataclass(frozen=True)
class PushTarget:
    """Where to push: the Graph Store Protocol URL with its credentials, and the SPARQL
    query URL that counts what was written (``None``: count with a Graph Store GET)."""

    gsp: Endpoint
    sparql: str | None = None
    #: Seconds before the first repeat of a failed request; doubled for each next one.
    backoff: float = 0.5


@dataclass(frozen=True)
class PushResult:
    """The graphs written and verified, as (IRI, triples), and the time it took."""

    graphs: tuple[tuple[str, int], ...]
    seconds: float

    @property
    def triples(self) -> int:
        return sum(n for _iri, n in self.graphs)


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _named(iri: str, triples: Iterable[ox.Triple]) -> NamedGraph:
    unique = list(dict.fromkeys(triples))
    return NamedGraph(iri, tuple(t for t in unique if _has_blank(t)) + tuple(t for t in unique if not _has_blank(t)))


def read_graphs(path: str | Path) -> tuple[NamedGraph, ...]:
    """The graphs of a build folder (its ``graph.trig``) or an RDF file, sorted by IRI, then
    the merge of all of them (triples outside any named graph, as in a ``.ttl``, go into
    the merge only). Raises :class:`~kg.errors.InputError` for a missing or broken file."""
    file, syntax = graph_file(path)
    graphs: dict[str, list[ox.Triple]] = {}
    merged: list[ox.Triple] = []
    try:
        for quad in ox.parse(path=file, format=syntax):
            if isinstance(quad.graph_name, ox.BlankNode):
                raise InputError(f"{file.name}: a graph named by a blank node cannot be pushed: name it with an IRI")
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
            merged.append(quad.triple)
    except SyntaxError as exc:
        raise InputError(f"{file.name}: {' '.join(str(exc).split())}") from None
    if str(MERGED_GRAPH) in graphs:
        raise InputError(f"{file.name}: holds a graph named {MERGED_GRAPH}, the name kg push keeps for the merge")
    return (*(_named(iri, graphs[iri]) for iri in sorted(graphs)), _named(str(MERGED_GRAPH), merged))


def _batches(graph: NamedGraph, size: int) -> list[Sequence[ox.Triple]]:
    blank = sum(1 for t in graph.triples if _has_blank(t))
    first = max(size, blank)
    rest = graph.triples[first:]
    return [graph.triples[:first], *(rest[i : i + size] for i in range(0, len(rest), size))]


def _n_triples(batch: Sequence[ox.Triple]) -> bytes:
    data = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None  # no output file given, so Oxigraph returns the bytes
    return data


def _listed(iris: Sequence[str]) -> str:
    names = [shorten_iri(iri) for iri in iris[:LISTED]]
    more = f" and {len(iris) - LISTED} more" if len(iris) > LISTED else ""
    return f"{len(iris)} ({', '.join(names)}{more})" if iris else "none"


class _Session:
    """One push's HTTP client with its retry policy."""

    def __init__(self, http: httpx.Client, target: PushTarget, retries: int) -> None:
        self.http, self.target, self.retries = http, target, retries

    def send(self, method: str, iri: str, body: bytes) -> None:
        url = self.target.gsp.url
        self._retrying(
            lambda: checked(
                self.http.request(
                    method, url, params={"graph": iri}, content=body, headers={"Content-Type": _N_TRIPLES}
                ),
                "gsp",
            ),
            url,
        )

    def count(self, iri: str) -> int:
        if self.target.sparql is not None:
            sparql = self.target.sparql
            return self._retrying(lambda: count_triples(self.http, sparql, iri), sparql)
        url = self.target.gsp.url

        def get() -> int:
            response = self.http.get(url, params={"graph": iri}, headers={"Accept": _N_TRIPLES})
            if response.status_code == 404:  # the graph does not exist (yet)
                return 0
            try:
                return sum(1 for _ in ox.parse(checked(response, "gsp").content, format=ox.RdfFormat.N_TRIPLES))
            except SyntaxError as exc:
                raise RemoteError(f"{url} answered a GET with unreadable N-Triples: {exc}") from None

        return self._retrying(get, url)

    def _retrying(self, call: Callable[[], T], url: str) -> T:
        for attempt in range(self.retries):
            try:
                return call()
            except (httpx.HTTPError, StoreFailure):
                time.sleep(self.target.backoff * 2**attempt)
        try:
            return call()
        except httpx.HTTPError as exc:
            raise unreachable(url, exc) from None


def push(
    graphs: Sequence[NamedGraph],
    target: PushTarget,
    batch_size: int = BATCH_SIZE,
    retries: int = 3,
    progress: bool | None = None,
) -> PushResult:
    """Write ``graphs`` (from :func:`read_graphs`) to the store and verify each one's count.

    ``retries``: how many times a failed request, and then a graph whose count is wrong,
    is tried again. ``progress``: a bar on stderr (``None``: when stderr is a terminal).
    Raises :class:`~kg.errors.PushError` naming the graphs written and not written.
    """
    if batch_size < 1:
        raise InputError(f"batch size {batch_size} is too small: give 1 or more triples per request")
    started = time.perf_counter()
    written: list[str] = []
    current = graphs[0].iri if graphs else ""
    total = sum(len(g.triples) for g in graphs)
    bar = tqdm(
        total=total, desc="pushing", unit="triple", unit_scale=True, disable=None if progress is None else not progress
    )
    try:
        with client(target.gsp) as http, bar:
            session = _Session(http, target, retries)
            # a small first request: with digest auth it fetches the challenge, so no large
            # body is sent twice (once refused, once signed); it also checks the URL and the
            # credentials before anything is written
            session.send("POST", current, b"")
            for graph in graphs:
                current = graph.iri
                for attempt in range(retries + 1):
                    for i, batch in enumerate(_batches(graph, batch_size)):
                        session.send("PUT" if i == 0 else "POST", graph.iri, _n_triples(batch))
                        bar.update(len(batch))
                    found = session.count(graph.iri)
                    if found == len(graph.triples):
                        break
                    bar.update(-len(graph.triples))
                    if attempt == retries:
                        raise RemoteError(
                            f"the store holds {found} triples in {graph.iri} after writing {len(graph.triples)}"
                        )
                written.append(graph.iri)
    except RemoteError as exc:
        missing = [g.iri for g in graphs if g.iri not in set(written)]
        raise PushError(
            f"push stopped at {shorten_iri(current)}: {exc}; graphs written and verified: {_listed(written)}; "
            f"not written: {_listed(missing)}; run the same kg push again to complete it",
            written=tuple(written),
            not_written=tuple(missing),
        ) from None
    return PushResult(tuple((g.iri, len(g.triples)) for g in graphs), time.perf_counter() - started)
