"""The open data: a story's data file (`api/stories/<slug>.json`) and its row in the index
(`api/stories.json`). Texts are plain text, ids are looked up; fixed order, no clock."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from contested.config import SiteConfig
from contested.content.dates import PartialDate, date_text
from contested.content.labels import VERIFICATION_LABELS
from contested.content.model import Actor, Claim, Response, Source, Story
from contested.pages.markup import markdown_to_text, one_line

SCHEMA_VERSION = "1.0"


def page_url(config: SiteConfig, story: Story) -> str:
    """The story page's absolute URL; the JSON-LD and the feed link to it too."""
    return f"{config.site_url}stories/{story.slug}/"


def _date(date: PartialDate, as_given: str | None = None) -> dict[str, Any]:
    return _date_fields(date, as_given).copy()  # a copy: callers may change their dict


@lru_cache(maxsize=65536)  # an archive repeats the same dates many times
def _date_fields(date: PartialDate, as_given: str | None) -> dict[str, Any]:
    return {"iso": date.iso() or None, "precision": date.precision, "approximate": date.approximate,
            "text": date_text(date, as_given)}


def index_entry(story: Story, config: SiteConfig) -> dict[str, Any]:
    """A story's row in `api/stories.json`: its dates and the addresses of its page and data."""
    return {"slug": story.slug, "title": one_line(story.title), "status": story.status,
            "published": story.published.iso() or None, "updated": story.updated.iso() or None,
            "url": page_url(config, story), "data_url": f"{config.site_url}api/stories/{story.slug}.json",
            "timeline_url": f"{config.site_url}api/stories/{story.slug}/timeline.json"}


def story_data(story: Story, actors: dict[str, Actor], config: SiteConfig) -> dict[str, Any]:
    """`api/stories/<slug>.json`: the resolved story; texts are plain text, ids are looked up."""
    url = page_url(config, story)
    # The same few parties claim and respond throughout a story: describe each once.
    named = {c.claimant for c in story.claims} | {r.actor for c in story.claims for r in c.responses}
    people: dict[str, dict[str, Any]] = {key: _actor(actors[key], config) for key in named}
    return {
        "schema_version": SCHEMA_VERSION, "slug": story.slug, "url": url,
        "title": one_line(story.title), "summary": markdown_to_text(story.summary), "status": story.status,
        "published": _date(story.published), "updated": _date(story.updated), "tags": list(story.tags),
        "claims": [_claim(c, people, url) for c in story.claims],
        "sources": [_source(s, story) for s in story.sources.values()],
        "open_questions": [{"text": markdown_to_text(q.text), "claims": list(q.claims)}
                           for q in story.open_questions],
        "timeline": [{"date": _date(e.date, e.date_as_given), "text": markdown_to_text(e.text),
                      "sources": list(e.sources), "claims": list(e.claims)} for e in story.timeline],
        "updates": [{"date": _date(u.date), "kind": u.kind, "text": markdown_to_text(u.text)}
                    for u in story.updates],
    }


def _actor(actor: Actor, config: SiteConfig) -> dict[str, Any]:
    return {"id": actor.id, "name": one_line(actor.name), "kind": actor.kind,
            "url": f"{config.site_url}actors/{actor.id}/", "website": actor.url,
            "wikidata": actor.wikidata}


def _claim(claim: Claim, people: dict[str, dict[str, Any]], url: str) -> dict[str, Any]:
    return {
        "id": claim.id, "url": f"{url}#claim-{claim.id}",
        "label": one_line(claim.label) if claim.label else markdown_to_text(claim.text),
        "text": markdown_to_text(claim.text), "claimant": people[claim.claimant],
        "verification": claim.verification, "verification_label": VERIFICATION_LABELS[claim.verification][0],
        "note": markdown_to_text(claim.note) if claim.note else None, "sources": list(claim.sources),
        "responses": [_response(r, people) for r in claim.responses],
    }


def _response(response: Response, people: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"actor": people[response.actor], "stance": response.stance,
            "text": markdown_to_text(response.text) if response.text else None,
            "quote": one_line(response.quote) if response.quote else None,
            "date": _date(response.date), "sources": list(response.sources)}


def _source(source: Source, story: Story) -> dict[str, Any]:
    return {"id": source.id, "title": markdown_to_text(source.title), "publisher": one_line(source.publisher),
            "kind": source.kind, "date": _date(source.date, source.date_as_given), "url": source.url,
            "note": markdown_to_text(source.note) if source.note else None, "via": source.via,
            "via_chain": [s.id for s in story.via_chain(source.id)]}
