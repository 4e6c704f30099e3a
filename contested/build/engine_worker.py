"""The preview's engine process: the site engine (MkDocs or ProperDocs, as mkdocs.yml's
`extra.site_engine` says) imported once, then one build per request, in order.

Reads JSON lines {"site_dir": str, "dirty": bool} on stdin; answers each, when its build has
finished, with {"said": [the engine's warnings and errors]} on stdout (empty: it worked). A
warning fails the build, as `mkdocs build --strict` does for `build`. Run by engine.PreviewEngine.
"""

from __future__ import annotations

import importlib
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


def main(config_file: str, engine: str) -> None:
    """`engine`: the engine's package, checked by config.read_engine_name (ProperDocs keeps
    MkDocs' module layout and logger under its own name)."""
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything else printed goes to the log, never into the replies
    collect = _Collect()
    engine_log = logging.getLogger(engine)
    engine_log.addHandler(collect)
    engine_log.setLevel(logging.INFO)
    engine_log.propagate = False
    build = importlib.import_module(f"{engine}.commands.build").build
    load_config = importlib.import_module(f"{engine}.config").load_config

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
    main(sys.argv[1], sys.argv[2])
