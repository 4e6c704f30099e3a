"""Editorial lint: valid data that an editor should look at again. Warnings unless --strict."""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from contested.content.labels import in_text
from contested.content.model import Actor, Claim, Located, Source, Story
from contested.content.yaml_errors import yaml_lines
from contested.diagnostics import Diagnostic
from contested.pages.markup import markdown_to_text


@dataclass
class LintContext:
    """What a rule may need besides the story: the actors, and the file text for exact positions."""

    actors: dict[str, Actor] = field(default_factory=dict)
    text: str = ""
    used: set[tuple[int, str]] = field(default_factory=set)  # (id of claim or source, code) acknowledged


Rule = Callable[[Story, LintContext], Iterator[Diagnostic]]


def lint_story(story: Story, actors: dict[str, Actor], text: str = "") -> list[Diagnostic]:
    """Every warning for one valid story; `text` is its file's text, for exact positions."""
    ctx = LintContext({**actors, **story.actors} if story.actors else actors, text)
    found = [d for rule in RULES for d in rule(story, ctx)]
    return found + list(_unneeded_acknowledgements(story, ctx))


def _warn(story: Story, at: tuple[int, int], code: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(story.file, at[0], at[1], "warning", code, message, hint)


def _acknowledged(item: Claim | Source, code: str, ctx: LintContext) -> bool:
    """The editors weighed this warning and keep it, with a reason (`acknowledged:`). Rules ask
    only when the warning applies, so what is never asked about is no longer needed."""
    if any(a.code == code for a in item.acknowledged):
        ctx.used.add((id(item), code))
        return True
    return False


def _unneeded_acknowledgements(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    # An acknowledgement outliving its warning keeps a reason that is no longer true.
    items: list[tuple[str, Claim | Source]] = [(f"source '{s.id}'", s) for s in story.sources.values()]
    items += [(f"claim '{c.id}'", c) for c in story.claims]
    for what, item in items:
        for ack in item.acknowledged:
            if (id(item), ack.code) not in ctx.used:
                yield _warn(story, ack.at("code"), "unneeded-acknowledgement",
                            f"{what} acknowledges '{ack.code}', which it no longer warns about",
                            "remove this acknowledgement: its reason may no longer be true")


# --- words to watch ------------------------------------------------------------------------------

# Verbs that take a side when the site uses them in its own voice; each with neutral alternatives.
# "claims" alone is usually the noun ("the memo's claims"), so only "claims that" is flagged.
LOADED_WORDS: dict[str, tuple[str, str]] = {
    "admit": (r"admit(?:s|ted|ting)?", '"said" or "stated"'),
    "reveal": (r"reveal(?:s|ed|ing)?", '"reported" or "said"'),
    "confess": (r"confess(?:es|ed|ing)?", '"said" or "stated"'),
    "expose": (r"expos(?:e|es|ed|ing)", '"reported" or "alleged"'),
    "claim": (r"claim(?:ed|ing)|claims(?=\s+that\b)", '"said" or "alleged"'),
    "prove": (r"prov(?:e|es|ed|en|ing)", '"reported", "said" or "alleged"'),
}
_LOADED = re.compile(
    r"\b(?:" + "|".join(f"(?P<{stem}>{pattern})" for stem, (pattern, _) in LOADED_WORDS.items()) + r")\b",
    re.IGNORECASE,
)


def _own_voice(story: Story) -> Iterator[tuple[str, str, Located, str]]:
    """(what, text, object, field) for every text written in the site's voice. Claim text and
    quotes are the claimant's and respondents' words, and source titles are the sources' own.
    Where the text was written (`object.at(field)`) is looked up only for a text with a finding."""
    yield "title", story.title, story, "title"
    yield "summary", story.summary, story, "summary"
    for source in story.sources.values():
        if source.note:
            yield f"note of source '{source.id}'", source.note, source, "note"
    for claim in story.claims:
        if claim.note:
            yield f"note of claim '{claim.id}'", claim.note, claim, "note"
    for item in story.context:
        yield f"context item '{item.id}'", item.text, item, "text"
    for response in story.responses:
        if response.text:
            yield f"response '{response.id}'", response.text, response, "text"
    for point in story.key_points:
        yield "key point", point.text, point, "text"
    for question in story.open_questions:
        yield "open question", question.text, question, "text"
    for entry in story.timeline:
        yield "timeline entry", entry.text, entry, "text"
    for update in story.updates:
        yield "update", update.text, update, "text"


def _as_read(text: str) -> str:
    """The text as readers see its words: character references decoded (Markdown does) and
    invisible format characters (soft hyphen, zero-width joiners) removed, so `adm&#105;tted` and
    `ad\u00admitted` are the word they display as."""
    if "&" in text:
        text = html.unescape(text)
    if not text.isprintable():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text


def loaded_words(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    for what, written, located, key in _own_voice(story):
        text = _as_read(written)
        if not _LOADED.search(text):
            continue  # most texts: one search, no iterator
        at = located.at(key)
        # Where the text as read differs from the text written, the words' positions do too.
        source = ctx.text if text == written else ""
        for index, match in enumerate(_LOADED.finditer(text)):
            word, stem = match.group(), match.lastgroup or ""
            yield _warn(story, _word_position(source, at, index, word) or at, "loaded-word",
                        f"'{word}' in the {what} takes a side in the site's own voice",
                        f"write {LOADED_WORDS[stem][1]} instead, and say who says so")


def _word_position(text: str, start: tuple[int, int], index: int, word: str) -> tuple[int, int] | None:
    """Line and column of the index-th loaded word at or after `start` in the file text.

    YAML quoting and line folding change spacing, never words, so the n-th loaded word of a
    value is the n-th one written from where the value starts. If the file says otherwise (an
    escape sequence inside a word), None: the caller points at the start of the value instead.
    """
    if not text:
        return None
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    if not 1 <= start[0] <= len(line_starts):
        return None
    offset = line_starts[start[0] - 1] + start[1] - 1
    for n, match in enumerate(_LOADED.finditer(text, offset)):
        if n == index:
            if match.group().casefold() != word.casefold():
                return None
            line = bisect.bisect_right(line_starts, match.start())
            return line, match.start() - line_starts[line - 1] + 1
    return None


# --- sources -------------------------------------------------------------------------------------

def source_without_url(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    for source in story.sources.values():
        if not source.url and not source.note:  # the note says why there is none
            yield _warn(story, source.at(), "source-no-url", f"source '{source.id}' has no URL",
                        "add `url:` so readers can check it, or say in `note:` why there is none")


def source_without_date(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    for source in story.sources.values():
        if not (source.date.known or source.date_as_given or _acknowledged(source, "source-no-date", ctx)):
            yield _warn(story, source.at("date"), "source-no-date", f"source '{source.id}' has no date",
                        "give the date at the precision known (\"2025\", \"2025-11\"), or the source's "
                        "own wording in `date_as_given:`")


# A publisher written as a sentence about not knowing it ("Not named in the article") would be
# published as a name; `publisher: unknown` is published as none.
_NO_NAME = re.compile(r"\b(?:not (?:named|given|known|stated|identified)|unnamed|unknown)\b", re.IGNORECASE)


def publisher_not_a_name(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    for source in story.sources.values():
        if source.known_publisher and _NO_NAME.search(source.publisher):
            yield _warn(story, source.at("publisher"), "publisher-not-a-name",
                        f"source '{source.id}': the publisher '{source.publisher}' says it is not known, "
                        "but it would be published as a name",
                        "write `publisher: unknown` (published as no publisher) and say what is known in "
                        "`note:`")


def _origin(story: Story, source_id: str) -> str:
    """The source at the end of the `via` chain."""
    chain = story.via_chain(source_id)
    return chain[-1].id if chain else source_id


def single_origin(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    hint = ("find an independent second source; if there is none, keep the verification at "
            "`unconfirmed` and say so in the claim's `note:`")
    for claim in story.claims:
        if not claim.verified:  # predictions and opinions are attributed, not verified
            continue
        ids = list(dict.fromkeys(claim.sources))
        if len(ids) == 1:
            if not _acknowledged(claim, "single-source", ctx):
                yield _warn(story, claim.at("sources"), "single-source",
                            f"claim '{claim.id}' rests on a single source ('{ids[0]}')", hint)
            continue
        origins = {_origin(story, i) for i in ids if i in story.sources}
        if len(origins) == 1 and not _acknowledged(claim, "single-origin", ctx):
            yield _warn(story, claim.at("sources"), "single-origin",
                        f"claim '{claim.id}': all sources trace back to '{origins.pop()}'", hint)


# --- claims --------------------------------------------------------------------------------------

def claim_without_response(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    answered = {claim_id for response in story.responses for claim_id in response.claims}
    for claim in story.claims:
        if claim.verified and claim.id not in answered and not _acknowledged(claim, "no-response", ctx):
            yield _warn(story, claim.at("id"), "no-response", f"claim '{claim.id}' has no response recorded",
                        "was the subject asked? record a response, even `declines-to-comment`")


# Verbs and phrases that put a claim in someone's mouth rather than the site's.
_ATTRIBUTION = re.compile(
    r"\b(?:alleg\w*|says?|said|saying|according to|claim(?:s|ed|ing)?|accus\w*|argu\w*|"
    r"suggest\w*|report(?:s|ed|ing)?|stat(?:es|ed|ing)|assert\w*|contend\w*|maintain\w*|insist\w*|"
    r"charg(?:es|ed|ing)|told|tells?|writes?|wrote|believes?|believed)\b",
    re.IGNORECASE,
)


def _names(actor: Actor | None) -> list[str]:
    return [n for n in ([actor.name] + actor.aliases if actor else []) if n]


def unattributed_claim(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    for claim in story.claims:
        actor = ctx.actors.get(claim.claimant)
        if _is_attributed(claim, actor):
            continue
        name, article = (actor.name, actor.article) if actor else (str(claim.claimant), "")
        yield _warn(story, claim.at("text"), "unattributed-claim",
                    f"claim '{claim.id}' reads as fact in the site's voice: its text does not name "
                    f"{in_text(name, article)} or say who claims it",
                    f"attribute it, e.g. \"{in_text(name, article, start=True)} alleges that …\" or "
                    f"\"According to {in_text(name, article)}, …\"")


def _is_attributed(claim: Claim, claimant: Actor | None) -> bool:
    text = claim.text.casefold()
    return bool(_ATTRIBUTION.search(claim.text)) or any(n.casefold() in text for n in _names(claimant))


# Quotation marks that open and close a quote, typographic ones in every language's style; the page
# puts a quote in its own marks, so a quote written inside these would show them twice.
_QUOTE_MARKS = {"“": "”", "‘": "’", "„": "“", "‚": "‘", "«": "»", "»": "«", "‹": "›", "「": "」", "『": "』"}


def quote_in_quotation_marks(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    lines: list[str] | None = None  # split once, and only for a story with such a quote
    for response in story.responses:
        quote = response.quote or ""
        if len(quote) >= 2 and _QUOTE_MARKS.get(quote[0]) == quote[-1]:
            line, col = response.at("quote")
            if lines is None:
                lines = yaml_lines(ctx.text) if ctx.text else []
            written = lines[line - 1][col - 1:] if line <= len(lines) else ""
            if written[:1] in ("'", '"') and written[1:2] == quote[0]:
                col += 1  # inside YAML's own quotes: point at the quotation mark itself
            yield _warn(story, (line, col), "quote-marks",
                        f"the quote in the response '{response.id}' is wrapped in "
                        f"{quote[0]}…{quote[-1]}; the page adds its own quotation marks, so readers "
                        "would see two pairs",
                        "remove the quotation marks around the quote: write only the words quoted")


# --- order and dates -----------------------------------------------------------------------------

def timeline_out_of_order(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    latest = None
    for entry in story.timeline:
        if not entry.date.known:
            continue
        if latest is not None and entry.date.surely_before(latest):
            yield _warn(story, entry.at("date"), "timeline-order",
                        f"timeline entry dated {entry.date.human()} comes after one dated {latest.human()}",
                        "the timeline is shown in the order written: move this entry up")
        elif latest is None or entry.date.sort_key() > latest.sort_key():
            latest = entry.date


def updated_before_last_update(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    dated = [u for u in story.updates if u.date.known]
    newest = max(dated, key=lambda u: u.date.sort_key(), default=None)
    if newest and story.updated.surely_before(newest.date):
        yield _warn(story, story.at("updated"), "updated-stale",
                    f"updated ({story.updated.iso()}) is older than the newest update ({newest.date.iso()})",
                    f"set `updated: \"{newest.date.iso()}\"`")


CLAIM_REVIEWED_MAX = 75  # Google's ClaimReview guidance: keep claimReviewed under 75 characters


def claim_text_too_long_for_claimreview(story: Story, ctx: LintContext) -> Iterator[Diagnostic]:
    for claim in story.claims:
        if not claim.verified:  # only allegations and assertions get a ClaimReview
            continue
        length = len(markdown_to_text(claim.text))
        if length > CLAIM_REVIEWED_MAX and not _acknowledged(claim, "claim-review-long", ctx):
            yield _warn(story, claim.at("text"), "claim-review-long",
                        f"claim '{claim.id}' is {length} characters; Google's ClaimReview guidance asks for "
                        f"under {CLAIM_REVIEWED_MAX} so the claim shows unwrapped on phones",
                        "state the claim itself shortly in `text`; context belongs in `note`")


RULES: list[Rule] = [loaded_words, source_without_url, source_without_date, publisher_not_a_name,
                     single_origin, claim_without_response, unattributed_claim, quote_in_quotation_marks,
                     timeline_out_of_order,
                     updated_before_last_update, claim_text_too_long_for_claimreview]
