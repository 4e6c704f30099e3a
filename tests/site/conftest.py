"""Session fixtures: the bundled and made-up projects, each built once with the real MkDocs."""

from __future__ import annotations

import pytest
from site_support import FIXTURES, BuiltSite, build_project, copy_project


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The repo's own project (the Alibaba story), built once."""
    return build_project(copy_project(tmp_path_factory.mktemp("bundled")))


@pytest.fixture(scope="session")
def made_up_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The fictional fixture project (Harbor Bridge and a story without denials), built once."""
    root = tmp_path_factory.mktemp("made-up")
    return build_project(copy_project(root, FIXTURES / "second-story" / "site_data"))
