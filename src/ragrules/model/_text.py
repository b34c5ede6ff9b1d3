"""Text for people: English articles, a first capital, text made safe to print to a terminal,
and column names compared as people write them.

Printed to a terminal, an escape sequence in a ruleset or data (a title, a value) would
recolour, rewrite or hide text, and a bidi override reorder it; `terminal_safe` shows them
instead. Imports nothing from ragrules: the errors every layer raises print through it.
"""

from __future__ import annotations

import functools
import unicodedata

_VOWELS = frozenset("aeiouAEIOU")


def with_article(word: str) -> str:
    """The word after its indefinite article: `an amber`, `a red`, `a green`."""
    return f"{'an' if word[:1] in _VOWELS else 'a'} {word}"


def first_upper(text: str) -> str:
    """The text with its first letter a capital and the rest as written: `below England`
    becomes `Below England` (str.capitalize would write `Below england`). The first letter
    is title-cased, as capitalize does it (`ǆ` to `ǅ`, not `Ǆ`)."""
    return text[:1].title() + text[1:]


def _visible(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_INVISIBLE = [
    *range(0x20),  # C0 controls, ESC among them
    *range(0x7F, 0xA0),  # DEL and the C1 controls (0x9B is a one-byte CSI)
    0x061C,  # Arabic letter mark
    0x200E,  # left-to-right and right-to-left marks
    0x200F,
    *range(0x202A, 0x202F),  # bidi embeddings and overrides
    *range(0x2066, 0x206A),  # bidi isolates
    0x2028,  # line and paragraph separators
    0x2029,
]
_TERMINAL = str.maketrans({code: _visible(code) for code in _INVISIBLE})


# The same characters but line ends and tabs: a whole output's text shown on a terminal
# keeps its lines and columns.
_TERMINAL_LINES = str.maketrans(
    {code: _visible(code) for code in _INVISIBLE if chr(code) not in "\n\t"}
)
# The ones JSON leaves raw (DEL, C1, bidi, line separators) as the `\u202e` escapes TOML and
# JSON strings read back as the same text. TOML forbids a raw DEL.
_QUOTED = str.maketrans({code: f"\\u{code:04x}" for code in _INVISIBLE if code >= 0x7F})


def terminal_safe(text: str) -> str:
    r"""The text with control, escape and bidi characters shown as `\x1b`, `\u202e`, ...

    For display only: backslashes are left as they are (a Windows path stays readable), so
    the escaped text cannot be told apart from text that held the escape as written.
    """
    return text.translate(_TERMINAL)


def display_width(text: str) -> int:
    """The columns a terminal gives `text`, so that a table's columns line up: two for a
    wide or full-width character (東) or an emoji, none for a combining mark or a zero-width
    one (a decomposed é is one column), one for any other. An emoji sequence is one emoji:
    a character joined to the one before it (ZWJ) or a skin tone adds nothing, and a
    presentation selector (VS16) makes a narrow symbol wide (❤️)."""
    if text.isascii():
        return len(text)
    width = last = 0  # `last`: the width of the character drawn before
    joined = False
    for character in text:
        code = ord(character)
        if joined:  # drawn as one with the character before the joiner
            joined = False
        elif code == _JOINER:
            joined = True
        elif code == _EMOJI_PRESENTATION:
            width += last == 1
            last = 2
        elif _SKIN_TONES[0] <= code <= _SKIN_TONES[1] and last == 2:
            pass  # the emoji before it, in a skin tone
        else:
            own = _columns(character)
            width += own
            last = own or last
    return width


_JOINER = 0x200D
_EMOJI_PRESENTATION = 0xFE0F
_SKIN_TONES = (0x1F3FB, 0x1F3FF)
# Shown though they are format characters: a soft hyphen, and the Arabic marks written
# before a number (U+0600-0605 and others).
_SHOWN_FORMATS = frozenset({0x00AD, *range(0x0600, 0x0606), 0x06DD, 0x070F, 0x08E2, 0x110BD})


@functools.lru_cache(maxsize=4096)
def _columns(character: str) -> int:
    code = ord(character)
    if code in _SHOWN_FORMATS:
        return 1
    if 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:
        return 0  # a Hangul vowel or final consonant, drawn into the syllable before it
    if unicodedata.combining(character) or unicodedata.category(character) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def terminal_lines(text: str) -> str:
    r"""`terminal_safe`, but line ends and tabs kept: a report's whole text printed to a
    terminal (CSV, HTML, JSON) keeps its lines and cannot rewrite the terminal."""
    return text.translate(_TERMINAL_LINES)


def quoted_escapes(quoted: str) -> str:
    r"""A JSON-quoted string (`json.dumps`) with the DEL, C1, bidi and line-separator
    characters it leaves raw written as `\u202e` escapes, which TOML and JSON read back as
    the same text: printed, the string cannot reorder or rewrite what is around it."""
    return quoted.translate(_QUOTED)


def shown_in_text(text: str) -> str:
    r"""Text as running text shows it (a web page's): line breaks and tabs as spaces, as a
    browser shows them, and the other control, escape and bidi characters as `\x1b`,
    `\u202e`, so none reorders or hides the words beside it."""
    return terminal_safe(text.translate(_SPACED))


_SPACED = str.maketrans({"\r": " ", "\n": " ", "\t": " "})


def mended(text: str) -> str:
    """Text with two halves of a surrogate pair as the one character they are and each lone
    half (from `json.loads`, an xlsx escape, text cut short by another tool) as U+FFFD: no
    output can hold one. Every reader mends text so."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def column_key(name: object) -> str:
    """A column or benchmark name compared case-, space-, hyphen- and underscore-blind."""
    if type(name) is str and len(name) <= _REMEMBERED_NAME:
        return _column_key(name)  # a file's few column names, asked for on every row
    return _key(as_str(name))


def as_str(value: object) -> str:
    """A value's text: a str subclass's own text (a `class Col(str, Enum)` member is its
    value, `indicator`, where `str()` gives `Col.INDICATOR`); bytes (a database driver's
    text) read as UTF-8, or else as Windows-1252, never written as `b'...'`; else
    `str(value)`."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:  # as a file holding no UTF-8 is read: Windows-1252
            return raw.decode("cp1252", errors="replace")
    return str(value)


def _key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())


_REMEMBERED_NAME = 200
_column_key = functools.lru_cache(maxsize=4096)(_key)
