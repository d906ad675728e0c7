"""Korean extraction: kiwipiepy morphemes and offsets, then mention and relation rules.

The steps, in order, for one document:

1. :class:`KoreanAnalyzer` splits sentences and tags morphemes (gazetteer names are user
   words, so '서울 AI 허브'-like multi-word names stay whole).
2. :func:`_find_mentions` marks names: single-quoted names, event names (제N회 … 포럼),
   names ending in a kind word (…대학교, …연구원, …부), gazetteer names, Latin names with a
   Korean gloss in parentheses, people (a 2–4 syllable name before a title such as 시장),
   and anaphora (시 → the city last named, 이날 콘퍼런스 → the event last named).
3. :mod:`kg.extract.korean_rules` reads relations and values off each sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from kg.extract import korean_rules
from kg.extract.cues import (
    APPOSITIVE_HEADS,
    BARE_KIND_WORDS,
    COMPANY_APPOSITIVES,
    EVENT_HEADS,
    FACILITY_HEADS,
    GENERIC_MODIFIERS,
    GENERIC_TAILS,
    KIND_SUFFIXES,
    LATIN_KIND_WORDS,
    LIST_HEADS,
    NOT_NAMES,
    QUOTED_HEADS,
    STRONG_SUFFIXES,
    SURNAMES,
    TITLE_WORDS,
)
from kg.extract.spans import Span
from kg.gazetteer import Gazetteer, GazetteerEntry, name_key
from kg.model import Document, Extraction, Mention, Ref, Sentence, Statement
from kg.ontology import top_kind
from kg.script import has_hangul, is_hangul

__all__ = ["KoreanAnalyzer", "Tok", "extract_korean", "leftmost_longest"]


class Tok(NamedTuple):
    """A morpheme as kiwi tagged it. A named tuple, not a frozen dataclass: one is made for
    every morpheme of every document, and a tuple is built twice as fast and read faster."""

    form: str
    tag: str
    start: int
    end: int


@dataclass(frozen=True)
class AnalysedSentence:
    sentence: Sentence
    tokens: tuple[Tok, ...]


class KoreanAnalyzer:
    """kiwipiepy, loaded once per process with the gazetteer's Korean names as user words."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        from kiwipiepy import Kiwi

        self._kiwi = Kiwi(num_workers=1)
        for name in sorted(set(gazetteer.korean_names())):
            self._kiwi.add_user_word(name, "NNP", 0.0)

    def analyse(self, text: str) -> list[AnalysedSentence]:
        raw = self._kiwi.split_into_sents(text, return_tokens=True)
        groups: list[list[Tok]] = []
        for sent in raw:
            toks = [Tok(t.form, t.tag, t.start, t.end) for t in sent.tokens]
            if not toks:
                continue
            # kiwi splits right after a closing quote ('AI 서울 테크시티' | 는 …); a sentence
            # cannot start with a particle or an ending, so such a piece belongs to the last.
            if groups and (toks[0].tag.startswith(("J", "E", "XS", "VCP")) or _closes(toks[0])):
                groups[-1].extend(toks)
            else:
                groups.append(toks)
        sentences = []
        for index, toks in enumerate(groups):
            start, end = toks[0].start, toks[-1].end
            sentences.append(AnalysedSentence(Sentence(index, start, end, text[start:end]), tuple(toks)))
        return sentences


def _closes(tok: Tok) -> bool:
    return tok.tag == "SSC" and tok.form in "'’\"”)"


@cache
def _analyzer(gazetteer: Gazetteer) -> KoreanAnalyzer:
    return KoreanAnalyzer(gazetteer)


# Mentions --------------------------------------------------------------------------------


_SINGLE_QUOTES = {"'": "'", "‘": "’", "’": "’"}
_EDITION = re.compile(r"^제\s*(\d+)\s*(?:회|차)\s*")
_PAREN = re.compile(r"\s*\(([^()]{1,60})\)")
_TITLES = "|".join(sorted(TITLE_WORDS, key=len, reverse=True))
# after a person's name: [the organisation [and up to two words of its department]] and a
# word ending in a title, which must not be a verb (대표했다)
# a word between an organisation and a title: its department or unit (물리학과, 유럽), not a
# word with a particle
_DEPARTMENT = r"[가-힣A-Za-z&]+(?<![은는이가을를의에와도])(?<![^학]과)"
_TITLE_AFTER_NAME = re.compile(
    r"\s+(?:(\S+?)(?:\(\S+?\))?\s+((?:" + _DEPARTMENT + r"\s+){0,2}?))?[가-힣A-Za-z&]*?(" + _TITLES + r")"
    r"(?=[\s(),.은는이가과와의을를도]|$)(?![가-힣]*다)"
)
_MAYOR_OF = re.compile(r"^([가-힣]{1,4}(?:시|군|구|도))(?:장|수|청장|지사)(?:이|은|는|과|와|의|가)?$")
_ACTION_NOUN = re.compile(r"\s+(건립|설립|조성|개최|추진|유치|개소|출범|구축|건설|착공|개관)$")


def _free(spans: list[Span], start: int, end: int) -> bool:
    return all(end <= s.start or start >= s.end for s in spans)


def _add(spans: list[Span], span: Span) -> bool:
    if span.start >= span.end or not _free(spans, span.start, span.end):
        return False
    spans.append(span)
    return True


# suffix -> (its place in KIND_SUFFIXES, class, shortest whole name): a name's own endings
# are looked up instead of testing every suffix in turn
_KIND_BY_SUFFIX = {suffix: (i, cls, min_len) for i, (suffix, cls, min_len) in enumerate(KIND_SUFFIXES)}
_KIND_SUFFIX_LENGTHS = sorted({len(suffix) for suffix in _KIND_BY_SUFFIX})


def _kind_of(name: str) -> str | None:
    """The class a name's last word implies: 한빛대학교 -> University, …연구원 -> ResearchOrganization."""
    compact = name.replace(" ", "")
    if re.search(r"(학부|학과|전공|교실)$", compact):
        return None  # a university's department (전자공학부), not a ministry (…부)
    if compact in NOT_NAMES:
        return None
    # the first suffix of KIND_SUFFIXES the name ends with and is long enough for
    endings = (_KIND_BY_SUFFIX.get(compact[-n:]) for n in _KIND_SUFFIX_LENGTHS if n <= len(compact))
    first = min((e for e in endings if e is not None and len(compact) >= e[2]), default=None)
    return None if first is None else first[1]


_KIND_ENDINGS = tuple(suffix for suffix, _, _ in KIND_SUFFIXES)  # for one endswith test

# kinds whose names are one written word: '경북 구미시' is a city in a province, not a city
_ONE_WORD_CLASSES = frozenset({"Company", "City", "AdministrativeArea"})


def _has_kind_ending(word: str) -> bool:
    """'북구' in '북구 첨단3지구' is a name of its own (a district), not the start of the next."""
    return any(word.endswith(suffix) and len(word) > len(suffix) for suffix, _, _ in KIND_SUFFIXES)


def _strong_name(name: str) -> bool:
    """A one-word name with a telling ending and a specific first part (해성로보틱스,
    미래경제신문), taken as a name even where the tagger calls it a common noun, as kiwi
    does for unknown words right after a quotation mark."""
    if " " in name:
        return False
    for suffix in STRONG_SUFFIXES:
        if name.endswith(suffix):
            prefix = name[: -len(suffix)]
            return len(prefix) >= 2 and prefix not in GENERIC_MODIFIERS and name not in NOT_NAMES
    return False


def _key(cls: str, name: str) -> str:
    """Mentions with one key are one entity. People are keyed apart from other names, so
    that a person and a company of the same name stay two things. An event's edition is
    part of its key (see :func:`_clusters` for the short mentions without one)."""
    kind = "person" if cls == "Person" else "name"
    return f"{kind}:{name_key(name)}"


# titles written against the name of the place whose head they name (서울시장)
_PLACE_TITLES = ("시장", "도지사", "지사", "구청장", "군수", "시의회")

# what may stand before a designated item without belonging to it: the topic ('전주시는'),
# an adverb ('앞서'), a verb of the clause before ('위원회를 열고')
_NOT_AN_ITEM = re.compile(r"^\S+(?:은|는|이|가|도|에서)\s+|^(?:앞서|이미|또|또한|특히|한편)\s+|^\S+(?:고|며)\s+")

# The finders' patterns built from the cue lists, compiled once: joining the lists and
# looking the pattern up in re's cache for every sentence cost more than matching.
_EVENT_NAME = re.compile(
    r"(제\s*\d+\s*회\s*)?((?:[0-9A-Za-z가-힣]+\s){0,4}?[0-9A-Za-z가-힣]*(?:"
    + "|".join(EVENT_HEADS)
    + r"))(?=[^가-힣]|[은는이가을를에의와과도로]|$)"
)
_COMPANY_WORD_BEFORE = re.compile(r"(" + "|".join(COMPANY_APPOSITIVES) + r")\s*$")
_AFTER_COMPANY_WORD = re.compile(
    r"(?:" + "|".join(sorted(COMPANY_APPOSITIVES, key=len, reverse=True)) + r")(?:인|이자)?\s+(?=[가-힣A-Za-z0-9&])"
)
_DESIGNATED_ITEM = r"[가-힣A-Za-z0-9]+(?:\s[가-힣A-Za-z0-9]+)?"
_DESIGNATED = re.compile(
    r"((?:" + _DESIGNATED_ITEM + r"\s*(?:,|와|과|및)\s*)*" + _DESIGNATED_ITEM + r")(?:를|을)\s+"
    r"((?:" + _DESIGNATED_ITEM + r"\s*,\s*)*" + _DESIGNATED_ITEM + r"?(?:와|과)\s*함께\s+)?"
    r"(?:등\s+\d+개\s+\S+)?[^.]{0,24}?(산업|분야|기술)['’\"”]?(?:으로|로)\s*"
    r"(?:추가|새로|신규|공식)?\s*(?:지정|선정)"
)
_LIST = re.compile(
    r"((?:[가-힣A-Za-z0-9]+\s*(?:,|와|과|및)\s*)+[가-힣A-Za-z0-9]+)\s+등\s+"
    r"(?:[가-힣A-Za-z0-9]+\s+){0,3}?(?:[가-힣]*?)(" + "|".join(head for head, _ in LIST_HEADS) + r")"
)
_LIST_CLASSES = dict(LIST_HEADS)
_LOCATED_FACILITY = re.compile(
    r"에\s*(?:마련된|위치한|들어선|자리한|설치된|조성된|문을 연)\s+"
    r"((?:[가-힣A-Za-z0-9]+\s){0,3}[가-힣A-Za-z0-9]*(?:" + "|".join(FACILITY_HEADS) + r"))"
    r"(?=에서|에|은|는|이|가|을|를|의|과|와|\s|$)"
)
_SURNAME_AND_TITLE = re.compile(r"(?<![가-힣])([가-힣])\s+(?:" + _TITLES + r")(?=[은는이가의을를도\s]|$)")
_BARE_KIND = "|".join(BARE_KIND_WORDS)
_KIND_ANAPHOR = re.compile(
    r"(?:(?:이|이번|해당|같은)\s+)?(?<![가-힣])(" + _BARE_KIND + r")(?=은|는|이|가|의\s)"
    r"|(?:이|해당|같은)\s+(" + _BARE_KIND + r")(?=을|를)"
    # '… 규모로 센터를 짓는다': the kind word as what is built
    r"|(?<![가-힣])(" + _BARE_KIND + r")(?=(?:을|를)\s*(?:짓|건립|조성|구축|세우|착공))"
)
_EVENT_ANAPHOR = re.compile(
    r"(?:(?:이날|이번|해당|올해)\s+)?(?<![가-힣])(" + "|".join(EVENT_HEADS) + r")(?=[은는이가의을를에]|\s)"
    r"|(?:이날|이번|해당|올해)\s+(행사)(?=[은는이가의을를에]|\s)"
)
_WORD_BEFORE = re.compile(r"(?<![가-힣])([가-힣]{2,5}) $")  # a word of 2–5 syllables and a space


class _Reader:
    """Finds the mentions of one document, sentence by sentence."""

    def __init__(self, doc: Document, gazetteer: Gazetteer) -> None:
        self.doc = doc
        self.text = doc.text
        self.gazetteer = gazetteer
        self.spans: list[Span] = []  # whole document, in reading order
        self.people: dict[str, Span] = {}  # surname -> last named person

    # each finder adds to `found`, which holds the mentions of the current sentence
    def sentence_mentions(self, sent: AnalysedSentence) -> list[Span]:
        found: list[Span] = []
        self._dateline(sent, found)
        self._quoted(sent, found)
        self._events(sent, found)
        self._located_facilities(sent, found)
        self._glossed_names(sent, found)
        self._cities_by_country(sent, found)
        self._kind_names(sent, found)
        self._gazetteer_names(sent, found)
        self._latin_names(sent, found)
        self._company_appositives(sent, found)
        self._people(sent, found)
        self._designated_industries(sent, found)
        self._list_members(sent, found)
        self._anaphora(sent, found)
        found[:] = [s for s in found if s.rule != "ko.dateline_place"]
        for span in found:
            span.sentence = sent.sentence.index
        found.sort(key=lambda s: s.start)
        self._known_short_forms(found)
        self.spans.extend(found)
        return found

    def _entry_span(self, start: int, end: int, entry: GazetteerEntry, rule: str) -> Span:
        text = self.text[start:end]
        return Span(start, end, text, entry.cls, rule, f"gaz:{entry.id}", entry, [text])

    def _quoted(self, sent: AnalysedSentence, found: list[Span]) -> None:
        toks = sent.tokens
        i = 0
        while i < len(toks):
            tok = toks[i]
            if tok.tag == "SSO" and tok.form in _SINGLE_QUOTES:
                close = next(
                    (j for j in range(i + 1, min(len(toks), i + 60)) if toks[j].tag == "SSC" and toks[j].form in "'’"),
                    None,
                )
                if close is None:
                    i += 1
                    continue
                self._quoted_name(sent, toks[i + 1 : close], found)
                i = close + 1
            else:
                i += 1

    def _quoted_name(self, sent: AnalysedSentence, inner: tuple[Tok, ...], found: list[Span]) -> None:
        if not inner:
            return
        start, end = inner[0].start, inner[-1].end
        raw = self.text[start:end]
        after = self.text[end + 1 : end + 12]
        # a verb without an ending is the tagger splitting a loanword ('얼라이언' + '스'/VV)
        clausal = any(t.tag.startswith(("E", "JKO", "JKS")) for t in inner)
        if re.match(r"\s*(이)?라는\s*주제", after):
            label = _PAREN.sub("", raw).strip()
            gloss = _PAREN.search(raw)
            names = [label] + ([gloss.group(1).strip()] if gloss else [])
            found.append(Span(start, end, raw, "Concept", "ko.quoted_theme", _key("Concept", label), None, names))
            return
        if not re.search(r"[가-힣A-Z]", raw) or re.fullmatch(r"[\d\W_]+", raw):
            return  # '1', 'data-x': no name has neither Hangul nor a capital letter
        if len(_PAREN.sub("", raw)) > 40 or clausal or re.match(r"\s*(으)?로\s*(조성|만들|꾸며|탈바꿈)", after):
            return  # a phrase or a description ('서울 속 AI 산업도시'로 조성된다), not a name
        action = _ACTION_NOUN.search(raw)
        if action:  # a headline's 'AI 서울 테크시티 건립': the name is what is built
            raw = raw[: action.start()]
            end = start + len(raw)
        edition_match = _EDITION.match(raw)
        core = raw[edition_match.end() :] if edition_match else raw
        gloss = _PAREN.search(core)
        label = _PAREN.sub("", core).strip()
        label_with_edition = (edition_match.group(0) if edition_match else "") + label
        entry = self.gazetteer.lookup(label)
        if entry is not None:
            _add(found, self._entry_span(start, end, entry, "ko.quoted_gazetteer"))
            return
        cls, sure = self._class_of_quoted(sent, start, label)
        if edition_match and top_kind(cls) != "Event":
            cls, sure = "Event", True  # '제5차 국가첨단전략산업위원회': a numbered meeting of the body
        span = Span(
            start,
            end,
            raw,
            cls,
            "ko.quoted_name",
            _key(cls, label_with_edition),
            None,
            [label_with_edition.strip(), label] if edition_match else [label],
            sure=sure,
        )
        if edition_match:
            span.edition = int(edition_match.group(1)) or None  # 제0회 is no edition
        if _add(found, span) and gloss and cls in ("Conference", "Event"):
            self._organiser_in_event_name(core, start + (edition_match.end() if edition_match else 0), gloss, found)
        elif gloss:
            span.names.append(gloss.group(1).strip())

    def _organiser_in_event_name(self, core: str, offset: int, gloss: re.Match[str], found: list[Span]) -> None:
        """'ADeKo(한국독일네트워크) 콘퍼런스': the name before the gloss is the organiser."""
        head = core[: gloss.start()].strip()
        if not head or " " in head or not core[gloss.end() :].strip():
            return  # '국제양자기술포럼(IQTF 2026)': a gloss at the end is the event's own short name
        explanation = gloss.group(1).strip()
        entry = self.gazetteer.lookup(head) or self.gazetteer.lookup(explanation)
        cls = entry.cls if entry else (_kind_of(explanation) or "Organization")
        key = f"gaz:{entry.id}" if entry else _key("Organization", head)
        start = offset + core.index(head)
        found.append(Span(start, start + len(head), head, cls, "ko.event_organiser", key, entry, [head, explanation]))

    def _class_of_quoted(self, sent: AnalysedSentence, start: int, label: str) -> tuple[str, bool]:
        """The class of a quoted name, and whether the text says so (an appositive such
        as '지원기관인', or a kind word at the end of the name) or it is a guess."""
        before = self.text[max(sent.sentence.start, start - 25) : start - 1]
        if _COMPANY_WORD_BEFORE.search(before):
            return "Company", True  # '프랑스 위성 제조사 '오르비탈 누아''
        appositive = re.search(r"(\S+?)(?:이|)(?:인|으로서|로서)\s*$", before)
        if appositive:
            for head, cls in APPOSITIVE_HEADS:
                if appositive.group(1).endswith(head):
                    return cls, True
        last = label.split()[-1] if label.split() else label
        for head, cls in QUOTED_HEADS:
            if last.endswith(head):
                return cls, False
        kind = _kind_of(label)
        return (kind, True) if kind else ("Concept", False)

    def _events(self, sent: AnalysedSentence, found: list[Span]) -> None:
        """Unquoted event names: 제5회 부산 해양 포럼, 2025 부산 로봇 박람회."""
        if "회" not in sent.sentence.text:
            return  # only names with an edition (제N회) are taken; the pattern is slow to fail
        for m in _EVENT_NAME.finditer(sent.sentence.text):
            if not m.group(1):
                continue
            start = sent.sentence.start + m.start()
            end = sent.sentence.start + m.end()
            raw = m.group(0)
            label = _EDITION.sub("", raw).strip()
            span = Span(
                start,
                end,
                raw,
                "Conference",
                "ko.event_name",
                _key("Conference", raw),
                None,
                [raw.strip(), label],
            )
            span.edition = int(m.group(1).strip()[1:-1]) or None
            _add(found, span)

    def _cities_by_country(self, sent: AnalysedSentence, found: list[Span]) -> None:
        """'캐나다 워털루에 본사를 둔 …': the unknown word between a country and a seat is a city."""
        offset = sent.sentence.start
        for m in re.finditer(
            r"(?<![가-힣])([가-힣]{2,6}) ([가-힣]{2,8})"
            r"(?=에\s*(?:본사|본부|연구소|공장|법인|지사|사무소)(?:를|을)\s*(?:둔|두고))",
            sent.sentence.text,
        ):
            country = self.gazetteer.lookup(m.group(1))
            start, end = offset + m.start(2), offset + m.end(2)
            if country is None or country.cls != "Country" or self.gazetteer.lookup(m.group(2)) is not None:
                continue
            if _free(found, start, end):
                name = m.group(2)
                _add(found, Span(start, end, name, "City", "ko.city_of_country", _key("City", name), None, [name]))

    def _glossed_names(self, sent: AnalysedSentence, found: list[Span]) -> None:
        """'마리아 코발스카(Maria Kowalska)', '베를린 파트너(Berlin Partner)': Korean words
        transcribing the Latin name in parentheses after them, word for word. The Latin
        name's last word gives an organisation's kind; with no such word it is a person,
        whose transcribed words are no names we know."""
        offset = sent.sentence.start
        text = sent.sentence.text
        for m in re.finditer(r"\(([A-Z][a-zà-ÿ]+(?:[ -][A-Z][A-Za-zà-ÿ]+){1,3})\)", text):
            latin = re.split(r"[ -]", m.group(1))
            spaces = len(latin) - 1
            words = re.search(
                rf"(?<![가-힣A-Za-z0-9])((?:[가-힣]{{1,8}} ){{{spaces}}}[가-힣]{{1,8}})$", text[: m.start()]
            )
            if words is None:
                continue
            start, end = offset + words.start(1), offset + words.end(1)
            korean = words.group(1).split()
            kind = LATIN_KIND_WORDS.get(latin[-1])
            if kind is None and any(word in LATIN_KIND_WORDS for word in latin):
                kind = "Organization"
            while (
                kind is not None
                and len(korean) > 1
                and (self._common_word(sent, start, korean[0]) or self._place_word(korean[0], m.group(1)))
            ):
                start += len(korean.pop(0)) + 1  # '벤처캐피털 노스스타캐피털(Northstar Capital)'
            inside = [t for t in sent.tokens if t.start < end and t.end > start]
            if not inside or any(t.tag not in ("NNP", "NNG") for t in inside) or not _free(found, start, end):
                continue
            if kind is None:
                # the last word may be a one-syllable surname: '레이철 문(Rachel Moon)'
                if (
                    any(w in NOT_NAMES or self.gazetteer.lookup(w) is not None for w in korean)
                    or any(w.endswith(COMPANY_APPOSITIVES) for w in korean)  # '광산업체 노던리튬'
                    or len(korean[0]) < 2
                ):
                    continue
                kind = "Person"
            name = " ".join(korean)
            _add(found, Span(start, end, name, kind, "ko.glossed_name", _key(kind, name), None, [name, m.group(1)]))

    def _place_word(self, word: str, latin: str) -> bool:
        """'미국 퍼듀대(Purdue University)': a known place before a name says where it is,
        unless the Latin name has it too ('베를린 파트너(Berlin Partner)')."""
        entry = self.gazetteer.lookup(word)
        return entry is not None and top_kind(entry.cls) == "Place" and entry.name not in latin

    def _common_word(self, sent: AnalysedSentence, start: int, word: str) -> bool:
        if word in COMPANY_APPOSITIVES or word in NOT_NAMES:
            return True
        inside = [t for t in sent.tokens if start <= t.start < start + len(word)]
        return bool(inside) and all(t.tag == "NNG" for t in inside) and self.gazetteer.lookup(word) is None

    def _kind_names(self, sent: AnalysedSentence, found: list[Span]) -> None:
        """Proper names whose last word gives their kind: 누리대학교, 해양수산부, 미래양자연구원,
        부산 해양 연구소 (a proper noun one space before the rest belongs to the name)."""
        toks = sent.tokens
        for i, tok in enumerate(toks):
            attached_to_name = i > 0 and toks[i - 1].end == tok.start and toks[i - 1].tag in ("NNP", "NNG")
            if not (tok.tag in ("NNP", "NNG") or (tok.tag in ("NNB", "XSN") and attached_to_name)):
                continue  # 텍사스 + 주 (XSN): a suffix written against a name
            if not self.text.endswith(_KIND_ENDINGS, 0, tok.end):
                continue  # the name would end in a kind word (below); most nouns end in none
            if not has_hangul(tok.form):
                continue
            word_start = i  # the written word this noun ends (미래에셋 + 벤처 + 투자)
            while (
                word_start > 0
                and toks[word_start - 1].end == toks[word_start].start
                and toks[word_start - 1].tag in ("NNP", "NNG", "SL", "SN", "MAG", "XPN")
            ):
                word_start -= 1
            compound = self.text[toks[word_start].start : tok.end]
            if compound in NOT_NAMES or compound in TITLE_WORDS or (tok.form in NOT_NAMES and word_start == i):
                continue  # '연구원' alone is a researcher; '한국발효연구원' is a name
            if not compound.endswith(_KIND_ENDINGS):
                continue
            if i + 1 < len(toks) and toks[i + 1].start == tok.end and toks[i + 1].tag in ("NNG", "NNP"):
                continue  # the name goes on: 한빛 + 대학 + 원
            first = i
            while (
                first > 0
                and toks[first - 1].tag in ("NNP", "NNG", "SL", "SN", "MAG", "XPN")
                and (
                    toks[first - 1].end == toks[first].start
                    or (
                        toks[first - 1].tag == "NNP"
                        and toks[first].start - toks[first - 1].end == 1
                        and self._may_start_a_name(self._word_ending_at(toks, first - 1))
                    )
                )
            ):
                first -= 1
            start, end = toks[first].start, tok.end
            name = self.text[start:end]
            cls = _kind_of(name)
            if cls is None or (" " in name and cls in _ONE_WORD_CLASSES):
                continue
            entry = self.gazetteer.lookup(name)
            if entry is None and name.endswith("시"):  # 베를린시: the city 베를린
                entry = self.gazetteer.lookup(name[:-1])
                entry = entry if entry is not None and entry.cls == "City" else None
            if entry is not None:
                _add(found, self._entry_span(start, end, entry, "ko.gazetteer"))
                continue
            if self._inside_known_name(start, end):
                continue
            chain = toks[first : i + 1]
            if len(chain) == 1 and self.gazetteer.lookup(tok.form) is not None:
                continue
            if not (any(t.tag in ("NNP", "SL") for t in chain) or cls == "GovernmentBody" or _strong_name(name)):
                continue
            _add(found, Span(start, end, name, cls, "ko.kind_suffix", _key(cls, name), None, [name]))

    def _word_ending_at(self, toks: tuple[Tok, ...], index: int) -> str:
        """The written word (tokens with no space between) that ends with token ``index``."""
        start = index
        while (
            start > 0
            and toks[start - 1].end == toks[start].start
            and not (toks[start - 1].tag.startswith("S") and toks[start - 1].tag not in ("SL", "SN", "SH"))
        ):
            start -= 1  # a quotation mark or bracket before the word is not part of it
        return self.text[toks[start].start : toks[index].end]

    def _may_start_a_name(self, word: str) -> bool:
        """Whether the word before a kind name can be its first part: not a person's name,
        not a name already known, not a name of its own kind ('부산 해양 연구소' yes,
        '박준혁 경북대' or '북구 첨단3지구' no)."""
        return len(word) >= 2 and not (
            self._names_someone(word) or self.gazetteer.lookup(word) is not None or _has_kind_ending(word)
        )

    def _names_someone(self, word: str) -> bool:
        entry = self.gazetteer.lookup(word)
        return (entry is not None and entry.cls == "Person") or (
            entry is None and 2 <= len(word) <= 4 and self._plausible_name(word)
        )

    def _gazetteer_names(self, sent: AnalysedSentence, found: list[Span]) -> None:
        toks = sent.tokens
        # a run of tokens naming an entry holds no particle, ending or punctuation: runs
        # stop before the first such token
        stops = [i for i, t in enumerate(toks) if t.tag.startswith(("J", "E", "S")) and t.tag not in ("SL", "SN", "SH")]
        stops.append(len(toks))
        next_stop = 0
        i = 0
        while i < len(toks):
            while stops[next_stop] < i:
                next_stop += 1
            matched = False
            # longest run of up to 4 tokens that names a gazetteer entry
            for j in range(min(stops[next_stop], i + 4), i, -1):
                start, end = toks[i].start, toks[j - 1].end
                if self._inside_latin_name(toks, i, j):
                    continue  # 'Tsing Hua University' inside 'National Tsing Hua University'
                entry = self.gazetteer.lookup(self.text[start:end])
                if entry is not None:
                    end, entry = self._longest_entry(start, end, entry)
                if entry is not None and self._whole_word(start, end) and not self._inside_known_name(start, end):
                    _add(found, self._entry_span(start, end, entry, "ko.gazetteer"))
                    i = j
                    matched = True
                    break
            if not matched:
                self._title_compound(toks[i], found)
                i += 1

    def _inside_latin_name(self, toks: tuple[Tok, ...], i: int, j: int) -> bool:
        """Whether tokens ``i:j`` are Latin words inside a longer Latin name."""
        if toks[i].tag != "SL":
            return False
        before = i > 0 and toks[i - 1].tag == "SL" and self.text[toks[i - 1].end : toks[i].start] == " "
        after = j < len(toks) and toks[j].tag == "SL" and self.text[toks[j - 1].end : toks[j].start] == " "
        return before or after

    def _longest_entry(self, start: int, end: int, entry: GazetteerEntry) -> tuple[int, GazetteerEntry]:
        """'우주항공청장' read as 우주항공 + 청장: the longest known name the written word starts
        with (우주항공청), whatever the tagger's split."""
        word_end = end
        while word_end < len(self.text) and is_hangul(self.text[word_end]):
            word_end += 1
        for stop in range(word_end, end, -1):
            longer = self.gazetteer.lookup(self.text[start:stop])
            if longer is not None:
                return stop, longer
        return end, entry

    def _inside_known_name(self, start: int, end: int) -> bool:
        """'소프트뱅크벤처스 파트너' after '소프트뱅크벤처스' was read: the shorter name inside
        (소프트뱅크, 소프트뱅크벤처) is no name here; the later reading marks the longer one."""
        return any(
            len(n) > end - start and self.text.startswith(n, start)
            for s in self.spans
            if s.entry is None
            for n in s.names
        )

    def _whole_word(self, start: int, end: int) -> bool:
        """A match must not start inside a word: '인도' in '동남아인도' is no India."""
        return start == 0 or not is_hangul(self.text[start - 1]) or self.text[start - 1] in "의과와"

    def _title_compound(self, tok: Tok, found: list[Span]) -> None:
        """서울시장 -> 서울 (the city) + 시장; 우주항공청장 -> 우주항공청 + 청장: the title the
        person rule reads later, and the place or body it is the title of."""
        if not tok.form.endswith((*_PLACE_TITLES, "장")):
            return  # most words: checked first, as every token the gazetteer did not name comes here
        for title in _PLACE_TITLES:
            if tok.form.endswith(title) and len(tok.form) > len(title):
                place = tok.form[: -len(title)]
                entry = self.gazetteer.lookup(place) or self.gazetteer.lookup(place + "시")
                if entry is not None:
                    _add(found, self._entry_span(tok.start, tok.start + len(place), entry, "ko.title_compound"))
                return
        if tok.form.endswith("장") and len(tok.form) > 3:
            body = tok.form[:-1]  # 우주항공청장, 특허청장, 과기정통부장관 is written apart
            entry = self.gazetteer.lookup(body)
            if entry is not None and top_kind(entry.cls) == "Organization":
                _add(found, self._entry_span(tok.start, tok.start + len(body), entry, "ko.title_compound"))

    def _latin_names(self, sent: AnalysedSentence, found: list[Span]) -> None:
        """Latin names: a gazetteer name (MS, KAIST); an unknown one glossed in Korean in
        parentheses (FuriosaAI(퓨리오사에이아이)); a Latin name in parentheses after a name
        is its alias (마이크로소프트(MS), 국립디지털과학기술연구소(Inria)); a Latin company
        prefix written against a Korean word (LG이노텍)."""
        text = sent.sentence.text
        handled: list[tuple[int, int]] = []
        for m in re.finditer(r"\(([A-Z][A-Za-z0-9&.,'’\- ]{1,60}[A-Za-z0-9.])\)", text):
            named = next((s for s in found if s.end == sent.sentence.start + m.start()), None)
            if named is not None and " " in m.group(1):  # 주한미국상공회의소(AMCHAM Korea)
                if named.entry is None:
                    named.names.append(m.group(1))
                handled.append((sent.sentence.start + m.start(), sent.sentence.start + m.end()))
        for m in re.finditer(r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9&.-]*[A-Za-z0-9])(?:\(([^()]{2,30})\))?", text):
            if any(a <= sent.sentence.start + m.start(1) < b for a, b in handled):
                continue
            start = sent.sentence.start + m.start(1)
            end = sent.sentence.start + m.end(1)
            if not _free(found, start, end):
                continue
            if m.start(1) > 0 and text[m.start(1) - 1] == "(":
                named = next((s for s in found if s.end == start - 1), None)
                if named is not None:  # 마이크로소프트(MS): the same thing's other name
                    if named.entry is None:
                        self._alias_of(named, m.group(1), found)
                    continue
            entry = self.gazetteer.lookup(m.group(1))
            if entry is not None:
                _add(found, self._entry_span(start, end, entry, "ko.latin_gazetteer"))
                continue
            gloss = m.group(2)
            if gloss and has_hangul(gloss):
                cls = _kind_of(gloss) or "Organization"
                _add(
                    found,
                    Span(
                        start,
                        end,
                        m.group(1),
                        cls,
                        "ko.latin_glossed",
                        _key(cls, m.group(1)),
                        None,
                        [m.group(1), gloss.strip()],
                    ),
                )
                continue
            kind_before = re.search(
                r"(대학|전문대학|대학교|연구소|연구기관|기업|스타트업|제조사|기관)\s+$", text[: m.start(1)]
            )
            if kind_before is not None and not m.group(2):  # '항공우주 전문대학 ISAE-SUPAERO'
                cls = {
                    "연구소": "ResearchOrganization",
                    "연구기관": "ResearchOrganization",
                    "기업": "Company",
                    "스타트업": "Company",
                    "제조사": "Company",
                    "기관": "Organization",
                }.get(kind_before.group(1), "University")
                _add(
                    found,
                    Span(start, end, m.group(1), cls, "ko.latin_after_kind", _key(cls, m.group(1)), None, [m.group(1)]),
                )
                continue
            mixed = re.match(r"[가-힣]+", text[m.end(1) :])
            if mixed and m.group(1).isupper() and len(m.group(1)) <= 4 and not m.group(2):
                self._mixed_name(sent, m.start(1), found)
        # 구미코(GUMICO), 매사추세츠종합병원(MGH): a Korean name with its Latin short form
        for m in re.finditer(r"(?<![가-힣0-9.])([가-힣][가-힣·]{1,20})\(([A-Z][A-Za-z0-9&.\- ]{1,30})\)", text):
            start = sent.sentence.start + m.start(1)
            end = start + len(m.group(1))
            if not _free(found, start, end):
                continue
            after = text[m.end() : m.end() + 50]
            kind = _kind_of(m.group(1)) or ("Facility" if re.match(r"\s*에서\s.{0,40}?(열|개최|개막)", after) else None)
            if kind is not None:
                _add(
                    found,
                    Span(
                        start,
                        end,
                        m.group(1),
                        kind,
                        "ko.korean_with_latin",
                        _key(kind, m.group(1)),
                        None,
                        [m.group(1), m.group(2)],
                    ),
                )

    def _known_short_forms(self, found: list[Span]) -> None:
        """'매사추세츠공과대(MIT)': a new name glossed with a known one is the known entity."""
        for i, (named, gloss) in enumerate(itertools.pairwise(found)):
            if (
                named.entry is None
                and not named.is_anaphor
                and gloss.entry is not None
                and self.text[named.end : gloss.start] == "("
                and self.text[gloss.end : gloss.end + 1] == ")"
                and top_kind(gloss.entry.cls) == top_kind(named.cls)
            ):
                found[i] = self._entry_span(named.start, named.end, gloss.entry, named.rule)

    def _alias_of(self, named: Span, alias: str, found: list[Span]) -> None:
        """'매사추세츠공과대(MIT)': a known short form names the gazetteer's entry, not a new one."""
        entry = self.gazetteer.lookup(alias)
        if entry is not None and top_kind(entry.cls) == top_kind(named.cls):
            found[found.index(named)] = self._entry_span(named.start, named.end, entry, named.rule)
        else:
            named.names.append(alias)

    def _mixed_name(self, sent: AnalysedSentence, offset: int, found: list[Span]) -> None:
        """LG이노텍, CJ제일제당: a company, unless the Korean part is a common word (AI산업)."""
        start = sent.sentence.start + offset
        toks = [t for t in sent.tokens if t.start >= start]
        end = toks[0].end
        for tok in toks[1:]:
            if tok.start != end or tok.tag not in ("NNG", "NNP"):
                break
            end = tok.end
        name = self.text[start:end]
        korean = re.sub(r"^[A-Za-z0-9&]+", "", name)
        if not korean or korean in GENERIC_TAILS or not _free(found, start, end):
            return
        entry = self.gazetteer.lookup(name)
        if entry is not None:
            _add(found, self._entry_span(start, end, entry, "ko.gazetteer"))
            return
        building = re.search(r"(관|동|타워|빌딩|홀|센터|캠퍼스)$", korean)
        cls = _kind_of(name) or ("Facility" if building else "Company")
        _add(found, Span(start, end, name, cls, "ko.mixed_name", _key(cls, name), None, [name]))

    def _company_appositives(self, sent: AnalysedSentence, found: list[Span]) -> None:
        """'바이오 스타트업 시냅티카가': an unknown proper noun right after a word for a kind of
        company is a company. The name ends where the tagger's nouns end, not at the first
        syllable that looks like a particle (세이프메이슨이: not 세이프메 + 이)."""
        offset = sent.sentence.start
        for m in _AFTER_COMPANY_WORD.finditer(sent.sentence.text):
            start = offset + m.end()
            inside: list[Tok] = []
            for tok in sent.tokens:
                if tok.start < start:
                    continue
                if tok.start != (inside[-1].end if inside else start):
                    break
                if tok.tag not in ("NNP", "NNG", "SL", "SN", "MAG"):
                    break
                inside.append(tok)
            if not inside:
                continue
            end = inside[-1].end
            name = self.text[start:end]
            following = self.text[end : end + 1]
            # one common-noun token of four syllables or more is an unknown name the tagger
            # guessed as common ('제조사 노르드하울과')
            proper = any(t.tag in ("NNP", "SL") for t in inside) or len(inside) >= 2 or len(inside[0].form) >= 4
            if not (2 <= len(name) <= 15 and proper) or name[0].isdigit() or name in NOT_NAMES:
                continue
            if following and not (following.isspace() or following in ",(" or is_hangul(following)):
                continue
            if re.match(r"인\s|이자\s", self.text[end : end + 3]) and all(t.tag == "NNG" for t in inside):
                continue  # '스타트업 지원기관인 …': a description, not a name
            if not _free(found, start, end) or self.gazetteer.lookup(name) is not None:
                continue
            names = [name]
            alias = re.match(r"\(([A-Z][A-Za-z0-9&.\- ]{1,40}[A-Za-z0-9.])\)", self.text[end:])
            if alias:  # 세이프메이슨(SafeMason)
                names.append(alias.group(1))
            _add(found, Span(start, end, name, "Company", "ko.company_appositive", _key("Company", name), None, names))

    def _dateline(self, sent: AnalysedSentence, found: list[Span]) -> None:
        """'(구미=매일테크뉴스) 김정우 기자 =': the publisher is an organisation; the city only
        says where the report was filed, so it is no mention (it is masked here)."""
        m = re.match(r"\s*\(([가-힣]+)\s*=\s*([^()=]{2,20})\)", sent.sentence.text)
        if m is None:
            return
        start = sent.sentence.start + m.start(1)
        found.append(Span(start, start + len(m.group(1)), m.group(1), "Place", "ko.dateline_place", "", None, []))
        pstart = sent.sentence.start + m.start(2)
        publisher = m.group(2).strip()
        _add(
            found,
            Span(
                pstart,
                pstart + len(publisher),
                publisher,
                "Company",
                "ko.dateline_publisher",
                _key("Company", publisher),
                None,
                [publisher],
            ),
        )

    def _people(self, sent: AnalysedSentence, found: list[Span]) -> None:
        """A 2–4 syllable Korean name with a title after it: 성재용 기자, 김하늘 한빛로보틱스
        대표, 박서준 부산시장, 이현정 서울대 의대 신경과학교실 교수, 최윤석 LG이노텍
        기판소재사업부장. Between the name and the title stands nothing, or a name already
        found (the organisation or place) and up to two words (its department)."""
        text = sent.sentence.text
        proper = {t.start - sent.sentence.start for t in sent.tokens if t.tag == "NNP"}
        for word in re.finditer(r"(?<![가-힣])[가-힣]{2,4}(?=\s)", text):
            # the title first: most words have none after them, and the other tests cost more
            title = _TITLE_AFTER_NAME.match(text, word.end())
            if title is None:
                continue
            name = word.group(0)
            start = sent.sentence.start + word.start()
            end = start + len(name)
            if not _free(found, start, end):
                continue
            if not self._plausible_name(name) and self._foreign_given_name(sent, start, name, found)[1] == name:
                continue  # neither a Korean name nor the second half of a foreign one
            if any(t.start < end and t.end > start and t.tag.startswith(("J", "E", "V", "XS")) for t in sent.tokens):
                continue  # '경영은', '주도한': a word with an ending is no name
            middle = title.group(1)
            if middle is None:
                title_word = text[word.end() :].split()[0]
                if _MAYOR_OF.match(title_word):  # 서민아 가온시장: the title names the city
                    self._city_of_title(end + 1, title_word, found)
                elif self._body_of_title(end + 1, title_word, title.group(3), found):
                    pass  # 윤영빈 우주항공청장: the body whose head the title names
                elif title.group(3) == "시장" and word.start() not in proper:
                    # '시장' alone is also 'market' (부동산 시장): a bare name before it must
                    # be one the tagger knows as proper
                    continue
            else:
                middle_start = end + 1
                # the word after the name is a name we hold, or an unknown city with its
                # mayor's title (가온시장)
                city = _MAYOR_OF.match(middle)
                acronym = re.fullmatch(r"[A-Z][A-Z0-9&-]{1,9}", middle)
                if _free(found, middle_start, middle_start + 1) and acronym:
                    # 'X CNES 국제협력국장': an acronym between a name and a title is an organisation
                    _add(
                        found,
                        Span(
                            middle_start,
                            middle_start + len(middle),
                            middle,
                            "Organization",
                            "ko.acronym_before_title",
                            _key("Organization", middle),
                            None,
                            [middle],
                        ),
                    )
                known = next((s for s in self.spans if middle in s.names), None)
                if known is not None and _free(found, middle_start, middle_start + len(middle)):
                    # '이준호 소프트뱅크벤처스 파트너': a name read in an earlier sentence
                    _add(
                        found,
                        Span(
                            middle_start,
                            middle_start + len(middle),
                            middle,
                            known.cls,
                            "ko.same_name",
                            known.key,
                            known.entry,
                            [middle],
                        ),
                    )
                if _free(found, middle_start, middle_start + 1) and not city:
                    continue
                if city:
                    self._city_of_title(middle_start, middle, found)
            entry = self.gazetteer.lookup(name)
            if entry is not None:
                _add(found, self._entry_span(start, end, entry, "ko.person_title"))
                continue
            start, name = self._foreign_given_name(sent, start, name, found)
            span = Span(start, end, name, "Person", "ko.person_title", _key("Person", name), None, [name])
            if _add(found, span):
                self.people[name[0]] = span
        for span in found:
            if span.cls == "Person":
                self.people[span.text[0]] = span

    def _designated_industries(self, sent: AnalysedSentence, found: list[Span]) -> None:
        """The members of 'A를 B, C와 함께 … 산업으로 지정' and 'A와 B, C를 … 전략기술로 지정'
        are industries or technologies, named or not; a member may be two words (해양
        모빌리티), which then wins over the known word inside it."""
        text = sent.sentence.text
        if "지정" not in text and "선정" not in text:
            return  # the pattern ends in one of them, and is slow to fail
        for m in _DESIGNATED.finditer(text):
            cls = "Technology" if m.group(3) == "기술" else "Industry"
            for group in (1, 2):
                if not m.group(group):
                    continue
                items_text = re.sub(r"(?:와|과)\s*함께\s*$", "", m.group(group))
                offset = sent.sentence.start + m.start(group)
                for part in re.finditer(r"[^,·]+", items_text):
                    for piece in re.split(r"(?<=[가-힣A-Za-z0-9])(?:와|과|및)\s+", part.group(0)):
                        word = piece.strip()
                        # '전주시는 식품산업과 …': the topic before the first member is none
                        word = re.sub(_NOT_AN_ITEM, "", word)
                        piece = piece[piece.index(word) :] if word in piece else piece
                        if len(word) < 2 or word == "및":
                            continue
                        start = offset + part.start() + part.group(0).index(piece) + piece.index(word)
                        self._designated(found, start, word, cls)

    def _designated(self, found: list[Span], start: int, word: str, cls: str) -> None:
        end = start + len(word)
        entry = self.gazetteer.lookup(word)
        inside = [s for s in found if start <= s.start and s.end <= end]
        if entry is None and " " in word and inside and all(s.entry is not None for s in inside):
            for span in inside:  # '해양 모빌리티' rather than '모빌리티'
                found.remove(span)
        if not _free(found, start, end):
            return
        if entry is not None:
            _add(found, self._entry_span(start, end, entry, "ko.gazetteer"))
        else:
            _add(found, Span(start, end, word, cls, "ko.designated_industry", _key(cls, word), None, [word]))

    def _list_members(self, sent: AnalysedSentence, found: list[Span]) -> None:
        """'베트남, 인도네시아 등 아시아 국가': the noun after 등 says what the unknown proper
        nouns of the list are."""
        text = sent.sentence.text
        if "등" not in text:
            return  # the pattern needs it, and is slow to fail
        proper = {t.start for t in sent.tokens if t.tag == "NNP"}
        for m in _LIST.finditer(text):
            cls = _LIST_CLASSES[m.group(2)]
            offset = sent.sentence.start + m.start(1)
            items = [
                (offset + i.start(), re.sub(r"(와|과)$", "", i.group(0)))
                for i in re.finditer(r"[가-힣A-Za-z0-9]+", m.group(1))
            ]
            # a list holding a known name is a list of names, whatever the tagger says
            named_list = any(not _free(found, start, start + len(word)) for start, word in items)
            for start, word in items:
                if (
                    word == "및"
                    or len(word) < 2
                    or word in NOT_NAMES
                    or word.endswith("들")
                    or any(word.endswith(head) for head, _ in LIST_HEADS)
                    or not _free(found, start, start + len(word))
                ):
                    continue
                if start not in proper and not named_list:
                    continue
                _add(
                    found,
                    Span(start, start + len(word), word, cls, "ko.list_member", _key(cls, word), None, [word]),
                )

    def _located_facilities(self, sent: AnalysedSentence, found: list[Span]) -> None:
        """'X'에 마련된 글로벌 AI 연구거점: a facility named by what it is, where it is."""
        for m in _LOCATED_FACILITY.finditer(sent.sentence.text):
            start = sent.sentence.start + m.start(1)
            end = start + len(m.group(1))
            name = m.group(1)
            _add(
                found,
                Span(start, end, name, "Facility", "ko.located_facility", _key("Facility", name), None, [name]),
            )

    def names_again(self, analysed: list[AnalysedSentence], per_sentence: list[list[Span]]) -> None:
        """A name found once is a name everywhere in the document: mark its other
        occurrences that the first reading passed over (가온시 named as 가온시장's city,
        then written alone)."""
        known: dict[str, Span] = {}
        for span in self.spans:
            if span.entry is None and not span.is_anaphor and span.rule != "ko.quoted_theme":
                for name in span.names:
                    if len(name) >= 2:
                        known.setdefault(name, span)
        if not known:
            return
        for sent, found in zip(analysed, per_sentence, strict=True):
            for position, name in leftmost_longest(sent.sentence.text, known):
                start = sent.sentence.start + position
                end = start + len(name)
                if start > 0 and is_hangul(self.text[start - 1]):
                    continue
                if _free(found, start, end):
                    model = known[name]
                    span = Span(
                        start,
                        end,
                        name,
                        model.cls,
                        "ko.same_name",
                        model.key,
                        None,
                        [name],
                        sentence=sent.sentence.index,
                    )
                    found.append(span)
                    found.sort(key=lambda s: s.start)
                    self.spans.append(span)
        self.spans.sort(key=lambda s: s.start)

    def _body_of_title(self, start: int, word: str, title: str, found: list[Span]) -> bool:
        """'우주항공청장' is the head (청장) of 우주항공청: mark the body inside the title word."""
        position = word.find(title)
        for body in (word[: position + 1], word[:position]):
            entry = self.gazetteer.lookup(body) if len(body) >= 2 else None
            if entry is not None and top_kind(entry.cls) == "Organization" and _free(found, start, start + len(body)):
                _add(found, self._entry_span(start, start + len(body), entry, "ko.title_compound"))
                return True
        return False

    def _city_of_title(self, start: int, word: str, found: list[Span]) -> None:
        """가온시장 -> the city 가온시; 해람군수 -> the county 해람군."""
        m = _MAYOR_OF.match(word)
        if m is None or not _free(found, start, start + len(m.group(1))):
            return
        place = m.group(1)
        cls = "City" if place.endswith("시") else "AdministrativeArea"
        _add(
            found,
            Span(start, start + len(place), place, cls, "ko.title_place", _key(cls, place), None, [place]),
        )

    def _foreign_given_name(self, sent: AnalysedSentence, start: int, name: str, found: list[Span]) -> tuple[int, str]:
        """다카시마 소이치로 시장: a foreign name is written in two words, and the word before
        what looked like a Korean name is its first part when it cannot start a Korean
        name itself."""
        offset = sent.sentence.start
        # the word can start no earlier than 6 characters back: search only there, not the
        # whole sentence before the name (the lookbehind still sees the character before)
        before = _WORD_BEFORE.search(sent.sentence.text, max(0, start - offset - 6), start - offset)
        if before is None:
            return start, name
        first = before.group(1)
        first_start = offset + before.start(1)
        first_end = first_start + len(first)
        if any(t.start < first_end and t.end > first_start and t.tag != "NNP" for t in sent.tokens):
            return start, name  # '출신인 정태윤', '나선 윤하린': the word before is no name
        if self._plausible_name(first) and len(first) <= 3 and self._plausible_name(name):
            return start, name  # two Korean names side by side; '마리 르클레르' is one foreign name
        if not _free(found, first_start, first_start + len(first)) or first in NOT_NAMES:
            return start, name
        if self.gazetteer.lookup(first) is not None:
            return start, name
        return first_start, f"{first} {name}"

    def _plausible_name(self, name: str) -> bool:
        return (name[0] in SURNAMES or name[:2] in SURNAMES) and name not in NOT_NAMES

    def _anaphora(self, sent: AnalysedSentence, found: list[Span]) -> None:
        text = sent.sentence.text
        # 오 시장: a surname and a title point back to the person named before
        for m in _SURNAME_AND_TITLE.finditer(text):
            person = self.people.get(m.group(1))
            start = sent.sentence.start + m.start(1)
            if person is not None:
                self._refer(found, start, start + 1, person, "ko.anaphor_title")
        # 시는 / 시가 / 시의: the city the text is about
        for m in re.finditer(r"(?<![가-힣])(시|도)(?=는|가|의|도|에서|에|와|과\s)", text):
            start = sent.sentence.start + m.start(1)
            wanted = ("City",) if m.group(1) == "시" else ("AdministrativeArea",)
            antecedent = self._main(wanted)
            if antecedent is not None:
                self._refer(found, start, start + 1, antecedent, "ko.anaphor_place")
        # 센터는 / 연구소가: a bare kind word as subject points back to the last name ending in it
        for m in _KIND_ANAPHOR.finditer(text):
            group = next(g for g in (1, 2, 3) if m.group(g))
            start = sent.sentence.start + m.start(group)
            head = m.group(group)
            antecedent = next(
                (
                    s
                    for s in reversed(self.spans + found)
                    if not s.is_anaphor and s.start < start and s.names[0].replace(" ", "").endswith(head)
                ),
                None,
            )
            if antecedent is not None:
                self._refer(found, start, start + len(head), antecedent, "ko.anaphor_kind")
        # 이날 콘퍼런스 / 이번 포럼 / 콘퍼런스는 / 이번 행사: the event named before
        for m in _EVENT_ANAPHOR.finditer(text):
            group = 1 if m.group(1) else 2
            start = sent.sentence.start + m.start(group)
            antecedent = self._last(("Conference", "Event"))
            if antecedent is not None:
                self._refer(found, start, start + len(m.group(group)), antecedent, "ko.anaphor_event")

    def _refer(self, found: list[Span], start: int, end: int, antecedent: Span, rule: str) -> None:
        """A mention that names nothing itself and stands for ``antecedent`` (시, 오 시장)."""
        _add(found, Span(start, end, self.text[start:end], antecedent.cls, rule, antecedent.key, antecedent.entry))

    def _last(self, classes: tuple[str, ...]) -> Span | None:
        for span in reversed(self.spans):
            if span.cls in classes and not span.is_anaphor:
                return span
        return None

    def _main(self, classes: tuple[str, ...]) -> Span | None:
        """The entity of these classes named most often so far (the latest on a tie): the
        city a '시는' means is the one the article is about, not the last one named."""
        counts: dict[str, int] = {}
        latest: dict[str, Span] = {}
        for span in self.spans:
            if span.cls in classes:
                counts[span.key] = counts.get(span.key, 0) + 1
                if not span.is_anaphor:
                    latest[span.key] = span
        if not latest:
            return None
        return max(latest.values(), key=lambda s: (counts[s.key], s.start))


def leftmost_longest(text: str, names: Iterable[str]) -> list[tuple[int, str]]:
    """The occurrences of ``names`` in ``text``, read from left to right: at each position
    the longest name found there, then on after its end (what a regular expression with
    the names as alternatives, longest first, finds; compiling one for each document's
    names cost more than reading the document).

    >>> leftmost_longest("가온시와 가온시청, 가온", ["가온", "가온시", "가온시청"])
    [(0, '가온시'), (5, '가온시청'), (11, '가온')]
    """
    longest: dict[int, str] = {}
    for name in names:
        position = text.find(name)
        while position != -1:
            if len(name) > len(longest.get(position, "")):
                longest[position] = name
            position = text.find(name, position + 1)
    found: list[tuple[int, str]] = []
    end = 0
    for position in sorted(longest):
        if position >= end:
            name = longest[position]
            found.append((position, name))
            end = position + len(name)
    return found


def _clusters(spans: list[Span]) -> None:
    """Number the entities and give every mention of one its best-founded class: the
    first sure one ('스타트업 지원기관인 '서울 AI 허브'' over a later bare mention)."""
    # 'ADeKo 콘퍼런스' after '제14회 ADeKo 콘퍼런스' is that edition: the nearest one before it
    # (or, for a short mention that comes first, the first one after it)
    editions: list[tuple[int, str, str]] = [
        (s.start, _key(s.cls, _EDITION.sub("", s.names[0])), s.key) for s in spans if s.edition is not None
    ]
    for span in spans:
        if span.edition is None:
            same = [(start, key) for start, base, key in editions if base == span.key]
            if same:
                before = [key for start, key in same if start <= span.start]
                span.key = before[-1] if before else same[0][1]
    numbers: dict[str, int] = {}
    classes: dict[str, str] = {}
    for span in spans:
        span.cluster = numbers.setdefault(span.key, len(numbers))
        if span.sure and not span.is_anaphor:
            classes.setdefault(span.key, span.cls)
    for span in spans:
        span.cls = classes.get(span.key, span.cls)


def _worth_keeping(spans: list[Span], statements: tuple[Statement, ...]) -> set[int]:
    """The clusters to keep: all but those of which nothing is said and that are quoted
    phrases of guessed kind (headlines quote catchwords: 'AI 2.0 시대') or concepts."""
    related = {s.subject for s in statements} | {s.object.cluster for s in statements if isinstance(s.object, Ref)}
    guessed = {s.cluster for s in spans if not s.sure}
    sure = {s.cluster for s in spans if s.sure}
    # an industry or technology named in passing ('바이오 스타트업', '자율주행 배송로봇') is a
    # word of the text, not a thing the article is about
    passing = {s.cluster for s in spans if top_kind(s.cls) == "Concept"} - related
    return {s.cluster for s in spans} - ((guessed - sure) - related) - passing


def extract_korean(doc: Document, gazetteer: Gazetteer) -> Extraction:
    """Mentions, relations and values of one Korean document."""
    analysed = _analyzer(gazetteer).analyse(doc.text)
    reader = _Reader(doc, gazetteer)
    per_sentence = [reader.sentence_mentions(sent) for sent in analysed]
    reader.names_again(analysed, per_sentence)
    _clusters(reader.spans)
    statements = korean_rules.read_statements(doc, analysed, per_sentence, reader.spans)
    kept = _worth_keeping(reader.spans, statements)
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
        if s.cluster in kept
    )
    return Extraction(doc, tuple(a.sentence for a in analysed), mentions, statements)
