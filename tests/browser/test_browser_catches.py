"""The checks against a deliberately broken page (fixtures/broken/): each must find its fault there.

A check that passes on the real site proves something only if it fails on a page with the fault.
"""

from __future__ import annotations

import pytest

from .browser_checks import (
    BROKEN_PATH,
    Site,
    Watched,
    axe_violations,
    focus_problems,
    print_problems,
    sideways_overflow,
    small_table_text,
    unworded_labels,
    visit,
)


@pytest.fixture
def broken(site: Site, desktop: Watched) -> Watched:
    visit(desktop, site.url(BROKEN_PATH))
    return desktop


def test_third_party_requests_are_caught_and_blocked(broken: Watched) -> None:
    hosts = {u.split("/")[2] for u in broken.external}
    assert hosts == {"fonts.example.com", "cdn.example.com"}
    assert any(p.startswith("left 127.0.0.1") for p in broken.problems())


def test_failed_request_and_console_error_are_caught(broken: Watched) -> None:
    assert any("missing-picture.png" in f and "404" in f for f in broken.failed)
    assert any("deliberate console error" in m for m in broken.console_errors)


def test_axe_catches_faint_text_and_an_image_without_alt(broken: Watched, axe_source: str) -> None:
    rules = {v.split(":", 1)[0] for v in axe_violations(broken.page, axe_source)}
    assert {"color-contrast", "image-alt"} <= rules, rules


def test_keyboard_check_catches_hidden_focus_and_a_trap(broken: Watched) -> None:
    problems = focus_problems(broken.page)
    assert "no visible focus indicator: a A link that hides its focus" in problems
    assert "never reached by Tab: a A link after the trap" in problems


def test_print_check_catches_navigation_and_a_missing_address(broken: Watched) -> None:
    problems = print_problems(broken.page)
    assert "shown on paper: .md-header" in problems
    assert "shown on paper: .md-search" in problems
    assert "address not printed: https://example.org/x" in problems


def test_label_check_catches_a_colour_only_badge(broken: Watched) -> None:
    problems = unworded_labels(broken.page)
    assert len(problems) == 1 and "ct-badge--refuted" in problems[0]


def test_phone_checks_catch_sideways_scroll_and_tiny_table_text(site: Site, phone: Watched) -> None:
    page = visit(phone, site.url(BROKEN_PATH))
    assert sideways_overflow(page) > 0
    assert small_table_text(page) == ["denies: 8px"]
