"""JSON files: an array of records, or records keyed by indicator; no key given twice.

Numbers are kept as their written text (`_Number`, a str that remembers it was a number),
and so are the literals `NaN`, `Infinity` and `-Infinity`, which JSON does not have: read
later, they are `invalid` values, as the same text in a CSV cell is.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from ragrules.formats.data._common import _error
from ragrules.formats.data._rows import RowReader, check_mapping
from ragrules.model._text import mended
from ragrules.model.errors import DataError, Problem
from ragrules.model.observations import (
    FIELDS,
    NoPeriodForEarlier,
    Observation,
    column_key,
    read_mapping,
)
from ragrules.model.periods import PeriodError, parse_period

# Record layouts (a record's keys, with the columns added to it) whose reader is kept: the
# records of a file share a few layouts, and a file whose records all differ keeps no more.
_READERS = 256


def parse_json(
    text: str,
    *,
    source: str | None = None,
    columns: Mapping[str, str] | None = None,
    period: str | None = None,
) -> list[object]:
    """Parse a JSON array of records; row numbers count records from 1.

    With `columns` (see `read_observations`), the records are read as the rows of a CSV
    table, each record's keys being its header: the mapping names keys as it names a CSV
    file's columns, and `period` places the `previous` and `last_year` columns. Without it,
    each record is read as `Observation.from_mapping` reads it.
    """
    if not isinstance(text, str):
        raise TypeError(
            f"parse_json takes the file's text (a str), not {type(text).__name__}; "
            "read_observations(path) reads a file"
        )
    check_mapping(columns)
    records = _records(_loads(text, source), source, columns or {})
    if columns:
        return _as_rows(records, source, columns, period)
    if period is not None:
        try:
            parse_period(period)
        except PeriodError as exc:
            raise _error(source, f"--period: {exc}", "e.g. --period '2020/21 Q2'") from None
    return [
        observation
        for row, record in enumerate(records, start=1)
        for observation in _observations(record, row, source, period)
    ]


def _observations(record: object, row: int, source: str | None, period: str | None) -> list[object]:
    """The record's observations, read as a CSV row whose header is its keys (`previous`,
    `last_year` and period keys too); one that is not a readable observation is passed on
    (a record that is not an object as a `_NotARecord`), so the report rejects it with its
    row number and the reason instead of losing it."""
    if not isinstance(record, dict):
        return [_NotARecord(record)]
    try:
        return [*read_mapping(record, row=row, period=period, require_indicator=False)]
    except NoPeriodForEarlier as exc:
        raise _error(source, str(exc), "give --period, or a period key") from None
    except ValueError:
        return [record]


class _Number(str):
    """A JSON number's written text (`28.15`, `1e1`): never a binary float."""

    __slots__ = ()


def _json_type(value: object) -> str:
    """What a JSON value is, in JSON's words (a number is read as its text)."""
    if isinstance(value, _Number):
        return f"a JSON number ({value[:20]})"
    if isinstance(value, str):
        return "a JSON string"
    if value is None:
        return "a JSON null"
    if isinstance(value, bool):
        return f"a JSON {str(value).lower()}"
    return "a JSON array" if isinstance(value, list) else "a JSON object"


class _NotARecord(Mapping[str, object]):
    """A record that is not a JSON object (`5`, `"x"`, `[...]`). Read as a row, it raises
    ValueError saying what it is, so the report rejects it at its row with that reason."""

    def __init__(self, value: object) -> None:
        self.what = _json_type(value)

    def __getitem__(self, key: str) -> object:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        raise ValueError(f"a record must be a JSON object, not {self.what}")

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return f"<not a record: {self.what}>"


def _loads(text: str, source: str | None) -> object:
    """The JSON document, numbers kept as their written text; a located error if it is not
    JSON."""
    # A lone half of a surrogate pair (`"\ud83d"`, text cut short by another tool) is no
    # character, and no output could encode it: U+FFFD, as the xlsx reader reads it.
    mend = _SURROGATE_ESCAPE.search(text) is not None
    try:
        top = json.loads(
            text,
            parse_float=_Number,
            parse_int=_Number,
            parse_constant=str,  # NaN and Infinity: not JSON, so not numbers; kept as text
            object_pairs_hook=_OnceKeyed.mended if mend else _OnceKeyed.from_pairs,
        )
        return _mended(top) if mend else top
    except RecursionError:
        raise _error(source, "the JSON is nested too deeply", "a list of flat records") from None
    except json.JSONDecodeError as exc:
        lines = exc.msg == "Extra data" and text[: exc.pos].rstrip().endswith("}")
        raise DataError(
            problems=(
                Problem(
                    file=source,
                    line=exc.lineno,
                    column=exc.colno,
                    message=f"not valid JSON: {exc.msg}"
                    + (" (the file looks like JSON Lines, one record per line)" if lines else ""),
                    hint=_LINES_HINT if lines else None,
                ),
            )
        ) from None


_LINES_HINT = (
    "JSON Lines is not read: write one array of records, [{...}, {...}] (pandas: "
    "to_json(orient='records')), or save the table as CSV"
)
_PANDAS_HINT = "write the frame with to_json(orient='records'), one object per row"


def _records(top: object, source: str | None, columns: Mapping[str, str]) -> list[object]:
    """The document's records: its array, or its records keyed by indicator, each naming it."""
    _refuse_repeated_keys(top, source)
    # A record's own keys: the fields, and the keys a column mapping names.
    named = {*FIELDS, *(column_key(column) for column in columns)}
    if (
        isinstance(top, dict)
        and isinstance(top.get("columns"), list)
        and isinstance(top.get("data"), list)
    ):
        raise _error(
            source,
            "the JSON is a table split into columns and data (pandas' orient='split')",
            _PANDAS_HINT,
        )
    if isinstance(top, dict) and any(column_key(key) in named for key in top):
        if all(isinstance(value, dict) for value in top.values()):
            raise _error(
                source,
                "the JSON holds a column of values per key (pandas' to_json() default, "
                "orient='columns'), not records",
                _PANDAS_HINT,
            )
        raise _error(
            source,
            "the JSON is one record, not an array of records",
            'wrap it in [ ]: [{"indicator": "...", "value": "..."}]',
        )
    if isinstance(top, dict):
        top = _keyed_records(top, source, columns)
    if not isinstance(top, list):
        raise _error(
            source,
            "expected a JSON array of records, or records keyed by indicator",
            '[{"indicator": "...", "value": "..."}] or {"id": [{"period": "...", "value": "..."}]}',
        )
    return top


def _as_rows(
    records: list[object], source: str | None, columns: Mapping[str, str], period: str | None
) -> list[object]:
    """The records read as a CSV table's rows under `columns`, each record at its number."""
    if not records:
        return []
    table = _Table(records, source=source, columns=columns, period=period)
    return [
        observation
        for row, record in enumerate(records, start=1)
        for observation in table.observations(row, record)
    ]


class _Table:
    """JSON records read as the rows of a CSV table under a column mapping.

    Each record's keys are its header, so its other keys are its own, as they are without a
    mapping, and it is never widened by another record's. The columns the table is read by
    (those the mapping names, and the keys that give a field or an earlier value in any
    record) are added to a record that lacks them as blank cells, as a short CSV line's
    missing cells are blank: JSON writers leave out a null key.
    """

    def __init__(
        self,
        records: list[object],
        *,
        source: str | None,
        columns: Mapping[str, str],
        period: str | None,
    ) -> None:
        _refuse_numbered(columns, source)
        keys = _keys_of(records)
        # The checks a CSV header gets, once for the file: a mapped key no record has (with
        # a did-you-mean), no indicator in any record, a period that is no period.
        whole = RowReader(keys, source=source, columns=columns, period=period)
        read = (*whole.fields.values(), *whole.earlier.values(), *whole.wide.values())
        self.shared: dict[str, str] = {}  # column key -> the key as first written
        for name in (*columns, *(keys[index] for index in read)):
            self.shared.setdefault(column_key(name), name)
        self.source = source
        self.columns = columns
        self.period = period
        self.readers: dict[tuple[str, ...], RowReader] = {}

    def observations(self, row: int, record: object) -> list[Observation]:
        """The record's observations; a record that is not an object, or holds nothing, is
        one with no indicator, which the report rejects at its row."""
        if not isinstance(record, dict):
            return [Observation(row=row)]
        present = {column_key(key) for key in record}
        added = [name for key, name in self.shared.items() if key not in present]
        cells = [_cell(value) for value in record.values()]
        found = self._reader((*record, *added)).observations(row, cells)
        return found or [Observation(row=row)]

    def _reader(self, header: tuple[str, ...]) -> RowReader:
        reader = self.readers.get(header)
        if reader is None:
            reader = RowReader(
                list(header), source=self.source, columns=self.columns, period=self.period
            )
            if len(self.readers) < _READERS:
                self.readers[header] = reader
        return reader


def _refuse_numbered(columns: Mapping[str, str], source: str | None) -> None:
    """`#N` names no key: JSON objects are unordered, and writers reorder their keys."""
    for column, role in columns.items():
        if column.startswith("#"):
            raise _error(
                source,
                f"--columns: {column}={role}: the keys of a JSON record are not numbered",
                "name the key, e.g. --columns 'PI Ref=indicator'",
            )


def _keys_of(records: list[object]) -> list[str]:
    """Every key the records use, once (as column keys match them), as first written."""
    keys: dict[str, str] = {}
    for record in records:
        if isinstance(record, dict):
            for key in record:
                keys.setdefault(column_key(key), key)
    return list(keys.values())


def _cell(value: object) -> str:
    """A record's value as a cell's text, as `Observation.from_mapping` reads it: numbers
    (and `NaN`, `Infinity`) as written (they were read as text), null blank, `true` as
    `True`."""
    if value is None:
        return ""
    return (value if isinstance(value, str) else str(value)).strip()


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _mended(value: Any) -> Any:
    """A JSON value with each lone surrogate in its text as U+FFFD (objects are mended as
    they are read, by `_OnceKeyed.mended`); a number is never changed."""
    if isinstance(value, str) and not isinstance(value, _Number) and _SURROGATE.search(value):
        return mended(value)
    if isinstance(value, list):
        return [_mended(item) for item in value]
    return value


class _OnceKeyed(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once."""

    repeated: tuple[str, ...] = ()

    @classmethod
    def mended(cls, pairs: list[tuple[str, Any]]) -> _OnceKeyed:
        """`from_pairs`, with each lone surrogate in the keys and text as U+FFFD."""
        return cls.from_pairs([(_mended(key), _mended(value)) for key, value in pairs])

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


def _keyed_records(
    keyed: dict[str, object], source: str | None, columns: Mapping[str, str]
) -> list[object]:
    """`{"id": [record, ...]}` or `{"id": record}` as records that name their indicator.

    A record that names an indicator of its own (`indicator`, `Indicator ID`, or a key a
    column mapping reads the indicator from) other than the key it is under is an error,
    located by record and key: which of the two is meant is unknown. One that names the same
    indicator (or none) is read under the key alone.
    """
    records: list[object] = []
    conflicts: list[Problem] = []
    own = {"indicator", "indicator_id"} | {
        column_key(column) for column, role in columns.items() if column_key(role) == "indicator"
    }
    # The key the indicator is read from: the one a mapping names (it must be in the
    # records the mapping reads), else `indicator`.
    named = next(
        (column for column, role in columns.items() if column_key(role) == "indicator"),
        "indicator",
    )
    for indicator, value in keyed.items():
        listed = isinstance(value, list)
        for index, record in enumerate(value if isinstance(value, list) else [value]):
            if not isinstance(record, dict):
                records.append(record)
                continue
            path = f"{indicator}[{index}]" if listed else indicator
            conflicts.extend(
                Problem(
                    file=source,
                    key=f"{path}.{key}",
                    message=f"a record under {indicator!r} names the indicator {text!r} "
                    f"({key!r}); which one is meant is unknown",
                    hint=f"move the record under {text!r}, or remove its {key!r}",
                )
                for key, text in record.items()
                if column_key(key) in own and _cell(text) not in ("", indicator.strip())
            )
            rest = {key: text for key, text in record.items() if column_key(key) not in own}
            records.append({named: indicator, **rest})
    if conflicts and all(key.isdigit() for key in keyed):
        # Keyed by row numbers, not indicators: pandas' to_json(orient='index').
        raise _error(
            source,
            "the JSON is keyed by row numbers (pandas' orient='index'), not by indicator",
            _PANDAS_HINT,
        )
    if conflicts:
        raise DataError(problems=tuple(conflicts[:20]))
    return records
