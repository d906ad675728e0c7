"""The gazetteer: the bundled file, lookups, name keys and every load error (kg/gazetteer.py)."""

from __future__ import annotations

import pickle
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from kg.errors import GazetteerError
from kg.gazetteer import DEFAULT_GAZETTEER, Gazetteer, load_gazetteer, match_key, name_key


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_bundled_gazetteer_loads_every_entry(gazetteer: Gazetteer) -> None:
    raw = yaml.safe_load(DEFAULT_GAZETTEER.read_text(encoding="utf-8"))
    assert len(gazetteer.entries) == len(raw) > 50
    assert [e.id for e in gazetteer.entries] == [item["id"] for item in raw]
    assert len({e.id for e in gazetteer.entries}) == len(raw)


def test_seoul(gazetteer: Gazetteer) -> None:
    entry = gazetteer.lookup("서울시")
    assert entry is not None
    assert (entry.id, entry.name, entry.ko, entry.cls, entry.country, entry.wikidata) == (
        "Seoul", "Seoul", "서울", "City", "KR", "Q8684"
    )
    for name in ("서울", "서울특별시", "Seoul", "seoul", "Seoul Metropolitan Government", "SEOUL CITY"):
        assert gazetteer.lookup(name) is entry, name


def test_acronyms_match_only_as_written(gazetteer: Gazetteer) -> None:
    entry = gazetteer.lookup("MS")
    assert entry is not None and entry.id == "Microsoft"
    assert gazetteer.lookup("ms") is None
    assert gazetteer.lookup("Ms") is None
    assert gazetteer.lookup("마이크로소프트") is entry
    assert gazetteer.lookup("microsoft") is entry


def test_lookup_ignores_spaces_and_dots(gazetteer: Gazetteer) -> None:
    for name in ("사이버밸리", "사이버 밸리", "Cyber Valley", "CyberValley"):
        entry = gazetteer.lookup(name)
        assert entry is not None and entry.id == "Cyber_Valley", name
    us = gazetteer.lookup("U.S.")
    assert us is not None and us.id == "United_States"


def test_unknown_names(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("누리로보틱스") is None
    assert gazetteer.lookup("") is None


def test_get_and_korean_names(gazetteer: Gazetteer) -> None:
    assert gazetteer.get("Cyber_Valley").names == ("Cyber Valley", "사이버 밸리", "사이버밸리")
    assert gazetteer.get("Seoul").names_in("ko") == ("서울", "서울시", "서울특별시")
    korean = set(gazetteer.korean_names())
    assert {"서울", "서울시", "사이버 밸리", "마이크로소프트"} <= korean
    assert "Seoul" not in korean


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("한빛대학교", "한빛대"),
        ("한빛대학", "한빛대"),
        ("사이버 밸리", "사이버밸리"),
        ("U.S.", "us"),
    ],
)
def test_name_key_equal(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Oh Se-hoon", "Oh Sehoon"),  # hyphens stay
        ("대학", "대"),  # too short to be a university's long form
        ("한빛대학교", "한빛"),
        ("제14회 ADeKo 콘퍼런스", "ADeKo 콘퍼런스"),  # two editions are two events
    ],
)
def test_name_key_different(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_match_key() -> None:
    assert match_key("Seoul Metropolitan Government") == "seoulmetropolitangovernment"
    assert match_key("U.S.") == "us"
    assert match_key("Oh Se-hoon") == "ohse-hoon"


def test_match_key_drops_every_kind_of_space() -> None:
    spaces = "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())
    assert len(spaces) > 20
    assert match_key(f"A{spaces}.b\u3000서울") == "ab서울"


def test_a_pickled_gazetteer_answers_as_the_original(gazetteer: Gazetteer) -> None:
    copy = pickle.loads(pickle.dumps(gazetteer))
    assert copy == gazetteer and hash(copy) == hash(gazetteer)
    for entry in gazetteer.entries:
        for name in entry.names:
            assert copy.lookup(name) == gazetteer.lookup(name), name
        assert copy.get(entry.id) == entry


# --------------------------------------------------------------------------- load errors

GOOD = """\
- {id: Seoul, name: Seoul, ko: 서울, class: City, aliases: [서울시], country: KR, wikidata: Q8684}
- {id: Nuri, name: Nuri Robotics, ko: 누리로보틱스, class: Company, country: KR}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "places.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_small_gazetteer_loads(tmp_path: Path) -> None:
    loaded = load_gazetteer(write(tmp_path, GOOD))
    assert [e.id for e in loaded.entries] == ["Seoul", "Nuri"]
    nuri = loaded.lookup("누리로보틱스")
    assert nuri is not None and nuri.name == "Nuri Robotics" and nuri.aliases == ()


def test_empty_aliases_and_missing_optional_fields(tmp_path: Path) -> None:
    loaded = load_gazetteer(write(tmp_path, "- {id: X, name: X Corp, class: Company, aliases: []}\n"))
    entry = loaded.get("X")
    assert (entry.ko, entry.aliases, entry.country, entry.wikidata) == (None, (), None, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD + "- {id: Busan, name: Busan, class: City, colour: blue}\n",
            "gazetteer entry 3: unknown field(s) colour; "
            "allowed: aliases, class, country, id, ko, name, wikidata",
        ),
        (
            GOOD + "- {id: Busan, name: Busan, class: Town}\n",
            "gazetteer entry 'Busan': class 'Town' is not one of ",
        ),
        (
            GOOD + "- {id: Busan, name: Busan, class: City, wikidata: Q0}\n",
            "gazetteer entry 'Busan': wikidata must be a Q-identifier such as Q8684",
        ),
        (
            GOOD + "- {id: Busan, name: Busan, class: City, wikidata: '12345'}\n",
            "gazetteer entry 'Busan': wikidata must be a Q-identifier such as Q8684",
        ),
        (
            GOOD + "- {id: Busan, name: Busan, class: City, country: KOR}\n",
            "gazetteer entry 'Busan': country must be an ISO 3166-1 code such as KR",
        ),
        (
            GOOD + "- {id: Busan, name: Busan, class: City, country: kr}\n",
            "gazetteer entry 'Busan': country must be an ISO 3166-1 code such as KR",
        ),
        (
            GOOD + "- {id: Seoul, name: Busan, class: City}\n",
            "gazetteer places.yaml: id used twice: Seoul",
        ),
        (
            GOOD + "- {id: Busan, name: Busan, class: City, aliases: [서울시]}\n",
            "gazetteer: the name '서울시' is used by both Seoul and Busan; keep it on one entry",
        ),
        (
            GOOD + "- {id: Busan, name: Busan, class: City, aliases: [S.EOUL]}\n",
            "gazetteer: the name 'S.EOUL' is used by both Seoul and Busan; keep it on one entry",
        ),
        (
            GOOD + "- {id: Bu san, name: Busan, class: City}\n",
            "gazetteer entry 'Bu san': id may hold only letters, digits, '_' and '-'",
        ),
        (
            GOOD + "- {id: Busan, class: City}\n",
            "gazetteer entry 3: 'name' is missing or not text",
        ),
        (
            GOOD + "- {id: Busan, name: Busan, class: City, aliases: 부산시}\n",
            "gazetteer entry 'Busan': 'aliases' must be a list of names",
        ),
        (
            GOOD + "- {id: Busan, name: Busan, class: City, ko: Busan}\n",
            "gazetteer entry 'Busan': 'ko' must be a Korean name",
        ),
        (GOOD + "- Busan\n", "gazetteer entry 3: expected a mapping with id, name and class"),
        ("Seoul: {name: Seoul, class: City}\n", "gazetteer places.yaml: expected a list of entries"),
        ("", "gazetteer places.yaml: expected a list of entries"),
        ("- {id: Seoul, name: [Seoul\n", "gazetteer places.yaml is not valid YAML: "),
    ],
    ids=[
        "unknown-field",
        "unknown-class",
        "wikidata-Q0",
        "wikidata-digits",
        "country-alpha3",
        "country-lowercase",
        "duplicate-id",
        "name-on-two-entries",
        "name-on-two-entries-case",
        "bad-id",
        "missing-name",
        "aliases-not-list",
        "ko-not-korean",
        "entry-not-mapping",
        "not-a-list",
        "empty-file",
        "invalid-yaml",
    ],
)
def test_load_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(write(tmp_path, text))
    text_of_error = str(caught.value)
    assert text_of_error.startswith(message), text_of_error
    assert "\n" not in text_of_error


def test_unknown_class_lists_the_ontology_classes(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match=r"is not one of .*\bCity\b.*\bCompany\b"):
        load_gazetteer(write(tmp_path, "- {id: Busan, name: Busan, class: Town}\n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(tmp_path / "nowhere.yaml")
    assert str(caught.value) == "gazetteer nowhere.yaml not found"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "legacy.yaml"
    path.write_bytes("- {id: Seoul, name: Seoul, ko: 서울, class: City}\n".encode("cp949"))
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(path)
    assert str(caught.value).startswith("gazetteer legacy.yaml is not valid YAML: ")
    assert "\n" not in str(caught.value)


def test_error_for_an_unknown_field_names_the_entry_by_position(tmp_path: Path) -> None:
    """Position 1 is the first entry: the one a user finds by counting from the top."""
    with pytest.raises(GazetteerError, match=r"^gazetteer entry 1: unknown field\(s\) label, note;"):
        load_gazetteer(write(tmp_path, "- {id: A, name: A, class: City, note: x, label: y}\n" + GOOD))
