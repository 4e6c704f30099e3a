"""A site whose every free-text field carries injection payloads, written as real YAML files.

Story i and actor i take payload i+k for field k (indices wrap), so each payload lands in every
free-text field of the content model at least once: titles, summaries, claims, responses, quotes,
questions, timeline, updates, actors, aliases, sources, publishers, notes and date wording.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from payloads import PAYLOADS


class _BlockDumper(yaml.SafeDumper):
    """Multi-line text as `|` block scalars, the way editors write long text."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_BlockDumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=1000)


def _p(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def payload_actors() -> dict[str, Any]:
    return {f"actor-{i}": {"name": _p(i), "kind": "person", "description": _p(i + 1),
                           "aliases": [_p(i + 2)]} for i in range(len(PAYLOADS))}


def payload_story(i: int) -> dict[str, Any]:
    n = len(PAYLOADS)
    return {
        "title": _p(i), "summary": _p(i + 1), "status": "developing",
        "published": "2025-01-01", "updated": "2025-01-02", "tags": ["xss"],
        "sources": {"src": {"title": _p(i + 2), "publisher": _p(i + 3), "kind": "report",
                            "date": "unknown", "date_as_given": _p(i + 4), "note": _p(i + 5),
                            "url": "https://example.com/source"}},
        "key_points": [{"text": _p(i + 15), "refs": ["claim"]}, {"text": _p(i + 16), "refs": ["ctx"]}],
        "actors": {"local": {"name": _p(i + 17), "kind": "group", "description": _p(i + 18),
                             "number": "plural"}},
        "claims": [{
            "id": "claim", "kind": "allegation", "text": _p(i + 6), "label": _p(i + 7),
            "claimant": f"actor-{i}", "sources": ["src"], "verification": "unconfirmed",
            "verification_history": [{"date": "2025-01-01", "label": "unconfirmed", "note": _p(i + 19)}],
            "note": _p(i + 8),
        }, {
            "id": "opinion", "kind": "opinion", "text": _p(i + 20), "claimant": "local", "sources": ["src"],
        }],
        "context": [{"id": "ctx", "text": _p(i + 21), "attributed_to": "local", "sources": ["src"],
                     "note": _p(i + 22)}],
        "responses": [{"id": "reply", "actor": f"actor-{(i + 1) % n}", "stance": "denies",
                       "claims": ["claim", "opinion"], "text": _p(i + 9), "quote": _p(i + 10),
                       "sources": ["src"]}],
        "open_questions": [{"text": _p(i + 11), "claims": ["claim"]}],
        "timeline": [{"date": "unknown", "date_as_given": _p(i + 12), "text": _p(i + 13),
                      "sources": ["src"]}],
        "updates": [{"date": "2025-01-02", "kind": "correction", "text": _p(i + 14)}],
    }


FIELDS_PER_STORY = 23  # payload offsets used by payload_story: 0..22


def write_payload_site(root: Path) -> None:
    """Replace root/site_data with the payload actors and one story per payload."""
    data = root / "site_data"
    stories = data / "stories"
    for old in stories.glob("*.yaml"):
        old.unlink()
    stories.mkdir(parents=True, exist_ok=True)
    (data / "actors.yaml").write_text(dump(payload_actors()), encoding="utf-8")
    for i in range(len(PAYLOADS)):
        (stories / f"payload-{i:02d}.yaml").write_text(dump(payload_story(i)), encoding="utf-8")
