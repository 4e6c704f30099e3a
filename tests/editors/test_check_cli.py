"""`build.py check` as editors and CI run it: exit codes, the three output formats, no tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from support import BROKEN, FIXTURES, MINIMAL_STORY_FILE, REPO, findings, put_story, run_build

from contested import cli
from contested.diagnostics import Diagnostic
from contested.report import format_github

MINIMAL_STORY = MINIMAL_STORY_FILE.read_bytes()
TEXT_LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): "
                       r"(?P<message>.+) \[(?P<code>[a-z0-9-]+)\]$")
SUMMARY = re.compile(r"^checked \d+ file\(s\): \d+ error\(s\), \d+ warning\(s\)$")
JSON_FIELDS = {"file", "line", "col", "severity", "code", "message", "hint", "path"}


def assert_clean_exit(proc: subprocess.CompletedProcess[str], code: int) -> None:
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "internal error" not in proc.stderr
    assert proc.returncode == code, proc.stderr


# --- the bundled data ---------------------------------------------------------------------------

def test_bundled_data_passes_from_the_repo_root():
    # As the README says: from the repo root, no --root.
    proc = subprocess.run([sys.executable, "build.py", "check"], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert_clean_exit(proc, 0)
    summary = proc.stderr.splitlines()[-1]
    assert SUMMARY.match(summary) and ": 0 error(s)," in summary


def test_bundled_data_passes_in_a_copy(project):
    proc = run_build(project, "check", "--format", "json")
    assert_clean_exit(proc, 0)
    assert all(item["severity"] == "warning" for item in json.loads(proc.stdout))


# --- exit codes ---------------------------------------------------------------------------------

def test_valid_data_without_warnings(minimal_project):
    for args in ((), ("--strict",)):
        proc = run_build(minimal_project, "check", *args)
        assert_clean_exit(proc, 0)
        assert proc.stdout == ""
        assert proc.stderr == "checked 2 file(s): 0 error(s), 0 warning(s)\n"


def test_warnings_only_exit_0_and_1_with_strict(minimal_project):
    put_story(minimal_project, FIXTURES / "warnings.yaml")
    assert_clean_exit(run_build(minimal_project, "check"), 0)
    assert_clean_exit(run_build(minimal_project, "check", "--strict"), 1)
    assert_clean_exit(run_build(minimal_project, "check", "--strict", "--format", "github"), 1)


def test_errors_exit_1(minimal_project):
    put_story(minimal_project, BROKEN / "bad-enum.yaml")
    assert_clean_exit(run_build(minimal_project, "check"), 1)
    assert_clean_exit(run_build(minimal_project, "check", "--format", "json"), 1)


BROKEN_FILES = sorted(p.name for p in BROKEN.glob("*.yaml") if p.name != "yaml11-typing.yaml")


@pytest.mark.parametrize("name", BROKEN_FILES)
def test_every_broken_fixture_fails_cleanly_with_the_same_findings(minimal_project, name):
    put_story(minimal_project, BROKEN / name)
    proc = run_build(minimal_project, "check", "--format", "json")
    assert_clean_exit(proc, 1)
    items = json.loads(proc.stdout)
    assert [(i["file"], i["line"], i["col"], i["severity"], i["code"], i["message"]) for i in items] \
        == findings(minimal_project)
    assert all(i["file"] == f"site_data/stories/{name}" for i in items)


@pytest.mark.parametrize("name", sorted(p.name for p in (BROKEN / "actors").glob("*.yaml")))
def test_every_broken_actors_file_fails_cleanly(minimal_project, name):
    (minimal_project / "site_data" / "actors.yaml").write_bytes((BROKEN / "actors" / name).read_bytes())
    proc = run_build(minimal_project, "check", "--format", "json")
    assert_clean_exit(proc, 1)
    items = json.loads(proc.stdout)
    assert items and items[0]["file"] == "site_data/actors.yaml"
    assert [(i["file"], i["line"], i["col"], i["severity"], i["code"], i["message"]) for i in items] \
        == findings(minimal_project)


@pytest.mark.parametrize(("name", "data"), [
    ("bom.yaml", b"\xef\xbb\xbf" + MINIMAL_STORY),
    ("latin1.yaml", MINIMAL_STORY.replace(b"Example News", b"Example N\xe9ws")),
    ("tabs.yaml", MINIMAL_STORY.replace(b"    kind: report", b"\tkind: report")),
    ("nul.yaml", MINIMAL_STORY.replace(b"Example News", b"Example\x00News")),
    ("escape.yaml", MINIMAL_STORY.replace(b"Example News", b"Example \x1b[2J\x1b[31mNews")),
    ("bidi.yaml", MINIMAL_STORY.replace(b"Example News", "Example \u202eswen".encode())),
    ("huge.yaml", MINIMAL_STORY + b"#" * 1_000_001),
    ("deep.yaml", MINIMAL_STORY.replace(b'summary: "A memo', b"summary: " + b"[" * 10_000 + b'"A memo')),
    ("empty.yaml", b""),
])
def test_byte_level_mistakes_fail_cleanly_and_print_no_raw_control_characters(minimal_project, name, data):
    put_story(minimal_project, data, name)
    proc = run_build(minimal_project, "check")
    assert_clean_exit(proc, 1)
    lines = proc.stderr.splitlines()
    assert TEXT_LINE.match(lines[0]) and lines[0].startswith(f"site_data/stories/{name}:")
    assert SUMMARY.match(lines[-1])
    # What was pasted must not reach the terminal: no escape sequences, no bidi overrides, no NUL.
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", proc.stderr)


# --- text format --------------------------------------------------------------------------------

def test_text_format_shows_line_caret_and_hint(minimal_project):
    put_story(minimal_project, BROKEN / "unknown-actor.yaml")
    proc = run_build(minimal_project, "check")
    assert_clean_exit(proc, 1)
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "site_data/stories/unknown-actor.yaml:30:12: error: unknown actor 'alibaba-grp'; "
        "did you mean 'alibaba'? [unknown-actor]",
        "        actor: alibaba-grp",
        "               ^",
        "    hint: use an id defined in site_data/actors.yaml",
        "checked 2 file(s): 1 error(s), 0 warning(s)",
    ]


def test_text_format_three_mistakes_three_errors(minimal_project):
    put_story(minimal_project, BROKEN / "three-mistakes.yaml")
    proc = run_build(minimal_project, "check")
    assert_clean_exit(proc, 1)
    heads = [line for line in proc.stderr.splitlines() if TEXT_LINE.match(line)]
    assert heads == [
        "site_data/stories/three-mistakes.yaml:3:9: error: 'devloping' is not one of: developing, "
        "settled, draft; did you mean 'developing'? [bad-value]",
        "site_data/stories/three-mistakes.yaml:11:11: error: '2025-11-31' is not a calendar date: "
        "November 2025 has 30 days [bad-date]",
        "site_data/stories/three-mistakes.yaml:23:15: error: unknown actor 'us-dood'; "
        "did you mean 'us-dod'? [unknown-actor]",
    ]
    assert proc.stderr.splitlines()[-1] == "checked 2 file(s): 3 error(s), 0 warning(s)"


def test_text_format_warnings(minimal_project):
    put_story(minimal_project, FIXTURES / "warnings.yaml")
    proc = run_build(minimal_project, "check")
    assert_clean_exit(proc, 0)
    assert proc.stderr.splitlines()[-5:] == [
        "site_data/stories/warnings.yaml:31:11: warning: timeline entry dated October 2025 comes after "
        "one dated 14 November 2025 [timeline-order]",
        '      - date: "2025-10"',
        "              ^",
        "    hint: the timeline is shown in the order written: move this entry up",
        "checked 2 file(s): 0 error(s), 5 warning(s)",
    ]


# --- json format --------------------------------------------------------------------------------

def test_json_format(minimal_project):
    put_story(minimal_project, BROKEN / "three-mistakes.yaml")
    proc = run_build(minimal_project, "check", "--format", "json")
    assert_clean_exit(proc, 1)
    assert proc.stderr == ""
    items = json.loads(proc.stdout)
    assert len(items) == 3
    assert all(set(item) == JSON_FIELDS for item in items)
    assert items[2] == {
        "file": "site_data/stories/three-mistakes.yaml", "line": 23, "col": 15, "severity": "error",
        "code": "unknown-actor", "message": "unknown actor 'us-dood'; did you mean 'us-dod'?",
        "hint": "use an id defined in site_data/actors.yaml", "path": "",
    }
    assert items[0]["path"] == "status"
    assert items[1]["path"] == "sources.report.date"


def test_json_format_when_all_is_well(minimal_project):
    proc = run_build(minimal_project, "check", "--format", "json")
    assert_clean_exit(proc, 0)
    assert json.loads(proc.stdout) == []


def test_json_keeps_non_ascii_text(minimal_project):
    put_story(minimal_project, BROKEN / "via-cycle.yaml")
    proc = run_build(minimal_project, "check", "--format", "json")
    message = json.loads(proc.stdout)[0]["message"]
    assert message == "sources cite each other in a circle: report → memo → report"


# --- github format ------------------------------------------------------------------------------

def test_github_format_lines(minimal_project):
    put_story(minimal_project, BROKEN / "three-mistakes.yaml")
    proc = run_build(minimal_project, "check", "--format", "github")
    assert_clean_exit(proc, 1)
    assert proc.stderr == ""
    assert proc.stdout.splitlines() == [
        "::error file=site_data/stories/three-mistakes.yaml,line=3,col=9,title=bad-value::'devloping' is "
        "not one of: developing, settled, draft; did you mean 'developing'?",
        "::error file=site_data/stories/three-mistakes.yaml,line=11,col=11,title=bad-date::'2025-11-31' is "
        'not a calendar date: November 2025 has 30 days (hint: write "2020", "2025-11" or "2025-11-14", '
        'with "c. " before it if approximate, or "unknown")',
        "::error file=site_data/stories/three-mistakes.yaml,line=23,col=15,title=unknown-actor::unknown "
        "actor 'us-dood'; did you mean 'us-dod'? (hint: use an id defined in site_data/actors.yaml)",
    ]


def test_github_format_warnings(minimal_project):
    put_story(minimal_project, FIXTURES / "warnings.yaml")
    proc = run_build(minimal_project, "check", "--format", "github")
    assert_clean_exit(proc, 0)
    assert proc.stdout.splitlines() == [
        "::warning file=site_data/stories/warnings.yaml,line=6,col=10,title=updated-stale::updated "
        "(2025-11-20) is older than the newest update (2025-11-21) (hint: set `updated: \"2025-11-21\"`)",
        "::warning file=site_data/stories/warnings.yaml,line=9,col=5,title=source-no-url::source 'report' "
        "has no URL (hint: add `url:` so readers can check it, or say in `note:` why there is none)",
        "::warning file=site_data/stories/warnings.yaml,line=21,col=9,title=no-response::claim 'memo-ties' "
        "has no response recorded (hint: was the subject asked? record a response, even "
        "`declines-to-comment`)",
        "::warning file=site_data/stories/warnings.yaml,line=24,col=14,title=single-source::claim "
        "'memo-ties' rests on a single source ('memo') (hint: find an independent second source; if there "
        "is none, keep the verification at `unconfirmed` and say so in the claim's `note:`)",
        "::warning file=site_data/stories/warnings.yaml,line=31,col=11,title=timeline-order::timeline "
        "entry dated October 2025 comes after one dated 14 November 2025 (hint: the timeline is shown "
        "in the order written: move this entry up)",
    ]


def test_github_format_prints_nothing_when_all_is_well(minimal_project):
    proc = run_build(minimal_project, "check", "--format", "github")
    assert_clean_exit(proc, 0)
    assert proc.stdout == ""


def test_github_format_escapes_what_would_break_the_command():
    item = Diagnostic("a,b:c%.yaml", 1, 2, "error", "x", "50% done\nnext line", "fix: it")
    assert format_github([item]) == \
        "::error file=a%2Cb%3Ac%25.yaml,line=1,col=2,title=x::50%25 done%0Anext line (hint: fix: it)"


# --- everything else stays free of tracebacks ---------------------------------------------------

def test_missing_project_folder(tmp_path):
    proc = run_build(tmp_path / "nowhere", "check")
    assert_clean_exit(proc, 1)
    assert proc.stderr.splitlines()[0] == \
        "site_data/actors.yaml:1:1: error: the file cannot be read: No such file or directory [unreadable]"


def test_unknown_format_is_a_usage_error(minimal_project):
    proc = run_build(minimal_project, "check", "--format", "xml")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "invalid choice: 'xml'" in proc.stderr


def test_a_bug_in_contested_is_reported_without_a_traceback(minimal_project, monkeypatch, capsys):
    def broken(*_args, **_kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(cli, "check_site", broken)
    assert cli.main(["--root", str(minimal_project), "check"]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("internal error: KeyError: 'oops'\nThis is a bug in Contested")


def test_readme_check_example_is_real_output(project):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("```text\n")[1].split("```", 1)[0].splitlines()
    story = project / "site_data" / "stories" / "alibaba-pla-memo.yaml"
    text = story.read_text(encoding="utf-8")
    text = text.replace("status: developing", "status: devloping", 1)
    text = text.replace("    actor: alibaba\n", "    actor: alibaba-grp\n", 1)
    story.write_text(text, encoding="utf-8")
    proc = run_build(project, "check")
    assert_clean_exit(proc, 1)
    assert proc.stderr.splitlines() == example
    github = readme.split("```text\n")[2].split("```", 1)[0].splitlines()
    proc = run_build(project, "check", "--format", "github")
    assert github[0] in proc.stdout.splitlines()
