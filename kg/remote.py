"""Query a remote SPARQL 1.1 store as if it were the local graph.

``Endpoint(url, user=None, password=None, timeout=300)``
    A store's URL and credentials (HTTP digest, which also answers basic challenges).
``remote_query(endpoint, sparql) -> QueryResult``
    The query over the SPARQL 1.1 Protocol, read into the same :class:`~kg.query.QueryResult`
    a local query gives, so :func:`kg.query.format_result` writes the same text.
``view_graph(endpoint, ontology, focus, depth, max_nodes, size_by) -> rdflib.Graph``
    The triples :func:`kg.view.render_html` needs for that selection, fetched with CONSTRUCT.
``client(endpoint)``, ``checked(response, kind)``, ``count_triples(client, url, graph)``
    The HTTP plumbing :mod:`kg.push` shares.

The default graph. Locally it is the RDF merge of a build's named graphs
(:func:`kg.query.merge_named_graphs`). Stores differ: Oxigraph's server keeps a separate,
empty default graph (or, with ``--union-default-graph``, the union, which repeats a triple
stated in two graphs); Virtuoso's is the union of every graph, its own system graphs
included. So ``kg push`` also writes the merge as the named graph
:data:`~kg.ns.MERGED_GRAPH`, and every query kg sends names it with the protocol's
``default-graph-uri``: the rows are the local ones whatever the store's own convention. A
query with its own ``FROM`` or ``FROM NAMED`` is sent as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import httpx
import pyoxigraph
import rdflib

from kg.errors import QueryError, RemoteError, StoreFailure
from kg.evaluate import to_rdflib
from kg.ns import KGO, MERGED_GRAPH, NIF, RDF, SCHEMA
from kg.query import PROJECT_PREFIXES, QueryResult, prologue, read_only, to_result
from kg.view import select, view_data

__all__ = [
    "Endpoint",
    "checked",
    "client",
    "count_triples",
    "remote_query",
    "unreachable",
    "view_graph",
]

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
#: Entities per CONSTRUCT when fetching the evidence of a selection (keeps each request small).
VALUES_CHUNK = 1000

_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?(?:<|[A-Za-z_][\w.-]*:)", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_URL_HINTS = {
    "gsp": "its Graph Store Protocol URL (Oxigraph: http://HOST:PORT/store, "
    "Virtuoso: http://HOST:PORT/sparql-graph-crud-auth)",
    "sparql": "its SPARQL query URL (Oxigraph: http://HOST:PORT/query, Virtuoso: http://HOST:PORT/sparql)",
}


@dataclass(frozen=True)
class Endpoint:
    """A store URL, and the credentials to send when the store asks for them."""

    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = 300.0


def client(endpoint: Endpoint) -> httpx.Client:
    """An HTTP client for ``endpoint``: digest auth when a user is given, no proxies from
    the environment (stores are usually on the same network), the endpoint's time limit."""
    auth = httpx.DigestAuth(endpoint.user, endpoint.password or "") if endpoint.user else None
    return httpx.Client(auth=auth, timeout=endpoint.timeout, trust_env=False)


def _reason(response: httpx.Response) -> str:
    text = " ".join(_TAG.sub(" ", response.text).split())
    return text[:300] if text else response.reason_phrase


def checked(response: httpx.Response, kind: str) -> httpx.Response:
    """``response`` if it is a success; else a :class:`~kg.errors.RemoteError` (a
    :class:`~kg.errors.QueryError` for a refused query) that says what to fix.

    ``kind`` is ``"gsp"`` or ``"sparql"``: which of the store's URLs was asked.
    """
    status = response.status_code
    if status < 400:
        return response
    url = str(response.request.url.copy_with(query=None))
    if status == 401:
        raise RemoteError(
            f"{url} refused the credentials (401 Unauthorized): pass --user and --password "
            "(or set KG_PUSH_USER and KG_PUSH_PASSWORD)"
        )
    if status == 403:
        raise RemoteError(f"{url} forbids this (403 Forbidden): {_reason(response)}")
    if status in (404, 405, 501):
        raise RemoteError(f"{url} answered {status} {response.reason_phrase}: give the store's {_URL_HINTS[kind]}")
    if status == 400 and kind == "sparql":
        raise QueryError(f"the store refused the query (400): {_reason(response)}")
    failure = StoreFailure if status >= 500 else RemoteError
    raise failure(f"{url} answered {status} {response.reason_phrase}: {_reason(response)}")


def unreachable(url: str, exc: httpx.HTTPError) -> RemoteError:
    """The error for a request that got no answer at all."""
    if isinstance(exc, httpx.TimeoutException):
        return StoreFailure(f"{url} did not answer in time ({type(exc).__name__}): is the store overloaded?")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return RemoteError(f"{url} is not an http:// or https:// URL")
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return StoreFailure(f"cannot reach {url}: {reason}: is the store running and the URL right?")


def _send(http: httpx.Client, url: str, data: dict[str, str | list[str]], accept: str) -> httpx.Response:
    try:
        response = http.post(url, data=data, headers={"Accept": accept})
    except httpx.HTTPError as exc:
        raise unreachable(url, exc) from None
    return checked(response, "sparql")


def _request(sparql: str) -> dict[str, str | list[str]]:
    """The protocol parameters: the query with the project's prefixes it does not declare
    (a local query has them predeclared), over the merged graph unless it names its own."""
    declared, _body = prologue(sparql)
    missing = [p for p in PROJECT_PREFIXES if p not in declared and f"{p}:" in sparql]
    text = "".join(f"PREFIX {p}: <{PROJECT_PREFIXES[p]}>\n" for p in missing) + sparql
    data: dict[str, str | list[str]] = {"query": text}
    if not _FROM.search(sparql):
        data["default-graph-uri"] = str(MERGED_GRAPH)
    return data


def _form(sparql: str) -> str:
    """``select``, ``ask`` or ``graph``: parsed here, so malformed SPARQL fails as it does locally."""
    try:
        answer = pyoxigraph.Store().query(sparql, prefixes=PROJECT_PREFIXES)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL: {' '.join(str(exc).split())}") from None
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return "ask"
    return "select" if isinstance(answer, pyoxigraph.QuerySolutions) else "graph"


def remote_query(endpoint: Endpoint, sparql: str) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query on a remote store (see the module
    docstring for its default graph). Raises :class:`~kg.errors.QueryError` for malformed
    SPARQL or Update, :class:`~kg.errors.RemoteError` when the store cannot answer."""
    prefixes = read_only(sparql)
    form = _form(sparql)
    data = _request(sparql)
    with client(endpoint) as http:
        response = _send(http, endpoint.url, data, N_TRIPLES if form == "graph" else RESULTS_JSON)
    try:
        if form == "graph":
            return to_result(pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.N_TRIPLES), prefixes)
        answer = pyoxigraph.parse_query_results(response.content, pyoxigraph.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise RemoteError(
            f"{endpoint.url} answered with unreadable results ({' '.join(str(exc).split())[:200]}): "
            "is it a SPARQL query URL?"
        ) from None
    if form == "ask" and isinstance(answer, pyoxigraph.QuerySolutions):
        answer = pyoxigraph.parse_query_results(
            b'{"head": {}, "boolean": %s}' % (b"true" if _ask_value(answer) else b"false"),
            pyoxigraph.QueryResultsFormat.JSON,
        )
    return to_result(answer, prefixes)


def _ask_value(solutions: pyoxigraph.QuerySolutions) -> bool:
    """Virtuoso 7.2 answers ASK with one row binding ``__ASK_RETVAL`` to 1 or 0."""
    values = [term.value for row in solutions for term in row if term is not None]
    return bool(values) and values[0] not in ("0", "false")


def _construct(http: httpx.Client, endpoint: Endpoint, sparql: str) -> list[pyoxigraph.Triple]:
    response = _send(http, endpoint.url, _request(sparql), N_TRIPLES)
    try:
        return list(pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise RemoteError(f"{endpoint.url} answered with unreadable N-Triples: {exc}") from None


def _graph(triples: Iterable[pyoxigraph.Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def view_graph(
    endpoint: Endpoint,
    ontology: rdflib.Graph,
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int = 0,
    size_by: str = "degree",
) -> rdflib.Graph:
    """What :func:`kg.view.render_html` reads for this selection, fetched from the store.

    Two steps: every triple about a node of a ``kgo`` class (entities with their labels,
    facts and relations, quantities, evidence records), enough to resolve ``focus`` and
    count relations as the local view does; then, for the entities shown only, the
    sentences that mention them or are evidence for their relations, with each sentence's
    document headline and date.
    """
    with client(endpoint) as http:
        nodes = _construct(
            http,
            endpoint,
            f'CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s a ?c ; ?p ?o . FILTER (STRSTARTS(STR(?c), "{KGO}")) }}',
        )
        graph = _graph(nodes)
        keep, _center, _note = select(view_data(graph, ontology), focus, depth, max_nodes, size_by)
        for chunk in _chunks(keep, VALUES_CHUNK):
            values = " ".join(f"<{e}>" for e in chunk)
            evidence = _construct(
                http,
                endpoint,
                f"""CONSTRUCT {{ ?sent ?p ?o . ?doc <{SCHEMA.headline}> ?h ; <{SCHEMA.datePublished}> ?d }}
WHERE {{
  VALUES ?e {{ {values} }}
  {{ ?sent <{SCHEMA.mentions}> ?e }} UNION {{ ?a <{RDF.subject}> ?e ; <{KGO.evidence}> ?sent }}
  ?sent ?p ?o .
  OPTIONAL {{ ?sent <{NIF.referenceContext}> ?doc .
             OPTIONAL {{ ?doc <{SCHEMA.headline}> ?h }} OPTIONAL {{ ?doc <{SCHEMA.datePublished}> ?d }} }}
}}""",
            )
            for t in evidence:
                graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def _chunks(items: Sequence[rdflib.URIRef], size: int) -> Iterable[Sequence[rdflib.URIRef]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def count_triples(http: httpx.Client, url: str, graph: str) -> int:
    """The number of triples the store holds in the named graph ``graph``."""
    response = _send(
        http,
        url,
        {"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        RESULTS_JSON,
    )
    try:
        solutions = pyoxigraph.parse_query_results(response.content, pyoxigraph.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise RemoteError(f"{url} answered a COUNT query with unreadable results: {exc}") from None
    cells = [row[0] for row in solutions] if isinstance(solutions, pyoxigraph.QuerySolutions) else []
    if len(cells) != 1 or not isinstance(cells[0], pyoxigraph.Literal) or not cells[0].value.isdigit():
        raise RemoteError(f"{url} answered a COUNT query with {cells!r}: is it a SPARQL query URL?")
    return int(cells[0].value)
