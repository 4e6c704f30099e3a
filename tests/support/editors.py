"""For the editors' workflow tests: a small project (two actors, one clean story) written into tmp_path."""

from __future__ import annotations

from pathlib import Path

ACTORS = """\
us-dod:
  name: "U.S. Department of Defense"
  article: the
  kind: government
  description: "The U.S. defence ministry."
  aliases: ["Pentagon"]
alibaba:
  name: "Alibaba Group"
  kind: company
  description: "A Chinese technology company."
  aliases: ["Alibaba"]
"""

# A story no rule warns about: attributed claim, two independent dated sources with links, a response.
CLEAN_STORY = """\
title: "Pentagon memo alleges Alibaba ties to the PLA; Alibaba denies"
summary: "A U.S. Department of Defense memo alleges ties between Alibaba and the PLA. Alibaba denies them."
status: developing
published: "2025-11-14"
updated: "2025-11-14"
sources:
  memo:
    title: "Memo on Alibaba"
    publisher: "U.S. Department of Defense"
    kind: document
    date: "2025-11"
    url: "https://example.org/memo"
  statement:
    title: "Alibaba statement"
    publisher: "Alibaba Group"
    kind: statement
    date: "2025-11-14"
    url: "https://example.org/statement"
claims:
  - id: memo-ties
    text: "The memo alleges that Alibaba has ties to the PLA."
    claimant: us-dod
    sources: [memo, statement]
    verification: unconfirmed
    kind: allegation
responses:
  - id: alibaba-denies
    claims: [memo-ties]
    actor: alibaba
    stance: denies
    text: "Alibaba denied the allegations."
    sources: [statement]
updates:
  - date: "2025-11-14"
    kind: update
    text: "First published."
"""


def write_project(root: Path, story: str, slug: str = "story") -> Path:
    """A project with our actors and one story; returns the project root."""
    stories = root / "site_data" / "stories"
    stories.mkdir(parents=True, exist_ok=True)
    (root / "site_data" / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (stories / f"{slug}.yaml").write_text(story, encoding="utf-8")
    return root
