"""Shared test helpers: the repo root, throwaway project copies, and running `build.py`.

Imported by name (`from support import …`); pytest's `pythonpath` puts tests/ on the path."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `pytest` run without `python -m` still imports the package
    sys.path.insert(0, str(REPO))

from contested.build.pipeline import render_shared  # noqa: E402
from contested.build.runner import StoryJob, StoryOutput, check_actors, check_site, run_stories  # noqa: E402
from contested.config import read_site_config  # noqa: E402
from contested.content.load import story_files  # noqa: E402
from contested.diagnostics import Report  # noqa: E402
from contested.pages.resolve import actor_links  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures"
BROKEN = FIXTURES / "broken"  # the minimal story with one mistake per file
MINIMAL_STORY_FILE = FIXTURES / "minimal" / "site_data" / "stories" / "minimal.yaml"
STORY = "site_data/stories/{}"  # a story file's name in messages
# What a project folder holds; parts not written yet are skipped.
PROJECT_PARTS = ("site_data", "mkdocs.yml", "templates", "content", "overrides")


def render_in_memory(root: Path, templates_dir: Path, content_dir: Path) -> dict[str, bytes | None]:
    """The files a build makes of the valid data in `root`/site_data, through the build's own
    runner (`run_stories`) and site stage (`render_shared`), without the engine: the shared pages,
    the hand-written ones, and each story's page (JSON-LD included) and data files, which the
    runner writes to a throwaway docs folder and which are read back from it."""
    report = Report()
    _, actors = check_actors(root / "site_data", root, report)
    files = [(path, name, "") for path, name in story_files(root / "site_data", root, report)]
    config = read_site_config(root / "mkdocs.yml" if (root / "mkdocs.yml").is_file() else REPO / "mkdocs.yml")
    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        docs = Path(tmp)
        job = StoryJob(actors, StoryOutput(actor_links(actors), config, templates_dir, docs, frozenset()))
        outcomes = run_stories(files, job, workers=1)
        records = [o.record for o in outcomes if o.record is not None]
        assert not report.errors and len(records) == len(outcomes), "render_in_memory takes valid data"
        _, pages = render_shared(actors, records, config, templates_dir, content_dir)
        pages.update((p.relative_to(docs).as_posix(), p.read_bytes()) for p in docs.rglob("*") if p.is_file())
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
