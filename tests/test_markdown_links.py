"""No link from the data reaches a Markdown page: GFM's autolinks (a bare `https://...`, a
`www.` host, an e-mail address) are broken in escaped text, which still reads the same.

GFM's extended autolinks (github.github.com/gfm, "Autolinks (extension)", as cmark-gfm
finds them):
- a URL: `http://`, `https://` or `ftp://` (any case), found in the page's source as it is
  read, so a backslash before the `:` (an escape, which shows as nothing) breaks it;
- `www.`, found in the source where a line, a space or one of `*_~(` comes before it, so a
  backslash before the `.` breaks it;
- an e-mail address, found after the escapes and character references are read: one or more
  of `A-Za-z0-9.+_-`, an `@`, then a domain (`A-Za-z0-9_-` and `.`); cmark-gfm also takes a
  `mailto:` or `xmpp:` with nothing between it and the `@`. A word joiner (U+2060, written
  `&#8288;`) after the `@` breaks it: no domain starts with one.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ragrules.cli import main
from ragrules.reports import markdown
from ragrules.reports.markdown import _heading, _paragraph, _text

RULES = (
    '[ruleset]\nformat = 1\nid = "h"\ntitle = "See www.evil.example"\n[[indicator]]\nid = "a"\n'
    'title = "Mail boss@evil.example"\nunit = "percent"\npolarity = "higher-is-better"\n'
    "target = 50\ntolerance = { absolute = 5 }\n"
)
DATA = (
    "indicator,period,value,commentary,flag\n"
    'a,2021,40,"Details at https://evil.example/login or www.evil.example, mail '
    'me@evil.example",see ftp://evil.example\n'
)

# In the page's source (the URL and www rules).
_URL = re.compile(r"(?i)(?<![A-Za-z])(?:https?|ftp)://")
_WWW = re.compile(r"(?i)(?:^|(?<=[\s*_~(]))www\.")
# In the text the page shows (the e-mail rule, with cmark-gfm's `mailto:@`).
_EMAIL = re.compile(r"(?:[A-Za-z0-9.+_-]|(?i:mailto|xmpp):)@[A-Za-z0-9._-]")
# A CommonMark backslash escape (of ASCII punctuation), or a character reference.
_READ = re.compile(r"\\([!-/:-@\[-`{-~])|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z0-9]+);")


def _shown(source: str) -> str:
    """The text a Markdown renderer shows for `source`: escapes and references read."""
    return _READ.sub(lambda m: m[1] if m[1] is not None else html.unescape(m[0]), source)


def _links(source: str) -> list[str]:
    """What GFM would make a link of in `source`, a piece of escaped text."""
    found = [m[0] for m in _URL.finditer(source)] + [m[0] for m in _WWW.finditer(source)]
    return found + [m[0] for m in _EMAIL.finditer(_shown(source))]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("https://evil.example/login", "https\\://evil.example/login"),
        ("HTTP://X.EXAMPLE and ftp://y", "HTTP\\://X.EXAMPLE and ftp\\://y"),
        ("see www.evil.example, or (www.x.y)", "see www\\.evil.example, or (www\\.x.y)"),
        ("me@evil.example", "me@&#8288;evil.example"),
        ("first_last@evil.example", "first\\_last@&#8288;evil.example"),
        ("mailto:me@evil.example", "mailto:me@&#8288;evil.example"),
        ("xmpp:@evil.example", "xmpp:@&#8288;evil.example"),
        # What no link is made of is left as it was.
        ("@team at 10:30, O&S", "@team at 10:30, O&S"),
    ],
)
def test_autolinks_are_broken_in_escaped_text(text: str, escaped: str) -> None:
    assert _text(text) == escaped
    assert not _links(escaped)


def test_no_link_from_the_data_reaches_the_page(tmp_path: Path) -> None:
    """Commentary, flags, titles and the ruleset's title: every URL, host and address is
    written so that GitHub shows it as text."""
    rules, data, page = tmp_path / "r.toml", tmp_path / "d.csv", tmp_path / "r.md"
    rules.write_text(RULES, encoding="utf-8")
    data.write_text(DATA, encoding="utf-8")
    assert main(["rate", str(rules), str(data), "--format", "markdown", "-o", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert (
        "Details at https\\://evil.example/login or www\\.evil.example, mail "
        "me@&#8288;evil.example" in text
    )
    assert "see ftp\\://evil.example" in text
    assert "# See www\\.evil.example" in text
    assert "Mail boss@&#8288;evil.example" in text
    for line in text.splitlines():
        assert not _links(line), line


_PIECES = st.sampled_from(
    [
        *("http", "https", "ftp", "HTTPS", "www", "WWW", "mailto:", "xmpp:", "x.example"),
        *(".", ":", "/", "//", "@", "_", "-", "+", "*", "~", "(", "\\", "&", "#", " ", "1."),
        *("&#64;", "&amp;", "\u2060", "<", "`", "|", "\n"),
    ]
)
TEXTS = st.lists(_PIECES | st.text(max_size=3), max_size=14).map("".join)


@given(text=TEXTS)
def test_escaped_text_never_holds_an_autolink(text: str) -> None:
    """Whatever the data, the text written for it holds nothing GFM makes a link of."""
    for escape in (_text, _paragraph, _heading):
        source = escape(text)
        assert not _links(source), (text, source)
        # Written after our own words too: a list item's label, a table cell.
        assert not _links(f"- **a**: {source}"), source


@given(text=TEXTS)
def test_breaking_autolinks_changes_nothing_a_reader_sees(text: str) -> None:
    """What is shown is what the text was escaped to show before: the escapes show as
    nothing, and the word joiner as nothing."""
    source = _text(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markdown, "_AUTOLINK", re.compile(r"(?!)"))
        before = _text(text)
    assert _shown(source).replace("\u2060", "") == _shown(before).replace("\u2060", "")
