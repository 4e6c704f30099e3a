"""A fictional project (tests/site/fixtures/second-story) covering every claim kind, stance,
verification label, date precision and empty section, built with the real MkDocs: the story page
as readers get it (issue 13's page: key points first, numbered sources, one legend, each reply once)."""

from __future__ import annotations

import re

import pytest
from support.site import BuiltSite, section, section_text, site_path, squash

from contested.content.labels import VERIFICATION_LABELS
from contested.pages.markup import markdown_to_text

HARBOR = "stories/harbor-bridge-contract/"
FERRY = "stories/ferry-timetable/"
READER_ORDER = ["key-points", "whats-alleged", "whats-denied", "whats-unconfirmed", "context", "timeline",
                "actors", "sources", "updates"]


@pytest.fixture(scope="module")
def harbor(made_up_site: BuiltSite):
    return made_up_site.content(HARBOR)


@pytest.fixture(scope="module")
def ferry(made_up_site: BuiltSite):
    return made_up_site.content(FERRY)


@pytest.fixture(scope="module")
def harbor_yaml(made_up_site: BuiltSite) -> dict:
    return made_up_site.story_yaml("harbor-bridge-contract")


def test_fixture_covers_every_kind_stance_verification_and_precision(made_up_site: BuiltSite) -> None:
    # Guards the fixture itself: if someone trims it, the tests below would prove less.
    from contested.content.schema import CLAIM_KINDS, STANCES, VERIFICATIONS

    stories = made_up_site.all_stories_yaml()
    claims = [c for s in stories.values() for c in s["claims"]]
    assert {r["stance"] for s in stories.values() for r in s.get("responses", [])} == set(STANCES)
    assert {c["verification"] for c in claims if "verification" in c} == set(VERIFICATIONS)
    assert {c["kind"] for c in claims} == set(CLAIM_KINDS)
    dates = [e["date"] for e in stories["harbor-bridge-contract"]["timeline"]]
    assert dates == ["2020", "c. 2020", "2025-11", "2025-11-14", "unknown", "unknown"]


def test_sections_come_in_the_readers_order(harbor, ferry) -> None:
    ids = [h["id"] for h in harbor.find_all("h2") if h.get("id")]
    assert ids == READER_ORDER
    # One "How we know this" line, between the key points and the claims.
    [line] = harbor.select(".ct-how-we-know")
    assert line.find_previous("h2")["id"] == "key-points" and line.find_next("h2")["id"] == "whats-alleged"
    # A story without key points shows its summary in their place.
    assert [h["id"] for h in ferry.find_all("h2") if h.get("id")] == READER_ORDER[1:]
    assert ferry.select_one(".ct-summary") is not None


def test_key_points_link_to_the_claims_and_context_they_sum_up(harbor, harbor_yaml) -> None:
    items = harbor.select("ul.ct-key-points > li")
    assert len(items) == len(harbor_yaml["key_points"])
    for li, point in zip(items, harbor_yaml["key_points"], strict=True):
        assert markdown_to_text(point["text"]) in squash(li.get_text(" "))
        hrefs = [a["href"] for a in li.select(".ct-related a")]
        assert [h.split("-", 1)[1] for h in hrefs] == point["refs"]
        assert all(harbor.find(id=h[1:]) is not None for h in hrefs)


def test_how_we_know_says_which_sources_were_seen(harbor) -> None:
    line = squash(harbor.select_one(".ct-how-we-know").get_text(" "))
    # ledger-story, audit-report and the statement have no `via`; the email and minutes come through them.
    assert line == ("How we know this: we have read sources 1 , 4 and 5 ; sources 2 and 3 we know only "
                    "as reported in them, and have not seen them.")


def test_sources_are_numbered_and_each_title_is_printed_once(harbor, harbor_yaml) -> None:
    items = harbor.select("ol.ct-sources > li")
    assert [li["id"] for li in items] == [f"source-{k}" for k in harbor_yaml["sources"]]
    text = squash(harbor.get_text(" "))
    for source in harbor_yaml["sources"].values():
        assert text.count(markdown_to_text(source["title"])) == 1, source["title"]
    numbers = {f"#source-{k}": str(n) for n, k in enumerate(harbor_yaml["sources"], 1)}
    cites = harbor.select(".ct-cite a")
    assert len(cites) > 10
    for a in cites:
        assert a.get_text() == numbers[a["href"]]


def test_each_label_is_explained_once_in_a_legend(harbor) -> None:
    text = squash(harbor.get_text(" "))
    for label, meaning in VERIFICATION_LABELS.values():
        assert text.count(meaning) == 1, meaning
        assert harbor.select_one(".ct-legend").find(string=label) is not None


def test_timeline_dates_at_their_precision(harbor) -> None:
    entries = harbor.select("ol.ct-timeline > li .ct-timeline__date")
    shown = [(squash(e.get_text(" ")).rstrip(" :"), e.time["datetime"] if e.time else None) for e in entries]
    assert shown == [
        ("2020", "2020"),
        ("c. 2020", "2020"),
        ("November 2025", "2025-11"),
        ("14 November 2025", "2025-11-14"),
        ("last week (as source 5 puts it; its date is not given)", None),
        ("date not given", None),
    ]


def test_a_relative_date_says_what_it_is_relative_to(harbor) -> None:
    entry = harbor.select("ol.ct-timeline > li")[4]
    for where in (harbor.find("li", id="source-brightspan-statement"), entry):
        relative = where.select_one(".ct-relative")
        assert squash(relative.get_text(" ")) == "(as source 5 puts it; its date is not given)"
        assert relative.a["href"] == "#source-brightspan-statement"


def test_source_dates_at_their_precision(harbor) -> None:
    dates = {li["id"]: squash(li.select_one("time, .ct-date-unknown").get_text())
             for li in harbor.select("ol.ct-sources > li")}
    assert dates == {
        "source-ledger-story": "14 November 2025",
        "source-leaked-email": "November 2025",
        "source-board-minutes": "c. 2020",
        "source-audit-report": "2020",
        "source-brightspan-statement": "last week",
    }


def test_every_stance_is_shown_in_words_in_the_table(harbor) -> None:
    rows = {r.th.get_text(strip=True): [td.get_text(strip=True) for td in r.find_all("td")]
            for r in harbor.select("table.ct-stances tbody tr")}
    header = [th.get_text(strip=True) for th in harbor.select("table.ct-stances thead th")][1:]
    by_party = {label: dict(zip(header, cells, strict=True)) for label, cells in rows.items()}
    assert by_party["Tender rigged"]["Brightspan Construction"] == "denies"
    assert by_party["Tender rigged"]["Port Veland Harbor Authority"] == "declines to comment"
    assert by_party["Cost doubled"]["Port Veland Harbor Authority"] == "disputes"
    assert by_party["Cost doubled"]["Office of the City Auditor"] == "supports"
    assert by_party["Cost doubled"]["Brightspan Construction"] == "did not respond"
    assert by_party["Audit found gaps"]["Port Veland Harbor Authority"] == "confirms"
    assert by_party["Audit found gaps"]["Office of the City Auditor"] == "alleges"
    assert by_party["Bribe paid"]["Office of the City Auditor"] == "no response reported"
    assert by_party["Bribe paid"]["Port Veland Harbor Authority"] == "—"
    # Only labelled claims are rows; no party is a column of dashes alone.
    assert set(rows) == {"Tender rigged", "Cost doubled", "Audit found gaps", "Bribe paid"}
    for party in header:
        assert any(by_party[row][party] != "—" for row in rows), party


def test_every_verification_label_is_in_words(harbor) -> None:
    badges = {a.h3["id"]: a.select_one(".ct-verification .ct-badge").get_text(strip=True)
              for a in harbor.select("article.ct-claim")}
    assert badges == {"claim-tender-rigged": "Unconfirmed", "claim-cost-doubled": "Corroborated",
                      "claim-audit-found-gaps": "Confirmed", "claim-bribe-paid": "Refuted"}


def test_a_label_history_is_shown_with_its_dates(harbor) -> None:
    history = harbor.find(id="claim-cost-doubled").find_parent("article").select_one(".ct-history")
    assert squash(history.get_text(" ")) == (
        "Label history: unconfirmed from 14 November 2025 ; corroborated "
        "from 18 November 2025 : The auditor's figures supported it.")
    assert [t["datetime"] for t in history.find_all("time")] == ["2025-11-14", "2025-11-18"]


def test_opinions_and_predictions_are_attributed_and_never_badged(harbor) -> None:
    opinion = harbor.find("li", id="claim-residents-cost-opinion")
    prediction = harbor.find("li", id="claim-quill-delay-prediction")
    # The verb fits the kind and agrees with the claimant (residents: plural).
    assert squash(opinion.get_text(" ")).startswith("Harbor residents argue (opinion): The bridge costs")
    assert squash(prediction.get_text(" ")).startswith("Mara Quill expects (prediction): The bridge will")
    assert opinion.find_parent("ul")["class"] == ["ct-views"]
    for item in (opinion, prediction):
        assert item.select(".ct-badge") == []
    core = " ".join(section_text(harbor, s) for s in ("whats-alleged", "whats-denied", "whats-unconfirmed"))
    assert "Too costly" not in core and "Delay expected" not in core
    assert "Too costly" not in harbor.select_one("table.ct-stances").get_text()


def test_claim_headings_say_who_claims_with_a_fitting_verb(harbor, ferry) -> None:
    heading = squash(harbor.find(id="claim-tender-rigged").get_text(" "))
    assert heading == "The Veland Ledger alleges: Tender rigged"
    assert squash(ferry.find(id="claim-timetable-change").get_text(" ")) == (
        "Ferry Workers' Union says: Timetable change")


def test_each_reply_is_printed_once_and_linked_to_every_claim_it_answers(harbor) -> None:
    reply = harbor.find("li", id="response-response-1")
    assert reply.find_parent("ul").find_previous("h2")["id"] == "whats-denied"
    assert [a["href"] for a in reply.find_all("a", href=re.compile("^#claim-"))] == [
        "#claim-tender-rigged", "#claim-bribe-paid"]
    assert squash(harbor.get_text(" ")).count("The tender was open and fair.") == 1
    # Each claim it answers links to it, where the reply is printed.
    for claim in ("tender-rigged", "bribe-paid"):
        group = harbor.find(id=f"claim-{claim}").find_parent("section")
        assert "#response-response-1" in [a["href"] for a in group.select(".ct-replies a")]


def test_denies_and_disputes_are_denied_other_stances_are_not(harbor) -> None:
    denied = [li for el in section(harbor, "whats-denied") for li in el.select("ul.ct-denials > li")]
    items = [squash(li.get_text(" ")) for li in denied]
    assert items[0].startswith("Brightspan Construction denies : Tender rigged and Bribe paid .")
    # A name with `article: the` starts its sentence with "The"; the link is the name alone.
    assert items[1].startswith(
        "The Port Veland Harbor Authority disputes : Cost doubled ( 15 November 2025 ).")
    assert denied[1].strong.a.get_text() == "Port Veland Harbor Authority"
    others = harbor.find(id="other-replies").find_next("ul")
    assert [squash(li.strong.get_text(" ")) for li in others.select("li")] == [
        "The Port Veland Harbor Authority declines to comment", "The Office of the City Auditor supports",
        "The Port Veland Harbor Authority confirms"]
    assert len(items) == 5


def test_an_absent_reply_is_said_under_each_claim_it_concerns(harbor) -> None:
    cost = squash(harbor.find(id="claim-cost-doubled").find_parent("section").get_text(" "))
    assert "Brightspan Construction did not respond to a request for comment [ source 1 ] ." in cost
    bribe = squash(harbor.find(id="claim-bribe-paid").find_parent("section").get_text(" "))
    assert "No response from the Office of the City Auditor is reported [ source 1 ] ." in bribe
    # Not printed as a reply of its own.
    assert "did not respond" not in section_text(harbor, "whats-denied")


def test_names_that_take_the_say_it_in_sentences_and_nowhere_else(made_up_site: BuiltSite, harbor) -> None:
    # The auditor, the harbor authority and the council have `article: the`; the contractor has none.
    audit = harbor.find(id="claim-audit-found-gaps").find_parent("section")
    cost = squash(harbor.find(id="claim-cost-doubled").find_parent("section").select_one(".ct-replies")
                  .get_text(" "))
    assert cost.startswith("Replies to this allegation: the Port Veland Harbor Authority disputes ; "
                           "the Office of the City Auditor supports . Brightspan Construction did not")
    # Headings, the stance table and Who's who print the name alone.
    assert squash(audit.find("h3").get_text(" ")) == "Office of the City Auditor alleges: Audit found gaps"
    headers = [squash(th.get_text()) for th in harbor.select("table.ct-stances thead th")]
    assert "Office of the City Auditor" in headers and not any(h.startswith("the ") for h in headers)
    people = [squash(dt.contents[0].get_text() if dt.a else dt.contents[0])
              for dt in harbor.select("dl.ct-people > dt")]
    assert {"Office of the City Auditor", "Port Veland Harbor Authority"} <= set(people)
    # The actor pages: the name alone as their title, "the" in their sentences and description.
    council = made_up_site.soup("actors/veland-council/")
    assert squash(council.find("h1").get_text()) == "Veland City Council"
    assert "context on the Veland City Council's account." in squash(council.get_text(" "))
    auditor = made_up_site.soup("actors/auditor/")
    assert auditor.find("meta", attrs={"name": "description"})["content"] == (
        "Claims and responses by the Office of the City Auditor")
    brightspan = made_up_site.soup("actors/brightspan/")
    assert brightspan.find("meta", attrs={"name": "description"})["content"] == (
        "Claims and responses by Brightspan Construction")


def test_only_unconfirmed_claims_are_under_whats_unconfirmed(harbor) -> None:
    listed = [a["href"] for el in section(harbor, "whats-unconfirmed")
              for a in el.select("ul.ct-unconfirmed > li > a[href^='#claim-']")]
    assert listed == ["#claim-tender-rigged"]
    assert "Who wrote the tender's scoring rules?" in section_text(harbor, "whats-unconfirmed")


def test_context_is_attributed_sourced_and_unbadged(harbor, harbor_yaml) -> None:
    items = harbor.select("ul.ct-context > li")
    assert [li["id"] for li in items] == [f"context-{c['id']}" for c in harbor_yaml["context"]]
    for li in items:
        assert li.select(".ct-badge") == [] and li.select(".ct-cite a")


def test_correction_notice_is_at_the_top(harbor) -> None:
    head = harbor.select_one(".ct-story-head")
    notice = head.select_one(".ct-notice")
    assert notice is not None
    assert squash(notice.get_text(" ")).startswith("Correction, 20 November 2025 :")
    assert "misnamed the auditor's office" in notice.get_text()
    assert notice.find("a")["href"] == "#updates"
    # the notice is in the head, before the key points, so no reader misses it
    assert notice.find_next("h2")["id"] == "key-points"
    updates = [squash(li.get_text(" ")) for li in harbor.select("ol.ct-updates > li")]
    # newest first: the correction (20 November) above the first publication (14 November)
    assert updates[0].startswith("Correction , 20 November 2025")
    assert updates[1].startswith("Update , 14 November 2025")


def test_sources_url_and_provenance_chain(harbor, harbor_yaml) -> None:
    sources = harbor_yaml["sources"]
    ledger = harbor.find("li", id="source-ledger-story")
    assert ledger.select_one("a.ct-source-url")["href"] == sources["ledger-story"]["url"]
    assert "No link" not in ledger.get_text()
    assert "No link." in harbor.find("li", id="source-leaked-email").get_text()
    minutes = harbor.find("li", id="source-board-minutes").select_one(".ct-provenance")
    # board-minutes -> leaked-email -> ledger-story: a chain of two, both cited by number
    assert squash(minutes.get_text(" ")) == "not seen by us, known through sources 2 and 1"
    assert [a["href"] for a in minutes.find_all("a")] == ["#source-leaked-email", "#source-ledger-story"]


def test_empty_sections_say_so(ferry) -> None:
    assert "No one named in this story denies or disputes its claims." in section_text(ferry, "whats-denied")
    unconfirmed = section_text(ferry, "whats-unconfirmed")
    assert "No claim in this story is left unconfirmed." in unconfirmed
    assert "No open questions are recorded." in unconfirmed
    assert "No background is recorded for this story." in section_text(ferry, "context")
    assert "No timeline is recorded for this story." in section_text(ferry, "timeline")
    assert "No changes since publication." in section_text(ferry, "updates")


def test_home_lists_stories_most_recently_updated_first(made_up_site: BuiltSite) -> None:
    stories = made_up_site.all_stories_yaml()
    expected = sorted(stories, key=lambda slug: stories[slug]["updated"], reverse=True)
    cards = made_up_site.content("").select(".ct-card")
    assert [site_path("", c.h2.a["href"]) for c in cards] == [f"stories/{s}/" for s in expected]
    for card, slug in zip(cards, expected, strict=True):
        assert card.find("time")["datetime"] == stories[slug]["updated"]
        assert markdown_to_text(stories[slug]["summary"]) in squash(card.get_text(" "))
    assert [c.select_one(".ct-status").get_text() for c in cards] == ["Settled", "Developing story"]


def test_actor_page_spans_stories(made_up_site: BuiltSite) -> None:
    page = made_up_site.content("actors/harbor-authority/")
    sections = page.select("section.ct-appearance")
    stories = [site_path("actors/harbor-authority/", s.h3.a["href"]) for s in sections]
    assert stories == [FERRY, HARBOR]
    responses = [squash(li.get_text(" ")) for li in page.select(".ct-actor-responses > li")]
    assert [r.split(" :")[0] for r in responses] == [
        "Confirms", "Declines to comment", "Disputes", "Confirms"]


def test_an_actor_page_lists_a_story_that_only_mentions_it(made_up_site: BuiltSite) -> None:
    page = made_up_site.content("actors/veland-council/")
    [appearance] = page.select("section.ct-appearance")
    assert site_path("actors/veland-council/", appearance.h3.a["href"]) == HARBOR
    assert "1 point of context" in squash(appearance.get_text(" "))


def test_a_storys_own_actors_get_no_page(made_up_site: BuiltSite, harbor) -> None:
    assert not (made_up_site.site / "actors" / "residents").exists()
    names = {squash(dt.get_text(" ")).split(" — ")[0] for dt in harbor.select("dl.ct-people > dt")}
    assert any(n.startswith("Harbor residents") for n in names)
    residents = next(dt for dt in harbor.select("dl.ct-people > dt") if "Harbor residents" in dt.get_text())
    assert residents.a is None
    index = [a.get_text(strip=True) for a in made_up_site.content("actors/").find_all("a")]
    assert "Harbor residents" not in index


def test_shared_tag_lists_both_stories(made_up_site: BuiltSite) -> None:
    links = [site_path("tags/procurement/", a["href"])
             for a in made_up_site.content("tags/procurement/").select(".ct-card h2 a")]
    assert links == [FERRY, HARBOR]
    assert [site_path("tags/harbor-bridge/", a["href"])
            for a in made_up_site.content("tags/harbor-bridge/").select(".ct-card h2 a")] == [HARBOR]


def test_whos_who_says_what_each_party_does(harbor) -> None:
    roles = {squash(dt.contents[0].get_text() if dt.a else dt.contents[0]):
             squash(dt.select_one(".ct-role").get_text()) for dt in harbor.select("dl.ct-people > dt")}
    assert roles["Port Veland Harbor Authority"] == (
        "declines to comment on 1 claim; disputes 1 claim; confirms 1 claim")
    assert roles["Office of the City Auditor"] == (
        "1 allegation; supports 1 claim; no response reported on 1 claim")
    assert roles["Brightspan Construction"] == "denies 2 claims; did not respond on 1 claim"
    assert roles["Harbor residents"] == "1 opinion"
    assert roles["Mara Quill"] == "1 allegation; 1 prediction"
    assert roles["Veland City Council"] == "1 point of context"
