"""View models: everything a template shows, already looked up, derived and formatted.

Templates receive these frozen objects and only present them. `*_html` fields are safe HTML
(Markup) made from editors' text by `markup.inline_html`; every other string is plain text that
Jinja escapes.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class SourceLink:
    id: str
    number: int  # its place in the story's Sources list: citations print this, not the title
    label: str  # the source's title, plain text (a tooltip on citations; printed once, in Sources)
    anchor: str  # "source-<id>" on the story page


@dataclass(frozen=True)
class DateView:
    iso: str  # for <time datetime>; '' when the date is unknown
    text: str  # "14 November 2025", "c. 2020", "date not given", or the source's wording
    # For a source's own wording ("earlier this month"): the source whose words they are, and its
    # date as text ('' when unknown), so the page says what the wording is relative to.
    given_in: SourceLink | None = None
    given_in_date: str = ""


@dataclass(frozen=True)
class ActorLink:
    id: str
    name: str
    kind: str
    url: str  # site-relative page URL, e.g. "actors/alibaba/"; '' for a story's own actor (no page)
    article: str = ""  # "the" when a sentence says "the U.S. government" (labels.in_text); '' for none


@dataclass(frozen=True)
class ClaimLink:
    id: str
    anchor: str  # "claim-<id>" (or "context-<id>" for a context item a key point refers to)
    label: str
    story_url: str


@dataclass(frozen=True)
class ResponseView:
    """One reply, printed once on the page (`#response-<id>`), with every claim it answers."""

    id: str
    anchor: str  # "response-<id>"
    actor: ActorLink
    stance: str
    stance_label: str  # "denies", "declines to comment"
    silent: bool  # did-not-respond or no-response-reported: said under each claim, not printed as a reply
    sentence: str  # for a silent one: "No response from the U.S. government is reported."
    text_html: Markup
    quote: str
    date: DateView
    sources: tuple[SourceLink, ...]
    claims: tuple[ClaimLink, ...]


@dataclass(frozen=True)
class ReplyRef:
    """Replies as a claim's card mentions them: who, how, and a link to where the first is printed."""

    actor: ActorLink
    stance_label: str
    anchor: str
    count: int  # statements by this party with this stance: "(2 statements)"


@dataclass(frozen=True)
class LabelStep:
    """One step of a claim's label history."""

    date: DateView
    verification: str
    label: str
    note_html: Markup


@dataclass(frozen=True)
class ClaimView:
    link: ClaimLink
    kind: str  # allegation, assertion, prediction, opinion
    kind_label: str  # "Allegation"
    verified: bool  # allegations and assertions: labelled and in the core sections
    verb: str  # fits the kind and agrees with the claimant: "alleges", "argue", "warn"
    attribution: str  # "Critics argue", "The U.S. Department of Defense alleges"
    text_html: Markup
    claimant: ActorLink
    verification: str  # '' when not verified
    verification_label: str  # "Unconfirmed"; '' when not verified
    note_html: Markup
    history: tuple[LabelStep, ...]  # oldest first; empty unless the label has changed
    sources: tuple[SourceLink, ...]
    replies: tuple[ReplyRef, ...]  # the replies printed elsewhere on the page
    silences: tuple[ResponseView, ...]  # "No response from Apple is reported."
    former_anchors: tuple[str, ...] = ()  # "claim-<old id>": links to its old ids land on this claim


@dataclass(frozen=True)
class ClaimGroup:
    """Claims shown together: consecutive claims by the same claimant answered by the same replies
    (the three allegations of one memo), so what is said of their replies is printed once."""

    claims: tuple[ClaimView, ...]
    replies: tuple[ReplyRef, ...]
    silences: tuple[ResponseView, ...]
    noun: str  # "this allegation", "these 3 allegations", "this opinion"


@dataclass(frozen=True)
class LegendItem:
    verification: str
    label: str
    meaning: str


@dataclass(frozen=True)
class KeyPointView:
    text_html: Markup
    refs: tuple[ClaimLink, ...]


@dataclass(frozen=True)
class ContextView:
    anchor: str  # "context-<id>"
    text_html: Markup
    attributed_to: ActorLink
    note_html: Markup
    sources: tuple[SourceLink, ...]


@dataclass(frozen=True)
class QuestionView:
    text_html: Markup
    claims: tuple[ClaimLink, ...]


@dataclass(frozen=True)
class TimelineView:
    date: DateView
    text_html: Markup
    sources: tuple[SourceLink, ...]
    claims: tuple[ClaimLink, ...]


@dataclass(frozen=True)
class UpdateView:
    date: DateView
    kind: str
    kind_label: str  # "Update", "Clarification", "Correction"
    text_html: Markup


@dataclass(frozen=True)
class SourceView:
    link: SourceLink
    title_html: Markup
    publisher: str
    kind: str
    date: DateView
    url: str  # '' when there is none
    note_html: Markup
    via: tuple[SourceLink, ...]  # the sources it reached us through, nearest first; () if read directly


@dataclass(frozen=True)
class HowWeKnow:
    """The one line saying which sources the page rests on and which of them we have seen."""

    read: tuple[SourceLink, ...]  # sources we read directly (no `via`)
    through: tuple[SourceLink, ...]  # sources known to us only through another


@dataclass(frozen=True)
class StanceCell:
    party: str  # the column's actor name, repeated for the phone layout's labels
    text: str  # "alleges", "denies", "no response reported", or '' where the party says nothing
    stance: str  # the first stance as a CSS suffix: "alleges", "declines-to-comment", or ''


@dataclass(frozen=True)
class StanceRow:
    claim: ClaimLink
    cells: tuple[StanceCell, ...]  # one per StoryPage.stance_actors


@dataclass(frozen=True)
class RoleView:
    actor: ActorLink
    description_html: Markup
    roles: str  # "makes 3 allegations; denies 3 claims"


@dataclass(frozen=True)
class StorySummary:
    slug: str
    url: str
    title: str
    summary_html: Markup
    status: str  # "developing" or "settled"
    status_label: str
    published: DateView
    updated: DateView
    tags: tuple[str, ...]


@dataclass(frozen=True)
class StoryPage:
    summary: StorySummary
    meta_title: str  # plain text safe for the theme's <title> and header
    meta_description: Markup  # the description HTML-escaped: the theme prints it raw in content="…"
    key_points: tuple[KeyPointView, ...]
    how_we_know: HowWeKnow
    legend: tuple[LegendItem, ...]  # the labels used on this page, each explained once
    alleged: tuple[ClaimView, ...]  # allegations and assertions, in the order written
    views: tuple[ClaimView, ...]  # predictions and opinions: attributed, never labelled
    alleged_groups: tuple[ClaimGroup, ...]  # `alleged`, as the page shows them
    view_groups: tuple[ClaimGroup, ...]
    responses: tuple[ResponseView, ...]  # every reply, in the order written
    denials: tuple[ResponseView, ...]  # denies / disputes, each printed once
    other_replies: tuple[ResponseView, ...]  # confirms, supports, declines to comment
    unconfirmed: tuple[ClaimView, ...]
    open_questions: tuple[QuestionView, ...]
    context: tuple[ContextView, ...]
    timeline: tuple[TimelineView, ...]
    people: tuple[RoleView, ...]
    sources: tuple[SourceView, ...]
    updates: tuple[UpdateView, ...]
    corrections: tuple[UpdateView, ...]
    stance_actors: tuple[ActorLink, ...]
    stance_rows: tuple[StanceRow, ...]
    # schema.org JSON-LD, safe inside <script>: part of the view so an unchanged page is one whose
    # structured data is unchanged too. Filled in once the exports are made.
    jsonld: Markup = Markup("")

    @property
    def claims(self) -> tuple[ClaimView, ...]:
        """Every claim, core ones first."""
        return self.alleged + self.views


@dataclass(frozen=True)
class ActorClaimView:
    """A claim as its claimant's actor page shows it."""

    link: ClaimLink
    kind_label: str  # "Allegation", "Opinion"
    text_html: Markup
    verification: str  # '' for predictions and opinions
    verification_label: str


@dataclass(frozen=True)
class ActorResponseView:
    """A response as its actor's page shows it."""

    stance_label: str
    claims: tuple[ClaimLink, ...]
    text_html: Markup
    quote: str


@dataclass(frozen=True)
class Appearance:
    """What one actor said in one story; both empty when the story only mentions it (context)."""

    story: StorySummary
    claims: tuple[ActorClaimView, ...]
    responses: tuple[ActorResponseView, ...]
    context: int = 0  # how many context items the story attributes to it


@dataclass(frozen=True)
class StoryListing:
    """What the pages shared by many stories (indexes, actor and tag pages) need of one story. Kept
    in the build cache, so those pages are rebuilt without reading the other stories again."""

    summary: StorySummary
    appearances: tuple[tuple[str, Appearance], ...]  # (actor id, what they said), first speaker first


@dataclass(frozen=True)
class ActorPage:
    link: ActorLink
    meta_title: str
    meta_description: Markup  # HTML-escaped, as StoryPage.meta_description
    kind_label: str
    description_html: Markup
    website: str
    aliases: tuple[str, ...]
    appearances: tuple[Appearance, ...]


@dataclass(frozen=True)
class TagPage:
    tag: str
    stories: tuple[StorySummary, ...]


@dataclass(frozen=True)
class YearPage:
    """The stories first published in one year, for archives too long to list on one page."""

    year: str  # "2021", or "undated"
    url: str  # "archive/2021/"
    stories: tuple[StorySummary, ...]  # most recently updated first


@dataclass(frozen=True)
class SiteView:
    """The pages shared by many stories, ready to render. Each story's own page renders from its
    StoryPage alone."""

    stories: tuple[StorySummary, ...]  # most recently updated first
    actors: tuple[ActorPage, ...]
    tags: tuple[TagPage, ...]
    recent: tuple[StorySummary, ...] = ()  # the first stories, for the home page
    years: tuple[YearPage, ...] = ()  # newest first; empty when the stories index lists every story
