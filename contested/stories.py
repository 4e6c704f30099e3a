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
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .cache import StoryRecord
from .check import check_story
from .dates import PartialDate
from .diagnostics import Diagnostic, Report
from .exports import SiteConfig, export_story
from .model import Actor
from .publish import write_files
from .render import make_environment, render_story
from .resolve import last_updated, resolve_story, story_listing, story_order
from .views import ActorLink

# Below this many story files, starting worker processes costs more than it saves.
PARALLEL_FROM = 50
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
    # The cache keeps no copy of the files (the docs folder holds them) nor the JSON-LD (in the page).
    record = StoryRecord(name, digest, report.items, listing, story_order(story),
                         _first_day(last_updated(story)), replace(export, files={}, jsonld=""), tuple(files))
    return StoryOutcome(name, report.items, record, written, unchanged, seconds)


def build_stories(files: list[tuple[Path, str, str]], job: StoryJob,
                  workers: int | None = None) -> list[StoryOutcome]:
    """`build_story` for each (path, name, digest), in order; in `workers` processes (default: one
    per CPU this process may use) when there are enough files to be worth it.

    This process is one of the workers: it takes chunks of files from a shared counter like the
    forked ones, so no core waits for another, and only the forked workers' outcomes (small: no
    file bytes) cross a pipe, read by a thread here as they come.
    """
    workers = min(workers or _cpus(), len(files)) if (workers or len(files) >= PARALLEL_FROM) else 1
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [build_story(path, name, digest, job) for path, name, digest in files]
    # Forked workers inherit the job and the compiled template rather than receiving them pickled.
    make_environment(job.templates_dir, job.bytecode_dir).get_template("story.md.j2")
    size = max(1, len(files) // (workers * 32))  # small chunks: the processes finish together
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    done: dict[int, list[StoryOutcome]] = {}
    processes, pipes = [], []
    try:
        for _ in range(workers - 1):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(chunks, counter, job, writer), daemon=True)
            process.start()
            writer.close()  # the worker's end: the reader sees EOF if the worker dies
            processes.append(process)
            pipes.append(reader)
        receiver = _Receiver(pipes, done, counter, len(chunks))
        receiver.start()
        while (index := _next_chunk(counter)) < len(chunks):
            outcomes = [build_story(path, name, digest, job) for path, name, digest in chunks[index]]
            done[index] = outcomes
        receiver.join()
        if receiver.error is not None:
            raise receiver.error
        return [outcome for index in sorted(done) for outcome in done[index]]
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()


class _Receiver(threading.Thread):
    """Reads the forked workers' messages as they come, so a worker never waits on a full pipe."""

    def __init__(self, pipes: list[Connection], done: dict[int, list[StoryOutcome]], counter: Any,
                 chunks: int):
        super().__init__(daemon=True)
        self.pipes, self.done, self.counter, self.chunks = list(pipes), done, counter, chunks
        self.error: BaseException | None = None

    def run(self) -> None:
        while self.pipes and self.error is None:
            for reader in multiprocessing.connection.wait(self.pipes):
                try:
                    message = reader.recv()
                except EOFError:
                    message = (-1, RuntimeError("a worker process stopped before finishing its stories"))
                if message is None:  # that worker has finished
                    self.pipes.remove(reader)
                elif message[0] < 0:
                    self.error = message[1]
                    with self.counter.get_lock():  # no process starts another chunk
                        self.counter.value = self.chunks
                else:
                    self.done[message[0]] = message[1]


def workers_for(count: int) -> int:
    """How many processes `build_stories` uses for `count` story files by default."""
    return min(_cpus(), count) if count >= PARALLEL_FROM else 1


def _next_chunk(counter: Any) -> int:
    with counter.get_lock():
        index = counter.value
        counter.value = index + 1
    return index


def _work(chunks: list[list[tuple[Path, str, str]]], counter: Any, job: StoryJob, pipe: Connection) -> None:
    """A forked worker: build chunks until none is left, sending each chunk's outcomes as it ends."""
    try:
        while (index := _next_chunk(counter)) < len(chunks):
            pipe.send((index, [build_story(path, name, digest, job) for path, name, digest in chunks[index]]))
        pipe.send(None)  # finished
    except BaseException as exc:  # the build's process re-raises it: a template error is the site's
        pipe.send((-1, exc))
    finally:
        pipe.close()


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
