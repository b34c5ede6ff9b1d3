"""Observations from files: CSV and JSON, each row numbered as an editor shows it.

This is an edge: it reads files and returns `Observation`s; what the values mean is decided
later by `observations.read_value`. Problems that stop a whole file raise `DataError`.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ragrules._reading import TooLarge, read_capped
from ragrules._xlsx import read_rows
from ragrules.errors import DataError, Problem, close_matches
from ragrules.observations import FIELDS, Observation, column_key
from ragrules.periods import PeriodError, parse_period

# The most rows a data file may hold unless the caller allows more (`max_rows`).
MAX_ROWS = 10_000_000
# The most bytes a data file read whole may hold (`max_bytes`): /dev/zero stops here.
MAX_BYTES = 512 << 20
# The longest line a CSV file read a line at a time may have.
MAX_LINE = 1 << 20
# What a data file is named: a ruleset argument ending so was given the data by mistake.
DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".xlsx", ".xlsm", ".xls", ".ods")
# Workbook formats that are not .xlsx: refused by name rather than misread as CSV.
_OTHER_WORKBOOKS = (".xls", ".xlsb", ".ods", ".numbers")
# UTF-8 multi-byte sequences: a file holding any is UTF-8 text, even with one bad byte.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

# Columns that hold an earlier period's value on the same row, as council tables print them.
EARLIER = {"previous": "previous", "last_year": "same period last year"}


def read_observations(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    period: str | None = None,
    max_rows: int = MAX_ROWS,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> list[object]:
    """Read a CSV (or tab-separated) or JSON file of observations, by the file's extension.

    `columns` maps a column (its header, or `#N` for the Nth column) to what it holds: a
    field (`indicator`, `value`, `target`, ...), `previous` or `last_year` (an earlier value on
    the same row, which needs `period`), or any other name (`published_short`, a benchmark).
    Text is read as `encoding` when given; else as UTF-8, or as Windows-1252 when it holds
    no UTF-8 text at all (`sniff_encoding` tells a caller which). A file that mixes the two is a
    DataError naming the line of the first bad byte. A file with more than `max_rows`
    observations or `max_bytes` bytes is a DataError.
    """
    source = Path(path)
    _refuse_other_workbooks(source)
    try:
        raw = read_capped(source, max_bytes)
    except TooLarge:
        raise _error(
            str(source),
            f"the data is over {max_bytes:,} bytes",
            "split the file, stream it (rate --stream), or raise the limit with max_bytes",
        ) from None
    except OSError as exc:
        raise _error(
            str(source),
            f"cannot read the data: {exc.strerror or exc}",
            "check the path",
        ) from None
    observations = _read(raw, source, columns, delimiter, period, encoding)
    if len(observations) > max_rows:
        raise _error(
            str(source),
            f"more than {max_rows:,} rows",
            "split the file, or raise the limit with max_rows",
        )
    return observations


def _refuse_other_workbooks(source: Path) -> None:
    suffix = source.suffix.lower()
    if suffix in _OTHER_WORKBOOKS:
        raise _error(
            str(source),
            f"{suffix} workbooks cannot be read",
            "save the sheet as .xlsx or as CSV (UTF-8)",
        )


def decode(raw: bytes, source: str | None, encoding: str | None = None) -> str:
    """Text of a data file: `encoding` if given, else UTF-8, else (no UTF-8 text) Windows-1252.

    A file with UTF-8 text and a byte that is not UTF-8 (two files pasted together, one
    cell typed in another program) is refused with the line of that byte: reading it either
    way would garble some of its text.
    """
    if encoding is not None:
        codec = _codec(encoding, source)
        try:
            return raw.decode("utf-8-sig" if codec == "utf-8" else codec)
        except UnicodeDecodeError as exc:
            raise _bad_byte(raw, exc, source, encoding) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _holds_utf8(raw):
            raise _bad_byte(raw, exc, source, "UTF-8") from None
    # Spreadsheets saved as "CSV" on Windows are often Windows-1252 (pound signs, dashes).
    return raw.decode("cp1252", errors="replace")


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
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise _error(
            source, f"unknown encoding {encoding!r}", "e.g. utf-8, cp1252 or latin-1"
        ) from None


def _holds_utf8(raw: bytes) -> bool:
    """True when the bytes hold at least one well-formed UTF-8 multi-byte character."""
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
    name = "utf-8-sig" if encoding is None else _codec(encoding, source)
    name = "utf-8-sig" if name == "utf-8" else name
    decoder = codecs.getincrementaldecoder(name)()
    bad: DataError | None = None
    utf8 = False  # the file holds UTF-8 text: a bad byte in it is an error, not cp1252
    lines = 0
    try:
        with Path(path).open("rb") as stream:
            while (chunk := stream.read(1 << 20)) and not (bad and (utf8 or encoding)):
                if bad is None:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError as exc:
                        error = _bad_byte(chunk, exc, source, encoding or "UTF-8")
                        bad = _relocated(error, lines)
                utf8 = utf8 or (encoding is None and _holds_utf8(chunk))
                lines += chunk.count(b"\n")
            if bad is None:
                decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        bad = _error(
            source,
            f"the file ends inside a character that is not {encoding or 'UTF-8'}",
            "save the file again as UTF-8, or name its encoding (--encoding cp1252)",
        )
    except OSError as exc:
        raise _error(
            source, f"cannot read the data: {exc.strerror or exc}", "check the path"
        ) from None
    if bad is None:
        return name
    if encoding is None and not utf8:
        return "cp1252"
    raise bad


def _relocated(error: DataError, lines: int) -> DataError:
    """The error of a chunk, its line counted from the start of the file."""
    problem = error.problems[0]
    line = None if problem.line is None else problem.line + lines
    return DataError(problems=(attrs.evolve(problem, line=line),))


def is_utf8(path: str | os.PathLike[str]) -> bool:
    """True when a text data file is UTF-8 (else it is read as Windows-1252)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with Path(path).open("rb") as stream:
            while chunk := stream.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return False
    return True


def _read(
    raw: bytes,
    source: Path,
    columns: Mapping[str, str] | None,
    delimiter: str | None,
    period: str | None,
    encoding: str | None = None,
) -> list[object]:
    suffix = source.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return parse_rows(
            excel_rows(raw, str(source)), source=str(source), columns=columns, period=period
        )
    text = decode(raw, str(source), encoding)
    if suffix == ".json":
        return parse_json(text, source=str(source))
    return parse_csv(text, source=str(source), columns=columns, delimiter=delimiter, period=period)


def parse_columns(text: str) -> dict[str, str]:
    """`Q2 Performance=value,#7=previous` -> {"Q2 Performance": "value", "#7": "previous"}."""
    mapping = {}
    for part in text.split(","):
        column, equals, role = part.partition("=")
        if not equals or not column.strip() or not role.strip():
            raise _error(
                None,
                f"--columns: {part.strip()!r} is not COLUMN=FIELD",
                "e.g. --columns 'Q2 Performance=value,#7=previous'",
            )
        mapping[column.strip()] = _role(role)
    return mapping


def _role(text: str) -> str:
    """A --columns field: a known field, or another name (a benchmark) unlike any field."""
    role = column_key(text)
    known = [*FIELDS, *EARLIER]
    if role not in known and (close := close_matches(role, known, cutoff=0.75)):
        raise _error(
            None,
            f"--columns: unknown field {text.strip()!r}",
            f"did you mean {close[0]!r}? the fields are {', '.join(known)}",
        )
    return role


def parse_csv(
    text: str,
    *,
    source: str | None = None,
    columns: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    period: str | None = None,
) -> list[object]:
    """Parse delimited text with a header row; see `read_observations` for `columns`.

    Headers are matched case-, space-, hyphen- and underscore-blind. The delimiter is sniffed
    (comma, tab, semicolon or bar) unless given. Row numbers are the file's line numbers, so
    the header is line 1.
    """
    return [
        *_iter_csv(
            io.StringIO(text),
            _delimiter(delimiter, text, source),
            source=source,
            columns=columns,
            period=period,
        )
    ]


def iter_csv(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    period: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    encoding: str | None = None,
) -> Iterator[Observation]:
    """Read a CSV (or tab-separated) file a line at a time, in constant memory.

    The same reading as `read_observations` (sniffed delimiter, BOM, Windows-1252 fallback,
    mixed encodings refused), for files too large to hold: the rows of one line come out
    together, as `iter_rate` needs. `progress`, if given, is called with (bytes read, file
    size) as the file is read. `encoding` is the codec to read with, from `sniff_encoding`
    when the caller has checked the file already; else the file is checked here first.
    """
    source = Path(path)
    _refuse_other_workbooks(source)
    _refuse_unseekable(source)
    if encoding is None:
        encoding = sniff_encoding(source)
    try:
        raw = _Counted(source.open("rb", buffering=0), progress)
        buffered = io.BufferedReader(raw, 1 << 16)
        with io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="") as stream:
            head = stream.read(65536)
            stream.seek(0)
            yield from _iter_csv(
                _capped_lines(stream, str(source)),
                _delimiter(delimiter, head, str(source)),
                source=str(source),
                columns=columns,
                period=period,
            )
    except OSError as exc:
        raise _error(
            str(source), f"cannot read the data: {exc.strerror or exc}", "check the path"
        ) from None


def _capped_lines(stream: io.TextIOBase, source: str) -> Iterator[str]:
    """The stream's lines, each at most MAX_LINE characters: /dev/zero never ends a line."""
    number = 0
    while line := stream.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            raise _error(
                source,
                f"line {number:,} is over {MAX_LINE:,} characters",
                "check this is a CSV file; a line that long holds no observation",
            )
        yield line


class _Counted(io.RawIOBase):
    """A binary file that reports how much of it has been read (for a progress bar)."""

    def __init__(self, raw: Any, progress: Callable[[int, int], None] | None) -> None:
        self.raw = raw
        self.size = os.fstat(raw.fileno()).st_size
        self.progress = progress

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return int(self.raw.seek(offset, whence))

    def tell(self) -> int:
        return int(self.raw.tell())

    def readinto(self, buffer: Any) -> int:
        count = int(self.raw.readinto(buffer))
        if self.progress is not None:
            self.progress(self.raw.tell(), self.size)
        return count

    def close(self) -> None:
        self.raw.close()
        super().close()


def _delimiter(delimiter: str | None, text: str, source: str | None) -> str:
    if delimiter in ("\\t", "tab"):
        delimiter = "\t"  # as typed on a command line
    if delimiter is not None and len(delimiter) != 1:
        raise _error(source, f"--delimiter {delimiter!r} is not one character", "e.g. ';'")
    return delimiter or _sniff(text)


def _iter_csv(
    stream: Iterable[str],
    delimiter: str,
    *,
    source: str | None,
    columns: Mapping[str, str] | None,
    period: str | None,
) -> Iterator[Observation]:
    reader = csv.reader(stream, delimiter=delimiter)

    def lines() -> Iterator[tuple[int, list[str]]]:
        start = 1
        for cells in reader:
            yield start, cells  # a quoted cell may span lines: a row starts on its first
            start = reader.line_num + 1

    try:
        yield from iter_rows(lines(), source=source, columns=columns, period=period)
    except csv.Error as exc:
        raise _error(
            source, f"line {reader.line_num}: {exc}", "check the quoting of that line"
        ) from None


def parse_rows(
    rows: Iterable[tuple[int, list[str]]],
    *,
    source: str | None = None,
    columns: Mapping[str, str] | None = None,
    period: str | None = None,
) -> list[object]:
    """Observations from (row number, cells) pairs, the first being the header row.

    The shared reader behind CSV and Excel files; see `read_observations` for `columns`.
    """
    return [*iter_rows(rows, source=source, columns=columns, period=period)]


def iter_rows(
    rows: Iterable[tuple[int, list[str]]],
    *,
    source: str | None = None,
    columns: Mapping[str, str] | None = None,
    period: str | None = None,
) -> Iterator[Observation]:
    """`parse_rows`, one observation at a time: the rows of one line come out together."""
    rows = iter(rows)
    try:
        _, header = next(rows)
    except StopIteration:
        raise _error(
            source, "the data file is empty", "add a header row: indicator,period,value"
        ) from None
    _check_columns(header, columns or {}, source)
    roles = _roles(header, columns or {})
    if "indicator" not in roles.values():
        raise _error(
            source,
            f"no 'indicator' column (found: {', '.join(header) or 'none'})",
            "the header needs at least indicator and value, or map them with --columns",
        )
    fields = {role: index for index, role in reversed(list(roles.items())) if role in FIELDS}
    earlier = {role: index for index, role in roles.items() if role in EARLIER}
    # A wide table: no value column, but columns headed by periods (2019/20, 2020/21 Q1, ...).
    wide = {} if "value" in fields else _period_columns(header, roles)
    in_wide = set(wide.values())
    others = {
        role: index
        for index, role in reversed(list(roles.items()))
        if role not in FIELDS and role not in EARLIER and role and index not in in_wide
    }
    try:
        default = parse_period(period) if earlier and period else None
    except PeriodError as exc:
        raise _error(source, f"--period: {exc}", "e.g. --period '2020/21 Q2'") from None
    for line, cells in rows:
        if any(cell.strip() for cell in cells):
            values = {name: _cell(cells, index) for name, index in fields.items()}
            extra = tuple((name, _cell(cells, index)) for name, index in others.items())
            if earlier and not values.get("period"):
                values["period"] = str(default) if default else ""
            if wide:
                printed = [
                    (when, text) for when, index in wide.items() if (text := _cell(cells, index))
                ]
                # A row with every period blank is still a row: no value for the last period.
                for when, text in printed or [(next(reversed(wide)), "")]:
                    yield Observation(
                        row=line, extra=extra, **{**values, "period": when, "value": text}
                    )
                continue
            observation = Observation(row=line, extra=extra, **values)
            yield observation
            yield from _earlier_rows(observation, earlier, cells, source)


def _check_columns(header: list[str], columns: Mapping[str, str], source: str | None) -> None:
    """Every column a mapping names is in the header: a typo must not empty the report."""
    present = {column_key(name) for name in header}
    for column, role in columns.items():
        if column.startswith("#"):
            number = column[1:]
            if not (number.isascii() and number.isdigit() and len(number) < 8) or not (
                1 <= int(number) <= len(header)
            ):
                raise _error(
                    source,
                    f"--columns: {column}={role}: the header has {len(header)} columns",
                    "number columns from #1 for the first",
                )
        elif column_key(column) not in present:
            close = close_matches(column, [name for name in header if name.strip()])
            hint = f"did you mean {close[0]!r}?" if close else f"the header is: {', '.join(header)}"
            raise _error(source, f"--columns: no column {column!r} in the header", hint)


def _period_columns(header: list[str], roles: Mapping[int, str]) -> dict[str, int]:
    """Period (as printed) -> column index, for columns headed by a period."""
    found = {}
    for index, name in enumerate(header):
        if roles.get(index) in FIELDS or not name.strip():
            continue
        try:
            found[str(parse_period(name))] = index
        except PeriodError:
            continue
    return found


def _roles(header: list[str], columns: Mapping[str, str]) -> dict[int, str]:
    """Column index -> what it holds, by position (`#N`), by header, or by its own name."""
    by_header = {column_key(k): v for k, v in columns.items() if not k.startswith("#")}
    explicit = set(columns.values())
    roles = {}
    for index, name in enumerate(header):
        mapped = columns.get(f"#{index + 1}") or by_header.get(column_key(name))
        # A column mapped explicitly to a field wins over a header that happens to share its
        # name (Havering's table has a "Value" column holding the polarity).
        own = column_key(name)
        roles[index] = mapped or ("" if own in explicit else own)
    return roles


def _earlier_rows(
    observation: Observation, earlier: Mapping[str, int], cells: list[str], source: str | None
) -> list[Observation]:
    """Rows for the earlier values a wide row carries (previous period, same period last year)."""
    if not earlier:
        return []
    try:
        when = parse_period(observation.period)
    except PeriodError:
        raise _error(
            source,
            f"row {observation.row}: previous and last-year columns need the row's period",
            "give --period, or a period column",
        ) from None
    found = []
    for role, index in earlier.items():
        if not _cell(cells, index):
            continue  # nothing printed for that period: the comparison is not comparable
        then = when.previous() if role == "previous" else when.same_period_last_year()
        found.append(
            Observation(
                indicator=observation.indicator,
                period=str(then),
                value=_cell(cells, index),
                row=observation.row,
            )
        )
    return found


def excel_rows(data: bytes, source: str) -> Iterator[tuple[int, list[str]]]:
    """The first sheet of an .xlsx workbook as (row number, cells as text) pairs.

    Read by ragrules' own streaming reader (`ragrules._xlsx`, no dependency), with limits on
    size checked while reading. Numbers are read through their shortest repr, and a cell
    formatted as a percentage (0.48 shown as 48%) is read as `48%`, as printed.
    """
    return read_rows(data, source)


def _sniff(text: str) -> str:
    """The delimiter the header line uses most: comma, tab, semicolon or bar (comma on a tie)."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (",", "\t", ";", "|")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def parse_json(text: str, *, source: str | None = None) -> list[object]:
    """Parse a JSON array of records; row numbers count records from 1."""
    try:
        records = json.loads(
            text, parse_float=str, parse_int=str, object_pairs_hook=_OnceKeyed.from_pairs
        )
    except RecursionError:
        raise _error(source, "the JSON is nested too deeply", "a list of flat records") from None
    except json.JSONDecodeError as exc:
        raise DataError(
            problems=(
                Problem(
                    file=source,
                    line=exc.lineno,
                    column=exc.colno,
                    message=f"not valid JSON: {exc.msg}",
                ),
            )
        ) from None
    _refuse_repeated_keys(records, source)
    if isinstance(records, dict) and any(column_key(key) in FIELDS for key in records):
        raise _error(
            source,
            "the JSON is one record, not an array of records",
            'wrap it in [ ]: [{"indicator": "...", "value": "..."}]',
        )
    if isinstance(records, dict):
        records = _keyed_records(records)
    if not isinstance(records, list):
        raise _error(
            source,
            "expected a JSON array of records, or records keyed by indicator",
            '[{"indicator": "...", "value": "..."}] or {"id": [{"period": "...", "value": "..."}]}',
        )
    # Records that are not readable observations are passed on as they are, so the report
    # rejects them with their row number instead of losing them.
    observations: list[object] = []
    for row, record in enumerate(records, start=1):
        try:
            observations.append(Observation.from_mapping(record, row=row))
        except (ValueError, AttributeError):
            observations.append(record)
    return observations


class _OnceKeyed(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once."""

    repeated: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> _OnceKeyed:
        record = cls(pairs)
        if len(record) < len(pairs):
            counts = Counter(key for key, _ in pairs)
            record.repeated = tuple(key for key, count in counts.items() if count > 1)
        return record


def _refuse_repeated_keys(top: object, source: str | None) -> None:
    """A key given twice in one object is an error: JSON readers silently keep the last.

    Checked in the array of records, and in records keyed by indicator (the indicator keys
    and each record under them), where each key path is `[0].value` or `id[0].value`.
    """
    found: list[tuple[str, str, int | None]] = []  # (path of the object, key, record number)

    def check(value: object, path: str, row: int | None = None) -> None:
        if isinstance(value, _OnceKeyed):
            found.extend((path, key, row) for key in value.repeated)

    if isinstance(top, dict):
        check(top, "")
        for indicator, value in top.items():
            for index, record in enumerate(value if isinstance(value, list) else [value]):
                check(record, f"{indicator}[{index}]" if isinstance(value, list) else indicator)
    elif isinstance(top, list):
        for index, record in enumerate(top):
            check(record, f"[{index}]", index + 1)
    problems = tuple(
        Problem(
            file=source,
            row=row,
            key=f"{path}.{key}" if path else key,
            message=f"{key!r} is given more than once"
            + (f" in {path}" if path else "")
            + "; which one is meant is unknown",
            hint="keep one of them",
        )
        for path, key, row in found
    )
    if problems:
        raise DataError(problems=problems[:20])


def _keyed_records(keyed: dict[str, object]) -> list[object]:
    """`{"id": [record, ...]}` or `{"id": record}` as records that name their indicator."""
    records: list[object] = []
    for indicator, value in keyed.items():
        for record in value if isinstance(value, list) else [value]:
            records.append(
                {"indicator": indicator, **record} if isinstance(record, dict) else record
            )
    return records


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _error(source: str | None, message: str, hint: str) -> DataError:
    return DataError(problems=(Problem(file=source, message=message, hint=hint),))
