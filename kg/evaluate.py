"""Score a built graph against a gold annotation file.

The gold format and the scoring rules are written in the header comment of
``data/gold/seed_gold.yaml``; this module implements them:

``load_gold(path) -> Gold``
    Read and validate a gold YAML file (:class:`~kg.errors.GoldError` on any problem).
``load_graph(path) -> rdflib.Dataset``
    Read a build folder (``graph.trig``, else ``graph.ttl``) or one RDF file.
``evaluate(graph, gold, ontology) -> EvalResult``
    Entity, relation and fact scores with the misses and spurious items behind them.
``format_result(result) -> str``
    A plain-text report.

Matching in one paragraph: a *system entity* is a node whose ``rdf:type`` is a class
reaching ``kgo:Person``/``Organization``/``Place``/``Event``/``Concept`` through
``rdfs:subClassOf*`` in the ontology (its *kind*). Its names are its ``rdfs:label`` and
``skos:altLabel`` values; it matches a gold entity when a :func:`normalise`-d name equals a
normalised gold name. A node matching several gold entities goes to the first (file
order: ``entities`` then ``optional``) whose ``type``/``also`` includes the node's kind,
else to the first. The entity score checks the kind; relations and facts use the name
match alone (a wrong-kind node still stands for its gold entity there).

>>> normalise("Mila – Quebec AI Institute") == normalise("mila quebec ai institute")
True
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
import yaml
from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.errors import GoldError, InputError
from kg.ns import KGO, OWL, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.query import graph_file, shorten_iri

__all__ = [
    "ENTITY_TYPES",
    "EvalResult",
    "Gold",
    "GoldEntity",
    "GoldFact",
    "GoldRelation",
    "Score",
    "evaluate",
    "format_result",
    "load_gold",
    "load_graph",
    "normalise",
    "to_rdflib",
    "values_match",
]

#: The top-level kinds a gold entity can have, each the local name of a kgo class.
ENTITY_TYPES: tuple[str, ...] = ("Person", "Organization", "Place", "Event", "Concept")

_KIND_CLASSES: dict[Node, str] = {
    KGO.Person: "Person",
    KGO.Organization: "Organization",
    KGO.Place: "Place",
    KGO.Event: "Event",
    KGO.Concept: "Concept",
}
# Typed nodes that are never entities even if an ontology placed them under a kind.
_NOT_ENTITY_CLASSES: frozenset[URIRef] = frozenset({KGO.Quantity, KGO.Assertion})
_LABELS: frozenset[URIRef] = frozenset({RDFS.label, SKOS.altLabel})
# Predicates that never link two entities for the relation score.
_NOT_RELATIONS: frozenset[URIRef] = frozenset({RDF.type, OWL.sameAs})
# kgo properties that annotate a value or a statement rather than state a fact.
_NOT_FACTS: frozenset[URIRef] = frozenset({KGO.qualifier, KGO.confidence, KGO.rule})

_ID_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_YEAR_OR_MONTH_RE = re.compile(r"\d{4}(?:-\d{2})?")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldEntity:
    """One real-world thing of the gold file (``entities`` or ``optional``)."""

    id: str
    type: str
    also: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    may_split: bool = False

    @property
    def kinds(self) -> frozenset[str]:
        """``{type} ∪ also``: the kinds a matching node may have."""
        return frozenset((self.type, *self.also))


@dataclass(frozen=True)
class GoldRelation:
    """``[subject id, object id, what the text says]``; scored as an unordered pair."""

    subject: str
    object: str
    description: str = ""

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.subject, self.object))


@dataclass(frozen=True)
class GoldFact:
    """``[entity id or ids, value, what the value is]``; ``value`` is kept as text."""

    entity_ids: tuple[str, ...]
    value: str
    description: str = ""


@dataclass(frozen=True)
class Gold:
    """A validated gold file."""

    entities: tuple[GoldEntity, ...]
    optional: tuple[GoldEntity, ...] = ()
    relations: tuple[GoldRelation, ...] = ()
    facts: tuple[GoldFact, ...] = ()
    document: str | None = None
    published: str | None = None

    def entity(self, entity_id: str) -> GoldEntity:
        """The entity (scored or optional) with this id; ``KeyError`` if there is none."""
        for entity in (*self.entities, *self.optional):
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)

    @property
    def optional_ids(self) -> frozenset[str]:
        return frozenset(e.id for e in self.optional)


_TOP_KEYS = ("document", "published", "entities", "optional", "relations", "facts")
_ENTITY_KEYS = ("id", "type", "also", "names", "may_split")


def load_gold(path: str | Path) -> Gold:
    """Read and validate a gold YAML file.

    Raises :class:`~kg.errors.InputError` when the file does not exist and
    :class:`~kg.errors.GoldError` (one line naming the file and the problem) when it is
    not a valid gold file: bad YAML, unknown keys, a type outside :data:`ENTITY_TYPES`,
    an entity without names, a duplicate id, a relation or fact naming an unknown id.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such gold file: pass the path of a gold *.yaml file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise GoldError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise GoldError(f"{path}: invalid YAML{where}: {problem}") from exc
    try:
        return _parse_gold(data)
    except GoldError as exc:
        raise GoldError(f"{path}: {exc}") from None


def _parse_gold(data: Any) -> Gold:
    if not isinstance(data, Mapping):
        raise GoldError("the file must be a YAML mapping with an 'entities' list")
    unknown = sorted(str(k) for k in data if k not in _TOP_KEYS)
    if unknown:
        raise GoldError(f"unknown key {unknown[0]!r}; known keys: {', '.join(_TOP_KEYS)}")
    if "entities" not in data:
        raise GoldError("missing 'entities' list")
    entities = tuple(_parse_entity(item, "entities", i) for i, item in enumerate(_list(data, "entities")))
    optional = tuple(_parse_entity(item, "optional", i) for i, item in enumerate(_list(data, "optional")))
    seen: set[str] = set()
    for entity in (*entities, *optional):
        if entity.id in seen:
            raise GoldError(f"duplicate entity id {entity.id!r}")
        seen.add(entity.id)
    relations = tuple(_parse_relation(item, i, seen) for i, item in enumerate(_list(data, "relations")))
    facts = tuple(_parse_fact(item, i, seen) for i, item in enumerate(_list(data, "facts")))
    return Gold(
        entities=entities,
        optional=optional,
        relations=relations,
        facts=facts,
        document=_optional_text(data.get("document"), "document"),
        published=_optional_text(data.get("published"), "published"),
    )


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise GoldError(f"'{key}' must be a list, not {type(value).__name__}")
    return value


def _optional_text(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date | str | int):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    raise GoldError(f"'{key}' must be text, not {type(value).__name__}")


def _parse_entity(item: Any, section: str, index: int) -> GoldEntity:
    where = f"{section}[{index}]"
    if not isinstance(item, Mapping):
        raise GoldError(f"{where} must be a mapping with id, type and names")
    unknown = sorted(str(k) for k in item if k not in _ENTITY_KEYS)
    if unknown:
        raise GoldError(f"{where}: unknown key {unknown[0]!r}; known keys: {', '.join(_ENTITY_KEYS)}")
    entity_id = item.get("id")
    if not isinstance(entity_id, str) or not _ID_RE.fullmatch(entity_id):
        raise GoldError(f"{where}: missing or bad 'id' {entity_id!r} (letters, digits, _ . -)")
    where = f"{where} ({entity_id})"
    kind = item.get("type")
    if kind not in ENTITY_TYPES:
        raise GoldError(f"{where}: bad type {kind!r}; use one of {', '.join(ENTITY_TYPES)}")
    also = item.get("also") or []
    if not isinstance(also, list) or any(a not in ENTITY_TYPES for a in also):
        raise GoldError(f"{where}: bad 'also' {also!r}; list types from {', '.join(ENTITY_TYPES)}")
    names = item.get("names")
    if not isinstance(names, list) or not names:
        raise GoldError(f"{where}: missing names (a non-empty list of surface forms)")
    for name in names:
        if not isinstance(name, str | int) or isinstance(name, bool) or not normalise(str(name)):
            raise GoldError(f"{where}: bad name {name!r} (needs letters or digits)")
    may_split = item.get("may_split", False)
    if not isinstance(may_split, bool):
        raise GoldError(f"{where}: 'may_split' must be true or false, not {may_split!r}")
    return GoldEntity(
        id=entity_id,
        type=kind,
        also=tuple(also),
        names=tuple(str(n) for n in names),
        may_split=may_split,
    )


def _parse_relation(item: Any, index: int, known: set[str]) -> GoldRelation:
    where = f"relations[{index}]"
    if not isinstance(item, list) or len(item) not in (2, 3):
        raise GoldError(f"{where} must be [subject id, object id, description]")
    subject, obj = item[0], item[1]
    for entity_id in (subject, obj):
        if not isinstance(entity_id, str) or entity_id not in known:
            raise GoldError(f"{where}: unknown entity id {entity_id!r} in relation")
    if subject == obj:
        raise GoldError(f"{where}: relation links {subject!r} to itself")
    description = str(item[2]) if len(item) == 3 and item[2] is not None else ""
    return GoldRelation(subject=subject, object=obj, description=description)


def _parse_fact(item: Any, index: int, known: set[str]) -> GoldFact:
    where = f"facts[{index}]"
    if not isinstance(item, list) or len(item) not in (2, 3):
        raise GoldError(f"{where} must be [entity id or [ids], value, description]")
    ids = item[0] if isinstance(item[0], list) else [item[0]]
    if not ids:
        raise GoldError(f"{where}: empty entity id list in fact")
    for entity_id in ids:
        if not isinstance(entity_id, str) or entity_id not in known:
            raise GoldError(f"{where}: unknown entity id {entity_id!r} in fact")
    value = item[1]
    if isinstance(value, bool) or value is None or not isinstance(value, str | int | float | dt.date):
        raise GoldError(f'{where}: bad value {value!r}; quote it as text, e.g. "2017"')
    if isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = str(value).strip()
    if not text:
        raise GoldError(f"{where}: empty value")
    description = str(item[2]) if len(item) == 3 and item[2] is not None else ""
    return GoldFact(entity_ids=tuple(ids), value=text, description=description)


# --------------------------------------------------------------------------- matching


def normalise(text: str) -> str:
    """Normalise a name for matching: NFC, case folding, no whitespace, no punctuation.

    Removed are whitespace (``str.isspace`` and Unicode category ``Z*``) and every
    character whose Unicode category starts with ``P`` (punctuation). Symbols (``S*``,
    e.g. ``+``, ``㎡``, ``€``) are kept. The steps repeat until nothing changes, so the
    result is stable (``normalise(normalise(x)) == normalise(x)``) even where removing a
    character lets NFC compose its neighbours.

    >>> normalise("Seoul  Metropolitan-Government")
    'seoulmetropolitangovernment'
    >>> normalise("제14회 ADeKo 콘퍼런스")
    '제14회adeko콘퍼런스'
    """
    previous = None
    for _ in range(8):  # reaches a fixed point in one or two rounds in practice
        if text == previous:
            break
        previous = text
        text = unicodedata.normalize("NFC", text).casefold()
        text = unicodedata.normalize("NFC", text)
        text = "".join(ch for ch in text if not _drops(ch))
    return text


def _drops(ch: str) -> bool:
    category = unicodedata.category(ch)
    return ch.isspace() or category[0] in "PZ"


def _number(text: str) -> Decimal | None:
    text = text.strip()
    if not _NUMBER_RE.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return None


def values_match(gold_value: str, lexical: str) -> bool:
    """Whether a literal's lexical form carries the gold value.

    Numbers compare as numbers when both sides parse as decimal numbers; years,
    year-months and dates by lexical form, a shorter gold value matching the start of a
    longer date; other text after :func:`normalise`.

    >>> values_match("200000", "2.0E5"), values_match("2017", "2017-03-01")
    (True, True)
    >>> values_match("2024-09-25", "2024-09-25"), values_match("2017", "2018")
    (True, False)
    """
    gold_number, number = _number(gold_value), _number(lexical)
    if gold_number is not None and number is not None:
        return gold_number == number
    lexical = lexical.strip()
    if lexical == gold_value:
        return True
    if _YEAR_OR_MONTH_RE.fullmatch(gold_value):
        return lexical.startswith(gold_value + "-")
    if _DATE_RE.fullmatch(gold_value) or gold_number is not None:
        return False
    return normalise(lexical) == normalise(gold_value)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Score:
    """Counts for one part of the evaluation.

    ``tp`` gold items found, ``fn`` gold items missed, ``fp`` system items matching
    nothing. Precision uses ``tp_system`` (system items that matched) when it is set:
    for facts, two literals may match one gold fact, so the system-side count differs
    from ``tp``.
    """

    tp: int
    fp: int
    fn: int
    tp_system: int | None = None

    @property
    def precision(self) -> float:
        tp = self.tp if self.tp_system is None else self.tp_system
        return tp / (tp + self.fp) if tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class EvalResult:
    """Scores and the items behind them.

    ``missed_entities`` are gold ids; ``spurious_entities`` read
    ``<node IRI> "label" | "label": reason``; relations are sorted pairs of gold ids
    (a system node that matches no gold entity appears as its IRI); ``missed_facts`` and
    ``spurious_facts`` are readable one-line descriptions.
    """

    entities: Score
    relations: Score
    facts: Score
    duplicates: tuple[str, ...] = ()
    missed_entities: tuple[str, ...] = ()
    spurious_entities: tuple[str, ...] = ()
    missed_relations: tuple[tuple[str, str], ...] = ()
    spurious_relations: tuple[tuple[str, str], ...] = ()
    missed_facts: tuple[str, ...] = ()
    spurious_facts: tuple[str, ...] = ()


# --------------------------------------------------------------------------- graph


def load_graph(path: str | Path) -> rdflib.Dataset:
    """Read a build folder (``graph.trig``, else ``graph.ttl``) or one RDF file.

    Files: ``.trig``, ``.ttl``, ``.nt``, ``.nq``, ``.jsonld`` (parsed by Oxigraph; see
    :func:`kg.query.graph_file`). A missing path, an unknown suffix or a syntax error
    raises :class:`~kg.errors.InputError` with one line naming the file (and the line,
    for syntax errors). Literals keep their lexical form.
    """
    file, syntax = graph_file(path)
    dataset = rdflib.Dataset()
    graphs: dict[rdflib.term.IdentifiedNode, rdflib.Graph] = {}
    try:  # ox.parse, not a Store: the store would rewrite literals in canonical form
        for quad in ox.parse(path=file, format=syntax):
            if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
                raise InputError(f"{file.name}: RDF-star triple terms are not supported")
            name = (
                DATASET_DEFAULT_GRAPH_ID
                if isinstance(quad.graph_name, ox.DefaultGraph)
                else _to_identified(quad.graph_name)
            )
            if name not in graphs:
                graphs[name] = dataset.graph(name)
            graphs[name].add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    except SyntaxError as exc:
        raise InputError(f"{file.name}: {_one_line(exc)}") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{file.name}: cannot read: {_one_line(exc)}") from None
    return dataset


def _one_line(exc: BaseException) -> str:
    message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return " ".join(message.split())


def _to_identified(term: ox.NamedNode | ox.BlankNode) -> URIRef | BNode:
    return URIRef(term.value) if isinstance(term, ox.NamedNode) else BNode(term.value)


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """An Oxigraph term as rdflib's, its lexical form kept (rdflib would normalise it)."""
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return _to_identified(term)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    raise TypeError(f"unexpected term {term!r}")  # pragma: no cover - filtered by caller


# --------------------------------------------------------------------------- evaluate


@dataclass(frozen=True)
class _Node:
    node: Node
    kinds: frozenset[str]
    labels: tuple[str, ...]
    gold: GoldEntity | None

    def describe(self) -> str:
        labels = " | ".join(f'"{label}"' for label in self.labels) or "(no label)"
        return f"{_show(self.node)} {labels}"


def _show(node: Node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else node.n3()


def _merged(graph: rdflib.Graph) -> rdflib.Graph:
    if isinstance(graph, rdflib.Dataset):
        merged = rdflib.Graph()
        for s, p, o, _ in graph.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    return graph


def _kinds_of_classes(ontology: rdflib.Graph) -> dict[Node, frozenset[str]]:
    """Map every class reaching a kind through ``rdfs:subClassOf*`` to its kinds."""
    parents: dict[Node, set[Node]] = {}
    for cls, parent in ontology.subject_objects(RDFS.subClassOf):
        parents.setdefault(cls, set()).add(parent)
    classes = set(parents) | set(_KIND_CLASSES)
    result: dict[Node, frozenset[str]] = {}
    for cls in classes:
        seen: set[Node] = set()
        stack = [cls]
        kinds: set[str] = set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if current in _KIND_CLASSES:
                kinds.add(_KIND_CLASSES[current])
            stack.extend(parents.get(current, ()))
        if kinds:
            result[cls] = frozenset(kinds)
    return result


def _system_nodes(graph: rdflib.Graph, ontology: rdflib.Graph, gold: Gold) -> dict[Node, _Node]:
    class_kinds = _kinds_of_classes(ontology)
    by_name: dict[str, list[GoldEntity]] = {}
    for entity in (*gold.entities, *gold.optional):
        for name in entity.names:
            candidates = by_name.setdefault(normalise(name), [])
            if entity not in candidates:
                candidates.append(entity)
    order = {e.id: i for i, e in enumerate((*gold.entities, *gold.optional))}

    kinds_by_node: dict[Node, set[str]] = {}
    excluded: set[Node] = set()
    for node, cls in graph.subject_objects(RDF.type):
        if cls in _NOT_ENTITY_CLASSES:
            excluded.add(node)
        elif cls in class_kinds:
            kinds_by_node.setdefault(node, set()).update(class_kinds[cls])
    nodes: dict[Node, _Node] = {}
    for node in sorted(set(kinds_by_node) - excluded, key=str):
        labels = sorted({str(o) for p in _LABELS for o in graph.objects(node, p) if isinstance(o, Literal)})
        kinds = frozenset(kinds_by_node[node])
        matches: dict[str, GoldEntity] = {}
        for label in labels:
            for entity in by_name.get(normalise(label), ()):
                matches[entity.id] = entity
        ranked = sorted(matches.values(), key=lambda e: order[e.id])
        fitting = [e for e in ranked if e.kinds & kinds]
        match = (fitting or ranked)[0] if ranked else None
        nodes[node] = _Node(node=node, kinds=kinds, labels=tuple(labels), gold=match)
    return nodes


def evaluate(graph: rdflib.Graph, gold: Gold, ontology: rdflib.Graph) -> EvalResult:
    """Score ``graph`` (a Graph or a Dataset, all named graphs merged) against ``gold``.

    ``ontology`` supplies the ``rdfs:subClassOf`` hierarchy that gives each class its
    kind. See the module docstring and the gold file header for the rules.
    """
    merged = _merged(graph)
    nodes = _system_nodes(merged, ontology, gold)
    entity_score, duplicates, missed_entities, spurious_entities = _score_entities(nodes, gold)
    relation_score, missed_relations, spurious_relations = _score_relations(merged, nodes, gold)
    fact_score, missed_facts, spurious_facts = _score_facts(merged, nodes, gold)
    return EvalResult(
        entities=entity_score,
        relations=relation_score,
        facts=fact_score,
        duplicates=duplicates,
        missed_entities=missed_entities,
        spurious_entities=spurious_entities,
        missed_relations=missed_relations,
        spurious_relations=spurious_relations,
        missed_facts=missed_facts,
        spurious_facts=spurious_facts,
    )


def _score_entities(
    nodes: Mapping[Node, _Node], gold: Gold
) -> tuple[Score, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    optional = gold.optional_ids
    right_kind: dict[str, list[_Node]] = {}
    matched: dict[str, int] = {}
    spurious: list[str] = []
    for info in nodes.values():  # sorted by IRI: the first node of an entity is stable
        entity = info.gold
        if entity is None:
            spurious.append(f"{info.describe()}: matches no gold entity")
            continue
        if entity.id in optional:
            continue
        matched[entity.id] = matched.get(entity.id, 0) + 1
        if not entity.kinds & info.kinds:
            spurious.append(
                f"{info.describe()}: kind {'/'.join(sorted(info.kinds))} is wrong for "
                f"{entity.id} ({'/'.join(sorted(entity.kinds))})"
            )
            continue
        previous = right_kind.setdefault(entity.id, [])
        if previous and not entity.may_split:
            spurious.append(f"{info.describe()}: duplicate of {entity.id} ({_show(previous[0].node)})")
        previous.append(info)
    tp = sum(1 for e in gold.entities if e.id in right_kind)
    missed = tuple(e.id for e in gold.entities if e.id not in right_kind)
    duplicates = tuple(e.id for e in gold.entities if matched.get(e.id, 0) > 1 and not e.may_split)
    return Score(tp=tp, fp=len(spurious), fn=len(missed)), duplicates, missed, tuple(spurious)


def _score_relations(
    graph: rdflib.Graph, nodes: Mapping[Node, _Node], gold: Gold
) -> tuple[Score, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    optional = gold.optional_ids

    def key(info: _Node) -> str:
        return info.gold.id if info.gold is not None else str(info.node)

    system: set[frozenset[str]] = set()
    for s, p, o in graph:
        if p in _NOT_RELATIONS or s == o or s not in nodes or o not in nodes:
            continue
        a, b = nodes[s], nodes[o]
        if (a.gold is not None and a.gold.id in optional) or (b.gold is not None and b.gold.id in optional):
            continue
        pair = frozenset((key(a), key(b)))
        if len(pair) == 2:  # two nodes of one gold entity (a split) are not a relation
            system.add(pair)
    expected = {r.pair for r in gold.relations if not r.pair & optional}
    found = system & expected
    missed = tuple(sorted(_pair(p) for p in expected - system))
    spurious = tuple(sorted(_pair(p) for p in system - expected))
    score = Score(tp=len(found), fp=len(spurious), fn=len(missed))
    return score, missed, spurious


def _pair(pair: frozenset[str]) -> tuple[str, str]:
    a, b = sorted(pair)
    return a, b


def _attached_literals(
    graph: rdflib.Graph, node: Node, nodes: Mapping[Node, _Node], *, through_entities: bool
) -> Iterator[tuple[tuple[Node, ...], Literal]]:
    """Literals on ``node`` (path ``(p,)``) and one hop away (path ``(p, q)``), no labels."""
    for p, o in graph.predicate_objects(node):
        if isinstance(o, Literal):
            if p not in _LABELS:
                yield (p,), o
        elif p != RDF.type and (through_entities or o not in nodes):
            for q, value in graph.predicate_objects(o):
                if isinstance(value, Literal) and q not in _LABELS:
                    yield (p, q), value


def _show_literal(value: Literal) -> str:
    text = '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if value.language:
        return f"{text}@{value.language}"
    if value.datatype is not None and value.datatype != XSD.string:
        return f"{text}^^{shorten_iri(str(value.datatype))}"
    return text


def _is_fact_predicate(predicate: Node) -> bool:
    return (
        (predicate == SCHEMA.value or str(predicate).startswith(str(KGO)))
        and predicate not in _NOT_FACTS
        and predicate not in _LABELS
    )


def _score_facts(
    graph: rdflib.Graph, nodes: Mapping[Node, _Node], gold: Gold
) -> tuple[Score, tuple[str, ...], tuple[str, ...]]:
    nodes_of: dict[str, list[Node]] = {}
    for info in nodes.values():
        if info.gold is not None:
            nodes_of.setdefault(info.gold.id, []).append(info.node)

    # Recall: a gold fact is found by any literal on (or one hop from) one of its nodes.
    found = 0
    missed: list[str] = []
    for fact in gold.facts:
        hit = any(
            values_match(fact.value, str(value))
            for entity_id in fact.entity_ids
            for node in nodes_of.get(entity_id, ())
            for _, value in _attached_literals(graph, node, nodes, through_entities=True)
        )
        if hit:
            found += 1
        else:
            described = f" ({fact.description})" if fact.description else ""
            missed.append(f"{' / '.join(fact.entity_ids)} = {fact.value}{described}")

    # Precision: kgo:* and schema:value literals on scored gold entities.
    optional = gold.optional_ids
    system: dict[tuple[str, tuple[Node, ...], Literal], bool] = {}
    for entity_id, entity_nodes in nodes_of.items():
        if entity_id in optional:
            continue
        facts = [f for f in gold.facts if entity_id in f.entity_ids]
        for node in entity_nodes:
            for path, value in _attached_literals(graph, node, nodes, through_entities=False):
                if not _is_fact_predicate(path[-1]):
                    continue
                key = (entity_id, path, value)
                if key not in system:
                    system[key] = any(values_match(f.value, str(value)) for f in facts)
    matched = sum(system.values())
    spurious = tuple(
        sorted(
            f"{entity_id}: {' / '.join(shorten_iri(str(p)) for p in path)} {_show_literal(value)}"
            for (entity_id, path, value), ok in system.items()
            if not ok
        )
    )
    score = Score(tp=found, fp=len(spurious), fn=len(gold.facts) - found, tp_system=matched)
    return score, tuple(missed), spurious


# --------------------------------------------------------------------------- report


def format_result(result: EvalResult) -> str:
    """A plain-text report: the score table, then duplicates, misses and spurious items.

    >>> print(format_result(EvalResult(Score(2, 1, 0), Score(0, 0, 0), Score(1, 0, 1))))
    part       precision  recall     f1  tp  fp  fn
    entities       0.667   1.000  0.800   2   1   0
    relations      0.000   0.000  0.000   0   0   0
    facts          1.000   0.500  0.667   1   0   1
    """
    header = ("part", "precision", "recall", "f1", "tp", "fp", "fn")
    rows = [header]
    parts = (("entities", result.entities), ("relations", result.relations), ("facts", result.facts))
    for name, score in parts:
        rows.append(
            (
                name,
                f"{score.precision:.3f}",
                f"{score.recall:.3f}",
                f"{score.f1:.3f}",
                str(score.tp),
                str(score.fp),
                str(score.fn),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]
    sections: list[tuple[str, Iterable[str]]] = [
        ("duplicates", result.duplicates),
        ("missed entities", result.missed_entities),
        ("spurious entities", result.spurious_entities),
        ("missed relations", (" - ".join(p) for p in result.missed_relations)),
        ("spurious relations", (" - ".join(p) for p in result.spurious_relations)),
        ("missed facts", result.missed_facts),
        ("spurious facts", result.spurious_facts),
    ]
    for title, items in sections:
        items = list(items)
        if items:
            lines.append("")
            lines.append(f"{title} ({len(items)}):")
            lines.extend(f"  {item}" for item in items)
    return "\n".join(lines)
