"""Stage swap: the engine's finished folder replaces `site/` in one atomic exchange, so a failure
or a kill at any moment leaves the previous `site/` exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
from pathlib import Path

from contested.project import Project


def swap_into_place(new_site: Path, site_dir: Path) -> None:
    """Replace site_dir by new_site atomically where the OS allows, then delete the old copy."""
    if site_dir.exists() and _exchange(new_site, site_dir):
        shutil.rmtree(new_site)  # now holds the previous site
        return
    if site_dir.exists():  # no atomic exchange here: move aside, move in, with a recovery point
        old = new_site.with_name(new_site.name + ".old")
        os.replace(site_dir, old)
        os.replace(new_site, site_dir)
        shutil.rmtree(old)
    else:
        os.replace(new_site, site_dir)


def clean_leftovers(project: Project) -> None:
    """Remove half-built sites a killed build left in .build/; restore site/ if it was moved aside."""
    if not project.work_dir.is_dir():
        return
    for path in project.work_dir.glob("site-*"):
        if path.name.endswith(".old") and not project.site_dir.exists():
            os.replace(path, project.site_dir)
        else:
            shutil.rmtree(path, ignore_errors=True)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two paths in one step. False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result: int = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
