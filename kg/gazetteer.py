"""The gazetteer: hand-edited background knowledge about well-known entities.

``data/gazetteer.yaml`` lists names, kinds, countries and verified Wikidata IDs; never facts
from articles. This module loads and checks it and answers "which entry does this name
denote?".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from kg.errors import GazetteerError
from kg.script import label_language

__all__ = ["DEFAULT_GAZETTEER", "Gazetteer", "GazetteerEntry", "load_gazetteer", "match_key", "name_key"]

DEFAULT_GAZETTEER = Path(__file__).resolve().parent.parent / "data" / "gazetteer.yaml"

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_FIELDS = {"id", "name", "ko", "class", "aliases", "country", "wikidata"}


def match_key(name: str) -> str:
    """The form names are compared in: NFC, case-folded, without spaces and dots.

    '사이버 밸리' and '사이버밸리', 'U.S.' and 'US' compare equal; hyphens stay, since
    'Oh Se-hoon' is written with one and 'AI-ization' is not 'AI ization'.
    """
    # str.split() drops exactly the characters str.isspace() calls spaces
    return "".join(unicodedata.normalize("NFC", name).casefold().split()).replace(".", "")


_UNIVERSITY = re.compile(r"대학교?$")


def name_key(name: str) -> str:
    """The key under which two written names are taken for one entity: :func:`match_key`
    with a Korean university's short form (한빛대학교, 한빛대학 -> 한빛대), as Korean news
    writes both. An edition (제14회) stays part of the key: the 14th and the 15th
    conference are two events."""
    key = match_key(name)
    return _UNIVERSITY.sub("대", key) if len(key) > 3 else key


@dataclass(frozen=True)
class GazetteerEntry:
    id: str
    name: str
    cls: str
    ko: str | None = None
    aliases: tuple[str, ...] = ()
    country: str | None = None
    wikidata: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the entry: English name, Korean name, aliases."""
        return (self.name, *((self.ko,) if self.ko else ()), *self.aliases)

    def names_in(self, lang: str) -> tuple[str, ...]:
        return tuple(n for n in self.names if label_language(n) == lang)


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...]

    def __post_init__(self) -> None:
        index: dict[str, GazetteerEntry] = {}
        for entry in self.entries:
            for name in entry.names:
                key = match_key(name)
                other = index.get(key)
                if other is not None and other.id != entry.id:
                    raise GazetteerError(
                        f"gazetteer: the name {name!r} is used by both {other.id} and {entry.id}; keep it on one entry"
                    )
                index[key] = entry
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})
        # the Korean analyser is cached per gazetteer (kg.extract.korean._analyzer), which
        # hashes it once per document: hashing every entry each time cost more than the rules
        object.__setattr__(self, "_hash", hash(self.entries))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined,no-any-return]

    def __reduce__(self) -> tuple[type[Gazetteer], tuple[tuple[GazetteerEntry, ...]]]:
        # only the entries travel to worker processes; the indexes are rebuilt there, which
        # is cheaper than pickling them, and a string's hash differs between processes
        return (Gazetteer, (self.entries,))

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The entry one of whose names is ``name`` (compared by :func:`match_key`).

        All-capital Latin aliases (MS, SNU) match only as written, so that the word 'ms'
        or 'Ms' is not Microsoft.
        """
        entry: GazetteerEntry | None = self._index.get(match_key(name))  # type: ignore[attr-defined]
        if entry is None:
            return None
        if name.isascii() and not name.isupper():
            acronyms = {n for n in entry.names if n.isascii() and n.isupper() and len(n) <= 5}
            if any(match_key(a) == match_key(name) for a in acronyms) and name not in entry.names:
                return None
        return entry

    def get(self, entry_id: str) -> GazetteerEntry:
        return self._by_id[entry_id]  # type: ignore[attr-defined,no-any-return]

    def korean_names(self) -> Iterable[str]:
        """Every name with Hangul in it, for the Korean analyser's user dictionary."""
        for entry in self.entries:
            yield from (n for n in entry.names if label_language(n) == "ko")


def _entry(raw: object, position: int, classes: frozenset[str]) -> GazetteerEntry:
    where = f"gazetteer entry {position}"
    if not isinstance(raw, dict):
        raise GazetteerError(f"{where}: expected a mapping with id, name and class")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise GazetteerError(
            f"{where}: unknown field(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(_FIELDS))}"
        )
    for required in ("id", "name", "class"):
        if not isinstance(raw.get(required), str) or not raw[required].strip():
            raise GazetteerError(f"{where}: '{required}' is missing or not text")
    entry_id, cls = raw["id"], raw["class"]
    where = f"gazetteer entry {entry_id!r}"
    if not _ID.match(entry_id):
        raise GazetteerError(f"{where}: id may hold only letters, digits, '_' and '-'")
    if cls not in classes:
        raise GazetteerError(f"{where}: class {cls!r} is not one of {', '.join(sorted(classes))}")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise GazetteerError(f"{where}: 'aliases' must be a list of names")
    country, wikidata, ko = raw.get("country"), raw.get("wikidata"), raw.get("ko")
    if country is not None and not (isinstance(country, str) and _COUNTRY.match(country)):
        raise GazetteerError(f"{where}: country must be an ISO 3166-1 code such as KR")
    if wikidata is not None and not (isinstance(wikidata, str) and _WIKIDATA.match(wikidata)):
        raise GazetteerError(f"{where}: wikidata must be a Q-identifier such as Q8684")
    if ko is not None and not (isinstance(ko, str) and label_language(ko) == "ko"):
        raise GazetteerError(f"{where}: 'ko' must be a Korean name")
    return GazetteerEntry(
        id=entry_id,
        name=raw["name"].strip(),
        cls=cls,
        ko=ko,
        aliases=tuple(a.strip() for a in aliases),
        country=country,
        wikidata=wikidata,
    )


# libyaml's loader where PyYAML was built with it (its wheels are): the bundled gazetteer in
# 0.05 s, not 0.2 s
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_gazetteer(path: Path | str = DEFAULT_GAZETTEER) -> Gazetteer:
    """Read and check a gazetteer file; errors name the entry and what to fix."""
    from kg.ontology import entity_classes

    path = Path(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError:
        raise GazetteerError(f"gazetteer {path.name} not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"gazetteer {path.name} is not valid YAML: {_first_line(exc)}") from None
    if not isinstance(raw, list):
        raise GazetteerError(f"gazetteer {path.name}: expected a list of entries")
    classes = entity_classes()
    entries = tuple(_entry(item, i + 1, classes) for i, item in enumerate(raw))
    ids = [e.id for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise GazetteerError(f"gazetteer {path.name}: id used twice: {', '.join(duplicates)}")
    return Gazetteer(entries)


def _first_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
