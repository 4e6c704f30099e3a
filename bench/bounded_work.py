#!/usr/bin/env python3
"""Is the work linear in the input? (issue 16, "bounded work")

For each kind of heavy input in bench/hostile_inputs.py (via chains, references, stance table
widths, a long label cited everywhere, unknown references) and sizes doubling from 500 to 8,000,
it writes a one-story project, runs the real `build.py check` and, where cheap, `build.py build`,
and prints the CPU seconds (the child process's user + system time; wall time is noisier on a
shared machine) with the ratio to the size before: about 2 per doubling is linear, 4 quadratic.
Stories the build must refuse (too long a via chain, an id listed twice, a page over its limit)
are refused before the engine runs, so their build is always timed; valid stories are built
with MkDocs up to --build-max.

    .venv/bin/python bench/bounded_work.py [--sizes 500 1000 2000 4000 8000] [--build-max 4000]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile_inputs import KINDS  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "templates", "content", "overrides")
BUILT_IN_FULL = ("via-chains", "distinct-references")  # valid stories, whose build runs the engine
CODE = re.compile(r": error: .* \[([a-z-]+)\]$", re.M)


def _project(folder: Path, kind: str, n: int) -> Path:
    folder.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, folder / part)
        else:
            shutil.copy2(source, folder / part)
    story, actors = KINDS[kind](n)
    (folder / "site_data" / "stories").mkdir(parents=True)
    (folder / "site_data" / "stories" / "heavy.yaml").write_text(story, encoding="utf-8")
    (folder / "site_data" / "actors.yaml").write_text(actors, encoding="utf-8")
    return folder


def _run(root: Path, *args: str) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, outcome) of one `build.py` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode == 0:
        return cpu, wall, "ok"
    if args[0] == "check" and proc.stdout.startswith("["):
        codes = sorted({d["code"] for d in json.loads(proc.stdout) if d["severity"] == "error"})
        return cpu, wall, ",".join(codes) or f"exit {proc.returncode}"
    found = sorted(set(CODE.findall(proc.stdout + proc.stderr)))
    return cpu, wall, ",".join(found) or f"exit {proc.returncode}"


def _ratio(now: float, before: float | None) -> str:
    return f"×{now / before:4.2f}" if before else "     "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000, 8000])
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=list(KINDS))
    parser.add_argument("--build-max", type=int, default=4000,
                        help="largest size of a valid story to build with the engine")
    args = parser.parse_args()
    print(f"{'input':<20} {'n':>6} {'file KB':>8}   {'check CPU s':>11} {'ratio':>6}  "
          f"{'build CPU s':>11} {'ratio':>6}  outcome (check / build)")
    with tempfile.TemporaryDirectory(prefix="bounded-") as tmp:
        for kind in args.kinds:
            last_check: float | None = None
            last_build: float | None = None
            for n in args.sizes:
                root = _project(Path(tmp) / f"{kind}-{n}", kind, n)
                size = (root / "site_data" / "stories" / "heavy.yaml").stat().st_size
                check, _, checked = _run(root, "check", "--format", "json")
                line = f"{kind:<20} {n:>6} {size / 1024:>8.0f}   {check:>11.2f} {_ratio(check, last_check)}  "
                if kind in BUILT_IN_FULL and n > args.build_max:
                    line += f"{'-':>11} {'':>6}  {checked} / not built (over --build-max)"
                    last_build = None
                else:
                    build, _, built = _run(root, "build")
                    line += f"{build:>11.2f} {_ratio(build, last_build)}  {checked} / {built}"
                    last_build = build
                last_check = check
                print(line, flush=True)
                shutil.rmtree(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
