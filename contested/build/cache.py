"""What the last good build knew, kept in .build/cache so the next build redoes only what changed.

A newsroom's archive holds thousands of stories and an edit touches one. The cache keeps, per
story file, the digest of its bytes with what the stages made of it (its diagnostics, what the
shared pages need of it, its place in the site order), and the view the shared pages in the docs
folder were rendered from. A story's own page is never re-rendered while its file is unchanged.

It is never trusted beyond what its key covers. The key is a digest of our code (every
`contested/*.py`), the templates, mkdocs.yml, and the Python and library versions; any change there and the
cache is ignored. A story record is reused only while its file's bytes and the actors file's bytes
are unchanged. Anything unreadable is treated as no cache: it can only cost time, never serve stale
pages.
"""

from __future__ import annotations

import copyreg
import datetime as dt
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from markupsafe import Markup

from contested.diagnostics import Diagnostic
from contested.exports.listing import ExportListing
from contested.pages.markup import trusted_markup
from contested.pages.views import SiteView, StoryListing
from contested.project import Project

CODE_DIR = Path(__file__).resolve().parent.parent  # the whole package
_LIBRARIES = ("pyyaml", "jinja2", "markdown-it-py", "mdurl", "markupsafe")


@dataclass
class StoryRecord:
    """One story file as the last build saw it: what the shared pages and exports need of it."""

    file: str  # its name in messages, e.g. site_data/stories/x.yaml
    digest: str
    diagnostics: list[Diagnostic]  # its warnings (a build with errors is never cached)
    listing: StoryListing  # its summary and what each actor says in it
    order: tuple  # resolve.story_order(story)
    updated: dt.date | None  # first day of its "Last updated" date, for SOURCE_DATE_EPOCH
    export: ExportListing  # its index row and feed entries
    files: tuple[str, ...]  # its page and data files in the docs folder, which holds them


@dataclass
class BuildCache:
    key: str  # environment_key(): code, templates, versions
    actors_digest: str
    records: dict[str, StoryRecord] = field(default_factory=dict)  # by file name as in messages
    site: SiteView | None = None  # what .build/docs was rendered from


def cache_file(project: Project) -> Path:
    return project.cache_dir / "build.pickle"


def file_digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()


def environment_key(project: Project) -> str:
    """Digest of everything besides the data that generated pages depend on."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{sys.version}|{pickle.HIGHEST_PROTOCOL}".encode())
    for name in _LIBRARIES:
        h.update(f"|{name}={_version(name)}".encode())
    # mkdocs.yml too: the site's address and publisher go into the exports and the JSON-LD.
    h.update(b"|config|" + (project.config_file.read_bytes() if project.config_file.is_file() else b""))
    for folder, label in ((CODE_DIR, "code"), (project.templates_dir, "templates")):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(f"|{label}/{path.relative_to(folder).as_posix()}|".encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


def load_cache(project: Project, key: str) -> BuildCache | None:
    """The cache if it was made under `key`; None if absent, made under another key, or unreadable."""
    try:
        with cache_file(project).open("rb") as handle:
            cache = pickle.load(handle)
    except Exception:  # a damaged or foreign cache is no cache
        return None
    return cache if isinstance(cache, BuildCache) and cache.key == key else None


def save_cache(project: Project, cache: BuildCache) -> None:
    """Write atomically: a killed build leaves the old cache or the new one, never half of one."""
    target = cache_file(project)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    with tmp.open("wb") as handle:
        pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = {**copyreg.dispatch_table, Markup: _reduce_markup}
        pickler.dump(cache)
    os.replace(tmp, target)


def _reduce_markup(value: Markup) -> tuple:
    # Rebuilt without Markup.__new__'s checks (the text was safe HTML when saved): a large cache
    # holds hundreds of thousands of them, and this halves the time it takes to load.
    return trusted_markup, (str(value),)


def clear_cache(project: Project) -> None:
    cache_file(project).unlink(missing_ok=True)
