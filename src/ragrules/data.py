"""Observations from files: CSV and JSON, each row numbered as an editor shows it.

This is an edge: it reads files and returns `Observation`s; what the values mean is decided
later by `observations.read_value`. Problems that stop a whole file raise `DataError`.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from ragrules.errors import DataError, Problem
from ragrules.observations import FIELDS, Observation, column_key


def read_observations(path: str | os.PathLike[str]) -> list[object]:
    """Read a CSV or JSON file of observations (chosen by the file's extension)."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise _error(
            str(source),
            f"cannot read the data: {exc.strerror or exc}",
            "check the path",
        ) from None
    except UnicodeDecodeError as exc:
        raise _error(
            str(source), f"not UTF-8 text: {exc.reason}", "save the file as UTF-8"
        ) from None
    if source.suffix.lower() == ".json":
        return parse_json(text, source=str(source))
    return parse_csv(text, source=str(source))


def parse_csv(text: str, *, source: str | None = None) -> list[object]:
    """Parse CSV text with a header row; columns are matched case- and space-insensitively.

    Row numbers are the file's line numbers, so the header is line 1.
    """
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise _error(
            source, "the data file is empty", "add a header row: indicator,period,value"
        ) from None
    names = [column_key(name) for name in header]
    if "indicator" not in names:
        raise _error(
            source,
            f"no 'indicator' column (found: {', '.join(header) or 'none'})",
            "the header needs at least indicator and value",
        )
    columns = {name: index for index, name in reversed(list(enumerate(names))) if name in FIELDS}
    others = {name: index for index, name in reversed(list(enumerate(names))) if name not in FIELDS}
    others.pop("", None)
    observations: list[object] = []
    line = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            fields = {name: _cell(cells, index) for name, index in columns.items()}
            extra = tuple((name, _cell(cells, index)) for name, index in others.items())
            observations.append(Observation(row=line, extra=extra, **fields))
        line = reader.line_num + 1
    return observations


def parse_json(text: str, *, source: str | None = None) -> list[object]:
    """Parse a JSON array of records; row numbers count records from 1."""
    try:
        records = json.loads(text, parse_float=str, parse_int=str)
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
    if not isinstance(records, list):
        raise _error(
            source,
            "expected a JSON array of records",
            '[{"indicator": "...", "value": "..."}]',
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


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _error(source: str | None, message: str, hint: str) -> DataError:
    return DataError(problems=(Problem(file=source, message=message, hint=hint),))
