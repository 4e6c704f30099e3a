"""Fixtures for the editors' workflow tests: a small project written into tmp_path, and runners."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # `pytest` run without `python -m` still imports the package
    sys.path.insert(0, str(REPO))

ACTORS = """\
us-dod:
  name: "U.S. Department of Defense"
  kind: government
  description: "The U.S. defence ministry."
  aliases: ["Pentagon"]
alibaba:
  name: "Alibaba Group"
  kind: company
  description: "A Chinese technology company."
  aliases: ["Alibaba"]
"""

# A story no rule warns about: attributed claim, two independent dated sources with links, a response.
CLEAN_STORY = """\
title: "Pentagon memo alleges Alibaba ties to the PLA; Alibaba denies"
summary: "A U.S. Department of Defense memo alleges ties between Alibaba and the PLA. Alibaba denies them."
status: developing
published: "2025-11-14"
updated: "2025-11-14"
sources:
  memo:
    title: "Memo on Alibaba"
    publisher: "U.S. Department of Defense"
    kind: document
    date: "2025-11"
    url: "https://example.org/memo"
  statement:
    title: "Alibaba statement"
    publisher: "Alibaba Group"
    kind: statement
    date: "2025-11-14"
    url: "https://example.org/statement"
claims:
  - id: memo-ties
    text: "The memo alleges that Alibaba has ties to the PLA."
    claimant: us-dod
    sources: [memo, statement]
    verification: unconfirmed
    responses:
      - actor: alibaba
        stance: denies
        text: "Alibaba denied the allegations."
        sources: [statement]
updates:
  - date: "2025-11-14"
    kind: update
    text: "First published."
"""


def write_project(root: Path, story: str, slug: str = "story") -> Path:
    """A project with our actors and one story; returns the project root."""
    stories = root / "site_data" / "stories"
    stories.mkdir(parents=True, exist_ok=True)
    (root / "site_data" / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (stories / f"{slug}.yaml").write_text(story, encoding="utf-8")
    return root


@pytest.fixture
def clean_project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project", CLEAN_STORY)


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A copy of the repository's site_data/ (the bundled story and actors) to change freely."""
    dest = tmp_path / "bundled"
    shutil.copytree(REPO / "site_data", dest / "site_data")
    return dest


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`build.py --root ROOT ARGS…` as editors run it."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
