"""View models: everything a template shows, already looked up, derived and formatted.

Templates receive these frozen objects and only present them. `*_html` fields are safe HTML
(Markup) made from editors' text by `markup.inline_html`; every other string is plain text that
Jinja escapes.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class DateView:
    iso: str  # for <time datetime>; '' when the date is unknown
    text: str  # "14 November 2025", "c. 2020", "date not given", or the source's wording


@dataclass(frozen=True)
class ActorLink:
    id: str
    name: str
    kind: str
    url: str  # site-relative page URL, e.g. "actors/alibaba/"


@dataclass(frozen=True)
class SourceLink:
    id: str
    label: str  # the source's title, for inline citations
    anchor: str  # "source-<id>" on the story page


@dataclass(frozen=True)
class ClaimLink:
    id: str
    anchor: str  # "claim-<id>"
    label: str
    story_url: str


@dataclass(frozen=True)
class ResponseView:
    actor: ActorLink
    stance: str
    stance_label: str  # "denies", "declines to comment"
    text_html: Markup
    quote: str
    date: DateView
    sources: tuple[SourceLink, ...]
    claim: ClaimLink


@dataclass(frozen=True)
class DenialView:
    """One denial or dispute, with every claim it answers: a statement made once is listed once."""

    actor: ActorLink
    stance: str
    stance_label: str
    text_html: Markup
    quote: str
    date: DateView
    sources: tuple[SourceLink, ...]
    claims: tuple[ClaimLink, ...]


@dataclass(frozen=True)
class ClaimView:
    link: ClaimLink
    text_html: Markup
    claimant: ActorLink
    verification: str
    verification_label: str  # "Unconfirmed"
    verification_help: str  # one sentence saying what the label means
    note_html: Markup
    sources: tuple[SourceLink, ...]
    responses: tuple[ResponseView, ...]
    kind: str = "allegation"  # allegation, assertion, prediction or opinion
    verb: str = "alleges"  # fits the kind and agrees with the claimant: "argue", "warns"


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
    provenance: str  # "reported by Financial Times, via The article (Not named)"; '' if direct


@dataclass(frozen=True)
class StanceCell:
    party: str  # the column's actor name, repeated for the phone layout's labels
    text: str  # "alleges", "denies", "alleges, denies", or '' where the party says nothing
    stance: str  # the first stance as a CSS suffix: "alleges", "declines-to-comment", or ''


@dataclass(frozen=True)
class StanceRow:
    claim: ClaimLink
    cells: tuple[StanceCell, ...]  # one per StoryPage.stance_actors


@dataclass(frozen=True)
class RoleView:
    actor: ActorLink
    description_html: Markup
    roles: str  # "alleges 3 claims; denies 2 claims"


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
    claims: tuple[ClaimView, ...]
    denials: tuple[DenialView, ...]
    unconfirmed: tuple[ClaimView, ...]
    open_questions: tuple[QuestionView, ...]
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


@dataclass(frozen=True)
class ActorClaimView:
    """A claim as its claimant's actor page shows it."""

    link: ClaimLink
    text_html: Markup
    verification: str
    verification_label: str


@dataclass(frozen=True)
class ActorResponseView:
    """A response as its actor's page shows it."""

    stance_label: str
    claim: ClaimLink
    text_html: Markup
    quote: str


@dataclass(frozen=True)
class Appearance:
    """What one actor said in one story."""

    story: StorySummary
    claims: tuple[ActorClaimView, ...]
    responses: tuple[ActorResponseView, ...]


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
