"""Shared fixtures: the seed corpus built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline import Build, build, write_build

ROOT = Path(__file__).resolve().parent.parent
SEED_CORPUS = ROOT / "data" / "corpus"
SEED_GOLD = ROOT / "data" / "gold" / "seed_gold.yaml"
TEST_DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def seed_build() -> Build:
    return build([SEED_CORPUS])


@pytest.fixture(scope="session")
def seed_dir(seed_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed_build")
    write_build(seed_build, out)
    return out
