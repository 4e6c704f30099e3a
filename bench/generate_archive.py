#!/usr/bin/env python3
"""Generate a synthetic newsroom archive of N stories as real YAML files, for benchmarks and tests.

Each story has about 12 claims, 8 responses, 15 timeline entries and 10 sources, ~13 KB of YAML;
N/2 actors are shared across stories. Dates vary in precision (day, month, year, approximate,
unknown with the wording a source used), as do stances and verification labels. The output is
deterministic: the same N and seed give the same bytes. Story i is generated from its own seed, so
story 0 is (nearly) the same page whatever N is: its size can be compared across archive sizes.

    python bench/generate_archive.py 1000 /tmp/archive
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "templates", "content", "overrides")

CLAIMS, RESPONSES, TIMELINE, SOURCES, QUESTIONS = 12, 8, 15, 10, 3
ACTOR_KINDS = ("person", "company", "government", "military", "media", "organization", "group")
SOURCE_KINDS = ("document", "report", "statement", "analysis", "other")
VERIFICATIONS = ("unconfirmed", "unconfirmed", "corroborated", "confirmed", "refuted")
STANCES = ("denies", "disputes", "confirms", "supports", "declines-to-comment")
TAGS = ("politics", "economy", "technology", "national-security", "health", "climate", "energy",
        "trade", "courts", "elections", "media", "labour", "housing", "transport", "education",
        "defence", "privacy", "finance", "agriculture", "science", "migration", "corruption")
_WORD_TEXT = (
    "according to the report officials said the ministry company agency documents show that a "
    "spokesperson council contract payments investigation committee regional government department "
    "statement earlier evidence inquiry members confirmed denied disputed alleged records financial "
    "internal memo review audit board chairman minister public funds project suppliers former "
    "employees court filing lawyers published interview analysis data figures budget licence "
    "planning permit environmental safety standards inspection police prosecutors witnesses meeting "
    "agreement deal partnership sanctions exports imports market regulators consumers prices"
)
WORDS = tuple(_WORD_TEXT.split())
FIRST = ("Anna", "Boris", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivan", "Jana", "Karim",
         "Lena", "Marek", "Nina", "Omar", "Petra", "Quentin", "Rosa", "Samir", "Tereza")
LAST = ("Novak", "Horvat", "Kowalski", "Silva", "Moreau", "Larsen", "Okafor", "Tanaka", "Weber",
        "Rossi", "Dvorak", "Haddad", "Jensen", "Kruger", "Lindqvist", "Mendes", "Nakamura", "Popescu")
ORGS = ("Ministry of Transport", "Northern Energy", "Harbour Authority", "City Council", "Daily Ledger",
        "Regional Health Board", "Union of Workers", "Civic Watch", "Coastal Bank", "Defence Forces")


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return (" ".join(words).capitalize() + ".").replace("'", "")


def q(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def actor_ids(n_stories: int) -> list[str]:
    return [f"actor-{i:05d}" for i in range(max(4, n_stories // 2))]


def actors_yaml(ids: list[str], seed: int) -> str:
    rng = random.Random(f"{seed}-actors")
    lines = ["# Synthetic actors for benchmarks."]
    for i, key in enumerate(ids):
        kind = ACTOR_KINDS[i % len(ACTOR_KINDS)]
        name = (f"{rng.choice(FIRST)} {rng.choice(LAST)}" if kind == "person"
                else f"{rng.choice(ORGS)} {i}")
        lines += [f"{key}:", f"  name: {q(name)}", f"  kind: {kind}",
                  f"  description: {q(sentence(rng, 10, 22))}"]
        if i % 3 == 0:
            lines.append(f"  url: {q(f'https://example.org/actors/{key}')}")
        if i % 4 == 0:
            lines.append(f"  aliases: [{q(name.split()[0] + ' ' + str(i))}]")
    return "\n".join(lines) + "\n"


def _date(rng: random.Random, year: int, precision: str) -> str:
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if precision == "day":
        return f"{year:04d}-{month:02d}-{day:02d}"
    if precision == "month":
        return f"{year:04d}-{month:02d}"
    if precision == "approx":
        return f"c. {year:04d}"
    return f"{year:04d}"


def story_yaml(index: int, actors: list[str], seed: int) -> str:
    """One story file; its text depends on `index` and `seed` (and actor ids from the shared pool)."""
    rng = random.Random(f"{seed}-story-{index}")
    year = 2015 + index % 11
    cast = rng.sample(actors, k=min(6, len(actors)))
    published = f"{year:04d}-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
    updated = f"{year:04d}-{rng.randint(7, 12):02d}-{rng.randint(1, 28):02d}"
    tags = ", ".join(sorted(rng.sample(TAGS, k=rng.randint(1, 3))))
    summary = f"{sentence(rng, 18, 26)} {sentence(rng, 8, 14)} *{rng.choice(WORDS)}*."
    out = [f"title: {q(f'Story {index}: ' + sentence(rng, 6, 10)[:-1])}", f"summary: {q(summary)}",
           f"status: {rng.choice(('developing', 'settled'))}",
           f'published: "{published}"', f'updated: "{updated}"', f"tags: [{tags}]", "", "sources:"]
    source_ids = [f"src-{k}" for k in range(SOURCES)]
    for k, sid in enumerate(source_ids):
        out += [f"  {sid}:", f"    title: {q(sentence(rng, 5, 9))}",
                f"    publisher: {q(rng.choice(ORGS))}", f"    kind: {rng.choice(SOURCE_KINDS)}"]
        if k % 5 == 4:
            out += ['    date: "unknown"', '    date_as_given: "earlier this month"']
        else:
            out.append(f'    date: "{_date(rng, year, rng.choice(("day", "month", "year", "approx")))}"')
        out.append(f"    url: {q(f'https://news.example/{index}/{sid}')}")
        if k and k % 4 == 0:
            out.append(f"    via: {source_ids[k - 1]}")
        out.append(f"    note: {q(sentence(rng, 4, 8))}")
    out += ["", "claims:"]
    claim_ids = [f"claim-{k}" for k in range(CLAIMS)]
    replies: list[str] = []
    for k, cid in enumerate(claim_ids):
        out += [f"  - id: {cid}", "    kind: allegation", f"    label: {q(sentence(rng, 3, 5)[:-1])}",
                f"    text: {q('According to the claimant, ' + sentence(rng, 8, 16).lower())}",
                f"    claimant: {cast[k % len(cast)]}",
                f"    sources: [{', '.join(rng.sample(source_ids, k=2))}]",
                f"    verification: {rng.choice(VERIFICATIONS)}",
                f"    note: {q(sentence(rng, 4, 7))}"]
        # 8 responses: two each to the first two claims, one each to the next four, none recorded
        # yet for the rest.
        for n in range(2 if k < 2 else 1 if k < RESPONSES - 2 else 0):
            replies += [f"  - id: reply-{k}-{n}", f"    actor: {cast[(k + 1) % len(cast)]}",
                        f"    stance: {rng.choice(STANCES)}", f"    claims: [{cid}]",
                        f"    text: {q(sentence(rng, 10, 16))}", f"    quote: {q(sentence(rng, 5, 9))}",
                        f'    date: "{_date(rng, year, "day")}"', f"    sources: [{rng.choice(source_ids)}]"]
    out += ["", "responses:", *replies]
    out += ["", "open_questions:"]
    for _ in range(QUESTIONS):
        out += [f"  - text: {q(sentence(rng, 10, 16))}",
                f"    claims: [{', '.join(rng.sample(claim_ids, k=2))}]"]
    out += ["", "timeline:"]
    # Known dates ascend so the timeline lints clean; every fifth entry has no exact date.
    for k in range(TIMELINE):
        if k % 5 == 2:
            out += ['  - date: "unknown"', '    date_as_given: "later that week"']
        else:
            out.append(f'  - date: "{year - 1 + k // 8:04d}-{k % 8 + 1:02d}-{k + 1:02d}"')
        out += [f"    text: {q(sentence(rng, 8, 14))}",
                f"    sources: [{', '.join(rng.sample(source_ids, k=2))}]",
                f"    claims: [{rng.choice(claim_ids)}]"]
    out += ["", "updates:", f'  - date: "{published}"', "    kind: update", '    text: "First published."',
            f'  - date: "{updated}"', "    kind: clarification", f"    text: {q(sentence(rng, 10, 16))}"]
    return "\n".join(out) + "\n"


def generate_archive(n_stories: int, project: Path, seed: int = 8) -> Path:
    """Write a whole project folder (site config, templates, content, N stories); return it."""
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            shutil.copy2(source, project / part)
    stories_dir = project / "site_data" / "stories"
    stories_dir.mkdir(parents=True)
    actors = actor_ids(n_stories)
    (project / "site_data" / "actors.yaml").write_text(actors_yaml(actors, seed), encoding="utf-8")
    for index in range(n_stories):
        (stories_dir / story_file_name(index)).write_text(story_yaml(index, actors, seed), encoding="utf-8")
    return project


def story_file_name(index: int) -> str:
    return f"story-{index:05d}.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stories", type=int, help="how many stories")
    parser.add_argument("project", type=Path, help="project folder to create (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    generate_archive(args.stories, args.project, args.seed)
    print(f"{args.stories} stories in {args.project}")


if __name__ == "__main__":
    main()
