"""Permanent ids: `build.py check --against REF` fails when a story slug or claim id that a git
ref has is gone, unless `formerly:` says where it went; the built site then sends the old address
on. Each test is a real git repository in tmp_path, changed and checked as a pull request is."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from support import CHROMIUM, CHROMIUM_ARGS, FIXTURES, copy_project, require_chromium, run_build, serve_folder

STORIES = "site_data/stories"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *args],
                          cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The minimal project, committed as `main`: the ref a pull request is checked against."""
    root = copy_project(tmp_path / "repo", source=FIXTURES / "minimal")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "The minimal story")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def rename_claim(root: Path, formerly: bool) -> None:
    story = root / STORIES / "minimal.yaml"
    edit(story, "claims: [memo-ties]", "claims: [memo-links]")
    edit(story, "  - id: memo-ties\n",
         "  - id: memo-links\n" + ("    formerly: [memo-ties]\n" if formerly else ""))


def check_against(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    proc = run_build(root, "check", "--against", "main", *extra)
    assert "Traceback" not in proc.stderr
    return proc


def test_a_renamed_claim_id_fails_the_check(repo):
    rename_claim(repo, formerly=False)
    assert run_build(repo, "check").returncode == 0  # valid on its own: only the ref knows the old id
    proc = check_against(repo)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == (
        f"{STORIES}/minimal.yaml:26:1: error: claim 'memo-ties' exists at main (in stories/minimal/) and is "
        "gone now: links to #claim-memo-ties would break [claim-removed]")
    assert "hint: keep its id, or add `formerly: [memo-ties]` to the claim that replaces it" in proc.stderr


def test_a_renamed_claim_recorded_in_formerly_passes(repo):
    rename_claim(repo, formerly=True)
    proc = check_against(repo)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "checked 2 file(s): 0 error(s), 0 warning(s)"


def test_a_removed_claim_fails_the_check(repo):
    story = repo / STORIES / "minimal.yaml"
    text = story.read_text(encoding="utf-8")
    # A second claim, committed, then deleted again in the pull request.
    second = ("  - id: second-claim\n    kind: allegation\n    text: \"The memo alleges more.\"\n"
              "    claimant: us-dod\n    sources: [memo, wire]\n    verification: unconfirmed\n")
    story.write_text(text.replace("responses:\n", second + "responses:\n", 1), encoding="utf-8")
    assert run_build(repo, "check").returncode == 0
    git(repo, "commit", "-qam", "A second claim")
    story.write_text(text, encoding="utf-8")
    proc = check_against(repo)
    assert proc.returncode == 1
    assert "claim 'second-claim' exists at main" in proc.stderr and "[claim-removed]" in proc.stderr


def test_a_renamed_story_fails_unless_it_lists_its_old_slug(repo):
    git(repo, "mv", f"{STORIES}/minimal.yaml", f"{STORIES}/memo-ties.yaml")
    proc = check_against(repo)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == (
        f"{STORIES}/minimal.yaml:1:1: error: story 'minimal' exists at main and is gone now: links to "
        "stories/minimal/ would break [story-removed]")
    assert "add `formerly: [minimal]` to the story that replaces it" in proc.stderr
    with (repo / STORIES / "memo-ties.yaml").open("a", encoding="utf-8") as story:
        story.write("formerly: [minimal]\n")
    assert check_against(repo).returncode == 0


def test_an_old_address_stays_kept_after_a_second_rename(repo):
    git(repo, "mv", f"{STORIES}/minimal.yaml", f"{STORIES}/second.yaml")
    with (repo / STORIES / "second.yaml").open("a", encoding="utf-8") as story:
        story.write("formerly: [minimal]\n")
    git(repo, "commit", "-qam", "Renamed once")
    git(repo, "mv", f"{STORIES}/second.yaml", f"{STORIES}/third.yaml")
    edit(repo / STORIES / "third.yaml", "formerly: [minimal]", "formerly: [second]")
    proc = check_against(repo)
    assert proc.returncode == 1
    assert f"{STORIES}/third.yaml:1:1: error: story 'minimal' exists at main and is gone now" in proc.stderr
    edit(repo / STORIES / "third.yaml", "formerly: [second]", "formerly: [second, minimal]")
    assert check_against(repo).returncode == 0


def test_a_claim_moved_with_its_renamed_story_is_kept(repo):
    git(repo, "mv", f"{STORIES}/minimal.yaml", f"{STORIES}/renamed.yaml")
    with (repo / STORIES / "renamed.yaml").open("a", encoding="utf-8") as story:
        story.write("formerly: [minimal]\n")
    rename_claim_in = repo / STORIES / "renamed.yaml"
    edit(rename_claim_in, "  - id: memo-ties\n", "  - id: memo-links\n")
    edit(rename_claim_in, "claims: [memo-ties]", "claims: [memo-links]")
    proc = check_against(repo)
    assert proc.returncode == 1
    assert f"{STORIES}/renamed.yaml:26:1: error: claim 'memo-ties' exists at main" in proc.stderr


def test_formerly_may_not_take_a_published_slug(repo):
    text = (repo / STORIES / "minimal.yaml").read_text(encoding="utf-8")
    (repo / STORIES / "other.yaml").write_text(text + "formerly: [minimal]\n", encoding="utf-8")
    proc = run_build(repo, "check")
    assert proc.returncode == 1
    assert (f"{STORIES}/other.yaml:51:12: error: 'minimal' is the slug of a story published now, so its "
            "address cannot redirect here [formerly-taken]") in proc.stderr


def test_two_stories_may_not_take_one_old_slug(repo, tmp_path):
    git(repo, "mv", f"{STORIES}/minimal.yaml", f"{STORIES}/part-one.yaml")
    text = (repo / STORIES / "part-one.yaml").read_text(encoding="utf-8") + "formerly: [minimal]\n"
    for part in ("part-one", "part-two"):
        (repo / STORIES / f"{part}.yaml").write_text(text, encoding="utf-8")
    message = (f"{STORIES}/part-two.yaml:51:12: error: 'minimal' is in `formerly:` of "
               f"{STORIES}/part-one.yaml too; its address can send readers to one story only "
               "[formerly-taken]")
    check = run_build(repo, "check")
    assert check.returncode == 1
    assert message in check.stderr
    project = copy_project(tmp_path / "project", site_data=repo / "site_data")  # with the engine's files
    build = run_build(project, "build")  # stopped before the site engine runs: nothing is published
    assert build.returncode == 1
    assert message in build.stderr  # the same message, at the same line and column, as `check` gives
    assert not (project / "site").exists()


def test_formerly_may_not_repeat_a_claim_id(repo):
    story = repo / STORIES / "minimal.yaml"
    edit(story, "  - id: memo-ties\n", "  - id: memo-ties\n    formerly: [memo-ties]\n")
    proc = run_build(repo, "check")
    assert proc.returncode == 1
    assert (f"{STORIES}/minimal.yaml:28:16: error: 'memo-ties' is a claim id of this story "
            "[duplicate-id]") in proc.stderr


def test_against_an_unknown_ref_is_a_usage_error(repo):
    assert check_against(repo).returncode == 0  # the ref the fixture committed
    bad = run_build(repo, "check", "--against", "no-such-branch")
    assert bad.returncode == 2
    assert bad.stderr.strip() == ("build.py check: --against no-such-branch: git knows no such commit "
                                  "(for a branch of the remote, run `git fetch` first)")


def test_outside_a_git_repository_is_a_usage_error(tmp_path):
    root = copy_project(tmp_path / "plain", source=FIXTURES / "minimal")
    proc = run_build(root, "check", "--against", "main")
    assert proc.returncode == 2
    assert re.fullmatch(r"build\.py check: --against: git rev-parse failed: .*\n", proc.stderr)


def test_pull_request_form_with_changed_and_github_annotations(repo):
    git(repo, "checkout", "-qb", "rename")
    rename_claim(repo, formerly=False)
    proc = run_build(repo, "check", "--changed", "main", "--against", "main", "--format", "github")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"::error file={STORIES}/minimal.yaml,line=26,col=1,title=claim-removed::claim 'memo-ties' exists at "
        "main (in stories/minimal/) and is gone now: links to #claim-memo-ties would break (hint: keep its "
        "id, or add `formerly: [memo-ties]` to the claim that replaces it)"]


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built with the minimal story renamed (`formerly: [minimal]`) and its claim
    renamed (`formerly: [memo-ties]`)."""
    site = copy_project(tmp_path_factory.mktemp("renamed") / "site")  # the engine's configuration and theme
    for story in (site / STORIES).iterdir():
        story.unlink()
    minimal = FIXTURES / "minimal" / "site_data"
    text = (minimal / "stories" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("claims: [memo-ties]", "claims: [memo-links]").replace(
        "  - id: memo-ties\n", "  - id: memo-links\n    formerly: [memo-ties]\n")
    (site / STORIES / "renamed.yaml").write_text(text + "formerly: [minimal]\n", encoding="utf-8")
    (site / "site_data" / "actors.yaml").write_bytes((minimal / "actors.yaml").read_bytes())
    proc = run_build(site, "build")
    assert proc.returncode == 0, proc.stderr
    return site / "site"


@pytest.mark.engine
def test_the_site_sends_old_addresses_on(renamed_site):
    """The old address is a page without a script that sends readers on, the old anchor is on the
    new claim, and the build's safety check (which refuses other meta refreshes) accepted both."""
    old = (renamed_site / "stories" / "minimal" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../renamed/">' in old
    assert '<a href="../renamed/">Memo alleges ties; company denies</a>' in old
    assert "<script" not in old
    new = (renamed_site / "stories" / "renamed" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<span id="claim-memo-ties" class="ct-former-anchor"></span>\s*'
                     r'<h3 id="claim-memo-links"', new)
    sitemap = (renamed_site / "sitemap-pages.xml").read_text(encoding="utf-8")
    assert "stories/renamed/" in sitemap and "stories/minimal/" not in sitemap


@pytest.mark.engine
@pytest.mark.browser
def test_old_links_reach_the_story_and_the_claim_in_a_browser(renamed_site):
    require_chromium()
    with serve_folder(renamed_site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{url}/stories/minimal/")
            page.wait_for_url(f"{url}/stories/renamed/", timeout=10_000)
            assert page.locator("h1#story-title").inner_text() == "Memo alleges ties; company denies"
            page.goto(f"{url}/stories/renamed/#claim-memo-ties")
            card = page.locator("article.ct-claim", has=page.locator("#claim-memo-ties"))
            assert card.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"  # framed as linked
            title = page.locator("h3#claim-memo-links").bounding_box()
            header = page.locator("header.md-header").bounding_box()
            assert title is not None and header is not None
            assert header["height"] <= title["y"] < 800  # in view, below the sticky header
        finally:
            browser.close()
