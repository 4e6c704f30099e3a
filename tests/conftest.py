"""Fixtures shared by every test folder; the helpers they use live in support.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import FIXTURES, REPO, copy_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the bundled project (site_data/ and whatever else exists) to change freely."""
    return copy_project(REPO, tmp_path / "project")


@pytest.fixture
def minimal_project(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/minimal: one small valid story, its actors, no warnings."""
    return copy_project(FIXTURES / "minimal", tmp_path / "minimal")
