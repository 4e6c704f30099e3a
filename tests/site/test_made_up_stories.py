"""A fictional project (tests/site/fixtures/second-story) covering every stance, verification label,
date precision and empty section, built with the real MkDocs."""

from __future__ import annotations

import pytest
from support.site import BuiltSite, section, section_text, site_path, squash

from contested.pages.markup import markdown_to_text

HARBOR = "stories/harbor-bridge-contract/"
FERRY = "stories/ferry-timetable/"


@pytest.fixture(scope="module")
def harbor(made_up_site: BuiltSite):
    return made_up_site.content(HARBOR)


@pytest.fixture(scope="module")
def ferry(made_up_site: BuiltSite):
    return made_up_site.content(FERRY)


def test_fixture_covers_every_stance_verification_and_precision(made_up_site: BuiltSite) -> None:
    # Guards the fixture itself: if someone trims it, the tests below would prove less.
    from contested.content.schema import SILENT_STANCES, STANCES, VERIFICATIONS

    stories = made_up_site.all_stories_yaml()
    claims = [c for s in stories.values() for c in s["claims"]]
    # Every stance that is a reply; the two that record silence are covered by tests/fixtures/v2.
    replies = [r for s in stories.values() for r in s.get("responses", [])]
    assert {r["stance"] for r in replies} == set(STANCES) - set(SILENT_STANCES)
    assert {c["verification"] for c in claims} == set(VERIFICATIONS)
    dates = [e["date"] for e in stories["harbor-bridge-contract"]["timeline"]]
    assert dates == ["2020", "c. 2020", "2025-11", "2025-11-14", "unknown", "unknown"]


def test_timeline_dates_at_their_precision(harbor) -> None:
    entries = harbor.select("ol.ct-timeline > li .ct-timeline__date")
    shown = [(squash(e.get_text()), e.time["datetime"] if e.time else None) for e in entries]
    assert shown == [
        ("2020", "2020"),
        ("c. 2020", "2020"),
        ("November 2025", "2025-11"),
        ("14 November 2025", "2025-11-14"),
        ("last week, as “Brightspan statement” puts it; its date is not given", None),
        ("date not given", None),
    ]


def test_source_dates_at_their_precision(harbor) -> None:
    dates = {li["id"]: squash(li.select_one("time, .ct-date-unknown").get_text())
             for li in harbor.select("ol.ct-sources > li")}
    assert dates == {
        "source-ledger-story": "14 November 2025",
        "source-leaked-email": "November 2025",
        "source-board-minutes": "c. 2020",
        "source-audit-report": "2020",
        # The statement's own wording, and the statement is undated: said so.
        "source-brightspan-statement": "last week, as “Brightspan statement” puts it; its date is not given",
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
    assert by_party["Audit found gaps"]["Port Veland Harbor Authority"] == "confirms"
    assert by_party["Audit found gaps"]["Office of the City Auditor"] == "alleges"
    assert by_party["Bribe paid"]["Brightspan Construction"] == "—"


def test_every_verification_label_is_in_words(harbor) -> None:
    badges = {a.h3["id"]: a.select_one(".ct-verification .ct-badge").get_text(strip=True)
              for a in harbor.select("article.ct-claim")}
    assert badges == {"claim-tender-rigged": "Unconfirmed", "claim-cost-doubled": "Corroborated",
                      "claim-audit-found-gaps": "Confirmed", "claim-bribe-paid": "Refuted"}


def test_denies_and_disputes_are_denied_other_stances_are_not(harbor) -> None:
    items = [squash(li.get_text()) for el in section(harbor, "whats-denied")
             for li in el.select("li.ct-response")]
    assert len(items) == 2
    assert items[0].startswith("Brightspan Construction denies the claim Tender rigged")
    assert items[1].startswith(
        "Port Veland Harbor Authority disputes the claim Cost doubled (15 November 2025)")
    text = section_text(harbor, "whats-denied")
    for word in ("confirms", "supports", "declines to comment"):
        assert word not in text


def test_only_unconfirmed_claims_are_under_whats_unconfirmed(harbor) -> None:
    listed = [a["href"] for el in section(harbor, "whats-unconfirmed")
              for a in el.select("ul.ct-unconfirmed > li > a[href^='#claim-']")]
    assert listed == ["#claim-tender-rigged"]
    assert "Who wrote the tender's scoring rules?" in section_text(harbor, "whats-unconfirmed")


def test_correction_notice_is_at_the_top(harbor) -> None:
    head = harbor.select_one(".ct-story-head")
    notice = head.select_one(".ct-notice")
    assert notice is not None
    assert squash(notice.get_text(" ")).startswith("Correction, 20 November 2025 :")
    assert "misnamed the auditor's office" in notice.get_text()
    assert notice.find("a")["href"] == "#updates"
    # the notice comes before the summary, so no reader misses it
    assert head.find_all(["div", "p"]).index(notice) < head.find_all(["div", "p"]).index(
        head.select_one(".ct-summary"))
    updates = [squash(li.get_text(" ")) for li in harbor.select("ol.ct-updates > li")]
    # newest first: the correction (20 November) above the first publication (14 November)
    assert updates[0].startswith("Correction , 20 November 2025")
    assert updates[1].startswith("Update , 14 November 2025")


def test_sources_url_and_provenance_chain(harbor, made_up_site: BuiltSite) -> None:
    sources = made_up_site.story_yaml("harbor-bridge-contract")["sources"]
    ledger = harbor.find("li", id="source-ledger-story")
    assert ledger.select_one("a.ct-source-url")["href"] == sources["ledger-story"]["url"]
    assert "No link available" not in ledger.get_text()
    assert "No link available" in harbor.find("li", id="source-leaked-email").get_text()
    minutes = squash(harbor.find("li", id="source-board-minutes").get_text(" "))
    # board-minutes -> leaked-email -> ledger-story: a chain of two, both named
    email = sources["leaked-email"]
    assert (f"Known to us through {email['title']} ({email['publisher']}), "
            "via Bridge tender questions (The Veland Ledger).") in minutes


def test_empty_sections_say_so(ferry) -> None:
    assert "No one named in this story denies or disputes its claims." in section_text(ferry, "whats-denied")
    unconfirmed = section_text(ferry, "whats-unconfirmed")
    assert "Every claim in this story has been corroborated, confirmed or refuted." in unconfirmed
    assert "No open questions are recorded." in unconfirmed
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
    assert [r.split(" the claim")[0] for r in responses] == [
        "Confirms", "Declines to comment", "Disputes", "Confirms"]


def test_shared_tag_lists_both_stories(made_up_site: BuiltSite) -> None:
    links = [site_path("tags/procurement/", a["href"])
             for a in made_up_site.content("tags/procurement/").select(".ct-card h2 a")]
    assert links == [FERRY, HARBOR]
    assert [site_path("tags/harbor-bridge/", a["href"])
            for a in made_up_site.content("tags/harbor-bridge/").select(".ct-card h2 a")] == [HARBOR]


def test_whos_who_counts_claims_per_stance(harbor) -> None:
    roles = {squash(dt.a.get_text()): squash(dt.select_one(".ct-role").get_text())
             for dt in harbor.select("dl.ct-people > dt")}
    assert roles["Port Veland Harbor Authority"] == (
        "declines to comment on 1 claim; disputes 1 claim; confirms 1 claim")
    assert roles["Office of the City Auditor"] == "supports 1 claim; alleges 1 claim"
    assert roles["Brightspan Construction"] == "denies 1 claim"


def test_glance_counts_agree_with_the_sections(harbor, ferry) -> None:
    assert [squash(a.get_text(" ")) for a in harbor.select(".ct-glance a")] == [
        "4 alleged", "2 denials and disputes", "1 unconfirmed, 1 open question"]
    assert [squash(a.get_text(" ")) for a in ferry.select(".ct-glance a")] == [
        "1 alleged", "0 denials and disputes", "0 unconfirmed, 0 open questions"]
