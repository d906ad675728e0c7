"""Tests for kg.extract.korean and kg.extract.korean_rules: names and relations of Korean news.

The seed article and the gold documents in tests/data are scored end to end in
test_pipeline.py; here each construction is checked on a sentence written for it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kg.extract.korean import extract_korean, leftmost_longest
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.model import Document, Extraction, Quantity, Ref, TimeValue


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def run(text: str, gazetteer: Gazetteer) -> Extraction:
    return extract_korean(Document("probe", "probe.txt", text, "ko", "0" * 64, date=dt.date(2025, 10, 2)), gazetteer)


def names(ex: Extraction) -> dict[int, str]:
    """cluster -> the first name its mentions offer."""
    out: dict[int, str] = {}
    for m in ex.mentions:
        if m.names:
            out.setdefault(m.cluster, m.names[0])
    return out


def entities(ex: Extraction) -> set[tuple[str, str]]:
    """(first name, class) of every entity."""
    classes = {m.cluster: m.cls for m in ex.mentions}
    return {(name, classes[cluster]) for cluster, name in names(ex).items()}


def relations(ex: Extraction) -> set[tuple[str, str, str]]:
    label = names(ex)
    return {
        (label[s.subject], s.predicate, label[s.object.cluster]) for s in ex.statements if isinstance(s.object, Ref)
    }


def facts(ex: Extraction) -> set[tuple[str, str, str]]:
    label = names(ex)
    out = set()
    for s in ex.statements:
        if isinstance(s.object, Quantity):
            out.add((label[s.subject], s.predicate, f"{s.object.amount} {s.object.unit}"))
        elif isinstance(s.object, TimeValue):
            out.add((label[s.subject], s.predicate, s.object.lexical))
    return out


def test_company_name_ends_where_the_nouns_end_and_keeps_its_latin_alias(gazetteer: Gazetteer) -> None:
    ex = run("물류 스타트업 하늘다리로지스(Haneuldari Logis)가 투자를 받았다.", gazetteer)
    aliases = {m.names for m in ex.mentions if m.rule == "ko.company_appositive"}
    assert aliases == {("하늘다리로지스", "Haneuldari Logis")}


def test_a_description_after_a_company_word_is_no_name(gazetteer: Gazetteer) -> None:
    ex = run("부산시는 2021년 로봇 스타트업 지원기관인 '부산로봇혁신센터'를 설립했다.", gazetteer)
    assert "지원기관" not in names(ex).values()


def test_a_region_before_market_is_no_mayor(gazetteer: Gazetteer) -> None:
    ex = run("가람소프트는 내년 유럽 시장 공략에 나선다.", gazetteer)
    assert all(m.cls != "Person" for m in ex.mentions)


def test_transcribed_foreign_names_are_people_or_organisations_by_their_latin_form(gazetteer: Gazetteer) -> None:
    ex = run(
        "행사에는 독일 경제진흥기관인 베를린 파트너(Berlin Partner)와 "
        "미국 벤처캐피털 노스스타캐피털(Northstar Capital), "
        "코넬대학교(Cornell University) 식품과학과의 레이철 문(Rachel Moon) 교수가 참석했다.",
        gazetteer,
    )
    found = entities(ex)
    assert ("베를린 파트너", "Organization") in found
    assert ("노스스타캐피털", "Company") in found
    assert ("레이철 문", "Person") in found
    assert ("레이철 문", "affiliatedWith", "코넬대학교") in relations(ex)
    rachel = next(m for m in ex.mentions if m.text == "레이철 문")
    assert rachel.names == ("레이철 문", "Rachel Moon")


def test_cofounders_and_officers_of_the_company_the_sentence_is_about(gazetteer: Gazetteer) -> None:
    ex = run(
        "2019년 대전 유성구에서 설립된 물류 스타트업 온누리로봇은 박서연 대표와 인도 출신의 "
        "라훌 싱(Rahul Singh) 최고기술책임자(CTO)가 함께 창업했다.",
        gazetteer,
    )
    assert {
        ("온누리로봇", "foundedBy", "박서연"),
        ("온누리로봇", "foundedBy", "라훌 싱"),
        ("라훌 싱", "affiliatedWith", "온누리로봇"),
    } <= relations(ex)
    assert ("온누리로봇", "foundingDate", "2019") in facts(ex)


def test_investors_that_lead_or_join_a_round_fund_the_company(gazetteer: Gazetteer) -> None:
    ex = run(
        "물류 스타트업 온누리로봇은 한빛벤처스가 주도한 이번 라운드에 가람인베스트먼트와 누리캐피탈, "
        "미국 벤처캐피털 블루웨이브캐피털(Bluewave Capital)이 참여했다고 밝혔다.",
        gazetteer,
    )
    funded = {(s, o) for s, p, o in relations(ex) if p == "fundedBy"}
    assert funded == {
        ("온누리로봇", "한빛벤처스"),
        ("온누리로봇", "가람인베스트먼트"),
        ("온누리로봇", "누리캐피탈"),
        ("온누리로봇", "블루웨이브캐피털"),
    }


def test_a_name_read_earlier_is_not_cut_short_later(gazetteer: Gazetteer) -> None:
    ex = run(
        "물류 스타트업 온누리로봇은 한빛벤처스가 주도한 투자를 유치했다. "
        "투자를 주도한 김도윤 한빛벤처스 파트너는 성장성을 높이 평가했다.",
        gazetteer,
    )
    assert ("김도윤", "affiliatedWith", "한빛벤처스") in relations(ex)
    assert "한빛벤처" not in names(ex).values()


def test_former_employer(gazetteer: Gazetteer) -> None:
    ex = run(
        "법인장에는 독일 건설기업 호흐바우(Hochbau)에서 디지털전환 총괄을 지낸 안나 슈미트(Anna Schmidt)가 선임됐다.",
        gazetteer,
    )
    assert ("안나 슈미트", "affiliatedWith", "호흐바우") in relations(ex)


def test_event_held_over_a_range_of_days_in_the_grounds_of_a_venue(gazetteer: Gazetteer) -> None:
    ex = run(
        "'제3회 가온 푸드테크 엑스포'가 오는 16일부터 20일까지 가온월드컵경기장 일원에서 열린다. "
        "가온시가 주최하고 한국발효연구원(KFRI)이 주관하는 올해 엑스포에는 160여개 기업이 참가한다.",
        gazetteer,
    )
    assert {
        ("제3회 가온 푸드테크 엑스포", "heldAt", "가온월드컵경기장"),
        ("제3회 가온 푸드테크 엑스포", "organizer", "한국발효연구원"),
    } <= relations(ex)
    assert {
        ("제3회 가온 푸드테크 엑스포", "startDate", "2025-10-16"),
        ("제3회 가온 푸드테크 엑스포", "endDate", "2025-10-20"),
    } <= facts(ex)


def test_project_cost_belongs_to_the_topic_not_the_city(gazetteer: Gazetteer) -> None:
    ex = run(
        "가온시는 산업 청사진을 공개했다. 부지에 조성 중인 '가온 탄소소재 국가산업단지'는 총사업비 3500억원 규모로, "
        "2028년 준공을 목표로 하고 있다.",
        gazetteer,
    )
    assert ("가온 탄소소재 국가산업단지", "hasQuantity", "350000000000 KRW") in facts(ex)


def test_designated_industries_leave_out_the_topic(gazetteer: Gazetteer) -> None:
    ex = run("대전시는 식품산업과 탄소산업을 지역 전략산업으로 지정했다.", gazetteer)
    designated = {o for s, p, o in relations(ex) if p == "designatesStrategicIndustry"}
    assert designated == {"식품산업", "탄소산업"}


def test_city_name_with_its_suffix_is_the_known_city(gazetteer: Gazetteer) -> None:
    ex = run("회사는 베를린시의 지원을 받아 베를린에 법인을 세운다.", gazetteer)
    berlin = {m.gazetteer_id for m in ex.mentions if m.text.startswith("베를린")}
    assert berlin == {"Berlin"}


def test_words_ending_in_dae_are_no_universities(gazetteer: Gazetteer) -> None:
    ex = run("'가온 발효 야시장'은 17일부터 사흘간 가온한옥마을 태조로 일대에서 운영된다.", gazetteer)
    assert all(m.cls != "University" for m in ex.mentions)


def test_a_plant_built_on_a_site_in_a_city_with_its_area_and_target_year(gazetteer: Gazetteer) -> None:
    ex = run(
        "배터리 소재 기업 누리소재는 2027년까지 텍사스주 테일러시 첨단제조단지 내 4만5000㎡ 부지에 "
        "'테일러 양극재 공장'을 건설한다고 밝혔다.",
        gazetteer,
    )
    assert {
        ("테일러 양극재 공장", "plannedBy", "누리소재"),
        ("테일러 양극재 공장", "locatedIn", "테일러시"),
    } <= relations(ex)
    assert {
        ("테일러 양극재 공장", "targetDate", "2027"),
        ("테일러 양극재 공장", "hasQuantity", "45000 MTK"),
    } <= facts(ex)


def test_mayor_of_a_city_named_before_and_a_supply_contract(gazetteer: Gazetteer) -> None:
    ex = run(
        "배터리 소재 기업 누리소재는 텍사스주 테일러시에 공장을 짓는다. "
        "협약식에는 데이비드 로스(David Ross) 테일러 시장이 참석했다. "
        "누리소재는 미국 완성차 업체 제너럴모터스(GM)와 장기계약을 체결했다. "
        "핵심 원료인 리튬은 광산업체 노던리튬(Northern Lithium)에서 조달한다.",
        gazetteer,
    )
    assert {
        ("데이비드 로스", "mayorOf", "테일러시"),
        ("누리소재", "cooperatesWith", "제너럴모터스"),
        ("누리소재", "cooperatesWith", "노던리튬"),
    } <= relations(ex)
    assert ("노던리튬", "Company") in entities(ex)


def test_sites_in_a_list_of_cities(gazetteer: Gazetteer) -> None:
    ex = run("2019년 설립된 배터리 소재 기업 누리소재는 구미와 전남 광양에 생산시설을 두고 있다.", gazetteer)
    assert {("누리소재", "locatedIn", "구미"), ("누리소재", "locatedIn", "광양")} <= relations(ex)
    assert {m.gazetteer_id for m in ex.mentions if m.text in ("구미", "광양")} == {"Gumi", "Gwangyang"}


def test_parent_organisations_and_a_founding_announced_in_the_passive(gazetteer: Gazetteer) -> None:
    ex = run(
        "전담기관으로는 과기정통부 산하 '한국AI모빌리티진흥원(KAIMA)'이 내년 1월 광주에 새로 설립된다. "
        "한결그룹의 배터리 소재 계열사인 한결에너지솔루션이 미국에 공장을 짓는다.",
        gazetteer,
    )
    assert {
        ("한국AI모빌리티진흥원", "parentOrganization", "과기정통부"),
        ("한국AI모빌리티진흥원", "locatedIn", "광주"),
        ("한결에너지솔루션", "parentOrganization", "한결그룹"),
    } <= relations(ex)
    assert ("한국AI모빌리티진흥원", "foundingDate", "2026-01") in facts(ex)


def test_a_zone_designated_over_a_city_and_industries_designated_by_the_city_after_the_verb(
    gazetteer: Gazetteer,
) -> None:
    ex = run(
        "정부가 광주광역시 일대를 'AI 모빌리티 특구'로 지정했다. "
        "앞서 AI와 미래차를 '2대 전략산업'으로 지정한 광주시는 두 산업을 하나로 묶는다.",
        gazetteer,
    )
    relation_set = relations(ex)
    assert ("AI 모빌리티 특구", "locatedIn", "광주광역시") in relation_set
    designated = {(s, o) for s, p, o in relation_set if p == "designatesStrategicIndustry"}
    assert designated == {("광주광역시", "AI"), ("광주광역시", "미래차")}


def test_a_new_name_glossed_with_a_known_short_form_is_the_known_entity(gazetteer: Gazetteer) -> None:
    ex = run(
        "그는 미국 매사추세츠공과대(MIT)에서 박사학위를 받은 뒤 연구소에서 10년간 소재를 연구한 박사다.", gazetteer
    )
    assert {m.gazetteer_id for m in ex.mentions if m.text in ("매사추세츠공과대", "MIT")} == {"MIT"}


def test_organisations_found_organisations_and_hold_events(gazetteer: Gazetteer) -> None:
    ex = run(
        "한빛연구원은 독일 뒤셀도르프에 있는 막스플랑크 소재연구소(MPI-SM), "
        "그리고 캐나다 토론토대학교(University of Toronto)가 2023년 설립한 '가속 컨소시엄(Acceleration Consortium)'과 "
        "공동연구 협약을 맺었다. 오는 3월 12일에는 토론토대와 공동으로 '제1회 한빛-토론토 자율실험 심포지엄'을 연다. "
        "심포지엄 기조연설은 가속 컨소시엄의 세라 린드퀴스트(Sarah Lindqvist) 과학디렉터가 맡는다.",
        gazetteer,
    )
    assert {
        ("가속 컨소시엄", "foundedBy", "토론토대학교"),
        ("막스플랑크 소재연구소", "locatedIn", "뒤셀도르프"),
        ("제1회 한빛-토론토 자율실험 심포지엄", "organizer", "한빛연구원"),
        ("제1회 한빛-토론토 자율실험 심포지엄", "organizer", "토론토대학교"),
        ("세라 린드퀴스트", "affiliatedWith", "가속 컨소시엄"),
    } <= relations(ex)
    assert {
        ("가속 컨소시엄", "foundingDate", "2023"),
        ("제1회 한빛-토론토 자율실험 심포지엄", "startDate", "2026-03-12"),
    } <= facts(ex)


def test_a_professor_founds_the_company_not_the_university(gazetteer: Gazetteer) -> None:
    ex = run("서울대 의대 교수가 창업한 바이오 스타트업 시냅티카가 투자를 유치했다.", gazetteer)
    assert {("서울대", "University"), ("시냅티카", "Company")} <= entities(ex)  # both were read
    assert not {(s, p, o) for s, p, o in relations(ex) if p == "foundedBy"}


def test_a_facility_as_topic_hires_talent(gazetteer: Gazetteer) -> None:
    ex = run(
        "한빛연구원은 'AI 소재 자율실험실'을 열었다. "
        "실험실은 올해 하반기까지 인도·베트남 출신 박사후연구원 40여명을 새로 채용할 계획이다.",
        gazetteer,
    )
    talent = {(s, o) for s, p, o in relations(ex) if p == "attractsTalentFrom"}
    assert talent == {("AI 소재 자율실험실", "인도"), ("AI 소재 자율실험실", "베트남")}


def test_a_long_unknown_word_after_a_company_word_is_a_company_located_where_it_is_said(gazetteer: Gazetteer) -> None:
    ex = run(
        "배터리 스타트업 노바셀에너지는 이날 스웨덴 스톡홀름에 위치한 전기트럭 제조사 노르드하울과 업무협약을 맺었다. "
        "싱가포르 국부펀드 테마섹 등 투자사 11곳이 참여했다.",
        gazetteer,
    )
    assert {("노르드하울", "Company"), ("테마섹", "Company")} <= entities(ex)
    relation_set = relations(ex)
    assert {("노르드하울", "locatedIn", "스톡홀름"), ("노바셀에너지", "cooperatesWith", "노르드하울")} <= relation_set
    assert ("노바셀에너지", "locatedIn", "스톡홀름") not in relation_set


def test_foreign_names_without_a_gloss_and_bodies_inside_titles_whatever_the_split(gazetteer: Gazetteer) -> None:
    ex = run(
        '개막 기조연설에 나선 윤영빈 우주항공청장은 "2032년 달 착륙"이라고 강조했다. '
        "프랑스 측 연사로 나선 마리 르클레르 CNES 국제협력국장은 협업 가능성을 언급했다.",
        gazetteer,
    )
    assert {("윤영빈", "headOf", "우주항공청"), ("마리 르클레르", "affiliatedWith", "CNES")} <= relations(ex)


def test_quoted_loanword_names_and_items_after_a_clause(gazetteer: Gazetteer) -> None:
    ex = run(
        "산업통상자원부는 '제5차 국가첨단전략산업위원회'를 열고 첨단로봇과 수소를 국가첨단전략산업으로 추가 지정했다. "
        "산업부는 이날 현대자동차 등 12개 기업이 참여하는 '전략산업 얼라이언스'도 출범시켰다.",
        gazetteer,
    )
    relation_set = relations(ex)
    designated = {o for s, p, o in relation_set if p == "designatesStrategicIndustry"}
    assert designated == {"첨단로봇", "수소"}
    assert ("전략산업 얼라이언스", "foundedBy", "산업통상자원부") in relation_set


def test_a_conference_with_its_own_short_name_a_venue_and_a_city_named_by_its_country(gazetteer: Gazetteer) -> None:
    ex = run(
        "'제5회 국제양자기술포럼(IQTF 2026)'이 3일 인천 송도컨벤시아에서 막을 올렸다. "
        "둘째 날에는 캐나다 워털루에 본사를 둔 양자소프트웨어 기업 퀀타릭스(Quantarix)의 "
        "에밀리 샤르보노(Emily Charbonneau) 최고기술책임자(CTO)가 연사로 나선다.",
        gazetteer,
    )
    found = entities(ex)
    assert ("제5회 국제양자기술포럼", "Conference") in found
    assert ("국제양자기술포럼", "Organization") not in found
    assert {
        ("제5회 국제양자기술포럼", "heldAt", "송도컨벤시아"),
        ("퀀타릭스", "locatedIn", "워털루"),
    } <= relations(ex)
    assert ("워털루", "City") in found


def test_a_facility_to_be_built_there_and_the_kind_word_that_names_it_again(gazetteer: Gazetteer) -> None:
    ex = run(
        "과학기술정보통신부는 3일 전략을 발표했다. "
        "전략의 중심에는 대전 유성구 대덕연구개발특구 안에 들어설 '국가바이오데이터센터'가 있다. "
        "정부는 2028년까지 2100억원을 들여 연면적 3만5000㎡ 규모로 센터를 짓는다.",
        gazetteer,
    )
    assert ("국가바이오데이터센터", "locatedIn", "대덕연구개발특구") in relations(ex)
    assert {
        ("국가바이오데이터센터", "targetDate", "2028"),
        ("국가바이오데이터센터", "hasQuantity", "210000000000 KRW"),
        ("국가바이오데이터센터", "hasQuantity", "35000 MTK"),
    } <= facts(ex)


def test_places_before_glossed_universities_and_latin_words_inside_a_longer_latin_name(gazetteer: Gazetteer) -> None:
    ex = run(
        '정현우 청림대 총장은 "대만 국립칭화대(National Tsing Hua University), '
        '미국 퍼듀대(Purdue University)와 공동학위 과정을 운영하겠다"고 밝혔다.',
        gazetteer,
    )
    assert "Tsinghua_University" not in {m.gazetteer_id for m in ex.mentions}
    assert {("국립칭화대", "locatedIn", "대만"), ("퍼듀대", "locatedIn", "미국")} <= relations(ex)


def test_names_are_found_longest_first_from_left_to_right() -> None:
    names = ["가온", "가온시", "시청", "가온시청"]
    found = leftmost_longest("가온시청과 가온시, 시청과 가온", names)
    assert found == [(0, "가온시청"), (6, "가온시"), (11, "시청"), (15, "가온")]
    # the longer name starting later does not win over the one found first
    assert leftmost_longest("가온시청", ["가온", "온시청"]) == [(0, "가온")]
    assert leftmost_longest("가온가온", ["가온"]) == [(0, "가온"), (2, "가온")]
    assert leftmost_longest("누리", names) == []
    # what a regular expression of the names, longest first, finds
    text = "가온시청 앞 가온시와 온시청, 가온가온시"
    pattern = re.compile("|".join(sorted([*names, "온시청"], key=len, reverse=True)))
    expected = [(m.start(), m.group()) for m in pattern.finditer(text)]
    assert leftmost_longest(text, [*names, "온시청"]) == expected
