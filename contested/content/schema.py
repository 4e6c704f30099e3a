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
# Version of the story format; the open data's `schema_version` follows it.
FORMAT_VERSION = "2.0"
CLAIM_KINDS = model.CLAIM_KINDS
VERIFIED_KINDS = model.VERIFIED_KINDS  # the kinds that carry a verification label
STANCES = ("denies", "disputes", "confirms", "supports", "declines-to-comment",
           "did-not-respond", "no-response-reported")
# Stances that record the absence of a reply: the page says so; they carry no quote.
SILENT_STANCES = ("did-not-respond", "no-response-reported")
NUMBERS = ("singular", "plural")
# `article: the` for a name that takes "the" in running text ("No response from the U.S. government
# is reported"); absent for names that take none ("Apple", "Critics").
ARTICLES = ("the",)
ARTICLE_HINT = ("write `article: the` for a name that takes 'the' in a sentence (the U.S. government), "
                "or delete the key for one that does not (Apple)")
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
    hint: str = ""  # what to write instead of a value not allowed; '' if the values say it all


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
    max_items: int = 0  # 0: no limit


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
class Moved:
    """A version-1 key that is no longer written here: the error says what to write now.
    `{id}` in the hint is replaced by the object's own `id:` when it has one."""

    message: str
    hint: str


@dataclass(frozen=True)
class Obj:
    name: str  # as editors know it, e.g. "claim"
    model: type
    fields: dict[str, Field] = field(default_factory=dict)
    moved: dict[str, Moved] = field(default_factory=dict)


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
    "number": _f(Enum(NUMBERS), "plural for a group named as one, e.g. 'Critics': verbs agree "
                 "('Critics argue'). Default: singular."),
    "article": _f(Enum(ARTICLES, ARTICLE_HINT), "the, for a name that takes 'the' in a sentence: 'No "
                  "response from the U.S. government is reported'. Default: none ('Apple')."),
})

# Parties that belong to one story (unnamed officials, critics, the source article): declared in the
# story's `actors:`, they get no site-wide page, so the next story's critics are not merged with these.
STORY_ACTOR = Obj("story actor", model.Actor, {
    "name": _f(Text(), "The name readers see, e.g. 'U.S. officials'.", _REQ),
    "kind": _f(Enum(ACTOR_KINDS), "What kind of actor this is.", _REQ),
    "description": _f(Text(markdown=True), "One neutral sentence: who they are, as the sources put it.",
                      _REQ),
    "number": _f(Enum(NUMBERS), "plural for a group, e.g. 'Critics': verbs agree. Default: singular."),
    "article": _f(Enum(ARTICLES, ARTICLE_HINT), "the, for a name that takes 'the' in a sentence, e.g. "
                  "'the city council'. Default: none ('Critics')."),
})

def _acknowledged(codes: tuple[str, ...]) -> Field:
    item = Obj("acknowledgement", model.Acknowledgement, {
        "code": _f(Enum(codes), "The warning's code, e.g. single-source.", _REQ),
        "reason": _f(Text(markdown=True), "Why it stays: true of the sources, in our voice.", _REQ),
    })
    return _f(ListOf(item, min_items=1), "Warnings weighed and kept, each with its reason.")


SOURCE = Obj("source", model.Source, {
    "title": _f(Text(markdown=True), "The source's title, or a neutral description of it.", _REQ),
    "publisher": _f(Text(), "Who published it, or `unknown` when the source does not say (never a "
                    "made-up name: unknown is published as no publisher).", _REQ),
    "kind": _f(Enum(SOURCE_KINDS), "What kind of source this is.", _REQ),
    "date": _f(Date(), f"Its date at the precision known: {dates.FORMS_HINT}.", _REQ),
    "date_as_given": _f(Text(), "The wording used when no exact date is given, e.g. 'earlier this month'."),
    "date_as_given_in": _f(Ref("source"), "The source whose words `date_as_given` are (default: `via`, "
                           "else this source): readers are told the wording is relative to its date."),
    "url": _f(Url(), "Where readers can read it (http or https)."),
    "via": _f(Ref("source"), "The source of this story through which we know of this one."),
    "note": _f(Text(markdown=True), "Context about the source, in the site's own voice; "
               "for a source without a URL, say why there is none."),
    "acknowledged": _acknowledged(SOURCE_ACKNOWLEDGEABLE),
})

CLAIM = Obj("claim", model.Claim, {
    "id": _f(Id(), "Permanent id, used in links: #claim-<id>. Never change it once published.", _REQ),
    "kind": _f(Enum(CLAIM_KINDS), "allegation for an accusation of wrongdoing, assertion for a checkable "
               "statement of fact, prediction, or opinion for an argument, assessment or fear", _REQ),
    "text": _f(Text(markdown=True), "The claim, attributed, as the claimant says it.", _REQ),
    "label": _f(Text(), "A few words naming the claim, for the stance table."),
    "claimant": _f(Ref("actor"), "Who makes the claim (an actor id, site-wide or the story's own).", _REQ),
    "sources": _f(ListOf(Ref("source"), min_items=1), "Where the claim is made or reported.", _REQ),
    "verification": _f(Enum(VERIFICATIONS), "How far the claim is verified: allegations and assertions "
                       "only (required there)."),
    "verification_history": _f(ListOf(Obj("verification change", model.VerificationChange, {
        "date": _f(Date(), f"From when the label held: {dates.FORMS_HINT}.", _REQ),
        "label": _f(Enum(VERIFICATIONS), "The verification label from that date.", _REQ),
        "note": _f(Text(markdown=True), "What changed it."),
    }), min_items=1), "Every label the claim has had, oldest first; the last is its `verification`."),
    "note": _f(Text(markdown=True), "Why it has this verification label."),
    "acknowledged": _acknowledged(CLAIM_ACKNOWLEDGEABLE),
    "formerly": _f(ListOf(Id()), "Ids this claim was published under before: links to them still land here."),
}, moved={
    "responses": Moved(
        "`responses:` moved out of the claim, to the story's top-level `responses:` list",
        "write each reply once under the story's `responses:`, with `id:` and `claims: [{id}]` "
        "(a reply answering several claims lists them all), then delete this key"),
})

RESPONSE = Obj("response", model.Response, {
    "id": _f(Id(), "Permanent id, used in links: #response-<id>.", _REQ),
    "actor": _f(Ref("actor"), "Who responded, or did not (an actor id).", _REQ),
    "stance": _f(Enum(STANCES), "How they responded; did-not-respond (to a request) and "
                 "no-response-reported record that there is no reply.", _REQ),
    "claims": _f(ListOf(Ref("claim"), min_items=1), "Every claim this reply answers.", _REQ),
    "text": _f(Text(markdown=True), "The response in our words, attributed."),
    "quote": _f(Text(), "Their exact words, without quotation marks."),
    "date": _f(Date(), "When they responded, if known."),
    "sources": _f(ListOf(Ref("source"), min_items=1), "Where the response (or its absence) is reported.",
                  _REQ),
})

CONTEXT = Obj("context item", model.ContextItem, {
    "id": _f(Id(), "Permanent id, used in links: #context-<id>; key points refer to it.", _REQ),
    "text": _f(Text(markdown=True), "Background or the source's own framing, attributed.", _REQ),
    "attributed_to": _f(Ref("actor"), "Whose account this is (an actor id), e.g. the source article.",
                        _REQ),
    "sources": _f(ListOf(Ref("source"), min_items=1), "Where it is reported.", _REQ),
    "note": _f(Text(markdown=True), "Anything readers should know about it, in our voice."),
})

KEY_POINT = Obj("key point", model.KeyPoint, {
    "text": _f(Text(markdown=True), "One short point, attributed, in our voice.", _REQ),
    "refs": _f(ListOf(Ref("item"), min_items=1), "The ids of the claims and context items it sums up.",
               _REQ),
})

QUESTION = Obj("open question", model.OpenQuestion, {
    "text": _f(Text(markdown=True), "What is not known.", _REQ),
    "claims": _f(ListOf(Ref("claim")), "Claims the question bears on."),
})

TIMELINE_ENTRY = Obj("timeline entry", model.TimelineEntry, {
    "date": _f(Date(), f"When it happened: {dates.FORMS_HINT}.", _REQ),
    "date_as_given": _f(Text(), "The wording used when no exact date is given, e.g. 'earlier this year'."),
    "date_as_given_in": _f(Ref("source"), "The source whose words `date_as_given` are (default: the "
                           "entry's first source): readers are told the wording is relative to its date."),
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
    "key_points": _f(ListOf(KEY_POINT, min_items=2, max_items=5),
                     "Two to five short, attributed points, shown first."),
    "actors": _f(MapOf(STORY_ACTOR, INDEX_PAGE), "Parties that belong to this story only (unnamed "
                 "officials, critics, the source article), by id: no site-wide page."),
    "sources": _f(MapOf(SOURCE), "Every source, by id.", _REQ),
    "claims": _f(ListOf(CLAIM, min_items=1), "What is claimed, by whom, and of what kind.", _REQ),
    "context": _f(ListOf(CONTEXT), "Background and the source's own framing: attributed, never labelled."),
    "responses": _f(ListOf(RESPONSE), "Every reply (or its absence), written once, with the claims it "
                    "answers."),
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
        if type_.max_items:
            out["maxItems"] = type_.max_items
        if isinstance(type_.item, Ref):
            out["uniqueItems"] = True
        return out
    if isinstance(type_, MapOf):
        return {"type": "object", "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": _json(type_.value)}
    props = {}
    for name, spec in type_.fields.items():
        props[name] = {"description": spec.help, **_json(spec.type)}
    return {"type": "object", "properties": props, "additionalProperties": False,
            "required": [name for name, spec in type_.fields.items() if spec.required]}
