"""Scoring a graph against a gold file: hand-computed cases on small inline graphs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rdflib
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import GoldError, InputError
from kg.evaluate import (
    EvalResult,
    Gold,
    Score,
    evaluate,
    format_result,
    load_gold,
    load_graph,
    normalise,
    values_match,
)

REPO = Path(__file__).resolve().parents[1]

PREFIXES = """\
@prefix kgo: <https://kg.example/ontology#> .
@prefix kgr: <https://kg.example/id/> .
@prefix kgq: <https://kg.example/value/> .
@prefix kgs: <https://kg.example/statement/> .
@prefix kgd: <https://kg.example/doc/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# The part of the ontology that evaluation reads: the subclass tree.
ONTOLOGY = (
    PREFIXES
    + """
kgo:City rdfs:subClassOf kgo:Place , schema:City .
kgo:Country rdfs:subClassOf kgo:Place .
kgo:GovernmentBody rdfs:subClassOf kgo:Organization .
kgo:Company rdfs:subClassOf kgo:Organization .
kgo:ResearchOrganization rdfs:subClassOf kgo:Organization .
kgo:Conference rdfs:subClassOf kgo:Event .
kgo:Industry rdfs:subClassOf kgo:Concept .
kgo:Quantity rdfs:subClassOf schema:QuantitativeValue .
kgo:Assertion rdfs:subClassOf rdf:Statement .
"""
)

GOLD = """\
document: t.txt
published: 2024-09-25
entities:
  - {id: oh, type: Person, names: [오세훈, Oh Se-hoon]}
  - {id: seoul, type: Place, also: [Organization], may_split: true, names: [서울, 서울시, Seoul]}
  - {id: conf, type: Event, names: [ADeKo 콘퍼런스, ADeKo Conference]}
  - {id: hub, type: Organization, also: [Place], names: [서울 AI 허브, Seoul AI Hub]}
  - {id: city, type: Place, names: [AI 서울 테크시티, AI Seoul Tech City]}
  - {id: korea, type: Place, names: [한국, Korea]}
optional:
  - {id: startups, type: Concept, names: [AI 스타트업, AI startups]}
relations:
  - [oh, seoul, mayor of Seoul]
  - [oh, conf, keynote at]
  - [seoul, hub, established]
  - [seoul, startups, nurtures (optional entity so not scored)]
facts:
  - [conf, "2024-09-25", date of the conference]
  - [hub, "2017", founding year]
  - [city, "200000", floor area]
  - [[seoul, hub], "360", AI startups nurtured]
"""

# Entities, relations and facts exactly as the gold wants them, with the provenance of a
# graph.trig around them (document, sentence, reified statement) that must not count.
ENTITIES = """
kgr:Oh_Se-hoon a kgo:Person ; rdfs:label "오세훈"@ko , "Oh Se-hoon"@en .
kgr:Seoul a kgo:City ; rdfs:label "서울"@ko , "Seoul"@en ; skos:altLabel "서울시"@ko ;
    owl:sameAs wd:Q8684 ; schema:addressCountry "KR" .
kgr:ADeKo_Conference a kgo:Conference ; rdfs:label "ADeKo 콘퍼런스"@ko .
kgr:Seoul_AI_Hub a kgo:ResearchOrganization ; rdfs:label "서울 AI 허브"@ko .
kgr:AI_Seoul_Tech_City a kgo:City ; rdfs:label "AI 서울 테크시티"@ko .
kgr:Korea a kgo:Country ; rdfs:label "한국"@ko .
kgr:AI_Startups a kgo:Industry ; rdfs:label "AI 스타트업"@ko .
"""
RELATIONS = """
kgr:Oh_Se-hoon kgo:mayorOf kgr:Seoul ; kgo:keynoteSpeakerAt kgr:ADeKo_Conference .
kgr:Seoul_AI_Hub kgo:foundedBy kgr:Seoul .
kgr:Seoul kgo:theme kgr:AI_Startups .
"""
FACTS = """
kgr:ADeKo_Conference kgo:startDate "2024-09-25"^^xsd:date .
kgr:Seoul_AI_Hub kgo:foundingDate "2017"^^xsd:gYear ; kgo:hasQuantity kgq:q360 .
kgq:q360 a kgo:Quantity ; schema:value 360 ; kgo:qualifier "over" ; schema:name "AI 스타트업"@ko .
kgr:AI_Seoul_Tech_City kgo:floorSize kgq:q200k .
kgq:q200k a kgo:Quantity ; schema:value 200000 ; schema:unitCode "MTK" ; schema:unitText "㎡" ;
    kgo:qualifier "exact" .
"""
PROVENANCE = """
kgd:doc a schema:NewsArticle , prov:Entity ; schema:datePublished "2024-09-25"^^xsd:date ;
    schema:mentions kgr:Seoul , kgr:Oh_Se-hoon , kgr:Korea .
<https://kg.example/doc/doc/sentence/0> a nif:Sentence ; nif:anchorOf "오세훈 서울시장이"@ko ;
    nif:beginIndex 0 ; nif:endIndex 9 ; nif:referenceContext kgd:doc ;
    schema:mentions kgr:Seoul , kgr:Korea .
kgs:h1 a kgo:Assertion ; rdf:subject kgr:Oh_Se-hoon ; rdf:predicate kgo:mayorOf ;
    rdf:object kgr:Seoul ; kgo:evidence <https://kg.example/doc/doc/sentence/0> ;
    prov:wasDerivedFrom kgd:doc ; kgo:rule "ko.title_of_place" ; kgo:confidence 0.9 .
"""


@pytest.fixture
def gold(tmp_path: Path) -> Gold:
    path = tmp_path / "gold.yaml"
    path.write_text(GOLD, encoding="utf-8")
    return load_gold(path)


@pytest.fixture
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(data=ONTOLOGY, format="turtle")


def turtle(*parts: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + "".join(parts), format="turtle")


def trig(*parts: str) -> rdflib.Dataset:
    body = "".join(parts)
    return rdflib.Dataset().parse(data=PREFIXES + "kgd:doc {\n" + body + PROVENANCE + "\n}\n", format="trig")


def score(result: Score) -> tuple[int, int, int]:
    return result.tp, result.fp, result.fn


def perfect() -> str:
    return ENTITIES + RELATIONS + FACTS


# --------------------------------------------------------------------------- whole graphs


def test_perfect_graph_scores_one(gold: Gold, ontology: rdflib.Graph) -> None:
    result = evaluate(trig(perfect()), gold, ontology)
    assert score(result.entities) == (6, 0, 0)
    assert score(result.relations) == (3, 0, 0)
    assert score(result.facts) == (4, 0, 0)
    assert result.facts.tp_system == 4
    for part in (result.entities, result.relations, result.facts):
        assert (part.precision, part.recall, part.f1) == (1.0, 1.0, 1.0)
    assert result.duplicates == ()
    assert result.missed_entities == result.spurious_entities == ()
    assert result.missed_relations == result.spurious_relations == ()
    assert result.missed_facts == result.spurious_facts == ()


def test_plain_graph_and_dataset_score_the_same(gold: Gold, ontology: rdflib.Graph) -> None:
    assert evaluate(turtle(perfect()), gold, ontology) == evaluate(trig(perfect()), gold, ontology)


def test_real_ontology_gives_the_kinds(gold: Gold) -> None:
    real = rdflib.Graph().parse(REPO / "ontology" / "kg.ttl", format="turtle")
    result = evaluate(trig(perfect()), gold, real)
    assert score(result.entities) == (6, 0, 0)


def test_empty_graph(gold: Gold, ontology: rdflib.Graph) -> None:
    result = evaluate(rdflib.Graph(), gold, ontology)
    assert score(result.entities) == (0, 0, 6)
    assert score(result.relations) == (0, 0, 3)
    assert score(result.facts) == (0, 0, 4)
    assert result.entities.precision == 0.0 and result.entities.f1 == 0.0
    assert result.missed_relations == (("conf", "oh"), ("hub", "seoul"), ("oh", "seoul"))


# --------------------------------------------------------------------------- entities


def test_missing_entity(gold: Gold, ontology: rdflib.Graph) -> None:
    graph = trig(perfect().replace('kgr:Korea a kgo:Country ; rdfs:label "한국"@ko .', ""))
    result = evaluate(graph, gold, ontology)
    assert score(result.entities) == (5, 0, 1)
    assert result.entities.precision == 1.0
    assert result.entities.recall == pytest.approx(5 / 6)
    assert result.missed_entities == ("korea",)


def test_wrong_kind_and_unmatched_nodes(gold: Gold, ontology: rdflib.Graph) -> None:
    graph = trig(
        perfect().replace("kgr:Korea a kgo:Country", "kgr:Korea a kgo:Person"),
        'kgr:Foo a kgo:Company ; rdfs:label "Foo Corp"@en .\n',
    )
    result = evaluate(graph, gold, ontology)
    assert score(result.entities) == (5, 2, 1)
    assert result.entities.precision == pytest.approx(5 / 7)
    assert result.missed_entities == ("korea",)
    assert len(result.spurious_entities) == 2
    foo, korea = result.spurious_entities
    assert foo.startswith('<https://kg.example/id/Foo> "Foo Corp"') and "no gold" in foo
    assert korea.startswith('<https://kg.example/id/Korea> "한국"') and "wrong" in korea


def test_duplicate_node_costs_precision(gold: Gold, ontology: rdflib.Graph) -> None:
    graph = trig(perfect(), 'kgr:Korea_2 a kgo:Country ; rdfs:label "Korea"@en .\n')
    result = evaluate(graph, gold, ontology)
    assert score(result.entities) == (6, 1, 0)
    assert result.duplicates == ("korea",)
    (spurious,) = result.spurious_entities
    assert spurious.startswith("<https://kg.example/id/Korea_2>") and "duplicate of korea" in spurious


def test_may_split_second_node_is_free(gold: Gold, ontology: rdflib.Graph) -> None:
    government = 'kgr:Seoul_Metropolitan_Government a kgo:GovernmentBody ; rdfs:label "서울시"@ko .\n'
    result = evaluate(trig(perfect(), government), gold, ontology)
    assert score(result.entities) == (6, 0, 0)
    assert result.duplicates == ()


def test_optional_entity_nodes_are_ignored(gold: Gold, ontology: rdflib.Graph) -> None:
    extra = 'kgr:Startups_2 a kgo:Company ; rdfs:label "AI startups"@en .\n'
    result = evaluate(trig(perfect(), extra), gold, ontology)
    assert score(result.entities) == (6, 0, 0)


def test_match_prefers_gold_entity_of_the_node_kind(tmp_path: Path, ontology: rdflib.Graph) -> None:
    path = tmp_path / "gold.yaml"
    path.write_text(
        "entities:\n"
        "  - {id: city, type: Place, names: [Mila]}\n"
        "  - {id: institute, type: Organization, names: [MILA]}\n",
        encoding="utf-8",
    )
    graph = turtle('kgr:Mila a kgo:ResearchOrganization ; rdfs:label "Mila"@en .\n')
    result = evaluate(graph, load_gold(path), ontology)
    assert score(result.entities) == (1, 0, 1)
    assert result.missed_entities == ("city",)


def test_quantities_and_assertions_are_not_entities(gold: Gold, ontology: rdflib.Graph) -> None:
    # Labelled like gold entities, but typed as a quantity / an assertion.
    extra = (
        'kgq:odd a kgo:Quantity , kgo:City ; rdfs:label "Korea"@en .\n'
        'kgs:odd a kgo:Assertion , kgo:Person ; rdfs:label "Foo"@en .\n'
    )
    result = evaluate(trig(perfect(), extra), gold, ontology)
    assert score(result.entities) == (6, 0, 0)


# --------------------------------------------------------------------------- relations


def test_relations_direct_pairs_only(gold: Gold, ontology: rdflib.Graph) -> None:
    relations = """
kgr:Oh_Se-hoon kgo:mayorOf kgr:Seoul .
kgr:Seoul_AI_Hub kgo:foundedBy kgr:Seoul .
kgr:Oh_Se-hoon kgo:hasQuantity kgq:link .
kgq:link a kgo:Quantity ; schema:about kgr:ADeKo_Conference .
kgr:Oh_Se-hoon kgo:affiliatedWith kgr:Foo , kgr:Korea .
kgr:Foo a kgo:Company ; rdfs:label "Foo Corp"@en .
"""
    result = evaluate(trig(ENTITIES, relations), gold, ontology)
    # found: oh-seoul, hub-seoul (reversed direction); missed: oh-conf (only through a
    # quantity node); spurious: oh-korea, oh-Foo (Foo matches no gold entity).
    assert score(result.relations) == (2, 2, 1)
    assert result.relations.precision == 0.5
    assert result.relations.recall == pytest.approx(2 / 3)
    assert result.missed_relations == (("conf", "oh"),)
    assert result.spurious_relations == (
        ("https://kg.example/id/Foo", "oh"),
        ("korea", "oh"),
    )


def test_relations_touching_optional_entities_are_ignored(gold: Gold, ontology: rdflib.Graph) -> None:
    extra = "kgr:Oh_Se-hoon kgo:affiliatedWith kgr:AI_Startups .\n"
    with_node = evaluate(trig(perfect(), extra), gold, ontology)
    without_node = evaluate(
        trig(perfect().replace('kgr:AI_Startups a kgo:Industry ; rdfs:label "AI 스타트업"@ko .', "")),
        gold,
        ontology,
    )
    assert score(with_node.relations) == score(without_node.relations) == (3, 0, 0)


def test_links_between_split_nodes_and_sameas_are_not_relations(gold: Gold, ontology: rdflib.Graph) -> None:
    extra = """
kgr:Seoul_Metropolitan_Government a kgo:GovernmentBody ; rdfs:label "서울시"@ko ;
    kgo:affiliatedWith kgr:Seoul .
kgr:Korea owl:sameAs kgr:Seoul .
"""
    result = evaluate(trig(perfect(), extra), gold, ontology)
    assert score(result.relations) == (3, 0, 0)


def test_relation_through_second_node_of_split_entity(gold: Gold, ontology: rdflib.Graph) -> None:
    relations = RELATIONS.replace(
        "kgr:Oh_Se-hoon kgo:mayorOf kgr:Seoul", "kgr:Oh_Se-hoon kgo:headOf kgr:Seoul_Government"
    )
    government = 'kgr:Seoul_Government a kgo:GovernmentBody ; rdfs:label "서울시"@ko .\n'
    result = evaluate(trig(ENTITIES, government, relations, FACTS), gold, ontology)
    assert score(result.relations) == (3, 0, 0)


# --------------------------------------------------------------------------- facts


def test_fact_through_one_hop_quantity(gold: Gold, ontology: rdflib.Graph) -> None:
    result = evaluate(trig(perfect().replace("schema:value 200000", "schema:value 210000")), gold, ontology)
    # 3 of 4 gold facts found; 4 system facts (kgo:* or schema:value), 3 right.
    assert score(result.facts) == (3, 1, 1)
    assert result.facts.tp_system == 3
    assert result.facts.precision == 0.75 and result.facts.recall == 0.75
    assert result.missed_facts == ("city = 200000 (floor area)",)
    assert len(result.spurious_facts) == 1 and "210000" in result.spurious_facts[0]


def test_facts_ignore_labels_and_non_fact_predicates(tmp_path: Path, ontology: rdflib.Graph) -> None:
    path = tmp_path / "gold.yaml"
    path.write_text(
        "entities:\n  - {id: conf, type: Event, names: [ADeKo]}\n"
        "facts:\n  - [conf, '14', edition]\n  - [conf, KR, country]\n",
        encoding="utf-8",
    )
    graph = turtle(
        'kgr:Conf a kgo:Conference ; rdfs:label "ADeKo"@en , "14"@en ; skos:altLabel "KR" ;\n'
        '    kgo:editionNumber 15 ; schema:addressCountry "kr" .\n'
    )
    result = evaluate(graph, load_gold(path), ontology)
    # "14" is only a label; "kr" matches KR (text compares normalised) but
    # schema:addressCountry is not a scored fact predicate; kgo:editionNumber 15 is wrong.
    assert score(result.facts) == (1, 1, 1)
    assert result.facts.tp_system == 0
    assert result.facts.precision == 0.0 and result.facts.recall == 0.5


def test_extra_fact_costs_precision(gold: Gold, ontology: rdflib.Graph) -> None:
    extra = "kgr:ADeKo_Conference kgo:editionNumber 15 .\n"
    result = evaluate(trig(perfect(), extra), gold, ontology)
    assert score(result.facts) == (4, 1, 0)
    assert result.facts.precision == 0.8 and result.facts.recall == 1.0
    assert result.spurious_facts == ('conf: kgo:editionNumber "15"^^xsd:integer',)


def test_fact_of_either_entity_counts_once(gold: Gold, ontology: rdflib.Graph) -> None:
    # "360" is a fact of seoul or hub: stating it on both still finds one gold fact.
    extra = "kgr:Seoul kgo:hasQuantity kgq:q360b .\nkgq:q360b a kgo:Quantity ; schema:value 360 .\n"
    result = evaluate(trig(perfect(), extra), gold, ontology)
    assert score(result.facts) == (4, 0, 0)
    assert result.facts.tp_system == 5
    assert result.facts.precision == 1.0


def test_gyear_and_date_lexical_match(gold: Gold, ontology: rdflib.Graph) -> None:
    facts = FACTS.replace('"2017"^^xsd:gYear', '"2017-03-01"^^xsd:date').replace(
        '"2024-09-25"^^xsd:date', '"2024"^^xsd:gYear'
    )
    result = evaluate(trig(ENTITIES, RELATIONS, facts), gold, ontology)
    # hub 2017 is carried by the date 2017-03-01; the conference date 2024-09-25 is not
    # carried by the year 2024.
    assert score(result.facts) == (3, 1, 1)
    assert result.missed_facts == ("conf = 2024-09-25 (date of the conference)",)


@pytest.mark.parametrize(
    "literal",
    ['"200000"^^xsd:decimal', '"2.0E5"^^xsd:double', '"200000"', "200000.0", '"+200000"^^xsd:integer'],
)
def test_numbers_match_as_numbers(literal: str, gold: Gold, ontology: rdflib.Graph, tmp_path: Path) -> None:
    facts = FACTS.replace("schema:value 200000", f"schema:value {literal}")
    file = tmp_path / "graph.trig"
    file.write_text(PREFIXES + "kgd:doc {\n" + ENTITIES + RELATIONS + facts + "}\n", encoding="utf-8")
    for graph in (trig(ENTITIES, RELATIONS, facts), load_graph(tmp_path)):
        result = evaluate(graph, gold, ontology)
        assert score(result.facts) == (4, 0, 0), literal


def test_values_match_examples() -> None:
    assert values_match("200000", "200000")
    assert values_match("200000", "2.0E5")
    assert values_match("200000", "200000.000")
    assert values_match("1500000000000", "1.5E12")
    assert not values_match("200000", "200001")
    assert values_match("2017", "2017")
    assert values_match("2017", "2017-05")
    assert values_match("2017", "2017-05-01")
    assert not values_match("2017", "2018-05-01")
    assert values_match("2024-09-25", "2024-09-25")
    assert not values_match("2024-09-25", "2024-09-26")
    assert not values_match("2024-09-25", "2024")
    assert values_match("KRW", "krw")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_integers_match_their_decimal_and_double_forms(n: int) -> None:
    assert values_match(str(n), f"{n}.0")
    assert values_match(str(n), f"{n}E0")
    assert values_match(str(n), f"{n}.00e+0")
    assert not values_match(str(n), str(n + 1))


@given(st.integers(1000, 9999), st.integers(1, 12), st.integers(1, 28))
def test_year_matches_dates_in_that_year(year: int, month: int, day: int) -> None:
    date = f"{year}-{month:02d}-{day:02d}"
    assert values_match(str(year), date)
    assert values_match(date, date)
    assert not values_match(str(year + 1), date)


# --------------------------------------------------------------------------- normalise


def test_normalise_examples() -> None:
    assert normalise("Seoul Metropolitan Government") == "seoulmetropolitangovernment"
    assert normalise("Mila – Quebec AI Institute") == normalise("MILA Quebec AI institute")
    assert normalise("Université de Montréal") == normalise("Universite\u0301 de Montre\u0301al")
    assert normalise("서울 AI 허브") == "서울ai허브"
    assert normalise("20만㎡") == "20만㎡"  # symbols are kept
    assert normalise(" ,.-!? ") == ""


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@given(st.text(), st.text())
def test_normalise_ignores_spaces_between_parts(a: str, b: str) -> None:
    assert normalise(a + " " + b) == normalise(a + b)
    assert normalise(a + "\u3000" + b) == normalise(a + b)


@given(st.text(), st.text())
def test_normalise_ignores_punctuation_between_parts(a: str, b: str) -> None:
    assert normalise(a + "-" + b) == normalise(a + "·" + b) == normalise(a + b)


# --------------------------------------------------------------------------- gold files


def test_seed_gold_file_loads() -> None:
    gold = load_gold(REPO / "data" / "gold" / "seed_gold.yaml")
    assert (len(gold.entities), len(gold.optional), len(gold.relations), len(gold.facts)) == (25, 9, 24, 8)
    assert gold.document == "000_56ff57ee3c08f7b3.txt"
    assert gold.published == "2024-09-25"
    seoul = gold.entity("seoul")
    assert seoul.type == "Place" and seoul.also == ("Organization",) and seoul.may_split
    assert gold.facts[0].entity_ids == ("adeko_conf",) and gold.facts[0].value == "2024-09-25"
    assert gold.facts[3].entity_ids == ("seoul", "seoul_ai_hub")


def test_gold_unquoted_values_become_text(tmp_path: Path) -> None:
    path = tmp_path / "gold.yaml"
    path.write_text(
        "entities:\n  - {id: a, type: Event, names: [A]}\n"
        "facts:\n  - [a, 2024-09-25]\n  - [a, 14, edition]\n",
        encoding="utf-8",
    )
    facts = load_gold(path).facts
    assert [f.value for f in facts] == ["2024-09-25", "14"]
    assert facts[0].description == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "entities: [{id: a, type: Person, names: [A]}]\nrelations: [[a, b, x]]\n",
            "unknown entity id 'b' in relation",
        ),
        (
            "entities: [{id: a, type: Person, names: [A]}]\nfacts: [[[a, zz], '1', x]]\n",
            "unknown entity id 'zz' in fact",
        ),
        ("entities: [{id: a, type: Human, names: [A]}]\n", "bad type 'Human'"),
        ("entities: [{id: a, type: Person, also: [Thing], names: [A]}]\n", "bad 'also'"),
        ("entities: [{id: a, type: Person}]\n", "missing names"),
        ("entities: [{id: a, type: Person, names: []}]\n", "missing names"),
        ("entities: [{id: a, type: Person, names: ['--']}]\n", "bad name '--'"),
        ("entities: [{type: Person, names: [A]}]\n", "missing or bad 'id'"),
        ("entities: [{id: a, type: Person, names: [A], colour: red}]\n", "unknown key 'colour'"),
        ("entities: [{id: a, type: Person, names: [A], may_split: yes please}]\n", "may_split"),
        (
            "entities: [{id: a, type: Person, names: [A]}, {id: a, type: Place, names: [B]}]\n",
            "duplicate entity id 'a'",
        ),
        ("entities: [{id: a, type: Person, names: [A]}]\nrelation: []\n", "unknown key 'relation'"),
        ("entities: [{id: a, type: Person, names: [A]}]\nrelations: [[a]]\n", "relations[0] must be"),
        ("entities: [{id: a, type: Person, names: [A]}]\nrelations: [[a, a]]\n", "itself"),
        ("entities: [{id: a, type: Person, names: [A]}]\nfacts: [[a, null]]\n", "bad value"),
        ("entities: {a: 1}\n", "'entities' must be a list"),
        ("optional: []\n", "missing 'entities'"),
        ("- just\n- a list\n", "must be a YAML mapping"),
        ("entities: [{id: a, type: Person, names: [A]\n", "invalid YAML at line"),
    ],
)
def test_bad_gold_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "gold.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GoldError) as info:
        load_gold(path)
    assert message in str(info.value)
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value)


def test_missing_gold_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such gold file"):
        load_gold(tmp_path / "nope.yaml")


# control characters and line separators are left out: YAML reads U+0085 or U+2028 in a
# plain scalar as a line break, and no gold file has them in a name
_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12
).filter(lambda s: normalise(s) != "")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Person", "Organization", "Place", "Event", "Concept"]),
            st.lists(_names, min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_gold_round_trips_through_yaml(entities: list[tuple[str, list[str]]]) -> None:
    data: dict[str, list[Any]] = {
        "entities": [
            {"id": f"e{i}", "type": kind, "names": names} for i, (kind, names) in enumerate(entities)
        ],
        "relations": [["e0", f"e{len(entities) - 1}", "x"]] if len(entities) > 1 else [],
    }
    from kg.evaluate import _parse_gold  # the parser behind load_gold, without a file

    gold = _parse_gold(yaml.safe_load(yaml.safe_dump(data, allow_unicode=True)))
    assert [(e.type, list(e.names)) for e in gold.entities] == entities
    assert len(gold.relations) == len(data["relations"])


# --------------------------------------------------------------------------- graphs & report


def test_load_graph_build_folder_prefers_trig(tmp_path: Path) -> None:
    (tmp_path / "graph.ttl").write_text(PREFIXES + "kgr:A rdfs:label 'ttl' .\n", encoding="utf-8")
    (tmp_path / "graph.trig").write_text(
        PREFIXES + "kgd:doc { kgr:A rdfs:label 'trig' . }\n", encoding="utf-8"
    )
    dataset = load_graph(tmp_path)
    assert [str(o) for _, _, o, _ in dataset.quads((None, None, None, None))] == ["trig"]
    (tmp_path / "graph.trig").unlink()
    dataset = load_graph(tmp_path)
    assert [str(o) for _, _, o, _ in dataset.quads((None, None, None, None))] == ["ttl"]


def test_load_graph_keeps_lexical_forms(tmp_path: Path) -> None:
    file = tmp_path / "g.ttl"
    file.write_text(PREFIXES + 'kgr:A schema:value "2.0E5"^^xsd:double .\n', encoding="utf-8")
    ((_, _, value, _),) = load_graph(file).quads((None, None, None, None))
    assert str(value) == "2.0E5"


@pytest.mark.parametrize("name", ["missing.ttl", "missing_folder"])
def test_load_graph_missing(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_graph(tmp_path / name)


def test_load_graph_empty_folder_and_bad_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"graph\.trig or graph\.ttl"):
        load_graph(tmp_path)
    (tmp_path / "g.rdf").write_text("<x/>", encoding="utf-8")
    with pytest.raises(InputError, match="unknown RDF file type"):
        load_graph(tmp_path / "g.rdf")


def test_load_graph_syntax_error_is_one_line(tmp_path: Path) -> None:
    file = tmp_path / "bad.ttl"
    file.write_text(PREFIXES + "kgr:A kgr:b kgr:c .\nkgr:A kgr:b kgr:c kgr:d .\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_graph(file)
    message = str(info.value)
    assert message.startswith("bad.ttl: ") and "line 16" in message and "\n" not in message


def test_format_result_lists_what_went_wrong(gold: Gold, ontology: rdflib.Graph) -> None:
    graph = trig(
        ENTITIES.replace('kgr:Korea a kgo:Country ; rdfs:label "한국"@ko .', ""),
        RELATIONS,
        FACTS,
        'kgr:Korea_1 a kgo:City ; rdfs:label "Korea"@en .\nkgr:Korea_2 a kgo:City ; rdfs:label "한국"@ko .\n',
    )
    text = format_result(evaluate(graph, gold, ontology))
    assert text.splitlines()[:4] == [
        "part       precision  recall     f1  tp  fp  fn",
        "entities       0.857   1.000  0.923   6   1   0",
        "relations      1.000   1.000  1.000   3   0   0",
        "facts          1.000   1.000  1.000   4   0   0",
    ]
    assert "duplicates (1):\n  korea" in text
    assert (
        'spurious entities (1):\n  <https://kg.example/id/Korea_2> "한국": duplicate of korea '
        "(<https://kg.example/id/Korea_1>)"
    ) in text
    assert "missed" not in text


def test_score_properties() -> None:
    assert Score(0, 0, 0).precision == Score(0, 0, 0).recall == Score(0, 0, 0).f1 == 0.0
    s = Score(tp=3, fp=1, fn=2)
    assert (s.precision, s.recall) == (0.75, 0.6)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Score(tp=1, fp=1, fn=0, tp_system=3).precision == 0.75
    assert isinstance(EvalResult(s, s, s), EvalResult)
