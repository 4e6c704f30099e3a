"""Shared helpers for the security tests: project copies in tmp_path, real builds, tree hashes."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PROJECT_PARTS = ("mkdocs.yml", "overrides", "templates", "content", "site_data")


def copy_project(dest: Path) -> Path:
    """A buildable copy of the repository's project files; tests never touch the real ones."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            shutil.copy2(src, dest / part)
    return dest


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
