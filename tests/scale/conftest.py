"""Fixtures for the scale tests: small synthetic archives from bench/generate_archive.py."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from support.scale import ARCHIVE_SIZE, build, generate_archive


@pytest.fixture(scope="module")
def built_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 5-story archive built once with the real engine; tests that change it copy it first."""
    project = generate_archive(ARCHIVE_SIZE, tmp_path_factory.mktemp("scale") / "archive")
    build(project)
    return project


@pytest.fixture
def fresh_archive(tmp_path: Path) -> Callable[[int], Path]:
    made = itertools.count()

    def make(n: int = ARCHIVE_SIZE) -> Path:
        return generate_archive(n, tmp_path / f"archive-{n}-{next(made)}")
    return make
