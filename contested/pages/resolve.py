"""Stage 3, resolve: the validated dataset becomes view models, every id looked up.

All of the labelling rules live here (what counts as alleged, denied, unconfirmed), so templates
only present and the rules can be tested without rendering.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from markupsafe import Markup

from contested.content.dates import PartialDate, date_text
from contested.content.labels import (
    ACTOR_KIND_LABELS,
    KIND_LABELS,
    STANCE_LABELS,
    STATUS_LABELS,
    VERIFICATION_LABELS,
    claim_verb,
    in_text,
    no_response_text,
)
from contested.content.model import Actor, Claim, Name, Response, Source, Story, Update
from contested.content.schema import SILENT_STANCES
from contested.files import OutputTooLarge
from contested.pages.markup import inline_html, markdown_to_text, one_line
from contested.pages.views import (
    ActorClaimView,
    ActorLink,
    ActorPage,
    ActorResponseView,
    Appearance,
    ClaimGroup,
    ClaimLink,
    ClaimView,
    ContextView,
    DateView,
    HowWeKnow,
    KeyPointView,
    LabelStep,
    LegendItem,
    QuestionView,
    ReplyRef,
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
                  jsonld: Markup, limit: int | None = None) -> StoryPage:
    """One story's page; `links` is `actor_links(actors)`, made once for every story; `jsonld` is
    the exports' (`StoryExport.jsonld`), safe inside <script>. With `limit` (bytes of the page), a
    stance table that could not fit is refused (`OutputTooLarge`) before its cells are made."""
    return _StoryResolver(story, actors, links, limit).page(jsonld)


def story_order(story: Story) -> tuple[tuple[int, int, int], str]:
    """Sort key of the site's story order: most recently updated first, then by slug."""
    return (_newest_first(last_updated(story)), story.slug)


def story_listing(page: StoryPage) -> StoryListing:
    """What the shared pages need of a story: its summary, and what each site-wide actor says in it
    (or only that it is mentioned: a context item is attributed to it). The story's own actors
    have no page, so no appearance."""
    claims: dict[str, list[ActorClaimView]] = defaultdict(list)
    responses: dict[str, list[ActorResponseView]] = defaultdict(list)
    context: dict[str, int] = defaultdict(int)
    for claim in page.claims:
        claims[claim.claimant.id].append(ActorClaimView(claim.link, claim.kind_label, claim.text_html,
                                                        claim.verification, claim.verification_label))
    for r in page.responses:
        responses[r.actor.id].append(ActorResponseView(r.stance_label, r.claims, r.text_html, r.quote))
    for item in page.context:
        context[item.attributed_to.id] += 1
    return StoryListing(page.summary, tuple(
        (p.actor.id, Appearance(page.summary, tuple(claims[p.actor.id]), tuple(responses[p.actor.id]),
                                context[p.actor.id]))
        for p in page.people if p.actor.url))


def shared_output(listing: StoryListing) -> tuple[object, ...]:
    """What the shared pages print of one story, once per place: what each actor says in it (on
    that actor's page) and its card (on each of its tag pages and up to three lists). Measured by
    the runner (`files.check_size`), so a story cannot fill them with a long text cited by many
    actors or a long summary under many tags."""
    return listing.appearances, (listing.summary,) * (len(listing.summary.tags) + 3)


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
def date_view(date: PartialDate, as_given: str | None = None) -> DateView:
    return DateView(date.iso() if date.known else "", date_text(date, as_given))


def _actor_link(actor: Actor) -> ActorLink:
    return ActorLink(actor.id, one_line(actor.name), actor.kind, f"actors/{actor.id}/", actor.article)


def safe_title(text: str) -> str:
    """The title as HTML text (`&`, `<`, `>` escaped): the theme prints a page title unescaped,
    as element text only (`<title>`, the header, the search index), where the reader then sees it
    exactly as written ("AT&T"); our meta partial unescapes it (`striptags`) and escapes it once."""
    return html.escape(one_line(text), quote=False)


def safe_description(text: str) -> Markup:
    """Plain text HTML-escaped, quotes included: the theme prints the page description unescaped
    inside `<meta name="description" content="…">`, so a `"` would otherwise end the attribute."""
    return Markup(html.escape(markdown_to_text(text), quote=True))


STANCE_CELL_BYTES = len('<td data-label="x">—</td>')  # the least a stance table's cell takes


class _StoryResolver:
    """Resolves one story; holds the lookups it needs so each method stays small."""

    def __init__(self, story: Story, actors: dict[str, Actor], links: dict[str, ActorLink],
                 limit: int | None = None):
        self.story, self.limit = story, limit
        # The story's own actors (unnamed officials, critics, the source) have no site-wide page.
        self.actors = {**actors, **story.actors}
        self.links = {**links, **{key: ActorLink(key, one_line(a.name), a.kind, "", a.article)
                                  for key, a in story.actors.items()}}
        self.url = f"stories/{story.slug}/"
        # Each source is cited many times (claims, responses, timeline): make its link once.
        self.source_links = {key: self._source_link(s, n)
                             for n, (key, s) in enumerate(story.sources.items(), 1)}
        self.claim_links: dict[str, ClaimLink] = {c.id: self._claim_link(c) for c in story.claims}
        self.context_links: dict[str, ClaimLink] = {
            c.id: ClaimLink(c.id, f"context-{c.id}", _label(c.text, 6), self.url) for c in story.context}
        self.responses = tuple(self._response(r) for r in story.responses)
        # Each response is written once and may answer several claims: index it by claim, once.
        self.replies: dict[str, list[ResponseView]] = defaultdict(list)
        for view in self.responses:
            for claim_link in view.claims:
                self.replies[claim_link.id].append(view)

    def page(self, jsonld: Markup) -> StoryPage:
        story = self.story
        claims = tuple(self._claim(c) for c in story.claims)
        alleged = tuple(c for c in claims if c.verified)
        views = tuple(c for c in claims if not c.verified)
        # Newest first; sorted() is stable, so same-day entries keep the order written.
        newest_first = sorted(story.updates, key=lambda u: _newest_first(u.date))
        updates = tuple(self._update(u) for u in newest_first)
        stance_actors, stance_rows = self._stance_table(alleged)
        spoken = tuple(r for r in self.responses if not r.silent)
        return StoryPage(
            summary=self.summary(),
            meta_title=safe_title(story.title),
            meta_description=safe_description(story.summary),
            key_points=tuple(KeyPointView(inline_html(k.text), tuple(map(self._ref, k.refs)))
                             for k in story.key_points),
            how_we_know=HowWeKnow(
                read=tuple(self.source_links[k] for k, s in story.sources.items() if not s.via),
                through=tuple(self.source_links[k] for k, s in story.sources.items() if s.via)),
            legend=tuple(LegendItem(v, *VERIFICATION_LABELS[v]) for v in VERIFICATION_LABELS
                         if any(c.verification == v or any(h.verification == v for h in c.history)
                                for c in alleged)),
            alleged=alleged,
            views=views,
            alleged_groups=_groups(alleged),
            view_groups=_groups(views),
            responses=self.responses,
            denials=tuple(r for r in spoken if r.stance in DENYING_STANCES),
            other_replies=tuple(r for r in spoken if r.stance not in DENYING_STANCES),
            unconfirmed=tuple(c for c in alleged if c.verification == "unconfirmed"),
            open_questions=tuple(
                QuestionView(inline_html(q.text), self._claims(q.claims)) for q in story.open_questions),
            context=tuple(ContextView(self.context_links[c.id].anchor, inline_html(c.text),
                                      self.links[c.attributed_to], inline_html(c.note or ""),
                                      self._sources(c.sources)) for c in story.context),
            timeline=tuple(
                TimelineView(self._date(e.date, e.date_as_given, e.date_as_given_in), inline_html(e.text),
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
        label = one_line(claim.label) if claim.label else _label(claim.text)
        return ClaimLink(claim.id, f"claim-{claim.id}", label, self.url)

    def _claims(self, ids: list[Name]) -> tuple[ClaimLink, ...]:
        return tuple(map(self.claim_links.__getitem__, ids))

    def _ref(self, ref: str) -> ClaimLink:
        """A key point's reference: a claim or a context item."""
        return self.claim_links.get(ref) or self.context_links[ref]

    def _sources(self, ids: list[Name]) -> tuple[SourceLink, ...]:
        return tuple(map(self.source_links.__getitem__, dict.fromkeys(ids)))

    @staticmethod
    def _source_link(source: Source, number: int) -> SourceLink:
        return SourceLink(source.id, number, markdown_to_text(source.title), f"source-{source.id}")

    def _date(self, date: PartialDate, as_given: str | None, given_in: str | None) -> DateView:
        """A date; a source's own wording for it says whose words they are and what they are
        relative to, so "earlier this month" is never read against this page's date."""
        view = date_view(date, as_given)
        source = self.story.as_given_in(given_in)
        if date.known or not as_given or source is None:
            return view
        return DateView("", one_line(as_given), self.source_links[source.id],
                        source.date.human() if source.date.known else "")

    def _claim(self, claim: Claim) -> ClaimView:
        link = self.claim_links[claim.id]
        claimant = self.links[claim.claimant]
        label = VERIFICATION_LABELS[claim.verification][0] if claim.verification else ""
        answers = self.replies[claim.id]
        history = claim.verification_history
        verb = claim_verb(claim.kind, self.actors[claim.claimant].plural)
        return ClaimView(
            link=link, kind=claim.kind, kind_label=KIND_LABELS[claim.kind], verified=claim.verified,
            verb=verb, attribution=f"{in_text(claimant.name, claimant.article, start=True)} {verb}",
            text_html=inline_html(claim.text), claimant=claimant,
            verification=claim.verification or "", verification_label=label,
            note_html=inline_html(claim.note or ""),
            history=tuple(LabelStep(date_view(h.date), h.label, VERIFICATION_LABELS[h.label][0],
                                    inline_html(h.note or "")) for h in history) if len(history) > 1 else (),
            sources=self._sources(claim.sources),
            replies=_reply_refs(r for r in answers if not r.silent),
            silences=tuple(r for r in answers if r.silent),
            former_anchors=tuple(f"claim-{old}" for old in claim.formerly),
        )

    def _response(self, response: Response) -> ResponseView:
        actor = self.links[response.actor]
        silent = response.stance in SILENT_STANCES
        return ResponseView(
            id=response.id, anchor=f"response-{response.id}", actor=actor, stance=response.stance,
            stance_label=STANCE_LABELS[response.stance], silent=silent,
            sentence=no_response_text(actor.name, response.stance, actor.article) if silent else "",
            text_html=inline_html(response.text or ""), quote=one_line(response.quote or ""),
            date=date_view(response.date), sources=self._sources(response.sources),
            claims=self._claims(response.claims),
        )

    def _update(self, update: Update) -> UpdateView:
        return UpdateView(date_view(update.date), update.kind, update.kind.capitalize(),
                          inline_html(update.text))

    def _source(self, source: Source, link: SourceLink) -> SourceView:
        return SourceView(
            link=link, title_html=inline_html(source.title),
            publisher=one_line(source.known_publisher or ""), kind=source.kind,
            date=self._date(source.date, source.date_as_given, source.date_as_given_in or source.via),
            url=source.url or "", note_html=inline_html(source.note or ""),
            via=tuple(self.source_links[s.id] for s in self.story.via_chain(source.id)),
        )

    def _stance_table(
        self, claims: tuple[ClaimView, ...]
    ) -> tuple[tuple[ActorLink, ...], tuple[StanceRow, ...]]:
        """Where each party stands on each labelled claim. A party is a column only if it takes a
        stance on one of these claims, so no column is all dashes."""
        stances: dict[str, dict[str, list[str]]] = {}  # claim id -> actor id -> what they say
        actors: dict[str, ActorLink] = {}
        for claim in claims:
            by_actor = stances.setdefault(claim.link.id, defaultdict(list))
            by_actor[claim.claimant.id].append(claim.verb)
            actors.setdefault(claim.claimant.id, claim.claimant)
        for response in self.responses:
            for link in response.claims:
                if link.id in stances:
                    said = stances[link.id][response.actor.id]
                    if response.stance_label not in said:
                        said.append(response.stance_label)
                    actors.setdefault(response.actor.id, response.actor)
        # Its cells grow as claims × parties: check they can fit before making them.
        if self.limit is not None and len(claims) * len(actors) * STANCE_CELL_BYTES > self.limit:
            raise OutputTooLarge(f"stories/{self.story.slug}.md (its stance table)", self.limit)
        # Most cells are empty: one shared empty cell per column.
        empty = {a: StanceCell(link.name, "", "") for a, link in actors.items()}
        rows = tuple(
            StanceRow(claim.link, tuple(
                StanceCell(link.name, ", ".join(cell), cell[0].replace(" ", "-"))
                if (cell := stances[claim.link.id].get(a)) else empty[a] for a, link in actors.items()))
            for claim in claims)
        return tuple(actors.values()), rows

    def _people(self, claims: tuple[ClaimView, ...]) -> tuple[RoleView, ...]:
        """Everyone the story names, in order of appearance, with what they do in it."""
        kinds: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        answered: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        context: dict[str, int] = defaultdict(int)
        order: dict[str, None] = {}
        for claim in claims:
            order.setdefault(claim.claimant.id)
            kinds[claim.claimant.id][claim.kind] += 1
        for response in self.responses:
            order.setdefault(response.actor.id)
            answered[response.actor.id][response.stance_label].update(c.id for c in response.claims)
        for item in self.story.context:
            order.setdefault(item.attributed_to)
            context[item.attributed_to] += 1
        people = []
        for actor_id in order:
            roles = [plural(n, *KIND_NOUNS[kind]) for kind, n in kinds[actor_id].items()]
            roles += [f"{_ROLE_VERBS.get(verb, verb)} {plural(len(ids), 'claim')}"
                      for verb, ids in answered[actor_id].items()]
            if context[actor_id]:
                roles.append(f"{plural(context[actor_id], 'point')} of context")
            people.append(RoleView(self.links[actor_id], inline_html(self.actors[actor_id].description),
                                   "; ".join(roles)))
        return tuple(people)


# How Who's who says a stance before "3 claims": "declines to comment on 2 claims".
_ROLE_VERBS = {"declines to comment": "declines to comment on", "did not respond": "did not respond on",
               "no response reported": "no response reported on"}


def _reply_refs(responses: Iterable[ResponseView]) -> tuple[ReplyRef, ...]:
    """One mention per party and stance, linking to its first statement."""
    by_party: dict[tuple[str, str], list[ResponseView]] = {}
    for r in responses:
        by_party.setdefault((r.actor.id, r.stance), []).append(r)
    return tuple(ReplyRef(rs[0].actor, rs[0].stance_label, rs[0].anchor, len(rs)) for rs in by_party.values())


def _groups(claims: tuple[ClaimView, ...]) -> tuple[ClaimGroup, ...]:
    """Consecutive claims by one claimant with the same replies, together."""
    runs: list[list[ClaimView]] = []
    for claim in claims:
        last = runs[-1][-1] if runs else None
        if last and (last.claimant, last.kind, last.replies, last.silences) == (
                claim.claimant, claim.kind, claim.replies, claim.silences):
            runs[-1].append(claim)
        else:
            runs.append([claim])
    return tuple(ClaimGroup(tuple(run), run[0].replies, run[0].silences,
                            f"these {len(run)} {KIND_NOUNS[run[0].kind][1]}" if len(run) > 1
                            else f"this {KIND_NOUNS[run[0].kind][0]}") for run in runs)


KIND_NOUNS = {"allegation": ("allegation", "allegations"), "assertion": ("assertion", "assertions"),
              "prediction": ("prediction", "predictions"), "opinion": ("opinion", "opinions")}


def _label(text: str, words: int = 8) -> str:
    """A short label from editor text, for links: its first words."""
    plain = markdown_to_text(text).split()
    return " ".join(plain[:words]) + ("…" if len(plain) > words else "")


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
            meta_description=safe_description(f"Claims and responses by "
                                              f"{in_text(actor.name, actor.article)}"),
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
