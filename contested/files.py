"""The generated files in memory, as render makes them and publish writes them, and as the
stages list them on disk: neither side owns them, so they live here."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import cast

# Path inside the generated docs folder -> file content; None: the page is unchanged since the
# previous build, keep the file the docs folder holds.
Pages = dict[str, bytes | None]


# --- bounded output ------------------------------------------------------------------------------
# Every file a story makes (its page, its data files, its JSON-LD) is at most this multiple of its
# story file's bytes plus an allowance for the page's fixed parts. Measured (bench/bounded_work.py):
# the bundled story's page is 3 times its file, a story of 1,000 one-line claims 13 times, a stance
# table of 100 actors × 100 claims 35 times a file of 16 KB (within the allowance). A reference
# repeated from many places (a long label cited everywhere, a stance table of many more actors ×
# claims) makes far more, growing with the square of the file: it is refused before it is made in
# full, so no build runs out of memory.
OUTPUT_MULTIPLE = 25
OUTPUT_ALLOWANCE = 256 * 1024
_SCALARS = (int, float, bool, type(None))  # their text is short: counted without the memo


def output_limit(source_bytes: int) -> int:
    """The most bytes any one file made from a story file of `source_bytes` may have."""
    return OUTPUT_MULTIPLE * source_bytes + OUTPUT_ALLOWANCE


class OutputTooLarge(Exception):
    """A file made from a story would exceed its limit; raised before it is made in full."""

    def __init__(self, path: str, limit: int):
        super().__init__(f"{path} would be larger than {limit:,} bytes")
        self.path, self.limit = path, limit


def text_size(value: object, limit: int) -> int:
    """At least the characters of text `value` holds, counting a part shared by many places once
    for each place (as JSON or a page prints it) yet measuring it once (memo): linear in the
    references however large the written output would be. Reads strings, numbers, dicts, lists,
    tuples and dataclasses (the views); stops counting past `limit`."""
    memo: dict[int, int] = {}

    def size(item: object) -> int:
        if isinstance(item, str):
            return len(item) + 2
        kind = type(item)
        if kind in _SCALARS:
            return len(str(item))
        known = memo.get(id(item))
        if known is not None:
            return known
        known = 2
        # Strings, most of the parts, are counted in these loops: a call for each would double the
        # time; the types are dispatched before the slower isinstance and dataclass checks.
        if kind is dict or isinstance(item, dict):
            for key, part in cast(dict[object, object], item).items():
                known += ((len(key) + 3 if type(key) is str else size(key) + 1)
                          + (len(part) + 3 if type(part) is str else size(part) + 1))
                if known > limit:
                    break
        else:
            parts: Iterable[object]
            if kind is list or kind is tuple or isinstance(item, (list, tuple)):
                parts = cast(Iterable[object], item)
            elif is_dataclass(item):
                parts = [getattr(item, name) for name in _field_names(item.__class__)]
            else:
                return len(str(item))
            for part in parts:
                known += len(part) + 3 if type(part) is str else size(part) + 1
                if known > limit:
                    break
        memo[id(item)] = known
        return known

    return size(value)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def check_size(path: str, value: object, limit: int | None) -> None:
    """Refuse to make `path` from `value` when it would exceed `limit` (None: no limit)."""
    if limit is not None and text_size(value, limit) > limit:
        raise OutputTooLarge(path, limit)


def files_under(root: Path) -> frozenset[str]:
    """Every file under `root`, as a relative POSIX path (symlinked folders are not entered)."""
    out: set[str] = set()
    top = os.fspath(root)
    for folder, _, names in os.walk(top):
        # Plain strings: a large archive has a folder per story, and pathlib costs add up.
        prefix = folder[len(top) + 1:].replace(os.sep, "/")
        out.update(f"{prefix}/{name}" if prefix else name for name in names)
    return frozenset(out)
