"""The update log on a story page: newest first, corrections marked and announced at the top, and
the last-updated date taken from the newest update."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from support import REPO, render_in_memory
from support.editors import CLEAN_STORY, write_project

from contested.build.runner import check_site

UPDATES = """\
  - date: "2025-11-20"
    kind: correction
    text: "An earlier version misnamed the *publisher* of the memo."
  - date: "2025-11-16"
    kind: clarification
    text: "Added the date of Alibaba's statement."
"""


@pytest.fixture
def page(tmp_path) -> BeautifulSoup:
    """The story page as rendered Markdown (its HTML blocks parsed), with a correction logged
    but `updated` left at the first date, as an editor might forget."""
    root = write_project(tmp_path / "p", CLEAN_STORY + UPDATES)
    result = check_site(root / "site_data", root)
    assert not result.report.errors
    assert [d.code for d in result.report.warnings] == ["updated-stale"]
    (tmp_path / "content").mkdir()
    pages = render_in_memory(root, REPO / "templates", tmp_path / "content")
    return BeautifulSoup(pages["stories/story.md"].decode(), "html.parser")


def test_what_changed_lists_updates_newest_first(page):
    items = page.select("ol.ct-updates > li")
    assert [(li["class"][1], li.strong.get_text(), li.time["datetime"]) for li in items] == [
        ("ct-update--correction", "Correction", "2025-11-20"),
        ("ct-update--clarification", "Clarification", "2025-11-16"),
        ("ct-update--update", "Update", "2025-11-14"),
    ]
    assert items[0].em.get_text() == "publisher"  # editor Markdown rendered safely


def test_last_updated_is_the_newest_update(page):
    meta = page.select_one(".ct-story-head .ct-meta")
    assert [(t["datetime"], t.get_text()) for t in meta.find_all("time")] == [
        ("2025-11-14", "14 November 2025"), ("2025-11-20", "20 November 2025")]
    assert meta.get_text() == "Published 14 November 2025 · Last updated 20 November 2025 · What changed"
    assert meta.find("a")["href"] == "#updates"


def test_correction_is_announced_at_the_top(page):
    (notice,) = page.select(".ct-story-head .ct-notice")
    assert notice.get_text(" ", strip=True) == (
        "Correction, 20 November 2025 : An earlier version misnamed the publisher of the memo. "
        "See what changed .")
    assert notice.a["href"] == "#updates"
    # The notice is in the story's head, before the summary, so readers meet it first.
    assert notice.find_parent(class_="ct-story-head") is not None
    assert notice.find_next("p", class_="ct-summary") is not None


def test_no_notice_without_a_correction(tmp_path):
    root = write_project(tmp_path / "p", CLEAN_STORY)
    (tmp_path / "content").mkdir()
    pages = render_in_memory(root, REPO / "templates", tmp_path / "content")
    page = BeautifulSoup(pages["stories/story.md"].decode(), "html.parser")
    assert page.select(".ct-notice") == []
    assert [li.strong.get_text() for li in page.select("ol.ct-updates > li")] == ["Update"]
