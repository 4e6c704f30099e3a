"""For the preview tests: a real `build.py serve` process on a free port, and HTTP requests to it."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from support import FIXTURES, build_command, build_env, copy_project

STARTUP_SECONDS = 60  # the first build; shared 2-core machine
UPDATE_SECONDS = 20
MINIMAL = FIXTURES / "minimal" / "site_data"
STORY = Path("site_data/stories/minimal.yaml")
PAGE = "stories/minimal/"
TITLE = "Memo alleges ties; company denies"  # the minimal story's


def minimal_project(dest: Path) -> Path:
    """The project's code and templates with the minimal story as its only data."""
    return copy_project(dest, site_data=MINIMAL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, host: str | None = None) -> tuple[int, str]:
    """(status, body) of a GET; `host`: the Host header to send instead of the URL's ('' sends none).
    (0, '') when nothing answers."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        connection.putrequest("GET", parts.path or "/", skip_host=host is not None)
        if host:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return 0, ""
    finally:
        connection.close()


def fetch(url: str) -> str:
    return get(url)[1]


def wait_for(condition: Callable[[], bool], seconds: float, what: str = "") -> float:
    """Poll until condition() holds; return how long it took. Fails the test on timeout."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if condition():
            return time.monotonic() - start
        time.sleep(0.1)
    pytest.fail(f"not within {seconds} s: {what}")


class Server:
    """`build.py serve` in its own process group, its output collected as it comes."""

    def __init__(self, root: Path, *args: str, env: dict[str, str] | None = None):
        self.output: list[str] = []
        self.process = subprocess.Popen(
            build_command(root, "serve", *args), cwd=root, env=env or build_env(),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def text(self) -> str:
        return "".join(self.output)

    def finish(self, timeout: float = 30) -> str:
        """Wait for the process to end by itself; its whole output."""
        self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return self.text()

    def stop(self) -> None:
        # Ctrl-C as a terminal sends it: to the whole group.
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@contextmanager
def running_preview(root: Path) -> Iterator[tuple[Server, int, str]]:
    """`build.py serve` of `root` on a free port, once it serves the minimal story's page:
    (the server, its port, the page's URL). Stopped (Ctrl-C) when the block ends."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{PAGE}"
    server = Server(root, "--port", str(port))
    try:
        wait_for(lambda: TITLE in fetch(url), STARTUP_SECONDS, "first preview")
        yield server, port, url
    finally:
        server.stop()
