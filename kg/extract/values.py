"""Dates, years and amounts written in Korean or English, read into typed values.

The functions scan a sentence's text and return :class:`ValueSpan` objects with offsets
into that text; the extractors decide which entity a value belongs to.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kg.model import Quantity, TimeValue

__all__ = [
    "EN_QUALIFIERS",
    "ValueSpan",
    "english_values",
    "korean_values",
    "ordinal_number",
    "parse_korean_amount",
]


@dataclass(frozen=True)
class ValueSpan:
    start: int
    end: int
    value: Quantity | TimeValue
    kind: str  # date | year | year_month | amount | duration


_KO_BIG = {"조": Decimal(10) ** 12, "억": Decimal(10) ** 8, "만": Decimal(10) ** 4}
_KO_SMALL = {"천": Decimal(1000), "백": Decimal(100), "십": Decimal(10)}
_KO_PIECE = re.compile(r"(\d[\d,]*(?:\.\d+)?)?\s*([조억만천백십])?")


def parse_korean_amount(text: str) -> Decimal:
    """'1조5000억' -> 1500000000000, '20만' -> 200000, '5천억' -> 500000000000.

    >>> parse_korean_amount("1조5000억")
    Decimal('1500000000000')
    >>> parse_korean_amount("3.5만")
    Decimal('35000.0')
    """
    total = Decimal(0)
    group = Decimal(0)
    position = 0
    text = text.strip()
    while position < len(text):
        piece = _KO_PIECE.match(text, position)
        if piece is None or piece.end() == position:
            raise ValueError(f"not a Korean amount: {text!r}")
        position = piece.end()
        digits, unit = piece.group(1), piece.group(2)
        number = _number(digits) if digits else None
        if unit in _KO_SMALL:
            group += (number if number is not None else Decimal(1)) * _KO_SMALL[unit]
        elif unit in _KO_BIG:
            group += number if number is not None else Decimal(0)
            if group == 0:
                group = Decimal(1)
            total += group * _KO_BIG[unit]
            group = Decimal(0)
        else:
            group += number if number is not None else Decimal(0)
    return total + group


def _number(digits: str) -> Decimal:
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {digits!r}") from None


# unit text -> (code, kind); codes are UN/CEFACT common codes or ISO 4217 currencies
_KO_UNITS: dict[str, tuple[str, str]] = {
    "원": ("KRW", "amount"),
    "달러": ("USD", "amount"),
    "유로": ("EUR", "amount"),
    "위안": ("CNY", "amount"),
    "㎡": ("MTK", "amount"),
    "m²": ("MTK", "amount"),
    "m2": ("MTK", "amount"),
    "제곱미터": ("MTK", "amount"),
    "㎢": ("KMK", "amount"),
    "km²": ("KMK", "amount"),
    "개사": ("C62", "amount"),
    "가구": ("C62", "amount"),
    "층": ("C62", "amount"),
    "장": ("C62", "amount"),
    "개": ("C62", "amount"),
    "곳": ("C62", "amount"),
    "명": ("C62", "amount"),
    "건": ("C62", "amount"),
    "%": ("P1", "amount"),
    "년간": ("ANN", "duration"),
    "개월간": ("MON", "duration"),
    "개월": ("MON", "duration"),
    "일간": ("DAY", "duration"),
}
_KO_UNIT_RE = "|".join(sorted((re.escape(u) for u in _KO_UNITS), key=len, reverse=True))
_KO_AMOUNT = re.compile(
    r"(?P<about>약\s*)?(?P<num>\d[\d,]*(?:\.\d+)?(?:\s*[조억만천백]\s*(?:\d[\d,]*(?:\.\d+)?)?)*)"
    r"(?P<approx>여)?\s*(?P<unit>" + _KO_UNIT_RE + r")"
    r"(?P<after>\s*(?:가|이|를|을|에|의|은|는)?\s*(?:넘는|넘게|넘어|넘은|넘|초과|이상|이하|미만|육박|가까운|가까이|가량|정도|안팎|내외|여))?"
)
_KO_QUALIFIERS = (
    (("넘는", "넘게", "넘어", "넘은", "넘", "초과"), "more_than"),
    (("이상",), "at_least"),
    (("이하", "미만"), "less_than"),
    (("육박", "가까운", "가까이"), "nearly"),
    (("가량", "정도", "안팎", "내외", "여"), "about"),
)
_KO_FULL_DATE = re.compile(r"(?<!\d)(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일(?!간)")
_KO_MONTH_DAY = re.compile(r"(?<![\d년])\s?(?<!\d)(\d{1,2})월\s*(\d{1,2})일(?!간)")
_KO_DAY = re.compile(r"(?<![\d월.])(?<!월\s)(\d{1,2})일(?![간째])")
_KO_YEAR_MONTH = re.compile(r"(?<!\d)(\d{4})년\s*(\d{1,2})월(?!\s*\d{1,2}일)")
_KO_YEAR = re.compile(r"(?<!\d)(\d{4})년(?![간대\s]*\d{1,2}월)(?!간|대)")


def _qualifier(before: str | None, after: str) -> str:
    for words, name in _KO_QUALIFIERS:
        if any(after.strip().endswith(w) or after.strip() == w for w in words):
            return name
    return "about" if before else "exact"


def _valid_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


_KO_RELATIVE_DAY = re.compile(r"(지난달|지난 달|다음 달|다음달|내달)\s*(\d{1,2})일(?!간)")
_KO_RELATIVE_MONTH = re.compile(r"(지난해|작년|내년|올해|지난|오는|다음 해)\s*(\d{1,2})월(?!\s*\d{1,2}일)")
_DIGIT = re.compile(r"\d")  # as the patterns read it: any decimal digit
_KO_DAY_BEFORE = re.compile(r"(?<![가-힣])(전날|어제)(?=[^가-힣]|[은는에도의])")


def _direction(before: str) -> int:
    """+1 after '오는' (coming), -1 after '지난' (last), else 0."""
    m = re.search(r"(오는|지난)\s*$", before)
    return 0 if m is None else (1 if m.group(1) == "오는" else -1)


def _shift_month(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def korean_values(text: str, published: dt.date | None) -> list[ValueSpan]:
    """Every date, year and amount in a Korean sentence, left to right, not overlapping.

    A bare day ('25일') takes the month and year of the publication date; without one it
    is left out rather than guessed.
    """
    found: list[ValueSpan] = []

    def free(start: int, end: int) -> bool:
        return all(end <= v.start or start >= v.end for v in found)

    # every value but the day before (전날, 어제) is written with digits, and a date with
    # 년, 월 or 일: a sentence without them is not scanned for such values
    numbered = _DIGIT.search(text) is not None

    def scan(pattern: re.Pattern[str], word: str = "") -> Iterator[re.Match[str]]:
        """The matches of ``pattern``, each of which holds a digit and ``word``."""
        return pattern.finditer(text) if numbered and word in text else iter(())

    for m in scan(_KO_FULL_DATE, "일"):
        year, month, day = (int(g) for g in m.groups())
        if _valid_date(year, month, day):
            found.append(ValueSpan(m.start(), m.end(), TimeValue(f"{year:04d}-{month:02d}-{day:02d}", "date"), "date"))
    for m in scan(_KO_YEAR_MONTH, "월"):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and free(m.start(), m.end()):
            found.append(
                ValueSpan(m.start(), m.end(), TimeValue(f"{year:04d}-{month:02d}", "gYearMonth"), "year_month")
            )
    if published is not None:
        for m in scan(_KO_RELATIVE_DAY, "일"):
            year, month = _shift_month(published, -1 if m.group(1).startswith("지난") else 1)
            day = int(m.group(2))
            if _valid_date(year, month, day):
                found.append(
                    ValueSpan(m.start(), m.end(), TimeValue(f"{year:04d}-{month:02d}-{day:02d}", "date"), "date")
                )
        for m in scan(_KO_RELATIVE_MONTH, "월"):
            month = int(m.group(2))
            if not 1 <= month <= 12 or not free(m.start(), m.end()):
                continue
            word = m.group(1)
            year = published.year + {"지난해": -1, "작년": -1, "내년": 1, "다음 해": 1}.get(word, 0)
            if word == "지난" and month > published.month:
                year -= 1  # '지난 11월' in a March article is last year's
            if word == "오는" and month < published.month:
                year += 1
            found.append(
                ValueSpan(m.start(), m.end(), TimeValue(f"{year:04d}-{month:02d}", "gYearMonth"), "year_month")
            )
        for m in _KO_DAY_BEFORE.finditer(text):
            if free(m.start(), m.end()):
                day_before = published - dt.timedelta(days=1)
                found.append(ValueSpan(m.start(), m.end(), TimeValue(day_before.isoformat(), "date"), "date"))
        for m in scan(_KO_MONTH_DAY, "월"):
            month, day = int(m.group(1)), int(m.group(2))
            start = m.start(1)
            # '오는 3월 12일' in an October article is next year's; '지난 11월 5일' in March, last year's
            direction = _direction(text[:start])
            year = published.year + (
                (direction > 0 and (month, day) < (published.month, published.day))
                - (direction < 0 and (month, day) > (published.month, published.day))
            )
            if free(start, m.end()) and _valid_date(year, month, day):
                found.append(ValueSpan(start, m.end(), TimeValue(f"{year:04d}-{month:02d}-{day:02d}", "date"), "date"))
        for m in scan(_KO_DAY, "일"):
            day = int(m.group(1))
            direction = _direction(text[: m.start()])
            year, month = published.year, published.month
            if direction > 0 and day < published.day:  # '오는 3일' written on the 20th: next month's
                year, month = _shift_month(published, 1)
            elif direction < 0 and day > published.day:  # '지난 28일' written on the 2nd: last month's
                year, month = _shift_month(published, -1)
            if free(m.start(), m.end()) and _valid_date(year, month, day):
                lexical = f"{year:04d}-{month:02d}-{day:02d}"
                found.append(ValueSpan(m.start(), m.end(), TimeValue(lexical, "date"), "date"))
    for m in scan(_KO_YEAR, "년"):
        if free(m.start(), m.end()):
            found.append(ValueSpan(m.start(), m.end(), TimeValue(m.group(1), "gYear"), "year"))
    for m in scan(_KO_AMOUNT):
        if not free(m.start("num"), m.end("unit")):
            continue
        try:
            amount = parse_korean_amount(m.group("num"))
        except ValueError:
            continue
        unit = m.group("unit")
        code, kind = _KO_UNITS[unit]
        quantity = Quantity(
            amount=_normal(amount),
            unit=code,
            unit_text=unit,
            qualifier=_qualifier(m.group("about") or m.group("approx"), m.group("after") or ""),
        )
        end = m.end("after") if m.group("after") else m.end("unit")
        found.append(ValueSpan(m.start(), end, quantity, kind))
    return sorted(found, key=lambda v: v.start)


def _normal(amount: Decimal) -> Decimal:
    """Integral amounts without a fractional part, so 1.5조 prints as 1500000000000."""
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal(1))
    return amount.normalize()


# English ---------------------------------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_RE = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_EN_MDY = re.compile(r"\b" + _MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?\b", re.I)
_EN_DMY = re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH_RE + r"(?:,?\s+(?P<year>\d{4}))?\b", re.I)
_EN_WEEKDAY = re.compile(r"\bon\s+(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", re.I)
_EN_YEAR = re.compile(
    r"(?<![\d,.$])\b(?P<year>(?:19|20)\d{2})\b(?![\d,])(?!\s*(?:square|km|won|dollars|people|startups|companies))"
)
_SCALE = {
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}
_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_EN_UNITS: dict[str, tuple[str, str]] = {
    "square metres": ("MTK", "amount"),
    "square meters": ("MTK", "amount"),
    "square-metre": ("MTK", "amount"),
    "square-meter": ("MTK", "amount"),
    "sq m": ("MTK", "amount"),
    "m2": ("MTK", "amount"),
    "m²": ("MTK", "amount"),
    "square kilometres": ("KMK", "amount"),
    "square kilometers": ("KMK", "amount"),
    "won": ("KRW", "amount"),
    "dollars": ("USD", "amount"),
    "euros": ("EUR", "amount"),
    "years": ("ANN", "duration"),
    "year": ("ANN", "duration"),
    "months": ("MON", "duration"),
    "month": ("MON", "duration"),
    "percent": ("P1", "amount"),
    "%": ("P1", "amount"),
}
_EN_UNIT_RE = "|".join(sorted((re.escape(u) for u in _EN_UNITS), key=len, reverse=True))
_EN_NUMBER = r"(?<![\w.])(?:\d[\d,]*(?:\.\d+)?|(?:" + "|".join(_WORDS) + r")\b)"
_EN_AMOUNT = re.compile(
    r"(?P<qual>\b(?:more than|over|at least|nearly|almost|about|around|roughly|some|up to|less than|fewer than)\s+)?"
    r"(?P<currency>[$€₩])?(?P<num>" + _EN_NUMBER + r")(?:\s+(?P<scale>thousand|million|billion|trillion))?"
    r"(?:[\s-]+(?P<unit>" + _EN_UNIT_RE + r")\b|(?P<percent>%)|\s+(?P<counted>[a-z][a-z-]+))?",
    re.I,
)
EN_QUALIFIERS = {
    "more than": "more_than",
    "over": "more_than",
    "at least": "at_least",
    "nearly": "nearly",
    "almost": "nearly",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "some": "about",
    "up to": "at_least",
    "less than": "less_than",
    "fewer than": "less_than",
}
_CURRENCIES = {"$": "USD", "€": "EUR", "₩": "KRW"}
# Nouns that, after a bare number, make it a count worth keeping ("150 startups").
_COUNTABLE = re.compile(
    r"^(?:startups?|compan(?:y|ies)|firms?|businesses|people|researchers|engineers|"
    r"students|jobs|institutions|universities|members|participants|experts|"
    r"developers|projects|patents|countries|cities|exhibitors|visitors)$",
    re.I,
)


def ordinal_number(text: str) -> int | None:
    """'14th' -> 14, 'third' -> 3."""
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", text, re.I)
    if m:
        return int(m.group(1))
    words = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ]
    return words.index(text.lower()) + 1 if text.lower() in words else None


def english_values(text: str, published: dt.date | None) -> list[ValueSpan]:
    """Dates, years and amounts in an English sentence, left to right, not overlapping."""
    found: list[ValueSpan] = []

    def free(start: int, end: int) -> bool:
        return all(end <= v.start or start >= v.end for v in found)

    for pattern in (_EN_MDY, _EN_DMY):
        for m in pattern.finditer(text):
            month = _MONTHS[m.group("month").lower().rstrip(".")]
            day = int(m.group("day"))
            year = int(m.group("year")) if m.group("year") else (published.year if published else None)
            if year is None or not free(m.start(), m.end()) or not _valid_date(year, month, day):
                continue
            found.append(ValueSpan(m.start(), m.end(), TimeValue(f"{year:04d}-{month:02d}-{day:02d}", "date"), "date"))
    if published is not None:
        for m in _EN_WEEKDAY.finditer(text):
            if not free(m.start("weekday"), m.end()):
                continue
            weekday = list(calendar.day_name).index(m.group("weekday").capitalize())
            # wire copy's "on Tuesday" means the latest Tuesday up to the day of publication
            back = (published.weekday() - weekday) % 7
            latest = published - dt.timedelta(days=back)
            found.append(ValueSpan(m.start("weekday"), m.end(), TimeValue(latest.isoformat(), "date"), "date"))
    for m in _EN_AMOUNT.finditer(text):
        start, end = m.start("num") if not m.group("qual") else m.start(), m.end()
        if not free(m.start("num"), m.end("num")):
            continue
        raw = m.group("num").lower()
        amount = Decimal(_WORDS[raw]) if raw in _WORDS else _number(raw)
        if m.group("scale"):
            amount *= _SCALE[m.group("scale").lower()]
        unit_text = m.group("unit") or m.group("percent")
        qualifier = EN_QUALIFIERS.get((m.group("qual") or "").strip().lower(), "exact")
        if unit_text and _EN_UNITS.get(unit_text.lower(), ("", ""))[1] == "duration" and qualifier == "more_than":
            qualifier = "exact"  # "over five years" is a span of time, not a bound
        if m.group("currency"):
            code, kind, unit_text = _CURRENCIES[m.group("currency")], "amount", m.group("currency")
            end = m.end("scale") if m.group("scale") else m.end("num")
        elif unit_text:
            code, kind = _EN_UNITS[unit_text.lower()]
        elif m.group("counted") and _COUNTABLE.match(m.group("counted")):
            code, kind, unit_text = "C62", "amount", m.group("counted")
        else:
            continue
        if kind == "amount" and code == "C62" and raw.isdigit() and len(raw) == 4 and raw.startswith(("19", "20")):
            continue
        quantity = Quantity(amount=_normal(amount), unit=code, unit_text=unit_text, qualifier=qualifier)
        found.append(ValueSpan(start, end, quantity, kind))
    for m in _EN_YEAR.finditer(text):
        if free(m.start(), m.end()):
            found.append(ValueSpan(m.start(), m.end(), TimeValue(m.group("year"), "gYear"), "year"))
    return sorted(found, key=lambda v: v.start)
