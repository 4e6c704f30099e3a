"""The Atom feed's entries, one per dated update of a story, and the feed that gathers them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from contested.config import SiteConfig
from contested.content.dates import PartialDate
from contested.content.model import Story
from contested.exports.open_data import page_url
from contested.pages.markup import markdown_to_text, one_line


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


def feed_entries(story: Story, config: SiteConfig) -> tuple[FeedKey, ...]:
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


def atom_feed(keyed: Iterable[FeedKey], updated: Iterable[PartialDate], config: SiteConfig) -> Feed:
    """Every story's feed entries (`keyed`, in story order), newest first; `updated` holds each
    story's date, for a feed without entries."""
    entries = sorted(keyed, key=lambda e: (tuple(-n for n in e[0]), e[1], e[2]))
    ordered = tuple(e[3] for e in entries)
    return Feed(id=f"{config.site_url}feed.xml", title=config.site_name, link=config.site_url,
                self_link=f"{config.site_url}feed.xml", updated=_feed_updated(ordered, updated),
                author=config.publisher_name, entries=ordered)


def _feed_updated(entries: tuple[FeedEntry, ...], updated: Iterable[PartialDate]) -> str:
    """The newest entry's date; with no entries, the newest story date (Atom requires one)."""
    if entries:
        return entries[0].updated
    known = [date for date in updated if date.known]
    return _rfc3339(max(known, key=PartialDate.sort_key)) if known else "1970-01-01T00:00:00Z"


def _rfc3339(date: PartialDate) -> str:
    year, month, day = date.sort_key()
    return f"{year:04d}-{month:02d}-{day:02d}T00:00:00Z"
