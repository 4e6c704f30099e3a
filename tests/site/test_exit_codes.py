"""Exit codes tell the truth: 70 only for a bug in Contested; the machine's failures (disk full,
memory, permissions, a busy or read-only folder) get their own message and exit 74, and a cache
that cannot be saved after the site was published is a warning. The machine's failures are
simulated in process (root can write anywhere, and a disk cannot be filled safely here)."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

import pytest
from support import FIXTURES, copy_project

from contested import cli
from contested.build import cache, pipeline


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", site_data=FIXTURES / "minimal" / "site_data")


def fail_with(exc: BaseException) -> Callable[..., None]:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise exc
    return fail


def build(root: Path) -> int:
    return cli.main(["--root", str(root), "build"])


@pytest.mark.parametrize(("error", "said"), [
    (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
    (OSError(errno.EACCES, "Permission denied"), "Permission denied"),
    (OSError(errno.EROFS, "Read-only file system"), "Read-only file system"),
])
def test_the_machine_failing_the_write_is_exit_74(small: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str],
                                                  error: OSError, said: str) -> None:
    monkeypatch.setattr(pipeline, "write_pages", fail_with(error))
    assert build(small) == cli.EXIT_ENVIRONMENT == 74
    err = capsys.readouterr().err
    assert said in err and "not a bug in Contested" in err and "site/ was left as it was" in err
    assert "internal error" not in err and not (small / "site").exists()


def test_the_swap_failing_with_ebusy_is_exit_74(small: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pipeline, "swap_into_place",
                        fail_with(OSError(errno.EBUSY, "Device or resource busy", str(small / "site"))))
    assert build(small) == 74
    err = capsys.readouterr().err
    assert f"Device or resource busy: {small / 'site'}" in err and "not a bug in Contested" in err


def test_out_of_memory_is_exit_74(small: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pipeline, "render_shared", fail_with(MemoryError()))
    assert build(small) == 74
    err = capsys.readouterr().err
    assert err.startswith("out of memory.") and "internal error" not in err


def test_a_failed_cache_write_after_the_swap_is_a_warning(small: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cache, "save_cache", fail_with(
        OSError(errno.ENOSPC, "No space left on device", str(small / ".build/cache/build.pickle"))))
    assert build(small) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "built " in err
    assert ("warning: the build cache could not be saved (No space left on device: "
            f"{small / '.build/cache/build.pickle'}); site/ was published") in err
    assert (small / "site" / "stories" / "minimal" / "index.html").is_file()


def test_an_unexpected_oserror_is_still_our_bug(small: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pipeline, "render_shared", fail_with(OSError(errno.EBADF, "Bad file descriptor")))
    assert build(small) == cli.EXIT_INTERNAL == 70
    assert "This is a bug in Contested" in capsys.readouterr().err
