"""IRI local names for entities: readable, ASCII, stable.

Korean names are romanised (Revised Romanization, letter by letter, without the sound
changes between syllables) so that IRIs stay ASCII for every store and shell.

>>> slug("서울 AI 허브")
'Seoul_AI_Heobeu'
>>> slug("Université de Montréal")
'Universite_de_Montreal'
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["romanize", "slug"]

_INITIALS = [
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
]
_VOWELS = [
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
]
_FINALS = [
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
]


@functools.lru_cache(maxsize=1 << 16)  # linking romanises every Korean person's name syllable by syllable
def romanize(text: str) -> str:
    """Hangul syllables to Latin letters; everything else unchanged.

    >>> romanize("카이스트")
    'kaiseuteu'
    """
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_INITIALS[code // 588] + _VOWELS[(code % 588) // 28] + _FINALS[code % 28])
        else:
            out.append(ch)
    return "".join(out)


_NOT_IN_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def slug(name: str) -> str:
    """A name as an IRI local name: romanised, accents dropped, words joined by '_',
    each romanised word capitalised. Never empty.

    >>> slug("  ")
    'entity'
    """
    words = []
    for word in unicodedata.normalize("NFC", name).split():
        latin = romanize(word)
        if latin != word:
            latin = latin[:1].upper() + latin[1:]
        ascii_word = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
        cleaned = _NOT_IN_SLUG.sub("_", ascii_word).strip("_")
        if cleaned:
            words.append(cleaned)
    return "_".join(words) or "entity"
