"""Which script a piece of text is written in, and what that says about its language."""

from __future__ import annotations

import re

__all__ = ["has_hangul", "is_hangul", "label_language"]


def is_hangul(ch: str) -> bool:
    """A Hangul syllable or jamo."""
    code = ord(ch)
    return 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F


# the characters is_hangul accepts; one regex search is much faster than a test per character
_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


def has_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None


def label_language(name: str) -> str:
    """The language tag a name gets as a label: names with Hangul are Korean, others
    (Latin-script names, acronyms) English."""
    return "ko" if has_hangul(name) else "en"
