"""Each story file's own way through the stages: load, validate, lint, resolve, export, render, write.

A story depends on nothing but its file and the actors, so this work is done once per changed
story file, and on a large build in parallel worker processes. Each valid story's own files (its
page, its data files) are written to the docs folder where they are made, so their bytes never
travel between processes; what a worker sends back is small: the story's diagnostics and its
record for the build cache (its listing for the shared pages, its place in the site order, its
share of the site-wide exports, the names of its files).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from contested.build.cache import StoryRecord
from contested.build.check import check_story
from contested.build.parallel import can_fork, chunked, run_chunks, workers_for
from contested.build.write import write_files
from contested.content.dates import PartialDate
from contested.content.model import Actor
from contested.diagnostics import Diagnostic, Report
from contested.exports.story import SiteConfig, export_story
from contested.pages.render import make_environment, render_story
from contested.pages.resolve import last_updated, resolve_story, story_listing, story_order
from contested.pages.views import ActorLink

STEPS = ("check", "resolve", "render", "write")


@dataclass(frozen=True)
class StoryJob:
    """What every story's work shares: the actors, the site's settings and the templates."""

    actors: dict[str, Actor]
    links: dict[str, ActorLink]  # resolve.actor_links(actors), made once
    config: SiteConfig
    templates_dir: Path
    docs_dir: Path  # where each story's files are written
    present: frozenset[str]  # the files the docs folder held when the build began
    bytecode_dir: Path | None = None  # render.make_environment's
    resolve: bool = True  # False when the actors file has errors: check the stories, make nothing


@dataclass
class StoryOutcome:
    file: str  # its name in messages
    diagnostics: list[Diagnostic]
    record: StoryRecord | None  # None when the story has errors (or was only checked)
    written: int = 0  # of its files, how many were new or changed
    unchanged: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # CPU seconds of each of STEPS


def build_story(path: Path, name: str, digest: str, job: StoryJob) -> StoryOutcome:
    """One story file through every stage that needs no other story."""
    seconds: dict[str, float] = {}
    report = Report()
    with _timed(seconds, "check"):
        story = check_story(path, name, job.actors, report)
    if story is None or report.errors or not job.resolve:
        return StoryOutcome(name, report.items, None, seconds=seconds)
    with _timed(seconds, "resolve"):
        export = export_story(story, job.actors, job.config)
        page = replace(resolve_story(story, job.actors, job.links), jsonld=Markup(export.jsonld))
        listing = story_listing(page)
    with _timed(seconds, "render"):
        page_path, text = render_story(page, job.templates_dir, job.bytecode_dir)
    files = {page_path: text, **export.files}
    with _timed(seconds, "write"):
        written, unchanged = write_files(files, job.docs_dir, job.present)
    record = StoryRecord(name, digest, report.items, listing, story_order(story),
                         _first_day(last_updated(story)), export.listing, tuple(files))
    return StoryOutcome(name, report.items, record, written, unchanged, seconds)


def build_stories(files: list[tuple[Path, str, str]], job: StoryJob,
                  workers: int | None = None) -> list[StoryOutcome]:
    """`build_story` for each (path, name, digest), in order; in `workers` processes (default: as
    many as are worth it, `parallel.workers_for`). Only the outcomes cross between processes, and
    they are small: no file bytes."""
    workers = processes_for(len(files), workers)
    if workers > 1:  # forked workers inherit the compiled template rather than each compiling it
        make_environment(job.templates_dir, job.bytecode_dir).get_template("story.md.j2")

    def work(chunk: Sequence[tuple[Path, str, str]]) -> list[StoryOutcome]:
        return [build_story(path, name, digest, job) for path, name, digest in chunk]

    return [outcome for done in run_chunks(chunked(files, workers), work, workers) for outcome in done]


def processes_for(count: int, workers: int | None = None) -> int:
    """How many processes `build_stories` uses for `count` files: `workers` (at most one a file),
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
