"""Our copies of Material partials stay copies: each differs from the installed theme only as stated."""

from __future__ import annotations

from pathlib import Path

import material
from support import REPO

STOCK = Path(material.__file__).parent / "templates" / "partials"


def _body(text: str) -> str:
    """The template without its leading `{#- … -#}` comment (Material's and ours differ there)."""
    return text.split("-#}", 1)[1].strip() if text.lstrip().startswith("{#-") else text.strip()


def test_search_partial_is_stock_material_plus_a_dialog_name() -> None:
    ours = _body((REPO / "overrides" / "partials" / "search.html").read_text(encoding="utf-8"))
    stock = _body((STOCK / "search.html").read_text(encoding="utf-8"))
    added = ' aria-label="{{ lang.t(\'search\') }}"'
    assert added in ours
    assert ours.replace(added, "", 1) == stock, (
        "overrides/partials/search.html has drifted from Material's: copy the new one and add the "
        "dialog's aria-label again")
