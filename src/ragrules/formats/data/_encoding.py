"""Which text encoding a data file is in: UTF-8, Windows-1252, UTF-16 or UTF-32 after their
byte order mark, or a mix that is refused."""

from __future__ import annotations

import codecs
import itertools
import os
import stat
from collections.abc import Iterable
from pathlib import Path

import attrs

from ragrules.formats.data._common import _UTF8_SEQUENCE, _error
from ragrules.model.errors import DataError, Problem


def decode(raw: bytes, source: str | None, encoding: str | None = None) -> str:
    """Text of a data file: `encoding` if given, else UTF-8, else (no UTF-8 text) Windows-1252.

    A file with UTF-8 text and a byte that is not UTF-8 (two files pasted together, one
    cell typed in another program) is refused with the line of that byte: reading it either
    way would garble some of its text. Decided by `_verdict`, as `sniff_encoding` decides.
    """
    try:
        # The decoder a stream reads with (`_verdict`): `utf-16` named for a file with no
        # byte order mark is refused, not guessed little-endian as `bytes.decode` guesses.
        return codecs.getincrementaldecoder(_named(encoding, source))().decode(raw, final=True)
    except UnicodeDecodeError:
        # Spreadsheets saved as "CSV" on Windows are often Windows-1252 (pound signs, dashes).
        return raw.decode(_verdict([raw], source, encoding), errors="replace")
    except UnicodeError as exc:
        raise _unreadable(source, encoding, exc) from None


def _refuse_unseekable(source: Path) -> None:
    try:
        regular = stat.S_ISREG(source.stat().st_mode)
    except OSError as exc:
        raise _error(
            str(source), f"cannot read the data: {exc.strerror or exc}", "check the path"
        ) from None
    if not regular:
        raise _error(
            str(source),
            "a stream reads a regular file, and this is a pipe, a device or a folder",
            "save the data to a file first, or rate it without --stream",
        )


def _codec(encoding: str, source: str | None) -> str:
    hint = "e.g. utf-8, cp1252 or latin-1"
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise _error(source, f"unknown encoding {encoding!r}", hint) from None
    try:
        b"\0".decode(name, errors="ignore")  # rot13, base64: codecs, not of bytes to text
    except LookupError:
        raise _error(source, f"{encoding!r} is not a text encoding", hint) from None
    return name


def _unreadable(source: str | None, encoding: str | None, exc: UnicodeError) -> DataError:
    """A codec that fails on the file as a whole (UTF-16 named for a file without its byte
    order mark), not at a byte of it."""
    hint = "check --encoding; without it, the encoding is found from the file"
    if "BOM" in str(exc):
        width = "32" if "32" in str(exc) else "16"
        hint = (
            f"the file has no byte order mark: name its byte order, "
            f"--encoding utf-{width}-le (as Windows writes it) or utf-{width}-be"
        )
    return _error(source, f"the file cannot be read as {encoding or 'UTF-8'}: {exc}", hint)


def _holds_utf8(raw: bytes) -> bool:
    """True when the bytes hold at least one well-formed UTF-8 multi-byte character."""
    if raw.isascii():  # most data: no byte above 0x7f, found without a search
        return False
    for match in _UTF8_SEQUENCE.finditer(raw):
        try:
            match[0].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


def _bad_byte(raw: bytes, exc: UnicodeDecodeError, source: str | None, name: str) -> DataError:
    line = raw.count(b"\n", 0, exc.start) + 1
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    byte = raw[exc.start : exc.start + 1].hex()
    return DataError(
        problems=(
            Problem(
                file=source,
                line=line,
                column=column,
                message=f"byte 0x{byte} is not {name}: the file mixes text encodings",
                hint="save the file again as UTF-8, or name its encoding (--encoding cp1252)",
            ),
        )
    )


def sniff_encoding(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """The codec `iter_csv` reads a file with, decided as `decode` decides (a DataError too).

    Reads the file a megabyte at a time, so a file too large to hold is checked as well. Only
    a regular file can be streamed: it is read twice (this check, then the rows), and a pipe
    or a device such as /dev/zero would never end or be read once only.
    """
    source = str(path)
    _refuse_unseekable(Path(path))
    try:
        with Path(path).open("rb") as stream:
            return _verdict(iter(lambda: stream.read(1 << 20), b""), source, encoding)
    except OSError as exc:
        raise _error(
            source, f"cannot read the data: {exc.strerror or exc}", "check the path"
        ) from None


def _named(encoding: str | None, source: str | None) -> str:
    """The codec to try first: the one named (UTF-8 with its byte order mark), else UTF-8."""
    name = "utf-8" if encoding is None else _codec(encoding, source)
    return "utf-8-sig" if name == "utf-8" else name


def _verdict(chunks: Iterable[bytes], source: str | None, encoding: str | None) -> str:
    """The codec for text given in chunks: the named one or UTF-8 if every byte reads,
    Windows-1252 if UTF-8 fails and the text holds no UTF-8 character at all; otherwise a
    DataError at the line and column of the first bad byte."""
    chunks = iter(chunks)
    first = next(chunks, b"")
    if encoding is None:
        for mark, codec in _UNICODE_MARKS:
            if first.startswith(mark):  # Excel's "Unicode Text" is UTF-16, after its mark
                return codec
    chunks = itertools.chain([first], chunks)
    name = _named(encoding, source)
    decoder = codecs.getincrementaldecoder(name)()
    bad: DataError | None = None
    utf8 = False  # the text holds UTF-8: a bad byte in it is an error, not Windows-1252
    lines = 0
    try:
        for chunk in chunks:
            if bad is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    bad = _relocated(_bad_byte(chunk, exc, source, encoding or "UTF-8"), lines)
                except UnicodeError as exc:
                    raise _unreadable(source, encoding, exc) from None
            utf8 = utf8 or (encoding is None and _holds_utf8(chunk))
            if bad is not None and (utf8 or encoding):
                break
            lines += chunk.count(b"\n")
        if bad is None:
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        bad = _error(
            source,
            f"the file ends inside a character that is not {encoding or 'UTF-8'}",
            "save the file again as UTF-8, or name its encoding (--encoding cp1252)",
        )
    if bad is None:
        return name
    if encoding is None and not utf8:
        return "cp1252"
    raise bad


# Byte order marks of the Unicode encodings other than UTF-8 (whose mark `utf-8-sig` reads),
# longest first: UTF-32's little-endian mark begins with UTF-16's.
_UNICODE_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _relocated(error: DataError, lines: int) -> DataError:
    """The error of a chunk, its line counted from the start of the file."""
    problem = error.problems[0]
    line = None if problem.line is None else problem.line + lines
    return DataError(problems=(attrs.evolve(problem, line=line),))


def is_utf8(path: str | os.PathLike[str]) -> bool:
    """True when a text data file is read as UTF-8 (not as Windows-1252, nor refused)."""
    try:
        return sniff_encoding(path) == "utf-8-sig"
    except DataError:
        return False
