"""What a reader's browser fetches on a first page view does not grow with the archive.

The theme's JavaScript fetches `sitemap.xml` on every first view. It is a sitemap index of a few
bytes (overrides/sitemap.xml); the pages are listed in `sitemap-pages.xml`, which only search
engines read. Two synthetic archives, 2 and 16 stories, built as editors build them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Response
from support import run_build, serve_folder
from support.scale import generate_archive

from .browser_checks import open_context, watch
from .conftest import DESKTOP

_LOC = re.compile(r"<loc>(.*?)</loc>")


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    built = {}
    for size in (2, 16):
        root = generate_archive(size, tmp_path_factory.mktemp(f"archive-{size}") / "project")
        result = run_build(root, "build")
        assert result.returncode == 0, result.stderr
        built[size] = root
    return built


def _site_url(root: Path) -> str:
    found = re.search(r"^site_url: (\S+)$", (root / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert found is not None
    return found.group(1)


def test_the_sitemap_is_an_index_and_the_pages_are_listed_behind_it(archives: dict[int, Path]) -> None:
    for root in archives.values():
        site, site_url = root / "site", _site_url(root)
        index = (site / "sitemap.xml").read_text(encoding="utf-8")
        assert "<sitemapindex" in index and _LOC.findall(index) == [f"{site_url}sitemap-pages.xml"]
        pages = (site / "sitemap-pages.xml").read_text(encoding="utf-8")
        folders = [path.parent.relative_to(site).as_posix() for path in site.rglob("index.html")]
        expected = {site_url if folder == "." else f"{site_url}{folder}/" for folder in folders}
        assert set(_LOC.findall(pages)) == expected  # every page, and only pages
        assert len(expected) > len(list((root / "site_data" / "stories").glob("*.yaml")))
    small, large = (archives[size] / "site" / "sitemap.xml" for size in (2, 16))
    assert small.read_bytes() == large.read_bytes()


def _first_view(browser: Browser, root: Path, path: str) -> dict[str, int]:
    """{path fetched: bytes} of a first view of `path` in a fresh profile, until the network is idle."""
    fetched: dict[str, int] = {}
    with serve_folder(root / "site") as base:
        context = open_context(browser, DESKTOP)
        try:
            watched = watch(context)

            def record(response: Response) -> None:
                fetched[response.url.removeprefix(base)] = len(response.body())
            watched.page.on("response", record)
            watched.page.goto(base + path, wait_until="networkidle")
            watched.page.wait_for_timeout(500)
            assert watched.problems() == []
        finally:
            context.close()
    return fetched


def test_a_first_view_fetches_the_same_bytes_however_large_the_archive(archives: dict[int, Path],
                                                                       browser: Browser) -> None:
    small, large = (_first_view(browser, archives[size], "/about/") for size in (2, 16))
    assert "/sitemap.xml" in large and large["/sitemap.xml"] < 1000
    assert small == large
