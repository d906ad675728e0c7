"""The extraction cache: entries round-trip, bad entries are misses, and a rebuild
extracts only what changed and forgets what was removed; graph.trig kept by graph, and a
rebuild that serialises only the graphs that changed; the validation units that passed,
and a rebuild that checks only the others."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import kg.cache
import kg.pipeline
import kg.validate
import kg.view
from kg.cache import (
    CACHE_DIR,
    ExtractionCache,
    GraphFiles,
    GraphPiece,
    GraphReadings,
    PageLayouts,
    PassedUnits,
    TrigBlocks,
    fingerprint,
    graph_fingerprint,
)
from kg.diff import diff, statements
from kg.errors import KGError, ValidationError
from kg.export import GraphSpan, TrigBlock
from kg.gazetteer import DEFAULT_GAZETTEER
from kg.model import ExtractionSummary
from kg.pipeline import Build, build, write_build
from kg.validate import _UNITS, GraphReading

from .conftest import TEST_DATA
from .test_parallel import assert_same_outputs

NAMES = ("ko_busan_robot.txt", "ko_ministry_forum.txt")


@pytest.fixture
def cache(tmp_path: Path) -> ExtractionCache:
    return ExtractionCache(tmp_path / CACHE_DIR, fingerprint(DEFAULT_GAZETTEER))


def test_an_entry_comes_back_equal(cache: ExtractionCache, seed_build: Build) -> None:
    extraction = seed_build.corpus.documents[0].extraction
    key = cache.key("a.txt", b"text")
    assert cache.get(key) is None
    cache.put(key, extraction)
    assert cache.get(key) == extraction


def test_an_entry_is_read_whole_only_when_asked_for(cache: ExtractionCache, seed_build: Build) -> None:
    extraction = seed_build.corpus.documents[0].extraction
    key = cache.key("a.txt", b"text")
    cache.put(key, extraction)
    found = cache.get(key)
    assert found is not None and found.summary == ExtractionSummary.of(extraction)
    assert found.document == extraction.document
    [entry] = cache.folder.rglob("*.pickle")
    entry.unlink()  # the summary and the document were read with the entry; the rest was not
    with pytest.raises(KGError, match="changed while the build read it"):
        _ = found.mentions
    cache.put(key, extraction)
    again = cache.get(key)
    assert again is not None and again.statements == extraction.statements
    entry.unlink()
    assert again.mentions == extraction.mentions  # read once, kept


def test_an_entry_whose_extraction_cannot_be_read_is_deleted(cache: ExtractionCache, seed_build: Build) -> None:
    extraction = seed_build.corpus.documents[0].extraction
    key = cache.key("a.txt", b"text")
    summary = pickle.dumps(ExtractionSummary.of(extraction))
    body = kg.cache._LENGTH.pack(len(summary)) + summary + pickle.dumps("not an extraction")
    path = cache.folder / key[:2] / f"{key}.pickle"
    path.parent.mkdir(parents=True)
    path.write_bytes(kg.cache._sealed(kg.cache._FORMAT + key.encode() + b"\n", body))
    found = cache.get(key)
    assert found is not None  # its summary reads
    with pytest.raises(KGError, match="build again"):
        _ = found.statements
    assert not path.exists() and cache.get(key) is None  # the next build extracts it again


def test_keys_depend_on_name_bytes_and_versions(cache: ExtractionCache, tmp_path: Path) -> None:
    gazetteer = tmp_path / "gazetteer.yaml"
    gazetteer.write_bytes(DEFAULT_GAZETTEER.read_bytes() + b"\n# edited\n")
    other = ExtractionCache(cache.folder, fingerprint(gazetteer))
    keys = {cache.key("a.txt", b"x"), cache.key("b.txt", b"x"), cache.key("a.txt", b"y"), other.key("a.txt", b"x")}
    assert len(keys) == 4
    assert cache.key("a.txt", b"x") == ExtractionCache(tmp_path, fingerprint(DEFAULT_GAZETTEER)).key("a.txt", b"x")


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),  # one bit flipped
        lambda raw: raw.replace(kg.cache._FORMAT, b"kg-extraction-cache 0\n", 1),  # another format
        lambda raw: b"",
    ],
)
def test_a_damaged_entry_is_a_miss(cache: ExtractionCache, seed_build: Build, damage) -> None:  # type: ignore[no-untyped-def]
    key = cache.key("a.txt", b"text")
    cache.put(key, seed_build.corpus.documents[0].extraction)
    [entry] = cache.folder.rglob("*.pickle")
    entry.write_bytes(damage(entry.read_bytes()))
    assert cache.get(key) is None


def test_keep_only_deletes_the_rest(cache: ExtractionCache, seed_build: Build) -> None:
    extraction = seed_build.corpus.documents[0].extraction
    keys = [cache.key(f"{n}.txt", b"") for n in range(3)]
    for key in keys:
        cache.put(key, extraction)
    (cache.folder / keys[0][:2] / ".stray.tmp").write_bytes(b"half")
    cache.keep_only(keys[1:])
    assert sorted(p.name for p in cache.folder.rglob("*") if p.is_file()) == sorted(f"{k}.pickle" for k in keys[1:])


# ---------------------------------------------------------------------- the graph files

FILES = ("graphs.nq", "knowledge.nt")  # the first holds every graph's text, one after another
PIECE_A = GraphPiece("a", ((0, 26),), quads=1, assertions=0, rejected=2)
PIECE_B = GraphPiece("b", ((26, 23),), quads=1, assertions=1, rejected=0)


def _graph_files(tmp_path: Path) -> GraphFiles:
    return GraphFiles(tmp_path / CACHE_DIR, FILES)


def _written(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "graphs.nq").write_bytes(b'<urn:a> <urn:p> <urn:o> .\n<urn:b> <urn:p> "\\u0000" .\n')
    (folder / "knowledge.nt").write_bytes(b"<urn:a> <urn:p> <urn:o> .\n")
    return folder


def _fill_graph_files(tmp_path: Path) -> Path:
    files = _graph_files(tmp_path)
    assert files.previous() == {}
    files.pieces = [PIECE_A, PIECE_B]
    written = _written(tmp_path, "written")
    files.commit(written)
    return written


def _by_key(files: GraphFiles, *pieces: GraphPiece) -> dict[str, GraphPiece]:
    return {files.key(piece.key): replace(piece, key=files.key(piece.key)) for piece in pieces}


def test_graph_pieces_come_back_and_only_this_builds_stay(tmp_path: Path) -> None:
    written = _fill_graph_files(tmp_path)
    files = _graph_files(tmp_path)
    assert files.previous() == _by_key(files, PIECE_A, PIECE_B)
    for name in FILES:  # links to the files the build wrote, not copies
        assert files.path(name).read_bytes() == (written / name).read_bytes()
        assert files.path(name).stat().st_ino == (written / name).stat().st_ino
    files.pieces = [PIECE_B]  # a build of "b" alone
    files.commit(_written(tmp_path, "again"))
    assert _graph_files(tmp_path).previous() == _by_key(files, PIECE_B)
    for thread in threading.enumerate():
        if thread.name == "kg-old-graph-files":
            thread.join()
    assert sorted(p.name for p in (tmp_path / CACHE_DIR).iterdir()) == ["graph-files", "graph-files.index"]


def test_graph_files_are_copies_where_links_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: object, target: object) -> None:
        raise OSError("no links here")

    monkeypatch.setattr(os, "link", refuse)
    written = _fill_graph_files(tmp_path)
    files = _graph_files(tmp_path)
    assert files.previous() == _by_key(files, PIECE_A, PIECE_B)
    assert files.path("graphs.nq").read_bytes() == (written / "graphs.nq").read_bytes()
    assert files.path("graphs.nq").stat().st_ino != (written / "graphs.nq").stat().st_ino


def _flip(raw: bytes, at: int) -> bytes:
    return raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1 :]


def _rewritten(path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    raw = path.read_bytes()
    stat = path.stat()
    path.unlink()  # not the file the build folder links to
    path.write_bytes(damage(raw))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("graph-files/graphs.nq", lambda raw: raw[:-1]),  # truncated
        ("graph-files/graphs.nq", lambda raw: _flip(raw, 3)),  # changed in place: same size, later
        ("graph-files/knowledge.nt", lambda raw: b""),
        ("graph-files.index", lambda raw: _flip(raw, len(raw) - 2)),  # the index's checksum fails
        ("graph-files.index", lambda raw: raw.replace(kg.cache._GRAPH_FILES_FORMAT, b"kg-graph-files 0\n", 1)),
        ("graph-files.index", lambda raw: b""),
    ],
)
def test_graph_files_changed_since_hold_no_graph(tmp_path: Path, name: str, damage) -> None:  # type: ignore[no-untyped-def]
    _fill_graph_files(tmp_path)
    _rewritten(tmp_path / CACHE_DIR / name, damage)
    assert _graph_files(tmp_path).previous() == {}


def test_a_missing_graph_file_holds_no_graph(tmp_path: Path) -> None:
    _fill_graph_files(tmp_path)
    (tmp_path / CACHE_DIR / "graph-files" / "knowledge.nt").unlink()
    assert _graph_files(tmp_path).previous() == {}


def test_graph_pieces_depend_on_the_graph_writers_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_graph_files(tmp_path)
    source = tmp_path / "kg"
    shutil.copytree(Path(kg.cache.__file__).parent, source)
    monkeypatch.setattr(kg.cache, "_KG", source)
    before = graph_fingerprint()
    copy = _graph_files(tmp_path)
    assert copy.previous() == _by_key(copy, PIECE_A, PIECE_B)  # a copy of the same sources
    (source / "graph.py").write_text(
        (source / "graph.py").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"
    )
    assert graph_fingerprint() != before
    edited = _graph_files(tmp_path)
    assert set(edited.previous()).isdisjoint({edited.key("a"), edited.key("b")})


def test_graph_pieces_depend_on_the_ontology(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_graph_files(tmp_path)
    ontology = tmp_path / "ontology"
    shutil.copytree(kg.cache.ONTOLOGY_PATH.parent, ontology)
    monkeypatch.setattr(kg.cache, "ONTOLOGY_PATH", ontology / kg.cache.ONTOLOGY_PATH.name)
    copy = _graph_files(tmp_path)
    assert copy.previous() == _by_key(copy, PIECE_A, PIECE_B)
    with (ontology / "kg.ttl").open("a", encoding="utf-8") as stream:
        stream.write("\n# edited\n")
    edited = _graph_files(tmp_path)
    assert set(edited.previous()).isdisjoint({edited.key("a"), edited.key("b")})


def test_a_commit_stopped_before_its_index_leaves_no_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_graph_files(tmp_path)
    files = _graph_files(tmp_path)
    files.pieces = [PIECE_B]

    def stopped(path: Path, payload: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.cache, "_write_atomically", stopped)
    with pytest.raises(KeyboardInterrupt):
        files.commit(_written(tmp_path, "stopped"))
    monkeypatch.undo()
    assert _graph_files(tmp_path).previous() == {}


# ------------------------------------------------------------------- incremental builds


def _build(corpus: Path, out: Path, cache: bool = True) -> dict[str, int]:
    write_build(build([corpus], workers=1, cache_dir=out / CACHE_DIR if cache else None), out)
    timing = json.loads((out / "report.json").read_text(encoding="utf-8"))["timing"]
    return {
        "extracted": timing["documents_extracted"],
        "cached": timing["documents_from_cache"],
        "graphs": timing["graphs_from_cache"],
    }


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(TEST_DATA / name, folder / name)
    return folder


def test_a_second_build_stops_while_the_first_holds_the_cache(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    first = build([corpus], workers=1, cache_dir=out / CACHE_DIR)
    held_here = r"^another kg build is using .*\.kg-cache \(a Build of this process not written yet\); wait for it"
    with pytest.raises(KGError, match=held_here):
        build([corpus], workers=1, cache_dir=out / CACHE_DIR)
    write_build(first, out)  # then lets go of it
    assert _build(corpus, out) == {"extracted": 0, "cached": 2, "graphs": 2}


def test_a_build_written_again_after_a_later_build_writes_its_own_files_and_not_the_cache(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    _build(corpus, out)
    changed = corpus / NAMES[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n한빛대학교는 대전에 있다.\n", encoding="utf-8")
    first = build([corpus], workers=1, cache_dir=out / CACHE_DIR)  # spliced from the first build's files
    write_build(first, out)
    fresh = tmp_path / "fresh"
    _build(corpus, fresh, cache=False)
    changed.write_text(changed.read_text(encoding="utf-8") + "\n부산시는 새 연구소를 열었다.\n", encoding="utf-8")
    _build(corpus, out)  # replaces the cache's files
    cache_files = {path: path.read_bytes() for path in (out / CACHE_DIR).rglob("*") if path.is_file()}
    late = tmp_path / "late"
    write_build(first, late)
    assert_same_outputs(late, fresh)
    assert {path: path.read_bytes() for path in (out / CACHE_DIR).rglob("*") if path.is_file()} == cache_files


def _leftovers_removed() -> None:
    for thread in threading.enumerate():
        if thread.name == "kg-cache-leftovers":
            thread.join()


def test_what_killed_builds_left_in_the_cache_goes_and_a_live_builds_folder_stays(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    cache_dir = out / CACHE_DIR
    live = build([corpus], workers=1, cache_dir=cache_dir)
    write_build(live, out)  # its working folder stays as long as the Build does
    [working] = cache_dir.glob("kg-build-*")
    killed = [cache_dir / "kg-build-killed", cache_dir / "kg-build-killed-early", cache_dir / ".graph-files-old-x"]
    for folder in killed:
        folder.mkdir()
        (folder / "dataset.nq").write_bytes(b"<a:s> <a:p> <a:o> <a:g> .\n")
    (cache_dir / "kg-build-killed" / "lock").touch()  # the one killed before it held its folder has none
    retired = [cache_dir / "graphs.pack", cache_dir / "graphs.index", cache_dir / "graph-readings"]
    for file in retired:
        file.write_bytes(b"an older kg's graph cache (or its graph readings, in one file)")
    write_build(build([corpus], workers=1, cache_dir=cache_dir), out)
    _leftovers_removed()
    assert not any(path.exists() for path in killed + retired)
    assert working.is_dir() and live.knowledge  # its files still read


def test_a_first_build_that_fails_leaves_no_cache_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_text("   \n", encoding="utf-8")
    out = tmp_path / "build"
    with pytest.raises(KGError):
        build([corpus], workers=1, cache_dir=out / CACHE_DIR)
    assert not out.exists()


def test_a_changed_document_is_the_only_one_extracted(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert _build(corpus, out) == {"extracted": 2, "cached": 0, "graphs": 0}
    assert _build(corpus, out) == {"extracted": 0, "cached": 2, "graphs": 2}
    changed = corpus / NAMES[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n한빛대학교는 대전에 있다.\n", encoding="utf-8")
    assert _build(corpus, out) == {"extracted": 1, "cached": 1, "graphs": 1}
    fresh = tmp_path / "fresh"
    _build(corpus, fresh, cache=False)
    assert_same_outputs(out, fresh)
    assert len(list((out / CACHE_DIR).rglob("*.pickle"))) == 2  # the old entry is gone


def test_a_rebuild_reads_no_unchanged_extraction_whole(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    _build(corpus, out)
    read = []
    whole = kg.cache.CachedExtraction._read

    def recorded(self: kg.cache.CachedExtraction) -> Any:
        read.append(self.document.name)
        return whole(self)

    monkeypatch.setattr(kg.cache.CachedExtraction, "_read", recorded)
    changed = corpus / NAMES[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n한빛대학교는 대전에 있다.\n", encoding="utf-8")
    assert _build(corpus, out) == {"extracted": 1, "cached": 1, "graphs": 1}
    assert read == []  # linked by its summary, its graph copied
    fresh = tmp_path / "fresh"
    _build(corpus, fresh, cache=False)
    assert_same_outputs(out, fresh)


def test_a_removed_document_leaves_the_graph(corpus: Path, tmp_path: Path) -> None:
    out, before = tmp_path / "build", tmp_path / "before"
    _build(corpus, out)
    shutil.copytree(out, before)
    (corpus / NAMES[1]).unlink()
    assert _build(corpus, out) == {"extracted": 0, "cached": 1, "graphs": 1}
    only_first = tmp_path / "only_first"
    _build(corpus, only_first, cache=False)
    assert_same_outputs(out, only_first)
    removed_doc = "<https://kg.example/doc/ko_ministry_forum>"
    assert not any(removed_doc in line for line in statements(out, provenance=True))
    change = diff(before, out, provenance=True)
    assert change.added == ()
    assert set(change.removed) == statements(before, provenance=True) - statements(out, provenance=True)
    assert sum(removed_doc in line for line in change.removed) > 100


def test_a_damaged_entry_is_extracted_again(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    _build(corpus, out)
    entries = sorted((out / CACHE_DIR).rglob("*.pickle"))
    entries[0].write_bytes(b"not a pickle")
    assert _build(corpus, out) == {"extracted": 1, "cached": 1, "graphs": 2}
    assert _build(corpus, out) == {"extracted": 0, "cached": 2, "graphs": 2}


def test_a_build_that_fails_leaves_the_cache_as_it_was(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    _build(corpus, out)
    before = {path: path.read_bytes() for path in (out / CACHE_DIR).rglob("*") if path.is_file()}
    changed = corpus / NAMES[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n한빛대학교는 대전에 있다.\n", encoding="utf-8")
    checked = kg.pipeline.validate
    monkeypatch.setattr(
        kg.pipeline, "validate", lambda *arguments, **options: replace(checked(*arguments, **options), conforms=False)
    )
    with pytest.raises(ValidationError):
        build([corpus], workers=1, cache_dir=out / CACHE_DIR)
    assert {path: path.read_bytes() for path in (out / CACHE_DIR).rglob("*") if path.is_file()} == before
    monkeypatch.undo()
    assert _build(corpus, out) == {"extracted": 1, "cached": 1, "graphs": 1}  # the failed build let go of the cache


# ------------------------------------------------------------ the page's layout


def test_page_layouts_come_back_by_digest_once_committed(tmp_path: Path) -> None:
    working = tmp_path / "working"
    working.mkdir()
    layouts = PageLayouts(tmp_path, working)
    layouts.put("a" * 64, [(1, -2), (30, 4)])
    assert layouts.get("a" * 64) is None  # not kept before the build succeeded
    layouts.commit()
    assert layouts.get("a" * 64) == [(1, -2), (30, 4)] and layouts.get("b" * 64) is None
    layouts.commit()  # nothing new: the kept one stays
    assert layouts.get("a" * 64) == [(1, -2), (30, 4)]
    kept = tmp_path / "page-layout"
    kept.write_bytes(kept.read_bytes()[:-3])
    assert layouts.get("a" * 64) is None


def test_a_rebuild_lays_out_the_page_again_only_when_its_network_changed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    _build(corpus, out)
    laid_out = []
    whole = kg.view.layout
    monkeypatch.setattr(kg.view, "layout", lambda *arguments: laid_out.append(1) or whole(*arguments))
    changed = corpus / NAMES[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n그는 회의에서 발표했다.\n", encoding="utf-8")
    _build(corpus, out)
    assert laid_out == []
    changed.write_text(changed.read_text(encoding="utf-8") + "\n한빛대학교는 대전에 있다.\n", encoding="utf-8")
    _build(corpus, out)
    assert laid_out == [1]
    fresh = tmp_path / "fresh"
    _build(corpus, fresh, cache=False)
    assert_same_outputs(out, fresh)


# ------------------------------------------------------------ graph.ttl and graph.jsonld spliced


def test_a_rebuild_splices_graph_ttl_and_jsonld_unless_they_were_changed_since(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    _build(corpus, out)
    whole: list[str] = []
    write_rdf = kg.pipeline._write_rdf
    monkeypatch.setattr(
        kg.pipeline, "_write_rdf", lambda source, name, stream: whole.append(name) or write_rdf(source, name, stream)
    )
    changed = corpus / NAMES[1]
    fresh = tmp_path / "fresh"
    for line, serialised in [
        ("한빛대학교는 대전에 있다.", []),
        ("부산시는 새 연구소를 열었다.", ["graph.jsonld", "graph.ttl"]),
    ]:
        changed.write_text(changed.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
        if serialised:  # graph.ttl edited in place (its link in the cache with it): neither is spliced from
            with (out / "graph.ttl").open("ab") as stream:
                stream.write(b"# edited\n")
        whole.clear()
        _build(corpus, out)
        assert sorted(whole) == sorted(["graph.nt", *serialised])
        _build(corpus, fresh, cache=False)
        assert_same_outputs(out, fresh)


def test_graph_nt_edited_in_place_changes_no_later_build(corpus: Path, tmp_path: Path) -> None:
    """graph.nt is the knowledge graph's file copied, not linked: the next build starts from
    the cache's knowledge graph, and an edit that keeps the output's size and modification
    time (rsync --inplace -t) would not be noticed there."""
    out = tmp_path / "build"
    _build(corpus, out)
    output = out / "graph.nt"
    kept = os.stat(output)
    with output.open("r+b") as stream:
        stream.write(b"<urn:edited>")
    os.utime(output, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    changed = corpus / NAMES[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n부산시는 새 연구소를 열었다.\n", encoding="utf-8")
    _build(corpus, out)
    fresh = tmp_path / "fresh"
    _build(corpus, fresh, cache=False)
    assert_same_outputs(out, fresh)


# ------------------------------------------------------------ graph.trig by graph

PREFIXES = b"@prefix x: <urn:x:> .\n"
BLOCKS = (b"x:a {\n\tx:s x:p x:o .\n}\n", b"x:b {\n\tx:s x:p x:q .\n}\n")


def _blocks(keys: tuple[str, ...] = ("a", "b")) -> list[TrigBlock]:
    offsets = [len(PREFIXES), len(PREFIXES) + len(BLOCKS[0])]
    return [
        TrigBlock(key, offset, len(block), hashlib.sha256(block).digest())
        for key, offset, block in zip(keys, offsets, BLOCKS, strict=True)
    ]


def _trig_file(tmp_path: Path) -> Path:
    written = tmp_path / "out" / "graph.trig"
    written.parent.mkdir(exist_ok=True)
    written.write_bytes(PREFIXES + b"".join(BLOCKS))
    return written


def test_trig_blocks_come_back_from_a_link_to_the_file_written(tmp_path: Path) -> None:
    written = _trig_file(tmp_path)
    TrigBlocks(tmp_path / CACHE_DIR).commit(written, _blocks())
    assert (tmp_path / CACHE_DIR / "graph.trig").stat().st_ino == written.stat().st_ino  # no second copy
    with TrigBlocks(tmp_path / CACHE_DIR) as kept:
        assert [kept.reuse("a"), kept.reuse("b"), kept.reuse("c")] == [BLOCKS[0], BLOCKS[1], None]
    written.unlink()  # a new build replaces graph.trig: the cache keeps the old file
    with TrigBlocks(tmp_path / CACHE_DIR) as kept:
        assert kept.reuse("b") == BLOCKS[1]


def test_trig_blocks_are_a_copy_where_links_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*_arguments: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    written = _trig_file(tmp_path)
    TrigBlocks(tmp_path / CACHE_DIR).commit(written, _blocks())
    assert (tmp_path / CACHE_DIR / "graph.trig").stat().st_ino != written.stat().st_ino
    with TrigBlocks(tmp_path / CACHE_DIR) as kept:
        assert kept.reuse("a") == BLOCKS[0]
    assert sorted(p.name for p in (tmp_path / CACHE_DIR).iterdir()) == ["graph.trig", "graph.trig.index"]


def test_a_trig_block_changed_since_or_of_another_version_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = _trig_file(tmp_path)
    TrigBlocks(tmp_path / CACHE_DIR).commit(written, _blocks())
    with written.open("r+b") as edited:  # in place: the cache's link sees it
        edited.seek(len(PREFIXES) + len(BLOCKS[0]) + 10)
        edited.write(b"y")
    with TrigBlocks(tmp_path / CACHE_DIR) as kept:
        assert [kept.reuse("a"), kept.reuse("b")] == [BLOCKS[0], None]
    monkeypatch.setattr(kg.cache, "graph_fingerprint", lambda: "another serialiser")
    with TrigBlocks(tmp_path / CACHE_DIR) as kept:
        assert kept.reuse("a") is None


def test_a_damaged_trig_index_holds_no_block(tmp_path: Path) -> None:
    TrigBlocks(tmp_path / CACHE_DIR).commit(_trig_file(tmp_path), _blocks())
    index = tmp_path / CACHE_DIR / "graph.trig.index"
    raw = index.read_bytes()
    for damaged in (raw[:-10], raw[:-1] + b"0", raw.replace(b"kg-trig-blocks 1", b"kg-trig-blocks 0"), b""):
        index.write_bytes(damaged)
        with TrigBlocks(tmp_path / CACHE_DIR) as kept:
            assert kept.reuse("a") is None


def _mark_kept_blocks(folder: Path) -> None:
    """Put a comment before each block of the cache's graph.trig (and mend its index), so
    that a block taken from it shows in the next build's graph.trig."""
    trig, index = folder / "graph.trig", folder / "graph.trig.index"
    text, raw = trig.read_bytes(), index.read_bytes()
    header = raw[: raw.index(b"\n") + 1]
    entries = [TrigBlock.of(line) for line in raw[len(header) + 32 :].decode("ascii").splitlines()]
    marked, lines = bytearray(text[: entries[0].offset]), []
    for entry in entries:
        block = b"# kept\n" + text[entry.offset : entry.offset + entry.length]
        lines.append(TrigBlock(entry.key, len(marked), len(block), hashlib.sha256(block).digest()).line())
        marked += block
    trig.unlink()  # not through the link into the build's own graph.trig
    trig.write_bytes(bytes(marked))
    body = "".join(lines).encode("ascii")
    index.write_bytes(header + hashlib.sha256(body).digest() + body)


def _keys(result: Build) -> list[str]:
    return [GraphSpan.of(line).key for line in result.graphs.contents.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_rebuild_serialises_only_the_graphs_that_changed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """graph.trig of a rebuild takes from the cache the block of every graph whose key it
    had, written by this process (1 worker; 2 workers, when spliced from the last one) or
    by the page's process (2 workers, written whole, while this process splits the
    statements)."""
    monkeypatch.setattr("kg.pipeline.PARALLEL_STATEMENTS", 1)
    out = tmp_path / "build"
    written_here = []
    trig_file = kg.pipeline._trig_file

    def recorded(*arguments: Any) -> None:
        written_here.append(arguments)
        trig_file(*arguments)

    monkeypatch.setattr(kg.pipeline, "_trig_file", recorded)

    def rebuild() -> Build:
        result = build([corpus], workers=workers, cache_dir=out / CACHE_DIR)
        write_build(result, out)
        return result

    first = rebuild()
    assert ("graph.trig" in first.ready) == (workers == 2)
    assert written_here == []  # by the page's process or by write_build
    _mark_kept_blocks(out / CACHE_DIR)
    changed = corpus / NAMES[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n한빛대학교는 대전에 있다.\n", encoding="utf-8")
    before, after = _keys(first), _keys(rebuild())
    assert len(written_here) == (workers == 2)
    unchanged = sum(key in before for key in after)
    assert 0 < unchanged < len(after) == 4  # two documents, the gazetteer's graph, the ontology's
    assert (out / "graph.trig").read_bytes().count(b"# kept\n") == unchanged
    _build(corpus, tmp_path / "fresh", cache=False)
    kept = (out / "graph.trig").read_bytes().replace(b"# kept\n", b"")
    assert kept == (tmp_path / "fresh" / "graph.trig").read_bytes()


# ------------------------------------------------------------ validation units that passed


def test_passed_units_come_back_and_a_damaged_file_holds_none(tmp_path: Path) -> None:
    passed = PassedUnits(tmp_path / CACHE_DIR)
    assert passed.get() == frozenset()
    passed.put(["b" * 64, "a" * 64, "b" * 64])
    assert passed.get() == {"a" * 64, "b" * 64}
    raw = passed.path.read_bytes()
    for damaged in (raw[:-10], raw[:-1] + b"c", raw.replace(b"kg-passed-units 1", b"kg-passed-units 0"), b""):
        passed.path.write_bytes(damaged)
        assert passed.get() == frozenset()


def _units_from_cache(out: Path) -> int:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))["timing"]["validation_units_from_cache"]


def test_a_rebuild_checks_only_the_units_that_changed(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    _build(corpus, out)
    assert _units_from_cache(out) == 0
    _build(corpus, out)
    units = _UNITS + len(NAMES)  # the knowledge graph's, and one per document graph
    assert _units_from_cache(out) == units
    changed = corpus / NAMES[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n한빛대학교는 대전에 있다.\n", encoding="utf-8")
    _build(corpus, out)
    assert 0 < _units_from_cache(out) < units
    fresh = tmp_path / "fresh"
    _build(corpus, fresh, cache=False)
    assert_same_outputs(out, fresh)
    assert _units_from_cache(fresh) == 0
    assert not (fresh / CACHE_DIR).exists()


def test_with_workers_a_rebuild_checks_only_what_changed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2 workers and PARALLEL_STATEMENTS reached: the page in its own process, the RDF
    # files written beside it, parts checked by worker processes, then, rebuilt, only the
    # changed units checked (read twice: hashes, then their statements)
    monkeypatch.setattr("kg.pipeline.PARALLEL_STATEMENTS", 1)
    out = tmp_path / "build"

    def rebuild() -> Build:
        result = build([corpus], workers=2, cache_dir=out / CACHE_DIR)
        write_build(result, out)
        return result

    first = rebuild()
    assert first.validation.skipped == 0
    assert sorted(first.ready) == ["graph.html", "graph.jsonld", "graph.trig", "graph.ttl"]
    changed = corpus / NAMES[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n한빛대학교는 대전에 있다.\n", encoding="utf-8")
    assert 0 < rebuild().validation.skipped < _UNITS + len(NAMES)
    fresh = tmp_path / "fresh"
    _build(corpus, fresh, cache=False)
    assert_same_outputs(out, fresh)


def test_a_rebuilds_page_started_ahead_reads_the_last_knowledge_graph_first(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the page's process started when extraction ends, a rebuild's page reads the
    last build's knowledge graph file from the cache while the graph is written, then
    only the statements of the subjects that changed: the page of a build from scratch."""
    monkeypatch.setattr("kg.pipeline.PARALLEL_STATEMENTS", 1)
    monkeypatch.setattr("kg.pipeline.AHEAD_DOCUMENTS", 1)
    monkeypatch.setattr("kg.pipeline.AHEAD_CHANGED", 0.5)  # one of the two documents
    out = tmp_path / "build"
    changes = []
    for text in ("\n한빛대학교는 대전에 있다.\n", "\n한빛대학교는 세종에 있다. 새봄연구소는 부산에 있다.\n"):
        first = build([corpus], workers=2, cache_dir=out / CACHE_DIR)
        write_build(first, out)
        changed = corpus / NAMES[0]
        changed.write_text(changed.read_text(encoding="utf-8") + text, encoding="utf-8")
        second = build([corpus], workers=2, cache_dir=out / CACHE_DIR)
        changes.append(second.graphs.changed_subjects)
        write_build(second, out)
        fresh = tmp_path / "fresh"
        _build(corpus, fresh, cache=False)
        assert_same_outputs(out, fresh)
    assert all(changes)  # each rebuild changed some subjects' statements, and said which


def test_the_page_reads_the_last_build_ahead_only_when_few_documents_changed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the last build's files ahead is of use when the knowledge graph is then
    updated: the page's process is told to when at most AHEAD_CHANGED of the documents
    were extracted, and not when more were."""
    monkeypatch.setattr("kg.pipeline.PARALLEL_STATEMENTS", 1)
    monkeypatch.setattr("kg.pipeline.AHEAD_DOCUMENTS", 1)
    told: list[bool] = []
    starting = kg.pipeline.start_ahead

    def start_ahead(what: str, function: Any, ahead: list[Any]) -> Any:
        told.append(ahead[1])
        return starting(what, function, ahead)

    monkeypatch.setattr("kg.pipeline.start_ahead", start_ahead)
    out = tmp_path / "build"
    changed = corpus / NAMES[0]
    for share in (0.5, 0.4):
        monkeypatch.setattr("kg.pipeline.AHEAD_CHANGED", share)
        write_build(build([corpus], workers=2, cache_dir=out / CACHE_DIR), out)
        changed.write_text(changed.read_text(encoding="utf-8") + "\n한빛대학교는 대전에 있다.\n", encoding="utf-8")
        write_build(build([corpus], workers=2, cache_dir=out / CACHE_DIR), out)
    # all extracted; one of two (0.5); nothing (the first build of 0.4 after the change before); one of two (0.4)
    assert told == [False, True, True, False]


@pytest.mark.parametrize("name", ["knowledge.nt", "evidence.jsonl"])
def test_a_rebuild_whose_last_graph_files_are_damaged_reads_its_own_whole(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """The page's process reads the last build's knowledge graph and evidence files
    ahead; a file it cannot read (here a folder in its place) leaves the page to read the
    new one whole, and the build goes on."""
    monkeypatch.setattr("kg.pipeline.PARALLEL_STATEMENTS", 1)
    monkeypatch.setattr("kg.pipeline.AHEAD_DOCUMENTS", 1)
    monkeypatch.setattr("kg.pipeline.AHEAD_CHANGED", 0.5)  # one of the two documents
    out = tmp_path / "build"
    write_build(build([corpus], workers=2, cache_dir=out / CACHE_DIR), out)
    damaged = GraphFiles(out / CACHE_DIR, []).path(name)
    damaged.unlink()
    damaged.mkdir()
    write_build(build([corpus], workers=2, cache_dir=out / CACHE_DIR), out)
    fresh = tmp_path / "fresh"
    _build(corpus, fresh, cache=False)
    assert_same_outputs(out, fresh)


# ------------------------------------------------------ what validation read of each graph


def _reading(n: int) -> GraphReading:
    return GraphReading(n, (b"<urn:s>",), (b"<urn:o>",), ((b"<urn:o>", (b"<urn:C>",)),))


def test_graph_readings_come_back_and_a_damaged_file_holds_none(tmp_path: Path) -> None:
    readings = GraphReadings(tmp_path / CACHE_DIR)
    assert readings.get() == {}
    kept = {"b" * 64: _reading(3), "c" * 64: _reading(4)}
    readings.put(kept)
    assert readings.get() == kept
    path = readings.folder / "bb"  # the file of the hashes that begin so
    raw = path.read_bytes()
    for damaged in (raw[:-10], raw[:-1] + b"c", raw.replace(b"kg-graph-readings 2", b"kg-graph-readings 1"), b""):
        path.write_bytes(damaged)
        assert GraphReadings(tmp_path / CACHE_DIR).get() == {"c" * 64: _reading(4)}  # the other file's
    readings = GraphReadings(tmp_path / CACHE_DIR)
    readings.get()
    readings.put(kept)  # the damaged file written again
    assert GraphReadings(tmp_path / CACHE_DIR).get() == kept


def test_graph_readings_put_writes_again_only_the_files_whose_readings_changed(tmp_path: Path) -> None:
    """A rebuild after one change rewrites the file of the new reading's hash and that of the
    one it replaces (each file holds the hashes that begin with its name), and removes a
    file left with none; the other files are not touched."""
    first = {f"{n:02x}" + "0" * 62: _reading(n) for n in range(0, 256, 16)}
    readings = GraphReadings(tmp_path / CACHE_DIR)
    readings.put(first)
    files = {path.name: path.stat().st_ino for path in readings.folder.iterdir()}
    assert sorted(files) == sorted(key[:2] for key in first)
    readings = GraphReadings(tmp_path / CACHE_DIR)
    assert readings.get() == first
    second = {**first, "10" + "1" * 62: _reading(99)}
    del second["20" + "0" * 62]
    readings.put(second)
    assert GraphReadings(tmp_path / CACHE_DIR).get() == second
    now = {path.name: path.stat().st_ino for path in readings.folder.iterdir()}
    assert sorted(now) == sorted(set(files) - {"20"})
    assert [name for name in now if now[name] != files[name]] == ["10"]  # written again: a new file


def test_a_rebuild_reads_again_only_the_graphs_whose_text_changed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[int] = []
    reading = kg.validate._read_graph

    def counted(text: bytes, *arguments: Any) -> GraphReading:
        read.append(len(text))
        return reading(text, *arguments)

    monkeypatch.setattr(kg.validate, "_read_graph", counted)
    out = tmp_path / "build"
    _build(corpus, out)
    assert len(read) == len(NAMES) and len(GraphReadings(out / CACHE_DIR).get()) == len(NAMES)
    _build(corpus, out)
    assert len(read) == len(NAMES)  # none read again
    changed = corpus / NAMES[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n한빛대학교는 대전에 있다.\n", encoding="utf-8")
    _build(corpus, out)
    assert len(read) == len(NAMES) + 1
