"""YAML mistakes in plain words, at the line and column of the real mistake: each case is the
minimal story with one mistake an editor makes, checked by `build.py check` as editors run it."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import FIXTURES, MINIMAL_STORY_FILE, copy_project, run_build
from support.editors import CLEAN_STORY, write_project

FILE = "site_data/stories/minimal.yaml"
MINIMAL = MINIMAL_STORY_FILE.read_text(encoding="utf-8")


def slip(old: str, new: str) -> str:
    """The minimal story with `old` (which it holds once) replaced by `new`."""
    assert MINIMAL.count(old) == 1, old
    return MINIMAL.replace(old, new)


def check(tmp_path: Path, story: str) -> tuple[int, str]:
    root = copy_project(tmp_path / "p", source=FIXTURES / "minimal")
    (root / FILE).write_text(story, encoding="utf-8")
    proc = run_build(root, "check")
    assert "Traceback" not in proc.stderr
    return proc.returncode, proc.stderr


def first_problem(stderr: str) -> tuple[str, str, str]:
    """(`file:line:col: severity: message [code]`, the source line shown, the hint) of the first problem."""
    lines = stderr.splitlines()
    hints = [line.strip().removeprefix("hint: ") for line in lines if line.startswith("    hint: ")]
    return lines[0], lines[1].strip(), hints[0]


CLAIM = '    text: "The memo alleges ties."\n'
SOURCE_TITLE = '    title: "The memo"\n'

# (what the editor did, the story, expected first line, expected hint)
MISTAKES = [
    ("a colon inside a value",
     slip(CLAIM, CLAIM + "    label: Jobs: 40 cut\n"),
     f"{FILE}:29:16: error: a colon followed by a space inside the value of `label:`; YAML reads it "
     "as the start of another key [yaml-syntax]",
     'put the value in quotes: label: "Jobs: 40 cut"'),
    ("a colon inside a value that holds a quote",
     slip('title: "Memo alleges ties; company denies"', 'title: The memo "leak": a timeline'),
     f"{FILE}:1:23: error: a colon followed by a space inside the value of `title:`; YAML reads it "
     "as the start of another key [yaml-syntax]",
     "put the value in quotes: title: 'The memo \"leak\": a timeline'"),
    ("a key indented one space too few",
     slip(CLAIM, '   text: "The memo alleges ties."\n'),
     f"{FILE}:28:4: error: `text:` is indented 3 spaces, the keys around it 4 [yaml-syntax]",
     "line this up with `id:` on line 27"),
    ("a key indented one space too many",
     slip(CLAIM, '     text: "The memo alleges ties."\n'),
     f"{FILE}:28:6: error: `text:` is indented 5 spaces, the keys around it 4 [yaml-syntax]",
     "line this up with `id:` on line 27"),
    ("a key dedented above a correct one",
     slip('    publisher: "U.S. Department of Defense"\n', '  publisher: "U.S. Department of Defense"\n'),
     f"{FILE}:15:3: error: `publisher:` is indented less than the lines around it [yaml-syntax]",
     "line this up with `title:` on line 14"),
    ("a list item out of line with the list's other items",
     slip("    sources: [report]\n", "    sources: [report]\n   - id: us-dod-declines\n"
                                      "    claims: [memo-ties]\n    actor: us-dod\n"
                                      "    stance: declines-to-comment\n    sources: [report]\n"),
     f"{FILE}:39:4: error: `- id:` does not line up with the list's other items [yaml-syntax]",
     "line its `-` up with the one on line 34"),
    ("a stray list dash",
     slip('    publisher: "U.S. Department of Defense"\n', '    - publisher: "U.S. Department of Defense"\n'),
     f"{FILE}:15:5: error: `- publisher:` starts a list item where the keys around it are not in a list "
     "[yaml-syntax]",
     "remove the `- `, or line this up with `title:` on line 14"),
    # libyaml notices only on line 15, where the string ends; the mistake is the quote on line 14.
    ("an unclosed double quote",
     slip(SOURCE_TITLE, '    title: "The memo\n'),
     f"{FILE}:14:12: error: this quote is never closed: the text runs on into the lines below [yaml-syntax]",
     'end the text with " on this line (a " inside the text is written \\")'),
    ("an unclosed single quote, running to the end of the file",
     slip(SOURCE_TITLE, "    title: 'The memo\n"),
     f"{FILE}:14:12: error: this quote is never closed: the text runs on into the lines below [yaml-syntax]",
     "end the text with ' on this line (a ' inside the text is written '')"),
    ("a backslash that starts no escape",
     slip(SOURCE_TITLE, '    title: "The memo at C:\\data"\n'),
     f"{FILE}:14:27: error: `\\d` is not an escape YAML knows: inside double quotes, a backslash starts one "
     "(`\\n`, `\\\"`) [yaml-syntax]",
     "write a backslash as `\\\\`, or put the value in single quotes, where `\\` is just a backslash"),
    ("words after a closing quote",
     slip(SOURCE_TITLE, '    title: "The memo" as leaked\n'),
     f"{FILE}:14:21: error: the text goes on after its closing \"; a value that starts with a quotation "
     "mark must end with it [yaml-syntax]",
     "put the whole value in quotes: title: '\"The memo\" as leaked'"),
]


@pytest.mark.parametrize(("story", "expected", "hint"), [m[1:] for m in MISTAKES],
                         ids=[m[0] for m in MISTAKES])
def test_yaml_mistake_in_plain_words_at_its_place(tmp_path, story, expected, hint):
    code, stderr = check(tmp_path, story)
    assert code == 1
    first, _, given = first_problem(stderr)
    assert (first, given) == (expected, hint)
    assert "mapping values are not allowed" not in stderr and "did not find expected" not in stderr


def test_the_caret_is_under_the_colon(tmp_path):
    _, stderr = check(tmp_path, MISTAKES[0][1])
    lines = stderr.splitlines()
    assert lines[1] == "        label: Jobs: 40 cut"
    assert lines[2] == "                   ^"  # under the second colon


def test_a_mistake_it_does_not_recognise_keeps_the_parsers_words(tmp_path):
    code, stderr = check(tmp_path, slip(CLAIM, CLAIM + "    note: [memo, wire\n"))
    assert code == 1
    first, _, hint = first_problem(stderr)
    assert first.startswith(f"{FILE}:") and "YAML syntax error:" in first
    assert hint == "check indentation, colons and quotes on this line and the one before"


@pytest.mark.parametrize("written", ["Tuesday", '"last week"', "earlier this month"])
def test_a_date_in_words_points_to_date_as_given(tmp_path, written):
    story = slip('    date: "2025-11"\n    url: "https://example.org/memo"',
                 f'    date: {written}\n    url: "https://example.org/memo"')
    code, stderr = check(tmp_path, story)
    assert code == 1
    first, _, hint = first_problem(stderr)
    words = written.strip('"')
    assert first == f"{FILE}:17:11: error: '{words}' is a date in words, not one of the date forms [bad-date]"
    assert hint == ("write the words the source used in `date_as_given`, and the date as YYYY, YYYY-MM, "
                    "YYYY-MM-DD or unknown")


def test_a_date_in_words_where_there_is_no_date_as_given(tmp_path):
    # `published` has no date_as_given: the hint gives the date forms only.
    code, stderr = check(tmp_path, slip('published: "2025-11-14"', "published: Tuesday"))
    assert code == 1
    first, _, hint = first_problem(stderr)
    assert first == f"{FILE}:4:12: error: 'Tuesday' is a date in words, not one of the date forms [bad-date]"
    assert "date_as_given" not in hint and "2025-11-14" in hint


def test_the_words_and_unknown_check_clean(tmp_path):
    story = slip('    date: "2025-11"\n    url: "https://example.org/memo"',
                 '    date: unknown\n    date_as_given: "last week"\n    url: "https://example.org/memo"')
    code, stderr = check(tmp_path, story)
    assert code == 0, stderr


RESPONSE = "    text: \"Alibaba denied the allegations.\"\n"


def with_quote(tmp_path: Path, written: str) -> Path:
    """A project whose one response has `quote: <written>`."""
    story = CLEAN_STORY.replace(RESPONSE, RESPONSE + f"    quote: {written}\n")
    return write_project(tmp_path / "p", story)


@pytest.mark.parametrize(("written", "col", "marks"), [
    ("“politically motivated”", 12, "“…”"),
    ('"“politically motivated”"', 13, "“…”"),
    ("‘politically motivated’", 12, "‘…’"),
    ("«motivé politiquement»", 12, "«…»"),
])
def test_quotation_marks_around_a_quote_warn(tmp_path, written, col, marks):
    root = with_quote(tmp_path, written)
    proc = run_build(root, "check")
    assert proc.returncode == 0  # a warning: the page is still published
    line = CLEAN_STORY[:CLEAN_STORY.index(RESPONSE) + len(RESPONSE)].count("\n") + 1
    assert proc.stderr.splitlines()[0] == (
        f"site_data/stories/story.yaml:{line}:{col}: warning: the quote in the response 'alibaba-denies' "
        f"is wrapped in {marks}; the page adds its own quotation marks, so readers would see two pairs "
        "[quote-marks]")
    assert "hint: remove the quotation marks around the quote: write only the words quoted" in proc.stderr
    assert run_build(root, "check", "--strict").returncode == 1


@pytest.mark.parametrize("written", ["politically motivated", "“politically” motivated",
                                     "a “so-called” leak"])
def test_quotation_marks_inside_a_quote_are_the_speakers(tmp_path, written):
    root = with_quote(tmp_path, written)
    proc = run_build(root, "check")
    assert proc.returncode == 0
    assert "quote-marks" not in proc.stderr
