"""Small helpers for the English of messages and pages, shared by the build, its reports and the
pages without either importing the other."""

from __future__ import annotations


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """'1 story', '2 stories': counts in messages read as English."""
    return f"{n} {noun if n == 1 else (nouns or noun + 's')}"
