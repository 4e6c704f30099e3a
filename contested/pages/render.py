"""Stage 4, render: view models through Jinja2 templates into Markdown pages, held in memory.

Editors' text reaches the pages only as escaped text or as HTML made by `markup.inline_html`,
inside HTML blocks that Python-Markdown passes through untouched, so no Markdown extension and no
template syntax can act on it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from contested.content.labels import in_text
from contested.exports.listing import SiteExports
from contested.files import OutputTooLarge, Pages
from contested.pages.views import (
    ActorLink,
    ClaimGroup,
    DateView,
    LabelStep,
    ResponseView,
    SiteView,
    SourceLink,
    StoryPage,
)


@functools.lru_cache(maxsize=4)
def make_environment(templates_dir: Path, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """The templates' environment. Cached so repeated renders (serve, tests) reuse compiled
    templates; Jinja's auto_reload still recompiles any template whose file changed. With
    `bytecode_dir`, compiled templates are kept there for the next build's process too (keyed by
    the template's source, so never stale): compiling them costs more than a small build."""
    cache = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        bytecode_cache=cache,
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_html"] = date_html
    env.filters["cite_html"] = cite_html
    env.filters["refs_html"] = refs_html
    env.filters["replies_html"] = replies_html
    env.filters["history_html"] = history_html
    env.filters["response_html"] = response_html
    env.filters["actor_html"] = actor_html
    env.filters["actor_text"] = actor_text
    return env


# Markup repeated on every story page, as filters: a Jinja macro call costs far more than the
# markup it writes, a filter no more than the inline template code it replaces.
def date_html(date: DateView) -> Markup:
    """A date as <time>, or as the words shown for an unknown date. A source's own wording says
    whose words they are and what they are relative to: "earlier this month (as source 1 puts it;
    its date is not given)"."""
    if date.iso:
        return Markup(f'<time datetime="{escape(date.iso)}">{escape(date.text)}</time>')
    if date.given_in is not None:
        when = f"it is dated {escape(date.given_in_date)}" if date.given_in_date else "its date is not given"
        return Markup(f'<span class="ct-date-unknown">{escape(date.text)}</span> <span class="ct-relative">'
                      f'(as source {_ref(date.given_in)} puts it; {when})</span>')
    return Markup(f'<span class="ct-date-unknown">{escape(date.text)}</span>')


def _ref(src: SourceLink) -> str:
    """A numbered reference to the story's source list; the title shows on hover, printed once."""
    return f'<a class="ct-ref" href="#{escape(src.anchor)}" title="{escape(src.label)}">{src.number}</a>'


def cite_html(sources: Sequence[SourceLink]) -> Markup:
    """'[1, 3]': numbered references to the story's source list."""
    if not sources:
        return Markup("")
    refs = ", ".join(map(_ref, sources))
    return Markup(f'<span class="ct-cite">[<span class="ct-sr">source{"s" if len(sources) > 1 else ""} '
                  f'</span>{refs}]</span>')


def refs_html(sources: Sequence[SourceLink], one: str = "source", many: str = "sources") -> Markup:
    """'source 1', 'sources 2, 3 and 4', each number a link to the source list."""
    refs = [_ref(src) for src in sources]
    listed = refs[0] if len(refs) == 1 else f"{', '.join(refs[:-1])} and {refs[-1]}"
    return Markup(f"{one if len(refs) == 1 else many} {listed}")


def history_html(steps: Sequence[LabelStep]) -> Markup:
    """'unconfirmed from 14 November 2025; corroborated from 18 November 2025: the audit's figures.'"""
    parts = [f"{escape(h.label.lower())} from {date_html(h.date)}"
             + (f": {h.note_html}" if h.note_html else "") for h in steps]
    text = "; ".join(parts)
    return Markup(text if text.rstrip().endswith((".", "!", "?")) else text + ".")


def replies_html(group: ClaimGroup) -> Markup:
    """What a claim's (or a group of claims') replies are: links to where each is printed, and a
    sentence for each party whose reply is absent ("No response from Apple is reported.")."""
    parts = []
    if group.replies:
        said = "; ".join(
            f'<a href="#{escape(r.anchor)}">{escape(actor_text(r.actor))} {escape(r.stance_label)}</a>'
            + (f" ({r.count} statements)" if r.count > 1 else "") for r in group.replies)
        parts.append(f"Replies to {escape(group.noun)}: {said}.")
    parts += [f"{escape(r.sentence)[:-1]} {cite_html(r.sources)}." if r.sources else escape(r.sentence)
              for r in group.silences]
    if not parts:
        parts.append(f"No reply to {escape(group.noun)} is recorded.")
    return Markup(f'<p class="ct-replies">{" ".join(parts)}</p>')


def actor_text(actor: ActorLink, start: bool = False) -> str:
    """An actor's name inside a sentence, with its article: 'the Pentagon', or 'The Pentagon' with
    `start`. Headings, lists and tables of names print `actor.name` alone."""
    return in_text(actor.name, actor.article, start)


def actor_html(actor: ActorLink, base: str, start: bool = False) -> Markup:
    """`actor_text`, the name linked to the actor's page when it has one: 'The <a>Pentagon</a>'."""
    name = escape(actor.name)
    if actor.url:
        name = Markup(f'<a href="{escape(base)}{escape(actor.url)}">{name}</a>')
    return Markup(in_text(name, actor.article, start))


def response_html(r: ResponseView, base: str) -> Markup:
    """One reply, printed once, with every claim it answers."""
    actor = actor_html(r.actor, base, start=True)
    claims = [f'<a href="#{escape(c.anchor)}">{escape(c.label)}</a>' for c in r.claims]
    listed = claims[0] if len(claims) == 1 else f"{', '.join(claims[:-1])} and {claims[-1]}"
    when = f' (<time datetime="{escape(r.date.iso)}">{escape(r.date.text)}</time>)' if r.date.iso else ""
    text = f" {r.text_html}" if r.text_html else ""
    quote = f'<blockquote class="ct-quote"><p>“{escape(r.quote)}”</p></blockquote>' if r.quote else ""
    return Markup(f'<li id="{escape(r.anchor)}" class="ct-response ct-response--{escape(r.stance)}"><strong>'
                  f'{actor} <span class="ct-stance">{escape(r.stance_label)}</span></strong>: {listed}{when}.'
                  f'{text} {cite_html(r.sources)}{quote}</li>')


def render_site(site: SiteView, templates_dir: Path, content_dir: Path,
                exports: SiteExports | None = None, previous: SiteView | None = None,
                bytecode_dir: Path | None = None, story_paths: frozenset[str] = frozenset()) -> Pages:
    """The pages shared by many stories (indexes, actor, tag and year pages) from templates, the
    hand-written pages from content/, and, given `exports`, the site-wide data files and the feed.
    Each story's own page comes from `render_story`; `story_paths` are the stories' files, which
    no other page may overwrite.

    `previous` is the view the docs folder was last rendered from, by these same templates and this
    same code (the caller guarantees it): a page whose view model equals its previous one is not
    rendered again, and its entry is None. Only the index pages see the whole site; an actor or
    tag page sees its own view model alone, so that model is everything the page depends on.
    """
    env = make_environment(templates_dir, bytecode_dir)
    before = {path: context for path, _, context in page_specs(previous)} if previous else {}
    pages: Pages = {}
    for path, template, context in page_specs(site):
        if path in before and before[path] == context:
            pages[path] = None
            continue
        pages[path] = _render(env, templates_dir, path, template, context)
    if exports:
        pages.update(_export_files(exports, env))
    clash = sorted(story_paths & pages.keys())
    if clash:  # validation refuses the slugs that would do this; kept as the last line of defence
        raise RenderError(f"a story's file {clash[0]} has the same path as a page of the site; "
                          "rename the story")
    pages.update(_content_pages(content_dir, pages.keys() | story_paths))
    return pages


def render_story(page: StoryPage, templates_dir: Path, bytecode_dir: Path | None = None,
                 limit: int | None = None) -> tuple[str, bytes]:
    """One story's page: (its path in the docs folder, its Markdown). With `limit`, a page that
    would be larger is refused (`OutputTooLarge`) as soon as it passes the limit, unfinished."""
    path = f"stories/{page.summary.slug}.md"
    env = make_environment(templates_dir, bytecode_dir)
    return path, _render(env, templates_dir, path, "story.md.j2", {"page": page}, limit)


def render_redirect(old_slug: str, page: StoryPage) -> tuple[str, bytes]:
    """A story's old address (`formerly:`): a page the engine copies as it is, sending readers on to
    the story's address without a script. Fragments are not carried over: an old link to a claim
    lands at the top of the story."""
    target = f"../{page.summary.slug}/"
    title = escape(page.meta_title)
    html = (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<title>Moved: {title}</title>\n<meta name="robots" content="noindex">\n'
            f'<link rel="canonical" href="{target}">\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n</head>\n<body>\n'
            f'<p>This story has moved: <a href="{target}">{title}</a>.</p>\n</body>\n</html>\n')
    return f"stories/{old_slug}/index.html", html.encode("utf-8")


def _render(env: jinja2.Environment, templates_dir: Path, path: str, template: str,
            context: dict[str, Any], limit: int | None = None) -> bytes:
    base = "../" * path.count("/") + ("../" if not path.endswith("index.md") else "")
    try:
        compiled = env.get_template(template)
        if limit is None:
            return compiled.render(base=base, **context).encode("utf-8")
        # Streamed, so a page of repeated text stops at its limit instead of filling memory.
        parts, size = [], 0
        for part in compiled.generate(base=base, **context):
            size += len(part)  # characters: at most the bytes
            if size > limit:
                raise OutputTooLarge(path, limit)
            parts.append(part)
        data = "".join(parts).encode("utf-8")
    except jinja2.TemplateError as exc:
        raise RenderError(_template_error(exc, templates_dir, template)) from exc
    if len(data) > limit:
        raise OutputTooLarge(path, limit)
    return data


def page_specs(site: SiteView) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, template, context) of every page shared by many stories."""
    yield "index.md", "home.md.j2", {"site": site}
    yield "stories/index.md", "stories.md.j2", {"site": site}
    yield "actors/index.md", "actors.md.j2", {"site": site}
    for actor in site.actors:
        yield f"actors/{actor.link.id}.md", "actor.md.j2", {"page": actor}
    for year in site.years:
        yield f"{year.url[:-1]}.md", "year.md.j2", {"page": year}
    yield "tags/index.md", "tags.md.j2", {"site": site}  # always: the nav links to it
    for tag in site.tags:
        yield f"tags/{tag.tag}.md", "tag.md.j2", {"page": tag}


def _export_files(exports: SiteExports, env: jinja2.Environment) -> Pages:
    """The open data files (already serialised) and the Atom feed; the engine copies them as
    they are."""
    out: Pages = dict(exports.files)
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


def _content_pages(content_dir: Path, generated: set[str]) -> Pages:
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
