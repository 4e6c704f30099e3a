"""Load, validate and lint: the whole `check` command, and the first steps of every story in a build.

A story file is checked on its own against the actors (`check_story`): no story depends on another,
so `build` can check stories in parallel and skip those unchanged since the last build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from contested.content.lint import lint_story
from contested.content.load import Document, display_name, load_document, story_files
from contested.content.model import Actor, Dataset, Story
from contested.content.scaffold import find_placeholders
from contested.content.validate import validate_actors, validate_story
from contested.diagnostics import Report


@dataclass
class CheckResult:
    data: Dataset
    report: Report
    files: int


def check_site(data_dir: Path, root: Path) -> CheckResult:
    """Every problem in the site's data, found in one pass; warnings once there are no errors."""
    report = Report()
    actors_file, actors = check_actors(data_dir, root, report)
    files = story_files(data_dir, root, report)
    stories = [story for path, name in files
               if (story := check_story(path, name, actors, report)) is not None]
    report.hold_back_warnings()
    return CheckResult(Dataset(actors_file, actors, stories), report, 1 + len(files))


def check_actors(data_dir: Path, root: Path, report: Report) -> tuple[str, dict[str, Actor]]:
    """The actors file's name in messages, and its actors (usable if it added no errors)."""
    doc = load_document(data_dir / "actors.yaml", display_name(data_dir / "actors.yaml", root), report)
    find_placeholders(doc, report)
    return doc.name, validate_actors(doc, report)


def check_story(path: Path, name: str, actors: dict[str, Actor], report: Report) -> Story | None:
    """One story file loaded, validated and, if it has no errors of its own, linted. Its problems
    go to `report`; the story is returned when it converted (usable if it added no errors)."""
    own = Report()
    doc = load_document(path, name, own)
    story = None if _has_placeholders(doc, own) else validate_story(doc, actors, own)
    if story is not None and not own.errors:
        own.extend(lint_story(story, actors, doc.text))
    report.extend(own.items)
    return story


def _has_placeholders(doc: Document, report: Report) -> bool:
    # A story with TODOs left from `build.py new` gets only the placeholder errors, not a cascade of
    # bad-id and unknown-reference errors about the same unfilled values.
    return doc.root is not None and find_placeholders(doc, report)

