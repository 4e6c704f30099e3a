"""The build, stage by stage: scan → stories → site → write → engine → verify → swap → cache.

- scan: the actors file, checked, and what changed since the last build (`cache.py`);
- stories: each changed story file loaded, validated, linted, resolved, exported, its page
  rendered and its files written (`runner.py`; in parallel processes on a large build);
- site: the pages shared by many stories (indexes, actors, tags) and the site-wide exports;
- write: the docs folder made to hold exactly these files; then the engine, the safety check of
  its output, the atomic swap into `site/`, and the cache saved for next time.

`build.py build` and `build.py serve` both run this; each stage's time and counts are recorded
so the command can print one short block (or JSON, for benchmarks). Story files whose bytes are
unchanged are not read again, and shared pages whose view model is unchanged are not rendered
again, so an edit to one story of a thousand regenerates that story's page and the pages that list it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import resource
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from contested.build.cache import (
    BuildCache,
    Cache,
    Plan,
    SiteState,
    forget_site_state,
    save_site_state,
    site_key,
    tree_stats,
)
from contested.build.engine import engine_template_dirs, html_files
from contested.build.errors import HostError
from contested.build.lock import project_lock
from contested.build.parallel import BrokenProcessPool, cpus
from contested.build.partial import MadeSite, make_site
from contested.build.runner import (
    STEPS,
    StoryJob,
    StoryOutcome,
    StoryOutput,
    StoryRecord,
    check_actors,
    check_one_story_per_old_slug,
    gc_paused,
    processes_for,
    run_stories,
)
from contested.build.search import SEARCH_DIR, index_site
from contested.build.swap import clean_leftovers, swap_into_place
from contested.build.verify import ThemeAllowList, verify_pages, verify_site
from contested.build.write import WriteStats, write_pages
from contested.config import SiteConfig, read_site_config
from contested.content.front_matter import check_content_pages
from contested.content.load import story_files
from contested.content.model import Actor
from contested.diagnostics import Report
from contested.exports.listing import export_site
from contested.files import Pages, files_under
from contested.pages.render import render_site
from contested.pages.resolve import actor_links, assemble_site
from contested.pages.views import SiteView
from contested.project import Project
from contested.wording import plural


@dataclass
class BuildLog:
    """One line per stage: name, seconds, what it did; and each stage's CPU seconds, the engine's
    included (its process is a child of ours)."""

    stages: list[tuple[str, float, str]] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # the machine's trouble that did not stop the build

    @contextmanager
    def stage(self, name: str) -> Iterator[list[str]]:
        detail: list[str] = []
        start, start_cpu = time.perf_counter(), _cpu_seconds()
        try:
            yield detail
        finally:
            self.stages.append((name, time.perf_counter() - start, " ".join(detail)))
            self.cpu[name] = _cpu_seconds() - start_cpu

    def format(self) -> str:
        total = sum(seconds for _, seconds, _ in self.stages)
        lines = [f"  {name:<8} {seconds:6.2f}s  {detail}" for name, seconds, detail in self.stages]
        return "\n".join(lines + [f"  {'total':<8} {total:6.2f}s"])

    def to_json(self) -> str:
        """The stages as JSON: [{"stage", "seconds", "cpu_seconds", "detail"}, …]."""
        return json.dumps([{"stage": name, "seconds": round(seconds, 4),
                            "cpu_seconds": round(self.cpu.get(name, 0.0), 4), "detail": detail}
                           for name, seconds, detail in self.stages])


def _cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@dataclass
class Generated:
    report: Report
    cache: BuildCache | None = None  # what the docs folder now holds; None when the data had errors
    epoch: int = 0  # SOURCE_DATE_EPOCH for the engine
    docs_changed: bool = True  # False only when the data had errors and no file was written
    held: BuildCache | None = None  # the cache that describes the docs folder now, whatever happened


def generate(project: Project, log: BuildLog, known: BuildCache | None = None,
             workers: int | None = None, preview: bool = False) -> Generated:
    """Check the data and, if it is valid, write the Markdown pages to the docs folder.

    `known` is the previous build's cache when the caller holds it (the preview server does);
    otherwise it is read from disk. `workers` overrides how many processes the stories use.
    `preview`: drafts and embargoed stories and updates are written too (content/embargo.py).
    """
    with gc_paused():
        return _generate(project, log, known, workers, preview)


def _generate(project: Project, log: BuildLog, known: BuildCache | None, workers: int | None,
              preview: bool) -> Generated:
    report = Report()
    with log.stage("scan") as detail:
        scan = _scan(project, known, report)
        detail.append(f"{len(scan.plan.changed)} of "
                      f"{plural(len(scan.plan.kept) + len(scan.plan.changed), 'story file')} changed, "
                      f"{plural(len(scan.actors), 'actor')}")
    with log.stage("stories") as detail:
        outcomes = _run_stories(project, scan, report, workers, preview)
        detail.append(_stories_detail(outcomes, processes_for(len(scan.plan.changed), workers)))
        held = sum(1 for o in outcomes
                   if o.record is None and all(d.severity != "error" for d in o.diagnostics))
        if held and not report.errors:  # only a valid story is held back (content/embargo.py)
            detail.append(f"({plural(held, 'story', 'stories')} not published yet: draft or dated later)")
    records = {**scan.plan.kept, **{o.file: o.record for o in outcomes if o.record is not None}}
    owners = sorted((record.file, record.formerly) for record in records.values())
    check_one_story_per_old_slug(owners, report)  # kept stories' old slugs count too
    if report.errors:
        docs_changed = any(o.written for o in outcomes)
        report.hold_back_warnings()
        return Generated(report, docs_changed=docs_changed, held=scan.cache.restore(docs_changed))
    with log.stage("site") as detail:
        site, pages = render_shared(scan.actors, records.values(), scan.config, project.templates_dir,
                                    project.content_dir, scan.plan.site, project.compiled_templates_dir)
        made = sum(1 for page in pages.values() if page is not None)
        detail.append(f"{plural(len(records), 'story', 'stories')} in all, "
                      f"{plural(len(site.actors), 'actor')}, {plural(len(site.tags), 'tag')}: "
                      f"{made} of {plural(len(pages), 'shared file')} "
                      "rendered or copied")
    with log.stage("write") as detail:
        stats = _write(project, pages, scan, outcomes)
        # Counted for the whole docs folder, the stories' own files (written above) included.
        detail.append(f"{stats.written + sum(o.written for o in outcomes)} written, "
                      f"{stats.unchanged + sum(o.unchanged for o in outcomes)} unchanged, "
                      f"{stats.removed} removed")
    made_cache = scan.cache.update(records, site)
    return Generated(report, made_cache, source_date_epoch([r.updated for r in records.values()]),
                     held=made_cache)


@dataclass
class _Scan:
    cache: Cache
    actors: dict[str, Actor]
    present: frozenset[str]  # the files the docs folder holds
    plan: Plan
    config: SiteConfig


def _scan(project: Project, known: BuildCache | None, report: Report) -> _Scan:
    """The actors file checked, and what the cache keeps of the last build."""
    cache = Cache.open(project, known)
    _, actors = check_actors(project.data_dir, project.root, report)
    check_content_pages(project.content_dir, project.root, report)  # a broken front matter stops the build
    present = files_under(project.docs_dir)
    plan = cache.plan(project.data_dir / "actors.yaml", story_files(project.data_dir, project.root, report),
                      present)
    return _Scan(cache, actors, present, plan, read_site_config(project.config_file))


def _run_stories(project: Project, scan: _Scan, report: Report, workers: int | None,
                 preview: bool) -> list[StoryOutcome]:
    """The changed stories through the runner: built if the actors are valid, else only checked.
    Their diagnostics, and the kept stories' warnings, go to `report`."""
    scan.cache.invalidate()  # valid stories' files are written as they are made
    output = StoryOutput(actor_links(scan.actors), scan.config, project.templates_dir, project.docs_dir,
                         scan.present, project.compiled_templates_dir)
    slugs = frozenset([PurePosixPath(name).stem for name in scan.plan.kept]
                      + [path.stem for path, _, _ in scan.plan.changed])
    job = StoryJob(scan.actors, None if report.errors else output, slugs=slugs, preview=preview)
    try:
        outcomes = run_stories(scan.plan.changed, job, workers)
    except OSError as exc:  # disk full, permissions: the machine's trouble, not a crash
        raise HostError(f"cannot write the generated pages in {project.docs_dir}: {exc}") from exc
    except BrokenProcessPool as exc:
        raise HostError("a worker process stopped before finishing its work; was it killed, "
                           "or out of memory?") from exc
    for outcome in outcomes:
        report.extend(outcome.diagnostics)
    for record in scan.plan.kept.values():
        report.extend(record.diagnostics)
    return outcomes


def _write(project: Project, pages: Pages, scan: _Scan, outcomes: list[StoryOutcome]) -> WriteStats:
    """The shared pages written; the kept stories' files kept; every other old file removed."""
    for record in scan.plan.kept.values():  # its files are in the docs folder (the scan checked)
        pages.update(dict.fromkeys(record.files))
    own_files = frozenset(path for o in outcomes if o.record for path in o.record.files)
    try:
        return write_pages(pages, project.docs_dir, scan.present, from_stories=own_files)
    except OSError as exc:
        raise HostError(f"cannot write the generated pages in {project.docs_dir}: {exc}") from exc


def render_shared(actors: dict[str, Actor], records: Iterable[StoryRecord], config: SiteConfig,
                  templates_dir: Path, content_dir: Path, previous: SiteView | None = None,
                  bytecode_dir: Path | None = None) -> tuple[SiteView, Pages]:
    """The site stage: the pages shared by many stories, the site-wide exports and the hand-written
    pages, from every story's record. A page given as None is unchanged since `previous`."""
    in_order = sorted(records, key=lambda r: r.order)
    site = assemble_site(actors, tuple(r.listing for r in in_order))
    story_paths = frozenset(path for record in in_order for path in record.files)
    pages = render_site(site, templates_dir, content_dir, export_site([r.export for r in in_order], config),
                        previous, bytecode_dir, story_paths)
    return site, pages


def _stories_detail(outcomes: list[StoryOutcome], workers: int) -> str:
    """'1000 story files read in 2 processes: 0 errors, 9 warnings; 3000 files written; CPU check
    2.10s, …': the problems in the files read (a kept story's warnings are not counted here)."""
    report = Report()
    for outcome in outcomes:
        report.extend(outcome.diagnostics)
    cpu = {step: sum(o.seconds.get(step, 0.0) for o in outcomes) for step in STEPS}
    return (f"{plural(len(outcomes), 'story file')} read in {plural(workers, 'process', 'processes')}: "
            f"{plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}; "
            f"{plural(sum(o.written for o in outcomes), 'file')} written; "
            "CPU " + ", ".join(f"{step} {seconds:.2f}s" for step, seconds in cpu.items()))


def build(project: Project, log: BuildLog) -> Report:
    """The whole build; `site/` changes only if every stage succeeds. Raises on engine failure.
    Holds the project's lock throughout: a second build waits, and never sees this one's work."""
    with project_lock(project):
        return _build(project, log)


def _build(project: Project, log: BuildLog) -> Report:
    clean_leftovers(project)  # safe: under the lock, no other build has work in .build/
    generated = generate(project, log)
    if generated.cache is None:
        return generated.report
    try:
        with log.stage("engine") as detail:
            made = make_site(project, generated.epoch)
            detail.append(f"{len(html_files(made.site))} HTML files: {made.how}")
        with log.stage("search") as detail:
            # Shards whose pages are unchanged since the published site are taken from it.
            try:
                searched = index_site(made.site, set(), previous=project.site_dir / SEARCH_DIR)
            except BaseException:
                shutil.rmtree(made.site, ignore_errors=True)  # never swapped in; site/ stays as it was
                raise
            detail.append(f"{plural(searched.pages, 'page')} in {plural(searched.shards, 'shard')} "
                          f"({searched.indexed} indexed, {searched.shards - searched.indexed} kept), "
                          f"{searched.bytes / 1e6:.1f} MB")
        with log.stage("verify") as detail:
            detail.append(verify_new_site(project, made))
        with log.stage("swap") as detail:
            forget_site_state(project)
            detail.append(swap_into_place(made.site, project.site_dir))
            _remember_site(project, made, log)
    finally:  # the docs folder holds these pages whether or not the engine succeeded
        with log.stage("cache") as detail:
            try:
                Cache(project).commit(generated.cache)
                kept = plural(len(generated.cache.records), 'story', 'stories')
                detail.append(f"{kept} kept for next time")
            except OSError as exc:  # the site may already be published: a warning, not a failure
                detail.append("not saved")
                log.warnings.append(f"the build cache could not be saved ({exc.strerror or exc}: "
                                    f"{exc.filename or project.cache_dir}); site/ was published; "
                                    "the next build will be a full one")
    return generated.report


def _remember_site(project: Project, made: MadeSite, log: BuildLog) -> None:
    """What was published, so the next build can take its unchanged pages from it."""
    try:
        published = tree_stats(Path(os.path.realpath(project.site_dir)))
        save_site_state(project, SiteState(site_key(project), made.docs, published))
    except OSError as exc:
        log.warnings.append(f"the published site's record could not be saved ({exc.strerror or exc}); "
                            "the next build will be a full one")


def verify_new_site(project: Project, made: MadeSite) -> str:
    """Refuse to publish a site with active content the theme did not put there (see verify.py):
    every page of a new site, or the pages and search entries an update made anew."""
    try:
        allow = ThemeAllowList.from_template_dirs(engine_template_dirs(project))
        if made.pages is None:
            checked = verify_site(made.site, allow, workers=cpus())
            return f"{plural(checked, 'page')} in {plural(cpus(), 'process', 'processes')}: no unsafe content"
        checked = verify_pages(made.site, made.pages, made.entries, allow)
        entries = plural(len(made.entries), 'search entry', 'search entries')
        return f"{plural(checked, 'page')} and {entries} made anew: no unsafe content"
    except Exception:
        shutil.rmtree(made.site, ignore_errors=True)  # never swapped in; site/ stays as it was
        raise


def source_date_epoch(days: list[dt.date | None]) -> int:
    """SOURCE_DATE_EPOCH if set, else midnight UTC of the newest story date: reproducible by default."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    newest = max((d for d in days if d), default=None)
    # Within what gzip and zip headers hold (32-bit seconds from 1970), whatever the stories say.
    return min(max(calendar.timegm(newest.timetuple()), 0), 2**32 - 1) if newest else 0
