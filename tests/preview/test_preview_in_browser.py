"""The preview in Chromium, as an editor sees it: an open page shows a data error by itself (the
page reloads when the preview regenerates), with file, line and message, and loses it when fixed."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect, sync_playwright
from support import CHROMIUM, CHROMIUM_ARGS, require_chromium
from support.preview import STORY, TITLE, minimal_project, running_preview


def test_an_open_page_shows_the_error_then_the_fix(tmp_path: Path) -> None:
    require_chromium()
    root = minimal_project(tmp_path / "project")
    story = root / STORY
    good = story.read_text(encoding="utf-8")
    with running_preview(root) as (_, _, url), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        expect(page.locator("h1")).to_contain_text(TITLE)
        error = page.locator("#contested-preview-error")
        expect(error).to_have_count(0)

        story.write_text(good.replace("claimant: us-dod", "claimant: us-dodd"), encoding="utf-8")
        line = good.splitlines().index("    claimant: us-dod") + 1
        expect(error).to_be_visible(timeout=20_000)  # no reload by hand: the page reloads itself
        expect(error).to_contain_text(f"site_data/stories/minimal.yaml:{line}:")
        expect(error).to_contain_text("us-dodd")
        box = error.bounding_box()
        assert box and box["y"] <= 1 and box["height"] > 20, box  # at the top of the window, not off it

        story.write_text(good.replace(TITLE, "Edited headline after the fix"), encoding="utf-8")
        expect(page.locator("h1")).to_contain_text("Edited headline after the fix", timeout=20_000)
        expect(error).to_have_count(0)
        browser.close()


def test_a_draft_is_previewed_with_a_visible_banner(tmp_path: Path) -> None:
    require_chromium()
    root = minimal_project(tmp_path / "project")
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("status: developing", "status: draft"),
                     encoding="utf-8")
    with running_preview(root) as (_, _, url), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)
        banner = page.locator("#contested-preview-banner")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("Draft: this story is not published")
        box = banner.bounding_box()
        assert box and box["y"] + box["height"] <= 801 and box["height"] > 20, box  # inside the window
        page.mouse.wheel(0, 3000)  # it stays in view while the editor reads down the page
        expect(banner).to_be_in_viewport()
        browser.close()
