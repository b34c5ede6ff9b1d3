"""The bytes beneath a text file: where output already in UTF-8 is written as it is."""

from __future__ import annotations

import codecs
import gc
import io
import os
import sys
from typing import BinaryIO, TextIO

# The newlines a text file given `newline="\r"` or `newline="\r\n"` writes for each "\n".
_TRANSLATED = ("\r", "\r\n")


def utf8_buffer(out: TextIO) -> BinaryIO | None:
    """The byte stream beneath `out` when `out` is a UTF-8 file that writes a "\\n" as it is
    (nothing to encode or translate, so bytes written there are those `out` would write);
    flushed, so they follow what `out` holds. None otherwise."""
    if not isinstance(out, io.TextIOWrapper) or os.linesep != "\n" or _translates(out):
        return None
    if codecs.lookup(out.encoding).name != "utf-8":
        return None
    out.flush()
    return out.buffer  # type: ignore[no-any-return]


def _translates(out: io.TextIOWrapper) -> bool:
    r"""Whether `out` may write a newline other than "\n" (opened with `newline="\r\n"` or
    `"\r"`). A text file does not say which newline it writes; CPython's keeps the `newline`
    it was given as an object it refers to, which is looked for. Elsewhere: assumed so, and
    the text is written through `out`, a little slower, never otherwise."""
    if sys.implementation.name != "cpython":
        return True
    return any(type(kept) is str and kept in _TRANSLATED for kept in gc.get_referents(out))
