"""Entity IRI local names: romanisation and slugs (kg/iri.py)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from kg.iri import romanize, slug

KGR = "https://kg.example/id/"
LOCAL_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("서울", "seoul"),
        ("카이스트", "kaiseuteu"),
        ("허브", "heobeu"),
        ("한빛", "hanbit"),  # final ㅊ -> t
        ("값", "gap"),  # final ㅄ -> p
        ("닭", "dak"),  # final ㄺ -> k
        ("의", "ui"),
        ("외", "oe"),
        ("쌍", "ssang"),
        ("뭘", "mwol"),
        ("콘퍼런스", "konpeoreonseu"),
        ("서울 AI 허브", "seoul AI heobeu"),  # everything but Hangul syllables unchanged
        ("Université", "Université"),
        ("ㄱ", "ㄱ"),  # a lone jamo is not a syllable
        ("", ""),
    ],
)
def test_romanize(text: str, expected: str) -> None:
    assert romanize(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("서울 AI 허브", "Seoul_AI_Heobeu"),
        ("Université de Montréal", "Universite_de_Montreal"),
        (unicodedata.normalize("NFD", "Université de Montréal"), "Universite_de_Montreal"),
        ("AI 서울 테크시티", "AI_Seoul_Tekeusiti"),
        ("제14회 ADeKo 콘퍼런스", "Je14hoe_ADeKo_Konpeoreonseu"),
        ("AI 2.0 시대", "AI_2_0_Sidae"),
        ("Oh Se-hoon", "Oh_Se-hoon"),
        ("R&D", "R_D"),
        ("Mila – Quebec AI Institute", "Mila_Quebec_AI_Institute"),
        ("  서울시  ", "Seoulsi"),
        ("", "entity"),
        ("   ", "entity"),
        ("!!!", "entity"),
        ("서울", "Seoul"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


@given(st.text())
def test_slug_is_a_non_empty_ascii_local_name(name: str) -> None:
    local = slug(name)
    assert local
    assert LOCAL_NAME.match(local), local
    assert slug(name) == local


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1))
def test_slug_of_hangul_is_the_capitalised_romanisation(name: str) -> None:
    latin = romanize(name)
    assert slug(name) == latin[0].upper() + latin[1:]
    assert latin.isascii() and latin.isalpha() and latin.islower()


@given(st.text())
def test_slug_iri_round_trips_through_turtle(name: str) -> None:
    iri = URIRef(KGR + slug(name))
    graph = Graph()
    graph.parse(data=f"{iri.n3()} <https://kg.example/ontology#p> {iri.n3()} .", format="turtle")
    assert list(graph) == [(iri, URIRef("https://kg.example/ontology#p"), iri)]
