"""Contested: explainer pages for contested news stories, built from editors' YAML."""

__version__ = "0.1.0"
