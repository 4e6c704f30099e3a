"""Session fixtures: the made-up project built once with the real MkDocs (the bundled one,
`bundled_site`, is in tests/conftest.py)."""

from __future__ import annotations

import pytest
from support import copy_project
from support.site import FIXTURES, BuiltSite, build_project


@pytest.fixture(scope="session")
def made_up_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The fictional fixture project (Harbor Bridge and a story without denials), built once."""
    root = tmp_path_factory.mktemp("made-up")
    return build_project(copy_project(root, site_data=FIXTURES / "second-story" / "site_data"))
