"""Stage 1, load: read editors' YAML files into trees that remember where every value was written.

Only plain data is accepted. PyYAML's defaults are unsafe for editors in quiet ways (duplicate keys
keep the last value, aliases can expand exponentially, YAML 1.1 turns `NO` into False), so this
stage composes the node graph itself and keeps every scalar as the text the editor wrote; the
validate stage decides what each value means.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from contested.content import yaml_errors
from contested.diagnostics import Report

_Loader: type[Any]
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
_STR, _SEQ, _MAP, _MERGE = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map", "merge"))
_PLAIN = "(a plain scalar's tag, resolved by _convert)"
# C0/C1 controls (tab, newline and carriage return aside), DEL, the bidirectional overrides and
# marks that can make text display differently from what it says ("Trojan Source"), and invisible
# characters that hide inside words (zero-width space and joiners' look-alikes, tag characters).
# Zero-width (non-)joiners U+200C/D are left alone: Persian, Indic scripts and emoji need them.
BANNED_CHARS = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e"
                "\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff\U000e0000-\U000e007f")
BANNED = re.compile(f"[{BANNED_CHARS}]")
_TAB_OR_BAD = re.compile(f"[\t{BANNED_CHARS}]")  # everything _check_characters reports, in one search


# PyYAML's implicit resolvers by first character (BaseResolver.resolve's own lookup), for _plain_tag.
# Both safe loaders, libyaml's and the pure-Python one, share this table.
_RESOLVERS = yaml.SafeLoader.yaml_implicit_resolvers
_Resolvers = tuple[tuple[str, re.Pattern[str]], ...]
_ANY_START: _Resolvers = tuple(_RESOLVERS.get(None, ()))
_BY_START: dict[str, _Resolvers] = {
    start: tuple(pairs) + _ANY_START for start, pairs in _RESOLVERS.items() if start is not None}


def _plain_tag(value: str) -> str:
    """The tag YAML 1.1 gives a plain scalar, as PyYAML's resolver would: e.g. `NO` -> bool."""
    for tag, pattern in _BY_START.get(value[:1], _ANY_START):
        if pattern.match(value):
            return tag
    return _STR


@cache
def _composer(base: type[Any]) -> type[Any]:
    """`base` composing as before, except that a plain scalar's tag is left as `_PLAIN`.

    PyYAML resolves every scalar's tag in a Python method that libyaml's composer calls back per
    node, a quarter of the compose time; `_plain_tag` does the same lookup in the walk instead.
    """
    if (base.yaml_path_resolvers or base.yaml_implicit_resolvers is not _RESOLVERS
            or (base.DEFAULT_SCALAR_TAG, base.DEFAULT_SEQUENCE_TAG, base.DEFAULT_MAPPING_TAG)
            != (_STR, _SEQ, _MAP)):  # pragma: no cover - not a safe loader: let it resolve alone
        return base

    class Composer(base):
        def resolve(self, kind: type, value: Any, implicit: Any) -> str:
            # BaseResolver.resolve, given no path resolvers, minus the implicit lookup.
            if kind is ScalarNode:
                return _PLAIN if implicit[0] else _STR
            return _SEQ if kind is SequenceNode else _MAP

        # No path resolvers: nothing to track on the way down and up.
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    return Composer


# The nodes are NamedTuples: immutable, and built without a per-field setattr. A frozen dataclass's
# __init__ (object.__setattr__ per field) was a third of the walk below, 700,000 nodes at N=1,000.
class Scalar(NamedTuple):
    value: str
    line: int
    col: int
    tag: str  # the tag YAML 1.1 would resolve; the raw text is kept whatever it is
    quoted: bool


class Sequence(NamedTuple):
    items: list[Node | None]
    line: int
    col: int


class Mapping(NamedTuple):
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


def load_document(path: Path, name: str, report: Report) -> Document:
    """Read one YAML file; problems go to the report and leave `root` as None."""
    text = _read_text(path, name, report)
    if text is None:
        return Document(path=path, name=name)
    return load_text(text, path, name, report)


def load_text(text: str, path: Path, name: str, report: Report) -> Document:
    """`load_document` for text already read (e.g. a file as it was at a git commit)."""
    doc = Document(path=path, name=name, text=text)
    if not _check_characters(text, name, report):
        return doc
    try:
        node = yaml.compose(text, Loader=_composer(_Loader))  # type: ignore[arg-type]  # a class is hashable
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _clamp(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        found = yaml_errors.explain(text, exc, line, col)  # where the mistake is, in editors' words
        report.error(name, found.line, found.col, "yaml-syntax", found.message, found.hint)
        return doc
    except (yaml.YAMLError, RecursionError) as exc:
        report.error(name, 1, 1, "yaml-syntax", f"YAML could not be read: {type(exc).__name__}",
                     f"keep nesting under {MAX_DEPTH} levels and the file plain YAML")
        return doc
    if node is None:
        report.error(name, 1, 1, "empty-file", "the file is empty",
                     "write the fields the file needs, or delete the file")
        return doc
    doc.root = _convert(node, doc, report)
    return doc


# getattr: Windows has none of these (nor FIFOs or symlinks that git checks out as links).
_OPEN_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class NotARegularFile(OSError):
    """A path under site_data/ that is a symlink, a folder, a FIFO or a device: never opened."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def read_regular_file(path: Path, limit: int = MAX_BYTES) -> bytes:
    """At most `limit` + 1 bytes of the regular file at `path`, which must not be a symlink.

    Symlinks are refused outright rather than resolved and checked against the project root: git
    stores them as they are, so a pull request can add one pointing anywhere (/etc/passwd,
    .git/config, /dev/zero), and a link's target can change between a check and the read. Story
    data never needs one. O_NOFOLLOW makes the refusal hold even if the path is swapped for a
    link after lstat; O_NONBLOCK means a FIFO cannot block the open; fstat checks what was opened.
    """
    kind = _kind(os.lstat(path).st_mode)
    if kind:
        raise NotARegularFile(kind)
    fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind:
            raise NotARegularFile(kind)
        chunks, left = [], limit + 1
        while left > 0:  # never more than limit + 1 bytes, whatever the file claims its size is
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    """'' for a regular file, else what the path is, as messages say it."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def refuse_special(name: str, what: str, report: Report) -> None:
    """The error for a path that is not a regular file; nothing of its target is read or shown."""
    if what == "a symbolic link":
        report.error(name, 1, 1, "symlink", "the file is a symbolic link; links are not followed",
                     "replace the link with the file itself: site data must be ordinary files "
                     "in the repository")
    else:
        report.error(name, 1, 1, "not-a-file", f"this is {what}, not an ordinary file",
                     "site data must be ordinary files: remove it and commit the file itself")


def _read_text(path: Path, name: str, report: Report) -> str | None:
    try:
        data = read_regular_file(path)
    except NotARegularFile as exc:
        refuse_special(name, exc.what, report)
        return None
    except OSError as exc:
        report.error(name, 1, 1, "unreadable", f"the file cannot be read: {exc.strerror}")
        return None
    if len(data) > MAX_BYTES:
        try:
            size = f"{os.lstat(path).st_size:,} bytes"
        except OSError:
            size = f"more than {MAX_BYTES:,} bytes"
        report.error(name, 1, 1, "file-too-large", f"the file is {size}; the limit is {MAX_BYTES:,}",
                     "split the story or remove pasted material")
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
    lines = yaml_errors.yaml_lines(text)
    if line > len(lines):
        return len(lines), len(lines[-1]) + 1
    return line, col


def _position(before: str) -> tuple[int, int]:
    """1-based line and column of the character that follows `before`."""
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


def _check_characters(text: str, name: str, report: Report) -> bool:
    if not _TAB_OR_BAD.search(text):
        return True  # the usual case, found in one pass; the loop below says where
    ok = True
    for number, line in enumerate(text.split("\n"), start=1):
        tab = line.find("\t")
        if tab >= 0:
            ok = False
            report.error(name, number, tab + 1, "tab", "tab character",
                         "YAML is indented with spaces: replace the tab with spaces")
        bad = BANNED.search(line.rstrip("\r"))
        if bad:
            ok = False
            report.error(name, number, bad.start() + 1, "control-character",
                         f"invisible control character {char_label(bad.group())}",
                         "delete it; it was probably pasted along with the text")
    return ok


def char_label(char: str) -> str:
    """'RIGHT-TO-LEFT OVERRIDE (U+202E)', or just 'U+0007' for a character Unicode leaves unnamed."""
    code = f"U+{ord(char):04X}"
    return f"{unicodedata.name(char)} ({code})" if unicodedata.name(char, "") else code


def _convert(root: yaml.Node, doc: Document, report: Report) -> Node | None:
    """The located tree of a composed document, every safety rule applied at each node.

    This walk visits every node of every file (700,000 in a 1,000-story archive), so it is one
    closure over per-file constants, dispatching on the node's exact class.
    """
    name, error = doc.name, report.error
    # Aliases need an anchor, and an anchor is written with '&': without one in the file no node
    # can be reached twice, and the walk need not remember the nodes it has seen.
    seen: set[int] | None = set() if "&" in doc.text else None
    # A control character reaching a value without being in the file (which _check_characters
    # cleared) must be spelled as an escape ("\0", "\u202e"), and only double quotes have them.
    escapes = "\\" in doc.text
    plain_tags: dict[str, str] = {}

    def convert(node: yaml.Node, depth: int) -> Node | None:
        mark = node.start_mark
        line, col = mark.line + 1, mark.column + 1
        if seen is not None:
            if id(node) in seen:
                error(name, line, col, "yaml-alias", "YAML anchors and aliases are not allowed",
                      "write the value out in full where it is needed")
                return None
            seen.add(id(node))
        kind, tag, value = type(node), node.tag, node.value
        if tag is _PLAIN:  # keys and enum values recur: resolve each text once per file
            known = plain_tags.get(value)
            if known is None:
                known = plain_tags[value] = _plain_tag(value)
            tag = known
        if tag not in _PLAIN_TAGS:
            error(name, line, col, "yaml-tag", f"the tag '{_short_tag(tag)}' is not allowed",
                  "remove the tag: story files hold plain text, lists and mappings only")
            return None
        if depth > MAX_DEPTH:
            error(name, line, col, "too-deep", f"nesting deeper than {MAX_DEPTH} levels",
                  "story data is never this deep: check the indentation")
            return None
        if kind is ScalarNode:
            style = node.style  # type: ignore[attr-defined]  # `kind is` is faster than isinstance
            if escapes and style == '"' and (bad := BANNED.search(value)):
                message = f"invisible control character {char_label(bad.group())}, written as an escape"
                error(name, line, col, "control-character", message,
                      "delete the escape sequence from the text")
                return None
            return Scalar(value, line, col, tag, style not in (None, ""))
        if kind is SequenceNode:
            # An item that failed keeps its place (as None) so later messages name the right index.
            return Sequence([convert(item, depth + 1) for item in value], line, col)
        return Mapping(convert_entries(value, depth), line, col)

    def convert_entries(pairs: list[tuple[yaml.Node, yaml.Node]],
                        depth: int) -> dict[str, tuple[Scalar, Node | None]]:
        entries: dict[str, tuple[Scalar, Node | None]] = {}
        for key_node, value_node in pairs:
            # Checked before the key is converted: its !!merge tag would otherwise be reported as a
            # tag. A plain `<<` still carries the _PLAIN marker here; its text gives it away.
            if key_node.tag == _MERGE or key_node.value == "<<":
                mark = key_node.start_mark
                error(name, mark.line + 1, mark.column + 1, "yaml-alias",
                      "YAML merge keys (<<) are not allowed", "write the fields out in full")
                continue
            key = convert(key_node, depth + 1)
            if key is None:
                continue
            if type(key) is not Scalar:
                error(name, key.line, key.col, "bad-key", "a key must be plain text", "write `name: value`")
                continue
            text = key.value
            if text in entries:
                error(name, key.line, key.col, "duplicate-key",
                      f"duplicate key '{text}' (first written at line {entries[text][0].line})",
                      "keep one of them: YAML would silently use only the last")
                continue
            # None marks a value already reported, so validation does not call it missing too.
            entries[text] = (key, convert(value_node, depth + 1))
        return entries

    return convert(root, 0)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def story_files(data_dir: Path, root: Path, report: Report) -> list[tuple[Path, str]]:
    """Every story file under `data_dir/stories`, in name order, with its name as messages show it.
    Anything else there is an error: it would otherwise be silently left out of the site, or (a
    symlink, a FIFO, a device) read from outside the repository."""
    story_dir = data_dir / "stories"
    prefix = display_name(story_dir, root)  # once: resolving each of 1,000s of paths is slow
    for folder, folder_name in ((data_dir, display_name(data_dir, root)), (story_dir, prefix)):
        if folder.is_symlink():  # followed, it would publish whatever folder it points to
            report.error(folder_name, 1, 1, "symlink",
                         "this folder is a symbolic link; links are not followed",
                         "replace the link with the folder itself: site data must be ordinary files "
                         "in the repository")
            return []
    out = []
    for path in sorted(story_dir.iterdir()) if story_dir.is_dir() else []:
        name = f"{prefix}/{path.name}"
        if path.name.startswith("."):
            continue
        try:
            what = _kind(path.lstat().st_mode)
        except OSError:  # removed while we looked: nothing to read
            continue
        if what == "a folder":
            report.error(name, 1, 1, "story-in-folder",
                         f"'{path.name}' is a folder; stories in folders are not published",
                         "move its story files up into site_data/stories (a story's address "
                         "is its file name), or move the folder out of site_data")
            continue
        if what:
            refuse_special(name, what, report)
            continue
        if path.suffix != ".yaml":
            report.error(name, 1, 1, "not-yaml", f"'{path.name}' is not a story file",
                         "story files end in .yaml; move other files out of site_data/stories")
            continue
        out.append((path, name))
    if not out and not report.errors:
        report.error(prefix, 1, 1, "no-stories", "there are no stories",
                     "add a story file, e.g. site_data/stories/my-story.yaml")
    return out


def display_name(path: Path, root: Path) -> str:
    """A file's name as messages show it: relative to the project where it can be. The last part
    is not resolved: a symlink is named as itself, not as the file it points to."""
    try:
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
