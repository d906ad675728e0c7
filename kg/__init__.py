"""kg: an offline knowledge-graph builder for Korean and English news.

Documents flow ingest -> extract -> link -> graph -> validate -> export/query/view; see
:mod:`kg.pipeline` for the stages and :mod:`kg.cli` for the ``kg`` command.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
