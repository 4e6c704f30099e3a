"""`build.py check --against REF`: addresses readers' links use are never lost.

A story's slug is its page's address and a claim's id is its anchor (`#claim-<id>`); both are
published, linked to and cited. Every slug and claim id the data had at git ref REF must still be
there, or be listed in `formerly:` where it went (the story that replaces an old slug, the claim
that replaces an old id): the site then sends the old address on (render.render_redirect, and an
anchor kept beside the claim). Stories are read as trees (load), so a story with errors of its own
is still compared by what it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from contested.content.load import Document, Mapping, Scalar, Sequence, display_name, load_document, load_text
from contested.diagnostics import Report
from contested.selection import SelectionError, git


@dataclass
class Addresses:
    """What one story file holds that links point to."""

    name: str  # the file as messages name it
    claims: set[str] = field(default_factory=set)  # claim ids, and the old ids claims list in `formerly:`
    formerly: list[str] = field(default_factory=list)  # old slugs this story lists
    at: tuple[int, int] = (1, 1)  # where its `claims:` key is written
    readable: bool = True  # False: the file has errors that kept it from being read


def addresses_at(ref: str, data_dir: Path, root: Path) -> dict[str, Addresses]:
    """Each story's addresses at git ref `ref`, by slug. Raises SelectionError (a usage error)
    when `ref` is not a commit of the repository holding `root`."""
    if not ref or ref.startswith("-"):
        raise SelectionError(f"--against '{ref}': give a git ref, e.g. origin/main")
    git(root, "--against", "rev-parse", "--git-dir")
    try:
        git(root, "--against", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except SelectionError:
        raise SelectionError(f"--against {ref}: git knows no such commit (for a branch of the remote, "
                             "run `git fetch` first)") from None
    folder = display_name(data_dir / "stories", root)
    listed = git(root, "--against", "ls-tree", "-z", "--name-only", ref, "--", f"{folder}/")
    out: dict[str, Addresses] = {}
    for name in sorted(n for n in listed.split("\0") if n.endswith(".yaml")):
        text = git(root, "--against", "show", f"{ref}:./{name}")
        doc = load_text(text, root / name, name, Report())  # its old problems are not ours to report
        out[PurePosixPath(name).stem] = _addresses(doc)
    return out


def addresses_now(files: list[tuple[Path, str]]) -> dict[str, Addresses]:
    """Each story's addresses in the working tree, by slug."""
    return {path.stem: _addresses(load_document(path, name, Report())) for path, name in files}


def check_kept(before: dict[str, Addresses], now: dict[str, Addresses], ref: str, report: Report) -> None:
    """An error for every slug and claim id of `before` that `now` has lost."""
    moved_to = {old: slug for slug, story in now.items() for old in story.formerly}
    for slug, old in before.items():
        current = now.get(slug) or now.get(moved_to.get(slug, ""))
        for gone in [slug, *old.formerly]:  # an address it redirected from is kept too
            if gone not in now and gone not in moved_to:
                report.error(current.name if current else old.name, 1, 1, "story-removed",
                             f"story '{gone}' exists at {ref} and is gone now: links to "
                             f"stories/{gone}/ would break",
                             f"keep the story, or add `formerly: [{gone}]` to the story that replaces it "
                             "(its old address then sends readers there)")
        if current is None or not current.readable or not old.readable:
            continue  # reported above, or its own errors are reported by the check
        for claim in sorted(old.claims - current.claims):
            report.error(current.name, *current.at, "claim-removed",
                         f"claim '{claim}' exists at {ref} (in stories/{slug}/) and is gone now: "
                         f"links to #claim-{claim} would break",
                         f"keep its id, or add `formerly: [{claim}]` to the claim that replaces it")


def _addresses(doc: Document) -> Addresses:
    found = Addresses(doc.name, readable=isinstance(doc.root, Mapping))
    if not isinstance(doc.root, Mapping):
        return found
    found.formerly = _texts(doc.root.entries.get("formerly", (None, None))[1])
    key, claims = doc.root.entries.get("claims", (None, None))
    if key is not None:
        found.at = (key.line, key.col)
    for item in claims.items if isinstance(claims, Sequence) else []:
        if isinstance(item, Mapping):
            found.claims.update(_texts(item.entries.get("id", (None, None))[1]))
            found.claims.update(_texts(item.entries.get("formerly", (None, None))[1]))
    return found


def _texts(node: object) -> list[str]:
    """The text of a scalar, or of each scalar in a list."""
    items = node.items if isinstance(node, Sequence) else [node]
    return [item.value.strip() for item in items if isinstance(item, Scalar) and item.value.strip()]
