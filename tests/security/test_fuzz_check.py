"""Property tests: mutated story files, written as real files, never crash or hang `check`.

Whatever the file holds, `check` returns a report whose every diagnostic points at a real place
(file, line >= 1, col >= 1); errors mean failure; valid data also resolves and renders. A few
mutants go through the real command too: exit 0 or 1, never a traceback.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ALIBABA, REPO, render_in_memory, run_build

from contested.build.runner import check_site

STORY_FILE = ALIBABA / "site_data/stories/alibaba-pla-memo.yaml"  # the frozen copy, not site_data/
BASE: dict[str, Any] = yaml.safe_load(STORY_FILE.read_text(encoding="utf-8"))
# `make test` runs every example; `make test-fast`, the inner loop, a quarter of them.
SCALE = float(os.environ.get("CONTESTED_FUZZ_SCALE", "1"))
FUZZ_SETTINGS = settings(deadline=None, database=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every place in the data a mutation can act on, as a key/index path."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield prefix + (key,)
        yield from _paths(value, prefix + (key,))


PATHS = sorted(_paths(BASE), key=repr)

# Text editors could paste: bidi controls, NUL and other controls, lone surrogates, emoji, RTL.
JUNK_CHARS = st.one_of(
    st.characters(codec=None),
    st.sampled_from(["\u202e", "\u2066", "\u200b", "\x00", "\x07", "\x1b", "\ud800", "\udfff", "\ufeff",
                     "\ufffe", "\t", "\r", "\n", "\u2028", "&", "<", "\"", "'", "{{", "}}", "#", ":", "- "]),
)
JUNK_TEXT = st.lists(JUNK_CHARS, max_size=12).map("".join)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), JUNK_TEXT,
                    st.sampled_from(["NO", "1.10", "1:20", "0x1F", "2025-13-45", "~", "", "unknown"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(JUNK_TEXT, inner, max_size=3)), max_leaves=8)


def _parent(data: Any, path: tuple) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


def _apply(data: Any, mutation: tuple) -> None:
    kind, path = mutation[0], mutation[1]
    try:
        parent = _parent(data, path)
        key = path[-1]
        if kind == "delete":
            del parent[key]
        elif kind == "set":
            parent[key] = mutation[2]
        elif kind == "swap":
            other_parent, other_key = _parent(data, mutation[2]), mutation[2][-1]
            parent[key], other_parent[other_key] = other_parent[other_key], parent[key]
        elif kind == "rename" and isinstance(parent, dict):
            parent[mutation[2]] = parent.pop(key)
        elif kind == "nest":
            for level in range(mutation[2]):
                parent[key] = [parent[key]] if level % 2 else {"k": parent[key]}
    except (KeyError, IndexError, TypeError):
        pass  # an earlier mutation removed or retyped this place: skip it


MUTATIONS = st.one_of(
    st.tuples(st.just("delete"), st.sampled_from(PATHS)),
    st.tuples(st.just("set"), st.sampled_from(PATHS), VALUES),
    st.tuples(st.just("swap"), st.sampled_from(PATHS), st.sampled_from(PATHS)),
    st.tuples(st.just("rename"), st.sampled_from(PATHS), st.one_of(JUNK_TEXT, st.sampled_from(
        ["titel", "claim", "sources", "id", "text", "<<", "responses"]))),
    st.tuples(st.just("nest"), st.sampled_from(PATHS), st.integers(1, 80)),
)


def _dump(data: Any) -> bytes:
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=80)
    except yaml.YAMLError:
        text = repr(data)  # not YAML at all: still a file an editor could save
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate becomes invalid UTF-8


@pytest.fixture(scope="module")
def workspace() -> Iterator[Path]:
    """One project folder reused by every example (hypothesis runs examples one after another)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        root = Path(tmp)
        shutil.copytree(ALIBABA / "site_data", root / "site_data")
        for part in ("templates", "content"):
            shutil.copytree(REPO / part, root / part)
        yield root


def _check_file(root: Path, content: bytes) -> None:
    story = root / "site_data/stories/alibaba-pla-memo.yaml"
    story.write_bytes(content)
    result = check_site(root / "site_data", root)
    # YAML breaks lines at \r\n, \r and \n alike (an old Mac file is all \r): count as it does.
    lines = content.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
    for d in result.report.items:
        assert d.file and d.message and d.severity in ("error", "warning"), d
        assert d.line >= 1 and d.col >= 1, d
        assert d.line <= max(lines, 1), (d, lines)
    assert result.report.failed() == bool(result.report.errors)
    if not result.report.errors:  # valid data must go all the way to pages, in memory
        pages = render_in_memory(root, root / "templates", root / "content")
        assert "stories/alibaba-pla-memo.md" in pages


@settings(FUZZ_SETTINGS, max_examples=max(50, int(700 * SCALE)))
@given(mutations=st.lists(MUTATIONS, min_size=1, max_size=4))
def test_structural_mutations_never_crash_check(workspace: Path, mutations: list[tuple]) -> None:
    data = copy.deepcopy(BASE)
    for mutation in mutations:
        _apply(data, mutation)
    _check_file(workspace, _dump(data))


BUNDLED_BYTES = STORY_FILE.read_bytes()
BYTE_MUTATIONS = st.one_of(
    st.binary(max_size=400),  # random bytes
    st.integers(0, len(BUNDLED_BYTES)).map(lambda n: BUNDLED_BYTES[:n]),  # truncation
    st.tuples(st.integers(0, len(BUNDLED_BYTES)), st.binary(min_size=1, max_size=16)).map(
        lambda t: BUNDLED_BYTES[:t[0]] + t[1] + BUNDLED_BYTES[t[0]:]),  # spliced bytes
    st.tuples(st.integers(0, len(BUNDLED_BYTES)), JUNK_TEXT).map(
        lambda t: BUNDLED_BYTES[:t[0]] + t[1].encode("utf-8", "surrogatepass") + BUNDLED_BYTES[t[0]:]),
)


@settings(FUZZ_SETTINGS, max_examples=max(50, int(500 * SCALE)))
@given(content=BYTE_MUTATIONS)
def test_byte_mutations_never_crash_check(workspace: Path, content: bytes) -> None:
    _check_file(workspace, content)


# Mutants for the real command: the process, its exit code and its output as a user sees them.
CLI_MUTANTS = {
    "truncated": BUNDLED_BYTES[: len(BUNDLED_BYTES) // 3],
    "random-bytes": bytes(range(256)) * 3,
    "deep-nesting": b"title: " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "claims-deleted": _dump({k: v for k, v in BASE.items() if k != "claims"}),
    "wrong-types": _dump({**BASE, "claims": "none", "sources": [1, 2], "updated": {"a": None}}),
}


@pytest.mark.parametrize("name", sorted(CLI_MUTANTS))
def test_check_command_exits_0_or_1_without_traceback(workspace: Path, name: str) -> None:
    (workspace / "site_data/stories/alibaba-pla-memo.yaml").write_bytes(CLI_MUTANTS[name])
    result = run_build(workspace, "check", timeout=60)
    assert result.returncode in (0, 1), result.stderr
    assert result.returncode == 1  # each of these mutants is broken
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr
    assert "site_data/stories/alibaba-pla-memo.yaml:" in result.stderr
