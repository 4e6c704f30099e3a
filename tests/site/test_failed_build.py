"""A build that fails at any stage leaves site/ byte-identical, and never writes into editors' files."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from support import ALIBABA, FIXTURES, REPO, copy_project, hash_tree, run_build
from support.site import BuiltSite, build_project

EDITOR_FOLDERS = ("site_data", "content", "templates")
# Where copy_project() took each folder from: the data is the frozen fixture, not site_data/.
SOURCES = {"site_data": ALIBABA / "site_data", "content": REPO / "content", "templates": REPO / "templates"}
STORY = Path("site_data/stories/alibaba-pla-memo.yaml")


def break_data(root: Path) -> str:
    """A claim names an actor that does not exist: `check` fails."""
    path = root / STORY
    text = path.read_text()
    path.write_text(text.replace("claimant: us-officials", "claimant: no-such-actor", 1))
    return r"alibaba-pla-memo\.yaml:\d+:\d+: error"


def break_template(root: Path) -> str:
    """A template uses a field the view model does not have: StrictUndefined stops the render."""
    path = root / "templates" / "story.md.j2"
    path.write_text(path.read_text() + "\n{{ page.no_such_field }}\n")
    return r"templates/story\.md\.j2:\d+: .*no_such_field"


def break_engine(root: Path) -> str:
    """A hand-written page links to a page that does not exist: `mkdocs build --strict` aborts."""
    (root / "content" / "broken-link.md").write_text("# Broken\n\nSee [this](no-such-page.md).\n")
    return r"the site engine failed"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_project(copy_project(tmp_path_factory.mktemp("failing")))


@pytest.mark.parametrize("breakage", [break_data, break_template, break_engine],
                         ids=["data-error", "template-error", "engine-error"])
def test_failed_build_leaves_site_byte_identical(project: BuiltSite, breakage: Callable[[Path], str]) -> None:
    root = project.root
    pristine = {folder: hash_tree(root / folder) for folder in EDITOR_FOLDERS}
    site_before = hash_tree(project.site)
    assert "stories/alibaba-pla-memo/index.html" in site_before

    message = breakage(root)
    broken = {folder: hash_tree(root / folder) for folder in EDITOR_FOLDERS}
    try:
        result = run_build(root, "build")
        assert result.returncode == 1, result.stderr
        assert re.search(message, result.stderr), result.stderr
        assert "Traceback" not in result.stderr
        assert hash_tree(project.site) == site_before
        assert {folder: hash_tree(root / folder) for folder in EDITOR_FOLDERS} == broken
        assert not list((root / ".build").glob("site-*")), "a half-built site was left behind"
    finally:
        _restore(root, pristine)

    # the next good build succeeds, without touching editors' files either
    result = run_build(root, "build")
    assert result.returncode == 0, result.stderr
    assert (project.site / "stories/alibaba-pla-memo/index.html").is_file()
    assert {folder: hash_tree(root / folder) for folder in EDITOR_FOLDERS} == pristine


def _restore(root: Path, pristine: dict[str, dict[str, str]]) -> None:
    """Put back the repo's files the breakage changed, and remove what it added."""

    for folder, hashes in pristine.items():
        for path in (root / folder).rglob("*"):
            rel = path.relative_to(root / folder).as_posix()
            if path.is_file() and rel not in hashes:
                path.unlink()
        for rel in hashes:
            if not rel.endswith("/"):  # hash_tree records folders too, as "name/"
                (root / folder / rel).write_bytes((SOURCES[folder] / rel).read_bytes())


def test_a_site_without_tags_builds(tmp_path) -> None:
    # The nav always links to the tags index, so it must exist even when no story has a tag.
    root = copy_project(tmp_path / "untagged", site_data=FIXTURES / "minimal" / "site_data")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stderr
    page = (root / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    assert "No story is tagged yet." in page
