"""The content model as data: one source of truth for the validator and the JSON Schemas."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contested.content import dates, model

# For JSON Schema, where `$` is the end of the text; Python's `$` also matches before a final
# newline, so the validator uses it with re.fullmatch.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]*$"
# actors/<id>/ and tags/<tag>/ are pages; actors/index/ and tags/index/ are the lists of them all.
INDEX_PAGE = frozenset({"index"})
ACTOR_KINDS = ("person", "company", "government", "military", "media", "organization", "group")
SOURCE_KINDS = ("document", "report", "statement", "analysis", "other")
VERIFICATIONS = ("unconfirmed", "corroborated", "confirmed", "refuted")
STANCES = ("denies", "disputes", "confirms", "supports", "declines-to-comment")
STATUSES = ("developing", "settled", "draft")  # draft: checked and previewed, never published
UPDATE_KINDS = ("update", "clarification", "correction")
# Warnings that can be true of the sources however well the story is written: they are settled by
# acknowledging them with a reason. Every other warning is settled by changing what is written.
SOURCE_ACKNOWLEDGEABLE = ("source-no-date",)
CLAIM_ACKNOWLEDGEABLE = ("single-source", "single-origin", "no-response", "claim-review-long")


@dataclass(frozen=True)
class Text:
    markdown: bool = False  # inline Markdown allowed (rendered safely, raw HTML off)
    pattern: str = ""  # a form the whole text must have (matched with re.fullmatch)
    form: str = ""  # that form as editors are told it


@dataclass(frozen=True)
class Id:
    """An id this object defines; `reserved` ids would take the address of a site page."""

    reserved: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Ref:
    """An id that must name an existing object of `kind`."""

    kind: str


@dataclass(frozen=True)
class Enum:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Date:
    pass


@dataclass(frozen=True)
class Url:
    pass


@dataclass(frozen=True)
class ListOf:
    item: Type
    min_items: int = 0


@dataclass(frozen=True)
class MapOf:
    """A mapping from ids to objects; the key becomes the object's `id`. `reserved` keys would take
    the address of a site page."""

    value: Obj
    reserved: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Field:
    type: Type
    help: str
    required: bool = False


@dataclass(frozen=True)
class Obj:
    name: str  # as editors know it, e.g. "claim"
    model: type
    fields: dict[str, Field] = field(default_factory=dict)


Type = Text | Id | Ref | Enum | Date | Url | ListOf | MapOf | Obj


def _f(type_: Type, help_: str, required: bool = False) -> Field:
    return Field(type_, help_, required)


_REQ = True
ACTOR = Obj("actor", model.Actor, {
    "name": _f(Text(), "The name readers see.", _REQ),
    "kind": _f(Enum(ACTOR_KINDS), "What kind of actor this is.", _REQ),
    "description": _f(Text(markdown=True), "One neutral sentence: who they are.", _REQ),
    "url": _f(Url(), "Official website (http or https)."),
    "wikidata": _f(Text(pattern=WIKIDATA_PATTERN, form="a Wikidata item id: Q and digits, e.g. Q1234"),
                   "Wikidata item id, e.g. Q1234 (used for schema.org sameAs)."),
    "aliases": _f(ListOf(Text()), "Other names sources use for this actor."),
})

def _acknowledged(codes: tuple[str, ...]) -> Field:
    item = Obj("acknowledgement", model.Acknowledgement, {
        "code": _f(Enum(codes), "The warning's code, e.g. single-source.", _REQ),
        "reason": _f(Text(markdown=True), "Why it stays: true of the sources, in our voice.", _REQ),
    })
    return _f(ListOf(item, min_items=1), "Warnings weighed and kept, each with its reason.")


SOURCE = Obj("source", model.Source, {
    "title": _f(Text(markdown=True), "The source's title, or a neutral description of it.", _REQ),
    "publisher": _f(Text(), "Who published it; say so when the source does not name one.", _REQ),
    "kind": _f(Enum(SOURCE_KINDS), "What kind of source this is.", _REQ),
    "date": _f(Date(), f"Its date at the precision known: {dates.FORMS_HINT}.", _REQ),
    "date_as_given": _f(Text(), "The wording used when no exact date is given, e.g. 'earlier this month'."),
    "url": _f(Url(), "Where readers can read it (http or https)."),
    "via": _f(Ref("source"), "The source of this story through which we know of this one."),
    "note": _f(Text(markdown=True), "Context about the source, in the site's own voice; "
               "for a source without a URL, say why there is none."),
    "acknowledged": _acknowledged(SOURCE_ACKNOWLEDGEABLE),
})

RESPONSE = Obj("response", model.Response, {
    "actor": _f(Ref("actor"), "Who responded (an actor id).", _REQ),
    "stance": _f(Enum(STANCES), "How they responded to the claim.", _REQ),
    "text": _f(Text(markdown=True), "The response in our words, attributed."),
    "quote": _f(Text(), "Their exact words, without quotation marks."),
    "date": _f(Date(), "When they responded, if known."),
    "sources": _f(ListOf(Ref("source"), min_items=1), "Where the response is reported.", _REQ),
})

CLAIM = Obj("claim", model.Claim, {
    "id": _f(Id(), "Permanent id, used in links: #claim-<id>. Never change it once published.", _REQ),
    "text": _f(Text(markdown=True), "What is alleged, as the claimant says it.", _REQ),
    "label": _f(Text(), "A few words naming the claim, for the stance table."),
    "claimant": _f(Ref("actor"), "Who makes the claim (an actor id).", _REQ),
    "sources": _f(ListOf(Ref("source"), min_items=1), "Where the claim is made or reported.", _REQ),
    "verification": _f(Enum(VERIFICATIONS), "How far the claim is verified.", _REQ),
    "note": _f(Text(markdown=True), "Why it has this verification label."),
    "responses": _f(ListOf(RESPONSE), "Responses to the claim.", _REQ),
    "acknowledged": _acknowledged(CLAIM_ACKNOWLEDGEABLE),
    "formerly": _f(ListOf(Id()), "Ids this claim was published under before: links to them still land here."),
})

QUESTION = Obj("open question", model.OpenQuestion, {
    "text": _f(Text(markdown=True), "What is not known.", _REQ),
    "claims": _f(ListOf(Ref("claim")), "Claims the question bears on."),
})

TIMELINE_ENTRY = Obj("timeline entry", model.TimelineEntry, {
    "date": _f(Date(), f"When it happened: {dates.FORMS_HINT}.", _REQ),
    "date_as_given": _f(Text(), "The wording used when no exact date is given, e.g. 'earlier this year'."),
    "text": _f(Text(markdown=True), "What happened, attributed.", _REQ),
    "sources": _f(ListOf(Ref("source"), min_items=1), "Where it is reported.", _REQ),
    "claims": _f(ListOf(Ref("claim")), "Claims the event bears on."),
})

UPDATE = Obj("update", model.Update, {
    "date": _f(Date(), "When the story page changed.", _REQ),
    "kind": _f(Enum(UPDATE_KINDS), "update, clarification or correction.", _REQ),
    "text": _f(Text(markdown=True), "What changed.", _REQ),
})

STORY = Obj("story", model.Story, {
    "title": _f(Text(), "The headline, neutral and attributed.", _REQ),
    "summary": _f(Text(markdown=True), "Two or three neutral sentences.", _REQ),
    "status": _f(Enum(STATUSES), "Is the story still developing?", _REQ),
    "published": _f(Date(), "When this explainer was first published.", _REQ),
    "updated": _f(Date(), "When it last changed: the newest update's date.", _REQ),
    "tags": _f(ListOf(Id(INDEX_PAGE)), "Topic tags: lowercase words joined by hyphens."),
    "sources": _f(MapOf(SOURCE), "Every source, by id.", _REQ),
    "claims": _f(ListOf(CLAIM, min_items=1), "What is alleged, by whom.", _REQ),
    "open_questions": _f(ListOf(QUESTION), "What is not known."),
    "timeline": _f(ListOf(TIMELINE_ENTRY), "Events, shown in the order written."),
    "updates": _f(ListOf(UPDATE), "The page's change log, corrections included."),
    "formerly": _f(ListOf(Id(INDEX_PAGE)), "Slugs this story was published under before: their "
                   "addresses redirect here."),
})

ACTORS = MapOf(ACTOR, INDEX_PAGE)


def json_schema(root: Type, title: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) an editor's IDE uses to check and complete a file."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title}
    schema.update(_json(root))
    return schema


def _json(type_: Type) -> dict[str, Any]:
    if isinstance(type_, Text):
        if type_.pattern:
            return {"type": "string", "pattern": type_.pattern}
        return {"type": "string", "minLength": 1}
    if isinstance(type_, (Id, Ref)):
        return {"type": "string", "pattern": ID_PATTERN}
    if isinstance(type_, Enum):
        return {"enum": list(type_.values)}
    if isinstance(type_, Date):
        # Unquoted 2020 is an integer to YAML 1.2 tools; the validator reads it as the year.
        return {"type": ["string", "integer"], "pattern": dates.JSON_SCHEMA_PATTERN}
    if isinstance(type_, Url):
        return {"type": "string", "pattern": r"^https?://\S+$"}
    if isinstance(type_, ListOf):
        out: dict[str, Any] = {"type": "array", "items": _json(type_.item)}
        if type_.min_items:
            out["minItems"] = type_.min_items
        return out
    if isinstance(type_, MapOf):
        return {"type": "object", "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": _json(type_.value)}
    props = {}
    for name, spec in type_.fields.items():
        props[name] = {"description": spec.help, **_json(spec.type)}
    return {"type": "object", "properties": props, "additionalProperties": False,
            "required": [name for name, spec in type_.fields.items() if spec.required]}
