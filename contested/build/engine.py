"""Stage engine: run the site engine (MkDocs) on the docs folder, into a fresh folder beside `site/`.

The one module that names the engine: moving engines changes this module only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from contested.build.errors import HostError, PublishError
from contested.project import Project

# What the engine prints when the machine, not the site, failed it (OSError and MemoryError texts).
_MACHINE_FAILURES = ("No space left on device", "Disk quota exceeded", "Read-only file system",
                     "Permission denied", "MemoryError")


def engine_command(project: Project, out_dir: Path) -> list[str]:
    """The one place that names the site engine: moving engines changes this command only."""
    # No --quiet: it drops MkDocs's warnings before --strict counts them, so strict never fails.
    # The output is captured anyway and shown only when the engine fails.
    return [sys.executable, "-m", "mkdocs", "build", "--strict",
            "--config-file", str(project.config_file), "--site-dir", str(out_dir)]


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
