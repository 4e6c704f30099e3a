"""Search (Pagefind) as a reader uses it, in Chromium, on the small made-up project (two stories):
key presses, the header's button, filters, the keyboard, the dark palette, a phone, axe-core."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from support import copy_project, run_build, serve_folder
from support.site import FIXTURES

from .browser_checks import Site, Watched, open_context, sideways_overflow, watch
from .conftest import DESKTOP, PHONE

HARBOR = "/stories/harbor-bridge-contract/"
FERRY = "/stories/ferry-timetable/"
RESULTS = ".md-search-result__list"


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = copy_project(tmp_path_factory.mktemp("search-site") / "project",
                        site_data=FIXTURES / "second-story" / "site_data")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stderr
    with serve_folder(root / "site") as url:
        yield Site(root, url)


def _type(page: Page, query: str) -> None:
    """Type as a reader does, one key at a time, and wait for the results of the whole query."""
    page.keyboard.type(query, delay=40)
    page.wait_for_function("(q) => document.querySelector('[data-ct-search]').dataset.ctShown === q",
                           arg=query, timeout=15_000)


def _hrefs(page: Page) -> list[str]:
    return [a.get_attribute("href") or "" for a in page.locator(f"{RESULTS} a").all()]


def _on_screen(box: dict[str, float] | None) -> bool:
    """Shown on the phone's screen: wider than a sliver, and within it."""
    return (box is not None and box["width"] > 100
            and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"])


def _search_violations(page: Page, axe_source: str) -> list[str]:
    """axe-core's violations (every rule it enables by default) in the header, which holds the
    search dialog and its results; the pages themselves are checked by test_browser_a11y.py."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return list(page.evaluate(
        """async () => (await axe.run({include: [['.md-header']]}, {resultTypes: ['violations']}))
             .violations.map(v => `${v.id}: ${v.help} @ ${v.nodes.map(n => n.target.join(' '))}`)"""))


def _search_requests(watched: Watched) -> list[str]:
    return [u for u in watched.requested if "/pagefind/" in u]


def test_slash_then_a_word_finds_the_claim_and_its_story(search_site: Site, desktop: Watched) -> None:
    page = desktop.page
    page.goto(search_site.url("/"), wait_until="networkidle")
    assert _search_requests(desktop) == [], "the first page view fetched the search index"
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    assert page.evaluate("document.getElementById('__search').checked"), "the search did not open"
    _type(page, "bribe")
    hrefs = _hrefs(page)
    assert f"{HARBOR}#claim-bribe-paid" in hrefs, hrefs
    assert not any(FERRY in h for h in hrefs), hrefs
    items = page.locator(".md-search-result__item")
    expect(items).to_have_count(1)
    text = items.first.inner_text()
    assert "Newspaper alleges the Harbor Bridge contract was rigged" in text  # the story's title
    assert "alleges: " in text  # the claim's heading
    marked = page.locator(f"{RESULTS} mark").all_inner_texts()
    assert marked and all(m.lower().startswith("bribe") for m in marked), marked
    expect(page.locator(".md-search-result__meta")).to_have_text("1 matching story")
    assert _search_requests(desktop) and desktop.problems() == []


def test_a_result_leads_to_the_claim_by_keyboard(search_site: Site, desktop: Watched) -> None:
    page = desktop.page
    page.goto(search_site.url(FERRY), wait_until="networkidle")
    page.keyboard.press("s")
    _type(page, "audit")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == HARBOR
    page.keyboard.press("ArrowDown")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    assert target.startswith(f"{HARBOR}#"), target
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(HARBOR) + "#"))
    anchor = target.split("#", 1)[1]
    assert page.url.endswith(f"#{anchor}")
    assert page.locator(f"[id='{anchor}']").is_visible()
    assert not page.evaluate("document.getElementById('__search').checked"), "the search stayed open"


def test_escape_closes_and_gives_focus_back(search_site: Site, desktop: Watched) -> None:
    page = desktop.page
    page.goto(search_site.url(HARBOR), wait_until="networkidle")
    page.locator("a[href='#whats-alleged']").first.focus()
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#whats-alleged"
    page.keyboard.press("s")  # the shortcut works again, and typing `s` in the box is just a letter
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type("ss")
    expect(page.locator("input.md-search__input")).to_have_value("ss")


def test_filters_by_status_and_tag(search_site: Site, desktop: Watched) -> None:
    page = desktop.page
    page.goto(search_site.url("/"), wait_until="networkidle")
    page.keyboard.press("/")
    _type(page, "the")
    both = {h.split("#")[0] for h in _hrefs(page)}
    assert both == {HARBOR, FERRY}, both
    status = page.locator("select[data-ct-filter=status]")
    assert status.locator("option").all_inner_texts() == ["Any", "Developing story", "Settled"]
    status.select_option("Settled")
    page.wait_for_function(f"() => ![...document.querySelectorAll('{RESULTS} a')]"
                           f".some(a => a.getAttribute('href').startsWith('{HARBOR}'))")
    assert {h.split("#")[0] for h in _hrefs(page)} == {FERRY}
    status.select_option("")
    tag = page.locator("select[data-ct-filter=tag]")
    assert tag.locator("option").all_inner_texts() == ["Any", "harbor-bridge", "procurement"]
    tag.select_option("harbor-bridge")
    page.wait_for_function(f"() => ![...document.querySelectorAll('{RESULTS} a')]"
                           f".some(a => a.getAttribute('href').startsWith('{FERRY}'))")
    assert {h.split("#")[0] for h in _hrefs(page)} == {HARBOR}


def test_no_match_says_so(search_site: Site, desktop: Watched) -> None:
    page = desktop.page
    page.goto(search_site.url("/"), wait_until="networkidle")
    page.keyboard.press("/")
    _type(page, "zzyzxq")
    expect(page.locator(".md-search-result__item")).to_have_count(0)
    expect(page.locator(".md-search-result__meta")).to_contain_text("No stories match")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_results_shown(search_site: Site, browser: Browser, axe_source: str,
                                              scheme: str, screenshots: Path) -> None:
    context = open_context(browser, DESKTOP, color_scheme=scheme)
    try:
        watched = watch(context)
        page = watched.page
        page.goto(search_site.url(HARBOR), wait_until="networkidle")
        page.keyboard.press("/")
        _type(page, "tender")
        page.wait_for_timeout(400)  # Material fades the output in: measure it when it is opaque
        assert _hrefs(page), "no results to check"
        if scheme == "dark":
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        page.screenshot(path=screenshots / f"search-{scheme}.png")
        assert _search_violations(page, axe_source) == []
        assert watched.problems() == []
    finally:
        context.close()


def test_on_a_phone_the_header_button_opens_a_full_width_search(search_site: Site, phone: Watched,
                                                                axe_source: str, screenshots: Path) -> None:
    page = phone.page
    page.goto(search_site.url(HARBOR), wait_until="networkidle")
    box = page.locator("input.md-search__input")
    inner = page.locator(".md-search__inner")
    assert not _on_screen(inner.bounding_box()), "the search shows before it is opened"
    page.locator("label.md-header__button[for=__search]").tap()
    expect(box).to_be_focused()
    page.wait_for_timeout(400)  # Material slides the search in
    assert _on_screen(inner.bounding_box()) and _on_screen(box.bounding_box()), inner.bounding_box()
    _type(page, "bribe")
    page.wait_for_timeout(400)
    assert f"{HARBOR}#claim-bribe-paid" in _hrefs(page)
    output = page.locator(".md-search__output").bounding_box()
    assert output and output["width"] >= PHONE["width"] - 2, output
    assert sideways_overflow(page) <= 0
    page.screenshot(path=screenshots / "search-phone.png")
    assert _search_violations(page, axe_source) == []
    page.locator(f"{RESULTS} a[href$='#claim-bribe-paid']").tap()
    page.wait_for_url(re.compile("#claim-bribe-paid$"))
    assert phone.problems() == []
