"""EDITORS.md explains every message an editor can meet: a new diagnostic code fails this test
until the guide says what it means and how to fix it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from support import REPO

GUIDE = REPO / "EDITORS.md"
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
REPORTING = {"error", "warning", "_warn"}  # Report.error/.warning, _Ctx.error, lint._warn


def _code_arg(call: ast.Call) -> ast.expr | None:
    """The diagnostic code: the `code=` keyword or the first string argument of the call."""
    for keyword in call.keywords:
        if keyword.arg == "code":
            return keyword.value
    return next((a for a in call.args if isinstance(a, (ast.Constant, ast.JoinedStr))
                 and (not isinstance(a, ast.Constant) or isinstance(a.value, str))), None)


def _pattern(node: ast.expr) -> str:
    """A regex for the codes the expression can produce: f"unknown-{kind}" -> unknown-[a-z0-9-]+."""
    if isinstance(node, ast.Constant):
        return node.value  # codes hold no regex metacharacters: see the CODE check below
    parts = [v.value if isinstance(v, ast.Constant) else "[a-z0-9-]+" for v in node.values]
    return "".join(parts)


def codes_in_source() -> dict[str, str]:
    """Every code the package reports, as a regex, with where it is reported."""
    found = {}
    for path in sorted((REPO / "contested").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            arg = _code_arg(node) if name in REPORTING else None
            if arg is not None:
                found[_pattern(arg)] = f"{path.name}:{node.lineno}"
    return found


def codes_in_guide() -> set[str]:
    """Codes named at the start of each item ("- `code`, `code`: what it means …")."""
    section = GUIDE.read_text().split("## Every message, and how to fix it", 1)[1]
    return {code for line in section.splitlines() if line.startswith("- `")
            for code in re.findall(r"`([a-z0-9-]+)`", line.split(":", 1)[0])}


def test_the_scan_finds_the_codes_we_know():
    patterns = codes_in_source()
    assert len(patterns) >= 40
    for known in ("placeholder", "loaded-word", "bad-date", "yaml-syntax", "unknown-[a-z0-9-]+"):
        assert known in patterns, known
    # Every code is a code (lowercase-hyphenated), not a message passed in the wrong place.
    assert all(CODE.match(p.replace("[a-z0-9-]+", "x")) for p in patterns)


def test_every_code_is_explained_in_the_guide():
    documented = codes_in_guide()
    missing = {p: where for p, where in codes_in_source().items()
               if not any(re.fullmatch(p, code) for code in documented)}
    assert not missing, f"add these codes to EDITORS.md, with their fix: {missing}"


def test_the_guide_explains_no_code_that_does_not_exist():
    patterns = codes_in_source()
    stale = {code for code in codes_in_guide() if not any(re.fullmatch(p, code) for p in patterns)}
    # unknown-actor/-source/-claim come from one f-string; anything else must be reported somewhere.
    assert not stale, f"EDITORS.md documents codes the code never reports: {sorted(stale)}"


def test_the_guide_covers_the_workflow():
    text = GUIDE.read_text()
    for needed in ("build.py new", "make serve", "make check", "kind: correction", "stance: denies",
                   "claims:", "pre-commit install", "--strict"):
        assert needed in text, needed
    links = re.findall(r"\]\(([^)#]+)\)", text)
    assert "content/how-we-label-claims.md" in links
    assert all((REPO / link).is_file() for link in links if not link.startswith("http"))


def test_the_guide_is_not_part_of_the_site():
    assert not (REPO / "content" / "EDITORS.md").exists()
    assert GUIDE.parent == Path(REPO)
