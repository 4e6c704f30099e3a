"""Stage engine: run the site engine (MkDocs) on the docs folder, into a fresh folder beside `site/`.

The one module that names the engine (with engine_worker.py, the preview's engine process):
moving engines changes these two only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from contested.build.errors import HostError, PublishError
from contested.config import IgnoreTagsLoader
from contested.project import Project

# What the engine prints when the machine, not the site, failed it (OSError and MemoryError texts).
_MACHINE_FAILURES = ("No space left on device", "Disk quota exceeded", "Read-only file system",
                     "Permission denied", "MemoryError")


def engine_command(project: Project, out_dir: Path, config_file: Path | None = None) -> list[str]:
    """The one place that names the site engine: moving engines changes this command only."""
    # No --quiet: it drops MkDocs's warnings before --strict counts them, so strict never fails.
    # The output is captured anyway and shown only when the engine fails.
    return [sys.executable, "-m", "mkdocs", "build", "--strict",
            "--config-file", str(config_file or project.config_file), "--site-dir", str(out_dir)]


def engine_template_dirs(project: Project) -> list[Path]:
    """The folders the engine renders pages from, overrides first: the verify stage's allow-list."""
    from mkdocs.config import load_config  # imported here: only the verify stage needs it

    return [Path(d) for d in load_config(str(project.config_file)).theme.dirs]


def engine_environment() -> dict[str, str]:
    # Material's end-of-life banner would bury our own stage report on every build.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def current_umask() -> int:
    """The process's umask (reading it means setting it: put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def build_site(project: Project, source_date_epoch: int) -> Path:
    """Run the engine into a new folder under .build/; return that folder. Raises PublishError."""
    project.work_dir.mkdir(parents=True, exist_ok=True)
    out_dir = Path(tempfile.mkdtemp(prefix="site-", dir=project.work_dir))
    out_dir.chmod(0o777 & ~current_umask())  # mkdtemp makes it 0700; site/ is for a web server to read
    env = {**engine_environment(), "SOURCE_DATE_EPOCH": str(source_date_epoch)}
    result = subprocess.run(engine_command(project, out_dir), cwd=project.root, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(out_dir, ignore_errors=True)
        output = (result.stderr + result.stdout).strip()
        said = [line for line in output.splitlines() if any(sign in line for sign in _MACHINE_FAILURES)]
        if said:  # its traceback would only hide the one line that matters
            raise HostError(f"the site engine failed (exit {result.returncode}): {said[-1].strip()}")
        raise PublishError(f"the site engine failed (exit {result.returncode}):\n{output}")
    return out_dir


def preview_config(project: Project, work_dir: Path) -> Path:
    """The preview's engine config in `work_dir`: the project's own (MkDocs' INHERIT) reading the
    preview's docs folder. INHERIT resolves paths from the child file's folder, so the theme
    folder is made absolute here."""
    raw = yaml.load(project.config_file.read_text(encoding="utf-8"), Loader=IgnoreTagsLoader) or {}
    settings: dict[str, object] = {"INHERIT": str(project.config_file), "docs_dir": str(work_dir / "docs")}
    theme = raw.get("theme") if isinstance(raw, dict) else None
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        settings["theme"] = {"custom_dir": str(project.root / theme["custom_dir"])}
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / "mkdocs.yml"
    path.write_text(json.dumps(settings), encoding="utf-8")  # JSON is YAML
    return path


class PreviewEngine:
    """The engine kept running for the preview (`engine_worker.py`): imported once, one build at a
    time, answering when each has finished. Its own chatter goes to `log_file`, never to editors."""

    def __init__(self, project: Project, config_file: Path, log_file: Path) -> None:
        self.root, self.config_file, self.log_file = project.root, config_file, log_file
        self.process = self._start()

    def _start(self) -> subprocess.Popen[str]:
        with self.log_file.open("ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "contested.build.engine_worker", str(self.config_file)],
                cwd=self.root, env={**engine_environment(), "PYTHONPATH": _package_root()},
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)

    def build(self, site_dir: Path, dirty: bool) -> str:
        """Build into `site_dir` (only the pages whose source is newer, if `dirty`): '' when it
        worked, else what the engine said."""
        if self.process.poll() is not None:  # it died (out of memory, killed): a new one
            self.process = self._start()
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(json.dumps({"site_dir": str(site_dir), "dirty": dirty}) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
        except OSError:
            reply = ""
        if not reply:
            return f"the site engine stopped (exit {self.process.poll()})"
        said: list[str] = json.loads(reply)["said"]
        return "the site engine failed:\n" + "\n".join(said) if said else ""

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()  # the worker's loop ends
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _package_root() -> str:
    """The folder holding the `contested` package, for the worker's imports."""
    here = str(Path(__file__).resolve().parents[2])
    return os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)
