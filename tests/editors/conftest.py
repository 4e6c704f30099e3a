"""Fixtures for the editors' workflow tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.editors import CLEAN_STORY, write_project


@pytest.fixture
def clean_project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project", CLEAN_STORY)

