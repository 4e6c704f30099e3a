"""What the site's mkdocs.yml says that the generator needs: absolute URLs and who publishes.

Its own module because the exports use it and the build reads it, and neither should reach into
the other for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class SiteConfig:
    """What the exports need from mkdocs.yml: absolute URLs and who publishes."""

    site_url: str  # always ends with "/"
    site_name: str
    publisher_name: str
    publisher_url: str


ENGINES = ("mkdocs", "properdocs")  # the site engines `extra.site_engine` may name; mkdocs by default


def read_raw_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as a mapping, read with a safe loader that ignores tags such as
    `!!python/name:` (their values are not needed here), so a theme extension configured in
    mkdocs.yml cannot stop or run code in our build."""
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=IgnoreTagsLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{config_file.name} cannot be read: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_file.name} must be a mapping of settings (key: value lines)")
    return raw


def read_engine_name(config_file: Path) -> str:
    """The site engine: `extra.site_engine` in mkdocs.yml (`mkdocs` when unset)."""
    extra = read_raw_config(config_file).get("extra")
    name = (extra if isinstance(extra, dict) else {}).get("site_engine") or "mkdocs"
    if name not in ENGINES:
        raise ConfigError(f"{config_file.name}: extra.site_engine is {name!r}; "
                          f"hint: use one of {', '.join(ENGINES)}")
    return str(name)


def read_site_config(config_file: Path) -> SiteConfig:
    """site_url, site_name and extra.publisher from mkdocs.yml, for absolute URLs in the exports."""
    raw = read_raw_config(config_file)
    site_url = str(raw.get("site_url") or "/")
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    extra = raw.get("extra")
    extra = extra if isinstance(extra, dict) else {}
    publisher = extra.get("publisher")
    publisher = publisher if isinstance(publisher, dict) else {}
    name = str(raw.get("site_name") or "")
    return SiteConfig(site_url=site_url, site_name=name, publisher_name=str(publisher.get("name") or name),
                      publisher_url=str(publisher.get("url") or site_url))


class ConfigError(Exception):
    """mkdocs.yml is missing or unreadable; the build stops with this message."""


class IgnoreTagsLoader(yaml.SafeLoader):
    pass


IgnoreTagsLoader.add_multi_constructor("", lambda loader, suffix, node: None)
