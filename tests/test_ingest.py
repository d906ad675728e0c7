"""Tests for kg.ingest: paths -> Documents (encodings, front matter, language, doc_ids)."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import FrontMatterError, InputError, KGError
from kg.ingest import (
    detect_language,
    iter_document_paths,
    iter_documents,
    load_documents,
    read_document,
    slugify,
)
from kg.model import Document

DATA = Path(__file__).parent / "data" / "ingest"
CORPUS = DATA / "corpus"

KOREAN = "오세훈 서울시장은 25일 ADeKo 콘퍼런스에서 서울의 AI 정책을 소개했다.\n"
ENGLISH = "Seoul Mayor Oh Se-hoon presented the city's AI policy at ADeKo.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def one_line(error: pytest.ExceptionInfo[BaseException]) -> str:
    message = str(error.value)
    assert "\n" not in message, message
    return message


# ---------------------------------------------------------------------------- decoding


def test_plain_utf8_fixture() -> None:
    document = read_document(DATA / "english.txt")
    raw = (DATA / "english.txt").read_bytes()
    assert document.text == raw.decode("utf-8")
    assert document.encoding == "utf-8"
    assert document.lang == "en"
    assert document.name == "english.txt"
    assert document.doc_id == "english"
    assert document.content_hash == hashlib.sha256(raw).hexdigest()
    assert document.title is None and document.date is None


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", codecs.BOM_UTF8 + KOREAN.encode("utf-8"))
    document = read_document(path)
    assert document.text == KOREAN  # the BOM is not part of the text
    assert document.encoding == "utf-8-sig"
    assert document.lang == "ko"


def test_bom_before_front_matter(tmp_path: Path) -> None:
    content = "---\ntitle: 제목\n---\n" + KOREAN
    path = write(tmp_path / "bom.md", codecs.BOM_UTF8 + content.encode("utf-8"))
    document = read_document(path)
    assert document.title == "제목"
    assert document.text == KOREAN


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr"])
def test_korean_legacy_encodings_decode_exactly(tmp_path: Path, encoding: str) -> None:
    raw = KOREAN.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the test is only meaningful if UTF-8 fails
    document = read_document(write(tmp_path / f"{encoding}.txt", raw))
    assert document.text == KOREAN
    # CP949 is a superset of EUC-KR, so EUC-KR files are read (and recorded) as CP949.
    assert document.encoding == "cp949"
    assert document.lang == "ko"
    assert document.content_hash == hashlib.sha256(raw).hexdigest()


def test_cp949_only_syllable(tmp_path: Path) -> None:
    # "똠" and "햏" are outside EUC-KR's 2,350 syllables but inside CP949.
    text = "똠방각하와 햏자가 서울에 왔다.\n"
    raw = text.encode("cp949")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("euc-kr")
    document = read_document(write(tmp_path / "uhc.txt", raw))
    assert document.text == text
    assert document.encoding == "cp949"


def test_utf16_with_bom_is_guessed(tmp_path: Path) -> None:
    # UTF-16 holds NUL bytes, but with a BOM it is text, found by charset-normalizer.
    document = read_document(write(tmp_path / "wide.txt", KOREAN.encode("utf-16")))
    assert document.text == KOREAN
    assert document.encoding == "utf-16"


def test_undecodable_bytes(tmp_path: Path) -> None:
    # Latin-1 accented text is neither UTF-8 nor CP949; a Western guess is refused.
    path = write(tmp_path / "latin.txt", "Café résumé naïve, déjà vu à Séoul.\n".encode("cp1252"))
    with pytest.raises(InputError) as error:
        read_document(path)
    assert one_line(error) == (f"cannot decode {path}: not UTF-8 or CP949/EUC-KR; re-save it as UTF-8")


def test_newlines_and_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "서울\r\n부산\r인천\n")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    document = read_document(write(tmp_path / "nfd.txt", decomposed))
    assert document.text == "서울\n부산\n인천\n"


def test_binary_file(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
    path = write(tmp_path / "image.txt", png)
    with pytest.raises(InputError, match="binary") as error:
        read_document(path)
    assert str(path) in one_line(error)


def test_control_characters_are_binary(tmp_path: Path) -> None:
    path = write(tmp_path / "controls.txt", bytes(range(1, 32)) * 10 + b"abc")
    with pytest.raises(InputError, match="binary"):
        read_document(path)


@pytest.mark.parametrize("content", ["", "   \n\t\n", "\r\n\r\n", "---\ntitle: t\n---\n  \n"])
def test_empty_document(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "empty.txt", content)
    with pytest.raises(InputError) as error:
        read_document(path)
    assert one_line(error).startswith(f"{path} is empty")


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_document(tmp_path / "missing.txt")


# ------------------------------------------------------------------------ front matter


def test_front_matter_fixture() -> None:
    document = read_document(DATA / "korean_front_matter.md")
    assert document.title == "서울시, AI 서울 테크시티 조성"
    assert document.date == dt.date(2024, 9, 25)
    assert type(document.date) is dt.date
    assert document.source == "https://news.example/seoul-ai"
    assert document.publisher == "서울신문"
    assert document.lang == "ko"
    assert document.text.startswith("오세훈 서울시장은")
    raw = (DATA / "korean_front_matter.md").read_text(encoding="utf-8")
    assert document.text == raw.split("---\n", 2)[2]


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("date: '2024-09-25'", {"date": dt.date(2024, 9, 25)}),
        ("date: !!timestamp 2024-09-25", {"date": dt.date(2024, 9, 25)}),
        ("title: 2024-09-25", {"title": "2024-09-25"}),
        ("lang: EN", {"lang": "en"}),
        ("", {}),
        ("# just a comment", {}),
        ("title:\ndate:", {"title": None, "date": None}),
    ],
)
def test_front_matter_values(tmp_path: Path, front: str, expected: dict[str, object]) -> None:
    path = write(tmp_path / "doc.md", f"---\n{front}\n---\n{ENGLISH}")
    document = read_document(path)
    for key, value in expected.items():
        assert getattr(document, key) == value
    assert document.text == ENGLISH


def test_lang_front_matter_overrides_detection(tmp_path: Path) -> None:
    document = read_document(write(tmp_path / "digits.md", "---\nlang: ko\n---\n2024 2025\n"))
    assert document.lang == "ko"


@pytest.mark.parametrize("closing", ["---", "...", "---  "])
def test_closing_delimiters_and_body_kept_exactly(tmp_path: Path, closing: str) -> None:
    body = "\n\n  첫 줄은 비었다.\n---\n본문 속 구분선도 그대로.\n"
    path = write(tmp_path / "doc.md", f"---\ntitle: 제목\n{closing}\n{body}")
    document = read_document(path)
    assert document.title == "제목"
    assert document.text == body


def test_dashes_later_in_file_are_not_front_matter(tmp_path: Path) -> None:
    content = f"{KOREAN}---\ntitle: 아님\n---\n"
    document = read_document(write(tmp_path / "doc.md", content))
    assert document.text == content
    assert document.title is None


@pytest.mark.parametrize(
    ("front", "fragments"),
    [
        (
            "title: t\nauthor: me\ntags: [a]",
            [
                "unknown front matter key(s) author, tags",
                "allowed keys are title, date, source, lang, publisher",
            ],
        ),
        ("date: 2024-13-01", ["date '2024-13-01' is not a valid date", "YYYY-MM-DD"]),
        ("date: 2024-02-30", ["date '2024-02-30'", "YYYY-MM-DD"]),
        ("date: 25.09.2024", ["date '25.09.2024'", "YYYY-MM-DD"]),
        ("date: 20240925", ["date '20240925'", "YYYY-MM-DD"]),
        ("date: 2024-09-25 10:00:00", ["date '2024-09-25 10:00:00'", "YYYY-MM-DD"]),
        ("- title\n- date", ["must be a YAML mapping", "not a list"]),
        ("just a sentence", ["must be a YAML mapping", "not a plain string"]),
        ("lang: ja", ["lang 'ja' is not supported", "ko, en"]),
        ("lang: [ko]", ["lang ['ko'] is not supported"]),
        ("title: [a, b]", ["title must be text, not a list", "quote it"]),
        ("title: 12", ["title must be text, not a number"]),
        ("title: t\n  bad: indent: here", ["not valid YAML", "fix the YAML"]),
        ('title: "unterminated', ["not valid YAML"]),
        ("? [a]\n: b", ["not valid YAML"]),
    ],
)
def test_front_matter_errors(tmp_path: Path, front: str, fragments: list[str]) -> None:
    path = write(tmp_path / "bad.md", f"---\n{front}\n---\n{ENGLISH}")
    with pytest.raises(FrontMatterError) as error:
        read_document(path)
    message = one_line(error)
    assert message.startswith(f"{path}: ")
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize("content", ["---\ntitle: t\n" + ENGLISH, "---", "---\n"])
def test_unclosed_front_matter(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "open.md", content)
    with pytest.raises(FrontMatterError, match="never closed") as error:
        read_document(path)
    assert "add a line '---'" in one_line(error)


def test_front_matter_error_is_input_error() -> None:
    assert issubclass(FrontMatterError, InputError)
    assert issubclass(InputError, KGError)


# ---------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (KOREAN, "ko"),
        (ENGLISH, "en"),
        # Korean with many English names and acronyms is still Korean.
        (
            "오세훈 시장은 OpenAI의 Sam Altman CEO, Microsoft의 Satya Nadella와 만났다.",
            "ko",
        ),
        (
            "삼성전자와 LG전자, SK하이닉스는 NVIDIA, AMD, Intel과 HBM 공급 계약을 맺었다.",
            "ko",
        ),
        # English mentioning one Korean name is English.
        (
            "The Seoul Metropolitan Government (서울시) announced the AI Seoul Tech City plan.",
            "en",
        ),
        ("Café owners in Zürich said: «ça marche».", "en"),
        ("ＡＩ ｃｉｔｙ ｐｌａｎ", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["2024 2025 3.14 %", "", "漢字漢字漢字", "Москва и Санкт-Петербург"])
def test_detect_language_refuses(text: str) -> None:
    with pytest.raises(InputError) as error:
        detect_language(text, name="doc.txt")
    assert one_line(error).startswith("cannot tell the language of doc.txt: add `lang: ko`")


def test_undetectable_document_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "numbers.txt", "2024 2025\n")
    with pytest.raises(InputError, match=re.escape(f"cannot tell the language of {path}")):
        read_document(path)


# ------------------------------------------------------------------------------- paths


def test_folder_walk_order_and_filters() -> None:
    paths = iter_document_paths([CORPUS])
    # Sorted by path below the folder; .rst, hidden files/folders and gold/ skipped.
    assert [p.relative_to(CORPUS).as_posix() for p in paths] == [
        "2024/z.txt",
        "a.md",
        "b.txt",
        "sub/c.txt",
    ]


def test_folder_walk_is_independent_of_creation_order(tmp_path: Path) -> None:
    for name in ["z.txt", "b/y.md", "a.TXT", "b.txt", "b/a/x.txt", "c.markdown"]:
        write(tmp_path / name, ENGLISH)
    paths = iter_document_paths([str(tmp_path)])
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "a.TXT",
        "b/a/x.txt",
        "b/y.md",
        "b.txt",
        "z.txt",
    ]


def test_explicit_files_keep_given_order_and_are_not_repeated() -> None:
    paths = iter_document_paths([CORPUS / "b.txt", CORPUS, str(CORPUS / "a.md")])
    assert [p.relative_to(CORPUS).as_posix() for p in paths] == [
        "b.txt",
        "2024/z.txt",
        "a.md",
        "sub/c.txt",
    ]


def test_a_file_reached_through_a_link_is_listed_once(tmp_path: Path) -> None:
    """A link to a document of the folder names the same file (listed once, where first
    reached); a link to a folder is not walked; the folder given through a link is walked."""
    write(tmp_path / "docs" / "b.txt", ENGLISH)
    write(tmp_path / "docs" / "sub" / "c.txt", ENGLISH)
    (tmp_path / "docs" / "a.txt").symlink_to(tmp_path / "docs" / "sub" / "c.txt")
    (tmp_path / "docs" / "linked").symlink_to(tmp_path / "docs" / "sub", target_is_directory=True)
    (tmp_path / "via").symlink_to(tmp_path / "docs", target_is_directory=True)
    for root in (tmp_path / "docs", tmp_path / "via"):
        paths = iter_document_paths([root])
        assert [p.relative_to(root).as_posix() for p in paths] == ["a.txt", "b.txt"]
    paths = iter_document_paths([tmp_path / "docs" / "sub" / "c.txt", tmp_path / "via"])
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["docs/sub/c.txt", "via/b.txt"]


def test_a_folder_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    folders = [tmp_path]
    for _ in range(1_100):  # deeper than Python's default recursion limit
        folders.append(folders[-1] / "d")
        folders[-1].mkdir()
    document = write(folders[-1] / "x.txt", ENGLISH)
    try:
        assert iter_document_paths([tmp_path]) == [document]
    finally:  # removed here: pytest's own removal of old temporary folders recurses
        document.unlink()
        for folder in reversed(folders[1:]):
            folder.rmdir()


def test_explicit_hidden_or_gold_file_is_taken() -> None:
    paths = iter_document_paths([CORPUS / "gold" / "f.txt"])
    assert paths == [CORPUS / "gold" / "f.txt"]


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "doc.txt"
    with pytest.raises(InputError) as error:
        iter_document_paths([CORPUS, missing])
    assert one_line(error) == f"{missing} does not exist: check the path"


def test_wrong_suffix() -> None:
    with pytest.raises(InputError, match=r"notes\.rst is not a \.txt or \.md file"):
        iter_document_paths([CORPUS / "notes.rst"])


@pytest.mark.parametrize("layout", [[], [".hidden.txt"], ["gold/a.txt"], ["notes.pdf"]])
def test_no_documents_found(tmp_path: Path, layout: list[str]) -> None:
    for name in layout:
        write(tmp_path / name, ENGLISH)
    with pytest.raises(InputError) as error:
        iter_document_paths([tmp_path])
    assert one_line(error).startswith(f"no documents found in {tmp_path}")


def test_no_paths_given() -> None:
    with pytest.raises(InputError, match="no documents found"):
        iter_document_paths([])


# ------------------------------------------------------------------------------ doc ids


@pytest.mark.parametrize(
    ("stem", "slug"),
    [
        ("000_56ff57ee3c08f7b3", "000_56ff57ee3c08f7b3"),
        ("Seoul AI-hub", "Seoul_AI-hub"),
        ("서울시 보도자료 (2024.09)", "서울시_보도자료_2024_09_"),
        (unicodedata.normalize("NFD", "서울"), "서울"),  # macOS stores names decomposed
        ("...", "_"),
        ("", "_"),
        ("東京 news", "_news"),
    ],
)
def test_slugify(stem: str, slug: str) -> None:
    assert slugify(stem) == slug


def test_load_corpus() -> None:
    documents = load_documents([CORPUS])
    assert [d.doc_id for d in documents] == ["z", "a", "b", "c"]
    assert [d.name for d in documents] == ["z.txt", "a.md", "b.txt", "c.txt"]
    assert [d.lang for d in documents] == ["en", "en", "ko", "ko"]
    assert all(isinstance(d, Document) for d in documents)


def test_doc_id_collisions(tmp_path: Path) -> None:
    write(tmp_path / "a" / "report.txt", ENGLISH)
    write(tmp_path / "b" / "report.md", ENGLISH)
    write(tmp_path / "b" / "report.txt", ENGLISH)
    write(tmp_path / "c" / "report!.txt", ENGLISH)  # slug "report_", no clash
    documents = load_documents([tmp_path])
    assert [(d.doc_id, Path(d.name).suffix) for d in documents] == [
        ("report", ".txt"),
        ("report-2", ".md"),
        ("report-3", ".txt"),
        ("report_", ".txt"),
    ]
    # Deterministic: the same build gives the same ids.
    assert [d.doc_id for d in load_documents([tmp_path])] == [d.doc_id for d in documents]


def test_doc_id_suffix_does_not_steal_another_documents_id(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.txt", ENGLISH)
    write(tmp_path / "b" / "x.txt", ENGLISH)
    write(tmp_path / "c" / "x-2.txt", ENGLISH)
    ids = [d.doc_id for d in load_documents([tmp_path])]
    assert ids == ["x", "x-3", "x-2"]
    assert len(set(ids)) == len(ids)


def test_iter_documents_is_lazy(tmp_path: Path) -> None:
    write(tmp_path / "1.txt", ENGLISH)
    write(tmp_path / "2.txt", b"\x00binary")
    stream = iter_documents([tmp_path])
    assert next(stream).doc_id == "1"  # the bad second file is not read yet
    with pytest.raises(InputError, match="binary"):
        next(stream)


# ------------------------------------------------------------------------- properties

# Document text: any characters except surrogates and control characters other than
# tab and newlines (those make a file "binary").
_text_chars = st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r")
_title_chars = st.characters(whitelist_categories=("L", "N", "P", "Zs"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.text(_text_chars, min_size=1),
    title=st.none() | st.text(_title_chars, min_size=1, max_size=40),
    date=st.none() | st.dates(),
    crlf=st.booleans(),
)
def test_body_round_trips(tmp_path: Path, body: str, title: str | None, date: dt.date | None, crlf: bool) -> None:
    meta: dict[str, object] = {"lang": "ko"}
    if title is not None:
        meta["title"] = title
    if date is not None:
        meta["date"] = date
    content = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    if crlf:
        content = content.replace("\n", "\r\n")
    expected = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))

    path = write(tmp_path / "prop.md", content)
    if not expected.strip():
        with pytest.raises(InputError, match="is empty"):
            read_document(path)
        return
    document = read_document(path)
    assert document.text == expected
    assert document.lang == "ko"
    assert document.date == date
    assert document.title == (None if title is None else unicodedata.normalize("NFC", title))


_slug_re = re.compile(r"[A-Za-z0-9_\-\uac00-\ud7a3\u3131-\u318e]+")


@given(st.text())
def test_slug_properties(stem: str) -> None:
    slug = slugify(stem)
    assert slug
    assert _slug_re.fullmatch(slug)
    assert slugify(stem) == slug  # stable
    assert slugify(slug) == slug  # a slug is its own slug


_allowed_chars = st.sampled_from("ABCXYZabcxyz0189_-") | st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)


@given(st.text(_allowed_chars, min_size=1))
def test_slug_keeps_allowed_characters(stem: str) -> None:
    assert slugify(stem) == stem
