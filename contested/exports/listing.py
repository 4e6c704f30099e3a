"""Machine-readable stories: each story's exports and the site-wide files made from them.

Part of the resolve stage: pure functions that turn each validated story into its files (serialised
here) and a small listing the build cache keeps, then gather the files that list every story. Fixed order,
no clock: two builds of the same data give the same bytes. Nothing here reads or writes files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from contested.config import SiteConfig
from contested.content.dates import PartialDate
from contested.content.model import Actor, Story
from contested.exports.feed import Feed, FeedKey, atom_feed, feed_entries
from contested.exports.jsonld import story_jsonld
from contested.exports.open_data import SCHEMA_VERSION, index_entry, story_data
from contested.exports.schema import STORY_INDEX_SCHEMA, STORY_SCHEMA
from contested.exports.timeline import timelinejs
from contested.files import check_size
from contested.pages.markup import json_for_script


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


def export_story(story: Story, actors: dict[str, Actor], config: SiteConfig,
                 limit: int | None = None) -> StoryExport:
    """A story's data file, TimelineJS file, JSON-LD, index row and feed entries. With `limit`, a
    file that would be larger is refused (`OutputTooLarge`) before it is written out."""
    files = {f"api/stories/{story.slug}.json": story_data(story, actors, config),
             f"api/stories/{story.slug}/timeline.json": timelinejs(story)}
    jsonld = story_jsonld(story, actors, config)
    for path, value in [*files.items(), (f"stories/{story.slug}.md (JSON-LD)", jsonld)]:
        check_size(path, value, limit)
    return StoryExport(
        files={path: _serialise(value) for path, value in files.items()},
        jsonld=str(json_for_script(jsonld)),
        listing=ExportListing(story.slug, index_entry(story, config), feed_entries(story, config),
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
    feed = atom_feed((e for s in ordered for e in s.feed_entries), (s.updated for s in ordered), config)
    return SiteExports({path: _serialise(value) for path, value in files.items()}, feed)


def _serialise(value: Any) -> bytes:
    # Compact: `indent` would switch json to its pure-Python encoder, several times slower on a
    # thousand stories; any JSON viewer re-indents.
    # The values are trees built here, never cyclic: skipping the encoder's cycle check saves its
    # bookkeeping for every list and dict.
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"), check_circular=False)
            + "\n").encode("utf-8")
