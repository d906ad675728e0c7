"""What a long build shows on stderr after its extraction bar (tqdm), so that a minute of
linking, validation or writing is not a minute of silence: a bar where a stage has
steps (graphs, validation parts, output files), a line for one without (linking)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tqdm import tqdm

__all__ = ["bar", "stage"]


def bar(name: str, total: int, unit: str, show: bool) -> tqdm:
    """A progress bar on stderr, or one that shows nothing."""
    return tqdm(total=total, desc=name, unit=unit, disable=not show)


@contextmanager
def stage(name: str, show: bool) -> Iterator[None]:
    """A line that names a stage while it runs and then says how long it took:
    ``linking: 00:03``."""
    with tqdm(total=1, desc=name, bar_format="{desc}: {elapsed}", disable=not show) as line:
        yield
        line.update(1)
