"""The checks the browser tests make, as functions that return problems (an empty list: none).

They run against the real site and against a deliberately broken page: the same function must
find nothing on the first and something on the second, so each check is known to catch its fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Request, Route

MIN_TABLE_FONT_PX = 12.0
STORY = "alibaba-pla-memo"
STORY_PATH = f"/stories/{STORY}/"
BROKEN_PATH = "/test-broken/"  # the broken fixture page, served beside the real site
PRINT_FIXTURE_PATH = "/stories/print-check/"
# One page of every kind the site has; the first four are the ones the issue names.
PAGES = {
    "home": "/",
    "story": STORY_PATH,
    "actor": "/actors/alibaba/",
    "labels": "/how-we-label-claims/",
    "about": "/about/",
    "actors-index": "/actors/",
    "stories-index": "/stories/",
    "tags-index": "/tags/",
    "tag": "/tags/alibaba/",
}


@dataclass
class Site:
    """The built project copy and the address it is served at."""
    root: Path
    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path


@dataclass
class Watched:
    """A page and what it did: third-party requests (aborted), failed requests, console errors."""
    page: Page
    requested: list[str] = field(default_factory=list)  # every request the page tried to make
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"left 127.0.0.1: {u}" for u in self.external] + [f"failed: {u}" for u in self.failed]
                + [f"console: {m}" for m in self.console_errors])


def open_context(browser: Browser, viewport: dict[str, int], **options: object) -> BrowserContext:
    """A fresh profile (nothing stored), light colour scheme unless options say otherwise."""
    return browser.new_context(**{"viewport": viewport, "color_scheme": "light", **options})


def watch(context: BrowserContext) -> Watched:
    """A new page in `context` whose every request is guarded and every failure recorded."""
    page = context.new_page()
    watched = Watched(page)
    context.route("**/*", lambda route, request: _guard(watched, route, request))
    page.on("console", lambda m: watched.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: None if r.url in watched.external
            else watched.failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: watched.failed.append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400 else None)
    return watched


def _guard(watched: Watched, route: Route, request: Request) -> None:
    """Only 127.0.0.1 is reachable: anything else is recorded and never sent."""
    watched.requested.append(request.url)
    if urlsplit(request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        watched.external.append(request.url)
        route.abort("blockedbyclient")


def visit(watched: Watched, url: str) -> Page:
    """Load `url` and wait until the page has stopped fetching (search index, worker, icons)."""
    watched.page.goto(url, wait_until="load")
    watched.page.wait_for_load_state("networkidle")
    return watched.page


def axe_violations(page: Page, axe_source: str) -> list[str]:
    """axe-core's violations for the page as it is now, every rule axe enables by default."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .map(v => `${v.id}: ${v.help} @ ${v.nodes.map(n => n.target.join(' ')).join(' | ')}`)""")
    return list(violations)


def sideways_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the screen (0 or less: it fits).

    Measured against the viewport the test set, not `innerWidth` alone: a phone browser zooms out
    to fit a too-wide page, which widens `innerWidth` and would hide the overflow.
    """
    width = page.evaluate("Math.max(document.scrollingElement.scrollWidth, window.innerWidth)")
    return int(width) - page.viewport_size["width"]


def small_table_text(page: Page) -> list[str]:
    """Stance-table cells whose text is smaller than a phone reader can read."""
    return list(page.evaluate(
        """(min) => [...document.querySelectorAll('.ct-stances th, .ct-stances td')]
             .filter(c => c.checkVisibility() && parseFloat(getComputedStyle(c).fontSize) < min)
             .map(c => `${c.textContent.trim()}: ${getComputedStyle(c).fontSize}`)""", MIN_TABLE_FONT_PX))


def unworded_labels(page: Page) -> list[str]:
    """Verification badges and stances that show no word (colour alone would carry the meaning)."""
    return list(page.evaluate(
        """() => [...document.querySelectorAll('.ct-badge, .ct-stance, .ct-status, .ct-stances td')]
             .filter(e => !/[A-Za-z—]/.test(e.innerText || ''))
             .map(e => e.outerHTML.slice(0, 120))"""))


_FACE = """// A visually hidden radio (Material's palette switch) shows itself, and its focus, through the
// label that follows it; any other hidden control through its own label.
const FACE = e => {
  if (getComputedStyle(e).opacity !== '0') return e;
  const next = e.nextElementSibling;
  if (next && next.tagName === 'LABEL') return next;
  return (e.labels && e.labels.length) ? e.labels[0] : e;
};
"""

_MARK_FOCUSABLE = "() => {" + _FACE + """
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const shown = e => e.checkVisibility({visibilityProperty: true})
    && !e.closest('[inert], [hidden], [aria-hidden=true]');
  // Tab stops once in a radio group: on the checked radio, or the first when none is.
  const stop = e => e.type !== 'radio' || e.checked
    || !document.querySelector(`input[type=radio][name="${e.name}"]:checked`)
       && document.querySelector(`input[type=radio][name="${e.name}"]`) === e;
  const all = [...document.querySelectorAll(selector)]
    .filter(e => e.tabIndex >= 0 && !e.disabled && stop(e) && shown(FACE(e)));
  all.forEach((e, i) => { e.dataset.ctFocus = String(i); });
  return all.length;
}"""

_FOCUSED = "() => {" + _FACE + """
  const e = document.activeElement;
  if (!e || e === document.body || e.dataset.ctFocus === undefined) return null;
  const s = getComputedStyle(FACE(e));
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
    && !/rgba\\(.*, 0\\)$|transparent/.test(s.outlineColor);
  const shadow = s.boxShadow !== 'none';
  const name = (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40);
  return {id: e.dataset.ctFocus, visible: outline || shadow, what: `${e.tagName.toLowerCase()} ${name}`};
}"""


def focus_problems(page: Page) -> list[str]:
    """Tab through the page: every interactive element must take focus and show that it has it."""
    expected = int(page.evaluate(_MARK_FOCUSABLE))
    seen: set[str] = set()
    problems: list[str] = []
    for _ in range(expected + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            continue
        if focused["id"] not in seen and not focused["visible"]:
            problems.append(f"no visible focus indicator: {focused['what']}")
        seen.add(focused["id"])
        if len(seen) == expected:
            break
    missed = page.evaluate(
        """(seen) => [...document.querySelectorAll('[data-ct-focus]')]
             .filter(e => !seen.includes(e.dataset.ctFocus))
             .map(e => `${e.tagName.toLowerCase()} ${(e.innerText || '').trim().slice(0, 40)}`)""",
        sorted(seen))
    return problems + [f"never reached by Tab: {m}" for m in missed]


def print_problems(page: Page) -> list[str]:
    """On paper, navigation and search are hidden and every source with a link shows its address."""
    page.emulate_media(media="print")
    try:
        return list(page.evaluate(
            """() => {
              const problems = [];
              for (const sel of ['.md-header', '.md-tabs', '.md-sidebar', '.md-search', '.md-footer']) {
                for (const e of document.querySelectorAll(sel)) {
                  if (e.checkVisibility()) problems.push(`shown on paper: ${sel}`);
                }
              }
              for (const li of document.querySelectorAll('.ct-sources > li')) {
                for (const a of li.querySelectorAll('a[href^="http"]')) {
                  if (!li.innerText.includes(a.href)) problems.push(`address not printed: ${a.href}`);
                }
              }
              return problems;
            }"""))
    finally:
        page.emulate_media(media="screen")
