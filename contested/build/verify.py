"""Verify the built site before it is published: defence in depth against script injection.

Editors' text is escaped long before this point; this stage assumes that failed somewhere (a new
template, a theme update, a bug of ours) and refuses to publish a site in which any page carries
active content that neither our templates nor the theme put there: a script, an event-handler
attribute, a `javascript:`/`data:`/`vbscript:` URL, an embedded frame or object, a `<base>`, a form,
or a meta refresh. The search index holds HTML that the theme's search renders, so its entries are
checked the same way.

What the theme may put there is derived from its own template files, not hard-coded: an inline
script is allowed only if it matches one of the theme's inline scripts, with each `{{ … }}` in it
filled by site-wide configuration (a value free of quotes, angle brackets and backslashes).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from contested.build.errors import PublishError
from contested.build.parallel import chunked, run_chunks, workers_for

_FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background",
              "ping", "cite"}
_BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
SEARCH_INDEX = "search/search_index.json"  # the theme's search plugin's, when configured
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# Browsers ignore ASCII whitespace and control characters in a URL's scheme: "java\tscript:" runs.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_TEMPLATE_EXPR = re.compile(r"{{(.*?)}}", re.S)
_TEMPLATE_FORM_CLASS = re.compile(r"<form\b[^>]*\bclass=\"([^\"{}]+)\"")
# Only expressions over site-wide configuration may fill a slot; page data never may.
_CONFIG_EXPR = re.compile(r"^\s*(config\.[\w.]+|base_url)(\s*\|\s*d\((base_url|config\.[\w.]+)\))?\s*$")
_SLOT = r"[^\"'<>\\\s]*"
_OUR_REDIRECT = re.compile(r"0; url=(?P<path>(?:\.\./)+[a-z0-9-]+/)")  # as render.render_redirect writes it


class UnsafeOutputError(PublishError):
    """The built site contains active content the templates and theme did not put there."""


@dataclass(frozen=True)
class Finding:
    page: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.what}"


@dataclass(frozen=True)
class ThemeAllowList:
    """What the theme's own templates put in pages: inline scripts (as patterns) and form classes."""

    inline_scripts: tuple[re.Pattern[str], ...]
    form_classes: frozenset[str]

    @classmethod
    def from_template_dirs(cls, dirs: list[Path]) -> ThemeAllowList:
        scripts: list[re.Pattern[str]] = []
        forms: set[str] = set()
        for directory in dirs:
            for path in sorted(directory.rglob("*.html")) if directory.is_dir() else []:
                source = path.read_text(encoding="utf-8", errors="replace")
                scripts.extend(p for body in _TEMPLATE_SCRIPT.findall(source)
                               if (p := _script_pattern(body)) is not None)
                forms.update(_TEMPLATE_FORM_CLASS.findall(source))
        return cls(tuple(scripts), frozenset(forms))

    def allows_inline(self, body: str) -> bool:
        return any(p.fullmatch(body.strip()) for p in self.inline_scripts)


def _script_pattern(body: str) -> re.Pattern[str] | None:
    """A template's inline script as a pattern; None if it interpolates anything but configuration."""
    if "{%" in body:
        return None
    parts, pos = [], 0
    for match in _TEMPLATE_EXPR.finditer(body):
        if not _CONFIG_EXPR.match(match.group(1)):
            return None
        parts += [re.escape(body[pos:match.start()]), _SLOT]
        pos = match.end()
    parts.append(re.escape(body[pos:]))
    return re.compile("".join(parts).strip(), re.S)


def verify_site(site_dir: Path, allow: ThemeAllowList, workers: int = 1) -> int:
    """Check every HTML page and the search index; return pages checked. Raises UnsafeOutputError.
    With workers > 1 the pages are checked in that many forked processes."""
    pages = sorted(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*.html"))
    entries, findings = _search_entries(site_dir)
    return _verify(site_dir, pages, entries, allow, workers, findings)


def verify_pages(site_dir: Path, pages: Sequence[str], entries: Sequence[dict[str, Any]],
                 allow: ThemeAllowList, workers: int = 1) -> int:
    """Check only these pages (relative paths) and search index entries: what an update made anew,
    the rest having been checked when it was published. Raises UnsafeOutputError."""
    return _verify(site_dir, list(pages), list(entries), allow, workers, [])


def _verify(site_dir: Path, pages: list[str], entries: list[dict[str, Any]], allow: ThemeAllowList,
            workers: int, findings: list[Finding]) -> int:
    # Only entries with a "<" can hold an element or attribute: text alone is never active.
    tagged = [entry for entry in entries if any("<" in str(entry.get(k, "")) for k in ("title", "text"))]
    work: list[tuple[str, Any]] = [("page", p) for p in pages] + [("entry", e) for e in tagged]
    n = workers_for(len(work)) if workers > 1 else 1
    chunks = chunked(work, n)

    def check(chunk: Sequence[tuple[str, Any]]) -> list[Finding]:
        out: list[Finding] = []
        for kind, item in chunk:
            if kind == "page":
                out += scan_html((site_dir / item).read_text(encoding="utf-8", errors="replace"), item,
                                 site_dir, allow)
            else:
                out += _scan_entry(item, site_dir, allow)
        return out
    for found in run_chunks(chunks, check, n):
        findings += found
    if findings:
        shown = "\n".join(f"  {f}" for f in findings[:20])
        more = f"\n  … and {len(findings) - 20} more" if len(findings) > 20 else ""
        raise UnsafeOutputError(
            f"{len(findings)} unsafe element(s) in the built pages, not published:\n{shown}{more}")
    return len(pages)


def _search_entries(site_dir: Path) -> tuple[list[dict[str, Any]], list[Finding]]:
    index = site_dir / SEARCH_INDEX
    if not index.is_file():
        return [], []
    try:
        docs = json.loads(index.read_text(encoding="utf-8")).get("docs", [])
    except (ValueError, AttributeError):
        return [], [Finding(SEARCH_INDEX, 1, "the search index is not valid JSON")]
    return [doc if isinstance(doc, dict) else {"text": str(doc)} for doc in docs], []


def _scan_entry(doc: dict[str, Any], site_dir: Path, allow: ThemeAllowList) -> list[Finding]:
    findings = []
    for key in ("title", "text"):
        where = f"{SEARCH_INDEX} (entry {doc.get('location', '?')!r}, {key})"
        findings += scan_html(str(doc.get(key, "")), where, site_dir, allow)
    return findings


def scan_html(html: str, page: str, site_dir: Path, allow: ThemeAllowList) -> list[Finding]:
    """Every active element or attribute in one HTML document that the allow-list does not cover."""
    scanner = _Scanner(page, site_dir, allow)
    scanner.feed(html)
    scanner.close()
    return scanner.findings


@dataclass
class _OpenScript:
    line: int
    attrs: dict[str, str]
    body: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self, page: str, site_dir: Path, allow: ThemeAllowList):
        super().__init__(convert_charrefs=True)
        self.page, self.site_dir, self.allow = page, site_dir, allow
        self.findings: list[Finding] = []
        self.script: _OpenScript | None = None

    def _found(self, what: str, line: int | None = None) -> None:
        self.findings.append(Finding(self.page, line or self.getpos()[0], what))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            self._check_attribute(tag, name, value)
        if tag in _FORBIDDEN_TAGS:
            self._found(f"<{tag}> element")
        elif tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            if not self._is_redirect_within_site(values.get("content", "")):
                self._found("<meta http-equiv=refresh>")
        elif tag == "form":
            self._check_form(values)
        elif tag == "script":
            self.script = _OpenScript(self.getpos()[0], values)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self._check_script(self.script)
            self.script = None

    def close(self) -> None:
        super().close()
        if self.script is not None:  # an unclosed <script> runs to the end of the document
            self._check_script(self.script)
            self.script = None

    def _check_attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self._found(f"event-handler attribute {name}= on <{tag}>")
        elif name in _URL_ATTRS and _bad_scheme(value):
            self._found(f"{_bad_scheme(value)} URL in {name}= on <{tag}>")
        elif name in ("srcset", "imagesrcset"):
            for candidate in value.split(","):
                scheme = _bad_scheme(candidate.strip().split(" ")[0])
                if scheme:
                    self._found(f"{scheme} URL in {name}= on <{tag}>")

    def _check_form(self, values: dict[str, str]) -> None:
        classes = values.get("class", "")
        if "action" in values or "method" in values or classes not in self.allow.form_classes:
            self._found(f"<form> the theme does not make (class={classes!r})")

    def _check_script(self, script: _OpenScript) -> None:
        body = "".join(script.body)
        kind = script.attrs.get("type", "").strip().lower()
        if "src" in script.attrs:
            if body.strip() or not self._is_theme_asset(script.attrs["src"]):
                self._found(f"<script src={script.attrs['src']!r}> outside the theme's assets", script.line)
        elif kind in _DATA_SCRIPT_TYPES:
            if kind == "application/json" and script.attrs.get("id") != "__config":
                self._found("<script type=application/json> other than the theme's configuration",
                            script.line)
            elif not _is_json(body):
                self._found(f"<script type={kind}> whose content is not JSON", script.line)
        elif not self.allow.allows_inline(body):
            self._found(f"inline <script> not in the theme's templates: {body.strip()[:60]!r}", script.line)

    def _is_redirect_within_site(self, content: str) -> bool:
        """A story's old address (render.render_redirect): at once, by a relative URL, to a page
        this site has. Anything else (a delay, another site, a missing page) is not ours."""
        match = _OUR_REDIRECT.fullmatch(content)
        if not match or self.page.endswith(".json"):
            return False
        page_dir = posixpath.dirname(self.page.split(" ")[0])
        target = posixpath.normpath(posixpath.join(page_dir, match["path"]))
        return not target.startswith("..") and (self.site_dir / target / "index.html").is_file()

    def _is_theme_asset(self, src: str) -> bool:
        """A relative or root-relative URL to a file that exists under assets/javascripts/."""
        try:
            parts = urlsplit(src)
        except ValueError:
            return False
        if parts.scheme or parts.netloc or not parts.path:
            return False
        if parts.path.startswith("/"):
            at = parts.path.find("/assets/javascripts/")
            rel = parts.path[at + 1:] if at >= 0 else ""
        else:
            page_dir = posixpath.dirname(self.page.split(" ")[0])
            rel = posixpath.normpath(posixpath.join(page_dir, parts.path))
        return rel.startswith("assets/javascripts/") and (self.site_dir / rel).is_file()


def _bad_scheme(url: str) -> str:
    """The dangerous scheme a URL starts with, as a browser would read it; '' if none."""
    cleaned = _IGNORED_IN_SCHEME.sub("", url).lower()
    return next((s.rstrip(":") for s in _BAD_SCHEMES if cleaned.startswith(s)), "")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
