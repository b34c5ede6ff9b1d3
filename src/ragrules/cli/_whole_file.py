"""Writing a file whole or not at all: a new file beside it, moved over it at the end.

A stream refused at row 60,001 (a row the file's columns cannot place) has written 60,000
lines by then. Written in place, the output would be a shorter file that reads as complete,
and the previous output would be gone. Written beside it and moved over it only when the
command finishes, the previous file stays as it was and no part-written file is left.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ragrules.model.errors import DataError, Problem

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

# A new file gets the mode that the user's umask gives any new file, as `open` gives it.
_NEW_FILE_MODE = 0o666


@contextlib.contextmanager
def replacing(path: Path, what: str = "the output") -> Iterator[BinaryIO]:
    """A binary handle whose bytes become the file `path` when the block ends without an
    error; on an error (or Ctrl-C) the file is as it was. An existing file keeps its mode, a
    link keeps pointing at the file it names, and a device or pipe (`/dev/null`) is written in
    place, as is a file in a folder where no new file may be made. DataError, naming the
    file, when it cannot be written: when it cannot be made, and when a write fails (a full
    disk, `/dev/full`), whatever the block was doing."""
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
        try:
            handle = os.open(temporary, _WRITE | os.O_CREAT | os.O_EXCL, _NEW_FILE_MODE)
        except PermissionError as exc:
            if mode is None:  # a writable file in a folder that takes no new one: in place
                raise unwritable(path, exc, what) from None
        except OSError as exc:
            raise unwritable(path, exc, what) from None
    if handle is None:  # written as it goes
        try:
            direct = os.open(target, _WRITE | os.O_TRUNC)  # it is there: no new file
        except OSError as exc:
            raise unwritable(path, exc, what) from None
        with writing(direct, str(path), what) as out:
            yield out
        return
    try:
        with writing(handle, str(path), what) as out:
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


_WRITE = os.O_WRONLY | getattr(os, "O_BINARY", 0)
STDOUT = "standard output"  # the name an error gives it


@contextlib.contextmanager
def writing(
    descriptor: int | None, name: str, what: str = "the output", *, close: bool = True
) -> Iterator[BinaryIO]:
    """A buffered binary handle on the open file `descriptor` (None: a closed stdout),
    closed at the end when `close`. A write that fails (a full disk, a closed stdout) stops
    the block with the DataError naming `name`, whatever error the code writing turned it
    into; a broken pipe (the reader gone, as `head` goes) stays a BrokenPipeError."""
    sink = _Sink(descriptor, close)
    out = io.BufferedWriter(sink)
    try:
        yield out
        out.close()  # flushed: a full disk may show only now
    except BaseException:
        with contextlib.suppress(OSError):  # what it holds cannot be written: dropped
            out.close()
        if sink.failure is not None:
            raise unwritable(name, sink.failure, what) from None
        raise


class _Sink(io.RawIOBase):
    """A file descriptor written with `os.write`; the OSError a write or close raises (but a
    broken pipe) is kept as the failure, and raised on."""

    def __init__(self, descriptor: int | None, close: bool) -> None:
        super().__init__()
        self.descriptor, self.owned = descriptor, close
        self.failure: OSError | None = None

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            if self.descriptor is None:
                raise OSError(errno.EBADF, "it is closed")
            return _write(self.descriptor, data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            self.failure = exc
            raise

    def close(self) -> None:
        if self.closed:
            return
        try:
            if self.owned and self.descriptor is not None:
                os.close(self.descriptor)
        except OSError as exc:  # a file system that reports a failed write only now
            self.failure = self.failure or exc
            raise
        finally:
            super().close()


_write = os.write  # the one call that writes output (a test makes it fail)


def unwritable(path: Path | str, exc: OSError, what: str = "the output") -> DataError:
    """The error for a file that cannot be written, saying which and what to check."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        hint = "free some space, or write it elsewhere"
    elif str(path) == STDOUT:
        hint = "check where standard output goes, or use -o FILE"
    else:
        hint = "check the folder exists and can be written"
    return DataError(
        problems=(
            Problem(
                file=str(path),
                message=f"cannot write {what}: {exc.strerror or exc}",
                hint=hint,
            ),
        )
    )
