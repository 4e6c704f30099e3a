"""Editors' inline Markdown to safe HTML: raw HTML off, links limited to http, https and mailto."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache, partial

from markdown_it import MarkdownIt
from markupsafe import Markup

_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _is_safe_link(url: str) -> bool:
    return url.strip().lower().startswith(_SAFE_SCHEMES)


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "backticks", "link", "escape", "entity", "newline"])
    # Anything that is not an allowed link stays visible as the text the editor wrote. Replacing
    # the method is markdown-it-py's documented way to do that.
    md.validateLink = _is_safe_link  # type: ignore[method-assign]
    return md


_MD = _make_parser()


# Text without any character an enabled Markdown rule (emphasis, code, links, escapes, entities,
# line breaks) or the parser's normalisation acts on: most of an archive's text. For it the parser's
# result is known (the text, HTML-escaped), and skipping the parser makes a large build ~3x faster.
# tests/unit/pages/test_markup.py checks the shortcut against the parser.
_PLAIN = re.compile(r'[^\\*_`\[\]&<>!\n\r\x00]*')


# `Markup(text)` for text already known to be safe HTML, without Markup's Python-level __new__: a
# build makes tens of thousands of these, and the build cache rebuilds as many when it loads. The one
# such shortcut; tests/unit/pages/test_markup.py checks it against Markup.
trusted_markup: Callable[[str], Markup] = partial(str.__new__, Markup)


@lru_cache(maxsize=65536)  # the same descriptions and labels recur on many pages
def inline_html(text: str) -> Markup:
    """One line of HTML; newlines become spaces so the result can never end a Markdown HTML block."""
    if _PLAIN.fullmatch(text):
        # `escapeHtml(text)`: of the characters it escapes, _PLAIN leaves only the double quote.
        return trusted_markup(text.replace('"', "&quot;").strip())
    return parse_inline_html(text)


def parse_inline_html(text: str) -> Markup:
    """`inline_html` always through the parser."""
    html = _MD.renderInline(text).replace("<br />", " ").replace("\n", " ").strip()
    return Markup(html.replace('<a href="', '<a rel="nofollow noopener" href="'))


@lru_cache(maxsize=65536)
def one_line(text: str) -> str:
    """A plain-text field (a name, a title, a quote) as one line: no Markdown is read in it."""
    return " ".join(text.split())


@lru_cache(maxsize=65536)  # a source's title is cited many times per story, in pages and exports
def markdown_to_text(text: str) -> str:
    """The text a reader sees, without Markdown syntax (for titles, metadata and JSON)."""
    if _PLAIN.fullmatch(text):
        return " ".join(text.split())
    return parse_markdown_to_text(text)


def parse_markdown_to_text(text: str) -> str:
    """`markdown_to_text` always through the parser."""
    parts: list[str] = []
    for token in _MD.parseInline(text):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return " ".join("".join(parts).split())


# Characters that could end a <script> element, open an HTML comment or, in older JavaScript
# parsers, end a line inside a string. JSON allows each as a \u escape, so the data is unchanged.
_SCRIPT_UNSAFE = re.compile("[<>&'\u2028\u2029\ud800-\udfff]")


def json_for_script(obj: object) -> Markup:
    """`obj` as JSON that is safe inside `<script type="application/ld+json">…</script>`.

    No value can break out: `</script>`, `<!--` and U+2028/2029 are written as `\\u003c…`
    escapes, which any JSON reader turns back into the original text.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    # The common characters by plain replacement (much faster than a callback per match); the
    # regular expression then only has to find the rare ones.
    text = (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("'", "\\u0027"))
    if _has_rare_unsafe(text):
        text = _SCRIPT_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return Markup(text)


def _has_rare_unsafe(text: str) -> bool:
    """U+2028, U+2029 or a lone surrogate in `text`: tested without the regular expression, which
    takes ~30 µs to scan a story's JSON-LD, against well under 1 µs for these tests."""
    if text.isascii():
        return False
    if "\u2028" in text or "\u2029" in text:
        return True
    try:
        text.encode("utf-8")  # strict UTF-8 fails exactly on surrogates
    except UnicodeEncodeError:
        return True
    return False
