"""`build.py serve`: the live preview follows YAML edits and survives a YAML mistake."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from support import build_command, copy_project

STORY = Path("site_data/stories/alibaba-pla-memo.yaml")
PAGE = "stories/alibaba-pla-memo/"
STARTUP_SECONDS = 60  # the first build; shared 2-core machine
UPDATE_SECONDS = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(condition: Callable[[], bool], seconds: float) -> float:
    """Poll until condition() holds; return how long it took. Fails the test on timeout."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if condition():
            return time.monotonic() - start
        time.sleep(0.2)
    pytest.fail(f"not within {seconds} s")


class Server:
    """build.py serve in its own process group, with its output collected as it comes."""

    def __init__(self, root: Path, port: int):
        self.output: list[str] = []
        self.process = subprocess.Popen(
            build_command(root, "serve", "--port", str(port)),
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    def text(self) -> str:
        return "".join(self.output)

    def stop(self) -> None:
        # Ctrl-C as a terminal sends it: to the whole group, so the engine it started stops too.
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def test_serve_follows_edits_and_survives_a_yaml_mistake(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{PAGE}"
    story = root / STORY
    server = Server(root, port)
    try:
        wait_for(lambda: "Alibaba denies" in fetch(url), STARTUP_SECONDS)

        story.write_text(story.read_text().replace(
            "Alibaba denies\"\n", "Alibaba denies (edited in preview)\"\n", 1))
        took = wait_for(lambda: "Alibaba denies (edited in preview)" in fetch(url), UPDATE_SECONDS)
        assert took < UPDATE_SECONDS

        # an unclosed flow sequence: a YAML syntax error the editor must see with its position
        story.write_text(story.read_text().replace("tags: [alibaba,", "tags: [alibaba, [", 1))
        position = re.compile(r"site_data/stories/alibaba-pla-memo\.yaml:\d+:\d+")
        # the position and the closing "not updated" line arrive as separate writes: wait for both
        wait_for(lambda: bool(position.search(server.text())) and "preview not updated" in server.text(),
                 UPDATE_SECONDS)
        assert server.process.poll() is None, "the preview stopped on a data mistake"
        time.sleep(1)  # give a wrongly triggered rebuild the chance to show
        assert "Alibaba denies (edited in preview)" in fetch(url)
    finally:
        server.stop()
    assert "Traceback" not in server.text(), server.text()
