"""The editorial linter: each slip an editor can make, with the exact warning and where it points."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.editors import CLEAN_STORY, write_project

from contested.build.runner import check_site
from contested.cli import main

FILE = "site_data/stories/story.yaml"


def lint(tmp_path: Path, story: str) -> list[tuple[int, int, str, str]]:
    """(line, col, code, message) of every diagnostic `check` reports for the story."""
    root = write_project(tmp_path / "p", story)
    report = check_site(root / "site_data", root).report
    assert not report.errors, report.errors
    assert {d.file for d in report.items} <= {FILE}
    return [(d.line, d.col, d.code, d.message) for d in report.sorted()]


def slip(old: str, new: str) -> str:
    """The clean story with one change, as an editor would make it."""
    assert CLEAN_STORY.count(old) == 1, old
    return CLEAN_STORY.replace(old, new)


def test_clean_story_has_no_warnings(tmp_path):
    assert lint(tmp_path, CLEAN_STORY) == []


# --- words to watch ------------------------------------------------------------------------------

LOADED = """\
title: "Pentagon memo alleges Alibaba ties to the PLA"
summary: The Pentagon revealed a memo; Alibaba Admitted nothing and was not exposed.
status: developing
published: "2025-11-14"
updated: "2025-11-14"
sources:
  memo:
    title: "Memo that proves Alibaba ties"
    publisher: "U.S. Department of Defense"
    kind: document
    date: "2025-11"
    url: "https://example.org/memo"
    note: "The \\"memo\\" was, the FT says, confessed to be real."
  statement:
    title: "Alibaba statement"
    publisher: "Alibaba Group"
    kind: statement
    date: "2025-11-14"
    url: "https://example.org/statement"
claims:
  - id: memo-ties
    text: "The memo alleges that Alibaba admitted ties and revealed data to the PLA."
    claimant: us-dod
    sources: [memo, statement]
    verification: unconfirmed
    note: >
      Nothing in the
        memo has been proved; the
      company claims that it complies.
    kind: allegation
responses:
  - id: alibaba-denies
    claims: [memo-ties]
    actor: alibaba
    stance: denies
    text: "Alibaba denied the allegations."
    quote: "We never admitted or confessed to anything"
    sources: [statement]
timeline:
  - date: "2025-11"
    text: |
      The memo's claims are vague.
      Officials claimed it was leaked.
    sources: [memo]
updates:
  - date: "2025-11-14"
    kind: update
    text: "First published; nothing proven."
"""


def test_loaded_words_point_at_the_word_itself(tmp_path):
    hint = "takes a side in the site's own voice"
    assert lint(tmp_path, LOADED) == [
        (2, 23, "loaded-word", f"'revealed' in the summary {hint}"),
        (2, 48, "loaded-word", f"'Admitted' in the summary {hint}"),
        (2, 77, "loaded-word", f"'exposed' in the summary {hint}"),
        (13, 43, "loaded-word", f"'confessed' in the note of source 'memo' {hint}"),
        (28, 23, "loaded-word", f"'proved' in the note of claim 'memo-ties' {hint}"),
        (29, 15, "loaded-word", f"'claims' in the note of claim 'memo-ties' {hint}"),
        (43, 17, "loaded-word", f"'claimed' in the timeline entry {hint}"),
        (48, 37, "loaded-word", f"'proven' in the update {hint}"),
    ]


def test_loaded_word_positions_match_the_source_text(tmp_path):
    # Whatever the quoting or folding, the reported column starts the word in the file.
    lines = LOADED.split("\n")
    for line, col, _, message in lint(tmp_path, LOADED):
        word = message.split("'")[1]
        assert lines[line - 1][col - 1: col - 1 + len(word)] == word


def test_loaded_word_hint_suggests_neutral_verbs(tmp_path):
    root = write_project(tmp_path / "p", slip('summary: "A U.S.', 'summary: "It was revealed that a U.S.'))
    (item,) = check_site(root / "site_data", root).report.items
    assert (item.line, item.col, item.code) == (2, 18, "loaded-word")
    assert item.hint == 'write "reported" or "said" instead, and say who says so'


# --- sources -------------------------------------------------------------------------------------

def test_single_source(tmp_path):
    assert lint(tmp_path, slip("sources: [memo, statement]", "sources: [memo]")) == [
        (23, 14, "single-source", "claim 'memo-ties' rests on a single source ('memo')"),
    ]


def test_all_sources_trace_back_to_one_origin(tmp_path):
    story = slip('    date: "2025-11-14"\n    url:', '    date: "2025-11-14"\n    via: memo\n    url:')
    assert lint(tmp_path, story) == [
        (24, 14, "single-origin", "claim 'memo-ties': all sources trace back to 'memo'"),
    ]


def test_source_without_url(tmp_path):
    assert lint(tmp_path, slip('    url: "https://example.org/memo"\n', "")) == [
        (8, 5, "source-no-url", "source 'memo' has no URL"),
    ]


def test_source_without_date(tmp_path):
    assert lint(tmp_path, slip('date: "2025-11"', 'date: "unknown"')) == [
        (11, 11, "source-no-date", "source 'memo' has no date"),
    ]


def test_date_as_given_answers_an_unknown_date(tmp_path):
    story = slip('date: "2025-11"', 'date: "unknown"\n    date_as_given: "earlier this month"')
    assert lint(tmp_path, story) == []


# --- claims and dates ----------------------------------------------------------------------------

def test_claim_without_response(tmp_path):
    story = CLEAN_STORY[:CLEAN_STORY.index("responses:\n")] + CLEAN_STORY[CLEAN_STORY.index("updates:"):]
    items = lint(tmp_path, story)
    assert items == [(20, 9, "no-response", "claim 'memo-ties' has no response recorded")]
    root = tmp_path / "p"
    (hint,) = [d.hint for d in check_site(root / "site_data", root).report.items]
    assert hint.startswith("was the subject asked?")


def test_updated_older_than_newest_update(tmp_path):
    story = CLEAN_STORY + '  - date: "2025-11-20"\n    kind: correction\n    text: "Fixed a date."\n'
    assert lint(tmp_path, story) == [
        (5, 10, "updated-stale", "updated (2025-11-14) is older than the newest update (2025-11-20)"),
    ]


def test_claim_stated_in_the_sites_voice(tmp_path):
    story = slip('"The memo alleges that Alibaba has ties to the PLA."', '"Alibaba has ties to the PLA."')
    assert lint(tmp_path, story) == [
        (21, 11, "unattributed-claim", "claim 'memo-ties' reads as fact in the site's voice: its text "
                                       "does not name the U.S. Department of Defense or say who claims it"),
    ]


@pytest.mark.parametrize("text", [
    "Pentagon: Alibaba has ties to the PLA.",  # an alias of the claimant
    "According to the memo, Alibaba has ties to the PLA.",
    "The U.S. Department of Defense accuses Alibaba of ties to the PLA.",
])
def test_attributed_claims_pass(tmp_path, text):
    assert lint(tmp_path, slip("The memo alleges that Alibaba has ties to the PLA.", text)) == []


# --- strict --------------------------------------------------------------------------------------

def test_strict_turns_warnings_into_failure(tmp_path, capsys):
    root = write_project(tmp_path / "p", slip("sources: [memo, statement]", "sources: [memo]"))
    assert main(["--root", str(root), "check"]) == 0
    assert main(["--root", str(root), "check", "--strict"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "checked 2 file(s): 0 error(s), 1 warning(s)"


def test_word_hidden_by_an_escape_points_at_the_value(tmp_path):
    # "re\x76ealed" is "revealed" to YAML but not in the file: point at the start of the summary.
    story = slip('summary: "A U.S.', 'summary: "It was re\\x76ealed that a U.S.')
    assert lint(tmp_path, story) == [
        (2, 10, "loaded-word", "'revealed' in the summary takes a side in the site's own voice"),
    ]
