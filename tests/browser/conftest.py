"""Browser fixtures: the real site, built once, served on 127.0.0.1, read by one headless Chromium.

Every request a page makes goes through `_guard`: anything not addressed to 127.0.0.1 is aborted
and recorded, so a test can assert that reading the site sends nothing to anyone else.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from support import CHROMIUM, CHROMIUM_ARGS, REPO, copy_project, require_chromium, run_build, serve_folder

from .browser_checks import BROKEN_PATH, Site, Watched, open_context, watch

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

# Material prints nothing in the footer unless a copyright line is set; set one so its contrast is tested.
FOOTER_LINE = '\ncopyright: "Contested: every statement attributed and sourced."\n'
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _copy_project(dest: Path) -> None:
    copy_project(dest)
    config = dest / "mkdocs.yml"
    if "\ncopyright:" not in config.read_text(encoding="utf-8"):
        with config.open("a", encoding="utf-8") as f:
            f.write(FOOTER_LINE)
    stories = dest / "site_data" / "stories"
    shutil.copy2(FIXTURES / "site_data" / "print-check.yaml", stories / "print-check.yaml")
    with (dest / "site_data" / "actors.yaml").open("a", encoding="utf-8") as f:
        f.write((FIXTURES / "site_data" / "actors-extra.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="package")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project copied into a temporary folder and built once with the real build command."""
    root = tmp_path_factory.mktemp("browser-site")
    _copy_project(root)
    result = run_build(root, "build")
    assert result.returncode == 0, f"build failed:\n{result.stderr}"
    shutil.copytree(FIXTURES / "broken", root / "site" / BROKEN_PATH.strip("/"))
    return root


@pytest.fixture(scope="package")
def site(built_site: Path) -> Iterator[Site]:
    with serve_folder(built_site / "site") as url:
        yield Site(built_site, url)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(REPO)} is missing: run `make node_modules/.installed` "
                    "(npm ci) first; `make test` does.", pytrace=False)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Watched]:
    context = open_context(browser, DESKTOP)
    try:
        yield watch(context)
    finally:
        context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Watched]:
    context = open_context(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        yield watch(context)
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
