"""The built site in headless Chromium: loads cleanly, stays private, searches, works on phones and paper."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from .browser_checks import (
    PAGES,
    PRINT_FIXTURE_PATH,
    STORY,
    STORY_PATH,
    Site,
    Watched,
    print_problems,
    sideways_overflow,
    small_table_text,
    unworded_labels,
    visit,
)

CORE_PAGES = ["home", "story", "actor", "labels"]


@pytest.mark.parametrize("kind", CORE_PAGES)
def test_page_loads_without_console_error_or_failed_request(site: Site, desktop: Watched, kind: str) -> None:
    page = visit(desktop, site.url(PAGES[kind]))
    assert page.locator("h1").first.inner_text().strip(), "the page has no heading"
    assert desktop.requested, "the request guard saw no request at all"
    assert desktop.problems() == []


def test_no_request_leaves_localhost(site: Site, desktop: Watched) -> None:
    for path in PAGES.values():
        visit(desktop, site.url(path))
    _open_search(desktop.page, "alibaba")
    hosts = {urlsplit(u).hostname for u in desktop.requested}
    kinds = {u.rsplit(".", 1)[-1] for u in desktop.requested if "." in u.rsplit("/", 1)[-1]}
    assert hosts == {"127.0.0.1"}
    assert {"css", "js", "json"} <= kinds, f"expected stylesheets, scripts and the search index: {kinds}"
    assert desktop.external == []


def _all_texts(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for v in node.values() for t in _all_texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _all_texts(v)]
    return []


def unique_claim_word(root: Path, story: str) -> tuple[str, str]:
    """A word of one claim's text that no other text of the site (data, pages, templates) contains."""
    data = yaml.safe_load((root / "site_data" / "stories" / f"{story}.yaml").read_text(encoding="utf-8"))
    others_files = [p for p in (root / "site_data").rglob("*.yaml") if p.stem != story]
    others_files += [*(root / "content").rglob("*.md"), *(root / "templates").glob("*.j2")]
    others_files.append(root / "mkdocs.yml")
    elsewhere = " ".join(p.read_text(encoding="utf-8") for p in others_files).lower()
    for claim in data["claims"]:
        rest = json.dumps({**data, "claims": [c for c in data["claims"] if c is not claim]}).lower()
        rest += " " + " ".join(t for k, v in claim.items() if k != "text" for t in _all_texts(v)).lower()
        for word in re.findall(r"[a-z]{6,}", claim["text"].lower()):
            if word not in rest and word not in elsewhere:
                return word, claim["id"]
    raise AssertionError(f"no claim of {story} has a word of its own")


def _open_search(page, query: str) -> None:
    page.locator(".md-search__input").click()
    page.keyboard.type(query, delay=40)  # real key presses, as a reader types
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)


def _in_viewport(page, selector: str) -> bool:
    return bool(page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
             return r.top >= 0 && r.top < window.innerHeight && r.bottom > 0; }""", selector))


def _frame_clears_header(page, claim_id: str) -> bool:
    """The claim's highlighted frame (outline included) starts below the sticky header."""
    return bool(page.evaluate(
        """(id) => { const claim = document.getElementById(id).closest('article.ct-claim');
             const s = getComputedStyle(claim);
             const frameTop = claim.getBoundingClientRect().top - parseFloat(s.outlineOffset)
               - parseFloat(s.outlineWidth);
             return frameTop >= document.querySelector('.md-header').getBoundingClientRect().bottom; }""",
        f"claim-{claim_id}"))


def test_search_finds_story_by_a_word_only_in_one_claim(site: Site, desktop: Watched) -> None:
    word, claim_id = unique_claim_word(site.root, STORY)
    page = visit(desktop, site.url("/"))
    _open_search(page, word)
    result = page.locator(f'.md-search-result a[href*="stories/{STORY}/"][href$="#claim-{claim_id}"]')
    assert result.count() >= 1, f"no search result for {word!r} leads to claim {claim_id}"
    result.first.click()
    page.wait_for_url(re.compile(rf"/stories/{STORY}/.*#claim-{claim_id}$"))
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == STORY_PATH
    assert _in_viewport(page, f"#claim-{claim_id}")
    assert _frame_clears_header(page, claim_id)
    claim_text = page.locator(f"article.ct-claim:has(#claim-{claim_id}) .ct-claim__text").inner_text()
    assert word in claim_text.lower()
    assert desktop.problems() == []


def _claim_style(page, claim_id: str) -> dict[str, str]:
    return page.evaluate(
        """(id) => { const s = getComputedStyle(document.getElementById(id).closest('article.ct-claim'));
             return {outline: s.outlineStyle + ' ' + s.outlineWidth, background: s.backgroundColor}; }""",
        f"claim-{claim_id}")


def test_claim_link_shows_that_claim_in_view_highlighted(site: Site, desktop: Watched) -> None:
    claim_ids = [c["id"] for c in yaml.safe_load(
        (site.root / "site_data" / "stories" / f"{STORY}.yaml").read_text(encoding="utf-8"))["claims"]]
    target, other = claim_ids[len(claim_ids) // 2], claim_ids[0]
    page = visit(desktop, site.url(f"{STORY_PATH}#claim-{target}"))
    assert _in_viewport(page, f"#claim-{target}")
    assert _frame_clears_header(page, target), "the sticky header covers the top of the claim"
    assert not _in_viewport(page, f"#claim-{other}"), "the page did not scroll to the claim"
    highlighted, plain = _claim_style(page, target), _claim_style(page, other)
    assert highlighted["outline"] != plain["outline"]
    assert highlighted["background"] != plain["background"]


def _scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def test_dark_palette_toggle_works_and_persists(site: Site, desktop: Watched) -> None:
    page = visit(desktop, site.url(STORY_PATH))
    assert _scheme(page) == "default"
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator('label[for="__palette_1"]').click()
    assert _scheme(page) == "slate"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != light_bg
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.endsWith('__palette'))")
    assert stored, "the choice was not stored"
    visit(desktop, site.url("/"))
    assert _scheme(page) == "slate", "the dark palette was lost on the next page"
    page.reload(wait_until="load")
    assert _scheme(page) == "slate", "the dark palette was lost on reload"


@pytest.mark.parametrize("kind", list(PAGES))
def test_phone_pages_do_not_scroll_sideways(site: Site, phone: Watched, kind: str) -> None:
    page = visit(phone, site.url(PAGES[kind]))
    assert page.evaluate("window.innerWidth") == 390
    assert sideways_overflow(page) <= 0


def test_phone_stance_table_stays_readable(site: Site, phone: Watched) -> None:
    page = visit(phone, site.url(STORY_PATH))
    assert small_table_text(page) == []
    fit = page.evaluate(
        """() => { const w = document.querySelector('.ct-table-wrap');
             return {scroll: w.scrollWidth, client: w.clientWidth,
                     display: getComputedStyle(document.querySelector('.ct-stances tr')).display}; }""")
    # On a phone the table reflows into one card per claim (its parties on wrapped lines) instead of a
    # grid wider than the screen.
    assert fit["display"] == "flex"
    assert fit["scroll"] <= fit["client"]
    first_stance = page.locator(".ct-stances td.ct-cell--denies").first
    label = first_stance.evaluate("e => getComputedStyle(e, '::before').content")
    assert "Alibaba Group" in label, "a stance on a phone must say whose stance it is"


def test_printed_story_hides_navigation_and_shows_source_addresses(site: Site, desktop: Watched) -> None:
    page = visit(desktop, site.url(PRINT_FIXTURE_PATH))
    assert page.locator(".ct-sources a.ct-source-url").count() == 1
    assert print_problems(page) == []
    page.emulate_media(media="print")
    assert "https://example.org/fixture-source" in page.locator(".ct-sources").inner_text()
    assert not page.locator(".md-search").is_visible()
    page.emulate_media(media="screen")


def test_printed_bundled_story_says_when_a_source_has_no_link(site: Site, desktop: Watched) -> None:
    page = visit(desktop, site.url(STORY_PATH))
    assert print_problems(page) == []
    page.emulate_media(media="print")
    assert "No link." in page.locator(".ct-sources").inner_text()
    assert not page.locator(".md-header").is_visible()
    page.emulate_media(media="screen")


def test_labels_and_stances_are_words(site: Site, desktop: Watched) -> None:
    page = visit(desktop, site.url(STORY_PATH))
    assert unworded_labels(page) == []
    badges = set(page.locator(".ct-claim .ct-badge").all_inner_texts())
    assert badges and badges <= {"Unconfirmed", "Corroborated", "Confirmed", "Refuted"}, badges
    stances = set(page.locator(".ct-stances td[class]").all_inner_texts())
    assert {"alleges", "denies"} <= stances, stances
