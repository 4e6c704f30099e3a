"""The JSON-LD in story pages: schema.org terms only, Google's ClaimReview fields, safe embedding."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from support.exports import graph, load, page

from contested.pages.markup import json_for_script

from .schemaorg_vocab import check_node

SLUG = "alibaba-pla-memo"
HOSTILE = "test-hostile"


def test_every_type_and_property_is_schema_org(bundled, hostile):
    nodes = graph(bundled / "site", SLUG) + graph(hostile / "site", HOSTILE)
    problems = [p for i, node in enumerate(nodes) for p in check_node(node, f"@graph[{i}]")]
    assert problems == []


def test_the_checker_rejects_what_schema_org_does_not_define():
    # The vocabulary check above must be able to fail: terms outside schema.org are reported.
    node = {"@type": "ClaimReview", "verdict": "false", "url": "not a url",
            "itemReviewed": {"@type": "Claim", "author": "text instead of a node"}}
    assert check_node(node) == [
        "$.verdict: 'verdict' is not a schema.org property",
        "$.url: 'not a url' is not an absolute URL",
        "$.itemReviewed.author: text given, but 'author' takes ['Person', 'Organization']",
    ]
    assert check_node({"@type": "FactCheck"}) == ["$: @type 'FactCheck' is not a schema.org class"]


def test_news_article_describes_the_story(bundled):
    article = graph(bundled / "site", SLUG)[0]
    data = load(bundled / "site", f"api/stories/{SLUG}.json")
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == data["title"]
    assert article["description"] == data["summary"]
    assert article["url"] == "https://contested.example/stories/alibaba-pla-memo/"
    assert (article["datePublished"], article["dateModified"]) == ("2026-11-27", "2026-11-27")
    publisher = {"@type": "Organization", "name": "Contested", "url": "https://contested.example/"}
    assert article["publisher"] == publisher == article["author"]
    assert "correction" not in article  # the bundled story has no correction


def test_one_claim_review_per_claim_with_googles_fields(bundled):
    site = bundled / "site"
    data = load(site, f"api/stories/{SLUG}.json")
    reviews = [n for n in graph(site, SLUG) if n["@type"] == "ClaimReview"]
    assert len(reviews) == len(data["claims"]) == 15
    for review, claim in zip(reviews, data["claims"], strict=True):
        # Required by Google: claimReviewed, reviewRating.alternateName, url.
        assert review["claimReviewed"] == claim["text"]
        assert review["url"] == claim["url"]
        assert review["reviewRating"]["alternateName"] == claim["verification_label"]
        assert claim["note"] in review["reviewRating"]["ratingExplanation"]
        # Recommended: the reviewer, the date and the claim reviewed with its author and appearances.
        assert review["author"]["name"] == "Contested"
        assert review["datePublished"] == "2026-11-27"
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"]["name"] == claim["claimant"]["name"]
        sources = {s["id"]: s for s in data["sources"]}
        assert [a["name"] for a in item["appearance"]] == [sources[i]["title"] for i in claim["sources"]]


def test_claimant_kinds_wikidata_and_corrections(hostile):
    nodes = graph(hostile / "site", HOSTILE)
    article, breakout, widgets = nodes
    assert breakout["itemReviewed"]["author"] == {
        "@type": "Person", "name": "Jane Doe", "sameAs": "https://www.wikidata.org/wiki/Q4115189"}
    assert widgets["itemReviewed"]["author"] == {"@type": "Organization", "name": "Acme"}
    assert breakout["reviewRating"]["alternateName"] == "Refuted"
    assert breakout["itemReviewed"]["appearance"][0] == {
        "@type": "CreativeWork", "name": "A memo </script>", "url": "https://news.example/memo",
        "publisher": {"@type": "Organization", "name": "Example Gazette"}, "datePublished": "2019"}
    assert article["correction"] == [{"@type": "CorrectionComment", "text": "We misnamed the memo's author.",
                                      "datePublished": "2025-01-15"}]
    assert article["datePublished"] == "2024-03"  # month precision stays month precision


def test_script_end_in_editor_text_cannot_break_out(hostile):
    html = (hostile / "site" / "stories" / HOSTILE / "index.html").read_text(encoding="utf-8")
    soup = page(hostile / "site", f"stories/{HOSTILE}")
    breakout = graph(hostile / "site", HOSTILE)[1]
    # The parsed JSON-LD still holds the editor's text exactly (as plain text) ...
    assert breakout["claimReviewed"] == "Ends early </script><script>alert(1)</script> <!-- and here & there"
    # ... and the HTML parser saw one data script and no script made from the text.
    assert len(soup.find_all("script", type="application/ld+json")) == 1
    assert "alert(1)" not in "".join(s.string or "" for s in soup.find_all("script") if not s.get("type"))
    assert "<script>alert" not in html and "<!-- and" not in html


@given(st.recursive(st.text() | st.integers() | st.booleans() | st.none(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=20))
def test_json_for_script_round_trips_and_has_nothing_html_reads(value):
    text = str(json_for_script(value))
    assert json.loads(text) == value
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}


def test_a_browser_reads_one_json_ld_block_and_runs_nothing_from_the_story(hostile):
    from playwright.sync_api import sync_playwright

    url = (hostile / "site" / "stories" / HOSTILE / "index.html").as_uri()
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            tab = browser.new_page()
            dialogs: list[str] = []
            tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            tab.goto(url)
            blocks = tab.eval_on_selector_all(
                'script[type="application/ld+json"]', "els => els.map(e => JSON.parse(e.textContent))")
        finally:
            browser.close()
    assert dialogs == []
    assert len(blocks) == 1
    assert blocks[0]["@graph"] == graph(hostile / "site", HOSTILE)
