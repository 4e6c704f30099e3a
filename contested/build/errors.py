"""The build's own errors, below every stage that raises them."""


class PublishError(Exception):
    """Generated files could not be written, the engine failed, or its output was refused: `site/`
    is untouched."""
