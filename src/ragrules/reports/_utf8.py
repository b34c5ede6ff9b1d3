"""The bytes beneath a text file: where output already in UTF-8 is written as it is."""

from __future__ import annotations

import codecs
import io
import os
from typing import BinaryIO, TextIO


def utf8_buffer(out: TextIO) -> BinaryIO | None:
    """The byte stream beneath `out` when `out` is a UTF-8 file on a system whose text files
    end lines with a bare newline (nothing to encode or translate, so bytes written there are
    those `out` would write); flushed, so they follow what `out` holds. None otherwise."""
    if not isinstance(out, io.TextIOWrapper) or os.linesep != "\n":
        return None
    if codecs.lookup(out.encoding).name != "utf-8":
        return None
    out.flush()
    return out.buffer  # type: ignore[no-any-return]
