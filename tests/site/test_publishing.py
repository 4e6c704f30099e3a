"""Publishing on real machines: two builds at once, the umask, a `site/` that is a symlink, a
mount point or a read-only mount. Every build here is a real `build.py build` process."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import FIXTURES, REPO, build_command, build_env, copy_project, hash_tree, run_build

from contested.build.lock import project_lock
from contested.project import Project

STORY = Path("site_data/stories/minimal.yaml")


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """The repository's project with the minimal story: quick to build."""
    return copy_project(tmp_path / "project", site_data=FIXTURES / "minimal" / "site_data")


def retitle(root: Path, title: str) -> None:
    path = root / STORY
    path.write_text(path.read_text().replace('title: "Memo alleges ties; company denies"',
                                             f'title: "{title}"', 1))


def files(folder: Path) -> set[str]:
    """Every file's path, but the search index's (Pagefind names its files by their content: an edit
    renames them), which `search_index_is_whole` checks instead."""
    return {rel for p in folder.rglob("*") if p.is_file()
            if not (rel := p.relative_to(folder).as_posix()).startswith("pagefind/")}


def search_index_is_whole(site: Path) -> bool:
    """Every shard shards.json lists has its entry file and the meta file that names."""
    shards = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    for shard in shards:
        bundle = site / "pagefind" / shard["name"]
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        if not all((bundle / f"pagefind.{lang['hash']}.pf_meta").is_file()
                   for lang in entry["languages"].values()):
            return False
    return bool(shards)


def story_page(site: Path) -> str:
    return (site / "stories" / "minimal" / "index.html").read_text(encoding="utf-8")


def test_two_builds_at_once_both_publish_the_whole_site(small: Path) -> None:
    assert run_build(small, "build").returncode == 0
    whole = files(small / "site")
    assert {"feed.xml", "api/stories.json", "stories/minimal/index.html"} <= whole
    waited = 0
    for attempt in range(4):
        shutil.rmtree(small / "site")
        if attempt:
            retitle(small, f"Attempt {attempt}")
        builds = [subprocess.Popen(build_command(small, "build"), cwd=REPO, env=build_env(), text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        outputs = [b.communicate(timeout=300) for b in builds]
        for build, (_, err) in zip(builds, outputs, strict=True):
            assert build.returncode == 0, err
        assert files(small / "site") == whole, f"attempt {attempt}: an incomplete site was published"
        assert search_index_is_whole(small / "site"), f"attempt {attempt}: an incomplete search index"
        assert not list((small / ".build").glob("site-*")), "a build left its work behind"
        waiting = [err for _, err in outputs if "waiting: another build of this project" in err]
        pids = {str(b.pid) for b in builds}
        assert all(any(f"(process {pid})" in err for pid in pids) for err in waiting), waiting
        waited += len(waiting)
    assert waited, "the builds never overlapped: the test proved nothing"


def test_a_build_waits_for_the_holder_and_keeps_its_work(small: Path) -> None:
    """This test process holds the lock with a half-built site in .build/, as a running build would."""
    half_built = small / ".build" / "site-inprogress"
    half_built.mkdir(parents=True)
    (half_built / "index.html").write_text("half")
    with project_lock(Project(small)):
        waiting = subprocess.Popen(build_command(small, "build"), cwd=REPO, env=build_env(), text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(3)
        assert waiting.poll() is None, "the second build did not wait"
        assert (half_built / "index.html").read_text() == "half", "it removed the running build's work"
        assert not (small / "site").exists()
    _, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert err.splitlines()[0] == (f"waiting: another build of this project (process {os.getpid()}) "
                                   f"holds {small / '.build' / 'lock'}")
    assert not half_built.exists(), "once it held the lock, the leftover was cleaned"
    assert (small / "site" / "stories" / "minimal" / "index.html").is_file()


def test_a_finished_build_leaves_no_holder_named(small: Path) -> None:
    result = run_build(small, "build")
    assert result.returncode == 0, result.stderr
    assert (small / ".build" / "lock").read_text() == "", "a finished build is still named"


def test_site_is_readable_by_others_under_umask_022(small: Path) -> None:
    result = run_build(small, "build", preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 0, result.stderr
    site = small / "site"
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    for path in site.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), f"{path}: {oct(mode)}"


def test_site_follows_the_umask(small: Path) -> None:
    result = run_build(small, "build", preexec_fn=lambda: os.umask(0o027))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((small / "site").stat().st_mode) == 0o750


@pytest.mark.parametrize("where", ["same-file-system", "other-file-system"])
def test_symlinked_site_is_updated_in_place(small: Path, tmp_path: Path, where: str) -> None:
    if where == "same-file-system":
        public = tmp_path / "public"
    else:  # /dev/shm is tmpfs: a rename there from .build/ fails with EXDEV
        if not Path("/dev/shm").is_dir() or os.stat("/dev/shm").st_dev == tmp_path.stat().st_dev:
            pytest.skip("no second file system at /dev/shm")
        public = Path(f"/dev/shm/contested-test-{os.getpid()}-public")
    public.mkdir()
    (public / "stale.html").write_text("from an older deploy")
    try:
        (small / "site").symlink_to(public, target_is_directory=True)
        first = run_build(small, "build")
        assert first.returncode == 0, first.stderr
        retitle(small, "Second build title")
        second = run_build(small, "build")
        assert second.returncode == 0, second.stderr
        assert (small / "site").is_symlink() and os.readlink(small / "site") == str(public)
        assert "Second build title" in story_page(public)
        assert not (public / "stale.html").exists()
        assert not list((small / ".build").glob("site-*"))
        reference = copy_project(tmp_path / "reference", small)
        assert run_build(reference, "build").returncode == 0
        assert hash_tree(public) == hash_tree(reference / "site")
    finally:
        shutil.rmtree(public, ignore_errors=True)


@pytest.fixture
def mounted_site(small: Path) -> Iterator[Path]:
    """site/ is a real tmpfs mount point (root only)."""
    site = small / "site"
    site.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "contested-test", str(site)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount here (needs root)")
    try:
        yield site
    finally:
        subprocess.run(["umount", "-l", str(site)], check=True)


def test_site_as_a_mount_point_is_synced_in_place(small: Path, mounted_site: Path, tmp_path: Path) -> None:
    (mounted_site / "stale.html").write_text("from an older deploy")
    first = run_build(small, "build")
    assert first.returncode == 0, first.stderr
    assert "synced in place" in first.stderr
    retitle(small, "Second build title")
    second = run_build(small, "build")
    assert second.returncode == 0, second.stderr
    assert os.path.ismount(mounted_site)
    assert "Second build title" in story_page(mounted_site)
    reference = copy_project(tmp_path / "reference", small)
    assert run_build(reference, "build").returncode == 0
    assert hash_tree(mounted_site) == hash_tree(reference / "site")  # stale and partial files gone


def test_read_only_site_mount_is_the_machines_error(small: Path, mounted_site: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mounted_site)], check=True)
    result = run_build(small, "build")
    assert result.returncode == 74, result.stderr
    assert "Read-only file system" in result.stderr
    assert "not a bug in Contested" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_a_full_disk_under_the_engine_is_the_machines_error(small: Path) -> None:
    """.build/ is a real 1 MB tmpfs: the pages fit, the engine's copy of the theme does not."""
    work = small / ".build"
    work.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "contested-test",
                                            str(work)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount here (needs root)")
    try:
        result = run_build(small, "build")
    finally:
        subprocess.run(["umount", "-l", str(work)], check=True)
    assert result.returncode == 74, result.stderr
    assert "the site engine failed (exit 1): OSError: [Errno 28] No space left on device" in result.stderr
    assert "not a bug in Contested" in result.stderr and "site/ was left as it was" in result.stderr
    assert "Traceback" not in result.stderr and not (small / "site").exists()
