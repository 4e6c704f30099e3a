"""Drafts and embargoes as an editor uses them: a `status: draft` story, a story published in the
future and a correction dated in the future. `check` warns about the dates, `build` leaves them all
out of site/, the feed and the open data until their day (the build's clock: SOURCE_DATE_EPOCH),
and the preview shows them, each with a banner."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from pathlib import Path

from support import build_env, run_build
from support.preview import STARTUP_SECONDS, Server, fetch, free_port, minimal_project, wait_for

EMBARGO_DAY = "2030-01-15"
LATER = calendar.timegm(dt.date(2030, 2, 1).timetuple())  # a clock after both embargoes


def _project(tmp_path: Path) -> Path:
    """The minimal story, plus a draft, an embargoed story and an embargoed correction."""
    root = minimal_project(tmp_path / "project")
    stories = root / "site_data" / "stories"
    minimal = (stories / "minimal.yaml").read_text(encoding="utf-8")
    (stories / "in-the-works.yaml").write_text(
        minimal.replace("status: developing", "status: draft")
        .replace("Memo alleges ties; company denies", "Unfinished draft headline"), encoding="utf-8")
    (stories / "embargoed.yaml").write_text(
        minimal.replace('published: "2025-11-14"', f'published: "{EMBARGO_DAY}"')
        .replace('updated: "2025-11-20"', f'updated: "{EMBARGO_DAY}"')
        .replace('  - date: "2025-11-20"', f'  - date: "{EMBARGO_DAY}"')
        .replace("Memo alleges ties; company denies", "Embargoed headline"), encoding="utf-8")
    (stories / "minimal.yaml").write_text(minimal + f"""\
  - date: "{EMBARGO_DAY}"
    kind: correction
    text: "Correction held until its day."
""", encoding="utf-8")
    return root


def _published_text(root: Path) -> str:
    """Every file a reader or a reuser gets: pages, feed, open data, search index."""
    files = [p for p in (root / "site").rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json")]
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


def test_check_warns_about_dates_in_the_future(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = run_build(root, "check", "--format", "json")
    found = json.loads(result.stdout)
    future = [(f["file"], f["line"], f["message"]) for f in found if f["code"] == "future-date"]
    embargoed = (root / "site_data/stories/embargoed.yaml").read_text().splitlines()
    assert ("site_data/stories/embargoed.yaml", embargoed.index(f'published: "{EMBARGO_DAY}"') + 1,
            f"the story's `published` date {EMBARGO_DAY} is after today ({dt.datetime.now(dt.UTC).date()})"
            ) in future, future
    minimal = (root / "site_data/stories/minimal.yaml").read_text().splitlines()
    assert any(file.endswith("minimal.yaml") and line == minimal.index(f'  - date: "{EMBARGO_DAY}"') + 1
               for file, line, _ in future), future
    assert all(f["severity"] == "warning" for f in found if f["code"] == "future-date")
    assert result.returncode == 0, result.stderr  # a warning: the check passes
    # On the embargo's day nothing warns any more.
    later = run_build(root, "check", "--format", "json", env={**build_env(), "SOURCE_DATE_EPOCH": str(LATER)})
    assert not [f for f in json.loads(later.stdout) if f["code"] == "future-date"]


def test_build_publishes_neither_drafts_nor_anything_before_its_day(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = run_build(root, "build")
    assert result.returncode == 0, result.stderr
    assert "(2 stories not published yet: draft or dated later)" in result.stderr, result.stderr
    site = root / "site"
    assert (site / "stories/minimal/index.html").is_file()
    for slug in ("in-the-works", "embargoed"):
        assert not (site / "stories" / slug).exists() and not (site / "api/stories" / f"{slug}.json").exists()
    published = _published_text(root)
    for held in ("Unfinished draft headline", "in-the-works", "Embargoed headline", "embargoed",
                 "Correction held until its day"):
        assert held not in published, held
    assert [s["slug"] for s in json.loads((site / "api/stories.json").read_text())["stories"]] == ["minimal"]

    # The build's clock after the embargo: the embargoed story and the correction are published;
    # the draft never is.
    later = run_build(root, "build", env={**build_env(), "SOURCE_DATE_EPOCH": str(LATER)})
    assert later.returncode == 0, later.stderr
    assert "(1 story not published yet: draft or dated later)" in later.stderr, later.stderr
    assert (site / "stories/embargoed/index.html").is_file()
    assert "Correction held until its day" in (site / "stories/minimal/index.html").read_text()
    assert "Correction held until its day" in (site / "feed.xml").read_text()
    published = _published_text(root)
    assert "Embargoed headline" in published
    assert "Unfinished draft headline" not in published and not (site / "stories/in-the-works").exists()


def test_the_preview_shows_drafts_and_embargoes_with_a_banner(tmp_path: Path) -> None:
    root = _project(tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = Server(root, "--port", str(port))
    try:
        wait_for(lambda: "Unfinished draft headline" in fetch(f"{base}/stories/in-the-works/"),
                 STARTUP_SECONDS, "the draft's page")
        draft = fetch(f"{base}/stories/in-the-works/")
        assert 'id="contested-preview-banner"' in draft and "Draft: this story is not published" in draft
        embargoed = fetch(f"{base}/stories/embargoed/")
        assert "Embargoed headline" in embargoed and f"published on {EMBARGO_DAY}" in embargoed
        minimal = fetch(f"{base}/stories/minimal/")
        assert "Correction held until its day" in minimal
        assert "1 update(s) dated after" in minimal and 'id="contested-preview-banner"' in minimal
        assert "contested-preview-banner" not in fetch(f"{base}/"), "only the held pages get a banner"
    finally:
        server.stop()
    assert not (root / "site").exists(), "the preview publishes nothing"
