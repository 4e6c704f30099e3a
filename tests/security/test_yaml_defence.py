"""Hostile YAML, as real files: each refused with an exact path:line:col message, in bounded time
and memory; YAML 1.1 look-alikes stay the text the editor wrote, all the way to the built page."""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import ALIBABA, build_command, build_env, copy_project, run_build

from contested.build.runner import check_site
from contested.content.load import MAX_BYTES

STORY = "site_data/stories/hostile.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    data = tmp_path / "site_data"
    (data / "stories").mkdir(parents=True)
    shutil.copy2(ALIBABA / "site_data/actors.yaml", data / "actors.yaml")
    return tmp_path


def _messages(root: Path, content: bytes) -> list[str]:
    (root / STORY).write_bytes(content)
    result = check_site(root / "site_data", root)
    assert result.report.failed()
    return [f"{d.file}:{d.line}:{d.col}: {d.severity}: {d.message} [{d.code}]"
            for d in result.report.sorted()]


def _billion_laughs(levels: int) -> bytes:
    """Each level lists the previous one nine times: 9**levels strings if aliases were expanded."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(("content", "expected"), [
    (b'title: "first"\nsummary: "x"\ntitle: "second"\n',
     "3:1: error: duplicate key 'title' (first written at line 1) [duplicate-key]"),
    (b'title: !!python/object/apply:os.system ["touch /tmp/pwned"]\n',
     "1:8: error: the tag '!!python/object/apply:os.system' is not allowed [yaml-tag]"),
    (b'title: !!python/name:os.system\n',
     "1:8: error: the tag '!!python/name:os.system' is not allowed [yaml-tag]"),
    (b'summary: "x"\ntitle: !custom "x"\n', "2:8: error: the tag '!custom' is not allowed [yaml-tag]"),
    (b'base: &b {title: "x"}\nother:\n  <<: *b\n',
     "3:3: error: YAML merge keys (<<) are not allowed [yaml-alias]"),
    (b'summary: "x"\ntitle: "caf\xe9"\n', "2:12: error: byte 0xe9 is not valid UTF-8 [invalid-utf8]"),
    (b'\xef\xbb\xbftitle: "x"\n', "1:1: error: the file starts with a byte-order mark [byte-order-mark]"),
    (b'title: "x"\n\tsummary: "y"\n', "2:1: error: tab character [tab]"),
    (b'title: "a\x00b"\n', "1:10: error: invisible control character U+0000 [control-character]"),
    (b'title: "a\x1b[31mb"\n',
     "1:10: error: invisible control character U+001B [control-character]"),
    ('title: "a\u202eb"\n'.encode(),
     "1:10: error: invisible control character RIGHT-TO-LEFT OVERRIDE (U+202E) [control-character]"),
    (b'title: "' + b"x" * MAX_BYTES + b'"\n',
     f"1:1: error: the file is {MAX_BYTES + 10:,} bytes; the limit is {MAX_BYTES:,} [file-too-large]"),
    (b"title: " + b"[" * 5000 + b"]" * 5000 + b"\n",
     "1:1007: error: YAML syntax error: exceeded maximum nesting depth [yaml-syntax]"),
    (b"title: ~\n", "1:8: error: expected text, found nothing [expected-text]"),
    (b'summary: "x"\ntitle: [',  # no final newline: the error is on the last line, not after it
     "2:9: error: YAML syntax error: did not find expected node content [yaml-syntax]"),
])
def test_hostile_input_gets_an_exact_message(root: Path, content: bytes, expected: str) -> None:
    assert f"{STORY}:{expected}" in _messages(root, content)


def test_billion_laughs_is_refused_fast_without_expanding(root: Path) -> None:
    start = time.perf_counter()
    messages = _messages(root, _billion_laughs(12))  # 9**12 ≈ 2.8e11 strings if expanded
    assert time.perf_counter() - start < 2.0
    assert f"{STORY}:1:5: error: YAML anchors and aliases are not allowed [yaml-alias]" in messages


def test_billion_laughs_stays_within_a_small_memory_limit(root: Path) -> None:
    """The real command under a 1 GiB address-space limit: an expansion would die of MemoryError."""
    (root / STORY).write_bytes(_billion_laughs(12))

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    result = subprocess.run(build_command(root, "check"),
                            capture_output=True, text=True, timeout=60, env=build_env(), preexec_fn=limit)
    assert result.returncode == 1, result.stderr
    assert "[yaml-alias]" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


# YAML 1.1 would read these as False, 1.1, 80 (sexagesimal), 31, a date, True, 15, 1000.0, inf.
LOOKALIKES = ["1.10", "1:20", "0x1F", "2025-01-01", "yes", "0o17", "1e3", ".inf"]


@pytest.mark.engine  # a real `build.py build`
def test_yaml_11_lookalikes_stay_the_text_written_on_the_built_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    story = project / "site_data/stories/alibaba-pla-memo.yaml"
    text = story.read_text(encoding="utf-8")
    text = re.sub(r'^title: ".*"$', "title: NO", text, count=1, flags=re.M)
    for value in LOOKALIKES:  # unquoted, as an editor might type them
        text = re.sub(r'^    label: ".*"$', f"    label: {value}", text, count=1, flags=re.M)
    story.write_text(text, encoding="utf-8")
    actors = project / "site_data/actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace('name: "Financial Times"', "name: Off"),
                      encoding="utf-8")

    result = run_build(project, "build")
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((project / "site/stories/alibaba-pla-memo/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert page.find(id="story-title").get_text() == "NO"
    assert page.title.get_text() == "NO - Contested"
    headings = [h.get_text() for h in page.select("h3.ct-claim__title")]
    for value, heading in zip(LOOKALIKES, headings, strict=False):
        assert heading.endswith(f"alleges: {value}"), (value, heading)
    actor = BeautifulSoup((project / "site/actors/financial-times/index.html").read_text(encoding="utf-8"),
                          "html.parser")
    assert actor.find(id="actor-name").get_text() == "Off"


@pytest.mark.parametrize(("content", "expected"), [
    (b'title: "a\\0b"\n', "1:8: error: invisible control character U+0000, written as an escape"),
    (b'summary: "x"\ntitle: "a\\u202eb"\n',
     "2:8: error: invisible control character RIGHT-TO-LEFT OVERRIDE (U+202E), written as an escape"),
])
def test_control_characters_written_as_escapes_are_refused_too(root: Path, content: bytes,
                                                                expected: str) -> None:
    assert f"{STORY}:{expected} [control-character]" in _messages(root, content)
