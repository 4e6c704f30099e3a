"""Settling warnings: every warning is fixed, or acknowledged in the story with a reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO
from support.editors import CLEAN_STORY, write_project

from contested.build.runner import check_site
from contested.content import schema


def slip(story: str, old: str, new: str) -> str:
    assert story.count(old) == 1, old
    return story.replace(old, new)


def codes(tmp_path: Path, story: str) -> list[str]:
    root = write_project(tmp_path / "p", story)
    report = check_site(root / "site_data", root).report
    assert not report.errors, report.errors
    return [d.code for d in report.sorted()]


ACK = '    acknowledged:\n      - code: {code}\n        reason: "{reason}"\n'
CLAIM_NOTE = '    verification: unconfirmed\n'

# (code, the change to the clean story that makes the claim warn)
CLAIM_WARNINGS = [
    ("single-source", ("sources: [memo, statement]", "sources: [memo]")),
    ("single-origin", ('    date: "2025-11-14"\n    url:',
                       '    date: "2025-11-14"\n    via: memo\n    url:')),
    ("no-response", ("responses:\n  - id: alibaba-denies\n    claims: [memo-ties]\n    actor: alibaba\n"
                     "    stance: denies\n    text: \"Alibaba denied the allegations.\"\n"
                     "    sources: [statement]\n", "")),
    ("claim-review-long", ('"The memo alleges that Alibaba has ties to the PLA."',
                           '"The memo alleges that Alibaba has ties to the PLA, to its units and to its '
                           'suppliers, over many years."')),
]


@pytest.mark.parametrize(("code", "change"), CLAIM_WARNINGS, ids=[c for c, _ in CLAIM_WARNINGS])
def test_claim_warning_acknowledged_with_a_reason(tmp_path, code, change):
    story = slip(CLEAN_STORY, *change)
    assert codes(tmp_path / "a", story) == [code]
    settled = slip(story, CLAIM_NOTE, CLAIM_NOTE + ACK.format(code=code, reason="Only the memo says so."))
    assert codes(tmp_path / "b", settled) == []
    # Acknowledging another warning does not settle this one (and that one, not given, is unneeded).
    other = "no-response" if code != "no-response" else "single-source"
    partly = slip(story, CLAIM_NOTE, CLAIM_NOTE + ACK.format(code=other, reason="Not asked yet."))
    assert sorted(codes(tmp_path / "c", partly)) == sorted([code, "unneeded-acknowledgement"])


def test_an_acknowledgement_that_no_longer_applies_warns(tmp_path):
    # The clean story's claim has two independent sources and a response: nothing to acknowledge.
    story = slip(CLEAN_STORY, CLAIM_NOTE, CLAIM_NOTE + ACK.format(code="single-source", reason="Only one."))
    root = write_project(tmp_path / "p", story)
    (item,) = check_site(root / "site_data", root).report.items
    assert (item.line, item.col, item.code) == (26, 15, "unneeded-acknowledgement")
    assert item.message == "claim 'memo-ties' acknowledges 'single-source', which it no longer warns about"


def test_source_without_url_settled_by_its_note(tmp_path):
    story = slip(CLEAN_STORY, '    url: "https://example.org/memo"\n', "")
    assert codes(tmp_path / "a", story) == ["source-no-url"]
    noted = slip(story, '    date: "2025-11"\n', '    date: "2025-11"\n    note: "The memo is classified: '
                 'it is not published."\n')
    assert codes(tmp_path / "b", noted) == []


def test_source_without_date_acknowledged(tmp_path):
    story = slip(CLEAN_STORY, 'date: "2025-11"\n', 'date: "unknown"\n')
    assert codes(tmp_path / "a", story) == ["source-no-date"]
    settled = slip(story, 'date: "unknown"\n', 'date: "unknown"\n' + ACK.format(
        code="source-no-date", reason="The report does not say when the memo was written."))
    assert codes(tmp_path / "b", settled) == []


def test_acknowledging_a_code_that_cannot_be_acknowledged_is_an_error(tmp_path):
    # loaded-word is settled by rewording; an acknowledgement is refused with the codes allowed.
    story = slip(CLEAN_STORY, CLAIM_NOTE, CLAIM_NOTE + ACK.format(code="loaded-word", reason="x"))
    root = write_project(tmp_path / "p", story)
    (error,) = check_site(root / "site_data", root).report.errors
    assert (error.line, error.col, error.code) == (26, 15, "bad-value")
    assert error.message.endswith("one of: single-source, single-origin, no-response, claim-review-long")


def test_acknowledgement_needs_a_reason(tmp_path):
    story = slip(CLEAN_STORY, CLAIM_NOTE, CLAIM_NOTE + "    acknowledged:\n      - code: no-response\n")
    root = write_project(tmp_path / "p", story)
    (error,) = check_site(root / "site_data", root).report.errors
    assert error.code == "missing-key" and "'reason'" in error.message


def test_every_acknowledgeable_code_is_documented():
    guide = (REPO / "EDITORS.md").read_text(encoding="utf-8")
    section = guide[guide.index("### Settling a warning"):]
    for code in schema.CLAIM_ACKNOWLEDGEABLE + schema.SOURCE_ACKNOWLEDGEABLE:
        assert f"`{code}`" in section


def test_bundled_story_alibaba_pla_memo_checks_with_no_warnings():
    # Named for the bundled story: the one test here that reads site_data/.
    proc = subprocess.run([sys.executable, "build.py", "check", "--strict"], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1].endswith(": 0 error(s), 0 warning(s)")
