"""Work split over forked worker processes, one per core.

The build's largest step is many independent pieces (each story file). `run_chunks` runs a
function over chunks of them in a `ProcessPoolExecutor` whose workers are forked: they inherit
everything in memory (the function, its data, compiled templates), so only a chunk's index goes
out and its result comes back. A worker that dies is reported as `BrokenProcessPool`.

Forking pays off for work that makes its own data (stories from files). Work that reads much of
this process's memory (rendering the shared pages from every story's listing) was slower forked:
the copy-on-write of every object it touches costs more than the rendering saves.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

__all__ = ["WORTH_FORKING", "BrokenProcessPool", "can_fork", "chunked", "cpus", "run_chunks", "workers_for"]

# Below this many pieces of work, starting processes costs more than it saves.
WORTH_FORKING = 50

Item = TypeVar("Item")
Chunk = TypeVar("Chunk")
Result = TypeVar("Result")


def cpus() -> int:
    """How many CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def workers_for(pieces: int) -> int:
    """How many processes are worth using for this many pieces of work."""
    return min(cpus(), pieces) if pieces >= WORTH_FORKING and can_fork() else 1


def chunked(items: Sequence[Item], workers: int) -> list[Sequence[Item]]:
    """Small chunks (about 32 a process), so the processes finish together."""
    size = max(1, len(items) // (workers * 32))
    return [items[i:i + size] for i in range(0, len(items), size)]


def run_chunks(chunks: Sequence[Chunk], work: Callable[[Chunk], Result], workers: int) -> list[Result]:
    """`work(chunk)` for every chunk, results in chunk order, in `workers` forked processes. The
    first exception is raised here and no worker starts another chunk; a dead worker raises
    `BrokenProcessPool`."""
    if workers < 2 or len(chunks) < 2 or not can_fork():
        return [work(chunk) for chunk in chunks]
    # Forked workers inherit `work` and `chunks` (initargs are not pickled under fork): neither
    # need be picklable, and only indexes and results cross.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(work, chunks))
    try:
        futures = [pool.submit(_run_chunk, index) for index in range(len(chunks))]
        results = [future.result() for future in futures]
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # never wait on a worker for ever
        raise
    pool.shutdown()
    return results


_work: Callable[[Any], Any] | None = None
_chunks: Sequence[Any] = ()


def _start_worker(work: Callable[[Any], Any], chunks: Sequence[Any]) -> None:
    global _work, _chunks
    # The preview turns SIGTERM into KeyboardInterrupt for itself; a worker is simply stopped.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _work, _chunks = work, chunks


def _run_chunk(index: int) -> Any:
    assert _work is not None
    return _work(_chunks[index])
