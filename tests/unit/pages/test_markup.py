"""The parser-free shortcut for plain text gives exactly what the Markdown parser gives, and
`trusted_markup` (Markup without its Python constructor) exactly what `Markup` gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from contested.pages.markup import (
    inline_html,
    markdown_to_text,
    parse_inline_html,
    parse_markdown_to_text,
    trusted_markup,
)

# Letters, punctuation the shortcut lets through, and every character that must send text to the parser.
TEXT = st.text(st.sampled_from(list("ab Z9.,:;'\"#%$?-()/\t\u00a0\u2003é—") + list("\\*_`[]&<>!\n\r")),
               max_size=30)


@given(TEXT)
def test_inline_html_shortcut_matches_the_parser(text: str) -> None:
    assert inline_html(text) == parse_inline_html(text)


@given(TEXT)
def test_markdown_to_text_shortcut_matches_the_parser(text: str) -> None:
    assert markdown_to_text(text) == parse_markdown_to_text(text)


@given(TEXT)
def test_trusted_markup_is_markup(text: str) -> None:
    fast, made = trusted_markup(text), Markup(text)
    assert type(fast) is type(made) is Markup
    assert fast == made and str(fast) == str(made) and fast.__html__() == made.__html__()
    assert fast + "<" == made + "<"  # still escapes what is added to it
