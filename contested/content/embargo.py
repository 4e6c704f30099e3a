"""Drafts and embargoes: what of a valid story may be published today.

The build's clock is SOURCE_DATE_EPOCH when set (a reproducible build of a given day), else
today in UTC. A date means its earliest day ("2027" is 2027-01-01), so a partial date is never
published early. `check` warns about dates in the future; `build` leaves out drafts, stories
published in the future and updates dated in the future; the preview shows them with a banner.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

from contested.content.dates import PartialDate
from contested.content.model import Story
from contested.diagnostics import Diagnostic, Report

DRAFT = "draft"


def build_clock() -> dt.date:
    """Today for publishing: SOURCE_DATE_EPOCH's day when set, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else dt.datetime.now(dt.UTC)
    return moment.date()


def first_day(date: PartialDate) -> dt.date | None:
    return dt.date(*date.sort_key()) if date.known else None


def _future(date: PartialDate, today: dt.date) -> bool:
    day = first_day(date)
    return day is not None and day > today


def held_back(story: Story, today: dt.date) -> str:
    """Why the whole story is not published today ('' if it is)."""
    if story.status == DRAFT:
        return "Draft: this story is not published (status: draft). Only the preview shows it."
    if _future(story.published, today):
        return (f"Embargoed: this story is published on {first_day(story.published)}. "
                "Until then only the preview shows it.")
    return ""


def future_updates(story: Story, today: dt.date) -> int:
    return sum(1 for update in story.updates if _future(update.date, today))


def preview_banner(story: Story, today: dt.date) -> str:
    """What the preview says above the page when the build would not publish all of it."""
    notes = [held_back(story, today)]
    if count := future_updates(story, today):
        notes.append(f"{count} update(s) dated after {today} are shown here; "
                     "they are not published before their date.")
    return " ".join(note for note in notes if note)


def published_part(story: Story, today: dt.date) -> Story:
    """The story as readers may see it today: updates dated in the future left out."""
    if not future_updates(story, today):
        return story
    return dataclasses.replace(story, updates=[u for u in story.updates if not _future(u.date, today)])


def future_dates(story: Story, today: dt.date) -> list[Diagnostic]:
    """A warning for each publication date in the future: an embargo, or a typo for this year."""
    dated = [("published", "the story's `published`", story.published, story.at("published")),
             ("updated", "the story's `updated`", story.updated, story.at("updated"))]
    dated += [(f"updates[{i}].date", "an update's", u.date, u.at("date"))
              for i, u in enumerate(story.updates)]
    dated += [(f"sources.{sid}.date", f"source {sid!r}'s", s.date, s.at("date"))
              for sid, s in story.sources.items()]
    found = Report()
    for where, whose, date, (line, col) in dated:
        if _future(date, today):
            found.warning(story.file, line, col, "future-date",
                          f"{whose} date {date.iso()} is after today ({today})",
                          "a story or update dated in the future is not published before that day (an "
                          "embargo); if this is a typo, write the real date", where)
    return found.items
