"""pages/render: the Markdown of a story page and of the shared pages, from real YAML through the
repository's templates; hand-written pages copied as they are; unchanged views not rendered again."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import REPO, story_pages

from contested.pages.render import RenderError, render_site, render_story
from contested.pages.resolve import assemble_site, story_listing
from contested.pages.views import SiteView, StoryPage

TEMPLATES = REPO / "templates"


def _resolved(root: Path) -> tuple[SiteView, list[StoryPage]]:
    actors, pages = story_pages(root)
    return assemble_site(actors, tuple(story_listing(p) for p in pages)), pages


def test_a_story_page_is_markdown_at_its_path(minimal_project: Path) -> None:
    _, (page,) = _resolved(minimal_project)
    path, markdown = render_story(page, TEMPLATES)
    text = markdown.decode("utf-8")
    assert path == "stories/minimal.md"
    assert "Memo alleges ties; company denies" in text
    assert "The memo alleges ties." in text and "U.S. Department of Defense" in text
    assert "https://example.org/wire" in text
    assert render_story(page, TEMPLATES) == (path, markdown)  # deterministic


def test_the_shared_pages_and_the_hand_written_ones(minimal_project: Path, tmp_path: Path) -> None:
    site, _ = _resolved(minimal_project)
    content = tmp_path / "content"
    (content / "guide").mkdir(parents=True)
    (content / "guide" / "about.md").write_bytes(b"# About\n\nWritten by hand.\n")
    pages = render_site(site, TEMPLATES, content)
    assert {"index.md", "stories/index.md", "actors/index.md", "actors/alibaba.md", "actors/us-dod.md",
            "tags/index.md", "guide/about.md"} <= pages.keys()
    assert pages["guide/about.md"] == b"# About\n\nWritten by hand.\n"
    assert "Memo alleges ties; company denies" in pages["index.md"].decode("utf-8")
    assert "U.S. Department of Defense" in pages["actors/us-dod.md"].decode("utf-8")


def test_a_page_whose_view_did_not_change_is_not_rendered_again(minimal_project: Path,
                                                                tmp_path: Path) -> None:
    site, _ = _resolved(minimal_project)
    pages = render_site(site, TEMPLATES, tmp_path / "no-content", previous=site)
    assert pages and all(data is None for data in pages.values())


def test_no_page_may_take_a_storys_path(minimal_project: Path, tmp_path: Path) -> None:
    site, _ = _resolved(minimal_project)
    with pytest.raises(RenderError, match="stories/index.md"):
        render_site(site, TEMPLATES, tmp_path / "no-content", story_paths=frozenset({"stories/index.md"}))
