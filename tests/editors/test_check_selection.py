"""`build.py check PATH|SLUG …` and `check --changed REF`, run as editors and CI run them, on real
git repositories: the named or changed files' findings come first, and GitHub's 10 + 10 annotations
go to them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support import FIXTURES, MINIMAL_STORY_FILE, build_command, build_env, copy_project, run_build

MINIMAL = MINIMAL_STORY_FILE.read_text(encoding="utf-8")
STORIES = "site_data/stories/"


def with_bad_dates(count: int) -> str:
    """The minimal story with `count` timeline entries dated in month 13: one error each."""
    entries = "".join(f'  - date: "2025-13"\n    text: "Event {i}."\n    sources: [memo]\n'
                      for i in range(count))
    return MINIMAL.replace("updates:\n", entries + "updates:\n", 1)


def without_urls(count: int) -> str:
    """The minimal story with `count` more sources that have no URL: one warning each."""
    sources = "".join(f'  extra-{i}:\n    title: "Extra {i}"\n    publisher: "Example"\n    kind: other\n'
                      f'    date: "2025"\n' for i in range(count))
    return MINIMAL.replace("sources:\n", "sources:\n" + sources, 1)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *args],
                          cwd=root, check=True, capture_output=True, text=True).stdout


def repository(tmp_path: Path, stories: dict[str, str]) -> Path:
    """A project (minimal data plus `stories`) committed to a new git repository."""
    root = copy_project(tmp_path / "project", site_data=FIXTURES / "minimal" / "site_data")
    for name, text in stories.items():
        (root / STORIES / name).write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def check(root: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    if cwd is None:
        return run_build(root, "check", *args, timeout=120)
    return subprocess.run(build_command(root, "check", *args), capture_output=True, text=True, cwd=cwd,
                          env=build_env(), timeout=120)


def files_in_order(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return list(dict.fromkeys(item["file"] for item in json.loads(proc.stdout)))


def annotations(proc: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    """(severity, file) of each annotation GitHub would show, in order."""
    out = []
    for line in proc.stdout.splitlines():
        if line.startswith(("::error ", "::warning ")):
            severity, rest = line[2:].split(" ", 1)
            out.append((severity, rest.split(",", 1)[0].removeprefix("file=")))
    return out


def assert_no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr


# --- --changed REF -------------------------------------------------------------------------------

def test_changed_story_findings_come_first(tmp_path):
    root = repository(tmp_path, {"a-old.yaml": without_urls(2)})
    (root / STORIES / "minimal.yaml").write_text(without_urls(1), encoding="utf-8")  # edited, not committed
    (root / STORIES / "b-new.yaml").write_text(without_urls(3), encoding="utf-8")  # untracked
    proc = check(root, "--changed", "HEAD", "--format", "json")
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert files_in_order(proc) == [STORIES + "b-new.yaml", STORIES + "minimal.yaml", STORIES + "a-old.yaml"]
    # Without --changed, the same findings in file order.
    assert files_in_order(check(root, "--format", "json"))[0] == STORIES + "a-old.yaml"
    text = check(root, "--changed", "HEAD")
    first = text.stderr.splitlines()[0]
    assert first.startswith(STORIES + "b-new.yaml:"), text.stderr
    assert text.stderr.splitlines()[-1] == "checked 4 file(s): 0 error(s), 6 warning(s)"


def test_changed_against_a_commit_covers_committed_changes(tmp_path):
    root = repository(tmp_path, {"a-old.yaml": without_urls(1)})
    base = git(root, "rev-parse", "HEAD").strip()
    (root / STORIES / "minimal.yaml").write_text(without_urls(1), encoding="utf-8")
    git(root, "commit", "-q", "-am", "edit the minimal story")
    proc = check(root, "--changed", base, "--format", "json")
    assert files_in_order(proc) == [STORIES + "minimal.yaml", STORIES + "a-old.yaml"]
    # Against HEAD nothing differs: plain file order.
    assert files_in_order(check(root, "--changed", "HEAD", "--format", "json")) == [
        STORIES + "a-old.yaml", STORIES + "minimal.yaml"]


def test_github_annotates_the_changed_files_errors_first_within_10(tmp_path):
    root = repository(tmp_path, {"a-old.yaml": with_bad_dates(12)})
    (root / STORIES / "minimal.yaml").write_text(with_bad_dates(2), encoding="utf-8")
    proc = check(root, "--changed", "HEAD", "--format", "github")
    assert_no_traceback(proc)
    assert proc.returncode == 1
    shown = annotations(proc)
    assert shown == [("error", STORIES + "minimal.yaml")] * 2 + [("error", STORIES + "a-old.yaml")] * 8
    assert proc.stdout.splitlines()[-1] == ("::notice::4 more errors and 0 more warnings not annotated "
                                            "(GitHub shows 10 of each): run build.py check to see them all")
    assert len(proc.stdout.splitlines()) == 11


def test_github_limits_a_changed_file_with_more_than_10_errors(tmp_path):
    root = repository(tmp_path, {"a-old.yaml": with_bad_dates(1)})
    (root / STORIES / "minimal.yaml").write_text(with_bad_dates(11), encoding="utf-8")
    proc = check(root, "--changed", "HEAD", "--format", "github")
    assert proc.returncode == 1
    assert annotations(proc) == [("error", STORIES + "minimal.yaml")] * 10
    assert proc.stdout.splitlines()[-1].startswith("::notice::2 more errors and 0 more warnings ")


def test_github_limits_warnings_to_10_changed_first(tmp_path):
    root = repository(tmp_path, {"a-old.yaml": without_urls(11)})
    (root / STORIES / "b-new.yaml").write_text(without_urls(3), encoding="utf-8")
    proc = check(root, "--changed", "HEAD", "--format", "github")
    assert proc.returncode == 0
    assert annotations(proc) == ([("warning", STORIES + "b-new.yaml")] * 3
                                 + [("warning", STORIES + "a-old.yaml")] * 7)
    assert proc.stdout.splitlines()[-1].startswith("::notice::0 more errors and 4 more warnings ")
    assert check(root, "--changed", "HEAD", "--format", "github", "--strict").returncode == 1


def test_a_ref_git_does_not_know_is_a_usage_error(tmp_path):
    root = repository(tmp_path, {})
    for ref in ("no-such-branch", "--output=/tmp/x"):
        proc = check(root, f"--changed={ref}")
        assert_no_traceback(proc)
        assert proc.returncode == 2
        assert proc.stdout == "" and len(proc.stderr.splitlines()) == 1, proc.stderr
        assert proc.stderr.startswith("build.py check: --changed")
    assert check(root, "--changed", "no-such-branch").stderr == (
        "build.py check: --changed no-such-branch: git knows no such commit (for a branch of the remote, "
        "run `git fetch` first)\n")


def test_changed_outside_a_git_repository_is_a_usage_error(tmp_path):
    root = copy_project(tmp_path / "project", site_data=FIXTURES / "minimal" / "site_data")
    env = {**build_env(), "GIT_CEILING_DIRECTORIES": str(tmp_path)}  # not the repository around tmp
    proc = subprocess.run(build_command(root, "check", "--changed", "HEAD"), capture_output=True, text=True,
                          env=env, timeout=120)
    assert_no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        "build.py check: --changed: git rev-parse failed: fatal: not a git repository")


# --- named files ---------------------------------------------------------------------------------

def test_named_story_is_checked_alone(tmp_path):
    root = repository(tmp_path, {"a-old.yaml": with_bad_dates(3), "b.yaml": without_urls(1)})
    for given in (str(root / STORIES / "b.yaml"), "b"):
        proc = check(root, given)
        assert_no_traceback(proc)
        assert proc.returncode == 0, proc.stderr  # a-old.yaml's errors are not asked about
        lines = proc.stderr.splitlines()
        assert lines[0].startswith(STORIES + "b.yaml:") and "[source-no-url]" in lines[0]
        assert lines[-1] == "checked 2 file(s): 0 error(s), 1 warning(s)"
    # A path relative to where the editor is, as a shell completes it.
    proc = check(root, "site_data/stories/a-old.yaml", "minimal", "--format", "json", cwd=root)
    assert proc.returncode == 1
    assert files_in_order(proc) == [STORIES + "a-old.yaml"]


def test_named_actors_file_checks_the_actors_only(tmp_path):
    root = repository(tmp_path, {"a-old.yaml": with_bad_dates(3)})
    proc = check(root, "site_data/actors.yaml", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "checked 1 file(s): 0 error(s), 0 warning(s)\n"


@pytest.mark.parametrize(("given", "message"), [
    ("minimall", "build.py check: no story 'minimall' in site_data/stories/; did you mean 'minimal'?"),
    ("site_data/stories/gone.yaml", "build.py check: site_data/stories/gone.yaml: no such file"),
    ("mkdocs.yml", "build.py check: mkdocs.yml: outside site_data/: check reads only the project's data "
                   "(a site_data/stories/*.yaml file or a story's slug)"),
    ("../outside.yaml", "build.py check: ../outside.yaml: outside site_data/: check reads only the "
                        "project's data (a site_data/stories/*.yaml file or a story's slug)"),
    ("site_data/notes.yaml", "build.py check: site_data/notes.yaml: not a story file: name a "
                             "site_data/stories/*.yaml file, a story's slug or site_data/actors.yaml"),
])
def test_what_cannot_be_checked_is_a_usage_error(tmp_path, given, message):
    root = repository(tmp_path, {})
    (root.parent / "outside.yaml").write_text(MINIMAL, encoding="utf-8")
    (root / "site_data" / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    proc = check(root, given, cwd=root)
    assert_no_traceback(proc)
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", message + "\n")


def test_files_and_changed_together_are_refused(tmp_path):
    root = repository(tmp_path, {})
    proc = check(root, "minimal", "--changed", "HEAD")
    assert (proc.returncode, proc.stderr) == (
        2, "build.py check: give files to check or --changed REF, not both\n")
