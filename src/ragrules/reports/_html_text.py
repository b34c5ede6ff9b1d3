"""Text written into an HTML page: words a reader sees, and attribute values a tool reads back."""

from __future__ import annotations

from html import escape

from ragrules.model._text import shown_in_text


def page_text(text: str) -> str:
    r"""Text a reader sees, escaped for HTML: line breaks and tabs as spaces (as a browser
    shows them), other control, escape and bidi characters as `\x1b`, `\u202e` (as the
    Markdown report and the terminal show them), so an override in a title, status word or
    data value cannot reorder the words and numbers beside it."""
    return escape(shown_in_text(text))


def attribute_value(text: str) -> str:
    """An attribute's value, escaped for HTML and otherwise exactly as given: `audit
    --published` reads the page's areas and series back from them."""
    return escape(text)
