"""Built sites for the export tests: the bundled site, and a copy with a hostile test story.

Each is built once per test session with the real command (`build.py build`, so the real MkDocs)
in a temporary copy of the project; nothing is written in the repository. The bundled one is the
session's `bundled_site` (tests/conftest.py), shared with the other suites.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import copy_project, run_build
from support.site import BuiltSite

# A fictional story made to stress the exports: markup that tries to leave the JSON-LD script,
# quotes and angle brackets for the meta tags, every date precision, a correction and a person
# with a Wikidata id. Nothing in it is about a real event.
HOSTILE_STORY = r'''
title: 'Test story: "quoted" </script><!-- & <b>more</b>'
summary: 'A *fictional* story with "quotes", <b>tags</b> & ampersands.'
status: settled
published: "2024-03"
updated: "2025-01-15"
tags: [testing]
sources:
  memo:
    title: "A memo </script>"
    publisher: "Example Gazette"
    kind: document
    date: "c. 2019"
    url: "https://news.example/memo"
  interview:
    title: "An interview"
    publisher: "Example Radio"
    kind: report
    date: "2024-03-02"
    via: memo
    url: "https://radio.example/interview"
claims:
  - id: breakout
    text: "Ends early </script><script>alert(1)</script> <!-- and \u2028 here & there"
    claimant: jane-doe
    sources: [memo, interview]
    verification: refuted
    note: "Shown *false* by the memo."
    kind: allegation
  - id: widgets
    text: "Acme sold widgets."
    claimant: acme
    sources: [memo]
    verification: confirmed
    kind: allegation
responses:
  - id: acme-denies
    claims: [breakout]
    actor: acme
    stance: denies
    text: "Acme denies it."
    date: "2024-03-05"
    sources: [interview]
  - id: jane-confirms
    claims: [widgets]
    actor: jane-doe
    stance: confirms
    sources: [interview]
timeline:
  - date: "c. 2019"
    text: "The memo is written."
    sources: [memo]
  - date: "2024-03"
    text: "Something happens in *March*."
    sources: [interview]
  - date: "2024-03-05"
    text: "Acme denies the claim."
    sources: [interview]
    claims: [breakout]
  - date: "unknown"
    date_as_given: "later that year"
    text: "An undated event."
    sources: [memo]
updates:
  - date: "2024-03-01"
    kind: update
    text: "First published."
  - date: "2025-01-15"
    kind: correction
    text: "We misnamed the memo's author."
  - date: "2024-06-01"
    kind: clarification
    text: "Clarified the timeline."
'''

HOSTILE_ACTORS = '''
jane-doe:
  name: "Jane Doe"
  kind: person
  description: "A fictional person for tests."
  wikidata: "Q4115189"
acme:
  name: "Acme"
  kind: company
  description: "A fictional company for tests."
'''


def build(root: Path) -> Path:
    result = run_build(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="session")
def bundled(bundled_site: BuiltSite) -> Path:
    """The bundled project, built once per session (tests/conftest.py); returns its root (site/ and
    .build/docs/ inside). Read only."""
    return bundled_site.root


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled project plus the fictional hostile story and its two actors, built."""
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    (root / "site_data" / "stories" / "test-hostile.yaml").write_text(HOSTILE_STORY, encoding="utf-8")
    with (root / "site_data" / "actors.yaml").open("a", encoding="utf-8") as actors:
        actors.write(HOSTILE_ACTORS)
    build(root)
    return root
