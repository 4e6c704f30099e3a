"""Stage 1, load: read editors' YAML files into trees that remember where every value was written.

Only plain data is accepted. PyYAML's defaults are unsafe for editors in quiet ways (duplicate keys
keep the last value, aliases can expand exponentially, YAML 1.1 turns `NO` into False), so this
stage composes the node graph itself and keeps every scalar as the text the editor wrote; the
validate stage decides what each value means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .diagnostics import Report

try:  # libyaml is ~10x faster; every safety rule below applies to both loaders alike.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_BYTES = 1_000_000
MAX_DEPTH = 32

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
# C0/C1 controls (tab, newline and carriage return aside), DEL, and the bidirectional overrides
# that can make text display differently from what it says ("Trojan Source").
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)


@dataclass(frozen=True)
class Scalar:
    value: str
    line: int
    col: int
    tag: str  # the tag YAML 1.1 would resolve; the raw text is kept whatever it is
    quoted: bool


@dataclass(frozen=True)
class Sequence:
    items: list[Node | None]
    line: int
    col: int


@dataclass(frozen=True)
class Mapping:
    """Keys in the order written, each with the position of the key itself."""

    entries: dict[str, tuple[Scalar, Node | None]]
    line: int
    col: int


Node = Scalar | Sequence | Mapping


@dataclass
class Document:
    path: Path
    name: str  # the path as shown in messages, relative to the project
    root: Node | None = None
    text: str = ""


@dataclass
class _Walk:
    doc: Document
    report: Report
    seen: set[int] = field(default_factory=set)


def load_document(path: Path, name: str, report: Report) -> Document:
    """Read one YAML file; problems go to the report and leave `root` as None."""
    doc = Document(path=path, name=name)
    text = _read_text(path, name, report)
    if text is None:
        return doc
    doc.text = text
    if not _check_characters(text, name, report):
        return doc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _clamp(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        report.error(name, line, col, "yaml-syntax", f"YAML syntax error: {problem}",
                     "check indentation, colons and quotes on this line and the one before")
        return doc
    except (yaml.YAMLError, RecursionError) as exc:
        report.error(name, 1, 1, "yaml-syntax", f"YAML could not be read: {type(exc).__name__}",
                     f"keep nesting under {MAX_DEPTH} levels and the file plain YAML")
        return doc
    if node is None:
        report.error(name, 1, 1, "empty-file", "the file is empty",
                     "write the fields the file needs, or delete the file")
        return doc
    doc.root = _convert(node, _Walk(doc, report), depth=0)
    return doc


def _read_text(path: Path, name: str, report: Report) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            report.error(name, 1, 1, "file-too-large",
                         f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}",
                         "split the story or remove pasted material")
            return None
        data = path.read_bytes()
    except OSError as exc:
        report.error(name, 1, 1, "unreadable", f"the file cannot be read: {exc.strerror}")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        report.error(name, 1, 1, "byte-order-mark", "the file starts with a byte-order mark",
                     "save the file as UTF-8 without BOM")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(data[: exc.start].decode("utf-8", "replace"))
        report.error(name, line, col, "invalid-utf8",
                     f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
                     "save the file as UTF-8; re-type the character at this position")
        return None


def _clamp(text: str, line: int, col: int) -> tuple[int, int]:
    """libyaml marks the end of a file without a final newline as the start of a line that does not
    exist; point at the end of the last line instead."""
    lines = text.split("\n")
    if line > len(lines):
        return len(lines), len(lines[-1]) + 1
    return line, col


def _position(before: str) -> tuple[int, int]:
    """1-based line and column of the character that follows `before`."""
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


def _check_characters(text: str, name: str, report: Report) -> bool:
    ok = True
    for number, line in enumerate(text.split("\n"), start=1):
        tab = line.find("\t")
        if tab >= 0:
            ok = False
            report.error(name, number, tab + 1, "tab", "tab character",
                         "YAML is indented with spaces: replace the tab with spaces")
        bad = _BAD_CHARS.search(line.rstrip("\r"))
        if bad:
            ok = False
            report.error(name, number, bad.start() + 1, "control-character",
                         f"invisible control character {_char_label(bad.group())}",
                         "delete it; it was probably pasted along with the text")
    return ok


def _char_label(char: str) -> str:
    """'RIGHT-TO-LEFT OVERRIDE (U+202E)', or just 'U+0007' for a character Unicode leaves unnamed."""
    code = f"U+{ord(char):04X}"
    return f"{unicodedata.name(char)} ({code})" if unicodedata.name(char, "") else code


def _convert(node: yaml.Node, walk: _Walk, depth: int) -> Node | None:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    name = walk.doc.name
    if id(node) in walk.seen:
        walk.report.error(name, line, col, "yaml-alias", "YAML anchors and aliases are not allowed",
                          "write the value out in full where it is needed")
        return None
    walk.seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        walk.report.error(name, line, col, "yaml-tag", f"the tag '{_short_tag(node.tag)}' is not allowed",
                          "remove the tag: story files hold plain text, lists and mappings only")
        return None
    if depth > MAX_DEPTH:
        walk.report.error(name, line, col, "too-deep", f"nesting deeper than {MAX_DEPTH} levels",
                          "story data is never this deep: check the indentation")
        return None
    if isinstance(node, yaml.ScalarNode):
        # A quoted scalar can spell a control character as an escape ("\0", "\u202e") that the
        # raw-text check never sees: refuse it here too, at the scalar.
        bad = _BAD_CHARS.search(node.value)
        if bad:
            message = f"invisible control character {_char_label(bad.group())}, written as an escape"
            walk.report.error(name, line, col, "control-character", message,
                              "delete the escape sequence from the text")
            return None
        return Scalar(node.value, line, col, node.tag, node.style not in (None, ""))
    if isinstance(node, yaml.SequenceNode):
        # An item that failed keeps its place (as None) so later messages name the right index.
        return Sequence([_convert(item, walk, depth + 1) for item in node.value], line, col)
    return _convert_mapping(node, walk, depth, line, col)


def _convert_mapping(node: yaml.MappingNode, walk: _Walk, depth: int, line: int, col: int) -> Mapping:
    entries: dict[str, tuple[Scalar, Node | None]] = {}
    name = walk.doc.name
    for key_node, value_node in node.value:
        # Checked before the key is converted: its !!merge tag would otherwise be reported as a tag.
        if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
            walk.report.error(name, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                              "yaml-alias", "YAML merge keys (<<) are not allowed",
                              "write the fields out in full")
            continue
        key = _convert(key_node, walk, depth + 1)
        if key is None:
            continue
        if not isinstance(key, Scalar):
            walk.report.error(name, key.line, key.col, "bad-key", "a key must be plain text",
                              "write `name: value`")
            continue
        if key.value in entries:
            first = entries[key.value][0]
            walk.report.error(name, key.line, key.col, "duplicate-key",
                              f"duplicate key '{key.value}' (first written at line {first.line})",
                              "keep one of them: YAML would silently use only the last")
            continue
        # None marks a value already reported, so validation does not call it missing too.
        entries[key.value] = (key, _convert(value_node, walk, depth + 1))
    return Mapping(entries, line, col)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def story_files(data_dir: Path, root: Path, report: Report) -> list[tuple[Path, str]]:
    """Every story file under `data_dir/stories`, in name order, with its name as messages show it.
    Anything else there is an error: it would otherwise be silently left out of the site."""
    story_dir = data_dir / "stories"
    prefix = display_name(story_dir, root)  # once: resolving each of 1,000s of paths is slow
    out = []
    for path in sorted(story_dir.iterdir()) if story_dir.is_dir() else []:
        name = f"{prefix}/{path.name}"
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != ".yaml":
            report.error(name, 1, 1, "not-yaml", f"'{path.name}' is not a story file",
                         "story files end in .yaml; move other files out of site_data/stories")
            continue
        out.append((path, name))
    if not out and not report.errors:
        report.error(display_name(story_dir, root), 1, 1, "no-stories", "there are no stories",
                     "add a story file, e.g. site_data/stories/my-story.yaml")
    return out


def display_name(path: Path, root: Path) -> str:
    """A file's name as messages show it: relative to the project where it can be."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
