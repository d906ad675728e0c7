"""Dates, years and amounts read off Korean and English sentences (kg/extract/values.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.values import ValueSpan, english_values, korean_values, parse_korean_amount
from kg.model import Quantity, TimeValue

SEED_DATE = dt.date(2024, 9, 25)  # the seed article's date, a Wednesday


def spans(values: list[ValueSpan], text: str) -> list[tuple[str, Quantity | TimeValue, str]]:
    """Each value as (the text it covers, its value, its kind)."""
    return [(text[v.start : v.end], v.value, v.kind) for v in values]


# --------------------------------------------------------------------------- parse_korean_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1조5000억", 1_500_000_000_000),
        ("20만", 200_000),
        ("5천억", 500_000_000_000),
        ("3.5만", 35_000),
        ("1,200", 1_200),
        ("1,200억", 120_000_000_000),
        ("4조2000억", 4_200_000_000_000),
        ("8000억", 800_000_000_000),
        ("1억1", 100_000_001),
        ("1조 5000억", 1_500_000_000_000),
        ("9999조9999억9999만9999", 9_999_999_999_999_999),
    ],
)
def test_parse_korean_amount(text: str, expected: int) -> None:
    assert parse_korean_amount(text) == Decimal(expected)


def test_parse_korean_amount_keeps_the_decimal_fraction() -> None:
    assert parse_korean_amount("3.5만") == Decimal("35000.0")
    assert parse_korean_amount("1.5조") == Decimal("1500000000000")


@pytest.mark.parametrize("text", ["억원", "abc", "1조x"])
def test_parse_korean_amount_refuses_what_is_no_amount(text: str) -> None:
    with pytest.raises(ValueError, match="not a Korean amount"):
        parse_korean_amount(text)


_KO_GROUPS = ((10**12, "조"), (10**8, "억"), (10**4, "만"))


def write_korean(n: int, separator: str, commas: bool) -> str:
    """n written the way Korean news writes amounts: 1500000000000 -> '1조5000억'."""
    parts = []
    rest = n
    for size, unit in _KO_GROUPS:
        group, rest = divmod(rest, size)
        if group:
            parts.append(f"{group:,}{unit}" if commas else f"{group}{unit}")
    if rest:
        parts.append(f"{rest:,}" if commas else str(rest))
    return separator.join(parts)


def test_write_korean_helper() -> None:
    assert write_korean(1_500_000_000_000, "", False) == "1조5000억"
    assert write_korean(200_000, "", False) == "20만"
    assert write_korean(12_345_678, " ", True) == "1,234만 5,678"


@given(
    n=st.integers(min_value=1, max_value=10**16 - 1),
    separator=st.sampled_from(["", " "]),
    commas=st.booleans(),
)
def test_korean_amounts_round_trip(n: int, separator: str, commas: bool) -> None:
    written = write_korean(n, separator, commas)
    assert parse_korean_amount(written) == Decimal(n), written


@given(n=st.integers(min_value=1, max_value=10**16 - 1))
def test_korean_amounts_in_won_round_trip_through_sentences(n: int) -> None:
    text = f"기업가치는 {write_korean(n, '', False)}원에 달한다."
    [value] = korean_values(text, SEED_DATE)
    assert value.value == Quantity(Decimal(n), "KRW", "원", "exact")
    assert value.kind == "amount"


# --------------------------------------------------------------------------- korean_values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the seed's sentences
        (
            "오세훈 서울시장이 25일 대한상공회의소에서 열린 콘퍼런스에서 발표했다.",
            [("25일", TimeValue("2024-09-25", "date"), "date")],
        ),
        ("행사는 9월 3일 열린다.", [("9월 3일", TimeValue("2024-09-03", "date"), "date")]),
        ("행사는 2023년 11월 7일 열렸다.", [("2023년 11월 7일", TimeValue("2023-11-07", "date"), "date")]),
        ("2030년 6월 완공 예정이다.", [("2030년 6월", TimeValue("2030-06", "gYearMonth"), "year_month")]),
        ("2017년 '서울 AI 허브'를 설립했고", [("2017년", TimeValue("2017", "gYear"), "year")]),
        ("2030년까지 'AI 서울 테크시티' 건립을 추진", [("2030년", TimeValue("2030", "gYear"), "year")]),
        (
            "시는 360개가 넘는 AI 스타트업을 육성했고",
            [("360개가 넘는", Quantity(Decimal(360), "C62", "개", "more_than"), "amount")],
        ),
        (
            "이들의 기업가치는 1조5000억원에 육박한다.",
            [("1조5000억원에 육박", Quantity(Decimal(1_500_000_000_000), "KRW", "원", "nearly"), "amount")],
        ),
        (
            "20만㎡ 규모의 'AI 서울 테크시티'로 발전시키겠다",
            [("20만㎡", Quantity(Decimal(200_000), "MTK", "㎡", "exact"), "amount")],
        ),
        (
            "앞으로 5년간 1200억원 투입",
            [
                ("5년간", Quantity(Decimal(5), "ANN", "년간", "exact"), "duration"),
                ("1200억원", Quantity(Decimal(120_000_000_000), "KRW", "원", "exact"), "amount"),
            ],
        ),
        ("300여 명 참석", [("300여 명", Quantity(Decimal(300), "C62", "명", "about"), "amount")]),
        ("약 300명 참석", [("약 300명", Quantity(Decimal(300), "C62", "명", "about"), "amount")]),
        ("300명 정도가 참석했다.", [("300명 정도", Quantity(Decimal(300), "C62", "명", "about"), "amount")]),
        ("100명 미만", [("100명 미만", Quantity(Decimal(100), "C62", "명", "less_than"), "amount")]),
        ("특허 450건", [("450건", Quantity(Decimal(450), "C62", "건", "exact"), "amount")]),
        ("아무 숫자도 없는 문장이다.", []),
    ],
)
def test_korean_values(text: str, expected: list[tuple[str, object, str]]) -> None:
    assert spans(korean_values(text, SEED_DATE), text) == expected


@pytest.mark.parametrize(
    ("text", "covered", "qualifier"),
    [
        ("120개 이상의 기업", "120개 이상", "at_least"),
        ("120개이상의 기업", "120개이상", "at_least"),
        ("100억원 이상을 투자", "100억원 이상", "at_least"),
        ("100명 이하", "100명 이하", "less_than"),
    ],
)
def test_korean_bounds_isang_iha(text: str, covered: str, qualifier: str) -> None:
    [value] = korean_values(text, SEED_DATE)
    assert isinstance(value.value, Quantity)
    assert (text[value.start : value.end], value.value.qualifier) == (covered, qualifier)


@pytest.mark.parametrize(
    ("text", "covered"),
    [
        ("특허 450건을 출원했다.", "450건"),
        ("300여 명이 참석했다.", "300여 명"),
        ("앞으로 1200억원을 투입한다.", "1200억원"),
    ],
)
def test_korean_amount_span_ends_at_the_unit_without_a_bound(text: str, covered: str) -> None:
    [value] = korean_values(text, SEED_DATE)
    assert text[value.start : value.end] == covered


@pytest.mark.parametrize(
    "text",
    ["오세훈 서울시장이 25일 발표했다.", "행사는 9월 3일 열린다."],
)
def test_korean_days_without_a_publication_date_are_left_out(text: str) -> None:
    assert korean_values(text, None) == []


def test_korean_full_dates_and_years_need_no_publication_date() -> None:
    text = "2023년 11월 7일 문을 연 센터는 2017년 설립됐다."
    assert spans(korean_values(text, None), text) == [
        ("2023년 11월 7일", TimeValue("2023-11-07", "date"), "date"),
        ("2017년", TimeValue("2017", "gYear"), "year"),
    ]


def test_korean_day_that_the_publication_month_lacks_is_left_out() -> None:
    assert korean_values("30일 열렸다.", dt.date(2023, 2, 10)) == []
    assert korean_values("2월 30일 열렸다.", dt.date(2023, 2, 10)) == []


DAY_SENTENCES = [
    "{}일 열렸다.",
    "오세훈 시장이 {}일 대한상공회의소에서 말했다.",
    "지난 {}일, 시는 밝혔다.",
    "오는 {}일 열린다.",
]


def _month_of(published: dt.date, shift: int) -> tuple[int, int]:
    index = published.year * 12 + published.month - 1 + shift
    return index // 12, index % 12 + 1


@given(
    day=st.integers(min_value=0, max_value=99),
    padded=st.booleans(),
    published=st.dates(min_value=dt.date(1900, 2, 1), max_value=dt.date(2100, 11, 30)),
    template=st.sampled_from(DAY_SENTENCES),
)
def test_korean_bare_day_is_a_date_of_the_nearest_month_the_text_points_to_or_nothing(
    day: int, padded: bool, published: dt.date, template: str
) -> None:
    """A bare day is of the publication month; after 지난 (last) a day later than the
    publication's is last month's, after 오는 (coming) an earlier one is next month's."""
    written = f"{day:02d}" if padded else str(day)
    text = template.format(written)
    values = korean_values(text, published)
    shift = 0
    if template.startswith("지난") and day > published.day:
        shift = -1
    elif template.startswith("오는") and day < published.day:
        shift = 1
    year, month = _month_of(published, shift)
    try:
        expected = dt.date(year, month, day)
    except ValueError:
        assert values == []
        return
    assert len(values) == 1
    [value] = values
    assert value.kind == "date"
    assert text[value.start : value.end] == f"{written}일"
    assert isinstance(value.value, TimeValue) and value.value.datatype == "date"
    assert dt.date.fromisoformat(value.value.lexical) == expected


# --------------------------------------------------------------------------- english_values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The forum opened on September 25, 2024 in Seoul.",
            [("September 25, 2024", TimeValue("2024-09-25", "date"), "date")],
        ),
        ("It closes on Oct. 8 in Lyon.", [("Oct. 8", TimeValue("2024-10-08", "date"), "date")]),
        ("It was held on 8 October 2023.", [("8 October 2023", TimeValue("2023-10-08", "date"), "date")]),
        ("The hub was founded in 2017.", [("2017", TimeValue("2017", "gYear"), "year")]),
        (
            "The hub has supported more than 150 startups.",
            [("more than 150 startups", Quantity(Decimal(150), "C62", "startups", "more_than"), "amount")],
        ),
        (
            "The city will invest 1.2 trillion won.",
            [("1.2 trillion won", Quantity(Decimal(1_200_000_000_000), "KRW", "won", "exact"), "amount")],
        ),
        (
            "a campus of 200,000 square metres",
            [("200,000 square metres", Quantity(Decimal(200000), "MTK", "square metres", "exact"), "amount")],
        ),
        (
            "a 60,000-square-metre campus",
            [("60,000-square-metre", Quantity(Decimal(60_000), "MTK", "square-metre", "exact"), "amount")],
        ),
        (
            "The plan runs over the next 10 years.",
            [("10 years", Quantity(Decimal(10), "ANN", "years", "exact"), "duration")],
        ),
        (
            "The plan runs over 10 years.",
            [("over 10 years", Quantity(Decimal(10), "ANN", "years", "exact"), "duration")],
        ),
        (
            "nearly 300 billion won",
            [("nearly 300 billion won", Quantity(Decimal(300 * 10**9), "KRW", "won", "nearly"), "amount")],
        ),
        ("Nothing to count here.", []),
    ],
)
def test_english_values(text: str, expected: list[tuple[str, object, str]]) -> None:
    assert spans(english_values(text, SEED_DATE), text) == expected


def test_english_dollars() -> None:
    [value] = english_values("The fund holds $3 billion.", SEED_DATE)
    assert value.value == Quantity(Decimal(3_000_000_000), "USD", "$", "exact")
    assert value.kind == "amount"


@pytest.mark.parametrize(
    ("weekday", "published", "expected"),
    [
        ("Tuesday", dt.date(2024, 9, 25), "2024-09-24"),  # published on a Wednesday
        ("Tuesday", dt.date(2024, 9, 24), "2024-09-24"),  # the day of publication itself
        ("Wednesday", dt.date(2024, 9, 24), "2024-09-18"),  # never a day after publication
        ("Sunday", dt.date(2024, 9, 25), "2024-09-22"),
    ],
)
def test_english_weekday_is_the_latest_such_day_up_to_publication(
    weekday: str, published: dt.date, expected: str
) -> None:
    text = f"The mayor spoke on {weekday} at the forum."
    assert spans(english_values(text, published), text) == [(f"{weekday}", TimeValue(expected, "date"), "date")]


@given(
    published=st.dates(min_value=dt.date(1900, 1, 8), max_value=dt.date(2100, 12, 31)),
    weekday=st.integers(min_value=0, max_value=6),
)
def test_english_weekday_property(published: dt.date, weekday: int) -> None:
    name = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][weekday]
    [value] = english_values(f"It opened on {name}.", published)
    assert isinstance(value.value, TimeValue)
    day = dt.date.fromisoformat(value.value.lexical)
    assert day.weekday() == weekday
    assert published - dt.timedelta(days=6) <= day <= published


def test_english_weekday_and_bare_month_day_need_a_publication_date() -> None:
    assert english_values("The mayor spoke on Tuesday.", None) == []
    assert english_values("It closes on Oct. 8.", None) == []


@pytest.mark.parametrize(
    "text",
    ["Mobile phone companies joined the alliance.", "It was a milestone year for the city."],
)
def test_english_number_words_are_whole_words(text: str) -> None:
    assert english_values(text, SEED_DATE) == []


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("오는 3월 12일", dt.date(2025, 10, 2), "2026-03-12"),
        ("지난 11월 5일", dt.date(2025, 3, 2), "2024-11-05"),
        ("오는 3일", dt.date(2025, 10, 20), "2025-11-03"),
        ("지난 28일", dt.date(2025, 10, 2), "2025-09-28"),
        ("지난 19일", dt.date(2025, 10, 20), "2025-10-19"),
        ("오는 12월 31일", dt.date(2025, 12, 31), "2025-12-31"),
        ("3월 12일", dt.date(2025, 10, 2), "2025-03-12"),
        ("지난 30일", dt.date(2023, 2, 10), "2023-01-30"),
    ],
)
def test_korean_coming_and_last_days_cross_month_and_year(text: str, published: dt.date, expected: str) -> None:
    assert [v.value for v in korean_values(text, published)] == [TimeValue(expected, "date")]
