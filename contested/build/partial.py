"""The engine stage's three ways to make the site, each giving the bytes a whole build would give.

- **update**: after an edit, only the pages whose docs files changed (and the nav's pages) go
  through the engine; every other file is hard-linked from the published `site/`, checked
  unchanged since it was published (`cache.SiteState`); the sitemap and search index are merged.
- **parts**: a cold build splits the pages into one run of names per core, of about equal cost,
  runs one engine process per run at once, and merges their folders.
- **whole**: one engine run on the whole docs folder: when the config does not allow parts (see
  `engine.partial_layout`), for small sites, and whenever a merge cannot prove its result (below).

A story page's HTML depends on its own Markdown, the config, the theme and the nav (which lists
only section pages, each with its title): not on other stories. What depends on every page (the
sitemap, its gzip, the search index) is rebuilt here from the engine's own output, in the order
the engine writes it, and checked against it: every page must have exactly one sitemap entry,
the parts must agree on their 404 page, search settings and sitemap date, and the gzip must be
made the way the engine made its own. Any doubt and the whole build is run instead.
`tests/scale/test_partial_builds.py` compares the results with a whole build, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contested.build.cache import SiteState, Stat, load_site_state, site_key, tree_stats
from contested.build.engine import (
    NOT_FOUND,
    SEARCH_INDEX,
    SITEMAP,
    SITEMAP_INDEX,
    Layout,
    SearchIndex,
    Sitemap,
    build_site,
    engine_order,
    finish_engine,
    html_files,
    new_site_dir,
    page_output,
    page_url,
    partial_layout,
    start_engine,
    write_part_config,
)
from contested.build.errors import HostError, PublishError
from contested.build.parallel import WORTH_FORKING, cpus
from contested.project import Project

# Folders copied, not hard-linked, into an updated site: a later stage may rewrite their files in
# place, which through a hard link would change the published site before the swap.
NOT_LINKED = ("pagefind/",)


@dataclass
class MadeSite:
    """What the engine stage made: the new site and what the verify stage must check in it."""

    site: Path
    how: str  # for the stage report
    docs: dict[str, Stat]  # the docs folder the site was made from (for SiteState)
    pages: list[str] | None = None  # HTML files made anew; None: every file is new
    entries: list[dict[str, Any]] = field(default_factory=list)  # search entries made anew
    changed_pages: frozenset[str] | None = None  # docs pages rebuilt (None: all), for later stages


def make_site(project: Project, epoch: int, processes: int | None = None) -> MadeSite:
    """The site for the docs folder as it is now, by the fastest way that can prove its bytes."""
    docs = tree_stats(project.docs_dir)
    layout = partial_layout(project)
    order = engine_order(project.docs_dir) if layout else None
    try:
        if layout is not None and order is not None:
            state = load_site_state(project)
            if state is not None and state.key == site_key(project):
                made = _update(project, layout, order, docs, state, epoch)
                if made is not None:
                    return made
            n = processes or engine_processes(sum(1 for p in order if p.endswith(".md")))
            if n > 1:
                made = _in_parts(project, layout, order, docs, epoch, n)
                if made is not None:
                    return made
    except _PartFailed:
        pass  # straight to the whole build, which reports the failure as it always did
    return MadeSite(build_site(project, epoch), "whole site in 1 engine process", docs)


class _PartFailed(Exception):
    """An engine run on part of the site failed."""


def engine_processes(pages: int) -> int:
    """One engine process per core for a large site; CONTESTED_ENGINE_PROCESSES overrides."""
    wanted = os.environ.get("CONTESTED_ENGINE_PROCESSES", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return cpus() if pages >= WORTH_FORKING else 1


# --- update: one edit --------------------------------------------------------------------------


def _update(project: Project, layout: Layout, order: list[str], docs: dict[str, Stat], state: SiteState,
            epoch: int) -> MadeSite | None:
    old_site = Path(os.path.realpath(project.site_dir))
    changed = [p for p in order if docs[p] != state.docs.get(p)]
    removed = [p for p in state.docs if p not in docs]
    pages = [p for p in changed if p.endswith(".md")]
    nav = set(layout.nav_pages)
    if any(p in nav for p in pages if p not in state.docs) or any(p in nav for p in removed):
        return None  # the nav itself changed: every page changes
    if len(pages) > max(WORTH_FORKING, len(order) // 4) or tree_stats(old_site) != state.site:
        return None  # a cold build is quicker; or site/ is not what was published
    (out, built), = _run_parts(project, layout, order, [[p for p in pages if p not in nav]], epoch,
                               keep_static=False)
    try:
        return _merge_update(project, layout, order, docs, out, built, old_site, changed, removed, epoch)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _merge_update(project: Project, layout: Layout, order: list[str], docs: dict[str, Stat], out: Path,
                  built: list[str], old_site: Path, changed: list[str], removed: list[str],
                  epoch: int) -> MadeSite | None:
    if not _same_bytes(out / NOT_FOUND, old_site / NOT_FOUND) or not _only_pages(out, built):
        return None  # the nav or the theme's chrome changed: every page changes
    urls = [page_url(p) for p in order if p.endswith(".md")]
    url_set = set(urls)
    old_map = Sitemap.read(old_site / SITEMAP, layout.site_url)
    new_map = Sitemap.read(out / SITEMAP, layout.site_url)
    if old_map is None or new_map is None or len(new_map.lastmod()) != 1:
        return None
    sitemap = old_map.with_lastmod(next(iter(new_map.lastmod())))
    sitemap.urls = {u: b for u, b in sitemap.urls.items() if u in url_set} | new_map.urls
    if set(sitemap.urls) != url_set or not all((out / name).is_file() for name in SITEMAP_INDEX):
        return None
    search, entries = None, []
    if (old_site / SEARCH_INDEX).exists() or (out / SEARCH_INDEX).exists():
        old_index, new_index = SearchIndex.read(old_site / SEARCH_INDEX), SearchIndex.read(out / SEARCH_INDEX)
        if old_index is None or new_index is None or old_index.config != new_index.config:
            return None
        rebuilt = {page_url(p) for p in built}
        kept = {u: e for u, e in old_index.pages.items() if u in url_set and u not in rebuilt}
        search = SearchIndex(new_index.config, kept | new_index.pages)
        entries = [e for page in new_index.pages.values() for e in page]
    site = new_site_dir(project)
    _link_tree(old_site, site)
    for rel in removed:
        _remove(site, page_output(rel) if rel.endswith(".md") else rel)
    for rel in changed:
        if not rel.endswith(".md"):
            _put(site / rel, lambda target, rel=rel: shutil.copyfile(project.docs_dir / rel, target))
    made = [page_output(p) for p in built]
    for rel in made:
        _put(site / rel, lambda target, rel=rel: os.replace(out / rel, target))
    _put(site / SITEMAP, lambda target: target.write_text(sitemap.text(urls), encoding="utf-8"))
    for name in SITEMAP_INDEX:  # as this run made it: the gzip's header holds the build's date
        _put(site / name, lambda target, name=name: os.replace(out / name, target))
    if search is not None:
        _put(site / SEARCH_INDEX, lambda target: target.write_bytes(search.dumps(urls)))
    statics = sum(1 for rel in changed if not rel.endswith(".md"))
    return MadeSite(site, f"updated: {len(built)} of {len(urls)} pages through the engine "
                    f"({len(layout.nav_pages)} of them the nav's), {statics} other files copied, "
                    f"{len(removed)} removed; the rest linked from site/", docs, made, entries,
                    frozenset(built))


def _only_pages(out: Path, built: list[str]) -> bool:
    """Whether a part's folder holds the pages it was asked for, its 404 page, and nothing else
    that is HTML: so no page of the whole site comes from anywhere but its own part."""
    html = set(html_files(out))
    return html == {page_output(p) for p in built} | {NOT_FOUND}


def _link_tree(source: Path, dest: Path) -> None:
    """dest gets every file of source as a hard link (a copy where links cannot be made or where a
    later stage may write in place): the published files are never opened for writing."""
    src_root, dest_root = str(source), str(dest)
    for folder, dirs, files in os.walk(src_root):
        rel = os.path.relpath(folder, src_root)
        into = dest_root if rel == "." else os.path.join(dest_root, rel)
        for name in dirs:
            os.mkdir(os.path.join(into, name))  # as the engine makes folders: default mode
        copy = (rel.replace(os.sep, "/") + "/").startswith(NOT_LINKED)
        for name in files:
            src, target = os.path.join(folder, name), os.path.join(into, name)
            if copy:
                shutil.copy2(src, target)
                continue
            try:
                os.link(src, target)
            except OSError:  # another file system, or links not allowed
                shutil.copy2(src, target)


def _put(target: Path, make: Any) -> None:
    """Replace target (perhaps a hard link to a published file) by a new file: unlinked first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    make(target)


def _remove(site: Path, rel: str) -> None:
    path = site / rel
    path.unlink(missing_ok=True)
    for parent in path.parents:  # the engine makes no empty folders
        if parent == site or any(parent.iterdir()):
            break
        parent.rmdir()


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


# --- parts: a cold build on every core ---------------------------------------------------------
# Copying a byte costs the engine about a tenth of rendering a byte of a page (1,000 stories:
# 39 MB of data files copied in about 1.5 s, 70 MB of pages rendered in about 33 s of CPU).
COPY_COST = 10
# A page costs the engine a constant besides its bytes (reading and writing a file, its nav and
# chrome): about 2.5 ms of CPU, the time of 9,500 bytes at 0.26 s a MB. Fitted to `mkdocs build`
# runs at 1,000 stories on sets of 150 to 500 pages (small and large actor pages, stories).
PAGE_COST = 9_500


def _in_parts(project: Project, layout: Layout, order: list[str], docs: dict[str, Stat], epoch: int,
              processes: int) -> MadeSite | None:
    nav = set(layout.nav_pages)
    pages = _by_name([p for p in order if p.endswith(".md") and p not in nav])
    # The first part also copies the other files (the open data): a head start, in page bytes.
    head = sum(stat[1] for rel, stat in docs.items() if not rel.endswith(".md")) // COPY_COST
    groups = _runs_of_equal_cost(pages, [docs[p][1] + PAGE_COST for p in pages], head,
                                 min(processes, max(1, len(pages))))
    parts = _run_parts(project, layout, order, groups, epoch, keep_static=True)
    merged = False
    try:
        merged = _merge_parts(layout, order, parts)
    finally:
        for out, _ in parts[1:] if merged else parts:
            shutil.rmtree(out, ignore_errors=True)
    if not merged:
        return None
    return MadeSite(parts[0][0], f"whole site in {len(parts)} engine processes at once, merged", docs)


def _by_name(pages: list[str]) -> list[str]:
    """Folder by folder, each folder's pages by name: the order whose runs a part config names in a
    few patterns (engine.part_patterns)."""
    return sorted(pages, key=lambda p: (p.rpartition("/")[0], p.rpartition("/")[2][:-3]))


def _runs_of_equal_cost(pages: list[str], costs: list[int], head: int, count: int) -> list[list[str]]:
    """`pages` cut, in their order, into `count` runs whose costs (the first's from `head`) are
    about equal: each cut where the page across it has more than half its cost on the far side."""
    total = head + sum(costs)
    runs: list[list[str]] = [[]]
    done = head
    for page, cost in zip(pages, costs, strict=True):
        if len(runs) < count and runs[-1] and done + cost / 2 > total * len(runs) / count:
            runs.append([])
        runs[-1].append(page)
        done += cost
    return runs


def _merge_parts(layout: Layout, order: list[str], parts: list[tuple[Path, list[str]]]) -> bool:
    site, first_built = parts[0]
    urls = [page_url(p) for p in order if p.endswith(".md")]
    maps = [Sitemap.read(out / SITEMAP, layout.site_url) for out, _ in parts]
    indexes = [SearchIndex.read(out / SEARCH_INDEX) if (out / SEARCH_INDEX).exists() else None
               for out, _ in parts]
    first_map = maps[0]
    if first_map is None or any(m is None or m.lastmod() != first_map.lastmod() for m in maps):
        return False
    for out, built in parts:
        if not _only_pages(out, built) or not all(_same_bytes(out / name, site / name)
                                                  for name in (NOT_FOUND, *SITEMAP_INDEX)):
            return False
    configs = [index.config if index else None for index in indexes]
    with_search = (site / SEARCH_INDEX).exists()
    if any(config != configs[0] for config in configs) or (with_search and configs[0] is None):
        return False
    urls_made: dict[str, str] = {}
    entries: dict[str, list[dict[str, Any]]] = {}
    nav_urls = {page_url(p) for p in layout.nav_pages}
    for i, ((out, built), sitemap, index) in enumerate(zip(parts, maps, indexes, strict=True)):
        own = {page_url(p) for p in built if i == 0 or page_url(p) not in nav_urls}
        assert sitemap is not None
        urls_made |= {u: b for u, b in sitemap.urls.items() if u in own}
        if index is not None:
            entries |= {u: e for u, e in index.pages.items() if u in own}
        if i > 0:
            for page in built:
                if page_url(page) in own:
                    target = site / page_output(page)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(out / page_output(page), target)
    if set(urls_made) != set(urls):
        return False
    merged = Sitemap(first_map.head, first_map.tail, urls_made)
    (site / SITEMAP).write_text(merged.text(urls), encoding="utf-8")
    if with_search:
        (site / SEARCH_INDEX).write_bytes(SearchIndex(configs[0], entries).dumps(urls))
    return True


def _run_parts(project: Project, layout: Layout, order: list[str], groups: Sequence[list[str]], epoch: int,
               keep_static: bool) -> list[tuple[Path, list[str]]]:
    """One engine process per group at once (the nav's pages in each; with keep_static the first
    also copies the other files). Returns each part's folder and the pages it built, in the
    engine's order. Raises _PartFailed if a run failed (the whole build then runs instead)."""
    config_dir = project.work_dir / "engine"
    config_dir.mkdir(parents=True, exist_ok=True)
    runs = []
    try:
        for i, group in enumerate(groups):
            config = write_part_config(project, layout, group, config_dir / f"part-{i}.yml",
                                       keep_static and i == 0, order)
            out = new_site_dir(project)
            runs.append((start_engine(project, epoch, out, config), out, group))
    except BaseException:
        _stop(runs)
        raise
    parts: list[tuple[Path, list[str]]] = []
    error: BaseException | None = None
    for proc, out, group in runs:
        try:
            finish_engine(proc, out)  # waits; removes out if it failed
        except BaseException as exc:  # every run is waited for before anything is raised
            error = error or exc
            continue
        wanted = set(group) | set(layout.nav_pages)
        parts.append((out, [p for p in order if p in wanted]))
    if error is not None:
        for out, _ in parts:
            shutil.rmtree(out, ignore_errors=True)
        if isinstance(error, HostError) or not isinstance(error, PublishError):
            raise error  # the machine's trouble or Ctrl-C: no whole build either
        raise _PartFailed from error
    return parts


def _stop(runs: list[tuple[subprocess.Popen[str], Path, list[str]]]) -> None:
    for proc, out, _ in runs:
        proc.kill()
        proc.wait()
        shutil.rmtree(out, ignore_errors=True)
