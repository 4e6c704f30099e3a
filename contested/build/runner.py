"""Each story file's own way through the stages: load, validate, lint, then (in build mode) resolve,
export, render and write. The one runner `check`, `build`, `serve` and the tests go through.

A story depends on nothing but its file and the actors, so this work is done once per changed
story file, and on a large build in parallel worker processes. In check-only mode (`StoryJob`
without an `output`) a story is loaded, validated and linted, and nothing is made. In build mode
each valid story's own files (its page, its data files) are written to the docs folder where they
are made, so their bytes never travel between processes; what a worker sends back is small: the
story's diagnostics and its `StoryRecord` (its listing for the shared pages, its place in the site
order, its share of the site-wide exports, the names of its files), which the build cache keeps.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from contested.build.parallel import can_fork, chunked, run_chunks, workers_for
from contested.build.write import write_files
from contested.config import SiteConfig
from contested.content.dates import PartialDate
from contested.content.front_matter import check_content_pages
from contested.content.lint import lint_story
from contested.content.load import Document, display_name, load_document, story_files
from contested.content.model import Actor, Story
from contested.content.scaffold import find_placeholders
from contested.content.validate import validate_actors, validate_story
from contested.diagnostics import Diagnostic, Report
from contested.exports.listing import ExportListing, export_story
from contested.pages.render import make_environment, render_story
from contested.pages.resolve import last_updated, resolve_story, story_listing, story_order
from contested.pages.views import ActorLink, StoryListing

STEPS = ("check", "resolve", "render", "write")

# A story file to run: its path, its name in messages, the digest of its bytes (for the cache).
StoryFile = tuple[Path, str, str]


@dataclass
class StoryRecord:
    """One story file as a build saw it: what the shared pages and exports need of it."""

    file: str  # its name in messages, e.g. site_data/stories/x.yaml
    digest: str
    diagnostics: list[Diagnostic]  # its warnings (a build with errors is never cached)
    listing: StoryListing  # its summary and what each actor says in it
    order: tuple[tuple[int, int, int], str]  # resolve.story_order(story)
    updated: dt.date | None  # first day of its "Last updated" date, for SOURCE_DATE_EPOCH
    export: ExportListing  # its index row and feed entries
    files: tuple[str, ...]  # its page and data files in the docs folder, which holds them


@dataclass(frozen=True)
class StoryOutput:
    """What build mode needs beyond the check: the site's settings, the templates, the docs folder."""

    links: dict[str, ActorLink]  # resolve.actor_links(actors), made once
    config: SiteConfig
    templates_dir: Path
    docs_dir: Path  # where each story's files are written
    present: frozenset[str]  # the files the docs folder held when the build began
    bytecode_dir: Path | None = None  # render.make_environment's


@dataclass(frozen=True)
class StoryJob:
    """What every story's work shares: the actors and, in build mode, the output's settings."""

    actors: dict[str, Actor]
    output: StoryOutput | None = None  # None: check only (the `check` command, or actors with errors)


@dataclass
class StoryOutcome:
    file: str  # its name in messages
    diagnostics: list[Diagnostic]
    record: StoryRecord | None  # None when the story has errors (or was only checked)
    written: int = 0  # of its files, how many were new or changed
    unchanged: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # CPU seconds of each of STEPS


@dataclass
class CheckResult:
    report: Report
    files: int  # the data files read, the actors file included


def check_site(data_dir: Path, root: Path, workers: int | None = None,
               only: Collection[str] | None = None) -> CheckResult:
    """Every problem in the site's data, found in one pass; warnings once there are no errors.
    `only`: check just these story files (named as in messages) and the actors file they use."""
    report = Report()
    _, actors = check_actors(data_dir, root, report)
    if only is None:
        files = story_files(data_dir, root, report)
        check_content_pages(root / "content", root, report)  # their front matter
    else:
        listed = Report()  # problems of the folder's other files are not asked about
        files = [(path, name) for path, name in story_files(data_dir, root, listed) if name in only]
        report.extend(d for d in listed.items if d.file in only)
    for outcome in run_stories([(path, name, "") for path, name in files], StoryJob(actors), workers):
        report.extend(outcome.diagnostics)
    report.hold_back_warnings()
    return CheckResult(report, 1 + len(files))


def check_actors(data_dir: Path, root: Path, report: Report) -> tuple[str, dict[str, Actor]]:
    """The actors file's name in messages, and its actors (usable if it added no errors)."""
    name = display_name(data_dir / "actors.yaml", root)
    if data_dir.is_symlink():  # outside the repository, perhaps: never read (story_files reports it)
        return name, {}
    doc = load_document(data_dir / "actors.yaml", name, report)
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


def run_story(path: Path, name: str, digest: str, job: StoryJob) -> StoryOutcome:
    """One story file through every stage that needs no other story (only the check, in check mode)."""
    seconds: dict[str, float] = {}
    report = Report()
    with _timed(seconds, "check"):
        story = check_story(path, name, job.actors, report)
    out = job.output
    if story is None or report.errors or out is None:
        return StoryOutcome(name, report.items, None, seconds=seconds)
    with _timed(seconds, "resolve"):
        export = export_story(story, job.actors, out.config)
        page = resolve_story(story, job.actors, out.links, Markup(export.jsonld))
        listing = story_listing(page)
    with _timed(seconds, "render"):
        page_path, text = render_story(page, out.templates_dir, out.bytecode_dir)
    files = {page_path: text, **export.files}
    with _timed(seconds, "write"):
        written, unchanged = write_files(files, out.docs_dir, out.present)
    record = StoryRecord(name, digest, report.items, listing, story_order(story),
                         _first_day(last_updated(story)), export.listing, tuple(files))
    return StoryOutcome(name, report.items, record, written, unchanged, seconds)


def run_stories(files: Sequence[StoryFile], job: StoryJob, workers: int | None = None) -> list[StoryOutcome]:
    """`run_story` for each file, in order; in `workers` processes (default: as many as are worth
    it, `parallel.workers_for`). Only the outcomes cross between processes, and they are small."""
    workers = processes_for(len(files), workers)
    if workers > 1 and job.output is not None:  # forked workers inherit the compiled template
        make_environment(job.output.templates_dir, job.output.bytecode_dir).get_template("story.md.j2")

    def work(chunk: Sequence[StoryFile]) -> list[StoryOutcome]:
        return [run_story(path, name, digest, job) for path, name, digest in chunk]

    return [outcome for done in run_chunks(chunked(files, workers), work, workers) for outcome in done]


def processes_for(count: int, workers: int | None = None) -> int:
    """How many processes `run_stories` uses for `count` files: `workers` (at most one a file),
    or by default as many as are worth it (`parallel.workers_for`)."""
    if workers is None:
        return workers_for(count)
    return max(1, min(workers, count)) if can_fork() else 1


@contextmanager
def _timed(seconds: dict[str, float], step: str) -> Iterator[None]:
    start = time.process_time()
    try:
        yield
    finally:
        seconds[step] = seconds.get(step, 0.0) + time.process_time() - start


def _first_day(date: PartialDate) -> dt.date | None:
    """The earliest day a date can mean: never a day in the future of what the page shows."""
    return dt.date(*date.sort_key()) if date.known else None
