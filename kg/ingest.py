"""Paths -> :class:`~kg.model.Document`: the first pipeline stage.

Takes files and folders, finds the ``*.txt`` and ``*.md`` documents in them, and for each
one reads the bytes, decodes them (UTF-8, else CP949/EUC-KR), normalises newlines to
``\\n`` and the text to Unicode NFC, splits off the optional YAML front matter and tells
the language. Everything that can go wrong raises :class:`~kg.errors.InputError` (or its
subclass :class:`~kg.errors.FrontMatterError`) with a one-line message saying how to fix
it.

Front matter is a YAML mapping between a first line ``---`` and a line ``---`` (or
``...``)::

    ---
    title: 서울시, AI 서울 테크시티 조성
    date: 2024-09-25
    source: https://news.example/123
    publisher: 서울신문
    lang: ko
    ---
    오세훈 서울시장은 ...

All keys are optional. Offsets used by later stages index :attr:`Document.text`, the body
after the closing delimiter line.

>>> detect_language("오세훈 서울시장은 OpenAI의 Sam Altman과 만났다.")
'ko'
>>> slugify("기사 01 (final).v2")
'기사_01_final_v2'
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import charset_normalizer
import yaml

from kg.errors import FrontMatterError, InputError
from kg.model import Document

__all__ = [
    "DOCUMENT_SUFFIXES",
    "FRONT_MATTER_KEYS",
    "LANGUAGES",
    "detect_language",
    "iter_document_paths",
    "iter_documents",
    "load_documents",
    "parse_document",
    "read_bytes",
    "read_document",
    "slugify",
]

DOCUMENT_SUFFIXES: frozenset[str] = frozenset({".txt", ".md"})
"""File suffixes read as documents (compared case-insensitively)."""

FRONT_MATTER_KEYS: tuple[str, ...] = ("title", "date", "source", "lang", "publisher")
"""The keys a front matter block may hold."""

LANGUAGES: tuple[str, ...] = ("ko", "en")
"""Languages kg can extract from."""

# Folders with this name hold gold annotations next to the documents, not documents.
_GOLD_DIR = "gold"

# Encodings charset-normalizer may pick when neither UTF-8 nor CP949 decodes the bytes:
# Korean legacy encodings and Unicode ones. A guess of anything else (cp1252, latin-1,
# big5, ...) is refused: it would turn a Korean file into mojibake without an error.
_GUESSABLE_ENCODINGS = frozenset(
    {
        "cp949",
        "euc_kr",
        "johab",
        "iso2022_kr",
        "utf_8",
        "utf_16",
        "utf_16_le",
        "utf_16_be",
        "utf_32",
        "utf_32_le",
        "utf_32_be",
    }
)

# UTF-16/32 text holds NUL bytes, so the raw-byte binary test must not see it.
_WIDE_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)

# Control characters allowed in text; any other C0 control (or DEL) counts towards
# "binary". More than this share of them in the first _SNIFF_SIZE units means binary.
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
_BINARY_CONTROL_SHARE = 0.1
_SNIFF_SIZE = 8192

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DELIMITER_OPEN = "---"
_DELIMITERS_CLOSE = ("---", "...")

# Hangul syllables (U+AC00..U+D7A3) are what Korean text is written in after NFC.
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_KO_THRESHOLD = 0.2

# doc_id characters: ASCII letters, digits, "_" and "-", Hangul syllables and
# compatibility jamo. Anything else, in runs, becomes one "_".
_SLUG_DROP_RE = re.compile(r"[^A-Za-z0-9_\-\uac00-\ud7a3\u3131-\u318e]+")


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings.

    ``date: 2024-02-30`` would otherwise fail inside PyYAML with a bare ValueError, and a
    title like ``2024-09-25`` would become a date; kg parses ``date`` itself.
    """


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# --------------------------------------------------------------------------- paths


def iter_document_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Return the documents named by ``paths``, in a deterministic order.

    A file is taken as it is if its suffix is ``.txt`` or ``.md``. A folder is walked
    recursively for ``*.txt`` and ``*.md`` files, sorted by path; hidden files and
    folders (name starting with ``.``) and everything under a folder named ``gold`` are
    skipped. Paths keep the order given; a file reached twice is listed once.

    Raises
    ------
    InputError
        A path does not exist, a named file has another suffix, or no documents are
        found at all.
    """
    found: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path, key: Path | None = None) -> None:
        key = key or path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(path)

    for given in paths:
        path = Path(given)
        if path.is_dir():
            for document, key in _walk(path):
                add(document, key)
        elif path.is_file():
            if path.suffix.lower() not in DOCUMENT_SUFFIXES:
                raise InputError(
                    f"{path} is not a .txt or .md file: pass text documents (*.txt, *.md) or a folder holding them"
                )
            add(path)
        elif path.exists() or path.is_symlink():
            raise InputError(f"{path} is neither a file nor a folder: pass documents or folders")
        else:
            raise InputError(f"{path} does not exist: check the path")

    if not found:
        named = ", ".join(str(p) for p in paths) or "(no paths given)"
        raise InputError(f"no documents found in {named}: pass *.txt or *.md files or folders holding them")
    return found


def _walk(root: Path) -> list[tuple[Path, Path | None]]:
    """Documents under ``root``, sorted, each with its resolved path where that is the
    resolved ``root`` joined with the names below it (None for a symbolic link, which
    only ``Path.resolve`` follows: 10,000 files resolved one by one took 0.23 s); hidden
    entries and gold folders skipped, and folders reached by a symbolic link."""
    documents: list[tuple[tuple[str, ...], Path, Path | None]] = []
    resolved = root.resolve()

    folders: list[tuple[Path, tuple[str, ...]]] = [(root, ())]  # to walk: no recursion, however deep
    while folders:
        folder, names = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # unreadable: passed over, as os.walk does
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            inner = (*names, entry.name)
            if _is_dir(entry):
                if entry.name != _GOLD_DIR and not entry.is_symlink():
                    folders.append((folder / entry.name, inner))
            elif Path(entry.name).suffix.lower() in DOCUMENT_SUFFIXES:
                key = None if entry.is_symlink() else resolved.joinpath(*inner)
                documents.append((inner, folder / entry.name, key))
    # sorted on the path components below root, so that the order does not depend on the
    # file system's listing order: a/x.txt < a/y/z.txt < b.txt
    return [(path, key) for _names, path, key in sorted(documents, key=lambda document: document[0])]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # as os.walk takes it: not a folder
        return False


# -------------------------------------------------------------------------- reading


def read_document(path: Path) -> Document:
    """Read one document file.

    The bytes are decoded as UTF-8 (with or without BOM), else strictly as CP949 (a
    superset of EUC-KR), else with charset-normalizer's guess if that is a Korean or
    Unicode encoding. Newlines become ``\\n`` and the text is NFC-normalised before the
    front matter is split off. ``doc_id`` is :func:`slugify` of the file stem; use
    :func:`load_documents` to make doc_ids unique across several documents.

    Raises
    ------
    InputError
        The file cannot be read, looks binary, cannot be decoded, has an empty body, or
        its language cannot be told (and no ``lang`` is given).
    FrontMatterError
        The front matter is malformed.
    """
    path = Path(path)
    return parse_document(read_bytes(path), path)


def read_bytes(path: Path) -> bytes:
    """A document file's bytes; :class:`InputError` if it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(f"cannot read {path}: {reason}; check the file and its permissions") from None


def parse_document(data: bytes, path: Path) -> Document:
    """The document in ``data``, the bytes of the file at ``path`` (read elsewhere, e.g.
    by the process that sends them to a cluster); raises as :func:`read_document`."""
    if not data.startswith(_WIDE_BOMS) and _looks_binary(data):
        raise _binary_error(path)
    text, encoding = _decode(data, path)
    if _looks_binary(text):
        raise _binary_error(path)

    text = unicodedata.normalize("NFC", _normalize_newlines(text))
    meta, body = _split_front_matter(text, path)
    if not body.strip():
        raise InputError(f"{path} is empty: add the document text (after any front matter)")

    lang = meta.pop("lang", None) or detect_language(body, name=str(path))
    return Document(
        doc_id=slugify(path.stem),
        name=unicodedata.normalize("NFC", path.name),
        text=body,
        lang=lang,
        content_hash=hashlib.sha256(data).hexdigest(),
        title=meta.get("title"),
        date=meta.get("date"),
        source=meta.get("source"),
        publisher=meta.get("publisher"),
        encoding=encoding,
    )


def _binary_error(path: Path) -> InputError:
    return InputError(f"{path} looks like a binary file, not text: pass only plain-text .txt or .md documents")


def _looks_binary(data: bytes | str) -> bool:
    """True if ``data`` holds NUL or a large share of other control characters."""
    sample = data[:_SNIFF_SIZE]
    if isinstance(sample, bytes):
        if b"\x00" in sample:
            return True
        controls = sum(1 for b in sample if (b < 0x20 or b == 0x7F) and chr(b) not in _TEXT_CONTROLS)
    else:
        if "\x00" in sample:
            return True
        controls = sum(1 for c in sample if (c < "\x20" or c == "\x7f") and c not in _TEXT_CONTROLS)
    return bool(sample) and controls > _BINARY_CONTROL_SHARE * len(sample)


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode ``data``; return the text and the name of the encoding used."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass  # a BOM followed by invalid UTF-8: fall through to the other decoders
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp949"), "cp949"
    except UnicodeDecodeError:
        pass

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding in _GUESSABLE_ENCODINGS:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            return text.removeprefix("\ufeff"), best.encoding.replace("_", "-")
    raise InputError(f"cannot decode {path}: not UTF-8 or CP949/EUC-KR; re-save it as UTF-8")


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------- front matter


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """Split ``text`` into validated front matter and the body.

    The body is everything after the closing delimiter line, exactly as written. Text
    that does not start with a ``---`` line has no front matter.
    """
    first_end = text.find("\n")
    first_line = text if first_end < 0 else text[:first_end]
    if first_line.rstrip(" \t") != _DELIMITER_OPEN:
        return {}, text

    # Lines are split on "\n" only: str.splitlines would also split on U+2028, \x1c...
    position = len(text) if first_end < 0 else first_end + 1
    while position < len(text):
        end = text.find("\n", position)
        line_end = len(text) if end < 0 else end
        if text[position:line_end].rstrip(" \t") in _DELIMITERS_CLOSE:
            block = text[first_end + 1 : position]
            body = "" if end < 0 else text[end + 1 :]
            return _parse_front_matter(block, path), body
        position = line_end + 1
    raise FrontMatterError(
        f"{path}: the front matter opened by '---' on line 1 is never closed: add a line '---' after the YAML"
    )


def _parse_front_matter(block: str, path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.load(block, Loader=_FrontMatterLoader)
    except yaml.MarkedYAMLError as error:
        where = ""
        if error.problem_mark is not None:
            # +2: the mark counts from 0 and the block starts after the opening '---'.
            where = f" at line {error.problem_mark.line + 2}"
        problem = " ".join((error.problem or error.context or "syntax error").split())
        raise FrontMatterError(
            f"{path}: front matter is not valid YAML ({problem}{where}): fix the YAML between the '---' lines"
        ) from None
    except (yaml.YAMLError, ValueError) as error:
        detail = " ".join(str(error).split())
        raise FrontMatterError(
            f"{path}: front matter is not valid YAML ({detail}): fix the YAML between the '---' lines"
        ) from None

    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise FrontMatterError(
            f"{path}: front matter must be a YAML mapping of keys to values, not a "
            f"{_yaml_kind(loaded)}: write lines like 'title: ...' between the '---' lines"
        )
    unknown = sorted(str(key) for key in loaded if key not in FRONT_MATTER_KEYS)
    if unknown:
        raise FrontMatterError(
            f"{path}: unknown front matter key(s) {', '.join(unknown)}: allowed keys are {', '.join(FRONT_MATTER_KEYS)}"
        )

    meta: dict[str, Any] = {}
    for key in ("title", "source", "publisher"):
        value = loaded.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise FrontMatterError(
                f'{path}: front matter {key} must be text, not a {_yaml_kind(value)}: quote it, e.g. {key}: "{value}"'
            )
        meta[key] = value
    if loaded.get("date") is not None:
        meta["date"] = _parse_date(loaded["date"], path)
    if loaded.get("lang") is not None:
        lang = loaded["lang"]
        if not isinstance(lang, str) or lang.strip().lower() not in LANGUAGES:
            raise FrontMatterError(
                f"{path}: front matter lang {lang!r} is not supported: use one of {', '.join(LANGUAGES)}"
            )
        meta["lang"] = lang.strip().lower()
    return meta


def _parse_date(value: object, path: Path) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # only reachable through an explicit !!timestamp tag
    if isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FrontMatterError(
        f"{path}: front matter date {str(value)!r} is not a valid date: write it as YYYY-MM-DD, e.g. date: 2024-09-25"
    )


def _yaml_kind(value: object) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return "plain string" if isinstance(value, str) else type(value).__name__


# ------------------------------------------------------------------------- language


def detect_language(text: str, *, name: str = "the text") -> str:
    """Tell whether ``text`` is Korean (``"ko"``) or English (``"en"``) by script.

    Korean if Hangul syllables make up at least 20% of the Hangul and Latin letters
    (Korean news quotes English names, so the share is well below 1); English if Latin
    letters make up most of all letters; otherwise :class:`InputError` naming ``name``.

    Script share is enough because only ko and en are supported and Korean text always
    carries Hangul, while English text has none; a statistical language identifier
    would be an extra model download and can misjudge short texts full of names.

    >>> detect_language("The Seoul Metropolitan Government opened AI Hub in 2017.")
    'en'
    >>> detect_language("서울시는 2017년 AI 허브를 열었다.")
    'ko'
    """
    hangul = latin = letters = 0
    for char in text:
        if not char.isalpha():
            continue
        letters += 1
        code = ord(char)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            hangul += 1
        elif _is_latin(code):
            latin += 1
    if hangul and hangul >= _KO_THRESHOLD * (hangul + latin):
        return "ko"
    if latin and latin * 2 > letters:
        return "en"
    raise InputError(
        f"cannot tell the language of {name}: add `lang: ko` or `lang: en` front matter (only ko and en are supported)"
    )


def _is_latin(code: int) -> bool:
    """True for letters of the Latin script (the caller checks isalpha)."""
    return (
        code < 0x250  # Basic Latin, Latin-1 Supplement, Latin Extended-A/B
        or 0x1E00 <= code <= 0x1EFF  # Latin Extended Additional (Vietnamese etc.)
        or 0xFF21 <= code <= 0xFF5A  # fullwidth A-Z, a-z (common in East Asian text)
    )


# --------------------------------------------------------------------------- doc ids


def slugify(stem: str) -> str:
    """Make a doc_id from a file stem.

    Keeps ASCII letters, digits, ``_``, ``-`` and Hangul (the stem is NFC-normalised
    first, so macOS's decomposed file names give the same id); every run of other
    characters becomes one ``_``. Never empty.

    >>> slugify("000_56ff57ee3c08f7b3")
    '000_56ff57ee3c08f7b3'
    >>> slugify("서울 AI 허브!")
    '서울_AI_허브_'
    """
    return _SLUG_DROP_RE.sub("_", unicodedata.normalize("NFC", stem)) or "_"


def _unique_ids(paths: Sequence[Path]) -> list[str]:
    """doc_ids for ``paths`` (in that order), made unique by "-2", "-3", ...

    The first document with a slug keeps it; later ones get the smallest free suffix
    that is neither taken nor the plain slug of another document in the build, so
    ``a.md``, ``a.txt`` and ``a-2.txt`` become ``a``, ``a-3`` and ``a-2`` whatever the
    order.
    """
    bases = [slugify(path.stem) for path in paths]
    reserved = set(bases)
    taken: set[str] = set()
    ids: list[str] = []
    for base in bases:
        doc_id = base
        if doc_id in taken:
            n = 2
            while f"{base}-{n}" in taken or f"{base}-{n}" in reserved:
                n += 1
            doc_id = f"{base}-{n}"
        taken.add(doc_id)
        ids.append(doc_id)
    return ids


# --------------------------------------------------------------------------- loading


def iter_documents(paths: Sequence[str | Path]) -> Iterator[Document]:
    """Yield the documents named by ``paths`` one at a time (see :func:`load_documents`).

    The paths are listed up front (so doc_ids are unique and errors about missing paths
    come first); each file is read only when its document is requested.
    """
    document_paths = iter_document_paths(paths)
    for path, doc_id in zip(document_paths, _unique_ids(document_paths), strict=True):
        document = read_document(path)
        if document.doc_id != doc_id:
            document = dataclasses.replace(document, doc_id=doc_id)
        yield document


def load_documents(paths: Sequence[str | Path]) -> list[Document]:
    """Read every document named by ``paths`` (files or folders).

    Order is that of :func:`iter_document_paths`; doc_ids are unique within the result:
    when two files give the same slug, the later ones get ``-2``, ``-3``, ... in path
    order.

    Raises
    ------
    InputError, FrontMatterError
        See :func:`iter_document_paths` and :func:`read_document`.
    """
    return list(iter_documents(paths))
