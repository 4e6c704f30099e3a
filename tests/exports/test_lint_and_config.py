"""The ClaimReview length warning in `check`, and reading the publisher and site_url from mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

from support import MINIMAL_STORY_FILE, copy_project, run_build

from contested.config import read_site_config


def test_check_warns_about_claims_too_long_for_claimreview(tmp_path: Path):
    root = copy_project(tmp_path, site_data=MINIMAL_STORY_FILE.parents[1])
    story = root / "site_data" / "stories" / "minimal.yaml"
    text = story.read_text(encoding="utf-8")
    assert 'text: "The memo alleges ties."' in text

    def claim_review_warnings(claim_text: str) -> list[str]:
        story.write_text(text.replace('"The memo alleges ties."', f'"{claim_text}"'), encoding="utf-8")
        result = run_build(root, "check")
        assert result.returncode == 0, result.stderr  # a warning, not an error
        return [line for line in result.stderr.splitlines() if line.endswith("[claim-review-long]")]

    # 75 characters of plain text once the Markdown emphasis is removed: no warning.
    assert claim_review_warnings("*" + "x" * 73 + ".*") == []
    long_text = "The memo alleges " + "ties to many units, " * 7 + "and more."
    assert claim_review_warnings(long_text) == [
        f"site_data/stories/minimal.yaml:28:11: warning: claim 'memo-ties' is {len(long_text)} characters; "
        "Google's ClaimReview guidance asks for under 75 so the claim shows unwrapped on phones "
        "[claim-review-long]"]


def test_site_config_from_mkdocs_yml(tmp_path: Path):
    config = tmp_path / "mkdocs.yml"
    # A python/name tag (as pymdownx.emoji is configured) must neither stop nor run anything.
    config.write_text("""\
site_name: Example
site_url: https://news.example/explainers
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:os.system
extra:
  publisher:
    name: Example Newsroom
    url: https://news.example/
""", encoding="utf-8")
    got = read_site_config(config)
    assert (got.site_url, got.site_name, got.publisher_name, got.publisher_url) == (
        "https://news.example/explainers/", "Example", "Example Newsroom", "https://news.example/")


def test_site_config_falls_back_to_site_name(tmp_path: Path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Example\nsite_url: https://news.example/\n", encoding="utf-8")
    got = read_site_config(config)
    assert (got.publisher_name, got.publisher_url) == ("Example", "https://news.example/")
