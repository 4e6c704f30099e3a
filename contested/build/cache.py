"""What the last good build knew, kept in .build/cache so the next build redoes only what changed.

A newsroom's archive holds thousands of stories and an edit touches one. The cache keeps, per
story file, the digest of its bytes with what the stages made of it (its diagnostics, what the
shared pages need of it, its place in the site order), and the view the shared pages in the docs
folder were rendered from. A story's own page is never re-rendered while its file is unchanged.

It is never trusted beyond what its key covers. The key is a digest of our code (every
`contested/**/*.py`), the templates, mkdocs.yml, and the Python and library versions; any change there and the
cache is ignored. A story record is reused only while its file's bytes and the actors file's bytes
are unchanged. Anything unreadable is treated as no cache: it can only cost time, never serve stale
pages.
"""

from __future__ import annotations

import copyreg
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from markupsafe import Markup

from contested.build.runner import StoryFile, StoryRecord
from contested.config import read_raw_config
from contested.content.load import read_regular_file
from contested.pages.markup import trusted_markup
from contested.pages.render import page_specs
from contested.pages.views import SiteView
from contested.project import Project

CODE_DIR = Path(__file__).resolve().parent.parent  # the whole package
_LIBRARIES = ("pyyaml", "jinja2", "markdown-it-py", "mdurl", "markupsafe")


@dataclass
class BuildCache:
    key: str  # environment_key(): code, templates, versions
    actors_digest: str
    records: dict[str, StoryRecord] = field(default_factory=dict)  # by file name as in messages
    site: SiteView | None = None  # what .build/docs was rendered from


@dataclass
class Plan:
    """What a build can keep of the last one, and what it must make again."""

    kept: dict[str, StoryRecord]  # by file name: unchanged, and its files still in the docs folder
    changed: list[StoryFile]  # in name order, to run
    site: SiteView | None  # the shared pages' view, while the docs folder holds every one of them


class Cache:
    """The cache's rules in one place: `open` it, `plan` what is kept and what changed,
    `invalidate` before the docs folder changes, `restore` after a build stopped by data errors,
    `update` with what a build made, and `commit` that for the next build."""

    def __init__(self, project: Project, last: BuildCache | None = None, key: str = ""):
        self.project, self.last, self.key = project, last, key
        self.actors_digest = ""

    @classmethod
    def open(cls, project: Project, held: BuildCache | None = None) -> Cache:
        """The last build's cache: `held` (the preview keeps it in memory) or the one on disk, if
        made under this environment's key."""
        key = environment_key(project)
        last = held if held is not None and held.key == key else load_cache(project, key)
        return cls(project, last, key)

    def plan(self, actors_file: Path, files: Sequence[tuple[Path, str]], present: frozenset[str]) -> Plan:
        """Split the story files (path, name) into those kept from the last build and those changed."""
        self.actors_digest = _digest(actors_file)
        last = self.last
        reusable = last.records if last and last.actors_digest == self.actors_digest else {}
        kept: dict[str, StoryRecord] = {}
        changed: list[StoryFile] = []
        for path, name in files:
            digest, record = _digest(path), reusable.get(name)
            # A kept story's files must still be in the docs folder: the cache holds no copy.
            if record and record.digest == digest and present.issuperset(record.files):
                kept[name] = record
            else:
                changed.append((path, name, digest))
        site = last.site if last and _docs_hold(present, last.site) else None
        return Plan(kept, changed, site)

    def invalidate(self) -> None:
        """From here the docs folder changes, and the cache on disk no longer describes it."""
        cache_file(self.project).unlink(missing_ok=True)

    def restore(self, docs_changed: bool) -> BuildCache | None:
        """After a build stopped by data errors: if it wrote no file, the last build's cache still
        describes the docs folder and is saved back. Returns the cache that describes it, if any."""
        if docs_changed or self.last is None:
            return None
        save_cache(self.project, self.last)
        return self.last

    def update(self, records: dict[str, StoryRecord], site: SiteView) -> BuildCache:
        """The cache describing the docs folder a build has just written."""
        return BuildCache(self.key, self.actors_digest, records, site)

    def commit(self, cache: BuildCache) -> None:
        """Keep `cache` for the next build."""
        save_cache(self.project, cache)


def _digest(path: Path) -> str:
    try:
        return file_digest(path)
    except OSError:
        return ""


def _docs_hold(present: frozenset[str], site: SiteView | None) -> bool:
    """Whether every shared page of `site` is still in the docs folder (someone may delete it)."""
    return site is not None and all(path in present for path, _, _ in page_specs(site))


def cache_file(project: Project) -> Path:
    return project.cache_dir / "build.pickle"


def file_digest(path: Path) -> str:
    # As the load stage reads it: a symlink or device is refused (OSError), never read whole.
    return hashlib.blake2b(read_regular_file(path), digest_size=20).hexdigest()


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


def _reduce_markup(value: Markup) -> tuple[Callable[[str], Markup], tuple[str]]:
    # Rebuilt without Markup.__new__'s checks (the text was safe HTML when saved): a large cache
    # holds hundreds of thousands of them, and this halves the time it takes to load.
    return trusted_markup, (str(value),)


# --- the published site ------------------------------------------------------------------------

Stat = tuple[int, int, int]  # inode, size, modification time (ns): a file replaced changes all three


@dataclass
class SiteState:
    """What `site/` was when the last build published it, and the docs folder it was made from.

    The next build may then take every page whose docs file is unchanged from `site/` as it is
    (partial.py), after checking that `site/` still holds exactly these files, unchanged. The files
    are compared by inode, size and time: the build replaces files, it never rewrites one in place."""

    key: str  # site_key(): engine, theme, config
    docs: dict[str, Stat]
    site: dict[str, Stat]


def tree_stats(root: Path) -> dict[str, Stat]:
    """Every file under root (symlinks followed) → its Stat; {} if root is not a folder."""
    out: dict[str, Stat] = {}
    for folder, _, files in os.walk(root, followlinks=True):
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        for name in files:
            try:
                st = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            out[prefix + name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


_ENGINE_LIBRARIES = ("mkdocs", "properdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments",
                     "jinja2", "markupsafe", "pyyaml", "pathspec")


def site_key(project: Project) -> str:
    """Digest of everything besides the docs folder that the engine's output depends on: the
    config, the theme override folder, the engine and theme versions."""
    h = hashlib.blake2b(digest_size=20)
    h.update(sys.version.encode())
    for name in _ENGINE_LIBRARIES:
        h.update(f"|{name}={_version(name)}".encode())
    h.update(b"|config|" + (project.config_file.read_bytes() if project.config_file.is_file() else b""))
    theme = read_raw_config(project.config_file).get("theme") if project.config_file.is_file() else None
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    overrides = project.root / str(custom) if custom else project.root / "overrides"
    for path in sorted(overrides.rglob("*")) if overrides.is_dir() else []:
        if path.is_file():
            h.update(f"|overrides/{path.relative_to(overrides).as_posix()}|".encode() + path.read_bytes())
    return h.hexdigest()


def site_state_file(project: Project) -> Path:
    return project.cache_dir / "site.pickle"


def load_site_state(project: Project) -> SiteState | None:
    try:
        with site_state_file(project).open("rb") as handle:
            state = pickle.load(handle)
    except Exception:  # a damaged or foreign file is no state: the next build is a whole one
        return None
    return state if isinstance(state, SiteState) else None


def forget_site_state(project: Project) -> None:
    """Before `site/` changes: a build killed while swapping leaves no state to trust."""
    site_state_file(project).unlink(missing_ok=True)


def save_site_state(project: Project, state: SiteState) -> None:
    target = site_state_file(project)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, target)
