"""Tests for kg.extract.english: sentence splitting, mentions and relations of English news."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract.english import extract_english, split_sentences, tokenize
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.ingest import read_document
from kg.model import Document, Extraction, Mention, Quantity, Ref, TimeValue
from kg.ontology import entity_classes, load_ontology

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def daejeon(gazetteer: Gazetteer) -> Extraction:
    return extract_english(read_document(DATA / "en_daejeon_quantum.txt"), gazetteer)


@pytest.fixture(scope="module")
def lyon(gazetteer: Gazetteer) -> Extraction:
    return extract_english(read_document(DATA / "en_lyon_startup_summit.txt"), gazetteer)


def run(text: str, gazetteer: Gazetteer, date: dt.date | None = dt.date(2025, 5, 2)) -> Extraction:
    return extract_english(Document("probe", "probe.txt", text, "en", "0" * 64, date=date), gazetteer)


def labels(ex: Extraction) -> dict[int, str]:
    """cluster -> the first name its mentions offer."""
    out: dict[int, str] = {}
    for m in ex.mentions:
        if m.names:
            out.setdefault(m.cluster, m.names[0])
    return out


def relations(ex: Extraction) -> set[tuple[str, str, str]]:
    names = labels(ex)
    return {
        (names[s.subject], s.predicate, names[s.object.cluster])
        for s in ex.statements
        if isinstance(s.object, Ref)
    }


def facts(ex: Extraction) -> set[tuple[str, str, str]]:
    """(subject, predicate, value) with amounts as plain numbers and times as lexical forms."""
    names = labels(ex)
    out = set()
    for s in ex.statements:
        value = s.object
        if isinstance(value, Ref):
            continue
        if isinstance(value, Quantity):
            text = f"{value.amount} {value.unit}"
        elif isinstance(value, TimeValue):
            text = value.lexical
        else:
            text = str(value)
        out.add((names[s.subject], s.predicate, text))
    return out


def mention(ex: Extraction, text: str, nth: int = 0) -> Mention:
    found = [m for m in ex.mentions if m.text == text]
    assert len(found) > nth, f"no mention {text!r} (#{nth}) in {[m.text for m in ex.mentions]}"
    return found[nth]


# Tokens and sentences -------------------------------------------------------------------


def test_tokenize_keeps_abbreviations_and_possessives_apart() -> None:
    text = "Prof. Kim's lab at St. Mary's, e.g. U.S.-based Orbis Co. Ltd. (DQI) 60,000-square-metre 3rd O'Brien"
    assert [t.text for t in tokenize(text)] == [
        "Prof.", "Kim", "'s", "lab", "at", "St.", "Mary", "'s", ",", "e.g.", "U.S.", "-", "based", "Orbis",
        "Co.", "Ltd.", "(", "DQI", ")", "60,000", "-", "square-metre", "3rd", "O'Brien",
    ]


def test_tokens_cover_every_visible_character() -> None:
    text = "Mayor Baek Jun-seo (62) said: “We’ll build it by 2029…” — ok?"
    covered = "".join(text[t.start : t.end] for t in tokenize(text))
    assert covered == "".join(text.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Kim met Dr. Lee. They talked.", ["Mr. Kim met Dr. Lee.", "They talked."]),
        ("Prof. Moon spoke. St. Mary's Hospital opened.", ["Prof. Moon spoke.", "St. Mary's Hospital opened."]),
        ("It opened on Oct. 8. The mayor came.", ["It opened on Oct. 8.", "The mayor came."]),
        ("It closed in Sept. 2024 after talks.", ["It closed in Sept. 2024 after talks."]),
        ("He moved to the U.S. The firm followed.", ["He moved to the U.S.", "The firm followed."]),
        ("The U.S. Embassy said so.", ["The U.S. Embassy said so."]),
        ("He joined Apple Inc. The company grew.", ["He joined Apple Inc.", "The company grew."]),
        ("Orbis Inc. Chairman Kim spoke.", ["Orbis Inc. Chairman Kim spoke."]),
        ("Hanbit Co. Ltd. said it would grow.", ["Hanbit Co. Ltd. said it would grow."]),
        ("Cities, e.g. Busan, grew. Others, i.e. Daegu, did not.",
         ["Cities, e.g. Busan, grew.", "Others, i.e. Daegu, did not."]),
        ("J. R. Kim and A. Lee wrote it.", ["J. R. Kim and A. Lee wrote it."]),
        ("Room No. 5 is free. Go.", ["Room No. 5 is free.", "Go."]),
        ("He said no. Then he left.", ["He said no.", "Then he left."]),
        ('"We will win," Baek said. "Soon."', ['"We will win," Baek said.', '"Soon."']),
        ('He said, "It is done." Then he left.', ['He said, "It is done."', "Then he left."]),
        ("Prices rose 1.2 percent. Why? Nobody knows!", ["Prices rose 1.2 percent.", "Why?", "Nobody knows!"]),
        ("A title without a stop\n\nThe body starts here.", ["A title without a stop", "The body starts here."]),
        ("a lower-case line. continues here.", ["a lower-case line. continues here."]),
        ("It starts at 3 p.m. He will come.", ["It starts at 3 p.m.", "He will come."]),
        ("  \n  ", []),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


def assert_tiles(text: str) -> None:
    """Sentences are in order, do not overlap, have no surrounding space, and only
    whitespace lies outside them."""
    position = 0
    for index, sentence in enumerate(split_sentences(text)):
        assert sentence.index == index
        assert sentence.text == text[sentence.start : sentence.end]
        assert sentence.text and sentence.text == sentence.text.strip()
        assert sentence.start >= position
        assert text[position : sentence.start].strip() == ""
        position = sentence.end
    assert text[position:].strip() == ""


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_sentences_tile_any_text(text: str) -> None:
    assert_tiles(text)


_PIECES = st.sampled_from([
    "Mr.", "Dr.", "Prof.", "U.S.", "Inc.", "Co.", "Ltd.", "Oct.", "Sept.", "No.", "e.g.", "i.e.", "J.",
    "Kim", "The", "the", "city", "said", ".", "?", "!", "…", ",", '"', "“", "”", "'", "(", ")", "5", "2024",
    "1.2", "Lee's", "Seoul-based", "\n", "\n\n", " ", "  ", "\t", "\u00a0", "\u2028", "é", "서울",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map(lambda parts: " ".join(parts)))
def test_sentences_tile_sentence_like_text(text: str) -> None:
    assert_tiles(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([
    "Mayor", "Kim", "Min-jun", "of", "Daejeon", "said", "the city", "Dr.", "U.S.", "Inc.", ",", ".", '"',
    "'s", "3rd", "Quantum", "Forum", "University", "held at", "on June 17", "founded", "in 2020", "cooperate",
    "with", "and", "KAIST", "\n\n", "He", "she", "the forum", "Oct.", "120,000 square metres", "1.2 trillion won",
    "designate", "as its strategic industries", "Ministry", "Center", "(DQI)", "located in", "Canada", "joint",
    "event of", "“", "”", "Ménard", "…", "\ue000", "more than 50 startups", "over the next 10 years",
]), max_size=40).map(lambda parts: " ".join(parts)))
def test_extraction_is_consistent_for_any_text(gazetteer: Gazetteer, text: str) -> None:
    ex = run(text, gazetteer)
    classes = entity_classes()
    clusters = {m.cluster for m in ex.mentions}
    for m in ex.mentions:
        assert m.text == text[m.start : m.end]
        assert m.cls in classes and m.rule.startswith("en.")
        sentence = ex.sentences[m.sentence]
        assert sentence.start <= m.start < m.end <= sentence.end
    for s in ex.statements:
        assert s.subject in clusters
        assert not isinstance(s.object, Ref) or s.object.cluster in clusters
        sentence = ex.sentences[s.evidence.sentence]
        assert (s.evidence.start, s.evidence.end, s.evidence.text) == (sentence.start, sentence.end, sentence.text)


# The Daejeon article ----------------------------------------------------------------------


def test_daejeon_mentions(daejeon: Extraction) -> None:
    person = mention(daejeon, "Baek Jun-seo")
    assert (person.cls, person.names) == ("Person", ("Baek Jun-seo",))
    # later references share the cluster and offer no names
    for text in ("Baek", "He", "the mayor"):
        ref = mention(daejeon, text)
        assert (ref.cluster, ref.names) == (person.cluster, ())
    city = mention(daejeon, "Daejeon")
    assert (city.cls, city.gazetteer_id) == ("City", "Daejeon")
    for nth in (0, 1):
        assert mention(daejeon, "the city", nth).cluster == city.cluster
    forum = mention(daejeon, "3rd Korea-Canada Quantum Forum")
    assert forum.cls == "Conference"
    assert forum.names == ("3rd Korea-Canada Quantum Forum", "Korea-Canada Quantum Forum")
    assert mention(daejeon, "the forum").cluster == forum.cluster
    assert mention(daejeon, "Gapcheon Convention Center").cls == "Facility"
    institute = mention(daejeon, "Daejeon Quantum Institute")
    assert institute.cls == "ResearchOrganization"
    assert mention(daejeon, "the institute").cluster == institute.cluster
    assert mention(daejeon, "Yuseong Quantum Campus").cls == "Facility"
    assert mention(daejeon, "Maple Quantum Institute").cls == "ResearchOrganization"
    assert mention(daejeon, "KAIST").gazetteer_id == "KAIST"
    assert mention(daejeon, "ETRI").gazetteer_id == "ETRI"
    # 'Orbis Qubit' has no kind word: "CEO of Orbis Qubit" makes it a company, also in
    # the cooperation list two sentences before
    first, second = mention(daejeon, "Orbis Qubit", 0), mention(daejeon, "Orbis Qubit", 1)
    assert first.cluster == second.cluster and first.cls == "Company" and first.sentence == 5
    assert mention(daejeon, "the startup").cluster == first.cluster
    assert mention(daejeon, "Kang Yu-jin").cls == "Person"
    assert mention(daejeon, "Moon Ji-hoon").cls == "Person"
    assert mention(daejeon, "Gyeryong University").cls == "University"
    for concept in ("quantum computing", "semiconductors", "hydrogen"):
        assert mention(daejeon, concept).cls in ("Technology", "Industry")


def test_daejeon_relations(daejeon: Extraction) -> None:
    forum = "3rd Korea-Canada Quantum Forum"
    expected = {
        ("Baek Jun-seo", "mayorOf", "Daejeon"),
        ("Baek Jun-seo", "keynoteSpeakerAt", forum),
        (forum, "heldAt", "Gapcheon Convention Center"),
        (forum, "jointEventOf", "South Korea"),
        (forum, "jointEventOf", "Canada"),
        ("Daejeon", "designatesStrategicIndustry", "quantum computing"),
        ("Daejeon", "designatesStrategicIndustry", "semiconductors"),
        ("Daejeon", "designatesStrategicIndustry", "hydrogen"),
        ("Daejeon Quantum Institute", "foundedBy", "Daejeon"),
        ("Yuseong Quantum Campus", "plannedBy", "Daejeon"),
        ("Daejeon Quantum Institute", "developsInto", "Yuseong Quantum Campus"),
        ("Daejeon", "cooperatesWith", "KAIST"),
        ("Daejeon", "cooperatesWith", "ETRI"),
        ("Daejeon", "cooperatesWith", "Orbis Qubit"),
        ("Daejeon", "cooperatesWith", "Maple Quantum Institute"),
        ("Maple Quantum Institute", "locatedIn", "Canada"),
        ("Daejeon", "attractsTalentFrom", "Vietnam"),
        ("Daejeon", "attractsTalentFrom", "India"),
        ("Kang Yu-jin", "headOf", "Orbis Qubit"),
        ("Kang Yu-jin", "speakerAt", forum),
        ("Moon Ji-hoon", "affiliatedWith", "Gyeryong University"),
        ("Moon Ji-hoon", "speakerAt", forum),
    }
    found = relations(daejeon)
    assert expected <= found
    assert found - expected == set()


def test_daejeon_facts(daejeon: Extraction) -> None:
    forum = "3rd Korea-Canada Quantum Forum"
    assert facts(daejeon) == {
        (forum, "startDate", "2025-06-17"),
        (forum, "editionNumber", "3"),
        ("Daejeon Quantum Institute", "foundingDate", "2020"),
        ("Yuseong Quantum Campus", "targetDate", "2029"),
        ("Yuseong Quantum Campus", "floorSize", "120000 MTK"),
        ("Daejeon Quantum Institute", "hasQuantity", "80 C62"),
        ("Daejeon Quantum Institute", "hasQuantity", "1200000000000 KRW"),
        ("Daejeon", "duration", "10 ANN"),
        ("Orbis Qubit", "foundingDate", "2021"),
        ("Orbis Qubit", "hasQuantity", "120 C62"),
    }
    startups = next(s.object for s in daejeon.statements
                    if isinstance(s.object, Quantity) and s.object.amount == Decimal(80))
    assert (startups.qualifier, startups.measured) == ("more_than", "startups")


# The Lyon article -------------------------------------------------------------------------


def test_lyon_mentions(lyon: Extraction) -> None:
    summit = mention(lyon, "7th Rhône Startup Summit")
    assert summit.cls == "Conference"
    assert summit.names == ("7th Rhône Startup Summit", "Rhône Startup Summit")
    assert {m.cluster for m in lyon.mentions if m.text == "the summit"} == {summit.cluster}
    menard = mention(lyon, "Claire Ménard")
    assert menard.cls == "Person"
    assert mention(lyon, "Ménard").cluster == menard.cluster
    assert mention(lyon, "she").cluster == menard.cluster
    # Lyon is in no gazetteer: "Mayor X of Lyon" and "City of Lyon" make it a city
    lyon_city = mention(lyon, "Lyon")
    assert lyon_city.cls == "City" and lyon_city.gazetteer_id is None
    city_of = mention(lyon, "City of Lyon")
    assert city_of.cluster == lyon_city.cluster and city_of.names == ("Lyon", "City of Lyon")
    assert {m.cluster for m in lyon.mentions if m.text.lower() == "the city"} == {lyon_city.cluster}
    assert mention(lyon, "Lyon Innovation Campus").cls == "Facility"
    assert mention(lyon, "Rhône Startup Center").cls == "Facility"
    assert mention(lyon, "Lumio Robotics").cls == "Company"
    assert mention(lyon, "the firm").cluster == mention(lyon, "Lumio Robotics").cluster
    assert mention(lyon, "Fourvière University").cls == "University"
    ministry = mention(lyon, "Ministry of Startup Growth")
    assert ministry.cls == "GovernmentBody"
    assert mention(lyon, "the ministry").cluster == ministry.cluster
    assert mention(lyon, "Morocco").cls == "Place"  # from "attract … engineers from"
    assert mention(lyon, "Villeurbanne").cls == "Place"  # from "located in"
    assert mention(lyon, "Élodie Garnier").cls == "Person"
    assert mention(lyon, "Julien Marchand").cls == "Person"
    assert mention(lyon, "Yoon Seo-jin").cls == "Person"


def test_lyon_relations(lyon: Extraction) -> None:
    summit = "7th Rhône Startup Summit"
    expected = {
        (summit, "jointEventOf", "France"),
        (summit, "jointEventOf", "South Korea"),
        (summit, "heldAt", "Confluence Innovation Center"),
        ("Claire Ménard", "keynoteSpeakerAt", summit),
        ("Claire Ménard", "mayorOf", "Lyon"),
        ("Lyon", "designatesStrategicIndustry", "fintech"),
        ("Lyon", "designatesStrategicIndustry", "biotechnology"),
        ("Lyon", "designatesStrategicIndustry", "robotics"),
        ("Rhône Startup Center", "foundedBy", "Lyon"),
        ("Lyon Innovation Campus", "plannedBy", "Lyon"),
        ("Lyon", "cooperatesWith", "Naver"),
        ("Lyon", "cooperatesWith", "Kakao"),
        ("Lyon", "cooperatesWith", "Lumio Robotics"),
        ("Lyon", "cooperatesWith", "Fourvière University"),
        ("Lyon", "attractsTalentFrom", "Vietnam"),
        ("Lyon", "attractsTalentFrom", "Morocco"),
        ("Yoon Seo-jin", "headOf", "Ministry of Startup Growth"),
        ("Yoon Seo-jin", "speakerAt", summit),
        ("Ministry of Startup Growth", "locatedIn", "South Korea"),
        ("Julien Marchand", "headOf", "Lumio Robotics"),
        ("Lumio Robotics", "locatedIn", "Villeurbanne"),
        ("Élodie Garnier", "affiliatedWith", "Fourvière University"),
        ("Élodie Garnier", "speakerAt", summit),
    }
    found = relations(lyon)
    assert expected <= found
    assert found - expected == set()


def test_lyon_facts(lyon: Extraction) -> None:
    summit = "7th Rhône Startup Summit"
    assert facts(lyon) == {
        (summit, "startDate", "2025-10-08"),
        (summit, "editionNumber", "7"),
        (summit, "hasQuantity", "150 C62"),
        ("Rhône Startup Center", "foundingDate", "2018"),
        ("Lyon Innovation Campus", "targetDate", "2030"),
        ("Lyon Innovation Campus", "floorSize", "60000 MTK"),
        ("Lyon", "hasQuantity", "500 C62"),
        ("Ministry of Startup Growth", "hasQuantity", "300000000000 KRW"),
        ("Lumio Robotics", "foundingDate", "2016"),
        ("Lumio Robotics", "hasQuantity", "240 C62"),
    }


def test_evidence_points_at_the_sentence(daejeon: Extraction, lyon: Extraction) -> None:
    ontology = load_ontology()
    properties = {str(p).rsplit("#", 1)[1] for p in ontology.subjects() if str(p).startswith("https://kg.example/ontology#")}
    for ex in (daejeon, lyon):
        text = ex.document.text
        for s in ex.statements:
            e = s.evidence
            assert text[e.start : e.end] == e.text == ex.sentences[e.sentence].text
            assert e.rule.startswith("en.") and 0 < e.confidence <= 1
            assert s.predicate in properties
        for m in ex.mentions:
            assert text[m.start : m.end] == m.text


# General English news patterns, one sentence each ---------------------------------------------


def test_place_before_title_and_lower_case_event(gazetteer: Gazetteer) -> None:
    ex = run("Seoul Mayor Oh Se-hoon gave the keynote at the 14th ADeKo conference on Sept. 25, 2024.", gazetteer)
    assert mention(ex, "Oh Se-hoon").gazetteer_id == "Oh_Se-hoon"
    assert relations(ex) == {
        ("Oh Se-hoon", "mayorOf", "Seoul"),
        ("Oh Se-hoon", "keynoteSpeakerAt", "14th ADeKo conference"),
    }
    assert ("14th ADeKo conference", "editionNumber", "14") in facts(ex)


def test_appositive_title_then_city_anaphor(gazetteer: Gazetteer) -> None:
    ex = run("Kim Min-jun, the mayor of Gaon, said the city will partner with Hanbit Electronics and "
             "Nuri University. Kim said the city would sign an MOU with KAIST.", gazetteer)
    assert mention(ex, "Gaon").cls == "City"
    assert mention(ex, "Kim").cluster == mention(ex, "Kim Min-jun").cluster
    assert relations(ex) == {
        ("Kim Min-jun", "mayorOf", "Gaon"),
        ("Gaon", "cooperatesWith", "Hanbit Electronics"),
        ("Gaon", "cooperatesWith", "Nuri University"),
        ("Gaon", "cooperatesWith", "KAIST"),
    }


def test_company_title_and_amounts(gazetteer: Gazetteer) -> None:
    ex = run("Samsung Electronics CEO Lee Jae-yong said the company would invest 10 trillion won "
             "over five years.", gazetteer)
    assert relations(ex) == {("Lee Jae-yong", "headOf", "Samsung Electronics")}
    assert facts(ex) == {
        ("Samsung Electronics", "hasQuantity", "10000000000000 KRW"),
        ("Samsung Electronics", "duration", "5 ANN"),
    }


def test_western_name_surname_reference_and_held_at(gazetteer: Gazetteer) -> None:
    ex = run("Professor Claire Dubois of Sorbonne University delivered the keynote address at the "
             "2nd Paris AI Summit, held at the Palais des Congrès on March 3. Dubois said the summit "
             "drew more than 3,000 participants.", gazetteer)
    assert mention(ex, "Dubois").cluster == mention(ex, "Claire Dubois").cluster
    assert relations(ex) == {
        ("Claire Dubois", "affiliatedWith", "Sorbonne University"),
        ("Claire Dubois", "keynoteSpeakerAt", "2nd Paris AI Summit"),
        ("2nd Paris AI Summit", "heldAt", "Palais des Congrès"),
    }
    assert facts(ex) >= {
        ("2nd Paris AI Summit", "startDate", "2025-03-03"),
        ("2nd Paris AI Summit", "hasQuantity", "3000 C62"),
    }


def test_founding_forms(gazetteer: Gazetteer) -> None:
    ex = run("In 2019, the city of Gaon established the Gaon Marine Institute. Hanbit Labs, which was "
             "founded by Naver in 2018, is valued at $3 billion. The Gaon Robot Center, a "
             "30,000-square-metre facility, opened in 2022.", gazetteer)
    assert relations(ex) == {
        ("Gaon Marine Institute", "foundedBy", "Gaon"),
        ("Hanbit Labs", "foundedBy", "Naver"),
    }
    assert facts(ex) == {
        ("Gaon Marine Institute", "foundingDate", "2019"),
        ("Hanbit Labs", "foundingDate", "2018"),
        ("Hanbit Labs", "valuation", "3000000000 USD"),
        ("Gaon Robot Center", "floorSize", "30000 MTK"),
        ("Gaon Robot Center", "foundingDate", "2022"),
    }


def test_plans_and_develops(gazetteer: Gazetteer) -> None:
    ex = run("Busan is pushing to build a 150,000-square-metre Busan Robot Park by 2031. The Seoul "
             "Metropolitan Government will develop the Seoul AI Hub into the AI Seoul Tech City.", gazetteer)
    assert relations(ex) == {
        ("Busan Robot Park", "plannedBy", "Busan"),
        ("Seoul AI Hub", "developsInto", "AI Seoul Tech City"),
    }
    assert facts(ex) == {
        ("Busan Robot Park", "floorSize", "150000 MTK"),
        ("Busan Robot Park", "targetDate", "2031"),
    }


def test_lists_with_head_nouns(gazetteer: Gazetteer) -> None:
    ex = run("The ministry will partner with companies such as Orbis Qubit, Lumen Quantum and "
             "Q-Tech. Busan designated robotics, hydrogen and marine biotech as its core industries.",
             gazetteer)
    for name in ("Orbis Qubit", "Lumen Quantum", "Q-Tech"):
        assert mention(ex, name).cls == "Company"
    assert mention(ex, "marine biotech").cls == "Industry"
    assert relations(ex) == {
        ("Busan", "designatesStrategicIndustry", "robotics"),
        ("Busan", "designatesStrategicIndustry", "hydrogen"),
        ("Busan", "designatesStrategicIndustry", "marine biotech"),
    }


def test_joint_events_theme_and_located(gazetteer: Gazetteer) -> None:
    ex = run('The 5th Seoul Quantum Forum, a joint Korea-Germany forum, took place in Berlin under the '
             'theme "Quantum for All". Seoul-based startup FuriosaAI will work with Nvidia. '
             "Canada's Mila signed an agreement with the Korea Advanced Institute of Science and Technology.",
             gazetteer)
    assert mention(ex, "FuriosaAI").cls == "Company"
    assert mention(ex, "Korea Advanced Institute of Science and Technology").gazetteer_id == "KAIST"
    assert relations(ex) == {
        ("5th Seoul Quantum Forum", "jointEventOf", "Korea"),
        ("5th Seoul Quantum Forum", "jointEventOf", "Germany"),
        ("5th Seoul Quantum Forum", "heldAt", "Berlin"),
        ("5th Seoul Quantum Forum", "theme", "Quantum for All"),
        ("FuriosaAI", "locatedIn", "Seoul"),
        ("FuriosaAI", "cooperatesWith", "Nvidia"),
        ("Mila", "locatedIn", "Canada"),
        ("Mila", "cooperatesWith", "Korea Advanced Institute of Science and Technology"),
    }


def test_quoted_speaker_acts_for_what_he_heads(gazetteer: Gazetteer) -> None:
    ex = run('"We will cooperate with Samsung Electronics and LG Electronics," said Mayor Park '
             "Heong-joon of Busan. The city also aims to attract researchers from Vietnam and Morocco "
             "over the next five years, he said.", gazetteer)
    assert relations(ex) == {
        ("Park Heong-joon", "mayorOf", "Busan"),
        ("Busan", "cooperatesWith", "Samsung Electronics"),
        ("Busan", "cooperatesWith", "LG Electronics"),
        ("Busan", "attractsTalentFrom", "Vietnam"),
        ("Busan", "attractsTalentFrom", "Morocco"),
    }
    assert facts(ex) == {("Busan", "duration", "5 ANN")}


def test_acronym_in_parentheses_is_another_name(gazetteer: Gazetteer) -> None:
    ex = run("The Gaon Quantum Institute (GQI) opened in 2021. GQI will cooperate with ETRI.", gazetteer)
    institute = mention(ex, "Gaon Quantum Institute")
    assert institute.names == ("Gaon Quantum Institute", "GQI")
    assert mention(ex, "GQI", 1).cluster == institute.cluster
    assert ("Gaon Quantum Institute", "cooperatesWith", "ETRI") in relations(ex)


def test_names_without_a_cue_are_left_out(gazetteer: Gazetteer) -> None:
    ex = run("Asia and Europe were discussed by Blue Harbor and Quiet Pine at the meeting. "
             "The city of nowhere said nothing. The startup ecosystem grew.", gazetteer)
    assert [m.text for m in ex.mentions] == []
    assert ex.statements == ()


def test_unresolved_subject_is_no_guess(gazetteer: Gazetteer) -> None:
    ex = run("Hanbit University opened a lab. The city is pushing to build the Gaon Bio Valley by 2031.",
             gazetteer)
    assert relations(ex) == set()
    assert ("Gaon Bio Valley", "targetDate", "2031") in facts(ex)


def test_venue_named_after_a_known_place(gazetteer: Gazetteer) -> None:
    ex = run("The 10th Global Bio Conference was held at the Busan Bexco in Haeundae from Oct. 15 to 17. "
             "About 2,000 experts attended the conference.", gazetteer)
    venue = mention(ex, "Busan Bexco")  # not 'Busan' alone: 'held at' names the whole chain
    assert venue.cls == "Facility"
    assert relations(ex) == {("10th Global Bio Conference", "heldAt", "Busan Bexco")}
    assert facts(ex) == {
        ("10th Global Bio Conference", "startDate", "2025-10-15"),
        ("10th Global Bio Conference", "editionNumber", "10"),
        ("10th Global Bio Conference", "hasQuantity", "2000 C62"),
    }


# Wire-service patterns: datelines, bylines, short names, appositives, premises, hosts ---------


def test_hyphenated_abbreviation_is_one_word() -> None:
    assert [t.text for t in tokenize("the third Korea-U.S. Chip Forum")] == [
        "the", "third", "Korea-U.S.", "Chip", "Forum",
    ]


def test_dateline_and_byline(gazetteer: Gazetteer) -> None:
    ex = run("GAON, Gyeonggi Province, Feb 10 (Harbor Newswire) - Gaon Robotics will open a plant in Gaon.\n\n"
             "(Reporting by Jane Doe in Gaon; Editing by Tom Walsh)", gazetteer, dt.date(2026, 2, 10))
    assert mention(ex, "GAON").cls == "City"
    assert mention(ex, "Gaon", 0).cluster == mention(ex, "GAON").cluster
    assert mention(ex, "Harbor Newswire").cls == "Company"
    assert mention(ex, "Jane Doe").cls == mention(ex, "Tom Walsh").cls == "Person"
    assert relations(ex) == {
        ("Gaon", "locatedIn", "Gyeonggi Province"),
        ("Gaon Robotics", "locatedIn", "Gaon"),  # 'open a plant in Gaon'
        ("Jane Doe", "affiliatedWith", "Harbor Newswire"),
        ("Tom Walsh", "affiliatedWith", "Harbor Newswire"),
    }


def test_dateline_without_a_date(gazetteer: Gazetteer) -> None:
    ex = run("BUSAN (Harbor Newswire) — Busan opened the Busan Marine Hub in 2024.", gazetteer)
    assert mention(ex, "Harbor Newswire").cls == "Company"
    assert relations(ex) == {("Busan Marine Hub", "foundedBy", "Busan")}


def test_names_with_for_at_and_and(gazetteer: Gazetteer) -> None:
    ex = run("The Agency for Marine Science and Technology (AMST) and the Centre for Ocean Robotics met the Korea "
             "Institute for Robot Industry Advancement at the University of Ulsan at Dongnam. The 2nd Gaon Bio "
             "Forum took place at the Gaon Expo and Convention Centre, near the Texas State Capitol.", gazetteer)
    assert [(m.text, m.cls) for m in ex.mentions if m.cls != "Conference"] == [
        ("Agency for Marine Science and Technology", "GovernmentBody"),
        ("AMST", "GovernmentBody"),
        ("Centre for Ocean Robotics", "ResearchOrganization"),
        ("Korea Institute for Robot Industry Advancement", "ResearchOrganization"),
        ("University of Ulsan at Dongnam", "University"),
        ("Gaon Expo and Convention Centre", "Facility"),
        ("Texas State Capitol", "Facility"),
    ]
    assert relations(ex) == {("2nd Gaon Bio Forum", "heldAt", "Gaon Expo and Convention Centre")}


def test_metropolitan_city_is_the_city(gazetteer: Gazetteer) -> None:
    ex = run("The Incheon Metropolitan City said Incheon would grow.", gazetteer)
    assert mention(ex, "Incheon Metropolitan City").gazetteer_id == "Incheon"
    assert mention(ex, "Incheon Metropolitan City").cluster == mention(ex, "Incheon").cluster


def test_programmes_districts_and_nationalities(gazetteer: Gazetteer) -> None:
    ex = run('The zone runs under its "Bio Gaon 2030" programme and the Green Ocean 2.0 strategy. '
             "South Korean robot maker Nuri Robotics opened an office in the Haeundae district. "
             "Lumen Quantum, a Japanese chipmaker, agreed.", gazetteer)
    assert mention(ex, "Bio Gaon 2030").cls == mention(ex, "Green Ocean 2.0").cls == "Concept"
    assert mention(ex, "Haeundae district").cls == "Facility"
    assert mention(ex, "Lumen Quantum").cls == "Company"
    assert mention(ex, "South Korean").gazetteer_id == "South_Korea"
    assert relations(ex) == {
        ("Nuri Robotics", "locatedIn", "South Korea"),
        ("Nuri Robotics", "locatedIn", "Haeundae district"),
        ("Lumen Quantum", "locatedIn", "Japan"),
    }


def test_short_forms_of_names(gazetteer: Gazetteer) -> None:
    ex = run("Hanbit Semiconductor hired 30 engineers. Hanbit said it would grow. The University of Texas at "
             "Austin and the Gaon Institute of Marine Technology agreed. UT Austin and GIMT signed an MOU.",
             gazetteer)
    assert mention(ex, "Hanbit").cluster == mention(ex, "Hanbit Semiconductor").cluster
    assert mention(ex, "UT Austin").cluster == mention(ex, "University of Texas at Austin").cluster
    assert mention(ex, "GIMT").cluster == mention(ex, "Gaon Institute of Marine Technology").cluster
    assert relations(ex) == {
        ("University of Texas at Austin", "cooperatesWith", "Gaon Institute of Marine Technology"),
    }


def test_a_word_in_another_name_is_no_short_form(gazetteer: Gazetteer) -> None:
    ex = run("The Gaon Robot Park will open next March. Gaon Robotics opened its Busan office last month.",
             gazetteer)
    assert [m.text for m in ex.mentions] == ["Gaon Robot Park", "Gaon Robotics", "Busan"]
    assert relations(ex) == {("Gaon Robotics", "locatedIn", "Busan")}
    assert facts(ex) == {("Gaon Robot Park", "targetDate", "2026-03")}


def test_descriptions_point_back(gazetteer: Gazetteer) -> None:
    ex = run("The Seoul-based startup Hanbit Labs, founded in 2019 by a group of former Samsung Electronics "
             "engineers, plans to expand. The startup employs 50 people.", gazetteer)
    assert mention(ex, "The startup").cluster == mention(ex, "Hanbit Labs").cluster
    assert relations(ex) == {("Hanbit Labs", "locatedIn", "Seoul")}
    assert facts(ex) == {("Hanbit Labs", "foundingDate", "2019"), ("Hanbit Labs", "hasQuantity", "50 C62")}


def test_place_based_noun_is_the_antecedent(gazetteer: Gazetteer) -> None:
    ex = run("Hanbit Semiconductor said it would grow. The Seoul-based startup, founded in 2019, "
             "plans to spend $120 million over five years on the Gaon Design Center, which will "
             "occupy 4,500 square metres in the city's Seomyeon district.", gazetteer)
    assert mention(ex, "startup").cluster == mention(ex, "Hanbit Semiconductor").cluster
    # 'Seoul-based' is no antecedent for 'the city': no city is named before it
    assert [m.text for m in ex.mentions] == ["Hanbit Semiconductor", "Seoul", "startup", "Gaon Design Center",
                                             "Seomyeon district"]
    assert relations(ex) == {
        ("Hanbit Semiconductor", "locatedIn", "Seoul"),
        ("Gaon Design Center", "plannedBy", "Hanbit Semiconductor"),
        ("Gaon Design Center", "locatedIn", "Seomyeon district"),
    }
    assert facts(ex) == {
        ("Hanbit Semiconductor", "foundingDate", "2019"),
        ("Hanbit Semiconductor", "duration", "5 ANN"),
        ("Gaon Design Center", "valuation", "120000000 USD"),
        ("Gaon Design Center", "floorSize", "4500 MTK"),
    }


def test_the_citys_district(gazetteer: Gazetteer) -> None:
    ex = run("Busan approved the Gaon Design Center, which will occupy 4,500 square metres in the city's "
             "Seomyeon district and is scheduled to open in September.", gazetteer)
    assert relations(ex) == {
        ("Gaon Design Center", "locatedIn", "Seomyeon district"),
        ("Gaon Design Center", "locatedIn", "Busan"),
        ("Seomyeon district", "locatedIn", "Busan"),
    }
    assert facts(ex) == {("Gaon Design Center", "floorSize", "4500 MTK"),
                         ("Gaon Design Center", "targetDate", "2025-09")}


def test_event_anaphora_and_the_government(gazetteer: Gazetteer) -> None:
    ex = run("South Korea hosted the 3rd Busan Robot Summit. This year's summit drew 500 visitors. The two-day "
             "summit was held at the Bexco Hall. The government named robotics as a priority industry.", gazetteer)
    summit = mention(ex, "3rd Busan Robot Summit").cluster
    assert mention(ex, "This year's summit").cluster == mention(ex, "summit", 0).cluster == summit
    assert mention(ex, "The government").cluster == mention(ex, "South Korea").cluster
    assert relations(ex) == {
        ("3rd Busan Robot Summit", "organizer", "South Korea"),
        ("3rd Busan Robot Summit", "heldAt", "Bexco Hall"),
        ("South Korea", "designatesStrategicIndustry", "robotics"),
    }
    assert facts(ex) == {("3rd Busan Robot Summit", "editionNumber", "3"),
                         ("3rd Busan Robot Summit", "hasQuantity", "500 C62")}


def test_titles_with_possessives_and_topics(gazetteer: Gazetteer) -> None:
    ex = run("Tan Wei Ling, Orbis Holdings' assistant chief executive, said sales rose. Seoul's mayor, "
             "Oh Se-hoon, spoke. Ontario Premier Doug Ford attended. Nuri Bank's CEO Choi Min-seo said the "
             'lender would invest $450 million. "We will grow," Chief Executive Park Ji-hoon told reporters.',
             gazetteer)
    assert mention(ex, "Tan Wei Ling").cls == "Person"
    assert mention(ex, "Ontario").cls == "AdministrativeArea"
    assert relations(ex) == {
        ("Tan Wei Ling", "affiliatedWith", "Orbis Holdings"),  # an assistant chief executive is no head
        ("Oh Se-hoon", "mayorOf", "Seoul"),
        ("Doug Ford", "mayorOf", "Ontario"),
        ("Choi Min-seo", "headOf", "Nuri Bank"),
        ("Park Ji-hoon", "headOf", "Nuri Bank"),  # the company the story is about
    }
    assert facts(ex) == {("Nuri Bank", "hasQuantity", "450000000 USD")}


def test_who_heads_and_units_of_organisations(gazetteer: Gazetteer) -> None:
    ex = run("Claire Dubois, who heads the Lyon Institute of Photonics, spoke. Professor Maria Delgado, who "
             "heads Gaon University's Marine Robotics Lab, spoke. Rajesh Kumar, director of Nuri "
             "University's Centre for Ocean Robotics, said his team will deploy 60 robots.", gazetteer)
    assert mention(ex, "Claire Dubois").cls == "Person"
    assert relations(ex) == {
        ("Claire Dubois", "headOf", "Lyon Institute of Photonics"),
        ("Maria Delgado", "headOf", "Marine Robotics Lab"),
        ("Maria Delgado", "affiliatedWith", "Gaon University"),
        ("Marine Robotics Lab", "locatedIn", "Gaon University"),
        ("Rajesh Kumar", "headOf", "Centre for Ocean Robotics"),
        ("Rajesh Kumar", "affiliatedWith", "Nuri University"),
        ("Centre for Ocean Robotics", "locatedIn", "Nuri University"),
    }
    assert facts(ex) == {("Centre for Ocean Robotics", "hasQuantity", "60 C62")}


def test_cooperation_forms(gazetteer: Gazetteer) -> None:
    ex = run("Hanbit Semiconductor, a Seoul-based chipmaker, signed a memorandum of understanding (MOU) with "
             "Gaon University. Orbis Qubit teamed up with KAIST. Gaon Robotics developed the arm in "
             "partnership with Pusan National University. Hanbit Robotics and Nuri University's School of "
             "Engineering will run a joint research programme.", gazetteer)
    assert mention(ex, "Orbis Qubit").cls == "Organization"
    assert relations(ex) == {
        ("Hanbit Semiconductor", "locatedIn", "Seoul"),
        ("Hanbit Semiconductor", "cooperatesWith", "Gaon University"),
        ("Orbis Qubit", "cooperatesWith", "KAIST"),
        ("Gaon Robotics", "cooperatesWith", "Pusan National University"),
        ("Hanbit Robotics", "cooperatesWith", "School of Engineering"),
        ("School of Engineering", "locatedIn", "Nuri University"),
    }


def test_lists_with_acronyms_and_relative_clauses(gazetteer: Gazetteer) -> None:
    ex = run("The Gaon Robot Center will be operated together with the Nuri Institute of Technology (NIT), "
             "whose new campus opened in Busan in 2024, and Gaon University.", gazetteer)
    assert relations(ex) == {
        ("Gaon Robot Center", "cooperatesWith", "Nuri Institute of Technology"),
        ("Gaon Robot Center", "cooperatesWith", "Gaon University"),
        ("Nuri Institute of Technology", "locatedIn", "Busan"),
    }


def test_premises_of_a_company(gazetteer: Gazetteer) -> None:
    ex = run("Busan, where Hanbit Electronics is building a new battery plant, grew. Orbis Holdings opened its "
             "Daegu plant last year. Lumen Robotics, headquartered in Daejeon, is a unit of Orbis Holdings.",
             gazetteer)
    assert mention(ex, "Lumen Robotics").cls == "Company"
    assert relations(ex) == {
        ("Hanbit Electronics", "locatedIn", "Busan"),
        ("Orbis Holdings", "locatedIn", "Daegu"),
        ("Lumen Robotics", "locatedIn", "Daejeon"),
    }


def test_hosts_organisers_and_joint_events(gazetteer: Gazetteer) -> None:
    ex = run("Incheon will host the 4th Global Battery Expo at the Songdo Convensia from June 3 to 5. It was "
             "co-hosted by the Ministry of Trade, Industry and Energy. The expo, co-hosted by South Korea and "
             "Canada, is expected to draw more than 40,000 visitors and 600 exhibitors. Kim Min-jun delivered "
             "the keynote.", gazetteer)
    expo = "4th Global Battery Expo"
    assert mention(ex, "Songdo Convensia").cls == "Facility"
    assert relations(ex) == {
        (expo, "organizer", "Incheon"),
        (expo, "heldAt", "Songdo Convensia"),
        (expo, "organizer", "Ministry of Trade, Industry and Energy"),
        (expo, "organizer", "South Korea"),
        (expo, "organizer", "Canada"),
        (expo, "jointEventOf", "South Korea"),
        (expo, "jointEventOf", "Canada"),
        ("Kim Min-jun", "keynoteSpeakerAt", expo),  # the event named in an earlier sentence
    }
    assert facts(ex) == {
        (expo, "startDate", "2025-06-03"),
        (expo, "editionNumber", "4"),
        (expo, "hasQuantity", "40000 C62"),
        (expo, "hasQuantity", "600 C62"),
    }


def test_joint_event_of_the_countries_in_its_name(gazetteer: Gazetteer) -> None:
    ex = run("Engineers from the U.S. and South Korea met. Lee is to speak as a keynote speaker at the third "
             "Korea-U.S. Chip Forum, a joint event of the two governments that runs until Aug 29 at the "
             "Marina Bay Sands Expo and Convention Centre.", gazetteer)
    forum = "third Korea-U.S. Chip Forum"
    assert relations(ex) == {
        (forum, "jointEventOf", "South Korea"),
        (forum, "jointEventOf", "U.S."),
        (forum, "heldAt", "Marina Bay Sands Expo and Convention Centre"),
    }
    assert facts(ex) == {(forum, "editionNumber", "3")}


def test_planned_thing_named_later(gazetteer: Gazetteer) -> None:
    ex = run("SEOUL, Aug 27 (Pacific Wire) - Busan will build a S$350 million robotics testbed in the "
             "Haeundae district. The facility, to be called RoboHub Haeundae, will cover 18,000 square metres "
             "and is due to be completed in 2028. RoboHub will open an office in Daegu.",
             gazetteer, dt.date(2025, 8, 27))
    assert mention(ex, "RoboHub").cluster == mention(ex, "RoboHub Haeundae").cluster
    assert [m.text for m in ex.mentions if m.text.lower() == "the facility"] == []
    assert relations(ex) == {
        ("RoboHub Haeundae", "plannedBy", "Busan"),
        ("RoboHub Haeundae", "locatedIn", "Haeundae district"),
    }
    assert facts(ex) == {
        ("Busan", "hasQuantity", "350000000 SGD"),
        ("RoboHub Haeundae", "floorSize", "18000 MTK"),
        ("RoboHub Haeundae", "targetDate", "2028"),
    }


def test_invest_in_a_facility_with_two_currencies(gazetteer: Gazetteer) -> None:
    ex = run("Incheon said it would invest 500 billion won ($350 million) over seven years in the Incheon "
             "Battery Valley, a 300,000-square-metre cluster scheduled to open in 2029.", gazetteer)
    valley = "Incheon Battery Valley"
    assert relations(ex) == {(valley, "plannedBy", "Incheon")}
    assert facts(ex) == {
        (valley, "valuation", "500000000000 KRW"),
        (valley, "valuation", "350000000 USD"),
        (valley, "floorSize", "300000 MTK"),
        (valley, "targetDate", "2029"),
        ("Incheon", "duration", "7 ANN"),
    }


def test_recruiting_from_places(gazetteer: Gazetteer) -> None:
    ex = run("Hanbit Semiconductor expects to employ around 80 engineers by 2027, recruiting many of them from "
             "Taiwan and India as well as from U.S. universities.", gazetteer)
    assert relations(ex) == {
        ("Hanbit Semiconductor", "attractsTalentFrom", "Taiwan"),
        ("Hanbit Semiconductor", "attractsTalentFrom", "India"),
        ("Hanbit Semiconductor", "attractsTalentFrom", "U.S."),
    }
    assert facts(ex) == {("Hanbit Semiconductor", "hasQuantity", "80 C62")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Gaon AI Center opened last year.", ("Gaon AI Center", "foundingDate", "2024")),
        ("The Gaon AI Center opened last month.", ("Gaon AI Center", "foundingDate", "2025-04")),
        ("The Gaon AI Center opened in October 2023.", ("Gaon AI Center", "foundingDate", "2023-10")),
        ("The Gaon AI Center opened in September.", ("Gaon AI Center", "foundingDate", "2024-09")),
        ("The Gaon AI Center will open in September.", ("Gaon AI Center", "targetDate", "2025-09")),
        ("The Gaon AI Center will open in March.", ("Gaon AI Center", "targetDate", "2026-03")),
        ("The Gaon AI Center will open next March.", ("Gaon AI Center", "targetDate", "2026-03")),
        ("The Gaon AI Center will open next year.", ("Gaon AI Center", "targetDate", "2026")),
        ("The Gaon AI Center will open this month.", ("Gaon AI Center", "targetDate", "2025-05")),
    ],
)
def test_relative_dates(gazetteer: Gazetteer, text: str, expected: tuple[str, str, str]) -> None:
    assert facts(run(text, gazetteer)) == {expected}  # published 2025-05-02


def test_counts_and_currencies(gazetteer: Gazetteer) -> None:
    ex = run("Gaon Robotics will supply 20 delivery robots and 3,000 households. Nuri Robotics raised 1.2 trillion "
             "won ($900 million) this week and HK$50 million more. The Gaon Expo drew 40 Korean firms.", gazetteer)
    assert facts(ex) == {
        ("Gaon Robotics", "hasQuantity", "20 C62"),
        ("Gaon Robotics", "hasQuantity", "3000 C62"),
        ("Nuri Robotics", "hasQuantity", "1200000000000 KRW"),
        ("Nuri Robotics", "hasQuantity", "900000000 USD"),
        ("Nuri Robotics", "hasQuantity", "50000000 HKD"),
        ("Gaon Expo", "hasQuantity", "40 C62"),
    }


def test_a_company_whose_name_ends_in_a_known_technology(gazetteer: Gazetteer) -> None:
    ex = run("Haneul Maritime AI, an Ulsan-based startup founded in 2021, opened an office in Busan.", gazetteer)
    assert mention(ex, "Haneul Maritime AI").cls == "Company"


def test_a_body_named_with_of_takes_the_kind_of_its_last_word(gazetteer: Gazetteer) -> None:
    ex = run("The city signed an agreement with the Port of Gaon Authority on Tuesday.", gazetteer)
    assert mention(ex, "Port of Gaon Authority").cls == "GovernmentBody"
