"""Every payload in every free-text field, built with the real MkDocs: none of them is active."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from payloads import MARKERS, PAYLOADS

# Elements the payloads try to create, found by parsing the payloads themselves; of those, only
# the ones our templates also use (links, tables, divs) may appear, and their attributes are
# checked separately.
PAYLOAD_TAGS = {el.name for p in PAYLOADS for el in BeautifulSoup(p, "html.parser").find_all(True)}
TEMPLATE_TAGS = {"a", "table", "td", "div"}
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data",
             "background")
THEME_FORMS = {"md-header__option", "md-search__form"}


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _scheme(url: str) -> str:
    return re.sub(r"[\x00-\x20]", "", url).lower().split(":", 1)[0] if ":" in url else ""


@pytest.fixture(scope="module")
def soups(payload_site: Path) -> dict[str, BeautifulSoup]:
    return {p.relative_to(payload_site).as_posix(): _soup(p) for p in _pages(payload_site)}


def test_the_corpus_is_large_and_every_story_page_was_built(payload_site: Path) -> None:
    assert len(PAYLOADS) >= 40
    for i in range(len(PAYLOADS)):
        assert (payload_site / f"stories/payload-{i:02d}/index.html").is_file()


def test_no_event_handler_attribute_anywhere(soups: dict[str, BeautifulSoup]) -> None:
    found = [(page, el.name, attr) for page, soup in soups.items() for el in soup.find_all(True)
             for attr in el.attrs if attr.lower().startswith("on")]
    assert found == []


def test_no_dangerous_url_anywhere(soups: dict[str, BeautifulSoup]) -> None:
    found = []
    for page, soup in soups.items():
        for el in soup.find_all(True):
            for attr in URL_ATTRS:
                for url in str(el.get(attr, "")).split(","):
                    if _scheme(url.strip()) in ("javascript", "data", "vbscript"):
                        found.append((page, el.name, attr, url))
    assert found == []


def test_scripts_are_only_the_themes(soups: dict[str, BeautifulSoup]) -> None:
    for page, soup in soups.items():
        inline, external = [], []
        for script in soup.find_all("script"):
            text = script.string or ""
            if script.get("type") == "application/ld+json":
                # Structured data carries the payloads as data: it must parse, and no "<" may stay raw.
                json.loads(text)
                assert "<" not in text, page
                continue
            assert not any(marker in text for marker in MARKERS), (page, text[:80])
            if script.get("src"):
                external.append(script["src"])
            elif script.get("type") == "application/json":
                json.loads(text)  # data, not code: it must parse
                assert script.get("id") == "__config"
            else:
                inline.append(text)
        assert len(inline) == 3, page  # the theme's three inline scripts
        assert len(external) == 2 and re.fullmatch(
            r"(\.\./)*assets/javascripts/bundle\.\w+\.min\.js|/assets/javascripts/bundle\.\w+\.min\.js",
            external[0]), (page, external)
        # and ours, the search (overrides/assets/javascripts/contested-search.js)
        assert re.fullmatch(r"(\.\./)*assets/javascripts/contested-search\.js"
                            r"|/assets/javascripts/contested-search\.js", external[1]), (page, external)


def test_no_payload_element_in_page_content(soups: dict[str, BeautifulSoup]) -> None:
    assert {"script", "img", "svg", "iframe", "math", "details", "style", "base"} <= PAYLOAD_TAGS
    forbidden = PAYLOAD_TAGS - TEMPLATE_TAGS
    for page, soup in soups.items():
        article = soup.find("article")
        assert article is not None, page
        # The template's own JSON-LD block is the one script an article may hold (checked above).
        names = {el.name for el in article.find_all(True)
                 if not (el.name == "script" and el.get("type") == "application/ld+json")}
        assert names & forbidden == set(), page
        assert article.find_all(style=True) == [], page  # `style="expression(…)"` stayed text


def test_no_frames_objects_base_refresh_or_foreign_forms(soups: dict[str, BeautifulSoup]) -> None:
    for page, soup in soups.items():
        assert soup.find_all(["iframe", "frame", "object", "embed", "base", "style", "math"]) == [], page
        assert soup.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)}) is None, page
        forms = soup.find_all("form")
        assert {" ".join(f.get("class", [])) for f in forms} <= THEME_FORMS, page
        assert not any(f.has_attr("action") for f in forms), page


def test_titles_carry_no_markup(soups: dict[str, BeautifulSoup]) -> None:
    """The theme prints titles unescaped: ours reach it escaped once (`resolve.safe_title`), so a
    title of `<script>…` is text in `<title>`, never an element (test_titles_as_written.py checks
    the text reads as written)."""
    for page, soup in soups.items():
        titles = soup.find_all("title")
        assert len(titles) == 1, page
        assert titles[0].find() is None, page  # text only
        assert not any(c in titles[0].get_text() for c in "＆‹›"), page  # no look-alike characters


def test_raw_html_payloads_are_shown_as_the_text_written(soups: dict[str, BeautifulSoup]) -> None:
    checked = 0
    for i, payload in enumerate(PAYLOADS):
        if re.search(r"[\[\]&\\*_`{!]", payload):  # Markdown or entity syntax: rendered, not literal
            continue
        story = soups[f"stories/payload-{i:02d}/index.html"]
        assert story.find(id="story-title").get_text() == " ".join(payload.split())
        checked += 1
    assert checked >= 25


def test_jinja_syntax_is_shown_literally_never_evaluated(soups: dict[str, BeautifulSoup]) -> None:
    i = PAYLOADS.index("{{ 7*7 }}")
    story = soups[f"stories/payload-{i:02d}/index.html"]
    assert story.find(id="story-title").get_text() == "{{ 7*7 }}"
    assert "{% raw %}{{ config }}{% endraw %}" in story.get_text()
    for page, soup in soups.items():
        assert not re.search(r"\b49\b", soup.get_text()), page


def test_markdown_extensions_never_act_on_editor_text(soups: dict[str, BeautifulSoup]) -> None:
    for page, soup in soups.items():
        assert soup.select(".admonition") == [], page  # `!!! note` stayed text
        assert "root:x:0:0" not in soup.get_text(), page  # snippets did not include /etc/passwd
    i = PAYLOADS.index('--8<-- "/etc/passwd"')
    assert '--8<-- "/etc/passwd"' in soups[f"stories/payload-{i:02d}/index.html"].get_text()


def test_links_keep_only_http_https_and_mailto(soups: dict[str, BeautifulSoup]) -> None:
    for page, soup in soups.items():
        for link in soup.select("article a[href]"):
            href = link["href"]
            assert _scheme(href) in ("", "http", "https", "mailto"), (page, href)


def test_search_index_holds_every_payload_story_and_the_theme_index_is_gone(payload_site: Path) -> None:
    """Search is Pagefind's (its results are shown as text: tests/security/test_browser.py searches
    the payloads); the theme's search_index.json, rendered as HTML, is not published."""
    assert not (payload_site / "search").exists()
    shards = json.loads((payload_site / "pagefind/shards.json").read_text(encoding="utf-8"))["shards"]
    stories = list(payload_site.glob("stories/payload-*/index.html"))
    assert len(stories) == len(PAYLOADS)
    assert all("<div data-pagefind-body" in p.read_text(encoding="utf-8") for p in stories)
    assert sum(s["pages"] for s in shards) == len(stories)
