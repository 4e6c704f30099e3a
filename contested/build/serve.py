"""Live preview: regenerate pages when editors' files change; the engine's server reloads the browser.

A mistake in the data is printed with its position and the preview keeps running: the broken
story's page, and the pages shared by many stories, stay as the last good build left them.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from contested.build.cache import BuildCache, Cache
from contested.build.engine import engine_environment, serve_command
from contested.build.lock import project_lock
from contested.build.pipeline import BuildLog, generate
from contested.project import Project
from contested.report import format_text

POLL_SECONDS = 0.3


def serve(project: Project, host: str, port: int) -> int:
    """Run until interrupted; returns the engine's exit code."""
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the engine too, as Ctrl-C does
    # mkdocs.yml too: the site's address and publisher go into the exports and the JSON-LD.
    watched = (project.data_dir, project.templates_dir, project.content_dir, project.config_file)
    snapshot = _snapshot(watched)
    preview = _Preview(project)
    while not preview.regenerate():
        print("waiting for the errors above to be fixed…", file=sys.stderr)
        snapshot = _wait_for_change(watched, snapshot)
    engine = subprocess.Popen(_serve_command(project, host, port), cwd=project.root,
                              env=engine_environment())
    print(f"previewing on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    try:
        while engine.poll() is None:
            snapshot = _wait_for_change(watched, snapshot, engine)
            if engine.poll() is None:
                preview.regenerate()
    finally:
        engine.terminate()
        try:
            engine.wait(timeout=10)
        except subprocess.TimeoutExpired:
            engine.kill()
            engine.wait()
        preview.save()
    return engine.returncode or 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _serve_command(project: Project, host: str, port: int) -> list[str]:
    return serve_command(project, host, port)


@dataclass
class _Preview:
    """Regenerates pages, holding the last good build's cache in memory between edits."""

    project: Project
    cache: BuildCache | None = None

    def regenerate(self) -> bool:
        log = BuildLog()
        # Until this regeneration succeeds nothing vouches for the docs folder: a failure midway
        # may have rewritten part of it, so the old cache must not be reused or saved.
        known, self.cache = self.cache, None
        try:
            with project_lock(self.project):  # a `build` running now finishes first
                generated = generate(self.project, log, known)
        except Exception as exc:  # a template slip must not stop the preview
            print(f"preview not updated: {type(exc).__name__}: {exc}", file=sys.stderr)
            return False
        self.cache = generated.held  # the cache's verdict on what describes the docs folder now
        if generated.report.errors:
            print(format_text(sorted(generated.report.errors), self.project.root), file=sys.stderr)
            print("preview not updated: fix the errors above", file=sys.stderr)
            return False
        print(log.format(), file=sys.stderr)
        return True

    def save(self) -> None:
        """Leave the cache for the next `build`: generating wrote the docs folder but not the cache."""
        if self.cache is not None:
            with project_lock(self.project):
                Cache(self.project).commit(self.cache)


def _snapshot(dirs: tuple[Path, ...]) -> dict[Path, tuple[int, int]]:
    """(mtime, size) of every file in the watched folders, and of watched files themselves."""
    out = {}
    for folder in dirs:
        for path in folder.rglob("*") if folder.is_dir() else [folder]:
            try:
                stat = path.stat()
            except OSError:
                continue
            out[path] = (stat.st_mtime_ns, stat.st_size)
    return out


Snapshot = dict[Path, tuple[int, int]]


def _wait_for_change(dirs: tuple[Path, ...], before: Snapshot,
                     engine: subprocess.Popen[bytes] | None = None) -> Snapshot:
    while engine is None or engine.poll() is None:
        time.sleep(POLL_SECONDS)
        now = _snapshot(dirs)
        if now != before:
            return now
    return before
