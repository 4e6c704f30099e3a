"""Fixtures for the security tests; the helpers they use live in security_support.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from security_support import copy_project, run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One successful build of the bundled data, shared by a module's tests."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The payload site (payload_site.py) built once with the real MkDocs; returns its site/."""
    from payload_site import write_payload_site

    root = copy_project(tmp_path_factory.mktemp("payloads") / "project")
    write_payload_site(root)
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"
