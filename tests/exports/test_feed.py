"""The Atom feed, read by a real feed parser: one entry per dated update, newest first."""

from __future__ import annotations

import feedparser
from support.exports import html_pages, page

STORY = "Pentagon memo alleges Alibaba ties to the People's Liberation Army; Alibaba denies"
HOSTILE = 'Test story: "quoted" </script><!-- & <b>more</b>'


def parse(site):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_bundled_feed(bundled):
    feed = parse(bundled / "site")
    assert feed.feed.title == "Contested"
    assert feed.feed.id == "https://contested.example/feed.xml"
    assert feed.feed.updated == "2026-11-27T00:00:00Z"
    assert feed.feed.author == "Contested"
    assert [(e.title, e.updated, e.link, e.summary) for e in feed.entries] == [
        (f"Update: {STORY}", "2026-11-27T00:00:00Z",
         "https://contested.example/stories/alibaba-pla-memo/#updates", "First published.")]


def test_entries_newest_first_and_corrections_say_so(hostile):
    feed = parse(hostile / "site")
    assert [(e.title, e.updated[:10]) for e in feed.entries] == [
        (f"Update: {STORY}", "2026-11-27"),
        (f"Correction: {HOSTILE}", "2025-01-15"),
        (f"Clarification: {HOSTILE}", "2024-06-01"),
        (f"Update: {HOSTILE}", "2024-03-01"),
    ]
    assert feed.entries[1].summary == "We misnamed the memo's author."
    assert feed.feed.updated == feed.entries[0].updated


def test_entry_ids_are_unique_and_stable(bundled, hostile):
    ids = [e.id for e in parse(hostile / "site").entries]
    assert len(set(ids)) == len(ids)
    assert ids[1] == "https://contested.example/stories/test-hostile/#update-2025-01-15-correction"
    # The bundled story's entry keeps its id when another story is added.
    assert parse(bundled / "site").entries[0].id == ids[0]


def test_every_page_announces_the_feed(bundled):
    site = bundled / "site"
    pages = html_pages(site)
    assert len(pages) > 20
    for path in pages:
        soup = page(site, path.parent.relative_to(site).as_posix())
        (link,) = soup.find_all("link", rel="alternate", type="application/atom+xml")
        assert (path.parent / link["href"]).resolve() == (site / "feed.xml").resolve(), path
