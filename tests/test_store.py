"""The persistent store (oxigraph:DIR): written from the seed build, read by query, view and
serve, and the errors a user can meet."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.evaluate import load_graph
from kg.ontology import load_ontology
from kg.query import format_result, open_store, read_query_arg, run_query
from kg.store import MARKER, store_dir, write_store
from kg.view import render_html

from .conftest import ROOT, SEED_CORPUS
from .test_serve import running_server

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def seed_store(seed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("stores") / "seed"
    write_store(seed_dir / "graph.trig", directory)
    return directory


def spec(directory: Path) -> str:
    return f"oxigraph:{directory}"


def answer(graph: str | Path, query: Path, fmt: str = "csv") -> str:
    return format_result(run_query(open_store(graph), read_query_arg(str(query))), fmt)


def holding_open(directory: Path) -> subprocess.Popen[str]:
    """Another process with the store's database open for writing, as RocksDB locks it."""
    code = "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('open', flush=True); sys.stdin.read()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(directory / "oxigraph")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "open\n"
    return process


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize("query", QUERIES, ids=[p.name for p in QUERIES])
def test_every_competency_query_answers_as_the_files_do(query: Path, seed_store: Path, seed_dir: Path) -> None:
    from_store = run_query(open_store(spec(seed_store)), read_query_arg(str(query)))
    from_files = run_query(open_store(seed_dir), read_query_arg(str(query)))
    assert from_files.rows, "every competency query has an answer on the seed"
    assert from_store == from_files
    for fmt in ("table", "csv", "json"):
        assert format_result(from_store, fmt) == format_result(from_files, fmt)


def test_the_default_graph_is_the_merge_not_the_union(seed_store: Path, seed_dir: Path) -> None:
    trig = list(ox.parse(path=seed_dir / "graph.trig", format=ox.RdfFormat.TRIG))
    merged = {q.triple for q in trig}
    assert len(merged) < len(trig), "the seed states some facts in more than one graph"
    count = run_query(open_store(spec(seed_store)), COUNT).rows[0][0]
    assert count is not None and int(count.value) == len(merged)
    text = (seed_store / MARKER).read_text(encoding="utf-8")
    assert f'"quads": {len(trig)},' in text and f'"triples": {len(merged)}' in text


def test_named_graphs_are_those_of_graph_trig(seed_store: Path, seed_dir: Path) -> None:
    store = open_store(spec(seed_store))
    in_store = ox.Dataset(q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
    from_file = ox.Dataset(ox.parse(path=seed_dir / "graph.trig", format=ox.RdfFormat.TRIG))
    for dataset in (in_store, from_file):  # blank nodes get new labels on every load
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert len(in_store) > 1000
    assert set(in_store) == set(from_file)


def test_a_store_reopened_in_a_new_process_answers_the_same(seed_store: Path, seed_dir: Path) -> None:
    for query in QUERIES:
        command = ["query", str(query), "--graph", spec(seed_store), "--format", "csv"]
        done = subprocess.run(
            [sys.executable, "-c", "from kg.cli import main; main()", *command],
            capture_output=True, check=False, cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.decode("utf-8") == answer(seed_dir, query), query.name


def test_view_of_the_store_is_the_view_of_the_files(seed_store: Path, seed_dir: Path, tmp_path: Path) -> None:
    ontology = load_ontology()
    from_store = render_html(open_store(spec(seed_store)), ontology, "en", focus="서울", depth=1)
    from_files = render_html(load_graph(seed_dir), ontology, "en", focus="서울", depth=1)
    assert from_store == from_files
    pages = []
    for graph in (spec(seed_store), str(seed_dir)):
        out = tmp_path / f"{len(pages)}.html"
        result = CliRunner().invoke(main, ["view", graph, "--out", str(out)])
        assert result.exit_code == 0, result.output
        pages.append(out.read_bytes())
    assert pages[0] == pages[1] == render_html(load_graph(seed_dir), ontology).encode("utf-8")


def test_kg_serve_answers_from_the_store(seed_store: Path, seed_dir: Path, tmp_path: Path) -> None:
    query = ROOT / "queries" / "partners_by_country.rq"
    with running_server(Path(spec(seed_store)), tmp_path / "serve.log", "--workers", "1") as server:
        reply = httpx.get(server.sparql, params={"query": read_query_arg(str(query))}, headers={"Accept": "text/csv"})
    assert reply.status_code == 200
    assert reply.text.replace("\r\n", "\n") == answer(seed_dir, query).replace("\r\n", "\n")


# --------------------------------------------------------------------------- writing


def test_cli_build_with_a_store(tmp_path: Path, seed_dir: Path) -> None:
    out, directory = tmp_path / "out", tmp_path / "stores" / "news"
    result = CliRunner().invoke(main, ["build", str(SEED_CORPUS), "--out", str(out), "--store", spec(directory)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"wrote store {spec(directory)}"
    for name in ("graph.ttl", "graph.trig", "graph.nt", "graph.jsonld"):
        assert (out / name).read_bytes() == (seed_dir / name).read_bytes(), name
    query = ROOT / "queries" / "people_and_roles.rq"
    assert answer(spec(directory), query) == answer(seed_dir, query)


def test_rebuilding_replaces_the_store_and_leaves_no_temporaries(seed_dir: Path, tmp_path: Path) -> None:
    directory = tmp_path / "store"
    first = write_store(seed_dir / "graph.trig", directory)
    second = write_store(seed_dir / "graph.trig", directory)
    assert first == second and first.quads > first.triples > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    assert sorted(p.name for p in directory.iterdir()) == [MARKER, "oxigraph"]


def test_a_failed_write_leaves_the_old_store(seed_dir: Path, tmp_path: Path) -> None:
    directory = tmp_path / "store"
    info = write_store(seed_dir / "graph.trig", directory)
    broken = tmp_path / "broken.trig"
    broken.write_text("<https://kg.example/a> <https://kg.example/b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^broken.trig: "):
        write_store(broken, directory)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.trig", "store"]
    assert int(run_query(open_store(spec(directory)), COUNT).rows[0][0].value) == info.triples  # type: ignore[union-attr]


def test_a_folder_that_is_not_a_kg_store_is_never_replaced(seed_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="not a kg store"):
        write_store(seed_dir / "graph.trig", folder)
    out = str(tmp_path / "o")
    result = CliRunner().invoke(main, ["build", str(SEED_CORPUS), "--out", out, "--store", spec(folder)])
    assert result.exit_code == 2
    assert result.output == f"kg: error: {spec(folder)}: not a kg store (no valid {MARKER} and oxigraph/)\n"
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert not (tmp_path / "o").exists(), "the store is checked before the build starts"


# --------------------------------------------------------------------------- errors


def test_store_dir() -> None:
    assert store_dir("oxigraph:a/b") == Path("a/b")
    assert store_dir(Path("build")) is None
    with pytest.raises(InputError, match="oxigraph: needs a folder"):
        store_dir("oxigraph:")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "ASK {}", "--graph", "oxigraph:{missing}"],
         "oxigraph:{missing}: no such store; write one with kg build ... --store oxigraph:{missing}"),
        (["query", "ASK {}", "--graph", "oxigraph:{plain}"],
         "oxigraph:{plain}: not a kg store (no valid kg-store.json and oxigraph/)"),
        (["view", "oxigraph:{plain}", "--out", "{plain}/v.html"],
         "oxigraph:{plain}: not a kg store (no valid kg-store.json and oxigraph/)"),
        (["serve", "oxigraph:{missing}"],
         "oxigraph:{missing}: no such store; write one with kg build ... --store oxigraph:{missing}"),
        (["validate", "oxigraph:{plain}"],
         "oxigraph:{plain}: a store; this command reads a build folder or an RDF file"),
        (["build", "x", "--store", "{plain}"],
         "--store {plain}: write oxigraph:DIR (an on-disk Oxigraph store in folder DIR)"),
        (["serve", "oxigraph:{plain}", "--allow-update", "--update-token", "t"],
         "--allow-update needs a graph in memory: a store (oxigraph:DIR) is served read-only"),
    ],
    ids=["missing", "not-a-store", "view", "serve", "validate", "build-option", "serve-update"],
)
def test_cli_errors_are_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    def place(text: str) -> str:
        return text.replace("{missing}", str(tmp_path / "none")).replace("{plain}", str(tmp_path))

    result = CliRunner().invoke(main, [place(a) for a in args])
    assert result.exit_code == 2
    assert result.output == f"kg: error: {place(message)}\n"


@pytest.fixture
def locked_store(seed_dir: Path, tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "store"
    write_store(seed_dir / "graph.trig", directory)
    process = holding_open(directory)
    try:
        yield directory
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)


def test_a_locked_store_is_refused(locked_store: Path, tmp_path: Path) -> None:
    message = (
        f"kg: error: {spec(locked_store)}: locked: another process has the store open for writing; "
        "try again when it is done\n"
    )
    result = CliRunner().invoke(main, ["query", "ASK {}", "--graph", spec(locked_store)])
    assert (result.exit_code, result.output) == (2, message)
    before = sorted(p.name for p in (locked_store / "oxigraph").iterdir())
    out = str(tmp_path / "o")
    result = CliRunner().invoke(main, ["build", str(SEED_CORPUS), "--out", out, "--store", spec(locked_store)])
    assert (result.exit_code, result.output) == (2, message)
    assert sorted(p.name for p in (locked_store / "oxigraph").iterdir()) == before
