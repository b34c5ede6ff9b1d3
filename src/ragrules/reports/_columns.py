"""A result as one row of cells, for the CSV report, the CSV stream and pandas.

The columns are the fields of `Result.to_dict()`, under the same names and in the same order.
What is a list there becomes flat here: `bounds` is one cell of conditions, each comparison's
movement is spread over `NAME_FIELD` columns (`short_arrow`, `short_earlier`, ...), and the
row's passed-through columns follow under their column keys (`data_NAME` where one would take
the name of ours, `data_NAME (2)` where that too is taken: `passed_names`); the breakdown
columns (sex, age) are among them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ragrules.engine.result import Result
from ragrules.model.rules import RulesetData

RESULT_COLUMNS = (
    "indicator",
    "title",
    "unit",
    "polarity",
    "area",
    "period",
    "row",
    "status",
    "rated",
    "unrated",
    "reason",
    "value",
    "value_text",
    "unrounded",
    "target",
    "target_source",
    "tolerance",
    "stretch",
    "bounds",
    "band",
    "edges",
    "fragile",
    "interval",
    "rank",
    "commentary",
    "caveat",
    "flag",
)
MOVEMENT_COLUMNS = (
    "against",
    "period",
    "earlier",
    "earlier_text",
    "direction",
    "judgement",
    "arrow",
    "reason",
)


# After the movements, for a ruleset where judgement can be (`judged`): the reported status,
# the override and the forecast, flat.
JUDGEMENT_COLUMNS = (
    "reported_status",
    "override_status",
    "override_reason",
    "override_by",
    "override_applied",
    "override_note",
    "forecast_status",
    "forecast_value",
    "forecast_value_text",
    "forecast_target",
    "forecast_period",
    "forecast_reason",
)
_OVERRIDE_FIELDS = ("status", "reason", "by", "applied", "note")
_FORECAST_FIELDS = ("status", "value", "value_text", "target", "period", "reason")


def judging(ruleset: RulesetData) -> bool:
    """Whether a ruleset's reports carry the judgement columns: some indicator is judged."""
    return any(indicator.judged for indicator in ruleset.indicators)


def passed_columns(results: Iterable[Result]) -> list[str]:
    """The rows' own columns, in the order they were first seen."""
    return list(dict.fromkeys(key for result in results for key, _ in result.columns))


def header(
    comparisons: Sequence[str],
    passed: Iterable[str] = (),
    extra: Sequence[str] = (),
    *,
    judged: bool = False,
) -> list[str]:
    """The column names: the result's, each comparison's, the judgement's (when `judged`),
    `extra`, then the row's own."""
    fixed = [
        *RESULT_COLUMNS,
        *(f"{name}_{field}" for name in comparisons for field in MOVEMENT_COLUMNS),
        *(JUDGEMENT_COLUMNS if judged else ()),
        *extra,
    ]
    # A comparison named `forecast` or `override` gives a movement column named like a
    # judgement column (`forecast_period`): the later is numbered, `forecast_period (2)`.
    fixed = passed_names((), fixed, prefix="")
    return [*fixed, *passed_names(fixed, list(passed))]


def passed_names(fixed: Sequence[str], passed: Sequence[str], prefix: str = "data_") -> list[str]:
    """The passed-through columns' names in the output, each unique: a column keeps its own
    name unless one of `fixed` (ours) or an earlier passed column has it; then it is
    `data_NAME`, numbered `data_NAME (2)`, `(3)`, ... while that too is taken (as the matrix
    numbers `area (2)`). A column that is not named like one of ours always keeps its name,
    whatever the others are called, so `status` beside `data_status` is `data_status (2)`.
    (`prefix` is what a clash is given before it is numbered.)"""
    taken = set(fixed)
    keeps = []
    for name in passed:
        keeps.append(name not in taken)
        taken.add(name)
    names = []
    for name, own in zip(passed, keeps, strict=True):
        shown, number = name, 2
        if not own:
            shown = base = f"{prefix}{name}"
            while shown in taken:
                shown, number = f"{base} ({number})", number + 1
            taken.add(shown)
        names.append(shown)
    return names


def cells(
    record: dict[str, Any],
    comparisons: Sequence[str],
    passed: Sequence[str] = (),
    *,
    judged: bool = False,
) -> list[Any]:
    """The cells of `Result.to_dict()` under `header(comparisons, passed, judged=judged)`;
    None where empty."""
    row = [record[column] for column in RESULT_COLUMNS]
    row[_BOUNDS] = "; ".join(bound["condition"] for bound in record["bounds"])
    row[_EDGES] = "; ".join(edge["words"] for edge in record["edges"])
    row[_FRAGILE] = "; ".join(record["fragile"])
    if (interval := record["interval"]) is not None:
        row[_INTERVAL] = f"{interval['lower']} to {interval['upper']} ({interval['level']}%)"
    if (rank := record["rank"]) is not None:
        row[_RANK] = f"{rank['rank']} of {rank['size']} in {rank['group']}"
    moves = {move["comparison"]: move for move in record["travel"]}
    for name in comparisons:
        move = moves.get(name)
        row += [None if move is None else move[field] for field in MOVEMENT_COLUMNS]
    if judged:
        override, forecast = record.get("override") or {}, record.get("forecast") or {}
        row.append(record.get("reported_status", record["status"]))
        row += [override.get(field) for field in _OVERRIDE_FIELDS]
        row += [forecast.get(field) for field in _FORECAST_FIELDS]
    columns = record["columns"]
    if record["row"] is None:  # no row (a series without one for the period): its breakdown
        columns = record["breakdown"]  # says whose series it is, in the breakdown's columns
    row += [columns.get(name) for name in passed]
    return row


_BOUNDS = RESULT_COLUMNS.index("bounds")
_EDGES = RESULT_COLUMNS.index("edges")
_FRAGILE = RESULT_COLUMNS.index("fragile")
_INTERVAL = RESULT_COLUMNS.index("interval")
_RANK = RESULT_COLUMNS.index("rank")
