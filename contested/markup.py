"""Editors' inline Markdown to safe HTML: raw HTML off, links limited to http, https and mailto."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "backticks", "link", "escape", "entity", "newline"])
    # Anything that is not an allowed link stays visible as the text the editor wrote.
    md.validateLink = lambda url: url.strip().lower().startswith(_SAFE_SCHEMES)
    return md


_MD = _make_parser()


def inline_html(text: str) -> Markup:
    """One line of HTML; newlines become spaces so the result can never end a Markdown HTML block."""
    html = _MD.renderInline(text).replace("<br />", " ").replace("\n", " ").strip()
    return Markup(html.replace('<a href="', '<a rel="nofollow noopener" href="'))


def plain_text(text: str) -> str:
    """The text a reader sees, without Markdown syntax (for titles, metadata and JSON)."""
    parts: list[str] = []
    for token in _MD.parseInline(text):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return " ".join("".join(parts).split())
