"""Stage search: index the built site with Pagefind, in shards, for readers' search.

The index is made from the engine's HTML (pages marked by `overrides/main.html` with
`data-pagefind-body`: the stories), so it works whatever the engine. Pagefind comes from PyPI
(`pagefind[bin]`, pinned) and runs offline.

Shards: the marked pages are spread over a power-of-two number of shards (128 pages each, at most 16)
by a hash of their path, so a story stays in its shard whatever else changes. Each shard is a
Pagefind bundle of its own under `pagefind/<shard>/`; the reader's browser searches the first
and merges the rest (Pagefind's `mergeIndex`), fetching only the few small chunks a word needs
from each. `pagefind/shards.json` lists them with the digest of their pages: given the last good
site's `pagefind/` folder, `index_site` re-indexes only the shards whose pages changed, and the
result is byte-identical to indexing them all (a shard's bytes depend only on its pages).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from contested.build.engine import html_files
from contested.build.errors import HostError, PublishError
from contested.build.pagefind_canon import canonicalise

SEARCH_DIR = "pagefind"
MANIFEST = "shards.json"
# What overrides/main.html writes on a page to index; editor text cannot spell it (`<` is escaped).
MARKER = b"<div data-pagefind-body"
PAGES_PER_SHARD = 128
# Each shard costs a reader one index chunk (about 30 KB) per word searched: past 16 shards they grow.
MAX_SHARDS = 16
# The filters overrides/main.html writes; their values are listed in shards.json for the filter menus.
_FILTER = re.compile(rb'<meta data-pagefind-filter="([a-z]+)\[content\]" content="([^"]*)"')
# Not indexed: repeats of what the page says elsewhere (the stance table, counts, links; the list of
# replies under each claim and of unconfirmed claims, each written in full in its own section) and
# words every story page has (the labels' legend, the corrections line, "how we know": counts of
# sources) or that only point elsewhere (citation numbers, source URLs). A search for them matched
# every page, or showed a passage that is a pointer, not the claim. On 1,000 generated stories they
# were a fifth of the words indexed and of the word index's bytes, and a tenth of Pagefind's CPU time.
EXCLUDED = (".ct-stances, .ct-glance, .ct-data, .ct-permalink, .ct-replies, .ct-unconfirmed, "
            ".ct-legend, .ct-policy, .ct-how-we-know, .ct-cite, .ct-source-url")
# The runtime the browser loads, kept in the first shard only; Pagefind's own UIs and web worker
# are not used (contested-search.js runs it on the page's thread).
_RUNTIME = ("pagefind.js", "wasm.")
_UNUSED = ("pagefind-worker.js", "pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.",
           "pagefind-highlight.")


@dataclass(frozen=True)
class SearchStats:
    pages: int  # pages indexed
    shards: int  # shards with pages (empty ones have no bundle)
    indexed: int  # shards (re-)indexed by this run; the rest were kept
    bytes: int  # size of pagefind/


def pagefind_executable() -> Path:
    """The Pagefind binary from the `pagefind-bin` package."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]

        return Path(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise HostError("Pagefind is not installed: run `make setup` (requirements.lock pins "
                        "pagefind[bin])") from exc


@functools.cache
def pagefind_version() -> str:
    from importlib.metadata import version

    return version("pagefind_bin")


def shard_count(pages: int) -> int:
    """A power of two, so a shard's pages change only when the archive doubles or halves."""
    count = 1
    while count * PAGES_PER_SHARD < pages and count < MAX_SHARDS:
        count *= 2
    return count


def shard_of(page: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(page.encode()).digest()[:4], "big") % count


def searchable_pages(site: Path) -> dict[str, bytes]:
    """{path in the site: bytes} of every page marked for the index."""
    found = {}
    for rel in html_files(site):
        if rel.startswith(SEARCH_DIR + "/"):
            continue
        data = (site / rel).read_bytes()
        if MARKER in data:
            found[rel] = data
    return found


def index_site(site: Path, changed_pages: set[str] | None = None,
               previous: Path | None = None) -> SearchStats:
    """Write the search index of `site` into `site/pagefind/`.

    `changed_pages` None: index every shard anew. A set (paths in the site, e.g.
    "stories/x/index.html"): shards are reused where their pages' digest is unchanged, from
    `site/pagefind/` if the caller put the last good one there, else from `previous` (the last good
    site's `pagefind/` folder, linked in, never changed). The digest is taken from the pages
    themselves (and this code and Pagefind's version), so a page missing from the set cannot leave
    a stale shard; the set only says that reuse is allowed. Raises PublishError if Pagefind fails,
    HostError if it is missing.
    """
    out = site / SEARCH_DIR
    if changed_pages is not None and previous is not None and previous.is_dir() and not out.exists():
        shutil.copytree(previous, out, copy_function=_link_or_copy)
    pages = searchable_pages(site)
    count = shard_count(len(pages))
    members: list[list[str]] = [[] for _ in range(count)]
    for page in pages:
        members[shard_of(page, count)].append(page)
    # An empty shard has no bundle (Pagefind makes none); the first one listed carries the runtime.
    shards = [(f"s{i:03d}", paths) for i, paths in enumerate(members) if paths]
    digests = [_digest(count, first == 0, {p: pages[p] for p in paths})
               for first, (_, paths) in enumerate(shards)]
    known = _read_manifest(out) if changed_pages is not None else {}
    todo = [i for i, (name, _) in enumerate(shards)
            if known.get(name) != digests[i] or not (out / name / "pagefind-entry.json").is_file()]
    if changed_pages is None and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    _remove_stale(out, {name for name, _ in shards})
    with tempfile.TemporaryDirectory(prefix="pagefind-", dir=site.parent) as work:
        jobs = [(Path(work) / name, out / name, [site / p for p in paths], site, i == 0)
                for i in todo for name, paths in [shards[i]]]
        with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), os.cpu_count() or 1))) as pool:
            for _ in pool.map(lambda job: _index_shard(*job), jobs):
                pass
    manifest = {"pagefind": pagefind_version(), "filters": filter_values(pages.values()),
                "shards": [{"name": name, "pages": len(paths), "digest": digest}
                           for (name, paths), digest in zip(shards, digests, strict=True)]}
    (out / MANIFEST).unlink(missing_ok=True)  # may be a link to the last good site's: never write through
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    return SearchStats(len(pages), len(shards), len(todo), size)


def filter_values(pages: Iterable[bytes]) -> dict[str, list[str]]:
    """{filter: its values, sorted} over the pages: what the search's filter menus offer."""
    found: dict[str, set[str]] = {}
    for data in pages:
        for name, value in _FILTER.findall(data):
            found.setdefault(name.decode(), set()).add(html.unescape(value.decode("utf-8", "replace")))
    return {name: sorted(values) for name, values in sorted(found.items())}


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copy2(source, target)


@functools.cache
def _code_digest() -> str:
    """What makes a shard besides its pages: this code, Pagefind's version and its options."""
    h = hashlib.sha256(f"{pagefind_version()} {EXCLUDED}\n".encode())
    for module in (Path(__file__), Path(canonicalise.__code__.co_filename)):
        h.update(module.read_bytes())
    return h.hexdigest()


def _digest(count: int, runtime: bool, pages: dict[str, bytes]) -> str:
    h = hashlib.sha256(f"{_code_digest()} {count} {runtime}\n".encode())
    for page in sorted(pages):
        h.update(page.encode() + b"\0" + hashlib.sha256(pages[page]).digest())
    return h.hexdigest()


def _read_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {s["name"]: s["digest"] for s in data["shards"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # no usable index to reuse: every shard is made anew


def _remove_stale(out: Path, keep: set[str]) -> None:
    for entry in out.iterdir():
        if entry.name not in keep and entry.name != MANIFEST:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()


def _index_shard(work: Path, target: Path, pages: Iterable[Path], site: Path, runtime: bool) -> None:
    """One Pagefind run over a folder holding only this shard's pages (hard links where possible)."""
    for page in pages:
        link = work / page.relative_to(site)
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, link)
        except OSError:
            shutil.copyfile(page, link)
    work.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target)
    command = [str(pagefind_executable()), "--site", str(work), "--output-path", str(target),
               "--exclude-selectors", EXCLUDED, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stderr + result.stdout).strip()
        raise PublishError(f"Pagefind failed (exit {result.returncode}) indexing {target.name}:\n{output}")
    canonicalise(target)
    for file in sorted(target.iterdir()):
        unused = file.name.startswith(_UNUSED) or (not runtime and file.name.startswith(_RUNTIME))
        if unused and file.is_file():
            file.unlink()
