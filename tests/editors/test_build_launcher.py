"""`build.py` however an editor calls it: `python build.py`, `python3 build.py`, `./build.py` and
the pre-commit hook, from an interpreter without Contested's packages (an IDE, a fresh terminal).

With the project's `.venv` present it re-executes there and works; without it, one line says to
run `make setup` (exit 69), never a traceback. The "bare" Python is the interpreter this venv was
made from: it lacks the packages (asserted, not assumed), as on a fresh machine or in CI."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import FIXTURES, REPO, build_env, copy_project

EXIT_NO_ENVIRONMENT = 69
SETUP_LINE = ("build.py: {} lacks the package '{}': run `make setup` to create .venv with everything "
              "Contested needs, then run build.py again\n")
PRE_COMMIT = REPO / ".pre-commit-config.yaml"
BARE = Path(getattr(sys, "_base_executable", "") or sys.executable)
VENV = Path(sys.prefix)  # the environment these tests run in: the project's .venv in `make test`


def _missing_module(python: Path) -> str:
    """The first of Contested's packages `python` cannot import ('' when it has them all)."""
    code = ("import importlib.util as u\n"
            "print(next((m for m in ('yaml', 'jinja2', 'markupsafe', 'markdown_it', 'mkdocs')"
            " if u.find_spec(m) is None), ''))")
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    return proc.stdout.strip()


@pytest.fixture(scope="module")
def bare_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose `python` and `python3` are the bare interpreter, to put first on PATH."""
    assert Path(sys.base_prefix) != VENV, "run the tests from a virtual environment, as `make test` does"
    assert _missing_module(BARE), f"{BARE} has Contested's packages: it cannot stand for a bare Python"
    folder = tmp_path_factory.mktemp("bare-bin")
    for name in ("python", "python3"):
        (folder / name).symlink_to(BARE)
    return folder


def _repo_copy(dest: Path, venv: Path | None) -> Path:
    """build.py and the package, the minimal story as site_data/, and `.venv` linked to `venv`."""
    copy_project(dest, source=FIXTURES / "minimal")
    shutil.copy2(REPO / "build.py", dest / "build.py")
    shutil.copytree(REPO / "contested", dest / "contested", ignore=shutil.ignore_patterns("__pycache__"))
    if venv is not None:
        (dest / ".venv").symlink_to(venv, target_is_directory=True)
    return dest


def _run(command: list[str], cwd: Path, bare_bin: Path) -> subprocess.CompletedProcess[str]:
    """`command` from `cwd` with the bare interpreter first on PATH and no environment activated."""
    env = {k: v for k, v in build_env().items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = str(bare_bin) + os.pathsep + env.get("PATH", "")
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


CALLS = {"python": ["python", "build.py", "check"], "python3": ["python3", "build.py", "check"],
         "dot-slash": ["./build.py", "check"]}


@pytest.mark.parametrize("call", CALLS)
def test_reexecutes_into_the_projects_venv(call, tmp_path, bare_bin):
    root = _repo_copy(tmp_path / "repo", VENV)
    proc = _run(CALLS[call], root, bare_bin)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.endswith("checked 2 file(s): 0 error(s), 0 warning(s)\n")


@pytest.mark.parametrize("call", CALLS)
def test_without_a_venv_one_line_says_make_setup(call, tmp_path, bare_bin):
    root = _repo_copy(tmp_path / "repo", None)
    proc = _run(CALLS[call], root, bare_bin)
    assert proc.returncode == EXIT_NO_ENVIRONMENT
    assert proc.stdout == ""
    python = bare_bin / ("python" if call == "python" else "python3")  # ./build.py: env python3
    assert proc.stderr == SETUP_LINE.format(python, _missing_module(BARE))
    assert "Traceback" not in proc.stderr


def test_a_venv_without_the_packages_is_tried_once_then_explained(tmp_path, bare_bin):
    # A .venv whose python is the bare one: sys.prefix never matches it, so only the marker stops
    # build.py from re-executing itself forever.
    fake = tmp_path / "fake-venv"
    (fake / "bin").mkdir(parents=True)
    (fake / "bin" / "python").symlink_to(BARE)
    root = _repo_copy(tmp_path / "repo", fake)
    proc = _run(["python3", "build.py", "check"], root, bare_bin)
    assert proc.returncode == EXIT_NO_ENVIRONMENT
    assert proc.stderr == SETUP_LINE.format("the project's .venv", _missing_module(BARE))


def test_the_venvs_own_python_runs_in_place(tmp_path):
    # As `make` and the tests call it: the venv's python finishes in its own process (were it
    # re-executed, the code after build.py's exit would never run).
    root = _repo_copy(tmp_path / "repo", VENV)
    code = ("import runpy, sys\nsys.argv = ['build.py', 'check']\n"
            "try:\n    runpy.run_path('build.py', run_name='__main__')\n"
            "except SystemExit as exit:\n    print('finished in place with', exit.code)\n")
    proc = subprocess.run([str(root / ".venv" / "bin" / "python"), "-c", code], cwd=root, capture_output=True,
                          text=True, timeout=120, env=build_env())
    assert proc.stdout == "finished in place with 0\n", proc.stderr


# --- the pre-commit hook, as an IDE runs it ------------------------------------------------------

@pytest.fixture(scope="module")
def hook_entry() -> list[str]:
    (repo,) = yaml.safe_load(PRE_COMMIT.read_text())["repos"]
    (hook,) = repo["hooks"]
    assert hook["language"] == "system"  # pre-commit runs the entry as is, with the IDE's PATH
    return shlex.split(hook["entry"])


def test_hook_passes_without_an_activated_environment(hook_entry, tmp_path, bare_bin):
    root = _repo_copy(tmp_path / "repo", VENV)
    proc = _run(hook_entry, root, bare_bin)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.endswith("checked 2 file(s): 0 error(s), 0 warning(s)\n")


def test_hook_fails_on_a_broken_story_without_an_activated_environment(hook_entry, tmp_path, bare_bin):
    root = _repo_copy(tmp_path / "repo", VENV)
    story = root / "site_data" / "stories" / "minimal.yaml"
    text = story.read_text(encoding="utf-8")
    assert "status: developing" in text
    story.write_text(text.replace("status: developing", "status: devloping", 1), encoding="utf-8")
    proc = _run(hook_entry, root, bare_bin)
    assert proc.returncode == 1
    assert "[bad-value]" in proc.stderr and "Traceback" not in proc.stderr
