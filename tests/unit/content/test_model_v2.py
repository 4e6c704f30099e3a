"""The version-2 content model: claim kinds, context, top-level responses, key points, story-local
actors, verification history and relative dates; and `build.py check` explaining every version-1
field that moved, at its line and column, with what to write now.

Data: tests/fixtures/v2 (a fictional story using every part of the model) and the minimal fixture
with one version-1 habit put back."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from support import FIXTURES, REPO, STORY, copy_project, findings, put_story, run_build

from contested.build.runner import check_actors, check_story
from contested.content.dates import PartialDate, date_text, parse_date
from contested.content.labels import claim_verb, no_response_text
from contested.content.model import Story
from contested.diagnostics import Report

V2 = FIXTURES / "v2"
V2_FILE = V2 / "site_data" / "stories" / "dredging-contract.yaml"
V2_TEXT = V2_FILE.read_text(encoding="utf-8")
NAME = STORY.format("dredging-contract.yaml")


@pytest.fixture
def v2_project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "v2", source=V2)


def with_change(project: Path, old: str, new: str, text: str = V2_TEXT) -> list[tuple]:
    assert text.count(old) == 1, old
    put_story(project, text.replace(old, new), "dredging-contract.yaml")
    return findings(project)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def load(project: Path) -> Story:
    report = Report()
    _, actors = check_actors(project / "site_data", project, report)
    story = check_story(project / "site_data" / "stories" / "dredging-contract.yaml", NAME, actors, report)
    assert story is not None and report.items == [], report.items
    return story


# --- the model, as the later stages receive it --------------------------------------------------

def test_v2_fixture_is_valid_with_no_warnings(v2_project: Path) -> None:
    assert findings(v2_project) == []


def test_v2_story_is_typed(v2_project: Path) -> None:
    story = load(v2_project)
    kinds = [(c.id, c.kind, c.verified, c.verification) for c in story.claims]
    assert kinds == [("audit-overbilling", "allegation", True, "corroborated"),
                     ("dredging-delays", "prediction", False, None),
                     ("board-too-slow", "opinion", False, None)]
    history = story.claims[0].verification_history
    assert [(h.date.iso(), h.label) for h in history] == [("2025-06-09", "unconfirmed"),
                                                          ("2025-06-11", "corroborated")]
    assert [(r.id, r.stance, r.claims) for r in story.responses_to("board-too-slow")] == [
        ("acme-disputes", "disputes", ["audit-overbilling", "board-too-slow"]),
        ("board-silent", "did-not-respond", ["board-too-slow"])]
    assert [(c.id, c.attributed_to) for c in story.context] == [("no-tender", "gazette")]
    assert [p.refs for p in story.key_points] == [["audit-overbilling"], ["no-tender"]]
    assert {k: (a.story, a.plural) for k, a in story.actors.items()} == {
        "gazette": ("dredging-contract", False), "dockworkers": ("dredging-contract", True)}
    assert story.sources["acme-statement"].known_publisher is None  # `publisher: unknown`
    # A relative date names the source whose words it is: written, or the timeline entry's first source.
    assert story.sources["audit"].date_as_given_in == "gazette-report"
    assert story.timeline[0].date_as_given_in == "gazette-report"


def test_v2_fixture_follows_the_json_schema_editors_get() -> None:
    schema = json.loads((REPO / "schemas" / "story.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(V2_TEXT), schema)
    listed_twice = yaml.safe_load(V2_TEXT.replace("refs: [no-tender]", "refs: [no-tender, no-tender]"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(listed_twice, schema)


@pytest.mark.parametrize(("kind", "plural", "verb"), [
    ("allegation", False, "alleges"), ("allegation", True, "allege"), ("assertion", False, "says"),
    ("prediction", True, "warn"), ("prediction", False, "expects"), ("opinion", True, "argue"),
])
def test_verbs_fit_the_kind_and_agree_with_the_claimant(kind: str, plural: bool, verb: str) -> None:
    assert claim_verb(kind, plural) == verb


def test_silence_is_said_in_words() -> None:
    assert no_response_text("Apple", "no-response-reported") == "No response from Apple is reported."
    assert no_response_text("Apple", "did-not-respond") == "Apple did not respond to a request for comment."
    # An actor with `article: the`: the article where the name stands, capitalised at the start.
    assert no_response_text("U.S. government", "no-response-reported", "the") == (
        "No response from the U.S. government is reported.")
    assert no_response_text("Harbor Board", "did-not-respond", "the") == (
        "The Harbor Board did not respond to a request for comment.")


def test_a_relative_date_says_what_it_is_relative_to() -> None:
    unknown = parse_date("unknown")
    assert date_text(unknown, "earlier this month", ("News article", unknown)) == (
        "earlier this month, as “News article” puts it; its date is not given")
    assert date_text(unknown, "last week", ("Gazette report", PartialDate(2025, 6, 9, False, "day"))) == (
        "last week, as “Gazette report” puts it; it is dated 9 June 2025")


# --- version-1 fields, explained by `build.py check` ---------------------------------------------

V1_CLAIM = """\
  - id: memo-ties
    text: "The memo alleges ties."
    claimant: us-dod
    sources: [memo, wire]
    verification: unconfirmed
    responses:
      - actor: alibaba
        stance: denies
        sources: [report]
"""


def test_v1_story_is_explained_at_each_moved_field(minimal_project: Path) -> None:
    text = (minimal_project / "site_data" / "stories" / "minimal.yaml").read_text(encoding="utf-8")
    start, end = text.index("  - id: memo-ties\n"), text.index("open_questions:")
    v1 = text[:start] + V1_CLAIM + text[end:]
    put_story(minimal_project, v1, "old.yaml")
    proc = run_build(minimal_project, "check")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    claim_line = line_of(v1, "  - id: memo-ties")
    responses_line = line_of(v1, "    responses:")
    assert proc.stderr.splitlines() == [
        f"site_data/stories/old.yaml:{claim_line}:5: error: claim is missing the required key 'kind' "
        "[missing-key]",
        "      - id: memo-ties",
        "        ^",
        "    hint: add `kind:` (allegation for an accusation of wrongdoing, assertion for a checkable "
        "statement of fact, prediction, or opinion for an argument, assessment or fear)",
        f"site_data/stories/old.yaml:{responses_line}:5: error: `responses:` moved out of the claim, to "
        "the story's top-level `responses:` list [moved-key]",
        "        responses:",
        "        ^",
        "    hint: write each reply once under the story's `responses:`, with `id:` and "
        "`claims: [memo-ties]` (a reply answering several claims lists them all), then delete this key",
        "checked 2 file(s): 2 error(s), 0 warning(s)",
    ]


def test_a_label_on_an_opinion_is_an_error_with_a_hint(v2_project: Path) -> None:
    old = "    kind: opinion\n"
    found = with_change(v2_project, old, old + "    verification: unconfirmed\n")
    line = line_of(V2_TEXT, old) + 1
    assert found == [(NAME, line, 19, "error", "label-on-unverified",
                      "claim 'board-too-slow' is an opinion: only allegations and assertions carry "
                      "`verification:`")]
    proc = run_build(v2_project, "check", "--format", "json")
    (item,) = json.loads(proc.stdout)
    assert item["hint"].startswith("delete `verification:`")
    assert "make it `kind: assertion`" in item["hint"]


def test_an_allegation_needs_its_label(v2_project: Path) -> None:
    text = V2_TEXT.replace("    verification: corroborated\n", "", 1)
    put_story(v2_project, text, "dredging-contract.yaml")
    kind_line = line_of(text, "    kind: allegation")
    assert [f[1:] for f in findings(v2_project)] == [
        (kind_line, 11, "error", "missing-key",
         "claim 'audit-overbilling' is an allegation: it needs `verification:`")]


def test_a_claim_with_an_unknown_kind(v2_project: Path) -> None:
    found = with_change(v2_project, "    kind: opinion", "    kind: opnion")
    assert [f[4:] for f in found] == [
        ("bad-value", "'opnion' is not one of: allegation, assertion, prediction, opinion; "
                      "did you mean 'opinion'?")]


def test_verification_history_in_order_and_ending_at_the_label(v2_project: Path) -> None:
    found = with_change(v2_project, '      - date: "2025-06-11"', '      - date: "2025-06-01"')
    line = line_of(V2_TEXT, '      - date: "2025-06-11"')
    assert found == [(NAME, line, 15, "error", "history-order",
                      "verification_history: 2025-06-01 comes after 2025-06-09")]
    found = with_change(v2_project, "        label: corroborated", "        label: confirmed")
    line = line_of(V2_TEXT, "        label: corroborated")
    assert found == [(NAME, line, 16, "error", "history-mismatch",
                      "the last label in verification_history is 'confirmed', but the claim's "
                      "verification is 'corroborated'")]


def test_an_id_listed_twice_in_one_list(v2_project: Path) -> None:
    old = "    claims: [audit-overbilling, board-too-slow]"
    found = with_change(v2_project, old, "    claims: [audit-overbilling, board-too-slow, audit-overbilling]")
    line = line_of(V2_TEXT, old)
    assert found == [(NAME, line, 49, "error", "listed-twice",
                      f"'audit-overbilling' is listed twice (first at line {line}, column 14)")]


def test_a_story_actor_may_not_take_a_site_wide_id(v2_project: Path) -> None:
    found = with_change(v2_project, "  gazette:\n", "  acme:\n")
    line = line_of(V2_TEXT, "  gazette:\n")
    clash = [f for f in found if f[4] == "actor-id-clash"]
    assert clash == [(NAME, line, 3, "error", "actor-id-clash",
                      "story actor 'acme' has the id of a site-wide actor in site_data/actors.yaml")]


@pytest.mark.parametrize(("count", "code", "message"), [
    (1, "too-few-items", "expected at least 2 item(s), found 1"),
    (6, "too-many-items", "expected at most 5 items, found 6"),
])
def test_two_to_five_key_points(v2_project: Path, count: int, code: str, message: str) -> None:
    points = "".join(f'  - text: "Point {n}."\n    refs: [audit-overbilling]\n' for n in range(count))
    start, end = V2_TEXT.index("key_points:\n"), V2_TEXT.index("actors:\n")
    put_story(v2_project, V2_TEXT[:start] + "key_points:\n" + points + "\n" + V2_TEXT[end:],
              "dredging-contract.yaml")
    assert [(f[4], f[5]) for f in findings(v2_project)] == [(code, message)]


def test_key_points_refer_to_claims_or_context(v2_project: Path) -> None:
    found = with_change(v2_project, "    refs: [no-tender]", "    refs: [no-tendr]")
    line = line_of(V2_TEXT, "    refs: [no-tender]")
    assert found == [(NAME, line, 12, "error", "unknown-item",
                      "unknown claim or context item 'no-tendr'; did you mean 'no-tender'?")]


def test_a_context_item_may_not_share_a_claims_id(v2_project: Path) -> None:
    found = with_change(v2_project, "  - id: no-tender", "  - id: dredging-delays")
    line = line_of(V2_TEXT, "  - id: no-tender")
    assert [f for f in found if f[4] == "duplicate-id"] == [
        (NAME, line, 9, "error", "duplicate-id",
         "context item id 'dredging-delays' is already used (by a claim)")]
    # and so the key point naming it no longer finds it
    assert [f[4] for f in found if f[4] != "duplicate-id"] == ["unknown-item"]


def test_no_quote_where_there_is_no_reply(v2_project: Path) -> None:
    old = "    stance: did-not-respond\n"
    found = with_change(v2_project, old, old + '    quote: "No comment"\n')
    line = line_of(V2_TEXT, old) + 1
    assert found == [(NAME, line, 12, "error", "quote-without-response",
                      "response 'board-silent' records that there is no reply (did-not-respond) but "
                      "quotes one")]


def test_an_unanswered_allegation_warns_but_an_opinion_does_not(v2_project: Path) -> None:
    start, end = V2_TEXT.index("responses:\n"), V2_TEXT.index("open_questions:")
    put_story(v2_project, V2_TEXT[:start] + V2_TEXT[end:], "dredging-contract.yaml")
    assert [(f[4], f[5]) for f in findings(v2_project)] == [
        ("no-response", "claim 'audit-overbilling' has no response recorded")]


def test_a_publisher_that_says_it_is_unknown_is_not_published_as_a_name(v2_project: Path) -> None:
    old = '    publisher: "The Harbor Gazette"'
    found = with_change(v2_project, old, '    publisher: "Not named in the article"')
    assert found == [(NAME, line_of(V2_TEXT, old), 16, "warning", "publisher-not-a-name",
                      "source 'gazette-report': the publisher 'Not named in the article' says it is not "
                      "known, but it would be published as a name")]
