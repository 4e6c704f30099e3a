"""A part's config keeps exactly its pages and the nav's, as MkDocs reads its `exclude_docs` (the
gitignore patterns of engine.write_part_config), in a few patterns that do not grow with the archive;
and the cold build's parts cut the pages into runs of about equal cost."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.config.config_options import PathSpec
from mkdocs.structure.files import File, get_files, set_exclusions

from contested.build.engine import Layout, write_part_config
from contested.build.partial import _by_name, _runs_of_equal_cost
from contested.project import Project

NAV = ("index.md", "stories/index.md", "actors/index.md")
# Names that are starts of each other, digits beside letters, "-" (the smallest character) and
# "index" (a nav page's name, sorted among the others).
TRICKY = ("a", "a-b", "a-b-c", "a0", "a9", "aa", "a-0", "b", "index", "indexes", "ind", "0", "9-z", "z")
ODD = ("Capital", "under_score", "dot.ted", "x!y", "[x]")  # outside the alphabet: a pattern a page


def part_config(tmp_path: Path, pages: Sequence[str], docs_files: Sequence[str], keep_static: bool) -> str:
    """The `exclude_docs` text engine.write_part_config writes for these pages."""
    layout = Layout(NAV, "https://example.test/", {"docs_dir": "docs", "nav": []})
    path = write_part_config(Project(tmp_path), layout, pages, tmp_path / "part.yml", keep_static, docs_files)
    text: str = yaml.safe_load(path.read_text(encoding="utf-8"))["exclude_docs"]
    return text


def kept_by_mkdocs(exclude_docs: str, docs_files: Sequence[str]) -> set[str]:
    """The docs files MkDocs builds under this `exclude_docs`: its own option parser and matching."""
    files = [File(rel, "/docs", "/site", True) for rel in docs_files]
    set_exclusions(files, {"exclude_docs": PathSpec().validate(exclude_docs)})  # type: ignore[arg-type]
    return {f.src_uri for f in files if not f.inclusion.is_excluded()}


def random_docs(rng: random.Random, names: Sequence[str]) -> list[str]:
    """A docs folder: pages in the root, two folders and a folder inside one, data files beside."""
    files = [*NAV, "feed.xml", "stories/data.json", "api/stories/a/x.json"]
    for folder in ("", "stories/", "actors/", "stories/deep/"):
        chosen = rng.sample(names, rng.randint(1, len(names)))
        files += [f"{folder}{name}.md" for name in chosen if f"{folder}{name}.md" not in files]
    return files


def alphabet_names(rng: random.Random, count: int) -> list[str]:
    """Names over the pages' alphabet from few characters, so many start alike."""
    made = {"".join(rng.choice("-09abz") for _ in range(rng.randint(1, 5))) for _ in range(count)}
    return sorted(made | set(TRICKY))


def check_split(tmp_path: Path, docs_files: list[str], runs: list[list[str]], keep_static: bool) -> None:
    others = {rel for rel in docs_files if not rel.endswith(".md")}
    for run in runs:
        kept = kept_by_mkdocs(part_config(tmp_path, run, docs_files, keep_static), docs_files)
        assert kept == set(run) | set(NAV) | (others if keep_static else set()), run


@pytest.mark.parametrize("seed", range(40))
def test_runs_of_pages_in_name_order_keep_exactly_their_pages(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    docs_files = random_docs(rng, alphabet_names(rng, 40))
    pages = _by_name([rel for rel in docs_files if rel.endswith(".md") and rel not in NAV])
    for count in (1, 2, 3, 5):
        runs = _runs_of_equal_cost(pages, [rng.randint(1, 100) for _ in pages], rng.randint(0, 500), count)
        assert [p for run in runs for p in run] == pages
        check_split(tmp_path, docs_files, runs, keep_static=rng.random() < 0.5)
    cuts = [0, *sorted(rng.sample(range(1, len(pages)), 4)), len(pages)]  # not only balanced ones
    check_split(tmp_path, docs_files, [pages[a:b] for a, b in itertools.pairwise(cuts)], False)


@pytest.mark.parametrize("seed", range(10))
def test_any_set_of_pages_and_odd_names_keep_exactly_their_pages(tmp_path: Path, seed: int) -> None:
    """Pages that are no run, names of other characters, a folder named like a page: the patterns
    fall back to one a page, so nothing is ever excluded wrongly."""
    rng = random.Random(seed)
    docs_files = random_docs(rng, [*alphabet_names(rng, 20), *ODD]) + ["actors/odd.md/inside.md"]
    pages = [rel for rel in docs_files if rel.endswith(".md") and rel not in NAV]
    for _ in range(5):
        check_split(tmp_path, docs_files, [rng.sample(pages, rng.randint(0, len(pages)))], rng.random() < 0.5)
    by_name = _by_name(pages)
    check_split(tmp_path, docs_files, [by_name[:len(by_name) // 2], by_name[len(by_name) // 2:]], True)


def test_a_folder_with_one_odd_name_falls_back_to_a_pattern_a_page(tmp_path: Path) -> None:
    docs_files = [*NAV, *(f"stories/story-{i:03d}.md" for i in range(100)), "stories/Odd.md"]
    run = [f"stories/story-{i:03d}.md" for i in range(50, 100)]
    text = part_config(tmp_path, run, docs_files, keep_static=True)
    assert kept_by_mkdocs(text, docs_files) == set(run) | set(NAV)
    assert text.count("!/stories/story-") == 50  # one a page, as before


def test_the_patterns_do_not_grow_with_the_archive(tmp_path: Path) -> None:
    counts = []
    for n in (100, 1_000, 10_000):
        slugs = sorted(f"story-{i:05d}-minister-{'abcdefghij'[i % 10]}" for i in range(n))
        docs_files = [*NAV, "about.md", *(f"actors/actor-{i:05d}.md" for i in range(n // 2)),
                      *(f"stories/{slug}.md" for slug in slugs)]
        pages = _by_name([rel for rel in docs_files if rel not in NAV])
        third = len(pages) // 3
        runs = [pages[:third], pages[third:2 * third], pages[2 * third:]]
        for run in runs:
            text = part_config(tmp_path, run, docs_files, keep_static=False)
            if n < 10_000:  # MkDocs' own matching: the slow way, files × patterns
                assert kept_by_mkdocs(text, docs_files) == set(run) | set(NAV)
            counts.append(len(text.splitlines()))
    assert max(counts) <= 25, counts  # 1 + nav's 3 + a few a bound, at 100 pages as at 15,000


def test_mkdocs_builds_the_part_from_the_written_config(tmp_path: Path) -> None:
    """MkDocs itself, from the config file: its INHERIT, its docs folder, its walk of real files."""
    docs_files = [*NAV, "feed.xml", *(f"stories/{name}.md" for name in TRICKY if name != "index"),
                  *(f"actors/actor-{i}.md" for i in range(12))]
    for rel in docs_files:
        (tmp_path / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / rel).write_text("# Page\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\ndocs_dir: docs\n", encoding="utf-8")
    pages = _by_name([rel for rel in docs_files if rel.endswith(".md") and rel not in NAV])
    run = pages[5:17]  # actors from the 6th on, the stories up to one in the middle
    assert run[0].startswith("actors/") and run[-1].startswith("stories/")
    assert pages[17].startswith("stories/")
    layout = Layout(NAV, "", {"docs_dir": "docs", "nav": []})
    (tmp_path / ".build").mkdir()
    config = write_part_config(Project(tmp_path), layout, run, tmp_path / ".build" / "part.yml", True,
                               docs_files)
    files = get_files(load_config(str(config)))
    built = {f.src_uri for f in files if not f.inclusion.is_excluded()}
    assert built == {*run, *NAV, "feed.xml"}


def test_a_folder_named_like_a_page_is_no_page(tmp_path: Path) -> None:
    """`stories/story-033.md/` is a folder: a range pattern for stories/ matches it (and, by
    gitignore's rule, every file inside it), but a file's own pattern outranks a folder's in
    MkDocs' matching, so its pages are kept or not as asked."""
    inside = ["stories/story-033.md/inside.md", "stories/story-077.md/inside.md"]
    docs_files = [*NAV, *(f"stories/story-{i:03d}.md" for i in range(100)), *inside]
    for run in ([f"stories/story-{i:03d}.md" for i in range(50, 100)],
                [f"stories/story-{i:03d}.md" for i in range(20, 50)]):
        for with_inside in ([], inside[:1], inside[1:], inside):
            text = part_config(tmp_path, [*run, *with_inside], docs_files, keep_static=True)
            assert kept_by_mkdocs(text, docs_files) == {*run, *with_inside, *NAV}


@pytest.mark.parametrize("seed", range(20))
def test_the_runs_cost_about_the_same_so_the_parts_end_together(seed: int) -> None:
    """Each run's cost (the first's with the head start of copying the data files) is within one
    page of an equal share, for any number of processes."""
    rng = random.Random(seed)
    pages = [f"stories/s{i:04d}.md" for i in range(rng.randint(50, 400))]
    costs = [rng.choice((6_000, 20_000, 60_000)) + rng.randint(0, 9_000) for _ in pages]
    for count in (2, 3, 4, 7):
        head = rng.randint(0, sum(costs) // count // 2)
        runs = _runs_of_equal_cost(pages, costs, head, count)
        assert len(runs) == count and [p for run in runs for p in run] == pages
        cost_of = dict(zip(pages, costs, strict=True))
        loads = [sum(cost_of[p] for p in run) for run in runs]
        loads[0] += head
        assert max(abs(load - (head + sum(costs)) / count) for load in loads) <= max(costs), loads
