#!/usr/bin/env python3
"""Contested's entry point: `python build.py check|build|serve|new|schema` (see --help).

Works however it is called (`python build.py`, `python3 build.py`, `./build.py`, an IDE's hook):
when this interpreter is not the project's `.venv` and that exists, it re-executes itself there;
when the packages are missing all the same, it says in one line how to install them."""

from __future__ import annotations  # runs under an old system Python too, to explain

import contextlib
import os
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / ".venv"
# Set in the re-executed process, so a .venv that is not what sys.prefix says can never loop.
REEXEC_MARKER = "CONTESTED_REEXECUTED"
EXIT_NO_ENVIRONMENT = 69  # EX_UNAVAILABLE: the packages Contested needs are not installed


def _venv_python() -> Path | None:
    """The project's .venv interpreter to re-execute into, or None to stay in this one."""
    python = VENV / "bin" / "python"
    if os.environ.get(REEXEC_MARKER) or not python.is_file():
        return None
    if Path(sys.prefix).resolve() == VENV.resolve():
        return None  # already the project's environment
    return python


def _launch() -> int:
    python = _venv_python()
    if python is not None:
        os.environ[REEXEC_MARKER] = "1"
        # A broken .venv (its Python removed) cannot be run: the import below explains.
        with contextlib.suppress(OSError):
            os.execv(python, [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
    try:
        from contested.cli import main
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] == "contested":
            raise  # our own module missing is a bug, not a missing installation
        where = "the project's .venv" if os.environ.get(REEXEC_MARKER) else sys.executable
        print(f"build.py: {where} lacks the package '{exc.name}': run `make setup` to create .venv "
              f"with everything Contested needs, then run build.py again", file=sys.stderr)
        return EXIT_NO_ENVIRONMENT
    return main()


if __name__ == "__main__":
    sys.exit(_launch())
