"""Stage 2, validate: turn loaded trees into the typed content model, reporting every problem.

Structure comes first (types, required fields, unknown keys, dates, URLs) following the spec in
`schema.py`; then a story's cross-references (actors, sources, claims, `via` chains) are checked
against the actors and the story itself. Nothing stops at the first problem.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from collections.abc import Sequence as Sequence_
from dataclasses import dataclass
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from contested.content import schema as s
from contested.content.dates import WORDS_HINT, DateError, parse_date
from contested.content.load import BANNED, Document, Mapping, Node, Scalar, Sequence, char_label
from contested.content.model import Actor, Claim, Name, Source, Story, TimelineEntry
from contested.diagnostics import Report, closest, did_you_mean

_ID = re.compile(s.ID_PATTERN)
_NULL = "tag:yaml.org,2002:null"
INVALID = object()  # a value already reported; callers skip it


@dataclass(frozen=True)
class _Ctx:
    file: str
    report: Report

    def error(self, at: Node | tuple[int, int], code: str, message: str, hint: str = "",
              path: str = "") -> None:
        line, col = (at.line, at.col) if isinstance(at, Scalar | Sequence | Mapping) else at
        self.report.error(self.file, line, col, code, message, hint, path)


def validate_story(doc: Document, actors: dict[str, Actor], report: Report) -> Story | None:
    """One story file, converted and cross-checked against the actors; a story is independent of
    every other, so stories can be validated one at a time, in any order or process."""
    story = _convert_story(doc, report)
    if story is not None:
        _check_story_references(story, actors, report)
    return story


def validate_actors(doc: Document, report: Report) -> dict[str, Actor]:
    """The actors file's actors; usable only if no errors were added."""
    if doc.root is None:
        return {}
    ctx = _Ctx(doc.name, report)
    value = _convert(s.ACTORS, doc.root, ctx, "")
    if not isinstance(value, dict):
        return {}
    _article_said_once(value.values(), ctx)
    return value


# stories/<slug>/ is the story's address; stories/index/ would be the list of all stories.
RESERVED_SLUGS = frozenset({"index"})


def _convert_story(doc: Document, report: Report) -> Story | None:
    if doc.root is None:
        return None
    ctx = _Ctx(doc.name, report)
    slug = doc.path.stem
    if not _ID.fullmatch(slug):
        ctx.error((1, 1), "bad-slug", f"the file name '{slug}' is not a valid story slug",
                  "rename the file: lowercase letters, digits and hyphens, e.g. my-story.yaml")
    elif slug in RESERVED_SLUGS:
        ctx.error((1, 1), "bad-slug", f"the file name '{slug}' is reserved: the list of all stories has "
                  "that address", "rename the file, e.g. my-story.yaml")
    story = _convert(s.STORY, doc.root, ctx, "")
    if not isinstance(story, Story):
        return None
    story.slug, story.file = slug, doc.name
    for actor in story.actors.values():
        actor.story = slug
    _article_said_once(story.actors.values(), ctx)
    return story


def _article_said_once(actors: Iterable[Actor], ctx: _Ctx) -> None:
    """`article: the` on a name that already begins with "The" would print "the The …" in sentences."""
    for actor in actors:
        first = actor.name.split(" ", 1)[0]
        if actor.article and first.lower() == actor.article:
            ctx.error(actor.at("article"), "article-twice",
                      f"the name '{actor.name}' begins with '{first}' already: sentences would say "
                      f"'{actor.article} {actor.name}'",
                      f"delete `article: {actor.article}`, or write the name without '{first}'")


# --- structure ---------------------------------------------------------------------------------

def _convert(spec: s.Type, node: Node | None, ctx: _Ctx, path: str) -> Any:
    if node is None:
        return INVALID
    return _converter(spec)(node, ctx, path, None)


# Each spec's conversion is made once, as a function with the spec's parts at hand (its fields'
# converters, its required keys): the walk below runs for every value of every story, 400,000
# times in a 1,000-story archive, and looking the spec over again each time was half its cost.
# Nodes come only from load.py, which builds these exact classes: `type(node) is` tests suffice.
#
# A converter gets its parent's data path and its own key (a field name, or a list index; None
# when `path` is already its own): the path is only written out for a message or a container.
Key = str | int | None
Converter = Callable[[Node, _Ctx, str, Key], Any]
_CONVERTERS: dict[int, tuple[s.Type, Converter]] = {}  # id(spec) -> (spec, its converter)


def _converter(spec: s.Type) -> Converter:
    made = _CONVERTERS.get(id(spec))
    if made is None:  # the spec is kept beside its converter, so its id is never reused
        made = _CONVERTERS[id(spec)] = (spec, _make_converter(spec))
    return made[1]


def _make_converter(spec: s.Type) -> Converter:
    if isinstance(spec, s.Obj):
        return _obj_converter(spec)
    if isinstance(spec, s.ListOf):
        return _list_converter(spec)
    if isinstance(spec, s.MapOf):
        return _map_converter(spec)
    if isinstance(spec, s.Text):
        return _text_converter(spec)
    if isinstance(spec, (s.Id, s.Ref)):
        return _id_converter(spec)
    if isinstance(spec, s.Enum):
        return _enum_converter(spec)
    if isinstance(spec, s.Date):
        return _date_converter()
    return _url_converter(spec)


def _path(parent: str, key: Key) -> str:
    if key is None:
        return parent
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def _describe(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping (key: value lines)"
    if isinstance(node, Sequence):
        return "a list"
    return "nothing" if _is_null(node) else f"'{node.value}'"


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.tag == _NULL and not node.quoted


def _obj_converter(spec: s.Obj) -> Converter:
    fields = {key: _converter(field.type) for key, field in spec.fields.items()}
    if "date" in spec.fields and "date_as_given" in spec.fields:
        fields["date"] = _date_converter(as_given=True)  # "Tuesday": its words go in date_as_given
    required = [(key, field.help) for key, field in spec.fields.items() if field.required]
    name, model, moved = spec.name, spec.model, spec.moved

    def convert(node: Node, ctx: _Ctx, parent: str, at: Key) -> Any:
        path = _path(parent, at)
        if type(node) is not Mapping:
            ctx.error(node, "expected-mapping",
                      f"expected a {name} (key: value lines), found {_describe(node)}", path=path)
            return INVALID
        values: dict[str, Any] = {}
        pos: dict[str, tuple[int, int]] = {"": (node.line, node.col)}
        suggested: set[str | None] = set()  # a typo's suggestion already tells the editor what is missing
        entries = node.entries
        for key, (key_node, value_node) in entries.items():
            convert_field = fields.get(key)
            if convert_field is None and key in moved:  # a version-1 key: say what to write now
                _report_moved(moved[key], entries, key_node, ctx, _path(path, key))
                continue
            if convert_field is None:
                suggested.add(closest(key, fields))
                ctx.error(key_node, "unknown-key",
                          f"unknown key '{key}' in {name}{did_you_mean(key, fields)}",
                          f"allowed keys: {', '.join(fields)}", _path(path, key))
                continue
            if value_node is None:  # already reported by load
                continue
            value = convert_field(value_node, ctx, path, key)
            pos[key] = (value_node.line, value_node.col)  # even if invalid: the key was written
            if value is not INVALID:
                values[key] = value
        for key, help_ in required:
            if key not in entries and key not in suggested:
                ctx.error(node, "missing-key", f"{name} is missing the required key '{key}'",
                          f"add `{key}:` ({help_})", _path(path, key))
        return model(pos=pos, **values)

    return convert


def _report_moved(moved: s.Moved, entries: dict[str, tuple[Scalar, Node | None]], key_node: Scalar,
                  ctx: _Ctx, path: str) -> None:
    own = entries.get("id", (None, None))[1]
    own_id = own.value.strip() if isinstance(own, Scalar) and own.value.strip() else "<this id>"
    ctx.error(key_node, "moved-key", moved.message, moved.hint.replace("{id}", own_id), path)


def _list_converter(spec: s.ListOf) -> Converter:
    convert_item, min_items, max_items = _converter(spec.item), spec.min_items, spec.max_items
    of_ids = isinstance(spec.item, (s.Id, s.Ref))  # a list of references: each id at most once

    def convert(node: Node, ctx: _Ctx, parent: str, at: Key) -> Any:
        if type(node) is not Sequence:
            if _is_null(node) and not min_items:
                return []
            example = f"[{node.value}]" if isinstance(node, Scalar) and node.value else "- item lines"
            ctx.error(node, "expected-list", f"expected a list, found {_describe(node)}",
                      f"write a list, e.g. {example}", _path(parent, at))
            return INVALID
        path = _path(parent, at)
        if len(node.items) < min_items:
            found = len(node.items) or "none"
            ctx.error(node, "too-few-items", f"expected at least {min_items} item(s), found {found}",
                      "add at least one" if min_items == 1 else f"write {min_items} or more", path)
        if max_items and len(node.items) > max_items:
            ctx.error(node, "too-many-items", f"expected at most {max_items} items, found {len(node.items)}",
                      f"keep the {max_items} that matter most", path)
        out = []
        for index, item in enumerate(node.items):
            if item is not None:  # None: already reported by load
                value = convert_item(item, ctx, path, index)
                if value is not INVALID:
                    out.append(value)
        if of_ids and len(out) > 1:
            _report_repeats(out, ctx, path)
        return out

    return convert


def _report_repeats(ids: list[Name], ctx: _Ctx, path: str) -> None:
    """An id listed twice in one list is an error, once per repeated id at its first repeat: a
    reference repeated 60,000 times would otherwise be shown (and its label printed) 60,000 times."""
    first: dict[str, Name] = {}
    repeats: dict[str, list[Name]] = {}
    for ref in ids:
        if ref in first:
            repeats.setdefault(ref, []).append(ref)
        else:
            first[ref] = ref
    for key, again in repeats.items():
        more = f"; and {len(again) - 1:,} more times" if len(again) > 1 else ""
        at = first[key]
        ctx.error((again[0].line, again[0].col), "listed-twice",
                  f"'{key}' is listed twice (first at line {at.line}, column {at.col}){more}",
                  "list each id once", path)


def _map_converter(spec: s.MapOf) -> Converter:
    convert_value, name = _converter(spec.value), spec.value.name

    def convert(node: Node, ctx: _Ctx, parent: str, at: Key) -> Any:
        path = _path(parent, at)
        if type(node) is not Mapping:
            ctx.error(node, "expected-mapping", f"expected {name}s by id (id: fields), "
                      f"found {_describe(node)}", path=path)
            return INVALID
        out = {}
        for key, (key_node, value_node) in node.entries.items():
            if not _ID.fullmatch(key):
                ctx.error(key_node, "bad-id", f"'{key}' is not a valid {name} id",
                          "use lowercase letters, digits and hyphens, e.g. us-dod", _path(path, key))
                continue
            if key in spec.reserved:
                ctx.error(key_node, "reserved-id", f"'{key}' is reserved: the site's list of all "
                          f"{name}s has that address", f"rename the {name}, e.g. '{key}-group'",
                          _path(path, key))
                continue
            if value_node is None:  # already reported by load
                continue
            value = convert_value(value_node, ctx, path, key)
            if value is not INVALID:
                value.id = key
                value.pos["id"] = (key_node.line, key_node.col)  # where the id is written
                out[key] = value
        return out

    return convert


# Scalars: the raw text, stripped, is what the editor meant (YAML 1.1 would turn `NO` into False
# and `1.10` into 1.1). Each converter first refuses what is not text, the same way.
def _is_text(node: Node) -> TypeGuard[Scalar]:
    return type(node) is Scalar and not (node.tag == _NULL and not node.quoted)


def _report_not_text(spec: s.Type, node: Node, ctx: _Ctx, parent: str, at: Key) -> Any:
    hint = spec.hint if isinstance(spec, s.Enum) else ""
    ctx.error(node, "expected-text", f"expected {_expected(spec)}, found {_describe(node)}", hint,
              path=_path(parent, at))
    return INVALID


# An HTML character reference, named (`&lrm;`, `&ZeroWidthSpace;`, some without `;`) or numeric.
_CHAR_REF = re.compile(r"&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?")


def banned_reference(text: str) -> tuple[str, str] | None:
    """The first character reference in `text` that Markdown would turn into a banned (control,
    bidi or invisible) character, and that character; the load stage refuses them raw."""
    for match in _CHAR_REF.finditer(text):
        ref = match.group()
        if ref[1] == "#":  # numeric: decoded as CommonMark does, not as html.unescape (which drops C0)
            digits = ref[2:].rstrip(";")
            number = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
            char = chr(number) if 0 < number <= 0x10FFFF else "\ufffd"
        else:
            char = html.unescape(ref)
        if bad := BANNED.search(char):
            return ref, bad.group()
    return None


def _text_converter(spec: s.Text) -> Converter:
    pattern = re.compile(spec.pattern) if spec.pattern else None

    def convert(node: Node, ctx: _Ctx, parent: str, at: Key) -> Any:
        if type(node) is not Scalar or (node.tag == _NULL and not node.quoted):  # not _is_text, inlined
            return _report_not_text(spec, node, ctx, parent, at)
        text = node.value.strip()
        if not text:
            ctx.error(node, "empty-text", "this text is empty", "write the text or remove the key",
                      _path(parent, at))
            return INVALID
        if "&" in text and (found := banned_reference(text)):
            ctx.error(node, "control-character",
                      f"'{found[0]}' writes the invisible character {char_label(found[1])}",
                      "delete it: invisible and direction-changing characters are not allowed, "
                      "however they are written", _path(parent, at))
            return INVALID
        if pattern is not None and not pattern.fullmatch(text):
            ctx.error(node, "bad-format", f"'{text}' is not {spec.form}", f"write {spec.form}",
                      _path(parent, at))
            return INVALID
        return text

    return convert


def _id_converter(spec: s.Id | s.Ref) -> Converter:
    def convert(node: Node, ctx: _Ctx, parent: str, at: Key) -> Any:
        if not _is_text(node):
            return _report_not_text(spec, node, ctx, parent, at)
        text = node.value.strip()
        if not _ID.fullmatch(text):
            ctx.error(node, "bad-id", f"'{text}' is not a valid id",
                      "use lowercase letters, digits and hyphens, e.g. us-dod", _path(parent, at))
            return INVALID
        if isinstance(spec, s.Id) and text in spec.reserved:
            ctx.error(node, "reserved-id", f"'{text}' is reserved: the site's list page has that address",
                      f"choose another tag, e.g. '{text}-funds'", _path(parent, at))
            return INVALID
        return Name(text, node.line, node.col)

    return convert


def _enum_converter(spec: s.Enum) -> Converter:
    values = spec.values

    def convert(node: Node, ctx: _Ctx, parent: str, at: Key) -> Any:
        if not _is_text(node):
            return _report_not_text(spec, node, ctx, parent, at)
        text = node.value.strip()
        if text not in values:
            ctx.error(node, "bad-value", f"'{text}' is not one of: {', '.join(values)}"
                      f"{did_you_mean(text, values)}", spec.hint, _path(parent, at))
            return INVALID
        return text

    return convert


def _date_converter(as_given: bool = False) -> Converter:
    """Dates; `as_given`: the object has `date_as_given`, where a date in words belongs."""
    spec = s.Date()

    def convert(node: Node, ctx: _Ctx, parent: str, at: Key) -> Any:
        if not _is_text(node):
            return _report_not_text(spec, node, ctx, parent, at)
        try:
            return parse_date(node.value.strip())  # cached there: dates repeat across stories
        except DateError as exc:
            hint = WORDS_HINT if exc.words and as_given else exc.hint
            ctx.error(node, "bad-date", str(exc), hint, _path(parent, at))
            return INVALID

    return convert


_SPACE = re.compile(r"\s")


def _url_converter(spec: s.Url) -> Converter:
    def convert(node: Node, ctx: _Ctx, parent: str, at: Key) -> Any:
        if not _is_text(node):
            return _report_not_text(spec, node, ctx, parent, at)
        text = node.value.strip()
        try:
            parts = urlsplit(text)
            ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not _SPACE.search(text)
        except ValueError:
            ok = False
        if not ok:
            ctx.error(node, "bad-url", f"'{text}' is not an http or https URL",
                      "write the full address, starting https://", _path(parent, at))
            return INVALID
        return text

    return convert


def _expected(spec: s.Type) -> str:
    if isinstance(spec, s.Date):
        return "a date"
    if isinstance(spec, s.Enum):
        return f"one of: {', '.join(spec.values)}"
    if isinstance(spec, (s.Id, s.Ref)):
        return "an id"
    return "a URL" if isinstance(spec, s.Url) else "text"


# --- cross-references --------------------------------------------------------------------------

def _check_story_references(story: Story, actors: dict[str, Any], report: Report) -> None:
    ctx = _Ctx(story.file, report)
    known_actors = _story_actors(story, actors, ctx)
    claim_ids = _unique_ids("claim", story.claims, ctx, set())
    _check_former_ids(story, claim_ids, ctx)
    context_ids = _unique_ids("context item", story.context, ctx, claim_ids)
    refs = _Refs(ctx, known_actors, story.sources, claim_ids, claim_ids | context_ids)
    for source in story.sources.values():
        if source.via is not None:
            refs.check("source", source.via)
        _check_as_given(source, source.via or Name(source.id), refs)
    _check_via_cycles(story, ctx)
    for claim in story.claims:
        refs.check("actor", claim.claimant)
        refs.check_all("source", claim.sources)
        _check_kind(claim, ctx)
    for item in story.context:
        refs.check("actor", item.attributed_to)
        refs.check_all("source", item.sources)
    _unique_ids("response", story.responses, ctx, set())
    for response in story.responses:
        refs.check("actor", response.actor)
        refs.check_all("claim", response.claims)
        refs.check_all("source", response.sources)
        if response.stance in s.SILENT_STANCES and response.quote:
            ctx.error(response.at("quote"), "quote-without-response",
                      f"response '{response.id}' records that there is no reply ({response.stance}) "
                      "but quotes one", "delete `quote:`, or give the stance the reply takes")
    for point in story.key_points:
        refs.check_all("item", point.refs)
    for question in story.open_questions:
        refs.check_all("claim", question.claims)
    for entry in story.timeline:
        refs.check_all("source", entry.sources)
        refs.check_all("claim", entry.claims)
        _check_as_given(entry, entry.sources[0] if entry.sources else None, refs)
    if story.updated.surely_before(story.published):
        ctx.error(story.at("updated"), "updated-before-published",
                  f"updated ({story.updated.iso()}) is before published ({story.published.iso()})",
                  "set updated to the date of the newest change")


def _check_former_ids(story: Story, ids: set[str], ctx: _Ctx) -> None:
    """An old id or slug (`formerly:`) names where a link used to point; it must not also name
    something the story has now, nor be given twice: the link could land in only one place."""
    given: set[str] = set()
    for claim in story.claims:
        for old in claim.formerly:
            if old in ids or old in given:
                ctx.error((old.line, old.col), "duplicate-id",
                          f"'{old}' is {'a claim id of this story' if old in ids else 'given twice'}",
                          "list in `formerly:` only ids no claim has now, each once")
            given.add(old)
    slugs: set[str] = set()
    for old in story.formerly:
        if old == story.slug or old in slugs:
            ctx.error((old.line, old.col), "duplicate-id", f"'{old}' is this story's own slug or given twice",
                      "list in `formerly:` only the story's old slugs, each once")
        slugs.add(old)


# "Did you mean" is looked for among every id of the kind: for the first few unknown references of a
# story only, so a file of thousands of typos stays linear work (the first ones show the pattern).
SUGGESTIONS = 20


def _story_actors(story: Story, actors: dict[str, Any], ctx: _Ctx) -> dict[str, Any]:
    """Site-wide and story-local actors; a story's own actor may not take a site-wide id."""
    for key, actor in story.actors.items():
        if key in actors:
            ctx.error(actor.at("id"), "actor-id-clash",
                      f"story actor '{key}' has the id of a site-wide actor in site_data/actors.yaml",
                      f"use the site-wide actor (delete this one), or rename it, e.g. '{story.slug}-{key}'")
    return {**story.actors, **actors} if story.actors else actors


def _unique_ids(what: str, items: Sequence_[Any], ctx: _Ctx, taken: set[str]) -> set[str]:
    seen: dict[str, Any] = {}
    for item in items:
        if item.id in seen or item.id in taken:
            first = f"line {seen[item.id].at('id')[0]}" if item.id in seen else "by a claim"
            ctx.error(item.at("id"), "duplicate-id", f"{what} id '{item.id}' is already used ({first})",
                      f"give each {what} its own id: key points and links name them")
        elif item.id:
            seen[item.id] = item
    return set(seen)


def _check_kind(claim: Claim, ctx: _Ctx) -> None:
    if not claim.kind:
        return  # missing or invalid: already reported
    if claim.verified and "verification" not in claim.pos:
        ctx.error(claim.at("kind"), "missing-key",
                  f"claim '{claim.id}' is {_a(claim.kind)}: it needs `verification:`",
                  f"add `verification:` ({', '.join(s.VERIFICATIONS)})")
    elif not claim.verified:
        for key in ("verification", "verification_history"):
            if key in claim.pos:
                ctx.error(claim.at(key), "label-on-unverified",
                          f"claim '{claim.id}' is {_a(claim.kind)}: only allegations and assertions carry "
                          f"`{key}:`", f"delete `{key}:` (the page shows the {claim.kind} attributed, "
                          "never badged); if it states a checkable fact, make it `kind: assertion`")
    if claim.verified and claim.verification_history and claim.verification is not None:
        _check_history(claim, ctx)


def _check_history(claim: Claim, ctx: _Ctx) -> None:
    history = claim.verification_history
    for before, after in zip(history, history[1:], strict=False):
        if after.date.surely_before(before.date):
            ctx.error(after.at("date"), "history-order",
                      f"verification_history: {after.date.iso()} comes after {before.date.iso()}",
                      "write the history oldest first")
    last = history[-1]
    if last.label != claim.verification:
        ctx.error(last.at("label"), "history-mismatch",
                  f"the last label in verification_history is '{last.label}', but the claim's "
                  f"verification is '{claim.verification}'",
                  "the last entry is the current label: add an entry, or correct `verification:`")


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _check_as_given(item: Source | TimelineEntry, default: Name | None, refs: _Refs) -> None:
    """A relative date is always carried with what it is relative to: the source whose words it is
    (written, or by default a source's `via` else itself, a timeline entry's first source)."""
    if item.date_as_given_in is not None:
        refs.check("source", item.date_as_given_in)
    elif item.date_as_given:
        item.date_as_given_in = default


@dataclass
class _Refs:
    ctx: _Ctx
    actors: dict[str, Any]
    sources: dict[str, Any]
    claims: set[str]
    items: set[str]  # claims and context items: what key points sum up
    suggestions: int = SUGGESTIONS

    def check(self, kind: str, ref: Name) -> None:
        self.check_all(kind, (ref,))

    def check_all(self, kind: str, refs: list[Name] | tuple[Name, ...]) -> None:
        known: dict[str, Any] | set[str] = (
            self.actors if kind == "actor" else self.sources if kind == "source"
            else self.items if kind == "item" else self.claims)
        for ref in refs:
            if ref and ref not in known:
                self._unknown(kind, ref, known)

    def _unknown(self, kind: str, ref: Name, known: dict[str, Any] | set[str]) -> None:
        where = {"actor": "site_data/actors.yaml",
                 "item": "this story's claims or context"}.get(kind, f"this story's {kind}s")
        what = "claim or context item" if kind == "item" else kind
        suggestion = ""
        if self.suggestions:
            self.suggestions -= 1
            suggestion = did_you_mean(ref, known)
        self.ctx.error((ref.line, ref.col), f"unknown-{kind}",
                       f"unknown {what} '{ref}'{suggestion}", f"use an id defined in {where}")


# The longest `via` chain allowed: real chains are two or three sources long, and each source's
# page entry and data file name its whole chain, so the output grows with the chain's length.
MAX_VIA_CHAIN = 10


def _check_via_cycles(story: Story, ctx: _Ctx) -> None:
    """Circles and over-long chains of `via`, in one pass: each source is walked once (its chain's
    length is known once the source it names is done), so a 100,000-source chain is linear work."""
    sources = story.sources
    depth: dict[str, int] = {}  # sources done: how many sources their chain passes through
    for start in sources:
        path: list[str] = []
        on_path: dict[str, int] = {}  # the walk from `start` so far: id -> its index in path
        current: str | None = start
        while current is not None and current in sources and current not in depth:
            if current in on_path:
                loop = path[on_path[current]:] + [current]
                via = sources[path[-1]].via  # the `via:` that closes the circle
                assert via is not None
                ctx.error((via.line, via.col), "via-cycle",
                          f"sources cite each other in a circle: {' → '.join(loop)}",
                          "a via chain must end at a source we know directly")
                for key in loop:
                    depth[key] = 0  # reported: not counted again as a long chain
                break
            on_path[current] = len(path)
            path.append(current)
            current = sources[current].via
        below = depth.get(current, -1) if current is not None and current in sources else -1
        for key in reversed(path):
            if key in depth:  # part of the circle just reported
                continue
            below += 1
            depth[key] = below
            if below == MAX_VIA_CHAIN + 1:  # once per chain, at the first source too far from its end
                via = sources[key].via
                assert via is not None
                ctx.error((via.line, via.col), "via-too-long",
                          f"source '{key}' is known through a chain of more than {MAX_VIA_CHAIN} "
                          f"sources (via {via} → …)",
                          "cite a source nearer the original directly; a via chain may name at "
                          f"most {MAX_VIA_CHAIN} sources")
