"""English extraction: a rule-based reader for English news, with no statistical model.

The steps, in order, for one document:

1. :func:`split_sentences` cuts the text into sentences with a tokenizer that knows
   abbreviations (Mr., Dr., Prof., U.S., Sept., Oct., Inc., Co., e.g., initials).
2. Discovery (:meth:`_Reader.discover`): every sentence is searched for names with a cue —
   gazetteer names, capitalised chains ending in a kind word (… University, … Institute,
   Ministry of …, Agency for …, City of …, … Expo and Convention Centre), event names (the
   7th … Summit), people next to a title (Mayor X, X, CEO of Y, X, Y's chief executive) or
   before ", who" or written like a Korean name (Kim Min-jun), the wire dateline and
   byline (AUSTIN, Texas, Feb 10 (Agency) -; Reporting by X), named programmes, places
   with a lower-case kind word (the Domain district), nationalities before a kind of
   company (South Korean robot maker X), designated industries and quoted themes.
   Capitalised chains without a cue are kept aside; a context cue (Mayor X of Y, located
   in Y, attract engineers from A and B, companies such as A and B, X, a company …, the
   facility, to be called X) may give them a class, for the whole document. Short forms
   of the names found follow: a company's first word (Hanbit) and initials (UT Austin).
3. Marking (:meth:`_Reader.mark`): in reading order, the mentions are fixed: names found in
   step 2 wherever they occur, short forms, surnames of people named before (Kim said),
   titles (the mayor), pronouns (he, she) and nouns (the city, the Seoul-based startup,
   this year's summit) pointing back, preferring what was described with the noun
   (chip startup Hanbit Labs).
4. Relation rules run over each sentence with its mentions and values replaced by
   placeholder characters, so that a rule is a regular expression over the words between
   names ("<M> of <M>", "cooperate with <list>").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from kg.extract import english_cues as cues
from kg.extract.spans import Span
from kg.extract.values import EN_QUALIFIERS, ValueSpan, english_values, ordinal_number
from kg.gazetteer import Gazetteer, GazetteerEntry, match_key
from kg.model import (
    Document,
    Evidence,
    Extraction,
    Mention,
    Quantity,
    Ref,
    Sentence,
    Statement,
    TimeValue,
    Value,
)
from kg.ontology import top_kind

__all__ = ["Token", "extract_english", "split_sentences", "tokenize"]


# Tokens and sentences ---------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    kind: str  # word | number | abbr | poss | punct


_NOT_POSSESSIVE = r"['’](?![sS](?![^\W_]))[^\W_]+"
_TOKEN = re.compile(
    r"(?P<abbr>(?:[^\W\d_]{1,2}\.){2,})"
    r"|(?P<number>\d+(?:[.,:]\d+)*[^\W\d_]*)"
    r"|(?P<word>[^\W\d_][^\W_]*(?:" + _NOT_POSSESSIVE + r")*"
    r"(?:[-‐](?:(?:[^\W\d_]{1,2}\.){2,}|(?=[^\W_])[^\W_]+(?:" + _NOT_POSSESSIVE + r")*))*)"
    r"|(?P<poss>['’][sS](?![^\W_]))"
    r"|(?P<punct>\S)"
)
_TERMINAL = frozenset(".!?…")
_CLOSERS = frozenset("\"'”’)]»")
_OPENERS = frozenset("\"'“‘([«")
_BULLETS = frozenset("•*-–—·")


def _is_abbreviation(text: str, start: int, end: int, limit: int) -> bool:
    """Whether ``text[start:end]`` followed by a dot is one abbreviation token."""
    word = text[start:end]
    if word in ("No", "Nos"):  # "No. 5" but not "said no."
        return bool(re.match(r"\.\s?\d", text[end : min(limit, end + 3)]))
    if (word.lower() + ".") in cues.ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isupper()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words, numbers, abbreviations, possessive 's and single punctuation marks of
    ``text[start:end]``, with offsets into ``text``. Every non-space character belongs to
    exactly one token.

    >>> [t.text for t in tokenize("Dr. Kim's U.S. firm, Orbis Inc., raised $1.2 billion.")]
    ['Dr.', 'Kim', "'s", 'U.S.', 'firm', ',', 'Orbis', 'Inc.', ',', 'raised', '$', '1.2', 'billion', '.']
    """
    limit = len(text) if end is None else end
    raw = [(m.lastgroup or "punct", m.start(), m.end()) for m in _TOKEN.finditer(text, start, limit)]
    tokens: list[Token] = []
    i = 0
    while i < len(raw):
        kind, s, e = raw[i]
        if (
            kind == "word"
            and i + 1 < len(raw)
            and raw[i + 1][1] == e
            and text[e] == "."
            and _is_abbreviation(text, s, e, limit)
        ):
            tokens.append(Token(text[s : e + 1], s, e + 1, "abbr"))
            i += 2
            continue
        tokens.append(Token(text[s:e], s, e, kind))
        i += 1
    return tokens


def _opens_sentence(tokens: list[Token], k: int, gap: str) -> bool:
    """Whether the token at ``k`` can be the first of a sentence."""
    while k < len(tokens) - 1 and tokens[k].text in _OPENERS and tokens[k + 1].start == tokens[k].end:
        k += 1
    first = tokens[k].text[0]
    if first.isdigit():
        return True
    if first.isalpha():
        return not first.islower()
    if first in _OPENERS:
        return True
    return "\n" in gap and first in _BULLETS


def _first_word(tokens: list[Token], k: int) -> Token:
    while k < len(tokens) - 1 and tokens[k].text in _OPENERS:
        k += 1
    return tokens[k]


def _boundary(text: str, tokens: list[Token], i: int) -> bool:
    """Whether a sentence ends after token ``i``."""
    tok, nxt = tokens[i], tokens[i + 1]
    gap = text[tok.end : nxt.start]
    if not gap:
        return False
    if gap.count("\n") >= 2:  # a blank line ends a paragraph
        return True
    j = i
    while j > 0 and tokens[j].text in _CLOSERS and tokens[j].start == tokens[j - 1].end:
        j -= 1
    core = tokens[j]
    if core.kind == "punct" and core.text in _TERMINAL:
        if j != i and tokens[j].end != tokens[j + 1].start:
            return False
        return _opens_sentence(tokens, i + 1, gap)
    if core.kind != "abbr" or j != i:
        return False
    low = core.text.lower()
    kind = cues.ABBREVIATIONS.get(low)
    if kind is None:
        kind = "initial" if len(core.text) == 2 else "suffix"
    if kind == "latin" or (kind == "title" and low not in cues.SUFFIX_LIKE_TITLES):
        return False
    following = _first_word(tokens, i + 1)
    if following.kind == "number":
        return False
    return _opens_sentence(tokens, i + 1, gap) and following.text in cues.SENTENCE_STARTERS


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text``: in order, not overlapping, each without surrounding space;
    only whitespace lies between them. A sentence ends at . ! ? (and any closing quotes)
    before a capitalised word, a number or an opening quote, unless the dot belongs to an
    abbreviation; a blank line always ends one.

    >>> [s.text for s in split_sentences("Dr. Kim met Mr. Lee on Oct. 8 in the U.S. He left.")]
    ['Dr. Kim met Mr. Lee on Oct. 8 in the U.S.', 'He left.']
    """
    tokens = tokenize(text)
    spans: list[tuple[int, int]] = []
    first = 0
    for i in range(len(tokens) - 1):
        if _boundary(text, tokens, i):
            spans.append((tokens[first].start, tokens[i].end))
            first = i + 1
    if tokens:
        spans.append((tokens[first].start, tokens[-1].end))
    return [Sentence(n, s, e, text[s:e]) for n, (s, e) in enumerate(spans)]


# Mentions ---------------------------------------------------------------------------------


@dataclass
class _Sent:
    sentence: Sentence
    tokens: list[Token]
    chains: list[tuple[int, int]]
    pieces: list[tuple[int, int, str]]  # (first token, end token, "name" | "title")
    candidates: list[Span] = field(default_factory=list)
    unknown: list[tuple[int, int]] = field(default_factory=list)
    values: list[ValueSpan] = field(default_factory=list)


# mentions inside a modifier ('Seoul-based', 'South Korean'): no antecedent for 'the city'
_MODIFIER_RULES = frozenset({"en.hyphen_name", "en.demonym"})
_CONCEPT_CLASSES = frozenset({"Concept", "Industry", "Technology"})
_PLACE_NAME_CLASSES = frozenset({"Country", "City", "AdministrativeArea", "Place"})
_TITLE_RE = "|".join(sorted((re.escape(t) for t in cues.TITLES), key=len, reverse=True))
_MODIFIER_RE = "|".join(sorted((re.escape(t) for t in cues.TITLE_MODIFIERS), key=len, reverse=True))
_APPOSITIVE_TITLE = re.compile(
    r",\s+(?:(?:the|a|an)\s+|(?P<owner>(?-i:the\s+[a-z]+|(?:[A-Z][\w&.'’-]*\s+){0,4}[A-Z][\w&.*-]*)(?:['’]s|(?<=s)['’])\s+))?"
    r"(?:(?:" + _MODIFIER_RE + r")\s+){0,2}(?P<title>" + _TITLE_RE + r")"
    r"(?:\s+(?:and|&)\s+(?:" + _TITLE_RE + r"))?(?:\s+(?:of|at|for|in)\b|(?(owner)\s*[,.;]|(?!)))",
    re.I,
)
# lower-case words that are titles only now and then ('fellow Korean firms', 'chief rival')
_VAGUE_TITLES = frozenset(
    {
        "fellow",
        "official",
        "chief",
        "head",
        "principal",
        "chair",
        "engineer",
        "manager",
        "analyst",
        "economist",
        "scientist",
        "researcher",
        "founder",
        "co-founder",
        "cofounder",
    }
)
_WHO_AFTER = re.compile(r"\s*,\s+who\s+(?!is\s+(?:a|an|the)\s+(?:company|firm|group|city|country)\b)")
_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&-]{1,9})\s*\)")
_THEME = re.compile(r"\b(?:theme|slogan|motto)\s+(?:of\s+|was\s+|is\s+|:\s*)?[\"“‘']([^\"”’']{2,100})[\"”’']", re.I)
_DESIGNATE = re.compile(
    r"\b(?:designat\w*|nam(?:e|ed|es|ing)|select\w*|chose|choose|chosen|choosing|pick(?:ed|s|ing)?|"
    r"identif\w*|foster(?:s|ed|ing)?|nurtur\w*)\s+"
    r"(?P<a>[^.;:\"“”]{1,120}?)\s+as\s+(?:(?:one|two|three|four|five|some|part|each)\s+of\s+)?"
    r"(?:(?:its|their|the|his|her|our|a|an)\s+)?(?P<adj>(?:[\w-]+\s+){0,4}?)"
    r"(?:industr(?:y|ies)|sectors?|fields?)\b"
    r"(?:\s*,?\s+(?:along\s+with|alongside|together\s+with|as\s+well\s+as|in\s+addition\s+to|besides|next\s+to)\s+"
    r"(?P<b>[^.;:\"“”]{1,120}?)(?=\s*(?:[.;:)]|,\s|$)|\s+(?:to|by|in|for|which|that|while|with)\b))?",
    re.I,
)
_DATELINE = re.compile(
    r"\W*(?P<place>[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+)*)"
    r"(?:\s*,\s+(?P<region>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}))??"
    r"(?:\s*,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,?\s+\d{4})?)?"
    r"\s*\(\s*(?P<pub>[^()]{2,60}?)\s*\)\s*[-–—]+\s"
)
_BYLINE = re.compile(
    r"\W*(?:(?:Additional\s+)?(?P<verb>[A-Za-z]+)\s+)?[Bb]y\s+(?P<names>.+?)(?:\s+in\s+[A-Z][\w .'’-]*)?\s*$"
)
_PROGRAMME = re.compile(
    r"(?:\b(?:its|the|their|his|her|our|a|an|under|through|via)\s+|['’]s\s+)"
    r"(?:[\"“](?P<q>[^\"”]{2,60}?)[\"”]|(?P<c>[A-Z][\w&'’-]*(?:\s+(?:[A-Z][\w&'’-]*|\d+(?:\.\d+)*))+))"
    r"\s+(?:" + "|".join(sorted(cues.PROGRAMME_NOUNS)) + r")\b"
)
_ORG_CLASSES = frozenset(
    {"Organization", "Company", "University", "ResearchOrganization", "GovernmentBody", "Association"}
)
_ORG_NOUNS = "|".join(
    sorted((re.escape(n) for n, c in cues.APPOSITIVE_NOUNS.items() if c in _ORG_CLASSES), key=len, reverse=True)
)
_DEMONYM = re.compile(
    r"(?<![\w.-])(?P<d>" + "|".join(sorted((re.escape(d) for d in cues.DEMONYMS), key=len, reverse=True)) + r")"
    r"\s+(?:[\w-]+\s+){0,3}?(?:" + _ORG_NOUNS + r")(?:\s+(?=[A-Z])|\s*,|\s+(?:based|headquartered|located)\b)"
)
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+")
_DETERMINER = re.compile(r"^(?:the|a|an|its|their|our)\s+", re.I)


def _is_cap(tok: Token) -> bool:
    return tok.kind in ("word", "abbr") and tok.text[0].isupper()


def _common_capital(word: str) -> bool:
    """A capitalised word that is no name of its own: 'The', 'May', 'Korean', 'University'."""
    return (
        word in cues.STOP_CAPS
        or word in cues.SENTENCE_STARTERS
        or word.rstrip(".") in cues.MONTHS
        or word in cues.WEEKDAYS
        or word in cues.NATIONALITIES
        or word in cues.DEMONYMS
        or word in cues.KIND_HEADS
        or word in cues.EVENT_HEADS
        or word in cues.OF_HEADS
        or word.lower() in cues.TITLES
    )


def _key(cls: str, name: str) -> str:
    kind = "person" if cls == "Person" else "name"
    return f"{kind}:{match_key(name)}"


def _strip_private(text: str) -> str:
    return "".join(" " if 0xE000 <= ord(ch) <= 0xF8FF else ch for ch in text)


def _surname(name: str) -> str:
    """Kim Min-jun -> Kim (Korean order); Claire Ménard -> Ménard."""
    parts = name.split()
    if len(parts) >= 2 and parts[0] in cues.KOREAN_SURNAMES and (len(parts) == 3 or "-" in parts[1]):
        return parts[0]
    return parts[-1]


def _overlaps(a: Span, spans: Iterable[Span]) -> bool:
    return any(a.start < s.end and s.start < a.end for s in spans)


def _resolve(candidates: list[Span]) -> list[Span]:
    """Longest candidates first; of equal length, the lower priority number wins."""
    chosen: list[Span] = []
    for cand in sorted(candidates, key=lambda s: (-(s.end - s.start), s.priority, s.start)):
        if not _overlaps(cand, chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda s: s.start)


class _Reader:
    """Finds the mentions of one document."""

    def __init__(self, doc: Document, gazetteer: Gazetteer) -> None:
        self.doc = doc
        self.text = doc.text
        self.gazetteer = gazetteer
        self.sents: list[_Sent] = []
        # surface (match key) -> (class, sure, key, names): names with a class from anywhere
        self.known: dict[str, tuple[str, bool, str, list[str]]] = {}
        self.spans: list[Span] = []  # all mentions in reading order
        self.surnames: dict[str, Span] = {}  # surname -> the person last named with it
        # short forms of names learnt in the document: 'Hanbit', 'UT Austin', 'SIT'
        self.aliases: dict[str, tuple[str, bool, str, list[str]]] = {}
        self.described: dict[str, set[str]] = {}  # 'startup' -> keys of things named as startups
        self.titles: dict[str, str] = {}  # person key -> title

    # step 1: tokens, chains ---------------------------------------------------------------
    def prepare(self) -> None:
        for sentence in split_sentences(self.text):
            tokens = tokenize(self.text, sentence.start, sentence.end)
            chains = self._chains(tokens)
            pieces = [p for a, b in chains for p in self._pieces(tokens, a, b)]
            self.sents.append(_Sent(sentence, tokens, chains, pieces))

    def _chains(self, toks: list[Token]) -> list[tuple[int, int]]:
        """Runs of capitalised words, joined by single spaces, 'de'/'von' or '&'."""
        chains = []
        i, n = 0, len(toks)
        while i < n:
            if not _is_cap(toks[i]):
                i += 1
                continue
            j = i + 1
            while j < n:
                if not self._joined(toks[j - 1], toks[j]):
                    break
                if _is_cap(toks[j]):
                    j += 1
                elif self._glue(toks, j):
                    j += 2
                else:
                    break
            chains.append((i, j))
            i = j
        return chains

    def _glue(self, toks: list[Token], j: int) -> bool:
        """A lower-case word inside a name: 'de', 'von' or '&' between capitalised words, or
        the 'and' of 'Expo and Convention Centre'."""
        if (toks[j].text in cues.NAME_PARTICLES or toks[j].text == "&") and j + 1 < len(toks):
            return _is_cap(toks[j + 1]) and self._joined(toks[j], toks[j + 1])
        return toks[j].text == "and" and toks[j - 1].text in cues.AND_JOINABLE and self._and_joins(toks, j)

    def _and_joins(self, toks: list[Token], j: int) -> bool:
        """'Expo and Convention Centre': the capitalised words after 'and' end in a word for
        a building or an institution, so the two sides are one name."""
        k = j + 1
        if k >= len(toks) or not _is_cap(toks[k]) or not self._joined(toks[j], toks[k]):
            return False
        while k + 1 < len(toks) and _is_cap(toks[k + 1]) and self._joined(toks[k], toks[k + 1]):
            k += 1
        head = toks[k].text
        return head in cues.KIND_HEADS and cues.KIND_HEADS[head] in ("Facility", "ResearchOrganization")

    def _joined(self, a: Token, b: Token) -> bool:
        gap = self.text[a.end : b.start]
        return gap == " " or (gap == "" and "&" in (a.text, b.text))

    def _pieces(self, toks: list[Token], a: int, b: int) -> list[tuple[int, int, str]]:
        """A chain split at titles ('Daejeon Mayor Baek Jun-seo' -> place, title, name),
        without leading function words and without lone month or weekday names."""
        pieces: list[tuple[int, int, str]] = []
        start = k = a
        while k < b:
            size = self._title_size(toks, k, b)
            if size:
                if start < k:
                    pieces.append((start, k, "name"))
                pieces.append((k, k + size, "title"))
                k += size
                start = k
            elif k == start and toks[k].text in cues.STOP_CAPS:
                k += 1
                start = k
            else:
                k += 1
        if start < b:
            pieces.append((start, b, "name"))
        kept = []
        for p in pieces:
            words = [t.text.rstrip(".") for t in toks[p[0] : p[1]]]
            if (
                p[2] == "name"
                and len(words) == 1
                and (words[0] in cues.MONTHS or words[0] in cues.WEEKDAYS or words[0] in cues.NATIONALITIES)
            ):
                continue
            kept.append(p)
        return kept

    @staticmethod
    def _title_size(toks: list[Token], k: int, b: int) -> int:
        for size in (3, 2, 1):
            if k + size <= b and " ".join(t.text.lower() for t in toks[k : k + size]) in cues.TITLES:
                return size
        return 0

    # step 2: discovery --------------------------------------------------------------------
    def discover(self) -> None:
        for s in self.sents:
            s.values = self._values(s)
            cands = self._gazetteer_candidates(s)
            cands += self._name_candidates(s)
            cands += self._person_candidates(s)
            cands += self._designated_candidates(s)
            cands += self._theme_candidates(s)
            cands += self._dateline_candidates(s)
            cands += self._byline_candidates(s)
            cands += self._programme_candidates(s)
            cands += self._place_noun_candidates(s)
            cands += self._demonym_candidates(s)
            s.candidates = _resolve(cands)
            for span in s.candidates:
                span.sentence = s.sentence.index
                if span.entry is None and not span.single and span.names:
                    self._learn(span.names[0], span.cls, span.sure, span.key, span.names)
                self._acronym(span)
            s.unknown = [(a, b) for a, b, kind in s.pieces if kind == "name" and self._unclassified(s, a, b)]
        for s in self.sents:
            self._context_cues(s)
        self.aliases = self._short_forms()

    @staticmethod
    def _unclassified(s: _Sent, a: int, b: int) -> bool:
        """A chain no candidate names: none overlaps it, or only gazetteer names inside it
        that leave its last word out ('Songdo Convensia', where Songdo is a known place)."""
        start, end = s.tokens[a].start, s.tokens[b - 1].end
        inside = [c for c in s.candidates if c.start < end and start < c.end]
        # 'Taehwa Maritime AI': a known technology closing a longer chain is part of its name
        return all(
            c.rule == "en.gazetteer"
            and c.start >= start
            and (
                c.end < s.tokens[b - 1].start
                or (
                    c.entry is not None
                    and c.entry.cls in _CONCEPT_CLASSES
                    and c.start >= s.tokens[min(a + 2, b - 1)].start
                    and (a == 0 or s.tokens[a - 1].text not in ("of", "for", "and"))
                )
            )
            for c in inside
        )

    def _learn(
        self, surface: str, cls: str, sure: bool, key: str | None = None, names: list[str] | None = None
    ) -> None:
        k = match_key(surface)
        old = self.known.get(k)
        if old is not None and (old[1] or not sure):
            return
        self.known[k] = (cls, sure, key or _key(cls, surface), names or [surface])

    def _acronym(self, span: Span) -> None:
        """'Daejeon Quantum Institute (DQI)': the acronym is another name of the thing."""
        m = _ACRONYM_AFTER.match(self.text, span.end)
        if m and span.names and span.cls != "Person":
            span.names.append(m.group(1))
            self._learn(m.group(1), span.cls, span.sure, span.key, [m.group(1)])

    def _values(self, s: _Sent) -> list[ValueSpan]:
        found = [
            ValueSpan(v.start + s.sentence.start, v.end + s.sentence.start, v.value, v.kind)
            for v in english_values(s.sentence.text, self.doc.date)
        ]
        found = [_local_currency(self.text, v) for v in found]
        times = _extra_times(s.sentence.text, s.sentence.start, self.doc.date)
        found = [v for v in found if all(v.end <= t.start or v.start >= t.end for t in times)] + times
        found += _extra_counts(s.sentence.text, s.sentence.start, found)
        return sorted(found, key=lambda v: v.start)

    def _gazetteer_candidates(self, s: _Sent) -> list[Span]:
        toks, out = s.tokens, []
        for i, first in enumerate(toks):
            if first.kind not in ("word", "abbr", "number"):
                continue
            for j in range(min(len(toks), i + 10), i, -1):
                if toks[j - 1].kind not in ("word", "abbr", "number"):
                    continue
                start, end = first.start, toks[j - 1].end
                surface = self.text[start:end]
                if "\n" in surface:
                    continue
                entry = self.gazetteer.lookup(surface)
                if entry is None or not self._case_fits(entry, surface, toks, i):
                    continue
                out.append(
                    Span(
                        start, end, surface, entry.cls, "en.gazetteer", f"gaz:{entry.id}", entry, [surface], priority=0
                    )
                )
                break
        return out

    @staticmethod
    def _case_fits(entry: GazetteerEntry, surface: str, toks: list[Token], i: int) -> bool:
        """Concepts match in lower case ('quantum computing'); capitalised only as the
        gazetteer writes them or at the start of a sentence. Other names need a capital."""
        if surface in entry.names:
            return True
        if entry.cls in _CONCEPT_CLASSES:
            if surface.islower():
                return True
            at_start = all(t.text in _OPENERS for t in toks[:i])
            return at_start and (surface[0].lower() + surface[1:]).islower()
        return surface[0].isupper()

    def _name_candidates(self, s: _Sent) -> list[Span]:
        """Names whose form tells their class: events, kind words, 'X of Y' names."""
        out = []
        toks = s.tokens
        for a, b, kind in s.pieces:
            if kind != "name":
                continue
            span = self._event(s, a, b) or self._of_name(s, a, b) or self._kind_name(s, a, b)
            if span is not None:
                out.append(span)
        # "the city of Busan", lower case
        for m in re.finditer(r"\b(city|province)\s+of\s+", s.sentence.text):
            after = s.sentence.start + m.end()
            chain = next(((a, b) for a, b in s.chains if toks[a].start == after), None)
            if chain is None:
                continue
            a, b = chain
            name = self.text[toks[a].start : toks[b - 1].end]
            start, end = s.sentence.start + m.start(), toks[b - 1].end
            entry = self.gazetteer.lookup(name)
            if entry is not None and entry.cls in _PLACE_NAME_CLASSES:
                out.append(
                    Span(
                        start,
                        end,
                        self.text[start:end],
                        entry.cls,
                        "en.gazetteer",
                        f"gaz:{entry.id}",
                        entry,
                        [name],
                        priority=0,
                    )
                )
            elif entry is None:
                cls = "City" if m.group(1) == "city" else "AdministrativeArea"
                out.append(Span(start, end, self.text[start:end], cls, "en.city_of", _key(cls, name), None, [name]))
        return out

    def _event(self, s: _Sent, a: int, b: int) -> Span | None:
        """The 3rd Korea-Canada Quantum Forum; the 14th ADeKo conference (a lower-case
        head word only after an edition, a year or 'annual')."""
        toks = s.tokens
        core = a
        edition = None
        if toks[a].text.lower() in cues.ORDINAL_WORDS:
            edition = ordinal_number(toks[a].text)
            core = a + 1
        first = core
        if a > 0 and self.text[toks[a - 1].end : toks[a].start] == " ":
            before = toks[a - 1]
            if (before.kind == "number" and ordinal_number(before.text)) or before.text.lower() in cues.ORDINAL_WORDS:
                edition = ordinal_number(before.text)
                first = a - 1
            elif before.kind == "number" and re.fullmatch(r"(?:19|20)\d\d", before.text):
                first = a - 1
        end_tok = b
        head = toks[b - 1].text
        if head not in cues.EVENT_HEADS:
            after = toks[b] if b < len(toks) else None
            dated = first < core or (a > 0 and toks[a - 1].text.lower() == "annual") or edition is not None
            if (
                after is None
                or not dated
                or self.text[toks[b - 1].end : after.start] != " "
                or after.text.capitalize() not in cues.EVENT_HEADS
                or not after.text.islower()
            ):
                return None
            head = after.text.capitalize()
            end_tok = b + 1
            if b - core < 1:
                return None
        elif b - core < 2:
            return None
        start, end = toks[first].start, toks[end_tok - 1].end
        label = self.text[toks[core].start : end]
        full = self.text[start:end]
        cls = cues.EVENT_HEADS[head]
        span = Span(start, end, full, cls, "en.event_name", _key(cls, label), None, [full, label])
        span.edition = edition
        return span

    def _of_name(self, s: _Sent, a: int, b: int) -> Span | None:
        """University of Montreal, Ministry of Startup Growth, City of Lyon."""
        toks = s.tokens
        head = toks[b - 1].text
        if b >= len(toks) or not (
            (toks[b].text == "of" and head in cues.OF_HEADS) or (toks[b].text == "for" and head in cues.FOR_HEADS)
        ):
            return None
        heads = cues.OF_HEADS if toks[b].text == "of" else cues.FOR_HEADS
        k = b + 1
        if k < len(toks) and toks[k].text.lower() == "the":
            k += 1
        chain = next(((c, d) for c, d in s.chains if c == k), None)
        if chain is None:
            return None
        c, d = chain
        d = next((x for x in range(c, d) if self._title_size(toks, x, d)), d)
        if d <= c:
            return None
        complement = self.text[toks[c].start : toks[d - 1].end]
        place = self.gazetteer.lookup(complement)
        if b - a > 1 and place is not None and place.cls in _PLACE_NAME_CLASSES:
            return None  # 'Maple Quantum Institute of Canada': a name and where it is
        # 'of Science and Technology', 'of Economy, Trade and Industry': single words
        # joined by commas and a last 'and' stay in the name
        while place is None:
            j = d
            while j + 1 < len(toks) and toks[j].text == "," and self._topic_word(toks, j + 1):
                j += 2
            if not (j + 1 < len(toks) and toks[j].text in ("and", "&") and self._topic_word(toks, j + 1)):
                break
            d = j + 2
        if head in ("University", "College") and d + 1 < len(toks) and toks[d].text == "at":
            # 'University of Texas at Austin': the campus is part of the name
            campus = next(((e, f) for e, f in s.chains if e == d + 1), None)
            if campus is not None:
                d = campus[1]
        start, end = toks[a].start, toks[d - 1].end
        full = self.text[start:end]
        complement = self.text[toks[c].start : end]
        cls = heads[head]
        entry = self.gazetteer.lookup(full)
        if entry is not None:
            return Span(start, end, full, entry.cls, "en.gazetteer", f"gaz:{entry.id}", entry, [full], priority=0)
        if b - a == 1 and cls in ("City", "AdministrativeArea", "Country"):
            entry = self.gazetteer.lookup(complement)
            if entry is not None:
                return Span(
                    start,
                    end,
                    full,
                    entry.cls,
                    "en.gazetteer",
                    f"gaz:{entry.id}",
                    entry,
                    [complement, full],
                    priority=0,
                )
            return Span(start, end, full, cls, "en.place_of", _key(cls, complement), None, [complement, full])
        # 'Port of Rotterdam Authority': a body's kind word closing the name says what it is
        # (not a field such as 'Centre for Intelligent Robotics')
        closing = cues.KIND_HEADS.get(toks[d - 1].text) if d - 1 > c else None
        if closing in ("GovernmentBody", "Association", "ResearchOrganization", "University"):
            cls = closing
        return Span(start, end, full, cls, "en.of_name", _key(cls, full), None, [full])

    def _topic_word(self, toks: list[Token], k: int) -> bool:
        """A single capitalised word that is no name of its own ('Technology', 'ICT')."""
        return (
            _is_cap(toks[k])
            and (k + 1 >= len(toks) or not _is_cap(toks[k + 1]))
            and self.gazetteer.lookup(toks[k].text) is None
            and toks[k].text not in cues.KIND_HEADS
        )

    def _kind_name(self, s: _Sent, a: int, b: int) -> Span | None:
        toks = s.tokens
        if b - a < 2:
            return None
        words = [t.text for t in toks[a:b]]
        cls = cues.TWO_WORD_HEADS.get((words[-2], words[-1])) or cues.KIND_HEADS.get(words[-1])
        if cls is None:
            return None
        start, end = toks[a].start, toks[b - 1].end
        name = self.text[start:end]
        if cls == "City":  # 'Incheon Metropolitan City', 'Sejong Special City': the city known by its name
            short = re.sub(
                r"(?:\s+(?:Metropolitan|Special|Special\s+Self-Governing))?\s+(?:City|Government)$", "", name
            )
            entry = self.gazetteer.lookup(short) if short != name else None
            if entry is not None and entry.cls == "City":
                return Span(start, end, name, entry.cls, "en.gazetteer", f"gaz:{entry.id}", entry, [name], priority=0)
        return Span(start, end, name, cls, "en.kind_name", _key(cls, name), None, [name])

    def _person_candidates(self, s: _Sent) -> list[Span]:
        toks, out = s.tokens, []
        pieces = s.pieces
        for n, (a, b, kind) in enumerate(pieces):
            if kind != "name":
                continue
            title = None
            if n > 0 and pieces[n - 1][2] == "title" and pieces[n - 1][1] == a:
                t0, t1 = pieces[n - 1][0], pieces[n - 1][1]
                title = " ".join(t.text for t in toks[t0:t1])
            elif a > 0 and self.text[toks[a - 1].end : toks[a].start] == " ":
                for size in (3, 2, 1):
                    words = " ".join(t.text.lower() for t in toks[a - size : a]) if a - size >= 0 else ""
                    if words in cues.TITLES and words not in _VAGUE_TITLES:
                        title = " ".join(t.text for t in toks[a - size : a])
                        break
            if title is None and a > 1 and toks[a - 1].text == ",":
                for size in (3, 2, 1):  # "Seoul's mayor, Oh Se-hoon": a possessive before the title
                    k = a - 1 - size
                    words = " ".join(t.text.lower() for t in toks[k : a - 1]) if k > 0 else ""
                    if words in cues.TITLES and toks[k - 1].kind == "poss" and cues.TITLES[words] != "honorific":
                        title = " ".join(t.text for t in toks[k : a - 1])
                        break
            rule = "en.person_title"
            if title is None:
                m = _APPOSITIVE_TITLE.match(self.text, toks[b - 1].end, s.sentence.end)
                if m and 2 <= b - a <= 3:
                    title, rule = m.group("title"), "en.person_appositive"
            if (
                title is None
                and 2 <= b - a <= 3
                and _WHO_AFTER.match(self.text, toks[b - 1].end, s.sentence.end)
                and not self._kind_name(s, a, b)
                and all(not _common_capital(t.text) for t in toks[a:b])
            ):
                span = self._person(toks, a, b, "en.person_who", None)  # 'Claire Dubois, who heads …'
                if span is not None:
                    out.append(span)
                continue
            if title is not None:
                span = self._person(toks, a, b, rule, title)
                if span is not None:
                    out.append(span)
                continue
            if (
                b - a == 2
                and toks[a].text in cues.KOREAN_SURNAMES
                and re.fullmatch(r"[A-Z][a-z]+-[a-z]+", toks[a + 1].text)
            ):
                span = self._person(toks, a, b, "en.korean_name", None)
                if span is not None:
                    out.append(span)
        return out

    def _person(self, toks: list[Token], a: int, b: int, rule: str, title: str | None) -> Span | None:
        if b - a > 3:
            return None
        words = [t.text for t in toks[a:b]]
        korean = len(words) >= 2 and words[0] in cues.KOREAN_SURNAMES and "-" in words[1]
        if (
            not korean
            and len(words) > 1
            and any(w in cues.KIND_HEADS or w in cues.EVENT_HEADS or w in cues.OF_HEADS for w in words)
        ):
            return None
        start, end = toks[a].start, toks[b - 1].end
        name = self.text[start:end]
        entry = self.gazetteer.lookup(name)
        if entry is not None:
            if entry.cls != "Person":
                return None
            return Span(start, end, name, "Person", rule, f"gaz:{entry.id}", entry, [name], title=title)
        if not korean and any(self.gazetteer.lookup(w) is not None for w in words):
            return None
        single = b - a == 1
        if single and (title is None or title[0].islower()):
            return None  # 'Mayor Park' names someone; 'manager Erik' of 'Erik ten Hag' may not
        return Span(start, end, name, "Person", rule, _key("Person", name), None, [name], title=title, single=single)

    def _designated_candidates(self, s: _Sent) -> list[Span]:
        """The members of 'designate A, B and C as strategic industries' are industries."""
        out = []
        for m in _DESIGNATE.finditer(s.sentence.text):
            if not set(m.group("adj").lower().split()) & cues.STRATEGIC_ADJECTIVES:
                continue
            for group in ("a", "b"):
                if not m.group(group):
                    continue
                offset = s.sentence.start + m.start(group)
                for start, end, item in _list_items(m.group(group), offset):
                    if len(item.split()) > 4 or any(ch.isdigit() for ch in item):
                        continue
                    entry = self.gazetteer.lookup(item)
                    if entry is not None:
                        out.append(
                            Span(
                                start,
                                end,
                                item,
                                entry.cls,
                                "en.gazetteer",
                                f"gaz:{entry.id}",
                                entry,
                                [item],
                                priority=0,
                            )
                        )
                    elif item[0].islower():
                        out.append(
                            Span(
                                start,
                                end,
                                item,
                                "Industry",
                                "en.designated_industry",
                                _key("Industry", item),
                                None,
                                [item],
                                priority=0,
                            )
                        )
        return out

    def _theme_candidates(self, s: _Sent) -> list[Span]:
        out = []
        for m in _THEME.finditer(s.sentence.text):
            start, end = s.sentence.start + m.start(1), s.sentence.start + m.end(1)
            theme = m.group(1).strip()
            out.append(
                Span(
                    start,
                    end,
                    m.group(1),
                    "Concept",
                    "en.quoted_theme",
                    _key("Concept", theme),
                    None,
                    [theme],
                    priority=0,
                )
            )
        return out

    def _dateline_candidates(self, s: _Sent) -> list[Span]:
        """'AUSTIN, Texas, Feb 10 (Asia Tech Wire) -': the city the story was filed from, its
        state or country, and the news agency, which is an organisation."""
        m = _DATELINE.match(s.sentence.text)
        if m is None or (m.group("region") or "").split(" ")[0].rstrip(".") in cues.MONTHS:
            return []
        out = []
        offset = s.sentence.start
        place = " ".join(w.capitalize() for w in m.group("place").split())
        for group, name, cls, rule in (
            ("place", place, "City", "en.dateline_place"),
            ("region", m.group("region"), "AdministrativeArea", "en.dateline_region"),
        ):
            if not name:
                continue
            start, end = offset + m.start(group), offset + m.end(group)
            entry = self.gazetteer.lookup(name)
            if entry is not None:
                if entry.cls in _PLACE_NAME_CLASSES:
                    out.append(
                        Span(
                            start,
                            end,
                            self.text[start:end],
                            entry.cls,
                            "en.gazetteer",
                            f"gaz:{entry.id}",
                            entry,
                            [entry.name],
                            priority=-1,
                        )
                    )
                continue
            out.append(Span(start, end, self.text[start:end], cls, rule, _key(cls, name), None, [name], priority=0))
        start, end = offset + m.start("pub"), offset + m.end("pub")
        publisher = m.group("pub")
        entry = self.gazetteer.lookup(publisher)
        if entry is not None:
            out.append(
                Span(
                    start, end, publisher, entry.cls, "en.gazetteer", f"gaz:{entry.id}", entry, [publisher], priority=0
                )
            )
        else:
            out.append(
                Span(
                    start,
                    end,
                    publisher,
                    "Company",
                    "en.dateline_publisher",
                    _key("Company", publisher),
                    None,
                    [publisher],
                    priority=0,
                )
            )
        return out

    def _byline_candidates(self, s: _Sent) -> list[Span]:
        """'(Reporting by Daniel Cho in Austin; Editing by Arun Pillai)', 'By Jane Doe': the
        journalists are people."""
        out = []
        text, offset = s.sentence.text, s.sentence.start
        parts = [(m.start(1), m.group(1)) for m in re.finditer(r"\(([^()]*)\)", text)]
        by = re.match(r"\W*By\s+(?=[A-Z])", text)
        if by and not re.search(r"[a-z]{3,}\s+[a-z]", text[by.end() :]):
            parts.append((by.start(), text[by.start() :]))
        for base, content in parts:
            for piece in re.finditer(r"[^;]+", content):
                m = _BYLINE.match(piece.group(0))
                if m is None or (m.group("verb") and m.group("verb").lower() not in cues.BYLINE_VERBS):
                    continue
                names = base + piece.start() + m.start("names")
                for start, end, name in _list_items(m.group("names"), names):
                    words = name.split()
                    if 2 <= len(words) <= 4 and all(w[0].isupper() for w in words):
                        out.append(
                            Span(
                                offset + start,
                                offset + end,
                                name,
                                "Person",
                                "en.byline",
                                _key("Person", name),
                                None,
                                [name],
                                priority=0,
                            )
                        )
        return out

    def _programme_candidates(self, s: _Sent) -> list[Span]:
        """'under its "K-Fabless Global 100" programme', 'its Smart Nation 2.0 strategy': a
        named programme or policy is a concept."""
        out = []
        for m in _PROGRAMME.finditer(s.sentence.text):
            group = "q" if m.group("q") else "c"
            name = m.group(group).strip()
            if self.gazetteer.lookup(name) is not None or match_key(name) in self.known:
                continue
            last = name.split()[-1]
            if group == "c" and (last in cues.KIND_HEADS or last in cues.EVENT_HEADS):
                continue  # 'the Busan Robot Park project': a park
            start, end = s.sentence.start + m.start(group), s.sentence.start + m.end(group)
            out.append(
                Span(
                    start,
                    end,
                    self.text[start:end],
                    "Concept",
                    "en.programme_name",
                    _key("Concept", name),
                    None,
                    [name],
                    priority=0,
                )
            )
        return out

    def _place_noun_candidates(self, s: _Sent) -> list[Span]:
        """'the Domain district', 'Gangnam district': a name with a lower-case word for a kind
        of place after it, where the name alone is known as nothing else."""
        out = []
        toks = s.tokens
        for a, b in s.chains:
            if b >= len(toks) or toks[b].text not in cues.PLACE_NOUNS_AFTER or toks[a].text in cues.STOP_CAPS:
                continue
            if self.text[toks[b - 1].end : toks[b].start] != " ":
                continue
            name = self.text[toks[a].start : toks[b - 1].end]
            if self.gazetteer.lookup(name) is not None or match_key(name) in self.known:
                continue
            if any(toks[k].text in cues.KIND_HEADS or toks[k].text in cues.EVENT_HEADS for k in range(a, b)):
                continue
            cls = cues.PLACE_NOUNS_AFTER[toks[b].text]
            start, end = toks[a].start, toks[b].end
            full = self.text[start:end]
            out.append(Span(start, end, full, cls, "en.place_noun", _key(cls, full), None, [full, name]))
        return out

    def _demonym_candidates(self, s: _Sent) -> list[Span]:
        """'South Korean robot maker Nuri Robotics', 'X, a Japanese chipmaker': the
        nationality names the country the organisation is from."""
        out = []
        for m in _DEMONYM.finditer(s.sentence.text):
            entry = self.gazetteer.lookup(cues.DEMONYMS[m.group("d")])
            if entry is None or entry.cls != "Country":
                continue
            start, end = s.sentence.start + m.start("d"), s.sentence.start + m.end("d")
            out.append(
                Span(
                    start,
                    end,
                    m.group("d"),
                    entry.cls,
                    "en.demonym",
                    f"gaz:{entry.id}",
                    entry,
                    [entry.name],
                    priority=0,
                )
            )
        return out

    def _short_forms(self) -> dict[str, tuple[str, bool, str, list[str]]]:
        """Short forms of the names learnt: the first word of a company's or a facility's
        name ('Hanbit' for Hanbit Semiconductor) and initials, alone or before the name's
        last words ('SIT', 'UT Austin' for the University of Texas at Austin)."""
        firsts: dict[str, list[tuple[str, bool, str, list[str]]]] = {}
        out: dict[str, tuple[str, bool, str, list[str]]] = {}
        lower_words = set(re.findall(r"\b[a-z][\w-]*\b", self.text))
        for cls, sure, key, names in list(self.known.values()):
            words = names[0].split()
            if cls == "Person" or cls in _CONCEPT_CLASSES or top_kind(cls) == "Event" or len(words) < 2:
                continue
            capitals = [w for w in words if w[0].isupper()]
            for cut in range(len(words), 0, -1) if len(capitals) >= 3 else ():
                initials = "".join(w[0] for w in words[:cut] if w[0].isupper())
                if len(initials) < 2:
                    continue
                alias = " ".join([initials, *words[cut:]])
                if self.gazetteer.lookup(alias) is None:
                    out.setdefault(match_key(alias), (cls, sure, key, [alias]))
            # the first word, where the rest says what kind of thing it is ('Hanbit
            # Semiconductor') or the word could be nothing else ('RoboHub')
            first = words[0]
            distinct = words[-1] in cues.KIND_HEADS or any(ch.isupper() for ch in first[1:])
            if (
                sure
                and distinct
                and cls in ("Company", "Facility", "Organization")
                and first[0].isupper()
                and len(first) > 2
                and first.lower() not in lower_words
                and not _common_capital(first)
                and self.gazetteer.lookup(first) is None
            ):
                firsts.setdefault(match_key(first), []).append((cls, sure, key, [first]))
        for word, owners in firsts.items():
            if len({o[2] for o in owners}) > 1:  # 'Hanbit' of Hanbit Semiconductor and Hanbit Austin Design Center
                owners = [o for o in owners if o[0] == "Company"]
            if len({o[2] for o in owners}) == 1 and not (word in self.known and self.known[word][1]):
                out.setdefault(word, owners[0])
        return out

    def _context_cues(self, s: _Sent) -> None:
        """Classes for capitalised names without a kind word, from the words around them."""
        unknown = [(s.tokens[a].start, s.tokens[b - 1].end) for a, b in s.unknown]
        named = [c for c in s.candidates if not any(start <= c.start and c.end <= end for start, end in unknown)]
        masked, items = _mask(self.text, s.sentence, named, s.values, unknown)

        def unknown_name(ch: str) -> str | None:
            item = items.get(ch)
            return item if isinstance(item, str) else None

        def teach(chars: str, cls: str, sure: bool = True) -> None:
            for ch in chars:
                name = unknown_name(ch)
                if name is not None and not _preceded_by_of(masked, chars, ch):
                    self._learn(name, cls, sure)

        for pattern, cls_of in _CUES:
            for m in pattern.finditer(masked):
                cls = cls_of(m)
                if cls is not None:
                    teach(m.group("u"), cls)
        for m in _COOPERATION_CUE.finditer(masked):
            teach(m.group("u") or m.group("u2") or "", "Organization", sure=False)
        for m in _ORGANISATION_CUE.finditer(masked):
            teach(m.group("u") or m.group("u2") or "", "Organization", sure=False)
        for m in _UNIT_CUE.finditer(masked):
            teach(m.group("u"), "Company")

    # step 3: marking ----------------------------------------------------------------------
    def mark(self) -> None:
        for s in self.sents:
            toks = s.tokens
            found = [c for c in s.candidates if not c.single]
            for a, b in s.unknown:
                found += self._known_in(toks, a, b)
            found = _resolve(found)
            singles = [c for c in s.candidates if c.single and not _overlaps(c, found)]
            found += self._hyphen_parts(s, found)
            found.sort(key=lambda x: x.start)
            for span in found:
                if span.cls == "Person" and not span.is_reference:
                    self._register(span)
            # one-word names: a person named before (Baek said, Mayor Baek), else a new person
            for single in singles:
                person = self.surnames.get(single.text)
                if person is not None:
                    found.append(self._reference(single.start, single.end, person, "en.person_surname"))
                else:
                    single.single = False
                    found.append(single)
                    self._register(single)
            for a, b in s.unknown:
                if b - a != 1:
                    continue
                tok = toks[a]
                person = self.surnames.get(tok.text)
                span = Span(tok.start, tok.end, tok.text, "Person", "", "")
                if person is not None and not _overlaps(span, found):
                    found.append(self._reference(tok.start, tok.end, person, "en.person_surname"))
            found.sort(key=lambda x: x.start)
            self._describe(s, found)
            found += self._anaphora(s, found)
            found.sort(key=lambda x: x.start)
            for span in found:
                span.sentence = s.sentence.index
            self.spans.extend(found)

    def _known_in(self, toks: list[Token], a: int, b: int) -> list[Span]:
        """Names learnt elsewhere in the document, inside an unclassified chain."""
        out: list[Span] = []
        i = a
        while i < b:
            for j in range(b, i, -1):
                start, end = toks[i].start, toks[j - 1].end
                surface = self.text[start:end]
                known = self.known.get(match_key(surface))
                rule = None
                alias = self.aliases.get(match_key(surface))
                if (
                    alias is not None
                    and alias[3][0] == surface
                    and (i, j) == (a, b)
                    and (known is None or not known[1])
                ):
                    known, rule = alias, "en.short_name"
                if known is not None:
                    cls, sure, key, _ = known
                    rule = rule or ("en.person_name" if cls == "Person" else "en.known_name")
                    out.append(Span(start, end, surface, cls, rule, key, None, [surface], sure=sure))
                    i = j
                    break
            else:
                i += 1
        return out

    def _hyphen_parts(self, s: _Sent, found: list[Span]) -> list[Span]:
        """'a joint Korea-Germany forum', 'a Seoul-based startup': the places inside a word."""
        out = []
        for tok in s.tokens:
            if tok.kind != "word" or "-" not in tok.text:
                continue
            probe = Span(tok.start, tok.end, tok.text, "", "", "")
            if _overlaps(probe, found) or _overlaps(probe, s.candidates):
                continue
            parts = tok.text.split("-")
            offsets = []
            pos = tok.start
            for part in parts:
                offsets.append((pos, pos + len(part)))
                pos += len(part) + 1
            entries = [self._place_name(p) for p in parts]
            if len(parts) >= 2 and all(entries):
                pairs = zip(parts, offsets, entries, strict=True)
            elif len(parts) == 2 and parts[1].lower() in ("based", "headquartered") and entries[0]:
                pairs = zip(parts[:1], offsets[:1], entries[:1], strict=True)
            else:
                continue
            for part, (start, end), known in pairs:
                assert known is not None
                cls, key, entry = known
                out.append(Span(start, end, part, cls, "en.hyphen_name", key, entry, [part]))
        return out

    def _place_name(self, word: str) -> tuple[str, str, GazetteerEntry | None] | None:
        entry = self.gazetteer.lookup(word)
        if entry is not None and word[:1].isupper() and entry.cls in _PLACE_NAME_CLASSES:
            return entry.cls, f"gaz:{entry.id}", entry
        known = self.known.get(match_key(word))
        if known is not None and known[0] in _PLACE_NAME_CLASSES:
            return known[0], known[2], None
        return None

    def _register(self, person: Span) -> None:
        name = person.names[0] if person.names else person.text
        self.surnames[_surname(name)] = person
        if person.title:
            self.titles[person.key] = person.title.lower()
        self._learn(name, "Person", True, person.key, [name])

    def _reference(self, start: int, end: int, target: Span, rule: str) -> Span:
        return Span(start, end, self.text[start:end], target.cls, rule, target.key, target.entry)

    def _anaphora(self, s: _Sent, found: list[Span]) -> list[Span]:
        out: list[Span] = []
        text, offset = s.sentence.text, s.sentence.start
        nouns = "|".join(sorted(set(cues.ANAPHOR_NOUNS) | cues.TITLE_ANAPHORS, key=len, reverse=True))
        pattern = re.compile(
            r"\b(?:the|this|that|our|this\s+year['’]s)\s+(?:(?P<mod>(?-i:[A-Z])[\w.'’]*-(?:based|headquartered)|"
            r"new|local|young|state-run|state-owned|same|annual|inaugural|(?-i:[a-z]+)-(?:day|week|month))\s+)?"
            r"(?P<noun>" + nouns + r")\b(?![-\w])|\b(?P<pron>he|she)\b",
            re.I,
        )
        for m in pattern.finditer(text):
            # 'the Seoul-based startup': the place is a mention of its own, the noun the reference
            start = offset + (m.start("noun") if m.group("mod") and "-" in m.group("mod") else m.start())
            end = offset + m.end()
            probe = Span(start, end, m.group(0), "", "", "")
            if _overlaps(probe, found) or _overlaps(probe, out):
                continue
            before = [x for x in found if x.end <= start]
            if m.group("pron"):
                target = self._last(before, lambda x: x.cls == "Person")
                rule = "en.anaphor_pronoun"
            else:
                noun = m.group("noun").lower()
                if not _anaphor_follows(text[m.end() :], noun):
                    continue
                target = self._antecedent(before, noun)
                rule = (
                    "en.anaphor_title"
                    if noun in cues.TITLE_ANAPHORS and noun not in cues.ANAPHOR_NOUNS
                    else "en.anaphor_noun"
                )
            if target is not None:
                out.append(self._reference(start, end, target, rule))
        return out

    def _last(self, before: list[Span], test: Callable[[Span], bool]) -> Span | None:
        for span in reversed([*self.spans, *before]):
            if test(span):
                return span
        return None

    def _describe(self, s: _Sent, found: list[Span]) -> None:
        """'chip startup Hanbit Labs', 'Lumen Quantum, a Japanese chipmaker': the noun is
        what 'the startup' or 'the chipmaker' will point back to."""
        for span in found:
            if span.is_reference or span.cls == "Person":
                continue
            before = _DESCRIBED_BEFORE.search(self.text, s.sentence.start, span.start)
            after = _DESCRIBED_AFTER.match(self.text, span.end, s.sentence.end)
            for m in (before, after):
                if m is not None:
                    self.described.setdefault(m.group("noun").lower(), set()).add(span.key)

    def _antecedent(self, before: list[Span], noun: str) -> Span | None:
        if noun in cues.TITLE_ANAPHORS and noun not in cues.ANAPHOR_NOUNS:

            def titled(x: Span) -> bool:
                title = self.titles.get(x.key, "")
                return x.cls == "Person" and (title.endswith(noun) or (noun == "ceo" and "chief executive" in title))

            return self._last(before, titled)
        classes = cues.ANAPHOR_NOUNS[noun]
        variants = {noun, {"center": "centre", "centre": "center"}.get(noun, noun)}

        def named(x: Span) -> bool:  # 'the university': the University of Texas, not its school
            return (
                not x.is_reference
                and x.cls in classes
                and x.rule not in _MODIFIER_RULES
                and (
                    x.key in self.described.get(noun, ())
                    or any(re.search(r"(?<!\w)" + v + r"(?!\w)", x.names[0].lower()) for v in variants)
                )
            )

        return self._last(before, named) or self._last(
            before, lambda x: not x.is_reference and x.cls in classes and x.rule not in _MODIFIER_RULES
        )


_ANAPHOR_NOUN_RE = "|".join(sorted(cues.ANAPHOR_NOUNS, key=len, reverse=True))
_DESCRIBED_BEFORE = re.compile(r"\b(?P<noun>" + _ANAPHOR_NOUN_RE + r")\s+$", re.I)
_DESCRIBED_AFTER = re.compile(
    r"\s*,\s+(?:a|an|the)\s+(?:[^\s,.;]+\s+){0,3}?(?P<noun>" + _ANAPHOR_NOUN_RE + r")\b", re.I
)
_NAMED_AS = re.compile(
    r"\s*,?\s+(?:to\s+be|which\s+(?:will\s+be|is)|that\s+(?:will\s+be|is)|now|officially|formally|tentatively)\s+"
    r"(?:called|named|dubbed|known\s+as|branded)\b"
    r"|\s*,\s*(?:called|named|dubbed|known\s+as|branded)\b|\s+(?:called|dubbed|known\s+as)\b",
    re.I,
)


def _anaphor_follows(after: str, noun: str) -> bool:
    """'the city would', 'the city,' or 'the summit drew' refer back; 'the city hall',
    'the city of Busan' and 'the mayor of Gaon' do not."""
    if _NAMED_AS.match(after):
        return False  # 'the facility, to be called RoboHub': the name that follows is the thing
    m = re.match(r"\s*([\w'’-]+|\S)?", after)
    word = m.group(1) if m else None
    if not word or not word[0].isalnum():
        return True
    low = word.lower()
    if low in ("of", "at") or word[0].isupper():
        return False
    if low in cues.GLUE_WORDS or low in cues.NOT_VERBS or low in cues.IRREGULAR_VERBS:
        return True
    if noun == "city" and low in cues.CITY_FOLLOWERS:
        return True
    return low.endswith(("ed", "es", "ly")) or (low.endswith("s") and not low.endswith("ss"))


def _list_items(text: str, offset: int) -> list[tuple[int, int, str]]:
    """'quantum computing, semiconductors and hydrogen' -> its items with offsets."""
    items = []
    position = 0
    for piece in [*_LIST_SPLIT.split(text)]:
        at = text.find(piece, position)
        if at < 0 or not piece.strip():
            continue
        position = at + len(piece)
        lead = _DETERMINER.match(piece)
        core = piece[lead.end() :] if lead else piece
        start = at + (lead.end() if lead else 0)
        core = core.rstrip()
        if core:
            items.append((offset + start, offset + start + len(core), core))
    return items


_COUNT_EXTRA = re.compile(
    r"(?P<qual>\b(?:more than|over|at least|nearly|almost|about|around|roughly|some|up to|fewer than|less than)\s+)?"
    r"\b(?P<num>\d[\d,]*)\s+"
    r"(?P<mod>(?:(?:[a-z][\w-]*|"
    + "|".join(sorted(cues.NATIONALITIES))
    + r")\s+){0,2}?)(?P<noun>"
    + "|".join(sorted(cues.COUNTABLE_NOUNS, key=len, reverse=True))
    + r")\b"
)
_YEAR_BEFORE_COMMA = re.compile(r"(?<![\d,.$])\b(?:19|20)\d{2}(?=,(?!\d))")
_STAFF = re.compile(
    r"\b(?P<noun>staff|workforce|headcount|employees|workers|payroll|membership)\s+(?:to|of|at)\s+"
    r"(?P<qual>(?:more than|over|about|around|some|nearly|almost)\s+)?(?P<num>\d[\d,]*)\b(?!\s*(?:percent|%))"
)


_CURRENCY_PREFIX = re.compile(r"(?<![A-Za-z])(?:US|S|HK|NT|NZ|A|C)\$")
_PREFIXED_CURRENCIES = {"US$": "USD", "S$": "SGD", "HK$": "HKD", "NT$": "TWD", "NZ$": "NZD", "A$": "AUD", "C$": "CAD"}


def _local_currency(text: str, value: ValueSpan) -> ValueSpan:
    """'S$350 million' is Singapore dollars, not US dollars (values.py reads the '$')."""
    quantity = value.value
    if not isinstance(quantity, Quantity) or quantity.unit != "USD":
        return value
    m = re.search(
        r"(?<![A-Za-z])(US|S|HK|NT|NZ|A|C)\$\s?[\d.,]+\s*(?:thousand|million|billion|trillion)?$",
        text[max(0, value.start - 4) : value.end],
    )
    if m is None:
        return value
    code = _PREFIXED_CURRENCIES[m.group(1) + "$"]
    local = Quantity(quantity.amount, code, m.group(1) + "$", quantity.qualifier, quantity.measured)
    return ValueSpan(value.start, value.end, local, value.kind)


_MONTH_NAMES = {
    name: i
    for i, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
_MONTH_NAMES.update({name[:3]: i for name, i in list(_MONTH_NAMES.items())})
_MONTH_NAMES["Sept"] = 9
_MONTH_WORD = r"(?P<month>" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_MONTH_YEAR = re.compile(r"\b" + _MONTH_WORD + r",?\s+(?P<year>(?:19|20)\d\d)\b")
_BARE_MONTH = re.compile(
    r"\b(?P<lead>in|by|until|till|from|since|through|before|after|this|next|last|early|late|mid-|end\s+of)\s*"
    + _MONTH_WORD
    + r"(?![\w-])(?!\.?,?\s+\d)"
)
_RELATIVE = re.compile(r"\b(?P<which>last|next|this|the\s+coming)\s+(?P<unit>year|month)\b(?!['’])", re.I)
_FUTURE = re.compile(
    r"\b(?:will|shall|plans?|planned|aims?|expects?|expected|scheduled|slated|due|set\s+to|is\s+to|"
    r"are\s+to|to\s+be|intends?|hopes?|would)\b",
    re.I,
)


def _extra_times(text: str, offset: int, published: dt.date | None) -> list[ValueSpan]:
    """Times values.py leaves out: 'October 2024'; with the date of publication, 'last
    year', 'next month', and a month without a year ('in September': the next one in a
    sentence about the future, else the last one; 'next March': the first March after
    the month of publication)."""
    out: list[ValueSpan] = []

    def add(start: int, end: int, lexical: str, datatype: str, kind: str) -> None:
        if all(end <= v.start - offset or start >= v.end - offset for v in out):
            out.append(ValueSpan(offset + start, offset + end, TimeValue(lexical, datatype), kind))

    for m in _MONTH_YEAR.finditer(text):
        add(m.start(), m.end(), f"{m.group('year')}-{_MONTH_NAMES[m.group('month')]:02d}", "gYearMonth", "year_month")
    if published is None:
        return sorted(out, key=lambda v: v.start)
    for m in _BARE_MONTH.finditer(text):
        month = _MONTH_NAMES[m.group("month")]
        lead = m.group("lead").lower()
        if lead == "next":
            year = published.year + (1 if month <= published.month else 0)
        elif lead == "last":
            year = published.year - (1 if month >= published.month else 0)
        elif lead == "this":
            year = published.year
        elif _FUTURE.search(text[: m.start()]):
            year = published.year + (1 if month < published.month else 0)
        else:
            year = published.year - (1 if month > published.month else 0)
        first = (
            m.start("month")
            if lead in ("in", "by", "until", "till", "from", "since", "through", "before", "after")
            else m.start()
        )
        add(first, m.end(), f"{year:04d}-{month:02d}", "gYearMonth", "year_month")
    for m in _RELATIVE.finditer(text):
        which = m.group("which").lower().split()[-1]
        step = {"last": -1, "next": 1, "coming": 1}.get(which, 0)
        if m.group("unit").lower() == "year":
            add(m.start(), m.end(), f"{published.year + step:04d}", "gYear", "year")
        else:
            index = published.year * 12 + published.month - 1 + step
            add(m.start(), m.end(), f"{index // 12:04d}-{index % 12 + 1:02d}", "gYearMonth", "year_month")
    return sorted(out, key=lambda v: v.start)


def _extra_counts(text: str, offset: int, found: list[ValueSpan]) -> list[ValueSpan]:
    """Values values.py leaves out: '500 software engineers', 'its staff to 240', a year
    before a comma ('founded in 2021, now …')."""
    out: list[ValueSpan] = []

    def free(start: int, end: int) -> bool:
        return all(end <= v.start or start >= v.end for v in (*found, *out))

    def amount(raw: str) -> Decimal | None:
        if re.fullmatch(r"(?:19|20)\d\d", raw):
            return None
        try:
            return Decimal(raw.replace(",", ""))
        except InvalidOperation:
            return None

    for m in _YEAR_BEFORE_COMMA.finditer(text):  # values.py leaves out 'in 2021,'
        if free(offset + m.start(), offset + m.end()):
            out.append(ValueSpan(offset + m.start(), offset + m.end(), TimeValue(m.group(0), "gYear"), "year"))
    for m in _COUNT_EXTRA.finditer(text):
        if any(w in cues.NOT_VERBS for w in m.group("mod").split()):
            continue
        value = amount(m.group("num"))
        start = m.start("qual") if m.group("qual") else m.start("num")
        if value is None or not free(offset + m.start("num"), offset + m.end()):
            continue
        qualifier = EN_QUALIFIERS.get((m.group("qual") or "").strip().lower(), "exact")
        measured = (m.group("mod") + m.group("noun")).strip()
        out.append(
            ValueSpan(
                offset + start, offset + m.end(), Quantity(value, "C62", m.group("noun"), qualifier, measured), "amount"
            )
        )
    for m in _STAFF.finditer(text):
        value = amount(m.group("num"))
        start = m.start("qual") if m.group("qual") else m.start("num")
        if value is None or not free(offset + start, offset + m.end("num")):
            continue
        qualifier = EN_QUALIFIERS.get((m.group("qual") or "").strip().lower(), "exact")
        out.append(
            ValueSpan(
                offset + start,
                offset + m.end("num"),
                Quantity(value, "C62", m.group("noun"), qualifier, m.group("noun")),
                "amount",
            )
        )
    return out


# Masked sentences -------------------------------------------------------------------------
#
# A sentence is rewritten with one private-use character per mention (U+E000…), per
# unclassified name (U+E800…) and per value (U+F000…); rules are regular expressions over
# the words between them.

_M = "[\ue000-\ue7ff]"
_U = "[\ue800-\uefff]"
_V = "[\uf000-\uf7ff]"
_MU = "[\ue000-\uefff]"


def _mask(
    text: str, sentence: Sentence, spans: list[Span], values: list[ValueSpan], unknown: Iterable[tuple[int, int]] = ()
) -> tuple[str, dict[str, object]]:
    """The sentence with its mentions, unclassified names and values replaced by one
    character each, and what each character stands for."""
    items: list[tuple[int, int, str, object]] = []
    # 2048 characters per kind; a 'sentence' naming more things keeps the first ones
    for i, span in enumerate(spans[:0x800]):
        items.append((span.start, span.end, chr(0xE000 + i), span))
    for i, (start, end) in enumerate(list(unknown)[:0x800]):
        items.append((start, end, chr(0xE800 + i), text[start:end]))
    taken = [(a, b) for a, b, _, _ in items]
    for i, value in enumerate(values[:0x800]):
        start = value.start - 1 if value.start > sentence.start and text[value.start - 1] in "$€₩£¥" else value.start
        prefix = _CURRENCY_PREFIX.search(text, max(sentence.start, start - 3), start + 1)
        if text[start] == "$" and prefix is not None and prefix.end() == start + 1:
            start = prefix.start()  # 'S$350 million'
        end = value.end
        for a, _ in taken:  # 'about 60 robots' where 'robots' names a concept: the number alone
            if start < a < end:
                end = a
        while end > start and text[end - 1].isspace():
            end -= 1
        if all(end <= a or start >= b for a, b in taken):
            items.append((start, end, chr(0xF000 + i), value))
    items.sort(key=lambda x: x[0])
    out: list[str] = []
    mapping: dict[str, object] = {}
    position = sentence.start
    for start, end, ch, item in items:
        if start < position:
            continue
        out.append(_strip_private(text[position:start]))
        out.append(ch)
        mapping[ch] = item
        position = end
    out.append(_strip_private(text[position : sentence.end]))
    return "".join(out), mapping


def _rx(pattern: str, flags: int = re.I) -> re.Pattern[str]:
    """A rule pattern: <M> a mention, <U> an unclassified name, <MU> either, <V> a value,
    <L> a coordinated list of mentions, <LU> of mentions or names, <T> a title."""
    item = r"(?:the\s+)?{x}(?:\s*\(\s*{x}\s*\))?(?:\s+of\s+(?:the\s+)?{x})?"
    sep = (
        r"(?:\s*,\s+(?:whose|which|who|where)\b[^,;]{0,120}?,\s*(?:and\s+|or\s+)?"
        r"|\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&|as\s+well\s+as|plus)\s+)"
    )
    lst = "(?:" + item + "(?:" + sep + item + ")*)"
    return re.compile(
        pattern.replace("<LU>", lst.replace("{x}", _MU))
        .replace("<L>", lst.replace("{x}", _M))
        .replace("<MU>", _MU)
        .replace("<M>", _M)
        .replace("<U>", _U)
        .replace("<V>", _V)
        .replace("<T>", "(?:" + _TITLE_RE + ")"),
        flags,
    )


# what stands inside a list without being a member: '(SIT)', ', whose campus opened in the district,'
_LIST_ASIDE = re.compile(r"\([^()]*\)|,\s+(?:whose|which|who|where)\b[^,;]*,")


def _preceded_by_of(masked: str, group: str, ch: str) -> bool:
    """In a list 'A, B and C of Canada', C's 'of Canada' names no member."""
    at = group.find(ch)
    return at >= 0 and bool(re.search(r"\bof\s+(?:the\s+)?$", group[:at]))


def _title_class(title: str) -> str:
    t = title.lower()
    role = cues.TITLES.get(t, "member")
    if t in ("mayor", "lord mayor"):
        return "City"
    if t in ("governor", "gov.", "premier", "provincial governor"):
        return "AdministrativeArea"
    if t in ("minister", "vice minister", "deputy minister"):
        return "GovernmentBody"
    if t in (
        "ceo",
        "chief executive",
        "chief executive officer",
        "founder",
        "co-founder",
        "cofounder",
        "cto",
        "cfo",
        "coo",
    ):
        return "Company"
    if t in (
        "professor",
        "prof.",
        "associate professor",
        "assistant professor",
        "lecturer",
        "dean",
        "chancellor",
        "rector",
    ):
        return "University"
    if t in ("researcher", "senior researcher", "research fellow", "scientist"):
        return "ResearchOrganization"
    return "Organization" if role != "honorific" else ""


def _cue_title(m: re.Match[str]) -> str | None:
    return _title_class(m.group("t")) or None


def _cue_noun(m: re.Match[str]) -> str | None:
    return cues.APPOSITIVE_NOUNS.get(m.group("n").lower())


def _cue_list_head(m: re.Match[str]) -> str | None:
    return cues.LIST_HEADS.get(re.sub(r"\s+", " ", m.group("h").lower()))


_NOUNS = "|".join(sorted((re.escape(n) for n in cues.APPOSITIVE_NOUNS), key=len, reverse=True))
_LIST_NOUNS = "|".join(sorted((re.escape(n).replace(r"\ ", r"\s+") for n in cues.LIST_HEADS), key=len, reverse=True))
_TALENT = "|".join(sorted(cues.TALENT_NOUNS, key=len, reverse=True))
_CUES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]], ...] = (
    (_rx(r"(?P<t><T>)\s+<M>\s+of\s+(?:the\s+)?(?P<u><U>)(?![’']s)"), _cue_title),
    (
        _rx(r"<M>,\s+(?:(?:the|a|an)\s+)?(?:\w+\s+){0,2}?(?P<t><T>)\s+(?:of|at)\s+(?:the\s+)?(?P<u><U>)(?![’']s)"),
        _cue_title,
    ),
    (_rx(r"(?P<u><U>)\s+(?P<t>Mayor|Governor|Premier|CEO|Minister|President|Professor)\s+<M>", 0), _cue_title),
    (
        _rx(r"\b(?P<t>ceo|chief\s+executive|founder|mayor|governor|professor)\s+of\s+(?:the\s+)?(?P<u><U>)(?![’']s)"),
        _cue_title,
    ),
    (_rx(r"(?P<u><U>)\s*,\s+(?:a|an|the)\s+(?:[^\s,.;]+\s+){0,3}?(?P<n>" + _NOUNS + r")\b"), _cue_noun),
    (_rx(r"\b(?:located|based|headquartered|situated)\s+(?:in|at)\s+(?:the\s+)?(?P<u><U>)"), lambda m: "Place"),
    (
        _rx(
            r"\b(?:held|hosted|staged|took\s+place|takes\s+place|taking\s+place|will\s+take\s+place|opened|opens|"
            r"kicked\s+off|kicks\s+off)\s+(?P<p>at|in)\s+(?:the\s+)?(?P<u><U>)"
        ),
        lambda m: "Facility" if m.group("p").lower() == "at" else "Place",
    ),
    # 'Incheon will host the 4th Global Battery Expo at the Songdo Convensia'
    (
        _rx(r"\b(?:host|hosts|hosting|stage|stages|staging)\s+(?:the\s+)?<M>\s+(?P<p>at|in)\s+(?:the\s+)?(?P<u><U>)"),
        lambda m: "Facility" if m.group("p").lower() == "at" else "Place",
    ),
    (_rx(r"\b(?P<n>" + _NOUNS + r")\s+(?P<u><U>)(?!\s*[-’'])"), _cue_noun),
    (
        _rx(
            r"\b(?:attract|recruit|lure|bring|hire|draw|woo|court)\w*\s+(?:[^\s,.]+\s+){0,6}?(?:"
            + _TALENT
            + r"|<V>)\s+from\s+(?P<u><LU>)"
        ),
        lambda m: "Place",
    ),
    (_rx(r"\b(?P<h>" + _LIST_NOUNS + r")\s*,?\s+(?:such\s+as|including|like|namely)\s+(?P<u><LU>)"), _cue_list_head),
    (_rx(r"\b(?P<h>" + _LIST_NOUNS + r")\s+(?P<u><LU>)"), _cue_list_head),
    (_rx(r"(?P<u><LU>)\s*,?\s+and\s+other\s+(?P<h>" + _LIST_NOUNS + r")\b"), _cue_list_head),
    # 'the facility, to be called RoboHub Punggol'
    (
        _rx(
            r"\b(?P<n>" + _NOUNS + r")\s*,?\s+(?:(?:to\s+be|which\s+will\s+be|that\s+will\s+be|tentatively|"
            r"provisionally|now|officially)\s+)?(?:called|named|dubbed|known\s+as|branded)\s+[\"“]?(?P<u><U>)"
        ),
        _cue_noun,
    ),
    # 'nearby Taylor, where …'
    (_rx(r"\b(?:in|near|nearby|around|outside|neighbou?ring)\s+(?P<u><U>)\s*,\s+where\b"), lambda m: "Place"),
    (_rx(r"\b(?:nearby|neighbou?ring)\s+(?P<u><U>)"), lambda m: "Place"),
)
_COOPERATION_CUE = _rx(
    r"\b(?:cooperat\w*|co-operat\w*|collaborat\w*|partner\w*|team\w*\s+up|join\w*\s+hands)\s+(?:closely\s+)?"
    r"with\s+(?P<u><LU>)|\b(?:MOU|MoU|memorandum\s+of\s+understanding|agreement|pact)s?"
    r"(?:\s*\(\s*(?:MOU|MoU)\s*\))?\s+with\s+(?P<u2><LU>)"
)
# what only an organisation does: 'Orbis Qubit teamed up with …', 'Lumen Quantum, headquartered in …'
_ORGANISATION_CUE = _rx(
    r"(?P<u><U>)\s+(?:(?:has|have|had|will|would|also|recently)\s+)*(?:teamed\s+up|partnered|"
    r"signed\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:MOU|MoU|memorandum|agreement|deal|pact|contract))\b"
    r"|(?P<u2><U>)\s*,\s+(?:which\s+is\s+)?(?:headquartered|based)\s+in\b"
)
# 'Lumen Quantum is a unit of Orbis Holdings'
_UNIT_CUE = _rx(
    r"(?P<u><U>)\s*,?\s+(?:is\s+|was\s+)?(?:a|an)\s+(?:wholly[-\s]owned\s+)?"
    r"(?:unit|subsidiary|affiliate|division)\s+of\b"
)


# Relations --------------------------------------------------------------------------------

_AGENT_KINDS = frozenset({"Organization", "Person"})


def _kind(span: Span) -> str:
    return top_kind(span.cls)


def _is_agent(span: Span) -> bool:
    return _kind(span) in _AGENT_KINDS or span.cls in cues.AGENT_PLACES


def _is_holder(span: Span) -> bool:
    return _kind(span) != "Concept"


def _is_org_or_facility(span: Span) -> bool:
    return _kind(span) == "Organization" or span.cls == "Facility"


def _is_area(span: Span) -> bool:
    return span.cls in _PLACE_NAME_CLASSES


# predicate -> (subject test, object test)
_SIGNATURES: dict[str, tuple[Callable[[Span], bool], Callable[[Span], bool]]] = {
    "mayorOf": (lambda s: s.cls == "Person", lambda o: o.cls in ("City", "AdministrativeArea")),
    "headOf": (lambda s: s.cls == "Person", lambda o: _kind(o) in ("Organization", "Place")),
    "affiliatedWith": (lambda s: s.cls == "Person", lambda o: _kind(o) == "Organization"),
    "keynoteSpeakerAt": (lambda s: s.cls == "Person", lambda o: _kind(o) == "Event"),
    "speakerAt": (lambda s: s.cls == "Person", lambda o: _kind(o) == "Event"),
    "heldAt": (lambda s: _kind(s) == "Event", lambda o: _kind(o) in ("Place", "Organization")),
    "jointEventOf": (lambda s: _kind(s) == "Event", lambda o: o.cls == "Country"),
    "theme": (lambda s: _kind(s) == "Event", lambda o: _kind(o) == "Concept"),
    "attractsTalentFrom": (lambda s: _kind(s) in ("Organization", "Place"), lambda o: _kind(o) == "Place"),
    "cooperatesWith": (
        lambda s: _kind(s) in ("Organization", "Place", "Person"),
        lambda o: _kind(o) in ("Organization", "Place", "Person"),
    ),
    "designatesStrategicIndustry": (lambda s: _kind(s) in ("Organization", "Place"), lambda o: _kind(o) == "Concept"),
    "developsInto": (lambda s: _kind(s) != "Person", lambda o: _kind(o) != "Person"),
    "foundedBy": (
        lambda s: _kind(s) in ("Organization", "Place"),
        lambda o: _kind(o) in ("Organization", "Place", "Person"),
    ),
    "locatedIn": (
        lambda s: _kind(s) in ("Organization", "Place", "Event"),
        lambda o: _kind(o) in ("Place", "Organization"),
    ),
    "plannedBy": (
        lambda s: _kind(s) in ("Organization", "Place"),
        lambda o: _kind(o) in ("Organization", "Place", "Person"),
    ),
}


@dataclass
class _State:
    """What the reading carries from sentence to sentence."""

    by_cluster: dict[int, Span]
    gazetteer: Gazetteer | None = None
    heads: dict[int, int] = field(default_factory=dict)  # person cluster -> what the person heads
    topic: Span | None = None  # the organisation or place the text is about
    speaker: Span | None = None  # the last person quoted
    last_event: Span | None = None
    publisher: Span | None = None  # the news agency of the dateline
    titled: set[int] = field(default_factory=set)  # people whose title was read with its organisation
    # 'Singapore will build a robotics testbed': (agent, place, sentence, noun) of a thing not yet named
    pending: tuple[Span, Span | None, int, str] | None = None


@dataclass
class _Ctx:
    doc: Document
    sentence: Sentence
    spans: list[Span]
    values: list[ValueSpan]
    state: _State
    masked: str = ""
    items: dict[str, object] = field(default_factory=dict)
    quotes: list[tuple[int, int]] = field(default_factory=list)  # masked index ranges
    used: set[str] = field(default_factory=set)  # value characters a rule has taken
    out: list[Statement] = field(default_factory=list)
    seen: set[tuple[int, str, object]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.masked, self.items = _mask(self.doc.text, self.sentence, self.spans, self.values)
        self.quotes = _quote_ranges(self.masked)
        self._subjects = self._find_subjects()

    # items -------------------------------------------------------------------------------
    def span(self, ch: str | None) -> Span | None:
        item = self.items.get(ch) if ch else None
        return item if isinstance(item, Span) else None

    def value(self, ch: str | None) -> ValueSpan | None:
        item = self.items.get(ch) if ch else None
        return item if isinstance(item, ValueSpan) else None

    def mentions(self, chars: str | None) -> list[Span]:
        """The members of a list group, without 'of X' modifiers."""
        if not chars:
            return []
        chars = _LIST_ASIDE.sub(lambda m: " " * len(m.group(0)), chars)
        out = []
        for at, ch in enumerate(chars):
            span = self.span(ch)
            if span is not None and not re.search(r"\bof\s+(?:the\s+)?$", chars[:at]):
                out.append(span)
        return out

    def index_of(self, span: Span) -> int:
        return next((i for i, ch in enumerate(self.masked) if self.items.get(ch) is span), -1)

    def in_quote(self, index: int) -> tuple[int, int] | None:
        return next((q for q in self.quotes if q[0] <= index < q[1]), None)

    def add(self, subject: Span | None, predicate: str, obj: Span | Value | None, rule: str, confidence: float) -> bool:
        if subject is None or obj is None:
            return False
        if isinstance(obj, Span):
            if obj.cluster == subject.cluster:
                return False
            signature = _SIGNATURES.get(predicate)
            if signature is not None and not (signature[0](subject) and signature[1](obj)):
                return False
            target: Ref | Value = Ref(obj.cluster)
        else:
            target = obj
        key = (subject.cluster, predicate, target)
        if key in self.seen:
            return False
        self.seen.add(key)
        if predicate in ("headOf", "mayorOf", "affiliatedWith"):
            self.state.titled.add(subject.cluster)
        sent = self.sentence
        evidence = Evidence(sent.index, sent.start, sent.end, sent.text, rule, confidence)
        self.out.append(Statement(subject.cluster, predicate, target, evidence))
        return True

    # who acts ------------------------------------------------------------------------------
    def _find_subjects(self) -> list[tuple[int, Span]]:
        """Mentions standing as the subject of a verb: 'the city would cooperate',
        'Kang Yu-jin, CEO of Orbis Qubit, told', 'the startup, founded in 2021, now employs'."""
        found = []
        for index, ch in enumerate(self.masked):
            span = self.span(ch)
            if span is None:
                continue
            before = self.masked[:index]
            if re.search(r"\b(?:of|at|in|on|to|from|with|by|for|into|as|than|and|or)\s+(?:the\s+)?$", before, re.I):
                continue
            if re.search(r"\b(?:of|from|with|by|for)\s+(?:(?-i:[a-z])[\w-]*\s+){1,2}$", before, re.I):
                continue  # 'by a group of former Samsung engineers': no subject
            if re.search(r"\bto\s+(?-i:[a-z])\w+\s+(?:(?:the|a|an|its|their)\s+)?$", before):
                continue  # 'to open Austin design centre': the object of a verb
            if re.search(r"\b(?:the|a|an)\s+$", before) and span.is_reference is False and span.cls == "Person":
                continue
            after = self.masked[index + 1 :]
            if span.cls == "Person":
                after = re.sub(r"^\s+of\s+(?:the\s+)?" + _M + r"(?:['’]s\s+" + _M + ")?", "", after)
            if _SUBJECT_TAIL.match(after):
                found.append((index, span))
        return found

    def agent(
        self, index: int, test: Callable[[Span], bool] = _is_agent, via_head: bool = True, topic: bool = True
    ) -> Span | None:
        """Who does what the words at ``index`` say: the subject before them (in the same
        quotation or outside any), else the speaker of a quotation, else the subject after
        them, else what the text was about."""
        quote = self.in_quote(index)
        before = [(i, s) for i, s in self._subjects if i < index and self.in_quote(i) == quote and test(s)]
        subject: Span | None = None
        if before:
            if _UNNAMED_SUBJECT.search(self.masked[before[-1][0] + 1 : index]):
                return None  # 'Choi said the deal was worth …': the deal, not Choi
            subject = before[-1][1]
        if subject is None and quote is not None:
            subject = self.speaker() or self.state.speaker
            topic_org = self.state.topic
            if (
                subject is not None
                and subject.cluster not in self.state.heads
                and topic_org is not None
                and _kind(topic_org) != "Person"
                and re.search(r"\b(?:we|our|us)\b", self.masked[quote[0] : index], re.I)
            ):
                return topic_org  # '"We will work with KOTRA," Han said': we, the ministry the text is about
        if subject is None:
            after = [s for i, s in self._subjects if i > index and self.in_quote(i) is None and test(s)]
            if after:
                subject = after[0]
            elif topic and not _UNNAMED_SUBJECT.search(self.masked[:index]):
                subject = self.state.topic
        if subject is not None and via_head and subject.cls == "Person":
            head = self.state.heads.get(subject.cluster)
            if head is not None:
                return self.state.by_cluster.get(head, subject)
        return subject

    def speaker(self) -> Span | None:
        """The person who says the quotation of this sentence."""
        if not self.quotes:
            return None
        outside = [s for i, s in self._subjects if self.in_quote(i) is None and s.cls == "Person"]
        if outside:
            return outside[0]
        return next(
            (
                s
                for i, ch in enumerate(self.masked)
                if (s := self.span(ch)) is not None and s.cls == "Person" and self.in_quote(i) is None
            ),
            None,
        )

    def subject(self) -> Span | None:
        outside = [s for i, s in self._subjects if self.in_quote(i) is None]
        return outside[0] if outside else None

    def person_near(self, index: int) -> Span | None:
        """The person who speaks at ``index``: the nearest before it outside quotations,
        else the first after it."""
        people = [
            (i, s)
            for i, ch in enumerate(self.masked)
            if (s := self.span(ch)) is not None and s.cls == "Person" and self.in_quote(i) is None
        ]
        before = [s for i, s in people if i < index]
        if before:
            return before[-1]
        after = [s for i, s in people if i > index]
        return after[0] if after else None

    def event_near(self, index: int) -> Span | None:
        events = [
            (i, s) for i, ch in enumerate(self.masked) if (s := self.span(ch)) is not None and _kind(s) == "Event"
        ]
        before = [s for i, s in events if i < index]
        if before:
            return before[-1]
        after = [s for i, s in events if i > index]
        return after[0] if after else None


_PAREN_START = (
    r"(?:a|an|the|who|which|whose|founded|established|launched|created|set|based|located|"
    r"headquartered|opened|now|also|formerly|known|one|(?:co-)?hosted|(?:co-)?organi[sz]ed|sponsored|"
    r"backed|owned|operated|" + _TITLE_RE + r"|[\ue000-\uf7ff]|\d)"
)
_GLUE = "|".join(sorted(cues.GLUE_WORDS, key=len, reverse=True))
_SUBJECT_TAIL = re.compile(
    r"(?:\s*,\s*" + _PAREN_START + r"\b[^,]{0,120}?,){0,2}\s*(?:(?:" + _GLUE + r")\s+)*"
    r"(?!(?:" + "|".join(cues.NOT_VERBS) + r")\b)(?-i:[a-z])[\w'’-]*",
    re.I,
)


# a subject the reader could not resolve ('The city is pushing to build …' with no city
# named before): the text's topic is then no safe guess
_UNNAMED_SUBJECT = re.compile(
    r"(?:^|[,;]\s+|\b(?:that|said|says|added|noted)\s+)\W*(?:the|this|our|its|their|these|those)\s+(?-i:[a-z])[\w-]*"
    r"(?:\s+(?:(?:" + _GLUE + r")\s+)*(?!(?:" + "|".join(cues.NOT_VERBS) + r")\b)(?-i:[a-z])|\s*$)"
    # '… by the province, which in March designated …': the relative clause's own subject
    r"|\b(?:the|this|its|their)\s+(?-i:[a-z])[\w-]*\s*,\s+(?:which|who)\b[^,\ue000-\ue7ff]*$",
    re.I,
)


def _quote_ranges(masked: str) -> list[tuple[int, int]]:
    ranges, opened = [], None
    for i, ch in enumerate(masked):
        if ch in '"“”':
            if opened is None and ch != "”":
                opened = i
            elif opened is not None:
                ranges.append((opened, i + 1))
                opened = None
    if opened is not None:
        ranges.append((opened, len(masked)))
    return ranges


# the rules -----------------------------------------------------------------------------------

_MODS = r"(?P<mod>(?:(?:" + _MODIFIER_RE + r")\s+){0,2})"
_TITLE_OF = _rx(r"(?P<t><T>)\s+(?P<p><M>)\s+of\s+(?:the\s+)?(?P<o><M>)(?:['’]s\s+(?P<o2><M>))?")
_APPOSITION_OF = _rx(
    r"(?P<p><M>)\s*,\s+(?:(?:the|a|an)\s+)?" + _MODS + r"(?P<t><T>)"
    r"(?:\s+(?:and|&)\s+(?:<T>))?\s+(?:of|at|for|in)\s+(?:the\s+)?(?P<o><M>)(?:['’]s\s+(?P<o2><M>))?"
)
_PLACE_TITLE = _rx(r"(?P<o><M>)(?:['’]s)?\s+" + _MODS + r"(?P<t><T>)\s*,?\s+(?P<p><M>)")
# 'Tan Wei Ling, JTC's assistant chief executive, said'
_APPOSITION_POSSESSIVE = _rx(
    r"(?P<p><M>)\s*,\s+(?P<o><M>)['’]s?\s+" + _MODS + r"(?P<t><T>)(?!\s+(?:of|at)\s)(?=[\s,.;])"
)
_ITS_TITLE = _rx(r"\bits\s+(?:(?:" + _MODIFIER_RE + r")\s+)?(?P<t><T>)\s*,?\s+(?P<p><M>)")
# 'Maria Delgado, who heads the university's Advanced Packaging Lab'
_WHO_ROLE = _rx(
    r"(?P<p><M>)\s*,\s+who\s+(?:also\s+|now\s+|currently\s+|previously\s+|once\s+)?"
    r"(?P<v>heads|headed|leads|led|runs|ran|chairs|chaired|directs|directed|oversees|oversaw|founded|co-?founded|"
    r"(?:works|worked|teaches|taught|studies|studied|serves|served|lectures|lectured)\s+(?:at|for|in|with)|joined)\s+"
    r"(?:the\s+)?(?:(?P<o><M>)['’]s\s+)?(?P<x><M>)"
)
_HEAD_VERBS = frozenset(
    {
        "heads",
        "headed",
        "leads",
        "led",
        "runs",
        "ran",
        "chairs",
        "chaired",
        "directs",
        "directed",
        "oversees",
        "oversaw",
    }
)


def _title_role(title: str, modifiers: str = "") -> str:
    """head, member, mayor or honorific; 'assistant chief executive' is a member."""
    role = cues.TITLES.get(title.lower(), "member")
    if role in ("head", "mayor") and set(modifiers.lower().split()) & cues.UNDER_MODIFIERS:
        return "member"
    return role


def _add_title(
    ctx: _Ctx, person: Span, role: str, title: str, org: Span, parent: Span | None, guess: bool = False
) -> None:
    """The relation a title names, and membership of the organisation a unit belongs to
    ('director of SIT's Centre for Intelligent Robotics' works for SIT). A ``guess`` is an
    organisation the text is about rather than one named with the title."""
    rules = (
        {
            "mayorOf": ("en.title_of_topic", 0.6),
            "headOf": ("en.title_of_topic", 0.6),
            "affiliatedWith": ("en.title_of_topic", 0.6),
        }
        if guess
        else {
            "mayorOf": ("en.title_of_place", 0.95),
            "headOf": ("en.title_of_organisation", 0.9),
            "affiliatedWith": ("en.title_affiliation", 0.85),
        }
    )
    if role == "mayor" and org.cls in ("City", "AdministrativeArea"):
        if ctx.add(person, "mayorOf", org, *rules["mayorOf"]):
            ctx.state.heads[person.cluster] = org.cluster
    elif role == "head" and (
        _kind(org) == "Organization" or (org.cls == "Country" and title in ("president", "prime minister"))
    ):
        if ctx.add(person, "headOf", org, *rules["headOf"]):
            ctx.state.heads[person.cluster] = org.cluster
    elif role in ("member", "head") and _kind(org) == "Organization":
        ctx.add(person, "affiliatedWith", org, *rules["affiliatedWith"])
    if parent is not None and parent.cluster != org.cluster and _kind(parent) == "Organization" and role != "honorific":
        ctx.add(person, "affiliatedWith", parent, "en.unit_member", 0.8)


def rule_titles(ctx: _Ctx) -> None:
    """Mayor X of Y; X, CEO of Y; Y Mayor X; Y's mayor, X; X, Y's assistant chief executive;
    Professor X of Y; X, a researcher at Y; X, who heads Y's Z."""
    for pattern in (_TITLE_OF, _APPOSITION_OF, _PLACE_TITLE, _APPOSITION_POSSESSIVE):
        for m in pattern.finditer(ctx.masked):
            person = ctx.span(m.group("p"))
            unit = ctx.span(m.groupdict().get("o2"))
            org = unit or ctx.span(m.group("o"))
            if person is None or org is None or person.cls != "Person":
                continue
            title = m.group("t").lower()
            role = _title_role(title, m.groupdict().get("mod") or "")
            _add_title(ctx, person, role, title, org, ctx.span(m.group("o")) if unit else None)
    for m in _WHO_ROLE.finditer(ctx.masked):
        person, owner, thing = ctx.span(m.group("p")), ctx.span(m.group("o")), ctx.span(m.group("x"))
        if person is None or thing is None or person.cls != "Person":
            continue
        verb = m.group("v").split()[0].lower()
        if "found" in verb:
            ctx.add(thing, "foundedBy", person, "en.who_founded", 0.8)
            continue
        role = "head" if verb in _HEAD_VERBS else "member"
        if _kind(thing) == "Organization" or (role == "head" and thing.cls == "Facility"):
            if role == "head":
                if ctx.add(person, "headOf", thing, "en.who_heads", 0.85):
                    ctx.state.heads[person.cluster] = thing.cluster
            else:
                ctx.add(person, "affiliatedWith", thing, "en.who_works_at", 0.8)
            if owner is not None and owner.cluster != thing.cluster and _kind(owner) == "Organization":
                ctx.add(person, "affiliatedWith", owner, "en.unit_member", 0.8)
    # 'the firm plans …, its CEO Karim Benali said': the organisation the sentence is about
    for m in _ITS_TITLE.finditer(ctx.masked):
        person = ctx.span(m.group("p"))
        role = cues.TITLES.get(m.group("t").lower(), "member")
        if person is None or person.cls != "Person" or role == "honorific":
            continue
        org = ctx.agent(m.start(), lambda x: _kind(x) == "Organization", via_head=False)
        if org is None:
            continue
        if role == "head":
            if ctx.add(person, "headOf", org, "en.its_title", 0.75):
                ctx.state.heads[person.cluster] = org.cluster
        else:
            ctx.add(person, "affiliatedWith", org, "en.its_title", 0.75)
    # '"…," Chief Executive Lee Ji-won told reporters': a company title with no company
    # named is held at the company the story is about
    topic = ctx.state.topic
    for person in ctx.spans:
        if (
            person.cls != "Person"
            or person.is_reference
            or not person.title
            or topic is None
            or person.cluster in ctx.state.titled
        ):
            continue
        index = ctx.index_of(person)
        if index < 0 or re.match(r"\s*,?\s*(?:of|at)\b", ctx.masked[index + 1 :]):
            continue
        cls = _title_class(person.title)
        role = _title_role(person.title)
        if cls and cls == topic.cls and role in ("head", "member", "mayor"):
            _add_title(ctx, person, role, person.title.lower(), topic, None, guess=True)


_KEYNOTE = _rx(
    r"\bkeynote(?:\s+(?:speech|address|lecture|talk|presentation|remarks|speaker))?"
    r"\s+(?:at|to|during|for|of|before|on)\s+(?:the\s+)?(?P<e><M>)"
)
_SPOKE = _rx(
    r"\b(?:spoke|speaks|speaking|talked|lectured|presented|presenting|"
    r"(?:gave|delivered|gives|delivers)\s+(?:a|the|his|her)\s+(?:[\w-]+\s+)?(?:speech|talk|presentation|lecture|address))"
    r"(?:\s+[^\s\ue000-\uf7ff,.]+){0,5}?\s+(?:at|to|during|before)\s+(?:the\s+)?(?P<e><M>)"
    r"|\b(?:told|addressed|addressing|addresses|tells)\s+(?:the\s+)?(?P<e2><M>)"
    r"|\b(?:panel(?:l)?ist|speaker|presenter)s?\s+(?:at|of)\s+(?:the\s+)?(?P<e3><M>)"
)


def rule_speakers(ctx: _Ctx) -> None:
    """X gave the keynote (speech) at E; X spoke at E; X told the forum."""
    keynotes: set[tuple[int, int]] = set()
    for m in _KEYNOTE.finditer(ctx.masked):
        event = ctx.span(m.group("e"))
        person = ctx.person_near(m.start())
        if (
            event is not None
            and person is not None
            and _kind(event) == "Event"
            and ctx.add(person, "keynoteSpeakerAt", event, "en.keynote", 0.9)
        ):
            keynotes.add((person.cluster, event.cluster))
    for m in _SPOKE.finditer(ctx.masked):
        event = ctx.span(m.group("e") or m.group("e2") or m.group("e3"))
        person = ctx.person_near(m.start())
        if event is None or person is None or _kind(event) != "Event":
            continue
        if (person.cluster, event.cluster) not in keynotes:
            ctx.add(person, "speakerAt", event, "en.speaker", 0.8)
    # 'Kim delivered the keynote.' with the event named in a sentence before
    bare = _KEYNOTE_BARE.search(ctx.masked)
    if bare and not keynotes and not any(_kind(x) == "Event" for x in ctx.spans):
        ctx.add(ctx.person_near(bare.start()), "keynoteSpeakerAt", ctx.state.last_event, "en.keynote_last_event", 0.7)


_KEYNOTE_BARE = _rx(
    r"\b(?:gave|delivered|gives|delivers|giving|delivering|made)\s+(?:a|the|his|her|their)\s+"
    r"keynote\b"
)


_HELD = _rx(
    r"\b(?:held|hosted|staged|took\s+place|takes\s+place|taking\s+place|opened|opens|kicked\s+off|"
    r"kicks\s+off|convened|convenes|will\s+take\s+place|runs|ran)\s+"
    r"(?:(?:until|through|till|from|to)\s+<V>(?:\s+(?:to|through|until)\s+<V>)?\s+)?"
    r"(?:at|in|on)\s+(?:the\s+)?(?P<v><M>)"
)
_EVENT_VERB = re.compile(
    r"\b(?:held|hosted|host|hosts|staged|took\s+place|takes\s+place|taking\s+place|opened|opens|"
    r"kicked\s+off|kicks\s+off|convened|runs|ran|begins|began|starts|started)\b",
    re.I,
)
_ON_DATE = _rx(r"\b(?:on|from)\s+(?P<d><V>)")


def rule_held(ctx: _Ctx) -> None:
    """E, held at V on DATE; E took place in V."""
    events = set()
    for m in _HELD.finditer(ctx.masked):
        venue = ctx.span(m.group("v"))
        event = ctx.event_near(m.start())
        if venue is None or event is None or venue is event or _kind(venue) not in ("Place", "Organization"):
            continue
        ctx.add(event, "heldAt", venue, "en.held_at", 0.9)
        events.add(id(event))
    verb = _EVENT_VERB.search(ctx.masked)
    if verb is None:
        return
    event = ctx.event_near(verb.start())
    if event is None:
        return
    for m in _ON_DATE.finditer(ctx.masked):
        date = ctx.value(m.group("d"))
        if date is not None and date.kind == "date":
            ctx.add(event, "startDate", date.value, "en.event_date", 0.85)
            ctx.used.add(m.group("d"))
            break


_JOINT = _rx(
    r"\bjoint\s+(?:[\w-]+\s+){0,3}?(?:of|between|by|for|involving)\s+(?P<l><L>)"
    r"|\bjoint\s+(?P<a><M>)\s*[-–]\s*(?P<b><M>)"
    r"|\b(?:co-?|jointly\s+)(?:hosted|organi[sz]ed|sponsored|run|held|staged)\s+by\s+(?P<l2><L>)"
    r"|\bjoint\s+(?:[\w-]+\s+){0,3}?(?:of|between|by|for|involving)\s+(?:the\s+)?(?P<two>two|both)\s+"
    r"(?:governments|countries|nations|sides)\b"
)
_ORGANISED = _rx(
    r"\b(?:(?:co-?|jointly\s+)?(?:hosted|organi[sz]ed|sponsored|staged|convened|put\s+on)|co-?hosted)\s+"
    r"by\s+(?P<l><L>)"
)


def rule_joint_event(ctx: _Ctx) -> None:
    """a joint event of South Korea and Canada; a joint Korea-Germany forum; co-hosted by A and B."""
    for m in _JOINT.finditer(ctx.masked):
        event = ctx.event_near(m.start())
        if m.group("two"):  # 'the third Korea-U.S. Forum, a joint event of the two governments'
            for country in _countries_in_name(ctx, event):
                ctx.add(event, "jointEventOf", country, "en.joint_event_name", 0.8)
            continue
        if m.group("a"):
            members = [s for s in (ctx.span(m.group("a")), ctx.span(m.group("b"))) if s is not None]
        else:
            members = ctx.mentions(m.group("l") or m.group("l2"))
        countries = [s for s in members if s.cls == "Country"]
        if len(countries) < 2 and not m.group("l"):
            continue
        for country in countries:
            ctx.add(event, "jointEventOf", country, "en.joint_event", 0.85)


def _countries_in_name(ctx: _Ctx, event: Span | None) -> list[Span]:
    """The countries a name joins with a hyphen ('Korea-U.S. … Forum'), where the document
    mentions them."""
    if event is None or ctx.state.gazetteer is None:
        return []
    out = []
    for word in re.findall(r"\S+-\S+", event.text):
        parts = [ctx.state.gazetteer.lookup(p) for p in word.split("-")]
        if len(parts) < 2 or not all(p is not None and p.cls == "Country" for p in parts):
            continue
        for entry in parts:
            assert entry is not None
            span = next((x for x in ctx.state.by_cluster.values() if x.key == f"gaz:{entry.id}"), None)
            if span is not None:
                out.append(span)
    return out


_HOSTS = _rx(
    r"\b(?:co-?)?(?:host|hosts|hosted|hosting|stage|stages|staged|staging|organi[sz]e|organi[sz]es|"
    r"organi[sz]ed|organi[sz]ing)\s+"
    r"(?:the\s+|a\s+|an\s+|its\s+|this\s+year['’]s\s+)?(?P<e><M>)(?:\s+with\s+(?P<l><L>))?"
    r"(?:\s+(?:at|in)\s+(?:the\s+)?(?P<v><M>))?"
)


def rule_organiser(ctx: _Ctx) -> None:
    """E, hosted by A; co-hosted by A and B; organised by the ministry; A will host E at V."""
    for m in _HOSTS.finditer(ctx.masked):
        event, venue = ctx.span(m.group("e")), ctx.span(m.group("v"))
        if event is None or _kind(event) != "Event":
            continue
        host = ctx.agent(m.start(), lambda x: _kind(x) == "Organization" or x.cls in cues.AGENT_PLACES)
        ctx.add(event, "organizer", host, "en.hosts", 0.8)
        for partner in ctx.mentions(m.group("l")):  # 'will co-host the summit with KAIST'
            if _kind(partner) == "Organization" or partner.cls in cues.AGENT_PLACES:
                ctx.add(event, "organizer", partner, "en.hosts", 0.8)
        if venue is not None and _kind(venue) in ("Place", "Organization"):
            ctx.add(event, "heldAt", venue, "en.hosts", 0.85)
    for m in _ORGANISED.finditer(ctx.masked):
        event = ctx.event_near(m.start())
        if event is None and re.match(r"\W*(?:It|The\s+event)\b", ctx.masked):
            event = ctx.state.last_event  # 'It was hosted by …' after the event was named
        if event is None:
            continue
        for member in ctx.mentions(m.group("l")):
            if _kind(member) == "Organization" or member.cls in cues.AGENT_PLACES:
                ctx.add(event, "organizer", member, "en.organiser", 0.85)


_DESIGNATION = _rx(
    r"\b(?:designat\w*|nam(?:e|ed|es|ing)|select\w*|chose|choose|chosen|choosing|pick(?:ed|s|ing)?|"
    r"identif\w*|foster(?:s|ed|ing)?|nurtur\w*)\s+(?P<a><L>)\s+as\s+"
    r"(?:(?:one|two|three|four|five|some|part|each)\s+of\s+)?(?:(?:its|their|the|his|her|our|a|an)\s+)?"
    r"(?P<adj>(?:[\w-]+\s+){0,4}?)(?:industr(?:y|ies)|sectors?|fields?)\b"
    r"(?:\s*,?\s+(?:along\s+with|alongside|together\s+with|as\s+well\s+as|in\s+addition\s+to|besides|next\s+to)"
    r"\s+(?P<b><L>))?"
)


def rule_designate(ctx: _Ctx) -> None:
    """Y designated A, B and C as strategic industries; named A as one of its three
    strategic industries, along with B and C."""
    for m in _DESIGNATION.finditer(ctx.masked):
        if not set(m.group("adj").lower().split()) & cues.STRATEGIC_ADJECTIVES:
            continue
        agent = ctx.agent(m.start())
        for item in ctx.mentions(m.group("a")) + ctx.mentions(m.group("b")):
            ctx.add(agent, "designatesStrategicIndustry", item, "en.designate_industry", 0.85)


_FOUNDED = _rx(
    r"\b(?P<verb>founded|established|set\s+up|launched|created|opened|inaugurated|built)\s+"
    r"(?:the\s+|a\s+|an\s+|its\s+)?(?P<x><M>)(?P<rest>(?:\s*,[^,]{0,80},)?\s+in\s+(?P<y><V>))?"
)
_FOUNDED_PASSIVE = _rx(
    r"(?P<x><M>)(?:\s*,\s+(?:a|an|the)\s[^,]{0,80}?,)?\s*,?\s+(?:(?:which|that)\s+)?"
    r"(?:was\s+|were\s+|has\s+been\s+|had\s+been\s+|is\s+)?"
    r"(?:founded|established|set\s+up|launched|created|opened|inaugurated)"
    r"(?:\s+(?:in\s+|on\s+)?(?P<y0><V>))?(?:\s+by\s+(?:the\s+)?(?P<by><M>))?(?:\s+(?:in\s+|on\s+)?(?P<y><V>))?"
)
_YEAR_FIRST = _rx(r"^\W*in\s+(?P<y><V>)\s*,")


def rule_founded(ctx: _Ctx) -> None:
    """Y founded X in 2019; X, founded by Y in 2019; X was established in 2019."""
    for m in _FOUNDED.finditer(ctx.masked):
        thing = ctx.span(m.group("x"))
        if thing is None or _kind(thing) not in ("Organization", "Place") or _is_area(thing):
            continue
        before = ctx.masked[: m.start()]
        if re.search(r"\b(?:to|will|would|shall|plans?|planning|aims?)\s+(?:\w+\s+)?$", before, re.I):
            continue
        agent = ctx.agent(m.start())
        if agent is not None and agent.cluster != thing.cluster:
            ctx.add(thing, "foundedBy", agent, "en.founded", 0.85)
        year = ctx.value(m.group("y"))
        if year is None:
            first = _YEAR_FIRST.match(ctx.masked)
            year = ctx.value(first.group("y")) if first else None
        if year is not None and isinstance(year.value, TimeValue):
            ctx.add(thing, "foundingDate", year.value, "en.founding_year", 0.85)
    for m in _FOUNDED_PASSIVE.finditer(ctx.masked):
        if not (m.group("by") or m.group("y") or m.group("y0")):
            continue
        thing = ctx.span(m.group("x"))
        if thing is None or _kind(thing) not in ("Organization", "Place") or _is_area(thing):
            continue
        ctx.add(thing, "foundedBy", ctx.span(m.group("by")), "en.founded_by", 0.85)
        year = ctx.value(m.group("y") or m.group("y0"))
        if year is not None and isinstance(year.value, TimeValue):
            ctx.add(thing, "foundingDate", year.value, "en.founding_year", 0.85)


_PLAN_MODAL = (
    r"\b(?:plans?|planning|planned|aims?|aiming|intends?|intending|seeks?|seeking|hopes?|is\s+set|are\s+set|"
    r"is\s+pushing|are\s+pushing|pushing|pushes|will|would|wants?|expects?|vows?|vowed|pledged|pledges|"
    r"proposed|proposes|is\s+preparing|prepares|is\s+working)\s+(?:to\s+|ahead\s+with\s+|for\s+)?"
    r"(?:(?:also|jointly|eventually|further|soon)\s+)?"
)
_BUILD_VERBS = (
    r"(?:build(?:ing)?|construct(?:ing)?|creat(?:e|ing)|develop(?:ing)?|set(?:ting)?\s+up|"
    r"establish(?:ing)?|open(?:ing)?|complet(?:e|ing)|erect(?:ing)?|found(?:ing)?|launch(?:ing)?)"
)
_PLANS = _rx(
    _PLAN_MODAL + _BUILD_VERBS + r"\s+(?:the\s+|a\s+|an\s+|its\s+|new\s+)*"
    r"(?:<V>[\s-]+(?:(?-i:[a-z])[\w-]*\s+){0,2})?(?P<x><M>)(?!\s+into\b)"
)
# 'plans to spend $120 million over five years on the Hanbit Austin Design Center'
_SPEND = _rx(
    _PLAN_MODAL + r"(?:spend|spending|invest|investing|pour|pouring|inject|injecting)\s+(?P<v><V>)"
    r"(?:\s*\(\s*(?P<v2><V>)\s*\))?"
    r"(?:\s+(?:(?:over|in|across|during)\s+(?:the\s+)?(?:next\s+)?)?<V>)?\s+(?:on|in|into)\s+"
    r"(?:building\s+|constructing\s+)?(?:the\s+|a\s+|an\s+|its\s+|new\s+)*(?P<x><M>)"
)
_FACILITY_NOUNS = "|".join(
    sorted(
        {n for n, c in cues.APPOSITIVE_NOUNS.items() if c == "Facility"} | cues.PREMISES_NOUNS, key=len, reverse=True
    )
)
# 'Singapore will build a S$350 million robotics testbed in the Punggol Digital District'
_PLANS_UNNAMED = _rx(
    _PLAN_MODAL + _BUILD_VERBS + r"\s+(?:a|an)\s+(?:new\s+)?(?:<V>[\s-]+)?(?:(?:(?-i:[a-z])[\w-]*|<M>)\s+){0,3}?"
    r"(?P<n>" + _FACILITY_NOUNS + r")\b(?:\s+in\s+(?:the\s+)?(?P<y><M>))?"
)
# '… The facility, to be called RoboHub Punggol, will …'
_NAMING = _rx(
    r"\b(?:the|this|that|a|an)\s+(?:new\s+)?(?:(?-i:[a-z])[\w-]*\s+){0,2}?(?P<n>" + _FACILITY_NOUNS + r"|project)"
    r"\s*,?\s+(?:(?:to\s+be|which\s+will\s+be|that\s+will\s+be|tentatively|provisionally)\s+)?"
    r"(?:called|named|dubbed|known\s+as|branded)\s+[\"“]?(?P<x><M>)"
)
_SCHEDULED = _rx(
    r"(?P<x><M>)(?:\s*,[^,]{0,80},|\s*,\s+(?:which|that)\s+[^.;]{0,160}?\s+and"
    r"|\s*,?\s+(?:will|would)\s+[^.;\ue000-\ue7ff]{0,80}?\s+and)?\s+"
    r"(?:will|(?:is|are)\s+(?:scheduled|slated|set|due|expected)\s+to)\s+"
    r"(?:open|be\s+completed|be\s+built|be\s+finished|be\s+ready|launch|be\s+operational|begin\s+operations?)\s+"
    r"(?:(?:in|by)\s+)?(?:the\s+end\s+of\s+)?(?P<y><V>)"
    r"|(?P<x2><M>)(?:\s*,[^,]{0,80},)?\s+(?:is\s+|are\s+)?(?:scheduled|slated|due|set)\s+for\s+completion\s+"
    r"(?:in|by)\s+(?P<y2><V>)"
    r"|(?P<x3><M>)\s*,\s+(?:a|an|the)\s+[^,;\ue000-\ue7ff]{0,80}?\s+(?:scheduled|slated|due|set|expected)\s+to\s+"
    r"(?:open|be\s+completed|be\s+built|be\s+finished|be\s+ready|launch|be\s+operational)\s+(?:in|by)\s+(?P<y3><V>)"
)
_AFTER_THING = _rx(r"(?:\s+in\s+(?:the\s+)?<M>)?\s+(?:in|by)\s+(?P<y><V>)")
_BY_YEAR = _rx(
    r"\bby\s+(?:the\s+end\s+of\s+)?(?P<y><V>)|\b(?:completed|completion|finished|ready|open(?:ed)?)\s+"
    r"(?:in|by)\s+(?P<y2><V>)"
)


def rule_plans(ctx: _Ctx) -> None:
    """Y plans to build X by 2030; Y will build X; Y is pushing to build X."""
    for m in _PLANS.finditer(ctx.masked):
        thing = ctx.span(m.group("x"))
        if thing is None or _kind(thing) not in ("Organization", "Place") or _is_area(thing):
            continue
        ctx.add(thing, "plannedBy", ctx.agent(m.start()), "en.plans_to_build", 0.85)
        _target_year(ctx, thing)
    for m in _SPEND.finditer(ctx.masked):
        thing = ctx.span(m.group("x"))
        if thing is None or thing.cls != "Facility":
            continue
        ctx.add(thing, "plannedBy", ctx.agent(m.start()), "en.spend_on", 0.75)
        for group in ("v", "v2"):  # '500 billion won ($350 million)': both are the sum
            money = ctx.value(m.group(group))
            if (
                money is not None
                and isinstance(money.value, Quantity)
                and len(money.value.unit) == 3
                and money.value.unit.isalpha()
                and money.value.unit not in ("MTK", "KMK", "ANN", "MON")
                and ctx.add(thing, "valuation", money.value, "en.spend_on", 0.75)
            ):
                ctx.used.add(m.group(group))
        _target_year(ctx, thing)
    for m in _PLANS_UNNAMED.finditer(ctx.masked):
        agent = ctx.agent(m.start())
        if agent is not None:
            ctx.state.pending = (agent, ctx.span(m.group("y")), ctx.sentence.index, m.group("n").lower())


def _target_year(ctx: _Ctx, thing: Span) -> None:
    """'by 2030', 'to be completed in 2028', or a time right after the thing planned
    ('complete the Daejeon Bio Valley in September')."""
    index = ctx.index_of(thing)
    after = _AFTER_THING.match(ctx.masked, index + 1) if index >= 0 else None
    if after is not None:
        year = ctx.value(after.group("y"))
        if year is not None and isinstance(year.value, TimeValue) and year.kind != "date":
            ctx.add(thing, "targetDate", year.value, "en.target_year", 0.8)
            return
    for target in _BY_YEAR.finditer(ctx.masked):
        year = ctx.value(target.group("y") or target.group("y2"))
        if year is not None and isinstance(year.value, TimeValue) and year.kind != "date":
            ctx.add(thing, "targetDate", year.value, "en.target_year", 0.85)
            break


def rule_naming(ctx: _Ctx) -> None:
    """'Singapore will build a robotics testbed in Punggol. The facility, to be called
    RoboHub Punggol, …': the name given later is the thing planned before."""
    pending = ctx.state.pending
    if pending is None or ctx.sentence.index - pending[2] > 2:
        return
    for m in _NAMING.finditer(ctx.masked):
        thing = ctx.span(m.group("x"))
        if thing is None or _kind(thing) not in ("Organization", "Place") or _is_area(thing):
            continue
        agent, place, _, _ = pending
        ctx.add(thing, "plannedBy", agent, "en.named_plan", 0.75)
        if place is not None and _kind(place) == "Place":
            ctx.add(thing, "locatedIn", place, "en.named_plan", 0.75)
        _target_year(ctx, thing)
        ctx.state.pending = None
        return


_DEVELOPS = _rx(
    r"\b(?:turn|transform|develop|expand|convert|upgrade|grow|evolve|make|remake|reshape|rebuild)\w*\s+"
    r"(?:the\s+|its\s+)?(?P<a><M>)\s+into\s+(?:a\s+|an\s+|the\s+)?(?P<b><M>)"
    r"|(?P<a2><M>)\s+(?:will\s+be|would\s+be|is\s+being|was|has\s+been|to\s+be|is\s+to\s+be|will)\s+"
    r"(?:turned|transformed|developed|expanded|converted|upgraded|grow|evolve|develop)\s+into\s+"
    r"(?:a\s+|an\s+|the\s+)?(?P<b2><M>)"
)


def rule_scheduled(ctx: _Ctx) -> None:
    """X will open in 2027; X is slated for completion in 2030."""
    for m in _SCHEDULED.finditer(ctx.masked):
        thing = ctx.span(m.group("x") or m.group("x2") or m.group("x3"))
        year = ctx.value(m.group("y") or m.group("y2") or m.group("y3"))
        if (
            thing is None
            or year is None
            or not isinstance(year.value, TimeValue)
            or year.kind == "date"
            or _kind(thing) not in ("Organization", "Place")
            or _is_area(thing)
        ):
            continue
        ctx.add(thing, "targetDate", year.value, "en.scheduled_year", 0.8)


def rule_develops_into(ctx: _Ctx) -> None:
    """turn A into B; A will be transformed into B."""
    for m in _DEVELOPS.finditer(ctx.masked):
        a = ctx.span(m.group("a") or m.group("a2"))
        b = ctx.span(m.group("b") or m.group("b2"))
        if a is not None and b is not None and _kind(a) != "Concept":
            ctx.add(a, "developsInto", b, "en.develops_into", 0.8)


_LOCATED = _rx(
    r"(?P<x><M>)\s*,?\s+(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?)?(?:(?:which|that)\s+is\s+|is\s+|was\s+)?"
    r"(?:located|based|headquartered|situated|sited)\s+(?:in|at|on)\s+(?:the\s+)?(?P<y><M>)"
)
_POSSESSIVE = _rx(r"(?P<y><M>)['’]s\s+(?:(?-i:[a-z])[\w-]*\s+){0,2}?(?P<x><M>)")
_OF_PLACE = _rx(r"(?P<x><M>)\s+of\s+(?P<y><M>)")
_IN_PLACE = _rx(r"(?P<x><M>)\s+in\s+(?:the\s+)?(?P<y><M>)")
_BASED = _rx(
    r"(?P<y><M>)-(?:based|headquartered)\s+(?:[\w-]+\s+){0,2}?(?P<x><M>)"
    r"|(?P<x2><M>)\s*,\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?P<y2><M>)-(?:based|headquartered)\b"
)
# 'the Hanbit Austin Design Center, which will occupy 4,500 square metres in the city's Domain district'
_WHICH_IN = _rx(
    r"(?P<x><M>)\s*,\s+(?:which|that)\s+(?:will\s+|would\s+|is\s+to\s+|is\s+|are\s+)?(?:be\s+)?"
    r"(?:occupy|occupies|cover|covers|span|spans|sit|sits|stand|stands|lie|lies|located|built|housed|set|situated)\s+"
    r"(?:<V>\s+)?(?:in|at|on|inside|within)\s+(?:the\s+)?(?:(?P<z><M>)['’]s\s+|(?-i:[a-z]+)['’]s\s+)?(?P<y><M>)"
)
# 'SIT, whose new campus opened in the district in 2024'
_WHOSE_PREMISES = _rx(
    r"(?P<x><M>)(?:\s*\(\s*<M>\s*\))?\s*,\s+whose\s+(?:[\w-]+\s+){0,2}?(?:"
    + "|".join(sorted(cues.PREMISES_NOUNS))
    + r")\s+(?:(?:is|are|was|were|will\s+be|has\s+been|had\s+been)\s+)?"
    r"(?:located\s+|based\s+|opened\s+|sits\s+|stands\s+|lies\s+|built\s+)?(?:in|at)\s+(?:the\s+)?(?P<y><M>)"
)
_PREMISES_RE = "|".join(sorted(cues.PREMISES_NOUNS, key=len, reverse=True))
# 'Nuri Robotics … will open a regional office in Punggol'
_PREMISES = _rx(
    r"\b(?:open|build|set\s+up|establish|operate|run|launch|maintain|ha(?:s|ve|d))\w*\s+(?:a|an|its|their|the)\s+"
    r"(?:new\s+)?(?:(?:(?:(?-i:[a-z])[\w-]*|<M>)\s+){0,3}?(?:" + _PREMISES_RE + r")\s+(?:in|at)\s+(?:the\s+)?(?P<y><M>)"
    r"|(?:(?-i:[a-z])[\w-]*\s+)?(?P<y2><M>)\s+(?:(?-i:[a-z])[\w-]*\s+)?(?:" + _PREMISES_RE + r")\b)"
)
# 'Taylor, where Samsung Electronics is building a new semiconductor plant'
_WHERE_PREMISES = _rx(
    r"(?P<y><M>)\s*,\s+where\s+(?P<x><M>)\s+(?:[\w-]+\s+){0,3}?(?:a|an|its|their|the)\s+"
    r"(?:(?:(?-i:[a-z])[\w-]*|<M>)\s+){0,3}?(?:" + _PREMISES_RE + r")\b"
)
# 'South Korean robot maker Nuri Robotics'; 'X, a Japanese chipmaker'
_DEMONYM_OF = _rx(
    r"(?P<c><M>)\s+(?:[^\s,.;]+\s+){0,3}?(?:" + _ORG_NOUNS + r")\s+(?P<x><M>)"
    r"|(?P<x2><M>)\s*,\s+(?:a|an|the)\s+(?P<c2><M>)\s+(?:[^\s,.;]+\s+){0,3}?(?:" + _ORG_NOUNS + r")\b"
)
_UNIT_CLASSES = frozenset({"ResearchOrganization", "University", "Facility"})


def rule_located(ctx: _Ctx) -> None:
    """X, located in Y; Y's X; X of Canada; X in Y; a Y-based X."""
    for m in _LOCATED.finditer(ctx.masked):
        ctx.add(ctx.span(m.group("x")), "locatedIn", ctx.span(m.group("y")), "en.located_in", 0.9)
    for m in _BASED.finditer(ctx.masked):
        ctx.add(
            ctx.span(m.group("x") or m.group("x2")),
            "locatedIn",
            ctx.span(m.group("y") or m.group("y2")),
            "en.based_in",
            0.85,
        )
    for m in _WHICH_IN.finditer(ctx.masked):
        x, y, z = ctx.span(m.group("x")), ctx.span(m.group("y")), ctx.span(m.group("z"))
        if x is None or y is None or _kind(y) != "Place" or _kind(x) not in ("Place", "Organization"):
            continue
        ctx.add(x, "locatedIn", y, "en.which_in", 0.8)
        if z is not None and _is_area(z):  # 'in the city's Domain district': in the city too
            ctx.add(x, "locatedIn", z, "en.which_in", 0.75)
    for m in _WHOSE_PREMISES.finditer(ctx.masked):
        x, y = ctx.span(m.group("x")), ctx.span(m.group("y"))
        if x is not None and y is not None and _kind(x) == "Organization" and _kind(y) == "Place":
            ctx.add(x, "locatedIn", y, "en.whose_premises", 0.75)
    for m in _PREMISES.finditer(ctx.masked):
        y = ctx.span(m.group("y")) or ctx.span(m.group("y2"))
        if y is None or _kind(y) != "Place" or (m.group("y2") and not _is_area(y)):
            continue
        agent = ctx.agent(m.start(), lambda a: _kind(a) == "Organization", via_head=False)
        if agent is not None and _kind(agent) == "Organization":
            ctx.add(agent, "locatedIn", y, "en.premises_in", 0.6)
    for m in _WHERE_PREMISES.finditer(ctx.masked):
        x, y = ctx.span(m.group("x")), ctx.span(m.group("y"))
        if x is not None and y is not None and _kind(x) == "Organization" and _kind(y) == "Place":
            ctx.add(x, "locatedIn", y, "en.premises_in", 0.6)
    for m in _DEMONYM_OF.finditer(ctx.masked):
        c, x = ctx.span(m.group("c") or m.group("c2")), ctx.span(m.group("x") or m.group("x2"))
        if c is not None and x is not None and c.rule == "en.demonym" and _kind(x) == "Organization":
            ctx.add(x, "locatedIn", c, "en.nationality", 0.75)
    for pattern, rule, confidence in (
        (_POSSESSIVE, "en.possessive_place", 0.8),
        (_OF_PLACE, "en.of_place", 0.8),
        (_IN_PLACE, "en.in_place", 0.6),
    ):
        for m in pattern.finditer(ctx.masked):
            x, y = ctx.span(m.group("x")), ctx.span(m.group("y"))
            if (
                pattern is _POSSESSIVE
                and x is not None
                and y is not None
                and x.cls in _UNIT_CLASSES
                and _kind(y) == "Organization"
                and y.cls != "Organization"
            ):
                # 'SIT's Centre for Intelligent Robotics', 'the university's lab': a unit at its parent
                ctx.add(x, "locatedIn", y, "en.unit_of", 0.75)
                continue
            if x is None or y is None or not _is_org_or_facility(x) or not _is_area(y):
                continue
            if pattern is _POSSESSIVE and y.cls not in ("Country", "City", "AdministrativeArea"):
                continue
            if pattern is _IN_PLACE and re.search(
                r"\b(?:invest\w*|expand\w*|operat\w*)\s+$", ctx.masked[: m.start()], re.I
            ):
                continue
            ctx.add(x, "locatedIn", y, rule, confidence)


# 'with universities including A and B': the list after its head noun
_LIST_INTRO = r"(?:(?:[\w-]+\s+){0,2}?(?:" + _LIST_NOUNS + r")\s*,?\s+(?:such\s+as|including|like|namely)\s+)?"
_COOPERATE = _rx(
    r"\b(?:cooperat\w*|co-operat\w*|collaborat\w*|partner(?:s|ed|ing)?|work(?:s|ed|ing)?|"
    r"team(?:s|ed|ing)?\s+up|join(?:s|ed|ing)?\s+(?:hands|forces)|ally|allied)\s+(?:closely\s+)?with\s+"
    + _LIST_INTRO
    + r"(?P<l><L>)"
    r"|\b(?:signed|signs|sign|signing|inked|concluded|struck)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:MOU|MoU|memorandum(?:\s+of\s+understanding)?|agreement|pact|deal|partnership|accord)s?"
    r"(?:\s*\(\s*(?:MOU|MoU|MOA)\s*\))?\s+with\s+" + _LIST_INTRO + r"(?P<l2><L>)"
    r"|\b(?:in\s+)?(?:partnership|cooperation|collaboration|alliance)s?\s+with\s+" + _LIST_INTRO + r"(?P<l3><L>)"
    r"|\b(?:(?-i:[a-z])+ed|run|runs|work\w*)\s+(?:together|jointly|in\s+tandem)\s+with\s+"
    + _LIST_INTRO
    + r"(?P<l4><L>)"
)
# 'Hanbit and UT Austin's Cockrell School will run a joint research programme'
_PAIR_COOPERATE = _rx(
    r"(?P<a><M>)\s+and\s+(?:the\s+)?(?:<M>['’]s\s+)?(?P<b><M>)\s+"
    r"(?:(?:will|would|have|has|had|also|jointly|together|then|plans?\s+to|agreed\s+to|to)\s+)*"
    r"(?:signed|sign|signing|inked|agreed|agree|teamed\s+up|team\s+up|partnered|partner|cooperat\w*|"
    r"collaborat\w*|work\w*\s+together|join\w*\s+(?:hands|forces)|"
    r"(?:run|ran|launch|develop|conduct|operate|build|create|set\s+up|establish|open|host|form)\w*\s+(?:a|an)\s+joint)\b"
)


def rule_cooperation(ctx: _Ctx) -> None:
    """Y will cooperate with A, B and C; Y signed an MOU with A: every member cooperates
    with the agent."""
    for m in _COOPERATE.finditer(ctx.masked):
        agent = ctx.agent(m.start(), lambda x: _is_agent(x) or x.cls == "Facility")
        for member in ctx.mentions(m.group("l") or m.group("l2") or m.group("l3") or m.group("l4")):
            if agent is not None and member.cluster != agent.cluster:
                ctx.add(agent, "cooperatesWith", member, "en.cooperation", 0.8)
    for m in _PAIR_COOPERATE.finditer(ctx.masked):
        if re.search(
            r"\b(?:of|at|in|on|to|from|with|by|for|between|among)\s+(?:the\s+)?$", ctx.masked[: m.start()], re.I
        ):
            continue
        a, b = ctx.span(m.group("a")), ctx.span(m.group("b"))
        if a is not None and b is not None and _kind(a) != "Person" and _kind(b) != "Person":
            ctx.add(a, "cooperatesWith", b, "en.pair_cooperation", 0.75)


_ALSO_FROM = r"(?:\s*,?\s+(?:as\s+well\s+as|and(?:\s+also)?|plus)\s+from\s+(?P<l2><L>))?"
_ATTRACT = _rx(
    r"\b(?:attract|recruit|lure|bring|hire|draw|woo|court)\w*\s+(?:[^\s,.]+\s+){0,6}?(?:"
    + _TALENT
    + r"|(?P<v><V>))\s+from\s+(?P<l><L>)"
    + _ALSO_FROM
)
# 'recruiting many of them from Taiwan and India': recruiting is always of people
_RECRUIT = _rx(r"\b(?:recruit|hire|hiring|poach)\w*\s+(?:[^\s,.]+\s+){0,6}?from\s+(?P<l><L>)" + _ALSO_FROM)


def rule_attract_talent(ctx: _Ctx) -> None:
    """attract engineers from Vietnam and India."""
    for m in [*_ATTRACT.finditer(ctx.masked), *_RECRUIT.finditer(ctx.masked)]:
        counted = ctx.value(m.groupdict().get("v"))
        if counted is not None and not (
            isinstance(counted.value, Quantity) and counted.value.unit_text.lower() in cues.TALENT_NOUNS
        ):
            continue
        agent = ctx.agent(m.start())
        for place in ctx.mentions(m.group("l")) + ctx.mentions(m.group("l2")):
            if _kind(place) == "Place":
                ctx.add(agent, "attractsTalentFrom", place, "en.attract_talent", 0.8)


_DATELINE_MASKED = _rx(
    r"^[^\w\ue000-\uf7ff]*(?P<c><M>)(?:\s*,\s+(?P<r><M>))?(?:\s*,\s+<V>)?\s*\(\s*(?P<p><M>)\s*\)\s*[-–—]"
)


def rule_dateline(ctx: _Ctx) -> None:
    """'AUSTIN, Texas, Feb 10 (Asia Tech Wire) -': the city is in the state; the agency
    is the one the journalists of the byline work for."""
    m = _DATELINE_MASKED.match(ctx.masked)
    if m is None:
        return
    city, region, publisher = ctx.span(m.group("c")), ctx.span(m.group("r")), ctx.span(m.group("p"))
    if city is not None and region is not None and _is_area(city) and _is_area(region):
        ctx.add(city, "locatedIn", region, "en.dateline", 0.85)
    if publisher is not None and _kind(publisher) == "Organization":
        ctx.state.publisher = publisher


def rule_byline(ctx: _Ctx) -> None:
    """'(Reporting by Daniel Cho; Editing by Arun Pillai)': they work for the agency."""
    for person in ctx.spans:
        if person.rule == "en.byline":
            ctx.add(person, "affiliatedWith", ctx.state.publisher, "en.byline", 0.8)


def rule_theme(ctx: _Ctx) -> None:
    """under the theme "T"."""
    for ch, item in ctx.items.items():
        if isinstance(item, Span) and item.rule == "en.quoted_theme":
            event = ctx.event_near(ctx.masked.index(ch)) or ctx.state.last_event
            ctx.add(event, "theme", item, "en.theme", 0.8)


def rule_edition(ctx: _Ctx) -> None:
    """the 7th … Summit."""
    for span in ctx.spans:
        if span.edition is not None:
            ctx.add(span, "editionNumber", span.edition, "en.edition", 0.95)


_AREA_PATTERNS = (
    _rx(
        r"(?P<x><M>)\s*,\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:of|covering|spanning|measuring|with)\s+"
        r"(?:about\s+|some\s+|around\s+|nearly\s+|roughly\s+)?(?P<v><V>)"
    ),
    _rx(r"(?P<x><M>)\s*,\s+(?:a|an)\s+(?P<v><V>)"),
    _rx(r"\b(?:a|an|the|its)\s+(?P<v><V>)[\s-]+(?:(?-i:[a-z])[\w-]*\s+){0,3}?(?P<x><M>)"),
    _rx(
        r"(?P<x><M>)\s*,?\s+(?:(?:which|that)\s+)?(?:will\s+|would\s+)?(?:cover(?:s|ing)?|span(?:s|ning)?|measur(?:es|ing)|"
        r"occup(?:y|ies|ying)|sprawl(?:s|ing)?\s+over|with\s+(?:a\s+)?(?:total\s+)?(?:floor\s+)?area\s+of)\s+"
        r"(?:about\s+|some\s+|around\s+|nearly\s+)?(?P<v><V>)"
    ),
)
_PARTICIPATION = (
    _rx(
        r"(?P<v><V>)\s+(?:[\w-]+\s+){0,3}?(?:took\s+part|take\s+part|participated|attended|joined|exhibited|"
        r"gathered|showcased\s+\w+)\s+(?:in|at)?\s*(?:the\s+)?(?P<x><M>)"
    ),
    _rx(
        r"(?P<x><M>)(?:\s*,[^,]{0,120},|\s*,)?\s+(?:(?:is|are|was|were)\s+expected\s+to\s+|will\s+|would\s+|could\s+)?"
        r"(?:drew|draws|draw|attracted|attracts|attract|brought\s+together|bring\s+together|gathered|gather|"
        r"featured|feature|hosted|welcomed|welcome)\s+(?P<v><V>)(?:\s+and\s+(?P<v2><V>))?"
    ),
)
_VALUED = _rx(
    r"\b(?:valued|valuation|worth|market\s+value|market\s+capitali[sz]ation)\s+(?:at\s+|of\s+)?"
    r"(?P<v><V>)"
)
_DURATION_PLACE = _rx(r"\b(?:at|in)\s+(?:the\s+)?(?P<x><M>)")


def rule_quantities(ctx: _Ctx) -> None:
    """a 150,000-square-metre X; more than 150 startups took part in E; valued at 1.2
    trillion won; over the next 10 years; other amounts go to the subject of their clause."""
    for pattern in _AREA_PATTERNS:
        for m in pattern.finditer(ctx.masked):
            thing, value = ctx.span(m.group("x")), ctx.value(m.group("v"))
            if (
                thing is None
                or value is None
                or not isinstance(value.value, Quantity)
                or value.value.unit not in ("MTK", "KMK")
                or _kind(thing) != "Place"
                or m.group("v") in ctx.used
            ):
                continue
            if ctx.add(thing, "floorSize", value.value, "en.floor_size", 0.85):
                ctx.used.add(m.group("v"))
    for pattern in _PARTICIPATION:
        for m in pattern.finditer(ctx.masked):
            for group in ("v", "v2"):
                event, value = ctx.span(m.group("x")), ctx.value(m.groupdict().get(group))
                if (
                    event is None
                    or value is None
                    or _kind(event) != "Event"
                    or not isinstance(value.value, Quantity)
                    or m.group(group) in ctx.used
                ):
                    continue
                if ctx.add(event, "hasQuantity", _measured(ctx, value), "en.participants", 0.8):
                    ctx.used.add(m.group(group))
    for m in _VALUED.finditer(ctx.masked):
        value = ctx.value(m.group("v"))
        if value is None or not isinstance(value.value, Quantity) or m.group("v") in ctx.used:
            continue
        holder = ctx.agent(m.start(), _is_holder, topic=False)
        if holder is not None and _kind(holder) in ("Organization", "Place", "Concept"):
            ctx.add(holder, "valuation", value.value, "en.valuation", 0.8)
            ctx.used.add(m.group("v"))
    for index, ch in enumerate(ctx.masked):
        value = ctx.value(ch)
        if value is None or ch in ctx.used or not isinstance(value.value, Quantity):
            continue
        if value.kind == "duration":
            places = [ctx.span(p.group("x")) for p in _DURATION_PLACE.finditer(ctx.masked[:index])]
            place = next(
                (
                    p
                    for p in reversed(places)
                    if p is not None and (p.cls == "Facility" or p.cls in ("ResearchOrganization", "University"))
                ),
                None,
            )
            holder = place or ctx.agent(index, topic=False)
            ctx.add(holder, "duration", value.value, "en.duration", 0.7)
            continue
        if value.value.unit in ("MTK", "KMK"):
            continue
        holder = ctx.agent(index, _is_holder, topic=False)
        if holder is None or holder.cls == "Person":
            continue
        ctx.add(holder, "hasQuantity", _measured(ctx, value), "en.quantity", 0.7)


def _measured(ctx: _Ctx, value: ValueSpan) -> Quantity:
    """What an amount counts: the noun counted ('150 startups') or the noun the amount
    modifies ('a 300 billion won fund')."""
    quantity = value.value
    assert isinstance(quantity, Quantity)
    if quantity.measured:
        return quantity
    measured = None
    if quantity.unit == "C62":
        measured = quantity.unit_text
    else:
        m = re.match(r"\s+([a-z][\w-]*)", ctx.doc.text[value.end : value.end + 30])
        if m and m.group(1) not in cues.NOT_VERBS and m.group(1) not in cues.GLUE_WORDS:
            measured = m.group(1)
    return Quantity(quantity.amount, quantity.unit, quantity.unit_text, quantity.qualifier, measured)


RULES: tuple[Callable[[_Ctx], None], ...] = (
    rule_dateline,
    rule_byline,
    rule_titles,
    rule_speakers,
    rule_held,
    rule_joint_event,
    rule_organiser,
    rule_designate,
    rule_founded,
    rule_plans,
    rule_naming,
    rule_scheduled,
    rule_develops_into,
    rule_located,
    rule_cooperation,
    rule_attract_talent,
    rule_theme,
    rule_edition,
    rule_quantities,
)


def _statements(doc: Document, reader: _Reader) -> tuple[Statement, ...]:
    by_cluster: dict[int, Span] = {}
    for span in reader.spans:
        if not span.is_reference:
            by_cluster.setdefault(span.cluster, span)
    state = _State(by_cluster, reader.gazetteer)
    per_sentence: dict[int, list[Span]] = {}
    for span in reader.spans:
        per_sentence.setdefault(span.sentence, []).append(span)
    statements: list[Statement] = []
    for s in reader.sents:
        ctx = _Ctx(doc, s.sentence, per_sentence.get(s.sentence.index, []), s.values, state)
        for rule in RULES:
            rule(ctx)
        statements.extend(ctx.out)
        said = ctx.speaker()
        if said is not None:
            state.speaker = said
        subject = ctx.subject()
        if subject is not None:
            if subject.cls == "Person":
                head = state.heads.get(subject.cluster)
                if head is not None:
                    state.topic = by_cluster.get(head, state.topic)
            elif _is_agent(subject):
                state.topic = subject
        events = [x for x in ctx.spans if _kind(x) == "Event"]
        if events:
            state.last_event = events[-1]
    return tuple(statements)


def _clusters(spans: list[Span]) -> None:
    """Number the entities; every mention of one gets the class of its first sure naming."""
    numbers: dict[str, int] = {}
    classes: dict[str, str] = {}
    guesses: dict[str, str] = {}
    for span in spans:
        span.cluster = numbers.setdefault(span.key, len(numbers))
        if not span.is_reference:
            (classes if span.sure else guesses).setdefault(span.key, span.cls)
    for span in spans:
        span.cls = classes.get(span.key) or guesses.get(span.key) or span.cls


def extract_english(doc: Document, gazetteer: Gazetteer) -> Extraction:
    """Mentions, relations and values of one English document."""
    reader = _Reader(doc, gazetteer)
    reader.prepare()
    reader.discover()
    reader.mark()
    _clusters(reader.spans)
    statements = _statements(doc, reader)
    mentions = tuple(
        Mention(
            sentence=s.sentence,
            start=s.start,
            end=s.end,
            text=s.text,
            cls=s.cls,
            rule=s.rule,
            cluster=s.cluster,
            gazetteer_id=s.entry.id if s.entry else None,
            names=tuple(dict.fromkeys(s.names)),
        )
        for s in reader.spans
    )
    return Extraction(doc, tuple(s.sentence for s in reader.sents), mentions, statements)
