"""build/cache: what is saved is what is loaded, under the same key only; anything else is no cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markupsafe import Markup
from support import REPO

from contested.build.cache import (
    BuildCache,
    cache_file,
    clear_cache,
    environment_key,
    file_digest,
    load_cache,
    save_cache,
)
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


def test_clear_cache_removes_it(project: Project) -> None:
    save_cache(project, BuildCache("k", "a"))
    clear_cache(project)
    assert not cache_file(project).exists()
    assert load_cache(project, "k") is None
    clear_cache(project)  # clearing twice is fine


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
