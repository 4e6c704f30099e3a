"""Stage 2, validate (and lint): types, required and unknown keys, ids, dates, URLs and every
cross-reference, each reported at the path:line:col of the offending key or value."""

from __future__ import annotations

import pytest
from support import BROKEN, FIXTURES, MINIMAL_STORY_FILE, REPO, STORY, findings, put_story

from contested.build.runner import check_actors, check_site, check_story
from contested.content.dates import PartialDate
from contested.diagnostics import Report

MINIMAL_STORY = MINIMAL_STORY_FILE.read_text()
ACTORS = "site_data/actors.yaml"
DATE_HINT = 'write "2020", "2025-11" or "2025-11-14", with "c. " before it if approximate, or "unknown"'

# fixture file -> every finding: (line, col, severity, code, message)
STORY_CASES = {
    # The typo leaves the story without a title; the one message names both the typo and its fix.
    "unknown-key.yaml": [
        (1, 1, "error", "unknown-key", "unknown key 'titel' in story; did you mean 'title'?"),
    ],
    "missing-key.yaml": [
        (1, 1, "error", "missing-key", "story is missing the required key 'status'"),
    ],
    "list-for-text.yaml": [
        (1, 8, "error", "expected-text", "expected text, found a list"),
    ],
    "text-for-list.yaml": [
        (24, 14, "error", "expected-list", "expected a list, found 'memo'"),
    ],
    # Written as a mapping, the claims are not read at all, so references to them are unknown.
    "mapping-for-list.yaml": [
        (21, 3, "error", "expected-list", "expected a list, found a mapping (key: value lines)"),
        (29, 14, "error", "unknown-claim", "unknown claim 'memo-ties'"),
        (35, 14, "error", "unknown-claim", "unknown claim 'memo-ties'"),
        (40, 14, "error", "unknown-claim", "unknown claim 'memo-ties'"),
    ],
    "null-for-text.yaml": [
        (2, 9, "error", "expected-text", "expected text, found nothing"),
    ],
    "bad-enum.yaml": [
        (3, 9, "error", "bad-value",
         "'devloping' is not one of: developing, settled, draft; did you mean 'developing'?"),
    ],
    "impossible-month.yaml": [
        (4, 12, "error", "bad-date", "'2026-13-01' has month 13; months run from 01 to 12"),
    ],
    "impossible-day.yaml": [
        (4, 12, "error", "bad-date", "'2025-02-30' is not a calendar date: February 2025 has 28 days"),
    ],
    "malformed-date.yaml": [
        (4, 12, "error", "bad-date", "'14/11/2025' is not a date"),
    ],
    "updated-before-published.yaml": [
        (5, 10, "error", "updated-before-published", "updated (2025-11-01) is before published (2025-11-14)"),
    ],
    "url-javascript.yaml": [
        (18, 10, "error", "bad-url", "'javascript:alert(1)' is not an http or https URL"),
    ],
    "url-ftp.yaml": [
        (12, 10, "error", "bad-url", "'ftp://example.org/report.pdf' is not an http or https URL"),
    ],
    "unknown-actor.yaml": [
        (30, 12, "error", "unknown-actor", "unknown actor 'alibaba-grp'; did you mean 'alibaba'?"),
    ],
    "unknown-source.yaml": [
        (24, 21, "error", "unknown-source", "unknown source 'reprot'; did you mean 'report'?"),
    ],
    "unknown-claim-question.yaml": [
        (35, 14, "error", "unknown-claim", "unknown claim 'memo-tie'; did you mean 'memo-ties'?"),
    ],
    "unknown-claim-timeline.yaml": [
        (40, 14, "error", "unknown-claim", "unknown claim 'memo-denial'; did you mean 'memo-ties'?"),
    ],
    "duplicate-claim-id.yaml": [
        (27, 9, "error", "duplicate-id", "claim id 'memo-ties' is already used (line 21)"),
    ],
    # Reported at the `via` that closes the circle.
    "via-cycle.yaml": [
        (20, 10, "error", "via-cycle", "sources cite each other in a circle: report → memo → report"),
    ],
    "via-unknown.yaml": [
        (19, 10, "error", "unknown-source", "unknown source 'reports'; did you mean 'report'?"),
    ],
    "bad-id.yaml": [
        (21, 9, "error", "bad-id", "'Memo_Ties' is not a valid id"),
        (29, 14, "error", "bad-id", "'Memo_Ties' is not a valid id"),
        (35, 14, "error", "bad-id", "'Memo_Ties' is not a valid id"),
        (40, 14, "error", "bad-id", "'Memo_Ties' is not a valid id"),
    ],
    # A source under an invalid id is left out, so the claims citing it cite an unknown source.
    "bad-source-id.yaml": [
        (13, 3, "error", "bad-id", "'The Memo' is not a valid source id"),
        (24, 15, "error", "unknown-source", "unknown source 'memo'"),
        (39, 15, "error", "unknown-source", "unknown source 'memo'"),
    ],
    "three-mistakes.yaml": [
        (3, 9, "error", "bad-value",
         "'devloping' is not one of: developing, settled, draft; did you mean 'developing'?"),
        (11, 11, "error", "bad-date", "'2025-11-31' is not a calendar date: November 2025 has 30 days"),
        (23, 15, "error", "unknown-actor", "unknown actor 'us-dood'; did you mean 'us-dod'?"),
    ],
}

# tests/fixtures/broken/actors/ file -> findings when it replaces site_data/actors.yaml
ACTOR_CASES = {
    "bad-kind.yaml": [
        (ACTORS, 3, 9, "error", "bad-value", "'companny' is not one of: person, company, government, "
         "military, media, organization, group; did you mean 'company'?"),
    ],
    "unknown-key.yaml": [
        (ACTORS, 8, 3, "error", "unknown-key",
         "unknown key 'descripton' in actor; did you mean 'description'?"),
    ],
    "bad-id.yaml": [
        (ACTORS, 5, 1, "error", "bad-id", "'US DoD' is not a valid actor id"),
        (STORY.format("minimal.yaml"), 29, 15, "error", "unknown-actor", "unknown actor 'us-dod'"),
    ],
    "bad-url.yaml": [
        (ACTORS, 10, 8, "error", "bad-url", "'javascript:alert(1)' is not an http or https URL"),
    ],
}


def test_every_broken_fixture_has_expectations():
    written = {p.name for p in BROKEN.glob("*.yaml")}
    from test_load import LOAD_CASES

    assert written == set(STORY_CASES) | set(LOAD_CASES) | {"yaml11-typing.yaml"}
    assert {p.name for p in (BROKEN / "actors").glob("*.yaml")} == set(ACTOR_CASES)


@pytest.mark.parametrize("name", sorted(STORY_CASES))
def test_broken_story_reports_exact_position_and_message(minimal_project, name):
    put_story(minimal_project, BROKEN / name)
    assert findings(minimal_project) == [(STORY.format(name), *case) for case in STORY_CASES[name]]


@pytest.mark.parametrize("name", sorted(ACTOR_CASES))
def test_broken_actors_file(minimal_project, name):
    (minimal_project / "site_data" / "actors.yaml").write_bytes((BROKEN / "actors" / name).read_bytes())
    assert findings(minimal_project) == ACTOR_CASES[name]


def test_minimal_fixture_is_valid_and_typed(minimal_project):
    result = check_site(minimal_project / "site_data", minimal_project)
    assert result.report.items == []
    assert result.files == 2
    # What the runner's check steps make of the files, as the build's later stages receive it.
    report = Report()
    _, actors = check_actors(minimal_project / "site_data", minimal_project, report)
    assert sorted(actors) == ["alibaba", "us-dod"]
    assert actors["us-dod"].aliases == ["Pentagon"]
    story = check_story(minimal_project / "site_data" / "stories" / "minimal.yaml",
                        STORY.format("minimal.yaml"), actors, report)
    assert story is not None and report.items == []
    assert (story.slug, story.file) == ("minimal", "site_data/stories/minimal.yaml")
    assert story.title == "Memo alleges ties; company denies"
    assert story.published == PartialDate(2025, 11, 14, False, "day")
    assert list(story.sources) == ["report", "memo", "wire"]
    memo = story.sources["memo"]
    assert (memo.id, memo.via, memo.date.precision) == ("memo", "report", "month")
    assert story.sources["wire"].via is None  # the claim's second, independent source
    (claim,) = story.claims
    assert (claim.id, claim.claimant, claim.sources) == ("memo-ties", "us-dod", ["memo", "wire"])
    assert claim.at("id") == (27, 9)
    assert claim.kind == "allegation" and claim.verified
    (response,) = story.responses
    assert (response.id, response.actor, response.claims) == ("alibaba-denies", "alibaba", ["memo-ties"])
    assert story.timeline[0].claims == ["memo-ties"]


def test_bundled_data_has_no_errors():
    result = check_site(REPO / "site_data", REPO)
    assert result.report.errors == []
    assert result.files > 1, "the bundled data has at least one story"


def test_all_problems_across_files_are_found_in_one_run(minimal_project):
    data = minimal_project / "site_data"
    (data / "actors.yaml").write_bytes((BROKEN / "actors" / "bad-kind.yaml").read_bytes())
    put_story(minimal_project, BROKEN / "three-mistakes.yaml")
    (data / "stories" / "also-bad.yaml").write_bytes((BROKEN / "url-ftp.yaml").read_bytes())
    found = findings(minimal_project)
    assert [(f[0], f[1], f[2], f[4]) for f in found] == [
        (ACTORS, 3, 9, "bad-value"),
        (STORY.format("also-bad.yaml"), 12, 10, "bad-url"),
        (STORY.format("three-mistakes.yaml"), 3, 9, "bad-value"),
        (STORY.format("three-mistakes.yaml"), 11, 11, "bad-date"),
        (STORY.format("three-mistakes.yaml"), 23, 15, "unknown-actor"),
    ]


def test_bad_slug(minimal_project):
    put_story(minimal_project, MINIMAL_STORY, "Bad_Slug.yaml")
    assert findings(minimal_project) == [
        (STORY.format("Bad_Slug.yaml"), 1, 1, "error", "bad-slug",
         "the file name 'Bad_Slug' is not a valid story slug"),
    ]


def story_with(minimal_project, old: str, new: str, name: str = "story.yaml"):
    assert old in MINIMAL_STORY, old
    put_story(minimal_project, MINIMAL_STORY.replace(old, new, 1), name)
    return findings(minimal_project)


def report_for(minimal_project, old: str, new: str):
    assert old in MINIMAL_STORY, old
    put_story(minimal_project, MINIMAL_STORY.replace(old, new, 1))
    return check_site(minimal_project / "site_data", minimal_project).report.sorted()


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('title: "Memo alleges ties; company denies"', 'title: ""',
     (1, 8, "error", "empty-text", "this text is empty")),
    ('title: "Memo alleges ties; company denies"', "title: {text: x}",
     (1, 8, "error", "expected-text", "expected text, found a mapping (key: value lines)")),
    ('title: "Memo alleges ties; company denies"', "title: ~",
     (1, 8, "error", "expected-text", "expected text, found nothing")),
    ('status: developing', "status:",
     (3, 8, "error", "expected-text", "expected one of: developing, settled, draft, found nothing")),
    ('published: "2025-11-14"', "published: [2025]",
     (4, 12, "error", "expected-text", "expected a date, found a list")),
    ('    url: "https://example.org/report"', '    url: "https://"',
     (12, 10, "error", "bad-url", "'https://' is not an http or https URL")),
    ('    url: "https://example.org/report"', '    url: "https://example.org/a report"',
     (12, 10, "error", "bad-url", "'https://example.org/a report' is not an http or https URL")),
    ('    url: "https://example.org/report"', '    url: "example.org/report"',
     (12, 10, "error", "bad-url", "'example.org/report' is not an http or https URL")),
    ('    url: "https://example.org/report"', '    url: "http://[::1"',
     (12, 10, "error", "bad-url", "'http://[::1' is not an http or https URL")),
    ("    sources: [memo, wire]\n", "    sources: []\n",
     (30, 14, "error", "too-few-items", "expected at least 1 item(s), found none")),
    ("    stance: denies", "    stance: deny",
     (37, 13, "error", "bad-value", "'deny' is not one of: denies, disputes, confirms, supports, "
      "declines-to-comment, did-not-respond, no-response-reported; did you mean 'denies'?")),
    ("    verification: unconfirmed", "    verification: confirmd",
     (31, 19, "error", "bad-value", "'confirmd' is not one of: unconfirmed, corroborated, confirmed, "
      "refuted; did you mean 'confirmed'?")),
    ("    kind: update", "    kind: erratum",
     (49, 11, "error", "bad-value", "'erratum' is not one of: update, clarification, correction")),
    ("updated: \"2025-11-20\"\n", "updated: \"2025-11-20\"\ntags: [National Security]\n",
     (6, 8, "error", "bad-id", "'National Security' is not a valid id")),
    ("    via: report", "    via: memo",
     (19, 10, "error", "via-cycle", "sources cite each other in a circle: memo → memo")),
    ('updated: "2025-11-20"', 'updated: "0000"',  # once crashed the check (datetime has no year 0)
     (5, 10, "error", "bad-date", "'0000' has year 0000: dates run from 1000 to 2100")),
    ("    claimant: us-dod", "    claimant: Us-Dod",
     (29, 15, "error", "bad-id", "'Us-Dod' is not a valid id")),
])
def test_single_mistakes(minimal_project, old, new, expected):
    found = story_with(minimal_project, old, new)
    assert found == [(STORY.format("story.yaml"), *expected)]


def test_mistyped_key_in_a_claim(minimal_project):
    # Reported once, at the key: the suggestion says what is missing, so no second message.
    assert story_with(minimal_project, "    claimant: us-dod", "    claimnt: us-dod") == [
        (STORY.format("story.yaml"), 29, 5, "error", "unknown-key",
         "unknown key 'claimnt' in claim; did you mean 'claimant'?"),
    ]


def test_unknown_actor_with_nothing_close(minimal_project):
    found = story_with(minimal_project, "    claimant: us-dod\n", "    claimant: pentagon\n")
    assert found == [
        (STORY.format("story.yaml"), 29, 15, "error", "unknown-actor", "unknown actor 'pentagon'"),
    ]


def test_story_that_is_not_a_mapping(minimal_project):
    put_story(minimal_project, "- title: x\n")
    assert findings(minimal_project) == [
        (STORY.format("story.yaml"), 1, 1, "error", "expected-mapping",
         "expected a story (key: value lines), found a list"),
    ]


def test_actors_file_that_is_a_list(minimal_project):
    (minimal_project / "site_data" / "actors.yaml").write_text("- alibaba\n")
    found = findings(minimal_project)
    assert found[0] == (ACTORS, 1, 1, "error", "expected-mapping",
                        "expected actors by id (id: fields), found a list")


def test_a_long_via_chain_that_ends_is_fine(minimal_project):
    extra = ('  ft:\n    title: "FT"\n    publisher: "FT"\n    kind: report\n    date: "2025"\n'
             '    url: "https://example.org/ft"\n    via: memo\n')
    assert story_with(minimal_project, "claims:\n", extra + "claims:\n") == []


def test_three_sources_in_a_circle(minimal_project):
    extra = ('  ft:\n    title: "FT"\n    publisher: "FT"\n    kind: report\n    date: "2025"\n'
             '    url: "https://example.org/ft"\n    via: memo\n')
    text = (MINIMAL_STORY.replace('    url: "https://example.org/report"\n',
                                  '    url: "https://example.org/report"\n    via: ft\n', 1)
            .replace("claims:\n", extra + "claims:\n", 1))
    put_story(minimal_project, text)
    # Reported once, at the `via` that closes the circle: memo's, on line 20.
    assert findings(minimal_project) == [
        (STORY.format("story.yaml"), 20, 10, "error", "via-cycle",
         "sources cite each other in a circle: report → ft → memo → report"),
    ]


def test_hints_say_what_was_expected(minimal_project):
    items = report_for(minimal_project, "    sources: [memo, wire]\n", "    sources: memo\n")
    assert [(d.hint, d.path) for d in items] == [("write a list, e.g. [memo]", "claims[0].sources")]
    items = report_for(minimal_project, "status: developing\n", "")
    assert [(d.hint, d.path) for d in items] == [("add `status:` (Is the story still developing?)", "status")]
    items = report_for(minimal_project, "title:", "titel:")
    assert items[0].hint == ("allowed keys: title, summary, status, published, updated, tags, key_points, "
                             "actors, sources, claims, context, responses, open_questions, timeline, "
                             "updates, formerly")
    items = report_for(minimal_project, 'published: "2025-11-14"', 'published: "2025-11-31"')
    assert [(d.hint, d.path) for d in items] == [(DATE_HINT, "published")]
    items = report_for(minimal_project, "    actor: alibaba", "    actor: alibaba-grp")
    assert [d.hint for d in items] == ["use an id defined in site_data/actors.yaml"]


# --- dates in the story --------------------------------------------------------------------------

@pytest.mark.parametrize(("published", "updated"), [
    ('"2025"', '"2025-03"'),              # a month within the year is not before it
    ('"2025-11"', '"2025-11-02"'),
    ('"2025-11-14"', '"2025-11"'),
    ('"c. 2025"', '"2025-01-01"'),
    ("2025-11-14", "2025-11-20"),         # unquoted: YAML 1.1 timestamps, still read as written
])
def test_updated_not_surely_before_published_is_accepted(minimal_project, published, updated):
    found = story_with(minimal_project, 'published: "2025-11-14"\nupdated: "2025-11-20"',
                       f"published: {published}\nupdated: {updated}")
    assert [f for f in found if f[3] == "error"] == []


def test_unknown_dates_are_allowed_everywhere_a_date_is(minimal_project):
    # Valid, so no error; a source with no date at all only gets the editorial warning.
    found = story_with(minimal_project, '    date: "2025-11-14"', '    date: "unknown"')
    assert found == [
        (STORY.format("story.yaml"), 11, 11, "warning", "source-no-date", "source 'report' has no date"),
    ]


# --- lint: warnings -----------------------------------------------------------------------------

def test_each_warning_at_its_place(minimal_project):
    put_story(minimal_project, FIXTURES / "warnings.yaml")
    path = STORY.format("warnings.yaml")
    assert findings(minimal_project) == [
        (path, 6, 10, "warning", "updated-stale",
         "updated (2025-11-20) is older than the newest update (2025-11-21)"),
        (path, 9, 5, "warning", "source-no-url", "source 'report' has no URL"),
        (path, 21, 9, "warning", "no-response", "claim 'memo-ties' has no response recorded"),
        (path, 24, 14, "warning", "single-source", "claim 'memo-ties' rests on a single source ('memo')"),
        (path, 31, 11, "warning", "timeline-order",
         "timeline entry dated October 2025 comes after one dated 14 November 2025"),
    ]


def test_warnings_are_not_reported_while_there_are_errors(minimal_project):
    text = (FIXTURES / "warnings.yaml").read_text().replace("status: developing", "status: devloping")
    put_story(minimal_project, text)
    assert [f[4] for f in findings(minimal_project)] == ["bad-value"]


TIMELINE = '''timeline:
  - date: "2025-11"
    text: "The memo is written."
    sources: [memo]
    claims: [memo-ties]
'''


@pytest.mark.parametrize(("dates", "warned"), [
    (["2025-11-14", "2025-11"], []),              # November 2025 may well follow the 14th
    (["2025-11-14", "2025"], []),
    (["2025-11", "2025-11-14", "2025-11-30"], []),
    (["unknown", "2025", "unknown", "2024"], [(4, "2024", "2025")]),
    (["2025-11-14", "2025-11", "2025-11-13"], [(3, "13 November 2025", "14 November 2025")]),
    (["c. 2020", "2019"], [(2, "2019", "c. 2020")]),
])
def test_timeline_order_at_mixed_precision(minimal_project, dates, warned):
    entries = "".join(f'  - date: "{d}"\n    text: "Event {i}."\n    sources: [memo]\n'
                      for i, d in enumerate(dates, start=1))
    found = story_with(minimal_project, TIMELINE, "timeline:\n" + entries)
    first_line = MINIMAL_STORY.splitlines().index("timeline:") + 2
    assert [f for f in found if f[4] == "timeline-order"] == [
        (STORY.format("story.yaml"), first_line + 3 * (index - 1), 11, "warning", "timeline-order",
         f"timeline entry dated {human} comes after one dated {before}")
        for index, human, before in warned
    ]


@pytest.mark.parametrize(("updated", "stale"), [
    ('"2025-11"', False),       # the newest update (2025-11-20) may be in that month
    ('"2025-11-19"', True),
    ('"2025-11-20"', False),
])
def test_updated_stale_at_mixed_precision(minimal_project, updated, stale):
    found = story_with(minimal_project, 'updated: "2025-11-20"', f"updated: {updated}")
    assert [f[4] for f in found] == (["updated-stale"] if stale else [])


# --- the README documents the model as it is ---------------------------------------------------

def readme_yaml_block(caption: str) -> str:
    """The YAML block the README introduces with the line `caption`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split(f"\n{caption}\n\n```yaml\n", 1)[1].split("```", 1)[0]


def test_readme_example_passes_the_check(minimal_project):
    data = minimal_project / "site_data"
    (data / "actors.yaml").write_text(readme_yaml_block("`site_data/actors.yaml`:"))
    put_story(minimal_project, readme_yaml_block("`site_data/stories/memo-example.yaml`:"),
              "memo-example.yaml")
    found = findings(minimal_project)
    assert found == []  # the memo's note says why it has no URL


def test_readme_tables_list_every_field():
    from contested.content import schema as spec

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for obj in (spec.ACTOR, spec.STORY, spec.SOURCE, spec.CLAIM, spec.RESPONSE, spec.TIMELINE_ENTRY):
        for name, field in obj.fields.items():
            if (obj, name) == (spec.CLAIM, "verification"):  # required for two kinds: the README says so
                assert "| `verification` | allegations and assertions |" in readme
                continue
            row = f"| `{name}` | {'yes' if field.required else 'no'} |"
            assert row in readme, f"README: {obj.name} field {name}"
    for obj in (spec.QUESTION, spec.UPDATE):
        for name in obj.fields:
            assert f"`{name}`" in readme
