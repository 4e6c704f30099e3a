"""The ClaimReview length warning in `check`, and reading the publisher and site_url from mkdocs.yml."""

from __future__ import annotations

import json
from pathlib import Path

from support import copy_project, run_build

from contested.config import read_site_config


def test_check_warns_about_claims_too_long_for_claimreview(tmp_path: Path):
    root = copy_project(tmp_path)
    story = root / "site_data" / "stories" / "alibaba-pla-memo.yaml"
    text = story.read_text(encoding="utf-8")
    long_text = ("The memo alleges that Alibaba provides the PLA with 'opportunities' that "
                 "'pose a threat to U.S. security'.")
    assert f'text: "{long_text}"' in text
    # 75 characters of plain text once the Markdown emphasis is removed: no warning.
    short = "*" + "x" * 73 + ".*"
    story.write_text(text.replace(f'text: "{long_text}"', f'text: "{short}"'), encoding="utf-8")
    result = run_build(root, "check", "--format", "json")
    assert result.returncode == 0  # a warning, not an error
    found = json.loads(result.stdout)
    long_claims = [d["message"].split("'")[1] for d in found if d["code"] == "claim-review-long"]
    assert len(long_claims) == 14 and "memo-opportunities" not in long_claims
    plain = run_build(root, "check").stderr
    assert ("site_data/stories/alibaba-pla-memo.yaml:50:11: warning: claim 'memo-covert-connection' is "
            "157 characters; Google's ClaimReview guidance asks for under 75 so the claim shows unwrapped "
            "on phones [claim-review-long]") in plain


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
