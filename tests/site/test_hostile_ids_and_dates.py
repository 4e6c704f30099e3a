"""Values `check` must refuse because the build could not publish them: a date the engine's
timestamps cannot hold, an actor or tag that would take the address of a list page."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import FIXTURES, copy_project, run_build

STORY = "site_data/stories/minimal.yaml"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", site_data=FIXTURES / "minimal" / "site_data")


def edit(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def refused(root: Path, where: str, message: str, hint: str) -> None:
    """`check` and `build` both fail with the position, message and hint; no site is published."""
    check = run_build(root, "check")
    assert check.returncode == 1, check.stderr
    assert f"{where}: error: {message}" in check.stderr, check.stderr
    assert hint in check.stderr
    build = run_build(root, "build")
    assert build.returncode == 1, build.stderr
    assert f"{where}: error: {message}" in build.stderr
    assert "Traceback" not in build.stderr and not (root / "site").exists()


@pytest.mark.parametrize(("date", "year"), [("2206-01-15", "2206"), ("0001-01-01", "0001"),
                                            ("c. 2101", "2101")])
def test_a_date_outside_1000_to_2100_is_refused(small: Path, date: str, year: str) -> None:
    edit(small, STORY, 'updated: "2025-11-20"', f'updated: "{date}"')
    refused(small, f"{STORY}:5:10", f"'{date}' has year {year}: dates run from 1000 to 2100",
            "check the year for a typo (e.g. 2206 for 2026)")


def test_the_edges_of_the_range_build(small: Path) -> None:
    edit(small, STORY, 'updated: "2025-11-20"', 'updated: "2100-12-31"')
    edit(small, STORY, 'date: "2025-11"', 'date: "1000"')
    result = run_build(small, "build")
    assert result.returncode == 0, result.stderr
    page = (small / "site" / "stories" / "minimal" / "index.html").read_text(encoding="utf-8")
    assert "31 December 2100" in page


def test_an_actor_named_index_is_refused(small: Path) -> None:
    edit(small, "site_data/actors.yaml", "alibaba:\n", 'index:\n  name: "Index"\n  kind: company\n'
         '  description: "Takes the Who\'s who page."\nalibaba:\n')
    refused(small, "site_data/actors.yaml:1:1",
            "'index' is reserved: the site's list of all actors has that address", "rename the actor")


def test_a_tag_named_index_is_refused(small: Path) -> None:
    edit(small, STORY, 'updated: "2025-11-20"\n', 'updated: "2025-11-20"\ntags: [ai, index]\n')
    refused(small, f"{STORY}:6:12", "'index' is reserved: the site's list page has that address",
            "choose another tag")
