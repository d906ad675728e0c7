"""Relations and values read off Korean sentences whose names are already marked.

Each rule looks at one sentence: the text around the marked names (the particles after
them, the verb that follows) decides the relation. Who acts when a sentence names no
subject is decided as a reader would: the subject of the sentence, else the speaker of a
quotation (a mayor speaks for the city), else the last organisation or place the text was
about.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from kg.extract.cues import HEAD_TITLES, MAYOR_TITLES, TITLE_WORDS
from kg.extract.values import ValueSpan, korean_values
from kg.model import Document, Evidence, Quantity, Ref, Statement, Text, TimeValue, Value
from kg.ontology import top_kind

if TYPE_CHECKING:
    from kg.extract.korean import AnalysedSentence, Span, Tok

__all__ = ["RULES", "korean_values_in", "read_statements"]

AGENT_CLASSES = frozenset({"City", "AdministrativeArea", "Country"})
_TITLES = "|".join(sorted(TITLE_WORDS, key=len, reverse=True))
_QUOTE_CLOSERS = "'’\"”)"


_GLOSS = re.compile(r"\s*\([^()]*\)")
_PARTICLE_AFTER = r"\s*(에서|에게|으로|로서|로|에|은|는|이|가|을|를|과|와|의|도)"
_PARTICLE = re.compile(r"[" + _QUOTE_CLOSERS + r"]*" + _PARTICLE_AFTER)
# a person's particle may follow the title after the name
_PERSON_PARTICLE = re.compile(
    r"[" + _QUOTE_CLOSERS + r"]*(?:(?:\s+[가-힣A-Za-z]+?){0,2}?\s*(?:" + _TITLES + r"))?" + _PARTICLE_AFTER
)


def _kind(span: Span) -> str:
    return top_kind(span.cls)


def _is_agent(span: Span) -> bool:
    return _kind(span) in ("Organization", "Person") or span.cls in AGENT_CLASSES


class _Positioned(Protocol):
    @property
    def end(self) -> int: ...


@dataclass
class _Context:
    doc: Document
    sentence: AnalysedSentence
    spans: list[Span]
    values: list[ValueSpan]
    quotes: list[tuple[int, int]]  # double-quoted stretches, document offsets
    heads: dict[int, int]  # person cluster -> what the person heads
    affiliations: dict[int, int]  # person cluster -> where the person works
    by_cluster: dict[int, Span]  # the first naming mention of each cluster
    topic: Span | None  # the organisation or place the text is about so far
    speaker: Span | None  # the last person quoted
    topic_event: Span | None
    all_spans: list[Span]  # the document's, for names a rule needs from elsewhere
    out: list[Statement] = field(default_factory=list)
    # (end, is a person) -> the particle there, all a particle depends on: the rules ask
    # for the same names' particles again and again
    particles: dict[tuple[int, bool], str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.doc.text

    def after(self, span: Span | ValueSpan, width: int = 40) -> str:
        return self.text[span.end : min(span.end + width, self.sentence.sentence.end)]

    def before(self, position: int, width: int = 40) -> str:
        return self.text[max(self.sentence.sentence.start, position - width) : position]

    def particle(self, span: Span) -> str:
        """The particle written after a name: 는, 를, 에서, 과, 의, 로 … For a person, after
        the title that may follow the name (오세훈 서울시장이 -> 이)."""
        person = span.cls == "Person"
        particle = self.particles.get((span.end, person))
        if particle is None:
            # '라훌 싱(Rahul Singh) 최고기술책임자(CTO)가': glosses in parentheses stand aside
            after = _GLOSS.sub("", self.after(span, 40))
            m = (_PERSON_PARTICLE if person else _PARTICLE).match(after)
            particle = self.particles[span.end, person] = m.group(1) if m else ""
        return particle

    def in_quote(self, position: int) -> tuple[int, int] | None:
        return next((q for q in self.quotes if q[0] <= position < q[1]), None)

    def next_span(self, span: _Positioned, within: int, classes: Callable[[Span], bool]) -> Span | None:
        return next(
            (s for s in self.spans if s.start >= span.end and s.start - span.end <= within and classes(s)),
            None,
        )

    def add(self, subject: Span, predicate: str, obj: Span | Value, rule: str, confidence: float) -> None:
        if isinstance(obj, Quantity | TimeValue | Text | int):
            target: Ref | Value = obj
        else:
            if obj.cluster == subject.cluster:
                return
            target = Ref(obj.cluster)
        sent = self.sentence.sentence
        evidence = Evidence(sent.index, sent.start, sent.end, sent.text, rule, confidence)
        self.out.append(Statement(subject.cluster, predicate, target, evidence))

    # who acts ------------------------------------------------------------------------
    def subject_before(self, position: int) -> Span | None:
        """The name before ``position`` marked as subject in the same stretch of text (inside
        or outside the same quotation): the last one marked as topic (은/는), which in news
        prose is the main clause's subject, else the last one marked with 이/가 (which may
        sit in a clause inside: 'X는 A와 B가 주도한 투자를 유치했다' is about X)."""
        quote = self.in_quote(position)
        topic = subject = None
        for span in self.spans:
            if span.start >= position:
                break
            if self.in_quote(span.start) != quote or not _is_agent(span):
                continue
            particle = self.particle(span)
            if particle in ("은", "는"):
                topic = span
            elif particle in ("이", "가"):
                subject = span
        return topic or subject

    def agent(self, position: int) -> Span | None:
        subject = self.subject_before(position)
        if subject is None and self.in_quote(position) is not None:
            subject = self.sentence_speaker() or self.speaker
        if subject is None:
            subject = self.topic
        if subject is not None and _kind(subject) == "Person":
            head = self.heads.get(subject.cluster)
            if head is not None:
                return self.by_cluster.get(head, subject)
            if re.match(r"\s*\S*\s*(연구팀|연구진|팀|연구실)", self.after(subject, 14)):
                # '이준호 교수 연구팀은 … 공동 개발': the team works for the professor's institution
                works_at = self.affiliations.get(subject.cluster)
                if works_at is not None:
                    return self.by_cluster.get(works_at, subject)
        return subject

    def sentence_speaker(self) -> Span | None:
        for span in self.spans:
            if (
                self.in_quote(span.start) is None
                and _kind(span) == "Person"
                and self.particle(span) in ("은", "는", "이", "가")
            ):
                return span
        return None


def _quotes(sent: AnalysedSentence) -> list[tuple[int, int]]:
    text, offset = sent.sentence.text, sent.sentence.start
    spans, opened = [], None
    for i, ch in enumerate(text):
        if ch in '"“”':
            if opened is None and ch != "”":
                opened = i
            elif opened is not None:
                spans.append((offset + opened, offset + i + 1))
                opened = None
    if opened is not None:  # a quotation running to the end of the sentence
        spans.append((offset + opened, offset + len(text)))
    return spans


# rules -----------------------------------------------------------------------------------


_TITLE_AFTER_ORG = re.compile(
    r"[\s시]*(?:\([^)]*\))?\s*((?:\S+\s+){0,2}?)([가-힣A-Za-z&]*?)(" + _TITLES + r")(?=[\s(),.은는이가과와의을를도]|$)"
)


def rule_titles(ctx: _Context) -> None:
    """오세훈 서울시장, 김하늘 한빛로보틱스 대표, 이정민 한빛대 물리학과 교수, 부산시 박서준
    시장. The title itself says head (시장, 대표, 총장) or member (교수, 기자); the head of a
    department (기판소재사업부장) is a member of the organisation."""
    for person in (s for s in ctx.spans if s.cls == "Person"):
        org = ctx.next_span(person, 2, lambda s: _kind(s) in ("Organization", "Place"))
        title_text = ctx.after(org, 30) if org else ""
        if org is None:
            previous = [
                s
                for s in ctx.spans
                if s.end <= person.start
                and _kind(s) in ("Organization", "Place")
                and (
                    person.start - s.end <= 2
                    # '코넬대학교(Cornell University) 식품과학과의 레이철 문 교수'
                    or re.fullmatch(
                        r"\s*(?:\([^)]*\))?\s*(?:[가-힣]+(?:과|학부|학과|센터|연구소|실|팀|부|국)\s*)?의\s+",
                        ctx.text[s.end : person.start],
                    )
                )
            ]
            org = previous[-1] if previous else None
            title_text = ctx.after(person, 30)
        if org is None:
            if not (_member_by_affiliation(ctx, person) or _mayor_of_named_city(ctx, person)):
                _head_of_topic_company(ctx, person)
            continue
        # 가온시장: the name 가온시 took the 시 of the title 시장
        m = _TITLE_AFTER_ORG.match(title_text) or _TITLE_AFTER_ORG.match(org.text[-1:] + title_text)
        if not m:
            continue
        department, prefix, title = m.group(1), m.group(2), m.group(3)
        of_unit = bool(department.strip() or prefix)
        if title in MAYOR_TITLES and org.cls in ("City", "AdministrativeArea") and not of_unit:
            ctx.add(person, "mayorOf", org, "ko.title_of_place", 0.95)
            ctx.heads[person.cluster] = org.cluster
        elif title in HEAD_TITLES and _kind(org) == "Organization" and not of_unit:
            ctx.add(person, "headOf", org, "ko.title_of_organisation", 0.9)
            ctx.heads[person.cluster] = org.cluster
        elif _kind(org) == "Organization" or org.cls in ("City", "AdministrativeArea"):
            ctx.add(person, "affiliatedWith", org, "ko.title_affiliation", 0.85)
            ctx.affiliations.setdefault(person.cluster, org.cluster)


def _mayor_of_named_city(ctx: _Context, person: Span) -> bool:
    """'데이비드 로스(David Ross) 테일러 시장' after '테일러시' was named: the city's mayor."""
    m = re.match(r"\s*(?:\([^)]*\))?\s*([가-힣]{2,8})\s+(시장|군수|구청장)(?=[\s은는이가의,]|$)", ctx.after(person, 40))
    if m is None:
        return False
    city = next(
        (
            s
            for s in ctx.all_spans
            if s.cls in ("City", "AdministrativeArea") and not s.is_anaphor and m.group(1) in (s.text, s.text[:-1])
        ),
        None,
    )
    if city is None:
        return False
    ctx.add(person, "mayorOf", city, "ko.mayor_of_named_city", 0.8)
    ctx.heads[person.cluster] = city.cluster
    return True


_SUPPLIER = re.compile(
    r"[" + _QUOTE_CLOSERS + r"]*\s*(?:\([^)]*\))?\s*(?:에서|으로부터|로부터)\s*(?:\S+\s+)?(조달|공급받|수입|구매|들여)"
)


def rule_suppliers(ctx: _Context) -> None:
    """'리튬은 … 노던리튬(Northern Lithium)에서 조달한다': a supplier works with the buyer."""
    for supplier in ctx.spans:
        if _kind(supplier) != "Organization" or not _SUPPLIER.match(ctx.after(supplier, 30)):
            continue
        buyer = ctx.agent(supplier.start)
        if buyer is None or _kind(buyer) != "Organization":
            buyer = ctx.topic if ctx.topic is not None and _kind(ctx.topic) == "Organization" else None
        if buyer is not None:
            ctx.add(buyer, "cooperatesWith", supplier, "ko.supplier", 0.7)


def _member_by_affiliation(ctx: _Context, person: Span) -> bool:
    """'GIST 기계공학부 소속 이준호 교수': 소속 (belonging to) names where a person works."""
    for org in ctx.spans:
        if (
            org.end <= person.start
            and re.fullmatch(r"\s+(?:\S+\s+)?소속(?:인|의)?\s+", ctx.text[org.end : person.start])
            and (_kind(org) == "Organization" or org.cls in ("City", "AdministrativeArea"))
        ):
            ctx.add(person, "affiliatedWith", org, "ko.affiliation_sosok", 0.85)
            ctx.affiliations.setdefault(person.cluster, org.cluster)
            return True
    return False


def _head_of_topic_company(ctx: _Context, person: Span) -> None:
    """'경영은 … 정태윤 대표가 이끈다' in an article about a company: a chief executive named
    without a company heads the company the sentence (its topic) or else the text is about;
    other officers (CTO, 공동창업자) work there."""
    if person.is_anaphor:
        return
    company = next(
        (s for s in ctx.spans if s.end <= person.start and s.cls == "Company" and ctx.particle(s) in ("은", "는")),
        ctx.topic if ctx.topic is not None and ctx.topic.cls == "Company" else None,
    )
    if company is None:
        return
    title = re.match(r"\s*(?:\([^)]*\)\s*)?([가-힣A-Z]+?)(?=[\s은는이가의,(]|$)", ctx.after(person, 40))
    if title is None:
        return
    if title.group(1) in ("대표이사", "대표", "CEO", "최고경영자"):
        ctx.add(person, "headOf", company, "ko.head_of_topic_company", 0.6)
        ctx.heads[person.cluster] = company.cluster
    elif title.group(1) in _COMPANY_OFFICERS:
        ctx.add(person, "affiliatedWith", company, "ko.officer_of_topic_company", 0.6)
        ctx.affiliations.setdefault(person.cluster, company.cluster)


_COMPANY_OFFICERS = frozenset(
    [
        "CTO",
        "COO",
        "CFO",
        "최고기술책임자",
        "최고운영책임자",
        "최고재무책임자",
        "창업자",
        "공동창업자",
        "부사장",
        "전무",
        "상무",
    ]
)


@dataclass(frozen=True)
class _At:
    """A position in the text, for :meth:`_Context.next_span`."""

    position: int

    @property
    def end(self) -> int:
        return self.position


_SPEAKER_ROLE = re.compile(
    r"\S*\s*(기조연설|기조 연설|발표|강연|연설|발제|토론|축사)(?:자로|자로는|에|을|를)?\s*"
    r"(?:\S+\s+){0,4}?(나선|나서|맡은|한)"
)


def rule_speaker(ctx: _Context) -> None:
    """X가 … 'EVENT'에서 기조연설을 했다; 이날 박람회에서는 X 대표가 특별강연을 했다;
    포럼에서 발표에 나선 X 교수."""
    speakers = [
        s
        for s in ctx.spans
        if _kind(s) == "Person" and ctx.in_quote(s.start) is None and ctx.particle(s) in ("은", "는", "이", "가", "도")
    ]
    events = [s for s in ctx.spans if _kind(s) == "Event" and ctx.particle(s) in ("에서", "에")]
    # '배경훈 장관은 이날 기조연설에서 …', '첫날 기조연설에 나선 윤영빈 청장은', 'X 국장이 기조강연을
    # 했다': a speech at the event the text is about
    speech = re.search(
        r"기조\s?연설|기조\s?강연|축사|환영사|특별\s?강연|주제\s?발표|연사로|발표자로|토론자로",
        ctx.sentence.sentence.text,
    )
    if not events and speech and ctx.topic_event is not None:
        after_speech = _At(ctx.sentence.sentence.start + speech.end())
        person = speakers[0] if speakers else ctx.next_span(after_speech, 20, lambda s: _kind(s) == "Person")
        if person is not None:
            predicate = "keynoteSpeakerAt" if speech.group(0).startswith("기조") else "speakerAt"
            ctx.add(person, predicate, ctx.topic_event, "ko.speech_at_the_event", 0.75)
    for event in events:
        role = _SPEAKER_ROLE.match(ctx.after(event, 40))
        if role is not None:
            # the person named after the role
            person = ctx.next_span(event, 30, lambda s: _kind(s) == "Person")
            predicate = "keynoteSpeakerAt" if role.group(1).startswith("기조") else "speakerAt"
            if person is not None:
                ctx.add(person, predicate, event, "ko.speaker_role", 0.85)
            continue
        person = next((s for s in reversed(speakers) if s.start < event.start), None) or next(
            (s for s in speakers if s.start > event.start), None
        )
        if person is None:
            continue
        rest = ctx.text[event.end : ctx.sentence.sentence.end]
        if re.search(r"기조\s?연설", rest):
            ctx.add(person, "keynoteSpeakerAt", event, "ko.keynote", 0.9)
        elif re.search(r"(연설|강연|발표|소개|축사|환영사|발제)", rest):
            ctx.add(person, "speakerAt", event, "ko.speaker", 0.8)


def rule_panel(ctx: _Context) -> None:
    """이날 패널 토론에는 X 시장과 Y 기자가 참여했다: the people take part in the event of
    the day."""
    text = ctx.sentence.sentence.text
    if not re.search(r"(토론|패널|세션|좌담)", text) or not re.search(r"(참여|참석|나섰|나서|패널로)", text):
        return
    event = next((s for s in ctx.spans if _kind(s) == "Event"), None) or ctx.topic_event
    if event is None:
        return
    for person in ctx.spans:
        if _kind(person) == "Person" and ctx.in_quote(person.start) is None:
            ctx.add(person, "speakerAt", event, "ko.panel", 0.75)


_HELD_PREDICATE = r"(열렸|개최됐|개최되었|열린다|개최된다|진행됐|개막했|개막한다|열리며|막을 올렸|막을 올린다|개막됐)"
_AT = r"[" + _QUOTE_CLOSERS + r"]*\s*(?:\([^)]*\))?\s*(?:일원|일대|인근|주변|내)?\s*에서\s*"
_AT_VENUE = re.compile(_AT)
_HELD_AT_ADNOMINAL = re.compile(
    _AT + r"(열린|개최된|열리는|개최되는|진행된|펼쳐진|개막한|개막된|개막하는|막을 올린)(?!다)"
)
_HELD_AT = re.compile(_AT + _HELD_PREDICATE)
_HOLDS = re.compile(r"[" + _QUOTE_CLOSERS + r"]*\s*(을|를)\s*(열|개최|진행|연다)")


def rule_held_at(ctx: _Context) -> None:
    """[25일] 대한상공회의소에서 열린 … 'EVENT' / EVENT는 … A에서 열렸다."""
    for venue in ctx.spans:
        if _kind(venue) not in ("Place", "Organization"):
            continue
        after = ctx.after(venue, 20)
        following = ctx.next_span(venue, 6, lambda s: _kind(s) == "Event")
        if _HELD_AT_ADNOMINAL.match(after):
            event = ctx.next_span(venue, 80, lambda s: _kind(s) == "Event")
        elif _HELD_AT.match(after):
            event = next((s for s in reversed(ctx.spans) if s.start < venue.start and _kind(s) == "Event"), None)
        elif following is not None and _AT_VENUE.match(after) and _HOLDS.match(ctx.after(following, 10)):
            # 구미코에서 '제3회 … 포럼'을 열고
            event = following
        else:
            continue
        if event is None:
            continue
        ctx.add(event, "heldAt", venue, "ko.held_at", 0.9)
        date = next(
            (
                v
                for v in ctx.values
                if v.kind == "date"
                and 0 <= venue.start - v.end <= 12
                and not any(v.end <= s.start < venue.start for s in ctx.spans)
            ),
            None,
        )
        if date is None:
            date = next((v for v in ctx.values if v.kind == "date" and v.start > event.end), None)
        if date is not None:
            _add_event_dates(ctx, event, date)


def _add_event_dates(ctx: _Context, event: Span, date: ValueSpan) -> None:
    """The date an event is held on, or the two ends of '16일부터 20일까지' around it."""
    first = next(
        (
            v
            for v in ctx.values
            if v.kind == "date" and v.end <= date.start and re.fullmatch(r"\s*부터\s*", ctx.text[v.end : date.start])
        ),
        None,
    )
    if first is not None:
        ctx.add(event, "startDate", first.value, "ko.event_date", 0.85)
        ctx.add(event, "endDate", date.value, "ko.event_end_date", 0.85)
        return
    last = next(
        (
            v
            for v in ctx.values
            if v.kind == "date" and v.start >= date.end and re.fullmatch(r"\s*부터\s*", ctx.text[date.end : v.start])
        ),
        None,
    )
    ctx.add(event, "startDate", date.value, "ko.event_date", 0.85)
    if last is not None and re.match(r"\s*까지", ctx.text[last.end : last.end + 4]):
        ctx.add(event, "endDate", last.value, "ko.event_end_date", 0.85)


def rule_event_date(ctx: _Context) -> None:
    """'7일에는 … 'EVENT'이 … 열린다', 'EVENT는 21일 개막했다': the one date of a sentence
    that says an event is held is its date."""
    if not re.search(
        r"열린다|열렸|열리며|열릴|개최|개막|열린|(?:을|를)\s*(?:연다|열었|열고|열어)", ctx.sentence.sentence.text
    ):
        return
    events = [s for s in ctx.spans if _kind(s) == "Event"]
    dates = [v for v in ctx.values if v.kind == "date"]
    if len(events) == 1 and len(dates) == 1:
        ctx.add(events[0], "startDate", dates[0].value, "ko.event_date_of_sentence", 0.75)
    elif len(events) == 1 and len(dates) == 2 and re.fullmatch(r"\s*부터\s*", ctx.text[dates[0].end : dates[1].start]):
        _add_event_dates(ctx, events[0], dates[0])
    for m in re.finditer(r"(\d+)\s*회째", ctx.sentence.sentence.text):
        event = next(
            (s for s in ctx.spans if _kind(s) == "Event" and s.start > ctx.sentence.sentence.start + m.end()), None
        )
        if event is not None:
            ctx.add(event, "editionNumber", int(m.group(1)), "ko.edition_count", 0.85)


def rule_joint_event(ctx: _Context) -> None:
    """한국과 독일의 공동 학술대회인 'EVENT' (a joint event of the two countries);
    부산시와 후쿠오카시가 공동 주최하는 'EVENT' (both organise it)."""
    parties = [s for s in ctx.spans if _is_agent(s)]
    for first, second in itertools.pairwise(parties):
        if not re.fullmatch(r"\s*(과|와|·|,)\s*", ctx.text[first.end : second.start]):
            continue
        if not re.match(r"\s*(의|정부가|정부의|정부|가|이)?\s*공동", ctx.after(second, 12)):
            continue
        event = ctx.next_span(second, 40, lambda s: _kind(s) == "Event")
        if event is None:
            continue
        for party in (first, second):
            if party.cls == "Country":
                ctx.add(event, "jointEventOf", party, "ko.joint_event", 0.85)
            elif _kind(party) != "Person":
                ctx.add(event, "organizer", party, "ko.co_organiser", 0.8)


_COUNTRY_SHORT = {
    "한": "South_Korea",
    "미": "United_States",
    "일": "Japan",
    "중": "China",
    "독": "Germany",
    "불": "France",
    "프": "France",
    "영": "United_Kingdom",
    "캐": "Canada",
    "베": "Vietnam",
    "인": "India",
    "호": "Australia",
    "러": "Russia",
}


_HOLDS_EVENT = re.compile(
    r"[" + _QUOTE_CLOSERS + r"]*\s*(?:을|를)\s*(?:연다|열었|열고|열어|열기로|개최한다|개최했|개최하고|개최할)"
)
_JOINTLY = re.compile(r"[" + _QUOTE_CLOSERS + r"]*\s*(?:\([^)]*\))?\s*(?:과|와)\s*(?:공동으로|함께)")
_CLOSERS = re.compile(r"[" + _QUOTE_CLOSERS + r"]*\s*")


def rule_co_hosts(ctx: _Context) -> None:
    """'경상남도와 우주항공청, KAI, 프랑스 국립우주연구센터(CNES)가 공동 주최한 이번 행사',
    '첫 한·불 공동 행사': who organised the event together."""
    text = ctx.sentence.sentence.text
    modifiers = {id(c) for c, _ in _country_modifiers(ctx)}
    for m in re.finditer(r"공동\s*(주최|주관|개최)", text):
        position = ctx.sentence.sentence.start + m.start()
        event = ctx.next_span(_At(position), 30, lambda s: _kind(s) == "Event") or ctx.topic_event
        if event is None:
            continue
        for party in ctx.spans:
            if party.end <= position and _is_agent(party) and _kind(party) != "Person" and id(party) not in modifiers:
                predicate = "jointEventOf" if party.cls == "Country" else "organizer"
                ctx.add(event, predicate, party, "ko.co_host", 0.8)
    # 'KIST는 … '제1회 … 심포지엄'을 연다': whoever holds the event organises it
    for event in (s for s in ctx.spans if _kind(s) == "Event" and not s.is_anaphor):
        if not _HOLDS_EVENT.match(ctx.after(event, 16)):
            continue
        host = ctx.agent(event.start)
        if host is not None and _kind(host) in ("Organization", "Place") and host.cls != "Country":
            ctx.add(event, "organizer", host, "ko.holds_event", 0.75)
        partner = next(
            (
                s
                for s in ctx.spans
                if s.end <= event.start and _kind(s) == "Organization" and _JOINTLY.match(ctx.after(s, 20))
            ),
            None,
        )
        if partner is not None:
            ctx.add(event, "organizer", partner, "ko.co_holds_event", 0.75)
    # 'KFRI)이 주관하는 올해 엑스포': one organiser
    for m in re.finditer(r"(?<!공동)(?<!공동 )(?:이|가)\s*(주최|주관)(?:하는|한|하고|했|하며|해)", text):
        position = ctx.sentence.sentence.start + m.start()
        organiser = next(
            (s for s in ctx.spans if s.end <= position and _CLOSERS.fullmatch(ctx.text[s.end : position])),
            None,
        )
        event = ctx.next_span(_At(position), 30, lambda s: _kind(s) == "Event") or ctx.topic_event
        if organiser is not None and event is not None and _is_agent(organiser) and _kind(organiser) != "Person":
            ctx.add(event, "organizer", organiser, "ko.host", 0.8)
    for m in re.finditer(r"(?<![가-힣])한\s?[·\-]\s?([가-힣])\s*공동", text):
        after_short_name = _At(ctx.sentence.sentence.start + m.end())
        event = ctx.next_span(after_short_name, 20, lambda s: _kind(s) == "Event") or ctx.topic_event
        other = _COUNTRY_SHORT.get(m.group(1))
        if event is None or other is None:
            continue
        for country in (s for s in ctx.all_spans if s.entry is not None and s.entry.id in ("South_Korea", other)):
            ctx.add(event, "jointEventOf", country, "ko.joint_short_name", 0.75)


def rule_joint_event_name(ctx: _Context) -> None:
    """'제4회 한·일 해협권 포럼', '한불 수소경제 포럼', '한·프랑스 AI 포럼': the countries in an
    event's name. Only names already in the document are linked."""
    countries = {s.entry.id: s for s in ctx.all_spans if s.entry is not None and s.cls == "Country"}
    for event in (s for s in ctx.spans if _kind(s) == "Event" and s.names):
        m = re.search(r"(?<![가-힣])(한)\s?[·\-]?\s?([가-힣]+?)(?=\s|$)", event.names[0])
        if m is None:
            continue
        second = m.group(2)
        ids = {"South_Korea"}
        if second in _COUNTRY_SHORT and len(second) == 1:
            ids.add(_COUNTRY_SHORT[second])
        else:
            entry = next((s.entry for s in ctx.all_spans if s.entry is not None and s.text == second), None)
            if entry is None or entry.cls != "Country":
                continue
            ids.add(entry.id)
        for country_id in sorted(ids):
            if country_id in countries:
                ctx.add(event, "jointEventOf", countries[country_id], "ko.joint_event_name", 0.75)


def _country_modifiers(ctx: _Context) -> Iterator[tuple[Span, Span]]:
    """캐나다 밀라, 독일의 '라인로봇연구소', 미국 보스턴의 매사추세츠종합병원, 프랑스 AI
    스타트업 미스트랄AI: a country or city written before an organisation (up to two
    common words between) is where it is."""
    for place in (s for s in ctx.spans if s.cls in ("Country", "City")):
        target = ctx.next_span(place, 24, lambda s: True)
        if target is None or target.cls in ("Country", "City", "AdministrativeArea"):
            continue
        if (_kind(target) == "Organization" or target.cls == "Facility") and re.fullmatch(
            r"(의\s*|\s+)(?:[가-힣A-Za-z]+(?<![과와및은는이가을를에의])\s+){0,2}?['‘\"“]?",
            ctx.text[place.end : target.start],
        ):
            yield place, target


def rule_located_in_country(ctx: _Context) -> None:
    """캐나다 밀라, 독일의 사이버 밸리, 보스턴의 매사추세츠종합병원."""
    for country, target in _country_modifiers(ctx):
        ctx.add(target, "locatedIn", country, "ko.country_modifier", 0.85)


def rule_place_in_place(ctx: _Context) -> None:
    """미국 보스턴, 경북 구미시, 강서구 에코델타 스마트시티: a place written before another
    place or facility contains it."""
    for outer in ctx.spans:
        if outer.cls not in ("Country", "AdministrativeArea", "City"):
            continue
        inner = ctx.next_span(outer, 1, lambda s: s.cls in ("City", "AdministrativeArea", "Place", "Facility"))
        if inner is None or inner.cluster == outer.cluster or ctx.text[outer.end : inner.start] != " ":
            continue
        district = inner.cls == "AdministrativeArea" and inner.text[-1:] in ("구", "동", "읍", "면")
        if outer.cls == "City" and inner.cls in ("Country", "AdministrativeArea") and not district:
            continue
        ctx.add(inner, "locatedIn", outer, "ko.place_in_place", 0.8)


_SEAT = re.compile(
    r"["
    + _QUOTE_CLOSERS
    + r"]*\s*에\s*(?:[가-힣]+\s+)?(본사|본부|본점|거점|연구소|공장|생산시설|생산기지|사업장|지사|법인)"
    r"(를|을)\s*(둔|두고|둔다|두고\s*있)"
)


def _place_after(ctx: _Context, place: Span) -> Span | None:
    """The next place named, past a province or country written before it (전남 광양)."""
    following = ctx.next_span(place, 12, lambda s: _kind(s) == "Place")
    while following is not None:
        inner = ctx.next_span(following, 1, lambda s: _kind(s) == "Place")
        if inner is None:
            break
        following = inner
    return following


_LISTED = re.compile(r"[" + _QUOTE_CLOSERS + r"]*\s*(과|와|,|·|및)\s*")


def rule_headquarters(ctx: _Context) -> None:
    """'서울에 본사를 둔 X', 'X는 판교에 본사를 두고', 'X는 구미와 광양에 생산시설을 두고':
    where an organisation has its seat or its sites (every place of a list before 에)."""
    for place in ctx.spans:
        if _kind(place) != "Place":
            continue
        after = ctx.after(place, 40)
        if not _SEAT.match(after):
            # '구미와 전남 광양에 …': a list member takes the seat written after the last one
            listed = _LISTED.match(after)
            following = _place_after(ctx, place)
            while listed and following is not None and not _SEAT.match(ctx.after(following, 40)):
                listed = _LISTED.match(ctx.after(following, 40))
                following = _place_after(ctx, following) if listed else None
            if not listed or following is None:
                continue
            after = ctx.after(following, 40)
        if re.search(r"둔\s*$|둔\s", after):
            holder = ctx.next_span(place, 30, lambda s: _kind(s) == "Organization")
        else:
            holder = ctx.subject_before(place.start)
        if holder is not None and _kind(holder) == "Organization":
            ctx.add(holder, "locatedIn", place, "ko.headquarters", 0.8)


_SITED = re.compile(
    r"["
    + _QUOTE_CLOSERS
    # predicates only: '…에 위치한 Y' says where Y is, not the subject
    + r"]*\s*에\s*(?:\S+\s+){0,4}?(들어서(?!는)|들어선다|위치(?:해|하며|하고|한다|할)"
    + r"|자리(?:해|하며|하고|한다|잡)|입주(?:해|하며|하고|한다|할)|세워|지어|조성된다|건립된다)"
)
_SITE_OF = re.compile(
    r"["
    + _QUOTE_CLOSERS
    + r"]*(?:\s+\S+?)?\s*(안|내|내부)?에\s*"
    + r"(마련된|위치한|들어선|들어설|있는|자리한|자리 잡은|설치된|설치될|조성된|조성될|건립될|세워질|지어질"
    + r"|문을 연|입주한)\s"
)


def rule_located_at(ctx: _Context) -> None:
    """'서울 AI 허브'에 마련된 글로벌 AI 연구거점; 센터는 광주 북구 첨단3지구에 … 들어선다."""
    for subject in ctx.spans:
        if ctx.particle(subject) not in ("은", "는", "이", "가") or _kind(subject) not in ("Place", "Organization"):
            continue
        for place in ctx.spans:
            if (
                place.start > subject.end
                and ctx.particle(place) == "에"
                and _kind(place) == "Place"
                and _SITED.match(ctx.after(place, 40))
            ):
                ctx.add(subject, "locatedIn", place, "ko.located_at", 0.75)
                break
    for place in ctx.spans:
        if _SITE_OF.match(ctx.after(place, 20)):
            thing = ctx.next_span(place, 20, lambda s: _kind(s) in ("Organization", "Place"))
            if thing is not None:
                ctx.add(thing, "locatedIn", place, "ko.located_at", 0.85)


_COOPERATION = re.compile(
    r"업무협약|협약|MOU|양해각서|협력|협업|맞손|손잡|손을 잡|공동\s?연구|공동\s?개발|공동\s?임상|파트너십|제휴"
    r"|계약(?:을|도)?\s*(?:체결|맺)"
)
# what a list member's name may be followed by: the list goes on, or it closes with 과/와
_JOINED = re.compile(r"[" + _QUOTE_CLOSERS + r"]*\s*(과|와)\s*")
_MEMBER_PARTICLE = re.compile(r"[" + _QUOTE_CLOSERS + r"]*\s*(?:\([^)]*\))?\s*(과|와|,|·|및|등|$)")


def rule_cooperation(ctx: _Context) -> None:
    """네이버, 구글 … 등 기업들과 서울대, 카이스트 … 등 대학들 … 과 협력하는 …;
    X, Y, 로봇 전문기업 Z와 … 업무협약을 체결: every member of the list cooperates with the
    one who acts. 'A와 B는 … 협약을 맺었다': A and B cooperate."""
    sent = ctx.sentence.sentence
    modifiers = {id(c) for c, _ in _country_modifiers(ctx)}
    seen: set[int] = set()
    for m in _COOPERATION.finditer(sent.text):
        position = sent.start + m.start()
        quote = ctx.in_quote(position)
        floor = quote[0] if quote else sent.start
        pair = _cooperating_subjects(ctx, floor, position)
        partners_after_pair = pair is not None and any(
            pair[1].end < s.start < position and _kind(s) == "Organization" for s in ctx.spans
        )
        if pair is not None and not partners_after_pair:
            ctx.add(pair[0], "cooperatesWith", pair[1], "ko.cooperation_pair", 0.8)
            continue
        agent = pair[1] if pair is not None else ctx.agent(position)
        if agent is None:
            continue
        if agent.start >= floor and agent.start < position:
            floor = agent.end
        members = [
            s
            for s in ctx.spans
            if floor <= s.start < position
            and id(s) not in modifiers
            and s is not agent
            and s.cluster != agent.cluster
            and (_kind(s) == "Organization" or s.cls in AGENT_CLASSES)
            and _MEMBER_PARTICLE.match(ctx.after(s, 12))
        ]
        # the list must close with 과/와 (A, B와 …; … 등 기업들과 …), else these are no partners
        if not members or not re.search(
            r"[가-힣A-Za-z)'’](과|와)(도|의)?(\s|$)|함께", ctx.text[members[0].start : position]
        ):
            continue
        # '경상남도와 KAI는 경상국립대학교와 손잡고': both subjects work with the partner
        agents = [pair[0], agent] if pair is not None else [agent]
        for member in members:
            if member.cluster not in seen:
                seen.add(member.cluster)
                for one in agents:
                    ctx.add(one, "cooperatesWith", member, "ko.cooperation_list", 0.8)


def _cooperating_subjects(ctx: _Context, floor: int, position: int) -> tuple[Span, Span] | None:
    """'네이버클라우드와 미스트랄AI는 … 업무협약을 맺었다': two names joined by 와/과, the second
    the subject."""
    before = [s for s in ctx.spans if floor <= s.start < position and _is_agent(s)]
    for first, second in itertools.pairwise(before):
        if _JOINED.fullmatch(ctx.text[first.end : second.start]) and (ctx.particle(second) in ("은", "는", "이", "가")):
            return first, second
    return None


_DESIGNATED = re.compile(r"(산업|분야|기술)['’\"”]?(으로|로)\s*(?:추가|새로|신규|공식)?\s*(지정|선정)")


def rule_designate(ctx: _Context) -> None:
    """AI를 바이오, 로봇, 핀테크와 함께 미래 4대 핵심산업으로 지정; 광주 AI, 창원 로봇 …으로
    지정 (each place its own industry)."""
    sent = ctx.sentence.sentence
    for m in _DESIGNATED.finditer(sent.text):
        position = sent.start + m.start()
        quote = ctx.in_quote(position)
        floor = quote[0] if quote else sent.start
        items = [
            s
            for s in ctx.spans
            # the category itself ('2대 전략산업') ends where the match starts, past it
            if floor <= s.start and s.end <= position and _kind(s) == "Concept" and s.rule != "ko.quoted_theme"
        ]
        # 'AI와 미래차를 … 지정한 광주시는': the name after the adnominal verb designates
        adnominal = re.match(r"한\s+", sent.text[m.end() :])
        head = None
        if adnominal:
            after_verb = sent.start + m.end() + adnominal.end()
            head = next((s for s in ctx.spans if s.start == after_verb and _is_agent(s)), None)
        for item in items:
            place = next((s for s in ctx.spans if s.cls in AGENT_CLASSES and 0 < item.start - s.end <= 1), None)
            agent = place or head or ctx.agent(position)
            if agent is not None:
                ctx.add(agent, "designatesStrategicIndustry", item, "ko.designate_industry", 0.85)


_PARENT_BEFORE = re.compile(
    r"["
    + _QUOTE_CLOSERS
    + r"]*\s*(?:\([^)]*\))?\s*"
    + r"(?:산하|의\s*(?:\S+\s+){0,2}?(?:계열사|자회사|자매사)(?:인|이자)?|자회사|계열사)\s+['‘\"“]?$"
)


def rule_parent_organization(ctx: _Context) -> None:
    """'과기정통부 산하 '한국AI모빌리티진흥원'', '한결그룹의 배터리 소재 계열사인 한결에너지솔루션':
    the organisation another belongs to."""
    for child in ctx.spans:
        if _kind(child) != "Organization" or child.is_anaphor:
            continue
        parent = next(
            (
                s
                for s in reversed(ctx.spans)
                if s.end <= child.start
                and _kind(s) == "Organization"
                and s.cluster != child.cluster
                and _PARENT_BEFORE.match(ctx.text[s.end : child.start])
            ),
            None,
        )
        if parent is not None:
            ctx.add(child, "parentOrganization", parent, "ko.parent_organization", 0.8)


_DESIGNATED_AS = re.compile(r"[" + _QUOTE_CLOSERS + r"]*\s*(?:으로|로)\s*(?:새로|신규|공식)?\s*(?:지정|선정)")
_AREA_DESIGNATED = re.compile(r"[" + _QUOTE_CLOSERS + r"]*\s*(?:일대|일원|지역|전역|전체)?(?:을|를)\s")


def rule_designated_zone(ctx: _Context) -> None:
    """'정부가 광주광역시 일대를 … 'AI 모빌리티 특구'로 지정': the zone lies in the place."""
    for zone in ctx.spans:
        if _kind(zone) != "Place" or zone.cls in AGENT_CLASSES or zone.is_anaphor:
            continue
        if not _DESIGNATED_AS.match(ctx.after(zone, 16)):
            continue
        place = next(
            (
                s
                for s in reversed(ctx.spans)
                if s.end <= zone.start and _kind(s) == "Place" and _AREA_DESIGNATED.match(ctx.after(s, 12))
            ),
            None,
        )
        if place is not None:
            ctx.add(zone, "locatedIn", place, "ko.designated_zone", 0.8)


_ESTABLISHED = re.compile(
    r"["
    + _QUOTE_CLOSERS
    + r"]*\s*(?:(을|를|도)\s*(설립|설치|개소|출범|창립|창업|개원|세웠|세우|개관|열었|열어|열고|준공)"
    + r"|의\s*(개소식|개원식|출범식|개관식|준공식))"
)


def rule_established(ctx: _Context) -> None:
    """서울시는 2017년 … '서울 AI 허브'를 설립했다 / 2019년 설립된 X."""
    for thing in ctx.spans:
        after = ctx.after(thing, 16)
        if not _ESTABLISHED.match(after):
            continue
        agent = ctx.agent(thing.start)
        if agent is not None and agent.cluster != thing.cluster:
            ctx.add(thing, "foundedBy", agent, "ko.established", 0.85)
        _where_built(ctx, thing)
        year = next(
            (v for v in reversed(ctx.values) if v.kind in ("year", "date", "year_month") and v.end <= thing.start),
            None,
        )
        if year is not None:
            ctx.add(thing, "foundingDate", year.value, "ko.established_year", 0.85)
    _founded_passive(ctx)
    _founders(ctx)
    # '2021년 서울 성수동에서 설립된 X': the year may stand a few words before the verb
    for m in re.finditer(
        r"(\d{4})년(?:에)?\s*(?:[^\s.,]+\s+){0,6}?(설립|창립|창업|개소|출범)(된|한)\s", ctx.sentence.sentence.text
    ):
        end = ctx.sentence.sentence.start + m.end()
        # '설립된 물류 스타트업 온누리로봇은': kind words may stand between
        founded = next(
            (s for s in ctx.spans if s.start >= end and re.fullmatch(r"(?:[가-힣]+\s+){0,2}", ctx.text[end : s.start])),
            None,
        )
        if founded is not None:
            ctx.add(founded, "foundingDate", TimeValue(m.group(1), "gYear"), "ko.established_year", 0.8)


_FOUNDED_PASSIVE = re.compile(
    r"[" + _QUOTE_CLOSERS + r"]*\s*(?:\([^)]*\))?\s*(?:이|가|은|는)\s+((?:[^\s.,]+\s+){0,5}?)"
    r"(?:새로\s+)?(설립된다|설립됐|설립되었|설립될|출범한다|출범했|출범할|문을\s*연다|문을\s*열었|개소한다|개소했|개원한다|개원했)"
)


_IN_PLACE = re.compile(r"[" + _QUOTE_CLOSERS + r"]*\s*에\s")


def _founded_passive(ctx: _Context) -> None:
    """''한국AI모빌리티진흥원'이 내년 1월 광주에 새로 설립된다': when and where it is founded."""
    for thing in ctx.spans:
        if _kind(thing) not in ("Organization", "Place") or thing.cls in AGENT_CLASSES or thing.is_anaphor:
            continue
        m = _FOUNDED_PASSIVE.match(ctx.after(thing, 60))
        if m is None:
            continue
        verb = thing.end + m.start(2)
        place = next(
            (
                s
                for s in ctx.spans
                if thing.end < s.start < verb and _kind(s) == "Place" and _IN_PLACE.match(ctx.after(s, 6))
            ),
            None,
        )
        if place is not None:
            ctx.add(thing, "locatedIn", place, "ko.founded_at", 0.75)
        when = next(
            (v for v in ctx.values if v.kind in ("year", "date", "year_month") and thing.end <= v.start < verb), None
        )
        if when is not None:
            ctx.add(thing, "foundingDate", when.value, "ko.founded_when", 0.75)


def _organisation_other_than(cluster: int) -> Callable[[Span], bool]:
    return lambda s: _kind(s) == "Organization" and s.cluster != cluster


def _founders(ctx: _Context) -> None:
    """'이현정 교수가 2021년 창업한 시냅티카', '회사를 세운 이현정 교수', 'X를 창업한 Y': a person
    who founded an organisation."""
    for person in (s for s in ctx.spans if _kind(s) in ("Person", "Organization") and not s.is_anaphor):
        after = ctx.after(person, 40)
        # '토론토대학교(University of Toronto)가 2023년 설립한 '가속 컨소시엄'': organisations found too
        m = re.match(
            r"(?:\([^)]*\))?[^.()]{0,20}?(?:이|가)\s*(?:(\d{4})년(?:에)?\s*)?(창업한|설립한|세운|창립한)\s", after
        )
        if m is not None and _kind(person) == "Organization" and not re.match(r"(?:\([^)]*\))?\s*(?:이|가)\s", after):
            m = None  # '서울대 의대 교수가 창업한': the professor founded it, not the university
        if m is not None:
            founded = ctx.next_span(person, 45, _organisation_other_than(person.cluster))
            if founded is not None and founded.start - person.end >= m.end() - 2:
                ctx.add(founded, "foundedBy", person, "ko.founder", 0.75)
                if m.group(1):
                    ctx.add(founded, "foundingDate", TimeValue(m.group(1), "gYear"), "ko.founder_year", 0.75)
                continue
        if _kind(person) != "Person":
            continue
        before = ctx.before(person.start, 24)
        m = re.search(r"(을|를)\s*(창업한|설립한|세운|창립한)\s+$", before)
        if m is not None:
            founded = next(
                (
                    s
                    for s in reversed(ctx.spans)
                    if s.end <= person.start - len(m.group(0)) and _kind(s) == "Organization"
                ),
                None,
            )
            if founded is None and re.search(r"(회사|기업|스타트업)를\s*(창업한|설립한|세운)\s+$", before):
                founded = ctx.topic if ctx.topic is not None and ctx.topic.cls == "Company" else None
            if founded is not None:
                ctx.add(founded, "foundedBy", person, "ko.founder", 0.7)


def rule_cofounders(ctx: _Context) -> None:
    """'세이프메이슨은 … 최윤서 대표와 … 아룬 메논 CTO가 함께 창업했다': the people who are
    the subject of a founding verb founded the organisation the sentence is about."""
    sent = ctx.sentence.sentence
    verb = re.search(r"(?:함께|공동)?\s*(창업|설립|창립)(했|하였|한\s+(?:회사|기업|스타트업))", sent.text)
    if verb is None:
        return
    position = sent.start + verb.start()
    founded = next(
        (s for s in ctx.spans if s.start < position and _kind(s) == "Organization" and ctx.particle(s) in ("은", "는")),
        None,
    )
    if founded is None and ctx.topic is not None and ctx.topic.cls == "Company":
        founded = ctx.topic
    if founded is None:
        return
    for person in ctx.spans:
        if _kind(person) == "Person" and person.start < position and ctx.particle(person) in ("이", "가", "와", "과"):
            ctx.add(founded, "foundedBy", person, "ko.cofounders", 0.7)


_INVESTMENT = re.compile(r"투자|라운드|시리즈\s?[A-Z]|펀딩|출자")
_INVESTOR_ROLE = re.compile(
    r"(?:이|가)?\s*(?:주도|참여|공동\s*투자|투자했|투자한|출자)|(?:으로|로)부터|등\s*(?:이|가)\s*참여"
)


def rule_investors(ctx: _Context) -> None:
    """'X는 A가 주도한 라운드에 B와 C가 참여했다', 'X는 A, B로부터 N억원을 투자받았다': the
    organisations that lead or join a funding round fund the company that raises it."""
    sent = ctx.sentence.sentence
    if not _INVESTMENT.search(sent.text) or not re.search(r"유치|투자받|참여|주도|로부터", sent.text):
        return
    investee = next(
        (s for s in ctx.spans if _kind(s) == "Organization" and ctx.particle(s) in ("은", "는")),
        None,
    )
    if investee is None and ctx.topic is not None and ctx.topic.cls == "Company":
        investee = ctx.topic
    if investee is None:
        return
    investors = [
        s
        for s in ctx.spans
        if _kind(s) == "Organization" and s.cluster != investee.cluster and ctx.text[s.start - 1 : s.start] != "("
    ]
    for i, investor in enumerate(investors):
        if _role_after_list(ctx, investors, i):
            ctx.add(investee, "fundedBy", investor, "ko.investor", 0.7)


_LEADING_CLOSERS = re.compile(r"^[" + _QUOTE_CLOSERS + r"]*\s*(?:\([^)]*\))?")


def _role_after_list(ctx: _Context, members: list[Span], index: int) -> bool:
    """Whether the list that ``members[index]`` starts or continues ends in an investor's role
    (the role is written after the list's last member: 'B와 C가 참여')."""
    for j in range(index, len(members)):
        end = members[j + 1].start if j + 1 < len(members) else ctx.sentence.sentence.end
        stretch = _LEADING_CLOSERS.sub("", ctx.text[members[j].end : end])
        if _INVESTOR_ROLE.match(stretch):
            return True
        if not re.match(r"\s*(과|와|,|·|및)", stretch):
            return False
    return False


_CLOSERS_AND_GLOSS = re.compile(r"[" + _QUOTE_CLOSERS + r"]*(?:\([^)]*\))?")


def rule_former_employer(ctx: _Context) -> None:
    """'호흐티프에서 디지털전환 총괄을 지낸 마리아 코발스카': where a person worked before."""
    for person in (s for s in ctx.spans if _kind(s) == "Person" and not s.is_anaphor):
        m = re.search(
            r"(?:에서|의)\s+(?:[^\s.,]+\s+){0,3}?(?:[^\s.,]+(?:을|를)\s+)?(?:지낸|역임한|거친|맡았던|근무한|근무했던|일한|일했던|연구한|재직한|몸담은|활동한|이끈|이끌던)\s+$",
            ctx.before(person.start, 50),
        )
        if m is None:
            continue
        at = person.start - (len(ctx.before(person.start, 50)) - m.start())
        org = next(
            (
                s
                for s in ctx.spans
                if s.end <= at and _kind(s) == "Organization" and _CLOSERS_AND_GLOSS.fullmatch(ctx.text[s.end : at])
            ),
            None,
        )
        if org is not None:
            ctx.add(person, "affiliatedWith", org, "ko.former_employer", 0.7)


_PLANNED = re.compile(
    r"[" + _QUOTE_CLOSERS + r"]*\s*(?:(을|를)?\s*(건립|조성|건설|구축|착공|설립)\s*"
    r"(을|를|하는|할|하기로|하겠다는)?\s*(\S+\s*)?(추진|계획|예정|방침|목표)"
    r"|(을|를)\s*(?:\S+\s+){0,2}?(짓는다|짓고|지을|짓기로|짓겠|세운다|세울|세우고|세우겠|"
    r"(?:건립|조성|구축|착공|건설|설립|신설|증설)(?:한다|하고|할|하겠|하기로|키로)))"
)


_PLACE_AHEAD = re.compile(r"[" + _QUOTE_CLOSERS + r"]*(?:\s+[^\s.,]+?){0,4}?에\s")


def _where_built(ctx: _Context, thing: Span) -> None:
    """'광주에 … '국가 AI 컴퓨팅센터'를 짓고': the place named with 에 before what is built."""
    place = next(
        (
            s
            for s in reversed(ctx.spans)
            if s.end <= thing.start
            # '테일러시 첨단제조단지 내 4만5000㎡ 부지에 …'
            and _PLACE_AHEAD.match(ctx.after(s, 40))
            and _kind(s) == "Place"
            and s.cluster != thing.cluster
        ),
        None,
    )
    if place is not None:
        ctx.add(thing, "locatedIn", place, "ko.built_at", 0.75)


def rule_plans(ctx: _Context) -> None:
    """2030년까지 … 'AI 서울 테크시티' 건립을 추진."""
    for thing in ctx.spans:
        if _kind(thing) not in ("Place", "Organization"):
            continue
        after = ctx.after(thing, 24)
        if not _PLANNED.match(after):
            continue
        agent = ctx.agent(thing.start)
        if agent is not None:
            ctx.add(thing, "plannedBy", agent, "ko.plans_to_build", 0.85)
        _where_built(ctx, thing)
        target = re.search(r"(\d{4})년까지", ctx.text[ctx.sentence.sentence.start : thing.end + 24])
        if target is not None:
            ctx.add(thing, "targetDate", TimeValue(target.group(1), "gYear"), "ko.target_year", 0.85)


_DEVELOPS_INTO = re.compile(
    r"[" + _QUOTE_CLOSERS + r"]*\s*(?:의\s+(?:\S+\s+){0,2}?\S+?)?(으로|로)\s*(?:확대·|확대\s)?"
    r"(발전|전환|확대\s*개편|탈바꿈|재편|격상|키우|키워|성장시)"
)


def rule_develops_into(ctx: _Context) -> None:
    """'서울 AI 허브'를 … 'AI 서울 테크시티'로 발전시키겠다."""
    for target in ctx.spans:
        if not _DEVELOPS_INTO.match(ctx.after(target, 30)):
            continue
        sources = [
            s
            for s in ctx.spans
            if s.end <= target.start and ctx.particle(s) in ("을", "를") and not _opens_relative_clause(ctx, s)
        ]
        if sources:
            ctx.add(sources[0], "developsInto", target, "ko.develops_into", 0.8)


_OBJECT_OF_MODIFIER = re.compile(r"[" + _QUOTE_CLOSERS + r"]*\s*(을|를)\s*[가-힣]+(ㄹ|갈|할|는|은|던|된|인)\s")


def _opens_relative_clause(ctx: _Context, span: Span) -> bool:
    """'AI 2.0 시대'를 열어갈 …: the object of a verb inside a modifier, not of the sentence."""
    return bool(_OBJECT_OF_MODIFIER.match(ctx.after(span, 16)))


def rule_attract_talent(ctx: _Context) -> None:
    """베트남 등 해외 명문대 출신 외국인 AI 개발자 유치."""
    sent = ctx.sentence.sentence
    if not re.search(r"유치|영입|채용|초빙", sent.text):
        return
    for m in re.finditer(
        r"출신|인재|인력|연구자|연구진|과학자|전문가|엔지니어|개발자|졸업생|유학생|석사|박사|창업팀|창업가", sent.text
    ):
        position = sent.start + m.start()
        # '실험실은 … 인도·베트남 출신 박사후연구원을 … 채용할 계획': a facility as topic hires too
        facility = next(
            (s for s in ctx.spans if s.start < position and s.cls == "Facility" and ctx.particle(s) in ("은", "는")),
            None,
        )
        agent = facility or ctx.agent(position)
        countries = [s for s in ctx.spans if s.cls == "Country" and 0 < position - s.end <= 40]
        if agent is None:
            continue
        for country in countries:
            ctx.add(agent, "attractsTalentFrom", country, "ko.attract_talent", 0.8)


def rule_theme(ctx: _Context) -> None:
    """이날 콘퍼런스는 '…'이라는 주제로."""
    for theme in (s for s in ctx.spans if s.rule == "ko.quoted_theme"):
        event = next((s for s in ctx.spans if _kind(s) == "Event"), None) or ctx.topic_event
        if event is not None:
            ctx.add(event, "theme", theme, "ko.theme", 0.8)


def rule_edition(ctx: _Context) -> None:
    """제14회 … 콘퍼런스."""
    for event in ctx.spans:
        if event.edition is not None:
            ctx.add(event, "editionNumber", event.edition, "ko.edition", 0.95)


def rule_quantities(ctx: _Context) -> None:
    """20만㎡ 규모의 X; 360개가 넘는 AI 스타트업; 기업가치는 1조5000억원; 향후 5년간."""
    for value in ctx.values:
        if not isinstance(value.value, Quantity):
            continue
        after = ctx.after(value, 30)
        sized = re.match(r"\s*(규모의|규모인|면적의|부지의|크기의|규모로)\s*", after)
        if sized:
            if sized.group(1) == "규모로":  # 'X는 … 4만5000㎡ 규모로 들어선다': the subject's size
                thing = ctx.subject_before(value.start)
            else:
                thing = ctx.next_span(value, 30, lambda s: _kind(s) in ("Place", "Organization", "Event"))
            if thing is not None:
                predicate = "floorSize" if value.value.unit in ("MTK", "KMK") else "hasQuantity"
                ctx.add(thing, predicate, value.value, "ko.sized_name", 0.85)
                continue
        if value.kind == "duration":
            place = next((s for s in reversed(ctx.spans) if s.end <= value.start and ctx.particle(s) == "에서"), None)
            holder = place or ctx.agent(value.start)
            if holder is not None:
                ctx.add(holder, "duration", value.value, "ko.duration", 0.7)
            continue
        measured = _measured(ctx, value)
        holder = _holder(ctx, value)
        if holder is None:
            continue
        quantity = Quantity(
            value.value.amount, value.value.unit, value.value.unit_text, value.value.qualifier, measured
        )
        predicate = "valuation" if measured and ("가치" in measured or "시가총액" in measured) else "hasQuantity"
        ctx.add(holder, predicate, quantity, "ko.quantity", 0.7)


_NOT_MEASURED = frozenset(
    [
        "그동안",
        "모두",
        "총",
        "약",
        "향후",
        "올해",
        "지난해",
        "현재",
        "등",
        "및",
        "이들",
        "이",
        "그",
        "시",
        "도",
        "년",
        "까지",
    ]
)


_BUILT = re.compile(
    r"[" + _QUOTE_CLOSERS + r"]*\s*(을|를)?\s*(?:\S+\s+){0,2}?(건립|조성|건설|구축|설립|짓|세우|개소|착공)"
)


def _built_in_sentence(ctx: _Context, after: int) -> Span | None:
    """The place or organisation a sentence says is being built or founded, the first one
    written after ``after`` if there is one ('1250억원을 들여 … 'X'를 건립')."""
    built = [s for s in ctx.spans if _kind(s) in ("Place", "Organization") and _BUILT.match(ctx.after(s, 30))]
    return next((s for s in built if s.start >= after), built[-1] if built else None)


def rule_completion(ctx: _Context) -> None:
    """'센터는 … 2028년 준공할 예정이다': the year a facility is to be finished."""
    for m in re.finditer(r"(\d{4})년(?:\s*\S+)?\s*(준공|완공|완료|개관|개소|가동|문을 열)", ctx.sentence.sentence.text):
        position = ctx.sentence.sentence.start + m.start()
        subject = next(
            (s for s in reversed(ctx.spans) if s.end <= position and ctx.particle(s) in ("은", "는", "이", "가")), None
        )
        if subject is not None and subject.cls == "Facility":
            ctx.add(subject, "targetDate", TimeValue(m.group(1), "gYear"), "ko.completion_year", 0.7)


def _holder(ctx: _Context, value: ValueSpan) -> Span | None:
    """Whom an amount belongs to: the event people attend (포럼에는 … 300여 명이 참석),
    the place where the counted work happens ('가온 수소 캠퍼스'에서 … 200명이 넘는 …
    길러냈다), else whoever acts in the sentence."""
    sentence_text = ctx.text[value.end : ctx.sentence.sentence.end]
    if re.search(r"참석|참가|방문|관람|몰렸|찾았", sentence_text):
        event = next((s for s in ctx.spans if _kind(s) == "Event"), None)
        if event is None and re.search(r"행사|대회|박람회|포럼|콘퍼런스", ctx.sentence.sentence.text):
            event = ctx.topic_event
        if event is not None:
            return event
    if isinstance(value.value, Quantity):
        if re.search(r"사업비|예산|투자비|건립비|공사비", ctx.before(value.start, 8)):
            # ''전주 탄소소재 국가산업단지'는 총사업비 3500억원 규모로': the topic's cost
            project = next(
                (
                    s
                    for s in ctx.spans
                    if s.end <= value.start
                    and not s.is_anaphor
                    and ctx.particle(s) in ("은", "는")
                    and s.cls not in AGENT_CLASSES
                    and _kind(s) in ("Place", "Organization")
                ),
                None,
            )
            if project is not None:
                return project
        built = _built_in_sentence(ctx, value.end)
        # '총사업비 1250억원을 들여 … 'X'를 건립': what a project costs belongs to what it builds
        if built is not None and re.search(
            r"사업비|예산|들여|투입|투자", ctx.before(value.start, 12) + ctx.after(value, 8)
        ):
            return built
        if (
            value.value.unit in ("MTK", "KMK")
            and built is not None
            and re.match(r"\s*(?:규모의?\s*)?부지", ctx.after(value, 10))
        ):
            return built  # '4만5000㎡ 부지에 'X'를 건설': the site of what is built
        if value.value.unit in ("MTK", "KMK"):  # an area: the facility the sentence is about
            facility = next(
                (s for s in ctx.spans if s.cls == "Facility" and ctx.particle(s) in ("은", "는", "이", "가")), None
            )
            if facility is not None:
                return facility
    place = next(
        (
            s
            for s in reversed(ctx.spans)
            if s.end <= value.start
            and ctx.particle(s) == "에서"
            and _kind(s) in ("Place", "Organization")
            and s.cls not in AGENT_CLASSES
        ),
        None,
    )
    return place or ctx.agent(value.start)


def _measured(ctx: _Context, value: ValueSpan) -> str | None:
    """What an amount counts: the subject noun before it (기업가치는 1조5000억원), the noun
    written against it (대학원생 100명), or the noun after it (360개가 넘는 AI 스타트업)."""
    toks = ctx.sentence.tokens
    before = [t for t in toks if t.end <= value.start]
    if before and before[-1].tag in ("JX", "JKS") and before[-1].form in ("은", "는", "이", "가"):
        before = before[:-1]
    words: list[str] = []
    for tok in reversed(before):
        if tok.tag not in ("NNG", "NNP", "SL") or (words and tok.end != _start_of(toks, words, tok)):
            break
        words.insert(0, tok.form)
        if len(words) >= 2:
            break
    if (
        words
        and before
        and before[-1].tag in ("NNG", "NNP", "SL")
        and value.start - before[-1].end <= 1
        and not any(w in _NOT_MEASURED for w in words)
        and not _names(ctx, before[-1])
    ):
        return "".join(words)
    after = [t for t in toks if t.start >= value.end]
    words = []
    for position, tok in enumerate(after):
        verb_noun = position + 1 < len(after) and after[position + 1].tag.startswith("XSV")
        if tok.tag in ("NNG", "NNP", "SL") and not verb_noun:
            words.append(ctx.text[tok.start : tok.end])
        elif words or not tok.tag.startswith(("J", "V", "E", "MAG", "XS")):
            break
        if len(words) >= 3:
            break
    return " ".join(words) or None


def _start_of(toks: tuple[Tok, ...], words: list[str], tok: Tok) -> int:
    """Where the word after ``tok`` starts (the nouns of one measured phrase touch)."""
    following = [t for t in toks if t.start >= tok.end]
    return following[0].start if following else tok.end


def _names(ctx: _Context, tok: Tok) -> bool:
    return any(s.start <= tok.start < s.end for s in ctx.spans)


RULES: tuple[Callable[[_Context], None], ...] = (
    rule_titles,
    rule_speaker,
    rule_panel,
    rule_held_at,
    rule_event_date,
    rule_joint_event,
    rule_joint_event_name,
    rule_co_hosts,
    rule_located_in_country,
    rule_place_in_place,
    rule_headquarters,
    rule_located_at,
    rule_cooperation,
    rule_suppliers,
    rule_designate,
    rule_designated_zone,
    rule_parent_organization,
    rule_established,
    rule_cofounders,
    rule_investors,
    rule_former_employer,
    rule_plans,
    rule_completion,
    rule_develops_into,
    rule_attract_talent,
    rule_theme,
    rule_edition,
    rule_quantities,
)


def read_statements(
    doc: Document,
    analysed: list[AnalysedSentence],
    per_sentence: list[list[Span]],
    spans: list[Span],
) -> tuple[Statement, ...]:
    """Every statement the rules find in a document, in reading order."""
    by_cluster: dict[int, Span] = {}
    for span in spans:
        if not span.is_anaphor:
            by_cluster.setdefault(span.cluster, span)
    heads: dict[int, int] = {}
    affiliations: dict[int, int] = {}
    topic: Span | None = None
    speaker: Span | None = None
    statements: list[Statement] = []
    last_event: Span | None = None
    for sent, sent_spans in zip(analysed, per_sentence, strict=True):
        ctx = _Context(
            doc,
            sent,
            sent_spans,
            korean_values_in(doc, sent),
            _quotes(sent),
            heads,
            affiliations,
            by_cluster,
            topic,
            speaker,
            last_event,
            spans,
        )
        for rule in RULES:
            rule(ctx)
        statements.extend(ctx.out)
        subject = ctx.subject_before(sent.sentence.end)
        said = ctx.sentence_speaker()
        if said is not None:
            speaker = said
        if subject is not None and ctx.in_quote(subject.start) is None:
            if _kind(subject) == "Person":
                head = heads.get(subject.cluster)
                topic = by_cluster.get(head, topic) if head is not None else topic
            else:
                topic = subject
        events = [s for s in sent_spans if _kind(s) == "Event"]
        if events:
            last_event = events[-1]
    return tuple(statements)


def korean_values_in(doc: Document, sent: AnalysedSentence) -> list[ValueSpan]:
    """The sentence's values with document offsets."""
    offset = sent.sentence.start
    return [
        ValueSpan(v.start + offset, v.end + offset, v.value, v.kind)
        for v in korean_values(sent.sentence.text, doc.date)
    ]
