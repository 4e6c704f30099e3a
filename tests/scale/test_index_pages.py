"""Index pages stay bounded: home shows the newest stories, a long archive is listed by year."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from contested.build.engine import build_site
from contested.build.pipeline import BuildLog, generate
from contested.pages import resolve
from contested.project import Project

CARD = re.compile(r'class="ct-card__title"><a href="[./]*(stories/[^"]+)"')


def _cards(page: Path) -> list[str]:
    return CARD.findall(page.read_text(encoding="utf-8"))


def test_a_long_archive_is_indexed_by_year(fresh_archive: Callable[[int], Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resolve, "HOME_STORIES", 2)
    monkeypatch.setattr(resolve, "INDEX_STORIES", 3)
    project = fresh_archive(6)
    assert generate(Project(project), BuildLog()).cache is not None
    docs = project / ".build" / "docs"
    assert len(_cards(docs / "index.md")) == 2
    assert "[All 6 stories](stories/index.md)" in (docs / "index.md").read_text(encoding="utf-8")
    assert _cards(docs / "stories" / "index.md") == []
    year_pages = sorted((docs / "archive").glob("*.md"))
    listed = [card for page in year_pages for card in _cards(page)]
    assert sorted(listed) == [f"stories/story-{i:05d}/" for i in range(6)]
    index = (docs / "stories" / "index.md").read_text(encoding="utf-8")
    assert all(f"archive/{page.stem}/" in index for page in year_pages)
    # The engine accepts these pages in strict mode (every link on them resolves).
    site = build_site(Project(project), 0)
    assert all((site / "archive" / page.stem / "index.html").is_file() for page in year_pages)
