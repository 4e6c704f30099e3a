"""Accessibility in a real browser: axe-core finds nothing, the keyboard reaches and shows everything."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from .browser_checks import PAGES, STORY_PATH, Site, Watched, axe_violations, focus_problems, visit


def _open_search(page: Page) -> None:
    page.locator(".md-search__input").click()
    page.keyboard.type("alibaba", delay=20)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
    _wait_until_settled(page)


# Material re-renders the results for each key typed and fades the search output in: measured mid-way,
# a result's text is still partly transparent and axe reports its contrast. Settled means no finite
# animation or transition running and the result list unchanged for five polls in a row (0.5 s).
_SETTLED = """() => {
    const list = document.querySelector('.md-search-result__list');
    const now = list ? list.children.length + ':' + list.innerHTML.length : '';
    const moving = document.getAnimations().some(a => a.playState !== 'finished' && a.playState !== 'idle'
        && a.effect && a.effect.getComputedTiming().iterations !== Infinity);
    if (moving || now !== window.__contestedResults) {
        window.__contestedResults = now;
        window.__contestedStill = 0;
    } else {
        window.__contestedStill += 1;
    }
    return window.__contestedStill >= 5;
}"""


def _wait_until_settled(page: Page) -> None:
    page.wait_for_function(_SETTLED, polling=100, timeout=10_000)


def _go_dark(page: Page) -> None:
    page.locator('label[for="__palette_1"]').click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")


@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_violation(site: Site, desktop: Watched, axe_source: str, kind: str) -> None:
    page = visit(desktop, site.url(PAGES[kind]))
    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize("kind", ["home", "story"])
def test_axe_finds_no_violation_in_dark_mode(site: Site, desktop: Watched, axe_source: str,
                                            kind: str) -> None:
    page = visit(desktop, site.url(PAGES[kind]))
    _go_dark(page)
    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_violation_with_search_open(site: Site, desktop: Watched, axe_source: str,
                                                 dark: bool) -> None:
    page = visit(desktop, site.url("/"))
    if dark:
        _go_dark(page)
    _open_search(page)
    assert page.locator(".md-search[role=dialog]").get_attribute("aria-label"), "the dialog has no name"
    assert axe_violations(page, axe_source) == []


def test_axe_finds_no_violation_on_a_phone(site: Site, phone: Watched, axe_source: str) -> None:
    page = visit(phone, site.url(STORY_PATH))
    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize("kind", list(PAGES))
def test_keyboard_reaches_every_control_and_shows_focus(site: Site, desktop: Watched, kind: str) -> None:
    page = visit(desktop, site.url(PAGES[kind]))
    assert focus_problems(page) == []


def test_screenshots_for_people_to_look_at(site: Site, desktop: Watched, phone: Watched,
                                           screenshots: Path) -> None:
    """Not a check of the pictures: it saves them (test-artifacts/screenshots/) and checks they exist."""
    shots = {
        "home-desktop.png": (desktop, "/", False),
        "story-desktop.png": (desktop, STORY_PATH, False),
        "story-phone.png": (phone, STORY_PATH, False),
        "story-dark-desktop.png": (desktop, STORY_PATH, True),
    }
    for name, (watched, path, dark) in shots.items():
        page = visit(watched, site.url(path))
        if dark:
            _go_dark(page)
        page.screenshot(path=screenshots / name, full_page=True, scale="css")
        assert (screenshots / name).stat().st_size > 10_000, name


def test_axe_passes_material_footer_credit_line(site: Site, desktop: Watched, axe_source: str) -> None:
    """Stock Material prints 'Made with Material for MkDocs' at 4.47:1; we hide it (`generator: false`),
    but whoever turns it on must still get readable text, so the line is added here as Material writes it."""
    page = visit(desktop, site.url("/"))
    page.locator(".md-copyright").evaluate(
        """c => c.insertAdjacentHTML('beforeend', ' Made with <a href="https://squidfunk.github.io/mkdocs-material/"'
             + ' target="_blank" rel="noopener">Material for MkDocs</a>')""")
    assert "Made with" in page.locator(".md-copyright").inner_text()
    assert axe_violations(page, axe_source) == []
