"""The site around the stories (issue 13, item 4): who publishes it, how to reach the editors, how to
ask for a correction; every story links its corrections policy; hand-written pages' front matter
never reaches readers as text, and a broken one stops `check` and `build` at its line and column."""

from __future__ import annotations

from pathlib import Path

from support import FIXTURES, copy_project, hash_tree, run_build
from support.site import BuiltSite, build_project, section, site_path

MINIMAL_DATA = FIXTURES / "minimal" / "site_data"


def test_the_about_page_says_who_publishes_and_how_to_reach_the_editors(bundled_site: BuiltSite):
    article = bundled_site.content("about/")
    headings = {h["id"]: h.get_text(" ", strip=True) for h in article.select("h2[id]")}
    assert {"publisher", "corrections", "ask-for-a-correction", "contact"} <= headings.keys()
    contact = article.select_one(".ct-contact")
    assert contact is not None, "the contact from mkdocs.yml is printed on the About page"
    # The address is mkdocs.yml's extra.contact.email, and the corrections line writes to it.
    mail = [a["href"] for a in contact.select('a[href^="mailto:"]')]
    assert mail == ["mailto:editors@contested.example", "mailto:editors@contested.example?subject=Correction"]
    assert "Contested" in contact.get_text()  # the publisher, extra.publisher.name
    nav = [a.get_text(strip=True) for a in bundled_site.soup("").select("nav.md-tabs a")]
    assert "About" in nav


def test_every_story_links_the_corrections_policy_from_what_changed(bundled_site: BuiltSite):
    for page in sorted((bundled_site.site / "stories").glob("*/index.html")):
        url = f"stories/{page.parent.name}/"
        links = [a["href"] for el in section(bundled_site.content(url), "updates") for a in el.find_all("a")]
        assert any(site_path(url, href) == "about/#corrections" for href in links), url
    assert bundled_site.content("about/").find(id="corrections") is not None


def test_hand_written_pages_show_no_front_matter(bundled_site: BuiltSite):
    for page in sorted((bundled_site.root / "content").glob("*.md")):
        url = f"{page.stem}/"
        text = bundled_site.content(url).get_text(" ", strip=True)
        assert "title:" not in text and "description:" not in text, url
        title = bundled_site.soup(url).title
        assert title is not None and title.get_text().split(" - ")[0].strip() not in ("", "Contested"), url


def test_the_contact_comes_from_mkdocs_yml(tmp_path: Path):
    root = copy_project(tmp_path / "p", site_data=MINIMAL_DATA)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "email: editors@contested.example" in text
    config.write_text(text.replace("email: editors@contested.example", "email: desk@newsroom.example")
                      .replace('corrections_url: ""', "corrections_url: https://newsroom.example/fix"),
                      encoding="utf-8")
    contact = build_project(root).content("about/").select_one(".ct-contact")
    assert contact is not None
    hrefs = [a["href"] for a in contact.find_all("a")]
    assert "mailto:desk@newsroom.example" in hrefs and "https://newsroom.example/fix" in hrefs
    assert "editors@contested.example" not in contact.get_text()


def test_a_broken_front_matter_stops_check_and_build_at_its_line(tmp_path: Path):
    root = copy_project(tmp_path / "p", site_data=MINIMAL_DATA)
    build_project(root)
    before = hash_tree(root / "site")
    (root / "content" / "rules.md").write_text(
        "---\ntitle: Rules\ndescription: The rules: what counts\n---\n\n# Rules\n", encoding="utf-8")
    for command in ("check", "build"):
        proc = run_build(root, command)
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        assert "content/rules.md:3:23: error: the front matter is not valid YAML" in proc.stderr
        assert "hint: put a value containing" in proc.stderr
    assert hash_tree(root / "site") == before, "site/ is left as it was"
