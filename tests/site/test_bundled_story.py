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

from contested.content.labels import STANCE_LABELS, claim_verb
from contested.pages.markup import markdown_to_text

SLUG = "alibaba-pla-memo"
URL = f"stories/{SLUG}/"
SECTION_IDS = ["whats-alleged", "whats-denied", "whats-unconfirmed", "timeline", "actors", "sources",
               "updates"]
VERIFICATION_WORDS = {"unconfirmed": "Unconfirmed", "corroborated": "Corroborated",
                      "confirmed": "Confirmed", "refuted": "Refuted"}


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


def responses_to(story: dict, claim_id: str) -> list[dict]:
    return [r for r in story.get("responses", []) if claim_id in r["claims"]]


def verb(claim: dict, actors: dict) -> str:
    return claim_verb(claim["kind"], actors[claim["claimant"]].get("number") == "plural")


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


def test_every_claim_is_alleged_by_its_claimant_with_sources_and_label(page, story, actors) -> None:
    alleged = section(page, "whats-alleged")
    claim_headings = [h for el in alleged for h in el.select("h3[id^=claim-]")]
    assert [h["id"] for h in claim_headings] == [f"claim-{c['id']}" for c in story["claims"]]
    for claim in story["claims"]:
        article = claim_article(page, claim["id"])
        heading = article.find("h3")
        claimant = actors[claim["claimant"]]["name"]
        assert squash(heading.get_text()).startswith(f"{claimant} {verb(claim, actors)}:")
        local = claim["claimant"] in story.get("actors", {})  # a story's own actor has no page
        assert heading.a["href"].endswith(f"{URL}#actors" if local else f"actors/{claim['claimant']}/")
        assert markdown_to_text(claim["text"]) in squash(article.get_text(" "))
        cited = [a["href"] for a in article.select(".ct-claim__text ~ p .ct-cite a")]
        assert cited == [f"#source-{s}" for s in dict.fromkeys(claim["sources"])]
        badge = article.select_one(".ct-verification .ct-badge")
        if claim["kind"] in ("allegation", "assertion"):
            assert badge.get_text(strip=True) == VERIFICATION_WORDS[claim["verification"]]
        else:  # predictions and opinions are shown attributed, never badged
            assert badge is None and "verification" not in claim


def test_each_claim_shows_who_responded_and_how(page, story, actors) -> None:
    for claim in story["claims"]:
        article = claim_article(page, claim["id"])
        shown = [squash(li.strong.get_text(" ")) for li in article.select(".ct-responses > li")]
        expected = [f"{actors[r['actor']]['name']} {STANCE_LABELS[r['stance']]}"
                    for r in responses_to(story, claim["id"])]
        assert shown == expected
        if not responses_to(story, claim["id"]):
            assert "No response recorded." in article.get_text()


def test_alibabas_denial_is_under_whats_denied_linked_to_every_claim_it_answers(page, story) -> None:
    denied = section(page, "whats-denied")
    items = [li for el in denied for li in el.select("li.ct-response")]
    # One entry per statement, written once; a statement answering several claims links to each.
    expected = [r for r in story["responses"] if r["stance"] in ("denies", "disputes")]
    assert len(items) == len(expected) > 0
    for li, response in zip(items, expected, strict=True):
        assert "Alibaba Group denies the claims" in squash(li.get_text(" "))
        links = [a["href"] for a in li.find_all("a", href=re.compile("^#claim-"))]
        assert links == [f"#claim-{i}" for i in response["claims"]]
        assert squash(li.blockquote.get_text()) == f"“{response['quote']}”"
    answered = {i for r in expected if r["actor"] == "alibaba" for i in r["claims"]}
    linked = {a["href"] for el in denied for a in el.find_all("a", href=re.compile("^#claim-"))}
    assert linked == {f"#claim-{i}" for i in answered}


def test_unconfirmed_claims_and_open_questions_are_under_whats_unconfirmed(page, story) -> None:
    unconfirmed = section(page, "whats-unconfirmed")
    listed = [a["href"] for el in unconfirmed if el.name == "ul" and "ct-unconfirmed" in el["class"]
              for a in el.select("li > a[href^='#claim-']")]
    assert listed == [f"#claim-{c['id']}" for c in story["claims"] if c.get("verification") == "unconfirmed"]
    text = section_text(page, "whats-unconfirmed")
    for question in story["open_questions"]:
        assert markdown_to_text(question["text"]) in squash(text)


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
        else:
            assert time["datetime"] == str(entry["date"])


def test_stance_table_has_a_row_per_claim_and_a_column_per_party(page, story, actors) -> None:
    table = page.select_one("table.ct-stances")
    parties = list(dict.fromkeys(
        actor for c in story["claims"]
        for actor in [c["claimant"], *(r["actor"] for r in responses_to(story, c["id"]))]))
    header = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    assert header == ["Claim", *(actors[a]["name"] for a in parties)]
    rows = table.tbody.find_all("tr")
    assert [r.th.a["href"] for r in rows] == [f"#claim-{c['id']}" for c in story["claims"]]
    for row, claim in zip(rows, story["claims"], strict=True):
        cells = dict(zip(parties, (td.get_text(strip=True) for td in row.find_all("td")), strict=True))
        for party in parties:
            replies = responses_to(story, claim["id"])
            stances = [STANCE_LABELS[r["stance"]] for r in replies if r["actor"] == party]
            words = [verb(claim, actors)] if claim["claimant"] == party else []
            words += list(dict.fromkeys(stances))
            assert cells[party] == (", ".join(words) or "—")


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
            assert "No link available" in text
        if source.get("via"):
            first = story["sources"][source["via"]]
            named = markdown_to_text(first["title"])
            if first["publisher"] != "unknown":
                named += f" ({markdown_to_text(first['publisher'])})"
            assert f"Known to us through {named}" in text


def test_provenance_chain_names_every_link(page, story) -> None:
    # dod-memo is known via the FT report, which is known via the article: both are named.
    text = squash(page.find("li", id="source-dod-memo").get_text(" "))
    ft, article = story["sources"]["ft-report"], story["sources"]["article"]
    assert article["publisher"] == "unknown"  # so the article is named by its title alone
    assert (f"Known to us through {markdown_to_text(ft['title'])} ({ft['publisher']}), "
            f"via {markdown_to_text(article['title'])}.") in text


def test_actor_pages_list_their_claims_and_responses(bundled_site: BuiltSite, story, actors) -> None:
    for actor_id in story["actors"]:  # a story's own actors get no site-wide page
        assert not (bundled_site.site / "actors" / actor_id).exists()
    for actor_id, actor in bundled_site.actors_yaml().items():
        content = bundled_site.content(f"actors/{actor_id}/")
        assert squash(content.h1.get_text()) == actor["name"]
        hrefs = [site_path(f"actors/{actor_id}/", a["href"])
                 for a in content.select("#statements ~ section a[href*='#claim-']")]
        claimed = [c["id"] for c in story["claims"] if c["claimant"] == actor_id]
        answered = [c["id"] for c in story["claims"]
                    for r in responses_to(story, c["id"]) if r["actor"] == actor_id]
        assert hrefs == [f"{URL}#claim-{i}" for i in claimed + answered]
        if not claimed and not answered:
            assert f"No claims or responses by {actor['name']}" in content.get_text()


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
    denied = {i for r in story["responses"] if r["actor"] == "alibaba" for i in r["claims"]}
    roles = {dt.a["href"].rstrip("/").rsplit("/", 1)[-1]: squash(dt.select_one(".ct-role").get_text())
             for dt in page.select("dl.ct-people > dt")}
    # Alibaba denies the memo's three allegations and makes one of its own against the U.S. government.
    assert roles["alibaba"] == f"denies {len(denied)} claims; alleges 1 claim"
