"""A real browser loads every page of the payload site: no dialog, no script of theirs, no request out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright import sync_api as playwright_api  # a pinned dependency: never skipped
from support import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve_folder

# Replaces the functions payloads call; records the call instead of showing a dialog.
TRAP = """
window.__calls = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const trap = (...args) => { window.__calls.push(name + ":" + args.join(",")); };
  Object.defineProperty(window, name, {value: trap, writable: false, configurable: false});
}
"""


@pytest.fixture(scope="module")
def server(payload_site: Path) -> Iterator[str]:
    with serve_folder(payload_site) as url:
        yield url + "/"


@pytest.fixture(scope="module")
def browser_page(server: str) -> Iterator[tuple[object, dict[str, list[str]]]]:
    require_chromium()
    seen: dict = {"dialogs": [], "outside": [], "skip_search": True}
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.add_init_script(TRAP)

        def route(request_route: object) -> None:
            request = request_route.request
            url = urlsplit(request.url)
            if url.hostname == "127.0.0.1" and seen["skip_search"] and "/pagefind/" in url.path:
                request_route.abort()  # the page walk skips the search index: the search test loads it
            elif url.hostname == "127.0.0.1":
                request_route.continue_()
            else:  # no network at view time: record and refuse anything else
                seen["outside"].append(request.url)
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()

        def on_dialog(dialog: object) -> None:  # a dialog from any realm the trap did not reach
            seen["dialogs"].append(f"{dialog.type}:{dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        yield page, seen
        browser.close()


def test_no_page_calls_alert_confirm_prompt_or_print(payload_site: Path, server: str,
                                                      browser_page: tuple[object, dict]) -> None:
    page, seen = browser_page
    seen["skip_search"] = True
    pages = sorted(p.relative_to(payload_site).as_posix() for p in payload_site.rglob("*.html"))
    assert len(pages) > 100
    calls = {}
    for rel in pages:
        page.goto(server + rel, wait_until="load")
        page.wait_for_timeout(30)  # let autofocus / toggle events and timers fire
        assert page.evaluate("Array.isArray(window.__calls)"), rel  # the trap was installed
        if page.evaluate("window.__calls.length"):
            calls[rel] = page.evaluate("window.__calls")
    assert calls == {}
    assert seen["dialogs"] == []
    assert seen["outside"] == []


def test_search_results_for_payload_words_run_nothing(server: str, browser_page: tuple[object, dict]) -> None:
    """The theme renders search results from the index as HTML: show results full of payloads."""
    page, seen = browser_page
    seen["skip_search"] = False
    page.goto(server, wait_until="networkidle")  # the search worker has loaded the index
    box = page.locator("input.md-search__input")
    for query in ("alleges", "claim", "line", "warning", "before"):
        box.click()
        box.fill("")
        page.keyboard.type(query)
        page.locator(".md-search-result__item").first.wait_for(timeout=20_000)
        page.wait_for_timeout(200)
        assert "alert(1)" in page.locator(".md-search-result").inner_text(), query  # payloads shown
        assert page.evaluate("window.__calls") == [], query
    assert seen["dialogs"] == []
    assert seen["outside"] == []


def test_the_trap_catches_a_real_alert(server: str, browser_page: tuple[object, dict]) -> None:
    """The trap works: a page that does call alert is recorded (so silence above means something)."""
    page, _ = browser_page
    page.goto(server, wait_until="load")
    page.evaluate("alert(1)")
    assert page.evaluate("window.__calls") == ["alert:1"]
