"""Rows of cells (from CSV or a workbook) as observations: headers, column mapping, wide tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol, runtime_checkable

from ragrules.formats.data._common import EARLIER, _cell, _error
from ragrules.model.errors import DataError, close_matches
from ragrules.model.observations import (
    FIELDS,
    VALUE_COLUMNS,
    NoPeriodForEarlier,
    Observation,
    column_key,
    earlier_rows,
    field_named,
    period_named,
)
from ragrules.model.periods import PeriodError, parse_period, written_as


def parse_columns(text: str) -> dict[str, str]:
    """`Q2 Performance=value,#7=previous` -> {"Q2 Performance": "value", "#7": "previous"}.

    A column named twice (`Q2=value,Q2=target`) or two columns mapped to one field
    (`Q1=value,Q2=value`) is an error: one of the two would be silently dropped."""
    if not isinstance(text, str):
        raise TypeError(
            f"parse_columns reads the command line's text, e.g. 'Q2=value', not {text!r}; "
            "a mapping is given to the readers as it is"
        )
    mapping: dict[str, str] = {}
    for part in text.split(","):
        column, equals, role = part.partition("=")
        if not equals or not column.strip() or not role.strip():
            raise _error(
                None,
                f"--columns: {part.strip()!r} is not COLUMN=FIELD",
                "e.g. --columns 'Q2 Performance=value,#7=previous'",
            )
        for named, given in mapping.items():
            if _same_column(named, column.strip()):
                raise _error(
                    None,
                    f"--columns: {column.strip()!r} is mapped twice "
                    f"({named}={given} and {part.strip()})",
                    "a column holds one field: keep one of the two",
                )
        mapping[column.strip()] = _role(role)
    _refuse_shared_fields(mapping, None)
    return mapping


def _same_column(a: str, b: str) -> bool:
    """Two names of a --columns mapping name one column: `Q2` and ` q2`, or `#2` and `#02`."""
    if a.startswith("#") or b.startswith("#"):
        return a.replace(" ", "") == b.replace(" ", "")
    return column_key(a) == column_key(b)


def check_mapping(columns: object) -> None:
    """`columns` as the readers take it: a mapping of column name to field (the command
    line's `Q2=value` text is read by `parse_columns`)."""
    if columns is None:
        return
    if not isinstance(columns, Mapping) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in columns.items()
    ):
        raise TypeError(
            f"columns must map column names to fields, e.g. {{'Q2 Performance': 'value'}} "
            f"(parse_columns reads the command line's 'Q2 Performance=value'), not {columns!r}"
        )


def _refuse_shared_fields(columns: Mapping[str, str], source: str | None) -> None:
    """Two columns mapped to one field or name (`Q1=value,Q2=value`): which one is meant is
    unknown, so neither is read."""
    given: dict[str, str] = {}
    for column, role in columns.items():
        if role in given:
            raise _error(
                source,
                f"--columns: {given[role]!r} and {column!r} are both mapped to {role}",
                f"map one column to {role}; name the other differently, or leave it out",
            )
        given[role] = column


def _role(text: str) -> str:
    """A --columns field: a known field, or another name (a benchmark) unlike any field."""
    role = column_key(text)
    known = [*FIELDS, *EARLIER]
    if role not in known and (close := close_matches(role, known, cutoff=0.75)):
        raise _error(
            None,
            f"--columns: unknown field {text.strip()!r}",
            f"did you mean {close[0]!r}? the fields are {', '.join(known)}; any other name "
            "is a column of its own (a benchmark, published_status, published_short)",
        )
    return role


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
        head = header_of(rows, source)
        reader = RowReader(
            head, source=source, columns=columns, period=period, one_column_a_field=True
        )
    except DataError as exc:
        if isinstance(rows, _Placing):  # a workbook's sheet: the error names it
            raise rows.placed(exc) from None
        raise
    for line, cells in rows:
        yield from reader.observations(line, cells)


@runtime_checkable
class _Placing(Protocol):
    """Rows that say where their header is (a workbook's sheet, `_xlsx.SheetRows`)."""

    def placed(self, error: DataError) -> DataError: ...


def header_of(rows: Iterator[tuple[int, list[str]]], source: str | None) -> list[str]:
    """The first row's cells: the header, which an empty file lacks."""
    try:
        return next(rows)[1]
    except StopIteration:
        raise _error(
            source, "the data file is empty", "add a header row: indicator,period,value"
        ) from None


class RowReader:
    """What each column of a header holds, and a line's observations read by it.

    The layout is public to the compiled stream (`ragrules.reports.compiled`), which reads
    the cells of plain lines itself and hands any other line back to `observations`.
    """

    def __init__(
        self,
        header: list[str],
        *,
        source: str | None = None,
        columns: Mapping[str, str] | None = None,
        period: str | None = None,
        one_column_a_field: bool = False,
    ) -> None:
        check_mapping(columns)
        _refuse_shared_fields(columns or {}, source)
        _check_columns(header, columns or {}, source)
        roles = _roles(header, columns or {})
        if one_column_a_field:
            _refuse_repeated_fields(header, roles, source)
        if "indicator" not in roles.values():
            raise _error(
                source,
                f"no 'indicator' column (found: {', '.join(map(repr, header)) or 'none'})",
                _header_hint(header, source),
            )
        self.source = source
        # field -> column index (the first column of a field wins), in FIELDS' sense.
        self.fields = {
            role: index for index, role in reversed(list(roles.items())) if role in FIELDS
        }
        self.earlier: dict[str, int] = {}  # of two columns of one earlier value, the first
        for index, role in roles.items():
            if role in EARLIER:
                self.earlier.setdefault(role, index)
        # A wide table: no value column, but columns headed by periods (2019/20, 2020/21 Q1).
        self.wide = {} if "value" in self.fields else _period_columns(header, roles)
        # With no value column and nothing a value is made from (a rate's numerator and
        # denominator, a forecast, an override), every row would be `no-data`.
        made = any(role in VALUE_COLUMNS for role in roles.values())
        if "value" not in self.fields and not self.wide and not made:
            raise _error(
                source,
                f"no 'value' column (found: {', '.join(map(repr, header))})",
                _value_hint(header, roles),
            )
        in_wide = set(self.wide.values())
        # The row's other columns (an authority code, a breakdown): name -> column index, in
        # the file's order; of two columns with one name (one column key), the first wins.
        self.others: dict[str, int] = {}
        for index, role in roles.items():
            if role not in FIELDS and role not in EARLIER and role and index not in in_wide:
                self.others.setdefault(role, index)
        try:
            # As printed, with the `FY` or `AY` given (`str` writes a financial year bare).
            self.default = (
                written_as(parse_period(period), period) if self.earlier and period else None
            )
        except PeriodError as exc:
            raise _error(source, f"--period: {exc}", "e.g. --period '2020/21 Q2'") from None

    def observations(self, line: int, cells: list[str]) -> list[Observation]:
        """The line's observations: its row, and the earlier values a wide row carries."""
        if not any(cell.strip() for cell in cells):
            return []
        values = {name: _cell(cells, index) for name, index in self.fields.items()}
        extra = tuple((name, _cell(cells, index)) for name, index in self.others.items())
        own_period = bool(values.get("period"))
        if self.earlier and not own_period:
            values["period"] = self.default or ""
        if self.wide:
            printed = [
                (when, text) for when, index in self.wide.items() if (text := _cell(cells, index))
            ]
            # A row with every period blank is still a row: no value for the last period.
            return [
                Observation(row=line, extra=extra, **{**values, "period": when, "value": text})
                for when, text in printed or [(next(reversed(self.wide)), "")]
            ]
        observation = Observation(row=line, extra=extra, **values)
        if not self.earlier:
            return [observation]
        texts = {role: _cell(cells, index) for role, index in self.earlier.items()}
        try:
            earlier = earlier_rows(observation, texts, own_period=own_period)
        except NoPeriodForEarlier as exc:
            raise _error(self.source, str(exc), "give --period, or a period column") from None
        return [observation, *earlier]


def _refuse_repeated_fields(header: list[str], roles: dict[int, str], source: str | None) -> None:
    """Two columns of a header that read as one field (`Value` twice, or `value` and
    `Value `): which holds the values would be a guess, and the other's would be lost."""
    first: dict[str, int] = {}
    for index, role in roles.items():
        if role not in FIELDS and role not in EARLIER:
            continue
        if role not in first:
            first[role] = index
            continue
        before = first[role]
        raise _error(
            source,
            f"header: columns {before + 1} ({header[before]!r}) and {index + 1} "
            f"({header[index]!r}) are both read as {role!r}, and one would be ignored",
            f"name the one to read, e.g. --columns '#{before + 1}={role}', or rename the other",
        )


def _header_hint(header: list[str], source: str | None = None) -> str:
    """What to do about a header with no indicator column, from what it looks like."""
    if any("\0" in name for name in header):  # UTF-16 read as bytes: a NUL between letters
        return "the file looks like UTF-16 without its byte order mark: --encoding utf-16-le"
    if header and header[0].lstrip().startswith("{"):
        return (
            "the file looks like JSON Lines, which is read as CSV: write one JSON array of "
            "records to a .json file (pandas: to_json(orient='records'))"
        )
    toml = bool(source) and str(source).lower().endswith(".toml")
    # A TOML comment (`# ...`, `#:schema`) or table, where a header's first cell would be.
    first = header[0].lstrip() if header else ""
    if toml or first.startswith(("# ", "#:", "[ruleset]", "[[indicator]]")):
        return "this is a ruleset (TOML), not data: give the data file (CSV, JSON or .xlsx)"
    if len(header) == 1 and any(mark in header[0] for mark in ",;\t|"):
        return "the header is read as one column: name the delimiter, e.g. --delimiter ';'"
    return "the header needs at least indicator and value, or map them with --columns"


def _value_hint(header: list[str], roles: dict[int, str]) -> str:
    """What to do about a header with no value column: the column it most looks like."""
    unread = [header[index] for index, role in roles.items() if role not in FIELDS]
    close = close_matches("value", [name for name in unread if name.strip()], cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}? map it with --columns '{close[0]}=value'"
    return "name the column of values 'value', or map it with --columns 'Outturn=value'"


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
    named: dict[int, str] = {}  # column index -> the name the mapping gives it by
    for column in columns:
        for index in _indexes(header, column):
            if named.setdefault(index, column) != column:
                raise _error(
                    source,
                    f"--columns: {named[index]!r} and {column!r} name one column",
                    "a column holds one field: keep one of the two",
                )


def _indexes(header: list[str], column: str) -> list[int]:
    """The indexes of the columns a --columns name (`#N`, or a header) names."""
    if column.startswith("#"):
        return [int(column[1:]) - 1]
    key = column_key(column)
    return [index for index, name in enumerate(header) if column_key(name) == key]


def _period_columns(header: list[str], roles: Mapping[int, str]) -> dict[str, int]:
    """Period (as printed) -> column index, for columns headed by a period."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        if roles.get(index) in FIELDS or roles.get(index) in EARLIER:
            continue
        when = period_named(name)
        if when is not None:
            found.setdefault(when, index)  # of two columns of one period, the first
    return found


def _roles(header: list[str], columns: Mapping[str, str]) -> dict[int, str]:
    """Column index -> what it holds, by position (`#N`), by header, or by its own name."""
    by_header = {column_key(k): v for k, v in columns.items() if not k.startswith("#")}
    explicit = set(columns.values())
    taken = {column_key(name) for name in header} | explicit  # fields a column already gives
    roles = {}
    for index, name in enumerate(header):
        mapped = columns.get(f"#{index + 1}") or by_header.get(column_key(name))
        # A column mapped explicitly to a field wins over a header that happens to share its
        # name (Havering's table has a "Value" column holding the polarity).
        own = field_named(column_key(name), taken)
        roles[index] = mapped or ("" if own in explicit else own)
    return roles
