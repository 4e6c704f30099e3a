"""Valid-looking data that makes much work from little text (issue 16, items 2 and 3), run as the red
team ran it: real story files, real `build.py check` and `build` processes.

- a reference repeated in one list (claim `c` listed 60,000 times) is one error at the repeat;
- `via` chains are checked in linear work and are at most MAX_VIA_CHAIN sources long;
- every file a story makes is at most OUTPUT_MULTIPLE × its file + OUTPUT_ALLOWANCE, refused while
  being made, so a wide stance table or a long label cited everywhere fails in little memory;
- the check's work grows linearly with the input, counted in executed lines, not timed.
"""

from __future__ import annotations

import json
import resource
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from support import FIXTURES, REPO, copy_project, run_build

sys.path.insert(0, str(REPO / "bench"))
from hostile_inputs import (  # noqa: E402
    cited_label,
    distinct_references,
    label_for_actors,
    repeated_reference,
    unknown_references,
    via_chain,
    via_chains,
    wide_table,
)

from contested.build.runner import check_site  # noqa: E402
from contested.content.validate import MAX_VIA_CHAIN  # noqa: E402
from contested.files import OUTPUT_ALLOWANCE, OUTPUT_MULTIPLE, output_limit  # noqa: E402
from contested.report import format_text  # noqa: E402

STORY = "site_data/stories/heavy.yaml"
MINIMAL = FIXTURES / "minimal" / "site_data"
MEMORY = 1024 ** 3  # address space given to builds that must refuse their story: far below the 2.5-7 GB seen


def _project(tmp_path: Path, made: tuple[str, str]) -> Path:
    root = copy_project(tmp_path / "project", site_data=MINIMAL)
    (root / "site_data" / "stories" / "minimal.yaml").unlink()
    story, actors = made
    (root / STORY).write_text(story, encoding="utf-8")
    (root / "site_data" / "actors.yaml").write_text(actors, encoding="utf-8")
    return root


def _errors(root: Path) -> list[dict[str, object]]:
    proc = run_build(root, "check", "--format", "json", timeout=600)  # the timeout only stops a hang
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return [d for d in json.loads(proc.stdout) if d["severity"] == "error"]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


# --- references listed twice ---------------------------------------------------------------------

def test_a_claim_listed_60000_times_is_one_error_at_the_repeat(tmp_path: Path):
    # The red team's file: 240 KB, which passed `check` and took the build to 7.1 GB.
    root = _project(tmp_path, repeated_reference(60_000))
    text = (root / STORY).read_text(encoding="utf-8")
    line_no, line = next((i, t) for i, t in enumerate(text.split("\n"), 1) if "claims: [c, c" in t)
    first = line.index("[c") + 2
    (error,) = _errors(root)
    assert (error["file"], error["line"], error["col"], error["code"]) == (STORY, line_no, first + 3,
                                                                         "listed-twice")
    assert error["message"] == (f"'c' is listed twice (first at line {line_no}, column {first}); "
                                "and 59,998 more times")
    proc = run_build(root, "build", timeout=600, preexec_fn=_limit_memory)
    assert proc.returncode == 1 and "listed-twice" in proc.stdout + proc.stderr
    assert not (root / "site").exists()


@pytest.mark.parametrize(("written", "repeated"), [
    ("    sources: [memo, wire]", "    sources: [memo, wire, memo]"),  # a claim's sources
    ("    sources: [report]", "    sources: [report, report]"),  # a response's sources
    # a response's claims
    ("    claims: [memo-ties]\n    actor", "    claims: [memo-ties, memo-ties]\n    actor"),
    ("    claims: [memo-ties]\ntimeline", "    claims: [memo-ties, memo-ties]\ntimeline"),  # a question
    ("    sources: [memo]\n    claims", "    sources: [memo, memo]\n    claims"),  # a timeline entry
    ("status: developing", "status: developing\ntags: [trade, law, trade]"),  # tags
], ids=["claim-sources", "response-sources", "response-claims", "question-claims", "timeline-sources",
        "tags"])
def test_every_list_of_ids_refuses_a_repeat(tmp_path: Path, written: str, repeated: str):
    root = copy_project(tmp_path / "project", site_data=MINIMAL)
    story = root / "site_data" / "stories" / "minimal.yaml"
    text = story.read_text(encoding="utf-8")
    assert written in text
    story.write_text(text.replace(written, repeated, 1), encoding="utf-8")
    (error,) = _errors(root)
    lines = story.read_text(encoding="utf-8").split("\n")
    line_no = next(i for i, t in enumerate(lines, 1) if t in repeated.split("\n") and "," in t)
    repeat = lines[line_no - 1].rindex(", ") + 3  # the last item is the repeat
    assert (error["line"], error["col"], error["code"]) == (line_no, repeat, "listed-twice")


# --- via chains ----------------------------------------------------------------------------------

def test_a_4000_source_via_chain_is_refused_quickly(tmp_path: Path):
    # The red team's 294 KB chain took `check` 231 s; the chain is now one error, at the source
    # whose chain first passes the limit (the 11th from the chain's end).
    root = _project(tmp_path, via_chain(4000))
    (error,) = _errors(root)
    key = f"s{4000 - MAX_VIA_CHAIN - 2}"
    assert error["code"] == "via-too-long" and f"source '{key}'" in str(error["message"])
    lines = (root / STORY).read_text(encoding="utf-8").split("\n")
    source_line = lines.index(f"  {key}:") + 1
    assert error["line"] == source_line + 6  # its `via:` line


@pytest.mark.parametrize(("length", "ok"), [(MAX_VIA_CHAIN + 1, True), (MAX_VIA_CHAIN + 2, False)])
def test_a_via_chain_of_the_limit_is_valid_and_one_more_is_not(tmp_path: Path, length: int, ok: bool):
    # `length` sources in a row: the first is known through the other length - 1.
    root = _project(tmp_path, via_chain(length))
    proc = run_build(root, "check")
    assert proc.returncode == (0 if ok else 1), proc.stdout + proc.stderr
    assert ("via-too-long" in proc.stdout + proc.stderr) is not ok


# --- output bounded by a multiple of the story file ----------------------------------------------

@pytest.mark.parametrize(("made", "what"), [
    # the red team's 316 KB story, whose page was 218 MB
    pytest.param(lambda: wide_table(3500), "stories/heavy.md (its stance table)", id="wide-stance-table"),
    pytest.param(lambda: cited_label(8000), "stories/heavy.md", id="long-label-cited-everywhere"),
    # 4,000 actors' pages each naming the claim they support, with its 2,000-character label
    pytest.param(lambda: label_for_actors(4000), "its share of the actor and tag pages",
                 id="long-label-on-every-actor-page"),
])
def test_a_story_whose_output_would_be_too_large_is_refused_in_little_memory(
        tmp_path: Path, made: Callable[[], tuple[str, str]], what: str):
    root = _project(tmp_path, made())
    size = (root / STORY).stat().st_size
    proc = run_build(root, "build", timeout=600, preexec_fn=_limit_memory)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert f"{STORY}:1:1: error: this story would make {what} larger than" in output
    assert f"({OUTPUT_MULTIPLE} × the story file's size + {OUTPUT_ALLOWANCE // 1024} KB)" in output
    assert "hint: something is repeated many times" in output and "Traceback" not in output
    assert not (root / "site").exists()
    assert size * OUTPUT_MULTIPLE < output_limit(size)


@pytest.mark.engine
def test_a_large_valid_story_builds_within_its_limit(tmp_path: Path):
    # 1,000 one-line claims, all listed by an open question: a page 13 times its file.
    root = _project(tmp_path, distinct_references(1000))
    proc = run_build(root, "build", timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    limit = output_limit((root / STORY).stat().st_size)
    made = [root / ".build" / "docs" / "stories" / "heavy.md",
            root / "site" / "api" / "stories" / "heavy.json",
            root / "site" / "api" / "stories" / "heavy" / "timeline.json"]
    assert all(0 < path.stat().st_size <= limit for path in made)
    assert "claim-c999" in (root / "site" / "stories" / "heavy" / "index.html").read_text(encoding="utf-8")


# --- linear work, counted --------------------------------------------------------------------------

def _lines_run(root: Path) -> int:
    """Python lines executed by the check and its text report (what `build.py check` prints)."""
    count = 0

    def trace(frame: object, event: str, arg: object) -> Callable[..., object] | None:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        report = check_site(root / "site_data", root, workers=1).report
        format_text(report.sorted(), root)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("make", [via_chain, via_chains, unknown_references, distinct_references,
                                  lambda n: repeated_reference(n, label=100)],
                         ids=["via-chain", "via-chains", "unknown-references", "distinct-references",
                              "repeated-reference"])
def test_check_work_grows_linearly(tmp_path: Path, make: Callable[[int], tuple[str, str]]):
    # Per doubling of the input, a linear check does twice the work, a quadratic one four times
    # (the old via check, 500 → 4,000 links: 2 s, 7.8 s, 36 s, 231 s).
    work = []
    for n in (250, 500, 1000):
        work.append(_lines_run(_project(tmp_path / str(n), make(n))))
    ratios = [b / a for a, b in zip(work, work[1:], strict=False)]
    assert all(r < 2.5 for r in ratios), (work, ratios)
