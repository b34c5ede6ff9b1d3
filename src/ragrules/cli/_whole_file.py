"""Writing a file whole or not at all: a new file beside it, moved over it at the end.

A stream refused at row 60,001 (a row the file's columns cannot place) has written 60,000
lines by then. Written in place, the output would be a shorter file that reads as complete,
and the previous output would be gone. Written beside it and moved over it only when the
command finishes, the previous file stays as it was and no part-written file is left.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ragrules.model.errors import DataError, Problem

# A new file gets the mode that the user's umask gives any new file, as `open` gives it.
_NEW_FILE_MODE = 0o666


@contextlib.contextmanager
def replacing(path: Path, what: str = "the output") -> Iterator[BinaryIO]:
    """A binary handle whose bytes become the file `path` when the block ends without an
    error; on an error (or Ctrl-C) the file is as it was. An existing file keeps its mode, a
    link keeps pointing at the file it names, and a device or pipe (`/dev/null`) is written in
    place, as is a file in a folder where no new file may be made. DataError, naming the
    file, when it cannot be written."""
    target = path.resolve()  # a link is followed: the file it names is replaced
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise unwritable(path, exc, what) from None
    temporary = target.with_name(f".{target.name}.{os.urandom(4).hex()}.part")
    handle = None
    if mode is None or stat.S_ISREG(mode):  # else a device or pipe: nothing to keep
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            handle = os.open(temporary, flags, _NEW_FILE_MODE)
        except PermissionError as exc:
            if mode is None:  # a writable file in a folder that takes no new one: in place
                raise unwritable(path, exc, what) from None
        except OSError as exc:
            raise unwritable(path, exc, what) from None
    if handle is None:  # written as it goes
        try:
            direct = target.open("wb")
        except OSError as exc:
            raise unwritable(path, exc, what) from None
        with direct:
            yield direct
        return
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        try:
            if mode is not None:
                os.chmod(temporary, stat.S_IMODE(mode))
            os.replace(temporary, target)
        except OSError as exc:
            raise unwritable(path, exc, what) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def unwritable(path: Path | str, exc: OSError, what: str = "the output") -> DataError:
    """The error for a file that cannot be written, saying which and what to check."""
    return DataError(
        problems=(
            Problem(
                file=str(path),
                message=f"cannot write {what}: {exc.strerror or exc}",
                hint="check the folder exists and can be written",
            ),
        )
    )
