"""Work split over this process and forked copies of it, one per core.

The build's largest step is many independent pieces (each story file). `run_chunks` runs a
function over chunks of them in this process and in `workers - 1` forked processes, each taking
the next chunk from a shared counter, so no core waits for another. Forked workers inherit
everything in memory (the function, its data, compiled templates); only each chunk's result
crosses a pipe, read by a thread here as it comes so a worker never waits on a full pipe.

Forking pays off for work that makes its own data (stories from files). Work that reads much of
this process's memory (rendering the shared pages from every story's listing) was slower forked:
the copy-on-write of every object it touches costs more than the rendering saves.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

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


class WorkerStopped(Exception):
    """A forked worker ended without finishing its work (killed, or out of memory)."""


def run_chunks(chunks: Sequence[Chunk], work: Callable[[Chunk], Result], workers: int) -> list[Result]:
    """`work(chunk)` for every chunk, results in chunk order, in `workers` processes (this one
    included). An exception in any process is raised here, and no process starts another chunk."""
    if workers < 2 or len(chunks) < 2 or not can_fork():
        return [work(chunk) for chunk in chunks]
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    done: dict[int, Result] = {}
    processes = {}
    try:
        for _ in range(workers - 1):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_worker, args=(chunks, work, counter, writer), daemon=True)
            process.start()
            writer.close()  # the worker's end: the reader sees EOF if the worker dies
            processes[reader] = process
        receiver = _Receiver(processes, done, counter, len(chunks))
        receiver.start()
        try:
            while (index := _next(counter)) < len(chunks):
                done[index] = work(chunks[index])
        except BaseException:
            _stop(counter, len(chunks))
            raise
        receiver.join()
        if receiver.error is not None:
            raise receiver.error
        return [done[index] for index in range(len(chunks))]
    finally:
        for process in processes.values():
            if process.is_alive():
                process.terminate()
            process.join(timeout=5)
            if process.is_alive():  # never wait on a worker for ever
                process.kill()
                process.join()


def _next(counter: Any) -> int:
    with counter.get_lock():
        index = counter.value
        counter.value = index + 1
    return index


def _stop(counter: Any, chunks: int) -> None:
    with counter.get_lock():  # no process starts another chunk
        counter.value = chunks


def _worker(chunks: Sequence[Any], work: Callable[[Any], Any], counter: Any, pipe: Connection) -> None:
    """A forked worker: work on chunks until none is left, sending each result as it is made."""
    # The preview turns SIGTERM into KeyboardInterrupt for itself; a worker is simply stopped.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        while (index := _next(counter)) < len(chunks):
            pipe.send((index, work(chunks[index])))
        pipe.send(None)  # finished
    except BaseException as exc:  # raised again in the build's process: a template error is the site's
        pipe.send((-1, exc))
    finally:
        pipe.close()


class _Receiver(threading.Thread):
    """Reads the forked workers' messages as they come, to the end of each worker's pipe, so no
    worker ever waits on a full pipe; keeps the first error."""

    def __init__(self, processes: dict[Connection, Any], done: dict[int, Any], counter: Any, chunks: int):
        super().__init__(daemon=True)
        self.processes, self.done, self.counter, self.chunks = processes, done, counter, chunks
        self.error: BaseException | None = None

    def run(self) -> None:
        open_pipes = list(self.processes)
        while open_pipes:
            for reader in multiprocessing.connection.wait(open_pipes):
                try:
                    message = reader.recv()
                except Exception as exc:  # EOF: the worker died; or its message could not be read
                    open_pipes.remove(reader)
                    self._fail(self._stopped(reader) if isinstance(exc, EOFError) else exc)
                    continue
                if message is None:  # that worker has finished
                    open_pipes.remove(reader)
                elif message[0] < 0:
                    self._fail(message[1])
                elif self.error is None:
                    self.done[message[0]] = message[1]

    def _fail(self, error: BaseException) -> None:
        if self.error is None:
            self.error = error
            _stop(self.counter, self.chunks)

    def _stopped(self, reader: Connection) -> WorkerStopped:
        process = self.processes[reader]
        process.join(timeout=1)
        return WorkerStopped(f"a worker process stopped (exit code {process.exitcode}) before finishing "
                             "its work; was it killed, or out of memory?")
