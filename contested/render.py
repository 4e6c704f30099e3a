"""Stage 4, render: view models through Jinja2 templates into Markdown pages, held in memory.

Editors' text reaches the pages only as escaped text or as HTML made by `markup.inline_html`,
inside HTML blocks that Python-Markdown passes through untouched, so no Markdown extension and no
template syntax can act on it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

from .views import SiteView

Pages = dict[str, bytes]  # path inside the generated docs folder -> file content


@functools.lru_cache(maxsize=4)
def make_environment(templates_dir: Path) -> jinja2.Environment:
    # Cached so repeated renders (serve, tests) reuse compiled templates; Jinja's auto_reload still
    # recompiles any template whose file changed.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_site(site: SiteView, templates_dir: Path, content_dir: Path) -> Pages:
    """Every page of the site: generated ones from templates, hand-written ones from content/."""
    env = make_environment(templates_dir)
    pages: Pages = {}

    def add(path: str, template: str, **context: Any) -> None:
        base = "../" * path.count("/") + ("../" if not path.endswith("index.md") else "")
        try:
            text = env.get_template(template).render(base=base, site=site, **context)
        except jinja2.TemplateError as exc:  # a template bug is the site's problem, not a crash of ours
            where = f"templates/{getattr(exc, 'name', None) or template}"
            line = getattr(exc, "lineno", None)
            raise RenderError(f"{where}{f':{line}' if line else ''}: {exc}") from exc
        pages[path] = text.encode("utf-8")

    add("index.md", "home.md.j2")
    add("stories/index.md", "stories.md.j2")
    for story in site.stories:
        add(f"stories/{story.summary.slug}.md", "story.md.j2", page=story)
    add("actors/index.md", "actors.md.j2")
    for actor in site.actors:
        add(f"actors/{actor.link.id}.md", "actor.md.j2", page=actor)
    if site.tags:
        add("tags/index.md", "tags.md.j2")
    for tag in site.tags:
        add(f"tags/{tag.tag}.md", "tag.md.j2", page=tag)
    pages.update(_content_pages(content_dir, pages))
    return pages


def _content_pages(content_dir: Path, generated: Pages) -> Pages:
    """Hand-written pages, copied as they are; a clash with a generated page is an error."""
    out: Pages = {}
    for path in sorted(content_dir.rglob("*")) if content_dir.is_dir() else []:
        if path.is_file() and not path.name.startswith("."):
            rel = path.relative_to(content_dir).as_posix()
            if rel in generated:
                raise RenderError(f"content/{rel} has the same path as a generated page; rename it")
            out[rel] = path.read_bytes()
    return out


class RenderError(Exception):
    """A template or content problem that stops the build."""
