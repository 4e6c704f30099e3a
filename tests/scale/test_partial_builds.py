"""The published site is byte for byte what a clean whole build in one engine process makes of the
same data, whichever way the engine stage took: an update of the pages a change touched, a cold
build in parallel parts, or the whole build it falls back to."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from support import build_env, hash_tree, run_build
from support.scale import ARCHIVE_SIZE, edit_title, generate_archive, story_path

from contested.build import pipeline
from contested.build.pipeline import BuildLog
from contested.build.verify import UnsafeOutputError
from contested.project import Project

PARTS = ("mkdocs.yml", "templates", "content", "overrides", "site_data")


def build(project: Path, processes: int = 2) -> dict[str, str]:
    """`build.py build` as editors run it; each stage's detail, by stage."""
    env = {**build_env(), "CONTESTED_ENGINE_PROCESSES": str(processes)}
    result = run_build(project, "build", "--timings", "json", env=env)
    assert result.returncode == 0, result.stderr
    return {s["stage"]: s["detail"] for s in json.loads(result.stdout.strip().splitlines()[-1])}


def whole_build(project: Path, where: Path) -> dict[str, str]:
    """The reference: the same data, config, templates and theme built from nothing in one engine process."""
    fresh = where / "reference"
    for part in PARTS:
        source = project / part
        if source.is_dir():
            shutil.copytree(source, fresh / part)
        else:
            fresh.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, fresh / part)
    assert build(fresh, processes=1)["engine"].endswith("whole site in 1 engine process")
    return hash_tree(fresh / "site")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A synthetic archive, built cold in two engine processes at once: the same site as one makes."""
    project = generate_archive(ARCHIVE_SIZE + 3, tmp_path / "archive")
    assert "2 engine processes at once, merged" in build(project)["engine"]
    assert hash_tree(project / "site") == whole_build(project, tmp_path / "cold")
    return project


def test_parts_of_hundreds_of_pages_are_named_in_a_few_patterns_each(tmp_path: Path) -> None:
    """MkDocs matches every docs file against every `exclude_docs` pattern of a part's config: a
    part names its pages (runs of names) in a few patterns, however many there are; in three
    processes as in two, the site is a whole build's."""
    project = generate_archive(150, tmp_path / "archive")
    assert "3 engine processes at once, merged" in build(project, processes=3)["engine"]
    pages = sum(1 for _ in (project / ".build" / "docs").rglob("*.md"))
    configs = sorted((project / ".build" / "engine").glob("part-*.yml"))
    counts = [len(yaml.safe_load(c.read_text(encoding="utf-8"))["exclude_docs"].splitlines())
              for c in configs]
    assert len(configs) == 3 and pages > 250
    assert max(counts) <= 25, counts  # a pattern a page: about 90 each
    assert hash_tree(project / "site") == whole_build(project, tmp_path / "whole")


def add_story(project: Path) -> None:
    """A new story, published after every other (the archive ends in 2025) but not after today, which
    would hold it back: the site's date (sitemap, gzip header) moves too."""
    text = story_path(project, 3).read_text(encoding="utf-8")
    text = re.sub(r'^title: "', 'title: "Added ', text, count=1, flags=re.M)
    text = re.sub(r'^(published|updated): "[^"]*"', r'\1: "2026-01-15"', text, flags=re.M)
    story_path(project, 3).with_name("story-00077.yaml").write_text(text, encoding="utf-8")


def rename_actor(project: Path) -> None:
    actors = project / "site_data" / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    renamed = re.sub(r'(actor-00001:\n  name: )"[^"]*"', r'\1"Renamed Actor"', text)
    assert renamed != text
    actors.write_text(renamed, encoding="utf-8")


def change_template(project: Path) -> None:
    template = project / "templates" / "story.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + '\n<p class="ct-note">Template changed.</p>\n',
                        encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit": lambda project: edit_title(project, 2, "Edited"),
    "added story": add_story,
    "removed story": lambda project: story_path(project, 1).unlink(),
    "actors": rename_actor,
    "template": change_template,
    "nothing": lambda project: None,
}


@pytest.mark.parametrize("change", CHANGES)
def test_an_update_publishes_what_a_whole_build_would(archive: Path, tmp_path: Path, change: str) -> None:
    before = hash_tree(archive / "site")
    CHANGES[change](archive)
    engine = build(archive)["engine"]
    assert "updated:" in engine and "the rest linked from site/" in engine
    after = hash_tree(archive / "site")
    assert after == whole_build(archive, tmp_path)
    assert (after != before) == (change != "nothing")


def test_a_site_changed_since_it_was_published_is_built_whole(archive: Path, tmp_path: Path) -> None:
    page = next((archive / "site" / "stories").glob("story-*/index.html"))
    page.write_text("changed by hand", encoding="utf-8")
    edit_title(archive, 2, "Edited")
    assert "2 engine processes at once" in build(archive)["engine"]
    assert hash_tree(archive / "site") == whole_build(archive, tmp_path)


def test_a_theme_override_change_builds_the_whole_site(archive: Path, tmp_path: Path) -> None:
    css = archive / "overrides" / "assets" / "contested.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert "2 engine processes at once" in build(archive)["engine"]
    assert hash_tree(archive / "site") == whole_build(archive, tmp_path)


def test_a_broken_page_in_an_update_fails_as_the_whole_build_does(archive: Path) -> None:
    before = hash_tree(archive / "site")
    template = archive / "templates" / "story.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n[a broken link](nowhere/at-all.md)\n",
                        encoding="utf-8")
    result = run_build(archive, "build", env={**build_env(), "CONTESTED_ENGINE_PROCESSES": "2"})
    assert result.returncode == 1
    assert "nowhere/at-all.md" in result.stderr and "site/ was left as it was" in result.stderr
    assert hash_tree(archive / "site") == before


def test_an_update_that_makes_a_script_is_refused_and_site_is_left_as_it_was(archive: Path) -> None:
    before = hash_tree(archive / "site")
    template = archive / "templates" / "story.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n<div><script>alert(1)</script></div>\n",
                        encoding="utf-8")
    log = BuildLog()
    with pytest.raises(UnsafeOutputError, match=r"stories/story-\d+/index.html:\d+: inline <script>"):
        pipeline.build(Project(archive), log)
    engine = next(detail for name, _, detail in log.stages if name == "engine")
    assert "updated:" in engine  # only the changed pages were checked, and that was enough
    assert hash_tree(archive / "site") == before
    assert not list((archive / ".build").glob("site-*"))


def test_a_nav_entry_without_a_title_builds_the_whole_site(archive: Path, tmp_path: Path) -> None:
    """A page's title in the nav could then come from its content: no page can be built alone."""
    config = archive / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - Open data: open-data.md", "  - open-data.md"), encoding="utf-8")
    assert config.read_text(encoding="utf-8") != text
    assert build(archive)["engine"].endswith("whole site in 1 engine process")
    assert hash_tree(archive / "site") == whole_build(archive, tmp_path)


def test_without_the_pages_sitemap_the_site_is_built_whole_at_once(archive: Path, tmp_path: Path) -> None:
    """Parts are merged through sitemap-pages.xml; without it the site is built whole, and at once
    (not in parts first, to be thrown away), with the theme's own sitemap.xml listing the pages."""
    config = archive / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  static_templates:\n    - sitemap-pages.xml\n", ""), encoding="utf-8")
    (archive / "overrides" / "sitemap.xml").unlink()
    assert config.read_text(encoding="utf-8") != text
    shutil.rmtree(archive / ".build" / "engine")  # the cold build's part configs
    assert build(archive)["engine"].endswith("whole site in 1 engine process")
    assert not list((archive / ".build").glob("engine/part-*.yml"))  # no parts were tried
    assert "<urlset" in (archive / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert hash_tree(archive / "site") == whole_build(archive, tmp_path)
