"""Session fixtures: the made-up project and the repository's own bundled story, each built once
with the real MkDocs (the frozen Alibaba project, `bundled_site`, is in tests/conftest.py)."""

from __future__ import annotations

import shutil

import pytest
from support import BUNDLED_STORY, REPO, copy_project
from support.site import FIXTURES, BuiltSite, build_project


@pytest.fixture(scope="session")
def made_up_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The fictional fixture project (Harbor Bridge and a story without denials), built once."""
    root = tmp_path_factory.mktemp("made-up")
    return build_project(copy_project(root, site_data=FIXTURES / "second-story" / "site_data"))


@pytest.fixture(scope="session")
def real_bundled_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bundled story as site_data/ holds it today, alone with the actors (other stories editors
    add do not change its pages), built once. Only tests named for the bundled story use it."""
    data = tmp_path_factory.mktemp("real-bundled") / "site_data"
    (data / "stories").mkdir(parents=True)
    shutil.copy2(REPO / "site_data" / "actors.yaml", data / "actors.yaml")
    story = f"stories/{BUNDLED_STORY}.yaml"
    shutil.copy2(REPO / "site_data" / story, data / story)
    return build_project(copy_project(data.parent / "project", site_data=data))
