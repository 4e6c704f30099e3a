"""The site engine is one setting in mkdocs.yml (`extra.site_engine`): MkDocs by default, or
ProperDocs, its maintained fork. Both make the same story pages from the same docs folder."""

from __future__ import annotations

import re
from pathlib import Path

from support import BUNDLED_STORY, copy_project, hash_tree, run_build
from support.site import build_project

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def with_engine(root: Path, engine: str) -> Path:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    changed = re.sub(r"^  site_engine: \w+$", f"  site_engine: {engine}", text, flags=re.M)
    assert changed != text or engine == "mkdocs"
    config.write_text(changed, encoding="utf-8")
    return root


def test_the_bundled_story_fixture_site_is_the_same_from_mkdocs_and_properdocs(tmp_path: Path) -> None:
    mkdocs = build_project(with_engine(copy_project(tmp_path / "mkdocs"), "mkdocs"))
    properdocs = build_project(with_engine(copy_project(tmp_path / "properdocs"), "properdocs"))
    page = f"stories/{BUNDLED_STORY}/index.html"
    from_mkdocs, from_properdocs = (mkdocs.site / page).read_bytes(), (properdocs.site / page).read_bytes()
    # Each names itself in the generator tag: proof that each engine really ran.
    assert b"mkdocs-1.6.1" in GENERATOR.search(from_mkdocs).group()  # type: ignore[union-attr]
    assert b"ProperDocs 1.6.7" in GENERATOR.search(from_properdocs).group()  # type: ignore[union-attr]
    a, b = hash_tree(mkdocs.site), hash_tree(properdocs.site)
    assert a.keys() == b.keys()
    differing = {path for path in a if a[path] != b[path]}
    # The search manifest records a digest of each shard's pages, generator tag included: its
    # digests differ, nothing else in the search index does.
    assert "pagefind/shards.json" in differing
    differing.remove("pagefind/shards.json")
    # Otherwise only HTML differs, and only in that tag.
    assert differing and all(path.endswith(".html") for path in differing)
    for path in differing:
        assert (GENERATOR.sub(b"", (mkdocs.site / path).read_bytes())
                == GENERATOR.sub(b"", (properdocs.site / path).read_bytes())), path


def test_an_unknown_engine_fails_the_build_naming_the_setting(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = root / "mkdocs.yml"
    with_engine(root, "hugo")
    assert "site_engine: hugo" in config.read_text(encoding="utf-8")
    result = run_build(root, "build")
    assert result.returncode == 1
    assert "extra.site_engine is 'hugo'" in result.stderr and "mkdocs, properdocs" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


def test_the_preview_runs_the_engine_the_setting_names(tmp_path: Path) -> None:
    """`build.py serve` keeps its own engine process (engine_worker.py): the setting holds there too."""
    from support.preview import fetch, minimal_project, running_preview

    root = with_engine(minimal_project(tmp_path / "project"), "properdocs")
    with running_preview(root) as (server, _, url):
        generator = GENERATOR.search(fetch(url).encode())
        assert generator is not None and b"ProperDocs 1.6.7" in generator.group(), server.text()
