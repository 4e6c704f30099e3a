"""build/publish write_pages and write_files: the docs folder holds exactly the pages given, and a
file whose bytes did not change is not rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from contested.build.errors import PublishError
from contested.build.write import write_files, write_pages
from contested.files import files_under


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_first_write_makes_every_page_and_its_folders(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    pages: dict[str, bytes | None] = {"index.md": b"# Home\n", "stories/a.md": b"# A\n", "x/y/z.md": b"z"}
    stats = write_pages(pages, docs)
    assert (stats.written, stats.unchanged, stats.removed) == (3, 0, 0)
    assert _tree(docs) == pages
    assert files_under(docs) == frozenset(pages)


def test_unchanged_bytes_are_not_rewritten_and_changed_ones_are(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages({"a.md": b"one", "b.md": b"two"}, docs)
    before = {name: (docs / name).stat().st_ino for name in ("a.md", "b.md")}
    stats = write_pages({"a.md": b"one", "b.md": b"TWO"}, docs)
    assert (stats.written, stats.unchanged, stats.removed) == (1, 1, 0)
    assert (docs / "a.md").stat().st_ino == before["a.md"]  # untouched
    assert (docs / "b.md").stat().st_ino != before["b.md"]  # replaced atomically, a new file
    assert _tree(docs) == {"a.md": b"one", "b.md": b"TWO"}
    assert not list(docs.glob(".*.tmp"))


def test_files_no_page_names_are_removed_with_their_empty_folders(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages({"index.md": b"i", "tags/old.md": b"o", "stories/kept.md": b"k"}, docs)
    stats = write_pages({"index.md": b"i"}, docs, from_stories=frozenset({"stories/kept.md"}))
    assert stats.removed == 1
    assert _tree(docs) == {"index.md": b"i", "stories/kept.md": b"k"}
    assert not (docs / "tags").exists()


def test_a_page_given_as_none_is_kept_unread(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages({"a.md": b"from last build"}, docs)
    assert write_files({"a.md": None}, docs, files_under(docs)) == (0, 1)
    assert (docs / "a.md").read_bytes() == b"from last build"


def test_a_page_to_keep_that_is_missing_is_an_error(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    with pytest.raises(PublishError, match="gone.md was to be kept"):
        write_files({"gone.md": None}, docs, frozenset())
