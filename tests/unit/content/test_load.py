"""Stage 1, load: every way a file can fail to be plain, safe YAML, each named at path:line:col.

Each readable mistake is a real file under tests/fixtures/broken/ (the minimal story plus one
mistake); byte-level mistakes (BOM, invalid UTF-8, tabs, control characters, oversize, deep
nesting) are generated here, since they are invisible or huge in a fixture file.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from support import BROKEN, MINIMAL_STORY_FILE, STORY, findings, put_story

from contested.build.runner import StoryJob, check_actors, check_site, check_story, run_stories
from contested.content import load
from contested.content.load import MAX_BYTES, MAX_DEPTH, Mapping, Scalar, Sequence, load_document, story_files
from contested.diagnostics import Report

MINIMAL_STORY = MINIMAL_STORY_FILE.read_bytes()

# fixture file -> every finding the check reports for it: (line, col, severity, code, message)
LOAD_CASES = {
    # An unclosed quote runs on to the next line, where libyaml notices; reported at the quote.
    "yaml-syntax.yaml": [
        (14, 12, "error", "yaml-syntax", "this quote is never closed: the text runs on into the lines below"),
    ],
    "empty.yaml": [
        (1, 1, "error", "empty-file", "the file is empty"),
    ],
    # Reported where the anchor (&dod) is written; the value is dropped, so nothing else is reported.
    "anchor-alias.yaml": [
        (15, 16, "error", "yaml-alias", "YAML anchors and aliases are not allowed"),
    ],
    "alias-bomb.yaml": [
        (46, 1, "error", "unknown-key", "unknown key 'lol' in story"),
        *[(line, 6, "error", "yaml-alias", "YAML anchors and aliases are not allowed")
          for line in range(47, 55)],
    ],
    "python-object.yaml": [
        (2, 10, "error", "yaml-tag", "the tag '!!python/object/apply:os.mkdir' is not allowed"),
    ],
    "binary.yaml": [
        (2, 10, "error", "yaml-tag", "the tag '!!binary' is not allowed"),
    ],
    "duplicate-key.yaml": [
        (17, 5, "error", "duplicate-key", "duplicate key 'publisher' (first written at line 15)"),
    ],
    # The merge is refused, so the source really is missing its title.
    "merge-key.yaml": [
        (14, 5, "error", "missing-key", "source is missing the required key 'title'"),
        (14, 5, "error", "yaml-alias", "YAML merge keys (<<) are not allowed"),
    ],
}


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request, monkeypatch):
    """Run a test with the libyaml loader and again with PyYAML's pure-Python fallback."""
    if request.param == "libyaml":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("PyYAML built without libyaml")
        monkeypatch.setattr(load, "_Loader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(load, "_Loader", yaml.SafeLoader)
    return request.param


def expect(name: str, cases: list[tuple]) -> list[tuple]:
    return [(STORY.format(name), *case) for case in cases]


@pytest.mark.parametrize("name", sorted(LOAD_CASES))
def test_broken_fixture_reports_exact_position_and_message(minimal_project, name):
    put_story(minimal_project, BROKEN / name)
    assert findings(minimal_project) == expect(name, LOAD_CASES[name])


def test_libyaml_is_the_default_loader():
    # The exact syntax-error and nesting messages above are libyaml's.
    assert load._Loader is yaml.CSafeLoader


def test_pure_python_loader_reports_syntax_errors_at_the_same_place(minimal_project, monkeypatch):
    monkeypatch.setattr(load, "_Loader", yaml.SafeLoader)
    put_story(minimal_project, BROKEN / "yaml-syntax.yaml")
    assert findings(minimal_project) == expect("yaml-syntax.yaml", LOAD_CASES["yaml-syntax.yaml"])


# Each mistake as both parsers word it differently; the editor is told the same, at the same place.
@pytest.mark.parametrize(("old", "new", "expected"), [
    ('    text: "The memo alleges ties."', "    text: The memo alleges: ties",
     (28, 27, "a colon followed by a space inside the value of `text:`; YAML reads it as the start "
      "of another key")),
    ('    text: "The memo alleges ties."', '   text: "The memo alleges ties."',
     (28, 4, "`text:` is indented 3 spaces, the keys around it 4")),
    ('    text: "The memo alleges ties."', '     text: "The memo alleges ties."',
     (28, 6, "`text:` is indented 5 spaces, the keys around it 4")),
    ('    title: "The memo"', "    title: 'The memo", (14, 12, "this quote is never closed: the text runs "
                                                      "on into the lines below")),
    ('    title: "The memo"', '    title: "The memo at C:\\data"',
     (14, 27, "`\\d` is not an escape YAML knows: inside double quotes, a backslash starts one "
              "(`\\n`, `\\\"`)")),
])
def test_both_loaders_explain_a_mistake_alike(minimal_project, loader, old, new, expected):
    assert MINIMAL_STORY.count(old.encode()) == 1
    put_story(minimal_project, MINIMAL_STORY.replace(old.encode(), new.encode()), "slip.yaml")
    line, col, message = expected
    assert findings(minimal_project) == expect("slip.yaml", [(line, col, "error", "yaml-syntax", message)])


@pytest.mark.parametrize("name", ["anchor-alias.yaml", "alias-bomb.yaml", "python-object.yaml",
                                  "binary.yaml", "duplicate-key.yaml", "merge-key.yaml"])
def test_safety_rules_hold_for_both_loaders(minimal_project, loader, name):
    put_story(minimal_project, BROKEN / name)
    assert findings(minimal_project) == expect(name, LOAD_CASES[name])


def test_alias_bomb_finishes_fast(minimal_project, loader):
    put_story(minimal_project, BROKEN / "alias-bomb.yaml")
    start = time.perf_counter()
    found = findings(minimal_project)
    assert time.perf_counter() - start < 2
    assert {f[4] for f in found} == {"unknown-key", "yaml-alias"}


def test_python_tag_is_never_executed(minimal_project, monkeypatch, loader):
    # The fixture's tag would call os.mkdir("pwned") under yaml.unsafe_load.
    monkeypatch.chdir(minimal_project)
    put_story(minimal_project, BROKEN / "python-object.yaml")
    findings(minimal_project)
    assert not (minimal_project / "pwned").exists()


@pytest.mark.parametrize(("value", "tag"), [
    ("!!python/object:collections.OrderedDict {}", "!!python/object:collections.OrderedDict"),
    ("!!python/name:os.system", "!!python/name:os.system"),
    ("!!python/module:os", "!!python/module:os"),
    ("!!set {a: null}", "!!set"),
    ("!!omap [a: 1]", "!!omap"),
    ("!custom text", "!custom"),
])
def test_every_non_plain_tag_is_refused(minimal_project, loader, value, tag):
    text = MINIMAL_STORY.replace(b'summary: "A memo alleges ties. The company *denies* them."',
                                 b"summary: " + value.encode())
    put_story(minimal_project, text, "tagged.yaml")
    assert findings(minimal_project) == [
        (STORY.format("tagged.yaml"), 2, 10, "error", "yaml-tag", f"the tag '{tag}' is not allowed"),
    ]


def test_yaml_1_1_typing_keeps_the_text_as_written(minimal_project):
    # Unquoted, YAML 1.1 reads NO as False, 1.10 as 1.1, 1:20 as 80 (sexagesimal), 0x1F as 31.
    path = put_story(minimal_project, BROKEN / "yaml11-typing.yaml")
    assert check_site(minimal_project / "site_data", minimal_project).report.items == []
    report = Report()
    _, actors = check_actors(minimal_project / "site_data", minimal_project, report)
    story = check_story(path, STORY.format(path.name), actors, report)
    assert story is not None
    assert story.title == "NO"
    assert story.summary == "1.10"
    assert story.timeline[0].text == "1:20"
    assert story.updates[0].text == "0x1F"


def load_text(tmp_path: Path, data: bytes, name: str = "story.yaml") -> tuple[object, Report]:
    path = tmp_path / name
    path.write_bytes(data)
    report = Report()
    doc = load_document(path, name, report)
    return doc.root, report


@pytest.mark.parametrize(("written", "kept"), [
    ("yes", "yes"), ("off", "off"), ("1e3", "1e3"), ("012", "012"), ("0o17", "0o17"),
    ("2025-11-14", "2025-11-14"), ("2020", "2020"), (".inf", ".inf"), ('"null"', "null"),
])
def test_scalars_keep_their_raw_text(tmp_path, written, kept):
    root, report = load_text(tmp_path, f"title: {written}\n".encode())
    assert report.items == []
    assert isinstance(root, Mapping)
    key, value = root.entries["title"]
    assert (key.line, key.col) == (1, 1)
    assert isinstance(value, Scalar)
    assert (value.value, value.line, value.col) == (kept, 1, 8)


def test_positions_are_one_based_and_point_at_keys_and_values(tmp_path):
    root, report = load_text(tmp_path, b"a:\n  - x\n  - [y, z]\nb: {c: d}\n")
    assert report.items == []
    key_a, seq = root.entries["a"]
    assert (key_a.line, key_a.col) == (1, 1)
    assert isinstance(seq, Sequence) and (seq.line, seq.col) == (2, 3)
    assert [(i.line, i.col) for i in seq.items] == [(2, 5), (3, 5)]
    key_b, mapping = root.entries["b"]
    assert (key_b.line, key_b.col, mapping.line, mapping.col) == (4, 1, 4, 4)
    key_c, value_c = mapping.entries["c"]
    assert (key_c.value, key_c.col, value_c.value, value_c.col) == ("c", 5, "d", 8)


def test_null_and_quoted_text_are_told_apart(tmp_path):
    root, _ = load_text(tmp_path, b"a:\nb: ~\nc: ''\n")
    a, b, c = (root.entries[k][1] for k in "abc")
    assert (a.tag, a.quoted, b.tag, b.quoted) == ("tag:yaml.org,2002:null", False,
                                                  "tag:yaml.org,2002:null", False)
    assert (c.value, c.quoted) == ("", True)


def test_non_text_key_is_refused(tmp_path):
    _, report = load_text(tmp_path, b"? [a, b]\n: c\n")
    assert [(d.line, d.col, d.code, d.message) for d in report.items] == [
        (1, 3, "bad-key", "a key must be plain text"),
    ]


# --- byte-level mistakes, generated ------------------------------------------------------------

def test_zero_byte_file_is_empty(minimal_project):
    put_story(minimal_project, b"", "blank.yaml")
    assert findings(minimal_project) == [
        (STORY.format("blank.yaml"), 1, 1, "error", "empty-file", "the file is empty"),
    ]


def test_byte_order_mark(minimal_project):
    put_story(minimal_project, b"\xef\xbb\xbf" + MINIMAL_STORY, "bom.yaml")
    assert findings(minimal_project) == [
        (STORY.format("bom.yaml"), 1, 1, "error", "byte-order-mark",
         "the file starts with a byte-order mark"),
    ]


def test_invalid_utf8_names_the_byte_and_its_column(minimal_project):
    # Latin-1 'é' (0xe9) in line 9, `    publisher: "Example Néws"`; columns count characters.
    text = MINIMAL_STORY.replace(b"Example News", b"Example N\xe9ws")
    put_story(minimal_project, text, "latin1.yaml")
    assert findings(minimal_project) == [
        (STORY.format("latin1.yaml"), 9, 26, "error", "invalid-utf8", "byte 0xe9 is not valid UTF-8"),
    ]


def test_invalid_utf8_after_multibyte_text_counts_characters(minimal_project):
    text = MINIMAL_STORY.replace(b"Example News", "Éxample Névs".encode() + b"\xff")
    put_story(minimal_project, text, "latin1.yaml")
    assert findings(minimal_project) == [
        (STORY.format("latin1.yaml"), 9, 29, "error", "invalid-utf8", "byte 0xff is not valid UTF-8"),
    ]


def test_every_tab_is_reported(minimal_project):
    text = (MINIMAL_STORY
            .replace(b'    title: "Report on the memo"', b'\ttitle: "Report on the memo"')
            .replace(b'    title: "The memo"', b'    title:\t"The memo"'))
    put_story(minimal_project, text, "tabs.yaml")
    assert findings(minimal_project) == [
        (STORY.format("tabs.yaml"), 8, 1, "error", "tab", "tab character"),
        (STORY.format("tabs.yaml"), 14, 11, "error", "tab", "tab character"),
    ]


@pytest.mark.parametrize(("char", "label"), [
    ("\x00", "U+0000"),
    ("\x07", "U+0007"),
    ("\x1b", "U+001B"),
    ("\x7f", "U+007F"),
    ("\x85", "U+0085"),
    ("\ufeff", "ZERO WIDTH NO-BREAK SPACE (U+FEFF)"),
])
def test_control_characters(minimal_project, char, label):
    text = MINIMAL_STORY.replace(b"Memo alleges", f"Memo {char}alleges".encode())
    put_story(minimal_project, text, "control.yaml")
    assert findings(minimal_project) == [
        (STORY.format("control.yaml"), 1, 14, "error", "control-character",
         f"invisible control character {label}"),
    ]


@pytest.mark.parametrize(("char", "label"), [
    ("\u202e", "RIGHT-TO-LEFT OVERRIDE (U+202E)"),
    ("\u202a", "LEFT-TO-RIGHT EMBEDDING (U+202A)"),
    ("\u2066", "LEFT-TO-RIGHT ISOLATE (U+2066)"),
    ("\u2069", "POP DIRECTIONAL ISOLATE (U+2069)"),
])
def test_bidi_override_characters(minimal_project, char, label):
    # "Trojan Source": text that displays differently from what it says.
    text = MINIMAL_STORY.replace(b"company denies", f"company {char}seined".encode())
    put_story(minimal_project, text, "bidi.yaml")
    assert findings(minimal_project) == [
        (STORY.format("bidi.yaml"), 1, 36, "error", "control-character",
         f"invisible control character {label}"),
    ]


def test_file_over_the_size_limit_is_not_parsed(minimal_project):
    padding = MAX_BYTES + 1 - len(MINIMAL_STORY) - 2
    put_story(minimal_project, MINIMAL_STORY + b"#" + b"x" * padding + b"\n", "huge.yaml")
    assert findings(minimal_project) == [
        (STORY.format("huge.yaml"), 1, 1, "error", "file-too-large",
         "the file is 1,000,001 bytes; the limit is 1,000,000"),
    ]


def test_file_exactly_at_the_size_limit_is_read(minimal_project):
    padding = MAX_BYTES - len(MINIMAL_STORY) - 2
    put_story(minimal_project, MINIMAL_STORY + b"#" + b"x" * padding + b"\n", "big.yaml")
    assert findings(minimal_project) == []


def test_ten_thousand_open_brackets(minimal_project):
    text = MINIMAL_STORY.replace(b'summary: "A memo alleges ties. The company *denies* them."',
                                 b"summary: " + b"[" * 10_000)
    put_story(minimal_project, text, "deep.yaml")
    start = time.perf_counter()
    found = findings(minimal_project)
    assert time.perf_counter() - start < 5
    assert found == [
        (STORY.format("deep.yaml"), 2, 1009, "error", "yaml-syntax",
         "YAML syntax error: exceeded maximum nesting depth"),
    ]


def test_ten_thousand_open_brackets_pure_python(minimal_project, monkeypatch):
    monkeypatch.setattr(load, "_Loader", yaml.SafeLoader)
    text = MINIMAL_STORY.replace(b'summary: "A memo alleges ties. The company *denies* them."',
                                 b"summary: " + b"[" * 10_000)
    put_story(minimal_project, text, "deep.yaml")
    assert findings(minimal_project) == [
        (STORY.format("deep.yaml"), 1, 1, "error", "yaml-syntax", "YAML could not be read: RecursionError"),
    ]


def test_nesting_deeper_than_the_limit_is_refused(minimal_project, loader):
    levels = MAX_DEPTH + 8
    text = MINIMAL_STORY.replace(b'summary: "A memo alleges ties. The company *denies* them."',
                                 b"summary: " + b"[" * levels + b"]" * levels)
    put_story(minimal_project, text, "deep.yaml")
    # `summary` is at depth 1, so the 33rd bracket (column 9 + 33) is one level too deep; what
    # is left is still a list, where a summary is text.
    assert findings(minimal_project) == [
        (STORY.format("deep.yaml"), 2, 10, "error", "expected-text", "expected text, found a list"),
        (STORY.format("deep.yaml"), 2, 42, "error", "too-deep", f"nesting deeper than {MAX_DEPTH} levels"),
    ]


def test_a_file_with_crlf_line_ends_is_fine(minimal_project):
    put_story(minimal_project, MINIMAL_STORY.replace(b"\n", b"\r\n"), "windows.yaml")
    assert findings(minimal_project) == []


# --- the set of files ---------------------------------------------------------------------------

def test_non_yaml_files_and_folders_in_stories_are_errors_and_hidden_files_ignored(minimal_project):
    stories = minimal_project / "site_data" / "stories"
    (stories / "draft.yml").write_bytes(MINIMAL_STORY)
    (stories / "notes.txt").write_text("to do\n")
    (stories / ".DS_Store").write_bytes(b"\x00\x01")
    (stories / "archive").mkdir()
    assert findings(minimal_project) == [
        (STORY.format("archive"), 1, 1, "error", "story-in-folder",
         "'archive' is a folder; stories in folders are not published"),
        (STORY.format("draft.yml"), 1, 1, "error", "not-yaml", "'draft.yml' is not a story file"),
        (STORY.format("notes.txt"), 1, 1, "error", "not-yaml", "'notes.txt' is not a story file"),
    ]


def test_no_stories(minimal_project):
    (minimal_project / "site_data" / "stories" / "minimal.yaml").unlink()
    assert findings(minimal_project) == [
        ("site_data/stories", 1, 1, "error", "no-stories", "there are no stories"),
    ]
    (item,) = check_site(minimal_project / "site_data", minimal_project).report.items
    assert item.hint == "add a story file, e.g. site_data/stories/my-story.yaml"


def test_missing_actors_file(minimal_project):
    (minimal_project / "site_data" / "actors.yaml").unlink()
    found = findings(minimal_project)
    assert found[0] == ("site_data/actors.yaml", 1, 1, "error", "unreadable",
                        "the file cannot be read: No such file or directory")
    # Without actors every claimant is unknown: reported, not crashed on.
    assert {f[4] for f in found[1:]} == {"unknown-actor"}


def test_stories_are_loaded_in_name_order(minimal_project):
    stories = minimal_project / "site_data" / "stories"
    for name in ("zeta.yaml", "alpha.yaml"):
        (stories / name).write_bytes(MINIMAL_STORY)
    files = story_files(minimal_project / "site_data", minimal_project, Report())
    job = StoryJob(check_actors(minimal_project / "site_data", minimal_project, Report())[1])
    outcomes = run_stories([(path, name, "") for path, name in files], job)
    assert [o.file for o in outcomes] == [STORY.format(f"{n}.yaml") for n in ("alpha", "minimal", "zeta")]
