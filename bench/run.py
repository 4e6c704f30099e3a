#!/usr/bin/env python3
"""Benchmark the real build on synthetic archives: `make bench` runs it for N = 10, 100 and 1,000.

For each N it generates an archive (bench/generate_archive.py), builds it as `make site` does
(`build.py --root <dir> build`, first with no cache: a cold build), then edits one story's title
and builds again (the incremental build an editor waits for). It prints one table, the ratio
checks of issue 8 with PASS/FAIL, and optionally the live-preview latency (`--serve-n`).

Wall seconds are what an editor waits, and what the targets are about; CPU seconds (ours, summed
over the stories stage's worker processes, and the engine's) are printed beside them. Run it on an
otherwise idle machine: other work slows the parallel stories stage first.
"""

from __future__ import annotations

import argparse
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


@dataclass
class Run:
    """One `build.py build`, measured."""

    stages: dict[str, float]  # wall seconds per stage
    cpu: dict[str, float]  # CPU seconds per stage
    details: dict[str, str]
    wall: float  # the whole command
    peak_mb: float  # peak resident set: the largest process, or the sum of all at once if larger
    rewritten: list[str] = field(default_factory=list)  # docs files written by this build

    @property
    def generation(self) -> float:
        return sum(self.stages.get(s, 0.0) for s in GENERATION)

    @property
    def generation_cpu(self) -> float:
        return sum(self.cpu.get(s, 0.0) for s in GENERATION)


@dataclass
class Row:
    n: int
    cold: Run
    edit: Run
    site_mb: float
    story_page_kb: float
    search_mb: float


def build(project: Path) -> Run:
    """Run the real build in a child process, measuring the peak memory of it and its children."""
    docs = project / ".build" / "docs"
    before = _docs_state(docs)
    rss_file = project / ".build-peak-rss"
    # GNU time reports the child's wait4 rusage: the largest resident set of any one process. The
    # stories stage runs in several processes at once, so their sum is sampled too (below).
    command = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file), sys.executable, str(REPO / "build.py"),
               "--root", str(project), "build", "--timings", "json"]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
    return Run({s["stage"]: s["seconds"] for s in stages}, {s["stage"]: s["cpu_seconds"] for s in stages},
               {s["stage"]: s["detail"] for s in stages}, wall, peak_mb, rewritten)


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


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def measure(n: int, workdir: Path) -> Row:
    project = generate_archive(n, workdir / f"n{n}")
    cold = build(project)
    edit_title(project, n // 2, "Edited:")
    edited = build(project)
    site = project / "site"
    return Row(n, cold, edited, _size_mb(site),
               (site / "stories" / "story-00000" / "index.html").stat().st_size / 1e3,
               (site / "search" / "search_index.json").stat().st_size / 1e6)


def table(rows: list[Row]) -> str:
    head = ("| N | build | scan | stories | site | write | generation (CPU) | MkDocs (CPU) "
            "| total | peak MB | site MB | story page KB | search index MB |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for row in rows:
        for label, run in (("cold", row.cold), ("1 story edited", row.edit)):
            s = run.stages
            lines.append(
                f"| {row.n:,} | {label} | {s.get('scan', 0):.2f} | {s.get('stories', 0):.2f} "
                f"| {s.get('site', 0):.2f} | {s.get('write', 0):.2f} "
                f"| {run.generation:.2f} ({run.generation_cpu:.2f}) "
                f"| {s.get('engine', 0):.2f} ({run.cpu.get('engine', 0):.2f}) | {run.wall:.2f} "
                f"| {run.peak_mb:.0f} | {row.site_mb:.1f} | {row.story_page_kb:.1f} | {row.search_mb:.2f} |")
    return "\n".join(lines)


def checks(rows: list[Row], serve: tuple[float, float] | None, serve_n: int | None,
           workdir: Path) -> list[tuple[bool, str]]:
    by_n = {row.n: row for row in rows}
    big, small = by_n[max(by_n)], by_n[min(by_n)]
    out = []
    for label, run in (("cold build", big.cold), ("after one edit", big.edit)):
        # The target is the time an editor waits. CPU seconds are shown beside it: the stories
        # stage runs in one process per core, so its CPU time can exceed its wall time.
        wall = run.generation / run.stages["engine"]
        cpu = run.generation_cpu / max(run.cpu["engine"], 1e-9)
        out.append((wall <= 0.10, f"N={big.n:,} {label}: generation is {wall:.1%} of MkDocs' time "
                    f"(CPU {cpu:.1%}); target ≤ 10%"))
    growth = big.story_page_kb / small.story_page_kb - 1
    out.append((abs(growth) <= 0.10, f"story page {small.story_page_kb:.1f} KB at N={small.n:,}, "
                f"{big.story_page_kb:.1f} KB at N={big.n:,} ({growth:+.1%}); target within ±10%"))
    if len(rows) >= 2:
        mid = sorted(by_n)[-2]
        per_big, per_mid = by_n[big.n].cold.wall / big.n, by_n[mid].cold.wall / mid
        out.append((per_big <= per_mid * 1.25, f"total build per story {per_mid * 1000:.1f} ms at N={mid:,}, "
                    f"{per_big * 1000:.1f} ms at N={big.n:,}; target linear (≤ +25%)"))
    expected, own = _expected_rewrites(big, workdir), f"stories/{story_file_name(big.n // 2)[:-5]}.md"
    rewritten = set(big.edit.rewritten)
    out.append((rewritten <= expected and own in rewritten,
                f"N={big.n:,} one edit rewrote {len(rewritten)} files ({big.edit.details.get('write', '')}), "
                f"all among the {len(expected)} that show the story"))
    out.append((big.edit.generation < 1.0, f"N={big.n:,} one edit: generation {big.edit.generation:.2f} s "
                f"(CPU {big.edit.generation_cpu:.2f} s); target < 1 s"))
    peak = max(max(r.cold.peak_mb, r.edit.peak_mb) for r in rows)
    out.append((peak < 1024, f"peak memory {peak:.0f} MB; target < 1 GB"))
    if serve is not None:
        out.append((serve[0] <= 3.0, f"N={serve_n:,} `build.py serve` showed an edited story after "
                    f"{serve[0]:.2f} s (CPU {serve[1]:.2f} s, ours and the engine's); target ≤ 3 s"))
    return out


def _expected_rewrites(row: Row, workdir: Path) -> set[str]:
    """The files the edited story's title can appear on: its own page, the two story lists, the
    pages of its tags and of the actors who speak in it, its open data, the index and the feed."""
    import yaml

    name = story_file_name(row.n // 2)
    story = yaml.safe_load((workdir / f"n{row.n}" / "site_data" / "stories" / name).read_text())
    actors = {c["claimant"] for c in story["claims"]}
    actors |= {r["actor"] for r in story.get("responses", [])}
    year, slug = story["published"][:4], name[:-5]
    data = {f"api/stories/{slug}.json", f"api/stories/{slug}/timeline.json", "api/stories.json", "feed.xml"}
    return ({f"stories/{slug}.md", "index.md", "stories/index.md", f"archive/{year}.md"} | data
            | {f"tags/{t}.md" for t in story["tags"]} | {f"actors/{a}.md" for a in actors})


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
    args = parser.parse_args()
    rows = []
    for n in sorted(args.sizes):
        rows.append(measure(n, args.workdir))
        print(f"measured N={n:,}", file=sys.stderr)
    print(f"# Contested benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f}); seconds are wall (CPU)\n")
    print(table(rows), flush=True)
    print()
    serve = serve_latency(args.serve_n, args.workdir, _free_port()) if args.serve_n else None
    results = checks(rows, serve, args.serve_n, args.workdir)
    for ok, text in results:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    big = max(rows, key=lambda r: r.n)
    print(f"\nfiles rewritten after one edit at N={big.n:,}: {', '.join(big.edit.rewritten)}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
