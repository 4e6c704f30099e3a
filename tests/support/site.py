"""A built site read back: pages parsed, sections found, links followed. Builds run on copies in
tmp dirs; the repo's own site_data/, content/ and templates/ are only ever read."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import yaml
from bs4 import BeautifulSoup, Tag

from support import run_build

FIXTURES = Path(__file__).resolve().parents[1] / "site" / "fixtures"  # the site suite's own projects


@dataclass
class BuiltSite:
    root: Path
    result: subprocess.CompletedProcess[str]

    @property
    def site(self) -> Path:
        return self.root / "site"

    def soup(self, url: str) -> BeautifulSoup:
        """Parse the page at a site URL such as 'stories/x/' or '' for home."""
        path = self.site / url / "index.html" if not url.endswith(".html") else self.site / url
        assert path.is_file(), f"no page at /{url}"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def content(self, url: str) -> Tag:
        """The page's own content (the theme's article), without header, nav and footer."""
        article = self.soup(url).select_one("article.md-content__inner")
        assert article is not None, f"/{url} has no content article"
        return article

    def story_yaml(self, slug: str) -> dict:
        return yaml.safe_load((self.root / "site_data" / "stories" / f"{slug}.yaml").read_text())

    def actors_yaml(self) -> dict:
        return yaml.safe_load((self.root / "site_data" / "actors.yaml").read_text())

    def all_stories_yaml(self) -> dict[str, dict]:
        folder = self.root / "site_data" / "stories"
        return {p.stem: yaml.safe_load(p.read_text()) for p in sorted(folder.glob("*.yaml"))}


def build_project(root: Path) -> BuiltSite:
    result = run_build(root, "build")
    assert result.returncode == 0, f"build failed:\n{result.stderr}"
    return BuiltSite(root, result)


def section(article: Tag, section_id: str) -> list[Tag]:
    """The elements between the h2 with this id and the next h2: one section of a story page."""
    heading = article.find("h2", id=section_id)
    assert heading is not None, f"no section #{section_id}"
    out = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        out.append(sibling)
    return out


def section_text(article: Tag, section_id: str) -> str:
    return " ".join(el.get_text(" ", strip=True) for el in section(article, section_id))


def squash(text: str) -> str:
    """Whitespace collapsed, so text compares equal however the HTML wrapped it."""
    return " ".join(text.split())


def site_path(page_url: str, href: str) -> str:
    """Where a link on the page at page_url points, as a site path such as 'stories/x/'."""
    return urljoin(f"http://site.invalid/{page_url}", href).removeprefix("http://site.invalid/")
