"""The build, stage by stage: check → resolve → render → write → engine → swap.

`build.py build` and `build.py serve` both run this; each stage's time and counts are recorded
so the command can print one short block.
"""

from __future__ import annotations

import calendar
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .check import CheckResult, check_site
from .exports import export_site
from .model import Dataset
from .project import Project, read_site_config
from .publish import build_site, clean_leftovers, swap_into_place, write_pages
from .render import render_site
from .resolve import resolve_site


@dataclass
class BuildLog:
    """One line per stage: name, seconds, what it did."""

    stages: list[tuple[str, float, str]] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[list[str]]:
        detail: list[str] = []
        start = time.perf_counter()
        try:
            yield detail
        finally:
            self.stages.append((name, time.perf_counter() - start, " ".join(detail)))

    def format(self) -> str:
        total = sum(seconds for _, seconds, _ in self.stages)
        lines = [f"  {name:<8} {seconds:6.2f}s  {detail}" for name, seconds, detail in self.stages]
        return "\n".join(lines + [f"  {'total':<8} {total:6.2f}s"])


def generate(project: Project, log: BuildLog) -> CheckResult:
    """Check the data and, if it is valid, write the Markdown pages to the docs folder."""
    with log.stage("check") as detail:
        result = check_site(project.data_dir, project.root)
        detail.append(f"{result.files} files, {len(result.report.errors)} errors, "
                      f"{len(result.report.warnings)} warnings")
    if result.report.errors:
        return result
    with log.stage("resolve") as detail:
        site = resolve_site(result.data)
        exports = export_site(result.data, read_site_config(project.config_file))
        detail.append(f"{_count(len(site.stories), 'story', 'stories')}, "
                      f"{_count(len(site.actors), 'actor')}, {_count(len(site.tags), 'tag')}")
    with log.stage("render") as detail:
        pages = render_site(site, project.templates_dir, project.content_dir, exports)
        markdown = sum(1 for path in pages if path.endswith(".md"))
        detail.append(f"{markdown} pages, {len(pages) - markdown} data files")
    with log.stage("write") as detail:
        stats = write_pages(pages, project.docs_dir)
        detail.append(f"{stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed")
    return result


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def build(project: Project, log: BuildLog) -> CheckResult:
    """The whole build; `site/` changes only if every stage succeeds. Raises on engine failure."""
    clean_leftovers(project)
    result = generate(project, log)
    if result.report.errors:
        return result
    with log.stage("engine") as detail:
        new_site = build_site(project, source_date_epoch(result.data))
        detail.append(f"{sum(1 for _ in new_site.rglob('*.html'))} HTML files")
    with log.stage("swap") as detail:
        swap_into_place(new_site, project.site_dir)
        detail.append(f"-> {project.site_dir.name}/")
    return result


def source_date_epoch(data: Dataset) -> int:
    """SOURCE_DATE_EPOCH if set, else midnight UTC of the newest story date: reproducible by default."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    days = [s.updated.latest_day() for s in data.stories if s.updated.known]
    newest = max((d for d in days if d), default=None)
    return calendar.timegm(newest.timetuple()) if newest else 0
