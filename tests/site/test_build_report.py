"""`build.py build` prints one short block: each stage with its time and what it did."""

from __future__ import annotations

import re

from site_support import BuiltSite

STAGE_LINE = re.compile(r"^  (?P<name>[a-z]+) +(?P<seconds>\d+\.\d\d)s(?:  (?P<detail>.*))?$")


def stage_block(stderr: str) -> dict[str, tuple[float, str]]:
    stages = {}
    for line in stderr.splitlines():
        match = STAGE_LINE.match(line)
        if match:
            stages[match["name"]] = (float(match["seconds"]), (match["detail"] or "").strip())
    return stages


def test_stage_block_names_every_stage_in_order_with_counts(bundled_site: BuiltSite) -> None:
    stages = stage_block(bundled_site.result.stderr)
    assert list(stages) == ["check", "resolve", "render", "write", "engine", "swap", "total"]
    stories = bundled_site.all_stories_yaml()
    actors = bundled_site.actors_yaml()
    tags = {t for s in stories.values() for t in s.get("tags", [])}
    files = 1 + len(stories)
    assert re.fullmatch(rf"{files} files, 0 errors, \d+ warnings", stages["check"][1])
    assert stages["resolve"][1] == (f"{len(stories)} {'story' if len(stories) == 1 else 'stories'}, "
                                    f"{len(actors)} actors, {len(tags)} tags")
    # home, stories index, actors index, tags index, one page per story, actor and tag, + content/
    content_pages = len(list((bundled_site.root / "content").rglob("*.md")))
    pages = 4 + len(stories) + len(actors) + len(tags) + content_pages
    # open data: the index, two schemas and the feed, + each story's data file and timeline
    data_files = 4 + 2 * len(stories)
    assert stages["render"][1] == f"{pages} pages, {data_files} data files"
    assert stages["write"][1] == f"{pages + data_files} written, 0 unchanged, 0 removed"
    html = len(list(bundled_site.site.rglob("*.html")))
    assert stages["engine"][1] == f"{html} HTML files"
    assert stages["swap"][1] == "-> site/"
    timed = [seconds for name, (seconds, _) in stages.items() if name != "total"]
    assert abs(sum(timed) - stages["total"][0]) <= 0.01 * len(timed)
    assert stages["engine"][0] > 0


def test_stage_block_is_short(bundled_site: BuiltSite) -> None:
    lines = bundled_site.result.stderr.strip().splitlines()
    # the block, the warnings pointer and the "built" line: nothing else on a clean build
    assert len(lines) <= 10, lines
    assert lines[-1].startswith("built ")
