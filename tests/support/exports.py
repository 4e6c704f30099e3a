"""Reading what the build produced: JSON-LD out of pages, JSON files out of site/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def jsonld_scripts(soup: BeautifulSoup) -> list[Any]:
    return [json.loads(tag.string) for tag in soup.find_all("script", type="application/ld+json")]


def graph(site: Path, slug: str) -> list[dict[str, Any]]:
    (data,) = jsonld_scripts(page(site, f"stories/{slug}"))
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def load(site: Path, rel: str) -> Any:
    return json.loads((site / rel).read_text(encoding="utf-8"))


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)
