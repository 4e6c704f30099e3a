"""The front matter of the hand-written pages in content/: checked before MkDocs reads it.

MkDocs reads a page's front matter (the YAML between two `---` lines at its top) and, when that
YAML is broken, silently publishes it as the first paragraph of the page ("title: How we label
claims description: …"). This check finds such a page at its line and column, with a hint, so
`check` and `build` fail instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode

from contested.content.load import display_name
from contested.diagnostics import Report

# MkDocs' own pattern (mkdocs.utils.meta.YAML_RE): what it takes as front matter, we check.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_OPENING = re.compile(r"-{3}[ \t]*\n")
TEXT_FIELDS = ("title", "description")  # shown to readers: plain text, one line
_QUOTE_HINT = ('put a value containing ": " (or starting with a quote, [, {, &, * or !) in double quotes, '
               'e.g. description: "The rules: what counts as alleged"')


def check_content_pages(content_dir: Path, root: Path, report: Report) -> int:
    """Check the front matter of every Markdown page under `content_dir`; return how many were read."""
    pages = sorted(p for p in content_dir.rglob("*.md") if p.is_file()) if content_dir.is_dir() else []
    for path in pages:
        check_page(path, display_name(path, root), report)
    return len(pages)


def check_page(path: Path, name: str, report: Report) -> None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        report.error(name, 1, 1, "front-matter", f"the page is not UTF-8 (byte {exc.start})",
                     "save the file as UTF-8")
        return
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")  # as MkDocs reads it
    check_text(text, name, report)


def check_text(text: str, name: str, report: Report) -> None:
    """The front matter of one page's text (newlines already `\\n`)."""
    if not _OPENING.match(text):
        stray = text.lstrip("\n")
        if stray != text and _OPENING.match(stray):
            line = len(text) - len(stray) + 1
            report.error(name, line, 1, "front-matter", "front matter must begin on the page's first line",
                         "remove the blank lines above the opening ---, or MkDocs shows the front "
                         "matter as text")
        return
    match = _FRONT_MATTER.match(text)
    if match is None and re.match(r"-{3}[ \t]*\n(?:-{3}|\.{3})[ \t]*(?:\n|$)", text):
        report.error(name, 1, 1, "front-matter",
                     "the front matter is empty: MkDocs would show its lines as rules",
                     "remove the two --- lines, or write e.g. title: … between them")
        return
    if match is None:
        report.error(name, 1, 1, "front-matter", "the front matter opened here is never closed",
                     "end it with a line of three dashes (---) before the page's text")
        return
    _check_yaml(match.group(1), name, report)


def _check_yaml(block: str, name: str, report: Report) -> None:
    offset = 1  # the block starts on the line after the opening ---
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
        yaml.load(block, Loader=yaml.SafeLoader)  # what MkDocs does next; it may fail where compose did not
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1 + offset, mark.column + 1) if mark else (1 + offset, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        report.error(name, line, col, "front-matter",
                     f"the front matter is not valid YAML ({problem}): MkDocs would print it as text "
                     "at the top of the page", _QUOTE_HINT)
        return
    except yaml.YAMLError as exc:
        report.error(name, 1 + offset, 1, "front-matter",
                     f"the front matter is not valid YAML ({type(exc).__name__})", _QUOTE_HINT)
        return
    if node is None:
        return  # an empty front matter is allowed: the page's first heading is its title
    if not isinstance(node, MappingNode):
        _error_at(node, name, report, offset, "the front matter must be `key: value` lines",
                  "write e.g. title: How we label claims")
        return
    seen: set[str] = set()
    for key, value in node.value:
        key_text = key.value if isinstance(key, ScalarNode) else ""
        if key_text in seen:
            _error_at(key, name, report, offset, f"`{key_text}` is given twice in the front matter",
                      "keep one: YAML would silently use the last")
        seen.add(key_text)
        if key_text in TEXT_FIELDS and not (isinstance(value, ScalarNode) and value.value.strip()):
            _error_at(value, name, report, offset, f"`{key_text}` must be text on one line",
                      f'write {key_text}: "…", in quotes if it contains ": "')


def _error_at(node: yaml.Node, name: str, report: Report, offset: int, message: str, hint: str) -> None:
    mark = node.start_mark
    report.error(name, mark.line + 1 + offset, mark.column + 1, "front-matter", message, hint)
