"""Load, validate and lint: the whole `check` command, shared by `build` and `serve`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .lint import lint_dataset
from .load import SiteFiles, load_site
from .model import Dataset
from .report import plural
from .scaffold import find_placeholders
from .validate import validate_dataset


@dataclass
class CheckResult:
    data: Dataset
    report: Report
    files: int


Stage = Callable[[str], AbstractContextManager[list[str]]]


@contextmanager
def _untimed(name: str) -> Iterator[list[str]]:
    yield []


def check_site(data_dir: Path, root: Path, stage: Stage = _untimed,
               only: Callable[[Path], bool] | None = None) -> CheckResult:
    """Every problem in the site's data, found in one pass; lint runs only on valid data.

    `stage` times the load and validate steps (the build's `BuildLog.stage`); `only` limits the
    story files read, for a build that reuses what it knows of the others.
    """
    report = Report()
    with stage("load") as detail:
        files = load_site(data_dir, root, report, only)
        detail.append(f"{plural(len(files.stories), 'story file')} read")
    with stage("validate") as detail:
        data = _validate(files, report)
        detail.append(f"{plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}"
                      " in the files read")
    return CheckResult(data, report, 1 + len(files.stories))


def _validate(files: SiteFiles, report: Report) -> Dataset:
    find_placeholders(files.actors, report)
    # A story with TODOs left from `build.py new` gets only the placeholder errors, not a cascade of
    # bad-id and unknown-reference errors about the same unfilled values.
    stories = [doc for doc in files.stories if not find_placeholders(doc, report)]
    data = validate_dataset(files.actors, stories, report)
    if not report.errors:
        report.extend(lint_dataset(data, {doc.name: doc.text for doc in stories}))
    return data
