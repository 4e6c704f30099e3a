"""The build's own errors, below every stage that raises them."""


class PublishError(Exception):
    """Generated files could not be written, the engine failed, or its output was refused: `site/`
    is untouched."""


class HostError(PublishError):
    """The machine failed the build (disk full, out of memory, permissions, a busy or read-only
    folder): not a mistake in the data and not a bug in Contested. `site/` is untouched."""
