"""Hostile files in site_data/, as a pull request can add them (git stores symlinks as they are):
symlinks to secrets and to endless devices, FIFOs, symlinked folders, stories hidden in folders,
file names with a newline or an escape sequence. Each is refused at the file, line 1 col 1, with
a hint, in bounded time, and nothing of what a link points to reaches any output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import FIXTURES, MINIMAL_STORY_FILE, copy_project, run_build

STORIES = "site_data/stories"
SECRET = "extraheader = AUTHORIZATION: basic c2VjcmV0LXRva2Vu"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project with the minimal story, inside a fake repository whose .git/config holds a token."""
    project = copy_project(tmp_path / "repo", site_data=FIXTURES / "minimal" / "site_data")
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text(f'[http "https://github.com/"]\n\t{SECRET}\n')
    return project


def _check(root: Path, fmt: str = "text",
           timeout: float = 60) -> tuple[subprocess.CompletedProcess[str], str]:
    """`build.py check` as CI runs it; a hang (a FIFO opened for reading) fails by the timeout."""
    proc = run_build(root, "check", "--format", fmt, timeout=timeout)
    assert "Traceback" not in proc.stderr + proc.stdout
    return proc, proc.stdout + proc.stderr


def _findings(root: Path) -> list[tuple[str, int, int, str]]:
    proc, _ = _check(root, "json")
    assert proc.returncode == 1, proc.stderr
    return [(d["file"], d["line"], d["col"], d["code"])
            for d in json.loads(proc.stdout) if d["severity"] == "error"]


def _assert_nothing_leaks(root: Path, *secrets: str) -> None:
    for fmt in ("text", "json", "github"):
        proc, output = _check(root, fmt)
        assert proc.returncode == 1, output
        for secret in secrets:
            assert secret not in output, f"{fmt} output shows the link's target"


@pytest.mark.parametrize("target", ["/etc/passwd", "../../.git/config"])
def test_a_story_symlinked_to_a_secret_is_refused_unread(root: Path, target: str):
    os.symlink(target, root / STORIES / "x.yaml")
    assert (root / STORIES / "x.yaml").read_text()  # the link works: a careless reader would show it
    assert _findings(root) == [(f"{STORIES}/x.yaml", 1, 1, "symlink")]
    _assert_nothing_leaks(root, "root:x:0:0", "/bin/", SECRET, "c2VjcmV0")
    proc, output = _check(root, "text")
    assert "is a symbolic link" in output and "hint: replace the link with the file itself" in output


def test_the_actors_file_symlinked_to_the_git_config_is_refused_unread(root: Path):
    actors = root / "site_data" / "actors.yaml"
    actors.unlink()
    os.symlink("../.git/config", actors)
    assert ("site_data/actors.yaml", 1, 1, "symlink") in _findings(root)
    _assert_nothing_leaks(root, SECRET, "c2VjcmV0", "[http")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_story_symlinked_to_an_endless_device_ends_quickly(root: Path, device: str):
    os.symlink(device, root / STORIES / "x.yaml")
    assert _findings(root) == [(f"{STORIES}/x.yaml", 1, 1, "symlink")]


def test_a_fifo_does_not_hang_check(root: Path):
    # No writer ever opens it: a blocking open or read would wait for ever (the timeout fails it).
    os.mkfifo(root / STORIES / "pipe.yaml")
    assert _findings(root) == [(f"{STORIES}/pipe.yaml", 1, 1, "not-a-file")]
    _, output = _check(root, "text", timeout=30)
    assert "named pipe (FIFO), not an ordinary file" in output


def test_a_fifo_as_the_actors_file_does_not_hang_check(root: Path):
    actors = root / "site_data" / "actors.yaml"
    actors.unlink()
    os.mkfifo(actors)
    assert ("site_data/actors.yaml", 1, 1, "not-a-file") in _findings(root)


def test_a_symlink_inside_the_repository_is_refused_too(root: Path):
    # Even to a real story in the project: links are not followed at all (see load.read_regular_file).
    shutil.copy2(MINIMAL_STORY_FILE, root / "elsewhere.yaml")
    os.symlink("../../elsewhere.yaml", root / STORIES / "copy.yaml")
    assert _findings(root) == [(f"{STORIES}/copy.yaml", 1, 1, "symlink")]


@pytest.mark.engine
def test_a_symlinked_stories_folder_is_refused_and_not_published(root: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leaked.yaml").write_bytes(MINIMAL_STORY_FILE.read_bytes())
    shutil.rmtree(root / STORIES)
    os.symlink(outside, root / STORIES)
    assert _findings(root) == [(STORIES, 1, 1, "symlink")]
    build = run_build(root, "build")
    assert build.returncode == 1, build.stderr
    assert "Traceback" not in build.stderr and "symbolic link" in build.stderr
    assert not list(root.glob("site/**/leaked*"))


def test_a_symlinked_site_data_folder_is_refused_unread(root: Path, tmp_path: Path):
    shutil.move(root / "site_data", tmp_path / "elsewhere")
    # What the folder holds is never read: a broken actors file there would otherwise be quoted.
    (tmp_path / "elsewhere" / "actors.yaml").write_text(f"{SECRET}: [\n")
    os.symlink(tmp_path / "elsewhere", root / "site_data")
    assert _findings(root) == [("site_data", 1, 1, "symlink")]
    _assert_nothing_leaks(root, SECRET, "c2VjcmV0")


@pytest.mark.parametrize("folder", ["drafts", "x.yaml"])
def test_a_story_in_a_folder_is_an_error_not_skipped(root: Path, folder: str):
    (root / STORIES / folder).mkdir()
    shutil.copy2(MINIMAL_STORY_FILE, root / STORIES / folder / "hidden.yaml")
    assert _findings(root) == [(f"{STORIES}/{folder}", 1, 1, "story-in-folder")]
    _, output = _check(root)
    assert "hint: move its story files up into site_data/stories" in output


@pytest.mark.engine
def test_a_file_name_with_a_newline_is_not_published(root: Path):
    shutil.copy2(MINIMAL_STORY_FILE, root / STORIES / "x\n.yaml")
    assert _findings(root) == [(f"{STORIES}/x\n.yaml", 1, 1, "bad-slug")]
    build = run_build(root, "build")
    assert build.returncode == 1, build.stderr
    assert not (root / "site" / "stories" / "x\n").exists()


def test_new_refuses_a_slug_with_a_trailing_newline(root: Path):
    before = sorted(p.name for p in (root / STORIES).iterdir())
    proc = run_build(root, "new", "x\n")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ("not created: 'x\\n' is not a valid story slug: use lowercase letters, "
                           "digits and hyphens, e.g. alibaba-pla-memo\n")
    assert sorted(p.name for p in (root / STORIES).iterdir()) == before


def test_an_escape_sequence_in_a_file_name_does_not_reach_the_terminal(root: Path):
    shutil.copy2(MINIMAL_STORY_FILE, root / STORIES / "\x1b]0;owned\x07\x1b[2J.yaml")
    proc, output = _check(root, "text")
    assert proc.returncode == 1
    assert "\x1b" not in output and "\x07" not in output
    assert f"{STORIES}/\\x1b]0;owned\\x07\\x1b[2J.yaml:1:1: error:" in proc.stderr


def test_an_actor_id_with_a_trailing_newline_is_refused(root: Path):
    actors = root / "site_data" / "actors.yaml"
    actors.write_text(actors.read_text() + '"alibaba\\n":\n  name: "Alibaba look-alike"\n'
                      "  kind: company\n  description: \"Not the real one.\"\n")
    line = actors.read_text().splitlines().index('"alibaba\\n":') + 1
    assert _findings(root) == [("site_data/actors.yaml", line, 1, "bad-id")]
    _, output = _check(root)
    assert "\n\":1" not in output and "'alibaba\\n' is not a valid actor id" in output


def test_a_wikidata_id_must_be_q_and_digits(root: Path):
    actors = root / "site_data" / "actors.yaml"
    text = actors.read_text().replace('  kind: company\n', '  kind: company\n  wikidata: "Q1\\"><x>"\n', 1)
    actors.write_text(text)
    line = text.splitlines().index('  wikidata: "Q1\\"><x>"') + 1
    assert _findings(root) == [("site_data/actors.yaml", line, 13, "bad-format")]
    actors.write_text(text.replace('"Q1\\"><x>"', "Q1234"))
    proc, _ = _check(root)
    assert proc.returncode == 0, proc.stderr
