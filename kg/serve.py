"""``kg serve``: a built graph behind a SPARQL 1.1 Protocol endpoint, with the explorer page.

Processes (so that no query can hang the server):

``main``
    uvicorn running the Starlette app below: HTTP, content negotiation, the time limit,
    one log line per request. It never runs a query itself.
``holder``
    loads the graph once (:func:`kg.query.open_store`: the default graph is the merge of
    the named graphs), then only forks query workers and applies SPARQL Update.
``workers``
    forked from the holder, so they share its store copy-on-write: starting one takes
    milliseconds whatever the graph's size. Each runs one request at a time. A worker whose
    query passes the time limit is killed (``SIGKILL``; Oxigraph cannot interrupt a query
    in its own thread) and replaced; the other workers go on serving.

Routes

=====================  ==============================================================
``/``                  the explorer page (:func:`kg.view.render_html`)
``/query``             the query page: YASGUI (vendored in ``kg/static/yasgui``) with
                       the example queries from ``queries/``
``/sparql``            the SPARQL 1.1 Protocol: GET ``?query=``, POST form-encoded or
                       ``application/sparql-query``; ``default-graph-uri`` and
                       ``named-graph-uri``; SPARQL Update (POST) when allowed
``/ontology``          the ontology, at its namespace IRI's path
``/<path>``            any IRI ``https://kg.example/<path>`` the graph mentions: HTML for
                       browsers, Turtle, N-Triples, JSON-LD or RDF/XML by ``Accept``
=====================  ==============================================================

Status codes: 400 malformed request or SPARQL (the parser's message), 403 update refused,
401 update without a token, 404 unknown resource, 405 wrong method, 406 no acceptable
result format, 413 request body too large, 415 unsupported request body type, 422 result
larger than the row cap, 503 time limit passed or every worker busy for a whole time limit.

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", ["text/csv", "application/sparql-results+json"])
'application/sparql-results+json'
>>> negotiate("text/html", ["text/turtle"]) is None
True
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import hmac
import json
import logging
import os
import pickle
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import parse_qsl, quote, unquote

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from kg.errors import InputError, KGError
from kg.ns import BASE, ONTOLOGY_GRAPH, ONTOLOGY_PATH
from kg.query import PROJECT_PREFIXES, open_store, shorten_iri
from kg.store import store_dir

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "GRAPH_MEDIA_TYPES",
    "RESULTS_MEDIA_TYPES",
    "ServeConfig",
    "create_app",
    "load_examples",
    "negotiate",
    "serve",
]

DEFAULT_PORT = 7878
#: Seconds one query may run before its worker is killed.
DEFAULT_TIMEOUT = 10.0
#: Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) one answer may hold.
DEFAULT_MAX_ROWS = 10_000
#: Largest request body accepted (a query or an update), in bytes.
MAX_BODY = 1 << 20
#: Graphs larger than this get a short page at ``/`` instead of the network view.
EXPLORER_MAX_TRIPLES = 200_000
#: Incoming links shown on a resource's page (the class kgo:City has one per city).
MAX_INCOMING = 500

#: SELECT and ASK results: media type -> format. The first is the default.
RESULTS_MEDIA_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
}
#: CONSTRUCT and DESCRIBE results and resource descriptions: media type -> syntax.
GRAPH_MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
_CANONICAL_RESULTS = {fmt: media for media, fmt in reversed(RESULTS_MEDIA_TYPES.items())}
_CANONICAL_GRAPH = {fmt: media for media, fmt in reversed(GRAPH_MEDIA_TYPES.items())}
_HTML = "text/html"
_TEXT = "text/plain; charset=utf-8"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_ONTOLOGY_DOC = str(ONTOLOGY_GRAPH)  # https://kg.example/ontology
_ONTOLOGY_NS = _ONTOLOGY_DOC + "#"
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
_STATIC = Path(__file__).parent / "static"
_TEMPLATES = Path(__file__).parent / "templates"
_HEADER = struct.Struct("!I")

log = logging.getLogger("kg.serve")

#: A worker's answer: (status, content type, body).
Reply: TypeAlias = tuple[int, str, bytes]


@dataclass(frozen=True)
class ServeConfig:
    """What ``kg serve`` serves and how; checks itself on creation.

    >>> ServeConfig(Path("build"), timeout=0).timeout
    Traceback (most recent call last):
    ...
    kg.errors.InputError: --timeout must be more than 0 seconds
    """

    graph: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    workers: int | None = None
    allow_update: bool = False
    update_token: str | None = None
    queries: Path | None = None

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise InputError("--timeout must be more than 0 seconds")
        if self.max_rows < 1:
            raise InputError("--max-rows must be at least 1")
        if self.workers is not None and not 1 <= self.workers <= 64:
            raise InputError("--workers must be between 1 and 64")
        if not 0 <= self.port <= 65535:
            raise InputError("--port must be between 0 and 65535")
        if self.allow_update and not self.update_token:
            raise InputError("--allow-update needs a token: pass --update-token or set KG_UPDATE_TOKEN")
        if self.allow_update and store_dir(self.graph) is not None:
            raise InputError("--allow-update needs a graph in memory: a store (oxigraph:DIR) is served read-only")

    @property
    def worker_count(self) -> int:
        """Default: two per core (at least 3): the kernel shares the cores between running
        queries, so a long query slows the short ones beside it but does not hold them up."""
        return self.workers or max(3, 2 * (os.cpu_count() or 1))


# --------------------------------------------------------------------------- negotiation


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        fields = part.split(";")
        media = fields[0].strip().lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type that ``accept`` likes best (RFC 9110 ranges and ``q``).

    No or an empty Accept header takes the first offered type; on a tie the earlier
    offered type wins; ``None`` when the header accepts none of them (answer 406).
    """
    if not accept or not accept.strip():
        return offered[0] if offered else None
    ranges = _accept_ranges(accept)
    best, best_q = None, 0.0
    for media in offered:
        kind = media.split("/", 1)[0]
        level, q = -1, 0.0
        for rng, rq in ranges:
            if rng == media:
                this = 2
            elif rng == f"{kind}/*":
                this = 1
            elif rng == "*/*":
                this = 0
            else:
                continue
            if this > level:
                level, q = this, rq
        if q > best_q:
            best, best_q = media, q
    return best


# --------------------------------------------------------------------------- answers (in workers)


def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _term_json(term.subject),
            "predicate": _term_json(term.predicate),
            "object": _term_json(term.object),
        },
    }


def _solutions_json(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    bindings = []
    for row in rows:
        binding = {}
        for i, name in enumerate(variables):
            term = row[i]
            if term is not None:
                binding[name] = _term_json(term)
        bindings.append(binding)
    data = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error(status: int, message: str) -> Reply:
    return status, _TEXT, (message + "\n").encode("utf-8")


def _one_line(exc: BaseException) -> str:
    message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return " ".join(message.split())


def _content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


def _used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    iris: set[str] = set()
    for triple in triples:
        for term in triple:
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal) and not term.language:
                iris.add(term.datatype.value)
    return {prefix: ns for prefix, ns in sorted(PROJECT_PREFIXES.items()) if any(iri.startswith(ns) for iri in iris)}


def _graph_reply(triples: list[ox.Triple], media: str) -> Reply:
    syntax = GRAPH_MEDIA_TYPES[media]
    prefixes = _used_prefixes(triples) if syntax == ox.RdfFormat.TURTLE else None
    body = ox.serialize(triples, format=syntax, prefixes=prefixes) or b""
    return 200, _content_type(_CANONICAL_GRAPH[syntax]), body


def _not_acceptable(what: str, offered: Iterable[str]) -> Reply:
    return _error(406, f"no acceptable format for {what}: send an Accept header with one of {', '.join(offered)}")


def _answer_query(
    store: ox.Store,
    sparql: str,
    default_graphs: list[str] | None,
    named_graphs: list[str] | None,
    accept: str | None,
    max_rows: int,
) -> Reply:
    """Run one query and write its answer in the negotiated format."""
    kwargs: dict[str, Any] = {}
    try:
        if default_graphs is not None or named_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(iri) for iri in default_graphs or []]
            kwargs["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs or []]
    except ValueError as exc:
        return _error(400, f"default-graph-uri / named-graph-uri: not an IRI: {_one_line(exc)}")
    try:
        answer = store.query(sparql, prefixes=PROJECT_PREFIXES, **kwargs)
        if isinstance(answer, ox.QueryTriples):
            media = negotiate(accept, list(GRAPH_MEDIA_TYPES))
            if media is None:
                return _not_acceptable("a CONSTRUCT or DESCRIBE query", GRAPH_MEDIA_TYPES)
            triples = list(islice(answer, max_rows + 1))
            if len(triples) > max_rows:
                return _error(422, _cap_message(max_rows, "triples"))
            return _graph_reply(triples, media)
        media = negotiate(accept, list(RESULTS_MEDIA_TYPES))
        if media is None:
            what = "an ASK query" if isinstance(answer, ox.QueryBoolean) else "a SELECT query"
            return _not_acceptable(what, RESULTS_MEDIA_TYPES)
        fmt = RESULTS_MEDIA_TYPES[media]
        if isinstance(answer, ox.QueryBoolean):
            body = answer.serialize(format=fmt) or b""
        else:
            variables = [v.value for v in answer.variables]
            rows = list(islice(answer, max_rows + 1))
            if len(rows) > max_rows:
                return _error(422, _cap_message(max_rows, "rows"))
            body = _solutions_json(variables, rows)
            if fmt != ox.QueryResultsFormat.JSON:
                parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
                body = parsed.serialize(format=fmt) or b""
        return 200, _content_type(_CANONICAL_RESULTS[fmt]), body
    except SyntaxError as exc:
        return _error(400, f"malformed SPARQL: {_one_line(exc)}")
    except (OSError, RuntimeError, ValueError) as exc:
        return _error(500, f"query failed: {_one_line(exc)}")


def _cap_message(max_rows: int, what: str) -> str:
    return (
        f"the answer has more than {max_rows} {what}, the server's cap (kg serve --max-rows): "
        "add LIMIT (and OFFSET to page) or narrow the query"
    )


# --------------------------------------------------------------------------- resource pages (in workers)


@cache
def _template_env() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(_TEMPLATES)), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
    )


def _href(iri: str) -> str:
    """A link to ``iri``: IRIs under :data:`kg.ns.BASE` point into this server."""
    if iri.startswith(BASE):
        local = iri[len(BASE) :]
        return "/" + quote(local, safe="/#:@!$&'()*+,;=-._~%")
    return iri


class _Labels:
    """rdfs:label text for IRIs, read from the store's default graph ("서울 / Seoul")."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._cache: dict[str, str | None] = {}

    def __call__(self, iri: str) -> str | None:
        if iri not in self._cache:
            by_lang: dict[str, list[str]] = defaultdict(list)
            quads = self._store.quads_for_pattern(ox.NamedNode(iri), _RDFS_LABEL, None, ox.DefaultGraph())
            for quad in islice(quads, 20):
                if isinstance(quad.object, ox.Literal):
                    by_lang[quad.object.language or ""].append(quad.object.value)
            parts = [sorted(by_lang[code])[0] for code in ("ko", "en", "") if by_lang.get(code)]
            self._cache[iri] = " / ".join(dict.fromkeys(parts)) or None
        return self._cache[iri]


def _cell(term: Any, labels: _Labels) -> dict[str, str]:
    """A term as a table cell: text, an optional link, an optional note (language, datatype)."""
    if isinstance(term, ox.NamedNode):
        label = labels(term.value)
        short = shorten_iri(term.value)
        return {"text": label or short, "href": _href(term.value), "note": short if label else ""}
    if isinstance(term, ox.BlankNode):
        return {"text": f"_:{term.value}", "href": "", "note": ""}
    if isinstance(term, ox.Literal):
        note = f"@{term.language}" if term.language else ""
        if not note and term.datatype.value != _XSD_STRING:
            note = shorten_iri(term.datatype.value)
        return {"text": term.value, "href": "", "note": note}
    return {"text": str(term), "href": "", "note": ""}


def _rows(triples: Iterable[ox.Triple], labels: _Labels, incoming: bool = False) -> list[dict[str, Any]]:
    rows = []
    for t in sorted(triples, key=lambda t: (t.predicate.value, str(t.subject if incoming else t.object))):
        other = t.subject if incoming else t.object
        rows.append({"predicate": _cell(t.predicate, labels), "value": _cell(other, labels)})
    return rows


def _ontology_triples(store: ox.Store) -> list[ox.Triple]:
    triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(_ONTOLOGY_DOC))]
    if triples:
        return triples
    try:
        return [q.triple for q in ox.parse(path=ONTOLOGY_PATH, format=ox.RdfFormat.TURTLE)]
    except (OSError, SyntaxError):
        return []


def _describe(store: ox.Store, iri: str, media: str) -> Reply:
    """The description of one IRI: what it says and what points to it; the ontology for its IRI."""
    default = ox.DefaultGraph()
    if iri in (_ONTOLOGY_DOC, _ONTOLOGY_NS):
        triples = _ontology_triples(store)
        incoming: list[ox.Triple] = []
    else:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return _error(404, f"no such resource: {iri}")
        triples = [q.triple for q in store.quads_for_pattern(node, None, None, default)]
        incoming = [q.triple for q in islice(store.quads_for_pattern(None, None, node, default), MAX_INCOMING)]
    if not triples and not incoming:
        return _error(404, f"the graph says nothing about <{iri}>")
    if media != _HTML:
        return _graph_reply(triples + incoming, media)
    labels = _Labels(store)
    sections = []
    by_subject: dict[str, list[ox.Triple]] = defaultdict(list)
    for t in triples:
        by_subject[str(t.subject)].append(t)
    for subject in sorted(by_subject, key=lambda s: (s != f"<{iri}>", s)):
        term = by_subject[subject][0].subject
        value = term.value if isinstance(term, ox.NamedNode) else subject
        anchor = value[len(_ONTOLOGY_NS) :] if value.startswith(_ONTOLOGY_NS) else ""
        types = [t.object for t in by_subject[subject] if t.predicate.value == _RDF_TYPE]
        sections.append(
            {
                "anchor": anchor,
                "title": (labels(value) or shorten_iri(value)) if isinstance(term, ox.NamedNode) else subject,
                "iri": value,
                "types": [_cell(t, labels) for t in sorted(types, key=str)],
                "rows": _rows(by_subject[subject], labels),
            }
        )
    title = labels(iri) or shorten_iri(iri)
    if iri in (_ONTOLOGY_DOC, _ONTOLOGY_NS):
        title = "kg ontology"
    page = (
        _template_env()
        .get_template("resource.html.j2")
        .render(
            title=title,
            iri=iri,
            path=_href(iri),
            sections=sections,
            incoming=_rows(incoming, labels, incoming=True),
            incoming_capped=len(incoming) >= MAX_INCOMING,
            max_incoming=MAX_INCOMING,
        )
    )
    return 200, "text/html; charset=utf-8", page.encode("utf-8")


def _run_job(store: ox.Store, job: tuple[Any, ...]) -> Reply:
    kind = job[0]
    if kind == "query":
        return _answer_query(store, *job[1:])
    if kind == "describe":
        return _describe(store, job[1], job[2])
    if kind == "sleep":  # for tests: a job that outlives any time limit
        time.sleep(job[1])
        return 200, _TEXT, b"slept\n"
    return _error(500, f"unknown job {kind!r}")


# --------------------------------------------------------------------------- framing


def _send_blocking(sock: socket.socket, obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    chunks = []
    while n:
        chunk = sock.recv(min(n, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _recv_blocking(sock: socket.socket) -> Any:
    header = _recv_exact(sock, _HEADER.size)
    if header is None:
        return None
    data = _recv_exact(sock, _HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


# --------------------------------------------------------------------------- holder and workers (child side)


def _holder_main(fd: int, graph: str) -> None:
    """Entry point of the holder process: load, report, then serve fork and update requests."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops main, which stops us
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked workers are reaped by the kernel
    control = socket.socket(fileno=fd)
    try:
        store = open_store(graph)
    except KGError as exc:
        _send_blocking(control, ("error", str(exc)))
        return
    count = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(count, ox.QuerySolutions)
    _send_blocking(control, ("ready", int(next(iter(count))[0].value)))  # triples in the merged default graph
    while True:
        message = _recv_blocking(control)
        if message is None:
            return
        if message[0] == "fork":
            ours, theirs = socket.socketpair()
            pid = os.fork()
            if pid == 0:
                control.close()
                theirs.close()
                _worker_main(ours, store)
                os._exit(0)
            ours.close()
            socket.send_fds(control, [_HEADER.pack(pid)], [theirs.fileno()])
            theirs.close()
        elif message[0] == "update":
            try:
                store.update(message[1], prefixes=PROJECT_PREFIXES)
                _send_blocking(control, (204, _TEXT, b""))
            except SyntaxError as exc:
                _send_blocking(control, _error(400, f"malformed SPARQL Update: {_one_line(exc)}"))
            except (OSError, RuntimeError, ValueError) as exc:
                _send_blocking(control, _error(500, f"update failed: {_one_line(exc)}"))


def _worker_main(sock: socket.socket, store: ox.Store) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _die_with_parent()
    while True:
        job = _recv_blocking(sock)
        if job is None:
            return
        try:
            reply = _run_job(store, job)
        except Exception as exc:  # a bug: say so, keep serving
            reply = _error(500, f"internal error: {type(exc).__name__}: {_one_line(exc)}")
        _send_blocking(sock, reply)


# --------------------------------------------------------------------------- holder and workers (main side)


class _Holder:
    """The main process's handle on the holder process."""

    def __init__(self, graph: Path) -> None:
        self.graph = graph
        self.triples = 0
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None

    def start(self) -> None:
        """Start the holder and wait until it has loaded the graph (or failed to)."""
        ours, theirs = socket.socketpair()
        code = "import sys; from kg.serve import _holder_main; _holder_main(int(sys.argv[1]), sys.argv[2])"
        self._proc = subprocess.Popen(
            [sys.executable, "-c", code, str(theirs.fileno()), str(self.graph)], pass_fds=[theirs.fileno()]
        )
        theirs.close()
        self._control = ours
        message = _recv_blocking(ours)
        if message is None or message[0] != "ready":
            self.stop()
            raise InputError(message[1] if message else f"{self.graph}: the graph could not be loaded")
        self.triples = message[1]

    def fork_worker(self) -> tuple[int, socket.socket]:
        """A new worker: its pid and the socket to talk to it (blocking; call off the loop)."""
        with self._lock:
            assert self._control is not None
            _send_blocking(self._control, ("fork",))
            data, fds, _flags, _addr = socket.recv_fds(self._control, _HEADER.size, 1)
            if len(data) != _HEADER.size or not fds:
                raise OSError("the graph holder process stopped")
            return _HEADER.unpack(data)[0], socket.socket(fileno=fds[0])

    def update(self, sparql: str) -> Reply:
        with self._lock:
            assert self._control is not None
            _send_blocking(self._control, ("update", sparql))
            reply = _recv_blocking(self._control)
        if reply is None:
            raise OSError("the graph holder process stopped")
        return reply

    def kill(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()

    def stop(self) -> None:
        if self._control is not None:
            with contextlib.suppress(OSError):
                self._control.close()
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


class _WorkerLink(asyncio.Protocol):
    """The main process's end of a worker's socket: frames in, one reply future at a time."""

    def __init__(self) -> None:
        self.transport: Any = None  # uvloop's transports are not asyncio.Transport subclasses
        self.waiting: asyncio.Future[Reply] | None = None
        self._buffer = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) < _HEADER.size:
            return
        (size,) = _HEADER.unpack_from(self._buffer)
        if len(self._buffer) < _HEADER.size + size:
            return
        frame = bytes(self._buffer[_HEADER.size : _HEADER.size + size])
        del self._buffer[: _HEADER.size + size]
        if self.waiting is not None and not self.waiting.done():
            self.waiting.set_result(pickle.loads(frame))

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiting is not None and not self.waiting.done():
            self.waiting.set_exception(ConnectionResetError("the query worker stopped"))


class _Worker:
    def __init__(self, pid: int, link: _WorkerLink, generation: int) -> None:
        self.pid = pid
        self.link = link
        self.generation = generation

    async def call(self, job: tuple[Any, ...]) -> Reply:
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        assert self.link.transport is not None
        self.link.waiting = asyncio.get_running_loop().create_future()
        self.link.transport.write(_HEADER.pack(len(data)) + data)
        return await self.link.waiting

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(self.pid, signal.SIGKILL)
        if self.link.transport is not None:
            self.link.transport.close()


class QueryTimeout(Exception):
    """A job passed the time limit; its worker was killed."""


class WorkersBusy(Exception):
    """No worker became free within the time limit."""


class _Pool:
    """Query workers forked from the holder; a worker that fails or overruns is replaced."""

    def __init__(self, holder: _Holder, size: int) -> None:
        self.holder = holder
        self.size = size
        self.generation = 0
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._update_lock = asyncio.Lock()

    async def start(self) -> None:
        await asyncio.gather(*(self._add() for _ in range(self.size)))

    async def _add(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            pid, sock = await loop.run_in_executor(None, self.holder.fork_worker)
        except OSError:
            log.error("kg serve: the graph holder stopped; restarting it")
            await self._restart_holder()
            pid, sock = await loop.run_in_executor(None, self.holder.fork_worker)
        _transport, link = await loop.create_unix_connection(_WorkerLink, sock=sock)
        worker = _Worker(pid, link, self.generation)
        self._all.add(worker)
        self._idle.put_nowait(worker)

    async def _restart_holder(self) -> None:
        self.holder.kill()
        self.holder.stop()
        self.holder.start()  # in the loop's thread: the holder's death signal follows this thread
        self.generation += 1
        self._retire_idle()

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        task = asyncio.create_task(self._add())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _retire_idle(self) -> None:
        while not self._idle.empty():
            self._replace(self._idle.get_nowait())

    async def run(self, job: tuple[Any, ...], timeout: float) -> Reply:
        try:
            worker = self._idle.get_nowait()
        except asyncio.QueueEmpty:
            try:
                async with asyncio.timeout(timeout):
                    worker = await self._idle.get()
            except TimeoutError:
                raise WorkersBusy from None
        while worker.generation != self.generation:  # forked before the last update
            self._replace(worker)
            worker = await self._idle.get()
        clean = False
        try:
            async with asyncio.timeout(timeout):
                reply = await worker.call(job)
            clean = True
            return reply
        except TimeoutError:
            raise QueryTimeout from None
        finally:
            if clean and worker.generation == self.generation:
                self._idle.put_nowait(worker)
            else:  # overran, died, or was cancelled mid-answer: its stream is out of step
                self._replace(worker)

    async def update(self, sparql: str, timeout: float) -> Reply:
        loop = asyncio.get_running_loop()
        async with self._update_lock:
            try:
                reply = await asyncio.wait_for(loop.run_in_executor(None, self.holder.update, sparql), timeout)
            except TimeoutError:
                await self._restart_holder()
                raise QueryTimeout from None
            if reply[0] < 300:
                self.generation += 1
                self._retire_idle()
            return reply

    def stop(self) -> None:
        for worker in list(self._all):
            worker.kill()
        self._all.clear()


# --------------------------------------------------------------------------- pages


def load_examples(folder: Path | None) -> list[dict[str, str]]:
    """The example queries for the query page: ``name``, ``title`` (the leading comment) and ``query``."""
    if folder is None or not folder.is_dir():
        return []
    examples = []
    for path in sorted(folder.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        comment = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comment.append(line.lstrip("#").strip())
        examples.append({"name": path.stem, "title": " ".join(comment) or path.stem, "query": text})
    return examples


def _default_queries() -> Path | None:
    for folder in (Path.cwd() / "queries", Path(__file__).resolve().parent.parent / "queries"):
        if folder.is_dir():
            return folder
    return None


def _safe_json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _render_explorer(graph: str, lang: str) -> str:
    """The explorer page (runs in a separate process: reading the graph and the layout take a while)."""
    from kg.ontology import load_ontology
    from kg.view import render_html

    return render_html(open_store(graph), load_ontology(), lang)


_NAV = (
    '<nav id="kg-serve-nav" style="position:fixed;top:8px;right:12px;z-index:1000;font:14px sans-serif;'
    'background:#fff;border:1px solid #ccc;border-radius:4px;padding:4px 8px">'
    '<a href="/query">SPARQL query page</a> · <a href="/ontology">ontology</a></nav>'
)


_TOO_LARGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Knowledge graph</title></head><body>'
    + _NAV
    + "<h1>Knowledge graph</h1><p>The graph has {triples:,} triples, more than the network view draws "
    '({limit:,}): explore it with the <a href="/query">SPARQL query page</a>.</p></body></html>'
)


def _with_nav(page: str) -> str:
    """The explorer page with links to the query page and the ontology."""
    match = re.search(r"<body[^>]*>", page)
    if match is None:
        return page
    return page[: match.end()] + _NAV + page[match.end() :]


# --------------------------------------------------------------------------- the app


class _Service:
    """State shared by the request handlers."""

    def __init__(self, config: ServeConfig, holder: _Holder) -> None:
        self.config = config
        self.holder = holder
        self.pool = _Pool(holder, config.worker_count)
        self.examples = load_examples(config.queries if config.queries is not None else _default_queries())
        self._explorer: dict[str, bytes] = {}
        self._explorer_lock = asyncio.Lock()

    async def explorer(self, lang: str) -> bytes:
        async with self._explorer_lock:
            if lang not in self._explorer:
                if self.holder.triples > EXPLORER_MAX_TRIPLES:
                    page = _TOO_LARGE.format(triples=self.holder.triples, limit=EXPLORER_MAX_TRIPLES)
                else:
                    loop = asyncio.get_running_loop()
                    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as executor:
                        page = await loop.run_in_executor(executor, _render_explorer, str(self.config.graph), lang)
                    page = _with_nav(page)
                self._explorer[lang] = page.encode("utf-8")
            return self._explorer[lang]

    def query_page(self) -> bytes:
        page = (
            _template_env()
            .get_template("query.html.j2")
            .render(examples_json=_safe_json(self.examples), examples=self.examples)
        )
        return page.encode("utf-8")


def create_app(config: ServeConfig, holder: _Holder) -> Any:
    """The Starlette application for a started holder."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import RedirectResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    service = _Service(config, holder)
    query_page = service.query_page()

    def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
        return Response((message + "\n").encode("utf-8"), status, headers=headers, media_type=_TEXT)

    def reply_response(reply: Reply, head: bool) -> Response:
        status, content_type, body = reply
        response = Response(b"" if head else body, status, headers={"Content-Type": content_type})
        if head:
            response.headers["Content-Length"] = str(len(body))
        if status == 406 or status == 200:
            response.headers["Vary"] = "Accept"
        return response

    async def run(job: tuple[Any, ...]) -> Reply:
        try:
            return await service.pool.run(job, config.timeout)
        except QueryTimeout:
            return _error(
                503,
                f"the query ran longer than the time limit of {config.timeout:g} s (kg serve "
                "--timeout) and was stopped: narrow it, add LIMIT, or raise the limit",
            )
        except WorkersBusy:
            return _error(503, f"all {service.pool.size} query workers stayed busy for {config.timeout:g} s: try again")
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            return _error(500, "the query worker stopped while answering (out of memory?); it has been replaced")

    async def sparql(request: Request) -> Response:
        method = request.method
        if method not in ("GET", "HEAD", "POST"):
            return error(405, f"{method} is not allowed on /sparql: use GET or POST", {"Allow": "GET, HEAD, POST"})
        url_params = list(request.query_params.multi_items())
        params: list[tuple[str, str]] = url_params
        body_query: str | None = None
        body_update: str | None = None
        if method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type not in (
                "application/x-www-form-urlencoded",
                "application/sparql-query",
                "application/sparql-update",
            ):
                return error(
                    415,
                    f"unsupported request body type {content_type or '(none)'!r}: send "
                    "application/x-www-form-urlencoded, application/sparql-query or application/sparql-update",
                )
            body = await _read_body(request)
            if body is None:
                return error(413, f"the request body is larger than {MAX_BODY} bytes")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return error(400, "the request body is not UTF-8 text")
            if content_type == "application/x-www-form-urlencoded":
                params = url_params + parse_qsl(text, keep_blank_values=True)
            elif content_type == "application/sparql-query":
                body_query = text
            else:
                body_update = text
        queries = [v for k, v in params if k == "query"] + ([body_query] if body_query is not None else [])
        updates = [v for k, v in params if k == "update"] + ([body_update] if body_update is not None else [])
        if queries and updates:
            return error(400, "a request carries either a query or an update, not both")
        if len(queries) > 1 or len(updates) > 1:
            return error(400, "more than one query or update in the request: send one")
        if updates:
            if method != "POST":
                return error(405, "SPARQL Update must be sent with POST", {"Allow": "POST"})
            return await update(request, updates[0])
        if not queries:
            if negotiate(request.headers.get("accept"), [_HTML, *RESULTS_MEDIA_TYPES]) == _HTML:
                return RedirectResponse("/query", status_code=303)
            return error(400, "no query: pass the SPARQL text as ?query=… (GET) or in the POST body")
        default_graphs = [v for k, v in params if k == "default-graph-uri"]
        named_graphs = [v for k, v in params if k == "named-graph-uri"]
        dataset = bool(default_graphs or named_graphs)
        job = (
            "query",
            queries[0],
            default_graphs if dataset else None,
            named_graphs if dataset else None,
            request.headers.get("accept"),
            config.max_rows,
        )
        return reply_response(await run(job), method == "HEAD")

    async def update(request: Request, text: str) -> Response:
        if not config.allow_update:
            return error(
                403,
                "this server is read-only: SPARQL Update is refused (start kg serve with "
                "--allow-update and a token to allow it)",
            )
        auth = request.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return error(
                401,
                "SPARQL Update needs the server's token: send 'Authorization: Bearer TOKEN'",
                {"WWW-Authenticate": 'Bearer realm="kg serve"'},
            )
        assert config.update_token is not None
        if not hmac.compare_digest(token.strip().encode(), config.update_token.encode()):
            return error(403, "wrong update token")
        try:
            reply = await service.pool.update(text, config.timeout)
        except QueryTimeout:
            reply = _error(
                503,
                f"the update ran longer than {config.timeout:g} s and was stopped; the graph was "
                "reloaded from its files, so earlier updates are gone",
            )
        return reply_response(reply, False)

    async def explorer(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return error(405, f"{request.method} is not allowed here: use GET", {"Allow": "GET, HEAD"})
        lang = request.query_params.get("lang", "both")
        if lang not in ("ko", "en", "both"):
            return error(400, f"unknown label language {lang!r}: use ko, en or both")
        page = await service.explorer(lang)
        return Response(page, media_type="text/html; charset=utf-8")

    async def query_ui(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return error(405, f"{request.method} is not allowed here: use GET", {"Allow": "GET, HEAD"})
        return Response(query_page, media_type="text/html; charset=utf-8")

    async def resource(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return error(405, f"{request.method} is not allowed here: use GET", {"Allow": "GET, HEAD"})
        raw = request.scope.get("raw_path") or request.url.path.encode("utf-8")
        iri = BASE + unquote(raw.decode("latin-1").lstrip("/"), encoding="utf-8")
        media = negotiate(request.headers.get("accept"), ["text/turtle", _HTML, *list(GRAPH_MEDIA_TYPES)[1:]])
        if media is None:
            return error(
                406,
                "no acceptable format: ask for text/html, text/turtle, application/n-triples, "
                "application/ld+json or application/rdf+xml",
                {"Vary": "Accept"},
            )
        return reply_response(await run(("describe", iri, media)), request.method == "HEAD")

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> Any:
        await service.pool.start()
        where = f"http://{_url_host(config.host)}:{config.port}"
        log.warning(
            "kg serve: %d triples from %s; %d query workers; SPARQL endpoint %s/sparql, explorer %s/, query page "
            "%s/query; %s",
            holder.triples,
            config.graph,
            service.pool.size,
            where,
            where,
            where,
            "updates allowed with the token" if config.allow_update else "read-only",
        )
        try:
            yield
        finally:
            service.pool.stop()

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    every = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    routes = [
        Route("/favicon.ico", no_icon),
        Route("/", explorer, methods=every),
        Route("/query", query_ui, methods=every),
        Route("/sparql", sparql, methods=every),
        Mount("/static", StaticFiles(directory=str(_STATIC)), name="static"),
        Route("/{path:path}", resource, methods=every),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.service = service
    return _AccessLog(app, _allowed_hosts(config.host))


async def _read_body(request: Any) -> bytes | None:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _allowed_hosts(host: str) -> frozenset[str] | None:
    """Host header values accepted when serving on loopback (a guard against DNS rebinding)."""
    if host in _LOOPBACK or host.startswith("127."):
        return frozenset(_LOOPBACK | {host, _url_host(host)})
    return None


class _AccessLog:
    """ASGI middleware: one log line per request; refuses foreign Host headers on loopback."""

    def __init__(self, app: Any, hosts: frozenset[str] | None) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(
        self, scope: dict[str, Any], receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status, size = 500, 0

        async def logged_send(message: dict[str, Any]) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            if self.hosts is not None and not self._host_ok(scope):
                body = b"this server answers requests to localhost / 127.0.0.1 only\n"
                await logged_send(
                    {
                        "type": "http.response.start",
                        "status": 400,
                        "headers": [(b"content-type", _TEXT.encode()), (b"content-length", str(len(body)).encode())],
                    }
                )
                await logged_send({"type": "http.response.body", "body": body})
                return
            await self.app(scope, receive, logged_send)
        finally:
            client = scope.get("client") or ("-", 0)
            target = scope.get("raw_path", b"").decode("latin-1")
            if scope.get("query_string"):
                target += "?" + scope["query_string"].decode("latin-1")
            if len(target) > 160:
                target = target[:157] + "..."
            log.info(
                '%s:%s "%s %s" %d %dB %.1fms',
                client[0],
                client[1],
                scope["method"],
                target,
                status,
                size,
                (time.perf_counter() - start) * 1000,
            )

    def _host_ok(self, scope: dict[str, Any]) -> bool:
        for key, value in scope.get("headers", ()):
            if key == b"host":
                host = value.decode("latin-1").lower()
                name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
                return name in self.hosts  # type: ignore[operator]
        return True  # HTTP/1.0 without Host


# --------------------------------------------------------------------------- entry point


def _check_port(host: str, port: int) -> None:
    """Fail early, with a message saying what to do, when the address cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(f"--host {host}: not an address this machine has ({exc.strerror})") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}: pass another --port") from None


def serve(config: ServeConfig) -> None:
    """Load the graph and serve it until interrupted (``kg serve``).

    Raises :class:`~kg.errors.InputError` when the graph cannot be loaded, before anything
    listens.
    """
    import uvicorn

    if not logging.getLogger().handlers and not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    _check_port(config.host, config.port)
    holder = _Holder(config.graph)
    holder.start()
    try:
        app = create_app(config, holder)
        uvicorn.run(
            app,
            host=config.host,
            port=config.port,
            access_log=False,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=2,
        )
    finally:
        holder.stop()
