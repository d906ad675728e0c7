"""The network page in a real headless Chromium: it draws, and text from documents runs
nothing. (The "Network view" issue adds interaction and network-request checks.)"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kg.pipeline import build, write_build

from .conftest import TEST_DATA

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)


def rendered_dom(page: Path, profile: Path) -> str:
    """The page's DOM after its scripts ran, from headless Chromium."""
    assert CHROMIUM is not None
    completed = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return completed.stdout


def test_seed_page_draws_the_network(seed_dir: Path, tmp_path: Path) -> None:
    dom = rendered_dom(seed_dir / "graph.html", tmp_path / "profile")
    assert "<canvas" in dom  # vis-network drew into its canvas
    assert "vis-network" in dom


def test_text_from_documents_runs_nothing(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_build(build([TEST_DATA / "xss" / "hostile.txt"]), out)
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "onerror" in html and "onmouseover" in html  # the hostile text is on the page, as text
    assert "<script>document" not in html and 'onmouseover="document' not in html
    dom = rendered_dom(out / "graph.html", tmp_path / "profile")
    assert "<canvas" in dom
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert "<title>pwned-title" not in dom
