"""The validated content model: what editors wrote, typed, with where they wrote it."""

from __future__ import annotations

from dataclasses import dataclass, field

from contested.content.dates import UNKNOWN, PartialDate

CLAIM_KINDS = ("allegation", "assertion", "prediction", "opinion")
VERIFIED_KINDS = ("allegation", "assertion")  # checkable: labelled and reviewed


class Name(str):
    """An id or reference, remembering the line and column it was written at."""

    line: int
    col: int

    def __new__(cls, value: str, line: int = 0, col: int = 0) -> Name:
        obj = super().__new__(cls, value)
        obj.line, obj.col = line, col
        return obj


@dataclass
class Located:
    """Where each field's value was written: field name -> (line, col); '' is the object itself."""

    pos: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)

    def at(self, name: str = "") -> tuple[int, int]:
        return self.pos.get(name) or self.pos.get("", (1, 1))


@dataclass
class Actor(Located):
    id: str = ""
    name: str = ""
    kind: str = ""
    description: str = ""
    url: str | None = None
    wikidata: str | None = None
    aliases: list[str] = field(default_factory=list)
    number: str = "singular"  # "plural" for a group named as one ("Critics"): the verb agrees
    article: str = ""  # "the" for a name that takes it in running text ("the U.S. government")
    story: str = ""  # the slug of the story that declares it (`actors:` in a story); "" if site-wide

    @property
    def plural(self) -> bool:
        return self.number == "plural"


@dataclass
class Acknowledgement(Located):
    """A warning the editors have weighed and keep, with the reason (true of the sources)."""

    code: str = ""
    reason: str = ""


@dataclass
class Source(Located):
    id: str = ""
    title: str = ""
    publisher: str = ""
    kind: str = ""
    date: PartialDate = UNKNOWN
    date_as_given: str | None = None
    # The source whose words `date_as_given` are: the wording is relative to its date. Defaults to
    # `via` (validation fills it in), so a relative date never stands alone.
    date_as_given_in: Name | None = None
    url: str | None = None
    via: Name | None = None
    note: str | None = None
    acknowledged: list[Acknowledgement] = field(default_factory=list)

    @property
    def known_publisher(self) -> str | None:
        """The publisher's name; None when the editor wrote `publisher: unknown` (never published
        as a name)."""
        return None if self.publisher.strip().casefold() == UNKNOWN_PUBLISHER else self.publisher


UNKNOWN_PUBLISHER = "unknown"


@dataclass
class Response(Located):
    """A reply written once, answering every claim in `claims` (a story's top-level `responses:`)."""

    id: Name = Name("")
    actor: Name = Name("")
    stance: str = ""
    claims: list[Name] = field(default_factory=list)
    text: str | None = None
    quote: str | None = None
    date: PartialDate = UNKNOWN
    sources: list[Name] = field(default_factory=list)


@dataclass
class VerificationChange(Located):
    """One step of a claim's `verification_history`: the label it had from `date`."""

    date: PartialDate = UNKNOWN
    label: str = ""
    note: str | None = None


@dataclass
class Claim(Located):
    id: Name = Name("")
    kind: str = ""  # allegation, assertion, prediction or opinion (schema.CLAIM_KINDS)
    text: str = ""
    label: str | None = None
    claimant: Name = Name("")
    sources: list[Name] = field(default_factory=list)
    verification: str | None = None  # only allegations and assertions have one (`verified`)
    verification_history: list[VerificationChange] = field(default_factory=list)
    note: str | None = None
    acknowledged: list[Acknowledgement] = field(default_factory=list)
    formerly: list[Name] = field(default_factory=list)  # ids it was published under before

    @property
    def verified(self) -> bool:
        """Checkable, so labelled, reviewed (ClaimReview) and shown in the core sections."""
        return self.kind in VERIFIED_KINDS


@dataclass
class ContextItem(Located):
    """Background or the source's own framing: attributed and sourced, never a claim, never labelled."""

    id: Name = Name("")
    text: str = ""
    attributed_to: Name = Name("")
    sources: list[Name] = field(default_factory=list)
    note: str | None = None


@dataclass
class KeyPoint(Located):
    """One of the 2-5 points shown first; `refs` are the claims and context items it sums up."""

    text: str = ""
    refs: list[Name] = field(default_factory=list)


@dataclass
class OpenQuestion(Located):
    text: str = ""
    claims: list[Name] = field(default_factory=list)


@dataclass
class TimelineEntry(Located):
    date: PartialDate = UNKNOWN
    date_as_given: str | None = None
    date_as_given_in: Name | None = None  # the source whose words `date_as_given` are
    text: str = ""
    sources: list[Name] = field(default_factory=list)
    claims: list[Name] = field(default_factory=list)


@dataclass
class Update(Located):
    date: PartialDate = UNKNOWN
    kind: str = ""
    text: str = ""


@dataclass
class Story(Located):
    slug: str = ""
    file: str = ""
    title: str = ""
    summary: str = ""
    status: str = ""
    published: PartialDate = UNKNOWN
    updated: PartialDate = UNKNOWN
    tags: list[Name] = field(default_factory=list)
    key_points: list[KeyPoint] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)  # story-local: no site-wide page
    sources: dict[str, Source] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    context: list[ContextItem] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    open_questions: list[OpenQuestion] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    formerly: list[Name] = field(default_factory=list)  # slugs it was published under before

    def responses_to(self, claim_id: str) -> list[Response]:
        """The responses that answer `claim_id`, in the order written."""
        return [r for r in self.responses if claim_id in r.claims]

    def as_given_in(self, source_id: str | None) -> Source | None:
        """The source whose wording a `date_as_given` is (its `date_as_given_in`), if known."""
        return self.sources.get(source_id) if source_id else None

    def via_chain(self, source_id: str) -> list[Source]:
        """The sources `source_id` reached us through, nearest first: ft-report -> [article].

        Stops at an unknown id or a repeat, so it is safe before validation has ruled them out."""
        chain: list[Source] = []
        seen = {source_id}
        current = self.sources[source_id].via if source_id in self.sources else None
        while current and current in self.sources and current not in seen:
            seen.add(current)
            chain.append(self.sources[current])
            current = chain[-1].via
        return chain
