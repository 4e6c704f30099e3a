"""Search and social metadata on every page: canonical URL, description, Open Graph, Twitter card."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from support.exports import html_pages, page


def meta(soup: BeautifulSoup, key: str) -> str:
    attr = "property" if key.startswith("og:") else "name"
    (tag,) = soup.find_all("meta", attrs={attr: key})
    return tag["content"]


def test_every_page_has_canonical_description_og_and_twitter(bundled):
    site = bundled / "site"
    for path in html_pages(site):
        url = path.parent.relative_to(site).as_posix()
        soup = page(site, url)
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical == "https://contested.example/" + (f"{url}/" if url != "." else ""), url
        assert meta(soup, "og:url") == canonical
        assert meta(soup, "og:site_name") == "Contested"
        assert meta(soup, "og:type") == ("article" if url.startswith("stories/") else "website"), url
        assert meta(soup, "og:description") == meta(soup, "description") == meta(soup, "twitter:description")
        assert meta(soup, "twitter:card") == "summary"
        assert meta(soup, "og:title") == meta(soup, "twitter:title") != ""


def test_story_metadata_comes_from_title_and_summary(bundled):
    soup = page(bundled / "site", "stories/alibaba-pla-memo")
    assert meta(soup, "og:title") == (
        "Pentagon memo alleges Alibaba ties to the People's Liberation Army; Alibaba denies")
    assert meta(soup, "og:description").startswith(
        "A U.S. Department of Defense memo, obtained by the Financial Times according to the source")
    assert meta(soup, "og:type") == "article"


def test_hostile_title_and_summary_stay_inside_our_attributes(hostile):
    path: Path = hostile / "site" / "stories" / "test-hostile" / "index.html"
    head = path.read_text(encoding="utf-8").split("</head>")[0]
    soup = BeautifulSoup(head, "html.parser")
    title = 'Test story: "quoted" </script><!-- & <b>more</b>'  # as written, escaped once
    assert meta(soup, "og:title") == meta(soup, "twitter:title") == title
    assert 'content="Test story: &#34;quoted&#34;' in head  # escaped by `| e` in our partial
    description = meta(soup, "og:description")
    assert description == meta(soup, "twitter:description")
    assert description.startswith('A fictional story with "quotes", ')
    assert description.endswith("& ampersands.")
    assert "<" not in head.split('property="og:description" content="')[1].split('"')[0]
