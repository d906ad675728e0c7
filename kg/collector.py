"""Python's cyclic garbage collector, paused while a stage makes millions of objects.

The build's stages (the extractions read back, linking, the graphs written) and the page's
reading make millions of small objects within seconds, none of them in a reference cycle:
refcounting frees them. The collector's passes over them cost a third more on the page
(1,000 documents: 2.5-3.1 s against 1.9 s) and 4 of 31 s in a rebuild of 10,000 articles
(the extract, link and graph stages, 18.5 -> 15.0 and 20.4 -> 16.1 s in two runs of
each, alternated, when paused for the whole process; paused for those stages only, with
what they made frozen after, 30.2-31.0 -> 27.0-27.4 s in all). The few cycles made
meanwhile (networkx's) are collected once it is back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused", "unfreeze"]


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """The collector off within the block, then as it was; with ``freeze``, the objects
    alive at its end are left out of its later passes (:func:`gc.freeze`: a build's corpus
    and extractions, which would otherwise be gone over again in the stages after) until
    :func:`unfreeze`."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def unfreeze() -> None:
    """The objects :func:`paused` froze back in the collector's passes."""
    gc.unfreeze()
