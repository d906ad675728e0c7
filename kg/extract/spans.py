"""A mention while a document is being read, shared by the language readers.

Readers collect :class:`Span` objects, number them into clusters, and freeze them into
:class:`kg.model.Mention` values at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.gazetteer import GazetteerEntry

__all__ = ["Span"]


@dataclass
class Span:
    start: int
    end: int
    text: str
    cls: str
    rule: str
    key: str  # mentions with one key are one entity of the document
    entry: GazetteerEntry | None = None
    names: list[str] = field(default_factory=list)  # label candidates; none for references
    edition: int | None = None
    sentence: int = 0
    cluster: int = -1
    sure: bool = True  # False where the class is only a guess
    priority: int = 1  # breaks ties between overlapping candidates of one length
    title: str | None = None  # a person's title as written next to the name
    single: bool = False  # a one-word name after a title: a surname or a new person

    @property
    def is_anaphor(self) -> bool:
        """A mention that names nothing itself (시, 오 시장, the city, he)."""
        return not self.names

    @property
    def is_reference(self) -> bool:
        return self.is_anaphor
