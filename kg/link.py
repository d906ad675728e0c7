"""Linking: every mention of one thing, in any document, becomes one entity with one IRI.

Within a document the extractor has already grouped mentions into clusters (서울시, 서울
and 시 are one). Here clusters are joined across documents: by gazetteer entry where the
name is known, else by a shared name of the same kind. Each entity then gets its IRI local
name, its preferred label per language and its other names.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from kg.extract.cues import SURNAMES
from kg.gazetteer import Gazetteer, name_key
from kg.iri import romanize, slug
from kg.model import Cluster, Corpus, Entity, Extraction, ExtractionSummary, Label, LinkedDocument
from kg.ontology import top_kind
from kg.script import has_hangul, label_language

__all__ = ["link"]

_EDITION = re.compile(r"^제\s*(\d+)\s*회\s*")


def _identity_keys(cluster: Cluster, key_of: Callable[[str], str] = name_key) -> set[str]:
    """The names by which a cluster is recognised in another document (each name's
    ``key_of``: :func:`~kg.gazetteer.name_key`). An event keeps only its fullest name, so
    that the 14th and the 15th conference of one series stay apart."""
    kind = top_kind(cluster.named_cls)
    if cluster.named_gazetteer_id:
        return {f"gaz:{cluster.named_gazetteer_id}"}
    names = cluster.names[:1] if kind == "Event" else cluster.names
    return {f"{kind}:{key_of(n)}" for n in names}


def _person_slug(name: str) -> str:
    """성재용 -> Seong_Jae-yong, the way Korean names are written in English."""
    if has_hangul(name) and 2 <= len(name) <= 4:
        split = 2 if name[:2] in SURNAMES and len(name) >= 3 else 1
        surname, given = romanize(name[:split]), [romanize(ch) for ch in name[split:]]
        return f"{surname.capitalize()}_{'-'.join(given).capitalize()}"
    return slug(name)


def _entity_slug(cls: str, names: Sequence[str]) -> str:
    latin = [n for n in names if not has_hangul(n)]
    if cls == "Person":
        return slug(latin[0]) if latin else _person_slug(names[0])
    base = names[0]
    edition = _EDITION.match(base)
    if edition:
        stripped = base[edition.end() :]
        return f"{slug(latin[0] if latin else stripped)}_{edition.group(1)}"
    return slug(latin[0] if latin else base)


def link(
    extractions: Sequence[Extraction], gazetteer: Gazetteer, summaries: Sequence[ExtractionSummary] | None = None
) -> Corpus:
    """Join the documents' clusters into entities and name them. What is read of each
    extraction is its summary, in ``summaries`` when given (the same order)."""
    if summaries is None:
        summaries = [ExtractionSummary.of(extraction) for extraction in extractions]
    # every named cluster as (document, cluster number), in that order; one set of them per
    # entity, each set by its first cluster (union-find over their places in the order)
    items = [(d, cluster.number) for d, summary in enumerate(summaries) for cluster in summary.named]
    named = [cluster for summary in summaries for cluster in summary.named]
    parent = list(range(len(items)))

    def root(place: int) -> int:
        while parent[place] != place:
            parent[place] = place = parent[parent[place]]
        return place

    owner: dict[str, int] = {}
    name_key_of = functools.cache(name_key)  # a name comes back in many documents
    for place, cluster in enumerate(named):
        for key in _identity_keys(cluster, name_key_of):
            first = owner.setdefault(key, place)
            if first != place:
                a, b = root(first), root(place)
                parent[max(a, b)] = min(a, b)

    groups: dict[int, list[int]] = defaultdict(list)
    for place in range(len(items)):
        groups[root(place)].append(place)

    entities: list[Entity] = []
    key_of: dict[tuple[int, int], str] = {}
    used: set[str] = set()
    for first in sorted(groups):
        members = groups[first]
        entity = _entity([named[place] for place in members], gazetteer, used)
        used.add(entity.key)
        entities.append(entity)
        for place in members:
            key_of[items[place]] = entity.key

    documents = []
    for d, (extraction, summary) in enumerate(zip(extractions, summaries, strict=True)):
        keys = tuple(key_of.get((d, c), "") for c in range(summary.clusters))
        documents.append(LinkedDocument(extraction, keys))
    return Corpus(tuple(sorted(entities, key=lambda e: e.key)), tuple(documents))


def _entity(clusters: list[Cluster], gazetteer: Gazetteer, used: set[str]) -> Entity:
    names = list(dict.fromkeys(n for c in clusters for n in c.names))
    gazetteer_id = next((c.gazetteer_id for c in clusters if c.gazetteer_id), None)
    if gazetteer_id is not None:
        entry = gazetteer.get(gazetteer_id)
        labels = [Label(entry.name, "en", True)]
        if entry.ko:
            labels.append(Label(entry.ko, "ko", True))
        labels += [Label(n, label_language(n)) for n in names if n not in (entry.name, entry.ko)]
        return Entity(entry.id, entry.cls, tuple(labels), entry.wikidata, entry.country, entry.id)
    cls = clusters[0].cls
    base = _entity_slug(cls, names)
    key, n = base, 2
    while key in used:
        key, n = f"{base}_{n}", n + 1
    labels = []
    for lang in ("ko", "en"):
        in_lang = [name for name in names if label_language(name) == lang]
        if in_lang:
            preferred = _preferred(in_lang, cls)
            labels.append(Label(preferred, lang, True))
            labels += [Label(name, lang) for name in in_lang if name != preferred]
    return Entity(key, cls, tuple(labels))


def _preferred(names: list[str], cls: str) -> str:
    """An event is called by its fullest name (제14회 ADeKo 콘퍼런스, with the edition);
    anything else by the name it was first given."""
    if top_kind(cls) == "Event":
        return max(names, key=lambda n: (_EDITION.match(n) is not None, len(n)))
    return names[0]
