"""A build regenerates only what a change affects, and its cache never serves stale pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support.scale import build, docs_state, edit_title, rewritten, story_path

from contested.build import cache
from contested.build.cache import environment_key, load_cache, save_cache
from contested.build.pipeline import BuildLog, generate
from contested.project import Project


def copy_of(project: Path, tmp_path: Path) -> Path:
    # A previous site being deleted in the background (.build/trash-*, swap.py) is not copied.
    return Path(shutil.copytree(project, tmp_path / "copy", symlinks=True,
                                ignore=shutil.ignore_patterns("trash-*")))


def regenerate(project: Path) -> BuildLog:
    """The generating stages as `build` runs them, and the cache it keeps, without the engine."""
    log = BuildLog()
    generated = generate(Project(project), log)
    assert generated.cache is not None, generated.report.errors
    save_cache(Project(project), generated.cache)
    return log


def detail(log: BuildLog, stage: str) -> str:
    return next(text for name, _, text in log.stages if name == stage)


def pages_showing(project: Path, index: int) -> set[str]:
    """The generated files where story `index`'s title appears: its page, the story lists, the
    pages of its tags and of every actor who speaks in it (5 stories: all fit on the home page),
    its open data, the stories index and, if it has a dated update, the feed."""
    story = yaml.safe_load(story_path(project, index).read_text(encoding="utf-8"))
    slug = story_path(project, index).stem
    actors = {c["claimant"] for c in story["claims"]} | {
        r["actor"] for r in story.get("responses", [])}
    data = {f"api/stories/{slug}.json", f"api/stories/{slug}/timeline.json", "api/stories.json"}
    feed = {"feed.xml"} if any(u["date"] != "unknown" for u in story.get("updates", [])) else set()
    return ({f"stories/{slug}.md", "index.md", "stories/index.md"} | data | feed
            | {f"tags/{tag}.md" for tag in story["tags"]} | {f"actors/{a}.md" for a in actors})


def test_a_second_build_rewrites_no_generated_file(built_archive: Path) -> None:
    before = docs_state(built_archive)
    build(built_archive)
    assert len(before) > 20
    assert docs_state(built_archive) == before


def test_one_edit_rewrites_exactly_the_pages_that_show_the_story(built_archive: Path, tmp_path: Path) -> None:
    project = copy_of(built_archive, tmp_path)
    before = docs_state(project)
    edit_title(project, 2, "Edited")
    build(project)
    changed = rewritten(before, docs_state(project))
    assert changed == pages_showing(project, 2)
    for page in changed:
        assert "Edited Story 2" in (project / ".build" / "docs" / page).read_text(encoding="utf-8")
    assert "Edited Story 2" in (project / "site" / "stories" / "story-00002" / "index.html").read_text()


def test_an_edit_reads_and_renders_only_the_changed_story(built_archive: Path, tmp_path: Path) -> None:
    project = copy_of(built_archive, tmp_path)
    edit_title(project, 1, "Edited")
    log = regenerate(project)
    assert detail(log, "scan").startswith("1 of 5 story files changed, ")
    assert detail(log, "stories").startswith("1 story file read in 1 process")
    assert detail(log, "site").startswith("5 stories in all")


def test_reverting_an_edit_restores_every_page(built_archive: Path, tmp_path: Path) -> None:
    project = copy_of(built_archive, tmp_path)
    docs = project / ".build" / "docs"
    original = {p: p.read_bytes() for p in docs.rglob("*.md")}
    text = story_path(project, 3).read_text(encoding="utf-8")
    edit_title(project, 3, "Edited")
    regenerate(project)
    story_path(project, 3).write_text(text, encoding="utf-8")
    regenerate(project)
    assert {p: p.read_bytes() for p in docs.rglob("*.md")} == original


def test_a_deleted_generated_file_is_written_again(built_archive: Path, tmp_path: Path) -> None:
    project = copy_of(built_archive, tmp_path)
    page = project / ".build" / "docs" / "stories" / "story-00001.md"
    content = page.read_bytes()
    page.unlink()
    regenerate(project)
    assert page.read_bytes() == content


def test_a_deleted_data_file_is_written_again(built_archive: Path, tmp_path: Path) -> None:
    # The cache keeps no copy of a story's data files: losing one makes that story count as changed.
    project = copy_of(built_archive, tmp_path)
    data = project / ".build" / "docs" / "api" / "stories" / "story-00001.json"
    content = data.read_bytes()
    data.unlink()
    log = regenerate(project)
    assert data.read_bytes() == content
    assert detail(log, "scan").startswith("1 of 5 story files changed, ")


def test_an_actor_edit_rerenders_the_stories_that_name_the_actor(built_archive: Path, tmp_path: Path) -> None:
    project = copy_of(built_archive, tmp_path)
    actors = project / "site_data" / "actors.yaml"
    actor_id = yaml.safe_load(story_path(project, 0).read_text())["claims"][0]["claimant"]
    text = actors.read_text(encoding="utf-8")
    start = text.index(f"{actor_id}:\n  name: \"") + len(f"{actor_id}:\n  name: \"")
    actors.write_text(text[:start] + "Renamed " + text[start:], encoding="utf-8")
    regenerate(project)
    assert "Renamed " in (project / ".build" / "docs" / "stories" / "story-00000.md").read_text()


def test_a_template_change_rerenders_every_page_it_makes(built_archive: Path, tmp_path: Path) -> None:
    project = copy_of(built_archive, tmp_path)
    template = project / "templates" / "story.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nTemplate changed.\n", encoding="utf-8")
    before = docs_state(project)
    log = regenerate(project)
    assert detail(log, "stories").startswith("5 story files read")
    stories = {f"stories/story-0000{i}.md" for i in range(5)}
    assert stories <= rewritten(before, docs_state(project))
    for page in stories:
        assert "Template changed." in (project / ".build" / "docs" / page).read_text(encoding="utf-8")


def test_a_code_change_invalidates_the_cache(built_archive: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project(copy_of(built_archive, tmp_path))
    code = Path(shutil.copytree(cache.CODE_DIR, tmp_path / "code"))
    monkeypatch.setattr(cache, "CODE_DIR", code)
    key = environment_key(project)
    assert load_cache(project, key) is not None  # the key is the code's content: a copy is the same code
    resolve = code / "pages" / "resolve.py"
    resolve.write_text(resolve.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert environment_key(project) != key
    assert load_cache(project, environment_key(project)) is None
    log = regenerate(project.root)
    assert detail(log, "stories").startswith("5 story files read")


def test_a_damaged_cache_is_ignored(built_archive: Path, tmp_path: Path) -> None:
    project = copy_of(built_archive, tmp_path)
    cache.cache_file(Project(project)).write_bytes(b"not a pickle")
    log = regenerate(project)
    assert detail(log, "stories").startswith("5 story files read")


def test_a_removed_story_leaves_every_page(built_archive: Path, tmp_path: Path) -> None:
    project = copy_of(built_archive, tmp_path)
    story_path(project, 4).unlink()
    log = regenerate(project)
    docs = project / ".build" / "docs"
    assert detail(log, "scan").startswith("0 of 4 story files changed, ")
    assert not (docs / "stories" / "story-00004.md").exists()
    assert not [p for p in docs.rglob("*.md") if "story-00004" in p.read_text(encoding="utf-8")]


def test_a_data_error_leaves_the_cache_for_after_the_fix(built_archive: Path, tmp_path: Path) -> None:
    project = copy_of(built_archive, tmp_path)
    text = story_path(project, 1).read_text(encoding="utf-8")
    story_path(project, 1).write_text(text.replace("status: ", "statsu: ", 1), encoding="utf-8")
    generated = generate(Project(project), BuildLog())
    assert generated.report.errors and generated.cache is None
    assert not generated.docs_changed  # the one story read had the error: nothing was written
    assert cache.cache_file(Project(project)).is_file()
    story_path(project, 1).write_text(text, encoding="utf-8")
    log = regenerate(project)
    assert detail(log, "scan").startswith("0 of 5 story files changed")
