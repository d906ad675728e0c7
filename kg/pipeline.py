"""The build, stage by stage; no logic of its own.

1. ingest   paths -> Documents                      (kg.ingest)
2. extract  Document -> Extraction                  (kg.extract)
3. link     Extractions -> Corpus of entities       (kg.link)
4. graph    Corpus -> rdflib Dataset                (kg.graph)
5. validate Dataset -> SHACL result                 (kg.validate)
6. write    graph.ttl/.trig/.jsonld/.nt, graph.html, report.json   (kg.export, kg.view)
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Dataset, Graph
from tqdm import tqdm

from kg.errors import ValidationError
from kg.export import write_dataset, write_files, write_graph
from kg.extract import extract
from kg.gazetteer import DEFAULT_GAZETTEER, load_gazetteer
from kg.graph import build_dataset, knowledge_graph, rejected_statements
from kg.ingest import iter_document_paths, read_document
from kg.link import link
from kg.model import Corpus
from kg.ns import KGO, RDF
from kg.ontology import load_ontology
from kg.store import write_store
from kg.validate import ValidationResult, validate
from kg.view import render_html

__all__ = ["OUTPUT_FILES", "PROGRESS_THRESHOLD", "Build", "build", "write_build"]

OUTPUT_FILES = ("graph.ttl", "graph.trig", "graph.jsonld", "graph.nt", "graph.html", "report.json")
PROGRESS_THRESHOLD = 5  # documents; fewer are read without a progress bar


@dataclass(frozen=True)
class Build:
    corpus: Corpus
    dataset: Dataset
    knowledge: Graph
    validation: ValidationResult
    seconds: float

    def report(self) -> dict[str, Any]:
        """Counts for report.json; everything but ``timing`` is the same on every build."""
        classes = Counter(e.cls for e in self.corpus.entities)
        documents = [d.extraction for d in self.corpus.documents]
        assertions = sum(1 for _ in self.dataset.quads((None, RDF.type, KGO.Assertion, None)))
        return {
            "documents": len(documents),
            "languages": dict(sorted(Counter(d.document.lang for d in documents).items())),
            "sentences": sum(len(d.sentences) for d in documents),
            "mentions": sum(len(d.mentions) for d in documents),
            "entities": len(self.corpus.entities),
            "entities_by_class": dict(sorted(classes.items())),
            "statements": sum(len(d.statements) for d in documents),
            "statements_rejected_by_ontology": rejected_statements(self.corpus),
            "assertions": assertions,
            "triples": len(self.knowledge),
            "quads": sum(1 for _ in self.dataset.quads((None, None, None, None))),
            "shacl": {"conforms": self.validation.conforms, "violations": len(self.validation.violations)},
            "timing": {"seconds": round(self.seconds, 3)},
        }


def build(
    paths: Sequence[str | Path], gazetteer_path: Path | str = DEFAULT_GAZETTEER, progress: bool | None = None
) -> Build:
    """Read, extract, link, build and validate; raises KGError on bad input or a graph
    that breaks the shapes."""
    started = time.perf_counter()
    gazetteer = load_gazetteer(gazetteer_path)
    document_paths = iter_document_paths(paths)
    show = len(document_paths) > PROGRESS_THRESHOLD if progress is None else progress
    extractions = []
    for path in tqdm(document_paths, desc="extracting", unit="doc", disable=not show):
        extractions.append(extract(read_document(path), gazetteer))
    _check_unique_ids([e.document.doc_id for e in extractions])
    corpus = link(extractions, gazetteer)
    dataset = build_dataset(corpus, load_ontology())
    validation = validate(dataset)
    if not validation.conforms:
        raise ValidationError(
            f"the graph breaks {len(validation.violations)} SHACL constraint(s); nothing was written",
            report=validation.summary(),
        )
    return Build(corpus, dataset, knowledge_graph(dataset), validation, time.perf_counter() - started)


def _check_unique_ids(ids: list[str]) -> None:
    from kg.errors import InputError

    seen: set[str] = set()
    for doc_id in ids:
        if doc_id in seen:
            raise InputError(f"two documents share the id {doc_id!r}; rename one of the files")
        seen.add(doc_id)


def write_build(result: Build, out: Path, store: Path | None = None) -> dict[str, Path]:
    """Every output file, written through temporary files and renamed into place only
    when all are complete, so a failure leaves the old outputs untouched. The graphs are
    streamed into their files (kg.export). With ``store``, graph.trig is then loaded into
    a new kg store there (kg.store.write_store)."""
    report = (json.dumps(result.report(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    writers: dict[str, Callable[[BinaryIO], object]] = {
        "graph.ttl": partial(write_graph, result.knowledge, "turtle"),
        "graph.trig": partial(write_dataset, result.dataset, "trig"),
        "graph.jsonld": partial(write_graph, result.knowledge, "jsonld"),
        "graph.nt": partial(write_graph, result.knowledge, "nt"),
        "graph.html": lambda stream: stream.write(render_html(result.dataset, load_ontology()).encode("utf-8")),
        "report.json": lambda stream: stream.write(report),
    }
    written = {name: out / name for name in OUTPUT_FILES}
    write_files({written[name]: writers[name] for name in OUTPUT_FILES})
    if store is not None:
        write_store(written["graph.trig"], store)
    return written
