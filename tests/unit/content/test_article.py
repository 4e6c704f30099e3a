"""An actor's `article: the`: sentences say "the U.S. government" ("The U.S. government" at a
sentence's start), headings, tables and lists keep the name alone; a bad value is an editor's error
at its line and column, with a hint.

Data: the minimal fixture copied into tmp_path, with actors and a story written there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markupsafe import Markup
from support import FIXTURES, REPO, copy_project, render_in_memory, run_build, story_pages

from contested.content.labels import in_text, no_response_text
from contested.pages.render import actor_html, actor_text
from contested.pages.views import ActorLink

# --- the wording ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "article", "start", "said"), [
    ("U.S. government", "the", False, "the U.S. government"),
    ("U.S. government", "the", True, "The U.S. government"),
    ("Apple", "", False, "Apple"),
    ("Apple", "", True, "Apple"),
    ("Critics", "", True, "Critics"),
])
def test_a_name_in_a_sentence_takes_its_article(name: str, article: str, start: bool, said: str) -> None:
    assert in_text(name, article, start) == said


def test_an_absent_reply_says_the_article_where_the_name_stands() -> None:
    assert no_response_text("U.S. government", "no-response-reported", "the") == (
        "No response from the U.S. government is reported.")
    assert no_response_text("U.S. government", "did-not-respond", "the") == (
        "The U.S. government did not respond to a request for comment.")
    assert no_response_text("Apple", "no-response-reported") == "No response from Apple is reported."
    assert no_response_text("Apple", "did-not-respond") == "Apple did not respond to a request for comment."


def test_the_article_stays_outside_the_link_and_the_name_is_escaped() -> None:
    pentagon = ActorLink("us-dod", "U.S. Department of Defense", "government", "actors/us-dod/", "the")
    assert actor_html(pentagon, "../../", start=True) == Markup(
        'The <a href="../../actors/us-dod/">U.S. Department of Defense</a>')
    assert actor_html(pentagon, "../../") == Markup(
        'the <a href="../../actors/us-dod/">U.S. Department of Defense</a>')
    # A story's own actor has no page: no link; a name is text, never markup.
    board = ActorLink("board", "<b>Board</b> & Co", "group", "", "the")
    assert actor_html(board, "../", start=True) == Markup("The &lt;b&gt;Board&lt;/b&gt; &amp; Co")
    assert actor_text(board) == "the <b>Board</b> & Co"  # plain text: Jinja escapes it
    apple = ActorLink("apple", "Apple", "company", "actors/apple/")
    assert actor_html(apple, "", start=True) == Markup('<a href="actors/apple/">Apple</a>')


# --- on the pages --------------------------------------------------------------------------------

ACTORS = """\
us-dod:
  name: "U.S. Department of Defense"
  article: the
  kind: government
  description: "The U.S. defence ministry."
alibaba:
  name: "Alibaba Group"
  kind: company
  description: "Chinese e-commerce company."
harbor-board:
  name: "Harbor Board"
  article: the
  kind: government
  description: "A fictional port authority no story names yet."
"""

# The minimal story, with a story-local council that takes "the", giving an opinion and no reply.
LOCAL = """\
actors:
  council:
    name: "city council"
    article: the
    kind: government
    description: "The fictional city council."
"""
MORE = """\
  - id: council-view
    text: "The city council argues the memo is politics."
    claimant: council
    sources: [report]
    kind: opinion
responses:
  - id: council-silent
    claims: [memo-ties]
    actor: council
    stance: did-not-respond
    sources: [report]
"""


def _project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "p", source=FIXTURES / "minimal")
    (root / "site_data" / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    story = root / "site_data" / "stories" / "minimal.yaml"
    text = story.read_text(encoding="utf-8")
    text = text.replace("sources:\n  report:", LOCAL + "sources:\n  report:", 1)
    text = text.replace("responses:\n", MORE, 1)
    story.write_text(text, encoding="utf-8")
    return root


def test_the_view_models_say_the_article_in_sentences_only(tmp_path: Path) -> None:
    _, (page,) = story_pages(_project(tmp_path))
    (claim,) = page.alleged
    assert claim.attribution == "The U.S. Department of Defense alleges"
    assert claim.claimant.name == "U.S. Department of Defense"  # headings and tables: the name alone
    (view,) = page.views
    assert (view.attribution, view.claimant.article) == ("The city council argues", "the")
    (silence,) = claim.silences
    assert silence.sentence == "The city council did not respond to a request for comment."
    assert [a.name for a in page.stance_actors] == ["U.S. Department of Defense", "city council",
                                                    "Alibaba Group"]


def test_the_rendered_pages_say_the_article_in_sentences_only(tmp_path: Path) -> None:
    pages = render_in_memory(_project(tmp_path), REPO / "templates", REPO / "content")
    story = (pages["stories/minimal.md"] or b"").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", story)
    assert "The city council did not respond to a request for comment [" in text
    assert "The city council argues (opinion)" in text  # an opinion's sentence starts with the name
    assert "U.S. Department of Defense alleges: The memo alleges ties." in text  # a heading: the name
    assert "No response from" not in text
    assert '<th scope="col">U.S. Department of Defense</th>' in story
    board = (pages["actors/harbor-board.md"] or b"").decode("utf-8")
    assert "No story names the Harbor Board yet." in board
    assert 'description: "Claims and responses by the Harbor Board"' in board
    assert '<h1 id="actor-name">Harbor Board</h1>' in board
    listing = (pages["actors/index.md"] or b"").decode("utf-8")
    assert ">Harbor Board</a>" in listing and "the Harbor Board" not in listing


# --- a bad value, as `build.py check` reports it -------------------------------------------------

HINT = ("    hint: write `article: the` for a name that takes 'the' in a sentence (the U.S. government), "
        "or delete the key for one that does not (Apple)")


@pytest.mark.parametrize(("value", "col", "message"), [
    ("The", 12, "'The' is not one of: the; did you mean 'the'? [bad-value]"),
    ("yes", 12, "'yes' is not one of: the [bad-value]"),
    ("", 11, "expected one of: the, found nothing [expected-text]"),
])
def test_a_bad_article_names_its_place_and_the_fix(tmp_path: Path, value: str, col: int,
                                                    message: str) -> None:
    root = _project(tmp_path)
    actors = root / "site_data" / "actors.yaml"
    actors.write_text(ACTORS.replace("  article: the\n  kind: government\n  description: \"A fictional",
                                     f"  article: {value}\n  kind: government\n  description: \"A fictional"),
                      encoding="utf-8")
    proc = run_build(root, "check")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    head = f"site_data/actors.yaml:12:{col}: error: {message}"
    assert head in lines, proc.stderr
    assert lines[lines.index(head) + 3] == HINT


def test_a_bad_article_on_a_storys_own_actor(tmp_path: Path) -> None:
    root = _project(tmp_path)
    story = root / "site_data" / "stories" / "minimal.yaml"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("    article: the\n", "    article: an\n", 1), encoding="utf-8")
    line = text.splitlines().index("    article: the") + 1
    proc = run_build(root, "check", "--format", "json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    (item,) = json.loads(proc.stdout)
    assert (item["file"], item["line"], item["col"], item["code"]) == (
        "site_data/stories/minimal.yaml", line, 14, "bad-value")
    assert item["path"] == "actors.council.article"
    assert item["hint"] == HINT.removeprefix("    hint: ")


def test_an_article_the_name_already_begins_with_is_an_error(tmp_path: Path) -> None:
    """A name written "The Harbor Board" with `article: the` would read "the The Harbor Board"."""
    root = _project(tmp_path)
    actors = root / "site_data" / "actors.yaml"
    actors.write_text(ACTORS.replace('name: "Harbor Board"', 'name: "The Harbor Board"'), encoding="utf-8")
    proc = run_build(root, "check")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    head = ("site_data/actors.yaml:12:12: error: the name 'The Harbor Board' begins with 'The' already: "
            "sentences would say 'the The Harbor Board' [article-twice]")
    assert head in lines, proc.stderr
    assert lines[lines.index(head) + 3] == "    hint: delete `article: the`, or write the name without 'The'"
