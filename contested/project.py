"""Where a project's inputs and outputs live. Every stage takes paths from here, nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from contested.exports.story import SiteConfig


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def data_dir(self) -> Path:
        return self.root / "site_data"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def work_dir(self) -> Path:
        """Generated, never committed: the Markdown pages and sites being built."""
        return self.root / ".build"

    @property
    def docs_dir(self) -> Path:
        return self.work_dir / "docs"  # must match docs_dir in mkdocs.yml

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def cache_dir(self) -> Path:
        """What the last build knew (cache.py)."""
        return self.work_dir / "cache"

    @property
    def compiled_templates_dir(self) -> Path:
        """The templates' compiled code, kept for the next build (render.make_environment)."""
        return self.cache_dir / "templates"


def read_site_config(config_file: Path) -> SiteConfig:
    """site_url, site_name and extra.publisher from mkdocs.yml, for absolute URLs in the exports.

    Read with a safe loader that ignores tags such as `!!python/name:` (their values are not needed
    here), so a theme extension configured in mkdocs.yml cannot stop or run code in our build."""
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_IgnoreTagsLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{config_file.name} cannot be read: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_file.name} must be a mapping of settings (key: value lines)")
    site_url = str(raw.get("site_url") or "/")
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    extra = raw.get("extra") if isinstance(raw.get("extra"), dict) else {}
    publisher = extra.get("publisher") if isinstance(extra.get("publisher"), dict) else {}
    name = str(raw.get("site_name") or "")
    return SiteConfig(site_url=site_url, site_name=name, publisher_name=str(publisher.get("name") or name),
                      publisher_url=str(publisher.get("url") or site_url))


class ConfigError(Exception):
    """mkdocs.yml is missing or unreadable; the build stops with this message."""


class _IgnoreTagsLoader(yaml.SafeLoader):
    pass


_IgnoreTagsLoader.add_multi_constructor("", lambda loader, suffix, node: None)
