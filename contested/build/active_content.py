"""Active content in one HTML document: what the verify stage (verify.py) looks for in each page.

Active content is a script, an event-handler attribute, a `javascript:`/`data:`/`vbscript:` URL,
an embedded frame or object, a `<base>`, a form, or a meta refresh. What the theme may put there
is derived from its own template files, not hard-coded: an inline script is allowed only if it
matches one of the theme's inline scripts, with each `{{ … }}` in it filled by site-wide
configuration (a value free of quotes, angle brackets and backslashes).

A document is read in one of two ways, with the same checks:
- the quick proof (`quick_proof`), for pages of the plain shape our templates and the theme
  write: every `<` opens a start tag whose attributes are all `name="value"` (no `<` in a value),
  an end tag, a comment without `<`, or the doctype. On such a page every parser, Python's and a
  browser's, sees the same tags with the same attributes, so regular expressions over the whole
  page find every attribute and element worth checking. A page it cannot prove safe, or in which
  it finds anything, goes to
- the full parse (`full_scan`, Python's HTMLParser), which reports each finding with its line.
The proof only decides faster: it never passes a page the full parse would refuse (see
tests/security/test_quick_proof.py), and it saves most of the verify stage's time on a cold build.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

_FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background",
              "ping", "cite"}
_BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
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
        return _allows_inline(self, body)


@functools.lru_cache(maxsize=64)
def _allows_inline(allow: ThemeAllowList, body: str) -> bool:
    # Every page repeats the same few theme scripts: each is matched once per process.
    return any(p.fullmatch(body.strip()) for p in allow.inline_scripts)


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


def scan_html(html: str, page: str, site_dir: Path, allow: ThemeAllowList) -> list[Finding]:
    """Every active element or attribute in one HTML document that the allow-list does not cover."""
    return [] if quick_proof(html, page, site_dir, allow) else full_scan(html, page, site_dir, allow)


def full_scan(html: str, page: str, site_dir: Path, allow: ThemeAllowList) -> list[Finding]:
    """The findings of the full parse, each with its line."""
    scanner = _Scanner(_Checks(page, site_dir, allow))
    scanner.feed(html)
    scanner.close()
    return scanner.checks.findings


class _Checks:
    """The checks, whoever read the tags; each finding is recorded with the line given."""

    def __init__(self, page: str, site_dir: Path, allow: ThemeAllowList):
        self.page, self.site_dir, self.allow = page, site_dir, allow
        self.findings: list[Finding] = []

    def found(self, what: str, line: int) -> None:
        self.findings.append(Finding(self.page, line, what))

    def start_tag(self, tag: str, values: dict[str, str], line: int) -> None:
        """A start tag's attributes and, but for a script (see `script`), the element itself."""
        for name, value in values.items():
            self.attribute(tag, name, value, line)
        if tag in _FORBIDDEN_TAGS:
            self.found(f"<{tag}> element", line)
        elif tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            if not self._is_redirect_within_site(values.get("content", "")):
                self.found("<meta http-equiv=refresh>", line)
        elif tag == "form":
            classes = values.get("class", "")
            if "action" in values or "method" in values or classes not in self.allow.form_classes:
                self.found(f"<form> the theme does not make (class={classes!r})", line)

    def attribute(self, tag: str, name: str, value: str, line: int) -> None:
        if name.startswith("on"):
            self.found(f"event-handler attribute {name}= on <{tag}>", line)
        elif name in _URL_ATTRS and _bad_scheme(value):
            self.found(f"{_bad_scheme(value)} URL in {name}= on <{tag}>", line)
        elif name in ("srcset", "imagesrcset"):
            for candidate in value.split(","):
                scheme = _bad_scheme(candidate.strip().split(" ")[0])
                if scheme:
                    self.found(f"{scheme} URL in {name}= on <{tag}>", line)

    def script(self, attrs: dict[str, str], body: str, line: int) -> None:
        kind = attrs.get("type", "").strip().lower()
        if "src" in attrs:
            if body.strip() or not self._is_theme_asset(attrs["src"]):
                self.found(f"<script src={attrs['src']!r}> outside the theme's assets", line)
        elif kind in _DATA_SCRIPT_TYPES:
            if kind == "application/json" and attrs.get("id") != "__config":
                self.found("<script type=application/json> other than the theme's configuration", line)
            elif not _is_json(body):
                self.found(f"<script type={kind}> whose content is not JSON", line)
        elif not self.allow.allows_inline(body):
            self.found(f"inline <script> not in the theme's templates: {body.strip()[:60]!r}", line)

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


# --- the full parse --------------------------------------------------------------------------------

@dataclass
class _OpenScript:
    line: int
    attrs: dict[str, str]
    body: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self, checks: _Checks):
        super().__init__(convert_charrefs=True)
        self.checks = checks
        self.script: _OpenScript | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.checks.start_tag(tag, values, self.getpos()[0])
        if tag == "script":
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
            self.checks.script(self.script.attrs, "".join(self.script.body), self.script.line)
            self.script = None

    def close(self) -> None:
        super().close()
        if self.script is not None:  # an unclosed <script> runs to the end of the document
            self.checks.script(self.script.attrs, "".join(self.script.body), self.script.line)
            self.script = None


# --- the quick proof -------------------------------------------------------------------------------
# HTML's own whitespace, not Python's `\s` (which takes in characters no HTML parser splits on).
_WS = r"[ \t\n\r\f]"
_ATTR_NAME = r"[a-zA-Z_:][-a-zA-Z0-9_:.]*"
# An attribute: name="value", or a name alone. Never an event handler (on…) or a srcset (a list
# of URLs): a page with one is not plain.
_ATTR = rf'(?!on|(?:image)?srcset(?![-a-zA-Z0-9_:.])){_ATTR_NAME}(?:="[^"<]*")?'
_ATTRS = rf"(?:{_WS}+{_ATTR})*{_WS}*"
_PLAIN_TAG = rf"(?!(?:{'|'.join(sorted(_FORBIDDEN_TAGS))}|script)(?![-a-zA-Z0-9]))[a-zA-Z][-a-zA-Z0-9]*"
_TOKEN = (rf"<{_PLAIN_TAG}{_ATTRS}/?>"  # a start tag
          r"|</[a-zA-Z][-a-zA-Z0-9]*" + _WS + r"*>"  # an end tag
          r"|<!--(?:[^<-]|-(?!->))*-->"  # a comment, holding no `<`
          r"|<!doctype html>")
_PLAIN_PAGE = re.compile(rf"[^<]*(?:(?:{_TOKEN})[^<]*)*", re.I)
# A script: plain start tag, then a body in which nothing can end or escape it early (no `</`,
# no `<!`), then its end tag. Browsers and Python's parser end such a script at the same place.
_SCRIPT_START = re.compile(r"<script(?![-a-zA-Z0-9])", re.I)
_SCRIPT = re.compile(rf"<script({_ATTRS})>([^<]*(?:<(?![/!])[^<]*)*)</script>", re.I)
_ATTR_PAIR = re.compile(rf'(?<={_WS})({_ATTR_NAME})(?:="([^"<]*)")?', re.I)
_META_OR_FORM = re.compile(rf"<(meta|form)({_ATTRS})/?>", re.I)
# Where a value that could start with a scheme begins (it holds a `:`, or a `&` that may spell
# one); only `="` is consumed, so no match can swallow the next attribute.
_VALUE_WITH_COLON = re.compile(r'="(?=[^"<:&]*[:&])')
_NAME_BEFORE = re.compile(rf"{_WS}({_ATTR_NAME})\Z")  # the longest URL attribute name is 10 characters
_NOTHING = "<!---->"  # what an extracted script leaves: a token that cannot join its neighbours


def quick_proof(html: str, page: str, site_dir: Path, allow: ThemeAllowList) -> bool:
    """True if `html` has the plain shape and every check passes on it; False means "not proven"
    (the full parse decides), never "unsafe"."""
    checks = _Checks(page, site_dir, allow)
    rest, pos = [], 0
    for start in _SCRIPT_START.finditer(html):
        if start.start() < pos:  # inside the body of the script just read
            continue
        script = _SCRIPT.match(html, start.start())
        if script is None:
            return False
        attrs = _attributes(script.group(1))
        checks.start_tag("script", attrs, 0)
        checks.script(attrs, script.group(2), 0)  # raw text, as the full parse gives it
        rest += [html[pos:start.start()], _NOTHING]
        pos = script.end()
    plain = "".join(rest) + html[pos:]
    if checks.findings or _PLAIN_PAGE.fullmatch(plain) is None:
        return False
    # Every `<` now opens a token, and no value holds one: these patterns can match text too
    # (more checks, never fewer), but cannot miss or swallow an attribute of a tag.
    for at in _VALUE_WITH_COLON.finditer(plain):
        name = _NAME_BEFORE.search(plain, max(0, at.start() - 12), at.start())
        if name is not None and name.group(1).lower() in _URL_ATTRS:
            end = plain.find('"', at.end())
            if end < 0:
                return False
            checks.attribute("", name.group(1).lower(), _value(plain[at.end():end]), 0)
    for tag in _META_OR_FORM.finditer(plain):
        checks.start_tag(tag.group(1).lower(), _attributes(tag.group(2)), 0)
    return not checks.findings


def _attributes(text: str) -> dict[str, str]:
    """The attributes of a plain tag, as the full parse gives them (names lowercased, values unescaped)."""
    return {name.lower(): _value(value or "") for name, value in _ATTR_PAIR.findall(text)}


def _value(text: str) -> str:
    return unescape(text) if "&" in text else text


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
