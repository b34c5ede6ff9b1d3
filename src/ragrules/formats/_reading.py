"""Bounded reading: never more than a limit from any file, whatever the file turns out to be.

A shared ruleset (or data file) can name `/dev/zero`, a FIFO or a 100 MB file. Reading such
a file whole exhausts memory or never ends, so files are read through `read_capped`, which
stops one byte past the limit and reports the file as too large. It raises only `OSError`s
(`TooLarge` among them): each caller turns them into its own located error.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

# The most bytes one character takes in UTF-8, and the length of a UTF-8 byte order mark.
_UTF8_WIDEST = 4
_BOM = 3
_CHUNK = 1 << 20  # bytes per read from a file whose size is not known (a device, a pipe)


class TooLarge(OSError):
    """The file holds more than `limit` (bytes, or characters for `read_text_capped`)."""

    def __init__(self, path: str | os.PathLike[str], limit: int, unit: str = "bytes") -> None:
        super().__init__(errno.EFBIG, f"over {limit:,} {unit}", str(path))
        self.limit = limit


def read_capped(path: str | os.PathLike[str], limit: int) -> bytes:
    """The file's bytes, reading at most `limit` + 1 of them; raises TooLarge past `limit`.

    A regular file larger than the limit is refused from its size, without reading. A FIFO
    is opened without waiting for a writer (a FIFO nobody writes to reads as empty), and a
    device such as /dev/zero is read only up to the limit. Every failure is an OSError:
    TooLarge, a missing or unreadable file, a directory, a name too long or holding a NUL.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except ValueError:  # a NUL byte in the name: no such file can exist
        raise OSError(errno.EINVAL, "not a usable file name", str(path)) from None
    try:
        with open(fd, "rb", buffering=0) as file:  # closes fd, even when a check below raises
            if hasattr(os, "O_NONBLOCK"):
                os.set_blocking(fd, True)  # opened without waiting; now read normally
            info = os.fstat(fd)
            regular = stat.S_ISREG(info.st_mode)
            if regular and info.st_size > limit:
                raise TooLarge(path, limit)
            # A regular file in one read (plus one to see its end); anything else in chunks.
            chunk = info.st_size + 1 if regular and info.st_size else _CHUNK
            data = _read_up_to(file, limit, chunk)
            if data is None:
                raise TooLarge(path, limit)
    except OSError as exc:
        if not isinstance(exc.filename, str):  # name the file, not its descriptor number
            exc.filename = str(path)
        raise
    return data


def _read_up_to(file: BinaryIO, limit: int, chunk: int) -> bytes | None:
    """The bytes, or None past `limit`, read in chunks and joined only when within it:
    `file.read(limit)` would allocate `limit` bytes at once, and a join past it a copy."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        data = file.read(min(chunk, limit + 1 - total))
        if not data:
            return b"".join(chunks)
        chunks.append(data)
        total += len(data)
    return None


def read_text_capped(path: str | os.PathLike[str], characters: int) -> str:
    """The file as UTF-8 text (a byte order mark dropped), refused past `characters`.

    At most 4 bytes per character (+3 for the mark) are read. Raises TooLarge (an OSError)
    or UnicodeDecodeError.
    """
    try:
        data = read_capped(path, characters * _UTF8_WIDEST + _BOM)
    except TooLarge:
        raise TooLarge(path, characters, "characters") from None
    text = data.decode("utf-8-sig")
    if len(text) > characters:
        raise TooLarge(path, characters, "characters")
    return text
