"""Extraction: a document's mentions, relations and values, by language.

``EXTRACTORS`` maps a language tag to the function that reads documents in it; each
takes the document and the gazetteer and returns an :class:`~kg.model.Extraction`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from kg.errors import InputError
from kg.gazetteer import Gazetteer
from kg.model import Document, Extraction

__all__ = ["EXTRACTORS", "extract"]

# language -> (module, function); imported on first use, so that English-only builds
# never load the Korean analyser
EXTRACTORS: dict[str, tuple[str, str]] = {
    "ko": ("kg.extract.korean", "extract_korean"),
    "en": ("kg.extract.english", "extract_english"),
}


def extract(document: Document, gazetteer: Gazetteer) -> Extraction:
    if document.lang not in EXTRACTORS:
        raise InputError(
            f"{document.name}: no extractor for language {document.lang!r}; supported: {', '.join(EXTRACTORS)}"
        )
    module, function = EXTRACTORS[document.lang]
    extractor: Callable[[Document, Gazetteer], Extraction] = getattr(import_module(module), function)
    return extractor(document, gazetteer)
