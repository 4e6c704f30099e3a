"""The bundled Alibaba story as curated under the version-2 model (issue 13, item 3): what is a claim
and of which kind, what is context, each reply written once, silence recorded, the open questions.

Reads the repository's site_data/ (allowed: the tests are named for the bundled story)."""

from __future__ import annotations

import pytest
from support import REPO, run_build

from contested.build.runner import check_actors, check_story
from contested.content.model import Story
from contested.diagnostics import Report

MEMO_CLAIMS = ["memo-covert-connection", "memo-opportunities", "memo-data-transfer"]


@pytest.fixture(scope="module")
def bundled_story() -> Story:
    report = Report()
    _, actors = check_actors(REPO / "site_data", REPO, report)
    story = check_story(REPO / "site_data" / "stories" / "alibaba-pla-memo.yaml",
                        "site_data/stories/alibaba-pla-memo.yaml", actors, report)
    assert story is not None and report.items == []
    return story


def test_bundled_data_checks_with_no_errors_and_no_warnings() -> None:
    proc = run_build(REPO, "check")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1].endswith(" file(s): 0 error(s), 0 warning(s)")


def test_bundled_claims_by_kind(bundled_story: Story) -> None:
    kinds = {c.id: (c.kind, c.claimant, c.verification) for c in bundled_story.claims}
    assert kinds == {
        **{cid: ("allegation", "us-dod", "unconfirmed") for cid in MEMO_CLAIMS},
        "alibaba-counter-accusation": ("allegation", "alibaba", "unconfirmed"),
        "reports-apple-intelligence-ban": ("assertion", "unnamed-reports", "unconfirmed"),
        "officials-apple-partnership-fears": ("prediction", "us-officials", None),
        "critics-risk-to-partners-and-innovation": ("opinion", "critics", None),
    }


def test_bundled_background_is_context_not_claims(bundled_story: Story) -> None:
    context = {c.id: c.attributed_to for c in bundled_story.context}
    for item in ("trump-tiktok-deal", "apple-alibaba-cloud", "apple-openai-international"):
        assert context[item] == "source-article"
    assert not {c.id for c in bundled_story.claims} & set(context)


def test_bundled_anonymous_parties_are_the_storys_own(bundled_story: Story) -> None:
    local = bundled_story.actors
    assert set(local) == {"source-article", "us-officials", "unnamed-reports", "critics"}
    assert {key for key, a in local.items() if a.plural} == {"us-officials", "unnamed-reports", "critics"}
    report = Report()
    _, site_wide = check_actors(REPO / "site_data", REPO, report)
    assert not set(local) & set(site_wide)


def test_bundled_replies_are_written_once_and_silence_is_recorded(bundled_story: Story) -> None:
    by_actor: dict[str, list[tuple[str, list[str]]]] = {}
    for r in bundled_story.responses:
        by_actor.setdefault(r.actor, []).append((r.stance, list(r.claims)))
    # Each of Alibaba's two statements answers all three memo allegations, once.
    assert by_actor["alibaba"] == [("denies", MEMO_CLAIMS), ("denies", MEMO_CLAIMS)]
    silent = {a: [c for stance, claims in v if stance == "no-response-reported" for c in claims]
              for a, v in by_actor.items()}
    assert silent["pla"] == MEMO_CLAIMS
    assert silent["us-government"] == ["alibaba-counter-accusation", "reports-apple-intelligence-ban"]
    assert silent["apple"] == ["reports-apple-intelligence-ban"]
    # Every allegation and assertion has a reply or a recorded silence.
    answered = {c for r in bundled_story.responses for c in r.claims}
    assert {c.id for c in bundled_story.claims if c.verified} <= answered


def test_bundled_key_points_and_open_questions(bundled_story: Story) -> None:
    assert 2 <= len(bundled_story.key_points) <= 5
    questions = " ".join(q.text for q in bundled_story.open_questions)
    for asked in ("released or leaked", "Which Chinese military entities",
                  "Apple's planned collaboration", "When was the article published"):
        assert asked in questions


def test_bundled_unknowns_are_never_written_as_names(bundled_story: Story) -> None:
    article = bundled_story.sources["article"]
    assert article.known_publisher is None
    # The memo's "earlier this month" is the article's wording, and the article is undated.
    memo = bundled_story.sources["dod-memo"]
    assert (memo.date_as_given, memo.date_as_given_in) == ("earlier this month", "article")
    assert not article.date.known
