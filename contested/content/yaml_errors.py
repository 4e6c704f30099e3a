"""YAML syntax errors in an editor's words, at the place of the real mistake.

The parser says where it gave up ("mapping values are not allowed in this context", "did not find
expected key"), which is often a line or more after the mistake and never says what to do. This
module reads the lines around that place and recognises the usual mistakes: a colon inside an
unquoted value, a line indented differently from its neighbours, a quote that is never closed.
What it does not recognise keeps the parser's own words with a general hint.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml


class Finding(NamedTuple):
    line: int
    col: int
    message: str
    hint: str


GENERAL_HINT = "check indentation, colons and quotes on this line and the one before"

# The line breaks YAML counts (libyaml and PyYAML alike): a mark's line number is one of these lines.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def yaml_lines(text: str) -> list[str]:
    """The lines of `text` as YAML numbers them: a lone CR, NEL, LS or PS ends a line too."""
    return _BREAK.split(text)


# A block line: indentation, any `- ` list markers, then maybe `key:`. Keys in story files are
# words and ids (`publisher`, `date_as_given`, `us-dod`); a line starting otherwise is no key line.
_LINE = re.compile(r"(?P<indent> *)(?P<dashes>(?:-(?: +|$))*)"
                   r"(?:(?P<key>\w[\w.-]*|\"[^\"]*\"|'[^']*'):(?= |$))?(?P<rest>.*)")


class _Line(NamedTuple):
    number: int  # 1-based
    key: str  # '' for a line that is not `key: …`
    col: int  # 1-based column of the key, or of the item after `- `
    value: str  # what follows `key:` (stripped), or the whole content
    value_col: int  # 1-based column where `value` starts
    item: bool  # written after `- `: the first line of a list item


def _parse(number: int, text: str) -> _Line | None:
    """A content line's shape; None for a blank or comment line."""
    stripped = text.strip()
    if not stripped or stripped.startswith("#"):
        return None
    match = _LINE.match(text.rstrip("\r"))
    assert match is not None  # every group is optional
    col = len(match["indent"]) + len(match["dashes"]) + 1
    key = (match["key"] or "").strip()
    rest = match["rest"]
    value_col = col + (len(match["key"]) + 1 if match["key"] is not None else 0)
    value_col += len(rest) - len(rest.lstrip())
    return _Line(number, key, col, rest.strip(), value_col, bool(match["dashes"]))


def explain(text: str, exc: yaml.MarkedYAMLError, line: int, col: int) -> Finding:
    """The editor's version of the parser's error `exc`, reported by the parser at `line`:`col`."""
    lines = yaml_lines(text)
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context or ""
    mark = exc.context_mark
    if "quoted scalar" in context and "end of stream" in problem and mark is not None:
        # Unclosed to the end of the file: the parser knows where the quote opened.
        return _unclosed(mark.line + 1, mark.column + 1, lines[mark.line][mark.column:mark.column + 1] or '"')
    if problem.startswith("found unknown escape character"):
        return _unknown_escape(lines, line, col)
    found = _unclosed_quote(lines, line) or _colon_in_value(lines, line, col, problem)
    found = found or _bad_indentation(lines, line) or _text_after_quote(lines, line)
    if found:
        return found
    return Finding(line, col, f"YAML syntax error: {problem}", GENERAL_HINT)


def _unclosed(line: int, col: int, quote: str) -> Finding:
    inner = '\\"' if quote == '"' else "''"
    return Finding(line, col, "this quote is never closed: the text runs on into the lines below",
                   f"end the text with {quote} on this line (a {quote} inside the text is written {inner})")


def _unknown_escape(lines: list[str], line: int, col: int) -> Finding:
    """A backslash in double quotes that starts no escape (a pasted path, a stray backslash).
    libyaml marks the backslash, PyYAML the character after it: both are told the backslash."""
    text = lines[line - 1] if line <= len(lines) else ""
    if text[col - 1:col] != "\\" and text[col - 2:col - 1] == "\\":
        col -= 1
    escape = text[col - 1:col + 1]
    return Finding(line, col, f"`{escape}` is not an escape YAML knows: inside double quotes, a backslash "
                   "starts one (`\\n`, `\\\"`)",
                   "write a backslash as `\\\\`, or put the value in single quotes, where `\\` is just "
                   "a backslash")



def _closing(text: str, start: int, quote: str) -> int:
    """Index in `text` of the quote closing a string opened just before `start`, or -1."""
    i = start
    while i < len(text):
        char = text[i]
        if quote == '"' and char == "\\":
            i += 2
            continue
        if char == quote:
            if quote == "'" and text[i + 1:i + 2] == "'":  # '' is a quote inside single quotes
                i += 2
                continue
            return i
        i += 1
    return -1


def _unclosed_quote(lines: list[str], error_line: int) -> Finding | None:
    """A value whose opening quote is not closed on its line, followed by lines that look like
    new keys: the string swallowed them, and the parser noticed only where it ended (or later)."""
    for index in range(min(error_line, len(lines))):
        parsed = _parse(index + 1, lines[index])
        if parsed is None or not parsed.value or parsed.value[0] not in "\"'":
            continue
        quote = parsed.value[0]
        opening = parsed.value_col - 1
        if _closing(lines[index], opening + 1, quote) >= 0:
            continue
        for later in range(index + 1, min(error_line, len(lines))):
            nxt = _parse(later + 1, lines[later])
            if nxt is None:
                continue
            # A string legitimately continued is indented more than its key; a line at the key's
            # level or less that reads `key:` was meant as the next key.
            if nxt.col <= parsed.col and nxt.key:
                return _unclosed(index + 1, opening + 1, quote)
            break
    return None


def _colon_in_value(lines: list[str], line: int, col: int, problem: str) -> Finding | None:
    """`label: Jobs: 40 cut`: the parser refuses the second `: ` as the start of a new key."""
    if not problem.startswith("mapping values are not allowed") or line > len(lines):
        return None
    parsed = _parse(line, lines[line - 1])
    if parsed is None or not parsed.key or col <= parsed.value_col:
        return None  # the colon ends the line's own key: an indentation problem, not this one
    quote = "'" if '"' in parsed.value else '"'
    example = f"{parsed.key}: {quote}{parsed.value}{quote}"
    return Finding(line, col, f"a colon followed by a space inside the value of `{parsed.key}:`; "
                   "YAML reads it as the start of another key",
                   f"put the value in quotes: {example}")


def _text_after_quote(lines: list[str], line: int) -> Finding | None:
    """`quote: "These" allegations`: a value that starts with a quote ends at the closing quote."""
    parsed = _parse(line, lines[line - 1]) if line <= len(lines) else None
    if parsed is None or not parsed.value or parsed.value[0] not in "\"'":
        return None
    quote, opening = parsed.value[0], parsed.value_col - 1
    close = _closing(lines[line - 1], opening + 1, quote)
    after = lines[line - 1][close + 1:].strip() if close >= 0 else ""
    if not after or after.startswith("#"):
        return None
    other = "'" if quote == '"' else '"'
    key = f"{parsed.key}: " if parsed.key else "- "
    example = "the whole value in quotes"
    if other not in parsed.value:
        example = f"{key}{other}{parsed.value}{other}"
    return Finding(line, close + 1, f"the text goes on after its closing {quote}; a value that starts "
                   "with a quotation mark must end with it",
                   f"put the whole value in quotes: {example}")


def _bad_indentation(lines: list[str], line: int) -> Finding | None:
    """A key line indented to no level the lines above have open, e.g. three spaces where its
    neighbours have four: "line this up with `id:` on line N", N being where that mapping starts."""
    if line > len(lines):
        return None
    here = _parse(line, lines[line - 1])
    above = [p for p in (_parse(n + 1, lines[n]) for n in range(line - 1)) if p is not None]
    if here is None or not here.key or not above:
        return None
    previous = above[-1]
    if not previous.key:
        return None  # after a line that is not `key: value` (stray text), the lines say too little
    if not previous.value and here.col > previous.col:
        return None  # a child of the key above: indentation that fits
    levels = _levels(above)
    if not levels or here.col in {col for col, _ in levels}:
        return None
    # `publisher:` dedented by mistake above a correct line: the earlier line is the mistake.
    inner = _levels(above[:-1])
    if inner and inner[0][0] == here.col == above[-2].col and previous.col < here.col and previous.value:
        first = inner[0][1]
        return Finding(previous.number, previous.col,
                       f"`{previous.key}:` is indented less than the lines around it",
                       f"line this up with `{first.key}:` on line {first.number}")
    col, first = min(levels, key=lambda level: (abs(level[0] - here.col), -level[0]))
    hint = f"line this up with `{first.key}:` on line {first.number}"
    items = [first for _, first in levels if first.item]
    if here.item and items:  # a list item out of line with the items of its list
        return Finding(line, here.col - 2, f"`- {here.key}:` does not line up with the list's other items",
                       f"line its `-` up with the one on line {items[0].number}")
    if here.item:  # `- key:` where no list is: the dash is the mistake more often than the spaces
        return Finding(line, here.col - 2, f"`- {here.key}:` starts a list item where the keys around it "
                       "are not in a list", f"remove the `- `, or {hint}")
    return Finding(line, here.col, f"`{here.key}:` is indented {here.col - 1} spaces, the keys "
                   f"around it {col - 1}", hint)


def _levels(above: list[_Line]) -> list[tuple[int, _Line]]:
    """The mappings still open after the lines `above`, innermost first: each its column and its
    first key (for a list item's mapping, the key after `- `)."""
    levels: list[tuple[int, _Line]] = []
    for parsed in reversed(above):
        if levels and parsed.col > levels[-1][0]:
            continue  # inside an earlier sibling: closed
        if levels and parsed.col == levels[-1][0]:
            if parsed.key and not levels[-1][1].item:  # an earlier key of the same mapping
                levels[-1] = (parsed.col, parsed)
            continue
        if parsed.key:
            levels.append((parsed.col, parsed))
    return levels
