"""The build, stage by stage; no logic of its own.

1. ingest   paths -> Documents                      (kg.ingest)
2. extract  Document -> Extraction, in worker processes or on a Dask cluster, through
            the cache in the output folder      (kg.extract, kg.parallel, kg.cache)
3. link     Extractions -> Corpus of entities       (kg.link)
4. graph    Corpus -> sorted N-Quads and N-Triples files; with the cache, each document
            graph whose inputs are unchanged is copied from it    (kg.graph, kg.cache)
5. validate the knowledge graph and the provenance file -> SHACL result, in parts of
            at most PART_STATEMENTS statements, in the worker processes; with the cache,
            only the units of statements whose hash the last build's check did not pass,
            reading again only the document graphs whose text changed   (kg.validate)
6. write    graph.ttl/.trig/.jsonld/.nt from those files, graph.html from what it shows
            of them (at most kg.view.BUILD_MAX_NODES entities; with 2 or more workers and
            at least PARALLEL_STATEMENTS statements, rendered in a process of its own,
            which then writes graph.trig, while validation splits the statements and
            this process writes the other RDF files, into the build's folder; started
            when extraction ends (from AHEAD_DOCUMENTS documents on; if few changed),
            it reads the last build's knowledge graph and evidence files first, then of
            this one's only the subjects and evidence lines that changed); with the
            cache, graph.trig takes the last build's text of each unchanged graph (and
            this process writes it, after the other RDF files), report.json
                                                        (kg.export, kg.view, kg.cache)
"""

from __future__ import annotations

import functools
import gc
import json
import math
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph
from tqdm import tqdm

from kg import collector
from kg.cache import (
    BUILD_FOLDER_PREFIX,
    CACHE_DIR,
    CacheLock,
    ExtractionCache,
    GraphFiles,
    GraphReadings,
    PageLayouts,
    PassedUnits,
    SerializedFiles,
    TrigBlocks,
    fingerprint,
    hold,
)
from kg.errors import InputError, ValidationError
from kg.export import GraphSpan, TrigBlock, splice_subjects, write_files, write_sorted, write_trig
from kg.gazetteer import DEFAULT_GAZETTEER, load_gazetteer
from kg.graph import EVIDENCE_FILE, GRAPH_FILES, KNOWLEDGE_FILE, Graphs, write_graphs
from kg.ingest import iter_document_paths, slugify
from kg.link import link
from kg.model import Corpus
from kg.ontology import load_ontology
from kg.parallel import ExtractionRun, extract_documents
from kg.process import Process, start_ahead
from kg.progress import bar, stage
from kg.store import write_store
from kg.validate import BuildStatements, ValidationResult, validate

if TYPE_CHECKING:
    from kg.view import LastPage

__all__ = [
    "CACHE_DIR",
    "OUTPUT_FILES",
    "PART_STATEMENTS",
    "PROGRESS_THRESHOLD",
    "Build",
    "build",
    "validation_parts",
    "write_build",
]

OUTPUT_FILES = ("graph.ttl", "graph.trig", "graph.jsonld", "graph.nt", "graph.html", "report.json")
PROGRESS_THRESHOLD = 5  # documents; fewer are read without a progress bar
PART_STATEMENTS = 500_000  # statements validated in one store (about 0.4 GB of memory)
PARALLEL_STATEMENTS = 100_000  # from this many on, each worker process validates a part
AHEAD_DOCUMENTS = 100  # from this many documents on, the page's process starts before the graph is written
AHEAD_CHANGED = 0.1  # it then reads the last build's files first if at most this share of documents was extracted


def validation_parts(statements: int, workers: int) -> int:
    """Into how many parts the build's validation splits ``statements`` (kg.validate): in
    parallel, a multiple of ``workers``, so that none of them checks one part alone at the
    end (10,000 articles, 2 workers: 10 parts instead of 9, 37.9 -> 36.0 s on average of
    three runs in alternation)."""
    parts = math.ceil(statements / PART_STATEMENTS)
    if statements < PARALLEL_STATEMENTS:
        return parts
    return math.ceil(parts / workers) * workers


@dataclass(frozen=True)
class Build:
    corpus: Corpus
    graphs: Graphs  # the dataset and knowledge graph as sorted files in ``folder``
    validation: ValidationResult
    seconds: dict[str, float]  # per stage: extract, link, graph, validate
    extraction: ExtractionRun
    workers: str  # what extracted: "1 process", "2 processes", "dask tcp://..."
    folder: tempfile.TemporaryDirectory[str]  # removed with the last reference to the build
    # output files written during the build (in ``folder``), by name: with 2 or more
    # workers and PARALLEL_STATEMENTS statements, graph.html and the RDF files but graph.nt
    ready: Mapping[str, Path] = field(default_factory=dict)
    progress: bool = False  # whether the build showed its progress (write_build then does too)
    cache: Path | None = None  # the cache folder, which keeps the graph.trig write_build writes
    lock: CacheLock | None = None  # the build's hold on the cache folder, until write_build is done
    # the last build's graph.ttl and graph.jsonld in the cache, when this one's can be spliced from them
    spliced_from: Mapping[str, Path] = field(default_factory=dict)

    @functools.cached_property
    def store(self) -> ox.Store:
        """The dataset in an in-memory Oxigraph store, loaded on first use: after
        validation, whose own store is gone by then, so the two are never held at once."""
        store = ox.Store()
        store.load(path=self.graphs.dataset, format=ox.RdfFormat.N_QUADS)
        return store

    @functools.cached_property
    def dataset(self) -> Dataset:
        """The dataset as an rdflib Dataset, read from the files on first use."""
        from kg.evaluate import load_graph

        return load_graph(self.graphs.dataset)

    @functools.cached_property
    def knowledge(self) -> Graph:
        """The knowledge graph (what graph.ttl holds) as an rdflib Graph."""
        from kg.evaluate import load_graph

        return load_graph(self.graphs.knowledge).default_context

    def report(self) -> dict[str, Any]:
        """Counts for report.json; everything but ``timing`` is the same on every build."""
        classes = Counter(e.cls for e in self.corpus.entities)
        documents = self.extraction.summaries  # the extractions' counts, without reading them whole
        return {
            "documents": len(documents),
            "languages": dict(sorted(Counter(d.document.lang for d in documents).items())),
            "sentences": sum(d.sentences for d in documents),
            "mentions": sum(d.mentions for d in documents),
            "entities": len(self.corpus.entities),
            "entities_by_class": dict(sorted(classes.items())),
            "statements": sum(d.statements for d in documents),
            "statements_rejected_by_ontology": self.graphs.rejected,
            "assertions": self.graphs.assertions,
            "triples": self.graphs.triples,
            "quads": self.graphs.quads,
            "shacl": {"conforms": self.validation.conforms, "violations": len(self.validation.violations)},
            "timing": {
                "seconds": round(sum(self.seconds.values()), 3),
                "stages": {stage: round(seconds, 3) for stage, seconds in self.seconds.items()},
                "extracted_by": self.workers,
                "documents_extracted": self.extraction.extracted,
                "documents_from_cache": self.extraction.cached,
                "graphs_from_cache": self.graphs.from_cache,
                "validation_units_from_cache": self.validation.skipped,
            },
        }


def build(
    paths: Sequence[str | Path],
    gazetteer_path: Path | str = DEFAULT_GAZETTEER,
    progress: bool | None = None,
    *,
    workers: int = 1,
    dask: str | None = None,
    cache_dir: Path | None = None,
) -> Build:
    """Read, extract, link, build and validate; raises KGError on bad input or a graph
    that breaks the shapes. ``workers`` processes extract (or the Dask scheduler at
    ``dask``); with ``cache_dir``, unchanged documents are taken from the cache there."""
    clock = _Clock()
    gazetteer = load_gazetteer(gazetteer_path)
    document_paths = iter_document_paths(paths)
    _check_unique_ids([slugify(path.stem) for path in document_paths])
    show = len(document_paths) > PROGRESS_THRESHOLD if progress is None else progress
    cache = ExtractionCache(cache_dir, fingerprint(Path(gazetteer_path))) if cache_dir else None
    passed = PassedUnits(cache_dir) if cache_dir else None
    readings = GraphReadings(cache_dir) if cache_dir else None
    lock = CacheLock(cache_dir) if cache_dir else None
    folder: tempfile.TemporaryDirectory[str] | None = None
    let_go: Callable[[], None] | None = None
    rendering: Process | None = None  # the page's process, with 2 or more workers
    try:
        # in the cache folder where there is one, so that the cache can keep the graph files
        # as hard links (kg.cache.GraphFiles)
        folder = tempfile.TemporaryDirectory(prefix=BUILD_FOLDER_PREFIX, dir=cache_dir)
        if cache_dir is not None:
            let_go = hold(folder)
        with collector.paused(freeze=True):  # unfrozen once the build is done
            run = extract_documents(document_paths, gazetteer, workers=workers, dask=dask, cache=cache, progress=show)
            clock.lap("extract")
            # graph.trig spliced from the last build's (a rebuild: 0.3 s) is written by this
            # process after graph.ttl and graph.jsonld, while the page renders; written whole
            # (5-6 s at 10,000 articles), by the page's process, which has less to do then
            trig_here = cache_dir is not None and TrigBlocks(cache_dir).kept()
            what = "the process that renders graph.html" + ("" if trig_here else " and writes graph.trig")
            # started now, with the extraction's workers gone, so that it has imported what
            # it needs by the time the graph is written (0.5 s of a rebuild's page); not for
            # a corpus too small for its graph to reach PARALLEL_STATEMENTS
            if workers > 1 and len(document_paths) >= AHEAD_DOCUMENTS:
                # the last build's files are of use to the page when the knowledge graph is
                # updated, not sorted anew: when few documents changed. With more, reading
                # them ahead (10,000 articles: 3-4 s, 0.37 GB) would only take a core from
                # the linking and the graph
                read_last = run.extracted <= len(document_paths) * AHEAD_CHANGED
                rendering = start_ahead(what, _page_worker, [str(cache_dir or ""), read_last])
            with stage("linking", show):
                corpus = link(run.extractions, gazetteer, run.summaries)
            clock.lap("link")
            graph_cache = GraphFiles(cache_dir, GRAPH_FILES) if cache_dir else None
            graphs = write_graphs(
                corpus, load_ontology(), Path(folder.name), progress=show, cache=graph_cache, extraction_keys=run.keys
            )
        clock.lap("graph")
        ready: dict[str, Path] = {}
        # graph.ttl and graph.jsonld of the last build, to splice: linked into the build's
        # folder, since the cache's are replaced by the next build, which a Build may outlive
        spliced_from: dict[str, Path] = {}
        if cache_dir is not None and graph_cache is not None and graphs.changed_subjects is not None:
            kept = SerializedFiles(cache_dir, _SERIALIZED).kept(graph_cache.path(KNOWLEDGE_FILE))
            for name, path in kept.items():
                spliced_from[name] = Path(folder.name) / f"last-{name}"
                try:
                    os.link(path, spliced_from[name])
                except OSError:  # a file system without hard links
                    shutil.copyfile(path, spliced_from[name])
        trig = (graphs.dataset, graphs.contents, cache_dir)
        if workers > 1 and graphs.quads >= PARALLEL_STATEMENTS:
            if rendering is None:  # few documents, but long ones
                rendering = start_ahead(what, _page_worker, [str(cache_dir or ""), False])
            changed = graphs.changed_subjects
            subjects = None if changed is None else [change.subject.decode("utf-8") for change in changed]
            arguments = [str(graphs.knowledge), str(graphs.evidence), folder.name, subjects]
            if not trig_here:
                arguments += [str(graphs.dataset), str(graphs.contents)]
            rendering.give(arguments)
        elif rendering is not None:
            rendering.stop()  # few statements: the page is rendered while the files are written
            rendering = None

        def before_checking() -> None:
            """Validation has split the statements while the page rendered: this process
            writes graph.ttl and graph.jsonld (:data:`_SERIALIZED`), and graph.trig when
            it is spliced, while the page's process goes on, and the part checkers start
            once both are done."""
            assert rendering is not None
            with stage("writing the RDF files while graph.html renders", show):
                for name in _SERIALIZED:
                    ready[name] = Path(folder.name) / name
                    with ready[name].open("wb") as stream:
                        _write_serialized(graphs, name, spliced_from, stream)
                if trig_here:
                    _trig_file(*trig, Path(folder.name))
                rendering.wait()
            for name in ("graph.html", "graph.trig"):
                ready[name] = Path(folder.name) / name

        try:
            validation = validate(
                BuildStatements(graphs.knowledge, graphs.provenance, graphs.provenance_lengths, graphs.provenance_keys),
                parts=validation_parts(graphs.quads, workers),
                workers=workers,
                before_checking=before_checking if rendering else None,
                passed_units=passed.get() if passed else None,
                graph_readings=readings.get() if readings else None,
                progress=show,
            )
        finally:
            if rendering is not None:
                rendering.stop()
        clock.lap("validate")
        if not validation.conforms:
            raise ValidationError(
                f"the graph breaks {len(validation.violations)} SHACL constraint(s); nothing was written",
                report=validation.summary(),
            )
        if cache is not None and graph_cache is not None and passed is not None and readings is not None:
            cache.update(run.fresh, keep=run.keys)
            graph_cache.commit(Path(folder.name))
            passed.put(validation.units)
            readings.put(validation.readings)
        extracted_by = f"dask {dask}" if dask else f"{workers} process{'es' if workers > 1 else ''}"
        return Build(
            corpus,
            graphs,
            validation,
            clock.laps,
            run,
            extracted_by,
            folder,
            ready,
            show,
            cache_dir,
            lock,
            spliced_from,
        )
    except BaseException:
        if rendering is not None:
            rendering.stop()
        if let_go is not None:
            let_go()
        if folder is not None:
            folder.cleanup()
        if lock is not None:
            lock.release(failed=True)
        raise
    finally:
        collector.unfreeze()


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = now - self._last
        self._last = now


def _check_unique_ids(ids: list[str]) -> None:
    seen: set[str] = set()
    for doc_id in ids:
        if doc_id in seen:
            raise InputError(f"two documents share the id {doc_id!r}; rename one of the files")
        seen.add(doc_id)


def write_build(result: Build, out: Path, store: Path | None = None) -> dict[str, Path]:
    """Every output file, written through temporary files and renamed into place only
    when all are complete, so a failure leaves the old outputs untouched. The graphs are
    streamed into their files from the build's sorted files (kg.export). With ``store``,
    the dataset is then loaded into a new kg store there (kg.store.write_store). A build
    that showed its progress shows a bar of the files written. A build with a cache
    leaves graph.trig in it for the next (kg.cache.TrigBlocks), then lets another build
    have the cache folder (kg.cache.CacheLock)."""
    report = (json.dumps(result.report(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    graphs, blocks = result.graphs, []
    layouts = PageLayouts(result.cache, Path(result.folder.name)) if result.cache is not None else None

    def trig(stream: BinaryIO) -> None:
        blocks.extend(_write_trig(graphs.dataset, graphs.contents, result.cache, stream))

    # a file the build has written whole goes by its path: linked into the output folder.
    # Not graph.nt, the knowledge graph's file: the next build starts from the cache's
    # link to it, which an edit of the output in place would change behind its back
    writers: dict[str, Callable[[BinaryIO], object] | Path] = {
        **{name: partial(_write_rdf, source(graphs), name) for name, (source, _) in _RDF_FILES.items()},
        **{name: partial(_write_serialized, graphs, name, result.spliced_from) for name in _SERIALIZED},
        "graph.trig": trig,
        "graph.html": lambda stream: stream.write(_page(graphs.knowledge, graphs.evidence, layouts)),
        "report.json": lambda stream: stream.write(report),
        **result.ready,
    }
    if "graph.trig" in result.ready:
        blocks = _read_blocks(result.ready["graph.trig"])
    written = {name: out / name for name in OUTPUT_FILES}
    try:
        with bar("writing", len(OUTPUT_FILES), "file", result.progress) as shown:
            write_files({written[name]: _counted(writers[name], shown) for name in OUTPUT_FILES})
        # by the first write of a build only, which holds the cache folder since the build
        # began: its graph files are the cache's
        if result.cache is not None and layouts is not None and result.lock is not None and result.lock.held:
            TrigBlocks(result.cache).commit(written["graph.trig"], blocks)
            layouts.commit()
            knowledge = GraphFiles(result.cache, GRAPH_FILES).path(KNOWLEDGE_FILE)
            SerializedFiles(result.cache, _SERIALIZED).commit(written, knowledge)
    finally:
        if result.lock is not None:
            result.lock.release()
    if store is not None:
        with stage("loading the store", result.progress):
            write_store(result.graphs.dataset, store)
    return written


def _counted(writer: Callable[[BinaryIO], object] | Path, shown: tqdm) -> Callable[[BinaryIO], object] | Path:
    """``writer`` counted on the bar ``shown`` once it has written; a file given by its path
    is counted at once (linking it takes no time)."""
    if isinstance(writer, Path):
        shown.update(1)
        return writer

    def counted(stream: BinaryIO) -> None:
        writer(stream)
        shown.update(1)

    return counted


# each RDF output file: which of a build's files it is made from, in which format
_RDF_FILES: dict[str, tuple[Callable[[Graphs], Path], str]] = {
    "graph.ttl": (lambda graphs: graphs.knowledge, "turtle"),
    "graph.trig": (lambda graphs: graphs.dataset, "trig"),
    "graph.jsonld": (lambda graphs: graphs.knowledge, "jsonld"),
    "graph.nt": (lambda graphs: graphs.knowledge, "nt"),
}
# written by this process while the page renders (with 2 or more workers), and validation
# splits the statements; graph.nt is the knowledge file copied, and graph.trig is written
# by the page's own process once the page is done. At 10,000 articles, each timed alone:
# the page 9.0-13 s, the split 10-13 s, graph.trig 4.6-6.4 s (0.3 s from the cache after
# one change), graph.ttl and graph.jsonld 0.5-0.6 s each
_SERIALIZED = ("graph.ttl", "graph.jsonld")


def _write_serialized(graphs: Graphs, name: str, spliced_from: Mapping[str, Path], stream: BinaryIO) -> None:
    """graph.ttl or graph.jsonld (:data:`_SERIALIZED`): the last build's (``spliced_from``)
    with the blocks of the subjects that changed serialised again, where it can be; else
    the knowledge graph serialised whole."""
    if name in spliced_from and graphs.changed_subjects is not None:
        spliced = splice_subjects(spliced_from[name].read_bytes(), _RDF_FILES[name][1], graphs.changed_subjects)
        if spliced is not None:
            stream.write(spliced)
            return
    _write_rdf(_RDF_FILES[name][0](graphs), name, stream)


def _write_rdf(source: Path, name: str, stream: BinaryIO) -> None:
    """The RDF file ``name`` of the build's sorted file ``source`` (see :data:`_RDF_FILES`)."""
    write_sorted(source, _RDF_FILES[name][1], stream)


def _write_trig(dataset: Path, contents: Path, cache: Path | None, stream: BinaryIO) -> list[TrigBlock]:
    """graph.trig of the build's dataset file, with the blocks of unchanged graphs taken
    from the last build's graph.trig in ``cache``; where each graph's block is in it."""
    if cache is None:
        write_sorted(dataset, "trig", stream)
        return []
    with contents.open(encoding="utf-8") as lines:
        spans = [GraphSpan.of(line) for line in lines]
    with TrigBlocks(cache) as previous:
        return write_trig(dataset, spans, stream, previous.reuse)


def _blocks_file(trig: Path) -> Path:
    """Where the page's process puts the blocks of the graph.trig it wrote at ``trig``."""
    return trig.with_name(trig.name + ".blocks")


def _read_blocks(trig: Path) -> list[TrigBlock]:
    with _blocks_file(trig).open(encoding="ascii") as lines:
        return [TrigBlock.of(line) for line in lines]


def _page(
    knowledge: Path,
    evidence: Path,
    layouts: PageLayouts | None = None,
    ontology: Graph | None = None,
    last: LastPage | None = None,
    changed: Sequence[bytes] | None = None,
) -> bytes:
    """graph.html of a build's files, its layout taken from or put into ``layouts``; with
    ``last`` and ``changed``, see :func:`kg.view.build_view_data`."""
    # imported here: a build whose page renders in a process of its own (2 workers, 100
    # documents or more) does without kg.view and the numpy, networkx and jinja2 it
    # imports (0.24 s of this process's 0.5 s of imports)
    from kg.view import BUILD_MAX_NODES, build_view_data, render_html

    ontology = ontology if ontology is not None else load_ontology()
    data = build_view_data(knowledge, evidence, ontology, BUILD_MAX_NODES, last, changed)
    return render_html(data, ontology, cap=BUILD_MAX_NODES, layouts=layouts).encode("utf-8")


def _page_worker(ahead: list[Any], later: Callable[[], list[Any]]) -> None:
    """In a process of its own (kg.process.start_ahead), with the cache folder ``ahead[0]``
    ("": none): first, if ``ahead[1]``, what the page reads of the last build's knowledge
    graph and evidence files in the cache (kg.view.LastPage), then, given ``later()`` (the build's files
    of knowledge and evidence, a folder, the subjects whose statements changed since the
    last build or None), graph.html written into the folder, its layout kept in the
    cache; given two more, then graph.trig of the dataset and its table of contents, and
    the blocks of graph.trig (:func:`_blocks_file`) there too. The page's reading and validation's
    split then share two cores; the page's memory (~0.55 GB at 10,000 articles) is gone
    before validation's part checkers start."""
    # the process ends with its files written, and reference counting frees what the page
    # makes: each collection the page's pauses of the collector end with went over the
    # millions of objects it made (10,000 articles: 8.73 / 9.09 -> 8.54 / 8.34 s, alternated)
    gc.disable()
    cache, read_last = ahead
    cache_dir = Path(cache) if cache else None
    ontology = load_ontology()
    # while this build links and writes its graph (a rebuild's ~3 s at 10,000 articles); not
    # when the process starts once the graph is written, and would make the page wait
    last = None
    if cache_dir is not None and read_last:
        from kg.view import BUILD_MAX_NODES, LastPage

        files = GraphFiles(cache_dir, GRAPH_FILES)
        last = LastPage(files.path(KNOWLEDGE_FILE), ontology, files.path(EVIDENCE_FILE), BUILD_MAX_NODES)
    knowledge, evidence, folder, subjects, *trig = later()
    changed = None if subjects is None else [subject.encode("utf-8") for subject in subjects]
    if changed is None:
        last = None  # of no use: its memory goes before the file is read whole
    layouts = PageLayouts(cache_dir, Path(folder)) if cache_dir is not None else None
    page = _page(Path(knowledge), Path(evidence), layouts, ontology, last, changed)
    (Path(folder) / "graph.html").write_bytes(page)
    if trig:
        dataset, contents = trig
        _trig_file(Path(dataset), Path(contents), cache_dir, Path(folder))


def _trig_file(dataset: Path, contents: Path, cache: Path | None, folder: Path) -> None:
    """graph.trig (:func:`_write_trig`) and its blocks (:func:`_blocks_file`) into ``folder``."""
    trig = folder / "graph.trig"
    with trig.open("wb") as stream:
        blocks = _write_trig(dataset, contents, cache, stream)
    _blocks_file(trig).write_text("".join(block.line() for block in blocks), encoding="ascii")
