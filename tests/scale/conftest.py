"""Fixtures for the scale tests: small synthetic archives from bench/generate_archive.py."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

from generate_archive import generate_archive, story_file_name  # noqa: E402

from contested.cli import main  # noqa: E402

ARCHIVE_SIZE = 5


def build(project: Path) -> None:
    """The real `build.py build`, in process (the engine runs as a child, as it always does)."""
    assert main(["--root", str(project), "build"]) == 0


def docs_state(project: Path) -> dict[str, tuple[int, int]]:
    """Generated file -> (inode, mtime_ns): rewriting a file (atomic replace) changes both."""
    docs = project / ".build" / "docs"
    return {p.relative_to(docs).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in docs.rglob("*") if p.is_file()}


def rewritten(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {path for path, state in after.items() if before.get(path) != state}


def story_path(project: Path, index: int) -> Path:
    return project / "site_data" / "stories" / story_file_name(index)


def edit_title(project: Path, index: int, prefix: str) -> None:
    path = story_path(project, index)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('title: "', f'title: "{prefix} ', 1), encoding="utf-8")


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
