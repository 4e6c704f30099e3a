"""The story page in headless Chromium at desktop and phone widths.

Screenshots go to test-artifacts/ (gitignored) for a person to look at; the assertions catch what a
screenshot review would: sideways scrolling on a phone, requests to other hosts, missing sections.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from site_support import REPO, BuiltSite

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PAGE = "stories/alibaba-pla-memo/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def site_url(bundled_site: BuiltSite) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(bundled_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
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
