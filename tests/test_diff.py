"""kg diff: the statements added and removed between two builds or graph files."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.diff import diff, format_diff, statements

from .test_cli import assert_one_line_error, invoke

OLD = """@prefix kgr: <https://kg.example/id/> . @prefix kgo: <https://kg.example/ontology#> .
kgr:Seoul kgo:cooperatesWith kgr:Naver , kgr:KAIST .
kgr:Naver a kgo:Company .
"""
NEW = """@prefix kgr: <https://kg.example/id/> . @prefix kgo: <https://kg.example/ontology#> .
kgr:Seoul kgo:cooperatesWith kgr:Naver , kgr:Google .
kgr:Naver a kgo:Company .
kgr:Google a kgo:Company .
"""


def _files(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def test_lists_the_changes_sorted_with_a_count(tmp_path: Path) -> None:
    old, new = _files(tmp_path)
    result = invoke("diff", old, new)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "+ <https://kg.example/id/Google> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://kg.example/ontology#Company> .\n"
        "+ <https://kg.example/id/Seoul> <https://kg.example/ontology#cooperatesWith> "
        "<https://kg.example/id/Google> .\n"
        "- <https://kg.example/id/Seoul> <https://kg.example/ontology#cooperatesWith> "
        "<https://kg.example/id/KAIST> .\n"
        "# 2 added, 1 removed\n"
    )


def test_the_same_graph_has_no_changes(seed_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(seed_dir, copy)
    assert format_diff(diff(seed_dir, copy)) == "# 0 added, 0 removed\n"
    assert format_diff(diff(seed_dir, copy, provenance=True)) == "# 0 added, 0 removed\n"


def test_a_build_folder_means_its_facts_or_with_provenance_its_dataset(seed_dir: Path) -> None:
    facts, everything = statements(seed_dir), statements(seed_dir, provenance=True)
    assert facts == statements(seed_dir / "graph.nt")
    assert all(line.count(" <https://kg.example/doc/") == 0 for line in facts if line.endswith("> ."))
    graphs = {line.rsplit(" ", 2)[1] for line in everything}
    assert "<https://kg.example/doc/000_56ff57ee3c08f7b3>" in graphs
    assert len(everything) > len(facts)


def test_against_an_empty_graph_everything_is_added(seed_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.nt"
    empty.write_text("", encoding="utf-8")
    change = diff(empty, seed_dir)
    assert change.removed == ()
    assert set(change.added) == statements(seed_dir / "graph.ttl")


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    old, _ = _files(tmp_path)
    assert "no such file or folder" in assert_one_line_error(invoke("diff", old, tmp_path / "missing.ttl"))
    assert "no graph.ttl in this folder" in assert_one_line_error(invoke("diff", old, tmp_path))
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    assert "broken.ttl: not valid RDF" in assert_one_line_error(invoke("diff", old, broken))
    other = tmp_path / "graph.csv"
    other.write_text("a,b", encoding="utf-8")
    assert "unknown RDF file type '.csv'" in assert_one_line_error(invoke("diff", old, other))
