"""The ``kg`` command (kg/cli.py): the seed build, query, validate and eval, and every bad
input ending as one line on stderr, a non-zero status and no output files."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset

from kg.cli import main
from kg.pipeline import CACHE_DIR, OUTPUT_FILES

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "corpus"
GOLD = REPO / "data" / "gold" / "seed_gold.yaml"
KG = Path(sys.executable).parent / "kg"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

# the first bytes of a 1x1 PNG image
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
KOREAN = "서울시는 25일 누리로보틱스와 업무협약을 맺었다.\n"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def assert_one_line_error(result: Result, status: int = 2) -> str:
    """The result of a refused command: the status, nothing on stdout, one line on stderr."""
    assert result.exit_code == status, (result.exit_code, result.output)
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: "), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """The seed corpus built once for the module."""
    out = tmp_path_factory.mktemp("seed") / "build"
    return out, invoke("build", CORPUS, "--out", out)


@pytest.fixture(scope="module")
def built(seed: tuple[Path, Result]) -> Path:
    out, result = seed
    assert result.exit_code == 0, result.output
    return out


# --------------------------------------------------------------------------- positive paths


def test_build_the_seed(seed: tuple[Path, Result]) -> None:
    out, result = seed
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    summary, wrote = result.stdout.splitlines()
    assert summary.startswith("1 document(s) (1 extracted by ")
    assert ", 0 from the cache), " in summary
    assert " entities (" in summary and "SHACL: conforms; " in summary
    assert wrote == f"wrote {out}/: " + " ".join(OUTPUT_FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_FILES, CACHE_DIR])


def test_a_rebuild_says_what_it_did_not_do_again(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    shutil.copytree(built, out)
    result = invoke("build", CORPUS, "--out", out)
    assert result.exit_code == 0, result.output
    summary = result.stdout.splitlines()[0]
    assert ", 1 from the cache), " in summary
    # the knowledge graph's 2,048 units and the document graph's
    assert "SHACL: conforms (2049 units of statements passed in the last build, not checked again); " in summary


def test_query_csv_counts_the_distinct_triples(built: Path) -> None:
    result = invoke("query", COUNT, "--graph", built, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["n"]
    assert len(rows) == 2
    # the same count, computed by rdflib: the distinct triples over all named graphs
    dataset = Dataset()
    dataset.parse(built / "graph.trig", format="trig")
    assert int(rows[1][0]) == len({(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))})


def test_query_table_is_the_default(built: Path) -> None:
    result = invoke("query", "SELECT ?city WHERE { ?city a kgo:City }", "--graph", built)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["city", "---------", "kgr:Seoul", "1 row"]


def test_validate_the_seed(built: Path) -> None:
    result = invoke("validate", built / "graph.trig")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{built / 'graph.trig'}: conforms to the shapes\n"


def test_eval_the_seed(built: Path) -> None:
    result = invoke("eval", "--gold", GOLD, built)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["part", "precision", "recall", "f1", "tp", "fp", "fn"]
    assert [line.split()[0] for line in lines[1:4]] == ["entities", "relations", "facts"]
    for line in lines[1:4]:
        precision, recall, f1 = (float(x) for x in line.split()[1:4])
        assert 0 <= precision <= 1 and 0 <= recall <= 1 and 0 <= f1 <= 1


# --------------------------------------------------------------------------- kg build: bad input

Setup = Callable[[Path], list[str | Path]]


def _missing(tmp: Path) -> list[str | Path]:
    return [tmp / "nowhere.txt"]


def _empty(tmp: Path) -> list[str | Path]:
    (tmp / "empty.txt").write_bytes(b"")
    return [tmp / "empty.txt"]


def _blank(tmp: Path) -> list[str | Path]:
    (tmp / "blank.txt").write_text("---\ntitle: 제목\n---\n\n   \n", encoding="utf-8")
    return [tmp / "blank.txt"]


def _png_as_txt(tmp: Path) -> list[str | Path]:
    (tmp / "scan.txt").write_bytes(PNG)
    return [tmp / "scan.txt"]


def _png(tmp: Path) -> list[str | Path]:
    (tmp / "scan.png").write_bytes(PNG)
    return [tmp / "scan.png"]


def _unclosed(tmp: Path) -> list[str | Path]:
    (tmp / "unclosed.md").write_text("---\ntitle: 제목\ndate: 2024-09-25\n" + KOREAN, encoding="utf-8")
    return [tmp / "unclosed.md"]


def _unknown_key(tmp: Path) -> list[str | Path]:
    (tmp / "author.txt").write_text("---\ntitle: 제목\nauthor: 홍길동\n---\n" + KOREAN, encoding="utf-8")
    return [tmp / "author.txt"]


def _bad_yaml(tmp: Path) -> list[str | Path]:
    (tmp / "yaml.txt").write_text("---\ntitle: [제목\n---\n" + KOREAN, encoding="utf-8")
    return [tmp / "yaml.txt"]


def _bad_date(tmp: Path) -> list[str | Path]:
    (tmp / "date.txt").write_text("---\ndate: 2024-02-30\n---\n" + KOREAN, encoding="utf-8")
    return [tmp / "date.txt"]


def _no_documents(tmp: Path) -> list[str | Path]:
    folder = tmp / "papers"
    folder.mkdir()
    (folder / "readme.rst").write_text("no documents here\n", encoding="utf-8")
    (folder / "scan.png").write_bytes(PNG)
    (folder / ".hidden.txt").write_text(KOREAN, encoding="utf-8")
    return [folder]


def _empty_folder(tmp: Path) -> list[str | Path]:
    (tmp / "nothing").mkdir()
    return [tmp / "nothing"]


def _one_good_one_bad(tmp: Path) -> list[str | Path]:
    """A good document does not make a bad one acceptable: nothing is written."""
    (tmp / "good.txt").write_text(KOREAN, encoding="utf-8")
    (tmp / "bad.txt").write_bytes(PNG)
    return [tmp / "good.txt", tmp / "bad.txt"]


BAD_INPUTS: list[tuple[Setup, str]] = [
    (_missing, "nowhere.txt does not exist: check the path"),
    (_empty, "empty.txt is empty: add the document text"),
    (_blank, "blank.txt is empty: add the document text"),
    (_png_as_txt, "scan.txt looks like a binary file, not text"),
    (_png, "scan.png is not a .txt or .md file"),
    (_unclosed, "unclosed.md: the front matter opened by '---' on line 1 is never closed"),
    (_unknown_key, "author.txt: unknown front matter key(s) author"),
    (_bad_yaml, "yaml.txt"),
    (_bad_date, "date.txt"),
    (_no_documents, "no documents found in "),
    (_empty_folder, "no documents found in "),
    (_one_good_one_bad, "bad.txt looks like a binary file, not text"),
]


@pytest.mark.parametrize(("setup", "message"), BAD_INPUTS, ids=[setup.__name__.strip("_") for setup, _ in BAD_INPUTS])
def test_build_refuses_bad_input(tmp_path: Path, setup: Setup, message: str) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    paths = setup(inputs)
    out = tmp_path / "out"
    line = assert_one_line_error(invoke("build", *paths, "--out", out))
    assert message in line, line
    assert not out.exists()


def test_failed_build_leaves_old_outputs_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("# the previous build\n", encoding="utf-8")
    before = snapshot(out)
    (tmp_path / "scan.txt").write_bytes(PNG)
    assert_one_line_error(invoke("build", tmp_path / "scan.txt", "--out", out))
    assert snapshot(out) == before


def test_a_build_into_a_folder_another_build_is_writing_stops(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holding = "import sys; from pathlib import Path; from kg.cache import CacheLock; "
    holding += "held = CacheLock(Path(sys.argv[1])); print('held', flush=True); sys.stdin.read()"
    other = subprocess.Popen(  # as a build running in another process holds it
        [sys.executable, "-c", holding, str(out / CACHE_DIR)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert other.stdout is not None and other.stdout.readline() == b"held\n"
        line = assert_one_line_error(invoke("build", CORPUS, "--out", out))
    finally:
        other.communicate()
    assert "another kg build is using" in line and f"{CACHE_DIR}; wait for it to end" in line, line
    assert sorted(path.name for path in out.iterdir()) == [CACHE_DIR]


# --------------------------------------------------------------------------- query, eval, validate: bad input


def test_query_malformed_sparql(built: Path) -> None:
    before = snapshot(built)
    line = assert_one_line_error(invoke("query", "SELEC * WHERE {", "--graph", built))
    assert line.startswith("kg: error: malformed SPARQL: ")
    assert snapshot(built) == before


def test_query_update_is_refused(built: Path) -> None:
    before = snapshot(built)
    assert_one_line_error(invoke("query", "DELETE WHERE { ?s ?p ?o }", "--graph", built))
    assert snapshot(built) == before


def test_query_missing_graph(tmp_path: Path) -> None:
    line = assert_one_line_error(invoke("query", COUNT, "--graph", tmp_path / "missing"))
    assert line == f"kg: error: {tmp_path / 'missing'}: no such file or folder"
    assert list(tmp_path.iterdir()) == []


def test_query_folder_without_a_graph(tmp_path: Path) -> None:
    line = assert_one_line_error(invoke("query", COUNT, "--graph", tmp_path))
    assert "no graph.trig or graph.ttl in this folder" in line
    assert list(tmp_path.iterdir()) == []


def test_query_missing_rq_file(built: Path, tmp_path: Path) -> None:
    line = assert_one_line_error(invoke("query", tmp_path / "partners.rq", "--graph", built))
    assert line == f"kg: error: {tmp_path / 'partners.rq'}: no such query file"


@pytest.mark.parametrize(
    ("query", "fmt", "message"),
    [
        (COUNT, "xml", "kg: error: unknown format 'xml': use one of table, csv, tsv, json"),
        (COUNT, "turtle", "turtle"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", "csv", "csv"),
    ],
)
def test_query_unknown_format(built: Path, query: str, fmt: str, message: str) -> None:
    before = snapshot(built)
    line = assert_one_line_error(invoke("query", query, "--graph", built, "--format", fmt))
    assert message in line
    assert snapshot(built) == before


def test_eval_missing_gold(built: Path, tmp_path: Path) -> None:
    line = assert_one_line_error(invoke("eval", "--gold", tmp_path / "gold.yaml", built))
    assert line == (f"kg: error: {tmp_path / 'gold.yaml'}: no such gold file: pass the path of a gold *.yaml file")
    assert list(tmp_path.iterdir()) == []


def test_eval_malformed_gold(built: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text("entities: [\n", encoding="utf-8")
    line = assert_one_line_error(invoke("eval", "--gold", gold, built))
    assert "invalid YAML" in line


def test_validate_broken_turtle(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix kgr: <https://kg.example/id/> .\nkgr:Seoul kgr:p \n", encoding="utf-8")
    line = assert_one_line_error(invoke("validate", broken))
    assert line.startswith("kg: error: broken.ttl: ")
    assert "line" in line
    assert [p.name for p in tmp_path.iterdir()] == ["broken.ttl"]


def test_validate_missing_file(tmp_path: Path) -> None:
    line = assert_one_line_error(invoke("validate", tmp_path / "graph.trig"))
    assert line == f"kg: error: {tmp_path / 'graph.trig'}: no such file or folder"


def test_validate_unknown_suffix(tmp_path: Path) -> None:
    graph = tmp_path / "graph.rdf"
    graph.write_text("<rdf:RDF/>", encoding="utf-8")
    line = assert_one_line_error(invoke("validate", graph))
    assert "unknown RDF file type '.rdf'" in line


# --------------------------------------------------------------------------- the installed script


def test_kg_script_refuses_a_missing_path(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [str(KG), "build", str(tmp_path / "nowhere.txt"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"kg: error: {tmp_path / 'nowhere.txt'} does not exist: check the path\n"
    assert not out.exists()


def test_kg_script_queries_the_seed(built: Path) -> None:
    done = subprocess.run(
        [str(KG), "query", COUNT, "--graph", str(built), "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.splitlines()[0] == "n"
    assert int(done.stdout.splitlines()[1]) > 0


def test_kg_script_malformed_sparql(built: Path) -> None:
    done = subprocess.run(
        [str(KG), "query", "SELECT ?s WHERE { ?s", "--graph", str(built)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("kg: error: malformed SPARQL: ")
