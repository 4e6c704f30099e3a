"""Stage 5, publish: write the generated pages, run the site engine, swap the new site into place.

The only stage that writes. The engine builds into a fresh folder beside `site/`; the finished
folder replaces `site/` in one atomic exchange, so a failure or a kill at any moment leaves the
previous `site/` exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from contested.files import Pages
from contested.project import Project


class PublishError(Exception):
    """The engine failed or its output was refused; `site/` is untouched."""


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def write_pages(pages: Pages, docs_dir: Path, present: frozenset[str] | None = None,
                from_stories: frozenset[str] = frozenset()) -> WriteStats:
    """Make docs_dir hold exactly `pages` and the files `from_stories` (which the stories stage
    has just written or found unchanged), rewriting only files whose bytes changed and removing
    every other file.

    A page given as None is known unchanged since the last build: its file is kept unread.
    `present` is `docs_files(docs_dir)` when the caller has just listed it.
    """
    docs_dir.mkdir(parents=True, exist_ok=True)
    present = docs_files(docs_dir) if present is None else present
    written, unchanged = write_files(pages, docs_dir, present)
    stale = present - pages.keys() - from_stories
    for rel in stale:
        (docs_dir / rel).unlink()
    if stale:
        _remove_empty_folders(docs_dir)
    return WriteStats(written, unchanged, len(stale))


def write_files(pages: Pages, docs_dir: Path, present: frozenset[str]) -> tuple[int, int]:
    """Write each page whose bytes differ from its file's; (files written, files unchanged).
    `present` lists the files docs_dir held before; a None page must be one of them."""
    written = unchanged = 0
    for rel, data in pages.items():
        if data is None and rel in present:
            unchanged += 1
            continue
        target = docs_dir / rel
        if rel in present:
            if target.read_bytes() == data:
                unchanged += 1
                continue
            _write_atomically(target, data)  # the preview's engine may be reading the old one
        elif data is None:
            raise PublishError(f"{rel} was to be kept from the last build but is missing")
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


def docs_files(docs_dir: Path) -> frozenset[str]:
    """Every file under docs_dir, as a relative POSIX path."""
    out: set[str] = set()
    root = os.fspath(docs_dir)
    for folder, _, names in os.walk(root):
        # Plain strings: a large archive has a folder per story, and pathlib costs add up.
        prefix = folder[len(root) + 1:].replace(os.sep, "/")
        out.update(f"{prefix}/{name}" if prefix else name for name in names)
    return frozenset(out)


def _remove_empty_folders(docs_dir: Path) -> None:
    for folder, _, names in os.walk(docs_dir, topdown=False):
        if not names and not os.listdir(folder) and Path(folder) != docs_dir:
            os.rmdir(folder)


def _write_atomically(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def engine_command(project: Project, out_dir: Path) -> list[str]:
    """The one place that names the site engine: moving engines changes this command only."""
    # No --quiet: it drops MkDocs's warnings before --strict counts them, so strict never fails.
    # The output is captured anyway and shown only when the engine fails.
    return [sys.executable, "-m", "mkdocs", "build", "--strict",
            "--config-file", str(project.config_file), "--site-dir", str(out_dir)]


def engine_template_dirs(project: Project) -> list[Path]:
    """The folders the engine renders pages from, overrides first: the verify stage's allow-list."""
    from mkdocs.config import load_config  # imported here: only the verify stage needs it

    return [Path(d) for d in load_config(str(project.config_file)).theme.dirs]


def engine_environment() -> dict[str, str]:
    # Material's end-of-life banner would bury our own stage report on every build.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build_site(project: Project, source_date_epoch: int) -> Path:
    """Run the engine into a new folder under .build/; return that folder. Raises PublishError."""
    project.work_dir.mkdir(parents=True, exist_ok=True)
    out_dir = Path(tempfile.mkdtemp(prefix="site-", dir=project.work_dir))
    env = {**engine_environment(), "SOURCE_DATE_EPOCH": str(source_date_epoch)}
    result = subprocess.run(engine_command(project, out_dir), cwd=project.root, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(out_dir, ignore_errors=True)
        output = (result.stderr + result.stdout).strip()
        raise PublishError(f"the site engine failed (exit {result.returncode}):\n{output}")
    return out_dir


def swap_into_place(new_site: Path, site_dir: Path) -> None:
    """Replace site_dir by new_site atomically where the OS allows, then delete the old copy."""
    if site_dir.exists() and _exchange(new_site, site_dir):
        shutil.rmtree(new_site)  # now holds the previous site
        return
    if site_dir.exists():  # no atomic exchange here: move aside, move in, with a recovery point
        old = new_site.with_name(new_site.name + ".old")
        os.replace(site_dir, old)
        os.replace(new_site, site_dir)
        shutil.rmtree(old)
    else:
        os.replace(new_site, site_dir)


def clean_leftovers(project: Project) -> None:
    """Remove half-built sites a killed build left in .build/; restore site/ if it was moved aside."""
    if not project.work_dir.is_dir():
        return
    for path in project.work_dir.glob("site-*"):
        if path.name.endswith(".old") and not project.site_dir.exists():
            os.replace(path, project.site_dir)
        else:
            shutil.rmtree(path, ignore_errors=True)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two paths in one step. False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
