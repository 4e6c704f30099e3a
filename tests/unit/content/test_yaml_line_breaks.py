"""Line breaks other than LF: YAML also ends a line at a lone CR, NEL, LS or PS, and numbers its
marks so. Messages point into the file by those numbers, and a mistake after such a break is told
in an editor's words, never as a crash (found by the fuzz test: `a: b\\r"`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import FIXTURES, copy_project, run_build

from contested.content.yaml_errors import yaml_lines

BREAKS = {"CR": "\r", "NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}


def test_the_lines_are_yamls() -> None:
    assert yaml_lines("a\r\nb\rc\nd\x85e\u2028f\u2029g") == ["a", "b", "c", "d", "e", "f", "g"]
    assert yaml_lines("a\n") == ["a", ""]


def _check(tmp_path: Path, text: str) -> str:
    root = copy_project(tmp_path / "p", source=FIXTURES / "minimal")
    story = root / "site_data" / "stories" / "minimal.yaml"
    story.write_bytes(text.encode("utf-8"))
    proc = run_build(root, "check")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Traceback" not in out and "internal error" not in out, out
    return proc.stderr


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_quote_left_open_after_the_break_is_told_not_crashed(tmp_path: Path, name: str) -> None:
    said = _check(tmp_path, f"a: b{BREAKS[name]}\"")
    assert "site_data/stories/minimal.yaml:" in said, said


@pytest.mark.parametrize("name", ["CR", "LS", "PS"])
def test_the_message_and_its_excerpt_are_on_the_line_yaml_counts(tmp_path: Path, name: str) -> None:
    text = f'title: "Memo"{BREAKS[name]}summary: "A memo that never ends\nstatus: developing\n'
    said = _check(tmp_path, text)
    assert "site_data/stories/minimal.yaml:2:10: error: this quote is never closed" in said, said
    assert said.split("\n")[1].strip() == 'summary: "A memo that never ends', said  # the excerpt
