"""The bundled Alibaba story, as site_data/ holds it, built alone with the real MkDocs: assertions
on the HTML readers get.

Expected values come from the YAML itself, so the tests follow the data rather than restate it.
"""

from __future__ import annotations

import re

import pytest
import yaml
from support import REPO
from support.site import BuiltSite, section, section_text, site_path, squash

from contested.content.labels import claim_verb
from contested.pages.markup import markdown_to_text

SLUG = "alibaba-pla-memo"
URL = f"stories/{SLUG}/"
SECTION_IDS = ["key-points", "whats-alleged", "whats-denied", "whats-unconfirmed", "context", "timeline",
               "actors", "sources", "updates"]
VERIFICATION_WORDS = {"unconfirmed": "Unconfirmed", "corroborated": "Corroborated",
                      "confirmed": "Confirmed", "refuted": "Refuted"}
VERIFIED = ("allegation", "assertion")


@pytest.fixture(scope="module")
def bundled_site(real_bundled_site: BuiltSite) -> BuiltSite:
    """Here the repository's own story, not the frozen copy the other suites share."""
    return real_bundled_site


@pytest.fixture(scope="module")
def story(bundled_site: BuiltSite) -> dict:
    return bundled_site.story_yaml(SLUG)


@pytest.fixture(scope="module")
def actors(bundled_site: BuiltSite, story) -> dict:
    """Site-wide actors and the story's own (`actors:` in the story)."""
    return {**bundled_site.actors_yaml(), **story.get("actors", {})}


def verb(claim: dict, actors: dict) -> str:
    return claim_verb(claim["kind"], actors[claim["claimant"]].get("number") == "plural")


def in_a_sentence(actor: dict) -> str:
    """The name as a sentence says it: 'the U.S. government' for an actor with `article: the`."""
    return f"the {actor['name']}" if actor.get("article") == "the" else actor["name"]


@pytest.fixture(scope="module")
def page(bundled_site: BuiltSite):
    return bundled_site.content(URL)


def claim_article(page, claim_id: str):
    heading = page.find(id=f"claim-{claim_id}")
    assert heading is not None, f"no #claim-{claim_id}"
    return heading.find_parent("article", class_="ct-claim")


def test_sections_have_stable_ids_in_order(page) -> None:
    ids = [h["id"] for h in page.find_all("h2") if h.get("id") in SECTION_IDS]
    assert ids == SECTION_IDS


def test_title_status_and_dates_at_top(page, story) -> None:
    head = page.select_one(".ct-story-head")
    assert squash(head.h1.get_text()) == markdown_to_text(story["title"])
    assert "Developing story" in head.get_text()
    times = [t["datetime"] for t in head.select(".ct-meta time")]
    assert times == [story["published"], story["updated"]]


def test_every_labelled_claim_is_attributed_with_sources_and_label(page, story, actors) -> None:
    labelled = [c for c in story["claims"] if c["kind"] in VERIFIED]
    alleged = section(page, "whats-alleged")
    claim_headings = [h for el in alleged for h in el.select("h3[id^=claim-]")]
    assert [h["id"] for h in claim_headings] == [f"claim-{c['id']}" for c in labelled]
    numbers = {f"#source-{k}": str(n) for n, k in enumerate(story["sources"], 1)}
    for claim in labelled:
        article = claim_article(page, claim["id"])
        heading = squash(article.find("h3").get_text(" "))
        assert heading.startswith(f"{actors[claim['claimant']]['name']} {verb(claim, actors)}:"), heading
        assert markdown_to_text(claim["text"]) in squash(article.get_text(" "))
        cited = [(a["href"], a.get_text()) for a in article.select(".ct-claim__text .ct-cite a")]
        assert cited == [(f"#source-{s}", numbers[f"#source-{s}"]) for s in dict.fromkeys(claim["sources"])]
        badge = article.select_one(".ct-verification .ct-badge")
        if claim["kind"] in ("allegation", "assertion"):
            assert badge.get_text(strip=True) == VERIFICATION_WORDS[claim["verification"]]
        else:  # predictions and opinions are shown attributed, never badged
            assert badge is None and "verification" not in claim


def test_predictions_and_opinions_are_attributed_and_unbadged(page, story, actors) -> None:
    for claim in (c for c in story["claims"] if c["kind"] not in VERIFIED):
        item = page.find("li", id=f"claim-{claim['id']}")
        assert item is not None and item.find_previous("h2")["id"] == "context"
        text = squash(item.get_text(" "))
        assert text.startswith(actors[claim["claimant"]]["name"]), text
        assert item.select(".ct-badge") == []


def test_each_reply_is_printed_once_linked_to_every_claim_it_answers(page, story) -> None:
    text = squash(page.get_text(" "))
    for response in story["responses"]:
        item = page.find(id=f"response-{response['id']}")
        if response["stance"] in ("did-not-respond", "no-response-reported"):
            assert item is None  # said under each claim instead
            continue
        links = [a["href"] for a in item.find_all("a", href=re.compile("^#claim-"))]
        assert links == [f"#claim-{i}" for i in response["claims"]]
        if response.get("quote"):
            quoted = f"“{response['quote']}”"
            assert [squash(b.get_text()) for b in page.find_all("blockquote")].count(quoted) == 1
            assert squash(item.blockquote.get_text()) == quoted
            if len(response["quote"].split()) > 3:  # a long quote is printed nowhere else
                assert text.count(response["quote"]) == 1


def test_no_response_is_said_under_each_claim_it_concerns(page, story, actors) -> None:
    for response in story["responses"]:
        if response["stance"] != "no-response-reported":
            continue
        for claim_id in response["claims"]:
            holder = page.find(id=f"claim-{claim_id}")
            group = holder.find_parent("section") or holder.find_parent("ul")
            said = squash(group.select_one(".ct-replies").get_text(" "))
            assert f"No response from {in_a_sentence(actors[response['actor']])} is reported" in said


def test_unconfirmed_claims_and_open_questions_are_under_whats_unconfirmed(page, story) -> None:
    unconfirmed = section(page, "whats-unconfirmed")
    listed = [a["href"] for el in unconfirmed if el.name == "ul" and "ct-unconfirmed" in el["class"]
              for a in el.select("li > a[href^='#claim-']")]
    assert listed == [f"#claim-{c['id']}" for c in story["claims"] if c.get("verification") == "unconfirmed"]
    text = section_text(page, "whats-unconfirmed")
    for question in story["open_questions"]:
        assert markdown_to_text(question["text"]) in squash(text)


def test_context_items_are_under_context(page, story) -> None:
    items = [li["id"] for li in page.select("ul.ct-context > li")]
    assert items == [f"context-{c['id']}" for c in story["context"]]


def test_timeline_is_an_ordered_list_in_written_order(page, story) -> None:
    lists = [el for el in section(page, "timeline") if el.name == "ol"]
    assert len(lists) == 1
    entries = lists[0].find_all("li", recursive=False)
    assert len(entries) == len(story["timeline"])
    for li, entry in zip(entries, story["timeline"], strict=True):
        assert markdown_to_text(entry["text"]) in squash(li.get_text(" "))
        date_el = li.select_one(".ct-timeline__date")
        time = date_el.find("time")
        if entry["date"] == "unknown":
            assert time is None
            wording = entry.get("date_as_given") or "date not given"
            assert wording in date_el.get_text()
            if entry.get("date_as_given"):  # never alone: with what it is relative to
                assert "puts it;" in date_el.get_text()
        else:
            assert time["datetime"] == str(entry["date"])


def test_stance_table_has_a_row_per_labelled_claim_and_no_empty_column(page, story) -> None:
    table = page.select_one("table.ct-stances")
    rows = table.tbody.find_all("tr")
    labelled = [c for c in story["claims"] if c["kind"] in VERIFIED]
    assert [r.th.a["href"] for r in rows] == [f"#claim-{c['id']}" for c in labelled]
    columns = len(table.thead.find_all("th")) - 1
    for col in range(columns):
        assert any(r.find_all("td")[col].get_text(strip=True) != "—" for r in rows), col
    assert "no response reported" in table.get_text()


def test_sources_show_publisher_date_link_and_provenance(page, story) -> None:
    for source_id, source in story["sources"].items():
        item = page.find("li", id=f"source-{source_id}")
        text = squash(item.get_text(" "))
        if source["publisher"] == "unknown":  # never printed as if it were a name
            assert "unknown" not in text.split(".")[1]
        else:
            assert markdown_to_text(source["publisher"]) in text
        assert (source.get("date_as_given") or "date not given") in text
        if source.get("url"):
            assert item.select_one("a.ct-source-url")["href"] == source["url"]
        else:
            assert "No link." in text
        if source.get("via"):
            assert item.select_one(".ct-provenance a")["href"] == f"#source-{source['via']}"


def test_each_source_title_is_printed_once(page, story) -> None:
    text = squash(page.get_text(" "))
    for source in story["sources"].values():
        assert text.count(markdown_to_text(source["title"])) == 1, source["title"]


def test_actor_pages_list_their_claims_and_responses(bundled_site: BuiltSite, story) -> None:
    for actor_id, actor in bundled_site.actors_yaml().items():
        content = bundled_site.content(f"actors/{actor_id}/")
        assert squash(content.h1.get_text()) == actor["name"]
        hrefs = [site_path(f"actors/{actor_id}/", a["href"])
                 for a in content.select("#statements ~ section a[href*='#claim-']")]
        claimed = [c["id"] for c in story["claims"] if c["claimant"] == actor_id]
        answered = [i for r in story["responses"] if r["actor"] == actor_id for i in r["claims"]]
        assert hrefs == [f"{URL}#claim-{i}" for i in claimed + answered]
    for actor_id in story.get("actors", {}):
        assert not (bundled_site.site / "actors" / actor_id).exists()


def test_home_lists_the_story_with_status_date_and_summary(bundled_site: BuiltSite, story) -> None:
    cards = bundled_site.content("").select(".ct-card")
    assert [c.h2.a["href"] for c in cards] == [URL]
    card = cards[0]
    assert "Developing story" in card.get_text()
    assert card.find("time")["datetime"] == story["updated"]
    assert markdown_to_text(story["summary"]) in squash(card.get_text(" "))


def test_every_tag_has_a_page_listing_the_story(bundled_site: BuiltSite, story) -> None:
    index = bundled_site.content("tags/").select(".ct-tag-index a")
    index_links = [site_path("tags/", a["href"]) for a in index]
    assert index_links == [f"tags/{t}/" for t in sorted(story["tags"])]
    for tag in story["tags"]:
        cards = bundled_site.content(f"tags/{tag}/").select(".ct-card h2 a")
        assert [site_path(f"tags/{tag}/", a["href"]) for a in cards] == [URL]


def test_story_pages_are_reached_from_indexes_not_the_nav(bundled_site: BuiltSite) -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    for url in ("", URL):
        nav = bundled_site.soup(url).select_one("nav.md-nav--primary")
        links = [a for a in nav.select("a.md-nav__link")]
        assert not [a for a in links if SLUG in a.get("href", "")]
        titles = {squash(a.get_text(" ")) for a in links}
        assert titles <= {next(iter(item)) for item in config["nav"]}
    stories_index = bundled_site.content("stories/").select(".ct-card h2 a")
    assert [site_path("stories/", a["href"]) for a in stories_index] == [URL]


FETCHED_LINK_RELS = {"stylesheet", "preload", "preconnect", "dns-prefetch", "icon", "modulepreload",
                     "prefetch", "manifest"}


def test_no_page_fetches_anything_from_another_host(bundled_site: BuiltSite) -> None:
    pages = sorted(bundled_site.site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, path
        soup = bundled_site.soup(path.relative_to(bundled_site.site).as_posix())
        for link in soup.find_all("link"):
            # canonical/alternate name the page's public address; browsers do not fetch them.
            if FETCHED_LINK_RELS & set(link.get("rel", [])):
                assert not re.match(r"(https?:)?//", link["href"]), (path, link)
        for script in soup.find_all("script", src=True):
            assert not re.match(r"(https?:)?//", script["src"]), (path, script)


def test_whos_who_counts_the_claims_each_party_denies(page, story) -> None:
    denied = {i for r in story["responses"] if r["actor"] == "alibaba" and r["stance"] == "denies"
              for i in r["claims"]}
    roles = {dt.a["href"].rstrip("/").rsplit("/", 1)[-1]: squash(dt.select_one(".ct-role").get_text())
             for dt in page.select("dl.ct-people > dt") if dt.a}
    assert f"denies {len(denied)} claims" in roles["alibaba"]
