"""Live preview: regenerate the site when editors' files change, serve it, reload open pages.

Its own folders (`.build/preview/`: docs, sites, cache) so a preview never touches what `build`
publishes, and drafts and embargoed stories (content/embargo.py) can be shown, each with a banner.
One regeneration at a time, in order: generate the pages, run the engine into a fresh folder,
then serve that folder and tell open pages to reload. Saves made meanwhile are seen by the next
pass (the files are compared after each one), so the page always ends at the last save.
While the data (or the engine) has an error, every served page shows it, with file, line and
message, on top of the last good site, until it is fixed. The server answers only requests
addressed to this machine by name (localhost, 127.0.0.1, [::1]): a web page elsewhere cannot
read drafts through DNS rebinding.
"""

from __future__ import annotations

import errno
import fcntl
import html
import http.server
import mimetypes
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from contested.build.cache import BuildCache
from contested.build.engine import PreviewEngine, preview_config
from contested.build.pipeline import BuildLog, generate
from contested.diagnostics import Diagnostic
from contested.files import files_under
from contested.project import Project
from contested.report import format_text

POLL_SECONDS = 0.2
DEFAULT_PORT = 8000
PORTS_TRIED = 50  # after a busy port, how many following ones to look at
STATE_PATH = "/__contested_preview__/generation"  # what open pages poll to know when to reload
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


class PortBusy(Exception):
    """The port is taken; the message names the next free one."""


@dataclass(frozen=True)
class PreviewProject(Project):
    """The project as the preview sees it: its generated files under .build/preview/."""

    @property
    def work_dir(self) -> Path:
        return self.root / ".build" / "preview"


@dataclass
class _State:
    """What the server shows: the last good site, the current errors, the generation pages poll."""

    generation: int = 0
    site: Path | None = None
    errors: list[str] = field(default_factory=list)  # one entry per problem, "file:line:col: message"
    banners: dict[str, str] = field(default_factory=dict)  # URL path of a page -> its preview banner
    lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, site: Path | None, errors: list[str], banners: dict[str, str] | None = None) -> None:
        with self.lock:
            old = self.site
            if site is not None:
                self.site = site
                self.banners = banners or {}
            self.errors = errors
            self.generation += 1
        if site is not None and old is not None and old != site:
            shutil.rmtree(old, ignore_errors=True)


def serve(project: Project, host: str, port: int | None) -> int:
    """Preview until interrupted. `port` None: 8000, or the next free port if it is busy.
    Returns 1 (with one line saying why) when the port given is busy or the project is previewed."""
    preview_project = PreviewProject(project.root)
    with _preview_lock(preview_project) as other:
        if other:
            print(f"this project is already being previewed by process {other}: use that preview, or "
                  "stop it (Ctrl-C in its terminal) first", file=sys.stderr)
            return 1
        try:
            server = _bind(host, port)
        except PortBusy as exc:
            print(str(exc), file=sys.stderr)
            return 1
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the preview as Ctrl-C does
        try:
            threading.Thread(target=server.serve_forever, daemon=True).start()
            print(f"previewing on http://{_url_host(host)}:{server.server_address[1]}/ (Ctrl-C to stop)",
                  file=sys.stderr, flush=True)
            try:
                _Preview(preview_project, server.state).run()
            finally:
                server.shutdown()
        finally:
            server.server_close()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _bind(host: str, port: int | None) -> _Server:
    """The server on `port` or, when no port was asked for, on 8000 or the next free one."""
    wanted = DEFAULT_PORT if port is None else port
    try:
        return _Server((host, wanted))
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
    for candidate in range(wanted + 1, min(wanted + 1 + PORTS_TRIED, 65536)):
        try:
            server = _Server((host, candidate))
        except OSError:
            continue
        if port is None:
            print(f"port {wanted} is busy (another preview?), so this one uses port {candidate}",
                  file=sys.stderr)
            return server
        server.server_close()
        raise PortBusy(f"port {wanted} is busy (another preview?): port {candidate} is free, "
                       f"run `build.py serve --port {candidate}`")
    raise PortBusy(f"port {wanted} is busy, and so are the {PORTS_TRIED} after it: "
                   "give a free one with `build.py serve --port N`")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False  # a port another preview holds must be refused, not shared

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.state = _State()
        self.bound_host = address[0]  # a Host header naming it is this machine too


class _preview_lock:  # noqa: N801 (used as a context manager, like a function)
    """One preview per project: they would share .build/preview/. Yields the other's pid, or ''."""

    def __init__(self, project: Project) -> None:
        self.path = project.work_dir / "lock"
        self.fd = -1

    def __enter__(self) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return os.pread(self.fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)
        return ""

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)  # releases the lock (the kernel does it too if we are killed)


@dataclass
class _Preview:
    """Regenerates the preview, holding the last good build's cache in memory between edits."""

    project: PreviewProject
    state: _State
    cache: BuildCache | None = None
    engine: PreviewEngine | None = None
    built_from: DocsState | None = None  # the docs folder as the served site was built from it

    def run(self) -> None:
        root, work = self.project.root, self.project.work_dir
        # mkdocs.yml too: the site's address and publisher go into the exports and the JSON-LD.
        watched = (self.project.data_dir, self.project.templates_dir, self.project.content_dir,
                   self.project.config_file, root / "overrides")
        for old in work.glob("site-*"):  # what a killed preview left
            shutil.rmtree(old, ignore_errors=True)
        self.engine = PreviewEngine(self.project, preview_config(self.project, work), work / "engine.log")
        try:
            seen = _snapshot(watched)
            self.regenerate(everything=True)
            while True:
                now = _snapshot(watched)
                if now == seen:
                    time.sleep(POLL_SECONDS)
                    continue
                changed = {path for path in seen.keys() | now.keys() if seen.get(path) != now.get(path)}
                seen = now  # taken before reading: a save from now on differs from it and runs again
                # Beyond the stories, a change can reach every page (theme, templates, menu pages).
                self.regenerate(everything=any(not path.is_relative_to(self.project.data_dir)
                                               for path in changed))
        finally:
            self.engine.close()

    def regenerate(self, everything: bool) -> None:
        log = BuildLog()
        # Until this regeneration succeeds nothing vouches for the docs folder: a failure midway
        # may have rewritten part of it, so the old cache must not be reused.
        known, self.cache = self.cache, None
        try:
            generated = generate(self.project, log, known, preview=True)
        except Exception as exc:  # a template slip or a full disk must not stop the preview
            self._fail([f"{type(exc).__name__}: {exc}"], f"preview not updated: {type(exc).__name__}: {exc}")
            return
        self.cache = generated.held
        errors = sorted(generated.report.errors)
        if errors:
            self._fail([_one_line(d) for d in errors], format_text(errors, self.project.root)
                       + "\npreview not updated: fix the errors above")
            return
        docs = _docs_state(self.project.docs_dir)
        with log.stage("engine") as detail:
            site, failed = self._run_engine(docs, everything, detail)
        if failed:
            self._fail(failed.splitlines(), f"{failed}\npreview not updated: fix the problem above")
            return
        self.built_from = docs
        banners = {}
        if generated.cache is not None:
            banners = {_page_url(r.files[0]): r.banner for r in generated.cache.records.values() if r.banner}
        self.state.publish(site, [], banners)
        print(log.format(), file=sys.stderr, flush=True)
        if banners:
            print(f"{len(banners)} page(s) are shown in the preview only (drafts or embargoed): "
                  "see the banner on each", file=sys.stderr, flush=True)

    def _run_engine(self, docs: DocsState, everything: bool,
                    detail: list[str]) -> tuple[Path | None, str]:
        """The site for `docs`: the pages that changed since the served site was built, rebuilt in it
        (MkDocs' dirty build); or a whole new site when pages came or went, or beyond the stories
        changed. Returns the site and '' or what the engine said."""
        assert self.engine is not None
        old, site = self.built_from, self.state.site
        preview_config(self.project, self.project.work_dir)  # mkdocs.yml may have changed
        if old is not None and site is not None and not everything and old.keys() == docs.keys():
            changed = [rel for rel, state in docs.items() if old[rel] != state]
            if not changed:
                detail.append("nothing to rebuild")
                return site, ""
            # Newer than every page built so far, whatever the clock's grain: the dirty build redoes them.
            stamp = time.time_ns() + 1_000_000_000
            for rel in changed:
                os.utime(self.project.docs_dir / rel, ns=(stamp, stamp))
                docs[rel] = (stamp, *docs[rel][1:])
            failed = self.engine.build(site, dirty=True)
            if not failed:
                detail.append(f"{len(changed)} changed page(s) rebuilt")
                return site, ""
            self.built_from = None  # the served site may be half updated: the next pass rebuilds it all
            return None, failed
        site = Path(tempfile.mkdtemp(prefix="site-", dir=self.project.work_dir))
        failed = self.engine.build(site, dirty=False)
        if failed:
            shutil.rmtree(site, ignore_errors=True)
            return None, failed
        detail.append("whole site built")
        return site, ""

    def _fail(self, lines: list[str], printed: str) -> None:
        print(printed, file=sys.stderr, flush=True)
        self.state.publish(None, lines)


DocsState = dict[str, tuple[int, int, int]]


def _docs_state(docs_dir: Path) -> DocsState:
    """mtime, size and inode of each file of the docs folder (the writer replaces changed files)."""
    out = {}
    for rel in files_under(docs_dir):
        st = (docs_dir / rel).stat()
        out[rel] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return out


def _one_line(d: Diagnostic) -> str:
    hint = f" ({d.hint})" if d.hint else ""
    return f"{d.file}:{d.line}:{d.col}: {d.severity}: {d.message}{hint}"


def _page_url(docs_path: str) -> str:
    """stories/x.md -> /stories/x/ (the engine's directory URLs); index.md -> /."""
    stem = docs_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
    else:
        stem += "/"
    return "/" + stem.lstrip("/")


Snapshot = dict[Path, tuple[int, int, int, int]]


def _snapshot(dirs: tuple[Path, ...]) -> Snapshot:
    """mtime, ctime, size and inode of every file in the watched folders and watched files:
    two saves in one clock tick still differ in ctime or inode or size, most often."""
    out = {}
    for folder in dirs:
        for path in folder.rglob("*") if folder.is_dir() else [folder]:
            try:
                st = path.stat()
            except OSError:
                continue
            out[path] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
    return out


_BODY = re.compile(rb"<body[^>]*>", re.IGNORECASE)


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "ContestedPreview"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass  # one line per request would bury the stage reports

    def do_HEAD(self) -> None:  # noqa: N802 (the base class's name)
        self._answer(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        if not self._host_allowed():
            self._send(403, b"This preview answers only requests to localhost.\n", "text/plain", head)
            return
        state = self.server.state
        with state.lock:
            generation, site, errors = state.generation, state.site, list(state.errors)
            banners = dict(state.banners)
        path = unquote(urlsplit(self.path).path)
        if path == STATE_PATH:
            self._send(200, str(generation).encode(), "text/plain", head)
            return
        if site is None:  # nothing built yet: the errors, or a page saying it is on its way
            body = b"<!doctype html><html><head><meta charset=utf-8><title>Preview</title></head><body>" + (
                b"" if errors else b"<p>Building the preview\xe2\x80\xa6</p>") + b"</body></html>"
            self._send(200, _inject(body, generation, errors, ""), "text/html; charset=utf-8", head)
            return
        file, status = _resolve(site, path)
        if file is None:
            self._send(404, b"Not found\n", "text/plain", head)
            return
        data = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            page = path if path.endswith("/") else path + "/"
            data = _inject(data, generation, errors, banners.get(page, ""))
            kind += "; charset=utf-8"
        self._send(status, data, kind, head)

    def _host_allowed(self) -> bool:
        host = self.headers.get("Host", "")
        match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\](?::\d+)?|([^:\[\]]+)(?::\d+)?", host)
        if not match:
            return False
        name = (match.group(1) or match.group(2) or "").lower().rstrip(".")
        return name in LOOPBACK_NAMES or name == self.server.bound_host

    def _send(self, status: int, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload must show the latest build
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _resolve(site: Path, path: str) -> tuple[Path | None, int]:
    """The file a URL path names in the site (a folder's index.html), or its 404 page."""
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts or any("\0" in p for p in parts):
        return None, 404
    target = site.joinpath(*parts)
    if target.is_dir():
        target = target / "index.html"
    if target.is_file() and not target.is_symlink():
        return target, 200
    missing = site / "404.html"
    return (missing, 404) if missing.is_file() else (None, 404)


_RELOAD = """<script>(function(){var g=%d;function poll(){fetch(%r,{cache:"no-store"})
.then(function(r){return r.text()}).then(function(t){if(t.trim()!==String(g)){location.reload()}
else{setTimeout(poll,400)}},function(){setTimeout(poll,1000)})}setTimeout(poll,400)})();</script>"""
_BOX = ("position:fixed;left:0;right:0;z-index:10000;margin:0;padding:.8em 1.2em;font:15px/1.45 "
        "system-ui,sans-serif;")


def _inject(page: bytes, generation: int, errors: list[str], banner: str) -> bytes:
    """The page with the preview's additions: the error box, the draft banner, the reload poll."""
    top = b""
    if errors:
        items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in errors)
        top += (f'<div id="contested-preview-error" role="alert" style="{_BOX}top:0;max-height:60vh;'
                'overflow:auto;background:#fff0f0;color:#5a0000;border-bottom:4px solid #b00020">'
                "<strong>The preview is not up to date: fix this in your files</strong> (it shows the last "
                f"good build until then)<ul style=\"margin:.4em 0 0 1em\">{items}</ul></div>").encode()
    if banner:
        top += (f'<div id="contested-preview-banner" role="note" style="{_BOX}bottom:0;background:#fff4cc;'
                f'color:#3d3000;border-top:4px solid #b58900"><strong>{html.escape(banner)}</strong>'
                "</div>").encode()
    top += (_RELOAD % (generation, STATE_PATH)).encode()
    body = _BODY.search(page)
    if body is None:
        return top + page
    return page[:body.end()] + top + page[body.end():]
