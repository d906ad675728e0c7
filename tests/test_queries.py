"""The competency questions in queries/ and their exact answers on the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.query import format_result, open_store, read_query_arg, run_query

from .conftest import ROOT

QUERIES = ROOT / "queries"

EXPECTED = {
    "conference_when_where.rq": [
        "conference,edition,date,venue,country",
        "제14회 ADeKo 콘퍼런스,14,2024-09-25,Korea Chamber of Commerce and Industry,Germany",
        "제14회 ADeKo 콘퍼런스,14,2024-09-25,Korea Chamber of Commerce and Industry,South Korea",
    ],
    "fact_evidence.rq": [
        "sentence,document,published,begin,end,rule,confidence",
        "\"앞서 서울시는 AI산업 육성을 위해 2017년 전국 최초로 스타트업 전문 지원기관인 '서울 AI 허브'를 설립했고,"
        " 2030년까지 대규모 AI 거점공간인 'AI 서울 테크시티' 건립을 추진하고 있다.\","
        "ADeKo 콘퍼런스서 서울시 AI 정책 방향 소개,2024-09-25,568,679,ko.established,0.85",
    ],
    "partners_by_country.rq": [
        "country,partner",
        "CA,Mila",
        "CA,Université de Montréal",
        "DE,Cyber Valley",
        "KR,KAIST",
        "KR,Naver",
        "KR,Seoul National University",
        "US,Google",
        "US,Microsoft",
    ],
    "people_and_roles.rq": [
        "person,role,of",
        "Oh Se-hoon,keynote speaker at,제14회 ADeKo 콘퍼런스",
        "Oh Se-hoon,mayor of,Seoul",
        "Oh Se-hoon,speaker at,제14회 ADeKo 콘퍼런스",
    ],
    "planned_facilities.rq": [
        "facility,planner,target,area,unit,from",
        "AI 서울 테크시티,Seoul,2030,200000,㎡,서울 AI 허브",
    ],
    "seoul_established.rq": ["established,year", "서울 AI 허브,2017"],
    "strategic_industries.rq": [
        "designator,industry",
        "Seoul,artificial intelligence",
        "Seoul,biotechnology",
        "Seoul,fintech",
        "Seoul,robotics",
    ],
}


def test_every_query_has_an_expected_answer() -> None:
    assert sorted(p.name for p in QUERIES.glob("*.rq")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 6


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_competency_question(name: str, seed_dir: Path) -> None:
    result = run_query(open_store(seed_dir), read_query_arg(str(QUERIES / name)))
    assert format_result(result, "csv").splitlines() == EXPECTED[name]
