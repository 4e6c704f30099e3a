"""Fixtures for the editors' workflow tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import REPO
from support.editors import CLEAN_STORY, write_project


@pytest.fixture
def clean_project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project", CLEAN_STORY)


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A copy of the repository's site_data/ (the bundled story and actors) to change freely."""
    dest = tmp_path / "bundled"
    shutil.copytree(REPO / "site_data", dest / "site_data")
    return dest
