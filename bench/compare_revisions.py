#!/usr/bin/env python3
"""Compare two revisions' generation time and output on the same synthetic archive, in one run.

For a change that must not slow or alter the build (a refactor): each revision is checked out
into a temporary git worktree, the archive (bench/generate_archive.py) is generated once, and each
revision generates its docs folder from it, alternately, `--runs` times, in a fresh process with
no cache (a cold build's scan → stories → site → write; the engine is left out: it is not ours).
It prints each run, the mean of each revision and the change in percent, and whether the two
docs folders and `check --format json` outputs are byte-identical.

    python bench/compare_revisions.py fdd70e8 HEAD --n 1000 --runs 5

Run it on an otherwise idle machine: the stories stage uses every core.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_archive import PROJECT_PARTS, generate_archive  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

# Run inside the revision's checkout: generate the docs folder once, print the stages as JSON.
# Either package layout (contested/pipeline.py before issue 12, contested/build/ after).
_GENERATE = """
import json, sys, time
from pathlib import Path
from contested.project import Project
try:
    from contested.build.pipeline import BuildLog, generate
except ImportError:
    from contested.pipeline import BuildLog, generate
log = BuildLog()
start = time.perf_counter()
generate(Project(Path(sys.argv[1])), log)
print(json.dumps({"wall": time.perf_counter() - start, "stages": {n: s for n, s, _ in log.stages}}))
"""


def checkout(rev: str, into: Path) -> Path:
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(into), rev], check=True)
    return into


def project_for(code: Path, archive: Path, into: Path) -> Path:
    """The archive's data with this revision's templates, content and mkdocs.yml."""
    shutil.copytree(archive / "site_data", into / "site_data")
    for part in PROJECT_PARTS:
        source = code / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, into / part)
    return into


def generate_once(code: Path, project: Path) -> dict[str, float]:
    shutil.rmtree(project / ".build", ignore_errors=True)  # cold: no cache, no docs folder
    result = subprocess.run([sys.executable, "-c", _GENERATE, str(project)], cwd=code,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def check_json(code: Path, project: Path) -> bytes:
    return subprocess.run([sys.executable, str(code / "build.py"), "--root", str(project), "check",
                           "--format", "json"], capture_output=True, check=False).stdout


def same_tree(a: Path, b: Path) -> bool:
    compared = filecmp.dircmp(a, b)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    return not mismatch and not errors and all(same_tree(a / d, b / d) for d in compared.common_dirs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--n", type=int, default=1000, help="stories in the archive (default 1000)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="contested-revs-") as tmp:
        work = Path(tmp)
        codes = {name: checkout(rev, work / f"code-{name}")
                 for name, rev in (("before", args.before), ("after", args.after))}
        try:
            generate_archive(args.n, work / "archive")
            projects = {name: project_for(code, work / "archive", work / f"project-{name}")
                        for name, code in codes.items()}
            walls: dict[str, list[float]] = {name: [] for name in codes}
            for run in range(1, args.runs + 1):
                for name, code in codes.items():
                    result = generate_once(code, projects[name])
                    walls[name].append(result["wall"])
                    stages = " ".join(f"{s} {t:.2f}s" for s, t in result["stages"].items())
                    print(f"run {run} {name:<6} {result['wall']:6.2f}s  {stages}", flush=True)
            before, after = (statistics.mean(walls[name]) for name in ("before", "after"))
            print(f"mean   before {before:.2f}s, after {after:.2f}s: {100 * (after / before - 1):+.1f}%")
            docs = same_tree(*(projects[name] / ".build" / "docs" for name in codes))
            checks = check_json(codes["before"], projects["before"]) == check_json(codes["after"],
                                                                                  projects["after"])
            print(f"docs folder {'identical' if docs else 'DIFFERS'}; "
                  f"check --format json {'identical' if checks else 'DIFFERS'}")
            return 0 if docs and checks else 1
        finally:
            for code in codes.values():
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(code)],
                               check=False)


if __name__ == "__main__":
    sys.exit(main())
