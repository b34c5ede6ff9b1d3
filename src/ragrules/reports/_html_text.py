"""Text written into an HTML page: words a reader sees, and attribute values a tool reads back."""

from __future__ import annotations

from html import escape

from ragrules.model._text import terminal_safe


def page_text(text: str) -> str:
    r"""Text a reader sees, escaped for HTML, with control, escape and bidi characters shown as
    `\x1b`, `\u202e` (as the Markdown report and the terminal show them): an override in a
    title, status word or data value cannot reorder the words and numbers beside it."""
    return escape(terminal_safe(text))


def attribute_value(text: str) -> str:
    """An attribute's value, escaped for HTML and otherwise exactly as given: `audit
    --published` reads the page's areas and series back from them."""
    return escape(text)
