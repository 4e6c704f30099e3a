"""Our copies of Material partials stay copies: each differs from the installed theme only as stated."""

from __future__ import annotations

import re
from pathlib import Path

import material
from support import REPO

STOCK = Path(material.__file__).parent / "templates" / "partials"


def _body(text: str) -> str:
    """The template without its leading `{#- … -#}` comment (Material's and ours differ there)."""
    return text.split("-#}", 1)[1].strip() if text.lstrip().startswith("{#-") else text.strip()


# Stock Material shows the search button and dialog only with its own search plugin; ours always
# shows them (the search is Pagefind's, overrides/partials/search.html).
STOCK_SEARCH = """    {% if "material/search" in config.plugins %}
      {% set search = config.plugins["material/search"] | attr("config") %}
      {% if search.enabled %}
        <label class="md-header__button md-icon" for="__search">
          {% set icon = config.theme.icon.search or "material/magnify" %}
          {% include ".icons/" ~ icon ~ ".svg" %}
        </label>
        {% include "partials/search.html" %}
      {% endif %}
    {% endif %}
"""
OUR_SEARCH = """    <label class="md-header__button md-icon" for="__search" title="{{ lang.t('search') }}">
      {% set icon = config.theme.icon.search or "material/magnify" %}
      {% include ".icons/" ~ icon ~ ".svg" %}
    </label>
    {% include "partials/search.html" %}
"""


def test_header_partial_is_stock_material_with_the_search_always_shown() -> None:
    ours = _body((REPO / "overrides" / "partials" / "header.html").read_text(encoding="utf-8"))
    stock = _body((STOCK / "header.html").read_text(encoding="utf-8"))
    assert STOCK_SEARCH.strip() in stock, "Material's header no longer gates search the same way: look again"
    assert ours == stock.replace(STOCK_SEARCH.strip(), OUR_SEARCH.strip(), 1), (
        "overrides/partials/header.html has drifted from Material's: copy the new one and make the "
        "search button and partial unconditional again")


def test_search_partial_keeps_material_classes_and_not_its_form_name() -> None:
    """Our search dialog reuses Material's classes (its layout, palettes, phone view) but must not be
    a form named "search": Material's script would then fetch its own search index."""
    ours = (REPO / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")
    stock = (STOCK / "search.html").read_text(encoding="utf-8")
    for cls in ("md-search", "md-search__overlay", "md-search__inner", "md-search__form",
                "md-search__input", "md-search__output", "md-search__scrollwrap", "md-search-result__meta",
                "md-search-result__list"):
        used = re.compile(rf'class="([^"]* )?{cls}[ "]')
        assert used.search(stock) and used.search(ours), cls
    assert 'name="search"' in stock and 'name="search"' not in ours
    assert 'data-md-component="search' not in ours  # Material's search code is never mounted on it
