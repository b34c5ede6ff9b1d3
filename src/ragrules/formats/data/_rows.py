"""Rows of cells (from CSV or a workbook) as observations: headers, column mapping, wide tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ragrules.formats.data._common import EARLIER, _cell, _error
from ragrules.model.errors import close_matches
from ragrules.model.observations import (
    FIELDS,
    VALUE_COLUMNS,
    Observation,
    column_key,
    field_named,
)
from ragrules.model.periods import PeriodError, parse_period, written_as


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
    reader = RowReader(header_of(rows, source), source=source, columns=columns, period=period)
    for line, cells in rows:
        yield from reader.observations(line, cells)


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
    ) -> None:
        _check_columns(header, columns or {}, source)
        roles = _roles(header, columns or {})
        if "indicator" not in roles.values():
            raise _error(
                source,
                f"no 'indicator' column (found: {', '.join(map(repr, header)) or 'none'})",
                _header_hint(header),
            )
        self.source = source
        # field -> column index (the first column of a field wins), in FIELDS' sense.
        self.fields = {
            role: index for index, role in reversed(list(roles.items())) if role in FIELDS
        }
        self.earlier = {role: index for index, role in roles.items() if role in EARLIER}
        # A wide table: no value column, but columns headed by periods (2019/20, 2020/21 Q1).
        self.wide = {} if "value" in self.fields else _period_columns(header, roles)
        in_wide = set(self.wide.values())
        # The row's other columns (an authority code, a breakdown): name -> column index, in
        # the file's order; of two columns with one name (one column key), the first wins.
        self.others: dict[str, int] = {}
        for index, role in roles.items():
            if role not in FIELDS and role not in EARLIER and role and index not in in_wide:
                self.others.setdefault(role, index)
        try:
            self.default = parse_period(period) if self.earlier and period else None
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
            values["period"] = str(self.default) if self.default else ""
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
        earlier = _earlier_rows(observation, self.earlier, cells, self.source, own_period)
        return [observation, *earlier]


def _header_hint(header: list[str]) -> str:
    """What to do about a header with no indicator column, from what it looks like."""
    if any("\0" in name for name in header):  # UTF-16 read as bytes: a NUL between letters
        return "the file looks like UTF-16 without its byte order mark: --encoding utf-16-le"
    if len(header) == 1 and any(mark in header[0] for mark in ",;\t|"):
        return "the header is read as one column: name the delimiter, e.g. --delimiter ';'"
    return "the header needs at least indicator and value, or map them with --columns"


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
    taken = {column_key(name) for name in header} | explicit  # fields a column already gives
    roles = {}
    for index, name in enumerate(header):
        mapped = columns.get(f"#{index + 1}") or by_header.get(column_key(name))
        # A column mapped explicitly to a field wins over a header that happens to share its
        # name (Havering's table has a "Value" column holding the polarity).
        own = field_named(column_key(name), taken)
        roles[index] = mapped or ("" if own in explicit else own)
    return roles


def _earlier_rows(
    observation: Observation,
    earlier: Mapping[str, int],
    cells: list[str],
    source: str | None,
    own_period: bool,
) -> list[Observation]:
    """Rows for the earlier values a wide row carries (previous period, same period last year).

    A row whose own period is no period is rejected for it (the rows after it are read on);
    with no period of its own, and none given for the file, the file cannot be read."""
    if not earlier:
        return []
    try:
        when = parse_period(observation.period)
    except PeriodError:
        if own_period:
            return []  # no period to place them at: the row is rejected for its own period
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
                area=observation.area,
                period=written_as(then, observation.period),
                value=_cell(cells, index),
                row=observation.row,
                # The breakdowns (the same series as the row's), not what speaks of the
                # row's own value (its counts, override, forecast, marks).
                extra=tuple((k, v) for k, v in observation.extra if k not in VALUE_COLUMNS),
            )
        )
    return found
