"""A digest of the data a report was rated from, so that a published paper can be checked
against the data it claims: the same rows, read the same way, give the same digest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from ragrules.engine.result import Rejection
from ragrules.model.observations import Observation


def data_digest(rows: Iterable[Observation], rejected: Iterable[Rejection] = ()) -> str:
    """`sha256:...` over every row as read (its fields and other columns) and every
    rejection, in row order: any changed value, commentary or column changes it."""
    lines = [
        json.dumps(
            [
                row.row,
                row.indicator,
                row.area,
                row.period,
                row.value,
                row.target,
                row.commentary,
                row.caveat,
                row.flag,
                [list(pair) for pair in row.extra],
            ],
            ensure_ascii=False,
        )
        for row in rows
    ]
    lines += [
        json.dumps(["rejected", r.row, r.indicator, r.period, r.reason], ensure_ascii=False)
        for r in rejected
    ]
    digest = hashlib.sha256()
    for line in sorted(lines):  # the rows' own numbers first: row order
        digest.update(line.encode("utf-8") + b"\n")
    return f"sha256:{digest.hexdigest()}"
