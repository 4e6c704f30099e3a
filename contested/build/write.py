"""Stage write: make the docs folder hold exactly the generated files, rewriting only those whose
bytes changed. Each story's own files are written by the runner as they are made (`write_files`);
the shared pages and the clean-up of stale files come after (`write_pages`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from contested.build.errors import PublishError
from contested.files import files_under

# Relative POSIX path -> bytes; None for a file known unchanged since the last build.
Files = Mapping[str, bytes | None]


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def write_pages(pages: Files, docs_dir: Path, present: frozenset[str] | None = None,
                from_stories: frozenset[str] = frozenset()) -> WriteStats:
    """Make docs_dir hold exactly `pages` and the files `from_stories` (which the stories stage
    has just written or found unchanged), rewriting only files whose bytes changed and removing
    every other file.

    A page given as None is known unchanged since the last build: its file is kept unread.
    `present` is `files.files_under(docs_dir)` when the caller has just listed it.
    """
    docs_dir.mkdir(parents=True, exist_ok=True)
    present = files_under(docs_dir) if present is None else present
    written, unchanged = write_files(pages, docs_dir, present)
    stale = present - pages.keys() - from_stories
    for rel in stale:
        (docs_dir / rel).unlink()
    if stale:
        _remove_empty_folders(docs_dir)
    return WriteStats(written, unchanged, len(stale))


def write_files(pages: Files, docs_dir: Path, present: frozenset[str]) -> tuple[int, int]:
    """Write each page whose bytes differ from its file's; (files written, files unchanged).
    `present` lists the files docs_dir held before; a None page must be one of them."""
    written = unchanged = 0
    for rel, data in pages.items():
        if data is None:
            if rel not in present:
                raise PublishError(f"{rel} was to be kept from the last build but is missing")
            unchanged += 1
            continue
        target = docs_dir / rel
        if rel in present:
            if target.read_bytes() == data:
                unchanged += 1
                continue
            _write_atomically(target, data)  # the preview's engine may be reading the old one
        else:
            _write_new(os.path.join(docs_dir, rel), data)
        written += 1
    return written, unchanged


def _write_new(target: str, data: bytes) -> None:
    """Create a file with the fewest system calls (a cold build creates thousands, from several
    processes at once, in the same few folders). No atomic replace is needed: the cache was
    cleared before writing, so a file left half-written by a kill is rewritten by the next build."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    try:
        fd = os.open(target, flags, 0o644)
    except FileNotFoundError:  # its folder is new too
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, flags, 0o644)
    try:
        view = memoryview(data)
        while view:  # os.write may write less than asked
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _remove_empty_folders(docs_dir: Path) -> None:
    for folder, _, names in os.walk(docs_dir, topdown=False):
        if not names and not os.listdir(folder) and Path(folder) != docs_dir:
            os.rmdir(folder)


def _write_atomically(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
