"""Problems found in editors' files, kept as data so any reporter can print them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place in one file. Lines and columns are 1-based."""

    file: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""
    path: str = ""  # data path inside the file, e.g. "claims[2].claimant"


@dataclass
class Report:
    """Diagnostics collected by every stage; stages append and never stop at the first."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, file: str, line: int, col: int, code: str, message: str,
              hint: str = "", path: str = "") -> None:
        self.items.append(Diagnostic(file, line, col, "error", code, message, hint, path))

    def warning(self, file: str, line: int, col: int, code: str, message: str,
                hint: str = "", path: str = "") -> None:
        self.items.append(Diagnostic(file, line, col, "warning", code, message, hint, path))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.items.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def hold_back_warnings(self) -> None:
        """With errors, drop the warnings: they are listed once the errors are fixed, rather than
        bury them (a large archive has thousands)."""
        if self.errors:
            self.items = self.errors

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))

    def failed(self, strict: bool = False) -> bool:
        """The one place that decides whether a check failed."""
        return bool(self.errors) or (strict and bool(self.warnings))


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, if any is close enough to be a likely typo."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A '; did you mean …?' suffix naming the closest choice, or '' when none is close."""
    match = closest(word, choices)
    return f"; did you mean '{match}'?" if match else ""
