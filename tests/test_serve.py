"""``kg serve`` as a client sees it: the real server (``kg serve`` in a subprocess on a free
loopback port) driven with SPARQLWrapper and httpx, its answers checked against ``kg query``
(:mod:`kg.query` in-process) and rdflib."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.ns import KGO, KGR, OWL, RDF
from kg.query import format_result, open_store, read_query_arg, run_query
from kg.serve import ServeConfig, load_examples, negotiate

from .conftest import ROOT

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
TOKEN = "test-token-4f1c"
TIME_LIMIT = 2.0
MAX_ROWS = 500
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::RuntimeWarning:SPARQLWrapper"),
]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^9 rows on the seed


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(graph: Path, log: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``kg serve GRAPH --port FREE ARGS`` until the block ends; waits until it answers."""
    port = free_port()
    command = [sys.executable, "-c", "from kg.cli import main; main()", "serve", str(graph), "--port", str(port), *args]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"kg serve exited with {process.returncode}:\n{log.read_text()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(server.sparql, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise AssertionError(f"kg serve did not answer in 60 s:\n{log.read_text()}")
            time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(seed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with running_server(seed_dir, log, "--timeout", str(TIME_LIMIT), "--max-rows", str(MAX_ROWS)) as running:
        yield running


@pytest.fixture(scope="module")
def update_server(seed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("serve-update") / "serve.log"
    with running_server(seed_dir, log, "--allow-update", "--workers", "2", env={"KG_UPDATE_TOKEN": TOKEN}) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def kg_query(seed_dir: Path, text: str, fmt: str) -> str:
    """What ``kg query --format FMT`` prints for ``text`` on the seed build."""
    return format_result(run_query(open_store(seed_dir), text), fmt)


def bindings(data: str | bytes) -> list[dict[str, Any]]:
    parsed = json.loads(data)
    return [dict(sorted(row.items())) for row in parsed["results"]["bindings"]]


# --------------------------------------------------------------------------- answers agree with kg query


@pytest.mark.parametrize("path", QUERIES, ids=[p.name for p in QUERIES])
def test_every_competency_question_agrees_with_kg_query(path: Path, server: Server, seed_dir: Path) -> None:
    text = read_query_arg(str(path))
    wrapper = SPARQLWrapper(server.sparql)
    wrapper.setQuery(text)
    wrapper.setReturnFormat(JSON)
    answer = wrapper.query().convert()
    expected = json.loads(kg_query(seed_dir, text, "json"))
    assert answer["head"]["vars"] == expected["head"]["vars"]
    assert [dict(sorted(r.items())) for r in answer["results"]["bindings"]] == bindings(json.dumps(expected))
    assert answer["results"]["bindings"], "every competency question has an answer on the seed"
    wrapper.setReturnFormat(CSV)
    assert wrapper.query().convert().decode("utf-8").splitlines() == kg_query(seed_dir, text, "csv").splitlines()


def test_get_post_form_and_post_query_give_the_same_answer(client: httpx.Client) -> None:
    text = QUERIES[0].read_text(encoding="utf-8")
    accept = {"Accept": "application/sparql-results+json"}
    by_get = client.get("/sparql", params={"query": text}, headers=accept)
    by_form = client.post("/sparql", data={"query": text}, headers=accept)
    by_body = client.post(
        "/sparql", content=text.encode("utf-8"), headers={**accept, "Content-Type": "application/sparql-query"}
    )
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert bindings(by_get.content) == bindings(by_form.content) == bindings(by_body.content)
    head = client.head("/sparql", params={"query": text}, headers=accept)
    assert head.status_code == 200 and head.content == b""


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", None),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("application/json", "application/sparql-results+json", "json"),
        ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", None),
        ("*/*", "application/sparql-results+json", "json"),
    ],
)
def test_select_results_formats(
    accept: str, media: str, fmt: str | None, client: httpx.Client, seed_dir: Path
) -> None:
    text = (ROOT / "queries" / "partners_by_country.rq").read_text(encoding="utf-8")
    response = client.get("/sparql", params={"query": text}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    if fmt == "json":
        assert bindings(response.content) == bindings(kg_query(seed_dir, text, "json"))
    elif fmt is not None:
        assert response.text.splitlines() == kg_query(seed_dir, text, fmt).splitlines()
    else:  # XML: the same rows as the JSON answer
        rows = rdflib.query.Result.parse(io.BytesIO(response.content), format="xml")
        assert len(list(rows)) == len(bindings(kg_query(seed_dir, text, "json")))


def test_sparqlwrapper_formats_and_ask(server: Server, seed_dir: Path) -> None:
    wrapper = SPARQLWrapper(server.sparql)
    text = (ROOT / "queries" / "strategic_industries.rq").read_text(encoding="utf-8")
    wrapper.setQuery(text)
    wrapper.setReturnFormat(XML)
    xml_rows = wrapper.query().convert().getElementsByTagName("result")
    assert len(xml_rows) == len(bindings(kg_query(seed_dir, text, "json")))
    wrapper.setReturnFormat(TSV)
    assert wrapper.query().convert().decode("utf-8").splitlines() == kg_query(seed_dir, text, "tsv").splitlines()
    wrapper.setQuery("ASK { kgr:Seoul a kgo:City }")
    wrapper.setReturnFormat(JSON)
    assert wrapper.query().convert()["boolean"] is True
    wrapper.setReturnFormat(XML)
    assert "<boolean>true</boolean>" in wrapper.query().convert().toxml()


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_and_describe_formats(accept: str, rdflib_format: str, client: httpx.Client, seed_dir: Path) -> None:
    for text in ("DESCRIBE kgr:Seoul", "CONSTRUCT { ?s kgo:mayorOf ?o } WHERE { ?s kgo:mayorOf ?o }"):
        response = client.post("/sparql", data={"query": text}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == accept
        got = rdflib.Graph().parse(data=response.content, format=rdflib_format)
        expected = rdflib.Graph().parse(data=kg_query(seed_dir, text, "turtle"), format="turtle")
        assert len(got) > 0
        assert isomorphic(got, expected)


def test_sparqlwrapper_construct(server: Server) -> None:
    wrapper = SPARQLWrapper(server.sparql)
    wrapper.setQuery("DESCRIBE kgr:Oh_Se-hoon")
    for fmt in (TURTLE, JSONLD, XML):
        wrapper.setReturnFormat(fmt)
        converted = wrapper.query().convert()
        graph = converted if isinstance(converted, rdflib.Graph) else rdflib.Graph().parse(
            data=converted, format="json-ld" if fmt == JSONLD else "turtle"
        )
        assert (KGR["Oh_Se-hoon"], KGO.mayorOf, KGR.Seoul) in graph


def test_dataset_parameters(client: httpx.Client, seed_dir: Path) -> None:
    store = open_store(seed_dir)
    graphs = sorted(
        row[0].value for row in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")  # type: ignore[union-attr]
    )
    document = next(g for g in graphs if "/doc/" in g)
    own = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{document}> {{ ?s ?p ?o }} }}")
    expected = int(next(iter(own))[0].value)  # type: ignore[arg-type]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    whole = client.get("/sparql", params={"query": count})
    one = client.get("/sparql", params={"query": count, "default-graph-uri": document})
    assert int(bindings(one.content)[0]["n"]["value"]) == expected
    assert int(bindings(whole.content)[0]["n"]["value"]) > expected
    named = client.post(
        "/sparql",
        data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": document},
    )
    assert [row["g"]["value"] for row in bindings(named.content)] == [document]
    # the protocol's dataset replaces the query's FROM
    overridden = client.get(
        "/sparql",
        params={
            "query": f"SELECT (COUNT(*) AS ?n) FROM <{graphs[0]}> WHERE {{ ?s ?p ?o }}",
            "default-graph-uri": document,
        },
    )
    assert int(bindings(overridden.content)[0]["n"]["value"]) == expected
    bad = client.get("/sparql", params={"query": count, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400


# --------------------------------------------------------------------------- status codes


def test_malformed_query_is_400_with_the_parsers_message(server: Server, client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.text.startswith("malformed SPARQL: error at 1:")
    wrapper = SPARQLWrapper(server.sparql)
    wrapper.setQuery("SELEKT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryBadFormed, match="malformed SPARQL"):
        wrapper.query()
    assert client.get("/sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 400
    both = client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert both.status_code == 400


def test_406_when_no_acceptable_format(client: httpx.Client) -> None:
    one_row = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    select = client.get("/sparql", params={"query": one_row}, headers={"Accept": "text/turtle"})
    assert select.status_code == 406 and "application/sparql-results+json" in select.text
    graph = client.get(
        "/sparql", params={"query": "DESCRIBE kgr:Seoul"}, headers={"Accept": "application/sparql-results+json"}
    )
    assert graph.status_code == 406 and "text/turtle" in graph.text
    resource = client.get("/id/Seoul", headers={"Accept": "application/pdf"})
    assert resource.status_code == 406


def test_415_and_405(client: httpx.Client) -> None:
    response = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415 and "application/sparql-query" in response.text
    for method in ("PUT", "DELETE", "PATCH"):
        response = client.request(method, "/sparql", content=b"ASK {}")
        assert response.status_code == 405
        assert "POST" in response.headers["allow"]
    assert client.post("/id/Seoul").status_code == 405
    assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 405


def test_read_only_by_default(client: httpx.Client, server: Server) -> None:
    insert = "INSERT DATA { kgr:X a kgo:City }"
    for response in (
        client.post("/sparql", data={"update": insert}),
        client.post("/sparql", content=insert.encode(), headers={"Content-Type": "application/sparql-update"}),
        client.post(
            "/sparql",
            content=insert.encode(),
            headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
        ),
    ):
        assert response.status_code == 403
        assert "--allow-update" in response.text
    ask = client.get("/sparql", params={"query": "ASK { kgr:X ?p ?o }"})
    assert ask.json()["boolean"] is False


def test_update_needs_the_token(update_server: Server) -> None:
    insert = 'INSERT DATA { kgr:Test_City a kgo:City ; rdfs:label "Test City"@en }'
    ask = "ASK { kgr:Test_City a kgo:City }"
    with httpx.Client(base_url=update_server.url, timeout=30) as http:
        assert http.post("/sparql", data={"update": insert}).status_code == 401
        wrong = http.post("/sparql", data={"update": insert}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403
        assert http.get("/sparql", params={"query": ask}).json()["boolean"] is False
        bad = http.post("/sparql", data={"update": "INSERT DATA {"}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert bad.status_code == 400 and "malformed SPARQL Update" in bad.text
        done = http.post(
            "/sparql",
            content=insert.encode(),
            headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
        )
        assert done.status_code == 204, done.text
        for _ in range(6):  # every worker sees it
            assert http.get("/sparql", params={"query": ask}).json()["boolean"] is True
        page = http.get("/id/Test_City", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Test City" in page.text


def test_time_limit_stops_a_slow_query_and_others_go_on(client: httpx.Client, server: Server) -> None:
    results: dict[str, Any] = {}

    def slow() -> None:
        start = time.monotonic()
        with httpx.Client(base_url=server.url, timeout=30) as http:
            results["slow"] = http.post("/sparql", data={"query": SLOW})
        results["slow_seconds"] = time.monotonic() - start

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.2)
    fast = [client.get("/sparql", params={"query": "ASK { kgr:Seoul a kgo:City }"}) for _ in range(20)]
    thread.join()
    assert all(r.status_code == 200 and r.json()["boolean"] for r in fast)
    assert results["slow"].status_code == 503
    assert "time limit of 2 s" in results["slow"].text
    assert TIME_LIMIT <= results["slow_seconds"] < TIME_LIMIT + 3
    assert client.get("/sparql", params={"query": "ASK { kgr:Seoul a kgo:City }"}).status_code == 200


def test_row_cap(client: httpx.Client) -> None:
    too_many = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert too_many.status_code == 422
    assert f"more than {MAX_ROWS} rows" in too_many.text and "LIMIT" in too_many.text
    paged = client.get("/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"})
    assert paged.status_code == 200 and len(bindings(paged.content)) == MAX_ROWS
    graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert graph.status_code == 422 and "triples" in graph.text


# --------------------------------------------------------------------------- pages and dereferenceable IRIs


def test_entity_iris_dereference(client: httpx.Client, seed_dir: Path) -> None:
    turtle = client.get("/id/Seoul", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (KGR.Seoul, RDF.type, KGO.City) in graph
    assert (KGR["Oh_Se-hoon"], KGO.mayorOf, KGR.Seoul) in graph  # what points to it, too
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/id/Seoul", headers={"Accept": browser})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "서울 / Seoul" in page.text and 'href="/id/Oh_Se-hoon"' in page.text
    assert client.get("/id/No_Such_Thing", headers={"Accept": "text/turtle"}).status_code == 404
    nt = client.get("/id/Seoul", headers={"Accept": "application/n-triples"})
    assert isomorphic(rdflib.Graph().parse(data=nt.text, format="nt"), graph)


def test_ontology_dereferences_at_its_namespace(client: httpx.Client) -> None:
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (KGO.City, RDF.type, OWL.Class) in graph
    assert (KGO.mayorOf, RDF.type, OWL.ObjectProperty) in graph
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'id="City"' in page.text and 'id="mayorOf"' in page.text


def test_explorer_query_page_and_static_files(client: httpx.Client) -> None:
    explorer = client.get("/")
    assert explorer.status_code == 200 and "vis.Network" in explorer.text and 'href="/query"' in explorer.text
    page = client.get("/query")
    assert page.status_code == 200
    for path in QUERIES:
        assert f">{path.stem}</button>" in page.text
    assert "/static/yasgui/yasgui.min.js" in page.text
    script = client.get("/static/yasgui/yasgui.min.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    redirect = client.get("/sparql", headers={"Accept": "text/html"}, follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"] == "/query"


def test_foreign_host_header_is_refused(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Host": "evil.example"})
    assert response.status_code == 400


def test_one_log_line_per_request(server: Server) -> None:
    marker = quote("ASK { kgr:LogMarker ?p ?o }")
    for _ in range(3):
        httpx.get(f"{server.sparql}?query={marker}", timeout=30)
    httpx.post(server.sparql, content=b"x", headers={"Content-Type": "text/plain"}, timeout=30)
    time.sleep(0.2)
    lines = server.log_lines()
    assert sum(marker[:20] in line for line in lines) == 3
    assert any('"POST /sparql" 415' in line for line in lines)
    assert all(" 200 " in line for line in lines if marker[:20] in line)


def test_binds_loopback_by_default(server: Server) -> None:
    assert ServeConfig(Path("build")).host == "127.0.0.1"
    port = int(server.url.rsplit(":", 1)[1])
    tcp = Path("/proc/net/tcp")
    if not tcp.exists():
        pytest.skip("no /proc/net/tcp here")
    listening = [line.split()[1] for line in tcp.read_text().splitlines()[1:] if line.split()[3] == "0A"]
    assert f"0100007F:{port:04X}" in listening


# --------------------------------------------------------------------------- units


def test_negotiate() -> None:
    offered = ["application/sparql-results+json", "text/csv"]
    assert negotiate(None, offered) == "application/sparql-results+json"
    assert negotiate("text/*", offered) == "text/csv"
    assert negotiate("text/csv;q=0, */*;q=0.1", offered) == "application/sparql-results+json"
    assert negotiate("application/xml", offered) is None


def test_load_examples() -> None:
    examples = load_examples(ROOT / "queries")
    assert [e["name"] for e in examples] == [p.stem for p in QUERIES]
    assert examples[0]["title"] and examples[0]["query"].lstrip().startswith("#")


def test_cli_refuses_a_missing_graph(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from kg.cli import main; main()", "serve", str(tmp_path / "nope"), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("kg: error:") and "no such file or folder" in result.stderr


def test_csv_module_reads_the_csv_answer(client: httpx.Client) -> None:
    labels = "SELECT ?l WHERE { kgr:Seoul rdfs:label ?l } ORDER BY ?l"
    response = client.get("/sparql", params={"query": labels}, headers={"Accept": "text/csv"})
    assert list(csv.reader(io.StringIO(response.text))) == [["l"], ["Seoul"], ["서울"]]


def test_query_page_runs_an_example_offline(server: Server, tmp_path: Path) -> None:
    """In headless Chromium: the YASGUI page loads from the server alone, runs an example,
    and shows its rows; no request leaves the server, no console error."""
    from .test_view_browser import CHROMIUM, Chromium

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with Chromium(tmp_path / "profile") as browser:
        browser.open(server.url + "/query")
        browser.wait_for(lambda: bool(browser.js("!!(window.kgYasgui && window.kgYasgui.getTab())")), timeout=30)
        index = [p.stem for p in QUERIES].index("partners_by_country")
        browser.js(f"document.querySelectorAll('#kg-examples button')[{index}].click()")
        rows = "document.querySelectorAll('.yasr table tbody tr').length"
        browser.wait_for(lambda: browser.js(rows) == 8, timeout=30)
        assert "Université de Montréal" in browser.js("document.querySelector('.yasr table').innerText")
        assert browser.errors() == []
        assert all(url.startswith((server.url + "/", "data:")) for url in browser.requests())


def test_cli_refuses_a_port_in_use(seed_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-c", "from kg.cli import main; main()", "serve", str(seed_dir), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
