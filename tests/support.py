"""Shared test helpers: the repo root, throwaway project copies, and running `build.py`.

Imported by name (`from support import …`); pytest's `pythonpath` puts tests/ on the path."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `pytest` run without `python -m` still imports the package
    sys.path.insert(0, str(REPO))

from contested.build.check import check_site  # noqa: E402
from contested.content.model import Dataset  # noqa: E402
from contested.pages.render import render_site, render_story  # noqa: E402
from contested.pages.resolve import actor_links, assemble_site, resolve_story, story_listing, story_order  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures"
BROKEN = FIXTURES / "broken"  # the minimal story with one mistake per file
MINIMAL_STORY_FILE = FIXTURES / "minimal" / "site_data" / "stories" / "minimal.yaml"
STORY = "site_data/stories/{}"  # a story file's name in messages
# What a project folder holds; parts not written yet are skipped.
PROJECT_PARTS = ("site_data", "mkdocs.yml", "templates", "content", "overrides")


def render_in_memory(data: Dataset, templates_dir: Path, content_dir: Path) -> dict[str, bytes | None]:
    """The Markdown pages a build makes of valid data, made in memory: the shared pages, the
    hand-written ones and each story's own page (without its JSON-LD, which the exports add)."""
    links = actor_links(data.actors)
    stories = [resolve_story(story, data.actors, links) for story in sorted(data.stories, key=story_order)]
    pages = render_site(assemble_site(data.actors, tuple(story_listing(page) for page in stories)),
                        templates_dir, content_dir)
    pages.update(render_story(page, templates_dir) for page in stories)
    return pages


def copy_project(source: Path, dest: Path) -> Path:
    """Copy the project parts that exist under `source` into `dest`; return `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        path = source / part
        if path.is_dir():
            shutil.copytree(path, dest / part)
        elif path.is_file():
            shutil.copy2(path, dest / part)
    return dest


def run_build(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `build.py --root ROOT ARGS…` as editors do, capturing text output."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
        capture_output=True, text=True, timeout=timeout, cwd=REPO,
    )


def put_story(root: Path, source: Path | bytes | str, name: str | None = None) -> Path:
    """Make `source` (a file, or the bytes/text of one) the project's only story; return its path.

    The file keeps its own name unless `name` is given, so messages name e.g. `stories/bad-enum.yaml`.
    """
    stories = root / "site_data" / "stories"
    for old in stories.iterdir():
        old.unlink()
    if isinstance(source, Path):
        dest = stories / (name or source.name)
        shutil.copyfile(source, dest)
    else:
        dest = stories / (name or "story.yaml")
        dest.write_bytes(source.encode("utf-8") if isinstance(source, str) else source)
    return dest


def findings(root: Path) -> list[tuple[str, int, int, str, str, str]]:
    """Run the check in-process: (file, line, col, severity, code, message) per finding, sorted as
    the CLI prints them."""
    report = check_site(root / "site_data", root).report
    return [(d.file, d.line, d.col, d.severity, d.code, d.message) for d in report.sorted()]


# --- real pages in a real browser ----------------------------------------------------------------

# Debian's Chromium, or another one named by CONTESTED_CHROMIUM (CI runners have Chrome elsewhere).
CHROMIUM = Path(os.environ.get("CONTESTED_CHROMIUM", "/usr/bin/chromium"))
# Headless as root, and none of Chromium's own calls home: this machine has no network to give them.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_chromium() -> None:
    """Fail, never skip, without a browser: `make test` installs it."""
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package "
                    "(or set CONTESTED_CHROMIUM); the browser tests never skip.", pytrace=False)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 while the block runs; yields its base URL, without a final /."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
