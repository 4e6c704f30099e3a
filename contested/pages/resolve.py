"""Stage 3, resolve: the validated dataset becomes view models, every id looked up.

All of the labelling rules live here (what counts as alleged, denied, unconfirmed), so templates
only present and the rules can be tested without rendering.
"""

from __future__ import annotations

import html
from collections import defaultdict
from functools import lru_cache

from markupsafe import Markup

from contested.content.dates import PartialDate, date_text
from contested.content.labels import (
    ACTOR_KIND_LABELS,
    STANCE_LABELS,
    STATUS_LABELS,
    VERIFICATION_LABELS,
    claim_verb,
)
from contested.content.model import Actor, Claim, Name, Response, Source, Story, Update
from contested.pages.markup import inline_html, markdown_to_text, one_line
from contested.pages.views import (
    ActorClaimView,
    ActorLink,
    ActorPage,
    ActorResponseView,
    Appearance,
    ClaimLink,
    ClaimView,
    DateView,
    DenialView,
    QuestionView,
    ResponseView,
    RoleView,
    SiteView,
    SourceLink,
    SourceView,
    StanceCell,
    StanceRow,
    StoryListing,
    StoryPage,
    StorySummary,
    TagPage,
    TimelineView,
    UpdateView,
    YearPage,
)
from contested.wording import plural

DENYING_STANCES = ("denies", "disputes")


HOME_STORIES = 20  # the home page shows this many, newest first
# Up to this many stories, the stories index lists them all; beyond, it links one page per year of
# publication, so no page grows with the archive and an edit changes only its own year's page.
INDEX_STORIES = 100


def resolve_story(story: Story, actors: dict[str, Actor], links: dict[str, ActorLink],
                  jsonld: Markup) -> StoryPage:
    """One story's page; `links` is `actor_links(actors)`, made once for every story; `jsonld` is
    the exports' (`StoryExport.jsonld`), safe inside <script>."""
    return _StoryResolver(story, actors, links).page(jsonld)


def story_order(story: Story) -> tuple[tuple[int, int, int], str]:
    """Sort key of the site's story order: most recently updated first, then by slug."""
    return (_newest_first(last_updated(story)), story.slug)


def story_listing(page: StoryPage) -> StoryListing:
    """What the shared pages need of a story: its summary, and what each actor says in it."""
    claims: dict[str, list[ActorClaimView]] = defaultdict(list)
    responses: dict[str, list[ActorResponseView]] = defaultdict(list)
    for claim in page.claims:
        claims[claim.claimant.id].append(
            ActorClaimView(claim.link, claim.text_html, claim.verification, claim.verification_label))
        for r in claim.responses:
            responses[r.actor.id].append(ActorResponseView(r.stance_label, r.claim, r.text_html, r.quote))
    return StoryListing(page.summary, tuple(
        (actor_id, Appearance(page.summary, tuple(claims[actor_id]), tuple(responses[actor_id])))
        for actor_id in dict.fromkeys([*claims, *responses])))


def assemble_site(actors: dict[str, Actor], stories: tuple[StoryListing, ...]) -> SiteView:
    """The shared pages from every story's listing (in site order): actor and tag pages gather here."""
    summaries = tuple(story.summary for story in stories)
    return SiteView(stories=summaries, actors=_actor_pages(actors, actor_links(actors), stories),
                    tags=_tag_pages(summaries), recent=summaries[:HOME_STORIES], years=_year_pages(summaries))


def _year_pages(stories: tuple[StorySummary, ...]) -> tuple[YearPage, ...]:
    if len(stories) <= INDEX_STORIES:
        return ()
    by_year: dict[str, list[StorySummary]] = defaultdict(list)
    for story in stories:
        by_year[story.published.iso[:4] or "undated"].append(story)
    years = sorted(by_year, key=lambda y: y if y != "undated" else "", reverse=True)
    return tuple(YearPage(y, f"archive/{y}/", tuple(by_year[y])) for y in years)


def actor_links(actors: dict[str, Actor]) -> dict[str, ActorLink]:
    return {key: _actor_link(actor) for key, actor in actors.items()}


def _newest_first(date: PartialDate) -> tuple[int, int, int]:
    year, month, day = date.sort_key()
    return (-year, -month, -day)


def last_updated(story: Story) -> PartialDate:
    """The date shown as "Last updated": `updated`, or the newest entry in `updates` if later
    (the linter warns when they disagree, but readers must never see a stale date)."""
    dated = [story.updated] + [u.date for u in story.updates if u.date.known]
    return max(dated, key=PartialDate.sort_key)


@lru_cache(maxsize=65536)  # frozen in, frozen out; an archive repeats the same dates many times
def date_view(date: PartialDate, as_given: str | None = None,
              given_in: tuple[str, PartialDate] | None = None) -> DateView:
    return DateView(date.iso() if date.known else "", date_text(date, as_given, given_in))


def _actor_link(actor: Actor) -> ActorLink:
    return ActorLink(actor.id, one_line(actor.name), actor.kind, f"actors/{actor.id}/")


def safe_title(text: str) -> str:
    """Plain text that stays inert wherever the theme prints a page title, escaped or not."""
    return one_line(text).replace("&", "＆").replace("<", "‹").replace(">", "›")


def safe_description(text: str) -> Markup:
    """Plain text HTML-escaped, quotes included: the theme prints the page description unescaped
    inside `<meta name="description" content="…">`, so a `"` would otherwise end the attribute."""
    return Markup(html.escape(markdown_to_text(text), quote=True))


class _StoryResolver:
    """Resolves one story; holds the lookups it needs so each method stays small."""

    def __init__(self, story: Story, actors: dict[str, Actor], links: dict[str, ActorLink]):
        self.story = story
        # A story's own actors have no page: their links lead to this page's "Who's who".
        self.actors = {**actors, **story.actors} if story.actors else actors
        own = f"stories/{story.slug}/#actors"
        self.links = {**links, **{key: ActorLink(key, one_line(a.name), a.kind, own)
                                  for key, a in story.actors.items()}} if story.actors else links
        self.url = f"stories/{story.slug}/"
        # Each response is written once and may answer several claims: index it by claim, once.
        self.replies: dict[str, list[Response]] = defaultdict(list)
        for response in story.responses:
            for claim_id in response.claims:
                self.replies[claim_id].append(response)
        self.claim_links = {c.id: self._claim_link(c) for c in story.claims}
        # Each source is cited many times (claims, responses, timeline): make its link once.
        self.source_links = {key: self._source_link(s) for key, s in story.sources.items()}

    def page(self, jsonld: Markup) -> StoryPage:
        story = self.story
        claims = tuple(self._claim(c) for c in story.claims)
        # Newest first; sorted() is stable, so same-day entries keep the order written.
        newest_first = sorted(story.updates, key=lambda u: _newest_first(u.date))
        updates = tuple(self._update(u) for u in newest_first)
        stance_actors, stance_rows = self._stance_table(claims)
        return StoryPage(
            summary=self.summary(),
            meta_title=safe_title(story.title),
            meta_description=safe_description(story.summary),
            claims=claims,
            denials=_denials(claims),
            unconfirmed=tuple(c for c in claims if c.verification == "unconfirmed"),  # verified kinds only
            open_questions=tuple(
                QuestionView(inline_html(q.text), self._claims(q.claims)) for q in story.open_questions),
            timeline=tuple(
                TimelineView(date_view(e.date, e.date_as_given, self._given_in(e.date_as_given_in)),
                             inline_html(e.text),
                             self._sources(e.sources), self._claims(e.claims)) for e in story.timeline),
            people=self._people(claims),
            sources=tuple(self._source(s, self.source_links[key]) for key, s in story.sources.items()),
            updates=updates,
            corrections=tuple(u for u in updates if u.kind == "correction"),
            stance_actors=stance_actors,
            stance_rows=stance_rows,
            jsonld=jsonld,
        )

    def summary(self) -> StorySummary:
        s = self.story
        return StorySummary(s.slug, self.url, one_line(s.title), inline_html(s.summary), s.status,
                            STATUS_LABELS[s.status], date_view(s.published), date_view(last_updated(s)),
                            tuple(s.tags))

    def _claim_link(self, claim: Claim) -> ClaimLink:
        label = one_line(claim.label) if claim.label else markdown_to_text(claim.text)
        return ClaimLink(claim.id, f"claim-{claim.id}", label, self.url)

    def _claims(self, ids: list[Name]) -> tuple[ClaimLink, ...]:
        return tuple(map(self.claim_links.__getitem__, ids))

    def _sources(self, ids: list[Name]) -> tuple[SourceLink, ...]:
        return tuple(map(self.source_links.__getitem__, dict.fromkeys(ids)))

    @staticmethod
    def _source_link(source: Source) -> SourceLink:
        return SourceLink(source.id, markdown_to_text(source.title), f"source-{source.id}")

    def _given_in(self, source_id: str | None) -> tuple[str, PartialDate] | None:
        source = self.story.as_given_in(source_id)
        return (markdown_to_text(source.title), source.date) if source else None

    def _claim(self, claim: Claim) -> ClaimView:
        # Predictions and opinions carry no label: shown attributed, never badged.
        label, help_ = VERIFICATION_LABELS[claim.verification] if claim.verification else ("", "")
        link = self.claim_links[claim.id]
        return ClaimView(
            link=link, text_html=inline_html(claim.text), claimant=self.links[claim.claimant],
            verification=claim.verification or "", verification_label=label, verification_help=help_,
            note_html=inline_html(claim.note or ""), sources=self._sources(claim.sources),
            responses=tuple(self._response(r, link) for r in self.replies[claim.id]),
            kind=claim.kind, verb=claim_verb(claim.kind, self.actors[claim.claimant].plural),
        )

    def _response(self, response: Response, claim: ClaimLink) -> ResponseView:
        return ResponseView(
            actor=self.links[response.actor], stance=response.stance,
            stance_label=STANCE_LABELS[response.stance], text_html=inline_html(response.text or ""),
            quote=one_line(response.quote or ""), date=date_view(response.date),
            sources=self._sources(response.sources), claim=claim,
        )

    def _update(self, update: Update) -> UpdateView:
        return UpdateView(date_view(update.date), update.kind, update.kind.capitalize(),
                          inline_html(update.text))

    def _source(self, source: Source, link: SourceLink) -> SourceView:
        return SourceView(
            link=link, title_html=inline_html(source.title),
            publisher=one_line(source.known_publisher or ""), kind=source.kind,
            date=date_view(source.date, source.date_as_given, self._given_in(source.date_as_given_in)),
            url=source.url or "",
            note_html=inline_html(source.note or ""), provenance=self._provenance(source),
        )

    def _provenance(self, source: Source) -> str:
        """'FT report (Financial Times), via News article': the chain of `via`, named in full
        because a publisher alone can be unknown."""
        chain = self.story.via_chain(source.id)
        named = [(markdown_to_text(s.title), s.known_publisher) for s in chain]
        return ", via ".join(f"{title} ({one_line(p)})" if p else title for title, p in named)

    def _stance_table(
        self, claims: tuple[ClaimView, ...]
    ) -> tuple[tuple[ActorLink, ...], tuple[StanceRow, ...]]:
        actors: dict[str, ActorLink] = {}
        for claim in claims:
            actors.setdefault(claim.claimant.id, claim.claimant)
            for response in claim.responses:
                actors.setdefault(response.actor.id, response.actor)
        # Most cells are empty: one shared empty cell per column.
        empty = {a: StanceCell(link.name, "", "") for a, link in actors.items()}
        rows = []
        for claim in claims:
            stances: dict[str, list[str]] = defaultdict(list)
            stances[claim.claimant.id].append(claim.verb)
            for response in claim.responses:
                if response.stance_label not in stances[response.actor.id]:
                    stances[response.actor.id].append(response.stance_label)
            cells = tuple(StanceCell(link.name, ", ".join(said), said[0].replace(" ", "-"))
                          if (said := stances.get(a)) else empty[a]
                          for a, link in actors.items())
            rows.append(StanceRow(claim.link, cells))
        return tuple(actors.values()), tuple(rows)

    def _people(self, claims: tuple[ClaimView, ...]) -> tuple[RoleView, ...]:
        # Claims, not responses, are counted: three statements denying one claim are "denies 1 claim".
        roles: dict[str, dict[str, set[str]]] = {}
        for claim in claims:
            roles.setdefault(claim.claimant.id, defaultdict(set))[claim.verb].add(claim.link.id)
            for response in claim.responses:
                stances = roles.setdefault(response.actor.id, defaultdict(set))
                stances[response.stance_label].add(claim.link.id)
        return tuple(
            RoleView(self.links[actor_id], inline_html(self.actors[actor_id].description),
                     "; ".join(f"{verb}{' on' if verb == 'declines to comment' else ''} "
                               f"{plural(len(ids), 'claim')}" for verb, ids in verbs.items()))
            for actor_id, verbs in roles.items()
        )


def _denials(claims: tuple[ClaimView, ...]) -> tuple[DenialView, ...]:
    """Denials and disputes in claim order; the same statement answering several claims is one entry."""
    grouped: dict[tuple[object, ...], list[ResponseView]] = {}
    for claim in claims:
        for r in claim.responses:
            if r.stance in DENYING_STANCES:
                key = (r.actor.id, r.stance, r.text_html, r.quote, r.date, r.sources)
                grouped.setdefault(key, []).append(r)
    return tuple(
        DenialView(same[0].actor, same[0].stance, same[0].stance_label, same[0].text_html, same[0].quote,
                   same[0].date, same[0].sources, tuple(r.claim for r in same))
        for same in grouped.values()
    )


def _actor_pages(actors: dict[str, Actor], links: dict[str, ActorLink],
                 stories: tuple[StoryListing, ...]) -> tuple[ActorPage, ...]:
    by_actor: dict[str, list[Appearance]] = defaultdict(list)
    for story in stories:  # one pass, however many actors
        for actor_id, appearance in story.appearances:
            by_actor[actor_id].append(appearance)
    pages = []
    for actor_id, actor in sorted(actors.items()):
        pages.append(ActorPage(
            link=links[actor_id], meta_title=safe_title(actor.name),
            meta_description=safe_description(f"Claims and responses by {actor.name}"),
            kind_label=ACTOR_KIND_LABELS[actor.kind], description_html=inline_html(actor.description),
            website=actor.url or "", aliases=tuple(one_line(a) for a in actor.aliases),
            appearances=tuple(by_actor.get(actor_id, ())),
        ))
    return tuple(pages)


def _tag_pages(stories: tuple[StorySummary, ...]) -> tuple[TagPage, ...]:
    by_tag: dict[str, list[StorySummary]] = defaultdict(list)
    for story in stories:
        for tag in story.tags:
            by_tag[tag].append(story)
    return tuple(TagPage(tag, tuple(items)) for tag, items in sorted(by_tag.items()))
