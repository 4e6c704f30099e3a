"""Nothing on a story page grows with the archive: its navigation lists no stories."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from scale_support import ARCHIVE_SIZE

NAV_TARGETS = {"", "stories/", "actors/", "tags/", "how-we-label-claims/"}  # mkdocs.yml's nav


def _nav_links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    navs = soup.select("nav, .md-tabs")
    assert navs, "the theme's navigation was not found"
    return [a["href"] for nav in navs for a in nav.select("a[href]")]


def _target(href: str) -> str:
    """'../../actors/' seen from stories/story-00000/ -> 'actors/'."""
    return href.split("#")[0].replace("../", "").lstrip("./")


def test_a_story_page_navigation_lists_no_story(built_archive: Path) -> None:
    page = built_archive / "site" / "stories" / "story-00000" / "index.html"
    links = _nav_links(page)
    assert not [href for href in links if "story-0" in href]
    assert {_target(href) for href in links if not href.startswith("#")} <= NAV_TARGETS


def test_the_home_page_lists_every_story_of_a_small_archive(built_archive: Path) -> None:
    home = (built_archive / "site" / "index.html").read_text(encoding="utf-8")
    assert all(f"stories/story-{i:05d}/" in home for i in range(ARCHIVE_SIZE))
    assert "All 5 stories" not in home  # the link to the full list appears only when home is cut short
