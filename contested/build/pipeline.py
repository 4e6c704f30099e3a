"""The build, stage by stage: scan → stories → site → write → engine → verify → swap → cache.

- scan: what changed since the last build (`cache.py`), and the actors file, checked;
- stories: each changed story file loaded, validated, linted, resolved, exported and its page
  rendered (`stories.py`; in parallel processes on a large build);
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
import gc
import json
import os
import resource
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from contested.build.cache import (
    BuildCache,
    StoryRecord,
    clear_cache,
    environment_key,
    file_digest,
    load_cache,
    save_cache,
)
from contested.build.check import check_actors
from contested.build.engine import build_site, engine_template_dirs
from contested.build.errors import PublishError
from contested.build.parallel import BrokenProcessPool
from contested.build.runner import STEPS, StoryJob, StoryOutcome, build_stories, processes_for
from contested.build.swap import clean_leftovers, swap_into_place
from contested.build.verify import ThemeAllowList, verify_site
from contested.build.write import docs_files, write_pages
from contested.content.load import story_files
from contested.diagnostics import Report
from contested.exports.story import export_site
from contested.pages.render import page_specs, render_site
from contested.pages.resolve import actor_links, assemble_site
from contested.pages.views import SiteView
from contested.project import Project, read_site_config
from contested.report import plural


@dataclass
class BuildLog:
    """One line per stage: name, seconds, what it did; and each stage's CPU seconds, the engine's
    included (its process is a child of ours)."""

    stages: list[tuple[str, float, str]] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)

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


def generate(project: Project, log: BuildLog, known: BuildCache | None = None,
             workers: int | None = None) -> Generated:
    """Check the data and, if it is valid, write the Markdown pages to the docs folder.

    `known` is the previous build's cache when the caller holds it (the preview server does);
    otherwise it is read from disk. `workers` overrides how many processes the stories use.
    """
    with _gc_paused():
        return _generate(project, log, known, workers)


@contextmanager
def _gc_paused() -> Iterator[None]:
    # The stages build millions of small objects that live until the build ends. The cyclic
    # collector would walk them again and again (half of a large build's time) and frees nothing.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _generate(project: Project, log: BuildLog, known: BuildCache | None, workers: int | None) -> Generated:
    report = Report()
    with log.stage("scan") as detail:
        key = environment_key(project)
        if known is None or known.key != key:
            known = load_cache(project, key)
        actors_digest = _digest(project.data_dir / "actors.yaml")
        _, actors = check_actors(project.data_dir, project.root, report)
        reusable = known.records if known and known.actors_digest == actors_digest else {}
        present = docs_files(project.docs_dir)
        kept: dict[str, StoryRecord] = {}
        changed: list[tuple[Path, str, str]] = []
        for path, name in story_files(project.data_dir, project.root, report):
            digest, record = _digest(path), reusable.get(name)
            # A kept story's files must still be in the docs folder: the cache holds no copy.
            if record and record.digest == digest and present.issuperset(record.files):
                kept[name] = record
            else:
                changed.append((path, name, digest))
        config = read_site_config(project.config_file)
        detail.append(f"{len(changed)} of {plural(len(kept) + len(changed), 'story file')} changed, "
                      f"{plural(len(actors), 'actor')}")
    with log.stage("stories") as detail:
        # Valid stories' files are written as they are made: from here the docs folder changes,
        # and the old cache no longer describes it.
        clear_cache(project)
        job = StoryJob(actors, actor_links(actors), config, project.templates_dir, project.docs_dir,
                       present, project.compiled_templates_dir, resolve=not report.errors)
        try:
            outcomes = build_stories(changed, job, workers)
        except OSError as exc:  # disk full, permissions: the editor's to fix, not a crash
            raise PublishError(f"cannot write the generated pages in {project.docs_dir}: {exc}") from exc
        except BrokenProcessPool as exc:
            raise PublishError("a worker process stopped before finishing its work; was it killed, "
                               "or out of memory?") from exc
        detail.append(_stories_detail(outcomes, processes_for(len(changed), workers)))
        for outcome in outcomes:
            report.extend(outcome.diagnostics)
        for record in kept.values():
            report.extend(record.diagnostics)
    if report.errors:
        docs_changed = any(o.written for o in outcomes)
        if known and not docs_changed:  # the last build's cache still describes the docs folder
            save_cache(project, known)
        report.hold_back_warnings()
        return Generated(report, docs_changed=docs_changed)
    with log.stage("site") as detail:
        records = {**kept, **{o.file: o.record for o in outcomes if o.record is not None}}
        in_order = sorted(records.values(), key=lambda r: r.order)
        site = assemble_site(actors, tuple(r.listing for r in in_order))
        previous = known.site if known and _docs_hold(present, known.site) else None
        story_paths = frozenset(path for record in records.values() for path in record.files)
        pages = render_site(site, project.templates_dir, project.content_dir,
                            export_site([r.export for r in in_order], config), previous,
                            project.compiled_templates_dir, story_paths)
        made = sum(1 for page in pages.values() if page is not None)
        detail.append(f"{plural(len(records), 'story', 'stories')} in all, "
                      f"{plural(len(site.actors), 'actor')}, {plural(len(site.tags), 'tag')}: "
                      f"{made} of {plural(len(pages), 'shared file')} "
                      "rendered or copied")
        for record in kept.values():  # its files are in the docs folder (the scan checked)
            pages.update(dict.fromkeys(record.files))
    with log.stage("write") as detail:
        own_files = frozenset(path for o in outcomes if o.record for path in o.record.files)
        try:
            stats = write_pages(pages, project.docs_dir, present, from_stories=own_files)
        except OSError as exc:
            raise PublishError(f"cannot write the generated pages in {project.docs_dir}: {exc}") from exc
        # Counted for the whole docs folder, the stories' own files (written above) included.
        detail.append(f"{stats.written + sum(o.written for o in outcomes)} written, "
                      f"{stats.unchanged + sum(o.unchanged for o in outcomes)} unchanged, "
                      f"{stats.removed} removed")
    cache = BuildCache(key, actors_digest, records, site)
    return Generated(report, cache, source_date_epoch([r.updated for r in records.values()]))


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


def _digest(path: Path) -> str:
    try:
        return file_digest(path)
    except OSError:
        return ""


def _docs_hold(present: frozenset[str], site: SiteView | None) -> bool:
    """Whether every shared page of `site` is still in the docs folder (someone may delete it)."""
    return site is not None and all(path in present for path, _, _ in page_specs(site))


def build(project: Project, log: BuildLog) -> Report:
    """The whole build; `site/` changes only if every stage succeeds. Raises on engine failure."""
    clean_leftovers(project)
    generated = generate(project, log)
    if generated.cache is None:
        return generated.report
    try:
        with log.stage("engine") as detail:
            new_site = build_site(project, generated.epoch)
            detail.append(f"{sum(1 for _ in new_site.rglob('*.html'))} HTML files")
        with log.stage("verify") as detail:
            verify_new_site(project, new_site)
            detail.append("no unsafe content")
        with log.stage("swap") as detail:
            swap_into_place(new_site, project.site_dir)
            detail.append(f"-> {project.site_dir.name}/")
    finally:  # the docs folder holds these pages whether or not the engine succeeded
        with log.stage("cache") as detail:
            save_cache(project, generated.cache)
            detail.append(f"{plural(len(generated.cache.records), 'story', 'stories')} kept for next time")
    return generated.report


def verify_new_site(project: Project, new_site: Path) -> None:
    """Refuse to publish a site with active content the theme did not put there (see safety.py)."""
    try:
        verify_site(new_site, ThemeAllowList.from_template_dirs(engine_template_dirs(project)))
    except Exception:
        shutil.rmtree(new_site, ignore_errors=True)  # never swapped in; site/ stays as it was
        raise


def source_date_epoch(days: list[dt.date | None]) -> int:
    """SOURCE_DATE_EPOCH if set, else midnight UTC of the newest story date: reproducible by default."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    newest = max((d for d in days if d), default=None)
    return calendar.timegm(newest.timetuple()) if newest else 0
