"""files.text_size, the measure that refuses a story's output before it is made: at least the
characters JSON would print, a part shared by many places counted for each of them, and a limit that
stops the count without changing whether a value is over it."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from contested.files import OutputTooLarge, check_size, text_size

# Text JSON prints as it is (no escapes), so its length is exactly what text_size counts for it.
_TEXT = st.text(alphabet="abc xyz-é→", max_size=12)
_SCALAR = st.one_of(_TEXT, st.integers(), st.booleans(), st.none())
_TREE = st.recursive(_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                      st.dictionaries(_TEXT, inner, max_size=5)),
                     max_leaves=40)


def _printed(value: object) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


@given(_TREE)
@settings(max_examples=300, deadline=None)
def test_it_is_at_least_what_json_prints(value: object) -> None:
    assert text_size(value, sys.maxsize) >= _printed(value)


@given(_TREE, st.integers(min_value=0, max_value=400))
@settings(max_examples=300, deadline=None)
def test_a_limit_stops_the_count_but_not_the_verdict(value: object, limit: int) -> None:
    full = text_size(value, sys.maxsize)
    capped = text_size(value, limit)
    assert (capped > limit) == (full > limit)
    if full <= limit:
        assert capped == full


def test_a_part_shared_by_many_places_counts_for_each() -> None:
    label = "x" * 1_000
    shared = {"label": label, "sources": [label, label]}
    value = [shared] * 5_000  # 15 MB if printed, one object in memory
    assert text_size(value, sys.maxsize) >= 5_000 * _printed(shared)
    with pytest.raises(OutputTooLarge) as refused:  # 15 MB of output against a 1 MB limit
        check_size("story.json", value, 1_000_000)
    assert refused.value.limit == 1_000_000 and "story.json" in str(refused.value)
    check_size("story.json", value, None)  # no limit: nothing refused


@dataclass
class _View:
    title: Markup
    items: tuple[str, ...]
    count: int


def test_views_and_markup_are_measured_like_the_text_they_print() -> None:
    view = _View(Markup("<b>Title</b>"), ("one", "two"), 12)
    assert text_size(view, sys.maxsize) >= len("<b>Title</b>") + len("one") + len("two") + len("12")
    assert text_size([view, view], sys.maxsize) >= 2 * text_size(view, sys.maxsize)
