"""The exports follow the version-2 model: the open data and its JSON Schema carry every new field,
ClaimReview only for allegations and assertions, nothing unknown published as a name.

Data: tests/fixtures/v2 (a fictional story using every part of the model), built with the real
`build.py build`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from support import FIXTURES, copy_project, run_build
from support.exports import graph, load

from .schemaorg_vocab import check_node

pytestmark = pytest.mark.engine  # one real build of the fixture project
SLUG = "dredging-contract"


@pytest.fixture(scope="module")
def v2_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("v2") / "project"
    root = copy_project(project, site_data=FIXTURES / "v2" / "site_data")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def data(v2_site: Path) -> dict:
    return load(v2_site, f"api/stories/{SLUG}.json")


def test_open_data_follows_its_published_schema_version_2(v2_site: Path, data: dict) -> None:
    schema = load(v2_site, "api/schema/story.json")
    jsonschema.validate(data, schema)
    assert data["schema_version"] == schema["properties"]["schema_version"]["const"] == "2.0"
    index = load(v2_site, "api/stories.json")
    jsonschema.validate(index, load(v2_site, "api/schema/stories.json"))
    assert index["schema_version"] == "2.0"


def test_claims_carry_kind_verb_and_history(data: dict) -> None:
    claims = {c["id"]: c for c in data["claims"]}
    overbilling = claims["audit-overbilling"]
    assert (overbilling["kind"], overbilling["verb"], overbilling["verification"]) == (
        "allegation", "alleges", "corroborated")
    assert [(h["date"]["iso"], h["label"], h["note"]) for h in overbilling["verification_history"]] == [
        ("2025-06-09", "unconfirmed", None), ("2025-06-11", "corroborated", "The Board published the audit.")]
    assert overbilling["responses"] == ["acme-disputes"]
    prediction = claims["dredging-delays"]
    assert (prediction["kind"], prediction["verb"], prediction["verification"],
            prediction["verification_label"]) == ("prediction", "warn", None, None)


def test_responses_are_listed_once_with_the_claims_they_answer(data: dict) -> None:
    replies = [(r["id"], r["actor"]["id"], r["stance"], r["stance_label"], r["claims"])
               for r in data["responses"]]
    assert replies == [
        ("acme-disputes", "acme", "disputes", "disputes", ["audit-overbilling", "board-too-slow"]),
        ("board-silent", "harbor-board", "did-not-respond", "did not respond", ["board-too-slow"]),
    ]
    assert data["responses"][0]["url"].endswith(f"/stories/{SLUG}/#response-acme-disputes")


def test_an_actors_article_is_exported_beside_its_name_alone(data: dict) -> None:
    actors = {c["claimant"]["id"]: c["claimant"] for c in data["claims"]}
    actors.update((r["actor"]["id"], r["actor"]) for r in data["responses"])
    assert (actors["harbor-board"]["name"], actors["harbor-board"]["article"]) == ("Harbor Board", "the")
    assert (actors["acme"]["name"], actors["acme"]["article"]) == ("Acme Dredging", None)


def test_context_key_points_and_story_actors(data: dict) -> None:
    (item,) = data["context"]
    assert (item["id"], item["attributed_to"]["id"], item["sources"]) == ("no-tender", "gazette",
                                                                           ["gazette-report"])
    assert [p["refs"] for p in data["key_points"]] == [["audit-overbilling"], ["no-tender"]]
    local = {a["id"]: a for a in data["actors"]}
    assert set(local) == {"gazette", "dockworkers"}
    assert all(a["story_local"] and a["url"] is None for a in local.values())  # no page of their own
    assert local["dockworkers"]["number"] == "plural"
    assert item["attributed_to"]["url"] is None


def test_unknown_is_never_published_as_a_name(v2_site: Path, data: dict) -> None:
    sources = {s["id"]: s for s in data["sources"]}
    assert sources["acme-statement"]["publisher"] is None
    reviewed = [n for n in graph(v2_site, SLUG) if n["@type"] == "ClaimReview"]
    appearances = [w for r in reviewed for w in r["itemReviewed"]["appearance"]]
    assert appearances and all(w.get("publisher", {}).get("name") != "unknown" for w in appearances)
    text = json.dumps(graph(v2_site, SLUG))
    assert '"name": "unknown"' not in text


def test_relative_dates_say_what_they_are_relative_to(data: dict) -> None:
    audit = {s["id"]: s for s in data["sources"]}["audit"]
    assert audit["date"]["as_given"] == "last week"
    assert audit["date"]["as_given_in"] == "gazette-report"
    assert audit["date"]["text"] == (
        "last week, as “Audit finds dredging bills too high” puts it; it is dated 9 June 2025")


def test_claim_review_only_for_allegations_and_assertions(v2_site: Path) -> None:
    nodes = graph(v2_site, SLUG)
    reviews = [n for n in nodes if n["@type"] == "ClaimReview"]
    assert [r["url"].rsplit("#", 1)[1] for r in reviews] == ["claim-audit-overbilling"]
    assert reviews[0]["reviewRating"]["alternateName"] == "Corroborated"
    assert reviews[0]["itemReviewed"]["author"] == {"@type": "Organization", "name": "Harbor Board"}
    assert [p for i, n in enumerate(nodes) for p in check_node(n, f"@graph[{i}]")] == []


def test_acknowledged_reasons_are_exported(tmp_path: Path) -> None:
    story = (FIXTURES / "v2" / "site_data" / "stories" / f"{SLUG}.yaml").read_text(encoding="utf-8")
    story = story.replace('    date: "2025-06-10"\n    url: "https://acme.example/statement"\n',
                          '    date: "unknown"\n    url: "https://acme.example/statement"\n'
                          '    acknowledged:\n      - code: source-no-date\n'
                          '        reason: "The statement is undated."\n', 1)
    assert "acknowledged" in story
    root = copy_project(tmp_path / "p", site_data=FIXTURES / "v2" / "site_data")
    (root / "site_data" / "stories" / f"{SLUG}.yaml").write_text(story, encoding="utf-8")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stderr
    exported = {s["id"]: s for s in load(root / "site", f"api/stories/{SLUG}.json")["sources"]}
    assert exported["acme-statement"]["acknowledged"] == [
        {"code": "source-no-date", "reason": "The statement is undated."}]
