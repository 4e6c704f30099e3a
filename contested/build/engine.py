"""Stage engine: run the site engine on the docs folder, into a fresh folder beside `site/`.

The one module that knows the engine: its command, its configuration file, where it puts each
page, and the format of the files it makes for the whole site (the sitemap, the search index).
The engine is a command on a docs folder and a config file; which one is a setting
(`extra.site_engine` in mkdocs.yml: `mkdocs`, the default, or `properdocs`, its maintained fork).

Besides the whole build, the engine can build a *part* of the site: a derived config file keeps
the project's settings and excludes (`exclude_docs`) every page but the chosen ones and the nav's.
An excluded page is not built, but links to it are still resolved, so a built page is the same
bytes as in a whole build. `partial.py` merges parts into one site. The preview keeps one engine process
running (`PreviewEngine`, `engine_worker.py`), which imports the same engine itself.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import yaml

from contested.build.errors import HostError, PublishError
from contested.config import ConfigError, read_engine_name, read_raw_config
from contested.files import files_under
from contested.project import Project

# What the engine prints when the machine, not the site, failed it (OSError and MemoryError texts).
_MACHINE_FAILURES = ("No space left on device", "Disk quota exceeded", "Read-only file system",
                     "Permission denied", "MemoryError")
NOT_FOUND = "404.html"
# The pages' sitemap (overrides/sitemap-pages.xml: one block a page, merged from parts), and the
# sitemap index the theme fetches on every first view (overrides/sitemap.xml), with the gzip the
# engine makes of it: these name no page, so every run of the engine makes the same bytes.
SITEMAP = "sitemap-pages.xml"
SITEMAP_INDEX = ("sitemap.xml", "sitemap.xml.gz")
SEARCH_INDEX = "search/search_index.json"  # the theme's search plugin, when configured
# Config keys naming files relative to mkdocs.yml that a derived config (in .build/) cannot
# inherit as they are; with any of them the site is only built whole.
_PATH_KEYS = ("hooks", "watch", "extra_templates", "INHERIT")


def engine_name(project: Project) -> str:
    """`mkdocs` or `properdocs`, from mkdocs.yml (`extra.site_engine`); ConfigError otherwise."""
    return read_engine_name(project.config_file)


def engine_command(project: Project, out_dir: Path, config_file: Path | None = None) -> list[str]:
    """The one place that names the site engine: `python -m <engine> build` on a config file."""
    # No --quiet: it drops the engine's warnings before --strict counts them, so strict never fails.
    # The output is captured anyway and shown only when the engine fails.
    return [sys.executable, "-m", engine_name(project), "build", "--strict",
            "--config-file", str(config_file or project.config_file), "--site-dir", str(out_dir)]


def engine_template_dirs(project: Project) -> list[Path]:
    """The folders the engine renders pages from, overrides first: the verify stage's allow-list.
    Read with MkDocs whichever engine builds: the theme (Material) requires it, and ProperDocs
    loads the theme's plugins only when it runs as the command."""
    from mkdocs.config import load_config  # imported here: only the verify stage needs it

    return [Path(d) for d in load_config(str(project.config_file)).theme.dirs]


def engine_environment() -> dict[str, str]:
    # Material's end-of-life banner would bury our own stage report on every build.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def current_umask() -> int:
    """The process's umask (reading it means setting it: put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_site_dir(project: Project) -> Path:
    """A fresh, empty folder under .build/ for a site (clean_leftovers removes it if we are killed)."""
    project.work_dir.mkdir(parents=True, exist_ok=True)
    out_dir = Path(tempfile.mkdtemp(prefix="site-", dir=project.work_dir))
    out_dir.chmod(0o777 & ~current_umask())  # mkdtemp makes it 0700; site/ is for a web server to read
    return out_dir


def preview_config(project: Project, work_dir: Path) -> Path:
    """The preview's engine config in `work_dir`: the project's own, reading the preview's docs
    folder. ConfigError if mkdocs.yml cannot be read."""
    work_dir.mkdir(parents=True, exist_ok=True)
    path = work_dir / "mkdocs.yml"
    settings = inherited_config(project, read_raw_config(project.config_file), path, work_dir / "docs")
    path.write_text(json.dumps(settings), encoding="utf-8")  # JSON is YAML
    return path


def inherited_config(project: Project, raw: dict[str, Any], path: Path, docs_dir: Path) -> dict[str, Any]:
    """Settings for a config file at `path` that inherits the project's (MkDocs' INHERIT) and reads
    `docs_dir`. INHERIT resolves paths from the child file's folder, so the theme folder is made
    absolute here."""
    settings: dict[str, Any] = {"INHERIT": os.path.relpath(project.config_file, path.parent),
                                "docs_dir": str(docs_dir)}
    theme = raw.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        settings["theme"] = {"custom_dir": str((project.root / theme["custom_dir"]).resolve())}
    return settings


class PreviewEngine:
    """The engine kept running for the preview (`engine_worker.py`): imported once, one build at a
    time, answering when each has finished. Its own chatter goes to `log_file`, never to editors."""

    def __init__(self, project: Project, config_file: Path, log_file: Path) -> None:
        self.root, self.config_file, self.log_file = project.root, config_file, log_file
        self.engine = engine_name(project)
        self.process = self._start()

    def _start(self) -> subprocess.Popen[str]:
        with self.log_file.open("ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "contested.build.engine_worker", str(self.config_file),
                 self.engine],
                cwd=self.root, env={**engine_environment(), "PYTHONPATH": _package_root()},
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)

    def build(self, site_dir: Path, dirty: bool) -> str:
        """Build into `site_dir` (only the pages whose source is newer, if `dirty`): '' when it
        worked, else what the engine said."""
        if self.process.poll() is not None:  # it died (out of memory, killed): a new one
            self.process = self._start()
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(json.dumps({"site_dir": str(site_dir), "dirty": dirty}) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
        except OSError:
            reply = ""
        if not reply:
            return f"the site engine stopped (exit {self.process.poll()})"
        said: list[str] = json.loads(reply)["said"]
        return "the site engine failed:\n" + "\n".join(said) if said else ""

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()  # the worker's loop ends
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _package_root() -> str:
    """The folder holding the `contested` package, for the worker's imports."""
    here = str(Path(__file__).resolve().parents[2])
    return os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)


def build_site(project: Project, source_date_epoch: int) -> Path:
    """Run the engine on the whole docs folder into a new folder under .build/; return that folder.
    Raises PublishError."""
    out_dir = new_site_dir(project)
    finish_engine(start_engine(project, source_date_epoch, out_dir), out_dir)
    return out_dir


def start_engine(project: Project, source_date_epoch: int, out_dir: Path,
                 config_file: Path | None = None) -> subprocess.Popen[str]:
    env = {**engine_environment(), "SOURCE_DATE_EPOCH": str(source_date_epoch)}
    return subprocess.Popen(engine_command(project, out_dir, config_file), cwd=project.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish_engine(proc: subprocess.Popen[str], out_dir: Path) -> None:
    """Wait for an engine run; on failure remove its folder and raise HostError or PublishError."""
    output, _ = proc.communicate()
    if proc.returncode == 0:
        return
    shutil.rmtree(out_dir, ignore_errors=True)
    output = output.strip()
    said = [line for line in output.splitlines() if any(sign in line for sign in _MACHINE_FAILURES)]
    if said:  # its traceback would only hide the one line that matters
        raise HostError(f"the site engine failed (exit {proc.returncode}): {said[-1].strip()}")
    raise PublishError(f"the site engine failed (exit {proc.returncode}):\n{output}")


# --- parts of the site -------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """What a partial build needs to know of the project's config: the nav's pages, in order."""

    nav_pages: tuple[str, ...]
    site_url: str
    raw: dict[str, Any]


def partial_layout(project: Project) -> Layout | None:
    """The layout if this config allows building the site in parts, else None (built whole).

    Parts need an explicit nav of titled pages (a story page's HTML then depends on the nav
    pages, never on the other stories), directory URLs, no settings naming other files, and the
    pages' sitemap (`sitemap-pages.xml` in `theme.static_templates`: the one site-wide file that
    lists pages, merged from the parts)."""
    try:
        raw = read_raw_config(project.config_file)
    except ConfigError:
        return None
    nav = raw.get("nav")
    if not isinstance(nav, list) or raw.get("use_directory_urls", True) is not True:
        return None
    if any(key in raw for key in _PATH_KEYS) or raw.get("exclude_docs") or raw.get("draft_docs"):
        return None
    theme = raw.get("theme")
    if not isinstance(theme, dict) or SITEMAP not in (theme.get("static_templates") or []):
        return None
    pages: list[str] = []
    if not _titled_nav_pages(nav, pages):
        return None
    return Layout(tuple(pages), str(raw.get("site_url") or ""), raw)


def _titled_nav_pages(items: list[Any], out: list[str]) -> bool:
    """Collect the nav's pages; False unless every entry is `Title: page.md` or a titled section."""
    for item in items:
        if not isinstance(item, dict) or len(item) != 1:
            return False
        (_, value), = item.items()
        if isinstance(value, list):
            if not _titled_nav_pages(value, out):
                return False
        elif isinstance(value, str) and value.endswith(".md") and "://" not in value:
            out.append(value)
        else:
            return False
    return True


def write_part_config(project: Project, layout: Layout, pages: Sequence[str], path: Path,
                      keep_static: bool, docs_files: Sequence[str]) -> Path:
    """A config file that builds only `pages` (and the nav's): the project's config inherited,
    its folders made absolute (this file is in .build/), every other docs file excluded. With
    `keep_static` the non-page files (the docs folder's and the theme's) are copied as usual.
    `docs_files` is every file of the docs folder: a run of neighbouring names in it is excluded
    by a few patterns, not one a page (see `part_patterns`)."""
    docs_dir = (project.root / str(layout.raw.get("docs_dir", "docs"))).resolve()
    derived = inherited_config(project, layout.raw, path, docs_dir)
    first = "*.md" if keep_static else "*"
    patterns = part_patterns(pages, layout.nav_pages, docs_files)
    derived["exclude_docs"] = "\n".join([first, *patterns]) + "\n"
    path.write_text(yaml.safe_dump(derived, sort_keys=False), encoding="utf-8")
    return path


# MkDocs matches every docs file against every `exclude_docs` pattern (gitignore's, the last that
# matches wins), so a pattern per kept page costs files × pages in each part. A part's pages are
# instead described a folder at a time: the whole folder, or the names from `lo` to before `hi` in
# sorted order, which is a few patterns with character classes when every page's name in the
# folder is made of these characters (story slugs, content/schema.py ID_PATTERN; the generated
# pages' names), listed in the order Python compares them. The patterns are exact for
# `docs_files`, the folder as the engine will read it: a page made or lost since then would show
# in partial.py's merge, which then builds the site whole.
_NAME_CHARS = "-0123456789abcdefghijklmnopqrstuvwxyz"
_NAME = re.compile(r"[-0-9a-z]+")


def part_patterns(pages: Sequence[str], nav_pages: Sequence[str], docs_files: Sequence[str]) -> list[str]:
    """The `exclude_docs` lines after the first (which excludes every page) that bring back exactly
    `pages` and the nav's pages among `docs_files`."""
    folders: dict[str, list[str]] = {}  # folder ("" or "a/b/") → its pages' names, nav's left out
    nav = set(nav_pages)
    for rel in docs_files:
        folder, _, name = rel.rpartition("/")
        if rel.endswith(".md") and rel not in nav:
            folders.setdefault(f"{folder}/" if folder else "", []).append(name[:-3])
    kept = {page for page in pages if page not in nav}
    lines = []
    for folder, names in sorted(folders.items()):
        mine = {name for name in names if f"{folder}{name}.md" in kept}
        if mine:
            lines += _folder_patterns(folder, sorted(names), mine)
        kept -= {f"{folder}{name}.md" for name in mine}
    # Pages not found in docs_files, then the nav's: last, so no range pattern excludes them again.
    return lines + [f"!/{_glob_escape(p)}" for p in [*sorted(kept), *sorted(nav)]]


def _folder_patterns(folder: str, names: list[str], mine: set[str]) -> list[str]:
    """Patterns bringing back the pages `mine` of a folder whose pages are `names` (sorted): a
    range of names if they are one, else a pattern a page."""
    start = names.index(min(mine))
    end = start + len(mine)
    at = "/" + _glob_escape(folder)
    # Anything unforeseen (a name of other characters: a dot file, capitals; not one run): a
    # pattern a page, as sure as before.
    if set(names[start:end]) != mine or not all(_NAME.fullmatch(n) for n in names):
        return [f"!{at}{_glob_escape(name)}.md" for name in names[start:] if name in mine]
    # Where every name of the folder agrees (`story-0…`) no name sorts below a bound: no pattern.
    shared = len(os.path.commonprefix(names))
    lines = [f"!{at}*.md"] if end == len(names) else _below(at, _separator(names[end - 1], names[end]),
                                                            shared, "!")
    return lines + (_below(at, _separator(names[start - 1], names[start]), shared, "") if start else [])


def _separator(before: str, after: str) -> str:
    """The shortest start of `after` that sorts after `before` (before < after): the names of the
    folder below it are exactly those up to `before`."""
    common = 0
    while common < len(before) and before[common] == after[common]:
        common += 1
    return after[:common + 1]


def _below(at: str, bound: str, shared: int, sign: str) -> list[str]:
    """Patterns matching the pages `<at><name>.md` whose name sorts before `bound`: those that
    first differ from it by a smaller character, and those that are a start of it; among names
    that all begin with `bound[:shared]`."""
    lines = []
    for i in range(shared, len(bound)):
        char = bound[i]
        smaller = _NAME_CHARS[:_NAME_CHARS.index(char)]
        if smaller:  # "-" first in the class: there it is itself, not a range
            lines.append(f"{sign}{at}{bound[:i]}[{_char_class(smaller)}]*.md")
        if i:
            lines.append(f"{sign}{at}{bound[:i]}.md")
    return lines


def _char_class(chars: str) -> str:
    """`chars` (consecutive in _NAME_CHARS) as a bracket expression's inside: `-0-9a-c`."""
    out = ""
    for run in re.findall(r"-|[0-9]+|[a-z]+", chars):
        out += run if len(run) < 3 else f"{run[0]}-{run[-1]}"
    return out


def _glob_escape(path: str) -> str:
    # A backslash, not a bracket: "[!]" would open a negated class, and a page named so was lost.
    return re.sub(r"([*?\[\]!#\\])", r"\\\1", path)


def page_url(src: str) -> str:
    """The URL of a page from its docs path (directory URLs): `a/b.md` → `a/b/`, `a/index.md` → `a/`."""
    parent, _, name = src.rpartition("/")
    stem = name[:-3]
    prefix = f"{parent}/" if parent else ""
    return prefix if stem in ("index", "README") else f"{prefix}{stem}/"


def page_output(src: str) -> str:
    """Where the engine writes a page's HTML in the site."""
    return page_url(src) + "index.html"


def html_files(site: Path) -> list[str]:
    """Every HTML file in a built site, as sorted paths inside it (`a/index.html`): what the engine,
    search and verify stages each read (`files_under`: one os.walk, three times faster than rglob)."""
    return sorted(rel for rel in files_under(site) if rel.endswith(".html"))


def engine_order(docs_dir: Path) -> list[str] | None:
    """Every docs file in the order the engine reads them (each folder's files, index first, then its
    subfolders by name); None if a file is one the engine would skip (dot files, `/templates/`,
    a README beside an index): then the site is built whole."""
    out: list[str] = []
    for folder, dirs, files in os.walk(docs_dir, followlinks=True):
        dirs.sort()
        rel = Path(folder).relative_to(docs_dir).as_posix()
        prefix = "" if rel == "." else rel + "/"
        names = sorted(files, key=lambda f: (os.path.splitext(f)[0] not in ("index", "README"), f))
        if any(part.startswith(".") for part in prefix.split("/") if part) or prefix == "templates/":
            return None
        for name in names:
            if name.startswith(".") or (name == "README.md" and "index.md" in names):
                return None
            out.append(prefix + name)
    return out


# --- files made for the whole site -------------------------------------------------------------

_SITEMAP_URL = re.compile(r"\n    <url>.*?</url>", re.S)
_LOC = re.compile(r"<loc>(.*?)</loc>")
_LASTMOD = re.compile(r"<lastmod>(.*?)</lastmod>")


@dataclass
class Sitemap:
    head: str
    tail: str
    urls: dict[str, str]  # page URL → its <url> block

    @classmethod
    def read(cls, path: Path, site_url: str) -> Sitemap | None:
        """The engine's sitemap split into one block per page; None if it is not in that form."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return None
        blocks = list(_SITEMAP_URL.finditer(text))
        if not blocks:
            return None
        urls: dict[str, str] = {}
        for block in blocks:
            loc = _LOC.search(block.group())
            address = unescape(loc.group(1)) if loc else ""
            if not address.startswith(site_url):
                return None
            urls[address[len(site_url):]] = block.group()
        head, tail = text[:blocks[0].start()], text[blocks[-1].end():]
        if "".join(b.group() for b in blocks) != text[len(head):len(text) - len(tail)]:
            return None  # something between the blocks: not the form we can rebuild
        return cls(head, tail, urls)

    def lastmod(self) -> set[str]:
        return {m.group(1) for block in self.urls.values() for m in _LASTMOD.finditer(block)}

    def with_lastmod(self, date: str) -> Sitemap:
        urls = {u: _LASTMOD.sub(f"<lastmod>{date}</lastmod>", b) for u, b in self.urls.items()}
        return Sitemap(self.head, self.tail, urls)

    def text(self, order: Sequence[str]) -> str:
        return self.head + "".join(self.urls[url] for url in order) + self.tail


@dataclass
class SearchIndex:
    """The theme's search index: its settings and, per page URL, that page's entries in order."""

    config: Any
    pages: dict[str, list[dict[str, Any]]]

    @classmethod
    def read(cls, path: Path) -> SearchIndex | None:
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or list(data) != ["config", "docs"]:
            return None
        if not isinstance(data["docs"], list):
            return None
        pages: dict[str, list[dict[str, Any]]] = {}
        last = None
        for entry in data["docs"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("location"), str):
                return None
            url = entry["location"].split("#", 1)[0]
            if url != last and url in pages:
                return None  # a page's entries not together: not the form we can rebuild
            pages.setdefault(url, []).append(entry)
            last = url
        return cls(data["config"], pages)

    def dumps(self, order: Sequence[str]) -> bytes:
        docs = [entry for url in order for entry in self.pages.get(url, ())]
        # As the theme's plugin writes it.
        return json.dumps({"config": self.config, "docs": docs}, separators=(",", ":"), default=str).encode()
