#!/usr/bin/env python3
"""Measure what search costs a reader, in Chromium: bytes and time, on a desktop and on a phone.

For a built site (`site/` of a project), on each profile in a fresh browser profile (empty cache):
1. the home page is opened and every byte it fetches is counted until the network is idle
   (the first page view: the search index is not fetched until the reader opens the search);
2. the reader presses `/` (desktop) or taps the search button (phone) and types the query one key
   at a time; the time from the last key press to the first result shown for the whole query is
   taken in the page (performance.now() of the last keydown and of the render), and the bytes
   fetched meanwhile are counted.

The phone profile is an emulated phone: 390×844 touch screen, 4× CPU slowdown, 9 Mbit/s both
ways and 60 ms latency (Chromium's DevTools emulation). Bytes are what the wire carries
(headers included), as a plain static server sends them (no compression added).

    python bench/search.py /tmp/archive/site --query inspection [--json]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

CHROMIUM = Path(os.environ.get("CONTESTED_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE_NETWORK = {"offline": False, "latency": 60, "downloadThroughput": 9e6 / 8,
                 "uploadThroughput": 9e6 / 8}
PHONE_CPU_SLOWDOWN = 4
KEY_DELAY_MS = 100  # between key presses, a quick typist
TARGETS = {"desktop": 1.5, "phone": 3.0}  # seconds from the last key press to the first result
FIRST_VIEW_LIMIT = 1_000_000  # bytes


@dataclass
class SearchRun:
    profile: str
    first_view_bytes: int
    first_view_requests: int
    search_bytes: int
    search_requests: int
    first_result_s: float
    results: int

    def meets_targets(self) -> bool:
        return self.first_view_bytes < FIRST_VIEW_LIMIT and self.first_result_s <= TARGETS[self.profile]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _Counter:
    """Bytes and requests on the wire, from DevTools' Network events."""

    def __init__(self, cdp: object) -> None:
        self.bytes = 0
        self.requests = 0
        cdp.on("Network.loadingFinished", self._finished)  # type: ignore[attr-defined]

    def _finished(self, event: dict) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))
        self.requests += 1

    def take(self) -> tuple[int, int]:
        taken = (self.bytes, self.requests)
        self.bytes = self.requests = 0
        return taken


def measure_search(site: Path, query: str, profiles: tuple[str, ...] = ("desktop", "phone"),
                   timeout_s: float = 60) -> list[SearchRun]:
    """One SearchRun per profile for the built site in `site` (see the module's text)."""
    from playwright.sync_api import sync_playwright

    runs = []
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for profile in profiles:
                runs.append(_measure_one(browser, url, query, profile, timeout_s))
        finally:
            browser.close()
    return runs


def _measure_one(browser: object, url: str, query: str, profile: str, timeout_s: float) -> SearchRun:
    phone = profile == "phone"
    options = ({"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
                "device_scale_factor": 2} if phone else {"viewport": {"width": 1280, "height": 800}})
    context = browser.new_context(**options)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        if phone:
            cdp.send("Network.emulateNetworkConditions", PHONE_NETWORK)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_SLOWDOWN})
        counter = _Counter(cdp)
        page.add_init_script("document.addEventListener('keydown', () => "
                             "{ window.__lastKey = performance.now(); }, true);")
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        first_bytes, first_requests = counter.take()
        if phone:
            page.locator("label.md-header__button[for=__search]").tap()
        else:
            page.keyboard.press("/")
        page.locator("input.md-search__input").wait_for(state="visible")
        page.keyboard.type(query, delay=KEY_DELAY_MS)
        page.wait_for_function(
            "(q) => document.querySelector('[data-ct-search]').dataset.ctFirst === q", arg=query,
            timeout=timeout_s * 1000)
        shown_at, last_key = page.evaluate(
            "() => [Number(document.querySelector('[data-ct-search]').dataset.ctFirstAt), window.__lastKey]")
        page.wait_for_function(
            "(q) => document.querySelector('[data-ct-search]').dataset.ctShown === q", arg=query,
            timeout=timeout_s * 1000)
        page.wait_for_load_state("networkidle")
        results = page.locator(".md-search-result__item").count()
        search_bytes, search_requests = counter.take()
        return SearchRun(profile, first_bytes, first_requests, search_bytes, search_requests,
                         round((shown_at - last_key) / 1000, 3), results)
    finally:
        context.close()


def table(runs: list[SearchRun]) -> str:
    lines = ["| profile | first view KB (requests) | search KB (requests) | last key → first result "
             "| results |",
             "| --- | --- | --- | --- | --- |"]
    for r in runs:
        lines.append(f"| {r.profile} | {r.first_view_bytes / 1000:.0f} ({r.first_view_requests}) "
                     f"| {r.search_bytes / 1000:.0f} ({r.search_requests}) | {r.first_result_s:.2f} s "
                     f"| {r.results} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site folder (a project's site/)")
    parser.add_argument("--query", default="inspection", help="the word typed (default: inspection)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    if not (args.site / "pagefind" / "shards.json").is_file():
        print(f"{args.site}: no pagefind/shards.json; is it a built site?", file=sys.stderr)
        return 2
    started = time.perf_counter()
    runs = measure_search(args.site, args.query)
    if args.json:
        print(json.dumps([asdict(r) | {"meets_targets": r.meets_targets()} for r in runs]))
    else:
        print(table(runs))
        for r in runs:
            print(f"{r.profile}: {'PASS' if r.meets_targets() else 'FAIL'} (first view under "
                  f"{FIRST_VIEW_LIMIT // 1000} KB, first result within {TARGETS[r.profile]} s)")
        print(f"measured in {time.perf_counter() - started:.0f} s")
    return 0 if all(r.results > 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
