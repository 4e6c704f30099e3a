"""The search index (Pagefind, contested/build/search.py) in a real build of the made-up project:
stories indexed with their filters, the theme's own search gone, shards reused after an edit and
byte-identical to indexing everything anew."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from support import copy_project, hash_tree, run_build
from support.site import FIXTURES, BuiltSite

from contested.build import search
from contested.build.errors import PublishError
from contested.build.search import index_site

STORIES = ("ferry-timetable", "harbor-bridge-contract")


def test_the_build_indexes_every_story_and_drops_the_theme_search(made_up_site: BuiltSite) -> None:
    site = made_up_site.site
    manifest = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert sum(shard["pages"] for shard in manifest["shards"]) == len(STORIES)
    first = site / "pagefind" / manifest["shards"][0]["name"]
    assert (first / "pagefind.js").is_file() and list(first.glob("wasm.*.pagefind"))
    assert list((first / "filter").iterdir()), "no filter index: status and tag filters are missing"
    assert manifest["filters"] == {"status": ["Developing story", "Settled"],
                                   "tag": ["harbor-bridge", "procurement"]}
    assert not (site / "search").exists(), "the theme's search_index.json is still published"
    assert "search/search_index.json" not in (site / "index.html").read_text(encoding="utf-8")
    stage = r"^  search +\d+\.\d\ds  2 pages in 1 shard \(1 indexed, 0 kept\), \d+\.\d MB$"
    assert re.search(stage, made_up_site.result.stderr, re.M), made_up_site.result.stderr


def test_stories_are_marked_for_the_index_with_status_and_tags(made_up_site: BuiltSite) -> None:
    soup = made_up_site.soup("stories/harbor-bridge-contract/")
    body = soup.select("[data-pagefind-body]")
    assert len(body) == 1 and body[0].find("h1", id="story-title"), "the story is not the indexed body"
    filters = {(m["data-pagefind-filter"], m["content"]) for m in soup.select("meta[data-pagefind-filter]")}
    assert filters == {("status[content]", "Developing story"), ("tag[content]", "harbor-bridge"),
                       ("tag[content]", "procurement")}
    for page in ("", "actors/", "stories/", "how-we-label-claims/"):
        assert not made_up_site.soup(page).select("[data-pagefind-body]"), f"/{page} is indexed"


def _indexed_text(site: Path) -> dict[str, str]:
    """{page URL: the text Pagefind indexed for it}, read back from the index's fragment files."""
    found = {}
    for fragment in (site / "pagefind").glob("*/fragment/*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd"), fragment
        record = json.loads(data[len(b"pagefind_dcd"):])
        found[record["url"]] = record["content"]
    return found


def test_the_index_holds_each_claim_and_reply_once_and_no_boilerplate(made_up_site: BuiltSite) -> None:
    text = _indexed_text(made_up_site.site)
    assert set(text) == {f"/stories/{slug}/" for slug in STORIES}
    indexed = text["/stories/harbor-bridge-contract/"]
    article = made_up_site.content("stories/harbor-bridge-contract/")

    def said(selector: str) -> list[str]:
        return [" ".join(tag.get_text(" ").split()) for tag in article.select(selector)]

    # Pointers and boilerplate are on the page but not in the index.
    unconfirmed = said(".ct-unconfirmed li")  # "<claim> (<claimant>)"
    urls = said("a.ct-source-url")
    assert unconfirmed and urls and said(".ct-replies") and said(".ct-legend") and said(".ct-cite")
    for cite in article.select(".ct-cite"):
        cite.decompose()
    # What the reader searches for is there: every claim, every reply, every source's title.
    wanted = said(".ct-claim__text") + said(".ct-quote") + said(".ct-sources cite")
    assert len(wanted) >= 5, wanted
    words = " ".join(indexed.split())
    for passage in wanted:
        assert passage in words, f"not indexed: {passage!r}"
    for phrase in ("Replies to this allegation", "Labels:", "Spotted a mistake", "How we know this",
                   "[source", *urls, *unconfirmed):
        assert phrase not in words, f"indexed: {phrase!r}"


def _story_copies(site: Path, tmp_path: Path, count: int) -> Path:
    """A copy of the built site with `count` story pages (copies of one story under new names)."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    shutil.rmtree(copy / "pagefind")
    page = (copy / "stories" / STORIES[1] / "index.html").read_text(encoding="utf-8")
    for i in range(count):
        target = copy / "stories" / f"copy-{i:02d}" / "index.html"
        target.parent.mkdir(parents=True)
        target.write_text(page.replace("Brightspan", f"Brightspan{i:02d}"), encoding="utf-8")
    return copy


def _filled(site: Path, count: int) -> int:
    """How many of `count` shards get pages: an empty one has no bundle."""
    return len({search.shard_of(page, count) for page in search.searchable_pages(site)})


def test_one_edit_reindexes_its_shard_only_and_matches_a_full_index(
        made_up_site: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 4)  # 18 pages: 8 shards
    site = _story_copies(made_up_site.site, tmp_path, 16)
    first = index_site(site, None)
    assert (first.pages, first.shards, first.indexed) == (18, _filled(site, 8), _filled(site, 8))

    edited = "stories/copy-03/index.html"
    page = site / edited
    page.write_text(page.read_text(encoding="utf-8").replace("Brightspan03", "Lightspan03"), encoding="utf-8")
    again = index_site(site, {edited})
    assert again.indexed == 1, "an edit to one story re-indexed more than its shard"

    full = tmp_path / "full"
    shutil.copytree(site, full)
    shutil.rmtree(full / "pagefind")
    assert index_site(full, None).indexed == _filled(site, 8)
    assert hash_tree(site / "pagefind") == hash_tree(full / "pagefind")

    # A stale digest cannot survive: a page changed but not named is re-indexed all the same.
    page.write_text(page.read_text(encoding="utf-8").replace("Lightspan03", "Nightspan03"), encoding="utf-8")
    assert index_site(site, set()).indexed == 1


def test_added_and_removed_stories_match_a_full_index(
        made_up_site: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 4)
    site = _story_copies(made_up_site.site, tmp_path, 12)  # 14 pages: 4 shards
    index_site(site, None)
    shutil.rmtree(site / "stories" / "copy-05")
    shutil.copytree(site / "stories" / "copy-06", site / "stories" / "copy-99")
    changed = {"stories/copy-05/index.html", "stories/copy-99/index.html"}
    assert 1 <= index_site(site, changed).indexed <= 2
    full = tmp_path / "full"
    shutil.copytree(site, full)
    shutil.rmtree(full / "pagefind")
    index_site(full, None)
    assert hash_tree(site / "pagefind") == hash_tree(full / "pagefind")

    for i in range(12, 20):  # past 16 pages the shards double: everything is made anew
        shutil.copytree(site / "stories" / "copy-06", site / "stories" / f"copy-{i:02d}")
    grown = index_site(site, {f"stories/copy-{i:02d}/index.html" for i in range(12, 20)})
    assert grown.shards == grown.indexed == _filled(site, 8) > 4
    shards = [f"s{i:03d}" for i in sorted({search.shard_of(p, 8) for p in search.searchable_pages(site)})]
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == [*shards, "shards.json"]


def test_two_full_indexes_are_byte_identical(made_up_site: BuiltSite, tmp_path: Path) -> None:
    site = _story_copies(made_up_site.site, tmp_path, 30)
    index_site(site, None)
    first = hash_tree(site / "pagefind")
    index_site(site, None)
    assert hash_tree(site / "pagefind") == first


def test_shards_are_taken_from_the_last_good_site_without_changing_it(
        made_up_site: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 4)
    published = _story_copies(made_up_site.site, tmp_path / "published", 14)
    index_site(published, None)
    before = hash_tree(published)
    new = tmp_path / "new"
    shutil.copytree(published, new, ignore=shutil.ignore_patterns("pagefind"))
    page = new / "stories" / "copy-07" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Brightspan07", "Dimspan07"), encoding="utf-8")
    stats = index_site(new, set(), previous=published / "pagefind")
    assert stats.indexed == 1 < stats.shards
    assert hash_tree(published) == before, "indexing the new site changed the published one"
    full = tmp_path / "full"
    shutil.copytree(new, full, ignore=shutil.ignore_patterns("pagefind"))
    index_site(full, None)
    assert hash_tree(new / "pagefind") == hash_tree(full / "pagefind")


def test_a_rebuild_reindexes_only_what_changed_and_matches_a_clean_build(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", site_data=FIXTURES / "second-story" / "site_data")
    assert run_build(root, "build").returncode == 0
    again = run_build(root, "build")
    assert re.search(r"  search .*\(0 indexed, 1 kept\)", again.stderr), again.stderr
    story = root / "site_data" / "stories" / "ferry-timetable.yaml"
    story.write_text(story.read_text(encoding="utf-8").replace("winter ferry", "winter ferryboat"),
                     encoding="utf-8")
    edited = run_build(root, "build")
    assert re.search(r"  search .*\(1 indexed, 0 kept\)", edited.stderr), edited.stderr
    clean = copy_project(tmp_path / "clean", source=root)
    assert run_build(clean, "build").returncode == 0
    assert hash_tree(root / "site" / "pagefind") == hash_tree(clean / "site" / "pagefind")


def test_a_site_without_stories_gets_an_empty_index(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html lang=en><body><p>No stories.</p></body></html>", encoding="utf-8")
    stats = index_site(site, None)
    assert (stats.pages, stats.shards, stats.indexed) == (0, 0, 0)
    manifest = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert manifest["shards"] == [] and manifest["filters"] == {}


def test_a_pagefind_failure_stops_the_build_with_its_message(
        made_up_site: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _story_copies(made_up_site.site, tmp_path, 0)
    monkeypatch.setattr(search, "pagefind_executable", lambda: Path("/bin/false"))
    with pytest.raises(PublishError, match=r"Pagefind failed \(exit 1\) indexing s000"):
        index_site(site, None)
