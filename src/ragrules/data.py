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
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ragrules.errors import DataError, Problem
from ragrules.numbers import EXACT, format_decimal, to_decimal
from ragrules.observations import FIELDS, Observation, column_key
from ragrules.periods import PeriodError, parse_period

# The most rows a data file may hold unless the caller allows more (`max_rows`).
MAX_ROWS = 10_000_000

# Columns that hold an earlier period's value on the same row, as council tables print them.
EARLIER = {"previous": "previous", "last_year": "same period last year"}


def read_observations(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    period: str | None = None,
    max_rows: int = MAX_ROWS,
) -> list[object]:
    """Read a CSV (or tab-separated) or JSON file of observations, by the file's extension.

    `columns` maps a column (its header, or `#N` for the Nth column) to what it holds: a
    field (`indicator`, `value`, `target`, ...), `previous` or `last_year` (an earlier value on
    the same row, which needs `period`), or any other name (`published_short`, a benchmark).
    Text that is not UTF-8 is read as Windows-1252 (`is_utf8` tells a caller to warn). A
    file with more than `max_rows` observations is a DataError.
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise _error(
            str(source),
            f"cannot read the data: {exc.strerror or exc}",
            "check the path",
        ) from None
    observations = _read(raw, source, columns, delimiter, period)
    if len(observations) > max_rows:
        raise _error(
            str(source),
            f"more than {max_rows:,} rows",
            "split the file, or raise the limit with max_rows",
        )
    return observations


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
) -> list[object]:
    suffix = source.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return parse_rows(
            excel_rows(raw, str(source)), source=str(source), columns=columns, period=period
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets saved as "CSV" on Windows are often Windows-1252 (pound signs, dashes).
        text = raw.decode("cp1252", errors="replace")
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
        mapping[column.strip()] = column_key(role)
    return mapping


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

    The same reading as `read_observations` (sniffed delimiter, BOM, Windows-1252 fallback),
    for files too large to hold: the rows of one line come out together, as `iter_rate` needs.
    `progress`, if given, is called with (bytes read, file size) as the file is read.
    `encoding` skips the check for UTF-8 when the caller has made it already.
    """
    source = Path(path)
    if encoding is None:
        encoding = "utf-8-sig" if is_utf8(source) else "cp1252"
    try:
        raw = _Counted(source.open("rb", buffering=0), progress)
        buffered = io.BufferedReader(raw, 1 << 16)
        with io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="") as stream:
            head = stream.read(65536)
            stream.seek(0)
            yield from _iter_csv(
                stream,
                _delimiter(delimiter, head, str(source)),
                source=str(source),
                columns=columns,
                period=period,
            )
    except OSError as exc:
        raise _error(
            str(source), f"cannot read the data: {exc.strerror or exc}", "check the path"
        ) from None


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
    others = {
        role: index
        for index, role in reversed(list(roles.items()))
        if role not in FIELDS and role not in EARLIER and role and index not in wide.values()
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
                for when, index in wide.items():
                    if text := _cell(cells, index):
                        yield Observation(
                            row=line, extra=extra, **{**values, "period": when, "value": text}
                        )
                continue
            observation = Observation(row=line, extra=extra, **values)
            yield observation
            yield from _earlier_rows(observation, earlier, cells, source)


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

    Needs the `excel` extra (openpyxl). Numbers are read through their shortest repr, and a
    cell formatted as a percentage (0.48 shown as 48%) is read as `48%`, as printed.
    """
    try:
        import openpyxl
    except ImportError:
        raise _error(
            source, "reading .xlsx needs openpyxl", 'pip install "ragrules[excel]"'
        ) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise _error(
            source, f"not a readable .xlsx workbook: {exc}", "save it again as .xlsx"
        ) from None
    sheet = workbook.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(), start=1):
        yield number, [_excel_text(cell) for cell in row]


def _excel_text(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = to_decimal(value)
        if "%" in str(cell.number_format or ""):
            return f"{format_decimal(number.scaleb(2, EXACT))}%"
        return format_decimal(number)
    return str(value).strip()


def _sniff(text: str) -> str:
    """The delimiter the header line uses most: comma, tab, semicolon or bar (comma on a tie)."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (",", "\t", ";", "|")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def parse_json(text: str, *, source: str | None = None) -> list[object]:
    """Parse a JSON array of records; row numbers count records from 1."""
    try:
        records = json.loads(text, parse_float=str, parse_int=str)
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
