"""`build.py new`: the skeleton fails `check` until its TODOs are filled, then passes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml
from support import REPO, run_build

SLUG = "pentagon-memo"
STORY = f"site_data/stories/{SLUG}.yaml"

# What an editor types over each placeholder line of the skeleton (matched by the line's key).
FILLED = {
    "title:": 'title: "Pentagon memo alleges Alibaba ties to the PLA"',
    "summary:": 'summary: "A Pentagon memo alleges ties between Alibaba and the PLA."',
    "published:": 'published: "2025-11-14"',
    "updated:": 'updated: "2025-11-14"',
    "TODO-source-id:": "memo:",
    "title: \"TODO: the source": 'title: "Memo on Alibaba"',
    "publisher:": 'publisher: "U.S. Department of Defense"',
    "date: \"TODO: its date": 'date: "2025-11"',
    "url:": 'url: "https://example.org/memo"',
    "- id:": "- id: memo-ties",
    "label:": 'label: "Ties to the PLA"',
    "text: \"TODO": 'text: "The memo alleges that Alibaba has ties to the PLA."',
    "claimant:": "claimant: us-dod",
    "sources:": "sources: [memo]",
    "- date:": '- date: "2025-11-14"',
}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _fill(text: str) -> str:
    """Replace every line holding a TODO, keeping its indentation, as an editor would."""
    out = []
    for line in text.split("\n"):
        if "TODO" in line and not line.lstrip().startswith("#"):
            body = line.lstrip()
            key = max((k for k in FILLED if body.startswith(k)), key=len)  # the most specific match
            line = line[: len(line) - len(body)] + FILLED[key]
        out.append(line)
    return "\n".join(out)


def test_new_writes_only_the_skeleton_and_says_what_next(clean_project):
    before = _snapshot(clean_project)
    proc = run_build(clean_project, "new", SLUG)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        f"created {STORY}",
        f"next: replace every TODO in {STORY}, then run `python build.py check` until it passes;",
        "      preview the page with `make serve`. How to write each part: EDITORS.md.",
    ]
    after = _snapshot(clean_project)
    assert set(after) - set(before) == {STORY}
    assert all(after[name] == content for name, content in before.items())
    text = after[STORY].decode()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/story.schema.json\n")
    # The schema line's relative path resolves to the committed schema.
    assert (REPO / "site_data" / "stories" / "../../schemas/story.schema.json").resolve().is_file()


def test_new_refuses_to_overwrite(clean_project):
    existing = clean_project / "site_data" / "stories" / "story.yaml"
    before = existing.read_bytes()
    proc = run_build(clean_project, "new", "story")
    assert proc.returncode == 1
    assert proc.stderr == (f"not created: {existing} already exists: pick another slug, or edit that file\n")
    assert existing.read_bytes() == before


def test_new_refuses_a_bad_slug(clean_project):
    before = _snapshot(clean_project)
    proc = run_build(clean_project, "new", "Pentagon_Memo")
    assert proc.returncode == 1
    assert proc.stderr == ("not created: 'Pentagon_Memo' is not a valid story slug: use lowercase letters, "
                           "digits and hyphens, e.g. alibaba-pla-memo\n")
    assert _snapshot(clean_project) == before


def test_unfilled_skeleton_fails_with_one_placeholder_error_per_todo(clean_project):
    assert run_build(clean_project, "new", SLUG).returncode == 0
    proc = run_build(clean_project, "check", "--format", "json")
    assert proc.returncode == 1
    items = json.loads(proc.stdout)
    assert {(d["code"], d["severity"], d["file"]) for d in items} == {("placeholder", "error", STORY)}
    lines = (clean_project / STORY).read_text().split("\n")
    todo_lines = [n for n, line in enumerate(lines, 1)
                  if "TODO" in line and not line.lstrip().startswith("#")]
    assert [d["line"] for d in items] == todo_lines
    title_line = next(n for n, line in enumerate(lines, 1) if line.startswith("title:"))
    title = next(d for d in items if d["line"] == title_line)
    assert title["col"] == 8
    assert title["message"] == ("placeholder left in: 'TODO: the headline, neutral and attributed "
                                "(who alleges wha…'")


def test_filled_skeleton_passes_check_and_matches_the_schema(clean_project):
    assert run_build(clean_project, "new", SLUG).returncode == 0
    path = clean_project / STORY
    path.write_text(_fill(path.read_text()))
    assert "TODO" not in re.sub(r"#.*", "", path.read_text())
    proc = run_build(clean_project, "check", "--format", "json")
    assert proc.returncode == 0, proc.stdout
    # Only the editorial questions a one-source, unanswered claim should raise.
    assert [(d["file"], d["code"]) for d in json.loads(proc.stdout)] == [
        (STORY, "no-response"), (STORY, "single-source")]
    schema = json.loads((REPO / "schemas" / "story.schema.json").read_text())
    jsonschema.validate(yaml.safe_load(path.read_text()), schema)
