"""Reporters: the same diagnostics as text for people, JSON for tools, annotations for GitHub."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from contested.content.load import read_regular_file
from contested.diagnostics import Diagnostic

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
    for d in items:
        lines.append(f"{_visible(d.file)}:{d.line}:{d.col}: {d.severity}: {_visible(d.message)} [{d.code}]")
        excerpt = _source_line(root, d) if root else None
        if excerpt is not None:
            lines.append(f"    {excerpt}")
            lines.append("    " + " " * (d.col - 1) + "^")
        if d.hint:
            lines.append(f"    hint: {_visible(d.hint)}")
    return "\n".join(lines)


def format_summary(items: list[Diagnostic], files: int) -> str:
    errors = sum(d.severity == "error" for d in items)
    warnings = len(items) - errors
    return f"checked {files} file(s): {errors} error(s), {warnings} warning(s)"


def format_json(items: list[Diagnostic]) -> str:
    fields = ("file", "line", "col", "severity", "code", "message", "hint", "path")
    return json.dumps([{f: getattr(d, f) for f in fields} for d in items], indent=2, ensure_ascii=False)


def format_github(items: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands, so problems show inline on the changed lines."""
    out = []
    for d in items:
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        out.append(f"::{d.severity} file={_prop(d.file)},line={d.line},col={d.col},"
                   f"title={_prop(d.code)}::{_data(message)}")
    return "\n".join(out)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _source_line(root: Path, d: Diagnostic) -> str | None:
    try:  # as the load stage reads: never a symlink's target, a FIFO or a device
        text = read_regular_file(root / d.file).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.split("\n")
    if not 1 <= d.line <= len(lines):
        return None
    line = lines[d.line - 1].rstrip("\r")
    # Show invisible characters rather than print them to the terminal.
    return "".join(ch if ch.isprintable() else "?" for ch in line) or None
