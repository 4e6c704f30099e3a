"""No file in the docs folder is claimed twice: a hand-written page or a story named like a page
of the site stops the build, whether the story was just read or kept from the last build; and
`check` holds warnings back while there are errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.scale import story_path

from contested.build.cache import save_cache
from contested.build.pipeline import BuildLog, generate
from contested.build.runner import check_site
from contested.pages.render import RenderError
from contested.project import Project


def first_build(project: Path) -> None:
    generated = generate(Project(project), BuildLog())
    assert generated.cache is not None
    save_cache(Project(project), generated.cache)


@pytest.mark.parametrize("kept", [False, True], ids=["story just read", "story kept from the last build"])
def test_a_content_page_may_not_replace_a_story_page(fresh_archive: Callable[[int], Path],
                                                     kept: bool) -> None:
    project = fresh_archive(5)
    if kept:
        first_build(project)
    slug = story_path(project, 1).stem
    (project / "content" / "stories").mkdir(parents=True, exist_ok=True)
    (project / "content" / "stories" / f"{slug}.md").write_text("# Hand-written\n", encoding="utf-8")
    clash = f"^content/stories/{slug}.md has the same path as a generated page"
    with pytest.raises(RenderError, match=clash):
        generate(Project(project), BuildLog())


def test_a_story_may_not_be_named_like_the_stories_index(fresh_archive: Callable[[int], Path]) -> None:
    project = fresh_archive(5)
    story_path(project, 2).rename(project / "site_data" / "stories" / "index.yaml")
    generated = generate(Project(project), BuildLog())
    (error,) = generated.report.errors
    assert (error.file, error.line, error.col) == ("site_data/stories/index.yaml", 1, 1)
    assert error.code == "bad-slug"
    assert "reserved" in error.message


def test_check_lists_warnings_once_there_are_no_errors(fresh_archive: Callable[[int], Path]) -> None:
    project = fresh_archive(5)
    assert check_site(project / "site_data", project).report.warnings  # the archive has warnings
    text = story_path(project, 3).read_text(encoding="utf-8")
    story_path(project, 3).write_text(text.replace("status: ", "statsu: ", 1), encoding="utf-8")
    report = check_site(project / "site_data", project).report
    assert [d.code for d in report.items] == ["unknown-key"]
