"""A story page's schema.org JSON-LD: the NewsArticle and a ClaimReview for each allegation and
assertion (predictions and opinions are not checkable, so they are not reviewed). Nothing unknown is
published as a name: a source whose publisher is `unknown` has none, and a story's own anonymous
parties (critics, unnamed officials) are not named as a claim's author."""

from __future__ import annotations

from typing import Any

from contested.config import SiteConfig
from contested.content.dates import PartialDate
from contested.content.labels import VERIFICATION_LABELS
from contested.content.model import Actor, Claim, Source, Story
from contested.exports.open_data import page_url
from contested.pages.markup import markdown_to_text, one_line

SCHEMA_ORG = "https://schema.org"
WIKIDATA = "https://www.wikidata.org/wiki/"


def _organization(name: str, url: str) -> dict[str, Any]:
    return {"@type": "Organization", "name": name, "url": url}


def story_jsonld(story: Story, actors: dict[str, Actor], config: SiteConfig) -> dict[str, Any]:
    """One schema.org graph: the NewsArticle and a ClaimReview for each verified-kind claim."""
    url = page_url(config, story)
    publisher = _organization(config.publisher_name, config.publisher_url)
    article: dict[str, Any] = {
        "@type": "NewsArticle", "@id": f"{url}#article", "headline": one_line(story.title),
        "description": markdown_to_text(story.summary), "url": url, "mainEntityOfPage": url,
        "author": publisher, "publisher": publisher,
    }
    _put_date(article, "datePublished", story.published)
    _put_date(article, "dateModified", story.updated)
    corrections = [_correction(u.text, u.date) for u in story.updates if u.kind == "correction"]
    if corrections:
        article["correction"] = corrections
    # Each source is cited by several claims: describe it once (json.dumps writes a shared dict
    # wherever it appears).
    works = {key: _appearance(source) for key, source in story.sources.items()}
    everyone = {**actors, **story.actors} if story.actors else actors
    reviews = [_claim_review(c, works, everyone, url, publisher, story.published)
               for c in story.claims if c.verified]
    return {"@context": SCHEMA_ORG, "@graph": [article, *reviews]}


def _put_date(obj: dict[str, Any], key: str, date: PartialDate) -> None:
    if date.known:
        obj[key] = date.iso()


def _correction(text: str, date: PartialDate) -> dict[str, Any]:
    comment = {"@type": "CorrectionComment", "text": markdown_to_text(text)}
    _put_date(comment, "datePublished", date)
    return comment


def _claim_review(claim: Claim, works: dict[str, dict[str, Any]], actors: dict[str, Actor], url: str,
                  publisher: dict[str, Any], published: PartialDate) -> dict[str, Any]:
    label, meaning = VERIFICATION_LABELS[claim.verification or "unconfirmed"]  # set on verified kinds
    explanation = f"{meaning} {markdown_to_text(claim.note)}" if claim.note else meaning
    review: dict[str, Any] = {
        "@type": "ClaimReview", "url": f"{url}#claim-{claim.id}",
        "claimReviewed": markdown_to_text(claim.text),
        "author": publisher,
        "reviewRating": {"@type": "Rating", "alternateName": label, "ratingExplanation": explanation},
        "itemReviewed": {"@type": "Claim", "appearance": [works[i] for i in dict.fromkeys(claim.sources)]},
    }
    claimant = actors[claim.claimant]
    if not claimant.story:  # a story's own parties are unnamed ("Unnamed reports"): no author
        review["itemReviewed"]["author"] = _claimant(claimant)
    _put_date(review, "datePublished", published)
    return review


def _claimant(actor: Actor) -> dict[str, Any]:
    person = {"@type": "Person" if actor.kind == "person" else "Organization", "name": one_line(actor.name)}
    if actor.wikidata:
        person["sameAs"] = WIKIDATA + actor.wikidata
    return person


def _appearance(source: Source) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "name": markdown_to_text(source.title)}
    if source.url:
        work["url"] = source.url
    if publisher := source.known_publisher:
        work["publisher"] = {"@type": "Organization", "name": one_line(publisher)}
    _put_date(work, "datePublished", source.date)
    return work
