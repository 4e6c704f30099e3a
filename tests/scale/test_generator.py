"""The benchmark's archives are valid, realistic-sized and the same on every run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from support.scale import story_path

from contested.build.runner import check_actors, check_site, check_story
from contested.diagnostics import Report


def test_an_archive_is_valid_and_deterministic(fresh_archive: Callable[[int], Path]) -> None:
    project = fresh_archive(3)
    result = check_site(project / "site_data", project)
    assert result.report.errors == []
    assert result.files == 1 + 3
    report = Report()
    _, actors = check_actors(project / "site_data", project, report)
    story = check_story(story_path(project, 0), "story", actors, report)
    assert len(actors) == 4 and story is not None and not report.errors
    assert (len(story.claims), len(story.sources), len(story.timeline)) == (12, 10, 15)
    assert len(story.responses) == 8
    assert 10_000 < story_path(project, 0).stat().st_size < 18_000
    again = fresh_archive(3)
    assert story_path(again, 0).read_bytes() == story_path(project, 0).read_bytes()
