"""The whole build on real documents: quality against gold files, determinism, outputs."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil
import pytest
from rdflib import Dataset

import kg.pipeline
from kg.errors import KGError
from kg.evaluate import evaluate, load_gold, load_graph
from kg.graph import Graphs
from kg.ontology import load_ontology
from kg.pipeline import OUTPUT_FILES, Build, build, validation_parts, write_build

from .conftest import SEED_CORPUS, SEED_GOLD, TEST_DATA

CASES = sorted(p.name.removesuffix(".gold.yaml") for p in TEST_DATA.glob("*.gold.yaml"))


def test_seed_meets_the_quality_bar(seed_build: Build) -> None:
    result = evaluate(seed_build.dataset, load_gold(SEED_GOLD), load_ontology())
    assert result.entities.f1 >= 0.95, result
    assert result.relations.f1 >= 0.90, result
    assert result.facts.recall >= 0.90, result
    assert result.duplicates == ()


def test_seed_scores_exactly(seed_build: Build) -> None:
    """Today's measured result; a change that loses any of it must say why."""
    result = evaluate(seed_build.dataset, load_gold(SEED_GOLD), load_ontology())
    assert (result.entities.tp, result.entities.fp, result.entities.fn) == (25, 0, 0)
    assert (result.relations.tp, result.relations.fp, result.relations.fn) == (24, 0, 0)
    assert (result.facts.tp, result.facts.fn) == (8, 0)


@pytest.mark.parametrize("case", CASES)
def test_unseen_documents_meet_the_quality_bar(case: str) -> None:
    """Short documents written for kg, naming entities the gazetteer does not know."""
    result = evaluate(
        build([TEST_DATA / f"{case}.txt"]).dataset,
        load_gold(TEST_DATA / f"{case}.gold.yaml"),
        load_ontology(),
    )
    assert result.entities.f1 >= 0.90, result
    assert result.relations.f1 >= 0.85, result
    assert result.facts.recall >= 0.80, result
    assert result.duplicates == ()


def test_build_writes_every_output(seed_dir: Path) -> None:
    assert sorted(p.name for p in seed_dir.iterdir()) == sorted(OUTPUT_FILES)
    report = json.loads((seed_dir / "report.json").read_text(encoding="utf-8"))
    assert report["documents"] == 1
    assert report["shacl"] == {"conforms": True, "violations": 0}
    assert report["entities"] == sum(report["entities_by_class"].values())


def test_outputs_parse_and_agree(seed_dir: Path, seed_build: Build) -> None:
    """graph.ttl, graph.nt and graph.jsonld hold the same triples; graph.trig holds them
    plus provenance and the ontology."""
    ttl = load_graph(seed_dir / "graph.ttl")
    for name in ("graph.nt", "graph.jsonld"):
        other = load_graph(seed_dir / name)
        assert set(other.triples((None, None, None))) == set(ttl.triples((None, None, None))), name
    assert len(set(ttl.triples((None, None, None)))) == len(seed_build.knowledge)
    trig = Dataset()
    trig.parse(seed_dir / "graph.trig", format="trig")
    assert len(list(trig.graphs())) >= 3  # ontology, gazetteer, the document


def test_building_twice_gives_identical_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_build(build([SEED_CORPUS]), first)
    write_build(build([SEED_CORPUS]), second)
    for name in OUTPUT_FILES:
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        if name == "report.json":  # the build time is the one field that varies
            a_json, b_json = json.loads(a), json.loads(b)
            a_json.pop("timing"), b_json.pop("timing")
            assert a_json == b_json
        else:
            assert a == b, name


def test_every_fact_has_evidence(seed_dir: Path) -> None:
    """Each entity-to-entity or literal fact of the graph is backed by an assertion whose
    sentence is in the document."""
    from kg.query import open_store, run_query

    store = open_store(seed_dir)
    unsupported = run_query(
        store,
        """
        SELECT ?s ?p ?o WHERE {
          GRAPH ?g { ?s ?p ?o . FILTER (STRSTARTS(STR(?p), STR(kgo:)) && ?p != kgo:evidence
                                         && ?p != kgo:rule && ?p != kgo:confidence && ?p != kgo:qualifier) }
          FILTER (?g != <https://kg.example/ontology>)
          FILTER NOT EXISTS { GRAPH ?g { ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kgo:evidence ?e .
                                         ?e nif:anchorOf ?text } }
        }""",
    )
    assert unsupported.rows == ()


def test_a_build_imports_the_page_only_to_render_it() -> None:
    """A build whose page renders in a process of its own does without kg.view and what it
    imports (0.24 s of the build's 0.5 s of imports)."""
    code = "import sys, kg.pipeline; print(sorted({'kg.view', 'networkx', 'numpy', 'jinja2'} & set(sys.modules)))"
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert imported.stdout == "[]\n"


def test_the_build_page_is_capped_and_says_how_to_see_all(
    seed_build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """graph.html comes from the build's store, with at most BUILD_MAX_NODES entities:
    the page ``kg view`` writes with the same cap."""
    from kg.view import CAP_HINT, render_html

    monkeypatch.setattr("kg.view.BUILD_MAX_NODES", 5)
    write_build(seed_build, tmp_path)
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert page == render_html(load_graph(tmp_path), load_ontology(), cap=5)
    assert f"Showing the 5 most connected of 27 entities. {CAP_HINT}</span>" in page
    assert '<span id="kg-counts">5 entities,' in page


def test_with_workers_the_page_is_rendered_in_a_process_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """From PARALLEL_STATEMENTS statements on, a build with 2 workers renders graph.html
    in a process of its own, which then writes graph.trig, while validation splits the
    statements and writes the other RDF files: the same files as a build with one worker,
    which makes them all when writing."""
    documents = sorted(TEST_DATA.glob("*.txt"))[:6]
    one = build(documents)
    monkeypatch.setattr("kg.pipeline.PARALLEL_STATEMENTS", 1)
    capsys.readouterr()
    two = build(documents, workers=2, progress=True)
    stages = [line.split("\r")[-1].split(":")[0] for line in capsys.readouterr().err.split("\n") if line]
    assert stages == [
        "extracting",
        "linking",
        "graphs",
        "reading the statements",
        "writing the RDF files while graph.html renders",
        "validating",
    ]
    assert one.ready == {}
    assert sorted(two.ready) == ["graph.html", "graph.jsonld", "graph.trig", "graph.ttl"]
    assert {path.parent for path in two.ready.values()} == {Path(two.folder.name)}
    write_build(one, tmp_path / "one")
    write_build(two, tmp_path / "two")
    for name in OUTPUT_FILES:
        if name != "report.json":  # its timing differs
            assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert b"kg-data" in (tmp_path / "two" / "graph.html").read_bytes()


def test_a_failure_beside_the_page_stops_the_pages_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing the RDF files fails (a full disk) while the page renders in its own
    process: the error comes through and no process of the build is left running."""
    monkeypatch.setattr("kg.pipeline.PARALLEL_STATEMENTS", 1)

    def full_disk(*_arguments: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kg.pipeline._write_rdf", full_disk)
    before = {child.pid for child in psutil.Process().children(recursive=True)}  # other tests' servers
    with pytest.raises(OSError, match="No space left on device"):
        build(sorted(TEST_DATA.glob("*.txt"))[:2], workers=2)
    left = [child.cmdline()[-1:] for child in psutil.Process().children(recursive=True) if child.pid not in before]
    assert left == []


def test_a_failure_after_the_page_in_its_process_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's process renders graph.html, then fails writing graph.trig (its source
    is gone): the build fails with one line naming that process, and nothing is left
    running."""
    monkeypatch.setattr("kg.pipeline.PARALLEL_STATEMENTS", 1)
    write_graphs = kg.pipeline.write_graphs

    def without_dataset(*arguments: Any, **options: Any) -> Graphs:
        return dataclasses.replace(write_graphs(*arguments, **options), dataset=tmp_path / "dataset.nq")

    monkeypatch.setattr("kg.pipeline.write_graphs", without_dataset)
    before = {child.pid for child in psutil.Process().children(recursive=True)}
    with pytest.raises(KGError) as failure:
        build(sorted(TEST_DATA.glob("*.txt"))[:2], workers=2)
    message = str(failure.value)
    assert message.startswith("the process that renders graph.html and writes graph.trig failed (status 1): ")
    assert "FileNotFoundError" in message and "\n" not in message
    left = [child.cmdline()[-1:] for child in psutil.Process().children(recursive=True) if child.pid not in before]
    assert left == []


def test_parallel_validation_parts_are_a_multiple_of_the_workers() -> None:
    assert [validation_parts(99_999, 2), validation_parts(100_000, 2), validation_parts(1_000_000, 2)] == [1, 2, 2]
    # the 10,000-article corpus's statements
    assert [validation_parts(4_329_519, workers) for workers in (1, 2, 3, 4)] == [9, 10, 9, 12]


def test_a_build_with_progress_shows_each_stage(
    seed_build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bar for the stages with steps, a line with the time taken for the others, each
    left at its final state on a line of its own."""
    write_build(seed_build, tmp_path / "quiet")  # built without progress: one document
    assert capsys.readouterr().err == ""
    write_build(build([SEED_CORPUS], progress=True), tmp_path / "shown")
    finals = [line.split("\r")[-1] for line in capsys.readouterr().err.split("\n") if line]
    expected = [
        r"extracting: 100%\|█+\| 1/1 \[.*doc/s\]",
        r"linking: \d\d:\d\d",
        r"graphs: 100%\|█+\| 4/4 \[.*graph/s\]",  # the document's, the gazetteer's and the ontology's, the sort
        r"validating: \d\d:\d\d",  # in one store: too few statements for parts
        r"writing: 100%\|█+\| 6/6 \[.*file/s\]",
    ]
    assert len(finals) == len(expected)
    for line, pattern in zip(finals, expected, strict=True):
        assert re.fullmatch(pattern, line), line
