"""pages/resolve: a story's page and the shared pages' view, complete from real YAML."""

from __future__ import annotations

import html
from pathlib import Path

from support import MINIMAL_STORY_FILE, story_pages, valid_data

from contested.pages.resolve import (
    assemble_site,
    safe_description,
    safe_title,
    story_listing,
    story_order,
)


def _add_story(root: Path, slug: str, **replace: str) -> None:
    text = MINIMAL_STORY_FILE.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    (root / "site_data" / "stories" / f"{slug}.yaml").write_text(text, encoding="utf-8")


def test_a_story_page_links_its_actors_claims_and_denials(minimal_project: Path) -> None:
    _, (page,) = story_pages(minimal_project)
    assert (page.summary.slug, page.summary.title) == ("minimal", "Memo alleges ties; company denies")
    assert page.summary.updated.iso == "2025-11-20"
    (claim,) = page.claims
    assert claim.claimant.id == "us-dod" and claim.verification == "unconfirmed"
    assert claim.attribution == "The U.S. Department of Defense alleges"  # its `article: the`
    assert [(r.actor.id, r.anchor) for r in claim.replies] == [("alibaba", "response-alibaba-denies")]
    assert [d.claims for d in page.denials] == [(claim.link,)]
    # Sources are numbered in the order written; citations carry the number.
    assert [(s.link.id, s.link.number) for s in page.sources] == [("report", 1), ("memo", 2), ("wire", 3)]
    assert [s.number for s in claim.sources] == [2, 3]
    assert [s.id for s in page.how_we_know.read] == ["report", "wire"]
    assert [s.id for s in page.how_we_know.through] == ["memo"]
    assert [item.label for item in page.legend] == ["Unconfirmed"]
    assert "<em>denies</em>" in page.summary.summary_html
    assert '"' not in page.meta_description and "*" not in page.meta_description
    assert '"@type":"ClaimReview"' in page.jsonld  # complete when made: nothing is patched in later


def test_stories_are_ordered_most_recently_updated_first_then_by_slug(minimal_project: Path) -> None:
    _add_story(minimal_project, "later", **{'updated: "2025-11-20"': 'updated: "2025-12-01"',
                                            'date: "2025-11-20"': 'date: "2025-12-01"'})
    _add_story(minimal_project, "also-minimal")
    _, stories = valid_data(minimal_project)
    assert [s.slug for s in sorted(stories, key=story_order)] == ["later", "also-minimal", "minimal"]


def test_the_shared_view_gathers_each_actor_across_stories(minimal_project: Path) -> None:
    _add_story(minimal_project, "second")
    actors, pages = story_pages(minimal_project)
    listings = tuple(story_listing(page) for page in pages)
    site = assemble_site(actors, listings)
    assert [s.slug for s in site.stories] == ["minimal", "second"]
    assert site.recent == site.stories and site.years == () and site.tags == ()
    by_id = {page.link.id: page for page in site.actors}
    assert set(by_id) == {"alibaba", "us-dod"}
    assert [a.story.slug for a in by_id["us-dod"].appearances] == ["minimal", "second"]
    assert all(len(a.claims) == 1 and not a.responses for a in by_id["us-dod"].appearances)
    assert all(len(a.responses) == 1 and not a.claims for a in by_id["alibaba"].appearances)


def test_titles_and_descriptions_carry_no_live_markup() -> None:
    title = safe_title('<script>alert(1)</script> *A* & "B"')
    assert "<" not in title and ">" not in title
    assert html.unescape(title) == '<script>alert(1)</script> *A* & "B"'  # escaped once: shown as written
    description = safe_description('Say "hi" <b>now</b>')
    assert '"' not in description and "<b>" not in description


V2_ADDITIONS = """
actors:
  critics:
    name: "Critics"
    kind: group
    number: plural
    description: "Unnamed critics."
  officials:
    name: "Officials"
    kind: government
    number: plural
    description: "Unnamed officials."
context:
  - id: background
    text: "The company has been named before."
    attributed_to: alibaba
    sources: [report]
"""

MORE_CLAIMS = """
  - id: memo-data
    text: "The memo alleges data transfers."
    claimant: us-dod
    sources: [memo]
    verification: corroborated
    verification_history:
      - date: "2025-11-14"
        label: unconfirmed
      - date: "2025-11-18"
        label: corroborated
    kind: allegation
  - id: critics-view
    text: "Critics argue it is politics."
    claimant: critics
    sources: [report]
    kind: opinion
  - id: officials-fear
    text: "Officials fear more to come."
    claimant: officials
    sources: [report]
    kind: prediction
responses:
  - id: alibaba-denies
    claims: [memo-ties, memo-data]
    actor: alibaba
    stance: denies
    sources: [report]
  - id: dod-silent
    claims: [memo-ties, memo-data]
    actor: us-dod
    stance: no-response-reported
    sources: [report]
"""


def _v2_story(root: Path) -> None:
    text = MINIMAL_STORY_FILE.read_text(encoding="utf-8")
    start, end = text.index("responses:"), text.index("open_questions:")
    text = text[:start] + MORE_CLAIMS.lstrip("\n") + text[end:]
    (root / "site_data" / "stories" / "minimal.yaml").write_text(text + V2_ADDITIONS, encoding="utf-8")


def test_kinds_verbs_groups_and_absent_replies(minimal_project: Path) -> None:
    _v2_story(minimal_project)
    _, (page,) = story_pages(minimal_project)
    assert [c.link.id for c in page.alleged] == ["memo-ties", "memo-data"]
    assert [(c.attribution, c.verification) for c in page.views] == [
        ("Critics argue", ""), ("Officials warn", "")]
    # The two memo claims share claimant and replies: one group, its replies said once.
    (group,) = page.alleged_groups
    assert group.noun == "these 2 allegations" and len(group.claims) == 2
    assert [(r.actor.id, r.count) for r in group.replies] == [("alibaba", 1)]
    assert [s.sentence for s in group.silences] == [
        "No response from the U.S. Department of Defense is reported."]
    # Absent replies are not printed as replies.
    assert [r.id for r in page.denials] == ["alibaba-denies"] and page.other_replies == ()
    # The label history, oldest first; the legend lists every label the page uses, once.
    (memo_data,) = [c for c in page.alleged if c.link.id == "memo-data"]
    assert [(h.label, h.date.iso) for h in memo_data.history] == [
        ("Unconfirmed", "2025-11-14"), ("Corroborated", "2025-11-18")]
    assert [item.label for item in page.legend] == ["Unconfirmed", "Corroborated"]
    assert [c.link.id for c in page.unconfirmed] == ["memo-ties"]


def test_the_stance_table_has_labelled_claims_and_no_empty_column(minimal_project: Path) -> None:
    _v2_story(minimal_project)
    _, (page,) = story_pages(minimal_project)
    # Critics and officials make no labelled claim: no column.
    assert [a.id for a in page.stance_actors] == ["us-dod", "alibaba"]
    assert [[c.text for c in row.cells] for row in page.stance_rows] == [
        ["alleges, no response reported", "denies"], ["alleges, no response reported", "denies"]]


def test_story_actors_get_no_page_and_context_mentions_count(minimal_project: Path) -> None:
    _v2_story(minimal_project)
    actors, (page,) = story_pages(minimal_project)
    critics = next(p for p in page.people if p.actor.id == "critics")
    assert critics.actor.url == "" and critics.roles == "1 opinion"
    listing = story_listing(page)
    assert [actor_id for actor_id, _ in listing.appearances] == ["us-dod", "alibaba"]
    alibaba = dict(listing.appearances)["alibaba"]
    assert alibaba.context == 1 and [r.claims for r in alibaba.responses][0][0].id == "memo-ties"
    site = assemble_site(actors, (listing,))
    assert {p.link.id for p in site.actors} == {"alibaba", "us-dod"}


def test_a_relative_date_names_the_source_it_is_relative_to(minimal_project: Path) -> None:
    entry = '  - date: "2025-11"\n    text: "The memo is written."'
    relative = ('  - date: "unknown"\n    date_as_given: "last week"\n'
                '    date_as_given_in: report\n    text: "The memo is written."')
    _add_story(minimal_project, "relative", **{entry: relative})
    _, pages = story_pages(minimal_project)
    page = next(p for p in pages if p.summary.slug == "relative")
    date = page.timeline[0].date
    assert (date.text, date.iso, date.given_in and date.given_in.id, date.given_in_date) == (
        "last week", "", "report", "14 November 2025")
