"""The open data: a story's data file (`api/stories/<slug>.json`) and its row in the index
(`api/stories.json`). Texts are plain text, ids are looked up; fixed order, no clock."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from contested.config import SiteConfig
from contested.content.dates import PartialDate, date_text
from contested.content.labels import STANCE_LABELS, VERIFICATION_LABELS, claim_verb
from contested.content.model import Acknowledgement, Actor, Claim, ContextItem, Response, Source, Story
from contested.content.schema import FORMAT_VERSION
from contested.pages.markup import markdown_to_text, one_line

SCHEMA_VERSION = FORMAT_VERSION  # the open data's version follows the story format's


def page_url(config: SiteConfig, story: Story) -> str:
    """The story page's absolute URL; the JSON-LD and the feed link to it too."""
    return f"{config.site_url}stories/{story.slug}/"


def _date(date: PartialDate, as_given: str | None = None, given_in: Source | None = None) -> dict[str, Any]:
    key = (given_in.id, given_in.title, given_in.date) if given_in is not None else None
    return _date_fields(date, as_given, key).copy()  # a copy: callers may change their dict


@lru_cache(maxsize=65536)  # an archive repeats the same dates many times
def _date_fields(date: PartialDate, as_given: str | None,
                 given_in: tuple[str, str, PartialDate] | None) -> dict[str, Any]:
    relative = (markdown_to_text(given_in[1]), given_in[2]) if given_in and as_given else None
    return {"iso": date.iso() or None, "precision": date.precision, "approximate": date.approximate,
            "text": date_text(date, as_given, relative),
            "as_given": one_line(as_given) if as_given else None,
            "as_given_in": given_in[0] if given_in and as_given else None}


def index_entry(story: Story, config: SiteConfig) -> dict[str, Any]:
    """A story's row in `api/stories.json`: its dates and the addresses of its page and data."""
    return {"slug": story.slug, "title": one_line(story.title), "status": story.status,
            "published": story.published.iso() or None, "updated": story.updated.iso() or None,
            "url": page_url(config, story), "data_url": f"{config.site_url}api/stories/{story.slug}.json",
            "timeline_url": f"{config.site_url}api/stories/{story.slug}/timeline.json"}


def story_data(story: Story, actors: dict[str, Actor], config: SiteConfig) -> dict[str, Any]:
    """`api/stories/<slug>.json`: the resolved story; texts are plain text, ids are looked up."""
    url = page_url(config, story)
    everyone = {**actors, **story.actors} if story.actors else actors
    # The same few parties claim and respond throughout a story: describe each once.
    named = ({c.claimant for c in story.claims} | {r.actor for r in story.responses}
             | {i.attributed_to for i in story.context})
    people: dict[str, dict[str, Any]] = {key: _actor(everyone[key], config) for key in named}
    return {
        "schema_version": SCHEMA_VERSION, "slug": story.slug, "url": url,
        "title": one_line(story.title), "summary": markdown_to_text(story.summary), "status": story.status,
        "published": _date(story.published), "updated": _date(story.updated), "tags": list(story.tags),
        "key_points": [{"text": markdown_to_text(p.text), "refs": list(p.refs)} for p in story.key_points],
        "actors": [_actor(a, config) for a in story.actors.values()],
        "claims": [_claim(c, people, url, story) for c in story.claims],
        "context": [_context(i, people, url) for i in story.context],
        "responses": [_response(r, people, url) for r in story.responses],
        "sources": [_source(s, story) for s in story.sources.values()],
        "open_questions": [{"text": markdown_to_text(q.text), "claims": list(q.claims)}
                           for q in story.open_questions],
        "timeline": [{"date": _date(e.date, e.date_as_given, story.as_given_in(e.date_as_given_in)),
                      "text": markdown_to_text(e.text), "sources": list(e.sources), "claims": list(e.claims)}
                     for e in story.timeline],
        "updates": [{"date": _date(u.date), "kind": u.kind, "text": markdown_to_text(u.text)}
                    for u in story.updates],
    }


def _actor(actor: Actor, config: SiteConfig) -> dict[str, Any]:
    """A party; a story's own (story-local) actor has no page on the site, so `url` is null."""
    return {"id": actor.id, "name": one_line(actor.name), "kind": actor.kind,
            "url": None if actor.story else f"{config.site_url}actors/{actor.id}/", "website": actor.url,
            "wikidata": actor.wikidata, "number": actor.number, "article": actor.article or None,
            "story_local": bool(actor.story),
            "description": markdown_to_text(actor.description) if actor.story else None}


def _claim(claim: Claim, people: dict[str, dict[str, Any]], url: str, story: Story) -> dict[str, Any]:
    label = VERIFICATION_LABELS[claim.verification][0] if claim.verification else None
    return {
        "id": claim.id, "url": f"{url}#claim-{claim.id}", "kind": claim.kind,
        "verb": claim_verb(claim.kind, people[claim.claimant]["number"] == "plural"),
        "label": one_line(claim.label) if claim.label else markdown_to_text(claim.text),
        "text": markdown_to_text(claim.text), "claimant": people[claim.claimant],
        "verification": claim.verification, "verification_label": label,
        "verification_history": [
            {"date": _date(h.date), "label": h.label, "label_text": VERIFICATION_LABELS[h.label][0],
             "note": markdown_to_text(h.note) if h.note else None} for h in claim.verification_history],
        "note": markdown_to_text(claim.note) if claim.note else None, "sources": list(claim.sources),
        "responses": [r.id for r in story.responses_to(claim.id)],
        "acknowledged": [_acknowledgement(a) for a in claim.acknowledged],
    }


def _context(item: ContextItem, people: dict[str, dict[str, Any]], url: str) -> dict[str, Any]:
    return {"id": item.id, "url": f"{url}#context-{item.id}", "text": markdown_to_text(item.text),
            "attributed_to": people[item.attributed_to], "sources": list(item.sources),
            "note": markdown_to_text(item.note) if item.note else None}


def _response(response: Response, people: dict[str, dict[str, Any]], url: str) -> dict[str, Any]:
    return {"id": response.id, "url": f"{url}#response-{response.id}",
            "actor": people[response.actor], "stance": response.stance,
            "stance_label": STANCE_LABELS[response.stance], "claims": list(response.claims),
            "text": markdown_to_text(response.text) if response.text else None,
            "quote": one_line(response.quote) if response.quote else None,
            "date": _date(response.date), "sources": list(response.sources)}


def _acknowledgement(ack: Acknowledgement) -> dict[str, Any]:
    return {"code": ack.code, "reason": markdown_to_text(ack.reason)}


def _source(source: Source, story: Story) -> dict[str, Any]:
    publisher = source.known_publisher
    return {"id": source.id, "title": markdown_to_text(source.title),
            "publisher": one_line(publisher) if publisher else None, "kind": source.kind,
            "date": _date(source.date, source.date_as_given, story.as_given_in(source.date_as_given_in)),
            "url": source.url, "note": markdown_to_text(source.note) if source.note else None,
            "via": source.via, "via_chain": [s.id for s in story.via_chain(source.id)],
            "acknowledged": [_acknowledgement(a) for a in source.acknowledged]}
