"""content/lint: each warning rule on real YAML written into tmp_path, with the place it names."""

from __future__ import annotations

from pathlib import Path

from support import MINIMAL_STORY_FILE, valid_data

from contested.content.lint import LOADED_WORDS, lint_story


def _lint(root: Path, text: str) -> list[tuple[str, int, int]]:
    """(code, line, col) of every warning lint_story gives the project's one story, made `text`."""
    (root / "site_data" / "stories" / "minimal.yaml").write_text(text, encoding="utf-8")
    actors, (story,) = valid_data(root)
    return [(d.code, d.line, d.col) for d in lint_story(story, actors, text)]


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_the_minimal_story_has_no_warning(minimal_project: Path) -> None:
    assert _lint(minimal_project, MINIMAL_STORY_FILE.read_text(encoding="utf-8")) == []


def test_a_loaded_word_in_the_sites_voice_is_found_at_its_column(minimal_project: Path) -> None:
    text = MINIMAL_STORY_FILE.read_text(encoding="utf-8").replace(
        'summary: "A memo alleges ties.', 'summary: "A memo reveals ties.')
    line = _line_of(text, "summary:")
    col = text.splitlines()[line - 1].index("reveals") + 1
    assert _lint(minimal_project, text) == [("loaded-word", line, col)]
    assert "reveal" in LOADED_WORDS


def test_the_same_word_in_a_claimants_words_is_not_the_sites_voice(minimal_project: Path) -> None:
    text = MINIMAL_STORY_FILE.read_text(encoding="utf-8").replace(
        'text: "The memo alleges ties."', 'text: "The memo alleges the company reveals ties."')
    assert _lint(minimal_project, text) == []


def test_a_source_without_url_and_without_date(minimal_project: Path) -> None:
    text = MINIMAL_STORY_FILE.read_text(encoding="utf-8").replace(
        '    date: "2025-11-15"\n    url: "https://example.org/wire"\n', '    date: "unknown"\n')
    codes = {code for code, _, _ in _lint(minimal_project, text)}
    assert codes == {"source-no-url", "source-no-date"}


def test_a_claim_nobody_answered(minimal_project: Path) -> None:
    text = MINIMAL_STORY_FILE.read_text(encoding="utf-8")
    text = text[:text.index("responses:\n")] + text[text.index("open_questions:"):]
    found = _lint(minimal_project, text)
    assert [code for code, _, _ in found] == ["no-response"]
    assert found[0][1] == _line_of(text, "  - id: memo-ties")
