"""A synthetic Korean news corpus for benchmarks: N articles written from sentence patterns
like the seed article's, naming many distinct organisations, people, places, events,
dates and amounts. Seeded: the same N and seed give the same files.

    python bench/corpus.py 1000 --out corpus-1000/ --seed 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

__all__ = ["generate", "write_corpus"]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = _words("김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 홍 ")
SYLLABLES = _words(
    "민 서 준 지 현 우 예 도 하 윤 수 진 영 재 성 혜 은 태 상 경 나 연 유 "
    "호 동 규 석 희 주 원 세 훈 정 미 선 형 철 용 인 보 소 아 다 라 결 빈 "
    "율 찬 혁 한 솔 별 담 "
)
STEMS = _words(
    "한빛 새솔 누리 가온 다온 미르 해랑 온새 푸른 늘봄 아라 바른 고운 하람 슬기 "
    "든솔 빛결 라온 마루 한결 해솔 별하 초록 소망 나래 두리 은하 다솜 새봄 온빛 "
    "청솔 한울 이음 모아 단비 여울 "
)
TECH = _words("AI 바이오 로봇 반도체 양자 우주 배터리 핀테크 수소 모빌리티 데이터 클라우드 보안 소재 의료 ")
CITIES = _words(
    "서울 부산 대구 인천 광주 대전 울산 세종 수원 창원 고양 용인 성남 청주 전주 "
    "천안 포항 구미 김해 제주 춘천 원주 강릉 안동 목포 여수 순천 군산 익산 경주 "
)
COUNTRIES = _words("독일 프랑스 미국 일본 캐나다 영국 베트남 인도네시아 싱가포르 호주 스웨덴 핀란드 네덜란드 스페인 ")
ORG_KINDS = ("대학교", "과학기술원", "연구원", "연구소", "전자", "로보틱스", "바이오", "재단", "테크")
TITLES = ("대표", "교수", "원장", "소장", "이사장", "연구원", "센터장")
VENUES = ("컨벤션센터", "코엑스", "벡스코", "엑스코", "킨텍스", "시청 대회의실")
EVENTS = ("포럼", "콘퍼런스", "박람회", "심포지엄", "엑스포", "서밋")
FACILITIES = ("허브", "캠퍼스", "테크시티", "밸리", "센터", "클러스터")
PUBLISHERS = ("매일테크뉴스", "한빛일보", "누리경제", "가온신문", "미래산업신문")


def _josa(word: str, after_consonant: str, after_vowel: str) -> str:
    """The particle form that fits the word's last syllable (은/는, 와/과, 이/가)."""
    last = ord(word[-1]) - 0xAC00
    return word + (after_consonant if 0 <= last < 11172 and last % 28 else after_vowel)


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, items: tuple[str, ...] | list[str]) -> str:
        return self.rng.choice(items)

    def person(self) -> str:
        return self.pick(SURNAMES) + "".join(self.rng.sample(SYLLABLES, 2))

    def org(self, kinds: tuple[str, ...] = ORG_KINDS) -> str:
        stem = self.pick(STEMS) + (self.pick(STEMS)[:1] if self.rng.random() < 0.5 else "")
        return stem + self.pick(kinds)

    def amount(self) -> str:
        if self.rng.random() < 0.5:
            return f"{self.rng.randint(1, 9)}조{self.rng.randint(1, 9)}000억원"
        return f"{self.rng.randint(10, 990)}억원"

    def article(self, number: int, date: dt.date) -> tuple[str, str]:
        rng, p = self.rng, self.pick
        city, country = p(CITIES), p(COUNTRIES)
        mayor, head, professor, reporter = self.person(), self.person(), self.person(), self.person()
        company, university, institute = (
            self.org(("전자", "로보틱스", "바이오", "테크")),
            self.org(("대학교", "과학기술원")),
            self.org(("연구원", "연구소")),
        )
        tech, other_tech = rng.sample(TECH, 2)
        event = f"제{rng.randint(2, 30)}회 {p(STEMS)} {tech} {p(EVENTS)}"
        facility = f"{tech} {city} {p(FACILITIES)}"
        hub = f"{city} {other_tech} {p(FACILITIES)}"
        founded, target = rng.randint(2005, 2023), rng.randint(2026, 2035)
        area, startups, years = rng.randint(2, 90) * 10, rng.randint(50, 900), rng.randint(2, 10)
        partners = rng.sample(COUNTRIES, 3)
        others = [self.org(("대학교",)) for _ in range(2)]
        title = f"{city}시, '{facility}' 건립 추진…{tech} 산업 육성"
        sentences = [
            f"({city}={p(PUBLISHERS)}) {reporter} 기자 = {mayor} {city}시장이 {date.day}일 {p(VENUES)}에서 열린 "
            f"'{event}'에서 {city}시의 {tech} 정책 방향을 소개했다.",
            f'{mayor} 시장은 "{tech}를 {other_tech}와 함께 미래 핵심산업으로 지정하고 경쟁력을 높이겠다"고 밝혔다.',
            f"앞서 {city}시는 {founded}년 스타트업 지원기관인 '{hub}'를 설립했고, {target}년까지 "
            f"{area}만㎡ 규모의 '{facility}' 건립을 추진하고 있다.",
            f"그동안 시는 {startups}개가 넘는 스타트업을 육성했고, 이들의 기업가치는 {self.amount()}에 육박한다.",
            f'{company} {head} 대표는 "{city}에 {self.amount()}을 투자해 {tech} 연구소를 짓겠다"고 말했다.',
            f"{university} {professor} 교수는 {_josa(institute, '과', '와')} 함께 향후 {years}년간 "
            f"{tech} 공동연구를 수행한다.",
            f"{city}시는 {', '.join(partners)} 등 해외 도시와 협력하고, {others[0]}, {others[1]} 등 대학들과 "
            f"{tech} 인재 양성에 나선다.",
            f"'{facility}'는 국내외 {tech} 기업과 연구기관은 물론 주거공간까지 갖춘 산업도시로 조성된다.",
            f"{country}의 {self.org(('연구소', '재단'))}도 {city}에 사무소를 열 계획이다.",
            f'{mayor} 시장은 "{city}가 글로벌 {tech} 중심지로 도약할 수 있도록 적극 지원할 것"이라고 강조했다.',
        ]
        middle = sentences[4:9]  # varied; the lead and the closing quote stay
        rng.shuffle(middle)
        sentences[4:9] = middle
        extra = [
            f"또한 {city}시는 {_josa(self.org(), '과', '와')} {tech} 분야 업무협약을 맺었다.",
            f"{self.person()} {_josa(p(TITLES), '은', '는')} 이날 행사에서 {other_tech} 기술 동향을 발표했다.",
            f"이번 {p(EVENTS)}에는 {rng.randint(20, 400)}개 기업과 {rng.randint(500, 9000)}명이 참가했다.",
        ]
        body = "\n\n".join(sentences + rng.sample(extra, rng.randint(1, 3)))
        front = (
            f'---\ntitle: "{title}"\ndate: {date.isoformat()}\nlang: ko\n'
            f"publisher: {p(PUBLISHERS)}\nsource: https://news.example/{number:06d}\n---\n"
        )
        return f"article_{number:06d}.txt", front + body + "\n"


def generate(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """``count`` articles as (file name, text)."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    start = dt.date(2023, 1, 1)
    return [writer.article(n, start + dt.timedelta(days=rng.randint(0, 700))) for n in range(count)]


def write_corpus(count: int, out: Path, seed: int = 7) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in generate(count, seed):
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_corpus(args.count, args.out, args.seed)
    print(f"wrote {len(paths)} articles, {sum(p.stat().st_size for p in paths):,} bytes, to {args.out}")


if __name__ == "__main__":
    main()
