"""`build.py build` prints one short block: each stage with its time and what it did."""

from __future__ import annotations

import re

from support.site import BuiltSite

STAGE_LINE = re.compile(r"^  (?P<name>[a-z]+) +(?P<seconds>\d+\.\d\d)s(?:  (?P<detail>.*))?$")


def stage_block(stderr: str) -> dict[str, tuple[float, str]]:
    stages = {}
    for line in stderr.splitlines():
        match = STAGE_LINE.match(line)
        if match:
            stages[match["name"]] = (float(match["seconds"]), (match["detail"] or "").strip())
    return stages


def _n(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


STAGES = ["scan", "stories", "site", "write", "engine", "search", "verify", "swap", "cache"]


def test_stage_block_names_every_stage_in_order_with_counts(bundled_site: BuiltSite) -> None:
    stages = stage_block(bundled_site.result.stderr)
    assert list(stages) == [*STAGES, "total"]
    stories = bundled_site.all_stories_yaml()
    actors = bundled_site.actors_yaml()
    tags = {t for s in stories.values() for t in s.get("tags", [])}
    # a first build: every story file is new to it
    assert stages["scan"][1] == (f"{len(stories)} of {_n(len(stories), 'story file')} changed, "
                                 f"{_n(len(actors), 'actor')}")
    # a small site is done in this process, each story's page, data file and timeline written as
    # they are made; CPU seconds of each step of the stories' work follow
    assert re.fullmatch(rf"{_n(len(stories), 'story file')} read in 1 process: 0 errors, \d+ warnings?; "
                        rf"{3 * len(stories)} files written; "
                        r"CPU check \d+\.\d\ds, resolve \d+\.\d\ds, render \d+\.\d\ds, write \d+\.\d\ds",
                        stages["stories"][1])
    # shared: home, stories index, actors index, tags index, a page per actor and tag, + content/,
    # + the open data index, two schemas and the feed
    content_pages = len(list((bundled_site.root / "content").rglob("*.md")))
    shared = 4 + len(actors) + len(tags) + content_pages + 4
    assert stages["site"][1] == (f"{_n(len(stories), 'story', 'stories')} in all, "
                                 f"{_n(len(actors), 'actor')}, {_n(len(tags), 'tag')}: "
                                 f"{shared} of {shared} shared files rendered or copied")
    # the whole docs folder, the stories' own files included
    files = shared + 3 * len(stories)
    assert stages["write"][1] == f"{files} written, 0 unchanged, 0 removed"
    html = len(list(bundled_site.site.rglob("*.html")))
    # a small site: one engine process on the whole docs folder; every page checked, on every core
    assert stages["engine"][1] == f"{html} HTML files: whole site in 1 engine process"
    assert re.fullmatch(rf"{_n(len(stories), 'page')} in 1 shard \(1 indexed, 0 kept\), \d+\.\d MB",
                        stages["search"][1])
    assert re.fullmatch(rf"{html} pages in \d+ process(es)?: no unsafe content", stages["verify"][1])
    assert stages["swap"][1] == "-> site/"
    assert stages["cache"][1] == f"{_n(len(stories), 'story', 'stories')} kept for next time"
    timed = [seconds for name, (seconds, _) in stages.items() if name != "total"]
    assert abs(sum(timed) - stages["total"][0]) <= 0.01 * len(timed)
    assert stages["engine"][0] > 0


def test_stage_block_is_short(bundled_site: BuiltSite) -> None:
    lines = bundled_site.result.stderr.strip().splitlines()
    # the block (one line a stage, and the total), the warnings pointer and the "built" line:
    # nothing else on a clean build
    assert len(lines) <= len(STAGES) + 3, lines
    assert lines[-1].startswith("built ")
