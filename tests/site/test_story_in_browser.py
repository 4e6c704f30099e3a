"""The story page in headless Chromium at desktop and phone widths.

Screenshots go to test-artifacts/ (gitignored) for a person to look at; the assertions catch what a
screenshot review would: sideways scrolling on a phone, requests to other hosts, missing sections.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright import sync_api as playwright_api  # a pinned dependency: never skipped
from support import CHROMIUM, CHROMIUM_ARGS, REPO, require_chromium, serve_folder
from support.site import BuiltSite

ARTIFACTS = REPO / "test-artifacts"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PAGE = "stories/alibaba-pla-memo/"


@pytest.fixture(scope="module")
def site_url(bundled_site: BuiltSite) -> Iterator[str]:
    with serve_folder(bundled_site.site) as url:
        yield url + "/"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_story_page_renders_without_overflow_or_third_party_requests(browser, site_url: str,
                                                                      viewport: str) -> None:
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    try:
        page.goto(site_url + PAGE, wait_until="networkidle")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"story-{viewport}.png"), full_page=True)
        page.screenshot(path=str(ARTIFACTS / f"story-{viewport}-top.png"))
        width = VIEWPORTS[viewport]["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for section in ("whats-alleged", "whats-denied", "whats-unconfirmed", "timeline", "sources"):
            assert page.locator(f"#{section}").is_visible()
        # the stance table may scroll inside its own box, never the page
        wrap = page.locator(".ct-table-wrap")
        assert wrap.evaluate("el => el.getBoundingClientRect().right") <= width
    finally:
        page.close()
    assert hosts == {"127.0.0.1"}, hosts
