"""Which data files `build.py check` looks at first: the stories an editor names (a path or a
slug), or what differs from a git ref. Files are named as messages name them (site_data/…)."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from contested.content.load import display_name
from contested.diagnostics import did_you_mean


class SelectionError(Exception):
    """A named file or ref that cannot be checked: a usage error, told in one line."""


def named_files(names: Sequence[str], data_dir: Path, root: Path, cwd: Path) -> list[str]:
    """Each of `names` (a file path, relative to `cwd`, or a story's slug) as messages name it.
    Only the project's data files can be named: anything else is a SelectionError."""
    stories = data_dir / "stories"
    out: list[str] = []
    for given in names:
        path = cwd / given
        looks_like_path = "/" in given or given.endswith((".yaml", ".yml")) or given in (".", "..")
        if not path.exists() and not looks_like_path:
            path = stories / f"{given}.yaml"
            if not path.is_file():
                slugs = sorted(p.stem for p in stories.glob("*.yaml"))
                raise SelectionError(f"no story '{given}' in {display_name(stories, root)}/"
                                     f"{did_you_mean(given, slugs)}")
        elif not path.exists():
            raise SelectionError(f"{given}: no such file")
        out.append(_data_file(given, path, data_dir, root))
    return list(dict.fromkeys(out))


def _data_file(given: str, path: Path, data_dir: Path, root: Path) -> str:
    stories = data_dir / "stories"
    # The folder holding it is resolved, not the file: a story may be a symlink, named as written.
    folder = path.absolute().parent.resolve()
    if path.is_file() and folder == stories.resolve() and path.suffix == ".yaml":
        return f"{display_name(stories, root)}/{path.name}"
    if path.is_file() and folder == data_dir.resolve() and path.name == "actors.yaml":
        return display_name(path, root)
    where = display_name(stories, root)
    if path.resolve().is_relative_to(data_dir.resolve()):
        raise SelectionError(f"{given}: not a story file: name a {where}/*.yaml file, a story's slug "
                             f"or {display_name(data_dir, root)}/actors.yaml")
    raise SelectionError(f"{given}: outside {display_name(data_dir, root)}/: check reads only the "
                         f"project's data (a {where}/*.yaml file or a story's slug)")


def changed_files(ref: str, data_dir: Path, root: Path) -> list[str]:
    """The data files that differ from git ref `ref` (committed or not) or are untracked, as
    messages name them; deleted files are left out (there is nothing to check)."""
    if not ref or ref.startswith("-"):
        raise SelectionError(f"--changed '{ref}': give a git ref, e.g. origin/main")
    git(root, "--changed", "rev-parse", "--git-dir")  # outside a repository, git diff would compare folders
    try:
        git(root, "--changed", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except SelectionError:
        raise SelectionError(f"--changed {ref}: git knows no such commit (for a branch of the remote, "
                             "run `git fetch` first)") from None
    folder = display_name(data_dir, root)
    diff = git(root, "--changed", "diff", "--name-only", "--relative", "-z", ref, "--", folder)
    untracked = git(root, "--changed", "ls-files", "--others", "--exclude-standard", "-z", "--", folder)
    names = [n for n in diff.split("\0") + untracked.split("\0") if n]
    return sorted({n for n in names if (root / n).is_file()})


def git(root: Path, option: str, *args: str) -> str:
    """`git args…` in `root`: its output, or SelectionError naming the `option` that needed it."""
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=60)
    except FileNotFoundError:
        raise SelectionError(f"{option} needs git, which is not installed") from None
    if proc.returncode != 0:
        first = (proc.stderr.strip().splitlines() or ["git failed"])[0]
        raise SelectionError(f"{option}: git {args[0]} failed: {first}")
    return proc.stdout
