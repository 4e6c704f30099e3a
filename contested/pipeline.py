"""The build, stage by stage: load → validate → resolve → render → write → engine → verify → swap.

`build.py build` and `build.py serve` both run this; each stage's time and counts are recorded
so the command can print one short block (or JSON, for benchmarks).

The generating stages reuse what the last good build knew (`cache.py`): story files whose bytes
are unchanged are not read again, and pages whose view model is unchanged are not rendered again,
so an edit to one story of a thousand regenerates that story's page and the pages that list it.
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
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from .cache import BuildCache, StoryRecord, clear_cache, environment_key, file_digest, load_cache, save_cache
from .check import CheckResult, check_site
from .dates import PartialDate
from .diagnostics import Diagnostic
from .exports import SiteConfig, SiteExports, export_site, export_story
from .load import display_name
from .project import Project, read_site_config
from .publish import (
    PublishError,
    build_site,
    clean_leftovers,
    engine_template_dirs,
    swap_into_place,
    write_pages,
)
from .render import page_specs, render_site
from .report import plural
from .resolve import assemble_site, last_updated, resolve_stories, story_order
from .safety import ThemeAllowList, verify_site
from .views import SiteView


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
    result: CheckResult
    cache: BuildCache | None = None  # what the docs folder now holds; None when the data had errors
    epoch: int = 0  # SOURCE_DATE_EPOCH for the engine


def generate(project: Project, log: BuildLog, known: BuildCache | None = None) -> Generated:
    """Check the data and, if it is valid, write the Markdown pages to the docs folder.

    `known` is the previous build's cache when the caller holds it (the preview server does);
    otherwise it is read from disk.
    """
    with _gc_paused():
        return _generate(project, log, known)


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


def _generate(project: Project, log: BuildLog, known: BuildCache | None) -> Generated:
    with log.stage("scan") as detail:
        key = environment_key(project)
        if known is None or known.key != key:
            known = load_cache(project, key)
        actors_digest = _digest(project.data_dir / "actors.yaml")
        digests = _story_digests(project)
        reusable = known.records if known and known.actors_digest == actors_digest else {}
        kept = {path: reusable[name] for path, (name, digest) in digests.items()
                if name in reusable and reusable[name].digest == digest
                and _files_present(project, reusable[name])}
        detail.append(f"{len(digests) - len(kept)} of {plural(len(digests), 'story file')} changed")
    only = (lambda path: path not in kept) if kept else None
    result = check_site(project.data_dir, project.root, log.stage, only)
    for record in kept.values():
        result.report.extend(record.diagnostics)
    if result.report.errors:
        return Generated(result)
    with log.stage("resolve") as detail:
        config = read_site_config(project.config_file)
        fresh = _fresh_records(result, {name: d for name, d in digests.values()}, config)
        records = {**fresh, **{name: kept[path] for path, (name, _) in digests.items() if path in kept}}
        in_order = sorted(records.values(), key=lambda r: r.order)
        exports = _site_exports(in_order, config)
        site = assemble_site(result.data.actors, tuple(r.page for r in in_order))
        detail.append(f"{plural(len(records) - len(kept), 'story', 'stories')} resolved, "
                      f"{len(site.stories)} in all, {plural(len(site.actors), 'actor')}, "
                      f"{plural(len(site.tags), 'tag')}")
    previous = known.site if known and _docs_hold(project, known.site) else None
    with log.stage("render") as detail:
        pages = render_site(site, project.templates_dir, project.content_dir, exports, previous)
        made = sum(1 for page in pages.values() if page is not None)
        detail.append(f"{made} of {plural(len(pages), 'file')} rendered or copied")
    with log.stage("write") as detail:
        clear_cache(project)  # the docs folder is about to change: the old cache no longer describes it
        try:
            stats = write_pages(pages, project.docs_dir)
        except OSError as exc:  # disk full, permissions: the editor's to fix, not a crash
            raise PublishError(f"cannot write the generated pages in {project.docs_dir}: {exc}") from exc
        detail.append(f"{stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed")
    # The cache keeps no copy of the data files: the docs folder holds them (the scan checks).
    cache = BuildCache(key, actors_digest, {name: r.without_files() for name, r in records.items()}, site)
    return Generated(result, cache, source_date_epoch([r.updated for r in records.values()]))


def _site_exports(records: list[StoryRecord], config: SiteConfig) -> SiteExports:
    """The site-wide exports, plus each story's data files: new bytes for the stories read now,
    None ("keep the file") for the others, whose files the scan found in the docs folder."""
    site = export_site([r.export for r in records], config)
    files: dict[str, bytes | None] = dict(site.files)
    for record in records:
        files.update(record.export.files)
    return SiteExports(files, site.feed)


def _files_present(project: Project, record: StoryRecord) -> bool:
    """A kept story's data files must still be in the docs folder: the cache holds no copy."""
    return all((project.docs_dir / path).is_file() for path in record.export.files)


def _digest(path: Path) -> str:
    try:
        return file_digest(path)
    except OSError:
        return ""


def _story_digests(project: Project) -> dict[Path, tuple[str, str]]:
    """Each story file -> (its name in messages, digest of its bytes)."""
    folder = project.data_dir / "stories"
    if not folder.is_dir():
        return {}
    prefix = display_name(folder, project.root)
    out = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".yaml" and not path.name.startswith(".") and path.is_file():
            out[path] = (f"{prefix}/{path.name}", _digest(path))
    return out


def _fresh_records(result: CheckResult, digests: dict[str, str],
                   config: SiteConfig) -> dict[str, StoryRecord]:
    """Records for the stories this build read, keyed by file name."""
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for item in result.report.items:
        by_file[item.file].append(item)
    stories = sorted(result.data.stories, key=story_order)
    pages = resolve_stories(result.data)  # in the same order
    records = {}
    for story, page in zip(stories, pages, strict=True):
        export = export_story(story, result.data.actors, config)
        page = replace(page, jsonld=Markup(export.jsonld))
        records[story.file] = StoryRecord(story.file, digests.get(story.file, ""),
                                          by_file.get(story.file, []), page, story_order(story),
                                          _first_day(last_updated(story)), export)
    return records


def _first_day(date: PartialDate) -> dt.date | None:
    """The earliest day a date can mean: never a day in the future of what the page shows."""
    return dt.date(*date.sort_key()) if date.known else None


def _docs_hold(project: Project, site: SiteView | None) -> bool:
    """Whether every generated page of `site` is still in the docs folder (someone may delete it)."""
    return site is not None and all((project.docs_dir / path).is_file() for path, _, _ in page_specs(site))


def build(project: Project, log: BuildLog) -> CheckResult:
    """The whole build; `site/` changes only if every stage succeeds. Raises on engine failure."""
    clean_leftovers(project)
    generated = generate(project, log)
    if generated.cache is None:
        return generated.result
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
    return generated.result


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
