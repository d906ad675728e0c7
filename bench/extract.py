"""kg's extraction of each document next to raw kiwipiepy analysis of the same text, in one
process, as the ratio of the two: the extraction's part of the issue's target (a
single-worker kg build within 2× of raw kiwipiepy), which leaves it about 1.6.

    python bench/extract.py --docs 200 [--docs 1000] [--repeat 3]

The corpus is bench/corpus.py's. For every document, in turn: kiwipiepy's
``split_into_sents(text, return_tokens=True)`` (as kg calls it, on a Kiwi without kg's
user words), then :func:`kg.extract.extract`. Timing the two side by side, document by
document, in CPU time, keeps the ratio steady on a machine whose other load comes and goes,
which a ratio of two separate runs (bench/build.py) does not. Kiwi's loading and the first
documents are left out.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus
from kiwipiepy import Kiwi

from kg.extract import extract
from kg.gazetteer import load_gazetteer
from kg.ingest import read_document
from kg.model import Document

_WARM_UP = 20  # documents extracted before timing: builds kg's analyser, fills re's cache


def ratios(documents: list[Document], repeat: int) -> list[tuple[float, float]]:
    """(kiwipiepy seconds, kg seconds) of each pass over ``documents``."""
    gazetteer = load_gazetteer()
    kiwi = Kiwi(num_workers=1)
    kiwi.split_into_sents("워밍업 문장입니다.", return_tokens=True)
    for document in documents[:_WARM_UP]:
        extract(document, gazetteer)
    clock = time.process_time
    passes = []
    for _ in range(repeat):
        gc.collect()
        raw = kg = 0.0
        for document in documents:
            started = clock()
            kiwi.split_into_sents(document.text, return_tokens=True)
            analysed = clock()
            extract(document, gazetteer)
            done = clock()
            raw += analysed - started
            kg += done - analysed
        passes.append((raw, kg))
    return passes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, action="append", help="corpus size; repeat (default: 200)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over each corpus (default: 3)")
    args = parser.parse_args()
    print("| articles | kiwipiepy (s) | kg extraction (s) | kg / kiwipiepy, each pass | median |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="kg-bench-extract-") as root:
        for count in args.docs or [200]:
            documents = [read_document(path) for path in write_corpus(count, Path(root) / f"corpus_{count}")]
            passes = ratios(documents, args.repeat)
            each = [kg / raw for raw, kg in passes]
            print(
                f"| {count:,} | {statistics.median(r for r, _ in passes):.2f} | "
                f"{statistics.median(k for _, k in passes):.2f} | {' '.join(f'{r:.2f}' for r in each)} | "
                f"{statistics.median(each):.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
