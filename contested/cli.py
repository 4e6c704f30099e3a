"""Command line: `build.py check|build|serve|new|schema`. Parses arguments and calls the stages."""

from __future__ import annotations

import argparse
import errno
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from contested.build.errors import HostError, PublishError
from contested.build.pipeline import BuildLog, build
from contested.build.runner import check_site
from contested.config import ConfigError
from contested.content import schema
from contested.content.load import story_files
from contested.diagnostics import Report
from contested.pages.render import RenderError
from contested.permanent import addresses_at, addresses_now, check_kept
from contested.project import Project
from contested.report import focus_first, format_github, format_json, format_summary, format_text
from contested.selection import SelectionError, changed_files, named_files

# 74 (EX_IOERR): the machine failed us (disk, memory, permissions, a busy or read-only folder).
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL, EXIT_ENVIRONMENT = 0, 1, 2, 70, 74

# OSErrors that are the machine's state, not a bug of ours.
ENVIRONMENT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.ENOMEM, errno.EACCES, errno.EPERM,
                                errno.EBUSY, errno.EROFS, errno.EIO, errno.EMFILE, errno.ENFILE,
                                errno.EXDEV, errno.ETXTBSY})
ENVIRONMENT_HINT = ("This is the machine's state (disk space, memory, permissions, mounts), not a bug in "
                    "Contested nor a mistake in your files: fix it and run the command again.")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.command(args)
        return code
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        print(f"out of memory.\n{ENVIRONMENT_HINT}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except OSError as exc:
        if exc.errno not in ENVIRONMENT_ERRNOS:
            return _internal(exc)
        where = f": {exc.filename}" if exc.filename else ""
        print(f"cannot go on: {exc.strerror or exc}{where}\n{ENVIRONMENT_HINT}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except Exception as exc:
        return _internal(exc)


def _internal(exc: Exception) -> int:
    """Never a traceback for editors; the message says it is our bug."""
    print(f"internal error: {type(exc).__name__}: {exc}\n"
          "This is a bug in Contested, not in your files: please report it.", file=sys.stderr)
    return EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build Contested story pages.")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="project folder holding site_data/, content/, templates/ (default: .)")
    commands = parser.add_subparsers(title="commands", required=True)
    check = _command(commands, "check", "validate site_data/ and report every problem", run_check)
    check.add_argument("files", nargs="*", metavar="PATH|SLUG",
                       help="check just these stories (a file, or a story's slug) and the actors file")
    check.add_argument("--changed", metavar="REF",
                       help="check everything, the files that differ from git REF (and untracked ones) first")
    check.add_argument("--against", metavar="REF",
                       help="also fail when a story slug or claim id that git REF has is gone, unless "
                            "listed in `formerly:` where it went (pull requests: the base branch)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    build_cmd = _command(commands, "build", "check, then build the static site into site/", run_build)
    build_cmd.add_argument("--timings", choices=("text", "json"), default="text",
                       help="json: also print each stage's seconds as JSON on stdout (for benchmarks)")
    serve = _command(commands, "serve", "live preview: rebuild pages as files change", run_serve)
    serve.add_argument("--port", type=int, default=None,
                       help="the port to preview on (default: 8000, or the next free one if it is busy)")
    _command(commands, "schema", "print the JSON Schemas (story, actors) that editors' IDEs use",
             run_schema).add_argument("which", choices=("story", "actors"))
    _command(commands, "new", "start a story: write a commented skeleton to site_data/stories/<slug>.yaml",
             run_new).add_argument("slug", help="the story's permanent id, e.g. alibaba-pla-memo")
    return parser


def _command(commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_: str,
             run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=help_, description=help_)
    sub.set_defaults(command=run)
    return sub


def run_check(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    data_dir = root / "site_data"
    try:
        if args.files and args.changed is not None:
            raise SelectionError("give files to check or --changed REF, not both")
        if args.changed is not None:
            focus, only = changed_files(args.changed, data_dir, root), None
        elif args.files:
            focus = only = named_files(args.files, data_dir, root, Path.cwd())
        else:
            focus, only = [], None
        before = addresses_at(args.against, data_dir, root) if args.against is not None else None
    except SelectionError as exc:
        print(f"build.py check: {exc}", file=sys.stderr)
        return EXIT_USAGE
    result = check_site(data_dir, root, only=only)
    if before is not None:
        check_kept(before, addresses_now(story_files(data_dir, root, Report())), args.against, result.report)
        result.report.hold_back_warnings()
    items = focus_first(result.report.sorted(), focus)
    if args.format == "json":
        print(format_json(items))
    elif args.format == "github":
        if items:
            print(format_github(items, focus))
    else:
        if items:
            print(format_text(items, root), file=sys.stderr)
        print(format_summary(items, result.files), file=sys.stderr)
    return EXIT_PROBLEMS if result.report.failed(args.strict) else EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    project = Project(args.root.resolve())
    log = BuildLog()
    try:
        report = build(project, log)
    except HostError as exc:
        _print_warnings(log)
        print(f"build failed: {exc}\nsite/ was left as it was.\n{ENVIRONMENT_HINT}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except (ConfigError, PublishError, RenderError) as exc:
        _print_warnings(log)
        print(f"build failed: {exc}\nsite/ was left as it was.", file=sys.stderr)
        return EXIT_PROBLEMS
    errors = sorted(report.errors)
    if errors:
        print(format_text(errors, project.root), file=sys.stderr)
    print(log.format(), file=sys.stderr)
    if args.timings == "json":
        print(log.to_json())
    if report.warnings:
        print(f"{len(report.warnings)} warning(s): run `build.py check` to see them", file=sys.stderr)
    if report.errors:
        print("build stopped: fix the errors above; site/ was left as it was.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"built {project.site_dir}", file=sys.stderr)
    _print_warnings(log)  # after "built": the site was published all the same
    return EXIT_OK


def _print_warnings(log: BuildLog) -> None:
    for warning in log.warnings:
        print(f"warning: {warning}", file=sys.stderr)


def run_serve(args: argparse.Namespace) -> int:
    from contested.build.serve import serve  # imported here: only this command needs the preview machinery

    if args.port is not None and not 0 < args.port < 65536:
        print(f"build.py serve: --port {args.port} is not a port: give 1 to 65535", file=sys.stderr)
        return EXIT_USAGE
    return serve(Project(args.root.resolve()), "127.0.0.1", args.port)


def run_schema(args: argparse.Namespace) -> int:
    root: schema.Type
    if args.which == "story":
        root, title = schema.STORY, "Contested story"
    else:
        root, title = schema.ACTORS, "Contested actors"
    print(json.dumps(schema.json_schema(root, title), indent=2, ensure_ascii=False))
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    from contested.content.scaffold import ScaffoldError, create_story

    root = args.root.resolve()
    try:
        path = create_story(Project(root).data_dir, args.slug)
    except ScaffoldError as exc:
        print(f"not created: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    shown = path.relative_to(root).as_posix()
    print(f"created {shown}\n"
          f"next: replace every TODO in {shown}, then run `python build.py check` until it passes;\n"
          "      preview the page with `make serve`. How to write each part: EDITORS.md.", file=sys.stderr)
    return EXIT_OK
