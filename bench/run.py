#!/usr/bin/env python3
"""Benchmark the real build on synthetic archives: `make bench` runs it for N = 10, 100 and 1,000.

For each N it generates an archive (bench/generate_archive.py), builds it as `make site` does
(`build.py --root <dir> build`, with no cache and no site: a cold build), edits one story's title
and builds again (the update an editor waits for), then runs the yardstick: `mkdocs build` alone,
with the theme's search plugin, on the same docs folder (what the site would cost without the
partial and parallel engine stage). The yardstick's site is also the reference: the published
site must be byte-identical to it. It prints each stage's wall and CPU seconds, the site's size,
and PASS/FAIL for the targets of issue 15 (and the live-preview latency with `--serve-n`).

Every stage the build reports is a column, in the build's order: a stage added to the pipeline
(search indexing) shows up with no change here. After the table, bench/search.py, if it exists,
is run on each archive's built site (`python bench/search.py DIR/n<N>/site`).

Wall seconds are what an editor waits, and what the targets are about; CPU seconds (ours, summed
over every worker process, and the engine's) are printed beside them. Run it on an otherwise idle
machine: other work slows the parallel stages first. `--build-py` times another checkout's
build.py (e.g. main's, for a baseline); `--no-yardstick` skips `mkdocs build` alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_archive import generate_archive, story_file_name  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
GENERATION = ("scan", "stories", "site", "write")
TO_SWAP = "swap"  # scan to swap: every stage up to and including this one (the cache is saved after)
# One date for every build and the yardstick, so their sites can be compared byte for byte.
EPOCH = "1767225600"


@dataclass
class Run:
    """One `build.py build`, measured."""

    stages: dict[str, float]  # wall seconds per stage, in the build's order
    cpu: dict[str, float]  # CPU seconds per stage
    details: dict[str, str]
    wall: float  # the whole command
    peak_mb: float  # peak resident set: the largest process, or the sum of all at once if larger
    rewritten: list[str] = field(default_factory=list)  # docs files written by this build

    def to_swap(self, cpu: bool = False) -> float:
        """Seconds from the scan to the swap, the stages an editor waits for."""
        values = self.cpu if cpu else self.stages
        names = list(self.stages)
        last = names.index(TO_SWAP) if TO_SWAP in names else len(names) - 1
        return sum(values.get(name, 0.0) for name in names[:last + 1])

    @property
    def generation(self) -> float:
        return sum(self.stages.get(s, 0.0) for s in GENERATION)


@dataclass
class Row:
    n: int
    cold: Run
    edit: Run
    yardstick: tuple[float, float] | None  # `mkdocs build` alone: wall, CPU
    identical: bool | None  # the published site == the yardstick's, byte for byte
    site_mb: float
    search_mb: float


def build(project: Path, build_py: Path) -> Run:
    """Run the real build in a child process, measuring the peak memory of it and its children."""
    docs = project / ".build" / "docs"
    before = _docs_state(docs)
    rss_file = project / ".build-peak-rss"
    # GNU time reports the child's wait4 rusage: the largest resident set of any one process. The
    # stories stage runs in several processes at once, so their sum is sampled too (below).
    command = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file), sys.executable, str(build_py),
               "--root", str(project), "build", "--timings", "json"]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONDONTWRITEBYTECODE": "1"})
    sampled = [0.0]
    sampler = threading.Thread(target=_sample_tree_rss, args=(proc, sampled), daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}):\n{stderr}")
    stages = json.loads(stdout.strip().splitlines()[-1])
    after = _docs_state(docs)
    rewritten = sorted(p for p, state in after.items() if before.get(p) != state)
    peak_mb = max(int(rss_file.read_text().split()[-1]) / 1024, sampled[0])
    return Run({s["stage"]: s["seconds"] for s in stages},
               {s["stage"]: s.get("cpu_seconds", 0.0) for s in stages},
               {s["stage"]: s["detail"] for s in stages}, wall, peak_mb, rewritten)


def yardstick(project: Path, with_search: bool = True) -> tuple[float, float, Path]:
    """`mkdocs build` alone on the project's config and docs folder, into a folder of its own: wall
    and CPU seconds, the folder. `with_search`: the theme's own search plugin added (what the site
    cost before Pagefind: the timing yardstick); without it, the reference the site must equal."""
    out = project / (".bench-yardstick" if with_search else ".bench-reference")
    config = project / "mkdocs.yml"
    if with_search:  # the project's config, inherited, with the theme's search plugin
        config = project / ".bench-with-search.yml"
        config.write_text('INHERIT: mkdocs.yml\nplugins: [search]\n', encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    before = os.times()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file",
                    str(config), "--site-dir", str(out)], cwd=project, env=env, check=True)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, out


def hash_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def measure(n: int, workdir: Path, build_py: Path, with_yardstick: bool) -> Row:
    project = generate_archive(n, workdir / f"n{n}")
    cold = build(project, build_py)
    edit_title(project, n // 2, "Edited:")
    edited = build(project, build_py)
    site = project / "site"
    measured, identical = None, None
    if with_yardstick:
        wall, cpu, _ = yardstick(project)
        reference = hash_tree(yardstick(project, with_search=False)[2])
        # Pagefind's index is made by our search stage, not the engine: compared by its own tests.
        published = {k: v for k, v in hash_tree(site).items() if not k.startswith("pagefind/")}
        measured, identical = (wall, cpu), reference == published
    index = site / "pagefind"  # the whole Pagefind index; a search fetches a few of its chunks
    return Row(n, cold, edited, measured, identical, _size_mb(site),
               _size_mb(index) if index.is_dir() else 0.0)


def table(rows: list[Row]) -> str:
    stages: list[str] = []
    for row in rows:
        for run in (row.cold, row.edit):
            stages += [s for s in run.stages if s not in stages]
    head = "| N | build | " + " | ".join(stages) + " | scan to swap | peak MB |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for row in rows:
        for label, run in (("cold", row.cold), ("1 story edited", row.edit)):
            cells = [f"{run.stages[s]:.2f} ({run.cpu.get(s, 0):.2f})" if s in run.stages else ""
                     for s in stages]
            lines.append(f"| {row.n:,} | {label} | " + " | ".join(cells)
                         + f" | {run.to_swap():.2f} ({run.to_swap(cpu=True):.2f}) | {run.peak_mb:.0f} |")
    return "\n".join(lines)


def yardstick_table(rows: list[Row]) -> str:
    lines = ["| N | `mkdocs build` alone | cold, scan to swap | cold / alone | 1 edit, scan to swap "
             "| site MB | search index MB | site identical to `mkdocs build`'s |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        alone = f"{row.yardstick[0]:.2f} ({row.yardstick[1]:.2f})" if row.yardstick else "not run"
        ratio = f"{row.cold.to_swap() / row.yardstick[0]:.0%}" if row.yardstick else ""
        same = {None: "not checked", True: "yes", False: "NO"}[row.identical]
        lines.append(f"| {row.n:,} | {alone} | {row.cold.to_swap():.2f} ({row.cold.to_swap(cpu=True):.2f}) "
                     f"| {ratio} | {row.edit.to_swap():.2f} ({row.edit.to_swap(cpu=True):.2f}) "
                     f"| {row.site_mb:.1f} | {row.search_mb:.2f} | {same} |")
    return "\n".join(lines)


def checks(rows: list[Row], serve: tuple[float, float] | None, serve_n: int | None) -> list[tuple[bool, str]]:
    big = max(rows, key=lambda r: r.n)
    out = []
    edit = big.edit.to_swap()
    out.append((edit < 5.0, f"N={big.n:,} one edit: scan to swap {edit:.2f} s "
                f"(CPU {big.edit.to_swap(cpu=True):.2f} s); target < 5 s"))
    if big.yardstick:
        cold, alone = big.cold.to_swap(), big.yardstick[0]
        out.append((cold < 0.6 * alone, f"N={big.n:,} cold build: scan to swap {cold:.2f} s is "
                    f"{cold / alone:.0%} of `mkdocs build` alone ({alone:.2f} s, same run); target < 60%"))
    for row in rows:
        if row.identical is not None:
            out.append((row.identical, f"N={row.n:,} the site published after one edit is byte-identical to "
                        "`mkdocs build` alone on the same docs folder"))
    out.append((big.edit.generation < 1.0, f"N={big.n:,} one edit: generation {big.edit.generation:.2f} s; "
                "target < 1 s"))
    peak = max(max(r.cold.peak_mb, r.edit.peak_mb) for r in rows)
    out.append((peak < 1024, f"peak memory {peak:.0f} MB; target < 1 GB"))
    if serve is not None:
        out.append((serve[0] <= 3.0, f"N={serve_n:,} `build.py serve` showed an edited story after "
                    f"{serve[0]:.2f} s (CPU {serve[1]:.2f} s, ours and the engine's); target ≤ 3 s"))
    return out


def _sample_tree_rss(proc: subprocess.Popen, peak: list[float]) -> None:
    """Every 20 ms until `proc` ends: the summed resident set (MB) of it and all its descendants.
    A sum of RSS counts pages the forked workers share with their parent twice: an upper bound."""
    while proc.poll() is None:
        peak[0] = max(peak[0], sum(_rss_mb(pid) for pid in _tree(proc.pid)))
        time.sleep(0.02)

def _tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid] + [p for child in children for p in _tree(int(child))]

def _rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match[1]) / 1024 if match else 0.0

def _docs_state(docs: Path) -> dict[str, tuple[int, int]]:
    """Each generated file -> (inode, mtime_ns): a rewrite (atomic replace) changes both."""
    out = {}
    for path in docs.rglob("*") if docs.is_dir() else []:
        if path.is_file():
            stat = path.stat()
            out[path.relative_to(docs).as_posix()] = (stat.st_ino, stat.st_mtime_ns)
    return out

def edit_title(project: Path, index: int, marker: str) -> str:
    """Change one story's title in place, as an editor would; return the new title's text."""
    path = project / "site_data" / "stories" / story_file_name(index)
    text = path.read_text(encoding="utf-8")
    new = re.sub(r'^title: "', f'title: "{marker} ', text, count=1, flags=re.M)
    path.write_text(new, encoding="utf-8")
    return marker

def serve_latency(n: int, workdir: Path, port: int) -> tuple[float, float]:
    """Seconds from saving an edited story to `build.py serve` serving the page with the edit, and
    the CPU seconds the preview (our process and the engine's) spent meanwhile."""
    project = workdir / f"n{n}"
    if not project.is_dir():
        generate_archive(n, project)
    slug = story_file_name(1)[:-5]
    url = f"http://127.0.0.1:{port}/stories/{slug}/"
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(project), "serve",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(url, lambda body: "ct-story-head" in body, timeout=900)
        time.sleep(2)  # let the server settle after its first build
        marker = f"Served{int(time.time())}"
        start, start_cpu = time.perf_counter(), _tree_cpu(proc.pid)
        edit_title(project, 1, marker)
        _wait_for(url, lambda body: marker in body, timeout=120)
        return time.perf_counter() - start, _tree_cpu(proc.pid) - start_cpu
    finally:
        proc.send_signal(signal.SIGTERM)  # the preview treats it as Ctrl-C and stops its engine too
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()

def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its children (Linux /proc)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(_tree_cpu(int(child)) for child in children)

def _wait_for(url: str, ready, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode("utf-8", "replace")):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {url}")

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10, 100, 1000])
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "contested-bench")
    parser.add_argument("--serve-n", type=int, default=None, help="also time the live preview at this N")
    parser.add_argument("--build-py", type=Path, default=REPO / "build.py",
                        help="the build.py to time (another checkout's, for a baseline)")
    parser.add_argument("--no-yardstick", action="store_true", help="skip `mkdocs build` alone")
    args = parser.parse_args()
    rows = []
    for n in sorted(args.sizes):
        rows.append(measure(n, args.workdir, args.build_py.resolve(), not args.no_yardstick))
        print(f"measured N={n:,}", file=sys.stderr)
    print(f"# Contested benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f}), {args.build_py}; "
          "seconds are wall (CPU)\n")
    print(table(rows) + "\n\n" + yardstick_table(rows) + "\n", flush=True)
    serve = serve_latency(args.serve_n, args.workdir, _free_port()) if args.serve_n else None
    results = checks(rows, serve, args.serve_n)
    for ok, text in results:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    big = max(rows, key=lambda r: r.n)
    print(f"\nN={big.n:,}, engine stage after one edit: {big.edit.details.get('engine', '')}")
    search = Path(__file__).resolve().parent / "search.py"
    code = 0
    if search.is_file():  # browser search timings (issue 15, item 1) on the same archives
        for n in sorted(args.sizes):
            print(f"\nSearch in Chromium, N={n:,} (bench/search.py):", flush=True)
            site = args.workdir / f"n{n}" / "site"
            code |= subprocess.run([sys.executable, str(search), str(site)]).returncode
    return 0 if all(ok for ok, _ in results) and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
