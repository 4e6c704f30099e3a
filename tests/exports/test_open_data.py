"""The open data files: valid against their JSON Schemas, complete, deterministic, TimelineJS-shaped,
linked from the story pages, and documented on the Open data page with examples of the real shape."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support.exports import load, page

SLUG = "alibaba-pla-memo"
HOSTILE = "test-hostile"


def validator(site: Path, name: str) -> jsonschema.Draft202012Validator:
    schema = load(site, f"api/schema/{name}.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(site: Path, schema: str, data: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(site, schema).iter_errors(data)]


@pytest.mark.parametrize("slug", [SLUG, HOSTILE])
def test_story_files_follow_their_schema(hostile, slug):
    site = hostile / "site"
    assert errors(site, "story", load(site, f"api/stories/{slug}.json")) == []


def test_index_follows_its_schema_and_lists_every_story(hostile):
    site = hostile / "site"
    index = load(site, "api/stories.json")
    assert errors(site, "stories", index) == []
    assert [s["slug"] for s in index["stories"]] == [SLUG, HOSTILE]
    hostile_entry = index["stories"][1]
    assert (hostile_entry["published"], hostile_entry["updated"]) == ("2024-03", "2025-01-15")
    for entry in index["stories"]:  # every address in the index is a file the site has
        for key in ("url", "data_url", "timeline_url"):
            rel = entry[key].removeprefix("https://contested.example/")
            assert (site / rel).is_file() or (site / rel / "index.html").is_file(), entry[key]


def test_schema_rejects_a_story_missing_its_claims(bundled):
    site = bundled / "site"
    data = load(site, f"api/stories/{SLUG}.json")
    del data["claims"]
    data["sources"][0]["date"]["precision"] = "week"
    assert errors(site, "story", data) == [
        "[]: 'claims' is a required property",
        "['sources', 0, 'date', 'precision']: 'week' is not one of ['year', 'month', 'day', 'unknown']",
    ]


def test_story_file_holds_the_resolved_story(hostile):
    data = load(hostile / "site", f"api/stories/{HOSTILE}.json")
    assert data["schema_version"] == "2.0"
    breakout = data["claims"][0]
    assert breakout["claimant"]["name"] == "Jane Doe" and breakout["claimant"]["wikidata"] == "Q4115189"
    (reply,) = [r for r in data["responses"] if r["id"] in breakout["responses"]]
    assert reply["actor"]["id"] == "acme"
    assert reply["date"] == {"iso": "2024-03-05", "precision": "day", "approximate": False,
                             "text": "5 March 2024", "as_given": None, "as_given_in": None}
    assert breakout["note"] == "Shown false by the memo."  # Markdown removed
    interview = {s["id"]: s for s in data["sources"]}["interview"]
    assert (interview["via"], interview["via_chain"]) == ("memo", ["memo"])
    dates = [e["date"] for e in data["timeline"]]
    assert [(d["iso"], d["precision"], d["approximate"]) for d in dates] == [
        ("2019", "year", True), ("2024-03", "month", False), ("2024-03-05", "day", False),
        (None, "unknown", False)]
    # The wording is the entry's first source's, and that source's own date is given.
    assert dates[3]["text"] == "later that year, as “A memo </script>” puts it; it is dated c. 2019"


def test_via_chains_in_the_bundled_story(bundled):
    sources = {s["id"]: s for s in load(bundled / "site", f"api/stories/{SLUG}.json")["sources"]}
    assert sources["dod-memo"]["via_chain"] == ["ft-report", "article"]
    assert sources["article"]["via"] is None and sources["article"]["via_chain"] == []


def test_exports_are_the_same_bytes_in_every_build(bundled, hostile):
    for rel in ("api/stories/alibaba-pla-memo.json", "api/stories/alibaba-pla-memo/timeline.json",
                "api/schema/story.json"):
        assert (bundled / "site" / rel).read_bytes() == (hostile / "site" / rel).read_bytes()


# --- TimelineJS --------------------------------------------------------------------------------

def assert_timelinejs_shape(timeline: dict[str, Any]) -> None:
    """TimelineJS3's JSON format: a title slide and events whose start_date has a year."""
    assert set(timeline) == {"title", "events"}
    assert set(timeline["title"]["text"]) == {"headline", "text"}
    for event in timeline["events"]:
        assert set(event) == {"start_date", "text"}
        date = event["start_date"]
        assert set(date) <= {"year", "month", "day", "display_date"} and date["year"].isdigit()
        assert "day" not in date or "month" in date
        assert all(isinstance(v, str) for v in date.values())
        assert set(event["text"]) <= {"headline", "text"}


def test_timeline_dates_keep_their_precision(hostile):
    timeline = load(hostile / "site", f"api/stories/{HOSTILE}/timeline.json")
    assert_timelinejs_shape(timeline)
    assert [e["start_date"] for e in timeline["events"]] == [
        {"year": "2019", "display_date": "c. 2019"}, {"year": "2024", "month": "3"},
        {"year": "2024", "month": "3", "day": "5"}]
    assert "1 of 4 timeline entries have no known date" in timeline["title"]["text"]["text"]
    assert timeline["events"][1]["text"]["text"] == (
        "<p>Something happens in <em>March</em>.</p><p>Sources: An interview.</p>")
    # Text fields are HTML: editors' angle brackets arrive escaped.
    assert "&lt;/script&gt;" in timeline["title"]["text"]["headline"]


def test_bundled_timeline_leaves_out_undated_entries(bundled):
    timeline = load(bundled / "site", f"api/stories/{SLUG}/timeline.json")
    assert_timelinejs_shape(timeline)
    assert [e["start_date"] for e in timeline["events"]] == [{"year": "2020"}]
    assert "4 of 5 timeline entries have no known date" in timeline["title"]["text"]["text"]


# --- links and documentation -------------------------------------------------------------------

def test_story_page_links_its_data(bundled):
    soup = page(bundled / "site", f"stories/{SLUG}")
    links = [a["href"] for a in soup.select(".ct-data a")]
    assert links == [f"../../api/stories/{SLUG}.json", f"../../api/stories/{SLUG}/timeline.json",
                     "../../feed.xml", "../../open-data/"]
    base = bundled / "site" / "stories" / SLUG
    assert all((base / link).resolve().exists() for link in links)


def examples(site: Path) -> dict[str, str]:
    """Each section of the Open data page (by heading id) -> the code example under it."""
    soup = page(site, "open-data")
    return {h2["id"]: h2.find_next("pre").get_text() for h2 in soup.select("article h2[id]")}


def shape_matches(example: Any, real: Any, path: str = "$") -> list[str]:
    """Where the example's fields differ from the real file's: same keys in every object, the same
    JSON types (null standing for a value that may be absent), list items like some real item."""
    if isinstance(example, dict) and isinstance(real, dict):
        if set(example) != set(real):
            return [f"{path}: keys {sorted(set(example) ^ set(real))} differ"]
        return [p for k in example for p in shape_matches(example[k], real[k], f"{path}.{k}")]
    if isinstance(example, list) and isinstance(real, list):
        out = []
        for i, item in enumerate(example):
            tries = [shape_matches(item, r, f"{path}[{i}]") for r in real] or [[f"{path}: real list empty"]]
            out += min(tries, key=len)
        return out
    if example is None or real is None or type(example) is type(real):
        return []
    return [f"{path}: {type(example).__name__} where the file has {type(real).__name__}"]


def test_shape_check_can_fail():
    assert shape_matches({"a": [{"b": 1}]}, {"a": [{"b": "x"}], "c": 2}) == ["$: keys ['c'] differ"]
    assert shape_matches({"a": [{"b": 1}]}, {"a": [{"b": "x"}]}) == ["$.a[0].b: int where the file has str"]


def test_open_data_page_documents_every_export_with_a_real_example(bundled):
    site = bundled / "site"
    found = examples(site)
    assert set(found) == {"stories-json", "story-json", "schema-json", "timeline-json", "feed-xml", "json-ld"}
    pairs = {"stories-json": load(site, "api/stories.json"),
             "story-json": load(site, f"api/stories/{SLUG}.json"),
             "timeline-json": load(site, f"api/stories/{SLUG}/timeline.json"),
             "json-ld": {"@context": "https://schema.org",
                         "@graph": json.loads(page(site, f"stories/{SLUG}").find(
                             "script", type="application/ld+json").string)["@graph"]}}
    for section, real in pairs.items():
        assert shape_matches(json.loads(found[section]), real) == [], section
    assert errors(site, "story", json.loads(found["story-json"])) == []
    schema_example = json.loads(found["schema-json"])  # an excerpt: every value as in the real schema
    real_schema = load(site, "api/schema/story.json")
    assert {k: real_schema[k] for k in schema_example} == schema_example


def test_feed_example_has_the_real_feeds_elements(bundled):
    example = ET.fromstring(examples(bundled / "site")["feed-xml"].encode("utf-8"))
    real = ET.fromstring((bundled / "site" / "feed.xml").read_bytes())
    def elements(root: ET.Element) -> set[tuple[str, tuple[str, ...]]]:
        return {(el.tag, tuple(sorted(el.attrib))) for el in root.iter()}

    assert elements(example) == elements(real)
    first = real.find("{http://www.w3.org/2005/Atom}entry")
    assert [el.tag for el in example.find("{http://www.w3.org/2005/Atom}entry")] == [el.tag for el in first]


def test_open_data_page_is_in_the_navigation(bundled):
    nav = [a.get_text(strip=True) for a in page(bundled / "site", "").select("nav.md-tabs a")]
    assert "Open data" in nav
