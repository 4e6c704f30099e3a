#!/usr/bin/env python3
"""Contested's entry point: `python build.py check|build|serve|new|schema` (see --help)."""

import sys

from contested.cli import main

if __name__ == "__main__":
    sys.exit(main())
