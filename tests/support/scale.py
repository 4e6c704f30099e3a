"""Helpers for the scale tests: synthetic archives from bench/generate_archive.py, built in process."""

from __future__ import annotations

import sys
from pathlib import Path

from support import REPO

sys.path.insert(0, str(REPO / "bench"))

from generate_archive import generate_archive, story_file_name  # noqa: E402

from contested.cli import main  # noqa: E402

__all__ = ["ARCHIVE_SIZE", "REPO", "build", "docs_state", "edit_title", "generate_archive", "rewritten",
           "story_path"]

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
