"""Linking mention clusters across documents into entities (kg/link.py), on real Korean
extractions of small documents written for these tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from kg.extract.korean import extract_korean
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.link import link
from kg.model import Corpus, Document, Entity, Extraction, ExtractionSummary, Label

TEXTS = {
    "agreement": (
        "서울시는 25일 누리로보틱스와 업무협약을 맺었다. "
        "김민수 누리로보틱스 대표는 '제3회 누리 로봇 포럼'에서 기조연설을 했다."
    ),
    "investment": (
        "서울특별시는 10일 누리로보틱스에 100억원을 투자한다고 밝혔다. "
        "오세훈 서울시장은 '제3회 누리 로봇 포럼'에 참석했다."
    ),
    "next_forum": "누리로보틱스는 9월 '제4회 누리 로봇 포럼'을 후원했다.",
    "both_forums": "누리로보틱스는 '제3회 누리 로봇 포럼'과 '제4회 누리 로봇 포럼'을 잇달아 후원했다.",
}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def extractions(gazetteer: Gazetteer) -> dict[str, Extraction]:
    found = {}
    for doc_id, text in TEXTS.items():
        document = Document(
            doc_id=doc_id,
            name=f"{doc_id}.txt",
            text=text,
            lang="ko",
            content_hash="x",
            date=dt.date(2024, 9, 25),
        )
        found[doc_id] = extract_korean(document, gazetteer)
    return found


def linked(extractions: dict[str, Extraction], names: Sequence[str], gazetteer: Gazetteer) -> Corpus:
    return link([extractions[n] for n in names], gazetteer)


def entities_named(corpus: Corpus, text: str) -> list[Entity]:
    return [e for e in corpus.entities if any(label.text == text for label in e.labels)]


def keys_of_mentions(corpus: Corpus, text: str) -> set[str]:
    """The entity keys the mentions written ``text`` resolve to, over all documents."""
    return {
        document.entity_keys[m.cluster]
        for document in corpus.documents
        for m in document.extraction.mentions
        if m.text == text
    }


def test_the_documents_mention_what_the_tests_rely_on(extractions: dict[str, Extraction]) -> None:
    for doc_id in ("agreement", "investment"):
        texts = {m.text for m in extractions[doc_id].mentions}
        assert "누리로보틱스" in texts, doc_id
        assert "제3회 누리 로봇 포럼" in texts, doc_id

    def seoul(doc_id: str) -> set[str]:
        return {m.text for m in extractions[doc_id].mentions if m.gazetteer_id == "Seoul"}

    assert seoul("agreement") == {"서울시"}
    assert seoul("investment") == {"서울특별시", "서울"}


def test_one_company_across_documents(extractions: dict[str, Extraction], gazetteer: Gazetteer) -> None:
    corpus = linked(extractions, ["agreement", "investment"], gazetteer)
    [company] = entities_named(corpus, "누리로보틱스")
    assert company == Entity(key="Nurirobotikseu", cls="Company", labels=(Label("누리로보틱스", "ko", True),))
    assert keys_of_mentions(corpus, "누리로보틱스") == {"Nurirobotikseu"}


def test_one_gazetteer_city_across_documents(extractions: dict[str, Extraction], gazetteer: Gazetteer) -> None:
    corpus = linked(extractions, ["agreement", "investment"], gazetteer)
    [seoul] = entities_named(corpus, "서울시")
    assert seoul.key == "Seoul"
    assert (seoul.cls, seoul.wikidata, seoul.country, seoul.gazetteer_id) == ("City", "Q8684", "KR", "Seoul")
    assert [label for label in seoul.labels if label.preferred] == [
        Label("Seoul", "en", True),
        Label("서울", "ko", True),
    ]
    assert {label.text for label in seoul.labels if not label.preferred} == {"서울시", "서울특별시"}
    for written in ("서울시", "서울특별시", "서울"):
        assert keys_of_mentions(corpus, written) == {"Seoul"}, written


def test_entities_of_two_documents(extractions: dict[str, Extraction], gazetteer: Gazetteer) -> None:
    corpus = linked(extractions, ["agreement", "investment"], gazetteer)
    assert [e.key for e in corpus.entities] == [
        "Gim_Min-su",
        "Nuri_Robot_Poreom_3",
        "Nurirobotikseu",
        "Oh_Se-hoon",
        "Seoul",
    ]
    [forum] = entities_named(corpus, "제3회 누리 로봇 포럼")
    assert forum.cls == "Conference"
    assert forum.labels[0] == Label("제3회 누리 로봇 포럼", "ko", True)
    assert keys_of_mentions(corpus, "제3회 누리 로봇 포럼") == {"Nuri_Robot_Poreom_3"}


def test_linking_does_not_depend_on_document_order(extractions: dict[str, Extraction], gazetteer: Gazetteer) -> None:
    forward = linked(extractions, ["agreement", "investment"], gazetteer)
    backward = linked(extractions, ["investment", "agreement"], gazetteer)
    assert [e.key for e in forward.entities] == [e.key for e in backward.entities]
    assert [d.entity_keys for d in forward.documents] == [d.entity_keys for d in reversed(backward.documents)]


def test_every_cluster_has_an_entity(extractions: dict[str, Extraction], gazetteer: Gazetteer) -> None:
    corpus = linked(extractions, list(TEXTS)[:3], gazetteer)
    keys = {e.key for e in corpus.entities}
    for document in corpus.documents:
        for mention in document.extraction.mentions:
            assert document.entity_keys[mention.cluster] in keys, mention


def test_two_editions_in_two_documents_stay_two_events(
    extractions: dict[str, Extraction], gazetteer: Gazetteer
) -> None:
    corpus = linked(extractions, ["agreement", "next_forum"], gazetteer)
    assert keys_of_mentions(corpus, "제3회 누리 로봇 포럼") == {"Nuri_Robot_Poreom_3"}
    assert keys_of_mentions(corpus, "제4회 누리 로봇 포럼") == {"Nuri_Robot_Poreom_4"}


def test_two_editions_in_one_document_stay_two_events(extractions: dict[str, Extraction], gazetteer: Gazetteer) -> None:
    corpus = linked(extractions, ["both_forums"], gazetteer)
    assert keys_of_mentions(corpus, "제3회 누리 로봇 포럼") == {"Nuri_Robot_Poreom_3"}
    assert keys_of_mentions(corpus, "제4회 누리 로봇 포럼") == {"Nuri_Robot_Poreom_4"}


def test_a_summary_holds_what_linking_reads_of_a_document(extractions: dict[str, Extraction]) -> None:
    for extraction in extractions.values():
        summary = ExtractionSummary.of(extraction)
        counts = (summary.sentences, summary.mentions, summary.statements)
        assert counts == (len(extraction.sentences), len(extraction.mentions), len(extraction.statements))
        assert summary.document == extraction.document
        assert summary.clusters == max(m.cluster for m in extraction.mentions) + 1
        assert [c.number for c in summary.named] == sorted({m.cluster for m in extraction.mentions if m.names})
        for cluster in summary.named:
            mentions = [m for m in extraction.mentions if m.cluster == cluster.number]
            first = next(m for m in mentions if m.names)
            assert (cluster.cls, cluster.named_cls, cluster.named_gazetteer_id) == (
                mentions[0].cls,
                first.cls,
                first.gazetteer_id,
            )
            assert cluster.gazetteer_id == next((m.gazetteer_id for m in mentions if m.gazetteer_id), None)
            assert cluster.names == tuple(dict.fromkeys(n for m in mentions for n in m.names))


def test_linking_by_summaries_is_linking_by_extractions(
    extractions: dict[str, Extraction], gazetteer: Gazetteer
) -> None:
    documents = list(extractions.values())
    summaries = [ExtractionSummary.of(extraction) for extraction in documents]
    by_summaries = link(documents, gazetteer, summaries)
    assert by_summaries == link(documents, gazetteer)
    assert len(by_summaries.entities) < sum(len(s.named) for s in summaries)  # clusters were joined
