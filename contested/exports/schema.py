"""JSON Schemas (draft 2020-12) of the open data files, published at `api/schema/`.

Hand-written, because the exports are resolved data (claimants looked up, dates split into their
parts), not the YAML editors write. A test validates every built export against them.
"""

from __future__ import annotations

from typing import Any

from contested.content.schema import ACTOR_KINDS, SOURCE_KINDS, STANCES, STATUSES, UPDATE_KINDS, VERIFICATIONS

DRAFT = "https://json-schema.org/draft/2020-12/schema"  # `$id` is added from site_url when exported


def _obj(required: dict[str, Any], description: str = "") -> dict[str, Any]:
    """A closed object: every property listed and required (absent values are null)."""
    out: dict[str, Any] = {"type": "object", "required": list(required), "properties": required,
                           "additionalProperties": False}
    if description:
        out["description"] = description
    return out


def _text(description: str = "") -> dict[str, Any]:
    return {"type": "string", "description": description} if description else {"type": "string"}


def _nullable(description: str) -> dict[str, Any]:
    return {"type": ["string", "null"], "description": description}


_ID = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}
_IDS = {"type": "array", "items": _ID}
_ISO = r"^\d{4}(-\d{2}(-\d{2})?)?$"

DATE = _obj({
    "iso": {"type": ["string", "null"], "pattern": _ISO,
            "description": "ISO 8601 at the date's precision: 2020, 2025-11 or 2025-11-14; null if unknown"},
    "precision": {"enum": ["year", "month", "day", "unknown"]},
    "approximate": {"type": "boolean", "description": "true for dates written 'c. 2020'"},
    "text": _text("the date as a reader sees it, or the source's own wording when no date is known"),
}, "A date at the precision the source gives it.")

ACTOR = _obj({
    "id": _ID, "name": _text(), "kind": {"enum": list(ACTOR_KINDS)},
    "url": _text("the actor's page on this site"),
    "website": _nullable("the actor's own website"),
    "wikidata": _nullable("Wikidata item id, e.g. Q1234"),
}, "A person or body who makes or answers a claim.")

RESPONSE = _obj({
    "actor": ACTOR, "stance": {"enum": list(STANCES)},
    "text": _nullable("what the actor said or did, in plain text"),
    "quote": _nullable("the actor's own words"), "date": DATE,
    "sources": {**_IDS, "description": "ids of entries in `sources`"},
})

CLAIM = _obj({
    "id": _ID, "url": _text("the claim's permalink on the story page"), "label": _text(),
    "text": _text("the claim as plain text"), "claimant": ACTOR,
    "verification": {"enum": list(VERIFICATIONS)},
    "verification_label": _text("the verification in words, as the page shows it"),
    "note": _nullable("why the claim has this verification"),
    "sources": {**_IDS, "description": "ids of entries in `sources`"},
    "responses": {"type": "array", "items": RESPONSE},
})

SOURCE = _obj({
    "id": _ID, "title": _text(), "publisher": _text(), "kind": {"enum": list(SOURCE_KINDS)},
    "date": DATE, "url": _nullable("where to read it; null when there is no link"),
    "note": _nullable("what we know about the source"),
    "via": {"anyOf": [_ID, {"type": "null"}], "description": "the source this one reached us through"},
    "via_chain": {**_IDS, "description": "every source it reached us through, nearest first"},
})

STORY_SCHEMA: dict[str, Any] = {
    "$schema": DRAFT, "title": "Contested story (open data)",
    **_obj({
        "schema_version": {"const": "1.0"}, "slug": _ID, "url": _text("the story page"),
        "title": _text(), "summary": _text(), "status": {"enum": list(STATUSES)},
        "published": DATE, "updated": DATE, "tags": _IDS,
        "claims": {"type": "array", "items": CLAIM},
        "sources": {"type": "array", "items": SOURCE},
        "open_questions": {"type": "array", "items": _obj({"text": _text(), "claims": _IDS})},
        "timeline": {"type": "array", "items": _obj(
            {"date": DATE, "text": _text(), "sources": _IDS, "claims": _IDS})},
        "updates": {"type": "array", "items": _obj(
            {"date": DATE, "kind": {"enum": list(UPDATE_KINDS)}, "text": _text()})},
    }, "One story, resolved: claimants and respondents looked up, dates split into their parts."),
}

STORY_INDEX_SCHEMA: dict[str, Any] = {
    "$schema": DRAFT, "title": "Contested stories (open data index)",
    **_obj({
        "schema_version": {"const": "1.0"},
        "stories": {"type": "array", "items": _obj({
            "slug": _ID, "title": _text(), "status": {"enum": list(STATUSES)},
            "published": {"type": ["string", "null"], "pattern": _ISO},
            "updated": {"type": ["string", "null"], "pattern": _ISO},
            "url": _text("the story page"), "data_url": _text("the story's data file"),
            "timeline_url": _text("the story's TimelineJS file"),
        })},
    }, "Every story, with the addresses of its page and data."),
}
