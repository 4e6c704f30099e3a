"""Reporters: the same diagnostics as text for people, JSON for tools, annotations for GitHub."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Collection
from pathlib import Path

from contested.content.load import read_regular_file
from contested.content.yaml_errors import yaml_lines
from contested.diagnostics import Diagnostic
from contested.wording import plural

# Characters a terminal may act on or hide (escape sequences, bidi controls): shown escaped.
_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def _visible(text: str) -> str:
    """`text` with every control or invisible character written as an escape (\\x1b, \\u202e)."""
    if text.isprintable():
        return text
    return "".join(ascii(ch)[1:-1] if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


def format_text(items: list[Diagnostic], root: Path | None = None) -> str:
    """`path:line:col: severity: message [code]`, then the line written and a caret, then the hint."""
    lines = []
    files: dict[str, list[str] | None] = {}  # each file read once, however many problems it has
    for d in items:
        lines.append(f"{_visible(d.file)}:{d.line}:{d.col}: {d.severity}: {_visible(d.message)} [{d.code}]")
        if root and d.file not in files:
            files[d.file] = _file_lines(root / d.file)
        excerpt = _source_line(files[d.file], d.line) if root else None
        if excerpt is not None:
            shown, caret = _window(excerpt, d.col)
            lines.append(f"    {shown}")
            lines.append("    " + " " * caret + "^")
        if d.hint:
            lines.append(f"    hint: {_visible(d.hint)}")
    return "\n".join(lines)


# A line longer than this is shown around the column only: a 240 KB flow list on one line, with a
# problem at each of its items, would otherwise print the whole line for each of them.
EXCERPT_WIDTH = 100


def _window(line: str, col: int) -> tuple[str, int]:
    """The part of `line` shown for a problem at `col`, and the caret's offset in it."""
    if len(line) <= EXCERPT_WIDTH:
        return _printable(line), col - 1
    start = max(0, min(col - 1 - EXCERPT_WIDTH // 2, len(line) - EXCERPT_WIDTH))
    head = "…" if start else ""
    tail = "…" if start + EXCERPT_WIDTH < len(line) else ""
    return head + _printable(line[start:start + EXCERPT_WIDTH]) + tail, col - 1 - start + len(head)


def _printable(text: str) -> str:
    """Invisible characters shown as `?` rather than printed to the terminal."""
    return text if text.isprintable() else "".join(ch if ch.isprintable() else "?" for ch in text)


def format_summary(items: list[Diagnostic], files: int) -> str:
    errors = sum(d.severity == "error" for d in items)
    warnings = len(items) - errors
    return f"checked {files} file(s): {errors} error(s), {warnings} warning(s)"


def format_json(items: list[Diagnostic]) -> str:
    fields = ("file", "line", "col", "severity", "code", "message", "hint", "path")
    return json.dumps([{f: getattr(d, f) for f in fields} for d in items], indent=2, ensure_ascii=False)


def focus_first(items: list[Diagnostic], focus: Collection[str]) -> list[Diagnostic]:
    """The problems of the `focus` files (those changed or named) first, each part in its order."""
    return sorted(items, key=lambda d: d.file not in focus)  # stable: keeps the order within each


# GitHub shows at most this many error and this many warning annotations per step, and drops the rest.
GITHUB_ANNOTATIONS = 10


def format_github(items: list[Diagnostic], focus: Collection[str] = ()) -> str:
    """GitHub Actions workflow commands, so problems show inline on the changed lines: the `focus`
    files' first, at most GITHUB_ANNOTATIONS of each severity, and one notice counting the rest."""
    out = []
    shown = {"error": 0, "warning": 0}
    left = {"error": 0, "warning": 0}
    for d in focus_first(items, focus):
        if shown[d.severity] == GITHUB_ANNOTATIONS:
            left[d.severity] += 1
            continue
        shown[d.severity] += 1
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        out.append(f"::{d.severity} file={_prop(d.file)},line={d.line},col={d.col},"
                   f"title={_prop(d.code)}::{_data(message)}")
    if left["error"] or left["warning"]:
        more = f"{plural(left['error'], 'more error')} and {plural(left['warning'], 'more warning')}"
        out.append(f"::notice::{more} not annotated (GitHub shows {GITHUB_ANNOTATIONS} of each): "
                   "run build.py check to see them all")
    return "\n".join(out)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _file_lines(path: Path) -> list[str] | None:
    try:  # as the load stage reads: never a symlink's target, a FIFO or a device
        return yaml_lines(read_regular_file(path).decode("utf-8"))  # numbered as the marks are
    except (OSError, UnicodeDecodeError):
        return None


def _source_line(lines: list[str] | None, number: int) -> str | None:
    if lines is None or not 1 <= number <= len(lines):
        return None
    return lines[number - 1].rstrip("\r") or None
