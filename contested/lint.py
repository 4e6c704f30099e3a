"""Editorial lint: valid data that an editor should look at again. Warnings unless --strict."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .diagnostics import Diagnostic
from .markup import plain_text
from .model import Dataset, Story

Rule = Callable[[Story], Iterator[Diagnostic]]


def lint_dataset(data: Dataset) -> list[Diagnostic]:
    """Every warning for every story, in rule order."""
    return [d for story in data.stories for rule in RULES for d in rule(story)]


def _warn(story: Story, at: tuple[int, int], code: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(story.file, at[0], at[1], "warning", code, message, hint)


def source_without_url(story: Story) -> Iterator[Diagnostic]:
    for source in story.sources.values():
        if not source.url:
            yield _warn(story, source.at(), "source-no-url", f"source '{source.id}' has no URL",
                        "add `url:` so readers can check it, or say in `note:` why there is none")


def timeline_out_of_order(story: Story) -> Iterator[Diagnostic]:
    latest = None
    for entry in story.timeline:
        if not entry.date.known:
            continue
        if latest is not None and entry.date.sort_key() < latest.sort_key():
            yield _warn(story, entry.at("date"), "timeline-order",
                        f"timeline entry dated {entry.date.human()} comes after one dated {latest.human()}",
                        "the timeline is shown in the order written: move this entry up")
        else:
            latest = entry.date


def claim_without_response(story: Story) -> Iterator[Diagnostic]:
    for claim in story.claims:
        if not claim.responses:
            yield _warn(story, claim.at("id"), "no-response", f"claim '{claim.id}' has no response recorded",
                        "was the subject asked? record a response, even `declines-to-comment`")


def updated_before_last_update(story: Story) -> Iterator[Diagnostic]:
    dated = [u for u in story.updates if u.date.known]
    newest = max(dated, key=lambda u: u.date.sort_key(), default=None)
    if newest and story.updated.known and story.updated.sort_key() < newest.date.sort_key():
        yield _warn(story, story.at("updated"), "updated-stale",
                    f"updated ({story.updated.iso()}) is older than the newest update ({newest.date.iso()})",
                    f"set `updated: \"{newest.date.iso()}\"`")


CLAIM_REVIEWED_MAX = 75  # Google's ClaimReview guidance: keep claimReviewed under 75 characters


def claim_text_too_long_for_claimreview(story: Story) -> Iterator[Diagnostic]:
    for claim in story.claims:
        length = len(plain_text(claim.text))
        if length > CLAIM_REVIEWED_MAX:
            yield _warn(story, claim.at("text"), "claim-review-long",
                        f"claim '{claim.id}' is {length} characters; Google's ClaimReview guidance asks for "
                        f"under {CLAIM_REVIEWED_MAX} so the claim shows unwrapped on phones",
                        "state the claim itself shortly in `text`; context belongs in `note`")


RULES: list[Rule] = [source_without_url, timeline_out_of_order, claim_without_response,
                     updated_before_last_update, claim_text_too_long_for_claimreview]
