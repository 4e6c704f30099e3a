"""Nothing on a story page grows with the archive: its navigation lists no stories."""

from __future__ import annotations

from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from support import REPO
from support.scale import ARCHIVE_SIZE


def _nav_targets() -> set[str]:
    """The page URLs mkdocs.yml's nav names: '' for index.md, 'stories/' for stories/index.md, …"""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    stems = [path.removesuffix(".md").removesuffix("index") for entry in config["nav"]
             for path in entry.values()]
    return {stem if stem == "" or stem.endswith("/") else f"{stem}/" for stem in stems}


NAV_TARGETS = _nav_targets()


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
