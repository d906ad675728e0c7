"""Korean words that tell what a name is: kind suffixes, titles, event words, surnames."""

from __future__ import annotations

__all__ = [
    "KIND_SUFFIXES",
    "EVENT_HEADS",
    "FACILITY_HEADS",
    "QUOTED_HEADS",
    "APPOSITIVE_HEADS",
    "TITLE_WORDS",
    "HEAD_TITLES",
    "MAYOR_TITLES",
    "SURNAMES",
    "NOT_NAMES",
    "LIST_HEADS",
    "BARE_KIND_WORDS",
    "STRONG_SUFFIXES",
    "GENERIC_MODIFIERS",
]

# (suffix, class, shortest whole name): longer suffixes first, since the first match wins
KIND_SUFFIXES: tuple[tuple[str, str, int], ...] = (
    ("상공회의소", "Association", 6),
    ("대학교", "University", 4),
    ("대학원", "University", 5),
    ("과학기술원", "University", 6),
    ("연구센터", "ResearchOrganization", 5),
    ("연구소", "ResearchOrganization", 4),
    ("연구원", "ResearchOrganization", 4),
    ("연구재단", "ResearchOrganization", 5),
    ("위원회", "GovernmentBody", 5),
    ("진흥원", "GovernmentBody", 5),
    ("공사", "GovernmentBody", 5),
    ("공단", "GovernmentBody", 4),
    ("재단", "Association", 4),
    ("협회", "Association", 4),
    ("학회", "Association", 4),
    ("네트워크", "Association", 6),
    ("연합회", "Association", 5),
    ("그룹", "Company", 4),
    ("전자", "Company", 4),
    ("로보틱스", "Company", 5),
    ("테크놀로지", "Company", 6),
    ("바이오텍", "Company", 5),
    ("반도체", "Company", 5),
    ("랩스", "Company", 4),
    ("신문", "Company", 4),
    ("일보", "Company", 4),
    ("방송", "Company", 4),
    ("특별시", "City", 4),
    ("광역시", "City", 4),
    ("부", "GovernmentBody", 3),
    ("처", "GovernmentBody", 3),
    ("청", "GovernmentBody", 3),
    ("대", "University", 3),
    ("시", "City", 3),
    ("도", "AdministrativeArea", 3),
)

EVENT_HEADS: tuple[str, ...] = (
    "콘퍼런스", "컨퍼런스", "포럼", "박람회", "엑스포", "학술대회", "심포지엄", "세미나",
    "서밋", "정상회의", "페스티벌", "축제", "전시회", "대회", "쇼",
)

# what a facility is called when it has no proper name: 글로벌 AI 연구거점
FACILITY_HEADS: tuple[str, ...] = (
    "연구거점", "거점", "센터", "캠퍼스", "연구소", "허브", "단지", "타운", "연구실", "클러스터",
)

# the last word of a single-quoted name -> its class
QUOTED_HEADS: tuple[tuple[str, str], ...] = (
    *((head, "Conference") for head in EVENT_HEADS),
    ("시티", "Facility"), ("밸리", "Facility"), ("센터", "Facility"), ("캠퍼스", "Facility"),
    ("타운", "Facility"), ("단지", "Facility"), ("파크", "Facility"), ("클러스터", "Facility"),
    ("거점", "Facility"), ("허브", "Facility"), ("특구", "Facility"), ("스퀘어", "Facility"),
    ("플랫폼", "Concept"), ("시대", "Concept"), ("전략", "Concept"), ("정책", "Concept"),
    ("프로젝트", "Concept"), ("사업", "Concept"), ("프로그램", "Concept"), ("계획", "Concept"),
)

# '스타트업 전문 지원기관인 '서울 AI 허브'': the word before 인 says what the name is
APPOSITIVE_HEADS: tuple[tuple[str, str], ...] = (
    ("지원기관", "Organization"), ("기관", "Organization"), ("기업", "Company"),
    ("회사", "Company"), ("스타트업", "Company"), ("대학", "University"),
    ("연구소", "ResearchOrganization"), ("연구기관", "ResearchOrganization"),
    ("단체", "Association"), ("협의체", "Association"),
    ("공간", "Facility"), ("거점공간", "Facility"), ("거점", "Facility"), ("시설", "Facility"),
    ("단지", "Facility"), ("센터", "Facility"), ("캠퍼스", "Facility"),
    ("학술대회", "Conference"), ("행사", "Event"), ("회의", "Conference"), ("포럼", "Conference"),
    ("박람회", "Conference"), ("축제", "Event"),
    ("산업", "Industry"), ("기술", "Technology"),
)

# titles after a person's name; those in HEAD_TITLES make the person head of what precedes
TITLE_WORDS: tuple[str, ...] = (
    "시장", "도지사", "지사", "구청장", "군수", "교육감", "대표이사", "대표", "회장", "부회장",
    "사장", "부사장", "총장", "원장", "소장", "청장", "처장", "장관", "차관", "이사장", "위원장",
    "센터장", "본부장", "실장", "국장", "팀장", "단장", "의장", "총재", "교수", "연구원",
    "선임연구원", "책임연구원", "연구위원", "기자", "특파원", "박사", "CEO", "CTO", "의원",
    "부총리", "총리", "대통령", "대변인", "전무", "상무", "이사", "변호사", "애널리스트",
)
HEAD_TITLES: frozenset[str] = frozenset({
    "시장", "도지사", "지사", "구청장", "군수", "교육감", "대표이사", "대표", "회장", "사장",
    "총장", "원장", "소장", "청장", "처장", "장관", "이사장", "위원장", "센터장", "의장", "총재",
    "CEO", "총리", "대통령",
})
MAYOR_TITLES: frozenset[str] = frozenset({"시장", "도지사", "지사", "구청장", "군수"})

SURNAMES: frozenset[str] = frozenset(
    "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 "
    "남 심 노 하 곽 성 차 주 우 구 민 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 "
    "설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 "
    "황보 남궁 제갈 선우 독고".split()
)

# words that look like names by their ending or shape but are ordinary nouns
NOT_NAMES: frozenset[str] = frozenset(
    "정부 내부 외부 일부 전부 본부 세부 간부 학부 여부 상부 하부 북부 남부 동부 서부 중부 "
    "지도부 집행부 사령부 수뇌부 중심부 행정부 입법부 사법부 대처 신청 요청 경청 초청 시청 도청 구청 "
    "경제신문 일간신문 종합일보 "
    "명문대 전문대 대학 연구원 위원회 공사 재단 협회 학회 전자 그룹 "
    "이들 이번 이날 그동안 앞서 또한 한편 이어 나아가 그러면서 뿐만 "
    "지원 계획 전략 추진 정책 대회 회의 국내 국외 해외 전국 전세계 세계 "
    "인재 기업 대학들 연구진 관계자 참석자 시민 서울시민".split()
)

# the noun that closes a coordinated list says what its members are:
# '네이버, 구글 등 글로벌 빅테크 기업들과'
LIST_HEADS: tuple[tuple[str, str], ...] = (
    ("기업", "Company"), ("빅테크", "Company"), ("스타트업", "Company"), ("회사", "Company"),
    ("대학", "University"), ("연구기관", "ResearchOrganization"), ("연구소", "ResearchOrganization"),
    ("기관", "Organization"), ("단체", "Association"), ("국가", "Country"), ("나라", "Country"),
    ("도시", "City"), ("산업", "Industry"), ("기술", "Technology"),
)

# a kind word standing alone as subject points back to the last name that ends in it
# ('부산로봇혁신센터를 설립했고 … 센터는')
BARE_KIND_WORDS: tuple[str, ...] = (
    "센터", "연구소", "연구원", "대학교", "대학", "재단", "협회", "위원회", "공사", "공단",
    "클러스터", "캠퍼스", "밸리", "회사", "그룹",
)

# endings that make a one-word name even when the tagger calls the word a common noun
STRONG_SUFFIXES: tuple[str, ...] = (
    "로보틱스", "테크놀로지", "바이오텍", "전자", "대학교", "연구소", "연구원", "연구센터",
    "위원회", "진흥원", "재단", "협회", "학회", "그룹", "신문", "일보", "방송", "상공회의소", "랩스",
)
# first parts that make such a word generic ('부설연구소', '국립대학교')
GENERIC_MODIFIERS: frozenset[str] = frozenset(
    "부설 국립 사립 지방 공공 민간 대형 중소 전문 명문 해외 국내 산하 소속 관련 협력 주요 대표 "
    "글로벌 첨단 국책 정부출연 출연 기업 대학 지역 각 해당 이 그 한 여러 다른 같은 일간 경제 종합".split()
)
