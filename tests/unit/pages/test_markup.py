"""The parser-free shortcut for plain text gives exactly what the Markdown parser gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from contested.pages.markup import inline_html, parse_inline_html, parse_plain_text, plain_text

# Letters, punctuation the shortcut lets through, and every character that must send text to the parser.
TEXT = st.text(st.sampled_from(list("ab Z9.,:;'\"#%$?-()/\t\u00a0\u2003é—") + list("\\*_`[]&<>!\n\r")),
               max_size=30)


@given(TEXT)
def test_inline_html_shortcut_matches_the_parser(text: str) -> None:
    assert inline_html(text) == parse_inline_html(text)


@given(TEXT)
def test_plain_text_shortcut_matches_the_parser(text: str) -> None:
    assert plain_text(text) == parse_plain_text(text)
