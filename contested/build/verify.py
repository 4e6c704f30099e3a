"""Verify the built site before it is published: defence in depth against script injection.

Editors' text is escaped long before this point; this stage assumes that failed somewhere (a new
template, a theme update, a bug of ours) and refuses to publish a site in which any page carries
active content that neither our templates nor the theme put there: a script, an event-handler
attribute, a `javascript:`/`data:`/`vbscript:` URL, an embedded frame or object, a `<base>`, a form,
or a meta refresh. The search index holds HTML that the theme's search renders, so its entries are
checked the same way. What counts as active, and what the theme may put there, is
active_content.py's; this stage walks the site, on every core, and refuses to publish.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from contested.build.active_content import Finding, ThemeAllowList, scan_html
from contested.build.engine import html_files
from contested.build.errors import PublishError
from contested.build.parallel import chunked, run_chunks, workers_for

__all__ = ["SEARCH_INDEX", "ThemeAllowList", "UnsafeOutputError", "scan_html", "verify_pages", "verify_site"]

SEARCH_INDEX = "search/search_index.json"  # the theme's search plugin's, when configured


class UnsafeOutputError(PublishError):
    """The built site contains active content the templates and theme did not put there."""


def verify_site(site_dir: Path, allow: ThemeAllowList, workers: int = 1) -> int:
    """Check every HTML page and the search index; return pages checked. Raises UnsafeOutputError.
    With workers > 1 the pages are checked in that many forked processes."""
    pages = html_files(site_dir)
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
