"""JSON files: an array of records, or records keyed by indicator; no key given twice."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ragrules.formats.data._common import _error
from ragrules.model.errors import DataError, Problem
from ragrules.model.observations import FIELDS, Observation, column_key


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
