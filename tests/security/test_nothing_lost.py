"""Nothing is lost: inputs are never written, failed or killed builds leave site/ as it was, and
builds are reproducible without SOURCE_DATE_EPOCH."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support import build_command, build_env, copy_project, hash_tree, run_build

INPUTS = ("site_data", "content", "templates", "overrides", "mkdocs.yml")
STORY = "site_data/stories/alibaba-pla-memo.yaml"


def _inputs_state(root: Path) -> dict[str, tuple[str, int]]:
    """Bytes and modification times: rewriting a file with the same bytes counts as writing."""
    state = {}
    for part in INPUTS:
        path = root / part
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*"))
        for file in files:
            rel = file.relative_to(root).as_posix()
            digest = hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else "dir"
            state[rel] = (digest, file.stat().st_mtime_ns)
    return state


@pytest.fixture
def built(built_project: Path, tmp_path: Path) -> Path:
    """A private copy of a project that has been built once (site/ present)."""
    return Path(shutil.copytree(built_project, tmp_path / "project", symlinks=True))


def _change_story(root: Path) -> None:
    """Different data, so a build that completes would change site/."""
    story = root / STORY
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace('title: "Pentagon memo', 'title: "Changed: Pentagon memo', 1),
                     encoding="utf-8")


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in (root / ".build").glob("site-*"))


def test_build_never_writes_in_inputs(project: Path) -> None:
    before = _inputs_state(project)
    assert len(before) > 10
    result = run_build(project, "build")
    assert result.returncode == 0, result.stderr
    assert (project / "site/index.html").is_file()
    assert _inputs_state(project) == before


def test_two_builds_of_the_same_data_are_byte_identical(tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH unset (build_env removes it); different folders, different times."""
    assert "SOURCE_DATE_EPOCH" not in build_env()
    first = copy_project(tmp_path / "first")
    second = copy_project(tmp_path / "second")
    assert run_build(first, "build").returncode == 0
    time.sleep(1.1)  # a timestamp taken from the clock would now differ
    assert run_build(second, "build").returncode == 0
    one, two = hash_tree(first / "site"), hash_tree(second / "site")
    assert len(one) > 50
    assert one == two
    shutil.rmtree(first / "site")
    assert run_build(first, "build").returncode == 0  # again in place, docs folder reused
    assert hash_tree(first / "site") == one


@pytest.mark.parametrize("moment", [0.2, 0.5, 1.0, 1.5, "engine"])
def test_a_build_killed_at_any_moment_leaves_site_as_it_was(built: Path, moment: float | str) -> None:
    before = hash_tree(built / "site")
    _change_story(built)
    process = subprocess.Popen(build_command(built, "build"),
                               env=build_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    finished_first = _wait_for(process, built, moment)
    # The whole build, engine included, as a CI timeout would; a build that already finished is
    # gone, and then the whole new site must be in place (checked below).
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after_kill = hash_tree(built / "site")

    result = run_build(built, "build")
    assert result.returncode == 0, result.stderr
    rebuilt = hash_tree(built / "site")
    assert rebuilt != before  # the changed data is published by the next build
    assert _leftovers(built) == []
    if moment == "engine":
        assert not finished_first
        assert after_kill == before
    else:  # killed mid-way: the old site; finished before the kill: the whole new one. Never a mix.
        assert after_kill in (before, rebuilt)


def _wait_for(process: subprocess.Popen[bytes], root: Path, moment: float | str) -> bool:
    """Wait until the moment to kill; True if the build had already finished by then."""
    if moment == "engine":  # the engine's output folder exists: it is running
        deadline = time.monotonic() + 60
        while not list((root / ".build").glob("site-*")) and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
    else:
        time.sleep(float(moment))
    return process.poll() is not None


def _break_data(root: Path) -> None:
    (root / STORY).write_text("title: [not closed\n", encoding="utf-8")


def _break_template(root: Path) -> None:
    template = root / "templates/story.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "{{ page.no_such_field.x }}\n",
                        encoding="utf-8")


def _break_engine_config(root: Path) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: material", "name: no-such-theme"),
                      encoding="utf-8")


def _plant_iframe_in_content(root: Path) -> None:
    page = root / "content/how-we-label-claims.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<iframe src="https://evil.example/"></iframe>\n',
                    encoding="utf-8")


@pytest.mark.parametrize(("stage", "break_it", "message"), [
    ("check", _break_data, "site_data/stories/alibaba-pla-memo.yaml:2:1: error: YAML syntax error"),
    ("render", _break_template, "build failed: templates/story.md.j2"),
    ("engine", _break_engine_config, "build failed: the site engine failed (exit 1)"),
    ("verify", _plant_iframe_in_content, "how-we-label-claims/index.html:"),
])
def test_a_failure_at_each_stage_leaves_site_as_it_was(built: Path, stage: str,
        break_it: Callable[[Path], None], message: str) -> None:
    before = hash_tree(built / "site")
    break_it(built)
    result = run_build(built, "build")
    assert result.returncode == 1, (stage, result.stderr)
    assert message in result.stderr
    assert "site/ was left as it was" in result.stderr
    assert "Traceback" not in result.stderr
    assert hash_tree(built / "site") == before
    assert _leftovers(built) == []
