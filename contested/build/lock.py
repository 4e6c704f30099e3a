"""One build at a time: `build` and the preview's regenerations hold an exclusive lock on the
project (`.build/lock`), so one build can never delete or publish another's half-made work.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from contested.project import Project


@contextmanager
def project_lock(project: Project) -> Iterator[None]:
    """Hold the project's lock; wait, saying which process holds it, if another build does.

    flock is released by the kernel when the holder exits, even on `kill -9`: no stale lock.
    """
    project.work_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(project.lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            print(f"waiting: another build of this project (process {holder}) holds {project.lock_file}",
                  file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        record = f"{os.getpid():>10}\n".encode()  # fixed width: a reader never sees a mix of two
        os.pwrite(fd, record, 0)
        os.ftruncate(fd, len(record))
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # a pid left here would name a finished build to the next waiter
    finally:
        os.close(fd)  # releases the lock; the file stays (removing it would race a waiting build)


def _holder(fd: int) -> str:
    """The pid the holder wrote; it may not have written it yet (it locks first), so look again."""
    for _ in range(40):
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if text.isdigit():
            return text
        time.sleep(0.05)
    return "unknown"
