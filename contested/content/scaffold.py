"""`build.py new <slug>`: a commented story skeleton, and the check that catches what is left unfilled.

Every value an editor must supply is written as `TODO…`. `find_placeholders` reports each one as
an error, so a half-filled story never passes `check`; once every TODO is replaced the file is a
valid story.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from contested.content import schema
from contested.content.load import Document, Mapping, Node, Scalar, Sequence
from contested.diagnostics import Report

PLACEHOLDER = re.compile(r"\bTODO\b")
_SLUG = re.compile(schema.ID_PATTERN)

SKELETON = """\
# yaml-language-server: $schema=../../schemas/story.schema.json
#
# New story: {slug}
# Replace every TODO below, then run `python build.py check` (or `make check`).
# How to write each part: EDITORS.md. How to label claims: content/how-we-label-claims.md.
# Dates: "2025-11-14", "2025-11", "2025", "c. 2025" if approximate, or "unknown".

title: "TODO: the headline, neutral and attributed (who alleges what)"
summary: "TODO: two or three neutral sentences: what is alleged, by whom, and who denies it."
status: developing  # developing or settled
published: "TODO: the date this page goes live, e.g. 2025-11-14"
updated: "TODO: the same date as published; later, the newest update's date"
tags: []  # e.g. [technology, national-security]

# Every source, by id. Add `via: <source id>` when we know of a source only through another one.
sources:
  TODO-source-id:  # a short id, e.g. ft-report: lowercase letters, digits and hyphens
    title: "TODO: the source's title, or a neutral description of it"
    publisher: "TODO: who published it"
    kind: report  # document, report, statement, analysis or other
    date: "TODO: its date, or unknown"
    url: "TODO: https://... (delete this line if there is no link, and say why in a note)"

# What is claimed, by whom. Write each claim as the claimant's: "<Who> alleges that ...".
claims:
  - id: TODO-claim-id  # permanent: pages link to #claim-<id>; never change it once published
    kind: allegation  # allegation, assertion (a checkable fact), prediction or opinion
    label: "TODO: a few words naming the claim"
    text: "TODO: who alleges what, attributed, e.g. 'The memo alleges that ...'"
    claimant: TODO-actor-id  # an actor id from site_data/actors.yaml
    sources: [TODO-source-id]
    verification: unconfirmed  # allegations, assertions: unconfirmed, corroborated, confirmed, refuted

# Every reply, written once with every claim it answers. Record silence too: did-not-respond (to a
# request) or no-response-reported (the sources report none). For example:
# responses:
#   - id: company-denies
#     actor: company-id
#     stance: denies  # denies, disputes, confirms, supports, declines-to-comment, did-not-respond
#                     # or no-response-reported
#     claims: [claim-id]  # every claim it answers
#     text: "Company X denied the allegation."
#     quote: "their exact words, without quotation marks"
#     sources: [source-id]
responses: []

# The page's change log, newest last. A correction also shows at the top of the page.
updates:
  - date: "TODO: the same date as published"
    kind: update  # update, clarification or correction
    text: "First published."
"""


class ScaffoldError(Exception):
    """The story cannot be created (bad slug, or the file exists)."""


def story_path(data_dir: Path, slug: str) -> Path:
    return data_dir / "stories" / f"{slug}.yaml"


def create_story(data_dir: Path, slug: str) -> Path:
    """Write the skeleton for `slug`; never overwrites, never writes anything else."""
    if not _SLUG.fullmatch(slug):
        shown = slug if slug.isprintable() else ascii(slug)[1:-1]  # never a raw escape to the terminal
        raise ScaffoldError(f"'{shown}' is not a valid story slug: use lowercase letters, digits and "
                            "hyphens, e.g. alibaba-pla-memo")
    path = story_path(data_dir, slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:  # "x": fails if the file exists, even in a race
            out.write(SKELETON.format(slug=slug))
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists: pick another slug, or edit that file") from None
    return path


def find_placeholders(doc: Document, report: Report) -> bool:
    """Report every TODO left in the document; True if there were any."""
    if "TODO" not in doc.text and "\\" not in doc.text:
        return False  # no scalar can hold one (no escape could spell it): skip the walk, 1,000s of times
    found = False
    for scalar in _scalars(doc.root):
        if PLACEHOLDER.search(scalar.value):
            found = True
            report.error(doc.name, scalar.line, scalar.col, "placeholder",
                         f"placeholder left in: '{_short(scalar.value)}'",
                         "replace the TODO text with the real value (or delete an optional line)")
    return found


def _scalars(node: Node | None) -> Iterator[Scalar]:
    if isinstance(node, Scalar):
        yield node
    elif isinstance(node, Sequence):
        for item in node.items:
            yield from _scalars(item)
    elif isinstance(node, Mapping):
        for key, value in node.entries.values():
            yield key
            yield from _scalars(value)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
