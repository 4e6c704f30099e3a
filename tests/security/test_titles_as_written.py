"""Titles with `&`, `<`, `>` and quotes, as the red team wrote them (issue 16, item 14): a reader
sees "AT&T" and "<b>" as written in every place a title reaches (the browser tab, Open Graph and
Twitter cards, JSON-LD, the feed, the search index), escaped once and never replaced by look-alike
characters ("＆", "‹›"), and never live markup."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import FIXTURES, copy_project, run_build
from support.exports import jsonld_scripts, page

pytestmark = pytest.mark.engine  # real MkDocs builds

TITLE = 'AT&T <b>bold</b> says "no" & <script>alert(1)</script>'
ACTOR = "Alibaba & <Co>"
LOOK_ALIKES = ("＆", "‹", "›")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("titles") / "project",
                        site_data=FIXTURES / "minimal" / "site_data")
    story = root / "site_data" / "stories" / "minimal.yaml"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace('title: "Memo alleges ties; company denies"',
                                  f"title: {json.dumps(TITLE)}", 1), encoding="utf-8")
    actors = root / "site_data" / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace('"Alibaba Group"', json.dumps(ACTOR)),
                      encoding="utf-8")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def _meta(soup: BeautifulSoup, key: str) -> str:
    attr = "property" if key.startswith("og:") else "name"
    (tag,) = soup.find_all("meta", attrs={attr: key})
    return str(tag["content"])


@pytest.mark.parametrize(("url", "title"), [("stories/minimal", TITLE), ("actors/alibaba", ACTOR)])
def test_head_shows_the_title_as_written(site: Path, url: str, title: str):
    soup = page(site, url)
    assert soup.title is not None and soup.title.string == f"{title} - Contested"
    assert _meta(soup, "og:title") == _meta(soup, "twitter:title") == title
    assert soup.find("b") is None or "bold" not in soup.find("b").get_text()  # no live markup
    topic = soup.select(".md-header__topic .md-ellipsis")
    assert topic and topic[-1].get_text(strip=True) == title  # the header bar, printed unescaped


def test_no_look_alike_characters_anywhere(site: Path):
    for path in site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json"):
            text = path.read_text(encoding="utf-8")
            assert not any(c in text for c in LOOK_ALIKES), path


def test_json_ld_and_feed_carry_the_title_as_written(site: Path):
    (data,) = jsonld_scripts(page(site, "stories/minimal"))
    (article,) = [n for n in data["@graph"] if n["@type"] == "NewsArticle"]
    assert article["headline"] == TITLE
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles and all(t is not None and t.endswith(TITLE) for t in titles), titles


def test_search_shows_the_title_as_written(site: Path):
    # Pagefind keeps each page's title as plain text in its fragment (gzip, "pagefind_dcd" then JSON);
    # the search dialog prints it as text. It must read as the editor wrote it.
    fragments = {}
    for path in (site / "pagefind").glob("s*/fragment/*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        fragment = json.loads(raw[len(b"pagefind_dcd"):])
        fragments[fragment["url"]] = fragment["meta"]["title"]
    assert fragments["/stories/minimal/"] == TITLE
    assert not any(url.startswith("/actors/") for url in fragments)  # only stories are searched
