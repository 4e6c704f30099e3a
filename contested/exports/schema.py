"""JSON Schemas (draft 2020-12) of the open data files, published at `api/schema/`.

Hand-written, because the exports are resolved data (claimants looked up, dates split into their
parts), not the YAML editors write. A test validates every built export against them.
"""

from __future__ import annotations

from typing import Any

from contested.content.schema import (
    ACTOR_KINDS,
    ARTICLES,
    CLAIM_ACKNOWLEDGEABLE,
    CLAIM_KINDS,
    FORMAT_VERSION,
    NUMBERS,
    SOURCE_ACKNOWLEDGEABLE,
    SOURCE_KINDS,
    STANCES,
    STATUSES,
    UPDATE_KINDS,
    VERIFICATIONS,
)

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
    "text": _text("the date as a reader sees it, or the source's own wording when no date is known, "
                  "with what that wording is relative to"),
    "as_given": _nullable("the source's own wording for an unknown date, e.g. 'earlier this month'"),
    "as_given_in": {"anyOf": [_ID, {"type": "null"}],
                    "description": "the id of the source whose wording `as_given` is: it is relative to "
                                   "that source's date"},
}, "A date at the precision the source gives it.")

ACTOR = _obj({
    "id": _ID, "name": _text(), "kind": {"enum": list(ACTOR_KINDS)},
    "url": {"type": ["string", "null"],
            "description": "the actor's page on this site; null for a story's own actor, which has none"},
    "website": _nullable("the actor's own website"),
    "wikidata": _nullable("Wikidata item id, e.g. Q1234"),
    "number": {"enum": list(NUMBERS), "description": "plural for a group named as one ('Critics')"},
    "article": {"enum": [*ARTICLES, None],
                "description": "'the' when the name takes it in a sentence ('the U.S. government'); "
                               "null when it takes none ('Apple')"},
    "story_local": {"type": "boolean",
                    "description": "true for a party that belongs to this story only (unnamed officials, "
                                   "critics, the source article)"},
    "description": _nullable("who a story's own actor is; null for site-wide actors (see their page)"),
}, "A person or body who makes or answers a claim.")

_SOURCE_IDS = {**_IDS, "description": "ids of entries in `sources`"}


def _acknowledged(codes: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "array", "description": "editorial warnings weighed and kept, with the reason",
            "items": _obj({"code": {"enum": list(codes)}, "reason": _text("why it stays, in our voice")})}


RESPONSE = _obj({
    "id": _ID, "url": _text("the response's permalink on the story page"),
    "actor": ACTOR, "stance": {"enum": list(STANCES),
                               "description": "did-not-respond and no-response-reported record that "
                                              "there is no reply"},
    "stance_label": _text("the stance in words, e.g. 'no response reported'"),
    "claims": {**_IDS, "description": "ids of the claims this reply answers"},
    "text": _nullable("what the actor said or did, in plain text"),
    "quote": _nullable("the actor's own words"), "date": DATE, "sources": _SOURCE_IDS,
}, "A reply (or its recorded absence), written once for every claim it answers.")

CLAIM = _obj({
    "id": _ID, "url": _text("the claim's permalink on the story page"),
    "kind": {"enum": list(CLAIM_KINDS), "description": "only allegations and assertions are verified"},
    "verb": _text("the verb the page uses for the claimant, agreeing with it: 'alleges', 'argue'"),
    "label": _text(),
    "text": _text("the claim as plain text"), "claimant": ACTOR,
    "verification": {"enum": [*VERIFICATIONS, None], "description": "null for predictions and opinions"},
    "verification_label": _nullable("the verification in words, as the page shows it"),
    "verification_history": {"type": "array", "description": "earlier labels, oldest first; the last is "
                             "the current one", "items": _obj({
                                 "date": DATE, "label": {"enum": list(VERIFICATIONS)},
                                 "label_text": _text(), "note": _nullable("what changed it")})},
    "note": _nullable("why the claim has this verification"),
    "sources": _SOURCE_IDS,
    "responses": {**_IDS, "description": "ids of entries in `responses` that answer this claim"},
    "acknowledged": _acknowledged(CLAIM_ACKNOWLEDGEABLE),
})

CONTEXT = _obj({
    "id": _ID, "url": _text("the item's permalink on the story page"), "text": _text(),
    "attributed_to": ACTOR, "sources": _SOURCE_IDS, "note": _nullable("what readers should know about it"),
}, "Background or the source's own framing: attributed, never a claim, never labelled.")

SOURCE = _obj({
    "id": _ID, "title": _text(),
    "publisher": _nullable("who published it; null when the source does not say"),
    "kind": {"enum": list(SOURCE_KINDS)},
    "date": DATE, "url": _nullable("where to read it; null when there is no link"),
    "note": _nullable("what we know about the source"),
    "via": {"anyOf": [_ID, {"type": "null"}], "description": "the source this one reached us through"},
    "via_chain": {**_IDS, "description": "every source it reached us through, nearest first"},
    "acknowledged": _acknowledged(SOURCE_ACKNOWLEDGEABLE),
})

STORY_SCHEMA: dict[str, Any] = {
    "$schema": DRAFT, "title": "Contested story (open data)",
    **_obj({
        "schema_version": {"const": FORMAT_VERSION}, "slug": _ID, "url": _text("the story page"),
        "title": _text(), "summary": _text(), "status": {"enum": list(STATUSES)},
        "published": DATE, "updated": DATE, "tags": _IDS,
        "key_points": {"type": "array", "description": "the editor's two to five points, shown first",
                       "items": _obj({"text": _text(),
                                      "refs": {**_IDS, "description": "ids of claims and context items"}})},
        "actors": {"type": "array", "items": ACTOR,
                   "description": "the parties that belong to this story only"},
        "claims": {"type": "array", "items": CLAIM},
        "context": {"type": "array", "items": CONTEXT},
        "responses": {"type": "array", "items": RESPONSE},
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
        "schema_version": {"const": FORMAT_VERSION},
        "stories": {"type": "array", "items": _obj({
            "slug": _ID, "title": _text(), "status": {"enum": list(STATUSES)},
            "published": {"type": ["string", "null"], "pattern": _ISO},
            "updated": {"type": ["string", "null"], "pattern": _ISO},
            "url": _text("the story page"), "data_url": _text("the story's data file"),
            "timeline_url": _text("the story's TimelineJS file"),
        })},
    }, "Every story, with the addresses of its page and data."),
}
