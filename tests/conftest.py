"""Fixtures shared by every test folder, and the markers that sort tests into the fast loop or not.

The helpers the fixtures use live in the support package (tests/support/).

Markers (registered in pyproject.toml), set here by folder, file and fixture so no test has to say:
- `engine`: runs the site engine (MkDocs build or serve, in a subprocess or in process);
- `browser`: drives Chromium.
`make test-fast` runs `-m "not engine and not browser"`; `make test` runs everything.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import FIXTURES, REPO, copy_project, hash_tree
from support.site import BuiltSite, build_project

# Session and module fixtures that build a project with the real engine: any test using one is `engine`.
ENGINE_FIXTURES = frozenset({"bundled_site", "made_up_site", "built_site", "payload_site", "bundled",
                             "hostile", "built_project", "built_archive", "real_bundled_site"})
# Folders and files whose every test runs the engine or a browser (paths relative to tests/).
ENGINE_PATHS = ("site/", "browser/", "scale/test_incremental.py", "scale/test_index_pages.py",
                "scale/test_partial_builds.py",
                "security/test_nothing_lost.py",
                "editors/test_suite_on_other_data.py",  # reruns the suite, MkDocs tests included
                "preview/")
BROWSER_PATHS = ("browser/", "security/test_browser.py", "site/test_story_in_browser.py",
                 "preview/test_preview_in_browser.py")
TESTS = REPO / "tests"


SITE_DATA = os.path.join(REPO, "site_data")


def _refuse_site_data_reads(event: str, args: tuple[Any, ...]) -> None:
    """Audit hook: a test not named for the bundled story that opens a file in the repository's
    site_data/ fails on the spot, so the suite passes whatever stories editors put there."""
    if event != "open" or not isinstance(args[0], str | os.PathLike):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    if not path.startswith(SITE_DATA + os.sep):
        return
    test = os.environ.get("PYTEST_CURRENT_TEST", "collecting tests")
    if "bundled" not in test:
        raise RuntimeError(f"{test} reads {os.path.relpath(path, REPO)}: only tests named for the bundled "
                           "story may; use copy_project(), tests/fixtures/ or tmp_path")


sys.addaudithook(_refuse_site_data_reads)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.path)).relative_to(TESTS).as_posix()
        if path.startswith(BROWSER_PATHS):
            item.add_marker(pytest.mark.browser)
        if path.startswith(ENGINE_PATHS) or ENGINE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.engine)


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The repo's own project with the frozen Alibaba story (tests/fixtures/alibaba, not whatever
    site_data/ holds), copied and built once per test session with the real `build.py build`; shared
    by the site, exports and security suites. Read it, never change it: copy what you need to change.
    The session fails if anything in it changed."""
    built = build_project(copy_project(tmp_path_factory.mktemp("bundled") / "project"))
    before = hash_tree(built.root)
    yield built
    assert hash_tree(built.root) == before, "a test changed the shared bundled_site: copy it first"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project (templates, content, mkdocs.yml…) with the frozen Alibaba story as its
    site_data/ (tests/fixtures/alibaba), to change freely."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def minimal_project(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/minimal: one small valid story, its actors, no warnings."""
    return copy_project(tmp_path / "minimal", source=FIXTURES / "minimal")
