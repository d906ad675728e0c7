"""Run read-only SPARQL on a built graph with Oxigraph.

``open_store(path) -> pyoxigraph.Store``
    An in-memory store loaded from a build folder (``graph.trig``, else ``graph.ttl``) or
    one RDF file (``.trig .nq .ttl .nt .jsonld``).
``run_query(store, sparql) -> QueryResult``
    SELECT, ASK, CONSTRUCT or DESCRIBE; the default graph is the union of all graphs, so
    queries need no ``GRAPH`` clause. The project's prefixes (``kgo:``, ``kgr:``, …) are
    predeclared. SPARQL Update is refused.
``read_query_arg(arg) -> str``
    A ``.rq`` file (or any existing file) is read; anything else is the query text.
``to_result(answer, prefixes) -> QueryResult``
    The same result from an answer computed elsewhere (a remote store: :mod:`kg.remote`).
``format_result(result, fmt) -> str``
    SELECT/ASK: ``table`` (default), ``csv``, ``tsv``, ``json`` (the SPARQL 1.1 results
    formats, written by pyoxigraph). CONSTRUCT/DESCRIBE: ``turtle`` (default), ``nt``,
    ``jsonld``; triples are sorted (blank nodes canonicalised) so output is stable.

>>> store = pyoxigraph.Store()
>>> store.load(input='<https://kg.example/id/Seoul> a <https://kg.example/ontology#City> .',
...            format=pyoxigraph.RdfFormat.TURTLE)
>>> print(format_result(run_query(store, "SELECT ?city WHERE { ?city a kgo:City }")), end="")
city
---------
kgr:Seoul
1 row
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal as TypingLiteral
from typing import TypeAlias

import pyoxigraph

from kg.errors import InputError, QueryError
from kg.ns import PREFIXES, RDF, XSD
from kg.store import open_store as open_kg_store
from kg.store import store_dir

__all__ = [
    "GRAPH_FORMATS",
    "PROJECT_PREFIXES",
    "RDF_FORMATS",
    "SELECT_FORMATS",
    "QueryResult",
    "format_result",
    "graph_file",
    "merge_named_graphs",
    "open_store",
    "prologue",
    "read_only",
    "read_query_arg",
    "run_query",
    "shorten_iri",
    "to_result",
]

Term: TypeAlias = "pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple"

#: File suffix -> RDF syntax, for files given to :func:`open_store`.
RDF_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    ".trig": pyoxigraph.RdfFormat.TRIG,
    ".nq": pyoxigraph.RdfFormat.N_QUADS,
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
#: Files looked for, in order, in a build folder.
BUILD_FILES: tuple[str, ...] = ("graph.trig", "graph.ttl")

#: Output formats for SELECT and ASK results (the first is the default).
SELECT_FORMATS: dict[str, pyoxigraph.QueryResultsFormat | None] = {
    "table": None,
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
    "json": pyoxigraph.QueryResultsFormat.JSON,
}
#: Output formats for CONSTRUCT and DESCRIBE results (the first is the default).
GRAPH_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}

_PLAIN_DATATYPES = frozenset(str(t) for t in (XSD.string, XSD.integer, XSD.decimal, XSD.double, XSD.boolean))
_PROLOGUE_TOKEN = re.compile(r"\s+|\#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*([^\s:]*):\s*<([^>]*)>", re.IGNORECASE)
_UPDATE_KEYWORD = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_LOCAL_NAME = re.compile(r"[^\s/#?<>\"'{}|\\^`()\[\],;]*")


#: The project's prefixes (:data:`kg.ns.PREFIXES`) as prefix -> namespace text.
PROJECT_PREFIXES: dict[str, str] = {prefix: str(namespace) for prefix, namespace in PREFIXES}


# --------------------------------------------------------------------------- loading


def graph_file(path: str | Path) -> tuple[Path, pyoxigraph.RdfFormat]:
    """The RDF file behind ``path`` and its syntax.

    A folder means a build folder: its ``graph.trig``, else its ``graph.ttl``. A file
    must have one of the :data:`RDF_FORMATS` suffixes. Raises
    :class:`~kg.errors.InputError` when there is no such file.
    """
    if store_dir(path) is not None:
        raise InputError(f"{path}: a store; this command reads a build folder or an RDF file")
    path = Path(path)
    if path.is_dir():
        for name in BUILD_FILES:
            if (path / name).is_file():
                return path / name, RDF_FORMATS[Path(name).suffix]
        raise InputError(f"{path}: no {' or '.join(BUILD_FILES)} in this folder: pass a build folder or an RDF file")
    if not path.is_file():
        raise InputError(f"{path}: no such file or folder")
    syntax = RDF_FORMATS.get(path.suffix.lower())
    if syntax is None:
        raise InputError(
            f"{path.name}: unknown RDF file type {path.suffix!r}: use a build folder or a "
            + ", ".join(RDF_FORMATS)
            + " file"
        )
    return path, syntax


def open_store(path: str | Path) -> pyoxigraph.Store:
    """Load a build folder or an RDF file into a new in-memory store, or open a kg store
    (``oxigraph:DIR``, :mod:`kg.store`) read-only; either way the default graph is the
    merge of the named graphs.

    Raises :class:`~kg.errors.InputError` for a missing path, an unknown suffix or a
    syntax error (the message names the file and the line), or a store that cannot be read.
    """
    directory = store_dir(path)
    if directory is not None:
        return open_kg_store(directory)
    file, syntax = graph_file(path)
    store = pyoxigraph.Store()
    try:
        store.load(path=file, format=syntax)
    except SyntaxError as exc:
        raise InputError(f"{file.name}: {_one_line(exc)}") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{file.name}: cannot read: {_one_line(exc)}") from None
    merge_named_graphs(store)
    return store


def merge_named_graphs(store: pyoxigraph.Store) -> None:
    """Make the default graph the RDF merge of every named graph.

    A fact stated by two documents sits in two named graphs; Oxigraph's union default
    graph would return it twice, while a merge holds it once, as users expect of
    ``SELECT … WHERE { ?s ?p ?o }``. ``GRAPH ?g { … }`` still reaches each document's own
    statements.
    """
    default = pyoxigraph.DefaultGraph()
    store.bulk_extend(
        [
            pyoxigraph.Quad(q.subject, q.predicate, q.object, default)
            for q in store
            if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)
        ]
    )


def read_query_arg(arg: str) -> str:
    """The query text for a command-line argument.

    ``*.rq`` names a query file (:class:`~kg.errors.InputError` if it is missing); any
    other argument naming an existing file is read too; everything else is the query.
    """
    path = Path(arg)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):  # query text too long or odd to be a file name
        is_file = False
    if not is_file:
        if arg.strip().lower().endswith(".rq"):
            raise InputError(f"{arg}: no such query file")
        return arg
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: query file is not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read query file: {exc.strerror}") from None


# --------------------------------------------------------------------------- querying


@dataclass(frozen=True)
class QueryResult:
    """A query's result, read out of the store.

    ``kind`` is ``"select"`` (``variables`` and ``rows``, in the query's order; an
    unbound cell is ``None``), ``"ask"`` (``boolean``) or ``"graph"`` for CONSTRUCT and
    DESCRIBE (``triples``, sorted). ``prefixes`` maps prefix -> namespace for display.
    """

    kind: TypingLiteral["select", "ask", "graph"]
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[pyoxigraph.Triple, ...] = ()
    prefixes: Mapping[str, str] = field(default_factory=dict, compare=False)
    #: SPARQL JSON results (select/ask), re-read to write the other results formats.
    results_json: bytes = field(default=b"", repr=False, compare=False)


def prologue(sparql: str) -> tuple[dict[str, str], str]:
    """The PREFIX declarations at the start of ``sparql`` and the text after them."""
    prefixes: dict[str, str] = {}
    pos = 0
    while pos < len(sparql):
        match = _PROLOGUE_TOKEN.match(sparql, pos)
        if match is None or match.end() == pos:
            break
        if match.group(2) is not None:
            prefixes[match.group(1)] = match.group(2)
        pos = match.end()
    return prefixes, sparql[pos:]


def read_only(sparql: str) -> dict[str, str]:
    """The prefixes to display ``sparql``'s results with: the project's, then the query's own.

    Raises :class:`~kg.errors.QueryError` for SPARQL Update: kg only reads.
    """
    declared, body = prologue(sparql)
    if _UPDATE_KEYWORD.match(body):
        raise QueryError(
            "kg query is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is not "
            "supported; use SELECT, ASK, CONSTRUCT or DESCRIBE"
        )
    return {**PROJECT_PREFIXES, **declared}


def run_query(store: pyoxigraph.Store, sparql: str) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query over a store from :func:`open_store`
    (its default graph is the merge of all named graphs).

    Raises :class:`~kg.errors.QueryError` for malformed SPARQL (the parser's one-line
    message) and for SPARQL Update.
    """
    prefixes = read_only(sparql)
    try:
        return to_result(store.query(sparql, prefixes=PROJECT_PREFIXES), prefixes)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL: {_one_line(exc)}") from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"query failed: {_one_line(exc)}") from None


def to_result(
    answer: pyoxigraph.QueryBoolean | pyoxigraph.QuerySolutions | Iterable[pyoxigraph.Triple],
    prefixes: Mapping[str, str],
) -> QueryResult:
    """A :class:`QueryResult` from an answer, wherever it was computed: Oxigraph's own, or
    one parsed from a remote store's SPARQL results (:mod:`kg.remote`)."""
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult(
            kind="ask",
            boolean=bool(answer),
            prefixes=prefixes,
            results_json=_serialize(answer, pyoxigraph.QueryResultsFormat.JSON),
        )
    if isinstance(answer, pyoxigraph.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        data = _serialize(answer, pyoxigraph.QueryResultsFormat.JSON)
        solutions = pyoxigraph.parse_query_results(data, pyoxigraph.QueryResultsFormat.JSON)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        rows = tuple(tuple(solution[v] for v in variables) for solution in solutions)
        return QueryResult(kind="select", variables=variables, rows=rows, prefixes=prefixes, results_json=data)
    return QueryResult(kind="graph", triples=_sorted_triples(answer), prefixes=prefixes)


def _serialize(
    results: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean, fmt: pyoxigraph.QueryResultsFormat
) -> bytes:
    data = results.serialize(format=fmt)
    assert data is not None  # no output file given, so pyoxigraph returns the bytes
    return data


def _sorted_triples(triples: Iterable[pyoxigraph.Triple]) -> tuple[pyoxigraph.Triple, ...]:
    """Triples in a stable order; blank nodes get canonical (RDFC-1.0) labels first."""
    triples = list(triples)
    if any(isinstance(t, pyoxigraph.BlankNode) for triple in triples for t in triple):
        dataset = pyoxigraph.Dataset(pyoxigraph.Quad(*triple) for triple in triples)
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        triples = [quad.triple for quad in dataset]
    return tuple(sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))))


def _one_line(exc: BaseException) -> str:
    message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return " ".join(message.split())


# --------------------------------------------------------------------------- output


def format_result(result: QueryResult, fmt: str | None = None) -> str:
    """Write ``result`` as text in ``fmt``; any non-empty output ends with a newline.

    ``table`` is for people: aligned columns (wide Hangul counted as two), IRIs with
    the project's prefixes, literals as their value plus ``@lang`` or ``^^type`` where
    that says something, and a last line ``N rows``. The others are the standard
    formats. A format that does not fit the query raises :class:`~kg.errors.QueryError`.
    """
    if result.kind == "graph":
        fitting, name = tuple(GRAPH_FORMATS), "a CONSTRUCT or DESCRIBE query"
    else:
        fitting = tuple(SELECT_FORMATS)
        name = "an ASK query" if result.kind == "ask" else "a SELECT query"
    fmt = (fmt or fitting[0]).lower()
    if fmt not in fitting:
        known = fmt in SELECT_FORMATS or fmt in GRAPH_FORMATS
        what = f"format {fmt!r} does not fit {name}" if known else f"unknown format {fmt!r}"
        raise QueryError(f"{what}: use one of {', '.join(fitting)}")
    if result.kind == "graph":
        return _format_graph(result, GRAPH_FORMATS[fmt])
    results_format = SELECT_FORMATS[fmt]
    if results_format is None:
        return _format_table(result)
    parsed = pyoxigraph.parse_query_results(result.results_json, pyoxigraph.QueryResultsFormat.JSON)
    text = _serialize(parsed, results_format).decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def _format_graph(result: QueryResult, syntax: pyoxigraph.RdfFormat) -> str:
    prefixes = None
    if syntax == pyoxigraph.RdfFormat.TURTLE:
        prefixes = _used_prefixes(result.triples, result.prefixes)
    data = pyoxigraph.serialize(result.triples, format=syntax, prefixes=prefixes)
    assert data is not None
    text = data.decode("utf-8")
    return text if not text or text.endswith("\n") else text + "\n"


def _iris(term: Term) -> Iterable[str]:
    if isinstance(term, pyoxigraph.NamedNode):
        yield term.value
    elif isinstance(term, pyoxigraph.Literal):
        if not term.language and term.datatype.value != str(XSD.string):  # shown as "..."@ko / "..."
            yield term.datatype.value
    elif isinstance(term, pyoxigraph.Triple):
        for part in term:
            yield from _iris(part)


def _used_prefixes(triples: Iterable[pyoxigraph.Triple], prefixes: Mapping[str, str]) -> dict[str, str]:
    iris: set[str] = set()
    for triple in triples:
        iris.update(_iris(triple.subject), _iris(triple.object))
        if triple.predicate.value != str(RDF.type):  # Turtle writes rdf:type as "a"
            iris.add(triple.predicate.value)
    return {
        prefix: namespace
        for prefix, namespace in sorted(prefixes.items())
        if namespace and any(iri.startswith(namespace) for iri in iris)
    }


def shorten_iri(iri: str, prefixes: Mapping[str, str] | None = None) -> str:
    """``prefix:local`` for the longest matching namespace, else ``<iri>``.

    >>> shorten_iri("https://kg.example/id/Seoul"), shorten_iri("http://example.com/x")
    ('kgr:Seoul', '<http://example.com/x>')
    """
    if prefixes is None:
        prefixes = PROJECT_PREFIXES
    best: tuple[str, str] | None = None
    for prefix, namespace in prefixes.items():
        if namespace and iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            local = iri[len(namespace) :]
            if _LOCAL_NAME.fullmatch(local) and not local.endswith("."):
                best = (prefix, namespace)
    if best is None:
        return f"<{iri}>"
    return f"{best[0]}:{iri[len(best[1]) :]}"


def _compact(term: Term | None, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        return shorten_iri(term.value, prefixes)
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.Literal):
        value = term.value.translate(_ESCAPES)
        if term.language:
            return f"{value}@{term.language}"
        if term.datatype.value in _PLAIN_DATATYPES:
            return value
        return f"{value}^^{shorten_iri(term.datatype.value, prefixes)}"
    return "<< " + " ".join(_compact(part, prefixes) for part in term) + " >>"


@functools.lru_cache(maxsize=1 << 16)
def _width(text: str) -> int:
    """Columns on a terminal; cached because large results repeat the same names."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _format_table(result: QueryResult) -> str:
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    header = list(result.variables)
    compact: dict[Term | None, str] = {}  # large results repeat terms: write each once
    for row in result.rows:
        for term in row:
            if term not in compact:
                compact[term] = _compact(term, result.prefixes)
    cells = [[compact[term] for term in row] for row in result.rows]
    widths = [max([_width(h)] + [_width(row[i]) for row in cells]) for i, h in enumerate(header)]
    lines = []
    if header:
        lines.append("  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        lines.extend("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)
    count = len(result.rows)
    lines.append(f"{count} row" if count == 1 else f"{count} rows")
    return "\n".join(lines) + "\n"
