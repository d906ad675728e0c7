"""Errors kg raises on purpose.

Every error kg raises for bad input or a bad request is a :class:`KGError`. Its message
is one line that names the thing at fault and says how to fix it, e.g.::

    notes.pdf is not a .txt or .md file: pass text documents (*.txt, *.md) or a folder

The CLI catches :class:`KGError`, prints the message and exits non-zero; anything else
escaping is a bug in kg.

>>> issubclass(FrontMatterError, InputError) and issubclass(InputError, KGError)
True
>>> str(ValidationError("graph does not conform: see the report", report="..."))
'graph does not conform: see the report'
"""

from __future__ import annotations

__all__ = [
    "FrontMatterError",
    "GazetteerError",
    "GoldError",
    "InputError",
    "KGError",
    "PushError",
    "QueryError",
    "RemoteError",
    "ShapesError",
    "StoreFailure",
    "ValidationError",
]


class KGError(Exception):
    """Base of every error kg raises on purpose.

    The message is a single line saying what is wrong and how to fix it; the CLI prints
    it as it is, so it must make sense without a traceback.
    """


class InputError(KGError):
    """An input document cannot be used.

    Raised for a path that does not exist, a folder with no ``*.txt``/``*.md`` documents,
    a file with another suffix, an unreadable or binary file, an empty document, text in
    an encoding kg cannot decode, or text whose language kg cannot tell.
    """


class FrontMatterError(InputError):
    """A document's YAML front matter is malformed.

    Raised for malformed YAML, a block that is not a mapping or is never closed, unknown
    keys, a date that is not ``YYYY-MM-DD`` or an unsupported ``lang``.
    """


class QueryError(KGError):
    """A query cannot be run: malformed SPARQL or an unsupported result format."""


class ValidationError(KGError):
    """The graph does not conform to the SHACL shapes.

    :attr:`report` holds the violations, one per line (focus node, path and the shape's
    message); the message itself stays one line.
    """

    def __init__(self, message: str, report: str = "") -> None:
        super().__init__(message)
        self.report = report


class ShapesError(KGError):
    """A SHACL shapes graph uses a construct kg's validator does not check (the message
    names the shape and the construct), or uses one in a malformed way."""


class GoldError(KGError):
    """A gold annotation file is malformed (bad YAML, unknown ids, missing fields)."""


class GazetteerError(KGError):
    """A gazetteer file is malformed (bad YAML, duplicate ids, unknown classes)."""


class RemoteError(KGError):
    """A remote store cannot be reached, refuses the credentials or the URL, or answers
    with an error (the message names the URL and the store's own reason)."""


class StoreFailure(RemoteError):
    """The store could not be reached, or answered 5xx: the same request may succeed later."""


class PushError(RemoteError):
    """A push stopped part-way.

    :attr:`written` and :attr:`not_written` name the graphs (IRIs) whose remote copy was
    and was not verified complete; running the same push again writes them all.
    """

    def __init__(self, message: str, written: tuple[str, ...] = (), not_written: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.written = written
        self.not_written = not_written
