"""Invisible and direction-changing characters, raw or written as HTML character references, in
real story files through `build.py check` (and one `build`): refused where they are written, and
the loaded-word lint reads words as the page shows them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import FIXTURES, MINIMAL_STORY_FILE, copy_project, run_build

STORY = "site_data/stories/minimal.yaml"
MINIMAL = MINIMAL_STORY_FILE.read_text(encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", site_data=FIXTURES / "minimal" / "site_data")


def _findings(root: Path, text: str, file: str = STORY) -> list[tuple[int, int, str, str]]:
    (root / file).write_text(text, encoding="utf-8")
    proc = run_build(root, "check", "--strict", "--format", "json", timeout=60)
    assert "Traceback" not in proc.stderr
    return [(d["line"], d["col"], d["code"], d["message"]) for d in json.loads(proc.stdout)]


def _at(text: str, needle: str) -> tuple[int, int]:
    """Line and column of the quoted value that holds `needle`."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number, line.index('"') + 1
    raise AssertionError(needle)


# Markdown fields of the minimal story, each by a phrase its value holds.
MARKDOWN_VALUES = ["The company *denies* them", "The memo alleges ties.", "The memo is written.",
                   "First published.", "Report on the memo", "What evidence does the memo give?"]
REFERENCES = {  # each a way of writing a banned character that Markdown decodes
    "&#x202E;": "RIGHT-TO-LEFT OVERRIDE (U+202E)", "&#8238;": "RIGHT-TO-LEFT OVERRIDE (U+202E)",
    "&#X202e;": "RIGHT-TO-LEFT OVERRIDE (U+202E)", "&lrm;": "LEFT-TO-RIGHT MARK (U+200E)",
    "&rlm;": "RIGHT-TO-LEFT MARK (U+200F)", "&ZeroWidthSpace;": "ZERO WIDTH SPACE (U+200B)",
    "&#x200b;": "ZERO WIDTH SPACE (U+200B)", "&#1564;": "ARABIC LETTER MARK (U+061C)",
    "&#xE0041;": "TAG LATIN CAPITAL LETTER A (U+E0041)", "&#x1b;": "U+001B",
}


@pytest.mark.parametrize("needle", MARKDOWN_VALUES)
def test_a_bidi_override_written_as_a_reference_is_refused_in_every_markdown_field(root: Path, needle: str):
    text = MINIMAL.replace(needle, "&#x202E;" + needle, 1)
    line, col = _at(text, needle)
    assert _findings(root, text) == [
        (line, col, "control-character", "'&#x202E;' writes the invisible character "
         "RIGHT-TO-LEFT OVERRIDE (U+202E)")]


@pytest.mark.parametrize(("reference", "label"), REFERENCES.items())
def test_every_spelling_of_a_banned_character_is_refused(root: Path, reference: str, label: str):
    text = MINIMAL.replace("ties.", f"ti{reference}es.", 1)
    line, col = _at(text, reference)
    assert _findings(root, text) == [
        (line, col, "control-character", f"'{reference}' writes the invisible character {label}")]


def test_a_reference_in_an_actor_description_is_refused(root: Path):
    actors = (root / "site_data/actors.yaml").read_text()
    text = actors.replace("Chinese e-commerce", "Chinese &rlm;e-commerce")
    line, col = _at(text, "&rlm;")
    assert [f[:3] for f in _findings(root, text, "site_data/actors.yaml")] == [
        (line, col, "control-character")]


@pytest.mark.parametrize(("char", "label"), [
    ("\u200b", "ZERO WIDTH SPACE (U+200B)"), ("\u200e", "LEFT-TO-RIGHT MARK (U+200E)"),
    ("\u200f", "RIGHT-TO-LEFT MARK (U+200F)"), ("\u061c", "ARABIC LETTER MARK (U+061C)"),
    ("\U000e0041", "TAG LATIN CAPITAL LETTER A (U+E0041)"), ("\u2060", "WORD JOINER (U+2060)"),
])
def test_raw_invisible_characters_are_refused_where_they_are(root: Path, char: str, label: str):
    text = MINIMAL.replace("alleges ties.", f"alleges t{char}ies.", 1)
    line, _ = _at(text, char)
    col = text.split("\n")[line - 1].index(char) + 1
    assert _findings(root, text) == [(line, col, "control-character", f"invisible control character {label}")]


def test_a_zero_width_space_written_as_an_escape_is_refused(root: Path):
    text = MINIMAL.replace("The company *denies* them", "ad\\u200bmitted", 1)
    line, col = _at(text, "ad\\u200bmitted")
    assert [f[:3] for f in _findings(root, text)] == [(line, col, "control-character")]


def test_ordinary_references_and_joiners_stay_allowed(root: Path):
    # &amp; and &#233; are text; ZWNJ and ZWJ are letters' business in Persian, Indic scripts, emoji.
    text = MINIMAL.replace("The company *denies* them", "AT&amp;T and Caf&#233; deny \u200c\u200d them", 1)
    assert _findings(root, text) == []


@pytest.mark.parametrize("disguised", ["adm&#105;tted", "adm&#x69;tted", "ad\u00admitted"])
def test_the_loaded_word_lint_sees_through_references_and_soft_hyphens(root: Path, disguised: str):
    text = MINIMAL.replace("The company *denies* them", f"The company {disguised} them", 1)
    line, col = _at(text, disguised)
    assert _findings(root, text) == [
        (line, col, "loaded-word", "'admitted' in the summary takes a side in the site's own voice")]


@pytest.mark.engine
def test_a_story_with_a_bidi_reference_is_not_built(root: Path):
    (root / STORY).write_text(MINIMAL.replace("*denies*", "*denies* &#x202E;", 1), encoding="utf-8")
    build = run_build(root, "build")
    assert build.returncode == 1, build.stderr
    assert "control-character" in build.stderr and "Traceback" not in build.stderr
    assert not (root / "site").exists()
