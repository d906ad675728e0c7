"""kg push (kg/push.py), kg query --endpoint and kg view --endpoint (kg/remote.py) against
real stores: Oxigraph's server and Debian's Virtuoso, each started once for this module on
loopback ports and stopped at its end. Counts and rows are compared with the local graph,
read independently of the code under test."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from kg.errors import PushError
from kg.evaluate import load_graph
from kg.ns import GAZETTEER_GRAPH, KGD, MERGED_GRAPH, ONTOLOGY_GRAPH
from kg.ontology import load_ontology
from kg.pipeline import build, write_build
from kg.push import PushTarget, push, read_graphs
from kg.query import open_store, read_query_arg, run_query
from kg.remote import Endpoint, remote_query, view_graph
from kg.view import render_html

from .conftest import ROOT, SEED_CORPUS
from .stores import OXIGRAPH, VIRTUOSO, Server, free_port, oxigraph_server, synthetic_build, virtuoso_server

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
SEED_DOC = KGD["000_56ff57ee3c08f7b3"]
SYNTHETIC_TRIPLES = 100_000
#: The sentence the changed build leaves out (Seoul founding the Seoul AI Hub in 2017).
DROPPED = "앞서 서울시는 AI산업 육성을 위해 2017년"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if request.param == "oxigraph":
        if OXIGRAPH is None:
            pytest.skip("the oxigraph command (PyPI package oxigraph) is not installed")
        factory = oxigraph_server
    else:
        if VIRTUOSO is None:
            pytest.skip("virtuoso-t is not installed: apt-get install virtuoso-opensource-7-bin (.ci/run does)")
        factory = virtuoso_server
    with factory(tmp_path_factory.mktemp(request.param)) as server:
        yield server


def target(server: Server) -> PushTarget:
    user, password = server.auth or (None, None)
    return PushTarget(Endpoint(server.gsp, user, password), server.sparql, backoff=0.1)


@pytest.fixture(scope="session")
def changed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed build after its document lost one sentence (same file name, so same graph)."""
    corpus = tmp_path_factory.mktemp("changed_corpus")
    source = next(SEED_CORPUS.glob("*.txt"))
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if DROPPED not in line]
    assert len(kept) == len(lines) - 1
    (corpus / source.name).write_text("".join(kept), encoding="utf-8")
    out = tmp_path_factory.mktemp("changed_build")
    write_build(build([corpus]), out)
    return out


@pytest.fixture(scope="session")
def synthetic_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "graph.nq"
    counts = synthetic_build(path, SYNTHETIC_TRIPLES)
    assert sum(n for g, n in counts.items() if g != str(ONTOLOGY_GRAPH)) == SYNTHETIC_TRIPLES
    return path


# --------------------------------------------------------------------------- the local side


def local_counts(path: Path) -> dict[str, int]:
    """Triples per named graph and in the merge, counted by Oxigraph in memory."""
    dataset = ox.Dataset(ox.parse(path=path if path.is_file() else path / "graph.trig"))
    counts = Counter(str(q.graph_name.value) for q in dataset if isinstance(q.graph_name, ox.NamedNode))
    counts[str(MERGED_GRAPH)] = len({q.triple for q in dataset})
    return dict(counts)


def remote_counts(server: Server) -> dict[str, int]:
    """Triples per named graph on the store (one GROUP BY query, no kg code involved)."""
    response = httpx.post(
        server.sparql,
        data={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=120,
    )
    response.raise_for_status()
    return {
        row["g"].value: int(row["n"].value)
        for row in ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
        if row["g"].value.startswith("https://kg.example/")
    }


def remote_count(server: Server, graph: str) -> int:
    response = httpx.post(
        server.sparql,
        data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    response.raise_for_status()
    return int(next(iter(ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)))["n"].value)


def remote_graph(server: Server, graph: str) -> set[ox.Triple]:
    response = httpx.post(
        server.sparql,
        data={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/n-triples"},
        timeout=120,
    )
    response.raise_for_status()
    return {q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}


def graph_of(path: Path, graph: str) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(path=path / "graph.trig") if q.graph_name == ox.NamedNode(graph)}


# --------------------------------------------------------------------------- reading a build


def test_read_graphs_orders_graphs_and_puts_blank_nodes_first(seed_dir: Path) -> None:
    graphs = read_graphs(str(seed_dir))
    assert [g.iri for g in graphs] == [str(SEED_DOC), str(GAZETTEER_GRAPH), str(ONTOLOGY_GRAPH), str(MERGED_GRAPH)]
    counts = local_counts(seed_dir)
    assert {g.iri: len(g.triples) for g in graphs} == counts
    for graph in graphs:
        blank = [isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in graph.triples]
        assert blank == sorted(blank, reverse=True), graph.iri
    assert any(isinstance(t.subject, ox.BlankNode) for t in graphs[2].triples)  # the ontology's owl:unionOf lists


# --------------------------------------------------------------------------- the seed build


def test_push_seed_counts_per_graph(store: Server, seed_dir: Path) -> None:
    result = push(read_graphs(str(seed_dir)), target(store))
    expected = local_counts(seed_dir)
    assert dict(result.graphs) == expected
    remote = remote_counts(store)
    assert {g: remote[g] for g in expected} == expected


@pytest.mark.parametrize("path", QUERIES, ids=[p.name for p in QUERIES])
def test_every_query_gives_the_local_rows(store: Server, seed_dir: Path, path: Path) -> None:
    push(read_graphs(str(seed_dir)), target(store))
    text = read_query_arg(str(path))
    local = run_query(open_store(seed_dir), text)
    remote = remote_query(Endpoint(store.sparql), text)
    assert local.rows, "a query that finds nothing compares nothing"
    assert remote.variables == local.variables
    assert sorted(map(str, remote.rows)) == sorted(map(str, local.rows))


def test_query_command_prints_the_local_output(store: Server, seed_dir: Path) -> None:
    push(read_graphs(str(seed_dir)), target(store))
    query = str(ROOT / "queries" / "partners_by_country.rq")
    for fmt in ("table", "csv", "tsv", "json"):
        local = invoke("query", query, "--graph", seed_dir, "--format", fmt)
        remote = invoke("query", query, "--endpoint", store.sparql, "--format", fmt)
        assert remote.exit_code == 0, remote.output
        assert remote.output == local.output
    for ask, answer in (("ASK { kgr:Seoul a kgo:City }", "true\n"), ("ASK { kgr:Seoul a kgo:Person }", "false\n")):
        assert invoke("query", ask, "--endpoint", store.sparql).output == answer
    construct = "CONSTRUCT WHERE { kgr:Seoul ?p ?o }"
    local = invoke("query", construct, "--graph", seed_dir)
    assert invoke("query", construct, "--endpoint", store.sparql).output == local.output


def test_view_from_the_store_is_the_local_page(store: Server, seed_dir: Path) -> None:
    push(read_graphs(str(seed_dir)), target(store))
    ontology = load_ontology()
    for focus, depth in ((None, 1), ("Q8684", 0)):
        local = render_html(load_graph(seed_dir), ontology, focus=focus, depth=depth)
        fetched = view_graph(Endpoint(store.sparql), ontology, focus=focus, depth=depth)
        assert render_html(fetched, ontology, focus=focus, depth=depth) == local, focus


def test_view_command_with_endpoint(store: Server, seed_dir: Path, tmp_path: Path) -> None:
    push(read_graphs(str(seed_dir)), target(store))
    local, remote = tmp_path / "local.html", tmp_path / "remote.html"
    assert invoke("view", seed_dir, "--out", local, "--focus", "Oh Se-hoon").exit_code == 0
    result = invoke("view", "--endpoint", store.sparql, "--out", remote, "--focus", "Oh Se-hoon")
    assert result.exit_code == 0, result.output
    assert remote.read_bytes() == local.read_bytes()


def test_blank_nodes_stay_whole_across_batches(store: Server, seed_dir: Path) -> None:
    push(read_graphs(str(seed_dir)), target(store), batch_size=50)
    assert remote_counts(store)[str(ONTOLOGY_GRAPH)] == local_counts(seed_dir)[str(ONTOLOGY_GRAPH)]
    # a blank node split over two requests would become two nodes and break these chains
    members = (
        "SELECT ?property ?member WHERE { ?property rdfs:range ?class . "
        "?class a owl:Class ; owl:unionOf/rdf:rest*/rdf:first ?member }"
    )
    local = run_query(open_store(seed_dir), members).rows
    assert len(local) >= 8
    assert sorted(map(str, remote_query(Endpoint(store.sparql), members).rows)) == sorted(map(str, local))


def test_repush_of_a_changed_document_leaves_no_stale_triple(store: Server, seed_dir: Path, changed_dir: Path) -> None:
    push(read_graphs(str(seed_dir)), target(store))
    push(read_graphs(str(changed_dir)), target(store))
    old, new = graph_of(seed_dir, str(SEED_DOC)), graph_of(changed_dir, str(SEED_DOC))
    assert old - new, "the change must remove triples"
    assert remote_graph(store, str(SEED_DOC)) == new
    expected = local_counts(changed_dir)
    assert {g: remote_counts(store)[g] for g in expected} == expected
    gone = remote_query(Endpoint(store.sparql), "ASK { ?thing kgo:foundedBy kgr:Seoul }")
    assert gone.boolean is False
    assert run_query(open_store(seed_dir), "ASK { ?thing kgo:foundedBy kgr:Seoul }").boolean is True


def test_push_command_reports_counts(store: Server, seed_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if store.auth is not None:
        monkeypatch.setenv("KG_PUSH_USER", store.auth[0])
        monkeypatch.setenv("KG_PUSH_PASSWORD", store.auth[1])
    result = invoke("push", seed_dir, "--gsp", store.gsp, "--sparql", store.sparql, "--no-progress")
    assert result.exit_code == 0, result.output
    total = sum(local_counts(seed_dir).values())
    assert result.output.startswith(f"pushed 4 graphs, {total} triples to {store.gsp} in ")
    assert result.output.endswith(" s; every graph's count verified\n")


def test_push_without_sparql_url_verifies_with_graph_store_get(store: Server, seed_dir: Path) -> None:
    user, password = store.auth or (None, None)
    result = push(read_graphs(str(seed_dir)), PushTarget(Endpoint(store.gsp, user, password)))
    assert dict(result.graphs) == local_counts(seed_dir)


# --------------------------------------------------------------------------- errors


def test_wrong_gsp_url_is_one_clear_line(store: Server, seed_dir: Path) -> None:
    base = store.gsp.rsplit("/", 1)[0]
    result = invoke(
        "push", seed_dir, "--gsp", base + "/no-such-path", "--retries", "0", "--user", "dba", "--password", "dba"
    )
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("kg: error: push stopped at ")
    assert "Graph Store Protocol URL" in result.output
    assert "graphs written and verified: none; not written: 4 (" in result.output


def test_wrong_password_is_refused_before_anything_is_written(store: Server, seed_dir: Path) -> None:
    if store.auth is None:
        pytest.skip("Oxigraph's server has no authentication")
    result = invoke("push", seed_dir, "--gsp", store.gsp, "--user", "dba", "--password", "wrong")
    assert result.exit_code == 2
    assert "refused the credentials (401 Unauthorized)" in result.output
    assert "not written: 4 (" in result.output and result.output.count("\n") == 1


def test_unreachable_store_is_one_clear_line(seed_dir: Path, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    for args in (
        ("push", seed_dir, "--gsp", url + "/store", "--retries", "0"),
        ("query", "ASK {}", "--endpoint", url + "/query"),
        ("view", "--endpoint", url + "/query", "--out", tmp_path / "page.html"),
    ):
        result = invoke(*args)
        assert result.exit_code == 2, args
        assert result.output.startswith("kg: error: ") and result.output.count("\n") == 1, result.output
        assert f"cannot reach {url}/" in result.output
    assert not (tmp_path / "page.html").exists()


def test_malformed_query_fails_as_it_does_locally(seed_dir: Path) -> None:
    local = invoke("query", "SELECT ?s WHERE { ?s ?p", "--graph", seed_dir)
    remote = invoke("query", "SELECT ?s WHERE { ?s ?p", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert (remote.exit_code, remote.output) == (local.exit_code, local.output) == (2, local.output)
    assert local.output.startswith("kg: error: malformed SPARQL")


# --------------------------------------------------------------------------- a larger build


def test_push_synthetic_build_counts_per_graph(store: Server, synthetic_file: Path) -> None:
    result = push(read_graphs(str(synthetic_file)), target(store), batch_size=20_000)
    expected = local_counts(synthetic_file)
    assert sum(n for g, n in expected.items() if "/synthetic-" in g) == SYNTHETIC_TRIPLES
    assert dict(result.graphs) == expected
    assert {g: remote_counts(store)[g] for g in expected} == expected


def test_interrupted_push_names_graphs_and_a_rerun_completes(store: Server, synthetic_file: Path) -> None:
    graphs = read_graphs(str(synthetic_file))
    trigger = graphs[len(graphs) // 2].iri
    failure: list[PushError] = []

    def run() -> None:
        try:
            push(graphs, target(store), batch_size=1000, retries=1)
        except PushError as exc:
            failure.append(exc)

    auth = httpx.DigestAuth(*store.auth) if store.auth else None
    # start the trigger graph empty, so that a triple in it shows the push got there
    response = httpx.delete(store.gsp, params={"graph": trigger}, auth=auth, timeout=60)
    assert response.status_code in (200, 204, 404), response.text
    assert remote_count(store, trigger) == 0
    pusher = threading.Thread(target=run)
    pusher.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and pusher.is_alive():
        try:
            if remote_count(store, trigger) > 0:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    store.stop()
    pusher.join(timeout=120)
    store.start()
    assert failure, "the push must fail when the store stops under it"
    error = failure[0]
    names = [g.iri for g in graphs]
    assert list(error.written) == names[: len(error.written)]
    assert list(error.not_written) == names[len(error.written) :]
    assert str(MERGED_GRAPH) in error.not_written
    assert error.written, "graphs before the trigger were written"
    message = str(error)
    assert "cannot reach" in message and "run the same kg push again" in message
    assert f"graphs written and verified: {len(error.written)} (" in message
    assert f"not written: {len(error.not_written)} (" in message

    result = push(graphs, target(store), batch_size=20_000)
    expected = local_counts(synthetic_file)
    assert dict(result.graphs) == expected
    assert {g: remote_counts(store)[g] for g in expected} == expected
