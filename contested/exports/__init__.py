"""Exports: open data, JSON-LD, TimelineJS and the feed, made from validated stories."""
