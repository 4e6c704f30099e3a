"""Shared test helpers: the repo root, throwaway project copies, running `build.py`, hashing trees,
serving a folder to Chromium.

Imported by name (`from support import …`, `from support.site import …`); pytest's `pythonpath`
puts tests/ on the path. The modules beside this one hold what one suite alone needs: `site` (a
built site read back), `exports` (JSON out of a built site), `editors` (a small project written
into tmp_path), `scale` (synthetic archives)."""

from __future__ import annotations

import functools
import hashlib
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
from markupsafe import Markup

REPO = Path(__file__).resolve().parents[2]  # tests/support/__init__.py -> the repository
if str(REPO) not in sys.path:  # `pytest` run without `python -m` still imports the package
    sys.path.insert(0, str(REPO))

from contested.build.pipeline import render_shared  # noqa: E402
from contested.build.runner import (  # noqa: E402
    StoryJob,
    StoryOutput,
    check_actors,
    check_site,
    check_story,
    run_stories,
)
from contested.config import read_site_config  # noqa: E402
from contested.content.load import story_files  # noqa: E402
from contested.content.model import Actor, Story  # noqa: E402
from contested.diagnostics import Report  # noqa: E402
from contested.exports.listing import export_story  # noqa: E402
from contested.pages.resolve import actor_links, resolve_story, story_order  # noqa: E402
from contested.pages.views import StoryPage  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures"
BROKEN = FIXTURES / "broken"  # the minimal story with one mistake per file
# A frozen copy of the bundled Alibaba story and its actors: the realistic project the site, export,
# security and browser tests expect. Editors change site_data/; this stays as the tests know it.
ALIBABA = FIXTURES / "alibaba"
BUNDLED_STORY = "alibaba-pla-memo"  # the repo's own story in site_data/ (only tests named "bundled")
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


def copy_project(dest: Path, source: Path = REPO, site_data: Path | None = None) -> Path:
    """Copy the project parts that exist under `source` (the repository's own project unless given)
    into `dest`, with `site_data` as its site_data/ if given; return `dest`. Tests never change the
    repository's files: they change a copy. The repository's project gets the frozen Alibaba story
    (tests/fixtures/alibaba) as its data, never whatever site_data/ holds today."""
    if source == REPO and site_data is None:
        site_data = ALIBABA / "site_data"
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        path = source / part
        if part == "site_data" and site_data is not None:
            path = site_data
        if path.is_dir():
            shutil.copytree(path, dest / part)
        elif path.is_file():
            shutil.copy2(path, dest / part)
    return dest


def build_command(root: Path, *args: str) -> list[str]:
    """`python build.py --root ROOT ARGS…`, the command line editors type. Run on the repository
    itself, where it reads site_data/, only by tests named for the bundled story (see the audit hook
    in tests/conftest.py, which sees this process's reads only)."""
    reads_data = bool(args) and args[0] in ("check", "build", "serve")
    if reads_data and root.resolve() == REPO and "bundled" not in os.environ.get("PYTEST_CURRENT_TEST", ""):
        raise RuntimeError("only tests named for the bundled story may run build.py on the repository's "
                           "site_data/; use copy_project(), tests/fixtures/ or tmp_path")
    return [sys.executable, str(REPO / "build.py"), "--root", str(root), *args]


def build_env() -> dict[str, str]:
    """The environment without SOURCE_DATE_EPOCH: builds must be reproducible by default."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = str(REPO)
    return env


def run_build(root: Path, *args: str, timeout: float = 300, env: dict[str, str] | None = None,
              **options: object) -> subprocess.CompletedProcess[str]:
    """Run `build.py --root ROOT ARGS…` as editors do, from the repository, capturing text output;
    `env` defaults to `build_env()`, `options` go to subprocess.run (e.g. preexec_fn)."""
    return subprocess.run(build_command(root, *args), capture_output=True, text=True, timeout=timeout,
                          cwd=REPO, env=env or build_env(), **options)  # type: ignore[call-overload]


def hash_tree(root: Path) -> dict[str, str]:
    """sha256 of every file under root by relative path, directories and symlinks recorded too:
    equal dicts mean identical trees."""
    if not root.exists():
        return {}
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "symlink:" + os.readlink(path)
        elif path.is_dir():
            out[rel + "/"] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


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


def valid_data(root: Path) -> tuple[dict[str, Actor], list[Story]]:
    """The actors and stories of a project whose data has no error, as the runner checks them
    (the stories in file order)."""
    report = Report()
    _, actors = check_actors(root / "site_data", root, report)
    stories = [check_story(path, name, actors, report)
               for path, name in story_files(root / "site_data", root, report)]
    assert not report.errors, [d.message for d in report.errors]
    return actors, [story for story in stories if story is not None]


def story_pages(root: Path) -> tuple[dict[str, Actor], list[StoryPage]]:
    """The actors and each story's page of a valid project, in site order, resolved as the runner
    does (with the story's JSON-LD from its exports)."""
    actors, stories = valid_data(root)
    config_file = root / "mkdocs.yml" if (root / "mkdocs.yml").is_file() else REPO / "mkdocs.yml"
    links, config = actor_links(actors), read_site_config(config_file)
    return actors, [resolve_story(s, actors, links, Markup(export_story(s, actors, config).jsonld))
                    for s in sorted(stories, key=story_order)]


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
