"""A story's timeline as Knight Lab TimelineJS3 JSON (`api/stories/<slug>/timeline.json`)."""

from __future__ import annotations

from typing import Any

from markupsafe import escape

from contested.content.model import Story, TimelineEntry
from contested.pages.markup import inline_html, markdown_to_text, one_line


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
