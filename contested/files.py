"""The generated files in memory, as render makes them and publish writes them: neither side
owns the type, so it lives here."""

from __future__ import annotations

# Path inside the generated docs folder -> file content; None: the page is unchanged since the
# previous build, keep the file the docs folder holds.
Pages = dict[str, bytes | None]


# --- bounded output ------------------------------------------------------------------------------
# Every file a story makes (its page, its data files, its JSON-LD) is at most this multiple of its
# story file's bytes plus an allowance for the page's fixed parts. Measured (bench/bounded_work.py):
# the bundled story's page is 3 times its file, a story of 1,000 one-line claims 13 times, a stance
# table of 100 actors × 100 claims 35 times a file of 16 KB (within the allowance). A reference
# repeated from many places (a long label cited everywhere, a stance table of many more actors ×
# claims) makes far more, growing with the square of the file: it is refused before it is made in
# full, so no build runs out of memory.
OUTPUT_MULTIPLE = 25
OUTPUT_ALLOWANCE = 256 * 1024


def output_limit(source_bytes: int) -> int:
    """The most bytes any one file made from a story file of `source_bytes` may have."""
    return OUTPUT_MULTIPLE * source_bytes + OUTPUT_ALLOWANCE


class OutputTooLarge(Exception):
    """A file made from a story would exceed its limit; raised before it is made in full."""

    def __init__(self, path: str, limit: int):
        super().__init__(f"{path} would be larger than {limit:,} bytes")
        self.path, self.limit = path, limit


def json_size(value: object, limit: int) -> int:
    """At least the bytes `value` takes as compact JSON, found without writing it: a list or dict
    that appears in many places is measured once (memo), so this is linear in the references
    however large the written JSON would be. Stops counting once past `limit`."""
    memo: dict[int, int] = {}

    def size(item: object) -> int:
        if isinstance(item, str):
            return len(item) + 2
        if isinstance(item, (dict, list, tuple)):
            known = memo.get(id(item))
            if known is None:
                parts = item.items() if isinstance(item, dict) else enumerate(item)
                known = 2
                for key, sub in parts:
                    known += size(sub) + 1 + (len(key) + 3 if isinstance(key, str) else 0)
                    if known > limit:
                        break
                memo[id(item)] = known
            return known
        return len(str(item))

    return size(value)


def check_json_size(path: str, value: object, limit: int | None) -> None:
    """Refuse to write `value` as `path` when it would exceed `limit` (None: no limit)."""
    if limit is not None and json_size(value, limit) > limit:
        raise OutputTooLarge(path, limit)
