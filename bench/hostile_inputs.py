"""Story files that make much work from little text (issue 16, items 2 and 3), at any size `n`.

Each function returns (story YAML, extra actors YAML); bench/bounded_work.py times `check` and
`build` over them at doubling sizes, and tests/security/test_bounded_work.py runs them as the red
team did. They follow the minimal story of tests/fixtures/minimal and its two actors (`alibaba`,
`us-dod`): one claim `c`, sources `s0`…
"""

from __future__ import annotations

from collections.abc import Callable

HEAD = """title: "A story made to be heavy"
summary: "Generated."
status: developing
published: "2025-11-14"
updated: "2025-11-20"
"""
ACTORS = """alibaba:
  name: "Alibaba Group"
  kind: company
  description: "Chinese e-commerce company."
us-dod:
  name: "U.S. Department of Defense"
  kind: government
  description: "The U.S. defence ministry."
"""


def _source(key: str, via: str | None = None, title: str = "R") -> str:
    text = f"  {key}:\n    title: {title}\n    publisher: P\n    kind: report\n    date: \"2025\"\n" \
           f"    url: https://e.org/{key}\n"
    return text + (f"    via: {via}\n" if via else "")


def _claim(key: str = "c", label: str = "", claimant: str = "us-dod", sources: str = "[s0]") -> str:
    text = f"  - id: {key}\n    kind: allegation\n    text: T.\n"
    if label:
        text += f"    label: {label}\n"
    return text + f"    claimant: {claimant}\n    sources: {sources}\n    verification: unconfirmed\n"


def _response(key: str, actor: str, stance: str, claim: str) -> str:
    return f"  - {{id: {key}, actor: {actor}, stance: {stance}, claims: [{claim}], sources: [s0]}}\n"


def via_chain(n: int) -> tuple[str, str]:
    """One chain of `n` sources, each known through the next (the red team's 4,000-link file):
    `check` must refuse it (too long) in linear time."""
    sources = "".join(_source(f"s{i}", f"s{i + 1}" if i + 1 < n else None) for i in range(n))
    return HEAD + "sources:\n" + sources + "claims:\n" + _claim(), ACTORS


def via_chains(n: int) -> tuple[str, str]:
    """`n` sources in chains of three: valid, the size of the red team's chain, built in full."""
    sources = "".join(_source(f"s{i}", f"s{i + 1}" if i % 3 != 2 and i + 1 < n else None)
                      for i in range(n))
    return HEAD + "sources:\n" + sources + "claims:\n" + _claim(), ACTORS


def repeated_reference(n: int, label: int = 60_000) -> tuple[str, str]:
    """The red team's file: one open question listing claim `c` `n` times, `c` with a long label."""
    question = "open_questions:\n  - text: \"Is it true?\"\n    claims: [" + ", ".join(["c"] * n) + "]\n"
    return (HEAD + "sources:\n" + _source("s0") + "claims:\n" + _claim(label="x" * label) + question,
            ACTORS)


def cited_label(n: int, label: int = 2_000) -> tuple[str, str]:
    """A long label referenced from `n` open questions, once each: valid data whose page would be
    about `label` / 40 times its file (each question is some 40 bytes and prints the label)."""
    questions = "open_questions:\n" + "".join(f"  - text: \"Q{i}?\"\n    claims: [c]\n" for i in range(n))
    return (HEAD + "sources:\n" + _source("s0") + "claims:\n" + _claim(label="x" * label) + questions,
            ACTORS)


def distinct_references(n: int) -> tuple[str, str]:
    """`n` claims, each listed once by one open question: valid, linear."""
    claims = "".join(_claim(f"c{i}") for i in range(n))
    ids = ", ".join(f"c{i}" for i in range(n))
    return (HEAD + "sources:\n" + _source("s0") + "claims:\n" + claims
            + f"open_questions:\n  - text: \"Which is true?\"\n    claims: [{ids}]\n", ACTORS)


def wide_table(n: int) -> tuple[str, str]:
    """A stance table of n/2 claims × n/2 actors (each actor responds to one claim): the red team's
    218 MB page. Its page grows as n², so the build must refuse it, with little memory."""
    half = max(1, n // 2)
    actors = ACTORS + "".join(f"a{i}:\n  name: \"Actor {i}\"\n  kind: company\n  description: \"A firm.\"\n"
                              for i in range(half))
    claims = "".join(_claim(f"c{i}") for i in range(half))
    responses = "".join(_response(f"r{i}", f"a{i}", "denies", f"c{i}") for i in range(half))
    return HEAD + "sources:\n" + _source("s0") + "claims:\n" + claims + "responses:\n" + responses, actors


KINDS: dict[str, Callable[[int], tuple[str, str]]] = {
    "via-chain": via_chain, "via-chains": via_chains, "repeated-reference": repeated_reference,
    "cited-label": cited_label, "distinct-references": distinct_references, "wide-table": wide_table,
}


def unknown_references(n: int) -> tuple[str, str]:
    """`n` sources and one claim citing `n` ids that are not among them (typos, each different):
    every one is an error with a "did you mean", whose search must not grow with n × n."""
    sources = "".join(_source(f"s{i}") for i in range(n))
    cited = "[" + ", ".join(f"t{i}" for i in range(n)) + "]"
    return HEAD + "sources:\n" + sources + "claims:\n" + _claim(sources=cited), ACTORS


def label_for_actors(n: int, label: int = 2_000) -> tuple[str, str]:
    """A long label on a claim that `n` actors support: each actor's page names the claim, so the
    shared pages (not the story's own) would grow as n × label."""
    actors = ACTORS + "".join(f"a{i}:\n  name: A{i}\n  kind: company\n  description: A firm.\n"
                              for i in range(n))
    responses = "".join(_response(f"r{i}", f"a{i}", "supports", "c") for i in range(n))
    claim = _claim(label="x" * label)
    return HEAD + "sources:\n" + _source("s0") + "claims:\n" + claim + "responses:\n" + responses, actors


KINDS["unknown-references"] = unknown_references
KINDS["label-for-actors"] = label_for_actors
