"""build/cache: what is saved is what is loaded, under the same key only; anything else is no cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markupsafe import Markup
from support import FIXTURES, REPO, copy_project

from contested.build.cache import (
    BuildCache,
    Cache,
    cache_file,
    environment_key,
    file_digest,
    load_cache,
    save_cache,
)
from contested.build.pipeline import BuildLog, generate
from contested.content.load import story_files
from contested.diagnostics import Report
from contested.files import files_under
from contested.project import Project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A project with the repository's templates and mkdocs.yml (the cache key covers both)."""
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    shutil.copy2(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return Project(tmp_path)


def test_saved_and_loaded_under_the_same_key(project: Project) -> None:
    key = environment_key(project)
    save_cache(project, BuildCache(key, "actors-digest"))
    loaded = load_cache(project, key)
    assert loaded == BuildCache(key, "actors-digest")
    assert not list(cache_file(project).parent.glob(".*.tmp"))


def test_markup_comes_back_as_markup_and_is_not_escaped_again(project: Project) -> None:
    cache = BuildCache("k", "a")
    cache.__dict__["probe"] = Markup("<em>x</em> &amp; y")  # any Markup in the pickle goes the fast way
    save_cache(project, cache)
    loaded = load_cache(project, "k")
    assert loaded is not None
    probe = loaded.__dict__["probe"]
    assert type(probe) is Markup and str(probe) == "<em>x</em> &amp; y"
    assert Markup("%s") % probe == probe  # still trusted


def test_another_key_a_damaged_file_or_no_file_is_no_cache(project: Project) -> None:
    assert load_cache(project, "k") is None
    save_cache(project, BuildCache("k", "a"))
    assert load_cache(project, "other") is None
    cache_file(project).write_bytes(b"not a pickle")
    assert load_cache(project, "k") is None


def _plan(project: Project) -> tuple[Cache, list[str], list[str]]:
    """Open the cache as a build would and plan: (the cache, kept file names, changed file names)."""
    cache = Cache.open(project)
    files = story_files(project.data_dir, project.root, Report())
    plan = cache.plan(project.data_dir / "actors.yaml", files, files_under(project.docs_dir))
    return cache, sorted(plan.kept), sorted(name for _, name, _ in plan.changed)


@pytest.fixture
def built(tmp_path: Path) -> Project:
    """The minimal story's project, generated once (no engine): its docs folder and its cache."""
    project = Project(copy_project(tmp_path / "p", site_data=FIXTURES / "minimal" / "site_data"))
    generated = generate(project, BuildLog())
    assert generated.cache is not None and not generated.report.errors
    Cache.open(project).commit(generated.cache)
    return project


def test_an_unchanged_story_is_kept_and_an_edited_one_is_not(built: Project) -> None:
    cache, kept, changed = _plan(built)
    assert cache.last is not None and len(kept) == 1 and changed == []
    (story,) = (built.data_dir / "stories").glob("*.yaml")
    story.write_text(story.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert _plan(built)[1:] == ([], kept)


def test_a_story_whose_page_was_deleted_is_made_again(built: Project) -> None:
    _, kept, _ = _plan(built)
    for page in (built.docs_dir / "stories").glob("*.md"):
        page.unlink()
    assert _plan(built)[1:] == ([], kept)


def test_an_actors_change_makes_every_story_again(built: Project) -> None:
    _, kept, _ = _plan(built)
    actors = built.data_dir / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert _plan(built)[1:] == ([], kept)


def test_invalidate_then_restore_puts_the_last_cache_back_only_if_no_file_was_written(built: Project) -> None:
    cache = Cache.open(built)
    last = cache.last
    cache.invalidate()
    assert not cache_file(built).exists()
    assert cache.restore(docs_changed=True) is None and not cache_file(built).exists()
    assert cache.restore(docs_changed=False) is last
    assert load_cache(built, environment_key(built)) == last


def test_the_key_changes_with_the_templates_and_the_config(project: Project) -> None:
    key = environment_key(project)
    assert environment_key(project) == key
    story = project.templates_dir / "story.md.j2"
    story.write_text(story.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed_template = environment_key(project)
    assert changed_template != key
    with project.config_file.open("a", encoding="utf-8") as config:
        config.write("\n# an edit\n")
    assert environment_key(project) not in (key, changed_template)


def test_file_digest_follows_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "story.yaml"
    path.write_bytes(b"title: a\n")
    first = file_digest(path)
    assert file_digest(path) == first
    path.write_bytes(b"title: b\n")
    assert file_digest(path) != first
