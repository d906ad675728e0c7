"""The ``kg`` command: parses arguments, calls the library, prints.

Every error a user can cause (a missing file, an unreadable document, malformed SPARQL,
a graph that breaks the shapes) ends as one line on stderr and a non-zero exit status:
1 for a failed check (SHACL, scores), 2 for bad input.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.errors import KGError, ValidationError

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, status: int) -> None:
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(status)


def reports_errors(command: F) -> F:
    """Turn library errors into one line and an exit status instead of a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ValidationError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            if exc.report:
                click.echo(exc.report, err=True)
            sys.exit(1)
        except KGError as exc:
            _fail(str(exc), 2)
        except OSError as exc:
            _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), 2)
        except KeyboardInterrupt:
            _fail("interrupted; outputs already written are complete, the rest were not written", 130)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """kg: build an evidence-backed RDF knowledge graph from Korean and English news."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    default=Path("build"),
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for graph.ttl, graph.trig, graph.jsonld, graph.nt, graph.html, report.json.",
)
@click.option(
    "--gazetteer",
    type=click.Path(path_type=Path),
    default=None,
    help="Gazetteer YAML file (default: the bundled data/gazetteer.yaml).",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress on stderr, stage by stage (default: from 6 documents on)."
)
@click.option(
    "--store",
    "store",
    default=None,
    metavar="oxigraph:DIR",
    help="Also write the dataset into an on-disk Oxigraph store in DIR (kg query/view/serve read oxigraph:DIR).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that extract documents (default: the machine's cores).",
)
@click.option(
    "--dask",
    "dask",
    default=None,
    metavar="ADDRESS",
    help="Extract on this Dask distributed scheduler (e.g. tcp://10.0.0.5:8786) instead of local processes.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Extract and validate everything again, ignoring (and not updating) OUT/.kg-cache/.",
)
@reports_errors
def build(
    paths: tuple[Path, ...],
    out: Path,
    gazetteer: Path | None,
    progress: bool | None,
    store: str | None,
    workers: int | None,
    dask: str | None,
    no_cache: bool,
) -> None:
    """Build the knowledge graph from documents (.txt, .md) and folders.

    Unchanged documents are taken from the cache in OUT/.kg-cache/, with the
    validation units the last build passed, so a rebuild extracts and validates only
    what changed.

    Example: kg build data/ --out build/ --workers 4 --store oxigraph:build/store
    """
    from kg.gazetteer import DEFAULT_GAZETTEER
    from kg.parallel import default_workers
    from kg.pipeline import CACHE_DIR, OUTPUT_FILES, write_build
    from kg.pipeline import build as run_build
    from kg.store import store_option

    store_path = store_option(store) if store is not None else None
    result = run_build(
        paths,
        gazetteer or DEFAULT_GAZETTEER,
        progress,
        workers=workers or default_workers(),
        dask=dask,
        cache_dir=None if no_cache else out / CACHE_DIR,
    )
    write_build(result, out, store_path)
    report = result.report()
    timing = report["timing"]
    classes = ", ".join(f"{n} {c}" for c, n in report["entities_by_class"].items())
    click.echo(
        f"{report['documents']} document(s) ({timing['documents_extracted']} extracted by "
        f"{timing['extracted_by']}, {timing['documents_from_cache']} from the cache), "
        f"{report['sentences']} sentences -> "
        f"{report['entities']} entities ({classes}), {report['triples']} triples, "
        f"{report['assertions']} evidence records; SHACL: conforms{_passed_before(timing)}; "
        f"{timing['seconds']:.1f} s\nwrote {out}/: {' '.join(OUTPUT_FILES)}"
        + (f"\nwrote store oxigraph:{store_path}" if store_path is not None else "")
    )


def _passed_before(timing: dict[str, Any]) -> str:
    skipped = timing["validation_units_from_cache"]
    return f" ({skipped} units of statements passed in the last build, not checked again)" if skipped else ""


@main.command()
@click.argument("query")
@click.option(
    "--graph",
    "graph",
    default=Path("build"),
    show_default=True,
    type=click.Path(path_type=Path),
    help="A build folder, an RDF file (.trig, .ttl, .nt, .nq, .jsonld) or a store written by kg build: oxigraph:DIR.",
)
@click.option(
    "--format",
    "fmt",
    default=None,
    help="SELECT/ASK: table (default), csv, tsv, json. CONSTRUCT/DESCRIBE: turtle (default), nt, jsonld.",
)
@click.option(
    "--endpoint",
    default=None,
    help="A remote store's SPARQL query URL to ask instead of --graph (a store kg push wrote to).",
)
@reports_errors
def query(query: str, graph: Path, fmt: str | None, endpoint: str | None) -> None:
    """Run a SPARQL query (text or a .rq file) over a built graph or a remote store.

    Example: kg query queries/partners_by_country.rq --endpoint http://127.0.0.1:8890/sparql
    """
    from kg.query import format_result, open_store, read_query_arg, run_query

    text = read_query_arg(query)
    if endpoint is None:
        result = run_query(open_store(graph), text)
    else:
        from kg.remote import Endpoint, remote_query

        result = remote_query(Endpoint(endpoint), text)
    click.echo(format_result(result, fmt), nl=False)


@main.command()
@click.argument("build_dir", type=click.Path(path_type=Path), default=Path("build"))
@click.option("--gsp", required=True, help="The store's Graph Store Protocol URL, e.g. http://HOST:PORT/store.")
@click.option("--sparql", default=None, help="The store's SPARQL query URL, to count what was written (else GET).")
@click.option("--user", envvar="KG_PUSH_USER", default=None, help="User name (default: $KG_PUSH_USER).")
@click.option("--password", envvar="KG_PUSH_PASSWORD", default=None, help="Password (default: $KG_PUSH_PASSWORD).")
@click.option(
    "--batch-size", default=50_000, show_default=True, type=click.IntRange(min=1), help="Triples per request."
)
@click.option(
    "--retries", default=3, show_default=True, type=click.IntRange(min=0), help="Repeats of a failed request or graph."
)
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@reports_errors
def push(
    build_dir: Path,
    gsp: str,
    sparql: str | None,
    user: str | None,
    password: str | None,
    batch_size: int,
    retries: int,
    progress: bool | None,
) -> None:
    """Publish a build (one named graph per document, the ontology, the gazetteer, and
    their merge) to a triple store over the SPARQL 1.1 Graph Store Protocol.

    Example: kg push build/ --gsp http://127.0.0.1:8890/sparql-graph-crud-auth
    --sparql http://127.0.0.1:8890/sparql --user dba   (password from $KG_PUSH_PASSWORD)
    """
    from kg.push import PushTarget, read_graphs
    from kg.push import push as run_push
    from kg.remote import Endpoint

    result = run_push(
        read_graphs(build_dir), PushTarget(Endpoint(gsp, user, password), sparql), batch_size, retries, progress
    )
    click.echo(
        f"pushed {len(result.graphs)} graphs, {result.triples} triples to {gsp} in {result.seconds:.1f} s; "
        "every graph's count verified"
    )


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--provenance", is_flag=True, help="Compare graph.trig (facts with their documents and evidence), not graph.ttl."
)
@reports_errors
def diff(old: Path, new: Path, provenance: bool) -> None:
    """List the statements added (+) and removed (-) from build OLD to build NEW (build
    folders or RDF files), sorted, then a count.

    Example: kg diff build-monday/ build/
    """
    from kg.diff import diff as run_diff
    from kg.diff import format_diff

    click.echo(format_diff(run_diff(old, new, provenance)), nl=False)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@reports_errors
def validate(graph: Path) -> None:
    """Check a graph file or build folder against the SHACL shapes.

    Example: kg validate build/graph.trig
    """
    from kg.query import graph_file
    from kg.validate import validate as run_validate

    result = run_validate(graph_file(graph)[0])
    if result.conforms:
        click.echo(f"{graph}: conforms to the shapes")
        return
    raise ValidationError(f"{graph} breaks {len(result.violations)} SHACL constraint(s)", report=result.summary())


@main.command(name="eval")
@click.option("--gold", "gold", required=True, type=click.Path(path_type=Path), help="Gold annotation (YAML).")
@click.argument("graph", type=click.Path(path_type=Path), default=Path("build"))
@reports_errors
def eval_command(gold: Path, graph: Path) -> None:
    """Score a built graph against a gold annotation: precision, recall, F1.

    Example: kg eval --gold data/gold/seed_gold.yaml build/
    """
    from kg.evaluate import evaluate, format_result, load_gold, load_graph
    from kg.ontology import load_ontology

    result = evaluate(load_graph(graph), load_gold(gold), load_ontology())
    click.echo(format_result(result))


@main.command()
@click.argument("graph", type=click.Path(path_type=Path), default=Path("build"))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="HTML file to write.")
@click.option(
    "--lang",
    type=click.Choice(["ko", "en", "both"]),
    default="both",
    show_default=True,
    help="Labels the page opens with (it has a switch).",
)
@click.option("--focus", default=None, help="Only the network around this entity: a label, an IRI or a Wikidata ID.")
@click.option(
    "--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Relations from --focus to include."
)
@click.option(
    "--size-by",
    type=click.Choice(["degree", "pagerank"]),
    default="degree",
    show_default=True,
    help="Node size by number of relations or by PageRank.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=0),
    default=0,
    help="Show only the N most central entities (by --size-by); the page says so. 0 (default): all.",
)
@click.option(
    "--large-threshold",
    type=click.IntRange(min=0),
    default=2000,
    show_default=True,
    help="From this many nodes on, draw light: straight edges, no edge labels or hover (0: never).",
)
@click.option("--endpoint", default=None, help="A remote store's SPARQL query URL to read instead of GRAPH.")
@reports_errors
def view(
    graph: Path,
    out: Path,
    lang: str,
    focus: str | None,
    depth: int,
    size_by: str,
    max_nodes: int,
    large_threshold: int,
    endpoint: str | None,
) -> None:
    """Render a built graph (a build folder, .trig, .ttl, .jsonld, .nt, or a store oxigraph:DIR)
    as an interactive HTML network that opens offline.

    Example: kg view build/ --out graph.html --lang en --focus 서울 --depth 2
    """
    from pyoxigraph import Store
    from rdflib import Graph

    from kg.export import write_atomic
    from kg.ontology import load_ontology
    from kg.query import open_store
    from kg.view import render_html

    ontology = load_ontology()
    dataset: Graph | Store
    if endpoint is None:
        dataset = open_store(graph)
    else:
        from kg.remote import Endpoint, view_graph

        dataset = view_graph(Endpoint(endpoint), ontology, focus, depth, max_nodes, size_by)
    page = render_html(
        dataset,
        ontology,
        lang,
        focus=focus,
        depth=depth,
        size_by=size_by,
        max_nodes=max_nodes,
        large_threshold=large_threshold,
    )
    write_atomic(out, page)
    click.echo(f"wrote {out}")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path), default=Path("build"))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--timeout", default=10.0, show_default=True, type=float, help="Seconds a query may run before it is stopped."
)
@click.option(
    "--max-rows", default=10_000, show_default=True, type=int, help="Most rows (or triples) one answer may hold."
)
@click.option("--workers", default=None, type=int, help="Query worker processes (default: cores + 1).")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update (POST) from clients that send the token.")
@click.option(
    "--update-token",
    envvar="KG_UPDATE_TOKEN",
    default=None,
    help="Token for --allow-update, sent as 'Authorization: Bearer TOKEN' "
    "(default: $KG_UPDATE_TOKEN, else a new one is printed).",
)
@click.option(
    "--queries",
    "queries",
    default=None,
    type=click.Path(path_type=Path),
    help="Folder of example .rq queries for the query page (default: ./queries or the repository's).",
)
@reports_errors
def serve(
    graph: Path,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int | None,
    allow_update: bool,
    update_token: str | None,
    queries: Path | None,
) -> None:
    """Serve a built graph (a build folder, an RDF file or a store oxigraph:DIR, read-only) over
    the SPARQL 1.1 Protocol, with the explorer and a query page.

    Example: kg serve build/ --port 7878   (then open http://127.0.0.1:7878/)
    """
    import secrets

    from kg.serve import ServeConfig
    from kg.serve import serve as run_serve

    if allow_update and not update_token:
        update_token = secrets.token_urlsafe(24)
        click.echo(f"kg serve: SPARQL Update allowed with 'Authorization: Bearer {update_token}'", err=True)
    run_serve(
        ServeConfig(
            graph,
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            workers=workers,
            allow_update=allow_update,
            update_token=update_token,
            queries=queries,
        )
    )
