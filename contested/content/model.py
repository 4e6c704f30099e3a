"""The validated content model: what editors wrote, typed, with where they wrote it."""

from __future__ import annotations

from dataclasses import dataclass, field

from contested.content.dates import UNKNOWN, PartialDate


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
    url: str | None = None
    via: Name | None = None
    note: str | None = None
    acknowledged: list[Acknowledgement] = field(default_factory=list)


@dataclass
class Response(Located):
    actor: Name = Name("")
    stance: str = ""
    text: str | None = None
    quote: str | None = None
    date: PartialDate = UNKNOWN
    sources: list[Name] = field(default_factory=list)


@dataclass
class Claim(Located):
    id: Name = Name("")
    text: str = ""
    label: str | None = None
    claimant: Name = Name("")
    sources: list[Name] = field(default_factory=list)
    verification: str = ""
    note: str | None = None
    responses: list[Response] = field(default_factory=list)
    acknowledged: list[Acknowledgement] = field(default_factory=list)
    formerly: list[Name] = field(default_factory=list)  # ids it was published under before


@dataclass
class OpenQuestion(Located):
    text: str = ""
    claims: list[Name] = field(default_factory=list)


@dataclass
class TimelineEntry(Located):
    date: PartialDate = UNKNOWN
    date_as_given: str | None = None
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
    sources: dict[str, Source] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    open_questions: list[OpenQuestion] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    formerly: list[Name] = field(default_factory=list)  # slugs it was published under before

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
