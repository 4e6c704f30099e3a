"""The verify stage (contested/safety.py) on pages planted with active content, and on the real site."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import copy_project, hash_tree, run_build

from contested.build.engine import engine_template_dirs
from contested.build.verify import ThemeAllowList, UnsafeOutputError, scan_html, verify_site
from contested.pages.markup import json_for_script
from contested.project import Project


@pytest.fixture(scope="module")
def allow(built_project: Path) -> ThemeAllowList:
    return ThemeAllowList.from_template_dirs(engine_template_dirs(Project(built_project)))


@pytest.fixture
def site(built_project: Path, tmp_path: Path) -> Path:
    """A copy of a real built site that a test may plant things in."""
    return Path(shutil.copytree(built_project / "site", tmp_path / "site"))


def _plant(site: Path, page: str, fragment: str) -> Path:
    path = site / page
    html = path.read_text(encoding="utf-8")
    path.write_text(html.replace("</article>", fragment + "</article>", 1), encoding="utf-8")
    return path


def test_allow_list_is_derived_from_the_theme_templates(allow: ThemeAllowList) -> None:
    assert len(allow.inline_scripts) >= 3  # base, palette and content scripts of the theme
    assert {"md-search__form", "md-header__option"} <= allow.form_classes


def test_the_real_site_passes(built_project: Path, allow: ThemeAllowList) -> None:
    assert verify_site(built_project / "site", allow) > 20


def test_planted_img_onerror_fails_naming_page_and_attribute(site: Path, allow: ThemeAllowList) -> None:
    _plant(site, "stories/alibaba-pla-memo/index.html", "<img src=x onerror=alert(1)>")
    with pytest.raises(UnsafeOutputError) as caught:
        verify_site(site, allow)
    message = str(caught.value)
    assert "stories/alibaba-pla-memo/index.html:" in message
    assert "event-handler attribute onerror= on <img>" in message


@pytest.mark.parametrize(("fragment", "expected"), [
    ("<script>alert(1)</script>", "inline <script> not in the theme's templates: 'alert(1)'"),
    ("<script src=\"https://evil.example/x.js\"></script>", "outside the theme's assets"),
    ("<script src=\"../../assets/contested.css\"></script>", "outside the theme's assets"),
    ("<script type=\"application/ld+json\">{\"a\": 1}</script><script type=\"application/ld+json\">"
     "</script>", "<script type=application/ld+json> whose content is not JSON"),
    ("<script type=\"application/json\">{}</script>", "other than the theme's configuration"),
    ("<svg onload=alert(1)>", "event-handler attribute onload= on <svg>"),
    ("<details open ONTOGGLE=alert(1)>", "event-handler attribute ontoggle= on <details>"),
    ("<a href=\"javascript:alert(1)\">x</a>", "javascript URL in href= on <a>"),
    ("<a href=\" JaVa&#x09;ScRiPt&colon;alert(1)\">x</a>", "javascript URL in href= on <a>"),
    ("<a href=\"vbscript:msgbox(1)\">x</a>", "vbscript URL in href= on <a>"),
    ("<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">", "data URL in src= on <img>"),
    ("<img srcset=\"a.png 1x, javascript:alert(1) 2x\">", "javascript URL in srcset= on <img>"),
    ("<svg><a xlink:href=\"javascript:alert(1)\">x</a></svg>", "javascript URL in xlink:href= on <a>"),
    ("<button formaction=\"javascript:alert(1)\">x</button>", "javascript URL in formaction="),
    ("<iframe src=\"https://example.com\"></iframe>", "<iframe> element"),
    ("<object data=\"x.swf\"></object>", "<object> element"),
    ("<embed src=\"x.swf\">", "<embed> element"),
    ("<base href=\"https://evil.example/\">", "<base> element"),
    ("<form action=\"https://evil.example/\"><input name=p></form>", "<form> the theme does not make"),
    ("<form class=\"md-search__form\" action=\"https://evil.example/\"></form>",
     "<form> the theme does not make"),
    ("<meta http-equiv=\"Refresh\" content=\"0;url=https://evil.example/\">", "<meta http-equiv=refresh>"),
    # A story's old address redirects at once to a page of the site (render.render_redirect); no other.
    ("<meta http-equiv=\"refresh\" content=\"0; url=../no-such-actor/\">", "<meta http-equiv=refresh>"),
    ("<meta http-equiv=\"refresh\" content=\"5; url=../alibaba/\">", "<meta http-equiv=refresh>"),
    ("<meta http-equiv=\"refresh\" content=\"0; url=//evil.example/\">", "<meta http-equiv=refresh>"),
])
def test_each_kind_of_active_content_is_found(site: Path, allow: ThemeAllowList, fragment: str,
                                              expected: str) -> None:
    path = _plant(site, "actors/alibaba/index.html", fragment)
    findings = scan_html(path.read_text(encoding="utf-8"), "actors/alibaba/index.html", site, allow)
    assert any(expected in str(f) for f in findings), [str(f) for f in findings]


def test_a_redirect_to_a_page_of_the_site_is_ours(site: Path, allow: ThemeAllowList) -> None:
    redirect = '<meta http-equiv="refresh" content="0; url=../alibaba/">'
    path = _plant(site, "actors/us-dod/index.html", redirect)
    assert scan_html(path.read_text(encoding="utf-8"), "actors/us-dod/index.html", site, allow) == []


def test_a_theme_script_with_other_content_is_refused(site: Path, allow: ThemeAllowList) -> None:
    """The theme's inline scripts match exactly: one with a line added is someone else's."""
    page = site / "index.html"
    html = page.read_text(encoding="utf-8")
    tampered = html.replace("<script>__md_scope=new URL(", "<script>alert(1);__md_scope=new URL(", 1)
    assert tampered != html
    findings = scan_html(tampered, "index.html", site, allow)
    assert len(findings) == 1
    assert findings[0].what.startswith("inline <script> not in the theme's templates: 'alert(1);__md_scope")


def test_theme_slots_cannot_carry_a_quote(allow: ThemeAllowList) -> None:
    """Configuration fills the theme's `{{ base_url }}` slots; a value that breaks the string does not."""
    good = next(p for p in allow.inline_scripts if "__md_scope" in p.pattern)
    body = ('__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+'
            '_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem('
            't.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname'
            '+"."+e,JSON.stringify(_))}catch(e){}}')
    assert good.fullmatch(body)
    assert not good.fullmatch(body.replace('"../.."', '"",alert(1),""'))


def test_planted_search_index_entry_is_found(site: Path, allow: ThemeAllowList) -> None:
    """The theme's search index is no longer published (search is Pagefind's, whose results are
    shown as text); should the theme's plugin come back, its index is checked all the same."""
    index = site / "search/search_index.json"
    assert not index.exists()
    index.parent.mkdir()
    data = {"docs": [{"location": "", "title": "Home", "text": "<img src=x onerror=alert(1)>"}]}
    index.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UnsafeOutputError, match=r"search_index\.json .*onerror= on <img>"):
        verify_site(site, allow)


@pytest.mark.engine  # a real `build.py build`
def test_a_template_emitting_a_script_fails_the_build_and_leaves_site_alone(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    assert run_build(root, "build").returncode == 0
    before = hash_tree(root / "site")
    template = root / "templates/story.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n",
                        encoding="utf-8")
    result = run_build(root, "build")
    assert result.returncode == 1
    assert ("build failed: 1 unsafe element(s) in the built pages, not published:\n"
            "  stories/alibaba-pla-memo/index.html:") in result.stderr
    assert "inline <script> not in the theme's templates: 'alert(1)'" in result.stderr
    assert "site/ was left as it was." in result.stderr
    assert "Traceback" not in result.stderr
    assert hash_tree(root / "site") == before
    assert list((root / ".build").glob("site-*")) == []  # the refused site was removed


# --- JSON for <script> elements (JSON-LD) ---------------------------------------------------------

@pytest.mark.parametrize("value", [
    "</script><script>alert(1)</script>", "<!-- x", "</SCRIPT >", "a\u2028b\u2029c",
    "it's & <b>", "\ud800 lone surrogate", "<![CDATA[ x ]]>",
])
def test_json_for_script_cannot_break_out_and_round_trips(value: str) -> None:
    data = {"name": value, "list": [value], value: 1}
    out = json_for_script(data)
    assert json.loads(str(out)) == data
    for forbidden in ("<", ">", "&", "'", "\u2028", "\u2029"):
        assert forbidden not in out
    html = f'<script type="application/ld+json">{out}</script>'
    allow = ThemeAllowList((), frozenset())
    assert scan_html(html, "page.html", Path("."), allow) == []


def test_safe_description_cannot_end_the_themes_meta_attribute() -> None:
    """The theme prints the description unescaped inside content="…"; a quote must not end it."""
    from contested.pages.resolve import safe_description

    out = safe_description('He said "no" <img src=x onerror=alert(1)> & *left*')
    assert out == "He said &quot;no&quot; &lt;img src=x onerror=alert(1)&gt; &amp; left"
    meta = BeautifulSoup(f'<meta name="description" content="{out}">', "html.parser").meta
    assert meta.attrs == {"name": "description",
                          "content": 'He said "no" <img src=x onerror=alert(1)> & left'}
