"""Machine-readable stories: JSON-LD, open data files, TimelineJS timelines and feed entries.

Part of the resolve stage: pure functions that turn each validated story into its files (serialised
here) and a small listing the build cache keeps, then gather the files that list every story. Fixed order,
no clock: two builds of the same data give the same bytes. Nothing here reads or writes files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markupsafe import escape

from contested.config import SiteConfig
from contested.content.dates import PartialDate, date_text
from contested.content.labels import VERIFICATION_LABELS
from contested.content.model import Actor, Claim, Response, Source, Story, TimelineEntry
from contested.exports.schema import STORY_INDEX_SCHEMA, STORY_SCHEMA
from contested.pages.markup import inline_html, json_for_script, markdown_to_text, one_line

SCHEMA_VERSION = "1.0"
SCHEMA_ORG = "https://schema.org"
WIKIDATA = "https://www.wikidata.org/wiki/"


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: str  # RFC 3339, from the update's date
    link: str
    summary: str  # plain text


FeedKey = tuple[tuple[int, int, int], str, int, FeedEntry]  # date, story, n-th that day: for sorting


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    link: str  # the site
    self_link: str
    updated: str  # the newest entry's date (the newest story date when there are no entries)
    author: str
    entries: tuple[FeedEntry, ...]  # newest first


@dataclass(frozen=True)
class ExportListing:
    """What the site-wide files need of one story. Kept in the build cache, so an edit to one
    story of a thousand re-exports that story alone."""

    slug: str
    index_entry: dict[str, Any]  # its row in api/stories.json
    feed_entries: tuple[FeedKey, ...]
    updated: PartialDate


@dataclass(frozen=True)
class StoryExport:
    """One story's share of the exports: its own files, its page's JSON-LD, and its listing."""

    files: dict[str, bytes]  # its data file and TimelineJS file, serialised
    jsonld: str  # safe inside <script>
    listing: ExportListing


@dataclass(frozen=True)
class SiteExports:
    """The site-wide files, made from every story's listing: the index, the schemas, the feed."""

    files: dict[str, bytes]
    feed: Feed


def export_story(story: Story, actors: dict[str, Actor], config: SiteConfig) -> StoryExport:
    """A story's data file, TimelineJS file, JSON-LD, index row and feed entries."""
    files = {f"api/stories/{story.slug}.json": story_data(story, actors, config),
             f"api/stories/{story.slug}/timeline.json": timelinejs(story)}
    return StoryExport(
        files={path: _serialise(value) for path, value in files.items()},
        jsonld=str(json_for_script(story_jsonld(story, actors, config))),
        listing=ExportListing(story.slug, _index_entry(story, config), _feed_entries(story, config),
                              story.updated),
    )


def export_site(stories: list[ExportListing], config: SiteConfig) -> SiteExports:
    """The files that list every story, from the stories' listings."""
    ordered = sorted(stories, key=lambda s: s.slug)
    files = {
        "api/stories.json": {"schema_version": SCHEMA_VERSION,
                             "stories": [s.index_entry for s in ordered]},
        "api/schema/story.json": {"$id": f"{config.site_url}api/schema/story.json", **STORY_SCHEMA},
        "api/schema/stories.json": {"$id": f"{config.site_url}api/schema/stories.json",
                                    **STORY_INDEX_SCHEMA},
    }
    return SiteExports({path: _serialise(value) for path, value in files.items()},
                       atom_feed(ordered, config))


def _serialise(value: Any) -> bytes:
    # Compact: `indent` would switch json to its pure-Python encoder, several times slower on a
    # thousand stories; any JSON viewer re-indents.
    # The values are trees built here, never cyclic: skipping the encoder's cycle check saves its
    # bookkeeping for every list and dict.
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"), check_circular=False)
            + "\n").encode("utf-8")


def page_url(config: SiteConfig, story: Story) -> str:
    return f"{config.site_url}stories/{story.slug}/"


def _date(date: PartialDate, as_given: str | None = None) -> dict[str, Any]:
    return _date_fields(date, as_given).copy()  # a copy: callers may change their dict


@lru_cache(maxsize=65536)  # an archive repeats the same dates many times
def _date_fields(date: PartialDate, as_given: str | None) -> dict[str, Any]:
    return {"iso": date.iso() or None, "precision": date.precision, "approximate": date.approximate,
            "text": date_text(date, as_given)}


# --- open data ---------------------------------------------------------------------------------

def _index_entry(story: Story, config: SiteConfig) -> dict[str, Any]:
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
    people = {key: _actor(actors[key], config) for key in named}
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


# --- TimelineJS --------------------------------------------------------------------------------

def timelinejs(story: Story) -> dict[str, Any]:
    """Knight Lab TimelineJS3 JSON. TimelineJS needs a year for every event, so entries whose date
    is unknown are left out, and the title slide says which and how many."""
    dated = [e for e in story.timeline if e.date.known]
    undated = [e for e in story.timeline if not e.date.known]
    intro = f"<p>{inline_html(story.summary)}</p>"
    if undated:
        intro += (f"<p>{len(undated)} of {len(story.timeline)} timeline entries have no known date "
                  "and are not shown here; the story page and its data file list them all.</p>")
    # Each source is cited by several entries: escape its title once.
    titles = {key: str(escape(markdown_to_text(source.title))) for key, source in story.sources.items()}
    return {"title": {"text": {"headline": str(escape(one_line(story.title))), "text": intro}},
            "events": [_event(e, titles) for e in dated]}


def _event(entry: TimelineEntry, titles: dict[str, str]) -> dict[str, Any]:
    date: dict[str, str] = {"year": str(entry.date.year)}
    if entry.date.precision in ("month", "day"):
        date["month"] = str(entry.date.month)
    if entry.date.precision == "day":
        date["day"] = str(entry.date.day)
    if entry.date.approximate:
        date["display_date"] = entry.date.human()
    sources = ", ".join(map(titles.__getitem__, dict.fromkeys(entry.sources)))
    text = f"<p>{inline_html(entry.text)}</p>" + (f"<p>Sources: {sources}.</p>" if sources else "")
    return {"start_date": date, "text": {"text": text}}


# --- JSON-LD -----------------------------------------------------------------------------------

def _organization(name: str, url: str) -> dict[str, Any]:
    return {"@type": "Organization", "name": name, "url": url}


def story_jsonld(story: Story, actors: dict[str, Actor], config: SiteConfig) -> dict[str, Any]:
    """One schema.org graph: the NewsArticle and a ClaimReview for each claim."""
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
    reviews = [_claim_review(c, works, actors, url, publisher, story.published) for c in story.claims]
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
    label, meaning = VERIFICATION_LABELS[claim.verification]
    explanation = f"{meaning} {markdown_to_text(claim.note)}" if claim.note else meaning
    review: dict[str, Any] = {
        "@type": "ClaimReview", "url": f"{url}#claim-{claim.id}",
        "claimReviewed": markdown_to_text(claim.text),
        "author": publisher,
        "reviewRating": {"@type": "Rating", "alternateName": label, "ratingExplanation": explanation},
        "itemReviewed": {"@type": "Claim", "author": _claimant(actors[claim.claimant]),
                         "appearance": [works[i] for i in dict.fromkeys(claim.sources)]},
    }
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
    work["publisher"] = {"@type": "Organization", "name": one_line(source.publisher)}
    _put_date(work, "datePublished", source.date)
    return work


# --- Atom feed ---------------------------------------------------------------------------------

def _feed_entries(story: Story, config: SiteConfig) -> tuple[FeedKey, ...]:
    """One entry per dated update. Updates without a known date are left out: Atom requires a
    date for every entry and we do not invent one."""
    entries = []
    seen: dict[tuple[str, str], int] = {}
    for update in story.updates:
        if not update.date.known:
            continue
        key = (update.date.iso(), update.kind)
        seen[key] = seen.get(key, 0) + 1
        anchor = f"update-{key[0]}-{update.kind}" + (f"-{seen[key]}" if seen[key] > 1 else "")
        entries.append((update.date.sort_key(), story.slug, seen[key], FeedEntry(
            id=f"{page_url(config, story)}#{anchor}",
            title=f"{update.kind.capitalize()}: {one_line(story.title)}",
            updated=_rfc3339(update.date), link=f"{page_url(config, story)}#updates",
            summary=markdown_to_text(update.text))))
    return tuple(entries)


def atom_feed(stories: list[ExportListing], config: SiteConfig) -> Feed:
    """Every story's feed entries, newest first."""
    entries = sorted((e for s in stories for e in s.feed_entries),
                     key=lambda e: (tuple(-n for n in e[0]), e[1], e[2]))
    ordered = tuple(e[3] for e in entries)
    return Feed(id=f"{config.site_url}feed.xml", title=config.site_name, link=config.site_url,
                self_link=f"{config.site_url}feed.xml", updated=_feed_updated(ordered, stories),
                author=config.publisher_name, entries=ordered)


def _feed_updated(entries: tuple[FeedEntry, ...], stories: list[ExportListing]) -> str:
    """The newest entry's date; with no entries, the newest story date (Atom requires one)."""
    if entries:
        return entries[0].updated
    known = [s.updated for s in stories if s.updated.known]
    return _rfc3339(max(known, key=PartialDate.sort_key)) if known else "1970-01-01T00:00:00Z"


def _rfc3339(date: PartialDate) -> str:
    year, month, day = date.sort_key()
    return f"{year:04d}-{month:02d}-{day:02d}T00:00:00Z"
