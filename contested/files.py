"""The generated files in memory, as render makes them and publish writes them: neither side
owns the type, so it lives here."""

from __future__ import annotations

# Path inside the generated docs folder -> file content; None: the page is unchanged since the
# previous build, keep the file the docs folder holds.
Pages = dict[str, bytes | None]
