"""The preview's engine process: MkDocs imported once, then one build per request, in order.

Reads JSON lines {"site_dir": str, "dirty": bool} on stdin; answers each, when its build has
finished, with {"said": [the engine's warnings and errors]} on stdout (empty: it worked). A
warning fails the build, as `mkdocs build --strict` does for `build`. Run by engine.PreviewEngine.
"""

from __future__ import annotations

import json
import logging
import os
import sys

# MkDocs' own note on dirty builds is meant for its developers: the preview rebuilds only changed
# pages on purpose, and rebuilds everything when pages come or go (serve.py).
_DEVELOPER_NOTES = ("A 'dirty' build is being performed",)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_DEVELOPER_NOTES):
            self.said.append(f"{record.levelname}: {message}")


def main(config_file: str) -> None:
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything else printed goes to the log, never into the replies
    collect = _Collect()
    engine_log = logging.getLogger("mkdocs")
    engine_log.addHandler(collect)
    engine_log.setLevel(logging.INFO)
    engine_log.propagate = False
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for line in sys.stdin:
        request = json.loads(line)
        collect.said.clear()
        try:
            config = load_config(config_file, site_dir=request["site_dir"])
            config.plugins.on_startup(command="build", dirty=request["dirty"])
            try:
                build(config, dirty=request["dirty"])
            finally:
                config.plugins.on_shutdown()
        except Exception as exc:  # the engine's failure is reported, the worker lives on
            collect.said.append(f"ERROR: {type(exc).__name__}: {exc}")
        replies.write(json.dumps({"said": collect.said}) + "\n")
        replies.flush()


if __name__ == "__main__":
    main(sys.argv[1])
