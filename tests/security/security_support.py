"""Shared helpers for the security tests: project copies in tmp_path, real builds, tree hashes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import support  # tests/ is on the path (pytest pythonpath)

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
def copy_project(dest: Path) -> Path:
    """A buildable copy of the repository's project files; tests never touch the real ones."""
    return support.copy_project(REPO, dest)


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`build.py --root <root> <args>` as a user runs it."""
    return subprocess.run([PYTHON, str(REPO / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=timeout, env=env or build_env())


def build_env() -> dict[str, str]:
    """The environment without SOURCE_DATE_EPOCH: builds must be reproducible by default."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = str(REPO)
    return env


def hash_tree(root: Path) -> dict[str, str]:
    """sha256 of every file under root by relative path; directories and symlinks recorded too."""
    if not root.exists():
        return {}
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "symlink:" + os.readlink(path)
        elif path.is_dir():
            out[rel + "/"] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
