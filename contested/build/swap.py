"""Stage swap: the engine's finished folder replaces `site/` in one atomic exchange, so a failure
or a kill at any moment leaves the previous `site/` exactly as it was.

`site/` may be a symlink (its target is updated, the link kept) or a folder that cannot be renamed
(a mount point: EBUSY; another file system: EXDEV). Then the new tree is synced into it: every
file is copied beside its final name and renamed over it, so a reader sees each file old or new,
never half-written; new files arrive before stale ones are removed, so no link breaks midway.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

from contested.project import Project

# rename() refuses these for a mount point or a target on another file system: sync instead.
_CANNOT_RENAME = frozenset({errno.EBUSY, errno.EXDEV})
_PARTIAL = ".contested-new"  # suffix of a file being copied into a synced site
_TRASH = "trash-"  # prefix of a previous site in .build/ being deleted in the background


def swap_into_place(new_site: Path, site_dir: Path) -> str:
    """Put new_site where site_dir (or, for a symlink, its target) is; new_site is gone after.
    Returns how, for the build's report."""
    target = Path(os.path.realpath(site_dir)) if site_dir.is_symlink() else site_dir
    shown = f"{site_dir.name}/" if target == site_dir else f"{site_dir.name}/ -> {target}"
    try:
        _replace(new_site, target)
        return f"-> {shown}"
    except OSError as exc:
        if exc.errno not in _CANNOT_RENAME:
            raise
    target.mkdir(parents=True, exist_ok=True)
    sync_tree(new_site, target)
    shutil.rmtree(new_site)
    return f"-> {shown} (synced in place: it cannot be renamed)"


def _replace(new_site: Path, target: Path) -> None:
    if not target.exists():
        os.replace(new_site, target)
    elif _exchange(new_site, target):
        discard(new_site)  # now holds the previous site
    else:  # no atomic exchange here: move aside, move in, with a recovery point
        old = new_site.with_name(new_site.name + ".old")
        os.replace(target, old)
        os.replace(new_site, target)
        discard(old)


def discard(folder: Path) -> None:
    """Remove a previous site: renamed out of the way at once, its files deleted by a background
    process. Deleting thousands of files takes seconds of disk time that nobody need wait for; a
    build killed first leaves it to the next build's `clean_leftovers`."""
    trash = folder.with_name(_TRASH + folder.name)
    os.replace(folder, trash)
    try:
        remove = "import shutil, sys; shutil.rmtree(sys.argv[1], True)"
        subprocess.Popen([sys.executable, "-c", remove, str(trash)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    except OSError:  # no process to spare: delete here
        shutil.rmtree(trash, ignore_errors=True)


def sync_tree(source: Path, dest: Path) -> None:
    """Make dest hold exactly source's files, each replaced by one rename; stale files go last."""
    wanted: set[str] = set()
    for folder, dirs, files in os.walk(source):
        rel = Path(folder).relative_to(source)
        for name in dirs:
            wanted.add((rel / name).as_posix())
            there = dest / rel / name
            if there.is_symlink() or (there.exists() and not there.is_dir()):
                there.unlink()
            there.mkdir(exist_ok=True)
            shutil.copymode(Path(folder) / name, there)
        for name in files:
            wanted.add((rel / name).as_posix())
            there = dest / rel / name
            if there.is_dir() and not there.is_symlink():
                shutil.rmtree(there)
            partial = there.with_name(name + _PARTIAL)
            shutil.copy2(Path(folder) / name, partial)
            os.replace(partial, there)
    for folder, dirs, files in os.walk(dest, topdown=False):
        rel = Path(folder).relative_to(dest)
        for name in files + dirs:
            path = Path(folder) / name
            if (rel / name).as_posix() in wanted:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()


def clean_leftovers(project: Project) -> None:
    """Remove half-built sites a killed build left in .build/; restore site/ if it was moved aside.
    Only under the project's lock (lock.py): otherwise they could be another build's work."""
    if not project.work_dir.is_dir():
        return
    site = Path(os.path.realpath(project.site_dir))  # a symlinked site/'s target was moved aside
    for path in project.work_dir.glob(_TRASH + "*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in project.work_dir.glob("site-*"):
        if path.name.endswith(".old") and not site.exists():
            os.replace(path, site)
        else:
            shutil.rmtree(path, ignore_errors=True)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two paths in one step. False where unsupported;
    OSError when the OS refuses this pair (EBUSY for a mount point, EXDEV across file systems)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result: int = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(code, os.strerror(code), str(b))
