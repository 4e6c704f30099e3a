"""Stories built in worker processes make exactly what the same build makes in one process, and
the worker machinery (parallel.run_chunks, a forked ProcessPoolExecutor) reports what goes wrong
in a worker."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support.scale import story_path

from contested.build.cache import cache_file
from contested.build.parallel import WORTH_FORKING, BrokenProcessPool, run_chunks, workers_for
from contested.build.pipeline import BuildLog, generate
from contested.pages.render import RenderError
from contested.project import Project


def generated_files(project: Path, workers: int) -> tuple[dict[str, bytes], list[str]]:
    """The docs folder a first build writes with `workers` processes, and its sorted diagnostics."""
    log = BuildLog()
    result = generate(Project(project), log, workers=workers)
    docs = project / ".build" / "docs"
    files = {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    stories = next(text for name, _, text in log.stages if name == "stories")
    assert stories.startswith(f"12 story files read in {workers} process")
    assert "36 files written" in stories  # each story's page, data file and timeline
    return files, [str(d) for d in result.report.sorted()]


def test_two_processes_write_the_same_docs_folder_as_one(fresh_archive: Callable[[int], Path]) -> None:
    one, diagnostics_one = generated_files(fresh_archive(12), workers=1)
    two, diagnostics_two = generated_files(fresh_archive(12), workers=2)
    assert len(one) > 12 * 3
    assert one == two
    assert diagnostics_one == diagnostics_two
    assert any("warning" in d for d in diagnostics_one)  # the lint ran in the workers too


def test_an_error_found_in_a_worker_is_reported_at_its_position(fresh_archive: Callable[[int], Path]) -> None:
    project = fresh_archive(12)
    path = story_path(project, 7)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: ", "statsu: ", 1), encoding="utf-8")
    line = text[:text.index("status: ")].count("\n") + 1
    result = generate(Project(project), BuildLog(), workers=2)
    assert result.cache is None  # the build stops at the data: no shared page, no cache
    (error,) = result.report.errors
    assert (error.file, error.line, error.col) == (f"site_data/stories/{path.name}", line, 1)
    assert "did you mean 'status'" in error.message + error.hint
    # The valid stories' own files were written as they were made; the broken one has none, and
    # no cache claims to describe the docs folder.
    docs = project / ".build" / "docs"
    assert result.docs_changed
    assert (docs / "stories" / "story-00006.md").is_file()
    assert not (docs / "stories" / f"{path.stem}.md").exists()
    assert not (docs / "index.md").exists()
    assert not cache_file(Project(project)).exists()


@pytest.mark.parametrize(("count", "expected"), [(1, 1), (WORTH_FORKING - 1, 1)])
def test_a_few_changed_stories_are_built_in_this_process(count: int, expected: int) -> None:
    assert workers_for(count) == expected


def test_a_template_error_stops_a_parallel_build(fresh_archive: Callable[[int], Path]) -> None:
    project = fresh_archive(12)
    template = project / "templates" / "story.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(5, "{{ page.no_such_field }}\n")
    template.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(RenderError, match=r"^templates/story\.md\.j2:6: .*no_such_field"):
        generate(Project(project), BuildLog(), workers=2)


def test_run_chunks_keeps_chunk_order_and_uses_another_process() -> None:
    def work(n: int) -> tuple[int, int]:
        time.sleep(0.01)  # long enough that both processes take chunks
        return n * n, os.getpid()

    results = run_chunks(list(range(40)), work, workers=2)
    assert [square for square, _ in results] == [n * n for n in range(40)]
    assert len({pid for _, pid in results}) == 2  # this process and one forked worker both took chunks


def test_an_error_in_a_forked_worker_is_raised_in_the_build() -> None:
    parent = os.getpid()

    def work(n: int) -> int:
        if os.getpid() != parent:
            raise ValueError(f"chunk {n} failed in a worker")
        time.sleep(0.01)  # leave the worker chunks to take
        return n

    with pytest.raises(ValueError, match="failed in a worker"):
        run_chunks(list(range(40)), work, workers=2)


def test_a_worker_that_dies_is_reported_not_waited_for() -> None:
    parent = os.getpid()

    def work(n: int) -> int:
        if os.getpid() != parent:
            os._exit(3)  # as if killed: no message, no traceback
        time.sleep(0.01)
        return n

    start = time.monotonic()
    with pytest.raises(BrokenProcessPool):
        run_chunks(list(range(40)), work, workers=2)
    assert time.monotonic() - start < 20


def test_a_worker_blocked_on_a_full_pipe_does_not_hang_the_build_after_an_error() -> None:
    # The preview turns SIGTERM into KeyboardInterrupt; a worker must still stop when told to,
    # even while another worker's result (larger than a pipe's buffer) is waiting to be read.
    parent = os.getpid()

    def work(n: int) -> bytes:
        if os.getpid() == parent:
            time.sleep(0.05)  # leave the chunks to the workers
            return b""
        if n == 10:
            raise OSError(28, "No space left on device")
        return b"x" * 1_000_000

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        start = time.monotonic()
        with pytest.raises(OSError, match="No space left"):
            run_chunks(list(range(200)), work, workers=3)
        assert time.monotonic() - start < 20
    finally:
        signal.signal(signal.SIGTERM, previous)
