"""Fixtures for the security tests; the helpers they use live in tests/support/."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import copy_project, run_build
from support.site import BuiltSite


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(bundled_site: BuiltSite) -> Path:
    """The session's build of the bundled data (tests/conftest.py); read only: copy it to change it."""
    return bundled_site.root


@pytest.fixture(scope="session")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The payload site (payload_site.py) built once with the real MkDocs; returns its site/."""
    from payload_site import write_payload_site

    root = copy_project(tmp_path_factory.mktemp("payloads") / "project")
    write_payload_site(root)
    result = run_build(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"
