"""Stage 4, render: view models through Jinja2 templates into Markdown pages, held in memory.

Editors' text reaches the pages only as escaped text or as HTML made by `markup.inline_html`,
inside HTML blocks that Python-Markdown passes through untouched, so no Markdown extension and no
template syntax can act on it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2

from .exports import SiteExports
from .views import SiteView

Pages = dict[str, bytes]  # path inside the generated docs folder -> file content


def make_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_site(site: SiteView, templates_dir: Path, content_dir: Path,
                exports: SiteExports | None = None) -> Pages:
    """Every page of the site: generated ones from templates, hand-written ones from content/,
    and, given `exports`, the open data files, the feed and each story's JSON-LD."""
    env = make_environment(templates_dir)
    pages: Pages = {}

    def add(path: str, template: str, **context: Any) -> None:
        base = "../" * path.count("/") + ("../" if not path.endswith("index.md") else "")
        try:
            text = env.get_template(template).render(base=base, site=site, **context)
        except jinja2.TemplateError as exc:
            raise RenderError(_template_error(exc, templates_dir, template)) from exc
        pages[path] = text.encode("utf-8")

    add("index.md", "home.md.j2")
    add("stories/index.md", "stories.md.j2")
    for story in site.stories:
        jsonld = exports.jsonld[story.summary.slug] if exports else ""
        add(f"stories/{story.summary.slug}.md", "story.md.j2", page=story, jsonld=jsonld)
    add("actors/index.md", "actors.md.j2")
    for actor in site.actors:
        add(f"actors/{actor.link.id}.md", "actor.md.j2", page=actor)
    if site.tags:
        add("tags/index.md", "tags.md.j2")
    for tag in site.tags:
        add(f"tags/{tag.tag}.md", "tag.md.j2", page=tag)
    if exports:
        pages.update(_export_files(exports, env))
    pages.update(_content_pages(content_dir, pages))
    return pages


def _export_files(exports: SiteExports, env: jinja2.Environment) -> Pages:
    """The open data as JSON files and the Atom feed; the engine copies them as they are."""
    out: Pages = {path: (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
                  for path, value in exports.files.items()}
    out["feed.xml"] = env.get_template("feed.xml.j2").render(feed=exports.feed).encode("utf-8")
    return out


def _template_error(exc: jinja2.TemplateError, templates_dir: Path, template: str) -> str:
    """'templates/story.md.j2:12: <message>': a template slip is the site's to fix, not a crash."""
    name, line = template, None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name, line = exc.name or template, exc.lineno
    else:  # runtime errors (StrictUndefined): Jinja maps the failing frame back to the template line
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if Path(filename).is_relative_to(templates_dir):
                name, line = Path(filename).relative_to(templates_dir).as_posix(), tb.tb_lineno
            tb = tb.tb_next
    where = f"{templates_dir.name}/{name}" + (f":{line}" if line else "")
    return f"{where}: {exc.message or type(exc).__name__}"


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
