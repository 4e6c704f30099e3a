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
import gc
import os
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from contested.build.parallel import can_fork, chunked, run_chunks, workers_for
from contested.build.write import write_files
from contested.config import SiteConfig
from contested.content.dates import PartialDate
from contested.content.embargo import build_clock, future_dates, held_back, preview_banner, published_part
from contested.content.front_matter import check_content_pages
from contested.content.lint import lint_story
from contested.content.load import Document, display_name, load_document, story_files
from contested.content.model import Actor, Story
from contested.content.scaffold import find_placeholders
from contested.content.validate import validate_actors, validate_story
from contested.diagnostics import Diagnostic, Report
from contested.exports.listing import ExportListing, export_story
from contested.files import OUTPUT_ALLOWANCE, OUTPUT_MULTIPLE, OutputTooLarge, check_size, output_limit
from contested.pages.render import make_environment, render_redirect, render_story
from contested.pages.resolve import last_updated, resolve_story, shared_output, story_listing, story_order
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
    banner: str = ""  # the preview's note on what the build would not publish (embargo.preview_banner)
    formerly: tuple[tuple[str, int, int], ...] = ()  # its old slugs, where each is written


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
    slugs: frozenset[str] = frozenset()  # every story's slug, which no story's `formerly:` may take
    preview: bool = False  # drafts and embargoed parts built too (the preview), each page with its banner
    today: dt.date = field(default_factory=build_clock)  # the clock of drafts and embargoes (embargo.py)


@dataclass
class StoryOutcome:
    file: str  # its name in messages
    diagnostics: list[Diagnostic]
    record: StoryRecord | None  # None when the story has errors (or was only checked)
    written: int = 0  # of its files, how many were new or changed
    unchanged: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # CPU seconds of each of STEPS
    formerly: tuple[tuple[str, int, int], ...] = ()  # its old slugs (`formerly:`), each where written


@dataclass
class CheckResult:
    report: Report
    files: int  # the data files read, the actors file included


@contextmanager
def gc_paused() -> Iterator[None]:
    """The stages build millions of small objects that live until the command ends. The cyclic
    collector would walk them again and again (half of a large build's time, and a cost growing
    faster than the input) and frees nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_site(data_dir: Path, root: Path, workers: int | None = None,
               only: Collection[str] | None = None) -> CheckResult:
    """Every problem in the site's data, found in one pass; warnings once there are no errors.
    `only`: check just these story files (named as in messages) and the actors file they use."""
    with gc_paused():
        return _check_site(data_dir, root, workers, only)


def _check_site(data_dir: Path, root: Path, workers: int | None,
                only: Collection[str] | None) -> CheckResult:
    report = Report()
    _, actors = check_actors(data_dir, root, report)
    if only is None:
        every = files = story_files(data_dir, root, report)
        check_content_pages(root / "content", root, report)  # their front matter
    else:
        listed = Report()  # problems of the folder's other files are not asked about
        every = story_files(data_dir, root, listed)
        files = [(path, name) for path, name in every if name in only]
        report.extend(d for d in listed.items if d.file in only)
    job = StoryJob(actors, slugs=frozenset(path.stem for path, _ in every))
    outcomes = run_stories([(path, name, "") for path, name in files], job, workers)
    for outcome in outcomes:
        report.extend(outcome.diagnostics)
    check_one_story_per_old_slug(((o.file, o.formerly) for o in outcomes), report)
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


def check_story(path: Path, name: str, actors: dict[str, Actor], report: Report,
                today: dt.date | None = None) -> Story | None:
    """One story file loaded, validated and, if it has no errors of its own, linted (dates after
    `today`, the build's clock by default, warn). Its problems go to `report`; the story is returned
    when it converted (usable if it added no errors)."""
    own = Report()
    doc = load_document(path, name, own)
    story = None if _has_placeholders(doc, own) else validate_story(doc, actors, own)
    if story is not None and not own.errors:
        own.extend(lint_story(story, actors, doc.text))
        own.extend(future_dates(story, today or build_clock()))
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
        story = check_story(path, name, job.actors, report, job.today)
        if story is not None:
            _check_formerly_free(story, job.slugs, report)
    out = job.output
    if story is None or report.errors or out is None:
        return StoryOutcome(name, report.items, None, seconds=seconds, formerly=_old_slugs(story))
    banner = preview_banner(story, job.today)
    if banner:  # depends on the day: never kept by the cache, made again each time
        digest = ""
        if not job.preview:
            if held_back(story, job.today):  # checked above; never built (not in the site, feeds, data)
                return StoryOutcome(name, report.items, None, seconds=seconds)
            story = published_part(story, job.today)
    limit = output_limit(_file_size(path))
    try:
        with _timed(seconds, "resolve"):
            export = export_story(story, job.actors, out.config, limit)
            page = resolve_story(story, job.actors, out.links, Markup(export.jsonld), limit)
            listing = story_listing(page)
            check_size("its share of the actor and tag pages", shared_output(listing), limit)
        with _timed(seconds, "render"):
            page_path, text = render_story(page, out.templates_dir, out.bytecode_dir, limit)
    except OutputTooLarge as exc:
        _report_too_large(report, name, exc)
        return StoryOutcome(name, report.items, None, seconds=seconds, formerly=_old_slugs(story))
    files = {page_path: text, **export.files}
    files.update(render_redirect(old, page) for old in story.formerly)
    with _timed(seconds, "write"):
        written, unchanged = write_files(files, out.docs_dir, out.present)
    record = StoryRecord(name, digest, report.items, listing, story_order(story),
                         _first_day(last_updated(story)), export.listing, tuple(files),
                         banner if job.preview else "", _old_slugs(story))
    return StoryOutcome(name, report.items, record, written, unchanged, seconds, _old_slugs(story))


def _old_slugs(story: Story | None) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(old), old.line, old.col) for old in story.formerly) if story else ()


def check_one_story_per_old_slug(stories: Iterable[tuple[str, tuple[tuple[str, int, int], ...]]],
                                 report: Report) -> None:
    """An old address can send readers to one story only: two stories listing it is an error.
    `stories`: (file, its old slugs with line and column), in the site's file order; `check` gives
    the stories it read, `build` every story, the ones kept from the last build included."""
    first: dict[str, str] = {}
    for file, formerly in stories:
        for old, line, col in formerly:
            other = first.setdefault(old, file)
            if other != file:
                report.error(file, line, col, "formerly-taken",
                             f"'{old}' is in `formerly:` of {other} too; its address can send readers "
                             "to one story only", f"keep '{old}' in the `formerly:` of one story")


def _check_formerly_free(story: Story, slugs: frozenset[str], report: Report) -> None:
    for old in story.formerly:
        if old in slugs:
            report.error(story.file, old.line, old.col, "formerly-taken",
                         f"'{old}' is the slug of a story published now, so its address cannot redirect here",
                         f"remove '{old}' from `formerly:`, or rename site_data/stories/{old}.yaml")


def _file_size(path: Path) -> int:
    """The story file's bytes (load has just read it, as a regular file); 0 if it is gone since."""
    try:
        return os.stat(path, follow_symlinks=False).st_size
    except OSError:
        return 0


def _report_too_large(report: Report, name: str, exc: OutputTooLarge) -> None:
    report.error(name, 1, 1, "output-too-large",
                 f"this story would make {exc.path} larger than {_size(exc.limit)}, the most a file "
                 f"made from it may be ({OUTPUT_MULTIPLE} × the story file's size + "
                 f"{_size(OUTPUT_ALLOWANCE)}); nothing was written",
                 "something is repeated many times: a long label, title or name cited from many "
                 "places, or a stance table of many actors × claims; shorten what repeats, or split "
                 "the story")


def _size(count: int) -> str:
    return f"{count / 1024:,.0f} KB" if count < 1024 * 1024 else f"{count / 1024 / 1024:,.1f} MB"


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
