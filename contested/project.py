"""Where a project's inputs and outputs live. Every stage takes paths from here, nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
    def lock_file(self) -> Path:
        """Held by the one build running on this project (build/lock.py)."""
        return self.work_dir / "lock"

    @property
    def cache_dir(self) -> Path:
        """What the last build knew (cache.py)."""
        return self.work_dir / "cache"

    @property
    def compiled_templates_dir(self) -> Path:
        """The templates' compiled code, kept for the next build (render.make_environment)."""
        return self.cache_dir / "templates"
